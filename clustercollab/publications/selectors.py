"""Reads on publications and transition resources: visibility, lists, the moderation queue,
the pages of organisations and partnerships, and "resources for you"."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from clustercollab.content.models import ContentItem, folded
from clustercollab.content.selectors import posting_organisations
from clustercollab.core.moderation import ModerationStatus
from clustercollab.core.selectors import any_row_refers_to
from clustercollab.organisations.models import Organisation
from clustercollab.partnering.models import Partnership
from clustercollab.publications.models import Publication, PublicationType, TransitionResource

# The two kinds, by the short name used in URLs.
LIBRARY_KINDS: dict[str, type[ContentItem]] = {
    "publication": Publication,
    "resource": TransitionResource,
}
# How many organisation keywords "resources for you" looks for.
MATCHED_KEYWORDS = 10


def kind_of(item: ContentItem) -> str:
    return next(kind for kind, model in LIBRARY_KINDS.items() if isinstance(item, model))


def with_relations(queryset: QuerySet) -> QuerySet:
    queryset = queryset.select_related("organisation").prefetch_related("ecosystems", "countries")
    if queryset.model is Publication:
        # A good practice names only the organisations and partnerships that are public.
        queryset = queryset.prefetch_related(
            "authors",
            Prefetch("source_organisations", queryset=Organisation.objects.published()),
            Prefetch("source_partnerships", queryset=Partnership.objects.published()),
        )
    return queryset


def public_publications() -> QuerySet[Publication]:
    return with_relations(Publication.objects.published()).order_by("-publication_date", "-id")


def public_resources() -> QuerySet[TransitionResource]:
    return with_relations(TransitionResource.objects.published()).order_by("-published_at", "-id")


def can_post_resources(user: Any) -> bool:
    """Staff, and admins/editors of an organisation, may propose transition resources."""
    return getattr(user, "is_staff", False) or posting_organisations(user).exists()


def publications_of_user(user: Any) -> QuerySet[Publication]:
    """Publications the user posted or that an organisation they post for posted, newest first."""
    organisations = posting_organisations(user).values("pk")
    return (
        Publication.objects.filter(Q(author=user) | Q(organisation__in=organisations))
        .select_related("organisation")
        .order_by("-updated_at")
    )


def awaiting_moderation(model: type[ContentItem]) -> QuerySet:
    return (
        model.objects.filter(status=ModerationStatus.SUBMITTED, submitted_at__isnull=False)
        .select_related("organisation", "author")
        .order_by("submitted_at", "id")
    )


def publications_of_organisation(organisation: Organisation, limit: int = 5) -> dict:
    """Published publications the organisation wrote, and good practices that came from it."""
    if not any_row_refers_to(
        organisation.pk, ((Publication, "authors"), (Publication, "source_organisations"))
    ):
        return {"authored": [], "good_practices": []}  # most organisations: one probe
    published = public_publications()
    return {
        "authored": list(published.filter(authors=organisation)[:limit]),
        "good_practices": list(
            published.filter(
                publication_type=PublicationType.GOOD_PRACTICE, source_organisations=organisation
            )[:limit]
        ),
    }


def good_practices_of_partnership(partnership: Partnership, limit: int = 10) -> list:
    return list(
        public_publications().filter(
            publication_type=PublicationType.GOOD_PRACTICE, source_partnerships=partnership
        )[:limit]
    )


def good_practices_for_section(
    *, theme: str = "", ecosystem: str = "", limit: int = 5
) -> list[Publication]:
    """Published good-practice cases for the transition section, narrowed like its list."""
    queryset = public_publications().filter(publication_type=PublicationType.GOOD_PRACTICE)
    if theme:
        queryset = queryset.filter(transition_theme=theme)
    if ecosystem:
        queryset = queryset.filter(ecosystems__slug=ecosystem).distinct()
    return list(queryset[:limit])


# --- resources for you ---


@dataclass
class Recommendation:
    item: ContentItem
    ecosystems: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.ecosystems) + len(self.keywords)


def resources_for_organisation(organisation: Organisation, limit: int = 5) -> list[Recommendation]:
    """Published transition resources and good practices that share an industrial ecosystem
    or a keyword with the organisation, with the reasons; most reasons first, then newest."""
    ecosystems = {e.pk: str(e) for e in organisation.ecosystems.all()}
    keywords = {
        folded(str(word)): str(word).strip()
        for word in (organisation.keywords or [])[:MATCHED_KEYWORDS]
        if isinstance(word, str) and len(folded(word)) >= 3
    }
    found: dict[tuple[str, int], Recommendation] = {}
    querysets = [
        public_resources(),
        public_publications().filter(publication_type=PublicationType.GOOD_PRACTICE),
    ]
    for queryset in querysets:
        condition = Q(ecosystems__in=list(ecosystems))
        for word in keywords:
            condition |= Q(search_text__contains=word)
        if not ecosystems and not keywords:
            continue
        candidates = queryset.filter(condition).distinct()[: limit * 4]
        for item in candidates:
            shared = [ecosystems[e.pk] for e in item.ecosystems.all() if e.pk in ecosystems]
            matched = [
                label
                for word, label in keywords.items()
                if re.search(rf"\b{re.escape(word)}\b", item.search_text)
            ]
            if shared or matched:
                found[(kind_of(item), item.pk)] = Recommendation(item, shared, matched)
    ranked = sorted(
        found.values(),
        key=lambda r: (-r.score, -(r.item.published_at.timestamp() if r.item.published_at else 0)),
    )
    return ranked[:limit]


def library_queue_rows() -> list:
    """Submitted publications and resources as rows of the unified moderation queue, oldest
    first."""
    import heapq

    from django.urls import reverse

    from clustercollab.content.selectors import QueueRow

    streams = [
        [
            QueueRow(
                kind=kind,
                item=item,
                submitted_at=item.submitted_at,
                is_overdue=item.is_overdue,
                review_due_at=item.review_due_at,
                review_url=reverse(
                    "publications:moderation_review", kwargs={"kind": kind, "pk": item.pk}
                ),
                label=str(model._meta.verbose_name),
            )
            for item in awaiting_moderation(model)
        ]
        for kind, model in LIBRARY_KINDS.items()
    ]
    return list(heapq.merge(*streams, key=lambda row: row.submitted_at))
