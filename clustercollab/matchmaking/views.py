import csv
import zoneinfo
from contextlib import nullcontext

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clustercollab.matchmaking import agenda, ical, selectors, services
from clustercollab.matchmaking.forms import (
    ApplicationForm,
    BlockForm,
    EventForm,
    FeedbackForm,
    MeetingRequestForm,
    NameForm,
    OpportunityForm,
    ParticipantForm,
    SessionForm,
    TablesForm,
)
from clustercollab.matchmaking.models import (
    AgendaEntry,
    AgendaStatus,
    ApplicationStatus,
    MatchmakingEvent,
    Meeting,
    MeetingRequest,
    Opportunity,
    Participant,
    RequestStatus,
    RunStatus,
    SchedulingRun,
)
from clustercollab.matchmaking.services import CRITERION_NAMES

PAGE_SIZE = 25
PRINT_BATCH = 50
GRID_TABLES = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _in_zone(zone_name: str | None) -> object:
    """Interpret typed date-times in this zone (an invalid name falls back to UTC)."""
    try:
        return timezone.override(zoneinfo.ZoneInfo(zone_name)) if zone_name else nullcontext()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return nullcontext()


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _page(request: HttpRequest, items: object) -> object:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _participant_or_404(request: HttpRequest, event: MatchmakingEvent) -> Participant:
    participant = selectors.participant_of_user(user=request.user, event=event)
    if participant is None:
        raise Http404
    return participant


