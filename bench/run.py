"""Page-speed benchmark on the full real demo data, as ratios against a trivial request.

    python bench/run.py                 # fresh SQLite database in a temporary data directory
    DATABASE_URL=postgres://… python bench/run.py
    python bench/run.py --data-dir var  # reuse an existing data directory (no import if done)

Each figure is the median of several requests through the whole Django stack (test client, no
network), printed with its ratio to the median of GET /healthz measured in the same run, so that
the numbers compare across machines.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder is first on the path, where bench/http.py would hide the
# standard library's http package: the checkout's root takes its place.
sys.path[0] = str(ROOT)


def _median_ms(fn: "callable", repeat: int) -> float:
    fn()  # warm caches, as a running server would be
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="data directory to use (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--queue", type=int, default=25, help="submitted profiles in the queue")
    args = parser.parse_args()

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="clustercollab-bench-")
    os.environ["CLUSTERCOLLAB_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustercollab.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Pages, not static-file hashing, are measured: no collectstatic manifest needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()

    print(f"data directory: {data_dir}; database: {settings.DATABASES['default']['ENGINE']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_taxonomies", verbosity=0)
    call_command("import_demo_data", verbosity=1)
    print(f"set-up and import: {time.perf_counter() - started:.1f} s")

    from clustercollab.accounts.models import User
    from clustercollab.core.moderation import ModerationStatus
    from clustercollab.organisations.models import Organisation
    from clustercollab.organisations.selectors import possible_duplicates

    staff, _ = User.objects.get_or_create(
        email="bench-staff@localhost", defaults={"is_staff": True}
    )
    # The queue holds re-registrations of real clusters: the case duplicate flags are for.
    Organisation.objects.filter(source="registered", name__startswith="[bench] ").delete()
    for cluster in Organisation.objects.clusters().order_by("pk")[: args.queue]:
        Organisation.objects.create(
            name=f"[bench] {cluster.name}",
            kind=cluster.kind,
            country=cluster.country,
            slug=cluster.slug,
            status=ModerationStatus.SUBMITTED,
            website=cluster.website,
            submitted_at=cluster.published_at,
        )

    client = Client()
    staff_client = Client()
    staff_client.force_login(staff)
    cluster = Organisation.objects.published().clusters().order_by("pk").first()
    german = Organisation.objects.filter(country="DE").order_by("pk").first()
    cases = {
        "GET /healthz (baseline)": lambda: client.get("/healthz"),
        "GET / (home page)": lambda: client.get("/"),
        "GET cluster profile page": lambda: client.get(cluster.get_absolute_url()),
        f"GET /moderation/ ({args.queue} submitted)": lambda: staff_client.get("/moderation/"),
        "possible_duplicates(German org)": lambda: possible_duplicates(german),
    }
    counts = Organisation.objects.published().count()
    print(f"published organisations: {counts}")
    baseline = None
    for label, fn in cases.items():
        ms = _median_ms(fn, args.repeat)
        baseline = baseline or ms
        print(f"{label:<45} {ms:9.2f} ms   ×{ms / baseline:7.1f}")


if __name__ == "__main__":
    main()
