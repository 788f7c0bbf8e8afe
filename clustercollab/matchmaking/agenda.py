"""The organiser's scheduling flow: schedule all → draft with warnings → lock → publish → diff.

The optimisation itself is ``clustercollab.matchmaking.scheduling`` (pure Python, no models);
this module turns the database into its ``Problem`` and its ``Solution`` back into rows.

"Schedule all" runs in the background: ``scheduling_run_start`` records a ``SchedulingRun``
(at most one queued or running per event) and enqueues ``tasks.run_scheduler``, which calls
``scheduling_run_execute``: it builds the problem, runs the scheduler and stores the draft,
recording each stage on the run so that the organiser's page can show the progress, then the
result or the error.

Query counts: building a problem reads requests, participants' sessions, slots and the last
published entries once each (5 queries, whatever the size); storing a draft is two bulk inserts.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clustercollab.core.audit import audit_log
from clustercollab.matchmaking import scheduling, selectors, tasks
from clustercollab.matchmaking.models import (
    ACTIVE_RUN_STATUSES,
    AgendaEntry,
    AgendaStatus,
    AgendaVersion,
    Booking,
    MatchmakingEvent,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    Participant,
    Priority,
    RequestStatus,
    RunStage,
    RunStatus,
    SchedulingRun,
    Slot,
)
from clustercollab.matchmaking.times import local_time_text

# A participant idle for this many slots between two meetings gets a warning.
LONG_GAP_SLOTS = 3
MUTUAL_BONUS = 1.0
PRIORITY_BONUS = {Priority.NORMAL: 0.0, Priority.HIGH: 0.25, Priority.TOP: 0.5}
# The scheduler's time limit; the problem building and storing come on top of it.
SCHEDULER_SECONDS = getattr(settings, "MATCHMAKING_SCHEDULER_SECONDS", 5.0)
# A queued or running run not heard of for this long is taken as dead (a worker that stopped),
# so that it does not block the next "schedule all" forever.
STALE_RUN_AFTER = timedelta(minutes=15)

logger = logging.getLogger(__name__)


def _require_organiser(event: MatchmakingEvent, user: Any) -> None:
    if not selectors.can_organise(user=user, event=event):
        raise PermissionDenied(_("Only the organisers of this event can do this."))


def schedulable_requests(event: MatchmakingEvent) -> tuple[list[MeetingRequest], dict[int, float]]:
    """Return one accepted request per pair of participants and each one's weight.

    A pair that requested each other both ways is one meeting, worth more (mutual interest);
    the requester's priority adds a little.
    """
    accepted = list(event.meeting_requests.filter(status=RequestStatus.ACCEPTED).order_by("pk"))
    by_pair: dict[frozenset, list[MeetingRequest]] = defaultdict(list)
    for request in accepted:
        by_pair[frozenset((request.requester_id, request.recipient_id))].append(request)
    chosen, weights = [], {}
    for requests in by_pair.values():
        first = requests[0]
        mutual = len({r.requester_id for r in requests}) > 1
        weights[first.pk] = (
            1.0
            + (MUTUAL_BONUS if mutual else 0.0)
            + max(PRIORITY_BONUS.get(r.priority, 0.0) for r in requests)
        )
        chosen.append(first)
    return chosen, weights


def _locked_and_previous(event: MatchmakingEvent) -> tuple[dict[int, int], dict[int, int]]:
    locked: dict[int, int] = {}
    draft = selectors.draft_agenda(event)
    if draft is not None:
        locked = dict(draft.entries.filter(locked=True).values_list("request_id", "slot_id"))
    previous: dict[int, int] = {}
    published = selectors.published_agenda(event)
    if published is not None:
        previous = dict(published.entries.values_list("request_id", "slot_id"))
        for request_id, slot_id in published.entries.filter(locked=True).values_list(
            "request_id", "slot_id"
        ):
            locked.setdefault(request_id, slot_id)
    return locked, previous


def build_problem(event: MatchmakingEvent) -> Any:
    """Return the scheduler's Problem for the event's accepted requests."""
    capacity = event.tables.count()
    slots = tuple(
        scheduling.Slot(
            id=slot.pk,
            session_id=slot.session_id,
            start=slot.start,
            end=slot.end,
            capacity=capacity,
        )
        for slot in Slot.objects.filter(session__event=event).order_by("start", "pk")
    )
    requests, weights = schedulable_requests(event)
    locked, previous = _locked_and_previous(event)
    problem_requests = tuple(
        scheduling.Request(
            id=r.pk,
            a=r.requester_id,
            b=r.recipient_id,
            weight=weights[r.pk],
            locked_slot=locked.get(r.pk),
        )
        for r in requests
    )
    slots_by_session: dict[int, set[int]] = defaultdict(set)
    for slot in slots:
        slots_by_session[slot.session_id].add(slot.id)
    available: dict[int, set[int]] = defaultdict(set)
    for participant_id, session_id in Participant.sessions.through.objects.filter(
        participant__event=event
    ).values_list("participant_id", "session_id"):
        available[participant_id] |= slots_by_session.get(session_id, set())
    people = {p for r in requests for p in (r.requester_id, r.recipient_id)}
    return scheduling.Problem(
        slots=slots,
        requests=problem_requests,
        available={p: frozenset(available.get(p, ())) for p in people},
        max_meetings={p: event.max_meetings_per_participant for p in people},
        previous={rid: sid for rid, sid in previous.items() if rid in weights},
    )


def assign_tables(
    event: MatchmakingEvent,
    assignment: dict[int, int],
    *,
    keep: dict[int, int] | None = None,
) -> dict[int, int]:
    """Number each slot's meetings onto its tables: request id → table id.

    A meeting keeps the table it had (``keep``: request id → table id) when that table is still
    free in its slot, so re-planning moves as few people as possible.
    """
    keep = keep or {}
    tables = list(event.tables.order_by("number").values_list("pk", flat=True))
    by_slot: dict[int, list[int]] = defaultdict(list)
    for request_id, slot_id in assignment.items():
        by_slot[slot_id].append(request_id)
    result: dict[int, int] = {}
    for request_ids in by_slot.values():
        if len(request_ids) > len(tables):
            raise ValidationError(
                _("The schedule puts more meetings in a slot than there are tables.")
            )
        used: set[int] = set()
        for request_id in sorted(request_ids):
            table = keep.get(request_id)
            if table in tables and table not in used:
                result[request_id] = table
                used.add(table)
        free = iter(t for t in tables if t not in used)
        for request_id in sorted(request_ids):
            if request_id not in result:
                result[request_id] = next(free)
    return result


@transaction.atomic
def agenda_draft_create(
    *,
    event: MatchmakingEvent,
    actor: Any,
    assignment: dict[int, int],
    unscheduled: list[tuple[int, str]] = (),
    gaps: dict[int, int] | None = None,
    upper_bound: float = 0.0,
    objective: float = 0.0,
    seconds: float = 0.0,
    locked: set[int] = frozenset(),
) -> AgendaVersion:
    """Store a solution as the event's draft agenda (replacing any draft), warnings as data."""
    _require_organiser(event, actor)
    AgendaVersion.objects.filter(event=event, status=AgendaStatus.DRAFT).delete()
    published = selectors.published_agenda(event)
    keep = dict(published.entries.values_list("request_id", "table_id")) if published else {}
    tables = assign_tables(event, assignment, keep=keep)
    requests = MeetingRequest.objects.filter(event=event).select_related("requester", "recipient")
    names = {r.pk: f"{r.requester.name} – {r.recipient.name}" for r in requests}
    requesters = {r.pk: r.requester_id for r in requests}

    def participant_url(participant_id: int | None) -> str:
        if participant_id is None:
            return ""
        return reverse(
            "matchmaking:participant", kwargs={"pk": event.pk, "participant_pk": participant_id}
        )

    warnings = [
        {
            "type": "unscheduled",
            "request_id": request_id,
            "message": _("Not scheduled: %(pair)s (%(reason)s)")
            % {"pair": names.get(request_id, request_id), "reason": reason},
            "url": participant_url(requesters.get(request_id)),
        }
        for request_id, reason in unscheduled
    ]
    participant_names = dict(event.participants.values_list("pk", "name"))
    for participant_id, gap in sorted((gaps or {}).items()):
        if gap >= LONG_GAP_SLOTS:
            warnings.append(
                {
                    "type": "long_gap",
                    "participant_id": participant_id,
                    "message": _("%(name)s waits %(slots)s slots between meetings.")
                    % {"name": participant_names.get(participant_id, participant_id), "slots": gap},
                    "url": participant_url(participant_id),
                }
            )
    version = AgendaVersion.objects.create(
        event=event,
        created_by=actor,
        upper_bound=upper_bound,
        objective=objective,
        seconds=seconds,
        warnings=warnings,
    )
    AgendaEntry.objects.bulk_create(
        AgendaEntry(
            version=version,
            request_id=request_id,
            slot_id=slot_id,
            table_id=tables[request_id],
            locked=request_id in locked,
        )
        for request_id, slot_id in assignment.items()
    )
    audit_log(
        actor=actor,
        action="matchmaking.agenda.drafted",
        target=event,
        data={"meetings": len(assignment), "warnings": len(warnings)},
    )
    return version


