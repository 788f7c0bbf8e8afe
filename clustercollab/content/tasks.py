"""Background jobs of the content app: thin wrappers that load by id and send."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from clustercollab.organisations.models import Role


@task()
def send_content_status_email(*, kind: str, item_id: int, action: str, reason: str = "") -> int:
    """E-mail the poster (else the organisation's admins) about a moderation step.

    Returns how many e-mails were sent.
    """
    from clustercollab.content.selectors import CONTENT_KINDS

    model = CONTENT_KINDS.get(kind)
    item = model.objects.select_related("author", "organisation").filter(pk=item_id).first()
    if item is None:
        return 0
    return email_poster_about_status(item, action=action, reason=reason)


def email_poster_about_status(item: object, *, action: str, reason: str = "") -> int:
    """Send the status e-mail of one moderated item (also used by other apps' items)."""
    if item.author is not None and item.author.is_active:
        recipients = [item.author.email]
    elif item.organisation is not None:
        recipients = list(
            item.organisation.memberships.filter(role=Role.ADMIN).values_list(
                "user__email", flat=True
            )
        )
    else:
        recipients = []
    if not recipients:
        return 0
    context = {
        "item": item,
        "kind_label": item._meta.verbose_name,
        "event": action.rsplit(".", 1)[-1],
        "reason": reason,
        "url": settings.SITE_URL + item.get_absolute_url(),
        "review_days": settings.MODERATION_REVIEW_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("content/email/status_subject.txt", context).strip()
        body = render_to_string("content/email/status_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)
