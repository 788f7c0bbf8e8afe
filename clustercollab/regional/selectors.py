"""Reads of the regional support view: who supports which area, the organisations of an area and
the step each is at, the messages organisations received, and the monthly summary figures."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clustercollab.core.models import NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import (
    CLUSTER_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Source,
)
from clustercollab.organisations.selectors import (
    Completeness,
    NextStep,
    completeness,
    profile_next_step,
)
from clustercollab.regional.models import RegionalSupporter, SupportMessage

S = ModerationStatus
IN_REGISTRATION = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED)
# Archived profiles are neither public nor registering: supporters do not see them.
SUPPORTER_VISIBLE_STATUSES = (*IN_REGISTRATION, S.PUBLISHED)
PAGE_SIZE = 25
# The profile fields the completeness meter and the next step read, fetched once per page.
_PROFILE_PREFETCH = ["ecosystems", "nace_activities", "emerging_industries", "target_countries"]


def supporters_of_user(user: Any) -> QuerySet[RegionalSupporter]:
    """The supporter roles of the organisations the user is a member of."""
    if not getattr(user, "is_authenticated", False):
        return RegionalSupporter.objects.none()
    return (
        RegionalSupporter.objects.filter(organisation__memberships__user=user)
        .select_related("organisation")
        .prefetch_related("regions", "countries")
        .order_by("organisation__name")
    )


def is_supporter_member(user: Any, supporter: RegionalSupporter) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation_id=supporter.pk).exists()


def supporter_for_viewer(*, pk: int, user: Any) -> RegionalSupporter:
    """Return a supporter its members (or staff) may look through; 404 for everyone else."""
    supporter = (
        RegionalSupporter.objects.select_related("organisation")
        .prefetch_related("regions", "countries")
        .filter(pk=pk)
        .first()
    )
    if supporter is None:
        raise Http404
    if getattr(user, "is_staff", False) or is_supporter_member(user, supporter):
        return supporter
    raise Http404


def area_filter(supporter: RegionalSupporter) -> Q:
    """Organisations of the supporter's countries or located in (or below) its NUTS regions.

    NUTS codes nest by prefix (FI1D ⊃ FI1D9), so a region of any level is one prefix match.
    """
    area = Q(pk__in=[])
    countries = [country.code for country in supporter.countries.all()]
    if countries:
        area |= Q(country_id__in=countries)
    for region in supporter.regions.all():
        area |= Q(nuts_region__code__startswith=region.code)
    return area


def organisations_of_area(supporter: RegionalSupporter) -> QuerySet[Organisation]:
    """Every organisation of the area that supporters may see: published or registering."""
    return Organisation.objects.filter(area_filter(supporter)).filter(
        status__in=SUPPORTER_VISIBLE_STATUSES
    )


def organisation_of_area(*, supporter: RegionalSupporter, pk: int) -> Organisation:
    """Return one organisation of the supporter's area; 404 for any other."""
    organisation = (
        organisations_of_area(supporter)
        .select_related("country", "nuts_region")
        .prefetch_related(*_PROFILE_PREFETCH)
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


KIND_ALL = "all"
STATUS_REGISTRATION = "registration"
SORTS = {
    "name": ["name", "pk"],
    "newest": ["-created_at", "-pk"],
    "stalest": ["updated_at", "pk"],
}


class AreaFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Published and in registration")),
            (STATUS_REGISTRATION, gettext_lazy("In registration (not public yet)")),
            *[(s.value, s.label) for s in SUPPORTER_VISIBLE_STATUSES],
        ],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"),
        required=False,
        choices=[
            ("", gettext_lazy("Clusters and cluster networks")),
            (KIND_ALL, gettext_lazy("All kinds")),
            *OrganisationKind.choices,
        ],
    )
    region = forms.CharField(label=gettext_lazy("NUTS region"), required=False, max_length=5)
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[
            ("name", gettext_lazy("Name")),
            ("newest", gettext_lazy("Newest registration first")),
            ("stalest", gettext_lazy("Longest without a change first")),
        ],
    )

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip().upper()
        if code and not NutsRegion.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no NUTS region with the code “%(code)s”.") % {"code": code}
            )
        return code


def filter_area_organisations(
    supporter: RegionalSupporter, params: Any
) -> tuple[AreaFilterForm, QuerySet[Organisation]]:
    """Apply the list's filters; an invalid one is reported by the form and left out."""
    form = AreaFilterForm(params)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    organisations = organisations_of_area(supporter)
    kind = cleaned.get("kind") or ""
    if kind == "":
        organisations = organisations.filter(kind__in=CLUSTER_KINDS)
    elif kind != KIND_ALL:
        organisations = organisations.filter(kind=kind)
    status = cleaned.get("status") or ""
    if status == STATUS_REGISTRATION:
        organisations = organisations.filter(status__in=IN_REGISTRATION)
    elif status:
        organisations = organisations.filter(status=status)
    if cleaned.get("region"):
        organisations = organisations.filter(nuts_region__code__startswith=cleaned["region"])
    if cleaned.get("q"):
        query = cleaned["q"].strip()
        organisations = organisations.filter(Q(name__icontains=query) | Q(acronym__iexact=query))
    order = SORTS.get(cleaned.get("sort") or "name", SORTS["name"])
    return form, organisations.select_related("country", "nuts_region").order_by(*order)


