"""Statistics dashboard benchmark: the whole /statistics/ page at 150,000 organisations.

    python bench/insights.py                  # SQLite file in var/bench-insights (reused)
    python bench/insights.py --quick          # 5,000 profiles in var/bench-insights-quick
    DATABASE_URL=postgres://…/cc_insights_bench python bench/insights.py
    DATABASE_URL=postgres://…/cc_insights_bench python bench/insights.py --quick  # …_quick

The database is the directory benchmark's (``bench/dataset.py``: the real CORDIS organisations
plus derived copies, reused while its fingerprint is unchanged), in a folder of its own.

The dashboard page (the view through Django's test client, templates included) and two
indicator pages are timed for several filters, each

- cold: the whole cache emptied before every request, so every figure is computed by the
  database in the request (as on the first visit after a start with an empty cache);
- changed: the data changed before every request (``insights_changed()``): the last figures
  are served and a task to renew them is queued (the benchmark only queues it; a worker runs it);
- warm: the figures cached, as for every request until the data changes.

Figures are p50/p95 over every sample of every address, in ms. The last line is
machine-readable; dashboard_p95_ms is over the warm and changed samples (what visitors get
while the cache holds figures), cold_p95_ms over the cold ones:

    insights dashboard_p95_ms=<x> cold_p95_ms=<y> db=<sqlite|postgresql> n=<count>
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on the path, where bench/http.py would hide the
# standard library's http package: the checkout's root takes its place.
sys.path[0] = str(ROOT)

ADDRESSES = [
    "/statistics/",
    "/statistics/?country=DE",
    "/statistics/?ecosystem=energy-renewables",
    "/statistics/?country=FI&ecosystem=digital",
    "/statistics/regions/?country=FR",
    "/statistics/growth/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 profiles")
    parser.add_argument("--data-dir", help="SQLite data directory (default var/bench-insights)")
    parser.add_argument("--n", type=int, default=None, help="organisations (default 150,000)")
    parser.add_argument("--repeat", type=int, default=None, help="warm requests per address")
    parser.add_argument("--cold-repeat", type=int, default=None, help="cold requests per address")
    args = parser.parse_args()

    from bench.directory import _percentile, _time_ms, build_database, setup_django

    suffix = "-quick" if args.quick else ""
    setup_django(
        quick=args.quick, data_dir=args.data_dir or str(ROOT / "var" / f"bench-insights{suffix}")
    )
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from bench.dataset import DEFAULT_SEED
    from clustercollab.insights.selectors import insights_changed

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    vendor = connection.vendor
    print(f"database: {vendor} {settings.DATABASES['default']['NAME']}")
    summary = build_database(quick=args.quick, target=args.n, seed=DEFAULT_SEED)
    n = summary["n"]
    how = "reused" if summary["reused"] else "built"
    print(f"{how} {n} organisations in {summary['seconds']:.1f} s")

    repeat = args.repeat or (5 if args.quick else 20)
    cold_repeat = args.cold_repeat or (2 if args.quick else 5)
    client = Client(raise_request_exception=True)

    def get(address: str, mode: str) -> None:
        if mode == "cold":
            cache.clear()
        elif mode == "changed":
            insights_changed()
        response = client.get(address)
        if response.status_code != 200:
            raise SystemExit(f"GET {address} answered {response.status_code}")

    # Renewals are queued, not run in the request, as with a task worker.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ).enable()
    samples: dict[str, list[float]] = {"cold": [], "changed": [], "warm": []}
    print(f"{'address':<44} {'cold p50':>9} {'changed p50':>12} {'warm p50':>9} {'warm p95':>9}")
    for address in ADDRESSES:
        cold = _time_ms(lambda a=address: get(a, "cold"), cold_repeat)[0]
        changed = _time_ms(lambda a=address: get(a, "changed"), repeat)[0]
        warm = _time_ms(lambda a=address: get(a, "warm"), repeat)[0]
        samples["cold"] += cold
        samples["changed"] += changed
        samples["warm"] += warm
        print(
            f"{address:<44} {_percentile(cold, 0.5):9.1f} {_percentile(changed, 0.5):12.1f} "
            f"{_percentile(warm, 0.5):9.1f} {_percentile(warm, 0.95):9.1f}"
        )

    def line(label: str, samples: list[float]) -> None:
        print(
            f"{label:<36} p50 {_percentile(samples, 0.5):8.1f} ms  "
            f"p95 {_percentile(samples, 0.95):8.1f} ms  ({len(samples)} samples)"
        )

    line("dashboard pages, cold (computed)", samples["cold"])
    line("dashboard pages, after a change", samples["changed"])
    line("dashboard pages, warm (cached)", samples["warm"])
    served = samples["changed"] + samples["warm"]
    print(
        f"insights dashboard_p95_ms={_percentile(served, 0.95):.1f} "
        f"cold_p95_ms={_percentile(samples['cold'], 0.95):.1f} db={vendor} n={n}"
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    main()
