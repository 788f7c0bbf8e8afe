"""import_demo_data on a small extract of the real CORDIS files (rows copied, a few damaged)."""

import csv
import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.importers.derivation import (
    AGRI_FOOD,
    DIGITAL,
    EII,
    ELECTRONICS,
    HEALTH,
    MOBILITY,
    RENEWABLES,
    TEXTILES,
    organisation_ecosystems,
    organisation_keywords,
    project_ecosystems,
)
from clustercollab.organisations.importers.rows import (
    RowError,
    coordinates_clean,
    keywords_split,
    organisation_row_clean,
    project_row_clean,
    website_clean,
)
from clustercollab.organisations.models import Membership, Organisation, Participation, Project
from clustercollab.organisations.tests.factories import make_user

CORDIS = Path(settings.SHARED_DATA_DIR) / "cordis-horizon-europe"

GREEN_TECH_VALLEY = "993426083"  # reviewed: cluster_organisation, AT
HELLENIC_DIGITAL_HEALTH = "889841529"  # reviewed: cluster_organisation, EL
RAILWAY_CLUSTERS = "884265872"  # reviewed: cluster_network, BE
PAYS_DE_BEARN = "883865844"  # reviewed: not_cluster (a public body)
CLUSTERS = {GREEN_TECH_VALLEY, HELLENIC_DIGITAL_HEALTH, RAILWAY_CLUSTERS}
TELELINK = "920446581"  # nuts_code is only "BG": the region comes from the coordinates
BIOAZUL = "992204077"  # in project 101040474 twice: participant, then third party
# Real rows, damaged in the extract:
TEKNOPARK = "898060533"  # coordinates made unparseable
GEOKOMPETENZZENTRUM = "955850417"  # country made unknown
RAILENIUM = "949404961"  # name removed
BROKEN = {TEKNOPARK, GEOKOMPETENZZENTRUM, RAILENIUM}

PROJECTS = {"101223198", "101192356", "101121856", "101087483", "101126643", "101040474"}
PARTNERS = {
    # 101223198 (with Green Tech Valley)
    "888699936",
    "997235370",
    "999981731",
    "942116963",
    # 101087483 (with the Hellenic Digital Health cluster)
    TELELINK,
    "999887641",
    # 101126643 (with the Pays de Béarn)
    "999849811",
    "939410081",
    "889310454",
    BIOAZUL,
}
ORGANISATIONS = CLUSTERS | {PAYS_DE_BEARN} | PARTNERS | BROKEN


