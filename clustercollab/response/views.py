import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clustercollab.matching.hybrid import meaning_unavailable
from clustercollab.response import ranking, selectors, services
from clustercollab.response.forms import (
    CommentForm,
    ForumFilterForm,
    ForumModerationForm,
    ForumPostForm,
    ListingFilterForm,
    ListingForm,
    MessageForm,
    PortalForm,
    PortalStatusForm,
    ProposeMatchForm,
)
from clustercollab.response.models import (
    ForumCategory,
    MatchStatus,
    ResponsePortal,
    Side,
    SupplyListing,
    SupplyMatch,
)

PAGE_SIZE = 25


def _add_errors(form: object, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def portal_list(request: HttpRequest) -> HttpResponse:
    portals = Paginator(ResponsePortal.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "response/portal_list.html", {"page": portals})


@staff_member_required
def portal_create(request: HttpRequest) -> HttpResponse:
    form = PortalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            portal = services.portal_open(user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The response portal is open."))
            return redirect(portal)
    return render(request, "response/portal_form.html", {"form": form})


@staff_member_required
@require_POST
def portal_status(request: HttpRequest, slug: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    form = PortalStatusForm(request.POST)
    if form.is_valid():
        services.portal_set_status(
            user=request.user, portal=portal, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            _("The portal's status is now “%(status)s”.") % {"status": portal.get_status_display()},
        )
    else:
        messages.error(request, _("Unknown portal status."))
    return redirect(portal)


def portal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    context = {
        "portal": portal,
        "figures": selectors.portal_figures(portal),
        "latest_posts": selectors.published_forum_posts(portal)[:5],
        "latest_offers": selectors.listings_of_portal(portal, side=Side.OFFER, status="live")[:5],
        "latest_requests": selectors.listings_of_portal(portal, side=Side.REQUEST, status="live")[
            :5
        ],
        "map_tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "related": selectors.related_content(portal),
    }
    return render(request, "response/portal_detail.html", context)


def portal_map(request: HttpRequest, slug: str) -> JsonResponse:
    portal = selectors.portal_for_slug(slug)
    return JsonResponse(selectors.map_features(portal))


def listing_list(request: HttpRequest, slug: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    form = ListingFilterForm(request.GET or None, portal=portal)
    listings = SupplyListing.objects.none()
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        category = data.get("category")
        country = data.get("country")
        listings = selectors.listings_of_portal(
            portal,
            side=data.get("side", ""),
            category_id=category.pk if category else None,
            country=country.code if country else "",
            region=data.get("region", ""),
            text=data.get("q", ""),
            meaning=bool(data.get("meaning")),
        )
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"portal": portal, "form": form, "page": page}
    context.update(_meaning_context(form, "supplylisting"))
    return render(request, "response/listing_list.html", context)


def _meaning_context(form: Any, kind: str) -> dict:
    """The "match by meaning" state of a list's search, for its notice."""
    data = getattr(form, "cleaned_data", None) or {}
    text, meaning = data.get("q", ""), bool(data.get("meaning"))
    return {
        "query": text,
        "meaning": meaning,
        "meaning_unavailable": meaning_unavailable(kind, text=text, meaning=meaning),
    }


@login_required
def listing_create(request: HttpRequest, slug: str, side: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    if side not in Side.values:
        return redirect(portal)
    if not portal.is_active:
        messages.error(
            request, _("This response portal is closed: it can be read but not changed.")
        )
        return redirect(portal)
    form = ListingForm(request.POST or None, portal=portal, side=side, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        messages.error(
            request, _("Only organisations with a validated, published profile can post here.")
        )
        return redirect(portal)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                user=request.user,
                portal=portal,
                organisation=form.cleaned_data["organisation"],
                side=side,
                **form.listing_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Published. Matching offers and requests are listed below.")
            )
            return redirect(listing)
    return render(
        request, "response/listing_form.html", {"portal": portal, "form": form, "side": side}
    )


def listing_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    listing = selectors.listing_in_portal(portal, pk)
    own_listings = selectors.own_live_listings(user=request.user, listing=listing)
    is_owner = (
        request.user.is_authenticated
        and listing.organisation.memberships.filter(user=request.user).exists()
    )
    context = {
        "portal": portal,
        "listing": listing,
        "is_owner": is_owner,
        "ranked": ranking.ranked_counterparts(listing) if listing.is_live else [],
        "matches": selectors.matches_of_listing(listing=listing, user=request.user),
        "propose_form": (
            ProposeMatchForm(own_listings=own_listings, initial={"quantity": listing.remaining})
            if portal.is_active and listing.is_live and own_listings.exists()
            else None
        ),
    }
    return render(request, "response/listing_detail.html", context)


@login_required
@require_POST
def listing_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    listing = selectors.listing_in_portal(portal, pk)
    try:
        services.listing_withdraw(user=request.user, listing=listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrawn."))
    return redirect(listing)


@login_required
@require_POST
def match_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Propose a match between one of the user's listings and listing ``pk``."""
    portal = selectors.portal_for_slug(slug)
    counterpart = selectors.listing_in_portal(portal, pk)
    own_listings = selectors.own_live_listings(user=request.user, listing=counterpart)
    form = ProposeMatchForm(request.POST, own_listings=own_listings)
    if form.is_valid():
        try:
            match = services.match_propose(
                user=request.user,
                own=form.cleaned_data["own"],
                counterpart=counterpart,
                quantity=form.cleaned_data["quantity"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Match proposed. The other organisation is told by e-mail.")
            )
            return redirect(match)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(counterpart)


@login_required
def match_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    match = selectors.match_for_viewer(portal=portal, pk=pk, user=request.user)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_message_post(
                user=request.user, match=match, body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            return redirect(match)
    side = services.match_side_of(request.user, match)
    waiting_for_me = match.status == MatchStatus.PROPOSED and (
        (side == Side.OFFER and match.offer_confirmed_at is None)
        or (side == Side.REQUEST and match.request_confirmed_at is None)
    )
    context = {
        "portal": portal,
        "match": match,
        "side": side,
        "waiting_for_me": waiting_for_me,
        "messages_of_thread": (
            match.thread.messages.select_related("sender") if match.thread else []
        ),
        "form": form,
    }
    return render(request, "response/match_detail.html", context)


def _match_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    match = selectors.match_for_viewer(portal=portal, pk=pk, user=request.user)
    try:
        if action == "confirm":
            match = services.match_confirm(user=request.user, match=match)
            if match.status == MatchStatus.CONFIRMED:
                messages.success(request, _("Confirmed by both sides: the quantity is allocated."))
            else:
                messages.success(request, _("Confirmed. Waiting for the other organisation."))
        else:
            match = services.match_decline(user=request.user, match=match)
            messages.success(request, _("The proposal is closed."))
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    return redirect("response:match", slug=slug, pk=pk)


@login_required
@require_POST
def match_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _match_action(request, slug, pk, "confirm")


@login_required
@require_POST
def match_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _match_action(request, slug, pk, "decline")


# --- forum -------------------------------------------------------------------------------------


def forum(request: HttpRequest, slug: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    form = ForumFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    category = data.get("category", "")
    posts = selectors.published_forum_posts(
        portal, category=category, text=data.get("q", ""), meaning=bool(data.get("meaning"))
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "portal": portal,
        "form": form,
        "page": page,
        "category": category,
        "categories": ForumCategory,
        **_meaning_context(form, "forumpost"),
    }
    return render(request, "response/forum.html", context)


@login_required
def forum_post_create(request: HttpRequest, slug: str) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    if not portal.is_active:
        messages.error(
            request, _("This response portal is closed: it can be read but not changed.")
        )
        return redirect(portal)
    form = ForumPostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.forum_post_create(
                user=request.user,
                portal=portal,
                organisation=data["organisation"],
                category=data["category"],
                title=data["title"],
                body=data["body"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if post.is_public:
                messages.success(request, _("Published."))
            else:
                messages.success(
                    request, _("Submitted. Platform staff review posts before they are public.")
                )
            return redirect(post)
    return render(request, "response/forum_post_form.html", {"portal": portal, "form": form})


def forum_post_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    post = selectors.forum_post_for_viewer(portal=portal, pk=pk, user=request.user)
    form = None
    if request.user.is_authenticated:
        form = CommentForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                services.forum_comment_add(
                    user=request.user,
                    post=post,
                    organisation=form.cleaned_data["organisation"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect(post)
    following = request.user.is_authenticated and post.follows.filter(user=request.user).exists()
    context = {
        "portal": portal,
        "post": post,
        "comments": post.comments.select_related("organisation"),
        "form": form,
        "following": following,
        "moderation_form": ForumModerationForm() if request.user.is_staff else None,
    }
    return render(request, "response/forum_post_detail.html", context)


@login_required
@require_POST
def forum_post_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    post = selectors.forum_post_for_viewer(portal=portal, pk=pk, user=request.user)
    try:
        services.forum_follow(
            user=request.user, post=post, follow=request.POST.get("follow") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(post)


@staff_member_required
@require_POST
def forum_post_moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    portal = selectors.portal_for_slug(slug)
    post = selectors.forum_post_for_viewer(portal=portal, pk=pk, user=request.user)
    form = ForumModerationForm(request.POST)
    if form.is_valid():
        try:
            services.forum_post_moderate(
                user=request.user,
                post=post,
                transition=form.cleaned_data["transition"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done."))
    else:
        messages.error(request, _("Choose a moderation action."))
    return redirect(post)


@staff_member_required
def forum_moderation_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.forum_posts_awaiting_moderation(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "response/forum_queue.html", {"page": page})


# --- exports -----------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _region_columns(listing: SupplyListing) -> list[str]:
    region = listing.nuts_region
    return [
        listing.country_id,
        region.code[:3] if region else "",
        region.code[:4] if region and region.level >= 2 else "",
        region.code if region and region.level >= 3 else "",
        region.name_latin if region else "",
    ]


REGION_HEADER = ["country", "nuts1", "nuts2", "nuts3", "region_name"]


def export_listings(request: HttpRequest, slug: str, side: str) -> HttpResponse:
    """Offers or requests of a portal with their regions, for authorities (CSV)."""
    portal = selectors.portal_for_slug(slug)
    if side not in Side.values:
        return redirect(portal)
    form = ListingFilterForm(request.GET, portal=portal)
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = form.cleaned_data
    listings = selectors.listings_of_portal(
        portal,
        side=side,
        category_id=data["category"].pk if data.get("category") else None,
        country=data["country"].code if data.get("country") else "",
        region=data.get("region", ""),
    )

    def rows() -> Iterator[list]:
        date_column = "needed_by" if side == Side.REQUEST else "available_until"
        yield [
            "id",
            "category",
            "item",
            "quantity",
            "allocated",
            "remaining",
            "unit",
            "certification",
            "status",
            "organisation",
            *REGION_HEADER,
            date_column,
            "url",
        ]
        for listing in listings.iterator(chunk_size=500):
            yield [
                listing.pk,
                listing.category.name,
                listing.item,
                listing.quantity,
                listing.allocated_quantity,
                listing.remaining,
                listing.unit,
                listing.certification,
                listing.status,
                listing.organisation.name,
                *_region_columns(listing),
                getattr(listing, date_column) or "",
                request.build_absolute_uri(listing.get_absolute_url()),
            ]

    stamp = timezone.localdate().isoformat()
    return _csv_response(rows(), f"{portal.slug}-{side}s-{stamp}.csv")


@staff_member_required
def export_matches(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirmed matches with the regions of both sides (staff only: they name partners)."""
    portal = selectors.portal_for_slug(slug)
    matches = (
        SupplyMatch.objects.filter(offer__portal=portal, status=MatchStatus.CONFIRMED)
        .select_related(
            "offer__organisation",
            "request__organisation",
            "offer__nuts_region",
            "request__nuts_region",
            "offer__category",
        )
        .order_by("allocated_at", "id")
    )

    def rows() -> Iterator[list]:
        yield [
            "id",
            "category",
            "item",
            "quantity",
            "unit",
            "allocated_at",
            "offer_organisation",
            *[f"offer_{c}" for c in REGION_HEADER],
            "request_organisation",
            *[f"request_{c}" for c in REGION_HEADER],
        ]
        for match in matches.iterator(chunk_size=500):
            yield [
                match.pk,
                match.offer.category.name,
                match.offer.item,
                match.quantity,
                match.offer.unit,
                match.allocated_at.isoformat() if match.allocated_at else "",
                match.offer.organisation.name,
                *_region_columns(match.offer),
                match.request.organisation.name,
                *_region_columns(match.request),
            ]

    stamp = timezone.localdate().isoformat()
    return _csv_response(rows(), f"{portal.slug}-matches-{stamp}.csv")
