"""Small building blocks shared by the pages: a Danish-speaking graph, tables, cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

# plotly.js's own "da" locale has no number separators and config={"locale": "da"} alone
# silently stays English offline, so the locale is passed inline (no CDN, no extra asset).
DANISH_LOCALE = {
    "moduleType": "locale",
    "name": "da",
    "dictionary": {
        "Download plot as a png": "Hent grafen som PNG",
        "Download plot": "Hent grafen",
        "Zoom": "Zoom", "Pan": "Panorer", "Reset axes": "Nulstil akser",
        "Zoom in": "Zoom ind", "Zoom out": "Zoom ud", "Autoscale": "Autoskaler",
        "Reset view": "Nulstil visning", "Box Select": "Vælg med boks",
        "Lasso Select": "Vælg med lasso",
    },
    "format": {
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                   "september", "oktober", "november", "december"],
        "shortMonths": ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.",
                        "sep.", "okt.", "nov.", "dec."],
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
    },
}

# Dash 4's dropdown speaks English unless told otherwise.
DROPDOWN_LABELS = {
    "select_all": "Vælg alle", "deselect_all": "Fravælg alle",
    "selected_count": "{num_selected} valgt", "search": "Søg",
    "clear_search": "Ryd søgning", "clear_selection": "Ryd valg",
    "no_options_found": "Ingen valgmuligheder",
}

GRAPH_CONFIG = {
    "locale": "da",
    "locales": {"da": DANISH_LOCALE},
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 3},
}


def dropdown(component_id: str, **kwargs: Any) -> dcc.Dropdown:
    return dcc.Dropdown(id=component_id, labels=DROPDOWN_LABELS, **kwargs)


EXPORT_FORMATS = (("png", "PNG (billede)"), ("svg", "SVG (vektor)"), ("pdf", "PDF"),
                  ("xlsx", "Data som Excel"), ("csv", "Data som CSV"))


def graph(component_id: str, **kwargs: Any) -> html.Div:
    """A chart, with an export menu when it is one of the dashboard's named charts."""
    from dashboard.charts import BY_KEY

    chart = dcc.Loading(dcc.Graph(id=component_id, config=GRAPH_CONFIG, **kwargs),
                        type="default", delay_show=300)
    if component_id not in BY_KEY:
        return html.Div(chart)
    menu = dbc.DropdownMenu(
        [dbc.DropdownMenuItem(label, id={"type": "chart-export", "chart": component_id,
                                         "format": fmt})
         for fmt, label in EXPORT_FORMATS],
        label="Eksportér", size="sm", color="secondary", className="d-flex justify-content-end",
        id=f"{component_id}-export-menu")
    return html.Div([menu, chart], className="mb-3")


def data_table(df: pd.DataFrame, columns: dict[str, tuple[str, Callable[[Any], str] | None]],
               table_id: str | None = None, empty: str = "Ingen.",
               max_height: str | None = None) -> html.Div:
    """An accessible HTML table: {column: (Danish header, formatter or None)}.

    With `max_height` the table scrolls inside its box (a long list stays in its column).
    """
    if df.empty:
        return html.P(empty, className="text-body-secondary", id=table_id or "")
    header = html.Thead(html.Tr([html.Th(label, scope="col") for label, _ in columns.values()]))
    # Column by column: formatting whole columns is several times faster than iterrows.
    cells = [[fmt(v) if fmt else str(v) for v in df[col].tolist()]
             for col, (_, fmt) in columns.items()]
    rows = zip(*cells, strict=True)
    body = html.Tbody([html.Tr([html.Td(value) for value in row]) for row in rows])
    table = dbc.Table([header, body], striped=True, hover=True, size="sm",
                      className="mb-0", responsive=True)
    style = {"maxHeight": max_height, "overflowY": "auto"} if max_height else None
    props = {"id": table_id} if table_id else {}
    return html.Div(table, style=style, tabIndex=0 if max_height else None, **props)


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
        [dbc.DropdownMenuItem(label, id={"type": "table-export", "table": table_key,
                                         "format": fmt})
         for fmt, label in (("xlsx", "Excel (XLSX)"), ("csv", "CSV"))],
        label="Hent tabel", size="sm", color="secondary", className="mb-2",
        id=f"{table_key}-export-menu")


def section(title: str, *children: Any) -> html.Section:
    return html.Section([html.H2(title, className="h5 mt-4 mb-2"), *children])