def _copy(name: str, target: Path, keep) -> None:
    with (
        gzip.open(CORDIS / name, "rt", encoding="utf-8", newline="") as source,
        gzip.open(target / name, "wt", encoding="utf-8", newline="") as copy,
    ):
        reader = csv.DictReader(source)
        writer = csv.DictWriter(copy, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            row = keep(row)
            if row:
                writer.writerow(row)


def _damage(row: dict) -> dict | None:
    pic = row["organisation_id"]
    if pic not in ORGANISATIONS:
        return None
    if pic == TEKNOPARK:
        row["lat"] = "40,8765892"
    elif pic == GEOKOMPETENZZENTRUM:
        row["country"] = "QQ"
    elif pic == RAILENIUM:
        row["legal_name"] = ""
    return row


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("cordis")
    _copy("projects.csv.gz", target, lambda r: r if r["project_id"] in PROJECTS else None)
    _copy("organisations.csv.gz", target, _damage)
    _copy(
        "participations.csv.gz",
        target,
        lambda r: (
            r if r["project_id"] in PROJECTS and r["organisation_id"] in ORGANISATIONS else None
        ),
    )
    (target / "cluster_organisations_reviewed.csv").write_bytes(
        (CORDIS / "cluster_organisations_reviewed.csv").read_bytes()
    )
    return target


def _import(data_dir: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_demo_data", "--data-dir", str(data_dir), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _snapshot() -> list:
    return [
        list(Organisation.objects.order_by("id").values()),
        list(Project.objects.order_by("id").values()),
        list(Participation.objects.order_by("id").values()),
        list(Organisation.ecosystems.through.objects.order_by("id").values()),
        list(Project.ecosystems.through.objects.order_by("id").values()),
    ]


# --- The command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_published_profiles_with_their_kind_place_and_ecosystems(data_dir):
    out, _err = _import(data_dir)
    assert "projects: 6 created, 0 updated, 0 unchanged, 0 skipped" in out
    assert "participations: 15 created, 0 updated, 0 unchanged, 3 skipped" in out
    assert "organisations: 14 created, 0 updated, 0 unchanged, 3 skipped" in out

    cluster = Organisation.objects.get(cordis_pic=GREEN_TECH_VALLEY)
    assert cluster.name == "GREEN TECH VALLEY CLUSTER GMBH"
    assert (cluster.kind, cluster.status, cluster.source) == ("cluster", "published", "cordis")
    assert cluster.published_at is not None and cluster.submitted_at is not None
    assert (cluster.acronym, cluster.slug) == ("GTV", "green-tech-valley-cluster-gmbh")
    assert (cluster.country_id, cluster.nuts_region_id, cluster.city) == ("AT", "AT221", "GRAZ")
    assert (cluster.latitude, cluster.longitude) == (47.07207, 15.4144141)
    assert cluster.website == "https://www.eco.at"
    assert [e.name for e in cluster.ecosystems.all()] == [RENEWABLES]
    assert "Renewable energy" in cluster.keywords and len(cluster.keywords) <= 10
    assert set(cluster.projects.values_list("id", flat=True)) == {"101223198", "101192356"}

    greek = Organisation.objects.get(cordis_pic=HELLENIC_DIGITAL_HEALTH)
    assert (greek.kind, greek.country_id, greek.nuts_region_id) == ("cluster", "GR", "EL303")
    assert {e.name for e in greek.ecosystems.all()} == {DIGITAL, HEALTH}

    network = Organisation.objects.get(cordis_pic=RAILWAY_CLUSTERS)
    assert network.kind == "cluster_network"
    assert [e.name for e in network.ecosystems.all()] == [MOBILITY]
    # The reviewed list calls the Pays de Béarn "not_cluster": it keeps its CORDIS kind, and its
    # NUTS code wins over its coordinates (which point to Burgundy).
    bearn = Organisation.objects.get(cordis_pic=PAYS_DE_BEARN)
    assert (bearn.kind, bearn.nuts_region_id) == ("public_body", "FRI15")
    assert Organisation.objects.published().clusters().count() == 3


@pytest.mark.django_db
def test_it_derives_a_missing_nuts_region_from_the_coordinates(data_dir):
    _import(data_dir)
    telelink = Organisation.objects.get(cordis_pic=TELELINK)
    assert (telelink.kind, telelink.country_id, telelink.nuts_region_id) == (
        "company",
        "BG",
        "BG411",
    )


@pytest.mark.django_db
def test_it_imports_projects_and_participations(data_dir):
    _import(data_dir)
    project = Project.objects.get(id="101121856")
    assert project.topic_code == "HORIZON-ER-JU-2022-ExplR-06"
    assert project.start_date.isoformat() == "2023-07-01"
    assert [e.name for e in project.ecosystems.all()] == [MOBILITY]
    assert Participation.objects.get(
        project=project, organisation__cordis_pic=RAILWAY_CLUSTERS
    ).role == ("coordinator")
    # A real duplicate (participant, then third party) keeps the stronger role.
    assert (
        Participation.objects.get(project_id="101040474", organisation__cordis_pic=BIOAZUL).role
        == "participant"
    )


@pytest.mark.django_db
def test_it_reports_and_skips_broken_rows_and_imports_the_rest(data_dir):
    out, err = _import(data_dir)
    assert "unparseable coordinates '40,8765892'" in err
    assert "unknown country 'QQ'; skipped" in err
    assert "missing legal_name; skipped" in err
    assert err.count("organisations.csv.gz line ") == 3
    assert f"organisation {TEKNOPARK} was skipped" in err
    assert not Organisation.objects.filter(cordis_pic__in=BROKEN).exists()
    assert Organisation.objects.count() == 14
    # The project of the broken partners is there, with its one valid participant.
    assert list(
        Project.objects.get(id="101121856").organisations.values_list("cordis_pic", flat=True)
    ) == [RAILWAY_CLUSTERS]


@pytest.mark.django_db
def test_it_changes_nothing_on_a_second_run(data_dir):
    _import(data_dir)
    before = _snapshot()
    audit_entries = AuditLogEntry.objects.count()
    out, _err = _import(data_dir)
    assert out.splitlines() == [
        "projects: 0 created, 0 updated, 6 unchanged, 0 skipped",
        "organisations: 0 created, 0 updated, 14 unchanged, 3 skipped",
        "participations: 0 created, 0 updated, 15 unchanged, 3 skipped",
    ]
    assert _snapshot() == before
    assert AuditLogEntry.objects.count() == audit_entries


@pytest.mark.django_db
def test_it_repairs_rows_changed_since_the_last_run(data_dir):
    _import(data_dir)
    cluster = Organisation.objects.get(cordis_pic=GREEN_TECH_VALLEY)
    Organisation.objects.filter(pk=cluster.pk).update(name="Renamed", nuts_region=None)
    cluster.ecosystems.clear()
    out, _err = _import(data_dir)
    assert "organisations: 0 created, 1 updated, 13 unchanged, 3 skipped" in out
    cluster.refresh_from_db()
    assert (cluster.name, cluster.nuts_region_id) == ("GREEN TECH VALLEY CLUSTER GMBH", "AT221")
    assert [e.name for e in cluster.ecosystems.all()] == [RENEWABLES]


@pytest.mark.django_db
def test_it_leaves_profiles_taken_over_by_their_members_alone(data_dir):
    _import(data_dir)
    cluster = Organisation.objects.get(cordis_pic=GREEN_TECH_VALLEY)
    Membership.objects.create(user=make_user(), organisation=cluster, role="admin")
    Organisation.objects.filter(pk=cluster.pk).update(name="Green Tech Valley Cluster")
    out, _err = _import(data_dir)
    assert "organisations left as their members edited them: 1" in out
    cluster.refresh_from_db()
    assert cluster.name == "Green Tech Valley Cluster"


@pytest.mark.django_db
def test_it_imports_only_the_clusters_when_asked(data_dir):
    out, _err = _import(data_dir, "--clusters-only")
    assert set(Organisation.objects.values_list("cordis_pic", flat=True)) == CLUSTERS
    assert set(Project.objects.values_list("id", flat=True)) == {
        "101223198",
        "101192356",
        "101121856",
        "101087483",
    }
    assert Participation.objects.count() == 4
    # Derived from the same projects as in a full run.
    cluster = Organisation.objects.get(cordis_pic=HELLENIC_DIGITAL_HEALTH)
    assert {e.name for e in cluster.ecosystems.all()} == {DIGITAL, HEALTH}


@pytest.mark.django_db
def test_it_imports_the_first_organisations_and_all_clusters_with_a_limit(data_dir):
    _import(data_dir, "--limit", "2")
    with gzip.open(data_dir / "organisations.csv.gz", "rt", encoding="utf-8") as handle:
        first_two = [
            row["organisation_id"] for row, _ in zip(csv.DictReader(handle), range(2), strict=False)
        ]
    assert set(Organisation.objects.values_list("cordis_pic", flat=True)) == (
        CLUSTERS | set(first_two)
    )


@pytest.mark.django_db
def test_it_prints_nothing_but_broken_rows_at_verbosity_0(data_dir):
    out, err = _import(data_dir, "--verbosity", "0")
    assert out == ""
    assert all(" line " in line for line in err.splitlines())


# --- Row validation ----------------------------------------------------------------------------

# The real row of the Green Tech Valley cluster in organisations.csv.gz.
GTV_ROW = {
    "organisation_id": "993426083",
    "legal_name": "GREEN TECH VALLEY CLUSTER GMBH",
    "short_name": "GTV",
    "activity_type": "PRC",
    "sme": "false",
    "street": "WAAGNER-BIRO-STRASSE 100",
    "city": "GRAZ",
    "postal_code": "8020",
    "country": "AT",
    "nuts_code": "AT221",
    "lat": "47.07207",
    "lon": "15.4144141",
    "url": "https://www.eco.at",
}
COUNTRIES = {"AT", "GR", "GB"}


def _clean(**changes: str):
    return organisation_row_clean({**GTV_ROW, **changes}, known_countries=COUNTRIES)


def test_it_cleans_a_real_organisation_row():
    row = organisation_row_clean(GTV_ROW, known_countries=COUNTRIES, reviewed_kind="cluster")
    assert (row.pic, row.name, row.acronym, row.kind) == (
        "993426083",
        "GREEN TECH VALLEY CLUSTER GMBH",
        "GTV",
        "cluster",
    )
    assert (row.latitude, row.longitude, row.nuts_code) == (47.07207, 15.4144141, "AT221")
    assert _clean().kind == "company"
    assert _clean(activity_type="").kind == "other"


def test_it_maps_eu_country_codes():
    assert _clean(country="EL").country == "GR"
    assert _clean(country="UK").country == "GB"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"organisation_id": ""}, "missing organisation_id"),
        ({"legal_name": "  "}, "missing legal_name"),
        ({"country": ""}, "missing country"),
        ({"country": "XH"}, "unknown country 'XH'"),
        ({"lat": "47,07"}, "unparseable coordinates"),
        ({"lat": "147.07"}, "coordinates out of range"),
        ({"lon": ""}, "only one of lat and lon"),
        ({"lat": "nan"}, "coordinates out of range"),
    ],
)
def test_it_rejects_broken_organisation_rows(changes, reason):
    with pytest.raises(RowError, match=reason):
        _clean(**changes)


