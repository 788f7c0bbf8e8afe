"""The response app's REST API endpoints, mounted under /api/v1/ by clustercollab.api.urls.

Portals, offers and requests and published forum posts are public; matches are visible to the
two organisations involved and to staff.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from clustercollab.core.models import NutsRegion
from clustercollab.matching.forms import MeaningToggle
from clustercollab.matching.hybrid import searched
from clustercollab.response import selectors
from clustercollab.response.models import (
    ForumPost,
    ResponsePortal,
    Side,
    SupplyCategory,
    SupplyListing,
    SupplyMatch,
)


class SupplyCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyCategory
        fields = ["id", "name", "default_unit"]


class PortalSerializer(serializers.ModelSerializer):
    categories = SupplyCategorySerializer(many=True, read_only=True)

    class Meta:
        model = ResponsePortal
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "description",
            "started_on",
            "status",
            "categories",
        ]


class ListingSerializer(serializers.ModelSerializer):
    portal = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name", read_only=True)
    region = serializers.CharField(source="nuts_region_id", read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = SupplyListing
        fields = [
            "id",
            "portal",
            "side",
            "status",
            "category",
            "item",
            "description",
            "quantity",
            "allocated_quantity",
            "remaining",
            "unit",
            "certification",
            "country",
            "region",
            "latitude",
            "longitude",
            "available_from",
            "available_until",
            "needed_by",
            "delivery_radius_km",
            "logistics_offered",
            "price_indication",
            "organisation",
            "created_at",
        ]

    def get_organisation(self, listing: SupplyListing) -> dict:
        return {"id": listing.organisation_id, "name": listing.organisation.name}


class MatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyMatch
        fields = [
            "id",
            "offer",
            "request",
            "quantity",
            "status",
            "offer_confirmed_at",
            "request_confirmed_at",
            "allocated_at",
            "created_at",
        ]


class ForumPostSerializer(serializers.ModelSerializer):
    portal = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ForumPost
        fields = ["id", "portal", "category", "title", "body", "organisation", "published_at"]


class ResponsePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PortalViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = ResponsePagination
    serializer_class = PortalSerializer
    lookup_field = "slug"
    queryset = ResponsePortal.objects.prefetch_related("categories").order_by("-started_on", "id")


SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for."),
    OpenApiParameter(
        "meaning",
        OpenApiTypes.BOOL,
        description="With q: fuse the matches by words with the matches by meaning (any "
        "language), best first. Words alone until the texts have been analysed.",
    ),
]


def _searched(
    queryset: QuerySet, params: dict, text_search: Callable[[QuerySet, str], QuerySet]
) -> QuerySet:
    text = " ".join(str(params.get("q", "")).split())[:200]
    # Read as every list's toggle reads it (the other APIs' meaning filter uses it too).
    meaning = bool(MeaningToggle().value_from_datadict(params, {}, "meaning"))
    return searched(queryset, text, meaning=meaning, text_search=text_search)


@extend_schema_view(list=extend_schema(parameters=SEARCH_PARAMETERS))
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    """Offers and requests. Filters: portal (slug), side, category (id), country, region, status,
    q (words) and meaning."""

    pagination_class = ResponsePagination
    serializer_class = ListingSerializer

    def get_queryset(self) -> QuerySet[SupplyListing]:
        params = self.request.query_params
        listings = SupplyListing.objects.exclude(status="withdrawn").select_related(
            "organisation", "category", "portal"
        )
        if params.get("portal"):
            listings = listings.filter(portal__slug=params["portal"])
        side = params.get("side", "")
        if side:
            if side not in Side.values:
                raise ValidationError({"side": f"Use one of: {', '.join(Side.values)}."})
            listings = listings.filter(side=side)
        if params.get("category"):
            if not params["category"].isdigit():
                raise ValidationError({"category": "A category id is a number."})
            listings = listings.filter(category_id=int(params["category"]))
        if params.get("country"):
            listings = listings.filter(country_id=params["country"].upper())
        region = params.get("region", "").upper()
        if region:
            if not NutsRegion.objects.filter(code=region).exists():
                raise ValidationError({"region": f"There is no NUTS region {region}."})
            listings = listings.filter(nuts_region__code__startswith=region)
        if params.get("status"):
            listings = listings.filter(status=params["status"])
        listings = listings.order_by("-created_at", "-id")
        if self.action != "list":
            return listings
        return _searched(listings, params, selectors.search_listings)


class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Matches of the caller's organisations (all matches for staff)."""

    pagination_class = ResponsePagination
    serializer_class = MatchSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[SupplyMatch]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SupplyMatch.objects.none()
        if self.request.user.is_staff:
            return SupplyMatch.objects.order_by("-created_at", "-id")
        return selectors.matches_of_user(self.request.user).order_by("-created_at", "-id")


@extend_schema_view(list=extend_schema(parameters=SEARCH_PARAMETERS))
class ForumPostViewSet(viewsets.ReadOnlyModelViewSet):
    """Published forum posts, newest first; q (words) and meaning search them."""

    pagination_class = ResponsePagination
    serializer_class = ForumPostSerializer

    def get_queryset(self) -> QuerySet[ForumPost]:
        posts = (
            ForumPost.objects.published()
            .select_related("portal", "organisation")
            .order_by("-published_at", "-id")
        )
        if self.action != "list":
            return posts
        return _searched(posts, self.request.query_params, selectors.search_forum_posts)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("response/portals", PortalViewSet, basename="response-portal")
router.register("response/listings", ListingViewSet, basename="response-listing")
router.register("response/matches", MatchViewSet, basename="response-match")
router.register("response/forum-posts", ForumPostViewSet, basename="response-forum-post")

urlpatterns = [path("", include(router.urls))]
