"""Every chart in the dashboard: pure functions from a DataFrame to a plotly Figure.

No function here queries the database; the pages pass in what dashboard.queries returned.
Colours are the Okabe-Ito palette, which stays distinct for the common colour-vision
deficiencies, and a second cue (pattern, dash, marker, letter) never leaves colour alone to
carry meaning. Text comes from the catalogue (dashboard.i18n) in the reader's language, and so
do the number separators.

Each function taking a DataFrame says which of its columns it reads, with their units, under
`Needs <argument>:` in its docstring (the contract of dashboard.contracts, which
tests/test_contracts.py holds it to): a frame with those columns, in any order, draws.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from dashboard import denmark, formatting
from dashboard.i18n import Labels, language, t, tn
from dashboard.queries import Filters  # the filters' type (a figure reads no database)

# Traces are built unchecked: plotly's check of every property (and its copy of every array)
# is most of what a figure costs. tests/test_figures.py and the browser tests look at them.
Bar = functools.partial(go.Bar, _validate=False)
Scatter = functools.partial(go.Scatter, _validate=False)
Heatmap = functools.partial(go.Heatmap, _validate=False)

# Okabe-Ito: safe for deuteranopia, protanopia and tritanopia.
BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILLION, PURPLE, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#BBBBBB")
COLORWAY = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW]

FORMAT_LABELS = Labels("format", ("day", "overnight", "online"))
AUDIENCE_LABELS = Labels("audience", ("intro", "all"))
STATUS_LABELS = Labels("status", ("attended", "registered", "no_show", "cancelled",
                                  "not_registered"))
STATUS_LETTERS = Labels("status_letter", tuple(STATUS_LABELS))
STATUS_COLORS = {"attended": GREEN, "registered": SKY, "no_show": ORANGE,
                 "cancelled": PURPLE, "not_registered": "#EEEEEE"}
# The status letters in the matrix's cells, on screen and in the exports: black reads on
# every status colour (WCAG contrast 6:1 and more; the white plotly.js chose for the green
# was 3,4:1), and one colour spares plotly.js working one out cell by cell.
MATRIX_TEXT = "#000000"
COHORT_LABELS = Labels("cohort", ("newly_elected", "re_elected"))
PATH_LABELS = Labels("path", ("newly_elected_intro", "newly_elected_no_intro", "re_elected"))
# A group smaller than this swings by one mayor's choice (3 of 5 is 60 %): its line is drawn
# faded and its legend entry and the chart's finding say so.
MIN_GROUP_SIZE = 10
FADED_OPACITY = 0.4
# The participation map: never attended in its own colour (what management looks for), then
# light to dark blue for more sessions, in whole-number classes.
NEVER_COLOR = ORANGE
MAP_CLASSES = 6  # at most this many classes above zero; more sessions share a class


def session_label(starts_at: pd.Timestamp, format: str) -> str:
    """'5. dec. 2022 · døgn': short enough for an axis, unique within a programme."""
    return f"{formatting.short_date(starts_at)} · {t('format_short.' + format)}"


def session_labels(sessions: pd.DataFrame) -> dict[str, str]:
    """Each session's label (session_label), by session id.

    Needs sessions:
        session_id (id) — the session
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)

    Returns: dict of str by session id
    """
    return {row.session_id: session_label(row.starts_at, row.format)
            for row in sessions.itertuples()}


def session_title(title: str, audience: str, format: str) -> str:
    """A session's name: KL's own title in Danish; in English, made from its audience and
    format (the stored titles are Danish and say no more than those two)."""
    if language() == "da":
        return title
    if audience == "intro":
        return t("session_title.intro", format=FORMAT_LABELS[format].lower())
    return FORMAT_LABELS[format]


def percent_ticks(top: float = 1.0, step: float = 0.2) -> dict:
    """An axis of shares (0–1) with its ticks written the reader's way, "80 %" in Danish:
    plotly's tickformat ".0%" cannot put the space before the sign, so the ticks are
    given as values and texts (formatting.percent)."""
    count = int(round(top / step)) + 1
    values = [round(i * step, 4) for i in range(count)]
    return {"tickvals": values, "ticktext": [formatting.percent(v, 0) for v in values]}


MONTH_STEPS = (1, 2, 3, 4, 6, 12)  # months between a date axis's ticks, the fewest that fit


def month_ticks(days, most: int = 8) -> dict:
    """A date axis whose ticks are the first of every month (or of every 2nd, 3rd, 4th, 6th
    or 12th, whichever gives at most `most` ticks, or every few years), written the
    reader's way, "dec. 2022" in Danish (formatting.month_year): exported charts are drawn
    by a Chromium with no Danish locale, where plotly's "%b" writes "Dec". `days`: dates or
    timestamps, NaT/None ignored. {} when there are none."""
    present = pd.to_datetime(pd.Series(list(days)), errors="coerce").dropna()
    if present.empty:
        return {}
    first, last = present.min(), present.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in MONTH_STEPS if months / s <= most),
                12 * math.ceil(months / (12 * most)))
    # Ticks on months that are multiples of the step (January, July, ...), from the first
    # such month at or before the data's first: one outside the axis's range is not drawn.
    start = pd.Timestamp(first.year, first.month - (first.month - 1) % step, 1)
    ticks = pd.date_range(start, last, freq=pd.DateOffset(months=step))
    return {"type": "date", "tickvals": [d.strftime("%Y-%m-%d") for d in ticks],
            "ticktext": [formatting.month_year(d) for d in ticks]}


WHOLE_TICKS_UP_TO = 10  # a count axis reaching no further ticks every 1 (plotly: every 0,5)
# The figure's layout.meta key naming, per value axis ("xaxis", "yaxis"), the data columns it
# draws (value_axis); their kinds are dashboard.columns', the one place kinds are declared.
VALUE_COLUMNS = "value_columns"


class ValueAxis(dict):
    """A value axis's layout, as plotly takes it (a dict), that knows the data columns it
    draws. _figure and _set_layout note them in the figure's layout.meta (VALUE_COLUMNS), so
    what reads a figure (the report's native charts) knows its values' kind, whatever the
    language of its axis title."""

    def __init__(self, axis: Mapping, columns: tuple[str, ...]):
        super().__init__(axis)
        self.columns = columns


def value_axis(data: Mapping[str, pd.Series], *drawn: str, stacked: bool = False,
               **axis) -> ValueAxis:
    """A value axis (plotly layout dict, `axis` keys added) for the columns `drawn` of
    `data` (a figure's frame, or any columns by name; stacked: their sum per row is the
    bar's length), with the ticks their kind calls for (dashboard.columns, where every
    column's kind is declared): a count's ticks are whole numbers, never plotly's 0,5 on a
    short axis. Other kinds: `axis` as given. Either way it names `drawn` (ValueAxis)."""
    # columns imports this module (its labels), so the lookup is imported when called.
    from dashboard.columns import kind_of

    if not drawn or any(kind_of(column) != "count" for column in drawn):
        return ValueAxis(axis, drawn)
    values = pd.concat([pd.Series(data[c], dtype=float).reset_index(drop=True)
                        for c in drawn], axis=1).fillna(0)
    top = (values.sum(axis=1) if stacked else values.max(axis=1)).max() if len(values) else 0
    if pd.isna(top) or top <= WHOLE_TICKS_UP_TO:
        axis = {"tick0": 0, "dtick": 1, **axis}
    return ValueAxis({"tickformat": ",d", "rangemode": "tozero", **axis}, drawn)


def _value_columns(layout: Mapping) -> dict[str, list[str]]:
    """The columns each value axis among `layout`'s keys draws (ValueAxis)."""
    return {name: list(axis.columns) for name, axis in layout.items()
            if isinstance(axis, ValueAxis)}


def drawn_columns(fig: go.Figure, axis: str) -> tuple[str, ...]:
    """The data columns the figure's value axis `axis` ("xaxis", "yaxis") draws, as
    value_axis named them; () for an axis not made by it."""
    meta = fig.layout.meta
    noted = meta.get(VALUE_COLUMNS, {}) if isinstance(meta, dict) else {}
    return tuple(noted.get(axis, ()))


def percents(shares) -> list[str]:
    """Shares (0–1) as the reader writes them, for hover texts: ['80 %', ...]."""
    return [formatting.percent(None if pd.isna(v) else float(v), 0) for v in shares]


def _kroner_hover() -> str:
    """A bar's or line's hover in kroner: '%{x}<br>Faktureret: 5.300 kr.'"""
    amount = "%{y:,.0f}"
    value = f"DKK {amount}" if language() == "en" else f"{amount} kr."
    return "%{x}<br>%{fullData.name}: " + value + "<extra></extra>"


def _session_axis(df: pd.DataFrame) -> list[str]:
    return [session_label(s, f) for s, f in zip(df["starts_at"], df["format"], strict=True)]


# A small theme of our own: plotly's stock templates style every trace type and cost
# tens of milliseconds to copy into each figure, which is most of a callback's time.
_AXIS = {"gridcolor": "#E5E5E5", "linecolor": "#BBBBBB", "zerolinecolor": "#BBBBBB",
         "automargin": True}
THEME = go.layout.Template(layout={
    "colorway": COLORWAY, "separators": ",.", "paper_bgcolor": "white",
    "plot_bgcolor": "white", "xaxis": _AXIS, "yaxis": _AXIS,
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
             "size": 13, "color": "#212529"},
    "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    "hoverlabel": {"bgcolor": "white"},
})


# The participation map's areas: every scatter trace is a municipality's filled outline that
# shows its text on hover, unless it says otherwise (the land and the town-hall dots do).
AREA_THEME = go.layout.Template(layout=THEME.layout, data={"scatter": [{
    "mode": "lines", "fill": "toself", "hoveron": "fills", "hoverinfo": "text",
    "line": {"color": "#9AA5B1", "width": 0.5}}]})


# Light (few sessions) to dark (many), spelt out: a colour scale's name reaches plotly.js
# unvalidated, and plotly.js's own "Blues" runs the other way, dark to light.
BLUES = [[i / (len(plotly.colors.sequential.Blues) - 1), colour]
         for i, colour in enumerate(plotly.colors.sequential.Blues)]


def _figure(data=None, **layout) -> go.Figure:
    """A figure on our theme (given at construction, so plotly's default is never copied).

    Validation is skipped for speed (figure and traces, above): a misspelt key would pass
    silently, so changes here deserve a look in the browser. For the same reason layouts
    are given whole, at construction or by _set_layout, never by update_layout() (3 ms a
    call), so nested values must be complete: an axis title is {"text": ...}.
    """
    noted = _value_columns(layout)
    if noted:
        layout = {**layout, "meta": {VALUE_COLUMNS: noted}}
    return go.Figure(data=data, layout={"template": THEME, **layout}, _validate=False)


def _set_layout(fig: go.Figure, **layout) -> None:
    """Assign layout keys whole (a key given replaces what was there); a value axis's
    columns noted in layout.meta (ValueAxis)."""
    for key, value in layout.items():
        setattr(fig.layout, key, value)
    noted = _value_columns(layout)
    if noted:
        meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
        fig.layout.meta = {**meta, VALUE_COLUMNS: {**meta.get(VALUE_COLUMNS, {}), **noted}}


def _finish(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    # Assigned, not update_layout(): on an unvalidated figure that is a quarter of the time.
    fig.layout.title = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}}
    fig.layout.separators = formatting.separators()
    fig.layout.height = height
    return fig