# --- Events and set-up ----------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.events_for_user(request.user)
    return render(request, "matchmaking/event_list.html", {"page": _page(request, events)})


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    with _in_zone(request.POST.get("time_zone")):
        form = EventForm(request.POST or None, can_grant=True)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            organisers = data.pop("organiser_ids")
            try:
                event = services.event_create(actor=request.user, organisers=organisers, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Event created. Now add its sessions and tables."))
                return redirect("matchmaking:setup", pk=event.pk)
    return render(request, "matchmaking/event_form.html", {"form": form})


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    user = request.user
    context = {
        "event": event,
        "sessions": event.sessions.prefetch_related("blocks"),
        "is_organiser": selectors.can_organise(user=user, event=event),
    }
    if user.is_authenticated:
        context.update(
            participant=selectors.participant_of_user(user=user, event=event),
            my_applications=selectors.applications_of_user(user=user, event=event),
            can_apply=bool(selectors.applicable_organisations(user=user, event=event)),
        )
    return render(request, "matchmaking/event_detail.html", context)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    can_grant = request.user.is_staff
    with _in_zone(request.POST.get("time_zone") or event.time_zone):
        form = EventForm(request.POST or None, instance=event, can_grant=can_grant)
        if request.method == "POST" and form.is_valid():
            event = form.save(commit=False)
            try:
                services.event_update(
                    event=event, actor=request.user, changed_fields=form.changed_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if can_grant:
                    event.organiser_organisations.set(form.cleaned_data["organiser_ids"])
                messages.success(request, _("Event saved."))
                return redirect("matchmaking:edit", pk=event.pk)
    return render(request, "matchmaking/event_form.html", {"form": form, "event": event})


_SETUP_FORMS = {
    "session": SessionForm,
    "block": BlockForm,
    "tables": TablesForm,
    "participant_type": NameForm,
    "opportunity_type": NameForm,
}


def _setup_forms(event: MatchmakingEvent, bound: str | None, data: object) -> dict:
    forms = {}
    for name, form_class in _SETUP_FORMS.items():
        kwargs = {"prefix": name}
        if form_class is BlockForm:
            kwargs["event"] = event
        if name == "tables":
            kwargs["initial"] = {"count": event.tables.count() or None}
        forms[name] = form_class(data if bound == name else None, **kwargs)
    return forms


def _run_setup_action(
    request: HttpRequest, event: MatchmakingEvent, name: str, form: object
) -> None:
    data = form.cleaned_data
    actor = request.user
    if name == "session":
        services.session_create(event=event, actor=actor, **data)
    elif name == "block":
        services.block_create(actor=actor, **data)
    elif name == "tables":
        services.tables_set(event=event, actor=actor, count=data["count"])
    elif name == "participant_type":
        services.participant_type_create(event=event, actor=actor, name=data["name"])
    elif name == "opportunity_type":
        services.opportunity_type_create(event=event, actor=actor, name=data["name"])


@login_required
def event_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Sessions, meeting blocks (→ slots), tables, participant types and the request matrix."""
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    with _in_zone(event.time_zone):
        forms = _setup_forms(event, action, request.POST)
        if action == "matrix":
            pairs = set()
            for value in request.POST.getlist("pair"):
                a, _sep, b = value.partition("-")
                if a.isdigit() and b.isdigit():
                    pairs.add((int(a), int(b)))
            try:
                services.request_matrix_set(event=event, actor=request.user, pairs=pairs)
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Request matrix saved."))
                return redirect("matchmaking:setup", pk=event.pk)
        elif action in forms and forms[action].is_valid():
            try:
                _run_setup_action(request, event, action, forms[action])
            except ValidationError as error:
                forms[action].add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("matchmaking:setup", pk=event.pk)
    types = list(event.participant_types.all())
    allowed = set(event.allowed_requests.values_list("from_type_id", "to_type_id"))
    matrix = [
        {"from": a, "cells": [{"to": b, "allowed": (a.pk, b.pk) in allowed} for b in types]}
        for a in types
    ]
    context = {
        "event": event,
        "forms": forms,
        "sessions": event.sessions.prefetch_related("blocks", "blocks__slots"),
        "types": types,
        "matrix": matrix,
        "opportunity_types": event.opportunity_types.all(),
        "table_count": event.tables.count(),
        "status": 400 if action else 200,
    }
    return render(request, "matchmaking/setup.html", context, status=context["status"])


# --- Applications ---------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    organisations = selectors.applicable_organisations(user=request.user, event=event)
    if not organisations:
        messages.info(request, _("All your organisations have already applied to this event."))
        return redirect(event)
    form = ApplicationForm(request.POST or None, event=event, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                event=event,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                motivation=form.cleaned_data["motivation"],
                participant_type=form.cleaned_data.get("participant_type"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if application.is_late:
                messages.warning(
                    request, _("Application received after the deadline; it is marked late.")
                )
            else:
                messages.success(request, _("Application received. The organisers will decide."))
            return redirect(event)
    return render(request, "matchmaking/apply.html", {"event": event, "form": form})


@login_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
        try:
            if request.POST.get("action") == "type":
                type_id = _posted_id(request, "participant_type")
                changed = services.applications_set_type(
                    event=event,
                    actor=request.user,
                    application_ids=ids,
                    participant_type=event.participant_types.filter(pk=type_id).first(),
                )
            else:
                changed = services.applications_decide(
                    event=event,
                    actor=request.user,
                    application_ids=ids,
                    status=request.POST.get("status", ""),
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                ngettext("%(n)s application updated.", "%(n)s applications updated.", changed)
                % {"n": changed},
            )
        return redirect(request.get_full_path())
    status, late = request.GET.get("status", ""), request.GET.get("late", "")
    page = _page(request, selectors.applications_for_organiser(event, status=status, late=late))
    return render(
        request,
        "matchmaking/applications.html",
        {
            "event": event,
            "page": page,
            "status": status,
            "late": late,
            "statuses": ApplicationStatus.choices,
            "criterion_names": CRITERION_NAMES,
            "types": event.participant_types.all(),
        },
    )


# --- Participants ---------------------------------------------------------------------------


def _event_for_member(request: HttpRequest, pk: int) -> tuple[MatchmakingEvent, Participant | None]:
    """The event for one of its participants or organisers; 404 for everyone else."""
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    participant = selectors.participant_of_user(user=request.user, event=event)
    if participant is None and not selectors.can_organise(user=request.user, event=event):
        raise Http404
    return event, participant


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event, me = _event_for_member(request, pk)
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("query", "country", "participant_type", "opportunity_type")
    }
    listing = selectors.participant_list(event, **filters)
    context = {
        "event": event,
        "me": me,
        "page": _page(request, listing),
        "filters": filters,
        "countries": sorted(
            {
                (p.country_id, p.country.local_name)
                for p in event.participants.select_related("country")
            },
            key=lambda c: c[1],
        ),
        "types": event.participant_types.all(),
        "opportunity_types": event.opportunity_types.all(),
    }
    template = "matchmaking/participants.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def _slot_choices(me: Participant, other: Participant) -> list:
    with timezone.override(me.zone):
        return [
            (
                slot,
                f"{slot.session.title}: {date_format(timezone.localtime(slot.start), 'D j M H:i')}"
                f" ({me.time_zone})",
            )
            for slot in selectors.free_common_slots(me, other)
        ]


@login_required
def participant_detail(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    event, me = _event_for_member(request, pk)
    other = get_object_or_404(
        event.participants.select_related("organisation", "country", "participant_type"),
        pk=participant_pk,
    )
    form = None
    if me is not None and me.pk != other.pk:
        slots = _slot_choices(me, other) if event.participants_pick else None
        form = MeetingRequestForm(request.POST or None, slots=slots)
        if request.method == "POST" and form.is_valid():
            slot_pk = form.cleaned_data.get("slot")
            slot = next((s for s, _label in slots or [] if str(s.pk) == slot_pk), None)
            try:
                services.meeting_request_create(
                    event=event,
                    requester=me,
                    recipient=other,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    priority=form.cleaned_data["priority"],
                    slot=slot,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Meeting request sent."))
                return redirect("matchmaking:requests", pk=event.pk)
    elif request.method == "POST":
        messages.error(request, _("You cannot request a meeting with yourself."))
    return render(
        request,
        "matchmaking/participant_detail.html",
        {
            "event": event,
            "me": me,
            "other": other,
            "form": form,
            "opportunities": other.opportunities.select_related("opportunity_type"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def my_profile(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    me = _participant_or_404(request, event)
    action = request.POST.get("action") if request.method == "POST" else None
    form = ParticipantForm(request.POST if action == "profile" else None, instance=me)
    opportunity_form = OpportunityForm(
        request.POST if action == "opportunity" else None, event=event
    )
    if action == "profile" and form.is_valid():
        participant = form.save(commit=False)
        try:
            services.participant_update(
                participant=participant,
                actor=request.user,
                sessions=list(form.cleaned_data["sessions"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Participant profile saved."))
            return redirect("matchmaking:my_profile", pk=event.pk)
    elif action == "opportunity" and opportunity_form.is_valid():
        try:
            services.opportunity_create(
                participant=me, actor=request.user, **opportunity_form.cleaned_data
            )
        except ValidationError as error:
            opportunity_form.add_error(None, error)
        else:
            messages.success(request, _("Opportunity added."))
            return redirect("matchmaking:my_profile", pk=event.pk)
    elif action == "delete_opportunity":
        opportunity = get_object_or_404(
            Opportunity, pk=_posted_id(request, "opportunity"), participant=me
        )
        services.opportunity_delete(opportunity=opportunity, actor=request.user)
        messages.success(request, _("Opportunity removed."))
        return redirect("matchmaking:my_profile", pk=event.pk)
    return render(
        request,
        "matchmaking/my_profile.html",
        {
            "event": event,
            "me": me,
            "form": form,
            "opportunity_form": opportunity_form,
            "opportunities": me.opportunities.select_related("opportunity_type"),
        },
        status=400 if action else 200,
    )


# --- Requests, agenda, feedback -------------------------------------------------------------


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    me = _participant_or_404(request, event)
    lists = selectors.requests_of(me)
    return render(
        request,
        "matchmaking/requests.html",
        {
            "event": event,
            "me": me,
            "incoming": _page(request, lists["incoming"]),
            "outgoing": Paginator(lists["outgoing"], PAGE_SIZE).get_page(
                request.GET.get("sent_page")
            ),
        },
    )


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, request_pk: int, action: str) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    mine = selectors.participants_of_user(user=request.user, event=event)
    meeting_request = get_object_or_404(
        MeetingRequest.objects.filter(event=event).filter(
            Q(requester__in=mine) | Q(recipient__in=mine)
        ),
        pk=request_pk,
    )
    try:
        if action in ("accept", "decline"):
            services.meeting_request_answer(
                request=meeting_request, actor=request.user, accept=action == "accept"
            )
        elif action == "cancel":
            services.meeting_request_cancel(request=meeting_request, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("matchmaking:requests", pk=event.pk)


def _agenda_context(participant: Participant) -> dict:
    rows = selectors.agenda_of(participant)
    now = timezone.now()
    for row in rows:
        row["past"] = row["slot"].start <= now
        row["feedback_form"] = FeedbackForm(prefix=f"m{row['meeting'].pk}") if row["past"] else None
    return {"rows": rows, "participant": participant}


@login_required
def my_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    me = _participant_or_404(request, event)
    context = {
        "event": event,
        "me": me,
        "feed_url": request.build_absolute_uri(
            reverse("matchmaking:agenda_feed", kwargs={"token": ical.feed_token(me)})
        ),
        **_agenda_context(me),
    }
    return render(request, "matchmaking/agenda.html", context)


def _ical_response(participant: Participant, *, download: bool) -> HttpResponse:
    body = ical.agenda_calendar(participant, selectors.agenda_of(participant), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if download:
        response["Content-Disposition"] = (
            f'attachment; filename="agenda-{participant.event_id}.ics"'
        )
    return response


@login_required
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    return _ical_response(_participant_or_404(request, event), download=True)


def agenda_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription URL: no log-in, the signed token names the participant."""
    participant = ical.participant_for_token(token)
    if participant is None:
        raise Http404
    return _ical_response(participant, download=False)


@login_required
@require_POST
def meeting_feedback(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    me = _participant_or_404(request, event)
    meeting = get_object_or_404(
        Meeting.objects.select_related("slot", "request", "event"),
        pk=meeting_pk,
        event=event,
        bookings__participant=me,
    )
    form = FeedbackForm(request.POST, prefix=f"m{meeting.pk}")
    if form.is_valid():
        try:
            services.meeting_feedback_give(
                meeting=meeting, participant=me, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Choose an outcome."))
    return redirect("matchmaking:agenda", pk=event.pk)


# --- Organiser: scheduling, grid, print, exports, dashboard ---------------------------------


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "schedule_all":
                run = agenda.scheduling_run_start(event=event, actor=request.user)
                run.refresh_from_db()  # a worker may have finished it already
                _announce_run(request, run)
            elif action == "publish":
                draft = selectors.draft_agenda(event)
                if draft is None:
                    raise ValidationError(_("There is no draft agenda to publish."))
                told = agenda.agenda_publish(version=draft, actor=request.user)
                messages.success(
                    request,
                    ngettext(
                        "Agenda published; %(n)s participant was told what changed for them.",
                        "Agenda published; %(n)s participants were told what changed for them.",
                        len(told),
                    )
                    % {"n": len(told)},
                )
            elif action in ("lock", "unlock"):
                entry = get_object_or_404(
                    AgendaEntry,
                    pk=_posted_id(request, "entry"),
                    version__event=event,
                    version__status=AgendaStatus.DRAFT,
                )
                agenda.agenda_entry_lock(entry=entry, actor=request.user, locked=action == "lock")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(request.get_full_path())  # the same page of the agenda
    draft = selectors.draft_agenda(event)
    published = selectors.published_agenda(event)
    shown = draft or published
    return render(
        request,
        "matchmaking/schedule.html",
        {
            "event": event,
            "draft": draft,
            "published": published,
            "entries": _page(request, selectors.agenda_entries(shown)) if shown else None,
            "warnings": Paginator(shown.warnings if shown else [], PAGE_SIZE).get_page(
                request.GET.get("warnings_page")
            ),
            "run": selectors.latest_scheduling_run(event),
            "accepted": event.meeting_requests.filter(status=RequestStatus.ACCEPTED).count(),
        },
    )


def _announce_run(request: HttpRequest, run: SchedulingRun) -> None:
    if run.status == RunStatus.DONE:
        messages.success(
            request,
            ngettext(
                "Draft agenda ready: %(n)s meeting.",
                "Draft agenda ready: %(n)s meetings.",
                run.scheduled,
            )
            % {"n": run.scheduled},
        )
    elif run.status == RunStatus.FAILED:
        messages.error(request, run.error)
    else:
        messages.info(request, _("Scheduling started; this page shows its progress."))


@login_required
def schedule_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """The progress panel of one scheduling run (polled by htmx while it runs)."""
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    run = get_object_or_404(event.scheduling_runs.select_related("created_by"), pk=run_pk)
    response = render(request, "matchmaking/schedule.html#run", {"event": event, "run": run})
    if request.htmx and not run.is_active:
        response["HX-Refresh"] = "true"  # show the new draft with its result
    return response


@login_required
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    # Columns are tables (hundreds at large events): a page of them at a time.
    tables = Paginator(event.tables.all(), GRID_TABLES).get_page(request.GET.get("page"))
    context = {"event": event, "page": tables, **selectors.meeting_grid(event, tables.object_list)}
    return render(request, "matchmaking/grid.html", context)


@login_required
def print_agendas(request: HttpRequest, pk: int) -> HttpResponse:
    """Every participant's agenda, one per printed page (organisers), or one's own."""
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    if selectors.can_organise(user=request.user, event=event):
        # One agenda query per participant, so print in batches.
        batch = Paginator(event.participants.all(), PRINT_BATCH).get_page(request.GET.get("page"))
        people = batch.object_list
    else:
        batch, people = None, [_participant_or_404(request, event)]
    pages = [_agenda_context(participant) for participant in people]
    return render(
        request, "matchmaking/print.html", {"event": event, "pages": pages, "batch": batch}
    )


def _csv_response(filename: str, header: list[str], rows: object) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@login_required
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    if kind == "meetings":
        rows = (
            [
                m.slot.start.isoformat(),
                m.slot.end.isoformat(),
                m.slot.start.astimezone(event.zone).strftime("%Y-%m-%d %H:%M"),
                m.slot.session.title,
                m.table.number,
                m.link,
                m.request.requester.name,
                m.request.requester.country_id,
                m.request.recipient.name,
                m.request.recipient.country_id,
                m.status,
            ]
            for m in selectors.meetings_for_export(event)
        )
        header = [
            "start_utc",
            "end_utc",
            f"start_{event.time_zone}",
            "session",
            "table",
            "link",
            "requester",
            "requester_country",
            "recipient",
            "recipient_country",
            "status",
        ]
    elif kind == "participants":
        rows = (
            [
                p.pk,
                p.name,
                p.organisation_id,
                p.country_id,
                p.participant_type.name if p.participant_type else "",
                p.contact_email,
                p.time_zone,
            ]
            for p in event.participants.select_related("participant_type")
        )
        header = ["id", "name", "organisation", "country", "type", "contact_email", "time_zone"]
    elif kind == "applications":
        rows = (
            [
                a.pk,
                a.organisation.name,
                a.organisation.country_id,
                a.status,
                a.is_late,
                a.is_eligible,
                a.created_at.isoformat(),
            ]
            for a in selectors.applications_for_organiser(event)
        )
        header = ["id", "organisation", "country", "status", "late", "eligible", "submitted_utc"]
    else:
        raise Http404
    return _csv_response(f"{kind}-{event.pk}.csv", header, rows)


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    figures = selectors.dashboard_figures(event)
    version = selectors.published_agenda(event) or selectors.draft_agenda(event)
    funnel = {
        _("Applications"): figures["applications"],
        _("Participants"): figures["participants"],
        _("Requests"): figures["requests"],
        _("Accepted"): figures["accepted"],
        _("Scheduled"): figures["scheduled"],
        _("Held"): figures["held"],
        _("No-shows"): figures["no_shows"],
    }
    charts = {
        "funnel": {"labels": list(funnel), "data": list(funnel.values())},
        "by_country": {
            "labels": [row[0] for row in figures["by_country"]],
            "data": [row[1] for row in figures["by_country"]],
        },
        "by_type": {
            "labels": [row[0] for row in figures["by_type"]],
            "data": [row[1] for row in figures["by_type"]],
        },
        "requests": {
            "labels": list(figures["requests_by_status"]),
            "data": list(figures["requests_by_status"].values()),
        },
        "outcomes": {
            "labels": [str(label) for label in figures["outcomes"]],
            "data": list(figures["outcomes"].values()),
        },
    }
    return render(
        request,
        "matchmaking/dashboard.html",
        {"event": event, "figures": figures, "charts": charts, "version": version},
    )
