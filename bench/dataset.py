"""The benchmark database of the directory: the real CORDIS organisations plus derived copies.

``ensure_directory_dataset(target=150_000)`` migrates, loads the taxonomies, imports the real
CORDIS demo data (``import_demo_data --if-changed``; about 30,700 organisations, or
``--limit N`` of them for a quick run) and then adds copies until ``target`` published
organisations exist. The result is keyed by a fingerprint (the demo import's fingerprint, the
target, the seed and this file's source): a later run with the same fingerprint reuses the
database as it is; any other run deletes the previous copies and derives them again.

How a copy is derived (``random.Random(seed)``, seed 20260401 unless told otherwise, so the same
inputs always give the same database): the real organisations, ordered by id, are the sources;
copy number ``k`` starts from source ``k % len(sources)`` and keeps its kind, country, acronym,
label, member counts and other fields, and its industrial ecosystems, NACE sectors and emerging
industries, and then changes

- the name: a word (of four letters or more) of another real organisation of the same country
  (the donor) either replaces a random word of the source's name other than the first (when it
  is a different word), or is inserted before the last word (one-word names get it appended),
  so a copy's name always differs from its source's, names stay in the country's languages and
  real words ("Wasserstoff", "säätiö", "recherche") keep being found;
- the place: city, NUTS region and coordinates of a random real organisation of the same
  country, the coordinates moved by up to ±0.02° so markers do not sit exactly on each other;
- the keywords: each of the source's keywords is kept with probability 0.7, then one or two
  keywords of a random real organisation sharing an ecosystem with the source (any real
  organisation when the source has none) are added, at most 10 in all;
- the publication date: a random moment in the three years before the fixed date 2026-01-01.

Copies are stored as published CORDIS-sourced profiles without a PIC (every real CORDIS
profile has one), which is how a rebuild finds them to delete them. The copies are written with
``bulk_create`` in batches of 2,000 (with their ecosystem, sector and emerging-industry links)
under a tqdm progress bar; afterwards the search index is rebuilt with the directory's rebuild
command, when the project has one. On PostgreSQL every run ends with ``VACUUM ANALYZE``, as
autovacuum would do soon after such a load (the statistics make the difference between a nested
loop over every profile and an index scan, the vacuum clears the dead rows the load leaves in
the search table); SQLite gets none, as an installation gets none.
"""

import hashlib
import inspect
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_IMPORT_NAME = "bench-directory"
DEFAULT_SEED = 20260401
BATCH_SIZE = 2000
# Management commands that may rebuild the directory's search index, in order of preference.
REBUILD_COMMANDS = (
    "rebuild_search_index",
    "rebuild_directory_index",
    "search_index_rebuild",
    "rebuild_search",
)


def _dataset_fingerprint(*, target: int, seed: int, demo_fingerprint: str) -> str:
    """A hash of what decides the copies: the derivation code, the target, seed and real data."""
    digest = hashlib.sha256()
    for function in (_create_copies, _name_with_donor_word):
        digest.update(inspect.getsource(function).encode())
    digest.update(f"{target}:{seed}:{BATCH_SIZE}:{demo_fingerprint}".encode())
    return digest.hexdigest()


def _name_with_donor_word(name: str, donor_word: str, rng: random.Random) -> str:
    words = name.split()
    if len(words) <= 1:
        return f"{name} {donor_word}".strip()
    replace_at = rng.randrange(1, len(words))
    if rng.random() < 0.5 and words[replace_at] != donor_word:
        words[replace_at] = donor_word
    else:
        words.insert(len(words) - 1, donor_word)
    return " ".join(words)


def _index_fingerprint() -> str:
    """A hash of the search layer's source: a change there means the index must be rebuilt."""
    from clustercollab.organisations import models as organisation_models

    digest = hashlib.sha256()
    search = Path(organisation_models.__file__).with_name("search.py")
    if search.exists():
        digest.update(search.read_bytes())
    return digest.hexdigest()


