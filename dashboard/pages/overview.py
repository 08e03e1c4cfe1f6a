"""Overblik: the programme's key figures at a glance."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, html

from dashboard import formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.db import current_database

dash.register_page(__name__, path="/", name="Overblik", title="Overblik – Borgmesterforløb",
                   order=0)

KEY_FIGURES = "overview-key-figures"

layout = html.Div([
    html.H1("Overblik", className="h3"),
    html.Div(id=KEY_FIGURES),
])


def figure_card(label: str, value: str, note: str = "", size: str = "fs-3") -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-body-secondary small"),
        html.Div(value, className=f"{size} fw-semibold"),
        html.Div(note, className="small text-body-secondary"),
    ])), md=4, lg=3, className="mb-3")


def session_line(row: pd.Series | None) -> str:
    if row is None:
        return "–"
    return f"{formatting.short_date(row['starts_at'])}: {row['title']}"


@callback(Output(KEY_FIGURES, "children"), Input(PROGRAMME_SELECT, "value"))
def show_key_figures(programme_id: str | None):
    if not programme_id:
        return dbc.Alert("Der er ingen forløb i databasen.", color="info")
    with current_database().cursor() as con:
        figures = queries.key_figures(con, programme_id)
        as_of = queries.dataset_info(con).data_as_of
        sessions = queries.sessions(con, programme_id)
    held = sessions[sessions["starts_at"].dt.date <= as_of]
    upcoming = sessions[sessions["starts_at"].dt.date > as_of]
    revenue_note = (f"{figures.registrations_price_unknown} tilmeldinger uden kendt pris "
                    "tæller som 0 kr." if figures.registrations_price_unknown else "")
    return dbc.Row([
        figure_card("Kommuner med deltagelse",
                    f"{figures.municipalities_reached} af {figures.municipalities_total}",
                    formatting.percent(figures.municipalities_share)),
        figure_card("Borgmestre med deltagelse", formatting.number(figures.mayors_reached)),
        figure_card("Tilmeldinger", formatting.number(figures.registrations),
                    "afmeldinger ikke medregnet"),
        figure_card("Fremmøde", formatting.percent(figures.attendance_rate),
                    "af tilmeldte til afholdte sessioner"),
        figure_card("Omsætning ekskl. moms", formatting.kroner(figures.revenue_ex_vat),
                    revenue_note),
        figure_card("Seneste session", session_line(held.iloc[-1] if len(held) else None),
                    size="fs-5"),
        figure_card("Næste session", session_line(upcoming.iloc[0] if len(upcoming) else None),
                    size="fs-5"),
    ])
