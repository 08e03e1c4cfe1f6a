"""Geografi: where sessions were held, where participants came from, how far they travelled."""

from __future__ import annotations

import dash
from dash import Input, Output, html

from dashboard import charts, figures, formatting, queries, view_filters
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    ChartGrid,
    data_table,
    link,
    outputs_for,
    section,
    session_dates,
    table_export_menu,
    values_for,
)
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT

dash.register_page(__name__, path="/geografi", name="Geografi", name_key="page.geography",
                   title=page_title("page.geography"), order=4)

PAGE = "Geografi"
CHARTS = charts.on(PAGE)
TABLE = "geography-table"
NOTHING = "geography-nothing"   # the one warning when the filters leave nothing


def layout(**query):
    return fill(html.Div([
        html.H1(t("geography.heading"), className="h3"),
        html.Div(id=NOTHING),
        *ChartGrid(PAGE).rest(),
        section(t("geography.table"), table_export_menu("geography-table"),
                html.Div(id=TABLE)),
    ]), show_geography, query.get(PROGRAMME),
        *view_filters.first_ticks(query, query.get(PROGRAMME)))


def _text_or_dash(value) -> str:
    return value if isinstance(value, str) else "–"


@view_callback(output={"charts": outputs_for(CHARTS), "table": Output(TABLE, "children"),
                       "nothing": Output(NOTHING, "children")},
               inputs=[Input(PROGRAMME_SELECT, "value"), *view_filters.INPUTS])
@cached_on_database
def show_geography(programme_id: str | None, regions=None, formats=None, audiences=None,
                   years=None):
    """The page for the programme and the filter bar's ticks (region codes, format and
    audience codes, years; None: all)."""
    filters, blank = view_filters.opening(PAGE, CHARTS, programme_id, regions, formats,
                                          audiences, years)
    if filters is None:
        return {**blank, "table": ""}
    got = charts.read(CHARTS, charts.View(programme_id, filters=filters),
                      sessions=queries.session_geography)
    sessions = got["sessions"]
    table = data_table(sessions.assign(session=session_dates(sessions)), {
        "session": (t("col.date"), link),
        "format": (t("col.format"), figures.FORMAT_LABELS.get),
        "venue": (t("col.venue"), _text_or_dash),
        "city": (t("col.city"), _text_or_dash),
        "attended": (t("col.attended"), formatting.number),
        "avg_travel_km": (t("col.avg_travel_km"),
                          lambda v: formatting.number(v) if v == v else "–"),
        "total_travel_km": (t("col.total_travel_km"), formatting.number),
    }, table_id="geography-session-table")
    return {"charts": values_for(got.draw()), "table": table, "nothing": ""}


@warm_up
def _warm(programme_id: str) -> None:
    show_geography(programme_id, *view_filters.first_ticks({}, programme_id))
