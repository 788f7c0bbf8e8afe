"""Writes of the reference taxonomies: countries, NUTS, ecosystems, NACE, emerging industries.

Every loader compares the source with what is stored and writes only the difference
(``bulk_create`` for new rows, ``bulk_update`` for changed ones), so a second run changes nothing.
Rows that disappeared from a source are left alone: profiles may still point at them.
"""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from clustercollab.core import geo
from clustercollab.core.models import (
    Country,
    CountryGroup,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.core.taxonomy import (
    ASSOCIATED_COUNTRIES,
    EMERGING_INDUSTRIES,
    EU_MEMBER_STATES,
    EXTRA_COUNTRIES,
    iso_country_code,
)

NUTS_REGIONS_CSV = Path("nuts-2024") / "nuts_2024_regions.csv"
NUTS_LEVEL_3_GEOJSON = Path("nuts-2024") / "NUTS_RG_60M_2024_4326_LEVL_3.geojson"
ECOSYSTEMS_CSV = Path("eu-industrial-ecosystems") / "industrial_ecosystems.csv"
NACE_CSV = Path("nace-rev2") / "nace_rev2_labels.csv"


@dataclass
class SyncCounts:
    """How many rows a load created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def sync_rows(
    *, model: type[models.Model], rows: dict[Any, dict[str, Any]], batch_size: int = 500
) -> SyncCounts:
    """Make the stored rows of ``model`` match ``rows`` ({pk: {attname: value}}); return counts.

    Values use attnames (``parent_id``) so no related object is loaded. Parents must come before
    their children in ``rows`` (insertion order) for databases that check foreign keys at once.
    """
    counts = SyncCounts()
    fields = sorted({name for values in rows.values() for name in values})
    existing = {obj.pk: obj for obj in model.objects.only(*fields)}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    for pk, values in rows.items():
        obj = existing.get(pk)
        if obj is None:
            to_create.append(model(pk=pk, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(obj, name, values[name])
        changed_fields.update(changed)
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=batch_size)
    counts.created = len(to_create)
    counts.updated = len(to_update)
    return counts


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def nuts_country_codes(*, data_dir: Path) -> set[str]:
    """Return the ISO codes of the countries that have NUTS 2024 regions (EL → GR)."""
    return {iso_country_code(row["country_code"]) for row in _read_csv(data_dir / NUTS_REGIONS_CSV)}


def country_group(code: str) -> str:
    """Return the CountryGroup of an ISO country code."""
    if code in EU_MEMBER_STATES:
        return CountryGroup.EU
    if code in ASSOCIATED_COUNTRIES:
        return CountryGroup.ASSOCIATED
    return CountryGroup.OTHER


def countries_load(*, data_dir: Path) -> SyncCounts:
    """Load every ISO 3166 country from pycountry, plus Kosovo (XK).

    ``name`` is pycountry's ``name`` (e.g. "Korea, Republic of", not the common name "South
    Korea"): it is the message id the iso3166-1 catalogues translate, which
    ``core.taxonomy.country_name`` relies on.
    """
    with_nuts = nuts_country_codes(data_dir=data_dir)
    names = {country.alpha_2: country.name for country in pycountry.countries}
    names.update(EXTRA_COUNTRIES)
    rows = {
        code: {"name": name, "group": country_group(code), "has_nuts": code in with_nuts}
        for code, name in sorted(names.items())
    }
    return sync_rows(model=Country, rows=rows)


def _level_3_geometries(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {
        feature["properties"]["NUTS_ID"]: feature["geometry"]
        for feature in collection["features"]
        if feature.get("geometry")
    }


def nuts_regions_load(*, data_dir: Path) -> SyncCounts:
    """Load NUTS 2024 levels 1–3, with the GeoJSON geometry of level-3 regions.

    Level-1 regions name their country as parent; they get no parent region.
    """
    geometries = _level_3_geometries(data_dir / NUTS_LEVEL_3_GEOJSON)
    source = sorted(
        _read_csv(data_dir / NUTS_REGIONS_CSV), key=lambda r: (int(r["level"]), r["nuts_id"])
    )
    rows = {}
    for row in source:
        level = int(row["level"])
        code = row["nuts_id"]
        rows[code] = {
            "level": level,
            "country_id": iso_country_code(row["country_code"]),
            "name_latin": row["name_latin"],
            "name_native": row["name_native"],
            "parent_id": row["parent_id"] if level > 1 and row["parent_id"] else None,
            "centroid_lat": float(row["centroid_lat"]),
            "centroid_lon": float(row["centroid_lon"]),
            "inside_lat": float(row["inside_point_lat"]),
            "inside_lon": float(row["inside_point_lon"]),
            "geometry": geometries.get(code) if level == 3 else None,
        }
    return sync_rows(model=NutsRegion, rows=rows, batch_size=200)


def industrial_ecosystems_load(*, data_dir: Path) -> SyncCounts:
    """Load the 14 EU industrial ecosystems (ids follow the ECCP table)."""
    rows = {
        int(row["id"]): {"name": row["name"].strip(), "slug": slugify(row["name"])}
        for row in _read_csv(data_dir / ECOSYSTEMS_CSV)
    }
    return sync_rows(model=IndustrialEcosystem, rows=rows)


# The Spanish source file had four more comma-separated columns, glued to every label: usually
# ",,,," and sometimes an old code (",810,,," or ",,,,74").
_SPANISH_TRAILING_COLUMNS = re.compile(r"(?:,[0-9A-Z]*){4}$")
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")


def nace_label_clean(*, language: str, label: str, norwegian_label: str = "") -> str:
    """Return a NACE label without the upstream junk that nace-rev2/SOURCE.md and the brief name.

    - Spanish: the four trailing CSV columns (",,,," etc.).
    - Greek: the "stray trailing" Latin text is the end of the *Norwegian* label of the same code
      (the upstream decoder reused its buffer: a Greek label shorter than the Norwegian one kept
      the Norwegian tail, e.g. "Ποτοποιίαn av drikkevarer" / "Produksjon av drikkevarer"). It is
      cut only when both labels have the same length and the common tail contains Latin letters,
      so a real Latin word in a Greek label ("(leasing)") stays.
    """
    label = label.strip()
    if language == "es":
        label = _SPANISH_TRAILING_COLUMNS.sub("", label).strip()
    elif language == "el" and norwegian_label and len(label) == len(norwegian_label):
        common = 0
        while common < len(label) and label[-1 - common] == norwegian_label[-1 - common]:
            common += 1
        tail = label[len(label) - common :]
        if 0 < common < len(label) and _LATIN_LETTER.search(tail):
            label = label[: len(label) - common].rstrip()
    return label


def nace_labels(row: dict[str, str]) -> dict[str, str]:
    """Return {language: cleaned label} of one NACE CSV row, without empty labels."""
    norwegian = row.get("label_no", "").strip()
    labels = {}
    for column, value in row.items():
        if not column.startswith("label_"):
            continue
        language = column.removeprefix("label_")
        label = nace_label_clean(language=language, label=value or "", norwegian_label=norwegian)
        if label:
            labels[language] = label
    return labels


def nace_activities_load(*, data_dir: Path) -> SyncCounts:
    """Load NACE Rev. 2 (sections, divisions, groups, classes) with labels in 26 languages."""
    order = {"section": 0, "division": 1, "group": 2, "class": 3}
    source = sorted(_read_csv(data_dir / NACE_CSV), key=lambda r: (order[r["level"]], r["code"]))
    rows = {
        row["code"]: {
            "level": row["level"],
            "section": row["section"],
            "parent_id": row["parent"] or None,
            "labels": nace_labels(row),
        }
        for row in source
    }
    return sync_rows(model=NaceActivity, rows=rows)


def emerging_industries_load() -> SyncCounts:
    """Load the emerging industries of core.taxonomy."""
    rows = {slug: {"name": name} for slug, name in EMERGING_INDUSTRIES}
    return sync_rows(model=EmergingIndustry, rows=rows)


@transaction.atomic
def taxonomies_load(*, data_dir: Path | None = None) -> dict[str, SyncCounts]:
    """Load all taxonomies from ``data_dir`` (default SHARED_DATA_DIR); return counts by name."""
    data_dir = Path(data_dir or settings.SHARED_DATA_DIR)
    results = {
        "countries": countries_load(data_dir=data_dir),
        "NUTS regions": nuts_regions_load(data_dir=data_dir),
        "industrial ecosystems": industrial_ecosystems_load(data_dir=data_dir),
        "NACE activities": nace_activities_load(data_dir=data_dir),
        "emerging industries": emerging_industries_load(),
    }
    if results["NUTS regions"].changed:
        # Lookups cached before this load would answer from the old regions.
        geo.clear_nuts_cache()
        transaction.on_commit(geo.clear_nuts_cache)
    return results