WATERMARK = "watermark"  # the annotation's name, so a test (and a reader of the JSON) finds it


def watermark(fig: go.Figure) -> go.Figure:
    """Mark a chart drawn from demo data, in place: a faint, tilted "DEMODATA" across the
    middle of the plot, too pale to hide a bar, a point or a label under it and ignoring the
    mouse, so a screenshot never passes for real data. Returns the figure."""
    mark = {"name": WATERMARK, "text": t("fig.watermark"), "showarrow": False,
            "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "textangle": -18,
            "opacity": 0.1, "font": {"size": 56, "color": "#555555"}, "captureevents": False}
    fig.layout.annotations = (*(fig.layout.annotations or ()), mark)
    return fig


HEADS_ROOM = 4  # px above the plot once its column headings are drawn in a strip instead


def heads_in_strip(fig: go.Figure) -> go.Figure:
    """A chart whose columns' headings a page draws in a sticky strip above it (charts.Chart
    .sticky_heads; assets/column-heads.js draws them where plotly lays out the x axis), in
    place: its own x axis's labels off and the room above the plot they took given back, so
    the strip sits right on the first row (its ticks, pointing up at the headings, kept).
    Returns the figure.

    What the axis still draws above the plot, its ticks, is known, so its room is given
    whole and plotly's automargin is off for it: plotly reserves a tick's length plus its
    pad, min(12, the four margins), which with the top the smallest margin grows with it,
    so automargin would move this margin on every first draw, the figure drawn twice."""
    fig.layout.xaxis.showticklabels = False
    fig.layout.xaxis.automargin = False
    fig.layout.margin.t = HEADS_ROOM + outer_tick_length(fig, "x")
    return fig


def empty_figure(message: str, title: str = "") -> go.Figure:
    fig = _figure(annotations=[{"text": message, "showarrow": False,
                                "font": {"size": 14, "color": "#555"}, "xref": "paper",
                                "yref": "paper", "x": 0.5, "y": 0.5}],
                  xaxis={"visible": False}, yaxis={"visible": False})
    return _finish(fig, title, height=260)


def _count_hover(unit: str, axis: str = "y", label: str = "x") -> str:
    """A hover naming the series and its count with its unit: '3. jun. 2026 · online<br>
    Deltaget: 45 borgmestre' (unit: the catalogue key of '{n} borgmestre')."""
    return (f"%{{{label}}}<br>%{{fullData.name}}: " + t(unit, n=f"%{{{axis}}}")
            + "<extra></extra>")


# --- Overview -----------------------------------------------------------------------------

def turnout_by_session(df: pd.DataFrame) -> go.Figure:
    """Registered and attended per session, in time order.

    Needs df:
        session_id (id) — the session (a click's value: its page)
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        registered (count) — registrations not cancelled
        attended (count) — registrations attended
    """
    x = _session_axis(df)
    # A click leads to the session's page: a plain list, as for the map's customdata.
    sessions = df["session_id"].tolist()
    fig = _figure([
        # every registration not cancelled ("tilmeldt", the glossary), not status registered
        Bar(name=t("col.registered"), x=x, y=df["registered"], marker_color=SKY,
            marker_pattern_shape="/", customdata=sessions,
            hovertemplate=_count_hover("fig.hover_mayors")),
        Bar(name=STATUS_LABELS["attended"], x=x, y=df["attended"], marker_color=GREEN,
            customdata=sessions, hovertemplate=_count_hover("fig.hover_mayors")),
    ])
    _set_layout(fig, barmode="group", yaxis=value_axis(df, "registered", "attended",
                                                       title={"text": t("fig.mayors")}))
    return _finish(fig, t("fig.turnout"), height=340)


# --- Municipalities -----------------------------------------------------------------------

