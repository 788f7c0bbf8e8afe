"""Background jobs of the content app: thin wrappers that load by id and send."""

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from clustercollab.organisations.models import Role


@task()
def send_content_status_email(
    *, item_id: int, action: str, reason: str = "", kind: str = "", model_label: str = ""
) -> int:
    """E-mail the poster (else the organisation's admins) about a moderation step.

    The item is named by its model's label (``content.news``, also other apps' ContentItem
    models) or, as before, by its content kind. Returns how many e-mails were sent.
    """
    from clustercollab.content.selectors import CONTENT_KINDS

    model = apps.get_model(model_label) if model_label else CONTENT_KINDS.get(kind)
    item = model.objects.select_related("author", "organisation").filter(pk=item_id).first()
    if item is None:
        return 0
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
