"""Reads on organisation profiles: visibility, completeness, validation checks, queues."""

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import (
    CLUSTER_KINDS,
    Invitation,
    Membership,
    Organisation,
    Role,
)

if TYPE_CHECKING:
    from clustercollab.organisations.taxonomies import DirectoryTaxonomies

HOME_COUNTS_CACHE_KEY = "organisations:home-counts"

# Validation criteria for cluster organisations (waived for programme-recognised clusters).
MIN_MEMBERS = 15
MIN_MEMBER_TYPES = 2
MIN_MANAGEMENT_FTE = 0.5


def user_role(*, user: Any, organisation: Organisation) -> str | None:
    """Return the user's role in the organisation, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def organisation_for_viewer(*, pk: int, user: Any) -> tuple[Organisation, str | None]:
    """Return a profile and the viewer's role; 404 unless it is public or the viewer may see it.

    Members and staff see a profile in every status; everyone else only published ones.
    """
    organisation = (
        Organisation.objects.select_related("country", "nuts_region", "nuts_region__parent")
        .prefetch_related(
            "ecosystems", "nace_activities", "emerging_industries", "target_countries"
        )
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    role = user_role(user=user, organisation=organisation)
    if organisation.is_public or role is not None or getattr(user, "is_staff", False):
        return organisation, role
    raise Http404


def organisation_for_member(
    *, pk: int, user: Any, admin_only: bool = False
) -> tuple[Organisation, str]:
    """Return a profile the user is a member of (an admin of, if asked), else 404."""
    organisation = Organisation.objects.select_related("country").filter(pk=pk).first()
    role = user_role(user=user, organisation=organisation) if organisation else None
    if role is None or (admin_only and role != Role.ADMIN):
        raise Http404
    return organisation, role


def memberships_of_user(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__country")
        .order_by("organisation__name")
    )


def open_invitations_for_email(email: str) -> QuerySet[Invitation]:
    return (
        Invitation.objects.open()
        .filter(email__iexact=email)
        .select_related("organisation", "invited_by")
    )


def unanswered_invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    """Return invitations neither accepted nor withdrawn, expired ones included."""
    return organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__email")


def _filled(organisation: Organisation, field: str) -> bool:
    if field in {"ecosystems", "nace_activities", "emerging_industries", "target_countries"}:
        return getattr(organisation, field).exists() if organisation.pk else False
    if field == "coordinates":
        return organisation.latitude is not None and organisation.longitude is not None
    if field == "member_counts":
        return organisation.total_members > 0
    value = getattr(organisation, field)
    return value not in (None, "", [], {})


def _completeness_fields(organisation: Organisation) -> list[tuple[str, str]]:
    fields = [
        ("about", _("about us")),
        ("website", _("website")),
        ("logo", _("logo")),
        ("city", _("city")),
        ("coordinates", _("location on the map")),
        ("contact_email", _("contact e-mail")),
        ("contact_name", _("contact person")),
        ("languages", _("languages spoken")),
        ("ecosystems", _("industrial ecosystems")),
        ("nace_activities", _("NACE sectors")),
        ("keywords", _("technology keywords")),
        ("offers", _("what you offer")),
        ("seeks", _("what you seek")),
        ("target_countries", _("target countries")),
        ("legal_form", _("legal form")),
        ("established_on", _("date of establishment")),
    ]
    if organisation.kind in CLUSTER_KINDS:
        fields += [
            ("member_counts", _("members by type")),
            ("management_fte", _("cluster-management staff")),
            ("emerging_industries", _("emerging industries")),
        ]
    return fields


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]


def completeness(organisation: Organisation) -> Completeness:
    """Return how complete a profile is (percent) and the labels of what is missing."""
    fields = _completeness_fields(organisation)
    missing = [label for field, label in fields if not _filled(organisation, field)]
    percent = round(100 * (len(fields) - len(missing)) / len(fields))
    return Completeness(percent=percent, missing=missing)


SUBMISSION_REQUIRED = ["about", "city", "contact_email", "ecosystems"]


def submission_problems(organisation: Organisation) -> list[str]:
    """Return the labels of required fields still empty; an empty list means it may be submitted."""
    labels = {
        "about": _("about us"),
        "city": _("city"),
        "contact_email": _("contact e-mail"),
        "ecosystems": _("at least one industrial ecosystem"),
    }
    return [labels[field] for field in SUBMISSION_REQUIRED if not _filled(organisation, field)]


@dataclass(frozen=True)
class Criterion:
    label: str
    passed: bool
    detail: str


def validation_criteria(organisation: Organisation) -> tuple[list[Criterion], bool]:
    """Return the automatic validation checks and whether they are waived.

    Clusters recognised by a national or regional cluster programme are exempt.
    """
    fte = organisation.management_fte
    criteria = [
        Criterion(
            _("At least %(n)s members") % {"n": MIN_MEMBERS},
            organisation.total_members >= MIN_MEMBERS,
            _("%(n)s members") % {"n": organisation.total_members},
        ),
        Criterion(
            _("At least %(n)s member types") % {"n": MIN_MEMBER_TYPES},
            organisation.member_type_count >= MIN_MEMBER_TYPES,
            _("%(n)s types") % {"n": organisation.member_type_count},
        ),
        Criterion(
            _("At least %(n)s FTE cluster management") % {"n": MIN_MANAGEMENT_FTE},
            fte is not None and float(fte) >= MIN_MANAGEMENT_FTE,
            _("%(n)s FTE") % {"n": fte if fte is not None else "—"},
        ),
        Criterion(_("Has a website"), bool(organisation.website), organisation.website or "—"),
    ]
    if organisation.kind not in CLUSTER_KINDS:
        criteria = criteria[-1:]
    return criteria, bool(organisation.programme_recognition)


_LEGAL_SUFFIXES = re.compile(
    r"\b(gmbh|ev|e v|asbl|vzw|sl|sa|sas|srl|ry|oy|ab|as|aps|ltd|limited|bv|ag|zs|zrt|kft|"
    r"spa|sp z o o|z s|o p s|ug|cluster|klaster|klastr|association)\b"
)


def _normalised_name(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_name)
    return re.sub(r"\s+", " ", _LEGAL_SUFFIXES.sub(" ", words)).strip()


def _distinctive_words(name: str) -> set[str]:
    words = re.split(r"[\W_]+", name.lower())
    return {w for w in words if len(w) >= 4 and not _LEGAL_SUFFIXES.fullmatch(w)}


def website_domain(url: str) -> str:
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


@dataclass(frozen=True)
class PossibleDuplicate:
    organisation: Organisation
    reason: str


def possible_duplicates(organisation: Organisation, *, limit: int = 5) -> list[PossibleDuplicate]:
    """Return other profiles that may be the same organisation, each with why it was flagged.

    Same website domain, or the same country and a similar name (normalised, ratio ≥ 0.85) or
    the same acronym.
    """
    others = Organisation.objects.exclude(pk=organisation.pk).select_related("country")
    found: dict[int, PossibleDuplicate] = {}
    domain = website_domain(organisation.website) if organisation.website else ""
    if domain:
        for other in others.filter(website__icontains=domain)[:50]:
            if website_domain(other.website) == domain:
                reason = _("same website domain (%(domain)s)") % {"domain": domain}
                found[other.pk] = PossibleDuplicate(other, reason)
    name = _normalised_name(organisation.name)
    acronym = organisation.acronym.lower()
    # Only profiles sharing a distinctive word (or the acronym) can reach the similarity bar,
    # so the database narrows the candidates before difflib compares names.
    words = sorted(_distinctive_words(organisation.name), key=len, reverse=True)[:3]
    shares_a_word = Q()
    for word in words:
        shares_a_word |= Q(name__icontains=word)
    if acronym:
        shares_a_word |= Q(acronym__iexact=acronym)
    if name and shares_a_word:
        candidates = others.filter(shares_a_word, country=organisation.country_id).only(
            "pk", "name", "acronym", "status", "country", "slug"
        )
        for other in candidates[:500]:
            if other.pk in found:
                continue
            similarity = difflib.SequenceMatcher(None, name, _normalised_name(other.name)).ratio()
            if similarity >= 0.85:
                reason = _("similar name in the same country (%(percent)d%% alike)") % {
                    "percent": round(similarity * 100)
                }
                found[other.pk] = PossibleDuplicate(other, reason)
            elif acronym and other.acronym.lower() == acronym:
                found[other.pk] = PossibleDuplicate(other, _("same acronym in the same country"))
            if len(found) >= limit:
                break
    return list(found.values())[:limit]


def moderation_queue() -> QuerySet[Organisation]:
    """Return profiles waiting for staff, oldest submission first."""
    return (
        Organisation.objects.filter(status=ModerationStatus.SUBMITTED)
        .select_related("country")
        .order_by("submitted_at", "pk")
    )


def edited_published_profiles() -> QuerySet[Organisation]:
    """Return public profiles whose edits staff have not looked at yet, oldest first."""
    return (
        Organisation.objects.filter(status=ModerationStatus.PUBLISHED)
        .exclude(unreviewed_changes=[])
        .select_related("country")
        .order_by("updated_at")
    )


def home_page_figures() -> dict:
    """Return the live counts (cached for a minute) and the latest profiles for the home page."""
    published = Organisation.objects.published()
    counts = cache.get(HOME_COUNTS_CACHE_KEY)
    if counts is None:
        counts = published.aggregate(
            clusters=Count("pk", filter=Q(kind__in=CLUSTER_KINDS)),
            organisations=Count("pk"),
            countries=Count("country", distinct=True),
        )
        cache.set(HOME_COUNTS_CACHE_KEY, counts, timeout=60)
    latest = published.select_related("country").order_by("-published_at", "-pk")[:6]
    latest_clusters = (
        published.clusters().select_related("country").order_by("-published_at", "-pk")[:6]
    )
    return {"counts": counts, "latest": latest, "latest_clusters": latest_clusters}


@dataclass(frozen=True)
class NextStep:
    level: str  # info, warning, success
    title: str
    text: str


def profile_next_step(organisation: Organisation) -> NextStep | None:
    """Tell a member why their profile is not visible and what to do next."""
    status = organisation.status
    S = ModerationStatus
    if status == S.DRAFT:
        problems = submission_problems(organisation)
        if problems:
            todo = _("Fill in %(fields)s, then press “Submit for validation”.") % {
                "fields": ", ".join(problems)
            }
        else:
            todo = _("Everything required is filled in: press “Submit for validation”.")
        return NextStep(
            "warning", _("This profile is a draft and not visible to the public."), todo
        )
    if status == S.SUBMITTED:
        due = organisation.review_due_at
        if due is None:  # submitted outside the moderation flow (e.g. set in the admin)
            todo = _(
                "Platform staff check every new profile. You will get an e-mail. You can keep "
                "editing meanwhile."
            )
        else:
            todo = _(
                "Platform staff check every new profile and decide by %(date)s. You will get an "
                "e-mail. You can keep editing meanwhile."
            ) % {"date": date_format(due)}
        return NextStep("info", _("Submitted for validation — not public yet."), todo)
    if status == S.CHANGES_REQUESTED:
        return NextStep(
            "warning",
            _("Staff asked for changes — not public yet."),
            _("Reason: “%(reason)s”. Edit the profile, then press “Resubmit for validation”.")
            % {"reason": organisation.moderation_reason},
        )
    if status == S.ARCHIVED:
        return NextStep(
            "warning",
            _("This profile is archived and not public."),
            _("Contact platform staff if it should be public again."),
        )
    return None


# --- the directory ------------------------------------------------------------------------------

DIRECTORY_PAGE_SIZE = 20
# What a result card shows (directory.html); its country, region and ecosystems come from the
# taxonomy lookups.
DIRECTORY_CARD_COLUMNS = ["id", "name", "acronym", "slug", "kind", "city", "country", "nuts_region"]
DIRECTORY_MAX_PAGE_SIZE = 100


def directory_rows(
    ids: list[int], *, columns: list[str], taxonomies: "DirectoryTaxonomies", using: str = "default"
) -> dict[int, Organisation]:
    """The published profiles with ``ids`` by id, only ``columns`` read (others load if touched).

    Their country, NUTS region and ecosystems are there without a query: the first two taken
    from the taxonomy lookups, the ecosystems as if prefetched (``ecosystems.all()`` in the
    taxonomy's order), from one read of the links. Two queries, whatever the number of rows.
    """
    fields = [
        field
        for field in Organisation._meta.concrete_fields
        if field.name in columns or field.attname in columns or field.primary_key
    ]
    names = [field.attname for field in fields]
    rows = {
        organisation.pk: organisation
        for organisation in (
            Organisation.from_db(using, names, values)
            for values in Organisation.objects.using(using)
            .filter(pk__in=ids, status=ModerationStatus.PUBLISHED)
            .order_by()
            .values_list(*names)
        )
    }
    if not rows:
        return rows
    through = Organisation.ecosystems.through._meta.db_table
    links: dict[int, set[int]] = {pk: set() for pk in rows}
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT organisation_id, industrialecosystem_id FROM {through} "
            f"WHERE organisation_id IN ({', '.join(['%s'] * len(rows))})",
            list(rows),
        )
        for organisation_id, ecosystem_id in cursor.fetchall():
            links[organisation_id].add(ecosystem_id)
    country_field = Organisation._meta.get_field("country")
    region_field = Organisation._meta.get_field("nuts_region")
    for pk, organisation in rows.items():
        if "country_id" in names and organisation.country_id in taxonomies.countries.rows:
            country_field.set_cached_value(
                organisation, taxonomies.countries.rows[organisation.country_id]
            )
        if "nuts_region_id" in names and organisation.nuts_region_id in taxonomies.regions.rows:
            region_field.set_cached_value(
                organisation, taxonomies.regions.rows[organisation.nuts_region_id]
            )
        # What prefetch_related leaves behind: the relation's queryset with its rows in place.
        ecosystems = organisation.ecosystems.all()
        ecosystems._result_cache = [
            ecosystem
            for ecosystem_id, ecosystem in taxonomies.ecosystems_by_id.items()
            if ecosystem_id in links[pk]
        ]
        ecosystems._prefetch_done = True
        organisation._prefetched_objects_cache = {"ecosystems": ecosystems}
    return rows


class DirectoryPageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=DIRECTORY_MAX_PAGE_SIZE, required=False)


@dataclass
class DirectoryResults:
    filterset: Any
    page: Page
    total: int
    facets: list
    notices: list[str]


def _form_notices(form: forms.Form) -> list[str]:
    notices = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        value = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
        shown = ", ".join(str(v) for v in value if v not in (None, ""))
        notices.append(
            _("%(label)s “%(value)s” was ignored: %(errors)s")
            % {"label": label, "value": shown, "errors": " ".join(errors)}
        )
    return notices


def directory_results(
    params: QueryDict, *, with_facets: bool = True, stamp: int | None = None
) -> DirectoryResults:
    """Run one directory query (the page's URL parameters): results, one page, facet counts.

    Invalid parameters never fail: each becomes a notice saying it was ignored, and the valid
    ones still apply; a page past the end shows the last page with a notice. The directory's
    in-memory index (directory_index.py) answers the total, the facets and the order; only the
    page's rows are read from the database. ``stamp``: the directory stamp, if just read.
    """
    from clustercollab.organisations.directory_index import RowsByIds, indexed_query
    from clustercollab.organisations.facets import directory_facets
    from clustercollab.organisations.filters import OrganisationFilterSet

    filterset = OrganisationFilterSet(params, stamp=stamp)
    notices = [] if filterset.is_valid() else _form_notices(filterset.form)
    paging = DirectoryPageForm(params)
    if not paging.is_valid():
        notices += _form_notices(paging)
    cleaned = getattr(paging, "cleaned_data", {})
    size = cleaned.get("page_size") or DIRECTORY_PAGE_SIZE
    number = cleaned.get("page") or 1

    using = filterset.queryset.db
    query = indexed_query(filterset, using=using, stamp=filterset.stamp)
    facets = directory_facets(filterset, query) if with_facets else []
    rows = RowsByIds(
        query.ids_in_order(),
        partial(
            directory_rows,
            columns=DIRECTORY_CARD_COLUMNS,
            taxonomies=filterset.taxonomies(),
            using=using,
        ),
    )
    paginator = Paginator(rows, size)
    if number > paginator.num_pages:
        if paginator.count:
            notices.append(
                _("There is no page %(number)s; this is the last page, %(last)s.")
                % {"number": number, "last": paginator.num_pages}
            )
        number = paginator.num_pages
    page = paginator.page(number)
    return DirectoryResults(
        filterset=filterset,
        page=page,
        total=query.total,
        facets=facets,
        notices=notices,
    )


MAP_MAX_POINTS = 50_000


def directory_geojson(query: Any) -> dict:
    """Return the map of a directory result set (an IndexedQuery): points, counts by country.

    A profile without coordinates is placed at a point inside its NUTS region; one with neither
    is counted (total, countries) but not drawn. At most MAP_MAX_POINTS points are sent.
    """
    ids = query.index.ids[query.mask_without()]
    rows = _rows_of(
        ids,
        "pk",
        "name",
        "kind",
        "latitude",
        "longitude",
        "nuts_region__inside_lat",
        "nuts_region__inside_lon",
    )
    features = []
    for pk, name, kind, lat, lon, region_lat, region_lon in rows:
        if lat is None or lon is None:
            lat, lon = region_lat, region_lon
        if lat is None or lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {"id": pk, "name": name, "kind": kind},
            }
        )
        if len(features) >= MAP_MAX_POINTS:
            break
    countries = query.result_countries()
    return {
        "type": "FeatureCollection",
        "features": features,
        "total": sum(countries.values()),
        "countries": countries,
        "truncated": len(features) >= MAP_MAX_POINTS,
    }


ROWS_BY_ID_BATCH = 5000


def _rows_of(ids: Any, *columns: str) -> Iterator[tuple]:
    """Yield ``columns`` of the published profiles with ``ids`` (ascending), in batches."""
    published = Organisation.objects.filter(status=ModerationStatus.PUBLISHED).order_by("pk")
    for start in range(0, len(ids), ROWS_BY_ID_BATCH):
        batch = [int(pk) for pk in ids[start : start + ROWS_BY_ID_BATCH]]
        yield from published.filter(pk__in=batch).values_list(*columns)


CSV_COLUMNS = [
    ("id", _("id")),
    ("name", _("name")),
    ("acronym", _("acronym")),
    ("kind", _("kind of organisation")),
    ("country", _("country")),
    ("nuts_region", _("NUTS region")),
    ("city", _("city")),
    ("website", _("website")),
    ("ecosystems", _("industrial ecosystems")),
    ("keywords", _("technology keywords")),
    ("members", _("members")),
    ("label", _("cluster-excellence label")),
    ("profile", _("profile")),
]
CSV_BATCH = 2000


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def directory_csv_lines(ids: Any, *, site_url: str = "") -> Iterator[str]:
    """Yield the CSV export of the profiles with ``ids`` (in that order), header first.

    Published profiles only (the directory index holds no others; checked again here).
    """
    from clustercollab.core.models import IndustrialEcosystem

    yield _csv_line([str(label) for _key, label in CSV_COLUMNS])
    ecosystems = {e.pk: str(e) for e in IndustrialEcosystem.objects.all()}
    through = Organisation.ecosystems.through
    ids = [int(pk) for pk in ids]
    for start in range(0, len(ids), CSV_BATCH):
        batch = ids[start : start + CSV_BATCH]
        links: dict[int, list[str]] = {}
        for organisation_id, ecosystem_id in through.objects.filter(
            organisation_id__in=batch
        ).values_list("organisation_id", "industrialecosystem_id"):
            links.setdefault(organisation_id, []).append(ecosystems[ecosystem_id])
        rows = Organisation.objects.filter(
            pk__in=batch, status=ModerationStatus.PUBLISHED
        ).in_bulk()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for pk in batch:
            organisation = rows.get(pk)
            if organisation is None:
                continue
            writer.writerow(
                [
                    pk,
                    organisation.name,
                    organisation.acronym,
                    organisation.get_kind_display(),
                    organisation.country_id,
                    organisation.nuts_region_id or "",
                    organisation.city,
                    organisation.website,
                    "; ".join(sorted(links.get(pk, []))),
                    "; ".join(str(k) for k in organisation.keywords or []),
                    organisation.member_total or "",
                    organisation.get_label_display() if organisation.label else "",
                    site_url + organisation.get_absolute_url(),
                ]
            )
        yield buffer.getvalue()
