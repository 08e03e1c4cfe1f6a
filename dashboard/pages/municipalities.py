"""Kommuner: participation per municipality — map, ranking, matrix, who never came."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import charts, figures, formatting, queries
from dashboard.cache import cached_on_database, warm_up
from dashboard.components import (
    ChartGrid,
    data_table,
    empty_for,
    municipality_href,
    municipality_link,
    outputs_for,
    section,
    select,
    table_export_menu,
    values_for,
)
from dashboard.db import current_database
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t
from dashboard.ids import PAGE_FILTER, PROGRAMME_SELECT

dash.register_page(__name__, path="/kommuner", name="Kommuner", name_key="page.municipalities",
                   title=page_title("page.municipalities"), order=1)

# Pattern-matching ids: the exports and "Vis som tabel" read the filters the page shows
# through an ALL-pattern, which matches nothing when another page is shown.
REGION_FILTER = {"type": PAGE_FILTER, "name": "regions"}
FORMAT_FILTER = {"type": PAGE_FILTER, "name": "formats"}
AUDIENCE_FILTER = {"type": PAGE_FILTER, "name": "audiences"}
YEAR_FILTER = {"type": PAGE_FILTER, "name": "years"}
PAGE = "Kommuner"
CHARTS = charts.on(PAGE)
SUMMARY = "municipalities-summary"
# The charts a click on picks a municipality; the map is placed beside what it picks.
MAP = "municipalities-map"
RANKING = "municipalities-ranking"
MATRIX = "municipalities-matrix"
NEVER = "municipalities-never"
DETAIL = "municipalities-detail"
# The map's keyboard and screen-reader way in: pick a municipality from a list.
PICK = "municipalities-pick"
ALL_REGIONS = "municipalities-all-regions"
RESET = "municipalities-reset"
NOTHING = "municipalities-nothing"   # the one warning when the filters leave nothing


def layout(**query):
    with current_database().cursor() as con:
        regions = queries.regions(con)
    def group(legend: str, control) -> html.Fieldset:
        controls = control if isinstance(control, list) else [control]
        return html.Fieldset([html.Legend(legend, className="form-label fs-6 mb-1"),
                              *controls])

    region_buttons = html.Div([
        dbc.Button(t("municipalities.all_regions"), id=ALL_REGIONS, color="link", size="sm",
                   className="p-0 me-3"),
        dbc.Button(t("municipalities.reset"), id=RESET, color="link", size="sm",
                   className="p-0", title=t("municipalities.reset_title")),
    ], className="mt-1")
    filters = dbc.Row([
        dbc.Col(group(t("municipalities.region"), [dbc.Checklist(
            id=REGION_FILTER, inline=True, value=list(regions),
            options=[{"label": r.removeprefix("Region "), "value": r} for r in regions]),
            region_buttons]),
            md=4),
        dbc.Col(group(t("municipalities.format"), dbc.Checklist(
            id=FORMAT_FILTER, inline=True, value=list(figures.FORMAT_LABELS),
            options=[{"label": v, "value": k} for k, v in figures.FORMAT_LABELS.items()])),
            md=3),
        dbc.Col(group(t("municipalities.audience"), dbc.Checklist(
            id=AUDIENCE_FILTER, inline=True, value=list(figures.AUDIENCE_LABELS),
            options=[{"label": v, "value": k} for k, v in figures.AUDIENCE_LABELS.items()])),
            md=2),
        dbc.Col(group(t("municipalities.period"), dbc.Checklist(id=YEAR_FILTER, inline=True)),
                md=3),
    ], className="g-3 mb-2")
    grid = ChartGrid(PAGE)
    page = html.Div([
        html.H1(t("municipalities.heading"), className="h3"),
        dbc.Card(dbc.CardBody(filters), className="mb-3"),
        # Announced to screen readers when a filter changes the count.
        html.Div(id=SUMMARY, className="lead mb-3", role="status", **{"aria-live": "polite"}),
        *grid.place(MAP, beside=dbc.Col([
            section(t("municipalities.selected"),
                    dbc.Label(t("municipalities.pick"), html_for=PICK),
                    select(PICK, placeholder=t("municipalities.pick_placeholder")),
                    html.Div(t("municipalities.click_hint"), id=DETAIL,
                             className="text-body-secondary mt-2",
                             **{"aria-live": "polite"})),
        ], lg=12 - charts.BY_KEY[MAP].width)),
        section(t("municipalities.never"), table_export_menu("municipalities-never"),
                html.Div(id=NEVER)),
        *grid.rest(className="mt-3"),
    ])
    # The first view: everything ticked, as the warm-up computes it (offer_years is cached:
    # fill's call is the same one).
    programme_id = query.get(PROGRAMME)
    _options, years = offer_years(programme_id)
    fill(page, offer_years, programme_id)
    return fill(page, show_participation, programme_id, list(regions),
                list(figures.FORMAT_LABELS), list(figures.AUDIENCE_LABELS), years)


@view_callback(output=[Output(YEAR_FILTER, "options"), Output(YEAR_FILTER, "value")],
               inputs=[Input(PROGRAMME_SELECT, "value")])
@cached_on_database
def offer_years(programme_id: str | None):
    if not programme_id:
        return [], []
    with current_database().cursor() as con:
        years = queries.session_years(con, programme_id)
    return [{"label": str(y), "value": y} for y in years], years


@view_callback(output={"summary": Output(SUMMARY, "children"),
                       "charts": outputs_for(CHARTS), "never": Output(NEVER, "children"),
                       "pick": Output(PICK, "options")},
               inputs=[Input(PROGRAMME_SELECT, "value"), Input(REGION_FILTER, "value"),
                       Input(FORMAT_FILTER, "value"), Input(AUDIENCE_FILTER, "value"),
                       Input(YEAR_FILTER, "value")])
@cached_on_database
def show_participation(programme_id, regions, formats, audiences, years):
    # No regions ticked is as empty as no formats; None (never set) means all of them.
    if not programme_id or not formats or not audiences or not years or regions == []:
        return _nothing(t("municipalities.choose_something"))
    filters = queries.Filters(regions=tuple(regions or ()), formats=tuple(formats),
                              audiences=tuple(audiences), years=tuple(years))
    got = charts.read(CHARTS, charts.View(programme_id, filters=filters),
                      per_municipality=queries.participation_by_municipality,
                      matrix=queries.session_matrix, never=queries.never_attended)
    per_municipality, matrix, never = got["per_municipality"], got["matrix"], got["never"]
    if per_municipality.empty:
        return _nothing(t("municipalities.no_sessions"))
    reached = int((per_municipality["sessions_attended"] > 0).sum())
    total = len(per_municipality)
    sessions = matrix["session_id"].nunique()
    summary = [html.Strong(t("of", part=reached, whole=total), id="municipalities-reached"),
               " " + t("municipalities.summary", share=formatting.percent(reached / total),
                       sessions=sessions)]
    with current_database().cursor() as con:
        codes = queries.municipality_codes(con)
    never_table = data_table(never, {
        "municipality": (t("col.municipality"), municipality_link(codes)),
        "region": (t("col.region"), lambda r: r.removeprefix("Region ")),
        "mayor": (t("col.mayor"), lambda v: v if isinstance(v, str) else "–"),
        # registered without attending, apart: no-shows, and bookings with no outcome yet
        "no_show": (t("col.no_show"), formatting.number),
        "pending": (t("col.pending"), formatting.number),
        "cancelled": (t("col.cancelled"), formatting.number),
    }, table_id="municipalities-never-table", empty=t("municipalities.all_attended"))
    # In the matrix's order: by name, the Danish way.
    names = dict(zip(matrix["municipality"], matrix["kommune_code"], strict=True))
    options = [{"label": name, "value": int(code)} for name, code in names.items()]
    return {"summary": summary, "charts": values_for(got.draw()), "never": never_table,
            "pick": options}


def _nothing(message: str) -> dict:
    """Filters that leave nothing: the one warning above the charts, which stay blank
    (the message once, not in every chart's heading, figure and summary)."""
    return {"summary": dbc.Alert(message, color="warning", id=NOTHING, className="py-2 mb-0"),
            "charts": empty_for(CHARTS, ""), "never": "", "pick": []}


@callback(Output(REGION_FILTER, "value"), Input(ALL_REGIONS, "n_clicks"),
          prevent_initial_call=True)
def tick_all_regions(_clicks):
    """'Vælg alle': every region ticked."""
    with current_database().cursor() as con:
        return list(queries.regions(con))


@callback(Output(REGION_FILTER, "value", allow_duplicate=True),
          Output(FORMAT_FILTER, "value"), Output(AUDIENCE_FILTER, "value"),
          Output(YEAR_FILTER, "value", allow_duplicate=True),
          Input(RESET, "n_clicks"), State(YEAR_FILTER, "options"), prevent_initial_call=True)
def reset_filters(_clicks, year_options):
    """'Nulstil': every filter back as the page opens, everything ticked."""
    with current_database().cursor() as con:
        regions = list(queries.regions(con))
    return (regions, list(figures.FORMAT_LABELS), list(figures.AUDIENCE_LABELS),
            [option["value"] for option in year_options or []])


# A click on the charts that name a municipality picks it; each names it its own way. The
# list beside the map shows the pick too, so list and charts agree on what is selected.
@callback(Output(DETAIL, "children"), Output(PICK, "value"),
          Input(MAP, "clickData"), Input(RANKING, "clickData"), Input(MATRIX, "clickData"),
          Input(PICK, "value"), Input(PROGRAMME_SELECT, "value"), prevent_initial_call=True)
def show_municipality(map_click, ranking_click, matrix_click, picked, programme_id):
    if not programme_id:
        return no_update, no_update
    with current_database().cursor() as con:
        if ctx.triggered_id == PICK:
            code = picked or None  # a native select's value is a string
        else:
            click = {MAP: map_click, RANKING: ranking_click, MATRIX: matrix_click}.get(
                ctx.triggered_id)
            if not click:
                return no_update, no_update
            point = click["points"][0]
            # The map carries the code; the ranking and the matrix name the municipality.
            code = point.get("customdata")
            if isinstance(code, list):  # an area of the map: its trace's customdata, [code]
                code = code[0] if code else None
            if code is None or isinstance(code, str):  # the matrix's customdata: a status
                code = queries.kommune_code_by_name(con, point.get("y"))
        if code is None:
            return no_update, no_update
        code = int(code)
        detail = queries.municipality_detail(con, programme_id, code)
    return (_detail(detail, code),
            no_update if ctx.triggered_id == PICK else code)


def _detail(detail, code: int) -> list:
    """The picked municipality's mayor(s) and their status at each session, and the way to
    its own page (mayors, travel, billing)."""
    if detail.empty:
        return [t("municipalities.no_mayor"), " ",
                dcc.Link(t("drill.open_page"), href=municipality_href(code))]
    blocks = [html.H3(dcc.Link(detail["municipality"].iloc[0], href=municipality_href(code),
                               title=t("drill.open_page")), className="h6")]
    for mayor, rows in detail.groupby("mayor_name", sort=False):
        newly = f" · {t('municipalities.newly_elected')}" if rows["newly_elected"].iloc[0] \
            else ""
        blocks.append(html.P([html.Strong(mayor), f" ({rows['party'].iloc[0]}){newly}"],
                             className="mb-1"))
        blocks.append(data_table(rows, {
            "starts_at": (t("col.date"), formatting.short_date),
            "format": (t("col.format"), figures.FORMAT_LABELS.get),
            "status": (t("col.status"), figures.STATUS_LABELS.get),
        }))
    blocks.append(dcc.Link(t("drill.open_page"), href=municipality_href(code),
                           id="municipalities-open-page",
                           className="btn btn-outline-primary btn-sm mt-2"))
    return blocks


@warm_up
def _warm(programme_id: str) -> None:
    """The page as it opens: every region, type, audience and year ticked."""
    _options, years = offer_years(programme_id)
    with current_database().cursor() as con:
        regions = queries.regions(con)
    show_participation(programme_id, list(regions), list(figures.FORMAT_LABELS),
                       list(figures.AUDIENCE_LABELS), years)