def participation_map(df: pd.DataFrame,
                      boundaries: Mapping[int, denmark.Outline] | None = None,
                      filters: Filters | None = None) -> go.Figure:
    """Municipalities coloured by sessions attended, in whole-number classes with the
    never-attended in a colour (and hatching) of their own: areas when `boundaries` (the
    outlines, dashboard.denmark.outlines) are given, else dots at the town halls. The
    legend names each class and how many municipalities it holds. With `filters` naming
    regions (df then holds their municipalities) the view is fitted to those, the rest of
    the country drawn as land round them; else the whole country, Bornholm in its inset.

    Needs df:
        kommune_code (kommune code) — the municipality (its outline and the click's value)
        municipality (text) — its name
        sessions_attended (count) — sessions attended (the colour)
        sessions_offered (count) — sessions offered (on hover)
        lat (degrees) — town hall latitude (read without boundaries)
        lon (degrees) — town hall longitude (read without boundaries)
    """
    attended = df["sessions_attended"].fillna(0).astype(int)
    classes = count_classes(int(attended.max()) if len(df) else 0)
    klass = np.searchsorted([high for _low, high in classes], attended.to_numpy())
    counts = np.bincount(klass, minlength=len(classes))
    colours = class_colours(len(classes))
    names = [t("fig.map_never", n=counts[0])] + [
        f"{low}{'–' + str(high) if high > low else ''} ({counts[i + 1]})"
        for i, (low, high) in enumerate(classes[1:])]
    hover = [f"<b>{m}</b><br>" + t("fig.attended_of", attended=a, offered=o)
             for m, a, o in zip(df["municipality"], attended, df["sessions_offered"],
                                strict=True)]
    codes = df["kommune_code"].astype(int).tolist()
    boundaries = boundaries or {}
    drawn = [i for i, code in enumerate(codes) if code in boundaries]
    rest = [i for i in range(len(codes)) if codes[i] not in boundaries]
    town_x, town_y = (denmark.project(df["lon"].to_numpy()[rest], df["lat"].to_numpy()[rest])
                      if rest else (np.array([]), np.array([])))
    outlines = [boundaries[codes[i]] for i in drawn]
    # Fitted to the regions chosen, Bornholm's inset (when Bornholm is among them) moved
    # beside the others; the layout's meta says where, for the pick's ring (Kommuner).
    view, inset = None, denmark.NOT_MOVED
    if filters is not None and filters.regions:
        areas_x, areas_y = denmark.joined(outlines)
        every_x = np.concatenate([areas_x, town_x])
        every_y = np.concatenate([areas_y, town_y])
        inset = denmark.inset_offset(every_x, every_y)
        view = denmark.fit(every_x, every_y, inset)
        outlines = [denmark.moved(x, y, inset) for x, y in outlines]
        town_x, town_y = denmark.moved(town_x, town_y, inset)
    traces = []
    if drawn:
        backdrop = denmark.land(boundaries, [c for c in boundaries if c not in set(codes)])
        traces += [backdrop] if backdrop else []
        traces += _area_traces(outlines, [int(klass[i]) for i in drawn], colours, names,
                               [hover[i] for i in drawn], [codes[i] for i in drawn])
    if rest:  # no outlines (or not for all): dots at the town halls
        x, y = town_x, town_y
        for k in sorted({int(klass[i]) for i in rest}):
            mine = [j for j, i in enumerate(rest) if klass[i] == k]
            traces.append(Scatter(
                x=x[mine].tolist(), y=y[mine].tolist(), mode="markers", fill="none",
                hoveron="points", name=names[k],
                legendgroup=str(k), showlegend=not drawn,
                customdata=[codes[rest[j]] for j in mine],
                hovertext=[hover[rest[j]] for j in mine], hoverinfo="text",
                marker={"size": 9 + 2 * k, "color": colours[k],
                        "symbol": "diamond" if k == 0 else "circle",
                        "line": {"color": "white", "width": 0.5}}))
    # The areas' hover is assets/map-areas.js's (see _area_traces) when all are drawn.
    layout = denmark.layout(view=view, inset=inset)
    layout["meta"] = {MAP_INSET: list(inset)}
    if drawn and len(drawn) == len(codes):
        layout["hovermode"] = False
    fig = _figure(traces, **layout, template=AREA_THEME)
    fig.layout.legend.title = {"text": t("fig.map_legend"), "side": "top"}
    subtitle = "" if drawn else t("fig.map_town_halls")
    return _finish(fig, t("fig.participation_map") + subtitle, height=560)


AREAS = "areas"  # the meta of a map's hover points: assets/map-areas.js finds them by it
MAP_INSET = "inset"   # the participation map's layout meta: where its Bornholm inset went


def _area_traces(outlines: list[denmark.Outline], classes: list[int], colours: list[str],
                 names: list[str], hover: list[str], codes: list[int]) -> list[go.Scatter]:
    """The participation map's areas: one filled trace per class, and the points that stand
    for the areas under the mouse.

    plotly draws a figure trace by trace, and a trace per municipality made most of the
    map's drawing (benchmarks/drawing.py: 135 against 49 ms of CPU for the same areas in
    a trace per class). But plotly names a hovered fill by its trace only, so the hover and
    the click are assets/map-areas.js's: each class trace's `meta` lists its areas, (point,
    start, end) with their rings at x[start:end], and the script finds the area under the
    mouse and shows the label of its point in the last trace (one per municipality, not
    drawn, `meta` AREAS: its text on hover, its code as the click's customdata).
    plotly's own hover is off (hovermode False), so it never names a neighbour instead.
    """
    traces = []
    for k in sorted(set(classes)):
        mine = [j for j, c in enumerate(classes) if c == k]
        spans, at = [], 0
        for j in mine:
            spans.append([j, at, at + len(outlines[j][0])])
            at = spans[-1][2]
        x, y = denmark.joined([outlines[j] for j in mine])
        traces.append(Scatter(
            x=x, y=y, mode="lines", fillcolor=colours[k], name=names[k], legendgroup=str(k),
            hoverinfo="skip", meta={AREAS: spans},
            **({"fillpattern": _never_pattern()} if k == 0 else {})))
    # Where each area's label sits: the middle of its largest ring's extent.
    anchors = [denmark.anchor(outline) for outline in outlines]
    traces.append(Scatter(
        # Not drawn (mode "none": 98 invisible markers were elements to draw and update):
        # plotly's hover label reads a point's place from the data, not from the page.
        x=[a[0] for a in anchors], y=[a[1] for a in anchors], mode="none", fill="none",
        hoveron="points", text=hover, hoverinfo="text",
        customdata=codes, showlegend=False, meta=AREAS))
    return traces


def count_classes(top: int, most: int = MAP_CLASSES) -> list[tuple[int, int]]:
    """Whole-number classes for counts 0..top, as (lowest, highest): zero alone, then one
    class per count up to `most` classes, beyond that equal ranges (1–2, 3–4, ...)."""
    step = max(1, math.ceil(top / most))
    return [(0, 0)] + [(low, min(low + step - 1, top)) for low in range(1, top + 1, step)]


def class_colours(n: int) -> list[str]:
    """The never-attended colour, then n-1 blues from light to dark."""
    if n <= 1:
        return [NEVER_COLOR][:n]
    shares = [0.3 + 0.7 * i / max(n - 2, 1) for i in range(n - 1)]
    return [NEVER_COLOR, *plotly.colors.sample_colorscale(BLUES, shares)]


def _never_pattern() -> dict:
    # A second cue beside the colour: hatching.
    return {"shape": "/", "bgcolor": NEVER_COLOR, "fgcolor": "#5C3D00", "fgopacity": 0.7,
            "size": 7, "solidity": 0.25}