def test_it_accepts_rows_without_coordinates():
    assert coordinates_clean("", "") == (None, None)
    assert _clean(lat="", lon="").latitude is None


def test_it_drops_long_short_names_and_bad_websites():
    long_name = "SERVICE D'ACTION POUR LE CITOYEN EUROPEEN ACTIE DIENST VOOR DE EUROPESE BURGER"
    assert _clean(short_name=long_name).acronym == ""
    assert website_clean("www.eco.at") == "https://www.eco.at"
    assert website_clean("http://www.st-andrews.ac.uk") == "http://www.st-andrews.ac.uk"
    assert website_clean("not a website") == ""
    assert website_clean("ftp://example.org") == ""


def test_it_rejects_malformed_project_dates():
    row = {
        "project_id": "101121856",
        "title": "Learnings for European Autonomy",
        "start_date": "2023-07-01",
        "end_date": "2024-12-31",
    }
    assert project_row_clean(row).start_date.year == 2023
    with pytest.raises(RowError, match="malformed start_date '2023-13-01'"):
        project_row_clean({**row, "start_date": "2023-13-01"})
    with pytest.raises(RowError, match="end_date is before start_date"):
        project_row_clean({**row, "end_date": "2022-12-31"})
    with pytest.raises(RowError, match="missing title"):
        project_row_clean({**row, "title": ""})


