"""Writes on matchmaking events: set-up, applications, participants, requests and meetings.

The scheduler flow (draft agenda, locks, publishing and its diff) is in ``agenda.py``.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clustercollab.core.audit import audit_log
from clustercollab.core.models import CountryGroup
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matchmaking import selectors, tasks
from clustercollab.matchmaking.models import (
    AllowedRequest,
    Application,
    ApplicationStatus,
    Booking,
    MatchmakingEvent,
    Meeting,
    MeetingBlock,
    MeetingFeedback,
    MeetingRequest,
    MeetingStatus,
    Opportunity,
    OpportunityType,
    Participant,
    ParticipantType,
    RequestMode,
    RequestStatus,
    Session,
    SessionKind,
    Slot,
    Table,
)
from clustercollab.organisations.models import Organisation, OrganisationKind
from clustercollab.organisations.selectors import user_role


def _require_organiser(event: MatchmakingEvent, user: Any) -> None:
    if not selectors.can_organise(user=user, event=event):
        raise PermissionDenied(_("Only the organisers of this event can do this."))


def _require_acts_for(participant: Participant, user: Any) -> None:
    if not selectors.acts_for(user=user, participant=participant):
        raise PermissionDenied(_("Only members of this participant's organisation can do this."))


# --- Event set-up -------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, actor: Any, organisers: list[Organisation] = (), **fields: Any
) -> MatchmakingEvent:
    """Create an event (staff only); ``organisers`` get organiser rights on it."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can create matchmaking events."))
    event = MatchmakingEvent(**fields)
    event.full_clean()
    event.save()
    event.organiser_organisations.set(organisers)
    audit_log(actor=actor, action="matchmaking.event.created", target=event)
    return event


@transaction.atomic
def event_update(
    *, event: MatchmakingEvent, actor: Any, changed_fields: list[str]
) -> MatchmakingEvent:
    """Save an event edited through a form (fields already set on the instance)."""
    _require_organiser(event, actor)
    event.full_clean()
    event.save()
    if changed_fields:
        audit_log(
            actor=actor,
            action="matchmaking.event.edited",
            target=event,
            data={"fields": sorted(changed_fields)},
        )
    return event


@transaction.atomic
def session_create(
    *, event: MatchmakingEvent, actor: Any, title: str, kind: str, start: datetime, end: datetime
) -> Session:
    _require_organiser(event, actor)
    if end <= start:
        raise ValidationError({"end": _("A session must end after it starts.")})
    session = Session(event=event, title=title.strip(), kind=kind, start=start, end=end)
    session.full_clean()
    session.save()
    audit_log(
        actor=actor, action="matchmaking.session.created", target=event, data={"title": title}
    )
    return session


@transaction.atomic
def block_create(
    *,
    session: Session,
    actor: Any,
    start: datetime,
    end: datetime,
    slot_minutes: int,
    break_minutes: int = 0,
) -> MeetingBlock:
    """Add a meeting block to a networking session and generate its slots."""
    event = session.event
    _require_organiser(event, actor)
    if session.kind != SessionKind.NETWORKING:
        raise ValidationError(_("Only networking sessions have meeting blocks."))
    if end <= start:
        raise ValidationError({"end": _("A meeting block must end after it starts.")})
    if start < session.start or end > session.end:
        raise ValidationError(_("A meeting block must lie within its session's start and end."))
    if timedelta(minutes=slot_minutes) > end - start:
        raise ValidationError(
            {
                "slot_minutes": _("A slot of %(minutes)s minutes does not fit in this block.")
                % {"minutes": slot_minutes}
            }
        )
    overlapping = MeetingBlock.objects.filter(
        session__event=event, start__lt=end, end__gt=start
    ).first()
    if overlapping is not None:
        raise ValidationError(
            _("This block overlaps another meeting block (%(block)s).") % {"block": overlapping}
        )
    block = MeetingBlock(
        session=session,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
        break_minutes=break_minutes,
    )
    block.full_clean()
    block.save()
    Slot.objects.bulk_create(
        Slot(block=block, session=session, start=slot_start, end=slot_end)
        for slot_start, slot_end in block.slot_times()
    )
    audit_log(
        actor=actor,
        action="matchmaking.block.created",
        target=event,
        data={"block": str(block), "slots": block.slots.count()},
    )
    return block


