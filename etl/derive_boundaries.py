"""Derive the shipped municipality boundaries (data/reference/municipality_boundaries.geojson)
from a full DAGI-style file, small enough to send to a page.

    python -m etl.derive_boundaries ../shared/geo/kommuner.geojson

Each municipality's polygons are merged into one (multi)polygon, islands under
MIN_ISLAND_KM2 are dropped (a municipality's largest part is always kept, so Læsø, Fanø
or Ærø stay), the outline is simplified (Douglas-Peucker, TOLERANCE degrees, keeping every
ring valid), outer rings turned counter-clockwise and holes clockwise (so a renderer's
non-zero fill leaves København's hole for Frederiksberg open), and coordinates rounded to
DECIMALS. Codes that are no municipality (0411 Christiansø) are left out. The result is a
GeoJSON FeatureCollection in WGS84 longitude/latitude with `KOMKODE` ("0101") and
`KOMNAVN`, the same shape `python -m etl boundaries` reads, at most MAX_BYTES.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from etl.paths import REFERENCE_DIR

TOLERANCE = 0.004      # degrees: 250-450 m, under a pixel of a map of the whole country
MIN_ISLAND_KM2 = 1.0   # smaller islands (skerries, holms) are not seen at country scale
DECIMALS = 4           # about 6-11 m
MAX_BYTES = 150_000
NOT_MUNICIPALITIES = {411}  # Christiansø: administered by the state, no mayor
OUTPUT = REFERENCE_DIR / "municipality_boundaries.geojson"
_KM_PER_DEGREE = 111.2


def area_km2(geometry) -> float:
    """A shapely geometry's area in km², near enough for Denmark (degrees scaled at 56°N)."""
    return geometry.area * _KM_PER_DEGREE ** 2 * math.cos(math.radians(56))


def derive(features: Iterable[dict], tolerance: float = TOLERANCE,
           min_island_km2: float = MIN_ISLAND_KM2, decimals: int = DECIMALS) -> dict:
    """The simplified FeatureCollection: one feature per municipality code, by code.

    `features` are GeoJSON features with properties KOMKODE (text or number) and KOMNAVN,
    one polygon each or several per code. Raises ValueError for a feature without a code."""
    from shapely.geometry import MultiPolygon, mapping, shape
    from shapely.geometry.polygon import orient
    from shapely.ops import unary_union

    parts: dict[int, list] = {}
    names: dict[int, str] = {}
    for feature in features:
        properties = feature.get("properties") or {}
        code = int(str(properties["KOMKODE"]).strip())
        if code in NOT_MUNICIPALITIES:
            continue
        parts.setdefault(code, []).append(shape(feature["geometry"]))
        names.setdefault(code, str(properties.get("KOMNAVN", "")))
    derived = []
    for code in sorted(parts):
        merged = unary_union(parts[code])
        polygons = list(getattr(merged, "geoms", [merged]))
        largest = max(polygons, key=lambda p: p.area)
        kept = [p for p in polygons if p is largest or area_km2(p) >= min_island_km2]
        simple = (MultiPolygon(kept) if len(kept) > 1 else kept[0]).simplify(
            tolerance, preserve_topology=True)
        oriented = [orient(p, sign=1.0) for p in getattr(simple, "geoms", [simple])]
        geometry = mapping(MultiPolygon(oriented) if len(oriented) > 1 else oriented[0])
        derived.append({"type": "Feature",
                        "properties": {"KOMKODE": f"{code:04d}", "KOMNAVN": names[code]},
                        "geometry": {"type": geometry["type"],
                                     "coordinates": _rounded(geometry["coordinates"],
                                                             decimals)}})
    return {"type": "FeatureCollection", "features": derived}


def _rounded(value, decimals: int):
    if value and isinstance(value[0], (int, float)):
        return [round(v, decimals) for v in value[:2]]  # a height (the source's -999) dropped
    return [_rounded(v, decimals) for v in value]


def text_of(collection: dict) -> str:
    """The collection as compact GeoJSON text, one feature a line (readable diffs)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"))
             for f in collection["features"]]
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n")


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source = Path(argv[0])
    out = Path(argv[1]) if len(argv) == 2 else OUTPUT
    document = json.loads(source.read_text(encoding="utf-8-sig"))
    text = text_of(derive(document["features"]))
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        print(f"{size} bytes: over {MAX_BYTES}; raise TOLERANCE", file=sys.stderr)
        return 1
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {text.count(chr(10)) - 2} kommuner, {size // 1000} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
