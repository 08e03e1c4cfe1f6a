"""Økonomi: what each session type brings in — booked, invoiced and outstanding."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboard import charts, formatting, queries, url_state, view_filters
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    ChartGrid,
    key_figure,
    outputs_for,
    section,
    shown_table,
    table_export_menu,
    values_for,
    view_option,
)
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t, tn
from dashboard.ids import PROGRAMME_SELECT, URL_CONTROL

dash.register_page(__name__, path="/oekonomi", name="Økonomi", name_key="page.revenue",
                   title=page_title("page.revenue"), order=3)

PAGE = "Økonomi"
CHARTS = charts.on(PAGE)
# In the address (`moms`, dashboard.url_state): synced by the shell's filter bar.
VAT_SWITCH = {"type": URL_CONTROL, "name": "vat"}
DEFAULT_VAT = url_state.BY_FIELD["vat"].default
CARDS = "revenue-cards"
TABLE = "revenue-table"
UNKNOWN_PRICE = "revenue-unknown-price"
# The VAT switch as a View field, for the shared callbacks ("Vis som tabel", downloads).
INCL_VAT = view_option("incl_vat")


def layout(**query):
    vat = url_state.decode(query)["vat"]
    return fill(html.Div([
        html.H1(t("revenue.heading"), className="h3"),
        html.Fieldset([
            html.Legend(t("revenue.vat"), className="visually-hidden"),
            dbc.RadioItems(id=VAT_SWITCH, inline=True, value=vat, className="mb-3",
                           options=[{"label": t("vat.ex_label"), "value": "ex"},
                                    {"label": t("vat.incl_label"), "value": "incl"}]),
        ]),
        dcc.Store(id=INCL_VAT, data=vat == "incl"),
        html.Div(id=UNKNOWN_PRICE),
        html.Div(id=CARDS),
        *ChartGrid(PAGE).rest(),
        section(t("revenue.per_session"), table_export_menu("revenue-table"),
                html.Div(id=TABLE)),
    ]), show_revenue, query.get(PROGRAMME), vat,
        *view_filters.first_ticks(query, query.get(PROGRAMME)))


@view_callback(output={"cards": Output(CARDS, "children"),
                       "notice": Output(UNKNOWN_PRICE, "children"),
                       "charts": outputs_for(CHARTS), "table": Output(TABLE, "children"),
                       "incl_vat": Output(INCL_VAT, "data")},
               inputs=[Input(PROGRAMME_SELECT, "value"), Input(VAT_SWITCH, "value"),
                       *view_filters.INPUTS])
@cached_on_database
def show_revenue(programme_id: str | None, vat: str, regions=None, formats=None,
                 audiences=None, years=None):
    """The page for the programme, the VAT switch and the filter bar's ticks (region
    codes, format and audience codes, years; None: all)."""
    incl = vat == "incl"
    # Said above the charts, where the unknown prices' notice stands.
    filters, blank = view_filters.opening(PAGE, CHARTS, programme_id, regions, formats,
                                          audiences, years, say_in="notice")
    if filters is None:
        return {**blank, "cards": "", "table": "", "incl_vat": incl}
    suffix = "incl_vat" if incl else "ex_vat"
    vat_text = t("vat.incl" if incl else "vat.ex")
    view = charts.View(programme_id, filters=filters, incl_vat=incl)
    got = charts.read(CHARTS, view,
                      by_format=queries.revenue_by_format, by_session=queries.revenue_by_session)
    by_format, by_session = got["by_format"], got["by_session"]
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
    notice = dbc.Alert(tn("revenue.unknown_price", unknown), color="warning",
                       id="revenue-unknown-price-alert") if unknown else ""
    # As its download holds it (charts.TABLES): the same columns, VAT and total row.
    table = shown_table(charts.TABLES_BY_KEY[TABLE].shown_table(by_session, view),
                        table_id="revenue-session-table", max_height=None)
    return {"cards": cards, "notice": notice, "charts": values_for(got.draw()), "table": table,
            "incl_vat": incl}


@warm_up
def _warm(programme_id: str) -> None:
    show_revenue(programme_id, DEFAULT_VAT, *view_filters.first_ticks({}, programme_id))
