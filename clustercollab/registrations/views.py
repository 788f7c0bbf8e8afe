"""Pages of event registration: the visitor's actions, the organiser's set-up, lists, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.registrations import selectors, services
from clustercollab.registrations.forms import SetupForm
from clustercollab.registrations.models import (
    ACTIVE_STATUSES,
    Registration,
    RegistrationStatus,
)

PAGE_SIZE = 25


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def interest(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    if request.POST.get("withdraw"):
        if services.interest_withdraw(event=event, user=request.user):
            messages.success(request, _("You are no longer marked as interested."))
        return redirect(event)
    try:
        services.interest_set(event=event, user=request.user, mode=request.POST.get("mode", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Thank you: we will e-mail you when registration opens."))
    return redirect(event)


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    try:
        registration = services.register(
            event=event, user=request.user, mode=request.POST.get("mode", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.warning(
                request, _("This attendance mode is full: you are on the waiting list.")
            )
    return redirect(event)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(pk=pk, user=request.user)
    registration = selectors.active_registration(event=event, user=request.user)
    if registration is None:
        messages.error(request, _("You have no registration to cancel for this event."))
        return redirect(event)
    try:
        services.cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event)


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.registrations_of_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "registrations/mine.html", {"page": page, "now": timezone.now()})


# --- Organisers ---------------------------------------------------------------------------


@login_required
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    current = selectors.setup_of(event)
    form = SetupForm(request.POST or None, event=event, setup=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.setup_save(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            problems = (
                error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            )
            for field, messages_of_field in problems.items():
                for problem in messages_of_field:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Registration settings saved."))
            return redirect("registrations:manage", pk=event.pk)
    return render(
        request, "registrations/setup.html", {"event": event, "form": form, "setup": current}
    )


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    registrations = selectors.registrations_for_organiser(event, status=status)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"registration": r, "position": selectors.waiting_position(r)} for r in page.object_list
    ]
    return render(
        request,
        "registrations/manage.html",
        {
            "event": event,
            "setup": selectors.setup_of(event),
            "figures": selectors.figures(event),
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "active_statuses": ACTIVE_STATUSES,
        },
    )


@login_required
@require_POST
def organiser_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    try:
        services.cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("registrations:manage", pk=event.pk)


@login_required
def export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    event = selectors.event_for_organiser(pk=pk, user=request.user)
    response = StreamingHttpResponse(
        selectors.registrations_csv_lines(event), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-registrations.csv"'
    return response
