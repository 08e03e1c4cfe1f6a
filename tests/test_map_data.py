"""The maps as the pages send them: Denmark's municipality areas from the shipped
boundaries, drawn as plain SVG shapes; town halls when a database has no boundaries."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from dashboard import figures, queries
from dashboard.db import current_database, use_database
from dashboard.ids import PROGRAMME_SELECT
from tests.conftest import VIEWER, log_in
from tests.test_app import call

MAP_TYPES = {"scattermap", "choroplethmap", "scattermapbox", "choroplethmapbox", "scattergeo",
             "choropleth"}


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    return client


@pytest.fixture
def without_boundaries(tmp_path, demo_database):
    """The app pointed at a copy of the demo database whose boundaries were taken out."""
    path = tmp_path / "without-boundaries.duckdb"
    shutil.copy(demo_database, path)
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM municipality_boundaries")
    previous = current_database()
    use_database(path)
    yield path
    use_database(previous.path)


def municipalities_map(client) -> dict:
    """The Municipalities page's map as its callback sends it, every filter ticked."""
    from benchmarks.callbacks import filter_id, outputs_of

    got = call(client, outputs_of("Kommuner: figurer"), [
        (PROGRAMME_SELECT, "value", "LKS2022"), (filter_id("regions"), "value", None),
        (filter_id("formats"), "value", ["day", "overnight", "online"]),
        (filter_id("audiences"), "value", ["intro", "all"]),
        (filter_id("years"), "value", [2022, 2023, 2024, 2025])])
    return got["municipalities-map"]["figure"]


def test_a_built_database_has_the_shipped_boundaries_for_all_98(demo_database):
    with duckdb.connect(str(demo_database), read_only=True) as con:
        collection = queries.boundaries(con)
        assert queries.boundary_count(con) == 98
    assert {f["properties"]["kommune_code"] for f in collection["features"]} == {
        code for (code,) in duckdb.connect(str(demo_database), read_only=True).execute(
            "SELECT kommune_code FROM municipalities").fetchall()}


def test_the_map_draws_every_municipality_as_an_area_with_its_code(client):
    figure = municipalities_map(client)
    assert not {t["type"] for t in figure["data"]} & MAP_TYPES
    assert "map" not in figure["layout"]
    # A trace per colour class (plotly draws trace by trace), not one per municipality.
    areas = [t for t in figure["data"] if isinstance(t.get("meta"), dict)]
    (points,) = [t for t in figure["data"] if t.get("meta") == "areas"]
    assert len(figure["data"]) <= 2 + figures.MAP_CLASSES + 1  # land, classes, points
    shared = figure["layout"]["template"]["data"]["scatter"][0]
    assert shared["fill"] == "toself" and not any("fill" in t for t in areas)
    assert sorted(points["customdata"]) == sorted(set(points["customdata"]))
    assert len(points["customdata"]) == 98                      # each municipality once
    assert sorted(i for t in areas for i, _, _ in t["meta"]["areas"]) == list(range(98))
    never = [t for t in areas if t["legendgroup"] == "0"]
    assert never and all(t["fillcolor"] == "#E69F00" for t in never)
    assert "aldrig deltaget" in never[0]["name"]
    assert figure["layout"]["hovermode"] is False   # assets/map-areas.js's hover instead
    assert len(json.dumps(figure)) < 100_000     # the outlines travel packed, once


def test_without_boundaries_the_map_shows_town_halls(client, without_boundaries):
    figure = municipalities_map(client)
    assert {t["type"] for t in figure["data"]} == {"scatter"}
    assert all(t["mode"] == "markers" for t in figure["data"])
    assert sum(len(t["customdata"]) for t in figure["data"]) == 98


def test_boundaries_text_is_the_stored_geometries_as_one_collection(tiny_con):
    assert queries.boundaries_geojson(tiny_con) is None
    tiny_con.execute("INSERT INTO municipality_boundaries VALUES "
                     "(101, '{\"type\":\"Point\",\"coordinates\":[12.5,55.7]}')")
    assert json.loads(queries.boundaries_geojson(tiny_con)) == {
        "type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 101, "properties": {"kommune_code": 101},
             "geometry": {"type": "Point", "coordinates": [12.5, 55.7]}}]}