def participation_ranking(df: pd.DataFrame) -> go.Figure:
    """Every municipality ranked by sessions attended (no-shows and pending stacked on apart).

    Needs df:
        municipality (text) — the municipality's name
        sessions_registered (count) — sessions registered for
        sessions_attended (count) — of those, attended
        sessions_no_show (count) — of those, registered but absent
        sessions_pending (count) — of those, registered for a session not yet held
    """
    # plotly draws the first row at the bottom: the most sessions last, ties A to Å from the top
    ranked = df.sort_values(["sessions_attended", "sessions_registered", "municipality"],
                            ascending=[True, True, False],
                            key=lambda c: formatting.danish_keys(c)
                            if c.name == "municipality" else c)
    names = ranked["municipality"]

    def bars(column: str, status: str, every: bool = False, **style) -> go.Bar:
        # A bar of zero length is elements to draw and update all the same: only the first
        # trace has every municipality (a row, its hover, a click), the others what is there.
        drawn = slice(None) if every else ranked[column] > 0
        if not every and not drawn.any():   # plotly hides an empty trace, legend and all
            drawn = ranked.index == ranked.index[-1] if len(ranked) else drawn
        return Bar(name=STATUS_LABELS[status], y=names[drawn], x=ranked[column][drawn],
                   orientation="h",
                   hovertemplate=_count_hover("fig.hover_sessions", axis="x", label="y"),
                   **style)

    fig = _figure([
        bars("sessions_attended", "attended", every=True, marker_color=GREEN),
        bars("sessions_no_show", "no_show", marker_color=ORANGE, marker_pattern_shape="x"),
        bars("sessions_pending", "registered", marker_color=SKY, marker_pattern_shape="/"),
    ])
    _set_layout(fig, barmode="stack",
                xaxis=value_axis(ranked, "sessions_attended", "sessions_no_show",
                                 "sessions_pending", stacked=True,
                                 title={"text": t("fig.sessions")}),
                yaxis={"tickfont": {"size": 11}, "automargin": True,
                       "categoryorder": "array", "categoryarray": list(names)})
    return _finish(fig, t("fig.ranking"),
                   height=max(300, 15 * len(ranked) + 120))


def picked_row(name: str) -> dict:
    """A layout shape framing one municipality's row on a chart with the municipalities down
    its y axis (the ranking, the matrix): across the plot, a row's height (15 px), at the
    category `name`. Kommuner draws it for the municipality picked (list, map and charts
    agree)."""
    return {"type": "rect", "xref": "paper", "x0": 0, "x1": 1,
            "yref": "y", "ysizemode": "pixel", "yanchor": name, "y0": -8, "y1": 8,
            "line": {"color": denmark.PICKED, "width": 2}, "layer": "above"}


def cells_for_screen(fig: go.Figure) -> go.Figure:
    """A figure's heatmaps drawn the quick way in a browser, in place: their gaps between
    cells (xgap, ygap) taken out and drawn instead as white lines over the cells, one layout
    shape per heatmap (a path through the category positions). Returns the figure.

    With gaps, plotly.js fills every cell at its size on the screen into a canvas and encodes
    that as a PNG (for the 98-row matrix a large one: a third of its drawing); without, it
    scales up an image of one pixel per cell. Screen only: the exports keep the gaps, as SVG
    and PDF readers may blur a scaled-up image."""
    for trace in fig.data:
        if (trace.type != "heatmap" or not (trace.xgap or trace.ygap)
                or np.ndim(trace.z) != 2 or not _categories(trace.x)
                or not _categories(trace.y)):
            continue   # lines at k ± 0,5 fit cells at category positions 0, 1, ... only
        rows, columns = np.shape(trace.z)
        lines = [f"M-0.5,{r + 0.5}H{columns - 0.5}" for r in range(rows - 1)]
        lines += [f"M{c + 0.5},-0.5V{rows - 0.5}" for c in range(columns - 1)]
        width = max(trace.xgap or 0, trace.ygap or 0)
        trace.xgap = trace.ygap = None
        # Always one shape, first of the figure's own (a single cell: a path drawing
        # nothing): the pick's mark on Kommuner keeps it (pages/municipalities.OWN_SHAPES).
        fig.layout.shapes = (*fig.layout.shapes, {
            "type": "path", "path": "".join(lines) or "M-0.5,-0.5",
            "xref": trace.xaxis or "x", "yref": trace.yaxis or "y", "layer": "above",
            "line": {"color": fig.layout.plot_bgcolor or THEME.layout.plot_bgcolor,
                     "width": width}})
    return fig


def _categories(values) -> bool:
    """Whether a trace's coordinates are categories (all text), as plotly then places them
    at 0, 1, 2, ..."""
    return values is not None and len(values) > 0 and all(isinstance(v, str) for v in values)


# --- A screen figure's margins, set before plotly.js measures ------------------------------
# Every axis has automargin (THEME): on a figure's first draw plotly.js measures its tick
# labels, legend and colorbar, and where they need more room than the margins give it moves
# the margins and draws the whole figure again (benchmarks/drawing.py, a page switch's draw:
# Kommuner's matrix 67 -> 40 ms CPU with room enough, its ranking 45 -> 29). So
# margins_for_screen gives a page's figure the room its labels are estimated to take, where
# the figure itself says what they are: category names, a colorbar's texts, one line of
# numbers. Automargin stays on, so an estimate short of the mark costs the second draw it
# cost before, and one over it a few px of white: the estimates err wide, by a few px.
# Screen only: exports are drawn once, at a size of their own.

# A character's width, em, read off DejaVu Sans (Linux's system-ui; Segoe UI and San
# Francisco are narrower, so there the estimate errs wider): lowercase letters and digits
# 0.52-0.64 em, capitals to 0.79 and m, w to 0.98 (rarer), the narrow characters 0.28-0.41.
# The widest of the municipalities', regions' and statuses' names (Danish and English)
# come out 2-7 px wide of the mark. Two widths, not one: "Tilmeldt, afventer (T)" is 22
# characters of 0.49 em, one width for all would err 30 px.
CHAR_EM = 0.62
NARROW_EM = 0.41
NARROW_CHARACTERS = frozenset(" ,.:;'!|/()[]-ijlfrtIJ")
LINE_EM = 1.3      # a line of tick labels (or an axis title) across its axis, with its gap
LABEL_GAP = 3      # px between an axis (or a colorbar) and its labels: plotly leaves 1-3
PUSH_PAD = 12      # plotly adds min(12, the four margins) to what it measures
TICK_LENGTH = 5    # plotly's length of a tick, drawn outside a heatmap's axes unless told
# A colorbar stands at a fraction of the plot's width beyond it (plotly: x = 1.02), so its
# room grows with the plot; reckoned on a plot this wide (Kommuner's matrix on a 1920 px
# screen), wider ones push its margin as before.
COLORBAR_PLOT_WIDTH = 800
# plotly.js's defaults for what a figure leaves unset.
PLOTLY_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}
PLOTLY_FONT_SIZE = 12
COLORBAR_DEFAULTS = {"x": 1.02, "thickness": 30, "xpad": 10}


def text_width(text: str, size: float) -> float:
    """`text`'s width in px at font size `size` (px), estimated (CHAR_EM, NARROW_EM)."""
    return size * sum(NARROW_EM if c in NARROW_CHARACTERS else CHAR_EM for c in str(text))


def _font_size(font, base: float) -> float:
    """The size of `font` (a figure's font object, None) as plotly draws it: its own, else
    `base`, the figure's (_layout_defaults)."""
    size = font.size if font is not None else None
    return size if size is not None else base


