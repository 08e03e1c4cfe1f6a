"""A chart laid out for a printed page: margins, a footer clear of the axis labels, the
DEMODATA mark in that footer, and a height that grows with what was added.

plotly places an annotation relative to the plot area, not to the figure's edge, and its
axes' automargin makes room for tick labels without telling the figure where they end. So
the room below the plot area is computed here from what the axis shows (how many labels,
how long, on how many lines, at what angle, which this module sets explicitly for a
category axis instead of leaving plotly to choose), and the footer goes below that room and
the figure's bottom margin is made large enough to hold both. plotly's automargin stays on:
it only ever grows a margin, so an underestimate would move the plot area up, never the
footer onto the labels (tests/test_print_layout.py renders every chart and measures).

Sizes are in CSS pixels of the exported figure (export.EXPORT_WIDTH wide).
"""

from __future__ import annotations

import math
import re

TICK_FONT = 13          # the theme's font size (dashboard.figures.THEME)
FOOTER_FONT = 11
CHAR_WIDTH = 0.62       # a generous average glyph width, in font sizes (system sans serif)
LINE = 1.3              # line height, in font sizes
EDGE = 24               # the least room between any text and the figure's edge
FOOTER_CHARS = 150      # a footer line at most this long, wrapped at "; " and ", "
TITLE_ROOM = 56         # the title's line and the legend row under it
DEMO_COLOR = "#D55E00"

_TAG = re.compile(r"<[^>]+>")


def _lines(label: object) -> list[str]:
    return [_TAG.sub("", part) for part in str(label).split("<br>")]


def _label_box(labels: list[object], font: float) -> tuple[float, float]:
    """The widest label's width and the tallest label's height, in pixels."""
    if not labels:
        return 0.0, 0.0
    widest = max(len(line) for label in labels for line in _lines(label))
    lines = max(len(_lines(label)) for label in labels)
    return widest * CHAR_WIDTH * font, lines * LINE * font


def _category_labels(figure: dict, axis: str) -> list[object]:
    """The category labels traces put on x or y (their values, when text)."""
    labels: list[object] = []
    for trace in figure.get("data", []):
        values = trace.get(axis)
        if values is None or isinstance(values, str | dict):  # none, or a packed array
            continue
        values = list(values)  # a list, or the numpy array a pandas column became
        if values and isinstance(values[0], str):
            labels += [v for v in dict.fromkeys(values) if v not in labels]
    return labels


def tick_depth(figure: dict, axis_name: str, plot_width: float) -> tuple[float, float | None]:
    """How far the tick labels of the x axis `axis_name` reach from the plot area (pixels),
    and the angle to draw them at (None: leave plotly's own). 0 for a hidden axis."""
    axis = figure.get("layout", {}).get(axis_name) or {}
    if axis.get("visible") is False or axis.get("showticklabels") is False:
        return 0.0, None
    font = (axis.get("tickfont") or {}).get("size") or TICK_FONT
    labels = _category_labels(figure, "x")
    if not labels:  # numbers or dates: one short line
        return LINE * font + 6, None
    width, height = _label_box(labels, font)
    angle = axis.get("tickangle")
    if not isinstance(angle, int | float):
        # Upright while every label fits its slot, else slanted at 45°.
        angle = 0 if len(labels) * (width + 12) <= plot_width else -45
    radians = math.radians(abs(angle))
    return width * math.sin(radians) + height * math.cos(radians) + 8, angle


def _title_room(axis: dict) -> float:
    title = axis.get("title") or {}
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        return 0.0
    size = (title.get("font") or {}).get("size") if isinstance(title, dict) else None
    return LINE * (size or TICK_FONT) * len(_lines(text)) + 12


def left_room(figure: dict) -> float:
    """Room the y axis's labels and title take left of the plot area (pixels): plotly's
    automargin fits them to the figure's very edge, so the margin is set to hold them and
    EDGE besides."""
    axis = figure.get("layout", {}).get("yaxis") or {}
    if axis.get("visible") is False or axis.get("showticklabels") is False:
        return 0.0
    font = (axis.get("tickfont") or {}).get("size") or TICK_FONT
    labels = _category_labels(figure, "y")
    width = _label_box(labels, font)[0] if labels else 10 * CHAR_WIDTH * font  # 2.500.000
    return width + _title_room(axis) + 10


