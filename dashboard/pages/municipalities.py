"""Kommuner: participation per municipality — map, ranking, matrix, who never came."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import (
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)

from dashboard import charts, denmark, figures, formatting, queries, url_state, view_filters
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
from dashboard.first_view import PROGRAMME, by_id, fill, key, view_callback
from dashboard.i18n import page_title, t
from dashboard.ids import PROGRAMME_SELECT, URL_CHOICE, URL_CHOICE_DEFAULT

dash.register_page(__name__, path="/kommuner", name="Kommuner", name_key="page.municipalities",
                   title=page_title("page.municipalities"), order=1)

PAGE = "Kommuner"
CHARTS = charts.on(PAGE)
SUMMARY = "municipalities-summary"
# The charts a click on picks a municipality; the map is placed beside what it picks.
MAP = "municipalities-map"
RANKING = "municipalities-ranking"
MATRIX = "municipalities-matrix"
NEVER = "municipalities-never"
DETAIL = "municipalities-detail"
# The map's keyboard and screen-reader way in: pick a municipality from a list. The pick is
# in the address (`kommune`, dashboard.url_state), synced by the shell's filter bar like
# Planlægning's session; with none named the list shows its placeholder ("": no pick).
PICK = {"type": URL_CHOICE, "name": "municipality"}
PICK_DEFAULT = {"type": URL_CHOICE_DEFAULT, "name": "municipality"}
NO_PICK = ""
NOTHING = "municipalities-nothing"   # the one warning when the filters leave nothing
PICK_REDRAWN = "municipalities-pick-redrawn"   # the charts redrawn with a municipality picked
# Where the map drew Bornholm's inset (figures.participation_map moves it beside the regions
# chosen): the ring round a picked Bornholm and the inset's frame go there too.
MAP_INSET = "municipalities-map-inset"
# Shapes a chart draws of its own, first in its layout's shapes, which a pick's mark keeps:
# the matrix's lines between its cells (figures.cells_for_screen).
OWN_SHAPES = {MATRIX: 1}


def layout(**query):
    grid = ChartGrid(PAGE)
    page = html.Div([
        html.H1(t("municipalities.heading"), className="h3"),
        # Announced to screen readers when a filter changes the count.
        html.Div(id=SUMMARY, className="lead mb-3", role="status", **{"aria-live": "polite"}),
        *grid.place(MAP, beside=dbc.Col([
            section(t("municipalities.selected"),
                    # The label wraps its select: a pattern id cannot be named by `for`.
                    html.Label([
                        html.Span(t("municipalities.pick"), className="form-label d-block"),
                        select(PICK, placeholder=t("municipalities.pick_placeholder"),
                               value=NO_PICK),
                    ], className="d-block"),
                    dcc.Store(id=PICK_DEFAULT, data=NO_PICK),
                    dcc.Store(id=PICK_REDRAWN), dcc.Store(id=MAP_INSET),
                    html.Div(t("municipalities.click_hint"), id=DETAIL,
                             className="text-body-secondary mt-2",
                             **{"aria-live": "polite"})),
        ], lg=12 - charts.BY_KEY[MAP].width)),
        section(t("municipalities.never"), table_export_menu("municipalities-never"),
                html.Div(id=NEVER)),
        *grid.rest(className="mt-3"),
    ])
    # The first view: the filters the address names, ticked as the filter bar ticks them
    # (the same call the callback makes, through the cache).
    programme_id = query.get(PROGRAMME)
    fill(page, show_participation, programme_id,
         *view_filters.first_ticks(query, programme_id))
    return _first_pick(page, programme_id, query)


def _first_pick(page, programme_id: str | None, query: dict):
    """`page` with the municipality the address names picked, as a click would leave it:
    its detail, the list's value, its ring on the map and its frame in the ranking and the
    matrix (the figures copied: the view's are the cache's). Only one the list offers, as
    the address sets it later (assets/view-address.js); else `page` unchanged."""
    components = by_id(page)
    offered = [o["value"] for o in components[key(PICK)].options or []]
    code = url_state.decode({k: v for k, v in query.items() if k != PROGRAMME},
                            {"municipality": offered})["municipality"]
    if code is None or not programme_id:
        return page
    with current_database().cursor() as con:
        detail = queries.municipality_detail(con, programme_id, code)
        on_map, rows = _marks(con, code, components[key(MAP_INSET)].data)
    components[key(PICK)].value = code
    components[key(DETAIL)].children = _detail(detail, code)
    for chart, shapes in ((MAP, on_map), (RANKING, rows), (MATRIX, rows)):
        figure = components[key(chart)].figure.to_dict()
        kept = figure["layout"].get("shapes", [])[:OWN_SHAPES.get(chart, 0)]
        figure["layout"]["shapes"] = [*kept, *shapes]
        # Unchecked, as figures.py builds them: the copy's arrays are checked already.
        components[key(chart)].figure = go.Figure(figure, _validate=False)
    return page


@view_callback(output={"summary": Output(SUMMARY, "children"),
                       "charts": outputs_for(CHARTS), "never": Output(NEVER, "children"),
                       "pick": Output(PICK, "options"), "inset": Output(MAP_INSET, "data")},
               inputs=[Input(PROGRAMME_SELECT, "value"), *view_filters.INPUTS])
@cached_on_database
def show_participation(programme_id, regions, formats, audiences, years):
    """The page for the filter bar's ticks (region codes, format and audience codes, years).
    Nothing ticked is empty; a list None (never set) means all of them."""
    filters = (view_filters.for_page(PAGE, programme_id, regions, formats, audiences, years)
               if programme_id else None)
    if filters is None:
        return _nothing(t("municipalities.choose_something"))
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
    drawn = got.draw()
    return {"summary": summary, "charts": values_for(drawn), "never": never_table,
            "pick": options, "inset": drawn[MAP].figure.layout.meta[figures.MAP_INSET]}


def _nothing(message: str) -> dict:
    """Filters that leave nothing: the one warning above the charts, which stay blank
    (the message once, not in every chart's heading, figure and summary)."""
    return {"summary": dbc.Alert(message, color="warning", id=NOTHING, className="py-2 mb-0"),
            "charts": empty_for(CHARTS, ""), "never": "", "pick": [],
            "inset": list(denmark.NOT_MOVED)}


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
            if not picked:   # no pick (the address names none): the hint again
                return t("municipalities.click_hint"), no_update
            code = picked  # a native select's value is a string
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


# The municipality picked (by a click on the map, the ranking or the matrix, or from the
# list) is ringed on the map and framed in the ranking and the matrix, so list, map and
# charts agree on it. A click picks rather than leaving the page: the reader compares it
# with the others, and its name beside the map leads to its own page. Patches only the
# figures' shapes (the map's inset frame kept), nothing redrawn; again after every redraw
# with a municipality picked (assets/pick-mark.js: the summary changes with each redraw),
# which brings back figures without the mark. A pick the redrawn view no longer offers (the
# filters left its region out) is let go instead: the list, the charts and the address then
# agree again (no list showing another municipality than the detail, no address a reload
# would not show).
clientside_callback(ClientsideFunction("borgmester_pick", "redrawn"),
                    Output(PICK_REDRAWN, "data"),
                    Output(PICK, "value", allow_duplicate=True), Input(SUMMARY, "children"),
                    State(PICK, "value"), State(PICK, "options"), prevent_initial_call=True)


@callback(Output(MAP, "figure", allow_duplicate=True),
          Output(RANKING, "figure", allow_duplicate=True),
          Output(MATRIX, "figure", allow_duplicate=True),
          Input(PICK, "value"), Input(PICK_REDRAWN, "data"), State(SUMMARY, "children"),
          State(MAP_INSET, "data"), prevent_initial_call=True)
def mark_picked(picked, _redrawn, summary, inset):
    if isinstance(summary, dict) and summary.get("props", {}).get("id") == NOTHING:
        return no_update, no_update, no_update   # blank charts: nothing to mark
    on_map, rows = [denmark.inset_frame(_offset(inset))], []
    if picked:
        with current_database().cursor() as con:
            on_map, rows = _marks(con, int(picked), inset)
    patches = []
    for chart, shapes in ((MAP, on_map), (RANKING, rows), (MATRIX, rows)):
        patch = Patch()
        own = OWN_SHAPES.get(chart, 0)
        if own:   # its own shapes first, kept; a mark after them replaced (at most one)
            del patch["layout"]["shapes"][own]
            patch["layout"]["shapes"].extend(shapes)
        else:
            patch["layout"]["shapes"] = shapes
        patches.append(patch)
    return tuple(patches)


def _marks(con, code: int, inset: list | None) -> tuple[list, list]:
    """The layout shapes marking municipality `code`: the map's (Bornholm's inset frame and
    the ring, where the map put its inset: `inset`, MAP_INSET's data) and the ranking's and
    the matrix's (the frame round its row)."""
    offset = _offset(inset)
    frame = denmark.inset_frame(offset)
    found = queries.municipality(con, code)
    if found.empty:
        return [frame], []
    row = found.iloc[0]
    outline = charts.map_boundaries(con).get(code)
    return ([frame, denmark.picked(outline, (row["lon"], row["lat"]), offset)],
            [figures.picked_row(row["municipality"])])


def _offset(inset: list | None) -> denmark.Offset:
    """MAP_INSET's data as an offset (none yet: the inset where the whole country has it)."""
    return (float(inset[0]), float(inset[1])) if inset else denmark.NOT_MOVED


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
    show_participation(programme_id, *view_filters.first_ticks({}, programme_id))
