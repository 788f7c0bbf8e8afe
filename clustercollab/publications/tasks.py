"""Background jobs: the poster's e-mail about a moderation step (the content app's text)."""

from django_tasks import task

from clustercollab.content.tasks import email_poster_about_status


@task()
def send_library_status_email(*, kind: str, item_id: int, action: str, reason: str = "") -> int:
    """E-mail the poster (else the organisation's admins) about a moderation step.

    Returns how many e-mails were sent.
    """
    from clustercollab.publications.selectors import LIBRARY_KINDS

    model = LIBRARY_KINDS.get(kind)
    item = model.objects.select_related("author", "organisation").filter(pk=item_id).first()
    if item is None:
        return 0
    return email_poster_about_status(item, action=action, reason=reason)
