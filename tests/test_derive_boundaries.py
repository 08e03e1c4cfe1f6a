"""The shipped municipality boundaries: derived small, complete and valid."""

from __future__ import annotations

import csv
import json

import pytest
from shapely.geometry import shape

from etl import derive_boundaries as derived
from tests.conftest import SHARED_GEO

SHIPPED = derived.OUTPUT


def _square(x: float, y: float, side: float, clockwise: bool = False) -> list:
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return ring[::-1] if clockwise else ring


def _feature(code: str, *polygons: list) -> dict:
    return {"type": "Feature", "properties": {"KOMKODE": code, "KOMNAVN": f"K{code}"},
            "geometry": {"type": "Polygon", "coordinates": polygons[0]}}


def test_derive_merges_a_code_drops_tiny_islands_keeps_the_largest_part_and_christiansoe():
    features = [
        _feature("0101", [_square(12.0, 55.0, 0.1, clockwise=True)]),   # about 70 km²
        _feature("0101", [_square(12.5, 55.0, 0.001)]),                  # a skerry: gone
        _feature("0825", [_square(11.0, 57.2, 0.005)]),                  # small, but all it has
        _feature("0411", [_square(15.18, 55.32, 0.01)]),                 # Christiansø
    ]
    collection = derived.derive(features)
    by_code = {f["properties"]["KOMKODE"]: f["geometry"] for f in collection["features"]}
    assert set(by_code) == {"0101", "0825"}
    assert by_code["0101"]["type"] == "Polygon"   # the skerry left out
    assert shape(by_code["0825"]).area > 0        # a municipality's only part is kept


def test_derive_orients_rings_for_a_non_zero_fill_and_rounds_away_heights():
    outer = [[x, y, -999.0] for x, y in _square(12.0, 55.0, 0.2, clockwise=True)]
    hole = [[x, y, -999.0] for x, y in _square(12.05, 55.05, 0.05)]  # counter-clockwise
    collection = derived.derive([_feature("0101", [outer, hole])], decimals=3)
    rings = collection["features"][0]["geometry"]["coordinates"]
    assert all(len(point) == 2 for ring in rings for point in ring)
    assert all(len(str(v).split(".")[-1]) <= 3 for ring in rings for p in ring for v in p)
    polygon = shape(collection["features"][0]["geometry"])
    assert polygon.exterior.is_ccw and not polygon.interiors[0].is_ccw


def test_the_shipped_file_has_every_municipality_as_a_valid_area_and_is_small():
    assert SHIPPED.stat().st_size <= derived.MAX_BYTES
    features = json.loads(SHIPPED.read_text(encoding="utf-8"))["features"]
    with (SHIPPED.parent / "municipalities.csv").open(encoding="utf-8") as handle:
        codes = {int(row["kommune_code"]) for row in csv.DictReader(handle)}
    assert sorted(int(f["properties"]["KOMKODE"]) for f in features) == sorted(codes)
    assert len(codes) == 98
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and geometry.area > 0, feature["properties"]
        for polygon in getattr(geometry, "geoms", [geometry]):
            assert polygon.exterior.is_ccw, feature["properties"]
            assert not any(ring.is_ccw for ring in polygon.interiors), feature["properties"]
    islands = {f["properties"]["KOMNAVN"]: f["geometry"]["type"] for f in features}
    # The island municipalities are there; the archipelagos keep more than one island.
    assert {"Bornholm", "Ærø", "Samsø", "Læsø", "Fanø"} <= set(islands)
    assert islands["Svendborg"] == islands["Norddjurs"] == "MultiPolygon"


def test_the_shipped_file_is_what_the_script_derives_from_the_shared_file():
    if not SHARED_GEO.is_file():
        pytest.skip(f"{SHARED_GEO} is absent: re-deriving needs the shared geo data")
    features = json.loads(SHARED_GEO.read_text(encoding="utf-8"))["features"]
    assert derived.text_of(derived.derive(features)) == SHIPPED.read_text(encoding="utf-8")