@transaction.atomic
def tables_set(*, event: MatchmakingEvent, actor: Any, count: int) -> int:
    """Make the event have tables 1..count; tables with meetings cannot be removed."""
    _require_organiser(event, actor)
    if count < 1 or count > 2000:
        raise ValidationError(_("Give between 1 and 2,000 tables."))
    extra = event.tables.filter(number__gt=count)
    if extra.filter(meetings__isnull=False).exists():
        raise ValidationError(_("Some of the tables you would remove already have meetings."))
    extra.delete()
    existing = set(event.tables.values_list("number", flat=True))
    Table.objects.bulk_create(
        Table(event=event, number=number)
        for number in range(1, count + 1)
        if number not in existing
    )
    audit_log(actor=actor, action="matchmaking.tables.set", target=event, data={"count": count})
    return count


@transaction.atomic
def participant_type_create(*, event: MatchmakingEvent, actor: Any, name: str) -> ParticipantType:
    _require_organiser(event, actor)
    participant_type = ParticipantType(event=event, name=name.strip())
    participant_type.full_clean()
    participant_type.save()
    return participant_type


@transaction.atomic
def opportunity_type_create(*, event: MatchmakingEvent, actor: Any, name: str) -> OpportunityType:
    _require_organiser(event, actor)
    opportunity_type = OpportunityType(event=event, name=name.strip())
    opportunity_type.full_clean()
    opportunity_type.save()
    return opportunity_type


@transaction.atomic
def request_matrix_set(*, event: MatchmakingEvent, actor: Any, pairs: set[tuple[int, int]]) -> int:
    """Replace the request matrix: (from type id, to type id) pairs that may request."""
    _require_organiser(event, actor)
    type_ids = set(event.participant_types.values_list("pk", flat=True))
    if any(a not in type_ids or b not in type_ids for a, b in pairs):
        raise ValidationError(_("Unknown participant type."))
    event.allowed_requests.all().delete()
    AllowedRequest.objects.bulk_create(
        AllowedRequest(event=event, from_type_id=a, to_type_id=b) for a, b in sorted(pairs)
    )
    audit_log(
        actor=actor, action="matchmaking.matrix.set", target=event, data={"pairs": sorted(pairs)}
    )
    return len(pairs)


# --- Call for expressions of interest -------------------------------------------------------


def eligibility_checks(*, event: MatchmakingEvent, organisation: Organisation) -> list[dict]:
    """Check the event's criteria against the organisation's data.

    ``passed`` is None when the data does not allow a decision (organisers look themselves).
    """
    checks = []
    if event.require_eu_or_cosme_country:
        group = organisation.country.group
        checks.append(
            {
                "criterion": "country",
                "passed": group in (CountryGroup.EU, CountryGroup.ASSOCIATED),
                "detail": str(organisation.country.name),
            }
        )
    if event.require_profile:
        published = organisation.status == ModerationStatus.PUBLISHED
        submitted_in_time = (
            organisation.status == ModerationStatus.SUBMITTED
            and organisation.submitted_at is not None
            and organisation.submitted_at <= event.application_deadline
        )
        checks.append(
            {
                "criterion": "profile",
                "passed": published or submitted_in_time,
                "detail": str(organisation.get_status_display()),
            }
        )
    if event.eligible_kinds:
        checks.append(
            {
                "criterion": "kind",
                "passed": organisation.kind in event.eligible_kinds,
                "detail": str(OrganisationKind(organisation.kind).label),
            }
        )
    return checks


CRITERION_NAMES = {
    "country": gettext_lazy("Legal entity in an EU or COSME country"),
    "profile": gettext_lazy("Published profile, or one submitted before the deadline"),
    "kind": gettext_lazy("Kind of organisation"),
}