def _layout_defaults(fig: go.Figure) -> dict:
    """The figure's margins (l, r, t, b: its own, else its template's, else plotly's) and
    font size (likewise), read as plain data, once a figure: plotly's objects take a tenth
    of a millisecond for each property read, which made this estimate several ms a figure,
    in every callback that draws one."""
    layout = fig.layout.to_plotly_json()
    theme = layout.get("template", {}).get("layout", {})
    if hasattr(theme, "to_plotly_json"):
        theme = theme.to_plotly_json()
    given, themed = layout.get("margin", {}), theme.get("margin", {})
    margin = {side: next((m for m in (given.get(side), themed.get(side)) if m is not None),
                         PLOTLY_MARGIN[side]) for side in PLOTLY_MARGIN}
    size = next((v for v in (layout.get("font", {}).get("size"),
                             theme.get("font", {}).get("size")) if v is not None),
                PLOTLY_FONT_SIZE)
    return {"margin": margin, "font_size": size}


def _on_axis(fig: go.Figure, letter: str) -> list:
    """The traces drawn on the figure's first axis `letter` ("x", "y")."""
    return [trace for trace in fig.data if (trace[f"{letter}axis"] or letter) == letter]


def outer_tick_length(fig: go.Figure, letter: str) -> float:
    """The length, px, of the ticks the figure's first axis `letter` draws outside the plot
    (0: none): its own, or plotly's outside ticks of a heatmap's axes."""
    axis = fig.layout[f"{letter}axis"]
    heatmap = any(trace.type == "heatmap" for trace in _on_axis(fig, letter))
    if axis.ticks == "outside" or (axis.ticks is None and heatmap):
        return axis.ticklen if axis.ticklen is not None else TICK_LENGTH
    return 0


def _labelled(axis) -> bool:
    """Whether plotly draws the axis's tick labels and makes room for them (automargin)."""
    return (axis.visible is not False and axis.showticklabels is not False
            and axis.automargin is not False)


def _category_labels(fig: go.Figure, letter: str) -> list[str] | None:
    """The tick labels of the figure's first axis `letter`: its categories, when every
    trace on it gives them as text and the axis sets no ticks of its own; None else (a
    number axis, written by plotly.js)."""
    axis = fig.layout[f"{letter}axis"]
    traces = _on_axis(fig, letter)
    if (not traces or axis.tickvals is not None or axis.ticktext is not None
            or axis.type not in (None, "category")):
        return None
    given = [trace[letter] for trace in traces]
    if any(values is None for values in given):
        return None
    labels = [label for values in given for label in values]
    return labels if _categories(labels) else None


def _title_room(axis, base: float) -> float:
    """px an axis's title takes across the axis: a line, when it has one."""
    return LINE_EM * _font_size(axis.title.font, base) if axis.title.text else 0


def _left_room(fig: go.Figure, base: float) -> float | None:
    """px left of the plot the y axis's category labels take (None: not estimated)."""
    axis = fig.layout.yaxis
    labels = _category_labels(fig, "y")
    if not _labelled(axis) or axis.side == "right" or not labels or axis.tickangle:
        return None
    size = _font_size(axis.tickfont, base)
    return (outer_tick_length(fig, "y") + LABEL_GAP
            + max(text_width(label, size) for label in labels) + _title_room(axis, base))


def _bottom_room(fig: go.Figure, base: float) -> float | None:
    """px below the plot a value axis's numbers take, one line of them (value_axis: a
    category or date axis's labels turn on a narrow screen; None: not estimated)."""
    axis = fig.layout.xaxis
    if (not _labelled(axis) or axis.side == "top" or not drawn_columns(fig, "xaxis")
            or axis.tickangle):
        return None
    return (outer_tick_length(fig, "x") + LINE_EM * _font_size(axis.tickfont, base)
            + _title_room(axis, base))


def _right_room(fig: go.Figure, base: float) -> float | None:
    """px right of the plot a heatmap's colorbar takes, written with ticktext (None: none,
    or not estimated)."""
    rooms = []
    for trace in fig.data:
        if trace.type != "heatmap" or trace.showscale is False:
            continue
        bar = trace.colorbar
        if (not bar.ticktext or bar.orientation == "h" or bar.xref == "container"
                or bar.xanchor not in (None, "left")):
            return None
        x, thickness, xpad = (bar[key] if bar[key] is not None else default
                              for key, default in COLORBAR_DEFAULTS.items())
        size = _font_size(bar.tickfont, base)
        texts = [(text, size) for text in bar.ticktext]
        if bar.title.text:
            texts.append((bar.title.text, _font_size(bar.title.font, base)))
        rooms.append((x - 1) * COLORBAR_PLOT_WIDTH + thickness + 2 * xpad + LABEL_GAP
                     + max(text_width(text, size) for text, size in texts))
    return max(rooms) if rooms else None


def screen_margins(fig: go.Figure) -> dict[str, int]:
    """The margins (l, r, t, b, px) the figure needs for plotly's automargin to find room
    enough on its first draw: a side whose room is estimated (its y axis's categories, its
    x axis's numbers, its colorbar) at least that room and plotly's pad, the others as the
    figure asks."""
    return _wanted_margins(fig, _layout_defaults(fig))


def _wanted_margins(fig: go.Figure, defaults: dict) -> dict[str, int]:
    """screen_margins, from the figure's _layout_defaults."""
    margin, base = defaults["margin"], defaults["font_size"]
    rooms = {side: room for side, room in (("l", _left_room(fig, base)),
                                           ("r", _right_room(fig, base)),
                                           ("b", _bottom_room(fig, base)))
             if room is not None}
    # plotly's pad is the least of 12 and the four margins as set: at most the least of 12
    # and the sides left as they are (a side raised here to less than that lowers the pad,
    # and what plotly asks for with it).
    pad = min(PUSH_PAD, *(m for side, m in margin.items() if side not in rooms))
    return {**margin, **{side: max(margin[side], math.ceil(room + pad))
                         for side, room in rooms.items()}}


def margins_for_screen(fig: go.Figure) -> go.Figure:
    """A figure's margins set to screen_margins, in place: drawn once, not twice, on a page
    switch. Returns the figure."""
    defaults = _layout_defaults(fig)
    for side, value in _wanted_margins(fig, defaults).items():
        if value != defaults["margin"][side]:
            fig.layout.margin[side] = value
    return fig


def session_matrix(df: pd.DataFrame) -> go.Figure:
    """Municipality x session, one colour per status (with the status named on hover).

    Needs df:
        municipality (text) — the row
        session_id (id) — the column
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        status (code) — the cell's status
    """
    order = list(STATUS_LABELS)
    sessions = df.drop_duplicates("session_id").sort_values("starts_at")
    municipalities = list(dict.fromkeys(df["municipality"]))[::-1]  # first at the top
    codes = (df.assign(code=df["status"].map({s: i for i, s in enumerate(order)}))
             .pivot(index="municipality", columns="session_id", values="code")
             .reindex(index=municipalities, columns=list(sessions["session_id"]))
             .to_numpy())
    labels = np.array([STATUS_LABELS[s] for s in order])
    letters = np.array([STATUS_LETTERS[s] for s in order])
    legend = [f"{label} ({letter})" if letter else label
              for label, letter in zip(labels, letters, strict=True)]
    n = len(order)
    colorscale = []
    for i, status in enumerate(order):
        colorscale += [[i / n, STATUS_COLORS[status]], [(i + 1) / n, STATUS_COLORS[status]]]
    fig = _figure(Heatmap(
        z=codes, x=_session_axis(sessions), y=municipalities, text=letters[codes],
        customdata=labels[codes], texttemplate="%{text}",
        textfont={"size": 9, "color": MATRIX_TEXT},
        zmin=-0.5, zmax=n - 0.5, colorscale=colorscale, xgap=1, ygap=1,
        hovertemplate="<b>%{y}</b><br>%{x}<br>%{customdata}<extra></extra>",
        colorbar={"tickvals": list(range(n)), "ticktext": legend,
                  "thickness": 12, "title": {"text": "Status"}},
    ))
    _set_layout(fig, yaxis={"tickfont": {"size": 11}, "automargin": True},
                xaxis={"side": "top", "tickangle": -30})
    return _finish(fig, t("fig.matrix"),
                   height=max(300, 15 * len(municipalities) + 160))


