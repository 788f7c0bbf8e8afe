"""The dashboard figures equal counts made directly on the database, with every filter."""

from collections import Counter

import pytest

from clustercollab.insights.selectors import (
    INDICATORS,
    InsightsFilters,
    compute_figures,
    dashboard_figures,
    insights_changed,
)
from clustercollab.insights.tests.dataset import build_dataset, expected_figures
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

FILTERS = [
    InsightsFilters(),
    InsightsFilters(country="FI"),
    InsightsFilters(country="DE"),
    InsightsFilters(ecosystem="digital"),
    InsightsFilters(ecosystem="energy-renewables"),
    InsightsFilters(country="FI", ecosystem="digital"),
    InsightsFilters(country="SE"),
]


def _counts(breakdown, column="count"):
    return Counter({row["code"]: row[column] for row in breakdown.rows})


@pytest.fixture
def dataset():
    return build_dataset()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f.as_params()))
def test_every_figure_equals_a_direct_count(dataset, filters):
    figures = compute_figures(filters)
    expected = expected_figures(filters)
    b = figures.breakdowns
    assert list(b) == list(INDICATORS)
    for key in ("countries", "regions", "kinds", "labels", "ecosystems"):
        assert _counts(b[key]) == expected[key], key
    for row in b["members"].rows:
        assert {k: row[k] for k in ("members", "organisations")} == expected["members"][row["code"]]
    assert +_counts(b["growth"], "published") == expected["published"]
    assert +_counts(b["growth"], "registered") == expected["registered"]
    content = Counter(
        {
            (row["code"], key): row[key]
            for row in b["content"].rows
            for key in ("news", "events", "calls", "stories")
        }
    )
    assert +content == expected["content"]
    assert dict(_counts(b["activity"])) == expected["activity"]
    assert figures.totals["organisations"] == sum(expected["countries"].values())
    assert figures.totals["member_smes"] == expected["members"]["members_smes"]["members"]


def test_the_data_set_gives_the_figures_a_person_counts_by_hand(dataset):
    b = compute_figures(InsightsFilters()).breakdowns
    # Six published test profiles, the imported one and the two matchmaking participants'
    # profiles; drafts, the submitted and the archived one are not counted.
    assert _counts(b["countries"]) == {"FI": 5, "DE": 3, "FR": 1}
    assert _counts(b["labels"]) == {"none": 6, "gold": 1, "silver": 1, "bronze": 1}
    assert _counts(b["regions"])["FI1D"] == 2
    assert _counts(b["members"], "members")["members_smes"] == 162
    growth = {row["code"]: row for row in b["growth"].rows}
    assert growth["2025-03"]["published"] == 3
    # 2025-05-01 00:30 UTC is in May, 2024-12-31 23:30 UTC in December, whatever the server.
    assert growth["2025-05"]["published"] == 3
    assert growth["2024-12"]["published"] == 1
    assert growth["2025-04"]["published"] == 0  # months without any are there, as zeros
    assert growth["2025-02"]["registered"] == 1
    activity = _counts(b["activity"])
    assert activity["partner_posts"] == 2 and activity["expressions_of_interest"] == 1
    assert activity["matchmaking_events"] == 1 and activity["participants"] == 2
    assert activity["supply_offers"] == 1 and activity["supply_requests"] == 1
    digital = compute_figures(InsightsFilters(country="FI", ecosystem="digital"))
    assert _counts(digital.breakdowns["countries"]) == {"FI": 1}
    # With an ecosystem filter the other ecosystems of the same organisations still count.
    assert _counts(digital.breakdowns["ecosystems"]) == {"digital": 1, "agri-food": 1}


def test_rows_have_labels_in_the_active_language(dataset, settings):
    from django.utils import translation

    with translation.override("de"):
        countries = dashboard_figures(InsightsFilters()).breakdowns["countries"]
    assert {row["label"] for row in countries.rows} >= {"Deutschland", "Finnland"}
    english = dashboard_figures(InsightsFilters()).breakdowns["countries"]
    assert {row["label"] for row in english.rows} >= {"Germany", "Finland"}


def test_cached_figures_are_forgotten_when_a_profile_is_published(dataset):
    before = dashboard_figures(InsightsFilters(country="FR")).totals["organisations"]
    make_organisation(name="Test FR new", country_id="FR", status="published")
    assert dashboard_figures(InsightsFilters(country="FR")).totals["organisations"] == before + 1


def test_cached_figures_are_kept_until_the_data_changes(dataset, django_assert_num_queries):
    dashboard_figures(InsightsFilters())
    with django_assert_num_queries(1):  # the directory stamp
        dashboard_figures(InsightsFilters())
    # A bulk update sends no signal: the directory stamp's triggers see it.
    Organisation.objects.filter(country_id="FR").update(status="archived")
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 2
    insights_changed()
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 2


def test_no_data_gives_empty_figures_not_errors():
    figures = compute_figures(InsightsFilters(country="FI", ecosystem="digital"))
    assert figures.totals["organisations"] == 0
    assert figures.breakdowns["growth"].rows == []
    assert all(row["count"] == 0 for row in figures.breakdowns["activity"].rows)


def test_after_a_change_the_last_figures_are_shown_while_a_task_renews_them(dataset, settings):
    from django_tasks import default_task_backend

    from clustercollab.insights.tasks import refresh_dashboard_figures

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 3
    make_organisation(name="Test SE new", country_id="SE", status="published")
    # The change is not hidden for long: one task is queued, and a second request queues none.
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 3
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 3
    queued = default_task_backend.results
    assert [r.task.func for r in queued] == [refresh_dashboard_figures.func]
    assert queued[0].kwargs == {"country": "", "ecosystem": "", "language": "en"}
    refresh_dashboard_figures.call(**queued[0].kwargs)
    assert dashboard_figures(InsightsFilters()).totals["countries"] == 4


def test_the_refresh_command_fills_the_cache_in_every_language(dataset, django_assert_num_queries):
    from django.core.management import call_command
    from django.utils import translation

    call_command("refresh_statistics", "--countries", verbosity=0)
    for language in ("en", "de", "fi", "fr"):
        # Nothing counted: one query a call, the directory stamp.
        with translation.override(language), django_assert_num_queries(2):
            dashboard_figures(InsightsFilters())
            dashboard_figures(InsightsFilters(country="FR"))


def test_a_second_language_only_looks_up_names(dataset, django_assert_max_num_queries):
    from django.utils import translation

    english = dashboard_figures(InsightsFilters(country="DE"))
    # The names, and the directory stamp for the figures' and the counts' cache keys.
    with translation.override("fr"), django_assert_max_num_queries(7):
        french = dashboard_figures(InsightsFilters(country="DE"))
    assert french.breakdowns["countries"].rows[0]["label"] == "Allemagne"
    for key in INDICATORS:  # the same figures; equal counts may sort otherwise by name
        assert sorted(r["code"] for r in french.breakdowns[key].rows) == sorted(
            r["code"] for r in english.breakdowns[key].rows
        )
