"""The statistics dashboards' figures as API endpoints, mounted under /api/v1/statistics/.

``country`` (ISO code) and ``ecosystem`` (slug) filter every figure, as on the dashboards; an
unknown parameter or value answers 400 in the API's error format.
"""

import re
from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clustercollab.api.schema import ERROR_RESPONSES, ErrorSerializer
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.insights.selectors import (
    INDICATORS,
    Breakdown,
    InsightsFilters,
    dashboard_figures,
)


class _CodeLookup(serializers.SlugRelatedField):
    """A code or slug looked up in the database only when it is one (PostgreSQL refuses some
    characters outright, such as NUL)."""

    def to_internal_value(self, data: object) -> object:
        if not isinstance(data, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,50}", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class StatisticsParameters(serializers.Serializer):
    country = _CodeLookup(
        slug_field="code",
        queryset=Country.objects.all(),
        required=False,
        help_text="ISO country code, e.g. FI: only organisations (and their activity) there.",
    )
    ecosystem = _CodeLookup(
        slug_field="slug",
        queryset=IndustrialEcosystem.objects.all(),
        required=False,
        help_text="Industrial ecosystem slug, e.g. energy-renewables.",
    )


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField(help_text="In the request's language.")


class RowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO country code, NUTS code, slug, month (YYYY-MM)…")
    label = serializers.CharField(help_text="In the request's language.")
    values = serializers.DictField(
        child=serializers.IntegerField(), help_text="One value per column key."
    )


class BreakdownSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    title = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    label_title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class TotalsSerializer(serializers.Serializer):
    organisations = serializers.IntegerField(help_text="Published organisation profiles.")
    clusters = serializers.IntegerField(help_text="Cluster organisations and networks among them.")
    countries = serializers.IntegerField()
    members = serializers.IntegerField(help_text="Members they represent, all types.")
    member_smes = serializers.IntegerField(help_text="Member SMEs they represent.")


class IndicatorLinkSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    filters = serializers.DictField(child=serializers.CharField())
    totals = TotalsSerializer()
    indicators = IndicatorLinkSerializer(many=True)


def _filters(request: Request) -> InsightsFilters:
    unknown = sorted(set(request.query_params) - set(StatisticsParameters().fields))
    if unknown:
        message = _("Unknown parameter. This endpoint takes: %(known)s.") % {
            "known": ", ".join(StatisticsParameters().fields)
        }
        raise ValidationError({name: [message] for name in unknown})
    parameters = StatisticsParameters(data=request.query_params)
    parameters.is_valid(raise_exception=True)
    data = parameters.validated_data
    return InsightsFilters(
        country=data["country"].code if data.get("country") else "",
        ecosystem=data["ecosystem"].slug if data.get("ecosystem") else "",
    )


def breakdown_data(breakdown: Breakdown, filters: InsightsFilters) -> dict:
    return {
        "indicator": breakdown.key,
        "title": breakdown.title,
        "filters": filters.as_params(),
        "label_title": breakdown.label_title,
        "columns": [{"key": c.key, "title": c.title} for c in breakdown.columns],
        "rows": [
            {
                "code": row["code"],
                "label": row["label"],
                "values": {c.key: row[c.key] for c in breakdown.columns},
            }
            for row in breakdown.rows
        ],
        "notes": breakdown.notes,
    }


class StatisticsOverview(APIView):
    @extend_schema(
        tags=["statistics"],
        summary="Statistics overview: totals and the indicators",
        operation_id="statistics_overview",
        parameters=[StatisticsParameters],
        responses={200: OverviewSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        filters = _filters(request)
        figures = dashboard_figures(filters)
        indicators = [
            {
                "indicator": key,
                "title": breakdown.title,
                "url": request.build_absolute_uri(
                    reverse("api:statistics-indicator", kwargs={"indicator": key})
                    + (f"?{urlencode(filters.as_params())}" if filters.as_params() else "")
                ),
            }
            for key, breakdown in figures.breakdowns.items()
        ]
        return Response(
            {"filters": filters.as_params(), "totals": figures.totals, "indicators": indicators}
        )


class StatisticsIndicator(APIView):
    @extend_schema(
        tags=["statistics"],
        summary="One statistics indicator: rows of figures, as in its dashboard table and CSV",
        operation_id="statistics_indicator",
        parameters=[
            StatisticsParameters,
            OpenApiParameter(
                "indicator", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(INDICATORS)
            ),
        ],
        responses={
            200: BreakdownSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such indicator."),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, indicator: str) -> Response:
        if indicator not in INDICATORS:
            raise NotFound(
                _("No such indicator. There are: %(names)s.") % {"names": ", ".join(INDICATORS)}
            )
        filters = _filters(request)
        breakdown = dashboard_figures(filters).breakdowns[indicator]
        return Response(breakdown_data(breakdown, filters))


urlpatterns = [
    path("statistics/", StatisticsOverview.as_view(), name="statistics"),
    path(
        "statistics/<slug:indicator>/",
        StatisticsIndicator.as_view(),
        name="statistics-indicator",
    ),
]
