"""Interest, registration, the waiting list and its order, e-mails, the join link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clustercollab.registrations import selectors, services
from clustercollab.registrations.models import (
    AttendanceMode,
    Interest,
    Registration,
    RegistrationStatus,
)
from clustercollab.registrations.tests.factories import (
    JOIN_LINK,
    make_event,
    open_registration,
    people,
)

pytestmark = pytest.mark.django_db
ON_SITE, ONLINE = AttendanceMode.ON_SITE, AttendanceMode.ONLINE


def test_registrations_fill_each_mode_then_go_to_its_waiting_list():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=2, online=1)
    a, b, c, d, e = people(5)
    statuses = [
        services.register(event=event, user=a, mode=ON_SITE).status,
        services.register(event=event, user=b, mode=ONLINE).status,
        services.register(event=event, user=c, mode=ON_SITE).status,
        services.register(event=event, user=d, mode=ON_SITE).status,
        services.register(event=event, user=e, mode=ONLINE).status,
    ]
    assert statuses == ["registered", "registered", "registered", "waiting", "waiting"]
    figures = {f.mode: f for f in selectors.figures(event)}
    assert (figures[ON_SITE].registered, figures[ON_SITE].waiting) == (2, 1)
    assert (figures[ONLINE].registered, figures[ONLINE].waiting) == (1, 1)
    assert figures[ON_SITE].places_left == 0


def test_cancellation_promotes_the_waiting_list_first_come_first_served():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    holder, first, second, third, online_holder, online_waiting = people(6)
    start = timezone.now()
    place = services.register(event=event, user=holder, mode=ON_SITE, now=start)
    # Queued out of id order on purpose: the queue follows arrival time, not insertion.
    waiting_third = services.register(
        event=event, user=third, mode=ON_SITE, now=start + timedelta(minutes=3)
    )
    waiting_first = services.register(
        event=event, user=first, mode=ON_SITE, now=start + timedelta(minutes=1)
    )
    waiting_second = services.register(
        event=event, user=second, mode=ON_SITE, now=start + timedelta(minutes=2)
    )
    services.register(event=event, user=online_holder, mode=ONLINE)
    services.register(event=event, user=online_waiting, mode=ONLINE)
    assert [
        selectors.waiting_position(r) for r in (waiting_first, waiting_second, waiting_third)
    ] == [
        1,
        2,
        3,
    ]

    services.cancel(registration=place, actor=holder)
    assert _status(waiting_first) == "registered"
    assert _status(waiting_second) == _status(waiting_third) == "waiting"
    waiting_second.refresh_from_db()
    assert selectors.waiting_position(waiting_second) == 1

    services.cancel(registration=Registration.objects.get(pk=waiting_first.pk), actor=first)
    assert _status(waiting_second) == "registered"
    assert _status(waiting_third) == "waiting"
    # Cancelling from the waiting list frees no place; the other mode's list is untouched.
    services.cancel(registration=Registration.objects.get(pk=waiting_third.pk), actor=third)
    assert (
        Registration.objects.filter(
            event=event, mode=ONLINE, status=RegistrationStatus.WAITING
        ).count()
        == 1
    )
    assert Registration.objects.filter(event=event, status="registered").count() == 2  # 1 + 1


def _status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def test_promotion_and_cancellation_send_emails_and_the_join_link_only_online(
    django_capture_on_commit_callbacks,
):
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    on_site_person, online_person, waiting_person = people(3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=on_site_person, mode=ON_SITE)
        services.register(event=event, user=online_person, mode=ONLINE)
        waiting = services.register(event=event, user=waiting_person, mode=ONLINE)
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert JOIN_LINK not in by_recipient[on_site_person.email]
    assert JOIN_LINK in by_recipient[online_person.email]
    assert "waiting list" in by_recipient[waiting_person.email]
    assert JOIN_LINK not in by_recipient[waiting_person.email]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(
            registration=selectors.active_registration(event=event, user=online_person),
            actor=online_person,
        )
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert "cancelled" in by_recipient[online_person.email]
    assert "A place became free" in by_recipient[waiting_person.email]
    assert JOIN_LINK in by_recipient[waiting_person.email]
    assert _status(waiting) == "registered"


def test_the_join_link_is_for_people_registered_online_only():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    on_site_person, online_person, waiting_person, outsider = people(4)
    services.register(event=event, user=on_site_person, mode=ON_SITE)
    services.register(event=event, user=online_person, mode=ONLINE)
    services.register(event=event, user=waiting_person, mode=ONLINE)
    links = {
        person: selectors.join_link_for(event=event, user=person)
        for person in (on_site_person, online_person, waiting_person, outsider)
    }
    assert links == {on_site_person: "", online_person: JOIN_LINK, waiting_person: "", outsider: ""}


def test_raising_a_capacity_promotes_from_the_waiting_list():
    event, organiser = make_event()
    setup = open_registration(event, organiser, on_site=1, online=1)
    first, second, third = people(3)
    for person in (first, second, third):
        services.register(event=event, user=person, mode=ON_SITE)
    services.setup_save(
        event=event,
        actor=organiser,
        on_site_capacity=2,
        online_capacity=1,
        opens_at=setup.opens_at,
        closes_at=setup.closes_at,
    )
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {first.pk: "registered", second.pk: "registered", third.pk: "waiting"}


def test_interest_before_opening_counts_per_mode_and_is_told_when_registration_opens(
    django_capture_on_commit_callbacks,
):
    event, organiser = make_event()
    now = timezone.now()
    open_registration(
        event, organiser, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=5)
    )
    on_site, online, changed_mind = people(3)
    services.interest_set(event=event, user=on_site, mode=ON_SITE)
    services.interest_set(event=event, user=online, mode=ONLINE)
    services.interest_set(event=event, user=changed_mind, mode=ON_SITE)
    services.interest_set(event=event, user=changed_mind, mode=ONLINE)
    figures = {f.mode: f.interested for f in selectors.figures(event)}
    assert figures == {ON_SITE: 1, ONLINE: 2}
    assert Interest.objects.filter(event=event).count() == 3

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.opening_notices_send(now=now + timedelta(days=1)) == 0
        assert services.opening_notices_send(now=now + timedelta(days=3)) == 3
        assert services.opening_notices_send(now=now + timedelta(days=3, hours=1)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.email for p in (on_site, online, changed_mind)
    )
    # Once open, interest turns into registration.
    with pytest.raises(Exception, match="register instead"):
        services.interest_set(event=event, user=on_site, mode=ON_SITE, now=now + timedelta(days=3))
    registration = services.register(
        event=event, user=on_site, mode=ON_SITE, now=now + timedelta(days=3)
    )
    assert registration.status == "registered"


def test_re_registering_after_cancelling_joins_the_end_of_the_queue():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=1, online=1)
    person, other = people(2)
    first = services.register(event=event, user=person, mode=ON_SITE)
    services.cancel(registration=first, actor=person)
    services.register(event=event, user=other, mode=ON_SITE)
    again = services.register(event=event, user=person, mode=ON_SITE)
    assert again.status == "waiting"
    assert Registration.objects.filter(event=event, user=person).count() == 2
