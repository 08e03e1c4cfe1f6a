"""Overblik: the programme's key figures at a glance, and turnout per session."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, html

from dashboard import figures, formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import graph, key_figure
from dashboard.db import current_database

dash.register_page(__name__, path="/", name="Overblik", title="Overblik – Borgmesterforløb",
                   order=0)

KEY_FIGURES = "overview-key-figures"
TURNOUT = "overview-turnout"

layout = html.Div([
    html.Div([
        html.H1("Overblik", className="h3 me-auto"),
        dbc.Button("Rapport som PDF", id="report-pdf", color="primary", size="sm",
                   className="me-2"),
        dbc.Button("Rapport som PowerPoint", id="report-pptx", color="primary", size="sm",
                   outline=True),
    ], className="d-flex align-items-center"),
    html.Div(id=KEY_FIGURES),
    graph(TURNOUT),
])


def session_line(row: pd.Series | None) -> str:
    if row is None:
        return "–"
    return f"{formatting.short_date(row['starts_at'])}: {row['title']}"


@callback(Output(KEY_FIGURES, "children"), Output(TURNOUT, "figure"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def show_overview(programme_id: str | None):
    if not programme_id:
        return dbc.Alert("Der er ingen forløb i databasen.", color="info"), \
            figures.empty_figure("Ingen data")
    with current_database().cursor() as con:
        key = queries.key_figures(con, programme_id)
        as_of = queries.dataset_info(con).data_as_of
        sessions = queries.sessions(con, programme_id)
        turnout = queries.session_turnout(con, programme_id)
    held = sessions[sessions["starts_at"].dt.date <= as_of]
    upcoming = sessions[sessions["starts_at"].dt.date > as_of]
    revenue_note = (f"{key.registrations_price_unknown} tilmeldinger uden kendt pris "
                    "tæller som 0 kr." if key.registrations_price_unknown else "")
    cards = dbc.Row([
        key_figure("Kommuner med deltagelse",
                   f"{key.municipalities_reached} af {key.municipalities_total}",
                   formatting.percent(key.municipalities_share), value_id="kf-municipalities"),
        key_figure("Borgmestre med deltagelse", formatting.number(key.mayors_reached),
                   value_id="kf-mayors"),
        key_figure("Tilmeldinger", formatting.number(key.registrations),
                   "afmeldinger ikke medregnet", value_id="kf-registrations"),
        key_figure("Fremmøde", formatting.percent(key.attendance_rate),
                   "af tilmeldte til afholdte sessioner", value_id="kf-attendance"),
        key_figure("Omsætning ekskl. moms", formatting.kroner(key.revenue_ex_vat),
                   revenue_note, value_id="kf-revenue"),
        key_figure("Seneste session", session_line(held.iloc[-1] if len(held) else None),
                   size="fs-5"),
        key_figure("Næste session", session_line(upcoming.iloc[0] if len(upcoming) else None),
                   size="fs-5"),
    ])
    return cards, figures.turnout_by_session(turnout)


@warm_up
def _warm(programme_id: str) -> None:
    show_overview(programme_id)