@transaction.atomic
def application_submit(
    *,
    event: MatchmakingEvent,
    organisation: Organisation,
    actor: Any,
    motivation: str,
    participant_type: ParticipantType | None = None,
    now: datetime | None = None,
) -> Application:
    """Apply for an organisation; after the deadline the application is kept but flagged late."""
    now = now or timezone.now()
    if user_role(user=actor, organisation=organisation) is None:
        raise PermissionDenied(_("Only members of this organisation can apply for it."))
    if Application.objects.filter(event=event, organisation=organisation).exists():
        raise ValidationError(_("This organisation has already applied to this event."))
    if participant_type is not None and participant_type.event_id != event.pk:
        raise ValidationError({"participant_type": _("Unknown participant type.")})
    application = Application(
        event=event,
        organisation=organisation,
        applicant=actor,
        motivation=motivation.strip(),
        participant_type=participant_type,
        is_late=now > event.application_deadline,
        eligibility=eligibility_checks(event=event, organisation=organisation),
    )
    application.full_clean()
    application.save()
    audit_log(
        actor=actor,
        action="matchmaking.application.submitted",
        target=event,
        data={"organisation": organisation.pk, "late": application.is_late},
    )
    return application


def _participant_from(application: Application) -> Participant:
    organisation = application.organisation
    event = application.event
    participant = Participant(
        event=event,
        organisation=organisation,
        application=application,
        participant_type=application.participant_type,
        name=organisation.name,
        description="\n\n".join(
            part for part in (organisation.about, organisation.offers, organisation.seeks) if part
        ),
        country=organisation.country,
        contact_name=organisation.contact_name,
        contact_email=organisation.contact_email,
        keywords=list(organisation.keywords or []),
        time_zone=event.time_zone,
    )
    participant.save()
    participant.sessions.set(event.sessions.all())
    return participant


@transaction.atomic
def applications_decide(
    *, event: MatchmakingEvent, actor: Any, application_ids: list[int], status: str
) -> int:
    """Mark applications selected, reserve or rejected in bulk; e-mail each organisation.

    Selecting makes the organisation a participant with a profile copied from its organisation
    profile. A participant who already has meetings cannot be unselected.
    """
    _require_organiser(event, actor)
    if status not in (
        ApplicationStatus.SELECTED,
        ApplicationStatus.RESERVE,
        ApplicationStatus.REJECTED,
    ):
        raise ValidationError(_("Choose selected, reserve list or rejected."))
    applications = list(
        event.applications.select_for_update()
        .filter(pk__in=application_ids)
        .select_related("organisation", "event")
    )
    if not applications:
        raise ValidationError(_("Tick at least one application."))
    changed = 0
    for application in applications:
        if application.status == status:
            continue
        participant = Participant.objects.filter(application=application).first()
        if status == ApplicationStatus.SELECTED and participant is None:
            _participant_from(application)
        elif status != ApplicationStatus.SELECTED and participant is not None:
            if Booking.objects.filter(participant=participant).exists():
                raise ValidationError(
                    _("%(name)s already has meetings; cancel them before unselecting.")
                    % {"name": participant.name}
                )
            participant.delete()
        application.status = status
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at", "updated_at"])
        changed += 1
        application_id = application.pk
        transaction.on_commit(
            lambda pk=application_id: tasks.send_application_decision.enqueue(application_id=pk)
        )
    audit_log(
        actor=actor,
        action=f"matchmaking.application.{status}",
        target=event,
        data={"applications": sorted(a.pk for a in applications)},
    )
    return changed


