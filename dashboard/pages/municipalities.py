"""Kommuner: participation per municipality — map, ranking, matrix, who never came."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html, no_update

from dashboard import figures, formatting, queries
from dashboard.app import PROGRAMME_SELECT
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import data_table, dropdown, graph, section, table_export_menu
from dashboard.db import current_database

dash.register_page(__name__, path="/kommuner", name="Kommuner",
                   title="Kommuner – Borgmesterforløb", order=1)

# Pattern-matching ids: the shell remembers the filters for exports through an ALL-input,
# which is allowed to match nothing when another page is shown.
FILTER_TYPE = "municipalities-filter"
REGION_FILTER = {"type": FILTER_TYPE, "name": "regions"}
FORMAT_FILTER = {"type": FILTER_TYPE, "name": "formats"}
AUDIENCE_FILTER = {"type": FILTER_TYPE, "name": "audiences"}
YEAR_FILTER = {"type": FILTER_TYPE, "name": "years"}
SUMMARY = "municipalities-summary"
MAP = "municipalities-map"
RANKING = "municipalities-ranking"
MATRIX = "municipalities-matrix"
NEVER = "municipalities-never"
DETAIL = "municipalities-detail"


def layout(**_query):
    with current_database().cursor() as con:
        regions = queries.regions(con)
    filters = dbc.Row([
        dbc.Col([
            dbc.Label("Region"),
            dropdown(REGION_FILTER, multi=True, placeholder="Alle regioner",
                         options=[{"label": r.removeprefix("Region "), "value": r}
                                  for r in regions]),
        ], md=4),
        dbc.Col([
            dbc.Label("Sessionstype"),
            dbc.Checklist(id=FORMAT_FILTER, inline=True, value=list(figures.FORMAT_LABELS),
                          options=[{"label": v, "value": k}
                                   for k, v in figures.FORMAT_LABELS.items()]),
        ], md=3),
        dbc.Col([
            dbc.Label("Målgruppe"),
            dbc.Checklist(id=AUDIENCE_FILTER, inline=True, value=list(figures.AUDIENCE_LABELS),
                          options=[{"label": v, "value": k}
                                   for k, v in figures.AUDIENCE_LABELS.items()]),
        ], md=2),
        dbc.Col([
            dbc.Label("Periode"),
            dbc.Checklist(id=YEAR_FILTER, inline=True),
        ], md=3),
    ], className="g-3 mb-2")
    return html.Div([
        html.H1("Deltagelse pr. kommune", className="h3"),
        dbc.Card(dbc.CardBody(filters), className="mb-3"),
        html.P(id=SUMMARY, className="lead"),
        dbc.Row([
            dbc.Col(graph(MAP), lg=7),
            dbc.Col([
                section("Valgt kommune", html.Div(
                    "Klik på en kommune på kortet, i ranglisten eller i matricen.",
                    id=DETAIL, className="text-body-secondary")),
            ], lg=5),
        ]),
        section("Kommuner uden deltagelse", table_export_menu("municipalities-never"),
                html.Div(id=NEVER)),
        dbc.Row([dbc.Col(graph(RANKING), lg=5), dbc.Col(graph(MATRIX), lg=7)],
                className="mt-3"),
    ])


@callback(Output(YEAR_FILTER, "options"), Output(YEAR_FILTER, "value"),
          Input(PROGRAMME_SELECT, "value"))
@cached_on_database
def offer_years(programme_id: str | None):
    if not programme_id:
        return [], []
    with current_database().cursor() as con:
        years = queries.session_years(con, programme_id)
    return [{"label": str(y), "value": y} for y in years], years


@callback(Output(SUMMARY, "children"), Output(MAP, "figure"), Output(RANKING, "figure"),
          Output(MATRIX, "figure"), Output(NEVER, "children"),
          Input(PROGRAMME_SELECT, "value"), Input(REGION_FILTER, "value"),
          Input(FORMAT_FILTER, "value"), Input(AUDIENCE_FILTER, "value"),
          Input(YEAR_FILTER, "value"))
@cached_on_database
def show_participation(programme_id, regions, formats, audiences, years):
    if not programme_id or not formats or not audiences or not years:
        message = "Vælg mindst én sessionstype, målgruppe og periode."
        empty = figures.empty_figure(message)
        return message, empty, empty, empty, ""
    filters = queries.Filters(regions=tuple(regions or ()), formats=tuple(formats),
                              audiences=tuple(audiences), years=tuple(years))
    with current_database().cursor() as con:
        per_municipality = queries.participation_by_municipality(con, programme_id, filters)
        matrix = queries.session_matrix(con, programme_id, filters)
        never = queries.never_attended(con, programme_id, filters)
        boundaries = queries.boundaries(con)
    if per_municipality.empty:
        empty = figures.empty_figure("Ingen sessioner passer til filtrene.")
        return "Ingen sessioner passer til filtrene.", empty, empty, empty, ""
    reached = int((per_municipality["sessions_attended"] > 0).sum())
    total = len(per_municipality)
    sessions = matrix["session_id"].nunique()
    summary = [html.Strong(f"{reached} af {total}", id="municipalities-reached"),
               f" kommuner ({formatting.percent(reached / total)}) har deltaget i mindst én "
               f"af de {sessions} valgte sessioner."]
    never_table = data_table(never, {
        "municipality": ("Kommune", None),
        "region": ("Region", lambda r: r.removeprefix("Region ")),
        "mayor": ("Borgmester", lambda v: v if isinstance(v, str) else "–"),
        "registered_only": ("Tilmeldt uden at deltage", formatting.number),
        "cancelled": ("Afmeldt", formatting.number),
    }, table_id="municipalities-never-table", empty="Alle kommuner har deltaget.")
    return (summary, figures.participation_map(per_municipality, boundaries),
            figures.participation_ranking(per_municipality), figures.session_matrix(matrix),
            never_table)


def _narrowed(chosen: list | None, everything) -> list:
    return [] if not chosen or set(chosen) >= set(everything) else list(chosen)


@callback(Output("active-filters", "data"),
          Input({"type": FILTER_TYPE, "name": ALL}, "value"),
          State({"type": FILTER_TYPE, "name": ALL}, "id"),
          State(PROGRAMME_SELECT, "value"), prevent_initial_call=True)
def remember_filters(values, ids, programme_id):
    """What narrows the view, for the exports' "filters in force" (all ticked = none)."""
    if not ids or not programme_id:
        return no_update
    chosen = {i["name"]: v for i, v in zip(ids, values, strict=True)}
    with current_database().cursor() as con:
        years = queries.session_years(con, programme_id)
    return {"regions": list(chosen.get("regions") or []),
            "formats": _narrowed(chosen.get("formats"), figures.FORMAT_LABELS),
            "audiences": _narrowed(chosen.get("audiences"), figures.AUDIENCE_LABELS),
            "years": _narrowed(chosen.get("years"), years)}


