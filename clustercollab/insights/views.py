"""The public statistics dashboards: thin views over insights.selectors."""

import csv
import io
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone

from clustercollab.insights.forms import InsightsFilterForm
from clustercollab.insights.selectors import (
    INDICATORS,
    Breakdown,
    dashboard_figures,
    filter_choices,
)

# Rows of each table on the dashboard; the indicator's own page lists them all, by page.
DASHBOARD_ROWS = 10
# Bars drawn in a chart: the largest ones (the table view and the CSV have every row).
CHART_BARS = 20
INDICATOR_PAGE_SIZE = 25
MAP_OUTLINES = {
    "country": "organisations/countries.geojson",
    "nuts2": "insights/nuts2.geojson",
}


def _chart_data(breakdown: Breakdown) -> dict:
    rows = breakdown.rows if breakdown.chart == "line" else breakdown.rows[:CHART_BARS]
    return {
        "key": breakdown.key,
        "type": breakdown.chart,
        "labels": [row["label"] for row in rows],
        "datasets": [
            {"label": column.title, "data": [row[column.key] for row in rows]}
            for column in breakdown.columns
        ],
    }


def _map_data(breakdown: Breakdown) -> dict | None:
    if not breakdown.map:
        return None
    column = breakdown.columns[0]
    return {
        "key": breakdown.key,
        "outlines": static(MAP_OUTLINES[breakdown.map]),
        "title": breakdown.title,
        "values": {row["code"]: row[column.key] for row in breakdown.rows},
    }


def _dashboard_rows(breakdown: Breakdown) -> list[list]:
    rows = breakdown.value_rows()
    # A time series shows its latest months; the others their largest rows.
    return rows[-DASHBOARD_ROWS:] if breakdown.chart == "line" else rows[:DASHBOARD_ROWS]


def _filters(request: HttpRequest) -> InsightsFilterForm:
    form = InsightsFilterForm(request.GET)
    form.is_valid()
    return form


def dashboard(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    figures = dashboard_figures(form.filters())
    breakdowns = list(figures.breakdowns.values())
    return render(
        request,
        "insights/dashboard.html",
        {
            "filters": figures.filters,
            "choices": filter_choices(),
            "problems": form.problems(),
            "figures": figures,
            "sections": [(b, _dashboard_rows(b)) for b in breakdowns],
            "charts": [_chart_data(b) for b in breakdowns],
            "maps": [m for m in (_map_data(b) for b in breakdowns) if m],
            "query": urlencode(figures.filters.as_params()),
            "tiles": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _breakdown(request: HttpRequest, indicator: str) -> tuple[InsightsFilterForm, Breakdown]:
    if indicator not in INDICATORS:
        raise Http404
    form = _filters(request)
    return form, dashboard_figures(form.filters()).breakdowns[indicator]


def indicator_detail(request: HttpRequest, indicator: str) -> HttpResponse:
    form, breakdown = _breakdown(request, indicator)
    page = Paginator(breakdown.value_rows(), INDICATOR_PAGE_SIZE).get_page(request.GET.get("page"))
    map_data = _map_data(breakdown)
    return render(
        request,
        "insights/indicator.html",
        {
            "filters": form.filters(),
            "choices": filter_choices(),
            "problems": form.problems(),
            "breakdown": breakdown,
            "page": page,
            "charts": [_chart_data(breakdown)],
            "maps": [map_data] if map_data else [],
            "query": urlencode(form.filters().as_params()),
            "tiles": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def breakdown_csv_text(breakdown: Breakdown) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", breakdown.label_title, *(c.title for c in breakdown.columns)])
    writer.writerows(breakdown.value_rows())
    return buffer.getvalue()


def indicator_csv(request: HttpRequest, indicator: str) -> HttpResponse:
    # A download with a filter that was not understood would mislabel its figures: refuse it.
    if indicator in INDICATORS and (problems := _filters(request).problems()):
        return HttpResponse(
            "\n".join(problems), status=400, content_type="text/plain; charset=utf-8"
        )
    form, breakdown = _breakdown(request, indicator)
    suffix = "-".join(form.filters().as_params().values())
    filename = "-".join(
        part
        for part in ("clustercollab", indicator, suffix, timezone.localdate().isoformat())
        if part
    )
    response = HttpResponse(breakdown_csv_text(breakdown), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
