from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.regional import selectors, services
from clustercollab.regional.forms import SupporterGrantForm, SupportMessageForm
from clustercollab.regional.models import RegionalSupporter


@login_required
def supporter_home(request: HttpRequest) -> HttpResponse:
    supporters = list(selectors.supporters_of_user(request.user))
    if len(supporters) == 1:
        return redirect("regional:area", pk=supporters[0].pk)
    return render(request, "regional/home.html", {"supporters": supporters})


@login_required
def area(request: HttpRequest, pk: int) -> HttpResponse:
    supporter = selectors.supporter_for_viewer(pk=pk, user=request.user)
    form, organisations = selectors.filter_area_organisations(supporter, request.GET)
    page = Paginator(selectors.with_profile_fields(organisations), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "regional/area.html",
        {
            "supporter": supporter,
            # The shape of a FilterSet, for the shared filter form.
            "filters": {"form": form, "errors": form.errors},
            "page": page,
            "rows": selectors.registration_rows(page),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def area_csv(request: HttpRequest, pk: int) -> HttpResponse:
    supporter = selectors.supporter_for_viewer(pk=pk, user=request.user)
    _form, organisations = selectors.filter_area_organisations(supporter, request.GET)
    filename = f"clustercollab-region-{supporter.pk}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        selectors.area_csv_lines(organisations, site_url=settings.SITE_URL),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def area_organisation(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    supporter = selectors.supporter_for_viewer(pk=pk, user=request.user)
    organisation = selectors.organisation_of_area(supporter=supporter, pk=organisation_pk)
    may_send = selectors.is_supporter_member(request.user, supporter)
    if request.method == "POST" and not may_send:
        raise PermissionDenied(_("Only members of the supporting organisation can do this."))
    form = SupportMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_message_send(
                supporter=supporter,
                recipient=organisation,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Message sent to %(name)s.") % {"name": organisation.name})
            return redirect("regional:organisation", pk=pk, organisation_pk=organisation.pk)
    row = selectors.registration_row(organisation)
    sent = Paginator(selectors.messages_of_supporter_to(supporter, organisation), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "regional/organisation.html",
        {
            "supporter": supporter,
            "row": row,
            "organisation": organisation,
            "form": form,
            "may_send": may_send,
            "page": sent,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.messages_received_by_user(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "regional/inbox.html", {"page": page})


@staff_member_required
def staff_supporters(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SupporterGrantForm(request.POST)
    else:
        form = SupporterGrantForm(initial=request.GET.dict())
    if form.is_bound and form.is_valid():
        try:
            supporter = services.supporter_grant(
                organisation=form.cleaned_data["organisation"],
                codes=form.cleaned_data["codes"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is now a regional supporter of %(area)s.")
                % {"name": supporter.organisation.name, "area": ", ".join(supporter.area_codes)},
            )
            return redirect("regional:staff_supporters")
    supporters = (
        RegionalSupporter.objects.select_related("organisation", "granted_by")
        .prefetch_related("regions", "countries")
        .order_by("organisation__name")
    )
    page = Paginator(supporters, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "regional/staff_supporters.html",
        {"form": form, "page": page},
        status=400 if request.method == "POST" else 200,
    )


@staff_member_required
@require_POST
def staff_supporter_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    supporter = get_object_or_404(RegionalSupporter.objects.select_related("organisation"), pk=pk)
    name = supporter.organisation.name
    services.supporter_revoke(supporter=supporter, actor=request.user)
    messages.success(request, _("%(name)s is no longer a regional supporter.") % {"name": name})
    return redirect("regional:staff_supporters")
