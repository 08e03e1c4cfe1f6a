"""What a report says about each chart, read off the drawn figure: its plotted series (for
PowerPoint's native charts), its key numbers, and, for a tall chart, the part that goes into
a table instead.

Pure functions of a drawn chart (dashboard.charts.Drawn, figure for print): the PDF
(dashboard.report_pdf) and the PowerPoint (dashboard.report_pptx) lay out the same content.
The figure is the one source: what a report's native chart or table shows is what the
chart image shows.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, denmark, figures, formatting
from dashboard.columns import kind_of
from dashboard.i18n import CATALOGUE, t, tn

TALL = 20           # a bar chart with more bars shows the top TALL, the rest as a table
KEY_ROWS = 5        # key numbers read from a map's data: its top KEY_ROWS
# A map's data: the count its markers or colours show, in order of preference.
MAP_COUNTS = ("sessions_attended", "attendances", "attended")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")
# A plotted value's format by its column's kind (dashboard.columns); any other: "number".
KIND_FORMATS = {"share": "percent", "kr": "kroner", "km": "km"}


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]   # one per category; None: no value there
    colour: str | None = None          # "#rrggbb" as the chart draws it


@dataclass(frozen=True)
class Plot:
    """A chart's plotted data. kind: "column" (vertical bars), "bar" (horizontal bars, first
    category at the bottom as plotly draws them), "line", or "picture" (maps, the grid: no
    native chart). value_format: "percent" (shares 0–1), "kroner", "km" or "number"."""

    kind: str
    stacked: bool
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_format: str = "number"

    def formatted(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return "–"
        if self.value_format == "percent":
            return formatting.percent(value, 0)
        if self.value_format == "kroner":
            return formatting.kroner(value)
        if self.value_format == "km":   # whole km, as the findings say them
            return f"{formatting.number(value)} km"
        return formatting.number(value, 0 if float(value).is_integer() else 1)


@dataclass
class Section:
    """One chart as a report lays it out.

    figure: what is drawn (a tall chart: its top TALL bars); plot: its data (a native
    chart's); key_numbers: (label, value) beside it; table: the rest of a tall chart, or
    the grid, as text cells with headers (None: no table); table_title: its heading."""

    drawn: charts.Drawn
    figure: go.Figure
    plot: Plot
    key_numbers: list[tuple[str, str]]
    table: pd.DataFrame | None = None
    table_title: str = ""

    @property
    def finding(self) -> str:
        return self.drawn.finding

    @property
    def title(self) -> str:
        return self.drawn.figure.layout.title.text or ""


def values(packed: Any) -> list:
    """A trace's array as a list, also from plotly's packed form ({"dtype", "bdata"})."""
    if packed is None:
        return []
    if isinstance(packed, dict) and "bdata" in packed:
        array = np.frombuffer(base64.b64decode(packed["bdata"]), dtype=np.dtype(packed["dtype"]))
        if "shape" in packed:
            array = array.reshape([int(n) for n in str(packed["shape"]).split(",")])
        return array.tolist()
    return packed.tolist() if hasattr(packed, "tolist") else list(packed)


def _category(value: Any) -> str:
    text = str(value)
    if _ISO_DAY.match(text) or isinstance(value, dt.date | np.datetime64):
        return formatting.short_date(pd.Timestamp(text))
    return text.replace("<br>", " – ")


def _is_line(trace) -> bool:
    return trace.type == "scatter" and "lines" in (trace.mode or "") and not trace.fill


def plot_of(figure: go.Figure) -> Plot:
    """The figure's series on shared categories; kind "picture" when it is not made of bars
    or lines only (the maps, the grid)."""
    traces = [tr for tr in figure.data if tr.visible is not False]
    if denmark.is_map(figure):  # its outlines are lines too, but no chart of values
        return Plot("picture", False, (), ())
    bars = all(tr.type == "bar" for tr in traces)
    lines = all(_is_line(tr) for tr in traces)
    if not traces or not (bars or lines):
        return Plot("picture", False, (), ())
    horizontal = bars and traces[0].orientation == "h"
    axis = figure.layout.xaxis if horizontal else figure.layout.yaxis
    value_format = value_format_of(figure, "xaxis" if horizontal else "yaxis")
    order: dict[str, None] = {}
    columns = []
    for trace in traces:
        cats, vals = ((values(trace.y), values(trace.x)) if horizontal
                      else (values(trace.x), values(trace.y)))
        cats = [_category(c) for c in cats]
        order.update(dict.fromkeys(cats))
        unnamed = (axis.title.text if axis.title else None) or figure.layout.title.text or ""
        columns.append((trace.name or unnamed, dict(zip(cats, vals, strict=True)),
                        _colour(trace)))
    categories = tuple(order)
    series = tuple(Series(name, tuple(_number(by.get(c)) for c in categories), colour)
                   for name, by, colour in columns)
    kind = "line" if lines else "bar" if horizontal else "column"
    return Plot(kind, figure.layout.barmode == "stack", categories, series, value_format)


def value_format_of(figure: go.Figure, axis: str) -> str:
    """How the values on the figure's value axis `axis` read (a Plot's value_format): by
    the declared kind of the data columns it draws (figures.value_axis names them;
    dashboard.columns declares their kinds), so in any language, "DKK" as "kr.". Columns of
    different kinds, or none named: "number"."""
    kinds = {kind_of(column) for column in figures.drawn_columns(figure, axis)}
    return KIND_FORMATS.get(kinds.pop(), "number") if len(kinds) == 1 else "number"


def _colour(trace) -> str | None:
    colour = trace.line.color if trace.type == "scatter" else trace.marker.color
    return colour if isinstance(colour, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def key_numbers(plot: Plot, drawn: charts.Drawn) -> list[tuple[str, str]]:
    """What a reader quotes from the chart: per bar series its highest (and total, for
    counts and money), per line its first and latest value; for a map, its top KEY_ROWS;
    for the grid, how many cells of each status."""
    rows: list[tuple[str, str]] = []
    if plot.kind in ("column", "bar"):
        for s in plot.series:
            present = [(v, c) for v, c in zip(s.values, plot.categories, strict=True)
                       if v is not None]
            if not present:
                continue
            top = max(v for v, _ in present)
            # Every category sharing the highest, in reading order (a horizontal chart's top
            # row first): one of several is never named as "the" highest.
            ordered = present[::-1] if plot.kind == "bar" else present
            tied = [c for v, c in ordered if v == top]
            # A total of counts or money says something; of shares or averages, nothing.
            if plot.value_format == "kroner" or all(float(v).is_integer() for v, _ in present):
                rows.append((t("report.total", series=s.name),
                             plot.formatted(sum(v for v, _ in present))))
            label = (t("report.highest", series=s.name, where=tied[0]) if len(tied) == 1
                     else tn("report.highest_many", len(tied) - 1, series=s.name,
                             where=tied[0]))
            rows.append((label, plot.formatted(top)))
    elif plot.kind == "line":
        for s in plot.series:
            present = [(v, c) for v, c in zip(s.values, plot.categories, strict=True)
                       if v is not None]
            if present:
                (first, at), (last, latest) = present[0], present[-1]
                if len(present) > 1:
                    rows.append((f"{s.name}, {at}", plot.formatted(first)))
                rows.append((f"{s.name}, {latest}", plot.formatted(last)))
    else:
        rows = _picture_numbers(drawn)
    return rows


def _picture_numbers(drawn: charts.Drawn) -> list[tuple[str, str]]:
    heatmaps = [tr for tr in drawn.figure.data if tr.type == "heatmap"]
    if heatmaps:  # the grid: its cells by status (the names on hover)
        labels = Counter(label for row in values(heatmaps[0].customdata) for label in row
                         if label)
        return [(label, formatting.number(n)) for label, n in labels.most_common()]
    data = drawn.data
    count = next((c for c in MAP_COUNTS if c in data.columns), None)
    name = next((c for c in ("municipality", "city", "venue") if c in data.columns), None)
    if count is None or name is None or data.empty:
        return []
    placed = data.dropna(subset=[name])
    top = placed[placed[count] > 0].sort_values(count, ascending=False).head(KEY_ROWS)
    heading = column_title(count)
    return [(f"{row[name]}: {heading.lower()}", formatting.number(row[count]))
            for _, row in top.iterrows()]


def column_title(name: str) -> str:
    """A data column's header (the `col.<name>` text), or the name itself."""
    return t(f"col.{name}") if f"col.{name}" in CATALOGUE else name


