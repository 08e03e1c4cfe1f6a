"""The municipality polygons as a file of their own: the page's map names its URL."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard import map_data, queries
from dashboard.db import current_database, use_database
from dashboard.ids import PROGRAMME_SELECT
from tests.conftest import SHARED_GEO, VIEWER, log_in
from tests.test_app import call


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    return client


@pytest.fixture
def with_boundaries(tmp_path, demo_database):
    """The app pointed at a copy of the demo database with the shared boundaries loaded."""
    from etl.boundaries import load_boundaries

    if not SHARED_GEO.is_file():
        pytest.skip(f"{SHARED_GEO} is absent: the boundary route needs the shared geo data")
    path = tmp_path / "with-boundaries.duckdb"
    shutil.copy(demo_database, path)
    load_boundaries(path, SHARED_GEO)
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


def test_the_map_names_the_boundaries_url_and_the_route_serves_every_municipality(
        client, with_boundaries):
    (trace,) = municipalities_map(client)["data"]
    assert trace["type"] == "choroplethmap"
    url = trace["geojson"]
    assert isinstance(url, str) and url.startswith(map_data.PATH + "?v=")

    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    collection = json.loads(response.get_data())
    assert collection["type"] == "FeatureCollection"
    codes = {f["properties"]["kommune_code"] for f in collection["features"]}
    assert codes == set(trace["customdata"]) and len(codes) == 98  # locations are packed
    with current_database().cursor() as con:
        assert collection == queries.boundaries(con)


def test_a_stale_or_unversioned_boundaries_url_must_be_checked_again(client, with_boundaries):
    for url in (map_data.PATH, map_data.PATH + "?v=1-2"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-cache" in response.headers["Cache-Control"]


def test_without_boundaries_the_map_shows_town_halls_and_the_route_has_nothing(client):
    (trace,) = municipalities_map(client)["data"]
    assert trace["type"] == "scattermap" and "geojson" not in trace
    assert client.get(map_data.PATH).status_code == 404


def test_the_boundaries_need_a_login(app, with_boundaries):
    response = app.server.test_client().get(map_data.PATH)
    assert response.status_code in (302, 401)
    assert b"FeatureCollection" not in response.get_data()


def test_boundaries_text_is_the_stored_geometries_as_one_collection(tiny_con):
    assert queries.boundaries_geojson(tiny_con) is None
    tiny_con.execute("INSERT INTO municipality_boundaries VALUES "
                     "(101, '{\"type\":\"Point\",\"coordinates\":[12.5,55.7]}')")
    assert json.loads(queries.boundaries_geojson(tiny_con)) == {
        "type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 101, "properties": {"kommune_code": 101},
             "geometry": {"type": "Point", "coordinates": [12.5, 55.7]}}]}
