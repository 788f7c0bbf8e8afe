"""Map coordinates and CORDIS NUTS codes to the stored NUTS 2024 regions.

The regions and an STRtree over the level-3 geometries are built lazily, once per process, from
NutsRegion (not from the source files). ``load_taxonomies`` clears the cache when the regions
change (in its own process: running servers keep their cache until restarted); tests that
change regions call ``clear_nuts_cache()``.
"""

import threading
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape
from shapely.strtree import STRtree

from clustercollab.core.models import NutsRegion

# The 1:60M outlines are coarse: they cut off coasts, harbours and islands, and even central Rome
# lies 0.08° outside "Roma" (ITI43). A point outside every outline goes to the nearest region
# within this distance (in degrees, about 10 km). Measured on the CORDIS addresses whose NUTS-3 code
# is known: 1,396 of 24,436 fall outside every outline; this tolerance places 1,129 of them in
# their own region, 158 in a neighbour and leaves 105 unplaced.
NEAREST_TOLERANCE_DEGREES = 0.1


@dataclass
class _NutsIndex:
    regions: dict[str, NutsRegion]
    tree: STRtree | None
    tree_codes: list[str]
    by_code: dict[str, NutsRegion | None] = field(default_factory=dict)


_index: _NutsIndex | None = None
_lock = threading.Lock()


def _build_index() -> _NutsIndex:
    regions = {region.code: region for region in NutsRegion.objects.defer("geometry")}
    codes: list[str] = []
    geometries = []
    rows = (
        NutsRegion.objects.filter(level=3, geometry__isnull=False)
        .order_by("code")
        .values_list("code", "geometry")
    )
    for code, geometry in rows:
        codes.append(code)
        geometries.append(shape(geometry))
    tree = STRtree(geometries) if geometries else None
    return _NutsIndex(regions=regions, tree=tree, tree_codes=codes)


def _get_index() -> _NutsIndex:
    global _index
    index = _index
    if index is None:
        with _lock:
            if _index is None:
                _index = _build_index()
            index = _index
    return index


def clear_nuts_cache() -> None:
    """Forget the cached regions and tree; the next lookup reads NutsRegion again."""
    global _index
    with _lock:
        _index = None


def nuts_code_for_point(*, latitude: float, longitude: float) -> str | None:
    """Return the code of the level-3 region containing the point, or None (sea, outside NUTS).

    A point on a shared border goes to the region with the smallest code; a point just outside
    every outline to the nearest region within NEAREST_TOLERANCE_DEGREES.
    """
    index = _get_index()
    if index.tree is None:
        return None
    point = shapely.Point(longitude, latitude)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits) == 0:
        hits = index.tree.query_nearest(point, max_distance=NEAREST_TOLERANCE_DEGREES)
        if len(hits) == 0:
            return None
    return min(index.tree_codes[i] for i in hits)


def nuts_region_for_point(*, latitude: float, longitude: float) -> NutsRegion | None:
    """Return the level-3 NutsRegion containing the point, or None.

    The instance comes from a per-process cache (its geometry deferred): do not modify it.
    """
    code = nuts_code_for_point(latitude=latitude, longitude=longitude)
    return _get_index().regions.get(code) if code else None


def nuts_region_for_code(code: str) -> NutsRegion | None:
    """Return the NUTS 2024 region for a NUTS 2021 code (as CORDIS gives them), or None.

    An exact match wins; otherwise the longest prefix that is a region (the parent: "PT170"
    became part of "PT1"). Country codes alone ("FR") and codes of countries outside NUTS 2024
    ("UKI31") give None. Cached per process, like nuts_region_for_point.
    """
    code = (code or "").strip().upper()
    index = _get_index()
    if code in index.by_code:
        return index.by_code[code]
    region = None
    for length in range(len(code), 2, -1):
        region = index.regions.get(code[:length])
        if region is not None:
            break
    index.by_code[code] = region
    return region
