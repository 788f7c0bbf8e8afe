"""The regional support view's REST API, mounted under /api/v1/ by clustercollab.api.urls.

Only members of a supporting organisation (and staff) see a supporter and its area's
organisations, drafts included; everyone else gets 404 (or 401/403 without credentials).
"""

from django.db.models import QuerySet
from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from clustercollab.core.models import NutsRegion
from clustercollab.organisations.models import Organisation
from clustercollab.regional import selectors
from clustercollab.regional.models import RegionalSupporter


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NutsRegion
        fields = ["code", "level", "name_latin"]


class SupporterSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation_id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    regions = RegionSerializer(many=True, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = RegionalSupporter
        fields = ["id", "name", "regions", "countries", "created_at"]


class AreaOrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)
    region = serializers.CharField(source="nuts_region_id", read_only=True, allow_null=True)
    step = serializers.SerializerMethodField()
    completeness = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "country",
            "region",
            "city",
            "status",
            "step",
            "completeness",
            "missing",
            "submitted_at",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def _row(self, organisation: Organisation) -> selectors.RegistrationRow:
        rows = self.context.setdefault("rows", {})
        if organisation.pk not in rows:
            rows[organisation.pk] = selectors.registration_row(organisation)
        return rows[organisation.pk]

    def get_step(self, organisation: Organisation) -> str | None:
        """What the organisation's members are told to do next; null once published."""
        step = self._row(organisation).step
        return f"{step.title} {step.text}" if step else None

    def get_completeness(self, organisation: Organisation) -> int:
        """How complete the profile is, in percent."""
        return self._row(organisation).completeness.percent

    def get_missing(self, organisation: Organisation) -> list[str]:
        return [str(label) for label in self._row(organisation).completeness.missing]


class SupporterViewSet(viewsets.ReadOnlyModelViewSet):
    """The supporting organisations the caller is a member of (every one, for staff)."""

    serializer_class = SupporterSerializer
    # A supporter is addressed by its organisation's id (its primary key).
    lookup_field = "organisation_id"
    lookup_url_kwarg = "id"
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[RegionalSupporter]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return RegionalSupporter.objects.none()
        if self.request.user.is_staff:
            return (
                RegionalSupporter.objects.select_related("organisation")
                .prefetch_related("regions", "countries")
                .order_by("organisation__name")
            )
        return selectors.supporters_of_user(self.request.user)


_FILTERS = [
    OpenApiParameter(
        "status",
        str,
        description="draft, submitted, changes_requested, "
        "published, or registration (the first three)",
    ),
    OpenApiParameter(
        "kind",
        str,
        description="an organisation kind, or all (default: clusters and cluster networks)",
    ),
    OpenApiParameter("region", str, description="a NUTS region code: only this region and below"),
    OpenApiParameter("q", str, description="part of the name, or the acronym"),
    OpenApiParameter("sort", str, description="name (default), newest or stalest"),
]


@extend_schema(parameters=_FILTERS)
class AreaOrganisationList(generics.ListAPIView):
    """The organisations of a supporter's regions, published and in registration, with the step
    each is at."""

    serializer_class = AreaOrganisationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Organisation]:
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        supporter = selectors.supporter_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
        form, organisations = selectors.filter_area_organisations(
            supporter, self.request.query_params
        )
        if form.errors:
            raise ValidationError(form.errors)
        return selectors.with_profile_fields(organisations)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regional/supporters", SupporterViewSet, basename="regional-supporter")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "regional/supporters/<int:pk>/organisations/",
        AreaOrganisationList.as_view(),
        name="regional-supporter-organisations",
    ),
]
