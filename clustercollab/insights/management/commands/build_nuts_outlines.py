"""manage.py build_nuts_outlines: the NUTS 2 outlines of the statistics maps, from NUTS 2024.

Writes insights/static/insights/nuts2.geojson (shipped in the repository, so the map never
downloads anything): the Eurostat GISCO NUTS 2024 level-2 regions at 1:60M, keyed by NUTS code,
with the coordinates rounded as the directory map's country outlines are.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clustercollab.organisations.management.commands.build_map_outlines import _geometry

SOURCE = Path("nuts-2024") / "NUTS_RG_60M_2024_4326_LEVL_2.geojson"
TARGET = Path(__file__).resolve().parents[2] / "static" / "insights" / "nuts2.geojson"


class Command(BaseCommand):
    help = "Build the NUTS 2 outlines of the statistics maps from the shipped NUTS 2024 file."

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(settings.SHARED_DATA_DIR) / SOURCE
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        data = json.loads(source.read_text(encoding="utf-8"))
        features = []
        for feature in data["features"]:
            properties = feature["properties"]
            geometry = _geometry(feature["geometry"]) if feature.get("geometry") else None
            if geometry:
                features.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "code": properties["NUTS_ID"],
                            "name": properties.get("NAME_LATN") or properties["NUTS_ID"],
                        },
                        "geometry": geometry,
                    }
                )
        TARGET.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
            encoding="utf-8",
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(features)} NUTS 2 regions written to {TARGET}")
