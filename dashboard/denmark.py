"""Denmark drawn flat: one projection and one frame for every map, on screen and in files.

Maps are plain plotly scatter traces (SVG) on hidden x/y axes in kilometres, no map
library: points are markers, a municipality is a filled outline. The projection is
equirectangular around 56°N (a degree of longitude is cos 56° of a degree of latitude),
which keeps shapes and distances true to a few per cent across the country. Bornholm lies
far east of the rest; drawn where it is, it would widen every map by half, so it is moved
into a framed inset in the empty sea at the top right, as Danish maps usually draw it.
Everything east of BORNHOLM_EAST_OF (its town hall, a venue there) moves with it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

LAT0, LON0 = 56.0, 11.0                                     # the origin (km 0, 0)
KM_PER_DEG_LAT = 110.6
KM_PER_DEG_LON = 111.3 * math.cos(math.radians(LAT0))       # 62,2 km
BORNHOLM_EAST_OF = 14.0                                     # degrees east: only Bornholm
BORNHOLM_SHIFT = (-159.0, 255.0)                            # km: into the inset
# The inset's frame, and all of Denmark (Bornholm in its inset) with a margin, in km.
INSET = {"x0": 62.0, "x1": 109.0, "y0": 131.0, "y1": 187.0}
X_RANGE = (-190.0, 118.0)
Y_RANGE = (-166.0, 199.0)
# A view fitted to some municipalities (a region filter): their extent and this much sea,
# Bornholm's inset (when Bornholm is among them) this far east of the others.
FIT_MARGIN_KM = 10.0
INSET_GAP_KM = 5.0
LAND = "#EEF0F2"         # municipalities outside the view: the country's shape
BORDER = "#9AA5B1"

# A municipality's outline in the frame: x and y in km, its rings one after another,
# each closed and followed by NaN (plotly draws a gap there). float32 arrays: plotly sends
# them packed (about 5 bytes a number) and copies them whole, not number by number.
Outline = tuple[np.ndarray, np.ndarray]
GAP = np.array([np.nan])


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees (scalars or arrays) to the maps' x, y in km, rounded to 100 m;
    Bornholm into its inset. NaN stays NaN."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x = (lon - LON0) * KM_PER_DEG_LON
    y = (lat - LAT0) * KM_PER_DEG_LAT
    east = lon > BORNHOLM_EAST_OF
    x = np.where(east, x + BORNHOLM_SHIFT[0], x)
    y = np.where(east, y + BORNHOLM_SHIFT[1], y)
    return np.round(x, 1), np.round(y, 1)


def outlines(collection: Mapping | None) -> dict[int, Outline]:
    """Each municipality's outline by kommune code, from a GeoJSON FeatureCollection whose
    features carry the code as `properties.kommune_code` (dashboard.queries.boundaries);
    empty for None. Rings are drawn as given: outer rings and holes wound opposite ways
    (etl.boundaries stores them so) keep a hole open under SVG's non-zero fill."""
    shapes: dict[int, Outline] = {}
    for feature in (collection or {}).get("features", []):
        geometry = feature["geometry"]
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue   # a point or a line has no area to draw
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        xs: list = []
        ys: list = []
        for ring in (ring for polygon in polygons for ring in polygon):
            points = np.asarray(ring, dtype=float)[:, :2]
            x, y = project(points[:, 0], points[:, 1])
            xs += [x, GAP]
            ys += [y, GAP]
        shapes[int(feature["properties"]["kommune_code"])] = (
            np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.float32))
    return shapes


@functools.lru_cache(maxsize=4)
def outlines_of_text(text: str | None) -> dict[int, Outline]:
    """outlines() of GeoJSON text, worked out once per distinct text (a database's
    boundaries do not change while it is open). Callers must not change the arrays."""
    return outlines(json.loads(text)) if text else {}


def joined(shapes: Sequence[Outline]) -> Outline:
    """Several outlines as one (one trace draws them all)."""
    if not shapes:
        return np.array([], np.float32), np.array([], np.float32)
    return np.concatenate([x for x, _ in shapes]), np.concatenate([y for _, y in shapes])


def anchor(outline: Outline) -> tuple[float, float]:
    """A point for an outline's label: the middle of the extent of its largest ring (by
    number of points), km."""
    x, y = outline
    gaps = np.flatnonzero(np.isnan(x))
    starts = np.r_[0, gaps[:-1] + 1]
    longest = int(np.argmax(gaps - starts))
    ring = slice(starts[longest], gaps[longest])
    return (round(float(np.nanmin(x[ring]) + np.nanmax(x[ring])) / 2, 1),
            round(float(np.nanmin(y[ring]) + np.nanmax(y[ring])) / 2, 1))


def land(shapes: Mapping[int, Outline], codes=None) -> dict | None:
    """One trace drawing the municipalities in `codes` (default: all) as plain land with
    their borders, under everything else; None when there are none."""
    picked = [shapes[c] for c in (shapes if codes is None else codes) if c in shapes]
    if not picked:
        return None
    x, y = joined(picked)
    return {"type": "scatter", "x": x, "y": y, "mode": "lines", "fill": "toself",
            "fillcolor": LAND, "line": {"color": BORDER, "width": 0.5},
            "hoverinfo": "skip", "showlegend": False}


def is_map(figure) -> bool:
    """Whether a plotly figure is one of these maps: its y axis is tied to its x axis at one
    scale (no bar or line chart is)."""
    return figure.layout.yaxis.scaleanchor == "x"


Offset = tuple[float, float]   # km: where Bornholm's inset is moved in a fitted view
NOT_MOVED: Offset = (0.0, 0.0)


