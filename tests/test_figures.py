"""Figure builders against the hand-made data set: the numbers and labels that end up drawn."""

from __future__ import annotations

import json

import pytest

from dashboard import charts, figures


@pytest.fixture
def data(tiny_view):
    """Every registered chart's data on the hand-made data, by the chart's key."""
    con, view = tiny_view
    got = charts.read(charts.CHARTS, view, on=con)
    return {chart.key: got.data(chart.key) for chart in charts.CHARTS}


def test_every_figure_is_danish_and_titled(tiny_view):
    con, view = tiny_view
    for key, drawn in charts.read(charts.CHARTS, view, on=con).draw().items():
        fig = drawn.figure
        assert fig.layout.separators == ",.", key
        assert fig.layout.title.text, key
        sent = json.loads(fig.to_json())  # what the browser gets
        # plotly.js 3 draws only {"text": ...} titles; a bare string is silently dropped.
        for axis in ("xaxis", "yaxis"):
            title = sent["layout"].get(axis, {}).get("title")
            assert title is None or isinstance(title, dict), (key, axis, title)
        # A named scale would reach plotly.js unvalidated, and its names mean other scales
        # there ("Blues" runs dark to light): every scale is spelt out.
        for scale in _values_of("colorscale", sent["data"]):
            assert isinstance(scale, list), (key, scale)


def _values_of(key: str, tree) -> list:
    """Every value stored under `key` anywhere in a JSON tree."""
    if isinstance(tree, dict):
        return [v for k, v in tree.items() if k == key] + [
            found for v in tree.values() for found in _values_of(key, v)]
    if isinstance(tree, list):
        return [found for v in tree for found in _values_of(key, v)]
    return []


def test_the_participation_map_gets_darker_with_more_sessions(data):
    trace = json.loads(figures.participation_map(data["municipalities-map"]).to_json())["data"][0]
    scale = trace["marker"]["colorscale"]
    brightness = [sum(int(c) for c in colour[4:-1].split(",")) for _pos, colour in scale]
    assert brightness == sorted(brightness, reverse=True)  # light at 0, dark at the top


def test_turnout_by_session(data):
    fig = figures.turnout_by_session(data["overview-turnout"])
    registered, attended = fig.data
    assert list(registered.x) == ["27. apr. 2022 · dag", "5. dec. 2022 · døgn",
                                  "1. jun. 2023 · online"]
    assert list(registered.y) == [2, 2, 2] and list(attended.y) == [1, 2, 1]


def test_participation_map_draws_town_halls_without_boundaries(data):
    fig = figures.participation_map(data["municipalities-map"])
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
    fig = figures.participation_map(data["municipalities-map"], boundaries)
    (trace,) = fig.data
    assert trace.type == "choroplethmap"
    assert trace.featureidkey == "properties.kommune_code"
    assert dict(zip(trace.locations, trace.z, strict=True)) == {851: 2, 101: 1, 751: 1}


def test_ranking_puts_the_most_active_municipality_on_top(data):
    attended, no_show, pending = figures.participation_ranking(data["municipalities-map"]).data
    assert list(attended.y) == ["Aarhus", "København", "Aalborg"]  # drawn bottom to top
    assert list(attended.x) == [1, 1, 2]
    # Apart, not lumped as "registered, did not attend": Aalborg's no-show at S1 (R2) and
    # København's booking at S3 with no outcome yet (R6).
    assert (no_show.name, list(no_show.x)) == ("Udeblevet", [0, 0, 1])
    assert (pending.name, list(pending.x)) == ("Tilmeldt, afventer", [0, 1, 0])


def test_session_matrix_colours_and_names_each_status(data):
    (heatmap,) = figures.session_matrix(data["municipalities-matrix"]).data
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
    newly, re_elected = figures.retention_by_cohort(data["retention-cohorts"]).data
    assert newly.name.startswith("Nyvalgte borgmestre (n = ")
    assert list(newly.y) == [1.0, 0.5, 0.5] and list(re_elected.y) == [1.0, 1.0]
    path = {t.name.split(" (n =")[0]: list(t.y)
            for t in figures.intro_path(data["retention-path"]).data}
    assert path == {"Nyvalgte, deltog i intro": [0.0, 0.0],
                    "Nyvalgte, ikke i intro": [1.0, 1.0], "Genvalgte": [1.0, 1.0]}


def test_revenue_figures_switch_vat(data):
    invoiced, outstanding = figures.revenue_by_format(data["revenue-by-format"]).data
    assert list(invoiced.x) == ["Dagsession", "Døgnsession", "Onlinemøde (pris ukendt)"]
    assert list(invoiced.y) == [10600, 8800, 0] and list(outstanding.y) == [0, 8800, 0]
    invoiced, outstanding = figures.revenue_by_format(data["revenue-by-format"], incl_vat=True).data
    assert list(invoiced.y) == [13250, 11000, 0] and list(outstanding.y) == [0, 11000, 0]
    fig = figures.revenue_by_session(data["revenue-by-session"], incl_vat=True)
    assert "inkl. moms" in fig.layout.title.text
    booked, invoiced = figures.cumulative_revenue(data["revenue-over-time"]).data
    assert (list(booked.y)[-1], list(invoiced.y)[-1]) == (28200, 19400)


def test_geography_figures(data):
    backdrop, venues = figures.session_venues_map(data["geography-venues"],
                                                  data["geography-origins"]).data
    assert len(backdrop.lat) == 3 and len(venues.lat) == 2   # the online session has no place
    assert all(t.mode == "markers" for t in (backdrop, venues))  # text would fetch fonts
    (bars,) = figures.travel_by_session(data["geography-venues"]).data
    assert list(bars.text) == ["0 km", "112 km"]
    mayors, attendances = figures.region_shares(data["geography-regions"]).data
    assert list(attendances.x) == [0.25, 0.25, 0.5]


def test_an_empty_figure_says_why():
    fig = figures.empty_figure("Ingen data")
    assert fig.layout.annotations[0].text == "Ingen data"
