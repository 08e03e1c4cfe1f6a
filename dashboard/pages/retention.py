"""Fastholdelse: do newly elected mayors stay with the programme after the intro sessions?"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from dashboard import charts, figures, formatting, queries
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    chart_outputs,
    chart_values,
    data_table,
    empty_chart,
    graph,
    section,
    select,
    table_export_menu,
)
from dashboard.db import current_database, read_in_parallel
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT
from dashboard.today import last_held_day, pages_today

dash.register_page(__name__, path="/fastholdelse", name="Fastholdelse",
                   name_key="page.retention", title=page_title("page.retention"), order=2)

COHORTS = "retention-cohorts"
PATH = "retention-path"
SLIPPING = "retention-slipping"
COMPARE = "retention-compare"            # the second programme picker ("Sammenlign med")
COMPARE_CHART = "retention-compare-chart"
COMPARE_BOX = "retention-compare-box"


def layout(**_query):
    with current_database().cursor() as con:
        programmes = queries.programmes(con)
    options = [{"label": t("retention.compare_none"), "value": ""}] + [
        {"label": f"{row.title} ({row.period_start.year}–{row.period_end.year})",
         "value": row.programme_id} for row in programmes.itertuples()]
    return html.Div([
        html.H1(t("retention.heading"), className="h3"),
        graph(COHORTS),
        html.Div([
            html.Label(t("retention.compare"), htmlFor=COMPARE, className="form-label me-2 mb-0"),
            # The placeholder too: dbc.Select puts a hidden option of value "" first, so value
            # "" showed that (an empty box), not the option "Intet andet forløb".
            select(COMPARE, options=options, value="", className="programme-select",
                   placeholder=t("retention.compare_none")),
        ], className="d-flex flex-wrap align-items-center mb-2"),
        html.Div([html.P(t("retention.compare_note"), className="text-body-secondary"),
                  graph(COMPARE_CHART)], id=COMPARE_BOX, hidden=True),
        graph(PATH),
        section(t("retention.slipping"),
                html.P(t("retention.slipping_note"), className="text-body-secondary"),
                table_export_menu("retention-slipping"), html.Div(id=SLIPPING)),
    ])


@callback(*chart_outputs(COHORTS), *chart_outputs(PATH), Output(SLIPPING, "children"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def show_retention(programme_id: str | None):
    if not programme_id:
        empty = empty_chart(t("fig.no_data"))
        return *empty, *empty, ""
    with current_database().cursor() as con:
        as_of = last_held_day(pages_today(con))  # sessions held by the pages' today
    cohorts, path, slipping = read_in_parallel(
        lambda con: queries.retention(con, programme_id, held_by=as_of),
        lambda con: queries.intro_path(con, programme_id, held_by=as_of),
        lambda con: queries.newly_elected_slipping(con, programme_id, as_of))
    table = data_table(slipping, {
        "mayor": (t("col.mayor"), None),
        "municipality": (t("col.municipality"), None),
        "region": (t("col.region"), lambda r: r.removeprefix("Region ")),
        "party": (t("col.party"), None),
        "sessions_attended": (t("col.sessions_attended"), formatting.number),
        "last_attended_at": (t("col.last_attended_at"), lambda d: formatting.short_date(d)
                             if d is not None and d == d else t("never")),
    }, table_id="retention-slipping-table", empty=t("retention.none_slipping"))
    return (*chart_values(COHORTS, figures.retention_by_cohort(cohorts), cohorts),
            *chart_values(PATH, figures.intro_path(path), path), table)


@callback(*chart_outputs(COMPARE_CHART), Output(COMPARE_BOX, "hidden"),
          Input(PROGRAMME_SELECT, "value"), Input(COMPARE, "value"))
@cached_on_database
def show_side_by_side(programme_id: str | None, other_id: str | None):
    """The chosen programme's cohorts beside another programme's, at the same point of
    their election periods; hidden while no other programme is chosen."""
    if not programme_id or not other_id or other_id == programme_id:
        return *empty_chart(t("retention.compare_none")), True
    with current_database().cursor() as con:
        held_by = last_held_day(pages_today(con))  # as the cohorts above: held by today
        both = queries.retention_side_by_side(con, [programme_id, other_id], held_by=held_by)
    figure = figures.retention_side_by_side(both)
    return *chart_values(COMPARE_CHART, figure, both, charts.side_by_side_finding(both)), False


@warm_up
def _warm(programme_id: str) -> None:
    show_retention(programme_id)