def _check_schedulable(event: MatchmakingEvent) -> None:
    if event.participants_pick:
        raise ValidationError(_("In this event participants pick their slots themselves."))
    if not event.tables.exists():
        raise ValidationError(_("Add tables or virtual rooms before scheduling."))


def _refuse_while_running(event: MatchmakingEvent) -> None:
    if event.scheduling_runs.filter(status__in=ACTIVE_RUN_STATUSES).exists():
        raise ValidationError(
            _("A scheduling run is under way; wait until it finishes (this page shows it).")
        )


def _schedule(
    event: MatchmakingEvent,
    actor: Any,
    time_limit: float,
    on_stage: Callable[[str], None] = lambda stage: None,
) -> tuple[AgendaVersion, Any, Any]:
    """Build the problem, run the scheduler, store the draft; return (draft, problem, solution)."""
    _require_organiser(event, actor)
    _check_schedulable(event)
    on_stage(RunStage.BUILDING)
    problem = build_problem(event)
    on_stage(RunStage.SOLVING)
    solution = scheduling.schedule(problem, time_limit=time_limit)
    on_stage(RunStage.STORING)
    version = agenda_draft_create(
        event=event,
        actor=actor,
        assignment=dict(solution.assignment),
        unscheduled=[(u.request_id, u.reason) for u in solution.unscheduled],
        gaps=dict(solution.gaps),
        upper_bound=solution.upper_bound,
        objective=solution.objective,
        seconds=solution.seconds,
        locked={r.id for r in problem.requests if r.locked_slot is not None},
    )
    return version, problem, solution


