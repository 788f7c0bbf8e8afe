"""The organisation network graph: nodes and edges for the Cytoscape page, built in SQL.

Edges come from self-joins grouped in the database (members of the same partnership or
network, participants in the same CORDIS project), restricted to the chosen nodes, so no Python
loop ever runs over pairs of organisations.
"""

from typing import Any

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, When

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import CLUSTER_KINDS, Organisation, Participation
from clustercollab.partnering.models import MemberStatus, Network, NetworkMember, PartnershipMember

MAX_NODES = 2000
MAX_EDGES = 10000

# Members who accepted their place in a partnership staff validated.
LISTED_PARTNER = {"status": MemberStatus.ACTIVE, "partnership__status": ModerationStatus.PUBLISHED}


def _pairs(
    model: Any, conditions: dict[str, Any], left: str, right: str, group: str
) -> list[tuple[int, int, int]]:
    # One filter() call: the self-join's conditions and the pair order use the same join.
    rows = (
        model.objects.filter(**conditions, **{f"{left}__lt": F(right)})
        .values(left, right)
        .annotate(weight=Count(group, distinct=True))
        .order_by("-weight")[:MAX_EDGES]
        .values_list(left, right, "weight")
    )
    return list(rows)


def _project_pairs(chosen: list[int]) -> list[tuple[int, int, int]]:
    """Return (organisation, organisation, shared projects) among the chosen organisations.

    The participations of the chosen organisations are narrowed first (a CTE) and only then
    joined with themselves: with 2,000 organisations the ORM's join over the whole table took
    16 s on PostgreSQL, this takes under a second.
    """
    if not chosen:
        return []
    table = connection.ops.quote_name(Participation._meta.db_table)
    marks = ", ".join(["%s"] * len(chosen))
    sql = f"""
        WITH chosen AS (
            SELECT project_id, organisation_id FROM {table} WHERE organisation_id IN ({marks})
        )
        SELECT a.organisation_id, b.organisation_id, COUNT(*) AS weight
        FROM chosen a JOIN chosen b
          ON a.project_id = b.project_id AND a.organisation_id < b.organisation_id
        GROUP BY a.organisation_id, b.organisation_id
        ORDER BY weight DESC, a.organisation_id, b.organisation_id
        LIMIT %s
    """  # noqa: S608 - only placeholders and a table name from the model are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, [*chosen, MAX_EDGES])
        return [tuple(row) for row in cursor.fetchall()]


def organisation_graph(
    *, ecosystem: Any = None, country: Any = None, limit: int = MAX_NODES
) -> dict[str, Any]:
    """Return {"nodes", "edges", "truncated"} in Cytoscape's element format.

    The nodes are published organisations (filtered by ecosystem and country): members of
    partnerships and networks first, then cluster organisations, then the others by number of
    projects, at most ``limit`` (≤ 2,000). Organisations without any edge are left out.
    """
    limit = max(1, min(limit, MAX_NODES))
    candidates = Organisation.objects.published()
    if ecosystem is not None:
        candidates = candidates.filter(
            pk__in=Organisation.ecosystems.through.objects.filter(
                industrialecosystem_id=ecosystem.pk
            ).values("organisation_id")
        )
    if country is not None:
        candidates = candidates.filter(country=country)
    grouped = (
        Exists(PartnershipMember.objects.filter(organisation=OuterRef("pk"), **LISTED_PARTNER))
        | Exists(NetworkMember.objects.filter(organisation=OuterRef("pk")))
        | Exists(Network.objects.filter(organisation=OuterRef("pk")))
    )
    ranked = candidates.annotate(
        grouped=Case(When(grouped, then=1), default=0, output_field=IntegerField()),
        cluster=Case(When(kind__in=CLUSTER_KINDS, then=1), default=0, output_field=IntegerField()),
        project_count=Count("participations"),
    ).order_by("-grouped", "-cluster", "-project_count", "pk")
    total = candidates.count()
    chosen = list(ranked.values_list("pk", flat=True)[:limit])
    ids = set(chosen)

    edges: dict[tuple[int, int], dict[str, int]] = {}

    def add(pairs: list[tuple[int, int, int]], kind: str) -> None:
        for a, b, weight in pairs:
            key = (a, b) if a < b else (b, a)
            edges.setdefault(key, {})[kind] = weight

    add(
        _pairs(
            PartnershipMember,
            {
                **LISTED_PARTNER,
                "organisation_id__in": chosen,
                "partnership__memberships__organisation_id__in": chosen,
                "partnership__memberships__status": MemberStatus.ACTIVE,
            },
            "organisation_id",
            "partnership__memberships__organisation_id",
            "partnership_id",
        ),
        "partnerships",
    )
    add(
        _pairs(
            NetworkMember,
            {
                "organisation_id__in": chosen,
                "network__memberships__organisation_id__in": chosen,
            },
            "organisation_id",
            "network__memberships__organisation_id",
            "network_id",
        ),
        "networks",
    )
    # A network's own profile is linked to each of its members.
    network_links = NetworkMember.objects.filter(
        organisation_id__in=chosen, network__organisation_id__in=chosen
    ).values_list("organisation_id", "network__organisation_id")
    add([(a, b, 1) for a, b in network_links if a != b], "networks")
    add(_project_pairs(chosen), "projects")

    connected = {n for pair in edges for n in pair} & ids
    nodes = Organisation.objects.filter(pk__in=connected).values(
        "pk", "name", "acronym", "kind", "country_id", "slug"
    )
    return {
        "nodes": [
            {
                "data": {
                    "id": str(n["pk"]),
                    "label": n["acronym"] or n["name"][:40],
                    "name": n["name"],
                    "kind": n["kind"],
                    "country": n["country_id"],
                    "url": f"/organisations/{n['pk']}/{n['slug']}/",
                }
            }
            for n in nodes
        ],
        "edges": [
            {
                "data": {
                    "id": f"{a}-{b}",
                    "source": str(a),
                    "target": str(b),
                    "kinds": " ".join(sorted(kinds)),
                    "weight": sum(kinds.values()),
                }
            }
            for (a, b), kinds in edges.items()
        ],
        "truncated": total > limit,
        "candidates": total,
    }
