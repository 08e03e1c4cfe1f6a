"""Drill-through: a municipality's page and a session's page, built from query results by
pure functions (no database, no callback), so tests/test_drill.py builds them from the
hand-made data. The page modules (dashboard/pages/municipality.py, session.py) read the
database and place what these return.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import formatting
from dashboard.components import (
    data_table,
    key_figure,
    link,
    linked,
    municipality_href,
    section,
    session_href,
)
from dashboard.figures import AUDIENCE_LABELS, FORMAT_LABELS, STATUS_LABELS, session_title
from dashboard.i18n import t, tn
from dashboard.queries import SessionOutcome
from dashboard.today import held_mask, is_held

MUNICIPALITY_NAME = "municipality-name"   # the heading: the municipality's name
SESSION_NAME = "session-name"             # the heading: the session's name
MUNICIPALITY_SESSIONS = "municipality-sessions-table"
SESSION_PARTICIPANTS = "session-participants-table"


def not_found(heading: str, text: str, back_text: str, back_href: str) -> html.Div:
    """A page for an address that names nothing: what was asked for, and a way back."""
    return html.Div([
        html.H1(heading, className="h3", id="not-found"),
        html.P(text),
        dcc.Link(back_text, href=back_href, className="btn btn-outline-primary btn-sm"),
    ])


def municipality_missing(code: object) -> html.Div:
    return not_found(t("drill.municipality_missing"),
                     t("drill.municipality_missing_text", code=code),
                     t("drill.back_to_municipalities"), "/kommuner")


def session_missing(session_id: object) -> html.Div:
    return not_found(t("drill.session_missing"),
                     t("drill.session_missing_text", session_id=session_id),
                     t("drill.back_to_overview"), "/")


def parse_code(value: object) -> int | None:
    """A municipality code from an address: '621' -> 621; anything else (letters, a slash,
    too many digits) None."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def municipality_heading(info: pd.DataFrame) -> list:
    """The name, region, population and code of a municipality (queries.municipality)."""
    row = info.iloc[0]
    return [
        html.H1(row["municipality"], className="h3 mb-1", id=MUNICIPALITY_NAME),
        html.P(t("drill.municipality_facts", region=row["region"],
                 population=formatting.number(row["population"]),
                 code=int(row["kommune_code"])), className="text-body-secondary"),
    ]


def _state(starts_at: pd.Series, today: dt.date) -> list[str]:
    """'Afholdt' or 'Kommende' per session (the glossary's words)."""
    held = t("glossary.held.word").capitalize()
    upcoming = t("glossary.upcoming.word").capitalize()
    return [held if h else upcoming for h in held_mask(starts_at, today)]


