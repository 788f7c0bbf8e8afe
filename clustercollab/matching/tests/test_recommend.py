"""Recommended partners and the signals behind them, on a small fixed network."""

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching import partners
from clustercollab.matching.recommend import (
    PARTNER_GRAPH_STAMP,
    existing_partner_ids,
    partner_graph,
    partner_graph_stamp,
    recommended_partners,
)
from clustercollab.organisations.models import Participation, Project
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering.models import (
    Network,
    NetworkMember,
    NetworkScope,
    Partnership,
    PartnershipMember,
    Programme,
)

pytestmark = pytest.mark.django_db
PUBLISHED = ModerationStatus.PUBLISHED


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _project(number, *members):
    project = Project.objects.create(id=f"1010{number:05d}", title=f"Test project {number}")
    for organisation in members:
        Participation.objects.create(project=project, organisation=organisation, role="participant")


@pytest.fixture
def network():
    """A works with B (project) and D (partnership); C and E are partners of its partners."""

    def profile(name, status=PUBLISHED, country="FI", **fields):
        return make_organisation(
            name=name, status=status, country=Country.objects.get(code=country), **fields
        )

    o = {
        "a": profile(
            "Test Hydrogen Cluster A",
            keywords=["hydrogen", "fuel cells"],
            latitude=60.17,
            longitude=24.94,
        ),
        "b": profile("Test Partner B", country="DE"),
        "c": profile("Test Candidate C", country="DE", latitude=52.52, longitude=13.40),
        "d": profile("Test Partner D", country="FR"),
        "e": profile("Test Candidate E", country="FR"),
        "f": profile("Test Hydrogen Lab F", keywords=["Hydrogen"], latitude=60.45, longitude=22.27),
        "u": profile("Test Unpublished U", status=ModerationStatus.DRAFT),
        "x": profile("Test Stranger X", keywords=["textiles"]),
    }
    _project(1, o["a"], o["b"])
    _project(2, o["b"], o["c"])
    _project(3, o["b"], o["u"])
    partnership = Partnership.objects.create(name="Test partnership", programme=Programme.OTHER)
    for member in (o["a"], o["d"]):
        PartnershipMember.objects.create(partnership=partnership, organisation=member)
    test_network = Network.objects.create(name="Test network", scope=NetworkScope.OTHER)
    for member in (o["d"], o["e"]):
        NetworkMember.objects.create(network=test_network, organisation=member)
    return o


def _graph_changes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PARTNER_GRAPH_STAMP.changes_table}")
        return cursor.fetchone()[0]


def _recommended(organisation):
    with translation.override("en"):
        return {r.organisation.name: r.reasons for r in recommended_partners(organisation)}


def test_partners_of_partners_and_keyword_matches_are_recommended(network):
    assert set(_recommended(network["a"])) == {
        "Test Candidate C",
        "Test Candidate E",
        "Test Hydrogen Lab F",
    }


def test_never_itself_an_unpublished_profile_or_an_existing_partner(network):
    names = set(_recommended(network["a"]))
    for key in ("a", "b", "d", "u", "x"):
        assert network[key].name not in names
    assert existing_partner_ids(network["a"]) == {network["b"].pk, network["d"].pk}


def test_each_recommendation_says_why(network):
    reasons = _recommended(network["a"])
    assert reasons["Test Candidate C"] == ["Shared partner: Test Partner B"]
    assert reasons["Test Candidate E"] == ["Shared partner: Test Partner D"]
    assert reasons["Test Hydrogen Lab F"] == ["Matching keyword: hydrogen", "150 km away"]


def test_a_more_telling_shared_partner_ranks_higher_and_the_graph_follows_new_links(network):
    ranked = [r.organisation.name for r in recommended_partners(network["a"])]
    # E shares D (two partners) with A, C shares B (three partners): D says more.
    assert ranked.index("Test Candidate E") < ranked.index("Test Candidate C")
    _project(4, network["a"], network["c"])  # A now works with C
    cache.clear()
    assert "Test Candidate C" not in _recommended(network["a"])