def agenda_schedule_all(
    *, event: MatchmakingEvent, actor: Any, time_limit: float = SCHEDULER_SECONDS
) -> AgendaVersion:
    """Run the scheduler over every accepted request now and store the result as the draft.

    The organiser's page goes through ``scheduling_run_start`` (in the background) instead.
    """
    return _schedule(event, actor, time_limit)[0]


def _already_running_error(run: SchedulingRun) -> ValidationError:
    return ValidationError(
        _(
            "A scheduling run is already under way (started by %(who)s at %(when)s UTC); "
            "wait until it finishes."
        )
        % {
            "who": run.created_by or _("someone"),
            "when": run.created_at.strftime("%H:%M:%S"),
        }
    )


def scheduling_run_start(
    *, event: MatchmakingEvent, actor: Any, time_limit: float = SCHEDULER_SECONDS
) -> SchedulingRun:
    """Queue a "schedule all" for the background; refused while another one is under way."""
    _require_organiser(event, actor)
    _check_schedulable(event)
    now = timezone.now()
    with transaction.atomic():
        # Serialise the starts of one event: the second one sees the first one's run.
        MatchmakingEvent.objects.select_for_update().filter(pk=event.pk).first()
        active = event.scheduling_runs.filter(status__in=ACTIVE_RUN_STATUSES)
        active.filter(
            updated_at__lt=now - max(STALE_RUN_AFTER, timedelta(seconds=3 * time_limit))
        ).update(
            status=RunStatus.FAILED,
            finished_at=now,
            updated_at=now,
            error=_("The run stopped without finishing (no worker, or the worker stopped)."),
        )
        running = active.select_related("created_by").first()
        if running is not None:
            raise _already_running_error(running)
        try:
            with transaction.atomic():
                run = SchedulingRun.objects.create(
                    event=event, created_by=actor, time_limit=time_limit
                )
        except IntegrityError:  # another start won the race (the partial unique constraint)
            running = active.select_related("created_by").first()
            if running is None:
                raise ValidationError(_("A scheduling run is already under way.")) from None
            raise _already_running_error(running) from None
        audit_log(
            actor=actor,
            action="matchmaking.agenda.scheduling_started",
            target=event,
            data={"run": run.pk},
        )
        transaction.on_commit(lambda: tasks.run_scheduler.enqueue(run_id=run.pk))
    return run