def _rebuild_search_index(show: bool) -> str | None:
    """Rebuild the directory's search index with its command (or function); return which."""
    from django.core.management import call_command, get_commands

    available = get_commands()
    for name in REBUILD_COMMANDS:
        if name in available:
            call_command(name, verbosity=1 if show else 0)
            return f"manage.py {name}"
    try:
        from clustercollab.organisations.search import rebuild_search_index
    except ImportError:
        return None
    rebuild_search_index(show_progress=show)
    return "search.rebuild_search_index()"


def _analyze_postgresql() -> None:
    """Vacuum and analyse as autovacuum soon would after such a load (some servers turn it off).

    The statistics make the planner use the text index; the vacuum clears the dead rows the
    load leaves in the search table, which a search would otherwise read (twice the pages).

    SQLite gets no ANALYZE here: it never gathers statistics by itself, so the benchmark measures
    what an installation has unless the application runs ANALYZE itself.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _copies_queryset() -> Any:
    from clustercollab.organisations.models import Organisation, Source

    return Organisation.objects.filter(source=Source.CORDIS, cordis_pic__isnull=True)


def ensure_directory_dataset(
    *, target: int, limit: int | None = None, seed: int = DEFAULT_SEED, show: bool = True
) -> dict:
    """Make the database hold ``target`` published organisations (see the module docstring).

    Returns a summary: organisations, real, copies, reused (bool), index command, seconds.
    """
    import time

    from django.core.management import call_command
    from django.db import transaction

    from clustercollab.core.models import DataImport
    from clustercollab.core.moderation import ModerationStatus
    from clustercollab.organisations.importers.fingerprint import IMPORT_NAME
    from clustercollab.organisations.models import Organisation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_taxonomies", verbosity=0)
    import_args = ["--if-changed"] + (["--limit", str(limit)] if limit is not None else [])
    call_command("import_demo_data", *import_args, verbosity=1 if show else 0)
    demo = DataImport.objects.filter(name=IMPORT_NAME).first()
    fingerprint = _dataset_fingerprint(
        target=target, seed=seed, demo_fingerprint=demo.fingerprint if demo else ""
    )
    published = Organisation.objects.filter(status=ModerationStatus.PUBLISHED)
    done = DataImport.objects.filter(name=BENCH_IMPORT_NAME).first()
    if done and done.fingerprint == fingerprint and published.count() == done.summary.get("n"):
        if done.summary.get("index_fingerprint") != _index_fingerprint():
            done.summary["index"] = _rebuild_search_index(show)
            done.summary["index_fingerprint"] = _index_fingerprint()
            done.save(update_fields=["summary"])
        _analyze_postgresql()
        return dict(done.summary, reused=True, seconds=time.perf_counter() - started)

    with transaction.atomic():
        DataImport.objects.filter(name=BENCH_IMPORT_NAME).delete()
        stale = _copies_queryset()
        if show and stale.exists():
            print(f"deleting {stale.count()} copies of an earlier benchmark database")
        _delete_copies()
        real = published.count()
        copies = _create_copies(max(0, target - real), seed=seed, show=show)
    index_command = _rebuild_search_index(show)
    n = published.count()
    summary = {
        "n": n,
        "real": real,
        "copies": copies,
        "seed": seed,
        "index": index_command,
        "index_fingerprint": _index_fingerprint(),
    }
    DataImport.objects.create(name=BENCH_IMPORT_NAME, fingerprint=fingerprint, summary=summary)
    _analyze_postgresql()
    return dict(summary, reused=False, seconds=time.perf_counter() - started)


def _delete_copies() -> None:
    from django.db import connection

    from clustercollab.organisations.models import Organisation

    ids = list(_copies_queryset().values_list("pk", flat=True))
    if not ids:
        return
    links = [
        Organisation.ecosystems.through,
        Organisation.nace_activities.through,
        Organisation.emerging_industries.through,
        Organisation.target_countries.through,
    ]
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        for through in links:
            through.objects.filter(organisation_id__in=batch).delete()
        # The copies have no memberships, invitations or participations: a raw delete is safe
        # and avoids collecting 100,000 objects.
        Organisation.objects.filter(pk__in=batch)._raw_delete(connection.alias)


def _create_copies(count: int, *, seed: int, show: bool) -> int:
    from django.utils.text import slugify
    from tqdm import tqdm

    from clustercollab.core.moderation import ModerationStatus
    from clustercollab.organisations.models import Organisation, Source

    if count <= 0:
        return 0
    rng = random.Random(seed)
    through = {
        "ecosystems": (Organisation.ecosystems.through, "industrialecosystem_id"),
        "nace_activities": (Organisation.nace_activities.through, "naceactivity_id"),
        "emerging_industries": (Organisation.emerging_industries.through, "emergingindustry_id"),
    }
    links: dict[str, dict[int, list]] = {field: defaultdict(list) for field in through}
    for field, (model, column) in through.items():
        for owner, target in model.objects.values_list("organisation_id", column).order_by(
            "organisation_id", column
        ):
            links[field][owner].append(target)

    copied_fields = [
        "kind",
        "acronym",
        "website",
        "about",
        "about_language",
        "country_id",
        "legal_form",
        "established_on",
        "languages",
        "members_smes",
        "members_large_companies",
        "members_research",
        "members_universities",
        "members_public_bodies",
        "members_civil_society",
        "management_fte",
        "offers",
        "seeks",
        "label",
        "label_valid_until",
        "programme_recognition",
    ]
    place_fields = ["city", "nuts_region_id", "latitude", "longitude"]
    sources = list(
        Organisation.objects.filter(status=ModerationStatus.PUBLISHED)
        .order_by("pk")
        .values("pk", "name", "keywords", *copied_fields, *place_fields)
    )
    by_country: dict[str, list[dict]] = defaultdict(list)
    by_ecosystem: dict[int, list[dict]] = defaultdict(list)
    for source in sources:
        by_country[source["country_id"]].append(source)
        for ecosystem in links["ecosystems"].get(source["pk"], []):
            by_ecosystem[ecosystem].append(source)
    name_words = {
        country: [[w for w in org["name"].split() if len(w) > 3] for org in orgs]
        for country, orgs in by_country.items()
    }
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    three_years = 3 * 365 * 24 * 3600

    created = 0
    bar = tqdm(total=count, desc="benchmark copies", unit="org", disable=not show)
    while created < count:
        batch_sources = []
        objs = []
        for k in range(created, min(created + BATCH_SIZE, count)):
            source = sources[k % len(sources)]
            country = source["country_id"]
            donor_words = rng.choice(name_words[country]) or ["Nova"]
            name = _name_with_donor_word(source["name"], rng.choice(donor_words), rng)[:250]
            place = rng.choice(by_country[country])
            keywords = [kw for kw in source["keywords"] if rng.random() < 0.7]
            ecosystems = links["ecosystems"].get(source["pk"], [])
            pool = by_ecosystem[rng.choice(ecosystems)] if ecosystems else sources
            extra = rng.choice(pool)["keywords"]
            for keyword in rng.sample(extra, min(len(extra), rng.randint(1, 2))):
                if keyword not in keywords:
                    keywords.append(keyword)
            latitude, longitude = place["latitude"], place["longitude"]
            if latitude is not None and longitude is not None:
                latitude = max(-90.0, min(90.0, latitude + rng.uniform(-0.02, 0.02)))
                longitude = max(-180.0, min(180.0, longitude + rng.uniform(-0.02, 0.02)))
            published_at = epoch - timedelta(seconds=rng.randrange(three_years))
            objs.append(
                Organisation(
                    **{field: source[field] for field in copied_fields},
                    name=name,
                    slug=slugify(name)[:80] or "organisation",
                    city=place["city"],
                    nuts_region_id=place["nuts_region_id"],
                    latitude=latitude,
                    longitude=longitude,
                    keywords=keywords[:10],
                    status=ModerationStatus.PUBLISHED,
                    published_at=published_at,
                    submitted_at=published_at,
                    source=Source.CORDIS,
                    cordis_pic=None,
                )
            )
            batch_sources.append(source["pk"])
        made = Organisation.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for field, (model, column) in through.items():
            rows = [
                model(organisation_id=copy.pk, **{column: target})
                for copy, source_pk in zip(made, batch_sources, strict=True)
                for target in links[field].get(source_pk, [])
            ]
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE * 4)
        created += len(objs)
        bar.update(len(objs))
    bar.close()
    return created
