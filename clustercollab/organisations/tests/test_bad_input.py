import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def _png(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def member_and_organisation(client):
    member = make_user()
    organisation = make_organisation(admin=member, status=ModerationStatus.DRAFT)
    client.force_login(member)
    return member, organisation


def _post(client, organisation, **changes):
    data = {
        "kind": "cluster",
        "name": organisation.name,
        "country": "FI",
        "city": organisation.city,
        "about": organisation.about,
        "contact_email": organisation.contact_email,
        "ecosystems": [e.pk for e in organisation.ecosystems.all()],
    }
    data.update(changes)
    return client.post(reverse("organisations:edit", args=[organisation.pk]), data)


def _snapshot(organisation):
    return {
        f.name: getattr(Organisation.objects.get(pk=organisation.pk), f.attname)
        for f in Organisation._meta.concrete_fields
        if f.name != "updated_at"
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"website": "not a website"}, "Enter a valid URL"),
        ({"members_smes": "-3"}, "greater than or equal to 0"),
        ({"latitude": "91", "longitude": "10"}, "less than or equal to 90"),
        ({"latitude": "60", "longitude": "181"}, "less than or equal to 180"),
        ({"latitude": "60"}, "Give both latitude and longitude"),
        ({"label": "gold"}, "Say until when the label is valid"),
    ],
)
def test_bad_values_get_a_clear_message_and_change_nothing(
    client, member_and_organisation, changes, message
):
    _member, organisation = member_and_organisation
    before = _snapshot(organisation)
    response = _post(client, organisation, name="Renamed Cluster", **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot(organisation) == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"this is not an image", "image/png"),
            "Upload a valid image",
        ),
        (
            SimpleUploadedFile(
                "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
            ),
            "Upload a valid image",
        ),
    ],
)
def test_a_logo_that_is_not_a_raster_image_is_refused(
    client, member_and_organisation, upload, message
):
    _member, organisation = member_and_organisation
    response = _post(client, organisation, logo=upload)
    assert message in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo


def test_an_oversize_logo_is_refused(client, member_and_organisation, settings):
    settings.LOGO_MAX_BYTES = 10_000
    _member, organisation = member_and_organisation
    big = _png((2000, 2000)) + b"\0" * 20_000
    response = _post(client, organisation, logo=SimpleUploadedFile("big.png", big, "image/png"))
    assert "the limit is" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo


def test_a_good_logo_is_resized_to_a_small_png(client, member_and_organisation):
    _member, organisation = member_and_organisation
    response = _post(
        client, organisation, logo=SimpleUploadedFile("logo.jpg", _png((1600, 800)), "image/jpeg")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    with organisation.logo.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "PNG" and max(image.size) == 400


def test_coordinates_derive_the_nuts_region(client, member_and_organisation):
    _member, organisation = member_and_organisation
    response = _post(client, organisation, latitude="62.601", longitude="29.763")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.nuts_region_id == "FI1DC"  # Pohjois-Karjala (Joensuu)


def test_an_unknown_page_or_bad_id_is_a_404_not_a_500(client, member_and_organisation):
    assert client.get("/organisations/999999/edit/").status_code == 404
    assert client.get("/organisations/999999/x/").status_code == 404
    assert client.get("/invitations/no-such-token/").status_code == 404