def test_it_splits_cordis_keywords():
    # Real cells of projects.csv.gz: double spaces, a trailing comma, a repeated keyword.
    assert keywords_split("solar energy,  bacteria,  solar fuels,  Solar Fuels, ") == (
        "solar energy",
        "bacteria",
        "solar fuels",
    )
    assert keywords_split("port; Sociopolitical transitions; Sustainability") == (
        "port",
        "Sociopolitical transitions",
        "Sustainability",
    )
    assert keywords_split("") == ()


# --- Ecosystems and keywords -------------------------------------------------------------------


def test_it_derives_project_ecosystems_from_the_topic_code():
    def ecosystems(topic_code: str, title: str = "", legal_basis: str = "") -> set[str]:
        return project_ecosystems(
            topic_code=topic_code, legal_basis=legal_basis, title=title, keywords=[]
        )

    # Codes as they appear in projects.csv.gz.
    assert ecosystems(
        "HORIZON-CL5-2021-D2-01-02", "High-Voltage Spinel LNMO Silicon-Graphite Cells and Modules"
    ) == {MOBILITY, RENEWABLES}
    assert ecosystems("HORIZON-CL4-2021-RESILIENCE-01-07") == {EII}
    assert ecosystems(
        "HORIZON-CL4-2021-DIGITAL-EMERGING-01-01", "Next generation photonics integrated circuits"
    ) == {DIGITAL, ELECTRONICS}
    assert ecosystems("HORIZON-CL6-2022-FARM2FORK-01-02") == {AGRI_FOOD}
    assert ecosystems("HORIZON-HLTH-2021-DISEASE-04-07") == {HEALTH}
    assert ecosystems("HORIZON-JU-Chips-2023-1-IA") == {ELECTRONICS, DIGITAL}
    assert ecosystems("HORIZON-WIDERA-2022-ACCESS-04-01", legal_basis="HORIZON.4.1") == set()
    assert ecosystems("HORIZON-EIC-2022-PATHFINDEROPEN-01", legal_basis="HORIZON.2.6") == {
        AGRI_FOOD
    }


