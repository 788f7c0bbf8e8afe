"""Writes of the regional support view: granting the role, support messages, monthly summaries."""

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.models import Country, NutsRegion
from clustercollab.organisations.models import Organisation, Role
from clustercollab.regional import selectors
from clustercollab.regional.models import (
    MessageKind,
    RegionalSupporter,
    SummarySent,
    SupportMessage,
)


def _require_staff(actor: Any) -> None:
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can do this."))


def parse_area_codes(text: str) -> tuple[list[Country], list[NutsRegion]]:
    """Turn "FI1D, SE" into countries and NUTS regions; raise for any code that exists in neither.

    A two-letter code is a country (ISO 3166) when one exists, otherwise a NUTS region.
    """
    codes = list(dict.fromkeys(code for code in re.split(r"[\s,;]+", text.upper()) if code))
    if not codes:
        raise ValidationError(
            {"codes": _("Give at least one NUTS region or country code, e.g. FI1D or SE.")}
        )
    countries = {c.code: c for c in Country.objects.filter(code__in=codes)}
    regions = {r.code: r for r in NutsRegion.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in countries and code not in regions]
    if unknown:
        raise ValidationError(
            {
                "codes": _(
                    "There is no NUTS region or country with the code %(codes)s. Use NUTS 2024 "
                    "codes (e.g. FI1D) or ISO country codes (e.g. FI)."
                )
                % {"codes": ", ".join(f"“{code}”" for code in unknown)}
            }
        )
    chosen_countries = [countries[code] for code in codes if code in countries]
    chosen_regions = [regions[code] for code in codes if code not in countries]
    return chosen_countries, chosen_regions


@transaction.atomic
def supporter_grant(*, organisation: Organisation, codes: str, actor: Any) -> RegionalSupporter:
    """Make the organisation a regional supporter of exactly these areas (staff only).

    Granting it again replaces its areas. Nothing is saved when a code is unknown.
    """
    _require_staff(actor)
    countries, regions = parse_area_codes(codes)
    supporter, created = RegionalSupporter.objects.get_or_create(
        organisation=organisation, defaults={"granted_by": actor}
    )
    supporter.countries.set(countries)
    supporter.regions.set(regions)
    supporter.save(update_fields=["updated_at"])
    area = [c.code for c in countries] + [r.code for r in regions]
    audit_log(
        actor=actor,
        action="regional.supporter.granted" if created else "regional.supporter.changed",
        target=organisation,
        data={"area": area},
    )
    return supporter


@transaction.atomic
def supporter_revoke(*, supporter: RegionalSupporter, actor: Any) -> None:
    _require_staff(actor)
    organisation = supporter.organisation
    area = supporter.area_codes
    supporter.delete()
    audit_log(
        actor=actor, action="regional.supporter.revoked", target=organisation, data={"area": area}
    )


def _check_rate_limits(
    *, supporter: RegionalSupporter, recipient: Organisation, actor: Any
) -> None:
    """Refuse a message past the daily limit per person or the weekly limit per organisation.

    The user's row is locked so that two messages sent at the same moment are counted in turn.
    """
    if not settings.REGIONAL_RATE_LIMITS:
        return
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    now = timezone.now()
    per_day = settings.REGIONAL_MESSAGES_PER_DAY
    sent_today = SupportMessage.objects.filter(author=actor, created_at__gt=now - timedelta(days=1))
    if sent_today.count() >= per_day:
        raise ValidationError(
            _("You can send at most %(n)d messages a day. Please try again tomorrow.")
            % {"n": per_day}
        )
    per_week = settings.REGIONAL_MESSAGES_PER_ORGANISATION_PER_WEEK
    sent_to_recipient = SupportMessage.objects.filter(
        supporter=supporter, recipient=recipient, created_at__gt=now - timedelta(days=7)
    ).count()
    if sent_to_recipient >= per_week:
        raise ValidationError(
            _(
                "%(name)s already received %(n)d messages from your organisation this week. "
                "Please wait before writing again."
            )
            % {"name": recipient.name, "n": sent_to_recipient}
        )


@transaction.atomic
def support_message_send(
    *,
    supporter: RegionalSupporter,
    recipient: Organisation,
    actor: Any,
    kind: str,
    body: str,
) -> SupportMessage:
    """Send a reminder or an offer of help from a supporter to an organisation of its area.

    Only the supporter's members may send; the recipient must be in the area and published or
    registering. The message is shown to the recipient's members and e-mailed to its admins.
    """
    if not selectors.is_supporter_member(actor, supporter):
        raise PermissionDenied(_("Only members of the supporting organisation can do this."))
    if not selectors.organisations_of_area(supporter).filter(pk=recipient.pk).exists():
        raise PermissionDenied(_("This organisation is not in your regions."))
    if recipient.pk == supporter.pk:
        raise ValidationError(_("Choose another organisation than your own."))
    if kind not in MessageKind.values:
        raise ValidationError({"kind": _("Choose a reminder or an offer of help.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    _check_rate_limits(supporter=supporter, recipient=recipient, actor=actor)
    message = SupportMessage(
        supporter=supporter, recipient=recipient, author=actor, kind=kind, body=body
    )
    message.full_clean()
    message.save()
    audit_log(
        actor=actor,
        action="regional.message.sent",
        target=recipient,
        data={"message": message.pk, "kind": kind, "supporter": supporter.pk},
    )
    from clustercollab.regional import tasks

    transaction.on_commit(lambda: tasks.send_support_message_email.enqueue(message_id=message.pk))
    return message


def _emails_of(organisation: Organisation, roles: list[str]) -> list[str]:
    return sorted(
        set(
            organisation.memberships.filter(role__in=roles, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"regional/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"regional/email/{template}_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)


def support_message_email(message: SupportMessage) -> int:
    """E-mail a support message to the recipient's admins; return how many were written to."""
    context = {
        "message": message,
        "url": settings.SITE_URL + reverse("regional:inbox"),
    }
    return _send("message", context, _emails_of(message.recipient, [Role.ADMIN]))


def summary_send(*, supporter: RegionalSupporter, month: date) -> bool:
    """E-mail the month's summary to the supporter's members, once per supporter and month.

    Return whether it was sent now. A second call for the same month sends nothing, also when
    two run at once (the unique row is written in the same transaction as the e-mail is sent).
    """
    month = month.replace(day=1)
    try:
        with transaction.atomic():
            record, created = SummarySent.objects.select_for_update().get_or_create(
                supporter=supporter, month=month
            )
            if not created:
                return False
            summary = selectors.monthly_summary(supporter, month)
            recipients = _emails_of(supporter.organisation, [Role.ADMIN, Role.EDITOR])
            context = {
                "supporter": supporter,
                "summary": summary,
                "site_url": settings.SITE_URL,
            }
            record.recipients = _send("summary", context, recipients)
            record.figures = summary.figures()
            record.save(update_fields=["recipients", "figures"])
    except IntegrityError:
        return False
    return True
