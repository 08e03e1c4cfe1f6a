"""Økonomi: what each session type brings in — booked, invoiced and outstanding."""

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
    key_figure,
    section,
    table_export_menu,
)
from dashboard.db import read_in_parallel
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT

dash.register_page(__name__, path="/oekonomi", name="Økonomi", name_key="page.revenue",
                   title=page_title("page.revenue"), order=3)

VAT_SWITCH = "revenue-vat"
DEFAULT_VAT = "ex"
CARDS = "revenue-cards"
BY_FORMAT = "revenue-by-format"
BY_SESSION = "revenue-by-session"
OVER_TIME = "revenue-over-time"
TABLE = "revenue-table"
UNKNOWN_PRICE = "revenue-unknown-price"


def layout(**_query):
    return html.Div([
        html.H1(t("revenue.heading"), className="h3"),
        html.Fieldset([
            html.Legend(t("revenue.vat"), className="visually-hidden"),
            dbc.RadioItems(id=VAT_SWITCH, inline=True, value=DEFAULT_VAT, className="mb-3",
                           options=[{"label": t("vat.ex_label"), "value": "ex"},
                                    {"label": t("vat.incl_label"), "value": "incl"}]),
        ]),
        html.Div(id=UNKNOWN_PRICE),
        html.Div(id=CARDS),
        dbc.Row([dbc.Col(graph(BY_FORMAT), lg=5), dbc.Col(graph(BY_SESSION), lg=7)]),
        graph(OVER_TIME),
        section(t("revenue.per_session"), table_export_menu("revenue-table"),
                html.Div(id=TABLE)),
    ])


@callback(Output(CARDS, "children"), Output(UNKNOWN_PRICE, "children"),
          *chart_outputs(BY_FORMAT), *chart_outputs(BY_SESSION), *chart_outputs(OVER_TIME),
          Output(TABLE, "children"),
          Input(PROGRAMME_SELECT, "value"), Input(VAT_SWITCH, "value"))
@cached_on_database
def show_revenue(programme_id: str | None, vat: str):
    if not programme_id:
        empty = empty_chart(t("fig.no_data"))
        return "", "", *empty, *empty, *empty, ""
    incl = vat == "incl"
    suffix = "incl_vat" if incl else "ex_vat"
    vat_text = t("vat.incl" if incl else "vat.ex")
    by_format, by_session, over_time = read_in_parallel(
        lambda con: queries.revenue_by_format(con, programme_id),
        lambda con: queries.revenue_by_session(con, programme_id),
        lambda con: queries.revenue_over_time(con, programme_id))
    revenue_column = "revenue_incl_vat" if incl else "revenue_ex_vat"
    cards = dbc.Row([
        key_figure(t("revenue.booked", vat=vat_text),
                   formatting.kroner(by_format[revenue_column].sum()),
                   t("revenue.booked_note"), value_id="revenue-booked"),
        key_figure(t("fig.invoiced"), formatting.kroner(by_format[f"invoiced_{suffix}"].sum()),
                   value_id="revenue-invoiced"),
        key_figure(t("fig.not_invoiced"),
                   formatting.kroner(by_format[f"outstanding_{suffix}"].sum()),
                   value_id="revenue-outstanding"),
        key_figure(t("revenue.cancellations_billed"),
                   formatting.number(by_format["cancellations_billed"].sum())),
    ])
    unknown = int(by_format["registrations_price_unknown"].sum())
    notice = dbc.Alert(t("revenue.unknown_price", n=unknown), color="warning",
                       id="revenue-unknown-price-alert") if unknown else ""
    table = data_table(by_session, {
        "starts_at": (t("col.date"), formatting.short_date),
        "format": (t("col.format"), figures.FORMAT_LABELS.get),
        "registrations": (t("col.registrations"), formatting.number),
        "cancellations_billed": (t("revenue.of_which_cancelled"), formatting.number),
        revenue_column: (t("revenue.revenue", vat=vat_text), formatting.kroner),
        f"invoiced_{suffix}": (t("fig.invoiced"), formatting.kroner),
        f"outstanding_{suffix}": (t("revenue.not_invoiced"), formatting.kroner),
        "registrations_price_unknown": (t("col.registrations_price_unknown"),
                                        formatting.number),
    }, table_id="revenue-session-table")
    return (cards, notice,
            *chart_values(BY_FORMAT, figures.revenue_by_format(by_format, incl), by_format),
            *chart_values(BY_SESSION, figures.revenue_by_session(by_session, incl),
                          by_session),
            *chart_values(OVER_TIME, figures.cumulative_revenue(over_time, incl), over_time),
            table)


@warm_up
def _warm(programme_id: str) -> None:
    show_revenue(programme_id, DEFAULT_VAT)
