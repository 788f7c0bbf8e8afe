"""HTTP benchmark: gunicorn (2 sync workers) serving the 150,000-profile database, driven by wrk.

    python bench/http.py                 # SQLite file in var/bench-directory (built if needed)
    python bench/http.py --quick         # 5,000 profiles, 3 s per endpoint, under a minute
    DATABASE_URL=postgres://…/cc_bench_150k python bench/http.py

Needs wrk (``apt-get install wrk``). The database is the one of ``bench/directory.py``
(``bench/dataset.py`` builds or reuses it). The server runs with
``DJANGO_SETTINGS_MODULE=bench.settings_http``: the site's settings plus ``/bench/bare``, a
Django view that touches no database, and no API throttling (``API_THROTTLE_*=off``). Access
logging is off, as behind a proxy that logs.

In one run, wrk (1 thread, 4 connections, keep-alive) drives each endpoint in turn, cycling
through a few URLs of each kind:

- bare: ``/bench/bare``, the cost of Django itself;
- directory: ``/directory/`` with a query and two filters (whole page, templates included);
- profile: public profile pages;
- api: ``/api/v1/organisations/`` list pages, with and without filters.

The directory and the profiles' "similar organisations" box answer from an in-memory index
per worker (organisations/directory_index.py), which each worker builds in the background as it
starts (gunicorn.conf.py, organisations/warm_up.py): a warm-up of the directory URLs runs
first, long enough for both workers to have theirs. Each worker also remembers, until the directory
changes, recent text searches, rendered result fragments and API list answers
(``DIRECTORY_TEXT_CACHE_SIZE``, ``DIRECTORY_FRAGMENT_CACHE_SIZE``, ``DIRECTORY_API_CACHE_SIZE``).
Since the URLs below repeat, those caches answer almost every request once warm, so the run
measures two servers in turn and prints both tables:

- cold: those three caches off (size 0), so every directory request searches, counts the facets
  and renders, and every API request searches and reads its page;
- as configured: the site's settings, caches on (the production setup).

``--cold-only`` or ``--configured-only`` measures one of them. Every URL is checked to answer 200
first. For each endpoint the run prints requests/s (also per worker), p50 and p95 latency, and
the ratios to the bare view. Any connection error, timeout or HTTP status ≥ 400 counts as an
error. The line before the last gives the cold figures; the last line, machine-readable, the
figures as configured (or the cold ones with ``--cold-only``) and the errors of the whole run:

    http directory_rps=<a> profile_rps=<b> api_rps=<c> bare_rps=<d> errors=<e>
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on the path, where this very file would hide the
# standard library's http package (imported by urllib, below): the checkout's root takes its
# place before anything else is imported.
if Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

WORKERS = 2

DIRECTORY_PATHS = [
    "/directory/?q=hydrogen&country=DE&kind=company",
    "/directory/?q=battery&country=FR&kind=research",
    "/directory/?q=textile&country=IT&ecosystem=textiles",
    "/directory/?q=energia&country=FI&kind=company",
]
API_PATHS = [
    "/api/v1/organisations/",
    "/api/v1/organisations/?country=DE&kind=research",
    "/api/v1/organisations/?q=hydrogen&country=FR",
    "/api/v1/organisations/?page=5",
]

WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


COLD_SETTINGS = {
    "DIRECTORY_TEXT_CACHE_SIZE": "0",
    "DIRECTORY_FRAGMENT_CACHE_SIZE": "0",
    "DIRECTORY_API_CACHE_SIZE": "0",
    "DIRECTORY_COUNTS_CACHE_SECONDS": "0",
}


def _start_server(port: int, log: Path, *, cold: bool) -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings_http",
        API_THROTTLE_ANON="off",
        API_THROTTLE_MEMBER="off",
        TASKS_BACKEND="immediate",
    )
    if cold:
        env.update(COLD_SETTINGS)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "clustercollab.wsgi",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--timeout",
        "60",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            if _get(f"http://127.0.0.1:{port}/bench/bare") == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def _check_paths(base: str, paths: list[str]) -> None:
    opener = urllib.request.build_opener(_NoRedirect)
    for path in paths:
        try:
            with opener.open(base + path, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}, not 200: nothing was measured")


def _run_wrk(base: str, paths: list[str], *, seconds: int, connections: int) -> dict:
    lua_paths = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": lua_paths})
    try:
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--script",
            script.name,
            base,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
    result = json.loads(line.removeprefix("WRK_RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(
        result[kind] for kind in ("connect", "read", "write", "status", "timeout")
    )
    return result


def _measure(
    endpoints: dict[str, list[str]], *, cold: bool, seconds: int, connections: int
) -> dict[str, dict]:
    """Start a server (cold: the directory's caches off), warm it up and drive each endpoint."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"bench-http-gunicorn-{port}.log"
    server = _start_server(port, log, cold=cold)
    results = {}
    try:
        for paths in endpoints.values():
            _check_paths(base, paths)
        # Each worker builds its directory index on its first directory request.
        _run_wrk(base, endpoints["directory"], seconds=INDEX_WARM_UP_SECONDS, connections=4)
        for name, paths in endpoints.items():
            # A short warm-up so each worker has loaded templates and opened its connection.
            _run_wrk(base, paths, seconds=1, connections=connections)
            results[name] = _run_wrk(base, paths, seconds=seconds, connections=connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


INDEX_WARM_UP_SECONDS = 8


def _print_table(title: str, results: dict[str, dict]) -> None:
    bare = results["bare"]
    print(title)
    print(
        f"{'endpoint':<10} {'req/s':>8} {'per worker':>10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'req/s ÷ bare':>12} {'p95 × bare':>10} {'errors':>6}"
    )
    for name, result in results.items():
        print(
            f"{name:<10} {result['rps']:8.1f} {result['rps'] / WORKERS:10.1f} "
            f"{result['p50_us'] / 1000:8.1f} {result['p95_us'] / 1000:8.1f} "
            f"{result['rps'] / bare['rps']:12.2f} {result['p95_us'] / bare['p95_us']:10.1f} "
            f"{result['errors']:6d}"
        )


def _summary_line(prefix: str, results: dict[str, dict], errors: int) -> str:
    return (
        f"{prefix} directory_rps={results['directory']['rps']:.1f} "
        f"profile_rps={results['profile']['rps']:.1f} api_rps={results['api']['rps']:.1f} "
        f"bare_rps={results['bare']['rps']:.1f} errors={errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 profiles, 3 s per endpoint")
    parser.add_argument("--data-dir", help="SQLite data directory (default var/bench-directory)")
    parser.add_argument("--seconds", type=int, default=None, help="load time per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--cold-only", action="store_true", help="only the server with the directory caches off"
    )
    which.add_argument(
        "--configured-only", action="store_true", help="only the server as configured"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/http.py needs wrk: apt-get install wrk")

    from bench.directory import _load_average, build_database, setup_django

    setup_django(quick=args.quick, data_dir=args.data_dir)
    from django.conf import settings
    from django.db import connection

    from bench.dataset import DEFAULT_SEED
    from clustercollab.organisations.models import Organisation

    summary = build_database(quick=args.quick, target=None, seed=DEFAULT_SEED)
    vendor = connection.vendor
    print(f"database: {vendor} {settings.DATABASES['default']['NAME']}, {summary['n']} profiles")
    published = Organisation.objects.published().order_by("pk")
    step = max(1, summary["n"] // 8)
    profiles = [org.get_absolute_url() for org in published[::step][:8]]
    connection.close()

    endpoints = {
        "bare": ["/bench/bare"],
        "directory": DIRECTORY_PATHS,
        "profile": profiles,
        "api": API_PATHS,
    }
    seconds = args.seconds or (3 if args.quick else 15)
    runs = {}
    if not args.configured_only:
        runs["cold"] = _measure(endpoints, cold=True, seconds=seconds, connections=args.connections)
    if not args.cold_only:
        runs["configured"] = _measure(
            endpoints, cold=False, seconds=seconds, connections=args.connections
        )
    setup = (
        f"gunicorn {WORKERS} sync workers, wrk 1 thread {args.connections} connections "
        f"{seconds} s per endpoint; machine load (1/5/15 min) after the run: {_load_average()}"
    )
    print(setup)
    titles = {
        "cold": "cold: directory text, fragment and API caches off (every request computes)",
        "configured": "as configured: the directory's per-process caches on",
    }
    for name, results in runs.items():
        _print_table(titles[name], results)
    errors = sum(result["errors"] for results in runs.values() for result in results.values())
    if "cold" in runs and "configured" in runs:
        print(_summary_line("http (cold, caches off)", runs["cold"], errors))
    print(_summary_line("http", runs.get("configured") or runs["cold"], errors))


if __name__ == "__main__":
    main()
