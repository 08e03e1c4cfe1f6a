"""Fastholdelse: do newly elected mayors stay with the programme after the intro sessions?"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

from dashboard import charts, formatting, queries, view_filters
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    ChartGrid,
    data_table,
    empty_for,
    municipality_link,
    outputs_for,
    section,
    select,
    table_export_menu,
    values_for,
    view_option,
)
from dashboard.db import current_database
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT

dash.register_page(__name__, path="/fastholdelse", name="Fastholdelse",
                   name_key="page.retention", title=page_title("page.retention"), order=2)

PAGE = "Fastholdelse"
CHARTS = charts.on(PAGE)                                   # the programme's own
SIDE_BY_SIDE = charts.on(PAGE, needs=("other_programme",))  # once a second is chosen
SLIPPING = "retention-slipping"
COMPARE = "retention-compare"            # the second programme picker ("Sammenlign med")
COMPARE_BOX = "retention-compare-box"
NOTHING = "retention-nothing"   # the one warning when the filters leave nothing
# The picked programme, for the charts' shared callbacks ("Vis som tabel", downloads).
OTHER = view_option("other_programme")


def layout(**query):
    with current_database().cursor() as con:
        programmes = queries.programmes(con)
    options = [{"label": t("retention.compare_none"), "value": ""}] + [
        {"label": f"{row.title} ({row.period_start.year}–{row.period_end.year})",
         "value": row.programme_id} for row in programmes.itertuples()]
    grid = ChartGrid(PAGE)
    page = html.Div([
        html.H1(t("retention.heading"), className="h3"),
        html.Div(id=NOTHING),
        *grid.place("retention-cohorts"),
        html.Div([
            html.Label(t("retention.compare"), htmlFor=COMPARE, className="form-label me-2 mb-0"),
            # The placeholder too: dbc.Select puts a hidden option of value "" first, so value
            # "" showed that (an empty box), not the option "Intet andet forløb".
            select(COMPARE, options=options, value="", className="programme-select",
                   placeholder=t("retention.compare_none")),
        ], className="d-flex flex-wrap align-items-center mb-2"),
        dcc.Store(id=OTHER),
        html.Div([html.P([t("retention.compare_note"), " ", t("retention.compare_unfiltered")],
                         className="text-body-secondary"),
                  *grid.place(*(chart.key for chart in SIDE_BY_SIDE))],
                 id=COMPARE_BOX, hidden=True),
        *grid.rest(),
        section(t("retention.slipping"),
                html.P(t("retention.slipping_note"), className="text-body-secondary"),
                table_export_menu("retention-slipping"), html.Div(id=SLIPPING)),
    ])
    programme_id = query.get(PROGRAMME)
    fill(page, show_side_by_side, programme_id, "")
    return fill(page, show_retention, programme_id,
                *view_filters.first_ticks(query, programme_id))


@view_callback(output={"charts": outputs_for(CHARTS), "slipping": Output(SLIPPING, "children"),
                       "nothing": Output(NOTHING, "children")},
               inputs=[Input(PROGRAMME_SELECT, "value"), *view_filters.INPUTS])
@cached_on_database
def show_retention(programme_id: str | None, regions=None, formats=None, audiences=None,
                   years=None):
    """The page for the programme and the filter bar's ticks (region codes, format and
    audience codes, years; None: all; the audience is not this page's filter)."""
    filters, blank = view_filters.opening(PAGE, CHARTS, programme_id, regions, formats,
                                          audiences, years)
    if filters is None:
        return {**blank, "slipping": ""}
    # Sessions held by the pages' today (the View's held_by, left open: read once).
    got = charts.read(CHARTS, charts.View(programme_id, filters=filters),
                      slipping=queries.newly_elected_slipping)
    with current_database().cursor() as con:
        codes = queries.municipality_codes(con)
    table = data_table(got["slipping"], {
        "mayor": (t("col.mayor"), None),
        "municipality": (t("col.municipality"), municipality_link(codes)),
        "region": (t("col.region"), lambda r: r.removeprefix("Region ")),
        "party": (t("col.party"), None),
        "sessions_attended": (t("col.sessions_attended"), formatting.number),
        "last_attended_at": (t("col.last_attended_at"), lambda d: formatting.short_date(d)
                             if d is not None and d == d else t("never")),
    }, table_id="retention-slipping-table", empty=t("retention.none_slipping"))
    return {"charts": values_for(got.draw()), "slipping": table, "nothing": ""}


@view_callback(output={"charts": outputs_for(SIDE_BY_SIDE),
                       "hidden": Output(COMPARE_BOX, "hidden"), "other": Output(OTHER, "data")},
               inputs=[Input(PROGRAMME_SELECT, "value"), Input(COMPARE, "value")])
@cached_on_database
def show_side_by_side(programme_id: str | None, other_id: str | None):
    """The chosen programme's cohorts beside another programme's, at the same point of
    their election periods; hidden while no other programme is chosen."""
    view = charts.View(programme_id or "", other_programme=other_id)
    if not programme_id or view.other_programme is None:
        return {"charts": empty_for(SIDE_BY_SIDE, t("retention.compare_none")),
                "hidden": True, "other": None}
    got = charts.read(SIDE_BY_SIDE, view)  # held by the pages' today, as the cohorts above
    return {"charts": values_for(got.draw()), "hidden": False, "other": view.other_programme}


@warm_up
def _warm(programme_id: str) -> None:
    show_retention(programme_id, *view_filters.first_ticks({}, programme_id))
