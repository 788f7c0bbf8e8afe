"""Pages of the content hub: lists, details, member forms, campaigns, the moderation queue."""

import json
import zoneinfo
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.content import selectors, services
from clustercollab.content.filters import (
    EventFilter,
    FundingCallFilter,
    NewsFilter,
    SuccessStoryFilter,
)
from clustercollab.content.forms import FORMS_BY_KIND, CampaignEventForm, ModerationForm
from clustercollab.content.jsonld import item_jsonld
from clustercollab.content.models import (
    CallStatus,
    Campaign,
    ContentItem,
    Event,
    FundingCall,
    News,
    SuccessStory,
)
from clustercollab.core.selectors import audit_log_for

PAGE_SIZE = 20
TIME_ZONE_NAMES = sorted(
    name
    for name in zoneinfo.available_timezones()
    if "/" in name and not name.startswith(("posix/", "right/", "Etc/"))
)
FILTERS_BY_KIND = {
    "news": NewsFilter,
    "event": EventFilter,
    "call": FundingCallFilter,
    "story": SuccessStoryFilter,
}


def jsonld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no text can break out of."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _list_page(
    request: HttpRequest,
    *,
    kind: str,
    queryset: QuerySet,
    template: str,
    extra: dict,
    defaults: dict | None = None,
) -> HttpResponse:
    data = request.GET.copy()
    for name, value in (defaults or {}).items():
        data.setdefault(name, value)
    filterset = FILTERS_BY_KIND[kind](data or None, queryset=queryset)
    country_field = filterset.form.fields["country"]
    country_field.widget.choices = [
        ("", country_field.empty_label),
        *selectors.country_choices_in_use(queryset.model, also=filterset.data.get("country", "")),
    ]
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "kind": kind, **extra}
    return render(request, template, context)


def news_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.public_items(News).order_by("-published_at", "-id")
    return _list_page(
        request, kind="news", queryset=queryset, template="content/news_list.html", extra={}
    )


def story_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.public_items(SuccessStory).order_by("-published_at", "-id")
    return _list_page(
        request, kind="story", queryset=queryset, template="content/story_list.html", extra={}
    )


def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.now()
    return _list_page(
        request,
        kind="event",
        queryset=selectors.public_items(Event),
        template="content/event_list.html",
        extra={"this_month": {"year": today.year, "month": today.month}},
        # Upcoming events unless the visitor chose otherwise ("when=" is any time).
        defaults={"when": "upcoming"},
    )


def call_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.calls_in_list_order(selectors.public_items(FundingCall))
    return _list_page(
        request,
        kind="call",
        queryset=queryset,
        template="content/call_list.html",
        extra={"closing_soon": selectors.calls_closing_soon(limit=5), "statuses": CallStatus},
    )


def calls_closing_soon(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.calls_closing_soon(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "content/calls_closing_soon.html",
        {"page": page, "days": settings.CALLS_CLOSING_SOON_DAYS},
    )


def event_calendar(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    if year is None or month is None:
        today = timezone.now()
        return redirect("content:event_calendar", year=today.year, month=today.month)
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    filterset = EventFilter(request.GET or None, queryset=selectors.public_items(Event))
    weeks = selectors.month_calendar(year=year, month=month, events=filterset.qs)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "content/event_calendar.html",
        {
            "weeks": weeks,
            "month_start": date(year, month, 1),
            "previous": previous,
            "following": following,
            "filter": filterset,
        },
    )


def _detail(request: HttpRequest, *, kind: str, pk: int, slug: str) -> HttpResponse:
    model = selectors.CONTENT_KINDS[kind]
    item, editable = selectors.item_for_viewer(model=model, pk=pk, user=request.user)
    if slug != item.slug:
        return redirect(item, permanent=False)
    context = {
        "item": item,
        "kind": kind,
        "editable": editable,
        "detail_template": f"content/_{kind}_body.html",
        "jsonld": jsonld_script(item_jsonld(item, request)) if item.is_public else "",
    }
    if editable:
        context.update(
            history=audit_log_for(item)[:20],
            edit_url=reverse(f"content:{kind}_edit", kwargs={"pk": item.pk}),
            submit_url=reverse(f"content:{kind}_submit", kwargs={"pk": item.pk}),
        )
    return render(request, "content/item_detail.html", context)


def news_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="news", pk=pk, slug=slug)


def event_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="event", pk=pk, slug=slug)


def call_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="call", pk=pk, slug=slug)


def story_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    return _detail(request, kind="story", pk=pk, slug=slug)


