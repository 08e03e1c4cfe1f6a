"""Økonomi: what each session type brings in — booked, invoiced and outstanding."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import figures, formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import data_table, graph, key_figure, section, table_export_menu
from dashboard.db import current_database

dash.register_page(__name__, path="/oekonomi", name="Økonomi",
                   title="Økonomi – Borgmesterforløb", order=3)

VAT_SWITCH = "revenue-vat"
DEFAULT_VAT = "ex"
CARDS = "revenue-cards"
BY_FORMAT = "revenue-by-format"
BY_SESSION = "revenue-by-session"
OVER_TIME = "revenue-over-time"
TABLE = "revenue-table"
UNKNOWN_PRICE = "revenue-unknown-price"

layout = html.Div([
    html.H1("Omsætning pr. sessionstype", className="h3"),
    dbc.RadioItems(id=VAT_SWITCH, inline=True, value=DEFAULT_VAT, className="mb-3",
                   options=[{"label": "Ekskl. moms", "value": "ex"},
                            {"label": "Inkl. moms", "value": "incl"}]),
    html.Div(id=UNKNOWN_PRICE),
    html.Div(id=CARDS),
    dbc.Row([dbc.Col(graph(BY_FORMAT), lg=5), dbc.Col(graph(BY_SESSION), lg=7)]),
    graph(OVER_TIME),
    section("Pr. session", table_export_menu("revenue-table"), html.Div(id=TABLE)),
])


@callback(Output(CARDS, "children"), Output(UNKNOWN_PRICE, "children"),
          Output(BY_FORMAT, "figure"), Output(BY_SESSION, "figure"),
          Output(OVER_TIME, "figure"), Output(TABLE, "children"),
          Input(PROGRAMME_SELECT, "value"), Input(VAT_SWITCH, "value"))
@cached_on_database
def show_revenue(programme_id: str | None, vat: str):
    if not programme_id:
        empty = figures.empty_figure("Ingen data")
        return "", "", empty, empty, empty, ""
    incl = vat == "incl"
    suffix = "incl_vat" if incl else "ex_vat"
    vat_text = "inkl. moms" if incl else "ekskl. moms"
    with current_database().cursor() as con:
        by_format = queries.revenue_by_format(con, programme_id)
        by_session = queries.revenue_by_session(con, programme_id)
        over_time = queries.revenue_over_time(con, programme_id)
    revenue_column = "revenue_incl_vat" if incl else "revenue_ex_vat"
    cards = dbc.Row([
        key_figure(f"Bindende tilmeldt ({vat_text})",
                   formatting.kroner(by_format[revenue_column].sum()),
                   "inkl. sene afmeldinger, som faktureres", value_id="revenue-booked"),
        key_figure("Faktureret", formatting.kroner(by_format[f"invoiced_{suffix}"].sum()),
                   value_id="revenue-invoiced"),
        key_figure("Ikke faktureret endnu",
                   formatting.kroner(by_format[f"outstanding_{suffix}"].sum()),
                   value_id="revenue-outstanding"),
        key_figure("Afmeldinger, der faktureres",
                   formatting.number(by_format["cancellations_billed"].sum())),
    ])
    unknown = int(by_format["registrations_price_unknown"].sum())
    notice = dbc.Alert(
        f"Prisen for onlinemøder står ikke i brochuren: {unknown} tilmeldinger uden kendt pris "
        "tæller som 0 kr. Angiv prisen i data/reference/prices.csv.",
        color="warning", id="revenue-unknown-price-alert") if unknown else ""
    table = data_table(by_session, {
        "starts_at": ("Dato", formatting.short_date),
        "format": ("Type", figures.FORMAT_LABELS.get),
        "registrations": ("Tilmeldinger", formatting.number),
        "cancellations_billed": ("Heraf afmeldt", formatting.number),
        revenue_column: (f"Omsætning ({vat_text})", formatting.kroner),
        f"invoiced_{suffix}": ("Faktureret", formatting.kroner),
        f"outstanding_{suffix}": ("Ikke faktureret", formatting.kroner),
        "registrations_price_unknown": ("Uden kendt pris", formatting.number),
    }, table_id="revenue-session-table")
    return (cards, notice, figures.revenue_by_format(by_format, incl),
            figures.revenue_by_session(by_session, incl),
            figures.cumulative_revenue(over_time, incl), table)


@warm_up
def _warm(programme_id: str) -> None:
    show_revenue(programme_id, DEFAULT_VAT)
