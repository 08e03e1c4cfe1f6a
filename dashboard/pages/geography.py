"""Geografi: where sessions were held, where participants came from, how far they travelled."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import figures, formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import data_table, graph, section, table_export_menu
from dashboard.db import current_database

dash.register_page(__name__, path="/geografi", name="Geografi",
                   title="Geografi – Borgmesterforløb", order=4)

VENUES = "geography-venues"
ORIGINS = "geography-origins"
TRAVEL = "geography-travel"
REGIONS = "geography-regions"
TABLE = "geography-table"

layout = html.Div([
    html.H1("Sessionerne i landet", className="h3"),
    dbc.Row([dbc.Col(graph(VENUES), lg=6), dbc.Col(graph(ORIGINS), lg=6)]),
    dbc.Row([dbc.Col(graph(TRAVEL), lg=7), dbc.Col(graph(REGIONS), lg=5)]),
    section("Sessioner og rejseafstand", table_export_menu("geography-table"),
            html.Div(id=TABLE)),
])


@callback(Output(VENUES, "figure"), Output(ORIGINS, "figure"), Output(TRAVEL, "figure"),
          Output(REGIONS, "figure"), Output(TABLE, "children"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def show_geography(programme_id: str | None):
    if not programme_id:
        empty = figures.empty_figure("Ingen data")
        return empty, empty, empty, empty, ""
    with current_database().cursor() as con:
        sessions = queries.session_geography(con, programme_id)
        origins = queries.participant_origins(con, programme_id)
        regions = queries.participation_by_region(con, programme_id)
    table = data_table(sessions, {
        "starts_at": ("Dato", formatting.short_date),
        "format": ("Type", figures.FORMAT_LABELS.get),
        "venue": ("Sted", lambda v: v if isinstance(v, str) else "–"),
        "city": ("By", lambda v: v if isinstance(v, str) else "–"),
        "attended": ("Deltagere", formatting.number),
        "avg_travel_km": ("Gns. km", lambda v: formatting.number(v) if v == v else "–"),
        "total_travel_km": ("Km i alt", formatting.number),
    }, table_id="geography-session-table")
    return (figures.session_venues_map(sessions, origins),
            figures.participant_origins_map(origins), figures.travel_by_session(sessions),
            figures.region_shares(regions), table)


@warm_up
def _warm(programme_id: str) -> None:
    show_geography(programme_id)