def _save_new(request: HttpRequest, form: object, *, submit: bool) -> ContentItem | None:
    item = form.save(commit=False)
    try:
        return services.content_create(
            item=item,
            actor=request.user,
            organisation=form.organisation,
            m2m=form.m2m_values(),
            submit=submit,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _created_message(request: HttpRequest, item: ContentItem) -> None:
    if item.is_public:
        messages.success(request, _("Published."))
    elif item.status == "submitted":
        messages.success(
            request,
            _("Submitted for validation. Staff review submissions within %(days)d days.")
            % {"days": settings.MODERATION_REVIEW_DAYS},
        )
    else:
        messages.success(request, _("Draft saved. Submit it for validation when it is ready."))


def _form_context(**context: object) -> dict:
    return {
        **context,
        "kind_label": context["model"]._meta.verbose_name,
        "time_zone_names": TIME_ZONE_NAMES,
        "review_days": settings.MODERATION_REVIEW_DAYS,
    }


@login_required
def item_create(request: HttpRequest, kind: str) -> HttpResponse:
    organisations = selectors.posting_organisations(request.user)
    if not request.user.is_staff and not organisations.exists():
        messages.error(request, _("Join or register an organisation to post content."))
        return redirect("organisations:dashboard")
    form_class = FORMS_BY_KIND[kind]
    initial = {"posting_organisation": request.GET.get("organisation")}
    form = form_class(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        is_staff=request.user.is_staff,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        item = _save_new(request, form, submit="submit" in request.POST)
        if item is not None:
            _created_message(request, item)
            return redirect(item)
    return render(
        request,
        "content/item_form.html",
        _form_context(form=form, kind=kind, model=form_class._meta.model),
    )


@login_required
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.CONTENT_KINDS[kind]
    item = selectors.item_for_editor(model=model, pk=pk, user=request.user)
    form_class = FORMS_BY_KIND[kind]
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=item,
        organisations=selectors.posting_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        try:
            services.content_update(
                item=item,
                actor=request.user,
                changed_fields=form.changed_data,
                m2m=form.m2m_values(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Saved."))
            if item.status == "submitted":
                messages.info(
                    request,
                    _("It is waiting for staff review (within %(days)d days).")
                    % {"days": settings.MODERATION_REVIEW_DAYS},
                )
            return redirect(item)
    return render(
        request,
        "content/item_form.html",
        _form_context(form=form, kind=kind, model=model, item=item),
    )


@login_required
@require_POST
def item_submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.CONTENT_KINDS[kind]
    item = selectors.item_for_editor(model=model, pk=pk, user=request.user)
    try:
        item = services.content_submit(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        _created_message(request, item)
    return redirect(item)


@login_required
def my_content(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.content_of_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "content/my_content.html",
        {"page": page, "review_days": settings.MODERATION_REVIEW_DAYS},
    )


# --- policy factsheets ---


def policy_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.factsheets_public(), 60).get_page(request.GET.get("page"))
    return render(request, "content/policy_list.html", {"page": page})


def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    factsheet = selectors.factsheet_for_country(code)
    if code != code.lower():
        return redirect(factsheet, permanent=True)
    return render(request, "content/policy_detail.html", {"factsheet": factsheet})


# --- campaigns ---


def campaign_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        Campaign.objects.filter(is_published=True).order_by("-starts_on"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "content/campaign_list.html", {"page": page})


def _campaign_context(request: HttpRequest, campaign: Campaign) -> dict:
    events = selectors.campaign_events(campaign)
    months = []
    month_start = campaign.starts_on.replace(day=1)
    while month_start <= campaign.ends_on:
        months.append(month_start)
        month_start = (month_start + timedelta(days=32)).replace(day=1)
    try:
        shown = date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        shown = months[0]
    if shown not in months:
        shown = months[0]
    markers = [
        {
            "lat": event.latitude,
            "lon": event.longitude,
            "title": event.title,
            "url": event.get_absolute_url(),
        }
        for event in events
        if event.latitude is not None
    ]
    return {
        "campaign": campaign,
        "events": events,
        "page": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
        "weeks": selectors.month_calendar(year=shown.year, month=shown.month, events=events),
        "month_start": shown,
        "months": months if len(months) > 1 else [],
        "country_counts": selectors.event_counts_by_country(events),
        "markers": markers,
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "accepts_events": campaign.accepts_events(),
    }


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_for_viewer(slug=slug, user=request.user)
    return render(request, "content/campaign_detail.html", _campaign_context(request, campaign))


@login_required
def campaign_submit_event(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_for_viewer(slug=slug, user=request.user)
    organisations = selectors.posting_organisations(request.user)
    if not request.user.is_staff and not organisations.exists():
        messages.error(request, _("Join or register an organisation to post content."))
        return redirect("organisations:dashboard")
    if not campaign.accepts_events() and not request.user.is_staff:
        messages.error(request, _("The call for events of this campaign has closed."))
        return redirect(campaign)
    form = CampaignEventForm(
        request.POST or None,
        campaign=campaign,
        organisations=organisations,
        is_staff=request.user.is_staff,
    )
    if request.method == "POST" and form.is_valid():
        item = _save_new(request, form, submit=True)
        if item is not None:
            _created_message(request, item)
            return redirect(item)
    return render(
        request,
        "content/item_form.html",
        _form_context(form=form, kind="event", model=Event, campaign=campaign),
    )


# --- moderation ---


@staff_member_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.moderation_queue_rows(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "content/moderation_queue.html",
        {"page": page, "review_days": settings.MODERATION_REVIEW_DAYS},
    )


@staff_member_required
def moderation_review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = selectors.CONTENT_KINDS.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(selectors.with_relations(model.objects.all()), pk=pk)
    return moderation_review_page(
        request, item=item, kind=kind, detail_template=f"content/_{kind}_body.html"
    )


def moderation_review_page(
    request: HttpRequest, *, item: ContentItem, kind: str, detail_template: str
) -> HttpResponse:
    """Staff's decision on one item, also for other apps' ContentItem models; the calling view
    checks that the user is staff."""
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.content_moderate(
                item=item,
                actor=request.user,
                transition=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Done: “%(title)s” is now “%(status)s”.")
                % {"title": item.title, "status": item.get_status_display()},
            )
            return redirect("content:moderation_queue")
    return render(
        request,
        "content/moderation_review.html",
        {
            "item": item,
            "kind": kind,
            "form": form,
            "history": audit_log_for(item)[:30],
            "detail_template": detail_template,
        },
    )
