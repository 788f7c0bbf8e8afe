"""Reads on follows: a member's follows, and what is new for their digest."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.follows.searches import search_results
from clustercollab.content.models import (
    Event,
    Follow,
    FollowKind,
    FundingCall,
    News,
    SavedSearchList,
    SuccessStory,
)

DIGEST_SECTION_LIMIT = 10


def follows_of_user(user: Any) -> QuerySet[Follow]:
    if not getattr(user, "is_authenticated", False):
        return Follow.objects.none()
    return Follow.objects.filter(user=user).select_related("ecosystem", "country", "organisation")


def follow_of_user(*, user: Any, pk: int) -> Follow | None:
    """The user's own follow, or None (never someone else's)."""
    return follows_of_user(user).filter(pk=pk).first()


def search_follow_of_user(*, user: Any, search_list: str, search_query: str) -> Follow | None:
    return (
        follows_of_user(user)
        .filter(kind=FollowKind.SEARCH, search_list=search_list, search_query=search_query)
        .first()
    )


def organisation_follow_of_user(*, user: Any, organisation: Model) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None  # every visitor's profile pages: not even an empty query built
    return (
        follows_of_user(user)
        .filter(kind=FollowKind.ORGANISATION, organisation=organisation)
        .first()
    )


@dataclass
class DigestSection:
    kind: str
    title: str
    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


# Each digest section: its model, the saved-search list that feeds it, and the fields that tie an
# item to an organisation.
_SECTIONS = [
    ("news", _("News"), News, SavedSearchList.NEWS, ("organisation",)),
    ("events", _("Events"), Event, SavedSearchList.EVENTS, ("organisation", "organiser")),
    ("calls", _("Funding calls"), FundingCall, SavedSearchList.CALLS, ("organisation",)),
    (
        "stories",
        _("Success stories"),
        SuccessStory,
        None,
        ("organisation", "organisations_involved"),
    ),
]


def _new_items(model: type[Model], since: datetime, until: datetime) -> QuerySet:
    """Items published in (since, until] that are still of use: no past events, no closed calls."""
    queryset = model.objects.published().filter(published_at__gt=since, published_at__lte=until)
    if model is Event:
        queryset = queryset.filter(ends_at__gte=until)
    if model is FundingCall:
        queryset = queryset.with_final_deadline().filter(
            Q(final_deadline__isnull=True) | Q(final_deadline__gte=until)
        )
    return queryset


def digest_sections(*, user: Any, since: datetime, until: datetime) -> list[DigestSection]:
    """The new published items matching any of the user's follows, by type; empty sections are
    left out, so an empty list means there is nothing to send."""
    follows = list(Follow.objects.filter(user=user))
    if not follows:
        return []
    ecosystems = [f.ecosystem_id for f in follows if f.kind == FollowKind.ECOSYSTEM]
    countries = [f.country_id for f in follows if f.kind == FollowKind.COUNTRY]
    organisations = [f.organisation_id for f in follows if f.kind == FollowKind.ORGANISATION]
    searches = [(f.search_list, f.search_query) for f in follows if f.kind == FollowKind.SEARCH]

    sections = []
    for kind, title, model, search_list, organisation_fields in _SECTIONS:
        base = _new_items(model, since, until)
        conditions = []
        if ecosystems:
            conditions.append(Q(ecosystems__in=ecosystems))
        if countries:
            conditions.append(Q(countries__in=countries))
        if organisations:
            conditions += [Q(**{f"{name}__in": organisations}) for name in organisation_fields]
        ids: set[int] = set()
        if conditions:
            matching = Q()
            for condition in conditions:
                matching |= condition
            ids |= set(base.filter(matching).values_list("pk", flat=True))
        for followed_list, query in searches:
            if followed_list == search_list:
                ids |= set(search_results(search_list, query, base).values_list("pk", flat=True))
        if not ids:
            continue
        items = (
            model.objects.filter(pk__in=ids)
            .select_related("organisation")
            .order_by("-published_at", "-id")
        )
        sections.append(
            DigestSection(
                kind=kind,
                title=str(title),
                items=list(items[:DIGEST_SECTION_LIMIT]),
                total=len(ids),
            )
        )
    return sections


def digest_preview(*, user: Any, subscription: Any = None) -> list[DigestSection]:
    """What the member's next digest would hold if it were sent now."""
    now = timezone.now()
    last = getattr(subscription, "last_sent_at", None)
    since = last or now - timedelta(days=settings.DIGEST_INTERVAL_DAYS)
    return digest_sections(user=user, since=since, until=now)
