"""Directory search benchmark: the real search layer against a naive one, at 150,000 profiles.

    python bench/directory.py                 # SQLite file in var/bench-directory (reused)
    python bench/directory.py --quick         # 5,000 profiles in var/bench-directory-quick
    DATABASE_URL=postgres://…/cc_bench_150k python bench/directory.py
    DATABASE_URL=postgres://…/cc_bench_150k python bench/directory.py --quick   # uses …_quick

The database is built by ``bench/dataset.py`` (the real CORDIS organisations plus derived
copies; its docstring says exactly how) and reused while its fingerprint is unchanged. With
``--quick`` on PostgreSQL the database name gets a ``_quick`` suffix (created when missing), so a
quick run never replaces the full benchmark database.

Each of the realistic directory queries below (text only, filters only, text and two filters,
first and fifth page, several sorts) is timed twice in the same run:

- the directory: the selector and FilterSet the /directory/ page uses, with the facet counts of
  the result set, the total and one page of rows, all evaluated;
- the naive baseline: ``icontains`` on every text field (AND over the words), the same filters
  through the ORM, all matching rows loaded and the facets counted in Python, the page sorted by
  name.

Then the whole directory page (the view through Django's test client, templates included) is
timed for the same queries. Figures are p50/p95 over every sample of every query, in ms.

What is cached: the directory answers from its in-memory index (organisations/
directory_index.py), built once per process (the first, untimed call of the run builds it; its
build time is printed) and checked against the directory stamp on every call. Each process
also remembers the candidates of recent text searches (DIRECTORY_TEXT_CACHE_SIZE). The "cold"
figures forget those before every call, so every text query goes to FTS5 / tsvector again; the
"warm" figures keep them, as when a visitor pages or clicks facets under the same words. The
last line gives the cold figure. No figure uses a cache of counts or of responses (rendered
fragments are off here; bench/http.py measures them).

The last line is machine-readable:

    directory p95_ms=<x> baseline_p95_ms=<y> speedup=<y/x> db=<sqlite|postgresql> n=<count>
"""

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on the path, where bench/http.py would hide the
# standard library's http package: the checkout's root takes its place.
sys.path[0] = str(ROOT)

PAGE_SIZE = 20

# Realistic queries: words and countries found in the real data, in several languages.
QUERIES: list[tuple[str, dict]] = [
    ("text: hydrogen", {"q": "hydrogen"}),
    ("text: battery", {"q": "battery"}),
    ("text: Wasserstoff", {"q": "Wasserstoff"}),
    ("text: vety", {"q": "vety"}),
    ("text: textile", {"q": "textile"}),
    ("text: artificial intelligence", {"q": "artificial intelligence"}),
    ("text: Müller", {"q": "Müller"}),
    ("text: saatio (säätiö w/o accents)", {"q": "saatio"}),
    ("text: recherche", {"q": "recherche"}),
    ("text: energy, page 5", {"q": "energy", "page": "5"}),
    ("text: circular economy, sort name", {"q": "circular economy", "sort": "name"}),
    ("filters: country DE", {"country": "DE"}),
    ("filters: country FI + kind university", {"country": "FI", "kind": "university"}),
    ("filters: EU + ecosystem", {"eu": "eu", "ecosystem": "energy-renewables"}),
    ("filters: kind research, page 5", {"kind": "research", "page": "5"}),
    ("filters: none, sort newest, page 5", {"sort": "newest", "page": "5"}),
    ("filters: country FR + region FR1", {"country": "FR", "region": "FR1"}),
    (
        "text+2: hydrogen, DE, company",
        {"q": "hydrogen", "country": "DE", "kind": "company"},
    ),
    (
        "text+2: battery, FI+SE, research",
        {"q": "battery", "country": ["FI", "SE"], "kind": "research"},
    ),
    (
        "text+2: textile, FR, ecosystem textiles",
        {"q": "textile", "country": "FR", "ecosystem": "textiles"},
    ),
    (
        "text+2: sustainability, EU, company, page 5",
        {"q": "sustainability", "eu": "eu", "kind": "company", "page": "5"},
    ),
    (
        "text+2: energia, FI, EU",
        {"q": "energia", "country": "FI", "eu": "eu"},
    ),
    (
        "text+2: digital twin, IT, ecosystem digital",
        {"q": "digital twin", "country": "IT", "ecosystem": "digital"},
    ),
    (
        "text+2: Forschung, DE, research, sort name",
        {"q": "Forschung", "country": "DE", "kind": "research", "sort": "name"},
    ),
]


