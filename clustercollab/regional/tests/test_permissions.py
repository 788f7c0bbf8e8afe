"""Who sees what: visitors, members of other organisations, the supporter's members, staff."""

import pytest

from clustercollab.accounts.services import api_token_create
from clustercollab.regional.models import SupportMessage

pytestmark = pytest.mark.django_db


def _viewer(area, who):
    return {
        "visitor": None,
        "outsider": area.outsider,
        "cluster member": area.draft_admin,
        "supporter editor": area.office_editor,
        "supporter admin": area.office_admin,
        "staff": area.staff,
    }[who]


PAGES = ["area", "csv", "organisation"]
# (viewer, expected status of each page): visitors are sent to log in; other members get 404.
MATRIX = [
    ("visitor", 302),
    ("outsider", 404),
    ("cluster member", 404),
    ("supporter editor", 200),
    ("supporter admin", 200),
    ("staff", 200),
]


def _url(area, page):
    base = f"/regional/{area.supporter.pk}/"
    return {
        "area": base,
        "csv": base + "export.csv",
        "organisation": f"{base}organisations/{area.draft.pk}/",
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "status"), MATRIX)
def test_only_the_supporters_members_and_staff_see_its_area(client, area, page, who, status):
    user = _viewer(area, who)
    if user is not None:
        client.force_login(user)
    response = client.get(_url(area, page))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 200 and page != "csv":
        assert area.draft.name in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 302), ("outsider", 404), ("cluster member", 404), ("staff", 403)],
)
def test_only_the_supporters_members_send_messages(client, area, who, status):
    user = _viewer(area, who)
    if user is not None:
        client.force_login(user)
    url = _url(area, "organisation")
    response = client.post(url, {"kind": "reminder", "body": "Please submit your profile."})
    assert response.status_code == status
    assert not SupportMessage.objects.exists()


@pytest.mark.parametrize("who", ["supporter editor", "supporter admin"])
def test_both_roles_of_the_supporter_send_messages(client, area, who):
    client.force_login(_viewer(area, who))
    response = client.post(
        _url(area, "organisation"), {"kind": "reminder", "body": "Please submit your profile."}
    )
    assert response.status_code == 302
    assert SupportMessage.objects.get().author == _viewer(area, who)


@pytest.mark.parametrize("who", ["supporter editor", "supporter admin"])
def test_a_supporter_cannot_open_or_post_the_edit_form_of_a_cluster(client, area, who):
    client.force_login(_viewer(area, who))
    edit = f"/organisations/{area.draft.pk}/edit/"
    assert client.get(edit).status_code == 404
    response = client.post(edit, {"name": "Taken over", "country": "FI", "kind": "cluster"})
    assert response.status_code == 404
    assert client.post(f"/organisations/{area.draft.pk}/submit/").status_code == 404
    area.draft.refresh_from_db()
    assert area.draft.name == "Test Karelia Wood Cluster"
    assert area.draft.status == "draft"
    # Nor its members page, nor the draft's own (member-only) profile page.
    assert client.get(f"/organisations/{area.draft.pk}/members/").status_code == 404
    assert client.get(area.draft.get_absolute_url()).status_code == 404


def test_the_supporter_sees_nothing_outside_its_regions(client, area):
    client.force_login(area.office_editor)
    base = f"/regional/{area.supporter.pk}/organisations/"
    for hidden in [area.outside, area.outsider_org, area.archived]:
        assert client.get(f"{base}{hidden.pk}/").status_code == 404
        response = client.post(f"{base}{hidden.pk}/", {"kind": "reminder", "body": "Hello"})
        assert response.status_code == 404
    assert not SupportMessage.objects.exists()
    page = client.get(f"/regional/{area.supporter.pk}/?kind=all").content.decode()
    csv = b"".join(client.get(f"/regional/{area.supporter.pk}/export.csv?kind=all")).decode()
    for hidden in [area.outside, area.outsider_org, area.archived]:
        assert hidden.name not in page
        assert hidden.name not in csv
    for shown in [area.draft, area.submitted, area.changes_requested, area.published]:
        assert shown.name in page and shown.name in csv


def test_a_member_of_a_supporter_cannot_look_through_another_supporter(client, area):
    from clustercollab.regional.services import supporter_grant

    other = supporter_grant(organisation=area.outsider_org, codes="FI1C", actor=area.staff)
    client.force_login(area.office_admin)
    assert client.get(f"/regional/{other.pk}/").status_code == 404
    assert client.get(f"/regional/{other.pk}/organisations/{area.outside.pk}/").status_code == 404
    client.force_login(area.outsider)
    assert client.get(f"/regional/{other.pk}/").status_code == 200
    assert client.get(f"/regional/{area.supporter.pk}/").status_code == 404


def test_the_staff_page_is_for_staff_only(client, area):
    url = "/regional/supporters/"
    assert client.get(url).status_code == 302
    client.force_login(area.office_admin)
    response = client.post(url, {"organisation": area.office.pk, "codes": "FI"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    revoke = client.post(f"/regional/supporters/{area.supporter.pk}/revoke/")
    assert revoke.status_code == 302 and "/admin/login/" in revoke["Location"]
    area.supporter.refresh_from_db()
    assert area.supporter.area_codes == ["FI1D"]


def _bearer(user):
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("who", "list_ids", "area_status"),
    [
        ("visitor", None, 401),
        ("outsider", [], 404),
        ("cluster member", [], 404),
        ("supporter editor", ["office"], 200),
        ("supporter admin", ["office"], 200),
        ("staff", ["office"], 200),
    ],
)
def test_the_api_shows_supporters_to_their_members_only(client, area, who, list_ids, area_status):
    user = _viewer(area, who)
    headers = _bearer(user) if user is not None else {}
    listing = client.get("/api/v1/regional/supporters/", **headers)
    organisations = client.get(
        f"/api/v1/regional/supporters/{area.supporter.pk}/organisations/", **headers
    )
    assert organisations.status_code == area_status
    if list_ids is None:
        assert listing.status_code == 401
        return
    assert [row["id"] for row in listing.json()["results"]] == [
        getattr(area, name).pk for name in list_ids
    ]
    if area_status == 200:
        names = {row["name"] for row in organisations.json()["results"]}
        assert area.draft.name in names
        assert area.outside.name not in names and area.archived.name not in names
    detail = client.get(f"/api/v1/regional/supporters/{area.supporter.pk}/", **headers)
    assert detail.status_code == (200 if list_ids else 404)