@transaction.atomic
def applications_set_type(
    *,
    event: MatchmakingEvent,
    actor: Any,
    application_ids: list[int],
    participant_type: ParticipantType | None,
) -> int:
    """Give the ticked applicants (and their participants) a participant type, in bulk."""
    _require_organiser(event, actor)
    if participant_type is not None and participant_type.event_id != event.pk:
        raise ValidationError(_("Unknown participant type."))
    applications = event.applications.filter(pk__in=application_ids)
    if not applications.exists():
        raise ValidationError(_("Tick at least one application."))
    changed = applications.update(participant_type=participant_type, updated_at=timezone.now())
    Participant.objects.filter(application__in=applications).update(
        participant_type=participant_type
    )
    audit_log(
        actor=actor,
        action="matchmaking.application.typed",
        target=event,
        data={"applications": sorted(application_ids), "type": str(participant_type or "")},
    )
    return changed


# --- Participants -------------------------------------------------------------------------


@transaction.atomic
def participant_update(
    *, participant: Participant, actor: Any, sessions: list[Session] | None = None
) -> Participant:
    """Save a participant profile edited through a form (fields set on the instance)."""
    _require_acts_for(participant, actor)
    participant.full_clean()
    participant.save()
    if sessions is not None:
        if any(session.event_id != participant.event_id for session in sessions):
            raise ValidationError(_("Unknown session."))
        dropped = set(participant.sessions.all()) - set(sessions)
        if Booking.objects.filter(participant=participant, slot__session__in=dropped).exists():
            raise ValidationError(
                _("You have meetings in a session you want to leave; cancel them first.")
            )
        participant.sessions.set(sessions)
    audit_log(actor=actor, action="matchmaking.participant.edited", target=participant)
    return participant


@transaction.atomic
def opportunity_create(
    *,
    participant: Participant,
    actor: Any,
    kind: str,
    opportunity_type: OpportunityType,
    title: str,
    description: str = "",
) -> Opportunity:
    _require_acts_for(participant, actor)
    if opportunity_type.event_id != participant.event_id:
        raise ValidationError({"opportunity_type": _("Unknown opportunity type.")})
    opportunity = Opportunity(
        participant=participant,
        kind=kind,
        opportunity_type=opportunity_type,
        title=title.strip(),
        description=description.strip(),
    )
    opportunity.full_clean()
    opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: Any) -> None:
    _require_acts_for(opportunity.participant, actor)
    opportunity.delete()


# --- Meeting requests and bookings -----------------------------------------------------------


def _check_request_allowed(
    event: MatchmakingEvent, requester: Participant, recipient: Participant, now: datetime
) -> None:
    if requester.pk == recipient.pk:
        raise ValidationError(_("You cannot request a meeting with yourself."))
    if recipient.event_id != event.pk or requester.event_id != event.pk:
        raise ValidationError(_("Both participants must take part in this event."))
    if not event.booking_opens_at <= now <= event.booking_closes_at:
        raise ValidationError(
            _("Meeting requests can only be sent between %(opens)s and %(closes)s (UTC).")
            % {
                "opens": f"{event.booking_opens_at:%Y-%m-%d %H:%M}",
                "closes": f"{event.booking_closes_at:%Y-%m-%d %H:%M}",
            }
        )
    if event.allowed_requests.exists():
        allowed = event.allowed_requests.filter(
            from_type=requester.participant_type_id, to_type=recipient.participant_type_id
        ).exists()
        if not allowed:
            raise ValidationError(
                _("Participants of type “%(from)s” may not request meetings with “%(to)s”.")
                % {
                    "from": requester.participant_type or "–",
                    "to": recipient.participant_type or "–",
                }
            )
    open_between = MeetingRequest.objects.filter(
        requester=requester, recipient=recipient, status__in=["pending", "accepted"]
    )
    if open_between.exists():
        raise ValidationError(_("You have already sent this participant a meeting request."))