# --- The naive baseline ------------------------------------------------------------------------


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def naive_query(params: dict) -> tuple[int, list[int], dict[str, Counter]]:
    """Return (total, page ids, facet counts) the slow obvious way."""
    from django.db.models import Q

    from clustercollab.core.moderation import ModerationStatus
    from clustercollab.organisations.models import Organisation

    text_fields = ["name", "acronym", "about", "keywords", "offers", "seeks", "city"]
    results = Organisation.objects.filter(status=ModerationStatus.PUBLISHED)
    for word in str(params.get("q", "")).split():
        matches = Q()
        for field in text_fields:
            matches |= Q(**{f"{field}__icontains": word})
        results = results.filter(matches)
    if kinds := _as_list(params.get("kind")):
        results = results.filter(kind__in=kinds)
    if countries := _as_list(params.get("country")):
        results = results.filter(country_id__in=countries)
    if regions := _as_list(params.get("region")):
        in_regions = Q()
        for code in regions:
            in_regions |= Q(nuts_region__code__startswith=code)
        results = results.filter(in_regions)
    if params.get("eu") == "eu":
        results = results.filter(country__group="eu")
    elif params.get("eu") == "non_eu":
        results = results.exclude(country__group="eu")
    if ecosystems := _as_list(params.get("ecosystem")):
        results = results.filter(
            pk__in=Organisation.ecosystems.through.objects.filter(
                industrialecosystem__slug__in=ecosystems
            ).values("organisation_id")
        )
    rows = list(
        results.values_list("pk", "kind", "country_id", "country__group", "nuts_region_id", "label")
    )
    facets: dict[str, Counter] = {
        "kind": Counter(),
        "country": Counter(),
        "eu": Counter(),
        "region": Counter(),
        "label": Counter(),
        "ecosystem": Counter(),
    }
    for _pk, kind, country, group, region, label in rows:
        facets["kind"][kind] += 1
        facets["country"][country] += 1
        facets["eu"][group == "eu"] += 1
        if region:
            for level in (3, 4, 5):
                if len(region) >= level:
                    facets["region"][region[:level]] += 1
        facets["label"][label] += 1
    links = Organisation.ecosystems.through.objects.filter(
        organisation_id__in=results.values("pk")
    ).values_list("industrialecosystem_id", flat=True)
    facets["ecosystem"].update(links)
    page = max(1, int(params.get("page", 1)))
    order = "-published_at" if params.get("sort") == "newest" else "name"
    page_rows = list(
        results.select_related("country").order_by(order, "pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    return len(rows), [org.pk for org in page_rows], facets


# --- The real directory ------------------------------------------------------------------------


def _query_dict(params: dict) -> object:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, _as_list(value))
    return data


def real_query_function() -> Callable[[dict], tuple[int, list[int], dict]] | None:
    """Return a function running the directory's own query, or None when it does not exist yet.

    It does what the /directory/ view does for one query string, templates aside: the FilterSet
    (with the text search), the facet counts of the result set, the total and one page of rows.
    """
    try:
        from clustercollab.organisations.selectors import directory_results
    except ImportError:
        directory_results = None
    if directory_results is not None:

        def directory_selector_query(params: dict) -> tuple[int, list[int], dict]:
            results = directory_results(_query_dict(params))
            if results.notices:
                raise SystemExit(f"benchmark query {params} was not valid: {results.notices}")
            return results.total, [org.pk for org in results.page.object_list], results.facets

        return directory_selector_query
    # Until the selector exists: the FilterSet, with facet counts composed here.
    try:
        from clustercollab.organisations.filters import OrganisationFilterSet
    except ImportError:
        return None
    from django.core.paginator import Paginator
    from django.db.models import Count

    from clustercollab.organisations.models import Organisation

    facet_columns = {
        "kind": "kind",
        "country": "country_id",
        "region": "nuts_region_id",
        "eu": "country__group",
        "ecosystem": "ecosystems",
        "label": "label",
    }

    def directory_query(params: dict) -> tuple[int, list[int], dict]:
        filterset = OrganisationFilterSet(_query_dict(params), queryset=Organisation.objects.all())
        if not filterset.is_valid():
            raise SystemExit(f"invalid benchmark query {params}: {filterset.errors}")
        paginator = Paginator(filterset.qs.select_related("country"), PAGE_SIZE)
        page = paginator.get_page(params.get("page", 1))
        facets = {
            name: dict(
                filterset.queryset_without(name)
                .values_list(column)
                .annotate(count=Count("pk"))
                .order_by()
            )
            for name, column in facet_columns.items()
        }
        return paginator.count, [org.pk for org in page.object_list], facets

    return directory_query


# --- Harness -----------------------------------------------------------------------------------


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _time_ms(
    fn: Callable[[], object], repeat: int, cpu: list[float] | None = None
) -> tuple[list[float], object]:
    """Return ``repeat`` timings of ``fn`` (ms) after a warm-up call, and the warm-up's result.

    ``cpu`` collects this process's CPU time of each call (ms), which other processes on a
    shared machine do not inflate (but which leaves out the work of a PostgreSQL server).
    """
    result = fn()  # warm caches, as a running server would be
    samples = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
    return samples, result


def _quick_database_url(url: str) -> str:
    """Return the URL of the database for quick runs (``<name>_quick``), creating it if needed."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    quick = f"{name}_quick"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [quick]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{quick}"')
    return urlunsplit(parts._replace(path=f"/{quick}"))


def setup_django(*, quick: bool, data_dir: str | None) -> None:
    """Point settings at the benchmark database and start Django (shared with bench/http.py)."""
    suffix = "-quick" if quick else ""
    default_dir = ROOT / "var" / f"bench-directory{suffix}"
    data_path = Path(data_dir or default_dir).resolve()
    os.environ["CLUSTERCOLLAB_DATA_DIR"] = str(data_path)
    # WhiteNoise warns about a missing STATIC_ROOT; pages use the finders, not collected files.
    (data_path / "static").mkdir(parents=True, exist_ok=True)
    if quick and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = _quick_database_url(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()


def build_database(*, quick: bool, target: int | None, seed: int) -> dict:
    from bench.dataset import ensure_directory_dataset

    if quick:
        return ensure_directory_dataset(target=target or 5_000, limit=2_000, seed=seed)
    return ensure_directory_dataset(target=target or 150_000, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 profiles, under a minute")
    parser.add_argument("--data-dir", help="SQLite data directory (default var/bench-directory)")
    parser.add_argument("--n", type=int, default=None, help="organisations (default 150,000)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None, help="timed runs of each query")
    parser.add_argument("--baseline-repeat", type=int, default=None)
    parser.add_argument("--build-only", action="store_true", help="build the database only")
    args = parser.parse_args()

    setup_django(quick=args.quick, data_dir=args.data_dir)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.dataset import DEFAULT_SEED

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    vendor = connection.vendor
    where = settings.DATABASES["default"]["NAME"]
    print(f"database: {vendor} {where}")
    summary = build_database(
        quick=args.quick, target=args.n, seed=DEFAULT_SEED if args.seed is None else args.seed
    )
    n = summary["n"]
    how = "reused" if summary["reused"] else "built"
    print(
        f"{how} {n} organisations ({summary['real']} real, {summary['copies']} copies, "
        f"seed {summary['seed']}, search index: {summary['index'] or 'no rebuild command'}) "
        f"in {summary['seconds']:.1f} s"
    )

    if args.build_only:
        return
    repeat = args.repeat or (2 if args.quick else 5)
    baseline_repeat = args.baseline_repeat or (1 if args.quick else 3)
    real_query = real_query_function()
    if real_query is None:
        print("the directory's search layer is not there yet: timing the baseline only")
    forget_text = _text_cache_clearer()
    index_seconds = _index_build_seconds()
    if index_seconds is not None:
        print(f"directory index built in {index_seconds:.2f} s (once per process)")
    settings.DIRECTORY_COUNTS_CACHE_SECONDS = 0
    # The page is rendered every time: remembered fragments are a response cache, which
    # bench/http.py measures separately.
    settings.DIRECTORY_FRAGMENT_CACHE_SIZE = 0
    real_all: list[float] = []
    warm_all: list[float] = []
    naive_all: list[float] = []
    real_cpu: list[float] = []
    page_cpu: list[float] = []
    print(
        f"{'query':<48} {'hits':>7} {'cold p50':>9} {'warm p50':>9} {'naive hits':>10} "
        f"{'naive p50':>10}"
    )
    for label, params in QUERIES:
        naive_samples, naive_result = _time_ms(lambda p=params: naive_query(p), baseline_repeat)
        naive_all += naive_samples
        hits, real_p50, warm_p50 = "–", "–", "–"
        if real_query is not None:
            real_samples, real_result = _time_ms(
                lambda p=params: (forget_text(), real_query(p)), repeat, real_cpu
            )
            real_all += real_samples
            hits = str(real_result[1][0])
            real_p50 = f"{statistics.median(real_samples):.1f}"
            warm_samples = _time_ms(lambda p=params: real_query(p), repeat)[0]
            warm_all += warm_samples
            warm_p50 = f"{statistics.median(warm_samples):.1f}"
        naive_p50 = statistics.median(naive_samples)
        print(
            f"{label:<48} {hits:>7} {real_p50:>9} {warm_p50:>9} {naive_result[0]:>10} "
            f"{naive_p50:10.1f}"
        )

    semantic_query_row(repeat)

    page_all: list[float] = []
    page_warm: list[float] = []
    client = Client(raise_request_exception=False)
    probe = client.get("/directory/")
    if probe.status_code == 200:
        for _label, params in QUERIES:
            url = "/directory/?" + urlencode(params, doseq=True)
            page_all += _time_ms(
                lambda u=url: (forget_text(), _get_ok(client, u)), repeat, page_cpu
            )[0]
            page_warm += _time_ms(lambda u=url: _get_ok(client, u), repeat)[0]
    else:
        print(f"GET /directory/ answered {probe.status_code}: the page was not timed")

    def line(label: str, samples: list[float]) -> None:
        print(
            f"{label:<46} p50 {_percentile(samples, 0.5):8.1f} ms  "
            f"p95 {_percentile(samples, 0.95):8.1f} ms  ({len(samples)} samples)"
        )

    p95 = _percentile(real_all, 0.95)
    baseline_p95 = _percentile(naive_all, 0.95)
    print(f"{len(QUERIES)} queries; machine load (1/5/15 min): {_load_average()}")
    line("directory query + facets (cold: no text cache)", real_all)
    if warm_all:
        line("directory query + facets (warm text cache)", warm_all)
    line("naive baseline", naive_all)
    if page_all:
        line("whole directory page (cold: no text cache)", page_all)
    if page_warm:
        line("whole directory page (warm text cache)", page_warm)
    if real_cpu:
        line("  CPU of this process: query, cold", real_cpu)
    if page_cpu:
        line("  CPU of this process: page, cold", page_cpu)
    speedup = baseline_p95 / p95 if real_all else float("nan")
    print(
        f"directory p95_ms={p95:.1f} baseline_p95_ms={baseline_p95:.1f} speedup={speedup:.1f} "
        f"db={vendor} n={n}"
    )


def _text_cache_clearer() -> Callable[[], None]:
    try:
        from clustercollab.organisations.candidates import forget_text_candidates
    except ImportError:
        return lambda: None
    return forget_text_candidates


def _index_build_seconds() -> float | None:
    """Build this process's directory index (untimed, as a running server has it) and say how
    long it took."""
    try:
        from clustercollab.organisations.directory_index import directory_index
    except ImportError:
        return None
    start = time.perf_counter()
    directory_index()
    return time.perf_counter() - start


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def semantic_query_row(repeat: int) -> None:
    """Search by meaning over every published profile: the query's vector, then the exact
    top 20 (matching.index). Uses the database's vectors when ``embed_all`` ran on it, else
    seeded random unit vectors for its profiles (the search costs the same)."""
    import numpy as np

    from clustercollab.matching.encoders import encoder_name
    from clustercollab.matching.index import VectorMatrix, matrix
    from clustercollab.matching.selectors import query_vector
    from clustercollab.organisations.models import Organisation

    index, source = matrix("organisation", encoder_name()), "embedded"
    if index is None or not len(index):
        published = Organisation.objects.published().order_by("pk").values_list("pk", flat=True)
        ids = np.fromiter(published, dtype=np.int64)
        vectors = np.random.default_rng(1).standard_normal((len(ids), 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index, source = VectorMatrix.from_rows((0, None), ids, vectors), "random vectors"
    started = time.perf_counter()
    vector = query_vector("Wasserstoff-Elektrolyse")
    encode_ms = (time.perf_counter() - started) * 1000
    samples = _time_ms(lambda: index.top(vector, limit=20), repeat * 4)[0]
    label = f"semantic: top-20 by meaning ({source})"
    print(
        f"{label:<48} {len(index):>7} {statistics.median(samples):8.1f}   "
        f"p95 {_percentile(samples, 0.95):.1f} ms, query vector {encode_ms:.0f} ms"
    )


def _get_ok(client: object, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")


if __name__ == "__main__":
    main()
