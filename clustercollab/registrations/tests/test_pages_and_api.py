"""The event page's registration box, the organiser's pages and export, the API, reminders."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clustercollab.accounts.services import api_token_create
from clustercollab.organisations.tests.factories import make_user
from clustercollab.registrations import services
from clustercollab.registrations.models import Interest, Registration, RegistrationSetup
from clustercollab.registrations.tests.factories import (
    JOIN_LINK,
    make_event,
    open_registration,
    people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttle counts live in the cache."""
    cache.clear()
    yield
    cache.clear()


def _bearer(user) -> dict:
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _page(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- Pages --------------------------------------------------------------------------------


def test_the_event_page_shows_the_join_link_only_to_people_registered_online(client):
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    on_site, online, waiting, outsider = people(4)
    services.register(event=event, user=on_site, mode="on_site")
    services.register(event=event, user=online, mode="online")
    services.register(event=event, user=waiting, mode="online")
    assert JOIN_LINK not in _page(client, event)  # anonymous visitor
    for person, sees in ((on_site, False), (online, True), (waiting, False), (outsider, False)):
        client.force_login(person)
        assert (JOIN_LINK in _page(client, event)) is sees, person
    client.force_login(waiting)
    assert "waiting list" in _page(client, event)


def test_a_member_says_they_are_interested_then_registers_then_cancels_through_the_page(client):
    event, organiser = make_event()
    now = timezone.now()
    setup = open_registration(
        event, organiser, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2)
    )
    (person,) = people(1)
    client.force_login(person)
    assert "I am interested" in _page(client, event)
    response = client.post(
        reverse("registrations:interest", args=[event.pk]), {"mode": "online"}, follow=True
    )
    assert "we will e-mail you when registration opens" in response.content.decode()
    assert Interest.objects.get(event=event, user=person).mode == "online"

    setup.opens_at = now - timedelta(minutes=1)
    setup.save()
    response = client.post(
        reverse("registrations:register", args=[event.pk]), {"mode": "online"}, follow=True
    )
    assert "You are registered." in response.content.decode()
    assert JOIN_LINK in response.content.decode()
    response = client.post(reverse("registrations:cancel", args=[event.pk]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert JOIN_LINK not in response.content.decode()
    assert Registration.objects.get(event=event, user=person).status == "cancelled"


def test_bad_input_on_the_page_shows_a_message_and_saves_nothing(client):
    event, organiser = make_event()
    open_registration(event, organiser)
    (person,) = people(1)
    client.force_login(person)
    response = client.post(
        reverse("registrations:register", args=[event.pk]), {"mode": "backstage"}, follow=True
    )
    assert "Unknown attendance mode" in response.content.decode()
    assert not Registration.objects.exists()
    assert client.get(reverse("registrations:register", args=[event.pk])).status_code == 405


def test_the_organiser_opens_registration_through_the_form_in_the_events_time_zone(client):
    event, organiser = make_event(timezone="Europe/Helsinki")
    client.force_login(organiser)
    assert "Open registration on the platform" in _page(client, event)
    day = (event.starts_at - timedelta(days=3)).date()
    response = client.post(
        reverse("registrations:setup", args=[event.pk]),
        {
            "on_site_capacity": "120",
            "online_capacity": "300",
            "opens_at": f"{day.isoformat()}T09:00",
            "closes_at": f"{(day + timedelta(days=1)).isoformat()}T17:00",
            "join_link": "meet.example.org/room",
        },
    )
    assert response.status_code == 302
    setup = RegistrationSetup.objects.get(event=event)
    assert (setup.on_site_capacity, setup.online_capacity) == (120, 300)
    assert setup.opens_at.astimezone(event.zone).hour == 9
    assert setup.join_link == "https://meet.example.org/room"


def test_the_setup_form_shows_errors_and_saves_nothing(client):
    event, organiser = make_event()
    client.force_login(organiser)
    response = client.post(
        reverse("registrations:setup", args=[event.pk]),
        {
            "on_site_capacity": "-3",
            "online_capacity": "x",
            "opens_at": "tomorrow",
            "closes_at": "",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist') >= 3
    assert not RegistrationSetup.objects.exists()


def test_organiser_pages_and_the_export_are_for_organisers_only(client):
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    first, second, stranger = people(3)
    first.full_name = "=HYPERLINK(1)"
    first.save()
    services.register(event=event, user=first, mode="on_site")
    services.register(event=event, user=second, mode="on_site")
    urls = [
        reverse("registrations:setup", args=[event.pk]),
        reverse("registrations:manage", args=[event.pk]),
        reverse("registrations:export", args=[event.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404
    assert "Registrations and waiting list" not in _page(client, event)

    client.force_login(organiser)
    page = client.get(urls[1]).content.decode()
    assert first.email in page and second.email in page
    assert "On the waiting list (1)" in page
    export = b"".join(client.get(urls[2]).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [(r["email"], r["status"]) for r in rows] == [
        (first.email, "registered"),
        (second.email, "waiting"),
    ]
    assert rows[0]["name"] == "'=HYPERLINK(1)"
    assert JOIN_LINK not in export

    # The organiser cancels the first; the second moves up.
    registration = Registration.objects.get(user=first)
    client.post(reverse("registrations:organiser_cancel", args=[event.pk, registration.pk]))
    assert Registration.objects.get(user=second).status == "registered"


def test_my_registrations_lists_them_and_paginates(client):
    event, organiser = make_event()
    open_registration(event, organiser)
    (person,) = people(1)
    services.register(event=event, user=person, mode="online")
    client.force_login(person)
    page = client.get(reverse("registrations:mine")).content.decode()
    assert event.title in page and "Registered" in page
    assert client.get(reverse("registrations:mine") + "?page=99").status_code == 200


# --- API ----------------------------------------------------------------------------------


def test_the_api_registers_cancels_and_lists_with_a_token(client):
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    first, second = people(2)
    url = f"/api/v1/events/{event.pk}/registration/"

    public = client.get(url).json()
    assert public["phase"] == "open"
    assert [m["mode"] for m in public["modes"]] == ["on_site", "online"]
    assert public["modes"][0]["interested"] is None
    assert public["my_registration"] is None

    response = client.post(url + "register/", {"mode": "online"}, **_bearer(first))
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    assert response.json()["join_link"] == JOIN_LINK
    response = client.post(url + "register/", {"mode": "online"}, **_bearer(second))
    assert response.json()["status"] == "waiting"
    assert response.json()["waiting_position"] == 1
    assert response.json()["join_link"] == ""
    assert JOIN_LINK not in client.get(url, **_bearer(second)).content.decode()

    response = client.post(url + "cancel/", **_bearer(first))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    mine = client.get("/api/v1/registrations/mine/", **_bearer(second)).json()
    assert mine["count"] == 1 and mine["results"][0]["status"] == "registered"
    assert mine["results"][0]["join_link"] == JOIN_LINK

    listing = client.get(f"/api/v1/events/{event.pk}/registrations/", **_bearer(organiser))
    assert [r["status"] for r in listing.json()["results"]] == ["cancelled", "registered"]
    assert JOIN_LINK not in listing.content.decode()
    waiting_only = client.get(
        f"/api/v1/events/{event.pk}/registrations/?status=waiting", **_bearer(organiser)
    )
    assert waiting_only.json()["count"] == 0
    assert client.get(url, **_bearer(organiser)).json()["modes"][0]["interested"] == 0


def test_api_errors_are_clear_and_save_nothing(client):
    event, organiser = make_event()
    open_registration(event, organiser)
    (person,) = people(1)
    stranger = make_user()
    url = f"/api/v1/events/{event.pk}/registration/"
    assert client.post(url + "register/", {"mode": "online"}).status_code in (401, 403)
    response = client.post(url + "register/", {"mode": "backstage"}, **_bearer(person))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "Unknown attendance mode" in body["message"]
    assert client.post(url + "register/", {}, **_bearer(person)).status_code == 400
    assert client.post(url + "cancel/", **_bearer(person)).status_code == 400
    assert client.post(url + "interest/", {"mode": "online"}, **_bearer(person)).status_code == 400
    assert not Registration.objects.exists() and not Interest.objects.exists()
    listing = f"/api/v1/events/{event.pk}/registrations/"
    assert client.get(listing, **_bearer(stranger)).status_code == 404
    assert client.get(listing + "?status=maybe", **_bearer(organiser)).status_code == 400
    assert client.get("/api/v1/events/999999/registration/").status_code == 404


def test_the_api_hides_unpublished_events():
    from django.test import Client

    event, organiser = make_event()
    open_registration(event, organiser)
    event.status = "draft"
    event.save()
    assert Client().get(f"/api/v1/events/{event.pk}/registration/").status_code == 404


# --- Reminders ----------------------------------------------------------------------------


def test_reminders_go_once_to_registered_people_with_the_link_only_online(
    django_capture_on_commit_callbacks,
):
    event, organiser = make_event(starts_in=timedelta(days=3))
    open_registration(event, organiser, on_site=1, online=1)
    on_site, online, waiting = people(3)
    services.register(event=event, user=on_site, mode="on_site")
    services.register(event=event, user=online, mode="online")
    services.register(event=event, user=waiting, mode="online")
    later, _ = make_event(starts_in=timedelta(days=30), title="Test later event")
    open_registration(later, _)
    services.register(event=later, user=on_site, mode="on_site")
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", "--hours", "96", stdout=out)
        call_command("send_event_reminders", "--hours", "96", stdout=out)
    assert out.getvalue().splitlines() == [
        "reminders=2 opening_notices=0",
        "reminders=0 opening_notices=0",
    ]
    bodies = {m.to[0]: m.body for m in mail.outbox if m.subject.startswith("Registration")}
    assert set(bodies) == {on_site.email, online.email}
    assert JOIN_LINK in bodies[online.email] and JOIN_LINK not in bodies[on_site.email]
    assert "Reminder" in bodies[on_site.email]


def test_staff_see_registrations_in_the_admin_but_change_them_only_through_the_pages(
    admin_client,
):
    event, organiser = make_event()
    open_registration(event, organiser)
    (person,) = people(1)
    registration = services.register(event=event, user=person, mode="online")
    for model in ("registrationsetup", "registration", "interest"):
        assert admin_client.get(f"/admin/registrations/{model}/").status_code == 200
    assert admin_client.get("/admin/registrations/registration/add/").status_code == 403
    url = f"/admin/registrations/registration/{registration.pk}/change/"
    admin_client.post(url, {"status": "cancelled", "mode": "online"})
    assert Registration.objects.get(pk=registration.pk).status == "registered"
