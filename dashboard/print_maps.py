"""Maps for print: the same points and areas drawn as plain SVG instead of MapLibre WebGL.

Our maps have no background tiles (style "white-bg"), so a map is points and polygons on
white. In an export, kaleido draws MapLibre with software WebGL in headless Chromium, about
1,2 s a map; the same picture as SVG scatter traces on longitude/latitude axes takes a
tenth of that, and is sharper in a PDF. The interactive pages keep the real maps.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
from plotly.colors import sample_colorscale

MAP_TYPES = {"scattermap", "choroplethmap"}
# What a point trace keeps: the rest (subplot, hover on a map, "below") means nothing on axes.
POINT_KEYS = ("name", "mode", "marker", "showlegend", "legendgroup", "opacity", "visible")
# Denmark, Bornholm included, with a margin (longitude, latitude).
DENMARK_LON = (7.9, 15.3)
DENMARK_LAT = (54.5, 57.8)


def has_maps(figure: dict) -> bool:
    return any(trace.get("type") in MAP_TYPES for trace in figure.get("data", []))


def flatten_maps(figure: dict) -> dict:
    """`figure` (as a dict) with every map trace redrawn as scatter traces on plain axes."""
    if not has_maps(figure):
        return figure
    data = []
    for trace in figure["data"]:
        if trace.get("type") == "scattermap":
            data.append(_points(trace))
        elif trace.get("type") == "choroplethmap":
            data += _areas(trace)
        else:
            data.append(trace)
    layout = {key: value for key, value in figure.get("layout", {}).items() if key != "map"}
    # A degree of latitude is 1/cos(latitude) times as long as one of longitude.
    stretch = 1 / math.cos(math.radians(sum(DENMARK_LAT) / 2))
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout["xaxis"] = {**hidden, "range": list(DENMARK_LON), "constrain": "domain"}
    layout["yaxis"] = {**hidden, "range": list(DENMARK_LAT), "scaleanchor": "x",
                       "scaleratio": stretch, "constrain": "domain"}
    layout["plot_bgcolor"] = "white"
    return {**figure, "data": data, "layout": layout}


def _points(trace: dict) -> dict:
    points = {key: trace[key] for key in POINT_KEYS if key in trace}
    marker = dict(points.get("marker", {}))
    for key in ("size", "color"):  # a packed array, or a plain value
        if isinstance(marker.get(key), dict):
            marker[key] = _list(marker[key])
    return {"type": "scatter", "x": _list(trace.get("lon")), "y": _list(trace.get("lat")),
            "hoverinfo": "skip", **points, **({"marker": marker} if marker else {})}


def _areas(trace: dict) -> list[dict]:
    """One filled outline per area, coloured as the choropleth colours it, and its scale."""
    features = _features_by_id(trace["geojson"], trace.get("featureidkey", "id"))
    values = [None if v is None else float(v) for v in _list(trace["z"])]
    known = [v for v in values if v is not None and not math.isnan(v)]
    low = trace.get("zmin", min(known, default=0))
    high = trace.get("zmax", max(known, default=1))
    scale = trace.get("colorscale") or "Blues"
    outline = trace.get("marker", {}).get("line", {})
    areas = []  # (has a hole, the area)
    for location, value in zip(_list(trace["locations"]), values, strict=True):
        feature = features.get(str(location))
        if feature is None or value is None or math.isnan(value):
            continue  # as on the page: no value, no colour
        share = 0.0 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
        x, y = _outline(feature["geometry"])
        areas.append((_has_holes(feature["geometry"]), {
            "type": "scatter", "x": x, "y": y, "mode": "lines", "fill": "toself",
            "fillcolor": sample_colorscale(scale, [share])[0],
            "line": {"color": outline.get("color", "#9aa5b1"),
                     "width": outline.get("width", 0.5)},
            "hoverinfo": "skip", "showlegend": False}))
    # An area with a hole (København around Frederiksberg) is filled whole, hole and all:
    # draw those first, so that what lies in the hole is drawn on top of it.
    drawn = [area for holed, area in areas if holed] + [area for holed, area in areas
                                                         if not holed]
    # The colour bar, carried by one invisible point.
    return drawn + [{"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                     "hoverinfo": "skip", "showlegend": False,
                     "marker": {"color": [low], "cmin": low, "cmax": high,
                                "colorscale": scale, "showscale": True,
                                "colorbar": trace.get("colorbar", {})}}]


def _features_by_id(geojson: dict, key: str) -> dict[str, dict]:
    def lookup(feature: dict) -> Any:
        value: Any = feature
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    return {str(lookup(f)): f for f in geojson.get("features", [])}


def _polygons(geometry: dict) -> list:
    return (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]])


def _has_holes(geometry: dict) -> bool:
    return any(len(polygon) > 1 for polygon in _polygons(geometry))


def _outline(geometry: dict) -> tuple[list, list]:
    """Every ring of a (multi)polygon, one after another, separated by gaps."""
    x: list = []
    y: list = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            x += [point[0] for point in ring] + [None]
            y += [point[1] for point in ring] + [None]
    return x, y


def _list(values: Any) -> list:
    """Values as a list, also from plotly's packed form ({"dtype": "f8", "bdata": base64})."""
    if values is None:
        return []
    if isinstance(values, dict) and "bdata" in values:
        packed = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        return packed.tolist()
    return values.tolist() if hasattr(values, "tolist") else list(values)
