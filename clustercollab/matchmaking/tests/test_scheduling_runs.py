""" "Schedule all" as a background job: progress, result, refusal while running, failures;
and minimal-change re-planning through the app (previous schedule, diff e-mails)."""

import random
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from clustercollab.matchmaking import agenda, services, tasks
from clustercollab.matchmaking.models import (
    AgendaStatus,
    Meeting,
    RequestMode,
    RequestStatus,
    RunStage,
    RunStatus,
    SchedulingRun,
)
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _meet(event, a, b):
    return services.meeting_request_create(
        event=event, requester=a, recipient=b, actor=a.user, message="Meet?", now=IN_BOOKING
    )


@pytest.fixture
def world():
    event = make_event(request_mode=RequestMode.AUTOMATIC, tables=2, slots=3)
    organiser = make_user(staff=True)
    a, b, c, d = (make_participant(event) for _ in range(4))
    _meet(event, a, b)
    _meet(event, c, d)
    return event, organiser, (a, b, c, d)


def _url(event, suffix=""):
    return f"/matchmaking/{event.pk}/schedule/{suffix}"


def test_schedule_all_runs_in_the_background_through_its_stages(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    event, organiser, _people = world
    real_schedule = agenda.scheduling.schedule
    seen = []

    def watched_schedule(problem, time_limit):
        run = SchedulingRun.objects.get(event=event)
        seen.append((run.status, run.stage, run.started_at is not None))
        return real_schedule(problem, time_limit=time_limit)

    monkeypatch.setattr(agenda.scheduling, "schedule", watched_schedule)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url(event), {"action": "schedule_all"}, follow=True)
    run = SchedulingRun.objects.get(event=event)
    assert run.status == RunStatus.QUEUED and len(callbacks) == 1
    assert "Scheduling started" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the worker picks the task up
    run.refresh_from_db()
    assert seen == [(RunStatus.RUNNING, RunStage.SOLVING, True)]
    assert run.status == RunStatus.DONE and run.finished_at >= run.started_at
    assert (run.requests, run.scheduled, run.warnings) == (2, 2, 0)
    assert run.upper_bound >= run.objective > 0 and run.percent == pytest.approx(100.0)
    assert [stage[0] for stage in run.trace][:2] == ["bound", "colour"]
    assert run.version.status == AgendaStatus.DRAFT
    assert run.version.entries.count() == 2

    page = client.get(_url(event)).content.decode()
    assert 'data-testid="run-result"' in page
    assert "2 of 2 requests scheduled." in page and "100.0 %" in page
    assert "hx-trigger" not in page  # nothing to poll any more