def in_inset(x, y) -> np.ndarray:
    """Which of the points x, y (km) lie in Bornholm's inset (NaN: none)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return (x >= INSET["x0"]) & (x <= INSET["x1"]) & (y >= INSET["y0"]) & (y <= INSET["y1"])


def inset_offset(x, y) -> Offset:
    """Where Bornholm's inset goes in a view fitted to some municipalities with Bornholm among
    them: just east of the others (x, y: their points, km; NaN skipped), its top level with
    theirs, as the whole country has it at its top right. Left where it is, the inset would
    stretch the view of Hovedstaden to 240 km of sea above Copenhagen. NOT_MOVED when none
    of the points is in the inset, or all are."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    island = in_inset(x, y)
    seen = ~(np.isnan(x) | np.isnan(y) | island)
    if not island.any() or not seen.any():
        return NOT_MOVED
    return (round(float(x[seen].max()) + INSET_GAP_KM - INSET["x0"], 1),
            round(float(y[seen].max()) - INSET["y1"], 1))


def moved(x, y, offset: Offset) -> tuple[np.ndarray, np.ndarray]:
    """The points x, y with those in Bornholm's inset moved by `offset` (new arrays; the
    same ones when nothing moves, as outlines are shared and must not change)."""
    if offset == NOT_MOVED:
        return x, y
    island = in_inset(x, y)
    if not island.any():
        return x, y
    x = np.where(island, x + offset[0], x).astype(np.asarray(x).dtype)
    y = np.where(island, y + offset[1], y).astype(np.asarray(y).dtype)
    return x, y


def inset_frame(offset: Offset = NOT_MOVED) -> dict:
    """The layout shape framing Bornholm's inset, moved by `offset`."""
    box = {"x0": INSET["x0"] + offset[0], "x1": INSET["x1"] + offset[0],
           "y0": INSET["y0"] + offset[1], "y1": INSET["y1"] + offset[1]}
    return {"type": "rect", "xref": "x", "yref": "y", **box,
            "line": {"color": BORDER, "width": 1}, "layer": "below"}


def fit(x, y, offset: Offset = NOT_MOVED) -> tuple[list[float], list[float]] | None:
    """The x and y ranges (km) that show the points x, y (NaN skipped: the gaps between
    rings) with FIT_MARGIN_KM of sea round them, and Bornholm's inset whole, frame and all,
    when one of them lies in it (the inset moved by `offset`, as `moved` moves the points);
    None when there are no points (keep the whole country). One scale for both axes
    (`layout`): the map keeps its shape inside the plot."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    seen = ~(np.isnan(x) | np.isnan(y))
    x, y = x[seen], y[seen]
    if not len(x):
        return None
    island = in_inset(x, y).any()
    x, y = moved(x, y, offset)
    low = [float(x.min()), float(y.min())]
    high = [float(x.max()), float(y.max())]
    if island:
        frame = inset_frame(offset)
        low = [min(low[0], frame["x0"]), min(low[1], frame["y0"])]
        high = [max(high[0], frame["x1"]), max(high[1], frame["y1"])]
    m = FIT_MARGIN_KM
    return [low[0] - m, high[0] + m], [low[1] - m, high[1] + m]


def layout(legend_below: bool = True,
           view: tuple[Sequence[float], Sequence[float]] | None = None,
           inset: Offset = NOT_MOVED) -> dict:
    """The layout keys every map shares: hidden axes in km with one scale for both (the
    country keeps its shape and fits whole at every width), Bornholm's inset frame, the
    legend below the map where it never covers land, and no zoom or pan. `view`: the x and
    y ranges to show instead of the whole country (`fit`); `inset`: where its inset was
    moved to (`inset_offset`)."""
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True,
              "automargin": False}
    x_range, y_range = view if view is not None else (X_RANGE, Y_RANGE)
    layout = {
        "xaxis": {**hidden, "range": list(x_range), "constrain": "domain"},
        "yaxis": {**hidden, "range": list(y_range), "scaleanchor": "x", "scaleratio": 1,
                  "constrain": "domain"},
        "shapes": [inset_frame(inset)],
        "dragmode": False,
        "hovermode": "closest",
        "margin": {"l": 4, "r": 4, "t": 30, "b": 4},  # the page heads a chart itself
    }
    if legend_below:
        layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0,
                            "yanchor": "top", "title": {"text": ""}}
    return layout


PICKED = "#000000"   # the municipality picked on Kommuner: ringed in black over any colour


def picked(outline: Outline | None, town_hall: tuple[float, float] | None = None,
           inset: Offset = NOT_MOVED) -> dict:
    """A layout shape ringing one municipality: its `outline` traced thick on top of the map,
    or, with no outline (a database without boundaries), a ring round its `town_hall`
    (lon, lat in degrees); on Bornholm, where the map moved its inset (`inset`). Raises
    ValueError when given neither."""
    line = {"color": PICKED, "width": 3}
    if outline is not None:
        xs, ys = moved(*outline, inset)
        rings, ring = [], []
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            if math.isnan(x):
                if ring:
                    rings.append("M" + "L".join(ring) + "Z")
                ring = []
            else:
                ring.append(f"{x:.1f},{y:.1f}")
        if ring:
            rings.append("M" + "L".join(ring) + "Z")
        return {"type": "path", "xref": "x", "yref": "y", "path": "".join(rings),
                "line": line, "layer": "above"}
    if town_hall is None:
        raise ValueError("a picked municipality needs its outline or its town hall")
    x, y = moved(*project(*town_hall), inset)
    r = 9.0   # km: round the town hall's dot at every map size
    return {"type": "circle", "xref": "x", "yref": "y", "x0": float(x) - r,
            "x1": float(x) + r, "y0": float(y) - r, "y1": float(y) + r,
            "line": line, "layer": "above"}
