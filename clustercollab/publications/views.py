"""Pages of the library: publications, transition resources, member forms, downloads and the
staff review of both (listed in the content app's unified moderation queue)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.content import selectors as content_selectors
from clustercollab.content.views import _created_message, _error_text, moderation_review_page
from clustercollab.core.selectors import audit_log_for
from clustercollab.publications import selectors, services
from clustercollab.publications.filters import PublicationFilter, TransitionResourceFilter
from clustercollab.publications.forms import FORMS_BY_KIND
from clustercollab.publications.models import Publication, TransitionTheme

PAGE_SIZE = 20
FILTERS_BY_KIND = {"publication": PublicationFilter, "resource": TransitionResourceFilter}


def _add_errors(form: object, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(
            None, _error_text(error) if isinstance(error, ValidationError) else str(error)
        )


def _list_page(
    request: HttpRequest, *, kind: str, queryset: QuerySet, template: str, extra: dict
) -> HttpResponse:
    filterset = FILTERS_BY_KIND[kind](request.GET or None, queryset=queryset)
    country_field = filterset.form.fields["country"]
    country_field.widget.choices = [
        ("", country_field.empty_label),
        *content_selectors.country_choices_in_use(
            queryset.model, also=filterset.data.get("country", "")
        ),
    ]
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"filter": filterset, "page": page, "kind": kind, **extra})


def publication_list(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request,
        kind="publication",
        queryset=selectors.public_publications(),
        template="publications/publication_list.html",
        extra={"can_post": content_selectors.posting_organisations(request.user).exists()},
    )


def resource_list(request: HttpRequest) -> HttpResponse:
    theme = request.GET.get("theme", "")
    theme = theme if theme in TransitionTheme.values else ""
    good_practices = selectors.good_practices_for_section(
        theme=theme, ecosystem=slugify(request.GET.get("ecosystem", ""))
    )
    return _list_page(
        request,
        kind="resource",
        queryset=selectors.public_resources(),
        template="publications/resource_list.html",
        extra={
            "good_practices": good_practices,
            "themes": TransitionTheme,
            "current_theme": theme,
            "can_post": selectors.can_post_resources(request.user),
        },
    )


def _detail(request: HttpRequest, *, kind: str, pk: int, slug: str) -> HttpResponse:
    model = selectors.LIBRARY_KINDS[kind]
    item, editable = content_selectors.item_for_viewer(model=model, pk=pk, user=request.user)
    item = selectors.with_relations(model.objects.filter(pk=item.pk)).get()
    if slug != item.slug:
        return redirect(item, permanent=False)
    context = {
        "item": item,
        "kind": kind,
        "editable": editable,
        "detail_template": f"publications/_{kind}_body.html",
    }
    if editable:
        context.update(
            history=audit_log_for(item)[:20],
            edit_url=reverse(f"publications:{kind}_edit", kwargs={"pk": item.pk}),
            submit_url=reverse(f"publications:{kind}_submit", kwargs={"pk": item.pk}),
            review_url=reverse(
                "publications:moderation_review", kwargs={"kind": kind, "pk": item.pk}
            ),
        )
    return render(request, "publications/item_detail.html", context)


def publication_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="publication", pk=pk, slug=slug)


def resource_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="resource", pk=pk, slug=slug)


def publication_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF, for anyone when the publication is public, else for its editors and staff."""
    item, _editable = content_selectors.item_for_viewer(model=Publication, pk=pk, user=request.user)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    filename = f"{item.slug or 'publication'}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form_page(request: HttpRequest, **context: object) -> HttpResponse:
    return render(
        request,
        "content/item_form.html",
        {
            **context,
            "kind_label": context["model"]._meta.verbose_name,
            "review_days": settings.MODERATION_REVIEW_DAYS,
        },
    )


@login_required
def item_create(request: HttpRequest, kind: str) -> HttpResponse:
    organisations = content_selectors.posting_organisations(request.user)
    if not request.user.is_staff and not organisations.exists():
        messages.error(request, _("Join or register an organisation to post content."))
        return redirect("organisations:dashboard")
    form_class = FORMS_BY_KIND[kind]
    form = form_class(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        is_staff=request.user.is_staff,
        initial={"posting_organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                item=form.save(commit=False),
                actor=request.user,
                organisation=form.organisation,
                m2m=form.m2m_values(),
                submit="submit" in request.POST,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            _created_message(request, item)
            return redirect(item)
    return _form_page(request, form=form, kind=kind, model=form_class._meta.model)


@login_required
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.LIBRARY_KINDS[kind]
    item = content_selectors.item_for_editor(model=model, pk=pk, user=request.user)
    replaced_file = getattr(item, "file", None) and item.file.name or ""
    form = FORMS_BY_KIND[kind](
        request.POST or None,
        request.FILES or None,
        instance=item,
        organisations=content_selectors.posting_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_update(
                item=form.save(commit=False),
                actor=request.user,
                changed_fields=form.changed_data,
                m2m=form.m2m_values(),
                replaced_file=replaced_file,
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if item.status == "submitted":
                messages.info(
                    request,
                    _("It is waiting for staff review (within %(days)d days).")
                    % {"days": settings.MODERATION_REVIEW_DAYS},
                )
            return redirect(item)
    return _form_page(request, form=form, kind=kind, model=model, item=item)


@login_required
@require_POST
def item_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.LIBRARY_KINDS[kind]
    item = content_selectors.item_for_editor(model=model, pk=pk, user=request.user)
    try:
        item = services.item_submit(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        _created_message(request, item)
    return redirect(item)


@staff_member_required
def moderation_review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.LIBRARY_KINDS.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(selectors.with_relations(model.objects.all()), pk=pk)
    return moderation_review_page(
        request, item=item, kind=kind, detail_template=f"publications/_{kind}_body.html"
    )
