""""Vis som tabel": every chart's data as a table, for screen readers and for reading numbers.

The table is the data behind the chart as its registry entry reads it for the XLSX/CSV
export (dashboard.charts: the same rows, nothing computed twice), shaped by the chart's
`table` (default: charts.default_table), built only when a reader turns the switch on.
Column headers (`col.<name>` in the catalogue) and values are in the reader's language, as
dashboard.columns declares them; the table takes the filters and switches the page shows, as
the downloads do (dashboard.downloads). A page's own chart outside the registry
(Planlægning's) registers how its table is made (PAGE_TABLES) and is asked the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from dash import (
    ALL,
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    no_update,
)
from dash.development.base_component import Component

from dashboard import charts, columns, url_state
from dashboard.components import shown_table, view_options
from dashboard.db import current_database
from dashboard.filter_bar import filters_in_force
from dashboard.first_view import PROGRAMME, by_id, key
from dashboard.ids import (
    AS_TABLE,
    GRAPH_BOX,
    LOCATION,
    PROGRAMME_SELECT,
    TABLE_ASK,
    TABLE_BOX,
    TABLE_CONTENT,
    VIEW_OPTION,
)


def table_frame(key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The rows chart `key`'s table shows: its registry entry's, or (a chart of a page's
    own, as Planlægning's) charts.default_table."""
    chart = charts.BY_KEY.get(key)
    return chart.table_frame(data) if chart is not None else charts.default_table(data)


def column_label(column: str) -> str:
    """A column's header (dashboard.columns.header)."""
    return columns.header(column)


def chart_table(key: str, data: pd.DataFrame, view: charts.View | None = None):
    """The data behind chart `key` as an accessible HTML table: as its downloads hold it
    (charts.Chart.shown_table: headers, words, VAT as the page shows it, a total row)."""
    chart = charts.BY_KEY.get(key)
    if chart is None:
        return shown_table(columns.shown(charts.default_table(data)), f"{key}-data-table")
    return shown_table(chart.shown_table(data, view or charts.View("")), f"{key}-data-table")


# The switch shows the graph or the table in the browser; the table is asked for (TABLE_ASK)
# only while it is shown, again when the programme, the address or the page's options
# change. Asked on every such change whatever the switch, each chart cost a request after
# every filter change, a round trip after the page's own (issue 22).
clientside_callback(ClientsideFunction("borgmester", "tableAsked"),
                    Output({"type": GRAPH_BOX, "chart": MATCH}, "hidden"),
                    Output({"type": TABLE_BOX, "chart": MATCH}, "hidden"),
                    Output({"type": TABLE_ASK, "chart": MATCH}, "data"),
                    Input({"type": AS_TABLE, "chart": MATCH}, "value"),
                    Input(PROGRAMME_SELECT, "value"), Input(LOCATION, "search"),
                    Input({"type": VIEW_OPTION, "name": ALL}, "data"),
                    State({"type": TABLE_ASK, "chart": MATCH}, "data"),
                    State({"type": AS_TABLE, "chart": MATCH}, "id"),
                    prevent_initial_call=True)


@callback(Output({"type": TABLE_CONTENT, "chart": MATCH}, "children"),
          Input({"type": TABLE_ASK, "chart": MATCH}, "data"),
          State(PROGRAMME_SELECT, "value"), State(LOCATION, "search"),
          State({"type": VIEW_OPTION, "name": ALL}, "data"),
          State({"type": VIEW_OPTION, "name": ALL}, "id"),
          State({"type": AS_TABLE, "chart": MATCH}, "id"), State(LOCATION, "pathname"),
          prevent_initial_call=True)
def show_as_table(_asked, programme_id, search, options, option_ids, switch_id,
                  pathname=None):
    """The table of the chart whose switch is on (TABLE_ASK), for the view the page shows."""
    if not programme_id:
        return no_update
    return _table_of(switch_id["chart"], programme_id, search, options, option_ids, pathname)


# A page's own chart (not in dashboard.charts, as Planlægning's) names how its table is made,
# `build(programme_id, search)`: from the programme and the address, as a registry chart's,
# so the one gate above asks for it too (only while it is shown, again when the address
# changes) and a link naming it in `tabel` opens on it (with_named_tables).
PAGE_TABLES: dict[str, Callable[[str, str | Mapping[str, Any] | None], Any]] = {}


def page_table(chart_key: str) -> Callable:
    """Register the decorated `build(programme_id, search)` as chart `chart_key`'s table."""
    def register(build: Callable) -> Callable:
        PAGE_TABLES[chart_key] = build
        return build
    return register


def _table_of(chart_key: str, programme_id: str, search: str | Mapping[str, Any] | None,
              options: list, option_ids: list, pathname: str | None):
    """Chart `chart_key`'s table for the view: a registry chart's or a page's own
    (PAGE_TABLES); no_update for a chart with neither."""
    chart = charts.BY_KEY.get(chart_key)
    if chart is not None:
        return _table(chart, programme_id, search, options, option_ids, pathname)
    build = PAGE_TABLES.get(chart_key)
    return build(programme_id, search) if build is not None else no_update


def _table(chart: charts.Chart, programme_id: str, search: str | Mapping[str, Any] | None,
           options: list, option_ids: list, pathname: str | None):
    """Chart `chart`'s table for the view the page shows: the filters its address names
    (dashboard.filter_bar) and its view options."""
    view = charts.View(programme_id, filters=filters_in_force(search, pathname),
                       **view_options(options, option_ids))
    if not chart.applies_to(view):
        return ""
    with current_database().cursor() as con:
        data = chart.data(con, view)
    return chart_table(chart.key, data, view)


def with_named_tables(layout: Callable[..., Component], pathname: str
                      ) -> Callable[..., Component]:
    """Page layout function `layout`, whose charts the address names in `tabel` come shown
    as their tables, the table made with the layout (as dashboard.first_view makes a page's
    first view): the callbacks above answer a reader's switch only, so a shared link with
    `tabel=` showed the chart. Every page's layout is wrapped so (dashboard.app)."""
    @functools.wraps(layout)
    def wrapped(**query: Any) -> Component:
        page = layout(**query)
        named = url_state.decode({k: v for k, v in query.items() if k != PROGRAMME})["tables"]
        programme_id = query.get(PROGRAMME)
        if not named or not programme_id:
            return page
        components = by_id(page)
        options = [(c.id, getattr(c, "data", None)) for c in components.values()
                   if isinstance(c.id, dict) and c.id.get("type") == VIEW_OPTION]
        search = {k: v for k, v in query.items() if k != PROGRAMME}
        for chart_key in named:
            switch = components.get(key({"type": AS_TABLE, "chart": chart_key}))
            if switch is None or (chart_key not in charts.BY_KEY
                                  and chart_key not in PAGE_TABLES):
                continue
            switch.value = True
            components[key({"type": GRAPH_BOX, "chart": chart_key})].hidden = True
            components[key({"type": TABLE_BOX, "chart": chart_key})].hidden = False
            components[key({"type": TABLE_CONTENT, "chart": chart_key})].children = _table_of(
                chart_key, programme_id, search, [v for _i, v in options],
                [i for i, _v in options], pathname)
        return page
    wrapped.named_tables = True
    return wrapped
