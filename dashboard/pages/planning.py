"""Planlægning: the next session for the moderator — turnout, meals, rooms, lists, venue."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import figures, formatting, planning, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import data_table, dropdown, graph, key_figure, section
from dashboard.db import current_database
from dashboard.session_plan import build_plan
from dashboard.xlsx import to_xlsx

dash.register_page(__name__, path="/planlaegning", name="Planlægning",
                   title="Planlægning – Borgmesterforløb", order=5)

SESSION_SELECT = "planning-session"
CARDS = "planning-cards"
METHOD = "planning-method"
CURVES = "planning-curves"
PARTICIPANTS = "planning-participants"
DOWNLOAD_BUTTON = "planning-download-button"
DOWNLOAD = "planning-download"
WAITING = "planning-waiting"
TO_CALL = "planning-to-call"
VENUE_TITLE = "planning-venue-title"
VENUE_MAP = "planning-venue-map"
VENUE_TABLE = "planning-venue-table"
HOSTING = "planning-hosting"

STATUS = figures.STATUS_LABELS


def _yes_no(value: object) -> str:
    return "ja" if value else "nej"


def layout(**_query):
    # The session list follows the programme picked in the shell (session_choices below).
    return html.Div([
        html.H1("Planlægning af næste session", className="h3"),
        html.Div([
            dbc.Label("Session", html_for=SESSION_SELECT),
            dropdown(SESSION_SELECT, options=[], value=None, clearable=False),
        ], className="mb-3", style={"maxWidth": "40rem"}),
        html.Div(id=CARDS),
        html.P(id=METHOD, className="text-body-secondary small"),
        graph(CURVES),
        dbc.Row([
            dbc.Col(section("Deltagerliste", html.Div([
                dbc.Button("Hent deltagerlisten som Excel", id=DOWNLOAD_BUTTON,
                           color="primary", outline=True, size="sm", className="mb-2"),
                dcc.Download(id=DOWNLOAD),
                html.Div(id=PARTICIPANTS),
                html.Div(id=WAITING),
            ])), lg=7),
            dbc.Col(section("Endnu ikke tilmeldt – ring til dem", html.Div(id=TO_CALL)), lg=5),
        ]),
        html.H2(id=VENUE_TITLE, className="h5 mt-4 mb-2"),
        dbc.Row([
            dbc.Col(graph(VENUE_MAP), lg=7),
            dbc.Col([html.Div(id=VENUE_TABLE),
                     section("Værtsregioner for de seneste sessioner", html.Div(id=HOSTING))],
                    lg=5),
        ]),
    ])


def _range(value: planning.Range) -> str:
    if value.low == value.high:
        return formatting.number(value.expected)
    return f"{value.expected} ({value.low}–{value.high})"


@callback(Output(SESSION_SELECT, "options"), Output(SESSION_SELECT, "value"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def session_choices(programme_id: str):
    """The programme's sessions, the next one picked (the last one once all are held)."""
    with current_database().cursor() as con:
        sessions = queries.planning_sessions(con, programme_id)
        as_of = queries.dataset_info(con).data_as_of
    if sessions.empty:
        return [], None
    upcoming = sessions[sessions["starts_at"].dt.date > as_of]
    default = upcoming.iloc[0] if len(upcoming) else sessions.iloc[-1]
    options = [{"label": f"{figures.session_label(r.starts_at, r.format)} – {r.title}"
                        + ("" if r.starts_at.date() > as_of else " (afholdt)"),
                "value": r.session_id} for r in sessions.itertuples()]
    return options, default["session_id"]


@callback(Output(CARDS, "children"), Output(METHOD, "children"), Output(CURVES, "figure"),
          Output(PARTICIPANTS, "children"), Output(WAITING, "children"),
          Output(TO_CALL, "children"), Output(VENUE_TITLE, "children"),
          Output(VENUE_MAP, "figure"), Output(VENUE_TABLE, "children"),
          Output(HOSTING, "children"), Input(SESSION_SELECT, "value"))
