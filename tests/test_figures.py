"""Figure builders against the hand-made data set: the numbers and labels that end up drawn."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, denmark, figures


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


def test_the_participation_map_gets_darker_with_more_sessions_in_whole_number_classes():
    assert figures.count_classes(3) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert figures.count_classes(10, most=5) == [(0, 0), (1, 2), (3, 4), (5, 6), (7, 8),
                                                 (9, 10)]
    assert figures.count_classes(0) == [(0, 0)]
    colours = figures.class_colours(4)
    assert colours[0] == figures.NEVER_COLOR and figures.NEVER_COLOR not in colours[1:]
    brightness = [sum(int(c) for c in colour[4:-1].split(",")) for colour in colours[1:]]
    assert brightness == sorted(brightness, reverse=True)  # light for 1, dark at the top


def test_turnout_by_session(data):
    fig = figures.turnout_by_session(data["overview-turnout"])
    registered, attended = fig.data
    assert list(registered.x) == ["27. apr. 2022 · dag", "5. dec. 2022 · døgn",
                                  "1. jun. 2023 · online"]
    assert list(registered.y) == [2, 2, 2] and list(attended.y) == [1, 2, 1]


MAP_TYPES = ("scattermap", "choroplethmap", "scattermapbox", "choroplethmapbox",
             "scattergeo", "choropleth")


def _with_a_never(frame):
    """The hand-made participation with Aalborg (851) never having attended."""
    return frame.assign(sessions_attended=[0 if c == 851 else n for c, n in
                                           zip(frame["kommune_code"],
                                               frame["sessions_attended"], strict=True)])


def _square(code: int, lon: float, lat: float, side: float = 0.2) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side],
            [lon, lat]]
    return {"type": "Feature", "properties": {"kommune_code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_participation_map_draws_town_halls_without_boundaries(data):
    fig = figures.participation_map(_with_a_never(data["municipalities-map"]))
    never, once = fig.data   # a trace per class: 0 (its own colour and marker), 1
    assert never.type == once.type == "scatter" and never.mode == "markers"
    assert list(never.customdata) == [851] and sorted(once.customdata) == [101, 751]
    assert never.marker.color == figures.NEVER_COLOR and never.marker.symbol == "diamond"
    assert never.name.startswith("0, aldrig deltaget (1)") and once.name == "1 (2)"
    # Town halls in the maps' frame (km), København east of Aalborg, Aarhus south of it.
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.title.text.endswith("(kommunernes rådhuse)")


def test_participation_map_draws_areas_when_boundaries_are_loaded(data):
    collection = {"type": "FeatureCollection", "features": [
        _square(101, 12.4, 55.6), _square(851, 9.8, 56.9), _square(751, 10.1, 56.1),
        _square(400, 14.8, 55.1)]}   # Bornholm, outside the view: drawn as land
    fig = figures.participation_map(_with_a_never(data["municipalities-map"]),
                                    denmark.outlines(collection))
    land, never, once, points = fig.data
    assert land.fillcolor == denmark.LAND and land.hoverinfo == "skip"
    # A trace per class, not per municipality (plotly draws trace by trace): the never-
    # attended (Aalborg) and the once (København, Aarhus), each area's rings listed in
    # `meta` for assets/map-areas.js, which finds the one under the mouse.
    shared = fig.layout.template.data.scatter[0]
    assert (shared.fill, shared.mode) == ("toself", "lines")
    assert land.fill == "toself" and land.hoveron is None
    assert never.fillcolor == figures.NEVER_COLOR and once.fillcolor != figures.NEVER_COLOR
    assert never.fillpattern.shape == "/"          # a second cue beside the colour
    assert never.name.startswith("0, aldrig deltaget (1)") and once.name == "1 (2)"
    assert never.hoverinfo == once.hoverinfo == "skip"
    # One invisible point per area carries its hover text and its code (the click's value).
    assert points.meta == figures.AREAS and points.mode == "none"  # hoverable, not drawn
    assert points.showlegend is False and points.hoverinfo == "text"
    (aalborg,) = never.meta[figures.AREAS]
    assert points.customdata[aalborg[0]] == 851
    assert "Aalborg" in points.text[aalborg[0]] and "0 af" in points.text[aalborg[0]]
    start, end = aalborg[1:]
    assert len(never.x) == end - start == 6          # the square's 5 corners and a gap
    assert sorted(points.customdata[i] for i, _, _ in once.meta[figures.AREAS]) == [101, 751]
    # plotly's own hover is off: it would name a class, not the municipality.
    assert fig.layout.hovermode is False
    # Each label sits inside its square.
    x, y = points.x[aalborg[0]], points.y[aalborg[0]]
    assert min(never.x[:5]) < x < max(never.x[:5]) and min(never.y[:5]) < y < max(never.y[:5])


def test_a_map_has_whole_numbers_no_colour_bar_and_no_map_trace_types(data):
    frame = data["municipalities-map"].assign(sessions_attended=[0, 3, 7])
    figure = json.loads(figures.participation_map(frame).to_json())
    names = [t["name"] for t in figure["data"] if t.get("showlegend", True)]
    assert all("," not in name.split(" (")[0][1:] for name in names[1:]), names
    assert names[0].startswith("0, aldrig deltaget")
    for name in names[1:]:
        low, _, high = name.split(" (")[0].partition("–")
        assert low.isdigit() and (not high or high.isdigit()), name
    assert not _values_of("colorbar", figure) and not _values_of("showscale", figure)
    for fig in (figures.participation_map(frame),
                figures.session_venues_map(data["geography-venues"],
                                           data["geography-origins"]),
                figures.participant_origins_map(data["geography-origins"])):
        text = fig.to_json()
        assert not any(f'"type":"{kind}"' in text for kind in MAP_TYPES)
        assert '"map":' not in text and '"mapbox":' not in text


def test_a_hole_stays_open_under_a_non_zero_fill():
    # København around Frederiksberg: the hole is wound against its outer ring.
    outer = [[12.4, 55.6], [12.7, 55.6], [12.7, 55.8], [12.4, 55.8], [12.4, 55.6]]
    hole = [[12.5, 55.65], [12.5, 55.7], [12.55, 55.7], [12.55, 55.65], [12.5, 55.65]]
    shapes = denmark.outlines({"features": [{"properties": {"kommune_code": 101},
                                              "geometry": {"type": "Polygon",
                                                           "coordinates": [outer, hole]}}]})
    x, y = shapes[101]
    gaps = [i for i, v in enumerate(x) if v != v]
    assert gaps == [5, 11]               # two rings, each closed and ended by a gap

    def area(xs, ys):
        return sum(a * d - b * c for a, b, c, d in zip(xs, ys, xs[1:], ys[1:], strict=False))

    assert area(x[:5], y[:5]) > 0 > area(x[6:11], y[6:11])


def test_neighbouring_venue_labels_go_above_and_below():
    #            Roskilde   København   Aalborg    (km in the maps' frame)
    x, y = [74.0, 95.0, -7.0], [-38.0, -40.0, 97.0]
    assert figures.label_positions(x, y, [True, True, True]) == [
        "top center", "bottom center", "top center"]
    assert figures.label_positions(x, y, [True, False, True])[0] == "top center"
    #                 Horsens  Aarhus: one above the other
    assert figures.label_positions([-7.0, 15.0], [-16.0, 16.0], [True, True]) == [
        "middle left", "middle right"]


def test_bornholm_is_moved_into_its_inset_and_the_frame_holds_the_whole_country():
    x, y = denmark.project([14.7, 15.15, 8.08, 12.79, 10.6], [55.0, 55.29, 55.5, 55.6, 57.75])
    inset = denmark.INSET
    assert all(inset["x0"] < v < inset["x1"] for v in x[:2])
    assert all(inset["y0"] < v < inset["y1"] for v in y[:2])
    assert denmark.X_RANGE[0] < min(x) and max(x) < denmark.X_RANGE[1]
    assert denmark.Y_RANGE[0] < min(y) and max(y) < denmark.Y_RANGE[1]
    layout = denmark.layout()
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["dragmode"] is False
    assert layout["legend"]["yanchor"] == "top" and layout["legend"]["y"] == 0  # below


def test_ranking_puts_the_most_active_municipality_on_top(data):
    attended, no_show, pending = figures.participation_ranking(data["municipalities-map"]).data
    assert list(attended.y) == ["Aarhus", "København", "Aalborg"]  # drawn bottom to top
    assert list(attended.x) == [1, 1, 2]
    # Apart, not lumped as "registered, did not attend": Aalborg's no-show at S1 (R2) and
    # København's booking at S3 with no outcome yet (R6).
    assert (no_show.name, list(no_show.y), list(no_show.x)) == ("Udeblevet", ["Aalborg"], [1])
    assert (pending.name, list(pending.y), list(pending.x)) == (
        "Tilmeldt, afventer", ["København"], [1])
    # Bars of zero length are left out of the stacked traces (elements to draw for nothing);
    # the rows stay in the ranking's order whatever each trace holds.
    assert list(figures.participation_ranking(data["municipalities-map"]).layout.yaxis
                .categoryarray) == ["Aarhus", "København", "Aalborg"]


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


def test_a_status_no_municipality_has_keeps_its_legend_entry_in_the_ranking():
    """Zero-length bars are left out, but a trace left empty would be hidden by plotly.js,
    its legend entry with it: it keeps one bar of zero."""
    ranked = figures.participation_ranking(pd.DataFrame({
        "municipality": ["Aarhus", "Odense"], "sessions_registered": [1, 2],
        "sessions_attended": [1, 2], "sessions_no_show": [0, 0], "sessions_pending": [0, 1]}))
    attended, no_show, pending = ranked.data
    assert (list(no_show.y), list(no_show.x)) == (["Odense"], [0])
    assert (list(pending.y), list(pending.x)) == (["Odense"], [1])


def test_only_a_heatmap_of_categories_gets_lines_for_gaps():
    """Lines at k ± 0,5 fit cells at category positions only: a heatmap on numbers keeps
    its gaps."""
    numbers = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=[10, 20], y=[1, 2], xgap=1))
    shown = figures.cells_for_screen(numbers)
    assert shown.data[0].xgap == 1 and not shown.layout.shapes


def test_the_matrix_on_screen_draws_its_gaps_as_lines_over_whole_cells(data):
    """On screen the heatmap has no gaps (plotly.js then draws one pixel per cell, scaled
    up) and white lines between its cells instead, exactly on the cells' edges; the export
    keeps its gaps; the letters are black, which reads on every status colour."""
    exported = figures.session_matrix(data["municipalities-matrix"])
    (heatmap,) = exported.data
    assert (heatmap.xgap, heatmap.ygap) == (1, 1)
    assert heatmap.textfont.color == figures.MATRIX_TEXT
    shown = figures.cells_for_screen(figures.session_matrix(data["municipalities-matrix"]))
    (heatmap,) = shown.data
    assert (heatmap.xgap, heatmap.ygap) == (None, None)
    (grid,) = shown.layout.shapes
    rows, columns = np.shape(heatmap.z)
    assert (rows, columns) == (3, 3)  # tiny_data: Aalborg, Aarhus, København x S1-S3
    # Between rows at k + 0,5 across every column; between columns likewise, down every row.
    segments = re.findall(r"M(-?[\d.]+),(-?[\d.]+)([HV])(-?[\d.]+)", grid.path)
    assert sorted(segments) == sorted(
        [("-0.5", f"{r + 0.5}", "H", f"{columns - 0.5}") for r in range(rows - 1)]
        + [(f"{c + 0.5}", "-0.5", "V", f"{rows - 0.5}") for c in range(columns - 1)])
    assert (grid.xref, grid.yref, grid.layer, grid.line.width) == ("x", "y", "above", 1)
    assert grid.line.color == figures.THEME.layout.plot_bgcolor


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
    assert len(backdrop.x) == 3 and len(venues.x) == 2   # the online session has no place
    assert venues.mode == "markers+text" and all(venues.text)  # each place named
    land, venues = figures.session_venues_map(
        data["geography-venues"], data["geography-origins"],
        denmark.outlines({"features": [_square(101, 12.4, 55.6)]})).data
    assert land.fill == "toself" and land.hoverinfo == "skip"
    (bars,) = figures.travel_by_session(data["geography-venues"]).data
    assert list(bars.text) == ["0 km", "112 km"]
    mayors, attendances = figures.region_shares(data["geography-regions"]).data
    assert list(attendances.x) == [0.25, 0.25, 0.5]


def test_an_empty_figure_says_why():
    fig = figures.empty_figure("Ingen data")
    assert fig.layout.annotations[0].text == "Ingen data"


def test_count_axes_tick_whole_numbers_by_their_columns_kind():
    """A ranking whose most is 3 sessions was exported with ticks at 0, 0,5, 1, ...: a count
    axis (its columns' kind in dashboard.columns) ticks whole numbers; km does not."""
    ranking = figures.participation_ranking(pd.DataFrame({
        "municipality": ["Assens", "Vejle", "Odense"], "sessions_registered": [3, 2, 1],
        "sessions_attended": [2, 1, 0], "sessions_no_show": [1, 0, 0],
        "sessions_pending": [0, 1, 1]}))
    axis = ranking.layout.xaxis
    assert (axis.tick0, axis.dtick, axis.tickformat) == (0, 1, ",d")
    assert axis.title.text == "Sessioner"
    many = pd.DataFrame({"registered": [40, 45], "attended": [30, 38]})
    assert figures.value_axis(many, "registered", "attended") == {
        "tickformat": ",d", "rangemode": "tozero"}  # plotly's own steps: whole at this length
    km = pd.DataFrame({"avg_travel_km": [0.4, 1.2]})
    assert figures.value_axis(km, "avg_travel_km", title={"text": "km"}) == {
        "title": {"text": "km"}}


# --- The participation map's view: the whole country, or fitted to the regions chosen ------

@pytest.fixture(scope="module")
def denmark_drawn():
    """Every municipality from the shipped reference (kommune_code, municipality, region,
    town hall), each attending once, and their shipped outlines projected."""
    from etl.paths import REFERENCE_DIR

    places = pd.read_csv(REFERENCE_DIR / "municipalities.csv")
    frame = pd.DataFrame({
        "kommune_code": places["kommune_code"], "municipality": places["name"],
        "region": places["region"], "lat": places["lat"], "lon": places["lon"],
        "sessions_attended": 1, "sessions_offered": 2})
    collection = json.loads((REFERENCE_DIR / "municipality_boundaries.geojson")
                            .read_text(encoding="utf-8"))
    for feature in collection["features"]:   # the code as the database holds it
        feature["properties"]["kommune_code"] = int(feature["properties"]["KOMKODE"])
    return frame, denmark.outlines(collection)


def _extent(outlines: list) -> tuple[float, float, float, float]:
    x, y = denmark.joined(outlines)
    return (float(np.nanmin(x)), float(np.nanmax(x)), float(np.nanmin(y)),
            float(np.nanmax(y)))


def test_the_map_filtered_to_nordjylland_shows_nordjylland_with_a_margin(denmark_drawn):
    from dashboard.queries import NO_FILTERS, Filters

    frame, shapes = denmark_drawn
    north = frame[frame["region"] == "Region Nordjylland"]
    assert len(north) == 11
    fig = figures.participation_map(north, shapes,
                                    Filters(regions=("Region Nordjylland",)))
    x_range, y_range = list(fig.layout.xaxis.range), list(fig.layout.yaxis.range)
    left, right, bottom, top = _extent([shapes[c] for c in north["kommune_code"]])
    margin = denmark.FIT_MARGIN_KM
    # Every municipality of the region whole in view ...
    assert x_range[0] < left and right < x_range[1]
    assert y_range[0] < bottom and top < y_range[1]
    # ... and no more than its extent and the margin: not the whole country.
    assert x_range[0] >= left - margin - 0.1 and x_range[1] <= right + margin + 0.1
    assert y_range[0] >= bottom - margin - 0.1 and y_range[1] <= top + margin + 0.1
    whole = (denmark.X_RANGE[1] - denmark.X_RANGE[0]) * (denmark.Y_RANGE[1] - denmark.Y_RANGE[0])
    assert (x_range[1] - x_range[0]) * (y_range[1] - y_range[0]) < whole / 3
    # The rest of Denmark stays round it as land, and the scale is still one for both axes.
    assert fig.data[0].fillcolor == denmark.LAND and fig.layout.yaxis.scaleanchor == "x"

    # Without boundaries the town halls are fitted the same way.
    dots = figures.participation_map(north, None, Filters(regions=("Region Nordjylland",)))
    x, y = denmark.project(north["lon"], north["lat"])
    assert dots.layout.xaxis.range[0] < x.min() and x.max() < dots.layout.xaxis.range[1]
    assert dots.layout.yaxis.range[1] <= y.max() + margin + 0.1

    # Every region (no region filter): the whole country as before, Bornholm in its inset.
    for filters in (None, NO_FILTERS, Filters(formats=("day",))):
        fig = figures.participation_map(frame, shapes, filters)
        assert list(fig.layout.xaxis.range) == list(denmark.X_RANGE)
        assert list(fig.layout.yaxis.range) == list(denmark.Y_RANGE)


def test_a_region_with_bornholm_has_its_inset_beside_it_whole_in_view(denmark_drawn):
    """Hovedstaden: Bornholm's inset moves just east of the other municipalities (left at
    the top of the country it would stretch the view to 240 km of sea), framed and ringed
    where it is drawn; the view holds the region and the inset, not much more."""
    from dashboard.queries import Filters

    frame, shapes = denmark_drawn
    capital = frame[frame["region"] == "Region Hovedstaden"]
    fig = figures.participation_map(capital, shapes, Filters(regions=("Region Hovedstaden",)))
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    offset = tuple(fig.layout.meta[figures.MAP_INSET])
    assert offset != denmark.NOT_MOVED
    (inset,) = fig.layout.shapes
    assert x0 < inset.x0 < inset.x1 < x1 and y0 < inset.y0 < inset.y1 < y1
    mainland = [shapes[c] for c in capital["kommune_code"] if c != 400]
    left, right, bottom, top = _extent(mainland)
    assert inset.x0 > right and inset.y1 == pytest.approx(top, abs=0.2)  # east, level
    assert x0 < left and y0 < bottom and top < y1
    # Bornholm drawn inside the moved frame, and its ring there too.
    points = next(t for t in fig.data if t.meta == figures.AREAS)
    at = list(points.customdata).index(400)
    assert inset.x0 < points.x[at] < inset.x1 and inset.y0 < points.y[at] < inset.y1
    ring = denmark.picked(shapes[400], inset=offset)["path"]
    xs = [float(p.split(",")[0]) for p in ring.replace("M", "L").replace("Z", "").split("L")
          if p]
    assert inset.x0 < min(xs) and max(xs) < inset.x1
    # The view: the region and its inset with the margin, a quarter of the country or less.
    margin = denmark.FIT_MARGIN_KM
    assert x1 == pytest.approx(inset.x1 + margin) and y0 == pytest.approx(bottom - margin,
                                                                          abs=0.1)
    whole = (denmark.X_RANGE[1] - denmark.X_RANGE[0]) * (denmark.Y_RANGE[1] - denmark.Y_RANGE[0])
    assert (x1 - x0) * (y1 - y0) < whole / 4

    # Without Hovedstaden the inset stays where it was (out of the fitted view).
    north = frame[frame["region"] == "Region Nordjylland"]
    fig = figures.participation_map(north, shapes, Filters(regions=("Region Nordjylland",)))
    assert tuple(fig.layout.meta[figures.MAP_INSET]) == denmark.NOT_MOVED
    assert fig.layout.shapes[0].x0 == denmark.INSET["x0"]


def test_fit_keeps_the_whole_country_when_there_is_nothing_to_fit():
    assert denmark.fit([], []) is None
    assert denmark.fit([float("nan")], [1.0]) is None
    assert denmark.layout(view=None)["xaxis"]["range"] == list(denmark.X_RANGE)
    assert denmark.layout()["shapes"] == [denmark.inset_frame()]
    # Bornholm alone, or no Bornholm: its inset stays put.
    assert denmark.inset_offset([80.0], [150.0]) == denmark.NOT_MOVED
    assert denmark.inset_offset([0.0], [0.0]) == denmark.NOT_MOVED