def _km(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else formatting.number(value)


def _day(value) -> str:
    return "–" if value is None or pd.isna(value) else formatting.short_date(value)


def _yes_no(value: object) -> str:
    return t("yes") if value else t("no")


def municipality_body(mayors: pd.DataFrame, sessions: pd.DataFrame, today: dt.date,
                      incl_vat: bool = False) -> list:
    """The programme-dependent part of a municipality's page: key figures, its mayors, and
    every session with its status, travel and billing.

    `mayors` is queries.municipality_mayors, `sessions` queries.municipality_sessions;
    `today` decides held and upcoming (dashboard.today); money ex or incl. VAT.
    """
    suffix = "incl_vat" if incl_vat else "ex_vat"
    vat_text = t("vat.incl" if incl_vat else "vat.ex")
    held = held_mask(sessions["starts_at"], today) if len(sessions) else pd.Series(dtype=bool)
    attended = sessions["attended"].astype(bool) if len(sessions) else pd.Series(dtype=bool)
    revenue = float(sessions[f"revenue_{suffix}"].sum()) if len(sessions) else 0.0
    invoiced = float(sessions[f"invoiced_{suffix}"].sum()) if len(sessions) else 0.0
    travelled = sessions["travel_km"][attended].sum() if len(sessions) else 0.0
    unknown = int(sessions["registrations_price_unknown"].sum()) if len(sessions) else 0
    cards = dbc.Row([
        key_figure(t("col.attended"),
                   t("drill.attended_of_held", attended=int((attended & held).sum()),
                     held=int(held.sum())), value_id="municipality-attended"),
        key_figure(t("revenue.revenue", vat=vat_text), formatting.kroner(revenue),
                   t("drill.not_invoiced_note", amount=formatting.kroner(revenue - invoiced))
                   + (f" · {tn('overview.price_unknown', unknown)}" if unknown else ""),
                   value_id="municipality-revenue"),
        key_figure(t("drill.travel_total"), _km(travelled), t("drill.travel_note"),
                   value_id="municipality-travel"),
    ])
    mayor_table = data_table(mayors, {
        "mayor": (t("col.mayor"), None),
        "party": (t("col.party"), lambda v: v if isinstance(v, str) else "–"),
        "newly_elected": (t("col.newly_elected"), _yes_no),
        "term_start": (t("col.term_start"), _day),
        "term_end": (t("col.term_end"),
                     lambda v: t("drill.still_in_office") if pd.isna(v) else _day(v)),
    }, table_id="municipality-mayors-table", empty=t("drill.no_mayors"))
    rows = sessions.assign(
        session=linked([formatting.short_date(s) + " · " + session_title(ti, a, f)
                        for s, ti, a, f in zip(sessions["starts_at"], sessions["session_title"],
                                               sessions["audience"], sessions["format"],
                                               strict=True)],
                       [session_href(s) for s in sessions["session_id"]]),
        state=_state(sessions["starts_at"], today) if len(sessions) else [])
    session_table = data_table(rows, {
        "session": (t("col.session"), link),
        "format": (t("col.format"), FORMAT_LABELS.get),
        "state": (t("col.session_state"), None),
        "status": (t("col.status"), STATUS_LABELS.get),
        "city": (t("col.city"), lambda v: v if isinstance(v, str) else "–"),
        "travel_km": (t("col.travel_km"), _km),
        f"revenue_{suffix}": (t("revenue.revenue", vat=vat_text), formatting.kroner),
        "invoiced_at": (t("col.invoiced_at"), _day),
    }, table_id=MUNICIPALITY_SESSIONS, empty=t("drill.no_sessions"))
    return [cards, section(t("drill.mayors"), mayor_table),
            section(t("drill.sessions"), session_table)]


def session_page(detail: pd.DataFrame, participants: pd.DataFrame, outcome: SessionOutcome,
                 today: dt.date) -> list:
    """A session's page: what and where it is, held or upcoming, its counts, and every
    registration (municipality linked to its page, mayor, status).

    `detail` is queries.session_detail (one row), `participants`
    queries.session_participants, `outcome` queries.session_outcome.
    """
    row = detail.iloc[0]
    held = is_held(row["starts_at"], today)
    state = t("glossary.held.word" if held else "glossary.upcoming.word").capitalize()
    place = (f"{row['venue']}, {row['city']}" if isinstance(row["venue"], str)
             else row["city"] if isinstance(row["city"], str) else t("drill.online"))
    header = [
        html.Div([
            html.H1(session_title(row["title"], row["audience"], row["format"]),
                    className="h3 mb-1 me-2", id=SESSION_NAME),
            dbc.Badge(state, color="secondary" if held else "info", text_color="dark"
                      if not held else None, id="session-state", className="fs-6"),
        ], className="d-flex flex-wrap align-items-center"),
        html.P(t("drill.session_facts", date=formatting.short_date(row["starts_at"]),
                 format=FORMAT_LABELS[row["format"]], audience=AUDIENCE_LABELS[row["audience"]],
                 programme=row["programme_title"]), className="text-body-secondary mb-1"),
        html.P(f"{t('drill.venue')}: {place}", className="text-body-secondary"),
    ]
    # Outcomes of a session not held yet are not zero but unknown: "–".
    outcome_value = formatting.number if held else (lambda _n: "–")
    cards = dbc.Row([
        key_figure(t("planning.outcome_registered"), formatting.number(outcome.registered),
                   value_id="session-registered"),
        key_figure(t("planning.outcome_attended"), outcome_value(outcome.attended),
                   value_id="session-attended"),
        key_figure(t("planning.outcome_no_shows"), outcome_value(outcome.no_shows),
                   value_id="session-no-shows"),
        key_figure(t("planning.outcome_cancelled"), formatting.number(outcome.cancelled),
                   value_id="session-cancelled"),
        key_figure(t("planning.outcome_revenue"), formatting.kroner(outcome.revenue_ex_vat),
                   tn("overview.price_unknown", outcome.price_unknown)
                   if outcome.price_unknown else "", value_id="session-revenue"),
    ])
    rows = participants.assign(municipality=linked(
        participants["municipality"], [municipality_href(c) for c in participants["kommune_code"]]))
    table = data_table(rows, {
        "municipality": (t("col.municipality"), link),
        "mayor": (t("col.mayor"), None),
        "newly_elected": (t("col.newly_elected"), _yes_no),
        "registered_at": (t("col.registered_at"), formatting.short_date),
        "status": (t("col.status"), STATUS_LABELS.get),
    }, table_id=SESSION_PARTICIPANTS, empty=t("drill.no_participants"), max_height="40rem")
    return [*header, cards, section(t("drill.participants"), table)]