@cached_on_database
def show_plan(session_id: str | None):
    if not session_id:
        raise PreventUpdate
    with current_database().cursor() as con:
        plan = build_plan(con, session_id)
        sessions = plan["sessions"]
        same_format = sessions[(sessions["format"] == plan["target"]["format"])
                               & (sessions["starts_at"] <= plan["target"]["starts_at"])]
        curves = queries.registration_curves(con, list(same_format["session_id"])[-6:])
    forecast: planning.Forecast = plan["forecast"]
    held = forecast.is_held
    cards = [
        key_figure("Dage til sessionen" if not held else "Afholdt",
                   formatting.number(max(forecast.days_before, 0)) if not held else
                   formatting.short_date(plan["target"]["starts_at"]),
                   f"data pr. {formatting.short_date(plan['as_of'])}"),
        key_figure("Tilmeldt indtil nu", formatting.number(forecast.registered_so_far),
                   f"{forecast.registrations_so_far - forecast.registered_so_far} afmeldt",
                   value_id="planning-registered"),
        key_figure("Forventet tilmeldte", _range(forecast.registered), "forventet (spænd)",
                   value_id="planning-expected-registered"),
        key_figure("Forventet deltagere", _range(forecast.participants), "forventet (spænd)",
                   value_id="planning-expected-participants"),
    ]
    meals = ", ".join(f"{n} × {meal}" for meal, n in forecast.meals.items()) or "ingen"
    cards.append(key_figure("Måltider", meals, "pr. deltager: " + (
        ", ".join(planning.MEALS[forecast.format]) or "–"), value_id="planning-meals",
        size="fs-6"))
    if forecast.format == "overnight":
        cards.append(key_figure("Værelser", formatting.number(forecast.rooms),
                                "ét pr. deltager", value_id="planning-rooms"))
    participant_columns = {
        "municipality": ("Kommune", None), "mayor": ("Borgmester", None),
        "newly_elected": ("Nyvalgt", _yes_no),
        "registered_at": ("Tilmeldt", formatting.short_date),
        "status": ("Status", STATUS.get),
    }
    participants = data_table(plan["participants"], participant_columns,
                              table_id="planning-participant-table",
                              empty="Ingen tilmeldinger endnu.", max_height="32rem")
    capacity = plan["target"]["capacity"]
    capacity = None if pd.isna(capacity) else int(capacity)
    waiting = planning.waiting_list(plan["participants"], capacity)
    waiting_block = "" if not capacity else section(
        f"Venteliste (kapacitet {capacity})",
        data_table(waiting, participant_columns, empty="Ingen på venteliste."))
    to_call = data_table(plan["to_call"], {
        "municipality": ("Kommune", None), "mayor": ("Borgmester", None),
        "newly_elected": ("Nyvalgt", _yes_no),
        "status": ("Status", STATUS.get),
    }, table_id="planning-to-call-table", empty="Alle borgmestre er tilmeldt.",
        max_height="32rem")

    venue_session = plan["venue_session"]
    if venue_session is None:
        venue_title = "Mødested: ingen kommende fysisk session"
        venue_map = figures.empty_figure("Ingen fysisk session at planlægge.")
        venue_table = ""
    else:
        ranked = plan["ranked"]
        venue_title = ("Mødested for " + figures.session_label(
            venue_session["starts_at"], venue_session["format"])
            + f" (afstande fra {plan['origin_basis']})")
        venue_map = figures.venue_map(ranked, plan["origins"])
        venue_table = data_table(ranked, {
            "rank": ("#", str), "city": ("By", None),
            "region": ("Region", lambda r: r.removeprefix("Region ")),
            "avg_km": ("Gns. km", formatting.number),
            "total_km": ("Km i alt", formatting.number),
        }, table_id="planning-venue-ranking")
    hosting_table = data_table(plan["hosting"], {
        "starts_at": ("Dato", formatting.short_date), "city": ("By", None),
        "region": ("Region", lambda r: r.removeprefix("Region ")),
        "venue_is_demo": ("Demo-sted", _yes_no),
    })
    return (dbc.Row(cards), forecast.method,
            figures.registration_curves(curves, plan["sessions"], session_id,
                                        forecast.days_before),
            participants, waiting_block, to_call, venue_title, venue_map, venue_table,
            hosting_table)


@callback(Output(DOWNLOAD, "data"), Input(DOWNLOAD_BUTTON, "n_clicks"),
          State(SESSION_SELECT, "value"), prevent_initial_call=True)
def download_participants(_clicks: int, session_id: str):
    with current_database().cursor() as con:
        participants = queries.session_participants(con, session_id)
    workbook = to_xlsx(planning.participant_sheet(participants), "Deltagere")
    return dcc.send_bytes(workbook, f"deltagerliste-{session_id}.xlsx")


@warm_up
def _warm(programme_id: str) -> None:
    _options, session_id = session_choices(programme_id)
    if session_id:
        show_plan(session_id)