# --- Retention ----------------------------------------------------------------------------

def group_size(mayors_in_office: pd.Series) -> int:
    """A group's n: the most of its mayors in office (a count per session) at any one of
    its sessions."""
    return int(mayors_in_office.max()) if len(mayors_in_office) else 0


def is_small(n: int) -> bool:
    """Below MIN_GROUP_SIZE: drawn faded and said so."""
    return n < MIN_GROUP_SIZE


def group_name(name: str, n: int) -> str:
    """A line's legend entry with its n: 'Genvalgte (n = 36)', and for a small group
    'Nyvalgte, ikke i intro (n = 5, under 10)' (short enough for a phone's legend; the
    chart's finding says what it means)."""
    size = formatting.number(n)
    if is_small(n):
        return t("fig.group_small", name=name, n=size, min=MIN_GROUP_SIZE)
    return t("fig.group_n", name=name, n=size)


def retention_by_cohort(df: pd.DataFrame) -> go.Figure:
    """Share of each cohort registered at each session, in time order. Only the sessions a
    cohort is invited to are in the data (re-elected mayors have no row at an intro).

    Needs df:
        cohort (code) — newly_elected or re_elected (one line each)
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        share_registered (share 0–1) — the line's height
        registered (count) — registered (on hover)
        mayors_in_office (count) — in office (on hover)
    """
    fig = _figure([_share_line(df[df["cohort"] == cohort], COHORT_LABELS[cohort], color,
                               dash, symbol)
                   for cohort, color, dash, symbol in (("newly_elected", BLUE, "solid", "circle"),
                                                       ("re_elected", ORANGE, "dash", "square"))],
                  yaxis=_share_axis(df))
    return _finish(fig, t("fig.retention"))


def retention_side_by_side(df: pd.DataFrame) -> go.Figure:
    """Two (or more) programmes' cohorts on one axis: months since each period's start, so
    the 2026 cohort is read against the 2022 cohort at the same point of its period. Colour
    tells the cohort, line style and marker the programme (the first given: solid).

    Needs df:
        programme_id (id) — the programme (its line style and marker)
        cohort (code) — newly_elected or re_elected (its colour)
        months_in (months) — from the period's start (the x axis)
        session_title (text) — the session (on hover; in English from audience and format)
        audience (code) — intro or all (the session's English name)
        format (code) — day, overnight or online (the session's English name)
        share_registered (share 0–1) — the line's height
        registered (count) — registered (on hover)
        mayors_in_office (count) — in office (on hover)
    """
    styles = (("solid", "circle"), ("dot", "diamond"), ("dashdot", "square"))
    lines = []
    for number, (programme_id, part) in enumerate(df.groupby("programme_id", sort=False)):
        dash, symbol = styles[number % len(styles)]
        for cohort, color in (("newly_elected", BLUE), ("re_elected", ORANGE)):
            rows = part[part["cohort"] == cohort]
            if rows.empty:
                continue
            titles = [session_title(s, a, f) for s, a, f in zip(
                rows["session_title"], rows["audience"], rows["format"], strict=True)]
            n = group_size(rows["mayors_in_office"])
            lines.append(Scatter(
                name=group_name(f"{programme_id}: {COHORT_LABELS[cohort]}", n),
                opacity=FADED_OPACITY if is_small(n) else 1.0, x=rows["months_in"],
                y=rows["share_registered"], mode="lines+markers",
                line={"color": color, "dash": dash, "width": 3},
                marker={"size": 8, "symbol": symbol},
                customdata=rows[["registered", "mayors_in_office"]].assign(
                    session_title=titles, share=percents(rows["share_registered"])),
                hovertemplate="%{customdata[2]}, " + t("fig.months_in_hover", n="%{x}")
                              + ": %{customdata[3]} ("
                              + t("fig.of_mayors", part="%{customdata[0]}",
                                  whole="%{customdata[1]}")
                              + ")<extra>%{fullData.name}</extra>"))
    fig = _figure(lines, yaxis=_share_axis(df),
                  xaxis={"title": {"text": t("fig.months_in")}, "rangemode": "tozero"})
    return _finish(fig, t("fig.retention_side_by_side"))


def _share_line(part: pd.DataFrame, name: str, color: str, dash: str,
                symbol: str) -> go.Scatter:
    """One group's share registered per session, its n in the legend, 'n of m' on hover;
    faded when the group is small (is_small)."""
    n = group_size(part["mayors_in_office"])
    return Scatter(
        name=group_name(name, n), opacity=FADED_OPACITY if is_small(n) else 1.0,
        x=_session_axis(part), y=part["share_registered"], mode="lines+markers",
        line={"color": color, "dash": dash, "width": 3}, marker={"size": 8, "symbol": symbol},
        customdata=part[["registered", "mayors_in_office"]].assign(
            share=percents(part["share_registered"])),
        hovertemplate="%{x}: %{customdata[2]} ("
                      + t("fig.of_mayors", part="%{customdata[0]}", whole="%{customdata[1]}")
                      + ")<extra>%{fullData.name}</extra>")


def _share_axis(df: pd.DataFrame) -> ValueAxis:
    return value_axis(df, "share_registered", **percent_ticks(), range=[0, 1.02],
                      title={"text": t("fig.share_registered")})


def intro_path(df: pd.DataFrame) -> go.Figure:
    """After the intro sessions: do those who came keep coming?

    Needs df:
        path (code) — newly_elected_intro, newly_elected_no_intro or re_elected (one line each)
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        share_registered (share 0–1) — the line's height
        registered (count) — registered (on hover)
        mayors_in_office (count) — in office (on hover)
    """
    styles = {"newly_elected_intro": (BLUE, "solid", "circle"),
              "newly_elected_no_intro": (VERMILLION, "dot", "diamond"),
              "re_elected": (ORANGE, "dash", "square")}
    parts = {path: df[df["path"] == path] for path in styles}
    fig = _figure([_share_line(part, PATH_LABELS[path], *styles[path])
                   for path, part in parts.items() if not part.empty], yaxis=_share_axis(df))
    return _finish(fig, t("fig.intro_path"))


# --- Revenue ------------------------------------------------------------------------------

def _invoiced_bars(df: pd.DataFrame, x: list[str], incl_vat: bool, title: str) -> go.Figure:
    """Invoiced and not yet invoiced, stacked, ex or incl. VAT."""
    suffix = "incl_vat" if incl_vat else "ex_vat"
    vat_text = t("vat.incl" if incl_vat else "vat.ex")
    fig = _figure([
        Bar(name=t("fig.invoiced"), x=x, y=df[f"invoiced_{suffix}"], marker_color=BLUE,
            hovertemplate=_kroner_hover()),
        Bar(name=t("fig.not_invoiced"), x=x, y=df[f"outstanding_{suffix}"],
            marker_color=SKY, marker_pattern_shape="/", hovertemplate=_kroner_hover()),
    ])
    _set_layout(fig, barmode="stack",
                yaxis=value_axis(df, f"invoiced_{suffix}", f"outstanding_{suffix}",
                                 stacked=True,
                                 title={"text": t("fig.kroner_axis", vat=vat_text)},
                                 tickformat=",.0f"))
    return _finish(fig, f"{title} ({vat_text})")