def right_room(figure: dict) -> float:
    """Room a colour bar and its labels take right of the plot area (pixels), 0 without."""
    room = 0.0
    for trace in figure.get("data", []):
        marker = trace.get("marker") or {}
        bar = trace.get("colorbar") or (marker.get("colorbar") if marker.get("showscale")
                                        else None)
        if bar is None or trace.get("showscale") is False:
            continue
        texts = [str(v) for v in bar.get("ticktext") or ["00"]]
        title = (bar.get("title") or {}).get("text") or ""
        width = max(max(len(v) for v in texts), len(title) // 2) * CHAR_WIDTH * TICK_FONT
        room = max(room, (bar.get("thickness") or 30) + width + 40)
    return room


def legend_room(figure: dict, plot_width: float) -> float:
    """The height a horizontal legend set under the plot takes (the maps keep theirs there,
    dashboard.denmark): its entries' estimated widths laid in rows of the plot's width."""
    legend = (figure.get("layout") or {}).get("legend") or {}
    if legend.get("orientation") != "h" or (legend.get("y") if "y" in legend else 1) > 0:
        return 0.0
    font = (legend.get("font") or {}).get("size") or 12
    widths = [len(str(trace.get("name") or "")) * font * 0.6 + 40
              for trace in figure.get("data") or []
              if trace.get("showlegend", True) is not False and trace.get("name")]
    rows, used = (1, 0.0) if widths else (0, 0.0)
    for w in widths:
        if used and used + w > plot_width:
            rows, used = rows + 1, 0.0
        used += w
    title = legend.get("title") or {}
    if title.get("text") and title.get("side") == "top":
        rows += 1
    return rows * (font * LINE + 8) + 10


def wrap(text: str, width: int = FOOTER_CHARS) -> list[str]:
    """`text` in lines of at most `width` characters, broken after "; " or ", " or " "."""
    lines, rest = [], text
    while len(rest) > width:
        cut = max(rest.rfind("; ", 0, width), rest.rfind(", ", 0, width))
        cut = cut + 2 if cut > 0 else (rest.rfind(" ", 0, width) + 1 or width)
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:]
    return [*lines, rest]


def lay_out(figure: dict, footer: str, demo_mark: str | None, width: int) -> dict:
    """`figure` (a plotly figure as a dict, its layout whole) laid out for print, `width`
    pixels wide: the footer text (and `demo_mark`, in the demo colour, before it) under the
    x axis's labels and title, margins of at least EDGE, the title inside them, and the
    height grown by the room added so the plot area keeps its size."""
    layout = dict(figure.get("layout", {}))
    margin = dict(layout.get("margin") or {})
    left = max(margin.get("l") or 0, math.ceil(EDGE + left_room(figure)))
    right = max(margin.get("r") or 0, math.ceil(EDGE + right_room(figure)))
    old_top, old_bottom = margin.get("t") or 0, margin.get("b") or 0
    plot_width = width - left - right
    x_axis = dict(layout.get("xaxis") or {})
    bottom_axis = x_axis.get("side") != "top"
    depth, angle = tick_depth(figure, "xaxis", plot_width)
    if angle is not None:
        x_axis["tickangle"] = angle
    layout["xaxis"] = x_axis
    top_labels = 0.0
    if not bottom_axis:  # the matrix: the session names above the rows
        top_labels, depth = depth + _title_room(x_axis), 0.0
    below = (depth + _title_room(x_axis) if bottom_axis else 0.0) + 10
    below += legend_room(figure, plot_width)
    lines = wrap(footer)
    text = "<br>".join(lines)
    if demo_mark:
        text = f"<b><span style='color:{DEMO_COLOR}'>{demo_mark}</span></b> · {text}"
    footer_height = len(lines) * LINE * FOOTER_FONT
    annotations = [a for a in layout.get("annotations") or []]
    annotations.append({
        "text": text, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 0,
        "xanchor": "left", "yanchor": "top", "yshift": -below, "align": "left",
        "font": {"size": FOOTER_FONT, "color": "#444"}, "name": "footer"})
    bottom = max(old_bottom, math.ceil(below + footer_height + EDGE))
    top = max(old_top, math.ceil(TITLE_ROOM + top_labels + 16))
    title = dict(layout.get("title") or {})
    if title.get("text"):
        # Inside the margin, not on the edge: plotly's x=0 is the figure's very edge.
        title.update({"x": 0, "xanchor": "left", "xref": "container",
                      "pad": {"l": EDGE, "t": 0, "r": 0, "b": 0},
                      "y": 1, "yanchor": "top", "yref": "container"})
        title["pad"]["t"] = 14
        layout["title"] = title
    height = layout.get("height") or 450
    layout.update(annotations=annotations, width=width,
                  height=height + (bottom - old_bottom) + (top - old_top),
                  margin={**margin, "l": left, "r": right, "t": top, "b": bottom})
    return {**figure, "layout": layout}


def footer_annotation(figure) -> dict | None:
    """The footer lay_out added to a figure (a dict or a plotly Figure), or None."""
    layout = figure["layout"] if isinstance(figure, dict) else figure.to_dict()["layout"]
    for annotation in layout.get("annotations") or []:
        if annotation.get("name") == "footer":
            return annotation
    return None
