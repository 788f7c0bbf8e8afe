"""Read-only API endpoints of the taxonomies, mounted under /api/v1/ by clustercollab.api.urls.

Names are given in the language of the request (Accept-Language or the ``lang`` cookie).
"""

import django_filters
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from clustercollab.api.filtering import STRICT_FILTER_BACKENDS
from clustercollab.api.pagination import TaxonomyPagination
from clustercollab.api.schema import ERROR_RESPONSES
from clustercollab.core.models import (
    Country,
    CountryGroup,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="local_name", help_text="Name in the request's language.")
    is_eu = serializers.BooleanField(help_text="An EU member state.")

    class Meta:
        model = Country
        fields = ["code", "name", "group", "is_eu", "has_nuts"]


class CountryFilterSet(django_filters.FilterSet):
    group = django_filters.ChoiceFilter(choices=CountryGroup.choices)

    class Meta:
        model = Country
        fields = ["group", "has_nuts"]


@extend_schema(
    tags=["taxonomies"],
    summary="Countries (ISO 3166 codes)",
    responses={200: CountrySerializer(many=True), **ERROR_RESPONSES},
)
class CountryList(generics.ListAPIView):
    queryset = Country.objects.order_by("code")
    serializer_class = CountrySerializer
    filter_backends = STRICT_FILTER_BACKENDS
    filterset_class = CountryFilterSet
    pagination_class = TaxonomyPagination


class NutsRegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_latin")
    country = serializers.CharField(source="country_id")
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = NutsRegion
        fields = ["code", "level", "name", "name_native", "country", "parent"]


class NutsRegionFilterSet(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(
        choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int, label="NUTS level (1, 2 or 3)"
    )
    parent = django_filters.ModelChoiceFilter(
        queryset=NutsRegion.objects.all(), label="Code of the parent region, e.g. FI1D"
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.filter(has_nuts=True), label="ISO country code, e.g. FI"
    )

    class Meta:
        model = NutsRegion
        fields = ["level", "parent", "country"]


@extend_schema(
    tags=["taxonomies"],
    summary="NUTS 2024 regions",
    responses={200: NutsRegionSerializer(many=True), **ERROR_RESPONSES},
)
class NutsRegionList(generics.ListAPIView):
    queryset = NutsRegion.objects.defer("geometry").order_by("code")
    serializer_class = NutsRegionSerializer
    filter_backends = STRICT_FILTER_BACKENDS
    filterset_class = NutsRegionFilterSet
    pagination_class = TaxonomyPagination


class IndustrialEcosystemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", help_text="Name in the request's language.")

    class Meta:
        model = IndustrialEcosystem
        fields = ["id", "slug", "name"]


@extend_schema(
    tags=["taxonomies"],
    summary="The 14 EU industrial ecosystems",
    responses={200: IndustrialEcosystemSerializer(many=True), **ERROR_RESPONSES},
)
class IndustrialEcosystemList(generics.ListAPIView):
    queryset = IndustrialEcosystem.objects.order_by("id")
    serializer_class = IndustrialEcosystemSerializer
    filter_backends = STRICT_FILTER_BACKENDS
    pagination_class = TaxonomyPagination


class NaceActivitySerializer(serializers.ModelSerializer):
    label = serializers.CharField(help_text="Label in the request's language.")
    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = NaceActivity
        fields = ["code", "level", "section", "parent", "label"]


class NaceActivityFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=[(level, level) for level in ("section", "division", "group", "class")]
    )
    section = django_filters.ChoiceFilter(
        choices=[(letter, letter) for letter in "ABCDEFGHIJKLMNOPQRSTU"]
    )
    parent = django_filters.ModelChoiceFilter(
        queryset=NaceActivity.objects.all(), label="Code of the parent activity, e.g. 10.1"
    )

    class Meta:
        model = NaceActivity
        fields = ["level", "section", "parent"]


@extend_schema(
    tags=["taxonomies"],
    summary="NACE Rev. 2 activities",
    responses={200: NaceActivitySerializer(many=True), **ERROR_RESPONSES},
)
class NaceActivityList(generics.ListAPIView):
    queryset = NaceActivity.objects.order_by("code")
    serializer_class = NaceActivitySerializer
    filter_backends = STRICT_FILTER_BACKENDS
    filterset_class = NaceActivityFilterSet
    pagination_class = TaxonomyPagination


class EmergingIndustrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", help_text="Name in the request's language.")

    class Meta:
        model = EmergingIndustry
        fields = ["slug", "name"]


@extend_schema(
    tags=["taxonomies"],
    summary="The 10 emerging industries",
    responses={200: EmergingIndustrySerializer(many=True), **ERROR_RESPONSES},
)
class EmergingIndustryList(generics.ListAPIView):
    queryset = EmergingIndustry.objects.order_by("slug")
    serializer_class = EmergingIndustrySerializer
    filter_backends = STRICT_FILTER_BACKENDS
    pagination_class = TaxonomyPagination


urlpatterns = [
    path("countries/", CountryList.as_view(), name="countries"),
    path("nuts-regions/", NutsRegionList.as_view(), name="nuts_regions"),
    path("industrial-ecosystems/", IndustrialEcosystemList.as_view(), name="ecosystems"),
    path("nace-activities/", NaceActivityList.as_view(), name="nace_activities"),
    path("emerging-industries/", EmergingIndustryList.as_view(), name="emerging_industries"),
]
