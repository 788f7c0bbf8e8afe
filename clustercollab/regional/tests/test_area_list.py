"""The supporter's list of its area's organisations: steps, filters, pages, CSV and API."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clustercollab.accounts.services import api_token_create
from clustercollab.core.models import NutsRegion
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation
from clustercollab.regional.models import RegionalSupporter

pytestmark = pytest.mark.django_db


def _names(response):
    return [row["name"] for row in response.json()["results"]]


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_each_cluster_shows_the_step_it_is_at(client, area):
    client.force_login(area.office_editor)
    page = client.get(f"/regional/{area.supporter.pk}/").content.decode()
    assert page.count('data-testid="area-row"') == 4  # clusters only; archived left out
    assert "This profile is a draft and not visible to the public." in page
    assert "Fill in about us, then press" in page  # what the draft still lacks
    assert "Submitted for validation — not public yet." in page
    assert "Please add your member counts." in page
    assert area.company.name not in page

    detail = client.get(f"/regional/{area.supporter.pk}/organisations/{area.draft.pk}/")
    text = detail.content.decode()
    assert "This profile is a draft" in text and "% complete" in text
    assert "Send a reminder or an offer of help" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["draft", "changes_requested", "published", "submitted"]),
        ("?status=registration", ["draft", "changes_requested", "submitted"]),
        ("?status=published", ["published"]),
        ("?region=FI1DC", ["draft"]),
        ("?region=fi1dc&kind=all", ["company", "draft"]),
        ("?kind=company", ["company"]),
        ("?q=lapland", ["published"]),
    ],
)
def test_the_list_filters_in_the_page_the_csv_and_the_api(client, area, query, expected):
    names = sorted(getattr(area, name).name for name in expected)
    client.force_login(area.office_admin)
    page = client.get(f"/regional/{area.supporter.pk}/{query}").content.decode()
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert page.count('data-testid="area-row"') == len(names)
    rows = _csv(client, f"/regional/{area.supporter.pk}/export.csv{query}")
    assert [row["name"] for row in rows] == names
    _token, secret = api_token_create(user=area.office_admin, name="test")
    api = client.get(
        f"/api/v1/regional/supporters/{area.supporter.pk}/organisations/{query}",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert _names(api) == names


def test_newest_registrations_or_the_longest_unchanged_first(client, area):
    registered = [area.submitted, area.draft, area.changes_requested, area.published]
    changed = [area.draft, area.published, area.submitted, area.changes_requested]
    start = timezone.now() - timedelta(days=90)
    for days, organisation in enumerate(registered):
        Organisation.objects.filter(pk=organisation.pk).update(
            created_at=start + timedelta(days=days)
        )
    for days, organisation in enumerate(changed):
        Organisation.objects.filter(pk=organisation.pk).update(
            updated_at=start + timedelta(days=10 + days)
        )
    client.force_login(area.office_admin)
    for sort, expected in [("newest", registered[::-1]), ("stalest", changed)]:
        page = client.get(f"/regional/{area.supporter.pk}/?sort={sort}").content.decode()
        positions = [page.index(organisation.name) for organisation in expected]
        assert positions == sorted(positions), sort


def test_the_csv_carries_the_step_and_completeness(client, area):
    client.force_login(area.office_editor)
    rows = _csv(client, f"/regional/{area.supporter.pk}/export.csv?q=Karelia")
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "Draft"
    assert row["registration step"] == "This profile is a draft and not visible to the public."
    assert row["NUTS region"] == "FI1DC"
    assert 0 < int(row["complete (%)"]) < 100
    assert "about us" in row["missing"]
    assert row["profile"] == ""  # a draft has no public address


def test_an_unknown_region_filter_is_reported_and_ignored(client, area):
    client.force_login(area.office_editor)
    response = client.get(f"/regional/{area.supporter.pk}/?region=XX9")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no NUTS region with the code “XX9”." in page
    assert page.count('data-testid="area-row"') == 4


def test_the_api_names_a_bad_parameter(client, area):
    _token, secret = api_token_create(user=area.office_editor, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/v1/regional/supporters/{area.supporter.pk}/organisations/"
    response = client.get(url + "?region=XX9", **headers)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"region": ["There is no NUTS region with the code “XX9”."]}
    assert client.get(url + "?status=archived", **headers).status_code == 400
    assert client.get(url + "?page=9", **headers).status_code == 400
    detail = client.get(url, **headers).json()["results"]
    draft = next(row for row in detail if row["id"] == area.draft.pk)
    assert draft["status"] == "draft" and draft["region"] == "FI1DC"
    assert draft["step"].startswith("This profile is a draft")
    assert "about us" in draft["missing"]
    published = next(row for row in detail if row["id"] == area.published.pk)
    assert published["step"] is None


def test_the_list_paginates(client, area):
    region = NutsRegion.objects.get(code="FI1DA")
    for number in range(26):
        make_organisation(name=f"Test Savo Cluster {number:02d}", nuts_region=region)
    client.force_login(area.office_editor)
    first = client.get(f"/regional/{area.supporter.pk}/?region=FI1DA").content.decode()
    assert first.count('data-testid="area-row"') == 25
    assert "Page 1 of 2" in first
    second = client.get(f"/regional/{area.supporter.pk}/?region=FI1DA&page=2").content.decode()
    assert second.count('data-testid="area-row"') == 1
    assert "Test Savo Cluster 25" in second
    # The next-page link keeps the filter.
    assert "region=FI1DA" in first.split('class="pagination"')[1]


def test_a_country_covers_its_profiles_without_a_region(client, area):
    area.supporter.countries.add("SE")
    swedish = make_organisation(name="Test Umeå Cluster", country_id="SE", nuts_region=None)
    client.force_login(area.office_editor)
    page = client.get(f"/regional/{area.supporter.pk}/").content.decode()
    assert swedish.name in page


def test_a_member_of_several_supporters_chooses_one(client, area):
    client.force_login(area.office_editor)
    assert client.get("/regional/").url == f"/regional/{area.supporter.pk}/"
    RegionalSupporter.objects.create(organisation=area.outsider_org).regions.add("FI1C")
    area.outsider_org.memberships.create(user=area.office_editor, role="editor")
    page = client.get("/regional/").content.decode()
    assert area.office.name in page and area.outsider_org.name in page
    client.force_login(area.draft_admin)
    assert (
        "None of your organisations is a regional supporter"
        in client.get("/regional/").content.decode()
    )


def test_a_page_of_the_list_costs_the_same_queries_however_many_rows(
    client, area, django_assert_max_num_queries
):
    client.force_login(area.office_editor)
    url = f"/regional/{area.supporter.pk}/?region=FI1DA"
    region = NutsRegion.objects.get(code="FI1DA")
    make_organisation(name="Test Savo Cluster first", nuts_region=region)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).content.decode().count('data-testid="area-row"') == 1
    for number in range(24):
        make_organisation(name=f"Test Savo Cluster {number:02d}", nuts_region=region)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="area-row"') == 25
