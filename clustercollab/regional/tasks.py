"""Background e-mails of the regional support view: thin wrappers that load by id and send."""

from datetime import date

from django_tasks import task


@task()
def send_support_message_email(*, message_id: int) -> int:
    from clustercollab.regional.models import SupportMessage
    from clustercollab.regional.services import support_message_email

    message = (
        SupportMessage.objects.select_related("supporter__organisation", "recipient", "author")
        .filter(pk=message_id)
        .first()
    )
    return support_message_email(message) if message is not None else 0


@task()
def send_regional_summary(*, supporter_id: int, month: str) -> bool:
    from clustercollab.regional.models import RegionalSupporter
    from clustercollab.regional.services import summary_send

    supporter = RegionalSupporter.objects.select_related("organisation").filter(pk=supporter_id)
    supporter = supporter.first()
    if supporter is None:
        return False
    return summary_send(supporter=supporter, month=date.fromisoformat(month))