@dataclass(frozen=True)
class RegistrationRow:
    organisation: Organisation
    step: NextStep | None
    completeness: Completeness


def registration_row(organisation: Organisation) -> RegistrationRow:
    """The step an organisation is at, as its own members see it, and how complete it is."""
    return RegistrationRow(
        organisation=organisation,
        step=profile_next_step(organisation),
        completeness=completeness(organisation),
    )


def registration_rows(organisations: Iterable[Organisation]) -> list[RegistrationRow]:
    return [registration_row(organisation) for organisation in organisations]


def with_profile_fields(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.prefetch_related(*_PROFILE_PREFETCH)


CSV_BATCH = 500


def area_csv_lines(organisations: QuerySet[Organisation], *, site_url: str = "") -> Iterator[str]:
    """Yield the CSV of a filtered area list, header first: one row per organisation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("id"),
            _("name"),
            _("kind of organisation"),
            _("country"),
            _("NUTS region"),
            _("city"),
            _("status"),
            _("registration step"),
            _("complete (%)"),
            _("missing"),
            _("registered"),
            _("last change"),
            _("profile"),
        ]
    )
    yield buffer.getvalue()
    for organisation in with_profile_fields(organisations).iterator(chunk_size=CSV_BATCH):
        row = registration_row(organisation)
        buffer = io.StringIO()
        csv.writer(buffer).writerow(
            [
                organisation.pk,
                organisation.name,
                organisation.get_kind_display(),
                organisation.country_id,
                organisation.nuts_region_id or "",
                organisation.city,
                organisation.get_status_display(),
                row.step.title if row.step else _("Public."),
                row.completeness.percent,
                "; ".join(str(label) for label in row.completeness.missing),
                organisation.created_at.date().isoformat(),
                organisation.updated_at.date().isoformat(),
                site_url + organisation.get_absolute_url() if organisation.is_public else "",
            ]
        )
        yield buffer.getvalue()


def messages_of_supporter_to(
    supporter: RegionalSupporter, organisation: Organisation
) -> QuerySet[SupportMessage]:
    sent = SupportMessage.objects.filter(supporter=supporter, recipient=organisation)
    return sent.select_related("author")


def messages_received_by_user(user: Any) -> QuerySet[SupportMessage]:
    """The support messages sent to any organisation the user is a member of, newest first."""
    if not getattr(user, "is_authenticated", False):
        return SupportMessage.objects.none()
    return SupportMessage.objects.filter(recipient__memberships__user=user).select_related(
        "supporter__organisation", "recipient"
    )


# --- the monthly summary ------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next one, in the site's time zone."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=zone),
        datetime.combine(following, datetime.min.time(), tzinfo=zone),
    )


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class MonthlySummary:
    month: date
    new_registrations: list[Organisation]
    published: list[Organisation]
    stuck: list[Organisation]

    @property
    def is_empty(self) -> bool:
        return not (self.new_registrations or self.published or self.stuck)

    def figures(self) -> dict:
        return {
            "new_registrations": [o.pk for o in self.new_registrations],
            "published": [o.pk for o in self.published],
            "stuck": [o.pk for o in self.stuck],
        }


def monthly_summary(supporter: RegionalSupporter, month: date) -> MonthlySummary:
    """The clusters of the area registered on the platform and published during the month, and
    those whose registration has not moved for REGIONAL_STUCK_DAYS at the month's end."""
    start, end = month_bounds(month)
    clusters = (
        organisations_of_area(supporter)
        .filter(kind__in=CLUSTER_KINDS, source=Source.REGISTERED)
        .select_related("country")
        .order_by("name", "pk")
    )
    stuck_since = end - timedelta(days=settings.REGIONAL_STUCK_DAYS)
    return MonthlySummary(
        month=start.date(),
        new_registrations=list(clusters.filter(created_at__gte=start, created_at__lt=end)),
        published=list(
            clusters.filter(status=S.PUBLISHED, published_at__gte=start, published_at__lt=end)
        ),
        stuck=list(
            clusters.filter(
                status__in=[S.DRAFT, S.CHANGES_REQUESTED],
                created_at__lt=end,
                updated_at__lt=stuck_since,
            )
        ),
    )