def scheduling_run_execute(*, run_id: int) -> SchedulingRun | None:
    """The background job: run one queued "schedule all", recording its stages and outcome.

    A failure is recorded on the run (and logged), never raised: the page shows it.
    """
    started = timezone.now()
    claimed = SchedulingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=started,
        stage=RunStage.BUILDING,
        stage_started_at=started,
        updated_at=started,
    )
    run = SchedulingRun.objects.select_related("event", "created_by").filter(pk=run_id).first()
    if run is None or not claimed:  # gone, or already run (a task delivered twice)
        return run
    runs = SchedulingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING)

    def on_stage(stage: str) -> None:
        now = timezone.now()
        runs.update(stage=stage, stage_started_at=now, updated_at=now)

    try:
        version, problem, solution = _schedule(run.event, run.created_by, run.time_limit, on_stage)
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(getattr(error, "messages", None) or [str(error)])
        runs.update(
            status=RunStatus.FAILED,
            error=message,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    except Exception:  # noqa: BLE001 – recorded for the organiser, logged for the administrators
        logger.exception("Scheduling run %s of event %s failed", run.pk, run.event_id)
        runs.update(
            status=RunStatus.FAILED,
            error=_(
                "The scheduler stopped with an unexpected error; the draft agenda was not "
                "changed. The site's administrators can find the details in the log."
            ),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    else:
        runs.update(
            status=RunStatus.DONE,
            version=version,
            requests=len(problem.requests),
            scheduled=len(solution.assignment),
            upper_bound=solution.upper_bound,
            objective=solution.objective,
            warnings=len(version.warnings),
            method=solution.method[:200],
            trace=[[stage, round(seconds, 3), weight] for stage, seconds, weight in solution.trace],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def agenda_entry_lock(*, entry: AgendaEntry, actor: Any, locked: bool) -> AgendaEntry:
    """Lock a draft meeting in its slot so that the next run keeps it there."""
    version = entry.version
    _require_organiser(version.event, actor)
    _refuse_while_running(version.event)
    if version.status != AgendaStatus.DRAFT:
        raise ValidationError(_("Only meetings of the draft agenda can be locked."))
    entry.locked = locked
    entry.save(update_fields=["locked"])
    return entry


def _describe(entry: tuple[int, int, int], me: int, context: dict) -> str:
    request_id, slot_id, table_id = entry
    partner = context["partners"][request_id][me]
    zone = context["zones"][me]
    return _("%(partner)s at %(when)s, %(table)s") % {
        "partner": partner,
        "when": local_time_text(context["slot_starts"][slot_id], zone),
        "table": context["tables"][table_id],
    }


def agenda_changes(
    before: dict[int, tuple[int, int]],
    after: dict[int, tuple[int, int]],
    pairs: dict[int, tuple[int, int]],
) -> dict[int, dict[str, list]]:
    """Diff two agendas (request id → (slot id, table id)) per participant.

    Returns participant id → {"added": [...], "removed": [...], "moved": [(old, new)]}, where
    each item is (request id, slot id, table id); participants without changes are left out.
    """
    changes: dict[int, dict[str, list]] = defaultdict(
        lambda: {"added": [], "removed": [], "moved": []}
    )
    for request_id in sorted(set(before) | set(after)):
        old, new = before.get(request_id), after.get(request_id)
        if old == new:
            continue
        for participant_id in pairs[request_id]:
            if old is None:
                changes[participant_id]["added"].append((request_id, *new))
            elif new is None:
                changes[participant_id]["removed"].append((request_id, *old))
            else:
                changes[participant_id]["moved"].append(((request_id, *old), (request_id, *new)))
    return dict(changes)


def _change_lines(participant_id: int, change: dict, context: dict) -> list[str]:
    lines = [
        _("New meeting: %(what)s") % {"what": _describe(e, participant_id, context)}
        for e in change["added"]
    ]
    lines += [
        _("Moved: %(old)s → %(new)s")
        % {
            "old": _describe(old, participant_id, context),
            "new": _describe(new, participant_id, context),
        }
        for old, new in change["moved"]
    ]
    lines += [
        _("Removed: %(what)s") % {"what": _describe(e, participant_id, context)}
        for e in change["removed"]
    ]
    return lines


@transaction.atomic
def agenda_publish(*, version: AgendaVersion, actor: Any, now: datetime | None = None) -> dict:
    """Make the draft the live agenda and tell each participant exactly what changed for them.

    Returns participant id → the lines they were sent.
    """
    now = now or timezone.now()
    event = version.event
    _require_organiser(event, actor)
    _refuse_while_running(event)
    version = AgendaVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != AgendaStatus.DRAFT:
        raise ValidationError(_("Only a draft agenda can be published."))
    previous = selectors.published_agenda(event)
    before = (
        {r: (s, t) for r, s, t in previous.entries.values_list("request_id", "slot_id", "table_id")}
        if previous
        else {}
    )
    entries = list(version.entries.all())
    after = {e.request_id: (e.slot_id, e.table_id) for e in entries}
    still_accepted = set(
        event.meeting_requests.filter(
            pk__in=list(after), status=RequestStatus.ACCEPTED
        ).values_list("pk", flat=True)
    )
    gone = set(after) - still_accepted
    if gone:
        raise ValidationError(
            ngettext(
                "%(n)s meeting of this draft was cancelled since; schedule again.",
                "%(n)s meetings of this draft were cancelled since; schedule again.",
                len(gone),
            )
            % {"n": len(gone)}
        )
    # Meetings that stay where they are keep their rows (feedback, reminders); the others are
    # replaced. Bookings enforce one meeting per person and slot.
    live = {m.request_id: m for m in Meeting.objects.filter(event=event)}
    moved = [
        m.pk for request_id, m in live.items() if after.get(request_id) != (m.slot_id, m.table_id)
    ]
    Meeting.objects.filter(pk__in=moved).delete()
    kept = {request_id for request_id, m in live.items() if m.pk not in moved}
    requests = {
        r.pk: r
        for r in MeetingRequest.objects.filter(pk__in=list(after)).only(
            "pk", "requester_id", "recipient_id"
        )
    }
    meetings = Meeting.objects.bulk_create(
        Meeting(
            event=event,
            request_id=e.request_id,
            slot_id=e.slot_id,
            table_id=e.table_id,
            status=MeetingStatus.CONFIRMED,
        )
        for e in entries
        if e.request_id not in kept
    )
    Booking.objects.bulk_create(
        Booking(participant_id=person, slot_id=meeting.slot_id, meeting=meeting)
        for meeting in meetings
        for person in (
            requests[meeting.request_id].requester_id,
            requests[meeting.request_id].recipient_id,
        )
    )
    if previous is not None:
        previous.status = AgendaStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    version.status = AgendaStatus.PUBLISHED
    version.published_at = now
    version.save(update_fields=["status", "published_at", "updated_at"])

    all_requests = {
        r.pk: r
        for r in MeetingRequest.objects.filter(pk__in=set(before) | set(after)).select_related(
            "requester", "recipient"
        )
    }
    pairs = {pk: (r.requester_id, r.recipient_id) for pk, r in all_requests.items()}
    changes = agenda_changes(before, after, pairs)
    context = {
        "partners": {
            pk: {r.requester_id: r.recipient.name, r.recipient_id: r.requester.name}
            for pk, r in all_requests.items()
        },
        "zones": dict(event.participants.values_list("pk", "time_zone")),
        "slot_starts": dict(Slot.objects.filter(session__event=event).values_list("pk", "start")),
        "tables": {t.pk: str(t) for t in event.tables.all()},
    }
    sent = {}
    for participant_id, change in changes.items():
        lines = _change_lines(participant_id, change, context)
        sent[participant_id] = lines
        transaction.on_commit(
            lambda pk=participant_id, text=lines: tasks.send_agenda_changes.enqueue(
                participant_id=pk, lines=text
            )
        )
    audit_log(
        actor=actor,
        action="matchmaking.agenda.published",
        target=event,
        data={"version": version.pk, "meetings": len(after), "participants_told": len(sent)},
    )
    return sent
