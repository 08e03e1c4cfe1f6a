"""Small building blocks shared by the pages: an accessible graph (finding as its heading,
a hidden summary, "Vis som tabel"), tables, cards. Text from the catalogue (dashboard.i18n)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, dcc, html

from dashboard import charts, columns, formatting, ids, queries
from dashboard.db import current_database
from dashboard.figures import (
    cells_for_screen,
    empty_figure,
    heads_in_strip,
    margins_for_screen,
    watermark,
)
from dashboard.html_table import HtmlTable, Link, table_html
from dashboard.i18n import language, t

# A session's and a municipality's own page (declared with the table columns that lead there).
municipality_href = columns.municipality_href
session_href = columns.session_href

# No camera button: plotly's own image is the page's chart as drawn, untitled (the title sits
# in the page), named plot-image.png, without source, filters or the DEMODATA mark; the
# Eksportér menu beside each chart gives the chart laid out for print (dashboard.export).
_BASE_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
}
GRAPH_CONFIG = {**_BASE_CONFIG, **formatting.plotly_locale("da")}


def graph_config() -> dict:
    """plotly's config in the reader's language (plotly.js speaks English by itself)."""
    return GRAPH_CONFIG if language() == "da" else {**_BASE_CONFIG, "locale": "en"}


def select(component_id: str | dict, **kwargs: Any) -> dbc.Select:
    """A native <select>: a keyboard, a phone and a screen reader all know it. (Dash 4's
    dcc.Dropdown puts a focusable input under aria-hidden, which axe rates serious.)"""
    return dbc.Select(id=component_id, **kwargs)


EXPORT_FORMATS = ("png", "svg", "pdf", "xlsx", "csv")



def graph(component_id: str, **kwargs: Any) -> html.Div:
    """A chart a screen reader and a keyboard can use: its finding as a heading (filled by the
    page's callback into `<id>-finding`), a visually hidden summary (`<id>-summary`), a
    "Vis som tabel" switch showing the same data as a table, and an export menu when it is
    one of the dashboard's named charts (dashboard.charts)."""
    finding, summary = f"{component_id}-finding", f"{component_id}-summary"
    title = f"{component_id}-title"
    chart = dcc.Loading(dcc.Graph(id=component_id, config=graph_config(), **kwargs),
                        type="default", delay_show=300)
    tools = [dbc.Switch(id={"type": ids.AS_TABLE, "chart": component_id}, value=False,
                        label=t("chart.as_table"), className="mb-0 me-3")]
    if component_id in charts.BY_KEY:
        tools.append(dbc.DropdownMenu(
            [dbc.DropdownMenuItem(t(f"export.{fmt}"),
                                  id={"type": ids.CHART_EXPORT, "chart": component_id,
                                      "format": fmt})
             for fmt in EXPORT_FORMATS],
            label=t("export.menu"), size="sm", color="secondary",
            id=f"{component_id}-export-menu"))
    box = html.Div(chart, id={"type": ids.GRAPH_BOX, "chart": component_id}, role="figure",
                   **{"aria-labelledby": f"{finding} {title}", "aria-describedby": summary})
    if _sticky_heads(component_id):
        # The columns' headings in a strip above the figure's box, outside it: the box scrolls
        # sideways on a phone, and a sticky element inside a scrolling box sticks to that box,
        # not to the window. The frame is the strip's extent: it stays while the figure is in
        # sight (assets/a11y.css; assets/column-heads.js fills it). Hidden from screen
        # readers: it repeats the axis, and "Vis som tabel" is their way to the numbers.
        box = html.Div([html.Div(className="column-heads", **{"aria-hidden": "true"}), box],
                       className="column-heads-frame")
    return html.Div([
        html.H2(id=finding, className="h6 fw-semibold mb-1 chart-finding"),
        html.Div([html.P(id=title, className="small text-body-secondary mb-1 me-auto"),
                  *tools], className="d-flex align-items-center flex-wrap gap-1"),
        box,
        html.P(id=summary, className="visually-hidden"),
        # Filled on demand (dashboard.chart_tables), a page's own chart's too.
        html.Div([html.Div(id={"type": ids.TABLE_CONTENT, "chart": component_id}),
                  dcc.Store(id={"type": ids.TABLE_ASK, "chart": component_id})],
                 id={"type": ids.TABLE_BOX, "chart": component_id}, hidden=True),
    ], className="mb-4 chart")


def _sticky_heads(component_id: str) -> bool:
    chart = charts.BY_KEY.get(component_id)
    return chart is not None and chart.sticky_heads


def chart_outputs(component_id: str) -> list[Output]:
    """A page callback's outputs for one chart: the figure, its finding, what it shows, and
    its summary."""
    return [Output(component_id, "figure"), Output(f"{component_id}-finding", "children"),
            Output(f"{component_id}-title", "children"),
            Output(f"{component_id}-summary", "children")]


def demo_loaded() -> bool:
    """Whether the database the pages read holds demo data (dataset_info.is_demo)."""
    with current_database().cursor() as con:
        return queries.dataset_info(con).is_demo


def chart_values(component_id: str, figure, data: pd.DataFrame,
                 finding: str | None = None, demo: bool | None = None) -> tuple:
    """What `chart_outputs` expects. The figure's own title (kept for the exports) moves into
    the page, where it wraps on a phone instead of being cut off. Every chart a page shows
    passes here, so here a chart drawn from demo data gets its watermark (figures.watermark;
    `demo` None: look it up), and a chart with sticky headings leaves them to the strip
    above it (figures.heads_in_strip), heatmaps are drawn the quick way
    (figures.cells_for_screen), and the margins are given the room the labels are estimated
    to take, so plotly.js draws the figure once, not twice (figures.margins_for_screen; after
    the others, which change what is drawn round the plot). Exports mark demo data their own
    way (export.for_print) and keep the headings, the gaps and plotly's own margins."""
    if finding is None:
        finding = charts.BY_KEY[component_id].finding(data)
    if demo if demo is not None else demo_loaded():
        watermark(figure)
    if _sticky_heads(component_id):
        heads_in_strip(figure)
    cells_for_screen(figure)
    margins_for_screen(figure)
    title = figure.layout.title.text or ""
    figure.layout.title = {"text": ""}  # assigned: update_layout() costs 3 ms
    return figure, finding, title, charts.description(component_id, data)


def empty_chart(message: str) -> tuple:
    """`chart_outputs` values when there is nothing to draw."""
    return empty_figure(message), message, "", message


# A page callback's charts, from the registry: `outputs_for(charts)` goes into the callback's
# output dict (Dash's flexible callback signature), and the callback returns, under the same
# name, `values_for(reading.draw())` or `empty_for(charts, message)`. So a chart added to the
# registry is in its page's callback without a position to count.

def outputs_for(selected: Iterable[charts.Chart]) -> dict[str, list[Output]]:
    """{chart key: its chart_outputs}, in the order given."""
    return {chart.key: chart_outputs(chart.key) for chart in selected}


def values_for(drawn: dict[str, charts.Drawn]) -> dict[str, tuple]:
    """What `outputs_for` expects, from charts.Reading.draw()."""
    demo = demo_loaded()  # once for the page's charts
    return {key: chart_values(key, d.figure, d.data, d.finding, demo)
            for key, d in drawn.items()}


def empty_for(selected: Iterable[charts.Chart], message: str) -> dict[str, tuple]:
    """What `outputs_for` expects when there is nothing to draw: `message` in every chart."""
    return {chart.key: empty_chart(message) for chart in selected}


def view_option(name: str) -> dict:
    """The id of a page's store for View field `name` (dashboard.ids.VIEW_OPTION)."""
    if name not in charts.PAGE_OPTIONS:
        raise KeyError(f"{name} is not a View field a page sets "
                       f"({', '.join(charts.PAGE_OPTIONS)})")
    return {"type": ids.VIEW_OPTION, "name": name}


def view_options(values: list | None, option_ids: list | None) -> dict:
    """A page's view options ({"type": VIEW_OPTION, "name": field} stores, matched by ALL) as
    View fields: {"other_programme": "LKS2022"} on Fastholdelse, {"incl_vat": True} on
    Økonomi with VAT included, {} elsewhere."""
    return {i["name"]: v for i, v in zip(option_ids or [], values or [], strict=True)
            if v is not None or i["name"] == "other_programme"}


class ChartGrid:
    """A page layout's charts, from the registry (dashboard.charts).

    `place(*keys)` lays out the named charts where the page wants them (side by side while
    their widths fill a row of 12, a full-width one alone), `rest()` every chart of the page
    not placed yet, in registry order: a chart added to the registry shows up on its page
    without an edit to the page. Placing a chart twice, or one of another page, raises
    KeyError.
    """

    def __init__(self, page: str):
        self.page = page
        self._left = {chart.key: chart for chart in charts.on(page, needs=None)}

    def place(self, *keys: str, beside: Any = None, className: str | None = None) -> list:
        """The charts `keys`, and `beside` (a dbc.Col) in the row of the last of them."""
        return _rows([self._left.pop(key) for key in keys], beside, className)

    def rest(self, className: str | None = None) -> list:
        """Every chart of the page not placed yet."""
        left, self._left = list(self._left.values()), {}
        return _rows(left, None, className)


def _rows(placed: list[charts.Chart], beside: Any, className: str | None) -> list:
    rows, row, used = [], [], 0

    def close():
        if row:
            rows.append(dbc.Row(list(row), **({"className": className} if className else {})))
            row.clear()

    for chart in placed:
        if chart.width == 12 and beside is None:
            close()
            used = 0
            rows.append(graph(chart.key))
            continue
        if used + chart.width > 12:
            close()
            used = 0
        row.append(dbc.Col(graph(chart.key), lg=chart.width))
        used += chart.width
    if beside is not None:
        row.append(beside)
    close()
    return rows


def is_number_column(series: pd.Series) -> bool:
    """A column of numbers (counts, kroner, km, shares), which a table aligns right so its
    digits line up; yes/no columns are not numbers."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def linked(names: Iterable[str], hrefs: Iterable[str]) -> list[tuple[str, str]]:
    """A column of (text, address) pairs for data_table's `link` formatter."""
    return list(zip(names, hrefs, strict=True))


def link(pair: tuple[str, str]) -> Link:
    """data_table formatter for a `linked` column: the text as a link to its address."""
    text, href = pair
    return Link(text, href)


def session_dates(sessions: pd.DataFrame) -> list[tuple[str, str]]:
    """A `linked` column of session dates ('5. dec. 2022') leading to each session's page,
    from a frame with session_id and starts_at."""
    from dashboard.formatting import short_date

    return linked([short_date(s) for s in sessions["starts_at"]],
                  [session_href(s) for s in sessions["session_id"]])


def municipality_link(codes: Mapping[str, int]) -> Callable[[str], Link | str]:
    """data_table formatter for a column of municipality names: each a link to its page
    (`codes`: queries.municipality_codes); a name not among them stays plain text."""
    def formatter(name: str) -> Link | str:
        code = codes.get(name)
        return name if code is None else Link(name, municipality_href(code))
    return formatter


def data_table(df: pd.DataFrame, columns: dict[str, tuple[str, Callable[[Any], Any] | None]],
               table_id: str | None = None, empty: str | None = None,
               max_height: str | None = None, total: bool = False) -> HtmlTable | html.P:
    """An accessible HTML table: {column: (Danish header, formatter or None)}; a formatter
    returns the cell's text, or a Link (dashboard.html_table) to a page of the app.

    The whole table is one component (dashboard.html_table: its markup written on the server,
    every value escaped), not a component per cell, which cost the browser most of a page
    switch (issue 22). With `max_height` the table scrolls inside its box (a long list stays
    in its column), its column headings staying in sight (assets/a11y.css: a sticky header).
    Numbers are aligned right. `total`: the last row is a total row, whose cells without a
    value are blank (nothing there is added up), not the "–" of a value not known yet.
    """
    if df.empty:
        return html.P(empty or t("table.none"), className="text-body-secondary",
                      id=table_id or "")
    # Numbers right-aligned, header and cells alike, so digits line up.
    aligns = ["text-end" if is_number_column(df[col]) else None for col in columns]
    # Column by column: formatting whole columns is several times faster than iterrows.
    cells = [[fmt(v) if fmt else str(v) for v in df[col].tolist()]
             for col, (_, fmt) in columns.items()]
    if total:
        for column, texts in zip(columns, cells, strict=True):
            if _no_value(df[column].iloc[-1]):
                texts[-1] = ""
    markup = table_html([label for label, _ in columns.values()], aligns,
                        zip(*cells, strict=True))
    style = {"maxHeight": max_height, "overflowY": "auto"} if max_height else None
    # One box scrolls both ways (wide on a phone, long with `max_height`); it takes focus so
    # a keyboard can scroll it too.
    return HtmlTable(markup, id=table_id, className="table-responsive", style=style,
                     tabIndex=0)


def _no_value(value: Any) -> bool:
    """A cell with nothing in it; a linked cell is (value, address)."""
    if isinstance(value, tuple):
        value = value[0]
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def shown_table(table: columns.ShownTable, table_id: str | None = None,
                empty: str | None = None, max_height: str | None = "28rem"
                ) -> HtmlTable | html.P:
    """A table as shown (dashboard.columns) as an accessible HTML table: its headers, each
    column read by its kind, a column that leads somewhere (table.links) as links, the total
    row in bold (the same rows its download holds)."""
    frame = table.frame
    if table.links:
        frame = frame.assign(**{key: list(zip(frame[key], hrefs, strict=True))
                                for key, hrefs in table.links.items()})
    cells = {key: (table.headers[key],
                   _linking(columns.text_of(kind)) if key in table.links
                   else columns.text_of(kind))
             for key, kind in table.kinds.items()}
    shown = data_table(frame, cells, table_id=table_id, empty=empty,
                       max_height=max_height, total=table.has_total)
    if table.has_total:
        shown.className += " has-total"
    return shown


def _linking(text: Callable[[Any], str]) -> Callable[[tuple], Link | str]:
    """A formatter for (value, address) pairs: the value's text, as a link where it has an
    address."""
    def formatter(pair: tuple) -> Link | str:
        value, href = pair
        return text(value) if href is None else Link(text(value), href)
    return formatter


def key_figure(label: str, value: str, note: str = "", value_id: str | None = None,
               size: str = "fs-3") -> dbc.Col:
    value_props = {"id": value_id} if value_id else {}
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-body-secondary small"),
        html.Div(value, className=f"{size} fw-semibold", **value_props),
        html.Div(note, className="small text-body-secondary"),
    ]), className="h-100"), md=4, lg=3, className="mb-3")


def table_export_menu(table_key: str) -> dbc.DropdownMenu:
    """'Hent tabel' for one of the named page tables (see dashboard.charts.TABLES)."""
    return dbc.DropdownMenu(
        [dbc.DropdownMenuItem(t(f"table.{fmt}"), id={"type": ids.TABLE_EXPORT, "table": table_key,
                                                      "format": fmt})
         for fmt in ("xlsx", "csv")],
        label=t("table.menu"), size="sm", color="secondary", className="mb-2",
        id=f"{table_key}-export-menu")


def section(title: str, *children: Any) -> html.Section:
    return html.Section([html.H2(title, className="h5 mt-4 mb-2"), *children])
