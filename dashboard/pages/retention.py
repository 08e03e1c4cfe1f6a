"""Fastholdelse: do newly elected mayors stay with the programme after the intro sessions?"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from dashboard import figures, formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import data_table, graph, section, table_export_menu
from dashboard.db import current_database

dash.register_page(__name__, path="/fastholdelse", name="Fastholdelse",
                   title="Fastholdelse – Borgmesterforløb", order=2)

COHORTS = "retention-cohorts"
PATH = "retention-path"
SLIPPING = "retention-slipping"

layout = html.Div([
    html.H1("Fastholdelse af nyvalgte borgmestre", className="h3"),
    graph(COHORTS),
    graph(PATH),
    section("Nyvalgte borgmestre, der ikke deltog i de seneste to sessioner",
            html.P("Dem, der er værd at ringe til.", className="text-body-secondary"),
            table_export_menu("retention-slipping"), html.Div(id=SLIPPING)),
])


@callback(Output(COHORTS, "figure"), Output(PATH, "figure"), Output(SLIPPING, "children"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def show_retention(programme_id: str | None):
    if not programme_id:
        empty = figures.empty_figure("Ingen data")
        return empty, empty, ""
    with current_database().cursor() as con:
        as_of = queries.dataset_info(con).data_as_of
        cohorts = queries.retention(con, programme_id, held_by=as_of)
        path = queries.intro_path(con, programme_id, held_by=as_of)
        slipping = queries.newly_elected_slipping(con, programme_id, as_of)
    table = data_table(slipping, {
        "mayor": ("Borgmester", None),
        "municipality": ("Kommune", None),
        "region": ("Region", lambda r: r.removeprefix("Region ")),
        "party": ("Parti", None),
        "sessions_attended": ("Sessioner deltaget", formatting.number),
        "last_attended_at": ("Senest deltaget", lambda d: formatting.short_date(d)
                             if d is not None and d == d else "aldrig"),
    }, table_id="retention-slipping-table",
        empty="Alle nyvalgte deltog i mindst én af de seneste to sessioner.")
    return figures.retention_by_cohort(cohorts), figures.intro_path(path), table


@warm_up
def _warm(programme_id: str) -> None:
    show_retention(programme_id)
