"""Geografi: where sessions were held, where participants came from, how far they travelled."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import figures, formatting, queries
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    chart_outputs,
    chart_values,
    data_table,
    empty_chart,
    graph,
    section,
    table_export_menu,
)
from dashboard.db import read_in_parallel
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT

dash.register_page(__name__, path="/geografi", name="Geografi", name_key="page.geography",
                   title=page_title("page.geography"), order=4)

VENUES = "geography-venues"
ORIGINS = "geography-origins"
TRAVEL = "geography-travel"
REGIONS = "geography-regions"
TABLE = "geography-table"


def layout(**_query):
    return html.Div([
        html.H1(t("geography.heading"), className="h3"),
        dbc.Row([dbc.Col(graph(VENUES), lg=6), dbc.Col(graph(ORIGINS), lg=6)]),
        dbc.Row([dbc.Col(graph(TRAVEL), lg=7), dbc.Col(graph(REGIONS), lg=5)]),
        section(t("geography.table"), table_export_menu("geography-table"),
                html.Div(id=TABLE)),
    ])


def _text_or_dash(value) -> str:
    return value if isinstance(value, str) else "–"


@callback(*chart_outputs(VENUES), *chart_outputs(ORIGINS), *chart_outputs(TRAVEL),
          *chart_outputs(REGIONS), Output(TABLE, "children"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def show_geography(programme_id: str | None):
    if not programme_id:
        empty = empty_chart(t("fig.no_data"))
        return *empty, *empty, *empty, *empty, ""
    sessions, origins, regions = read_in_parallel(
        lambda con: queries.session_geography(con, programme_id),
        lambda con: queries.participant_origins(con, programme_id),
        lambda con: queries.participation_by_region(con, programme_id))
    table = data_table(sessions, {
        "starts_at": (t("col.date"), formatting.short_date),
        "format": (t("col.format"), figures.FORMAT_LABELS.get),
        "venue": (t("col.venue"), _text_or_dash),
        "city": (t("col.city"), _text_or_dash),
        "attended": (t("col.attended"), formatting.number),
        "avg_travel_km": (t("col.avg_travel_km"),
                          lambda v: formatting.number(v) if v == v else "–"),
        "total_travel_km": (t("col.total_travel_km"), formatting.number),
    }, table_id="geography-session-table")
    return (*chart_values(VENUES, figures.session_venues_map(sessions, origins), sessions),
            *chart_values(ORIGINS, figures.participant_origins_map(origins), origins),
            *chart_values(TRAVEL, figures.travel_by_session(sessions), sessions),
            *chart_values(REGIONS, figures.region_shares(regions), regions), table)


@warm_up
def _warm(programme_id: str) -> None:
    show_geography(programme_id)
