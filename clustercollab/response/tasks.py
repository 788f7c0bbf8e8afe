"""Background e-mails of the response portals: thin wrappers that load by id and send."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from clustercollab.organisations.models import Organisation, Role

URGENT_WITHIN_DAYS = 7


def _member_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role__in=[Role.ADMIN, Role.EDITOR]).values_list(
            "user__email", flat=True
        )
    )


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"response/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"response/email/{template}_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)


@task()
def send_match_email(*, match_id: int, event: str) -> int:
    """Tell both organisations that a match was confirmed, declined or withdrawn.

    A proposal and the messages about it reach the other side through the contact thread.
    """
    from clustercollab.response.models import SupplyMatch

    match = (
        SupplyMatch.objects.select_related(
            "offer__organisation", "request__organisation", "offer__portal", "proposed_by"
        )
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        return 0
    organisations = [match.offer.organisation, match.request.organisation]
    recipients = sorted({email for org in organisations for email in _member_emails(org)})
    context = {"match": match, "event": event, "url": settings.SITE_URL + match.get_absolute_url()}
    return _send("match", context, recipients)


@task()
def send_comment_email(*, comment_id: int) -> int:
    """E-mail the followers of a forum post (except the commenter) about a new comment."""
    from clustercollab.response.models import ForumComment

    comment = (
        ForumComment.objects.select_related("post__portal", "organisation", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    recipients = list(
        comment.post.follows.exclude(user=comment.author).values_list("user__email", flat=True)
    )
    context = {"comment": comment, "url": settings.SITE_URL + comment.post.get_absolute_url()}
    return _send("comment", context, recipients)


@task()
def send_forum_status_email(*, post_id: int, action: str) -> int:
    from clustercollab.response.models import ForumPost

    post = ForumPost.objects.select_related("author", "portal").filter(pk=post_id).first()
    if post is None or post.author is None:
        return 0
    context = {
        "post": post,
        "event": action.rsplit(".", 1)[-1],
        "url": settings.SITE_URL + post.get_absolute_url(),
    }
    return _send("forum_status", context, [post.author.email])


@task()
def send_urgent_requests_summary(*, today: str | None = None) -> int:
    """The daily summary for staff: requests needed within a week that are still not covered."""
    from clustercollab.response.selectors import urgent_unmatched_requests

    day = date.fromisoformat(today) if today else timezone.localdate()
    requests = list(urgent_unmatched_requests(today=day, within=timedelta(days=URGENT_WITHIN_DAYS)))
    if not requests:
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .values_list("email", flat=True)
    )
    context = {"requests": requests, "today": day, "site_url": settings.SITE_URL}
    return _send("urgent_summary", context, recipients)