def _book(request: MeetingRequest, slot: Slot, status: str, now: datetime) -> Meeting:
    """Put a request's meeting in a slot at a free table; raise if the slot or a person is taken.

    Locks both participants (in id order, so two bookings never wait for each other in a
    circle), then the slot: concurrent bookings of the same people or slot run one after the
    other and each sees what the previous one committed. FOR NO KEY UPDATE, because the rows
    inserted meanwhile hold KEY SHARE locks on them through their foreign keys, and a plain FOR
    UPDATE would deadlock with those. The unique constraints on bookings and (slot, table) back
    this up.
    """
    event = request.event
    people = list(
        Participant.objects.select_for_update(no_key=True)
        .filter(pk__in=[request.requester_id, request.recipient_id])
        .order_by("pk")
    )
    slot = (
        Slot.objects.select_for_update(no_key=True, of=("self",))
        .select_related("session")
        .get(pk=slot.pk)
    )
    if slot.session.event_id != event.pk:
        raise ValidationError(_("This slot belongs to another event."))
    if slot.start <= now:
        raise ValidationError(_("This slot has already started; choose a later one."))
    for person in people:
        if not person.sessions.filter(pk=slot.session_id).exists():
            raise ValidationError(
                _("%(name)s does not attend %(session)s.")
                % {"name": person.name, "session": slot.session}
            )
        if Booking.objects.filter(participant=person, slot=slot).exists():
            raise ValidationError(
                _("%(name)s already has a meeting in this slot.") % {"name": person.name}
            )
        if (
            Booking.objects.filter(participant=person, slot__session__event=event).count()
            >= event.max_meetings_per_participant
        ):
            raise ValidationError(
                _("%(name)s already has the maximum number of meetings.") % {"name": person.name}
            )
    used = Meeting.objects.filter(slot=slot).values_list("table_id", flat=True)
    table = event.tables.exclude(pk__in=list(used)).order_by("number").first()
    if table is None:
        raise ValidationError(_("Every table is taken in this slot; choose another slot."))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                event=event, request=request, slot=slot, table=table, status=status
            )
            Booking.objects.bulk_create(
                Booking(participant=person, slot=slot, meeting=meeting) for person in people
            )
    except IntegrityError as error:
        raise ValidationError(_("This slot was just taken; choose another slot.")) from error
    return meeting


def _notify(request: MeetingRequest, what: str) -> None:
    request_id = request.pk
    transaction.on_commit(
        lambda: tasks.send_request_notice.enqueue(request_id=request_id, what=what)
    )


@transaction.atomic
def meeting_request_create(
    *,
    event: MatchmakingEvent,
    requester: Participant,
    recipient: Participant,
    actor: Any,
    message: str,
    priority: int = 1,
    slot: Slot | None = None,
    now: datetime | None = None,
) -> MeetingRequest:
    """Send a meeting request; when participants pick slots, it holds the chosen slot.

    In automatic request mode the request is accepted at once.
    """
    now = now or timezone.now()
    _require_acts_for(requester, actor)
    _check_request_allowed(event, requester, recipient, now)
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to your partner.")})
    if event.participants_pick and slot is None:
        raise ValidationError({"slot": _("Choose a slot for the meeting.")})
    automatic = event.request_mode == RequestMode.AUTOMATIC
    request = MeetingRequest(
        event=event,
        requester=requester,
        recipient=recipient,
        message=message.strip(),
        priority=priority,
        status=RequestStatus.ACCEPTED if automatic else RequestStatus.PENDING,
        answered_at=now if automatic else None,
        expires_at=now + timedelta(hours=event.request_expiry_hours),
        created_by=actor,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You have already sent this participant a meeting request.")
        ) from error
    if event.participants_pick:
        _book(
            request,
            slot,
            MeetingStatus.CONFIRMED if automatic else MeetingStatus.TENTATIVE,
            now,
        )
    audit_log(
        actor=actor,
        action="matchmaking.request.created",
        target=event,
        data={"request": request.pk, "from": requester.pk, "to": recipient.pk},
    )
    _notify(request, "accepted" if automatic else "created")
    return request


def _locked_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "requester", "recipient")
        .get(pk=request.pk)
    )


def _free_slot(request: MeetingRequest) -> None:
    Meeting.objects.filter(request=request).delete()


