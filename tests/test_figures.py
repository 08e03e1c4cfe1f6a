"""Figure builders against the hand-made data set: the numbers and labels that end up drawn."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import figures, queries


@pytest.fixture
def data(tiny_con):
    as_of = dt.date(2023, 6, 15)
    return {
        "turnout": queries.session_turnout(tiny_con, "P1"),
        "participation": queries.participation_by_municipality(tiny_con, "P1"),
        "matrix": queries.session_matrix(tiny_con, "P1"),
        "retention": queries.retention(tiny_con, "P1", as_of),
        "path": queries.intro_path(tiny_con, "P1", as_of),
        "by_format": queries.revenue_by_format(tiny_con, "P1"),
        "by_session": queries.revenue_by_session(tiny_con, "P1"),
        "over_time": queries.revenue_over_time(tiny_con, "P1"),
        "geography": queries.session_geography(tiny_con, "P1"),
        "origins": queries.participant_origins(tiny_con, "P1"),
        "regions": queries.participation_by_region(tiny_con, "P1"),
    }


def test_every_figure_is_danish_and_titled(data):
    built = [
        figures.turnout_by_session(data["turnout"]),
        figures.participation_map(data["participation"]),
        figures.participation_ranking(data["participation"]),
        figures.session_matrix(data["matrix"]),
        figures.retention_by_cohort(data["retention"]),
        figures.intro_path(data["path"]),
        figures.revenue_by_format(data["by_format"]),
        figures.revenue_by_session(data["by_session"]),
        figures.cumulative_revenue(data["over_time"]),
        figures.session_venues_map(data["geography"], data["origins"]),
        figures.participant_origins_map(data["origins"]),
        figures.travel_by_session(data["geography"]),
        figures.region_shares(data["regions"]),
    ]
    for fig in built:
        assert fig.layout.separators == ",."
        assert fig.layout.title.text
        sent = json.loads(fig.to_json())  # what the browser gets
        # plotly.js 3 draws only {"text": ...} titles; a bare string is silently dropped.
        for axis in ("xaxis", "yaxis"):
            title = sent["layout"].get(axis, {}).get("title")
            assert title is None or isinstance(title, dict), (axis, title)
        # A named scale would reach plotly.js unvalidated, and its names mean other scales
        # there ("Blues" runs dark to light): every scale is spelt out.
        for scale in _values_of("colorscale", sent["data"]):
            assert isinstance(scale, list), scale


def _values_of(key: str, tree) -> list:
    """Every value stored under `key` anywhere in a JSON tree."""
    if isinstance(tree, dict):
        return [v for k, v in tree.items() if k == key] + [
            found for v in tree.values() for found in _values_of(key, v)]
    if isinstance(tree, list):
        return [found for v in tree for found in _values_of(key, v)]
    return []


def test_the_participation_map_gets_darker_with_more_sessions(data):
    trace = json.loads(figures.participation_map(data["participation"]).to_json())["data"][0]
    scale = trace["marker"]["colorscale"]
    brightness = [sum(int(c) for c in colour[4:-1].split(",")) for _pos, colour in scale]
    assert brightness == sorted(brightness, reverse=True)  # light at 0, dark at the top


def test_turnout_by_session(data):
    fig = figures.turnout_by_session(data["turnout"])
    registered, attended = fig.data
    assert list(registered.x) == ["27. apr. 2022 · dag", "5. dec. 2022 · døgn",
                                  "1. jun. 2023 · online"]
    assert list(registered.y) == [2, 2, 2] and list(attended.y) == [1, 2, 1]


def test_participation_map_draws_town_halls_without_boundaries(data):
    fig = figures.participation_map(data["participation"])
    (trace,) = fig.data
    assert trace.type == "scattermap"
    assert list(trace.customdata) == [851, 101, 751]
    assert list(trace.marker.color) == [2, 1, 1]
    assert fig.layout.map.style == "white-bg"   # no tiles from the internet


def test_participation_map_draws_polygons_when_boundaries_are_loaded(data):
    square = {"type": "Polygon", "coordinates": [[[12, 55], [13, 55], [13, 56], [12, 56],
                                                   [12, 55]]]}
    boundaries = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kommune_code": 101}, "geometry": square}]}
    fig = figures.participation_map(data["participation"], boundaries)
    (trace,) = fig.data
    assert trace.type == "choroplethmap"
    assert trace.featureidkey == "properties.kommune_code"
    assert dict(zip(trace.locations, trace.z, strict=True)) == {851: 2, 101: 1, 751: 1}


def test_ranking_puts_the_most_active_municipality_on_top(data):
    attended, no_show, pending = figures.participation_ranking(data["participation"]).data
    assert list(attended.y) == ["Aarhus", "København", "Aalborg"]  # drawn bottom to top
    assert list(attended.x) == [1, 1, 2]
    # Apart, not lumped as "registered, did not attend": Aalborg's no-show at S1 (R2) and
    # København's booking at S3 with no outcome yet (R6).
    assert (no_show.name, list(no_show.x)) == ("Udeblevet", [0, 0, 1])
    assert (pending.name, list(pending.x)) == ("Tilmeldt, afventer", [0, 1, 0])


def test_session_matrix_colours_and_names_each_status(data):
    (heatmap,) = figures.session_matrix(data["matrix"]).data
    rows = dict(zip(heatmap.y, heatmap.customdata, strict=True))
    assert list(rows["Aarhus"]) == ["Deltaget", "Afmeldt", "Ikke tilmeldt"]
    assert list(rows["Aalborg"]) == ["Udeblevet", "Deltaget", "Deltaget"]
    # A letter in each cell, so the status never rests on the colour alone.
    letters = dict(zip(heatmap.y, heatmap.text, strict=True))
    assert list(letters["Aarhus"]) == ["D", "A", ""]
    assert "Deltaget (D)" in heatmap.colorbar.ticktext
    codes = dict(zip(heatmap.y, heatmap.z, strict=True))
    order = list(figures.STATUS_LABELS)
    assert [order[int(c)] for c in codes["København"]] == [
        "not_registered", "attended", "registered"]


def test_retention_and_intro_path(data):
    newly, re_elected = figures.retention_by_cohort(data["retention"]).data
    assert newly.name == "Nyvalgte borgmestre"
    assert list(newly.y) == [1.0, 0.5, 0.5] and list(re_elected.y) == [0.0, 1.0, 1.0]
    path = {t.name: list(t.y) for t in figures.intro_path(data["path"]).data}
    assert path == {"Nyvalgte, deltog i intro": [0.0, 0.0],
                    "Nyvalgte, ikke i intro": [1.0, 1.0], "Genvalgte": [1.0, 1.0]}


def test_revenue_figures_switch_vat(data):
    invoiced, outstanding = figures.revenue_by_format(data["by_format"]).data
    assert list(invoiced.x) == ["Dagsession", "Døgnsession", "Onlinemøde (pris ukendt)"]
    assert list(invoiced.y) == [10600, 8800, 0] and list(outstanding.y) == [0, 8800, 0]
    invoiced, outstanding = figures.revenue_by_format(data["by_format"], incl_vat=True).data
    assert list(invoiced.y) == [13250, 11000, 0] and list(outstanding.y) == [0, 11000, 0]
    fig = figures.revenue_by_session(data["by_session"], incl_vat=True)
    assert "inkl. moms" in fig.layout.title.text
    booked, invoiced = figures.cumulative_revenue(data["over_time"]).data
    assert (list(booked.y)[-1], list(invoiced.y)[-1]) == (28200, 19400)


def test_geography_figures(data):
    backdrop, venues = figures.session_venues_map(data["geography"], data["origins"]).data
    assert len(backdrop.lat) == 3 and len(venues.lat) == 2   # the online session has no place
    assert all(t.mode == "markers" for t in (backdrop, venues))  # text would fetch fonts
    (bars,) = figures.travel_by_session(data["geography"]).data
    assert list(bars.text) == ["0 km", "112 km"]
    mayors, attendances = figures.region_shares(data["regions"]).data
    assert list(attendances.x) == [0.25, 0.25, 0.5]


def test_an_empty_figure_says_why():
    fig = figures.empty_figure("Ingen data")
    assert fig.layout.annotations[0].text == "Ingen data"
