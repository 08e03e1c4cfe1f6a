"""Overblik: the programme's key figures at a glance, and turnout per session."""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import (
    ClientsideFunction,
    Input,
    Output,
    callback,
    clientside_callback,
    html,
    no_update,
)

from dashboard import charts, formatting, queries, view_filters
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    ChartGrid,
    key_figure,
    outputs_for,
    session_href,
    values_for,
)
from dashboard.figures import session_title
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t, tn
from dashboard.ids import (
    NAVIGATE,
    PROGRAMME_SELECT,
    REPORT_PDF,
    REPORT_PPTX,
    REPORT_STATUS,
    SESSION_CLICKED,
)
from dashboard.today import held_mask, pages_today

dash.register_page(__name__, path="/", name="Overblik", name_key="page.overview",
                   title=page_title("page.overview"), order=0)

PAGE = "Overblik"
CHARTS = charts.on(PAGE)
KEY_FIGURES = "overview-key-figures"
TURNOUT = "overview-turnout"  # registered and attended per session: a click opens the session


def layout(**query):
    return fill(html.Div([
        html.Div([
            html.H1(t("page.overview"), className="h3 me-auto"),
            html.Div([
                dbc.Button(t("overview.report_pdf"), id=REPORT_PDF, color="primary",
                           size="sm", className="me-2 mb-1"),
                dbc.Button(t("overview.report_pptx"), id=REPORT_PPTX, color="primary",
                           size="sm", outline=True, className="mb-1"),
                # Shown while a report is made (dashboard.downloads: the callback's running).
                html.P([dbc.Spinner(size="sm", spinner_class_name="me-2"),
                        t("overview.report_working")], id=REPORT_STATUS, hidden=True,
                       role="status", className="small mb-0 mt-1"),
            ]),
        ], className="d-flex flex-wrap align-items-center gap-2 mb-2"),
        html.Div(id=KEY_FIGURES),
        *ChartGrid(PAGE).rest(),
    ]), show_overview, query.get(PROGRAMME),
        *view_filters.first_ticks(query, query.get(PROGRAMME)))


def session_line(row: pd.Series | None) -> str:
    if row is None:
        return "–"
    title = session_title(row["title"], row["audience"], row["format"])
    return f"{formatting.short_date(row['starts_at'])}: {title}"


def countdown(starts_at: pd.Timestamp, today: dt.date) -> str:
    """How far off an upcoming session is, from the pages' today: i dag, i morgen, om 15 dage."""
    days = (starts_at.date() - today).days
    if days <= 0:
        return t("overview.next_today")
    return t("overview.next_tomorrow") if days == 1 else t("overview.next_in", n=days)


def next_or_result(key: queries.KeyFigures, held: pd.DataFrame, upcoming: pd.DataFrame,
                   today: dt.date):
    """The card after "latest session": the next session and how far off it is, or, once every
    session is held, that the programme has ended and what it came to."""
    if len(upcoming) or not len(held):
        row = upcoming.iloc[0] if len(upcoming) else None
        return key_figure(t("overview.next_session"), session_line(row),
                          countdown(row["starts_at"], today) if row is not None else "",
                          value_id="kf-next-session", size="fs-5")
    return key_figure(
        t("overview.finished"),
        t("overview.finished_value", sessions=formatting.number(len(held)),
          attended=formatting.number(key.attended)),
        t("overview.finished_note", part=key.municipalities_reached,
          whole=key.municipalities_total, rate=formatting.percent(key.attendance_rate)),
        value_id="kf-finished", size="fs-5")


@view_callback(output={"cards": Output(KEY_FIGURES, "children"),
                       "charts": outputs_for(CHARTS)},
               inputs=[Input(PROGRAMME_SELECT, "value"), *view_filters.INPUTS])
@cached_on_database
def show_overview(programme_id: str | None, regions=None, formats=None, audiences=None,
                  years=None):
    """The page for the programme and the filter bar's ticks (region codes, format and
    audience codes, years; None: all): the key figures and sessions of the filters (the
    report takes the same, dashboard.downloads)."""
    # Said in place of the key figures.
    filters, blank = view_filters.opening(
        PAGE, CHARTS, programme_id, regions, formats, audiences, years, say_in="cards",
        no_programme=dbc.Alert(t("overview.no_programmes"), color="info"))
    if filters is None:
        return blank
    got = charts.read(CHARTS, charts.View(programme_id, filters=filters),
                      key=queries.key_figures,
                      today=pages_today, sessions=queries.sessions)
    key, today, sessions = got["key"], got["today"], got["sessions"]
    done = held_mask(sessions["starts_at"], today)
    held, upcoming = sessions[done], sessions[~done]
    revenue_note = (tn("overview.price_unknown", key.registrations_price_unknown)
                    if key.registrations_price_unknown else "")
    cards = dbc.Row([
        key_figure(t("overview.municipalities"),
                   t("of", part=key.municipalities_reached, whole=key.municipalities_total),
                   formatting.percent(key.municipalities_share), value_id="kf-municipalities"),
        key_figure(t("overview.mayors"), formatting.number(key.mayors_reached),
                   value_id="kf-mayors"),
        key_figure(t("overview.registrations"), formatting.number(key.registrations),
                   t("overview.registrations_note"), value_id="kf-registrations"),
        key_figure(t("overview.attendance"), formatting.percent(key.attendance_rate),
                   t("overview.attendance_note"), value_id="kf-attendance"),
        key_figure(t("overview.revenue"), formatting.kroner(key.revenue_ex_vat),
                   revenue_note, value_id="kf-revenue"),
        key_figure(t("overview.last_session"),
                   session_line(held.iloc[-1] if len(held) else None), size="fs-5",
                   value_id="kf-last-session"),
        next_or_result(key, held, upcoming, today),
    ])
    return {"cards": cards, "charts": values_for(got.draw())}


# A click on the bars reaches the server through SESSION_CLICKED, set in the browser on a
# click only (assets/export-click.js): as Overblik appeared, Dash called open_session (the
# chart mounting), a request that answered nothing, a round trip after the page's own.
clientside_callback(ClientsideFunction("borgmester", "exportClicked"),
                    Output(SESSION_CLICKED, "data"), Input(TURNOUT, "clickData"),
                    prevent_initial_call=True)


@callback(Output(NAVIGATE, "pathname", allow_duplicate=True),
          Input(SESSION_CLICKED, "data"), prevent_initial_call=True)
def open_session(clicked):
    """A click on a session's bars opens the session's page: `clicked` is {"value": the
    chart's clickData, ...}."""
    points = ((clicked or {}).get("value") or {}).get("points") or [{}]
    session_id = points[0].get("customdata")
    return session_href(session_id) if session_id else no_update


@warm_up
def _warm(programme_id: str) -> None:
    show_overview(programme_id, *view_filters.first_ticks({}, programme_id))
