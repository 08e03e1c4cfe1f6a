"""Load municipality polygons from a GeoJSON file, so the maps become choropleths.

DAGI-style files (Dataforsyningen's DAGI data, or the public GitHub repository
Neogeografen/dagi) hold one feature per polygon with `KOMKODE` ("0101") and `KOMNAVN`.
Features are grouped per municipality, simplified so a page stays light, and Christiansø
(which is no municipality) and anything else without a municipality is left out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.schema_check import require_current_model

DEFAULT_TOLERANCE = 0.002  # degrees, about 130-220 m: invisible at country scale
# The shipped outlines in data/reference/ (made by etl/derive_boundaries.py), which
# `etl build` loads and this module's load_boundaries replaces.
BOUNDARIES_FILE = "municipality_boundaries.geojson"


@dataclass
class BoundaryResult:
    loaded: int
    skipped_codes: list[int]
    missing: list[str]
    bytes: int


def read_boundaries(path: Path, code_property: str, known_codes: set[int],
                    tolerance: float) -> tuple[dict[int, dict], list[int]]:
    """Municipality code -> simplified GeoJSON geometry, and the codes that were skipped."""
    # Start-up cost: `python -m etl` imports this module for every command; only this one
    # reads polygons.
    from shapely.geometry import MultiPolygon, mapping, shape
    from shapely.geometry.polygon import orient
    from shapely.ops import unary_union

    shown = display_path(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        features = document["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError([SourceProblem(shown, None, None,
                                         "geojson_invalid", {"detail": error})]) from None
    parts: dict[int, list] = {}
    skipped: set[int] = set()
    for number, feature in enumerate(features, start=1):
        raw = (feature.get("properties") or {}).get(code_property)
        try:
            code = int(str(raw).strip())
        except ValueError:
            raise SourceError([SourceProblem(shown, None, code_property,
                                             "feature_without_code", {"number": number},
                                             str(raw))]) from None
        if code not in known_codes:
            skipped.add(code)  # Christiansø (411) and anything that is no municipality
            continue
        try:
            parts.setdefault(code, []).append(shape(feature["geometry"]))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise SourceError([SourceProblem(shown, None, "geometry",
                                             "feature_bad_geometry",
                                             {"number": number, "detail": error})
                               ]) from None
    geometries = {}
    for code, shapes in parts.items():
        merged = unary_union(shapes).simplify(tolerance, preserve_topology=True)
        # Outer rings counter-clockwise, holes clockwise: the maps fill a municipality with
        # SVG's non-zero rule, which then leaves its holes (Frederiksberg in København) open.
        polygons = [orient(p, sign=1.0) for p in getattr(merged, "geoms", [merged])
                    if p.geom_type == "Polygon"]
        if polygons:
            merged = MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
        geometries[code] = _rounded(mapping(merged))
    return geometries, sorted(skipped)


def _rounded(geometry: dict) -> dict:
    """Coordinates to 5 decimals (about 1 m): plenty for a map, a third of the bytes."""
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(v, 5) for v in value[:2]]  # a height (DAGI's -999) dropped
            return [walk(v) for v in value]
        return value
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def load_boundaries(database: Path, path: Path, code_property: str = "KOMKODE",
                    tolerance: float = DEFAULT_TOLERANCE) -> BoundaryResult:
    """Replace the database's municipality boundaries with those in `path`, atomically."""
    database = Path(database)
    started = dt.datetime.now()
    require_current_model(database)
    with duckdb.connect(str(database), read_only=True) as con:
        names = dict(con.execute("SELECT kommune_code, name FROM municipalities").fetchall())
    geometries, skipped = read_boundaries(Path(path), code_property, set(names), tolerance)
    if not geometries:
        raise SourceError([SourceProblem(display_path(Path(path)), None, code_property,
                                         "no_boundary_matches")])
    missing = sorted(names[c] for c in set(names) - set(geometries))
    rows = [(code, json.dumps(g, separators=(",", ":"))) for code, g in sorted(geometries.items())]
    with next_version(database, "boundaries", from_current=True) as version:
        con = version.con
        con.execute("BEGIN")
        con.execute("DELETE FROM municipality_boundaries")
        con.executemany("INSERT INTO municipality_boundaries VALUES (?, ?)", rows)
        record_run(con, "boundaries", display_path(Path(path)), len(geometries) + len(skipped),
                   len(rows), started,
                   f"{len(rows)} kommuner; sprunget over: {skipped or 'ingen'}")
        con.execute("COMMIT")
    return BoundaryResult(len(rows), skipped, missing, sum(len(g) for _, g in rows))
