"""Registration after the event or after it closes, before it opens, twice, in an unknown or
unoffered mode, capacity below the people registered: a clear error and nothing saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clustercollab.core.moderation import ModerationStatus
from clustercollab.registrations import services
from clustercollab.registrations.models import Interest, Registration, RegistrationSetup
from clustercollab.registrations.tests.factories import make_event, open_registration, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_and_organiser():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=2, online=0)
    return event, organiser


def _refused(match: str, **kwargs) -> None:
    before = Registration.objects.count()
    with pytest.raises(ValidationError, match=match):
        services.register(**kwargs)
    assert Registration.objects.count() == before


def test_registration_after_the_event_is_refused(event_and_organiser):
    event, _ = event_and_organiser
    (person,) = people(1)
    _refused(
        "already ended",
        event=event,
        user=person,
        mode="on_site",
        now=event.ends_at + timedelta(minutes=1),
    )


def test_registration_after_it_closes_is_refused(event_and_organiser):
    event, _ = event_and_organiser
    (person,) = people(1)
    during_event = event.starts_at + timedelta(hours=1)
    _refused("Registration closed on", event=event, user=person, mode="on_site", now=during_event)


def test_registration_before_it_opens_is_refused():
    event, organiser = make_event()
    now = timezone.now()
    open_registration(
        event, organiser, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2)
    )
    (person,) = people(1)
    _refused("Registration opens on", event=event, user=person, mode="on_site")


def test_registering_twice_is_refused(event_and_organiser):
    event, _ = event_and_organiser
    (person,) = people(1)
    services.register(event=event, user=person, mode="on_site")
    _refused("already registered", event=event, user=person, mode="on_site")
    _refused("already registered", event=event, user=person, mode="online")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("backstage", "Unknown attendance mode"),
        ("", "Unknown attendance mode"),
        ("online", "no online"),
    ],
)
def test_unknown_or_unoffered_modes_are_refused(event_and_organiser, mode, message):
    event, _ = event_and_organiser
    (person,) = people(1)
    _refused(message, event=event, user=person, mode=mode)
    with pytest.raises(ValidationError, match=message):
        services.interest_set(event=event, user=person, mode=mode)
    assert not Interest.objects.exists()


def test_an_event_without_registration_or_unpublished_refuses():
    event, organiser = make_event()
    (person,) = people(1)
    _refused("not offered", event=event, user=person, mode="on_site")
    open_registration(event, organiser)
    event.status = ModerationStatus.DRAFT
    event.save()
    _refused("not published", event=event, user=person, mode="on_site")


def test_capacity_below_the_people_registered_is_refused(event_and_organiser):
    event, organiser = event_and_organiser
    for person in people(2):
        services.register(event=event, user=person, mode="on_site")
    setup = RegistrationSetup.objects.get(event=event)
    with pytest.raises(ValidationError) as caught:
        services.setup_save(
            event=event,
            actor=organiser,
            on_site_capacity=1,
            online_capacity=5,
            opens_at=setup.opens_at,
            closes_at=setup.closes_at,
        )
    assert (
        "2 people are already registered in this mode"
        in caught.value.message_dict["on_site_capacity"][0]
    )
    setup.refresh_from_db()
    assert (setup.on_site_capacity, setup.online_capacity) == (2, 0)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"on_site_capacity": 0, "online_capacity": 0}, "on_site_capacity", "at least one place"),
        ({"closes_before_opening": True}, "closes_at", "close after it opens"),
        ({"closes_after_event": True}, "closes_at", "after the event ends"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(change, field, message):
    event, organiser = make_event()
    now = timezone.now()
    values = {
        "on_site_capacity": change.get("on_site_capacity", 5),
        "online_capacity": change.get("online_capacity", 5),
        "opens_at": now,
        "closes_at": now - timedelta(hours=1)
        if change.get("closes_before_opening")
        else (
            event.ends_at + timedelta(days=1)
            if change.get("closes_after_event")
            else event.starts_at
        ),
    }
    with pytest.raises(ValidationError) as caught:
        services.setup_save(event=event, actor=organiser, **values)
    assert message in " ".join(caught.value.message_dict[field])
    assert not RegistrationSetup.objects.exists()


def test_opening_registration_on_a_past_event_is_refused():
    event, organiser = make_event(starts_in=timedelta(days=-3))
    with pytest.raises(ValidationError, match="already ended"):
        services.setup_save(
            event=event,
            actor=organiser,
            on_site_capacity=5,
            online_capacity=0,
            opens_at=event.starts_at - timedelta(days=5),
            closes_at=event.starts_at,
        )
    assert not RegistrationSetup.objects.exists()


def test_only_organisers_set_up_registration_and_people_cancel_only_their_own(event_and_organiser):
    event, _ = event_and_organiser
    person, stranger = people(2)
    with pytest.raises(PermissionDenied):
        services.setup_save(
            event=event,
            actor=stranger,
            on_site_capacity=50,
            online_capacity=0,
            opens_at=timezone.now(),
            closes_at=event.starts_at,
        )
    registration = services.register(event=event, user=person, mode="on_site")
    with pytest.raises(PermissionDenied):
        services.cancel(registration=registration, actor=stranger)
    assert Registration.objects.get(pk=registration.pk).status == "registered"
    assert RegistrationSetup.objects.get(event=event).on_site_capacity == 2


def test_cancelling_twice_is_refused(event_and_organiser):
    event, _ = event_and_organiser
    (person,) = people(1)
    registration = services.register(event=event, user=person, mode="on_site")
    services.cancel(registration=registration, actor=person)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel(registration=registration, actor=person)


@pytest.mark.parametrize(
    ("event_mode", "field", "message"),
    [("on_site", "online_capacity", "on site only"), ("online", "on_site_capacity", "online only")],
)
def test_places_in_a_mode_the_event_does_not_have_are_refused(event_mode, field, message):
    event, organiser = make_event(mode=event_mode)
    with pytest.raises(ValidationError) as caught:
        services.setup_save(
            event=event,
            actor=organiser,
            on_site_capacity=10,
            online_capacity=10,
            opens_at=timezone.now(),
            closes_at=event.starts_at,
        )
    assert message in caught.value.message_dict[field][0]
    assert not RegistrationSetup.objects.exists()
