from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from etl.build import build_database
from etl.paths import PROJECT_ROOT
from tests.tiny_data import load_tiny

SHARED_GEO = PROJECT_ROOT.parent / "shared" / "geo" / "kommuner.geojson"

# In CI the property-based tests replay the same examples every run (no flaky landings);
# on a developer's machine they explore new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def tiny_con():
    """An in-memory database holding the hand-made data set."""
    with duckdb.connect() as con:
        yield load_tiny(con)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The real reference data plus demo data, built once for the whole run."""
    directory = tmp_path_factory.mktemp("demo-db")
    path = directory / "borgmester.duckdb"
    build_database(path, demo_dir=directory / "demo")
    return path


@pytest.fixture(scope="session")
def municipality_geometries():
    """Municipality polygons from ../shared/geo, one shape per DST code."""
    if not SHARED_GEO.is_file():
        pytest.skip(f"{SHARED_GEO} is absent: the boundary checks need the shared geo data "
                    "beside the project (see DEVELOPERS' guide)")
    from shapely.geometry import shape
    from shapely.ops import unary_union

    features = json.loads(SHARED_GEO.read_text(encoding="utf-8"))["features"]
    parts: dict[int, list] = {}
    for feature in features:
        parts.setdefault(int(feature["properties"]["KOMKODE"]), []).append(
            shape(feature["geometry"]))
    return {code: unary_union(shapes) for code, shapes in parts.items()}


def require_browser() -> str:
    """Path of Debian's Chromium, or skip (fail in CI, where it must be installed)."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            return candidate
    message = "Chromium is not installed: apt-get install -y chromium chromium-driver"
    if os.environ.get("BORGMESTER_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)
