from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clustercollab.organisations.models import Participation, Project
from clustercollab.organisations.tests.factories import make_organisation
from clustercollab.partnering.graph import organisation_graph
from clustercollab.partnering.importers import cluster_networks_import
from clustercollab.partnering.models import Network, NetworkMember, Partnership, PartnershipMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    a = make_organisation(status="published", latitude=62.6, longitude=29.76)
    b = make_organisation(status="published", latitude=59.33, longitude=18.07)
    p = Partnership.objects.create(
        name="Nordic Wood Construction Partnership",
        acronym="NWCP",
        programme="escp_4i",
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        smes_reached=420,
        status="published",
    )
    PartnershipMember.objects.create(partnership=p, organisation=a, role="coordinator")
    PartnershipMember.objects.create(partnership=p, organisation=b, role="partner")
    return p, a, b


def test_the_partnership_page_maps_its_members_without_tiles(partnership):
    p, a, b = partnership
    page = Client().get(p.get_absolute_url()).content.decode()
    assert "vendor/leaflet/leaflet.js" in page
    assert "tileLayer" not in page
    assert '"lat": 62.6' in page and "Coordinator" in page
    assert "NWCP" in Client().get(a.get_absolute_url()).content.decode()


def test_organisation_pages_list_network_memberships():
    network = Network.objects.create(name="Test association of clusters", scope="national")
    member = make_organisation(status="published")
    NetworkMember.objects.create(network=network, organisation=member)
    page = Client().get(member.get_absolute_url()).content.decode()
    assert "Test association of clusters" in page
    assert "Test association of clusters" in Client().get("/partnering/networks/").content.decode()
    assert member.name in Client().get(network.get_absolute_url()).content.decode()


def test_the_graph_joins_partners_networks_and_shared_projects(partnership):
    p, a, b = partnership
    c = make_organisation(status="published")
    hidden = make_organisation(status="draft")
    project = Project.objects.create(id="101000001", title="Timber towers")
    for organisation in (b, c, hidden):
        Participation.objects.create(project=project, organisation=organisation, role="participant")
    network = Network.objects.create(name="Association", scope="national", organisation=c)
    NetworkMember.objects.create(network=network, organisation=a)

    graph = organisation_graph()
    nodes = {n["data"]["id"] for n in graph["nodes"]}
    assert nodes == {str(a.pk), str(b.pk), str(c.pk)}
    kinds = {(e["data"]["source"], e["data"]["target"]): e["data"]["kinds"] for e in graph["edges"]}
    pair = lambda x, y: (str(min(x.pk, y.pk)), str(max(x.pk, y.pk)))  # noqa: E731
    assert kinds[pair(a, b)] == "partnerships"
    assert kinds[pair(b, c)] == "projects"
    assert kinds[pair(a, c)] == "networks"
    # Filtered by country, nothing of Finland is left in Sweden.
    assert organisation_graph(country=a.country)["nodes"]
    data = Client().get("/partnering/graph/data.json?country=SE").json()
    assert data["nodes"] == []
    assert (
        "vendor/cytoscape/cytoscape.min.js" in Client().get("/partnering/graph/").content.decode()
    )


def test_the_graph_uses_a_fixed_number_of_queries(partnership):
    for _n in range(30):
        make_organisation(status="published")
    with CaptureQueriesContext(connection) as queries:
        organisation_graph()
    assert len(queries) <= 8


@pytest.mark.skipif(
    not (settings.SHARED_DATA_DIR / "cordis-horizon-europe").exists(), reason="no real data"
)
def test_the_six_cluster_networks_of_the_reviewed_list_are_imported():
    counts = cluster_networks_import(data_dir=settings.SHARED_DATA_DIR)
    assert counts["created"] == 6
    names = set(Network.objects.values_list("name", flat=True))
    assert "CLUSTERS OF SWEDEN" in names
    assert Network.objects.get(acronym="POLISH CLUSTERS ASSOCIATION").country_id == "PL"
    assert Network.objects.filter(scope="european").count() == 1
    assert not NetworkMember.objects.exists()  # the data names no members; none are invented
    assert cluster_networks_import(data_dir=settings.SHARED_DATA_DIR)["updated"] == 6
    assert Network.objects.count() == 6
