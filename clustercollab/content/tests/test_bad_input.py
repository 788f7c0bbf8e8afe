"""Bad input gets a clear message, keeps what was typed and saves nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clustercollab.content.models import Event, News, sanitise_rich_text
from clustercollab.content.tests.factories import make_cast, post_news

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    cast = make_cast()
    client.force_login(cast.editor)
    client.cast = cast
    return client


def _event_data(client, **overrides) -> dict:
    data = {
        "posting_organisation": client.cast.organisation.pk,
        "title": "Smart textiles workshop",
        "event_type": "workshop",
        "mode": "on_site",
        "starts_at": "2026-06-10T09:00",
        "ends_at": "2026-06-10T17:00",
        "timezone": "Europe/Helsinki",
        "language": "en",
        "city": "Tampere",
    }
    data.update(overrides)
    return data


def test_an_event_that_ends_before_it_starts_is_refused(editor_client):
    response = editor_client.post(
        reverse("content:event_create"),
        _event_data(editor_client, ends_at="2026-06-09T17:00"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_at"] == ["The event cannot end before it starts."]
    html = response.content.decode()
    assert 'value="Smart textiles workshop"' in html
    assert 'value="2026-06-09T17:00"' in html
    assert not Event.objects.exists()


def test_an_unknown_time_zone_is_refused(editor_client):
    response = editor_client.post(
        reverse("content:event_create"), _event_data(editor_client, timezone="Europe/Atlantis")
    )
    assert response.status_code == 200
    assert "is not a known time zone" in response.context["form"].errors["timezone"][0]
    assert 'value="Europe/Atlantis"' in response.content.decode()
    assert not Event.objects.exists()


def test_event_end_before_start_is_refused_by_the_api(editor_client):
    import json

    response = editor_client.post(
        "/api/v1/events/",
        data=json.dumps(
            {
                "organisation": editor_client.cast.organisation.pk,
                "title": "Backwards",
                "event_type": "webinar",
                "mode": "online",
                "starts_at": "2026-06-10T09:00:00Z",
                "ends_at": "2026-06-10T08:00:00Z",
                "timezone": "Mars/Olympus",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"timezone"}
    assert not Event.objects.exists()


def test_script_tags_in_rich_text_are_removed(editor_client):
    response = editor_client.post(
        reverse("content:news_create"),
        {
            "posting_organisation": editor_client.cast.organisation.pk,
            "title": "Rich text",
            "language": "en",
            "body": '<p onclick="steal()">Hello <strong>all</strong></p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)>',
        },
    )
    assert response.status_code == 302
    news = News.objects.get()
    assert "<script" not in news.body
    assert "alert" not in news.body
    assert "onclick" not in news.body
    assert "<img" not in news.body
    assert "<strong>all</strong>" in news.body
    page = editor_client.get(news.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page


def test_sanitising_also_applies_to_saves_outside_forms():
    cast = make_cast()
    news = post_news(actor=cast.staff, organisation=None, body="<script>x()</script><p>ok</p>")
    assert news.body == "<p>ok</p>"
    assert sanitise_rich_text('<a href="https://eu.example">l</a>').startswith(
        '<a href="https://eu.example"'
    )


def _png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_an_oversize_image_is_refused_and_nothing_is_saved(editor_client, settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 1000
    big = SimpleUploadedFile("photo.png", _png((400, 400)) + b"\0" * 2000, "image/png")
    response = editor_client.post(
        reverse("content:news_create"),
        {
            "posting_organisation": editor_client.cast.organisation.pk,
            "title": "With a big photo",
            "language": "en",
            "image": big,
        },
    )
    assert response.status_code == 200
    assert "the limit is" in response.context["form"].errors["image"][0]
    assert 'value="With a big photo"' in response.content.decode()
    assert not News.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(editor_client):
    fake = SimpleUploadedFile("photo.png", b"<html>not an image</html>", "image/png")
    response = editor_client.post(
        reverse("content:news_create"),
        {
            "posting_organisation": editor_client.cast.organisation.pk,
            "title": "Fake photo",
            "language": "en",
            "image": fake,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    assert not News.objects.exists()


def test_a_good_image_is_stored_resized(editor_client, settings):
    settings.CONTENT_IMAGE_MAX_PIXELS = 20
    upload = SimpleUploadedFile("photo.png", _png((40, 30)), "image/png")
    response = editor_client.post(
        reverse("content:news_create"),
        {
            "posting_organisation": editor_client.cast.organisation.pk,
            "title": "With a photo",
            "language": "en",
            "image": upload,
        },
    )
    assert response.status_code == 302
    news = News.objects.get()
    with Image.open(news.image.path) as stored:
        assert max(stored.size) == 20


def test_nonsense_filters_and_pages_do_not_break_lists(client):
    for url in [
        "/news/?ecosystem=nope&country=zz&date_from=yesterday&page=999",
        "/events/?type=party&when=someday&organisation=abc",
        "/calls/?status=maybe&q=" + "x" * 500,
        "/events/calendar/2026/13/",
        "/policy/xx/",
        "/campaigns/none/",
        "/api/v1/calls/?status=maybe&page=abc",
    ]:
        response = client.get(url)
        # The API answers bad parameters with a 400 that names them (the API's convention).
        allowed = (200, 400, 404) if url.startswith("/api/") else (200, 404)
        assert response.status_code in allowed, url


def test_extreme_dates_in_filters_do_not_break_lists(client):
    for url in [
        "/news/?date_from=0001-01-01&date_to=9999-12-31",
        "/events/?date_from=0001-01-01&date_to=9999-12-31&when=",
        "/calls/?date_from=0001-01-01&date_to=9999-12-31",
        "/api/v1/events/?date_to=9999-12-31",
        "/events/calendar/9999/12/",
        "/events/calendar/1900/1/",
    ]:
        assert client.get(url).status_code in (200, 404), url


def test_dates_far_outside_the_calendar_are_refused(editor_client):
    response = editor_client.post(
        reverse("content:event_create"),
        _event_data(
            editor_client,
            starts_at="9999-12-31T23:00",
            ends_at="9999-12-31T23:30",
            timezone="America/New_York",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == ["Give a date between 1900 and 2200."]
    assert not Event.objects.exists()


def test_odd_parameters_get_a_page_or_a_404_never_an_error(client):
    from clustercollab.organisations.tests.factories import make_user

    client.force_login(make_user(staff=True))
    for url in [
        "/news/?organisation=99999999999999999999999",
        "/news/?organisation=-1",
        "/news/?organisation=1e400",
        "/api/v1/news/?organisation=99999999999999999999999",
        "/news/99999999999999999999999/x/",
        "/api/v1/news/99999999999999999999999/",
        "/events/99999999999999999999999/edit/",
        "/moderation/content/news/99999999999999999999999/",
        "/news/?page=99999999999999999999999",
        "/news/?q=%00",
        "/news/?country=%00",
        "/news/?ecosystem=%00",
        "/calls/?programme=%00&type=%00",
        "/events/calendar/2026/5/?q=%00",
        "/api/v1/events/?country=%00",
    ]:
        response = client.get(url)
        allowed = (200, 400, 404) if url.startswith("/api/") else (200, 404)
        assert response.status_code in allowed, (url, response.status_code)


def test_odd_ids_and_nul_characters_in_posts_are_refused_cleanly(client):
    import json

    cast = make_cast()
    client.force_login(cast.editor)
    org = cast.organisation.pk
    for body in [
        {"organisation": 99999999999999999999999, "title": "x"},
        {"organisation": org, "title": "x", "countries": ["\x00"]},
        {"organisation": org, "title": "x\x00"},
        {"organisation": org, "title": "x", "ecosystems": ["\x00"]},
    ]:
        response = client.post(
            "/api/v1/news/", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (400, 403), body
    response = client.post(
        "/news/new/",
        {"posting_organisation": "99999999999999999999999", "title": "x", "language": "en"},
    )
    assert response.status_code == 200
    response = client.post(
        "/stories/new/",
        {
            "posting_organisation": org,
            "title": "x",
            "language": "en",
            "organisations_involved": "99999999999999999999999",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisations_involved"]
    assert not News.objects.exists()