def test_it_adds_ecosystems_from_words_in_title_and_keywords():
    found = project_ecosystems(
        topic_code="ERC-2022-STG",
        legal_basis="HORIZON.1.1",
        title="Smart textiles for wearable energy harvesting",
        keywords=["fashion", "soil health"],
    )
    assert found == {TEXTILES}


def test_it_keeps_the_ecosystems_of_a_quarter_of_the_projects():
    projects = [{DIGITAL, HEALTH}] * 5 + [{MOBILITY}] * 2 + [{AGRI_FOOD}]
    assert organisation_ecosystems(projects) == [DIGITAL, HEALTH, MOBILITY]
    assert organisation_ecosystems([{AGRI_FOOD}]) == [AGRI_FOOD]
    assert organisation_ecosystems([set(), set(), {AGRI_FOOD}]) == [AGRI_FOOD]
    assert organisation_ecosystems([set()] * 4 + [{AGRI_FOOD}]) == []
    assert organisation_ecosystems([]) == []


def test_it_keeps_the_most_frequent_keywords_nicely_cased():
    projects = [
        ["Circular economy", "AI", "LCA"],
        ["CIRCULAR ECONOMY", "ai", "batteries"],
        ["circular economy", "AI"],
        ["Circular Economy"],
    ]
    assert organisation_keywords(projects)[:3] == ["Circular economy", "AI", "LCA"]
    many = [[f"keyword {n}" for n in range(15)]]
    assert organisation_keywords(many) == [f"keyword {n}" for n in range(10)]


@pytest.mark.django_db
def test_if_changed_skips_an_import_whose_inputs_are_unchanged(data_dir, tmp_path):
    import shutil

    from clustercollab.core.models import DataImport

    own_dir = tmp_path / "cordis"
    shutil.copytree(data_dir, own_dir)
    out, _err = _import(own_dir, "--if-changed")
    assert "14 created" in out
    assert DataImport.objects.count() == 1

    out, _err = _import(own_dir, "--if-changed")
    assert "nothing to do" in out
    assert DataImport.objects.count() == 1

    # A changed input file runs the import again; so does an emptied database.
    reviewed = own_dir / "cluster_organisations_reviewed.csv"
    reviewed.write_text(reviewed.read_text() + "\n")
    out, _err = _import(own_dir, "--if-changed")
    assert "nothing to do" not in out and "14 unchanged" in out
    Organisation.objects.all().delete()
    out, _err = _import(own_dir, "--if-changed")
    assert "14 created" in out