def test_the_page_polls_while_the_run_is_queued_then_refreshes_when_it_is_done(
    client, world, django_capture_on_commit_callbacks
):
    event, organiser, _people = world
    client.force_login(organiser)
    with django_capture_on_commit_callbacks() as callbacks:
        run = agenda.scheduling_run_start(event=event, actor=organiser)
    page = client.get(_url(event)).content.decode()
    poll = _url(event, f"runs/{run.pk}/")
    assert f'hx-get="{poll}"' in page and 'hx-trigger="every 1s"' in page
    assert "Waiting for a worker" in page
    assert '<button type="submit" disabled>Schedule all</button>' in page

    polled = client.get(poll, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "HX-Refresh" not in polled
    assert "<html" not in polled.content.decode()

    SchedulingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        stage=RunStage.SOLVING,
        stage_started_at=timezone.now() - timedelta(seconds=2),
    )
    polled = client.get(poll, HTTP_HX_REQUEST="true").content.decode()
    assert "Optimising the schedule" in polled
    value = int(re.search(r'<progress max="100" value="(\d+)"', polled).group(1))
    assert 40 <= value <= 60  # 2 s of the 5 s time limit, and the time this test takes

    SchedulingRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, stage="")
    callbacks[0]()
    polled = client.get(poll, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "2 of 2 requests scheduled." in polled.content.decode()


def test_a_second_schedule_all_while_one_runs_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    event, organiser, (a, _b, _c, _d) = world
    draft = agenda.agenda_schedule_all(event=event, actor=organiser, time_limit=1)
    with django_capture_on_commit_callbacks():
        agenda.scheduling_run_start(event=event, actor=organiser)
    with pytest.raises(ValidationError, match="already under way"):
        agenda.scheduling_run_start(event=event, actor=make_user(staff=True))

    client.force_login(organiser)
    response = client.post(_url(event), {"action": "schedule_all"}, follow=True)
    assert "A scheduling run is already under way" in response.content.decode()
    assert SchedulingRun.objects.filter(event=event).count() == 1
    # Nor can the draft be locked or published until the run has finished.
    with pytest.raises(ValidationError, match="wait until it finishes"):
        agenda.agenda_publish(version=draft, actor=organiser)
    with pytest.raises(ValidationError, match="wait until it finishes"):
        agenda.agenda_entry_lock(entry=draft.entries.first(), actor=organiser, locked=True)
    draft.refresh_from_db()
    assert draft.status == AgendaStatus.DRAFT and not Meeting.objects.exists()


def test_a_run_that_stopped_long_ago_does_not_block_the_next_one(
    world, django_capture_on_commit_callbacks
):
    event, organiser, _people = world
    with django_capture_on_commit_callbacks():
        stale = agenda.scheduling_run_start(event=event, actor=organiser)
    SchedulingRun.objects.filter(pk=stale.pk).update(
        status=RunStatus.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = agenda.scheduling_run_start(event=event, actor=organiser)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == RunStatus.FAILED and "stopped without finishing" in stale.error
    assert fresh.status == RunStatus.DONE


def test_a_failing_run_is_recorded_and_shown_never_a_500(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    event, organiser, _people = world
    draft = agenda.agenda_schedule_all(event=event, actor=organiser, time_limit=1)

    def broken(problem, time_limit):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(agenda.scheduling, "schedule", broken)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(event), {"action": "schedule_all"}, follow=True)
    assert response.status_code == 200
    run = SchedulingRun.objects.get(event=event)
    assert run.status == RunStatus.FAILED and run.stage == RunStage.SOLVING
    assert "unexpected error" in run.error and "solver crashed" not in run.error
    page = client.get(_url(event))
    assert page.status_code == 200 and 'data-testid="run-error"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == AgendaStatus.DRAFT  # the previous draft is untouched
    # The next run may start at once.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert agenda.scheduling_run_start(event=event, actor=organiser).pk != run.pk
    assert SchedulingRun.objects.filter(event=event, status=RunStatus.DONE).count() == 1


def test_an_organiser_who_lost_the_right_meanwhile_gets_a_failed_run(
    world, django_capture_on_commit_callbacks
):
    event, organiser, _people = world
    with django_capture_on_commit_callbacks() as callbacks:
        run = agenda.scheduling_run_start(event=event, actor=organiser)
    organiser.is_staff = False
    organiser.save()
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "Only the organisers" in run.error
    assert not event.agenda_versions.exists()


def test_the_task_runs_a_queued_run_once(world, django_capture_on_commit_callbacks):
    event, organiser, _people = world
    with django_capture_on_commit_callbacks():
        run = agenda.scheduling_run_start(event=event, actor=organiser)
    assert tasks.run_scheduler.call(run_id=run.pk) == RunStatus.DONE
    assert tasks.run_scheduler.call(run_id=run.pk) == RunStatus.DONE  # delivered twice
    assert event.agenda_versions.count() == 1
    assert tasks.run_scheduler.call(run_id=run.pk + 1000) == ""


def test_run_progress_is_for_the_event_organisers_only(client, world):
    event, organiser, (a, _b, _c, _d) = world
    run = SchedulingRun.objects.create(event=event, created_by=organiser)
    other = make_event()
    client.force_login(organiser)
    assert client.get(f"/matchmaking/{other.pk}/schedule/runs/{run.pk}/").status_code == 404
    assert client.get(_url(event, "runs/999999/")).status_code == 404
    client.force_login(a.user)
    assert client.get(_url(event, f"runs/{run.pk}/")).status_code in (403, 404)


def test_replanning_after_a_few_requests_change_moves_few_meetings_and_tells_only_those_concerned(
    django_capture_on_commit_callbacks,
):
    rng = random.Random(7)
    event = make_event(request_mode=RequestMode.AUTOMATIC, tables=12, slots=8)
    organiser = make_user(staff=True)
    people = [make_participant(event) for _ in range(30)]
    pairs = set()
    while len(pairs) < 80:
        a, b = rng.sample(range(len(people)), 2)
        if (b, a) not in pairs:
            pairs.add((a, b))
    requests = [_meet(event, people[a], people[b]) for a, b in sorted(pairs)]

    first = agenda.agenda_schedule_all(event=event, actor=organiser, time_limit=2)
    agenda.agenda_publish(version=first, actor=organiser)
    before = {m.request_id: (m.slot_id, m.table_id) for m in Meeting.objects.filter(event=event)}
    assert len(before) >= 70

    # 5 % of the requests change: two meetings are cancelled, two new ones are accepted.
    cancelled = [r for r in requests if r.pk in before][:2]
    for request in cancelled:
        services.meeting_request_cancel(request=request, actor=request.requester.user)
    added = []
    for a, b in [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]:
        if (a, b) not in pairs and (b, a) not in pairs and len(added) < 2:
            added.append(_meet(event, people[a], people[b]))
    assert len(added) == 2

    problem = agenda.build_problem(event)
    still = {r.pk for r in requests if r.pk in before and r not in cancelled}
    assert problem.previous == {pk: before[pk][0] for pk in still}

    second = agenda.agenda_schedule_all(event=event, actor=organiser, time_limit=2)
    after = dict(
        (request_id, (slot_id, table_id))
        for request_id, slot_id, table_id in second.entries.values_list(
            "request_id", "slot_id", "table_id"
        )
    )
    moved = [pk for pk in still if after.get(pk, (None,))[0] != before[pk][0]]
    assert len(moved) <= 0.10 * len(still)

    changed = {pk for pk in set(before) | set(after) if before.get(pk) != after.get(pk)}
    by_pk = {r.pk: r for r in requests + added}
    concerned = {
        person.user.email
        for pk in changed
        for person in people
        if person.pk in (by_pk[pk].requester_id, by_pk[pk].recipient_id)
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = agenda.agenda_publish(version=second, actor=organiser)
    assert {address for message in mail.outbox for address in message.to} == concerned
    assert len(told) == len(concerned) < len(people) // 2
    untouched = [p for p in people if p.user.email not in concerned]
    assert untouched and all(p.pk not in told for p in untouched)
    live = {m.request_id: m.slot_id for m in Meeting.objects.filter(event=event)}
    assert all(live[pk] == before[pk][0] for pk in still if pk not in moved)
    assert not set(live) & {r.pk for r in cancelled}
    cancelled[0].refresh_from_db()
    assert cancelled[0].status == RequestStatus.CANCELLED