def _top_of(figure: go.Figure, keep: int) -> go.Figure:
    """A horizontal bar chart with only its last `keep` bars (the top ones, as drawn)."""
    cut = copy.deepcopy(figure)
    for trace in cut.data:
        trace.x, trace.y = values(trace.x)[-keep:], values(trace.y)[-keep:]
    cut.layout.height = 22 * keep + 200
    return cut


def section(drawn: charts.Drawn) -> Section:
    """One chart as a report lays it out (see Section)."""
    plot = plot_of(drawn.figure)
    numbers = key_numbers(plot, drawn)
    if plot.kind == "bar" and len(plot.categories) > TALL:
        shown = Plot(plot.kind, plot.stacked, plot.categories[-TALL:],
                     tuple(Series(s.name, s.values[-TALL:], s.colour) for s in plot.series),
                     plot.value_format)
        rest = len(plot.categories) - TALL
        header = column_title(drawn.chart.table_frame(drawn.data).columns[0])
        table = pd.DataFrame({
            t("col.rank"): [str(TALL + i + 1) for i in range(rest)],
            header: list(plot.categories[:rest][::-1]),
            **{s.name: [plot.formatted(v) for v in s.values[:rest][::-1]]
               for s in plot.series}})
        return Section(drawn, _top_of(drawn.figure, TALL), shown, numbers, table,
                       t("report.rest", n=rest, first=TALL + 1, last=TALL + rest))
    if any(tr.type == "heatmap" for tr in drawn.figure.data) and not drawn.data.empty:
        frame = drawn.chart.table_frame(drawn.data)
        table = frame.fillna("–").astype(str)
        table.columns = [column_title(c) if i == 0 else c
                         for i, c in enumerate(frame.columns)]
        return Section(drawn, drawn.figure, plot, numbers, table)
    return Section(drawn, drawn.figure, plot, numbers)