def revenue_by_format(df: pd.DataFrame, incl_vat: bool = False) -> go.Figure:
    """Invoiced and not yet invoiced revenue per format, ex or incl. VAT.

    Needs df:
        format (code) — the bar
        registrations_price_unknown (count) — a bar with any is marked 'price unknown'
        invoiced_ex_vat (kr. ex VAT) — invoiced (read without incl_vat)
        outstanding_ex_vat (kr. ex VAT) — not yet invoiced (read without incl_vat)
        invoiced_incl_vat (kr. incl. VAT) — invoiced (read with incl_vat)
        outstanding_incl_vat (kr. incl. VAT) — not yet invoiced (read with incl_vat)
    """
    x = [FORMAT_LABELS[f] + (t("fig.price_unknown") if n else "")
         for f, n in zip(df["format"], df["registrations_price_unknown"], strict=True)]
    return _invoiced_bars(df, x, incl_vat, t("fig.revenue_by_format"))


def revenue_by_session(df: pd.DataFrame, incl_vat: bool = False) -> go.Figure:
    """Invoiced and not yet invoiced revenue per session, ex or incl. VAT.

    Needs df:
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        invoiced_ex_vat (kr. ex VAT) — invoiced (read without incl_vat)
        outstanding_ex_vat (kr. ex VAT) — not yet invoiced (read without incl_vat)
        invoiced_incl_vat (kr. incl. VAT) — invoiced (read with incl_vat)
        outstanding_incl_vat (kr. incl. VAT) — not yet invoiced (read with incl_vat)
    """
    return _invoiced_bars(df, _session_axis(df), incl_vat, t("fig.revenue_by_session"))


def cumulative_revenue(df: pd.DataFrame, incl_vat: bool = False) -> go.Figure:
    """Cumulative revenue booked and invoiced over time, ex or incl. VAT.

    Needs df:
        day (date) — the x axis
        booked_ex_vat (kr. ex VAT) — booked so far (read without incl_vat)
        invoiced_ex_vat (kr. ex VAT) — invoiced so far (read without incl_vat)
        booked_incl_vat (kr. incl. VAT) — booked so far (read with incl_vat)
        invoiced_incl_vat (kr. incl. VAT) — invoiced so far (read with incl_vat)
    """
    suffix = "incl_vat" if incl_vat else "ex_vat"
    vat_text = t("vat.incl" if incl_vat else "vat.ex")
    fig = _figure([
        Scatter(name=t("fig.booked"), x=df["day"], y=df[f"booked_{suffix}"],
                mode="lines", line={"shape": "hv", "color": ORANGE, "width": 3},
                hovertemplate=_kroner_hover().removeprefix("%{x}<br>")),
        Scatter(name=t("fig.invoiced"), x=df["day"], y=df[f"invoiced_{suffix}"],
                mode="lines", line={"shape": "hv", "color": BLUE, "width": 3,
                                       "dash": "dash"},
                hovertemplate=_kroner_hover().removeprefix("%{x}<br>")),
    ])
    _set_layout(fig, yaxis=value_axis(df, f"booked_{suffix}", f"invoiced_{suffix}",
                                      title={"text": t("fig.kroner_axis", vat=vat_text)},
                                      tickformat=",.0f"),
                xaxis=month_ticks(df["day"]), hovermode="x unified")
    return _finish(fig, t("fig.revenue_over_time", vat=vat_text))


# --- Geography ----------------------------------------------------------------------------

def _backdrop(origins: pd.DataFrame,
              boundaries: Mapping[int, denmark.Outline] | None) -> list[go.Scatter]:
    """The country under a map's points: every municipality as land, or without outlines,
    faint dots at all 98 town halls so Denmark's shape still shows."""
    land = denmark.land(boundaries or {})
    if land:
        return [land]
    x, y = denmark.project(origins["lon"], origins["lat"])
    return [Scatter(x=x.tolist(), y=y.tolist(), mode="markers",
                    marker={"size": 5, "color": GREY}, hoverinfo="skip",
                    name=t("fig.town_halls"), showlegend=False)]


def _points(frame: pd.DataFrame, **trace) -> go.Scatter:
    x, y = denmark.project(frame["lon"], frame["lat"])
    return Scatter(x=x.tolist(), y=y.tolist(), **trace)


def _map(traces: list, title: str, **layout) -> go.Figure:
    fig = _figure(traces, **denmark.layout(), **layout)
    return _finish(fig, title, height=560)


def session_venues_map(sessions: pd.DataFrame, origins: pd.DataFrame,
                       boundaries: Mapping[int, denmark.Outline] | None = None) -> go.Figure:
    """Where the physical sessions were held, each place labelled with its city; bubble area
    ~ participants.

    Needs sessions:
        lat (degrees) — venue latitude (empty: online, not drawn)
        lon (degrees) — venue longitude
        attended (count) — participants (the bubble's area)
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        venue (text) — venue name (on hover)
        city (text) — the venue's city (the label)
        venue_is_demo (yes/no) — marked as made up (on hover)

    Needs origins:
        lat (degrees) — town hall latitude (read without boundaries)
        lon (degrees) — town hall longitude (read without boundaries)
    """
    placed = sessions.dropna(subset=["lat"])
    size = 10 + placed["attended"].fillna(0) ** 0.5 * 5
    demo = t("fig.demo_venue")
    hover = [f"<b>{session_label(s, f)}</b><br>{v}<br>{demo + '<br>' if d else ''}"
             + tn("fig.participants", 0 if pd.isna(a) else int(a))
             for s, f, v, d, a in zip(placed["starts_at"], placed["format"], placed["venue"],
                                      placed["venue_is_demo"], placed["attended"], strict=True)]
    # One label per place, however many sessions it held.
    first = ~placed.duplicated(subset=["lat", "lon"]).to_numpy()
    labels = [c if keep else "" for c, keep in zip(placed["city"], first, strict=True)]
    x, y = denmark.project(placed["lon"], placed["lat"])
    return _map([
        *_backdrop(origins, boundaries),
        _points(placed, mode="markers+text", hovertext=hover, hoverinfo="text",
                name=t("fig.venue"), text=labels, cliponaxis=False,
                textposition=label_positions(x, y, first),
                textfont={"size": 12, "color": "#212529"},
                marker={"size": size, "color": VERMILLION, "opacity": 0.8,
                        "line": {"color": "white", "width": 1}}),
    ], t("fig.venues"))


