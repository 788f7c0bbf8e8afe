import json

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.core.selectors import audit_log_for
from clustercollab.matching.selectors import vectors_version
from clustercollab.organisations import selectors, services
from clustercollab.organisations.directory_index import (
    RecentAnswers,
    directory_stamp,
    indexed_query,
)
from clustercollab.organisations.filters import (
    SORT_CHOICES,
    OrganisationFilterSet,
    directory_removals,
)
from clustercollab.organisations.forms import (
    InvitationForm,
    ModerationForm,
    OrganisationCreateForm,
    OrganisationForm,
    RoleForm,
)
from clustercollab.organisations.jsonld import organisation_jsonld
from clustercollab.organisations.models import Invitation, Membership, Organisation, Role


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of_user(request.user))
    rows = [
        {
            "membership": m,
            "organisation": m.organisation,
            "next_step": selectors.profile_next_step(m.organisation),
            "completeness": selectors.completeness(m.organisation),
        }
        for m in memberships
    ]
    return render(
        request,
        "organisations/dashboard.html",
        {
            "rows": rows,
            "invitations": selectors.open_invitations_for_email(request.user.email),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft created. Complete the profile, then submit it."))
            return redirect("organisations:edit", pk=organisation.pk)
    return render(request, "organisations/create.html", {"form": form})


def organisation_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    organisation, role = selectors.organisation_for_viewer(pk=pk, user=request.user)
    if slug != organisation.slug:
        return redirect(organisation, permanent=False)
    projects = organisation.projects.order_by("-start_date")[:10]
    context = {
        "organisation": organisation,
        "role": role,
        "projects": projects,
        # Escaped for a <script> element: profile text such as "</script>" cannot end it.
        "jsonld": json.dumps(organisation_jsonld(organisation, request), ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026"),
    }
    if role is not None:
        context.update(
            next_step=selectors.profile_next_step(organisation),
            completeness=selectors.completeness(organisation),
            history=audit_log_for(organisation)[:20],
        )
    return render(request, "organisations/detail.html", context)


def _refresh_initial(data: QueryDict) -> dict:
    return {
        key: data.getlist(key) if len(data.getlist(key)) > 1 else data.get(key)
        for key in data
        if key not in {"csrfmiddlewaretoken", "_refresh"}
    }


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, role = selectors.organisation_for_member(pk=pk, user=request.user)
    if request.method == "POST" and "_refresh" in request.POST:
        # The country or kind changed: show the questions that apply, keep what was typed.
        form = OrganisationForm(instance=organisation, initial=_refresh_initial(request.POST))
    elif request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=organisation)
        if form.is_valid():
            organisation = form.save(commit=False)
            try:
                services.organisation_update(
                    organisation=organisation, actor=request.user, changed_fields=form.changed_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form.save_m2m()
                messages.success(request, _("Profile saved."))
                return redirect("organisations:edit", pk=organisation.pk)
    else:
        form = OrganisationForm(instance=organisation)
    context = {
        "organisation": organisation,
        "form": form,
        "role": role,
        "completeness": selectors.completeness(organisation),
        "next_step": selectors.profile_next_step(organisation),
    }
    template = "organisations/edit.html"
    if request.htmx:
        template += "#profile-form"
    return render(request, template, context)


@login_required
@require_POST
def organisation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, _role = selectors.organisation_for_member(pk=pk, user=request.user)
    try:
        services.organisation_submit(organisation=organisation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Submitted for validation. Staff will review it."))
    return redirect(organisation)


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, role = selectors.organisation_for_member(pk=pk, user=request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if role != Role.ADMIN:
            messages.error(request, _("Only admins of this organisation can manage its members."))
            return redirect("organisations:members", pk=pk)
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=organisation, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("organisations:members", pk=pk)
    invitations = selectors.unanswered_invitations_of(organisation)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "role": role,
            "form": form,
            "memberships": selectors.members_of(organisation),
            "invitations": invitations,
            "roles": Role.choices,
        },
    )


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation, _role = selectors.organisation_for_member(pk=pk, user=request.user)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("organisations:members", pk=pk)
    try:
        services.membership_change_role(
            membership=membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Role changed."))
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation, _role = selectors.organisation_for_member(pk=pk, user=request.user)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("organisations:members", pk=pk)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": organisation.name})
        return redirect("organisations:dashboard")
    messages.success(request, _("Member removed."))
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation, _role = selectors.organisation_for_member(pk=pk, user=request.user)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("organisations:members", pk=pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("organisations:dashboard")
    return render(request, "organisations/invitation.html", {"invitation": invitation})


@staff_member_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.moderation_queue(), 25).get_page(request.GET.get("page"))
    rows = []
    for organisation in page:
        criteria, waived = selectors.validation_criteria(organisation)
        rows.append(
            {
                "organisation": organisation,
                "criteria": criteria,
                "waived": waived,
                "duplicates": selectors.possible_duplicates(organisation),
            }
        )
    edited = Paginator(selectors.edited_published_profiles(), 25).get_page(
        request.GET.get("edited_page")
    )
    return render(
        request,
        "organisations/moderation_queue.html",
        {"page": page, "rows": rows, "edited": edited},
    )


@staff_member_required
def moderation_review(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("country", "nuts_region"), pk=pk
    )
    form = ModerationForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "changes_reviewed":
            services.organisation_changes_reviewed(organisation=organisation, actor=request.user)
            messages.success(request, _("Marked as reviewed."))
            return redirect("organisations:moderation_queue")
        if form.is_valid():
            try:
                moderated = services.organisation_moderate(
                    organisation=organisation,
                    actor=request.user,
                    transition=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _("Done: %(name)s is now “%(status)s”.")
                    % {
                        "name": moderated.name,
                        "status": moderated.get_status_display(),
                    },
                )
                return redirect("organisations:moderation_queue")
    criteria, waived = selectors.validation_criteria(organisation)
    return render(
        request,
        "organisations/moderation_review.html",
        {
            "organisation": organisation,
            "form": form,
            "criteria": criteria,
            "waived": waived,
            "duplicates": selectors.possible_duplicates(organisation),
            "completeness": selectors.completeness(organisation),
            "history": audit_log_for(organisation)[:30],
        },
    )


# --- the directory ------------------------------------------------------------------------------


def _directory_context(request: HttpRequest, results: selectors.DirectoryResults) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    filterset = results.filterset
    cleaned = getattr(filterset.form, "cleaned_data", {})
    return {
        "results": results,
        "filterset": filterset,
        "form": filterset.form,
        "page": results.page,
        "query": query.urlencode(),
        "page_param": f"{query.urlencode()}&page" if query else "page",
        "removals": directory_removals(request.GET, results.filterset),
        "text": cleaned.get("q") or request.GET.get("q", ""),
        "sort": filterset.sort_key,
        "sort_choices": SORT_CHOICES,
        "members_min": request.GET.get("members_min", ""),
        "members_max": request.GET.get("members_max", ""),
    }


# The rendered results and facets of recent queries: the same for every visitor (the fragment
# holds no user, CSRF token or message), remembered per process until the directory changes.
_directory_fragments = RecentAnswers("DIRECTORY_FRAGMENT_CACHE_SIZE")


def directory(request: HttpRequest) -> HttpResponse:
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    stamp = directory_stamp()
    key = (
        stamp,
        get_language(),
        tuple(sorted((name, tuple(values)) for name, values in request.GET.lists())),
    )
    if "meaning" in request.GET:
        key = (*key, vectors_version("organisation"))
    html = _directory_fragments.get(key)
    if html is not None:
        if partial:
            return HttpResponse(html)
        return render(request, "organisations/directory.html", {"directory_html": html})
    results = selectors.directory_results(request.GET, stamp=stamp)
    context = _directory_context(request, results)
    if partial:
        response = render(request, "organisations/directory.html#directory", context)
        _directory_fragments.put(key, response.content.decode())
        return response
    html = render_to_string("organisations/directory.html#directory", context, request)
    _directory_fragments.put(key, html)
    return render(request, "organisations/directory.html", {**context, "directory_html": html})


def directory_map(request: HttpRequest) -> HttpResponse:
    results = selectors.directory_results(request.GET, with_facets=False)
    context = _directory_context(request, results)
    context["tile_url"] = settings.MAP_TILE_URL
    context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
    return render(request, "organisations/directory_map.html", context)


def directory_geojson(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(request.GET)
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    query = indexed_query(filterset, stamp=filterset.stamp)
    return JsonResponse(selectors.directory_geojson(query))


def directory_csv(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(request.GET)
    if not filterset.is_valid():
        messages.error(request, " ".join(selectors._form_notices(filterset.form)))
        return redirect(f"{reverse('organisations:directory')}?{request.GET.urlencode()}")
    filename = f"clustercollab-directory-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        selectors.directory_csv_lines(
            indexed_query(filterset, stamp=filterset.stamp).ordered_ids(),
            site_url=settings.SITE_URL,
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
