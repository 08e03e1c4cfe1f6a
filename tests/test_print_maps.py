"""Maps drawn flat for print: the same points and areas, no MapLibre."""

from __future__ import annotations

import copy

import pandas as pd

from dashboard import figures
from dashboard.print_maps import MAP_TYPES, flatten_maps

SQUARES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"kommune_code": code},
     "geometry": {"type": "Polygon",
                  "coordinates": [[[lon, 55], [lon + 1, 55], [lon + 1, 56], [lon, 56], [lon, 55]]]}}
    for code, lon in ((101, 9), (751, 11))]}
PLACES = pd.DataFrame({"kommune_code": [101, 751], "municipality": ["København", "Aarhus"],
                       "lat": [55.68, 56.15], "lon": [12.57, 10.2],
                       "sessions_attended": [0, 7], "sessions_offered": [10, 10]})


def flat(figure) -> dict:
    return flatten_maps(copy.deepcopy(figure.to_dict()))


def test_town_halls_keep_their_positions_and_sizes():
    printed = flat(figures.participation_map(PLACES))
    assert not {t["type"] for t in printed["data"]} & MAP_TYPES and "map" not in printed["layout"]
    (points,) = printed["data"]
    assert points["x"] == [12.57, 10.2] and points["y"] == [55.68, 56.15]
    assert points["marker"]["size"] == [7, 28]  # 7 + 3 per session, as on the page
    assert printed["layout"]["yaxis"]["scaleanchor"] == "x"


def test_areas_are_filled_as_the_choropleth_colours_them():
    printed = flat(figures.participation_map(PLACES, SQUARES))
    areas = [t for t in printed["data"] if t.get("fill") == "toself"]
    assert len(areas) == 2
    assert areas[0]["x"] == [9, 10, 10, 9, 9, None]  # the first square's ring
    none, most = (sum(int(c) for c in a["fillcolor"][4:-1].split(",")) for a in areas)
    assert none > most  # 0 sessions light, 7 dark
    (scale,) = [t for t in printed["data"] if t.get("marker", {}).get("showscale")]
    assert (scale["marker"]["cmin"], scale["marker"]["cmax"]) == (0, 7)


def test_a_chart_without_maps_is_left_alone():
    turnout = pd.DataFrame({"session_id": ["S1"], "starts_at": [pd.Timestamp("2022-04-01")],
                            "format": ["day"], "registered": [3], "attended": [2]})
    figure = figures.turnout_by_session(turnout).to_dict()
    assert flatten_maps(figure) is figure


def test_an_area_with_a_hole_is_drawn_before_what_lies_in_it():
    ring = [[10, 55], [13, 55], [13, 57], [10, 57], [10, 55]]
    hole = [[11, 55.5], [12, 55.5], [12, 56.5], [11, 56.5], [11, 55.5]]
    enclave = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kommune_code": 147},  # listed first
         "geometry": {"type": "Polygon", "coordinates": [hole]}},
        {"type": "Feature", "properties": {"kommune_code": 101},
         "geometry": {"type": "Polygon", "coordinates": [ring, hole]}}]}
    places = PLACES.assign(kommune_code=[147, 101])
    areas = [t for t in flat(figures.participation_map(places, enclave))["data"]
             if t.get("fill") == "toself"]
    assert [len(a["x"]) for a in areas] == [12, 6]  # the holed one (two rings) first
