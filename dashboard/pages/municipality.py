"""A municipality's own page (/kommuner/621): its mayors during the programme chosen at the
top, and its status, travel and billing at every session. Reached from a municipality's name
anywhere in the dashboard; not in the menu."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import drill, queries
from dashboard.cache import cached_on_database
from dashboard.db import current_database
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT
from dashboard.today import pages_today


def exists(kode: str | None = None) -> bool:
    """Whether the address names a municipality (a login may lead back to it)."""
    code = drill.parse_code(kode)
    if code is None:
        return False
    with current_database().cursor() as con:
        return not queries.municipality(con, code).empty


dash.register_page(__name__, path_template="/kommuner/<kode>", name="Kommune",
                   name_key="page.municipality", title=page_title("page.municipality"),
                   order=90, in_menu=False, path_exists=exists)

CODE = "municipality-code"
VAT_SWITCH = "municipality-vat"
BODY = "municipality-body"


def layout(kode: str | None = None, **_query):
    """The page for the code in the address, or a "not found" page with a way back. The
    ids the callback names are laid out either way (an unknown code leaves them empty)."""
    code = drill.parse_code(kode)
    info, body = None, ""
    if code is not None:
        with current_database().cursor() as con:
            info = queries.municipality(con, code)
            programmes = queries.programmes(con)
    found = info is not None and not info.empty
    if found and len(programmes):
        # Drawn at once for the programme the selector opens on, so the page is whole when
        # it arrives; the callback redraws it for the programme actually chosen.
        body = show_municipality_page(programmes["programme_id"].iloc[0], "ex", code)
    head = drill.municipality_heading(info) if found else [drill.municipality_missing(kode)]
    return html.Div([
        *head,
        dcc.Store(id=CODE, data=code if found else None),
        html.Fieldset([
            html.Legend(t("revenue.vat"), className="visually-hidden"),
            dbc.RadioItems(id=VAT_SWITCH, inline=True, value="ex", className="mb-2",
                           options=[{"label": t("vat.ex_label"), "value": "ex"},
                                    {"label": t("vat.incl_label"), "value": "incl"}]),
        ], hidden=not found),
        html.Div(body, id=BODY),
    ])


@callback(Output(BODY, "children"), Input(PROGRAMME_SELECT, "value"),
          Input(VAT_SWITCH, "value"), State(CODE, "data"))
@cached_on_database
def show_municipality_page(programme_id: str | None, vat: str, code: int | None):
    if code is None or not programme_id:
        return ""
    with current_database().cursor() as con:
        mayors = queries.municipality_mayors(con, programme_id, code)
        sessions = queries.municipality_sessions(con, programme_id, code)
        today = pages_today(con)
    return drill.municipality_body(mayors, sessions, today, incl_vat=vat == "incl")