@callback(Output(DETAIL, "children"),
          Input(MAP, "clickData"), Input(RANKING, "clickData"), Input(MATRIX, "clickData"),
          Input(PROGRAMME_SELECT, "value"), prevent_initial_call=True)
def show_municipality(map_click, ranking_click, matrix_click, programme_id):
    click = {MAP: map_click, RANKING: ranking_click, MATRIX: matrix_click}.get(
        ctx.triggered_id)
    if not click or not programme_id:
        return no_update
    point = click["points"][0]
    with current_database().cursor() as con:
        # The map carries the code; the ranking and the matrix name the municipality.
        code = point.get("customdata")
        if code is None:
            code = queries.kommune_code_by_name(con, point.get("y"))
        if code is None:
            return no_update
        detail = queries.municipality_detail(con, programme_id, int(code))
    if detail.empty:
        return "Ingen borgmester i embede ved forløbets sessioner."
    blocks = [html.H3(detail["municipality"].iloc[0], className="h6")]
    for mayor, rows in detail.groupby("mayor_name", sort=False):
        newly = " · nyvalgt" if rows["newly_elected"].iloc[0] else ""
        blocks.append(html.P([html.Strong(mayor), f" ({rows['party'].iloc[0]}){newly}"],
                             className="mb-1"))
        blocks.append(data_table(rows, {
            "starts_at": ("Dato", formatting.short_date),
            "format": ("Type", figures.FORMAT_LABELS.get),
            "status": ("Status", figures.STATUS_LABELS.get),
        }))
    return blocks


@warm_up
def _warm(programme_id: str) -> None:
    """The page as it opens: no region chosen, every type, audience and year ticked."""
    _options, years = offer_years(programme_id)
    show_participation(programme_id, None, list(figures.FORMAT_LABELS),
                       list(figures.AUDIENCE_LABELS), years)
