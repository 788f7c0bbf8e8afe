"""Background jobs of the statistics dashboards."""

from django.utils import translation
from django_tasks import task


@task()
def refresh_dashboard_figures(*, country: str, ecosystem: str, language: str) -> int:
    """Compute and cache one filter's dashboard figures after a change; return the total."""
    from clustercollab.insights.selectors import InsightsFilters, refresh_figures

    with translation.override(language):
        figures = refresh_figures(InsightsFilters(country=country, ecosystem=ecosystem))
    return figures.totals["organisations"]
