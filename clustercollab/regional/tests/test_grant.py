"""Staff grant, change and revoke the regional supporter role; unknown codes change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.regional.models import RegionalSupporter
from clustercollab.regional.services import supporter_grant

pytestmark = pytest.mark.django_db
URL = "/regional/supporters/"


@pytest.fixture
def staff_client(client):
    staff = make_user("moderator@platform.example.org", staff=True)
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def agency():
    return make_organisation(
        kind=OrganisationKind.PUBLIC_BODY,
        name="Test Regional Development Agency",
        status="published",
    )


def test_staff_grant_regions_of_any_level_and_countries(staff_client, agency):
    response = staff_client.post(URL, {"organisation": agency.pk, "codes": "fi1d, SE FI1C1"})
    assert response.status_code == 302
    supporter = RegionalSupporter.objects.get(pk=agency.pk)
    assert sorted(r.code for r in supporter.regions.all()) == ["FI1C1", "FI1D"]
    assert [c.code for c in supporter.countries.all()] == ["SE"]
    assert supporter.granted_by == staff_client.staff
    entry = AuditLogEntry.objects.get(action="regional.supporter.granted")
    assert entry.target_id == str(agency.pk) and entry.data == {"area": ["SE", "FI1D", "FI1C1"]}
    page = staff_client.get(URL).content.decode()
    assert "Test Regional Development Agency" in page and "SE, FI1C1, FI1D" in page


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("FI1D, XX99", "There is no NUTS region or country with the code “XX99”"),
        ("FI1D EL", "There is no NUTS region or country with the code “EL”"),
        (" , ", "Give at least one NUTS region or country code"),
    ],
)
def test_an_unknown_or_missing_code_is_refused_and_nothing_is_saved(
    staff_client, agency, codes, message
):
    response = staff_client.post(URL, {"organisation": agency.pk, "codes": codes})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegionalSupporter.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="regional.").exists()


def test_an_unknown_code_leaves_an_existing_grant_unchanged(staff_client, agency):
    supporter_grant(organisation=agency, codes="FI1D", actor=staff_client.staff)
    response = staff_client.post(URL, {"organisation": agency.pk, "codes": "FI1C NOPE"})
    assert response.status_code == 400
    assert "“NOPE”" in response.content.decode()
    assert RegionalSupporter.objects.get().area_codes == ["FI1D"]


def test_an_unknown_organisation_is_refused(staff_client):
    response = staff_client.post(URL, {"organisation": 999999, "codes": "FI1D"})
    assert response.status_code == 400
    assert "There is no organisation with this number." in response.content.decode()
    assert not RegionalSupporter.objects.exists()


def test_granting_again_replaces_the_area_and_revoking_removes_the_role(staff_client, agency):
    supporter_grant(organisation=agency, codes="FI1D", actor=staff_client.staff)
    assert staff_client.post(URL, {"organisation": agency.pk, "codes": "FI"}).status_code == 302
    supporter = RegionalSupporter.objects.get()
    assert supporter.area_codes == ["FI"]
    assert AuditLogEntry.objects.filter(action="regional.supporter.changed").exists()
    response = staff_client.post(f"/regional/supporters/{agency.pk}/revoke/")
    assert response.status_code == 302
    assert not RegionalSupporter.objects.exists()
    assert AuditLogEntry.objects.get(action="regional.supporter.revoked").data == {"area": ["FI"]}


def test_only_staff_may_grant_through_the_service(agency):
    with pytest.raises(PermissionDenied):
        supporter_grant(organisation=agency, codes="FI1D", actor=make_user())
    with pytest.raises(ValidationError):
        supporter_grant(organisation=agency, codes="ZZ", actor=make_user(staff=True))
    assert not RegionalSupporter.objects.exists()


def test_staff_grant_the_role_in_the_django_admin(client, agency):
    admin = make_user("root@platform.example.org", staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/regional/regionalsupporter/add/"
    assert client.get(url).status_code == 200
    empty = client.post(url, {"organisation": agency.pk})
    assert empty.status_code == 200
    assert "Choose at least one NUTS region or country." in empty.content.decode()
    assert not RegionalSupporter.objects.exists()
    unknown = client.post(url, {"organisation": agency.pk, "regions": ["XX99"]})
    assert unknown.status_code == 200
    assert not RegionalSupporter.objects.exists()
    response = client.post(url, {"organisation": agency.pk, "regions": ["FI1D"], "countries": []})
    assert response.status_code == 302
    supporter = RegionalSupporter.objects.get()
    assert supporter.area_codes == ["FI1D"] and supporter.granted_by == admin
    entry = AuditLogEntry.objects.get(action="regional.supporter.granted")
    assert entry.data == {"area": ["FI1D"]}
    assert client.get("/admin/regional/regionalsupporter/").status_code == 200
