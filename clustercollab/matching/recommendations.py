"""Recommendations that combine meaning with checkable facts, each with its reasons.

- ``organisations_for_post``: "Organisations that fit this post" (partner search).
- ``calls_for_organisation``: "Calls that fit you" (member dashboard).
- ``people_to_meet``: "People you may want to meet" (participants of the same matchmaking event).

Each fuses a ranking by meaning (vectors, when they exist) with rankings by shared industrial
ecosystems (``fusion.fuse_rankings``), then keeps the candidates that have at least one reason a
person can check (``reasons``). Unpublished profiles and the asking organisation never appear.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from clustercollab.matching import reasons as why
from clustercollab.matching.fusion import fuse_rankings
from clustercollab.matching.selectors import nearest_to_vector, stored_vector

CANDIDATES = 60
WEIGHTS = {"meaning": 1.0, "ecosystems": 0.7}


@dataclass
class Match:
    item: Any
    score: float
    reasons: list[why.Reason] = field(default_factory=list)
    similarity: float | None = None


def _by_shared_ecosystems(queryset: QuerySet, ecosystem_ids: list[int]) -> list[int]:
    if not ecosystem_ids:
        return []
    return list(
        queryset.filter(ecosystems__in=ecosystem_ids)
        .annotate(shared=Count("ecosystems", filter=Q(ecosystems__in=ecosystem_ids)))
        .order_by("-shared", "pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )


def _fused(
    by_meaning: list[tuple[int, float]], by_ecosystems: list[int]
) -> tuple[list[int], dict[int, float]]:
    similarity = dict(by_meaning)
    ranking = fuse_rankings(
        {"meaning": [pk for pk, _ in by_meaning], "ecosystems": by_ecosystems}, weights=WEIGHTS
    )
    return [pk for pk, _score in ranking], similarity


def _ecosystem_names(ours: Iterable[Any], theirs: Iterable[Any]) -> list[str]:
    mine = {ecosystem.pk for ecosystem in ours}
    return [str(ecosystem) for ecosystem in theirs if ecosystem.pk in mine]


def _ranked_matches(
    ids: list[int],
    objects: dict[int, Any],
    similarity: dict[int, float],
    explain: Any,
    limit: int,
) -> list[Match]:
    matches = []
    for rank, pk in enumerate(ids):
        item = objects.get(pk)
        if item is None:
            continue
        reasons = explain(item, similarity.get(pk))
        if reasons:
            matches.append(Match(item, 1.0 / (rank + 1), reasons, similarity.get(pk)))
        if len(matches) == limit:
            break
    return matches


def organisations_for_post(post: Any, *, limit: int = 5) -> list[Match]:
    """Published organisations (not the post's own) whose profile fits a partner search post."""
    from clustercollab.organisations.models import Organisation

    candidates = Organisation.objects.published().exclude(pk=post.organisation_id)
    post_ecosystems = list(post.ecosystems.all())
    vector = stored_vector("partnerpost", post.pk)
    by_meaning = (
        nearest_to_vector("organisation", vector, limit=CANDIDATES, exclude=[post.organisation_id])
        if vector is not None
        else []
    )
    ids, similarity = _fused(
        by_meaning, _by_shared_ecosystems(candidates, [e.pk for e in post_ecosystems])
    )
    objects = candidates.filter(pk__in=ids).prefetch_related("ecosystems").in_bulk()
    keywords = [*post.technology_keywords, *post.market_keywords]

    def explain(organisation: Any, score: float | None) -> list[why.Reason]:
        return why.collect(
            why.similar_activities(score),
            why.shared_ecosystems(_ecosystem_names(post_ecosystems, organisation.ecosystems.all())),
            why.matching_keywords(keywords, organisation.keywords),
        )

    return _ranked_matches(ids, objects, similarity, explain, limit)


def calls_for_organisation(organisation: Any, *, limit: int = 5) -> list[Match]:
    """Open and forthcoming funding calls that fit an organisation's profile."""
    from clustercollab.content.models import FundingCall

    calls = FundingCall.objects.published().filter(
        Q(pk__in=FundingCall.objects.open().values("pk"))
        | Q(pk__in=FundingCall.objects.forthcoming().values("pk"))
    )
    own_ecosystems = list(organisation.ecosystems.all())
    vector = stored_vector("organisation", organisation.pk)
    by_meaning = []
    if vector is not None:
        open_ids = list(calls.values_list("pk", flat=True))
        by_meaning = nearest_to_vector("fundingcall", vector, limit=CANDIDATES, among=open_ids)
    ids, similarity = _fused(
        by_meaning, _by_shared_ecosystems(calls, [e.pk for e in own_ecosystems])
    )
    objects = calls.filter(pk__in=ids).prefetch_related("ecosystems").in_bulk()

    def explain(call: Any, score: float | None) -> list[why.Reason]:
        return why.collect(
            why.similar_activities(score),
            why.shared_ecosystems(_ecosystem_names(own_ecosystems, call.ecosystems.all())),
            why.keywords_in_text(organisation.keywords, f"{call.title} {call.summary}"),
        )

    return _ranked_matches(ids, objects, similarity, explain, limit)


def people_to_meet(participant: Any, *, limit: int = 5) -> list[Match]:
    """Other participants of the same matchmaking event worth meeting (published profiles
    only, never one's own organisation)."""
    from clustercollab.core.moderation import ModerationStatus

    others = (
        participant.event.participants.exclude(organisation_id=participant.organisation_id)
        .filter(organisation__status=ModerationStatus.PUBLISHED)
        .select_related("organisation", "country")
        .prefetch_related("organisation__ecosystems")
    )
    by_organisation = {other.organisation_id: other for other in others}
    own = participant.organisation
    own_ecosystems = list(own.ecosystems.all())
    vector = stored_vector("organisation", own.pk)
    by_meaning = (
        nearest_to_vector(
            "organisation", vector, limit=CANDIDATES, among=list(by_organisation), exclude=[own.pk]
        )
        if vector is not None and by_organisation
        else []
    )
    by_ecosystems = sorted(
        (
            pk
            for pk, other in by_organisation.items()
            if _ecosystem_names(own_ecosystems, other.organisation.ecosystems.all())
        ),
        key=lambda pk: (
            -len(
                _ecosystem_names(own_ecosystems, by_organisation[pk].organisation.ecosystems.all())
            )
        ),
    )
    ids, similarity = _fused(by_meaning, by_ecosystems)
    own_keywords = [*participant.keywords, *own.keywords]

    def explain(other: Any, score: float | None) -> list[why.Reason]:
        return why.collect(
            why.similar_activities(score),
            why.shared_ecosystems(
                _ecosystem_names(own_ecosystems, other.organisation.ecosystems.all())
            ),
            why.matching_keywords(own_keywords, [*other.keywords, *other.organisation.keywords]),
        )

    return _ranked_matches(ids, by_organisation, similarity, explain, limit)