@transaction.atomic
def meeting_request_answer(
    *, request: MeetingRequest, actor: Any, accept: bool, now: datetime | None = None
) -> MeetingRequest:
    """The recipient accepts or declines; declining frees the slot the request held."""
    now = now or timezone.now()
    request = _locked_request(request)
    _require_acts_for(request.recipient, actor)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered or has expired."))
    if request.expires_at <= now:
        raise ValidationError(_("This request has expired."))
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at", "updated_at"])
    if accept:
        Meeting.objects.filter(request=request).update(status=MeetingStatus.CONFIRMED)
    else:
        _free_slot(request)
    audit_log(
        actor=actor,
        action=f"matchmaking.request.{request.status}",
        target=request.event,
        data={"request": request.pk},
    )
    _notify(request, request.status)
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor: Any) -> MeetingRequest:
    """Either party cancels a pending or accepted request; the slot is freed, the other told."""
    request = _locked_request(request)
    if selectors.acts_for(user=actor, participant=request.requester):
        side = "requester"
    elif selectors.acts_for(user=actor, participant=request.recipient):
        side = "recipient"
    else:
        raise PermissionDenied(_("Only the two participants can cancel this meeting."))
    if request.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise ValidationError(_("This request is no longer open."))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    _free_slot(request)
    audit_log(
        actor=actor,
        action="matchmaking.request.cancelled",
        target=request.event,
        data={"request": request.pk, "by": side},
    )
    _notify(request, f"cancelled_by_{side}")
    return request


@transaction.atomic
def meeting_requests_expire(*, now: datetime | None = None) -> int:
    """Expire pending requests past their time; free their slots and tell the requesters."""
    now = now or timezone.now()
    due = list(
        MeetingRequest.objects.select_for_update()
        .filter(status=RequestStatus.PENDING, expires_at__lte=now)
        .values_list("pk", flat=True)
    )
    Meeting.objects.filter(request__in=due).delete()
    MeetingRequest.objects.filter(pk__in=due).update(status=RequestStatus.EXPIRED, updated_at=now)
    for request_id in due:
        transaction.on_commit(
            lambda pk=request_id: tasks.send_request_notice.enqueue(request_id=pk, what="expired")
        )
    return len(due)


@transaction.atomic
def meeting_reminders_send(*, now: datetime | None = None, hours_before: int = 24) -> int:
    """Queue a reminder for every meeting starting within ``hours_before`` hours, once."""
    now = now or timezone.now()
    meetings = list(
        selectors.meetings_needing_reminder(
            start_before=now + timedelta(hours=hours_before), now=now
        ).values_list("pk", flat=True)
    )
    Meeting.objects.filter(pk__in=meetings).update(reminder_sent_at=now)
    for meeting_id in meetings:
        transaction.on_commit(
            lambda pk=meeting_id: tasks.send_meeting_reminder.enqueue(meeting_id=pk)
        )
    return len(meetings)


@transaction.atomic
def meeting_feedback_give(
    *,
    meeting: Meeting,
    participant: Participant,
    actor: Any,
    outcome: str,
    partner_no_show: bool = False,
    comment: str = "",
    now: datetime | None = None,
) -> MeetingFeedback:
    """Record one side's feedback (outcome, or that the partner did not come) after a meeting."""
    now = now or timezone.now()
    _require_acts_for(participant, actor)
    if participant.pk not in (meeting.request.requester_id, meeting.request.recipient_id):
        raise PermissionDenied(_("Only the two participants can give feedback on this meeting."))
    if meeting.slot.start > now:
        raise ValidationError(_("Feedback can be given once the meeting has started."))
    feedback, _created = MeetingFeedback.objects.update_or_create(
        meeting=meeting,
        participant=participant,
        defaults={"outcome": outcome, "partner_no_show": partner_no_show, "comment": comment},
    )
    feedback.full_clean()
    audit_log(
        actor=actor,
        action="matchmaking.meeting.feedback",
        target=meeting.event,
        data={"meeting": meeting.pk, "outcome": outcome, "no_show": partner_no_show},
    )
    return feedback