def test_the_graph_follows_a_bulk_update_that_keeps_every_row_count(network):
    # U's place in project 3 (with B) goes to E: no signal, no new row, the same largest id.
    assert existing_partner_ids(network["e"]) == {network["d"].pk}
    before = partner_graph_stamp()
    Participation.objects.filter(project_id="101000003", organisation=network["u"]).update(
        organisation=network["e"]
    )
    assert partner_graph_stamp() != before
    assert existing_partner_ids(network["e"]) == {network["b"].pk, network["d"].pk}
    cache.clear()
    assert "Test Candidate E" not in _recommended(network["b"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a change log on PostgreSQL only")
def test_a_long_graph_change_log_is_emptied_by_the_next_graph_build(network, monkeypatch):
    monkeypatch.setattr(PARTNER_GRAPH_STAMP, "prune_above", 3)
    seen = set()
    for number in range(5):
        _project(10 + number, network["a"], network["x"])
        seen.add(partner_graph_stamp())
    assert len(seen) == 5 and _graph_changes() > 3
    graph = partner_graph()
    assert _graph_changes() == 0
    assert graph.stamp == partner_graph_stamp() and graph.stamp not in seen
    assert network["x"].pk in existing_partner_ids(network["a"], graph)


def test_a_profile_unpublished_after_the_ranking_was_cached_disappears(network):
    assert "Test Candidate E" in _recommended(network["a"])
    type(network["e"]).objects.filter(pk=network["e"].pk).update(status=ModerationStatus.DRAFT)
    assert "Test Candidate E" not in _recommended(network["a"])


def test_members_see_the_recommendations_page_and_nobody_else(client, network):
    admin, outsider = make_user(), make_user()
    network["a"].memberships.create(user=admin, role="admin")
    url = reverse("matching:recommended_partners", args=[network["a"].pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Test Candidate C" in response.content.decode()
    assert "Test Partner B" in response.content.decode()  # as the reason, not a recommendation
    dashboard = client.get(reverse("organisations:dashboard"))
    assert url in dashboard.content.decode()


def test_similar_organisations_name_shared_partners(network):
    from clustercollab.organisations.similar import similar_organisations

    with translation.override("en"):
        similar = {s.organisation.name: s.reasons for s in similar_organisations(network["a"])}
    assert similar["Test Candidate C"][0] == "Shared partner: Test Partner B"
    assert "Test Unpublished U" not in similar


def test_signals_on_a_hand_made_graph():
    # 0–1, 0–2, 1–3, 2–3, 3–4: nodes 1 and 2 have two partners each, 3 has three.
    graph = partners.co_participation_graph([[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]], 5)
    aa = partners.adamic_adar(graph, [0])[0]
    assert aa[3] == pytest.approx(2 / np.log(2))  # through 1 and through 2
    assert aa[4] == 0.0
    three = partners.three_hop(graph, [0])[0]
    assert three[4] == pytest.approx(0.5 * 0.5 * (1 / 3) * 2)
    # The median (2) goes to 0, the best (5) to 1.
    assert partners.normalise(np.array([0.0, 1.0, 2.0, 4.0, 5.0])).tolist() == pytest.approx(
        [0.0, 0.0, 0.0, 2 / 3, 1.0]
    )
    combined = partners.combine({"text": np.array([1.0, 0.0]), "same_kind": np.array([0, 1])})
    assert combined.tolist() == pytest.approx(
        [partners.PARTNER_WEIGHTS["text"], partners.PARTNER_WEIGHTS["same_kind"]]
    )


def test_programme_activity_weighs_the_candidates_recent_projects_in_its_programmes():
    # Node 0 works in programme A only; node 1 has a new A project and a B one; node 2 has
    # one B project from four years ago.
    assert partners.programme_labels("HORIZON.2.5", "HORIZON-CL5-2022-D3-01-05") == [
        "HORIZON.2.5",
        "CL5-D3",
    ]
    profiles = partners.programme_profiles(
        [(0, 0), (1, 1), (1, 2), (2, 3)],
        [["A"], ["A"], ["B"], ["B"]],
        [0.0, 0.0, 0.0, partners.PROGRAMME_DECAY_YEARS],
        3,
    )
    assert profiles.toarray() == pytest.approx(np.array([[1, 0], [1, 1], [0, np.exp(-1)]]))
    activity = partners.programme_activity(profiles, [0, 2])
    assert activity[0] == pytest.approx([np.log(2), np.log(2), 0.0])
    assert activity[1] == pytest.approx([0.0, np.log(2), np.log1p(np.exp(-1))])
    # On the log scale the best candidate gets 1 and one with nothing 0.
    assert partners.log_scaled(activity[0]).tolist() == pytest.approx([1.0, 1.0, 0.0], abs=1e-6)


def test_active_organisations_in_its_programmes_are_recommended_without_shared_partners(network):
    def project(number, topic_code, legal_basis, *members):
        project = Project.objects.create(
            id=f"1020{number:05d}",
            title=f"Test programme project {number}",
            topic_code=topic_code,
            legal_basis=legal_basis,
            start_date=timezone.localdate(),
        )
        for organisation in members:
            Participation.objects.create(
                project=project, organisation=organisation, role="participant"
            )

    in_programme = make_organisation(name="Test Energy Lab G", status=PUBLISHED)
    elsewhere = make_organisation(name="Test Frontier Lab H", status=PUBLISHED)
    project(1, "HORIZON-CL5-2022-D3-01-05", "HORIZON.2.5", network["a"])
    project(2, "HORIZON-CL5-2023-D3-02-01", "HORIZON.2.5", in_programme)
    project(3, "ERC-2023-STG", "HORIZON.1.1", elsewhere)
    recommended = _recommended(network["a"])
    assert "Test Energy Lab G" in recommended
    assert "Test Frontier Lab H" not in recommended