def label_positions(x, y, labelled, near_km: float = 45.0) -> list[str]:
    """Above each point; where a labelled point within `near_km` (in the maps' km) already
    has its label above, below it for a neighbour beside it (Roskilde and København), or the
    two labels to the outer sides for a neighbour above or below it (Horsens and Aarhus)."""
    positions = ["top center"] * len(x)
    above: list[int] = []
    for i in sorted(range(len(x)), key=lambda i: x[i]):
        if not labelled[i]:
            continue
        near = [j for j in above if (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2 < near_km ** 2]
        if not near:
            above.append(i)
        elif abs(x[i] - x[near[0]]) >= abs(y[i] - y[near[0]]):
            positions[i] = "bottom center"
        else:
            positions[near[0]], positions[i] = "middle left", "middle right"
    return positions


def participant_origins_map(origins: pd.DataFrame,
                            boundaries: Mapping[int, denmark.Outline] | None = None
                            ) -> go.Figure:
    """Where participants came from: town halls sized by attendances at physical sessions.

    Needs origins:
        municipality (text) — the municipality (on hover)
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        attendances (count) — attendances at physical sessions (the marker's size)
    """
    came = origins[origins["attendances"] > 0]
    hover = [f"<b>{m}</b><br>" + tn("fig.attendances", int(a)) for m, a in
             zip(came["municipality"], came["attendances"], strict=True)]
    return _map([
        *_backdrop(origins, boundaries),
        _points(came, mode="markers", hovertext=hover, hoverinfo="text",
                name=t("fig.attendances_name"),
                marker={"size": 6 + came["attendances"] * 3, "color": BLUE, "opacity": 0.75,
                        "line": {"color": "white", "width": 0.5}}),
    ], t("fig.origins"), showlegend=False)


def travel_by_session(df: pd.DataFrame) -> go.Figure:
    """Average straight-line travel per participant at each physical session.

    Needs df:
        lat (degrees) — venue latitude (empty: online, not drawn)
        attended (count) — participants (sessions with none are not drawn)
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
        city (text) — venue city (the label's second line)
        avg_travel_km (km) — per participant (the bar)
        total_travel_km (km) — all participants (on hover)
    """
    placed = df.dropna(subset=["lat"])
    placed = placed[placed["attended"] > 0]
    x = [f"{session_label(s, f)}<br>{c}" for s, f, c in
         zip(placed["starts_at"], placed["format"], placed["city"], strict=True)]
    fig = _figure(Bar(
        x=x, y=placed["avg_travel_km"], marker_color=BLUE,
        text=[f"{formatting.number(v)} km" for v in placed["avg_travel_km"]],
        textposition="outside",
        customdata=placed[["total_travel_km", "attended"]],
        hovertemplate="%{x}<br>" + t("fig.travel_hover") + "<extra></extra>"))
    _set_layout(fig, yaxis=value_axis(placed, "avg_travel_km",
                                      title={"text": t("fig.travel_axis")}))
    return _finish(fig, t("fig.travel"))


def region_shares(df: pd.DataFrame) -> go.Figure:
    """Each region's share of the mayors against its share of attendances.

    Needs df:
        region (text) — the bar
        share_of_mayors (share 0–1) — its municipalities' share
        share_of_attendances (share 0–1) — its attendances' share
    """
    hover = "%{y}<br>%{fullData.name}: %{customdata}<extra></extra>"
    fig = _figure([
        Bar(name=t("fig.share_of_mayors"), y=df["region"], x=df["share_of_mayors"],
            orientation="h", marker_color=GREY, marker_pattern_shape="/",
            customdata=percents(df["share_of_mayors"]), hovertemplate=hover),
        Bar(name=t("fig.share_of_attendances"), y=df["region"],
            x=df["share_of_attendances"], orientation="h", marker_color=BLUE,
            customdata=percents(df["share_of_attendances"]), hovertemplate=hover),
    ])
    top = max(float(df["share_of_mayors"].max() or 0),
              float(df["share_of_attendances"].fillna(0).max() or 0), 0.05)
    step = 0.05 if top <= 0.3 else 0.1
    _set_layout(fig, barmode="group",
                xaxis=value_axis(df, "share_of_mayors", "share_of_attendances",
                                 **percent_ticks(-(-top // step) * step, step)),
                yaxis={"autorange": "reversed", "automargin": True})
    return _finish(fig, t("fig.regions"))


# --- Planning -----------------------------------------------------------------------------

def _curve_hover() -> str:
    return "%{fullData.name}: " + t("fig.hover_registered", n="%{y}") + "<extra></extra>"


def registration_curves(curves: pd.DataFrame, sessions: pd.DataFrame, target_id: str,
                        days_before: int | None = None) -> go.Figure:
    """Cumulative registrations by days before the session: the chosen one against earlier.

    Needs curves:
        session_id (id) — the session (one line each)
        days_before (days) — the x axis
        cumulative (count) — registrations so far

    Needs sessions:
        session_id (id) — every session in `curves`
        starts_at (timestamp, local time) — the session's start (its label)
        format (code) — its format (its label)
    """
    labels = session_labels(sessions)
    others = [s for s in dict.fromkeys(curves["session_id"]) if s != target_id]
    palette = [SKY, ORANGE, GREEN, PURPLE, YELLOW, GREY]
    traces = []
    for index, session_id in enumerate(others):
        part = curves[curves["session_id"] == session_id]
        traces.append(Scatter(
            x=part["days_before"], y=part["cumulative"], name=labels[session_id],
            mode="lines", line={"shape": "hv", "width": 1.5,
                                "color": palette[index % len(palette)], "dash": "dot"},
            hovertemplate=_curve_hover()))
    mine = curves[curves["session_id"] == target_id]
    traces.append(Scatter(
        x=mine["days_before"], y=mine["cumulative"],
        name=f"{labels[target_id]} {t('fig.selected')}",
        mode="lines+markers", line={"shape": "hv", "width": 4, "color": BLUE},
        hovertemplate=_curve_hover()))
    fig = _figure(traces)
    if days_before is not None and days_before >= 0:
        # A plain shape and annotation: fig.add_vline costs as much as the rest of the chart.
        _set_layout(
            fig,
            shapes=[{"type": "line", "x0": days_before, "x1": days_before, "y0": 0, "y1": 1,
                     "yref": "paper", "line": {"dash": "dash", "color": "#555"}}],
            annotations=[{"x": days_before, "y": 1, "yref": "paper", "text": t("fig.today"),
                          "showarrow": False, "yanchor": "bottom"}])
    _set_layout(fig, xaxis={"title": {"text": t("fig.days_before")}, "autorange": "reversed"},
                yaxis=value_axis(curves, "cumulative",
                                 title={"text": t("fig.registrations_cumulative")}),
                hovermode="x unified")
    return _finish(fig, t("fig.curves"))


def venue_map(ranked: pd.DataFrame, origins: pd.DataFrame,
              boundaries: Mapping[int, denmark.Outline] | None = None,
              placed: bool = False) -> go.Figure:
    """Candidate cities by average travel; the best one marked and labelled, participants'
    town halls. `placed`: `ranked` is the venue already placed, marked as such (no
    candidates).

    Needs ranked:
        city (text) — the candidate
        lat (degrees) — its latitude
        lon (degrees) — its longitude
        avg_km (km) — average travel to it (on hover)
        best (yes/no) — the best candidate (marked)

    Needs origins:
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        weight (weight) — participants it stands for (the marker's size)
    """
    best = ranked[ranked["best"]]
    rest = ranked[~ranked["best"]]
    which = "placed" if placed else "best"
    return _map([
        *([denmark.land(boundaries)] if boundaries else []),
        _points(origins, mode="markers",
                marker={"size": 4 + 4 * origins["weight"] ** 0.5, "color": GREY},
                name=t("fig.participants_town_halls"), hoverinfo="skip"),
        *([] if placed else [_points(
            rest, mode="markers", name=t("fig.candidate"),
            marker={"size": 14, "color": SKY, "line": {"color": "white", "width": 1}},
            hovertext=[f"<b>{c}</b><br>" + t("fig.km_average", km=formatting.number(a))
                       for c, a in zip(rest["city"], rest["avg_km"], strict=True)],
            hoverinfo="text")]),
        _points(best, mode="markers+text", name=t(f"fig.{which}"), cliponaxis=False,
                marker={"size": 24, "color": VERMILLION, "line": {"color": "white", "width": 1}},
                text=list(best["city"]), textposition="top center",
                textfont={"size": 13, "color": "#212529"},
                hovertext=[f"<b>{c}</b> – {t(f'fig.{which}_short')}<br>"
                           + t("fig.km_average", km=formatting.number(a))
                           for c, a in zip(best["city"], best["avg_km"], strict=True)],
                hoverinfo="text"),
    ], t("fig.placed_venue_map" if placed else "fig.venue_map"))
