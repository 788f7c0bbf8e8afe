"""manage.py build_map_outlines: the country outlines of the directory map, from Natural Earth.

Writes organisations/static/organisations/countries.geojson (shipped in the repository, so the
map never downloads anything): Natural Earth 1:50m admin-0 countries, keyed by ISO 3166 alpha-2
code, coordinates rounded to 0.01° (about 1 km) and repeated points dropped.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCE = Path("natural-earth") / "ne_50m_admin_0_countries.geojson"
TARGET = Path(__file__).resolve().parents[2] / "static" / "organisations" / "countries.geojson"
# Natural Earth leaves ISO_A2 empty (-99) for a few countries.
ISO_BY_ADM0 = {"FRA": "FR", "NOR": "NO", "KOS": "XK"}


def _ring(points: list[list[float]]) -> list[list[float]]:
    rounded: list[list[float]] = []
    for lon, lat, *_rest in points:
        point = [round(lon, 2), round(lat, 2)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded if len(rounded) >= 4 else []


def _geometry(geometry: dict[str, Any]) -> dict[str, Any] | None:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    kept = []
    for polygon in polygons:
        rings = [ring for ring in (_ring(r) for r in polygon) if ring]
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


class Command(BaseCommand):
    help = "Build the country outlines of the directory map from the shipped Natural Earth file."

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(settings.SHARED_DATA_DIR) / SOURCE
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        data = json.loads(source.read_text(encoding="utf-8"))
        features = []
        for feature in data["features"]:
            properties = feature["properties"]
            code = properties.get("ISO_A2")
            if not code or code == "-99":
                code = ISO_BY_ADM0.get(properties.get("ADM0_A3", ""))
            geometry = _geometry(feature["geometry"]) if feature.get("geometry") else None
            if code and geometry:
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"code": code, "name": properties.get("NAME", code)},
                        "geometry": geometry,
                    }
                )
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
            encoding="utf-8",
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(features)} countries written to {TARGET}")
