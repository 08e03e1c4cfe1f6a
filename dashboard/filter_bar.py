"""The shell's filter bar and the view in the address.

One bar (programme, region, session type, audience, year) above every page, one
`dcc.Location` (dashboard.ids.LOCATION) holding the view's query (dashboard.url_state), and
one callback between them (`sync`): a changed control writes the query (a new history
entry, no reload); a changed address (back/forward, a link followed) sets the controls.
The bar opens on the address it was loaded from, so a shared link shows its view at once.

Which filters a page's numbers depend on is declared once, url_state.PAGE_FILTERS by the
page's name; the bar hides the others there and says so, and the exports
(dashboard.downloads) take exactly the filters in force on the page (`filters_in_force`).
A page's own controls that live in the address ({"type": URL_CONTROL, "name": field}, e.g.
Økonomi's VAT switch) are built from the query by the page's layout and synced here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import dash
import dash_bootstrap_components as dbc
from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from dashboard import figures, queries, url_state
from dashboard.cache import cached_on_database
from dashboard.components import select
from dashboard.db import current_database
from dashboard.i18n import t
from dashboard.ids import (
    ACTIVE_FILTERS,
    ADDRESS_VIEW,
    ALL_TABLES,
    AS_TABLE,
    COPY_LINK,
    FILTER_AUDIENCES,
    FILTER_CONTROLS,
    FILTER_FORMATS,
    FILTER_NOTE,
    FILTER_REGIONS,
    FILTER_TOGGLE,
    FILTER_YEARS,
    LOCATION,
    NAV_LINK,
    PAGE_CHANGED,
    PAGE_PATH,
    PAGE_SEEN,
    PROGRAMME_SELECT,
    RESET_FILTERS,
    URL_CHOICE,
    URL_CHOICE_DEFAULT,
    URL_CONTROL,
)

# The bar's controls, by state field.
CONTROLS = {"regions": FILTER_REGIONS, "formats": FILTER_FORMATS,
            "audiences": FILTER_AUDIENCES, "years": FILTER_YEARS}
# A page's own controls in the address, whichever page is shown: its fields
# ({"type": URL_CONTROL, "name": field}, e.g. Økonomi's VAT switch), its charts' "Vis som
# tabel" switches and its choices (Planlægning's session). `sync` writes the address from
# them; the browser sets them from it (`applyAddress`) and tells a reader's change
# (`pageControlChanged`), both taking them in this order.
PAGE_FIELDS = {"type": URL_CONTROL, "name": ALL}
TABLE_SWITCHES = {"type": AS_TABLE, "chart": ALL}
PAGE_CHOICES = {"type": URL_CHOICE, "name": ALL}
PAGE_CONTROLS = (PAGE_FIELDS, TABLE_SWITCHES, PAGE_CHOICES)
GROUP = "{}-group"   # the box around a control, hidden where it does not apply


def page_filters(pathname: str | None) -> tuple[str, ...]:
    """The filter fields the numbers of the page at `pathname` depend on
    (url_state.PAGE_FILTERS); none for an unknown path."""
    for page in dash.page_registry.values():
        if page["relative_path"] == (pathname or "/"):
            return url_state.PAGE_FILTERS.get(page["name"], ())
    return ()


def everything(con, programme_id: str | None) -> dict[str, list]:
    """Every value each filter can take for the programme: all ticked means no narrowing."""
    years = queries.session_years(con, programme_id) if programme_id else []
    regions = sorted(url_state.REGION_CODES[r] for r in queries.regions(con)
                     if r in url_state.REGION_CODES)  # DST's order: north to east
    return {"regions": regions, "formats": list(figures.FORMAT_LABELS),
            "audiences": list(figures.AUDIENCE_LABELS), "years": years}


@cached_on_database
def filter_values(programme_id: str | None) -> dict[str, list]:
    """`everything` for the programme, kept until the database changes: `sync` needs it for
    every control changed (a session, a switch) and its two queries were most of its time,
    a request a session change waits for (issue 22). Not to be changed by a caller."""
    with current_database().cursor() as con:
        return everything(con, programme_id)


def narrowed(chosen: list | None, every: list) -> list:
    """The state's value for a checklist: [] when every value is ticked (no narrowing)."""
    chosen = list(chosen or [])
    return [] if set(chosen) >= set(every) else [v for v in every if v in chosen]


def ticked(state_value: list, every: list) -> list:
    """A checklist's ticks for a state's value ([] ticks all)."""
    kept = [v for v in every if v in set(state_value or [])]
    return kept or list(every)


def filters_in_force(search: str | None, pathname: str | None) -> queries.Filters:
    """The filters the page at `pathname` shows, from its address: only those its numbers
    depend on, as the queries take them."""
    state = url_state.decode(search)
    applies = page_filters(pathname)
    return queries.Filters(
        regions=tuple(url_state.REGIONS[c] for c in state["regions"])
        if "regions" in applies else (),
        formats=tuple(state["formats"]) if "formats" in applies else (),
        audiences=tuple(state["audiences"]) if "audiences" in applies else (),
        years=tuple(state["years"]) if "years" in applies else ())


def loaded_from() -> tuple[str, str]:
    """(path, query) of the page the shell is being built for: the layout is fetched by the
    page's script, which names the page as its referrer (same origin: Referrer-Policy
    same-origin). ("/", "") when there is none (a start-up build, a browser hiding it)."""
    if not has_request_context() or not request.referrer:
        return "/", ""
    address = urlparse(request.referrer)
    if address.netloc != request.host:
        return "/", ""
    return address.path or "/", f"?{address.query}" if address.query else ""


def layout(con, programmes: list[dict], newest: str | None) -> html.Div:
    """The bar, its controls set to the view in the address the page was loaded from."""
    pathname, search = loaded_from()
    state = url_state.decode(search, {"programme": [o["value"] for o in programmes]})
    programme = state["programme"] or newest
    every = everything(con, programme)
    names = dict(zip(every["regions"], [url_state.REGIONS[c] for c in every["regions"]],
                     strict=True))
    options = {
        "regions": [{"label": names[c].removeprefix("Region "), "value": c}
                    for c in every["regions"]],
        "formats": [{"label": figures.FORMAT_LABELS[k], "value": k} for k in every["formats"]],
        "audiences": [{"label": figures.AUDIENCE_LABELS[k], "value": k}
                      for k in every["audiences"]],
        "years": [{"label": str(y), "value": y} for y in every["years"]],
    }
    legends = {"regions": "municipalities.region", "formats": "municipalities.format",
               "audiences": "municipalities.audience", "years": "municipalities.period"}
    applies = page_filters(pathname)

    def group(field: str) -> html.Fieldset:
        return html.Fieldset([
            html.Legend(t(legends[field]), className="form-label fs-6 mb-1"),
            dbc.Checklist(id=CONTROLS[field], inline=True, options=options[field],
                          value=ticked(state[field], every[field])),
        ], id=GROUP.format(CONTROLS[field]), hidden=field not in applies,
            className="me-4 mb-2")

    shown = chips(state, applies)
    return html.Section([
        html.H2(t("filters.heading"), className="visually-hidden"),
        # On a phone the controls fold away behind "Filtre (n)" (n: the chips, the filters
        # in force) so the page starts near the top; wider, the button is not shown and
        # the controls always are (Bootstrap's d-md-none; assets/a11y.css and
        # assets/filter-toggle.js).
        html.Button([t("filters.toggle"), " (",
                     html.Span(str(active_count(shown)), className="filter-count"), ")"],
                    id=FILTER_TOGGLE, type="button", n_clicks=0,
                    className="btn btn-outline-primary btn-sm d-md-none mb-2",
                    **{"aria-expanded": "false", "aria-controls": FILTER_CONTROLS}),
        html.Div([
            html.Div([
                html.Div([
                    html.Label(t("shell.programme"), htmlFor=PROGRAMME_SELECT,
                               className="form-label me-2 mb-0"),
                    select(PROGRAMME_SELECT, options=programmes, value=programme,
                           className="programme-select"),
                ], className="d-flex flex-wrap align-items-center me-4 mb-2"),
                *[group(field) for field in url_state.FILTERS],
            ], className="d-flex flex-wrap align-items-start"),
            html.P(note(applies), id=FILTER_NOTE, className="small text-body-secondary mb-2"),
        ], id=FILTER_CONTROLS, className="filter-controls"),
        html.Div([
            html.Div(shown, id=ACTIVE_FILTERS, className="me-auto",
                     role="status", **{"aria-live": "polite"}),
            # Copies the address as the browser has it (assets/copy-link.js).
            html.Button(t("filters.copy_link"), id=COPY_LINK, n_clicks=0, type="button",
                        className="btn btn-outline-secondary btn-sm me-2",
                        **{"data-label": t("filters.copy_link"),
                           "data-copied": t("filters.link_copied"),
                           "data-failed": t("filters.link_not_copied"),
                           "aria-live": "polite"}),
            dbc.Button(t("filters.reset"), id=RESET_FILTERS, color="secondary", outline=True,
                       size="sm"),
            # Shown on the pages with charts or tables (dashboard.downloads.offer_all_tables).
            html.Button(t("table.all"), id=ALL_TABLES, n_clicks=0, type="button", hidden=True,
                        className="btn btn-outline-secondary btn-sm",
                        title=t("table.all_title")),
        ], className="d-flex flex-wrap align-items-center gap-2"),
        dcc.Location(id=LOCATION, refresh=False, pathname=pathname, search=search),
        dcc.Store(id=ADDRESS_VIEW), dcc.Store(id=PAGE_SEEN), dcc.Store(id=PAGE_CHANGED),
    ], className="filter-bar border rounded p-2 mb-3", **{"aria-label": t("filters.heading")})


def note(applies: tuple[str, ...]) -> str:
    """What the bar says where some of its filters do not apply to the page's numbers."""
    left = [f for f in url_state.FILTERS if f not in applies]
    if not left:
        return ""
    if len(left) == len(url_state.FILTERS):
        return t("filters.none_apply")
    names = ", ".join(t(f"filters.name.{f}").lower() for f in left)
    return t("filters.some_apply", names=names)


def active_count(shown_chips: list) -> int:
    """How many filters are in force: the chips, not the "no filters" line."""
    return sum(isinstance(chip, dbc.Badge) for chip in shown_chips)


# "Filtre (n)" opens and closes the controls on a phone and counts the chips, in the browser
# (assets/filter-toggle.js: no request).
clientside_callback(ClientsideFunction("borgmester", "filterToggle"),
                    Output(FILTER_CONTROLS, "className"), Output(FILTER_TOGGLE, "aria-expanded"),
                    Output(FILTER_TOGGLE, "children"),
                    Input(FILTER_TOGGLE, "n_clicks"), Input(ACTIVE_FILTERS, "children"),
                    State(FILTER_TOGGLE, "children"))


def chips(state: dict, applies: tuple[str, ...]) -> list:
    """The filters in force on the page, one badge each; "Ingen filtre" when none."""
    found = []
    for field in url_state.FILTERS:
        values = state.get(field) or []
        if field not in applies or not values:
            continue
        labels = {"regions": lambda c: url_state.REGIONS[c].removeprefix("Region "),
                  "formats": lambda k: figures.FORMAT_LABELS[k],
                  "audiences": lambda k: figures.AUDIENCE_LABELS[k],
                  "years": str}[field]
        found.append(dbc.Badge(f"{t(f'filters.name.{field}')}: "
                               + ", ".join(labels(v) for v in values),
                               color="primary", className="me-1 filter-chip", pill=True))
    return found or [html.Span(t("filters.no_chips"), className="small text-body-secondary")]


def carried(search: str | None) -> str:
    """The query the navigation's links carry from `search`: the bar's filters, not a page's
    own choices."""
    return url_state.encode(url_state.decode(search), only=url_state.SHARED)


# A page's controls in the address reach `sync` through PAGE_CHANGED, set in the browser only
# when a reader changes one (assets/view-address.js): Dash calls a callback whose inputs are
# in a page being shown or taken away even when it asks not to be called at first, and every
# page switch sent the bar a request, a round trip after the page's own.
clientside_callback(ClientsideFunction("borgmester", "pageControlChanged"),
                    Output(PAGE_SEEN, "data"), Output(PAGE_CHANGED, "data"),
                    *[Input(c, "value") for c in PAGE_CONTROLS],
                    *[State(c, "id") for c in PAGE_CONTROLS],
                    State(PAGE_SEEN, "data"))


# The controls set from the address (`sync`'s ADDRESS_VIEW), where they differ from it.
# Dash holds back every callback that a running one could reach through the callback graph,
# however far: were the controls this callback's outputs, each filter, switch or session
# change would wait for `sync` before the page's views are even asked. So the browser sets
# them itself (dash_clientside.set_props), and the graph ends here.
clientside_callback(ClientsideFunction("borgmester", "applyAddress"),
                    Input(ADDRESS_VIEW, "data"),
                    State(PROGRAMME_SELECT, "value"),
                    *[State(c, "value") for c in CONTROLS.values()],
                    State(FILTER_YEARS, "options"),
                    *[State(c, "value") for c in PAGE_CONTROLS],
                    *[State(c, "id") for c in PAGE_CONTROLS],
                    State(PAGE_CHOICES, "options"),
                    State({"type": URL_CHOICE_DEFAULT, "name": ALL}, "data"),
                    State({"type": URL_CHOICE_DEFAULT, "name": ALL}, "id"),
                    State(PAGE_SEEN, "data"),
                    State({"type": PAGE_PATH, "path": ALL}, "id"),
                    prevent_initial_call=True)


def same_path(path: str | None) -> str:
    """`path` as the page and the address compare it: no trailing slash (Dash routes
    /kommuner/ as /kommuner). A page with a path template (/kommuner/<kode>) is marked
    with Dash's placeholder path, which no address matches: its page has no controls."""
    return (path or "/").rstrip("/") or "/"


def with_page_path(layout: Callable[..., Component], path: str) -> Callable[..., Component]:
    """Page layout function `layout`, its page naming its `path` (a dcc.Store with the id
    {"type": PAGE_PATH, "path": path}) for `applyAddress`: during a switch the page going
    away is still shown when the new address's view arrives, and its controls set from that
    view ran its callbacks for nothing (leaving Planlægning after a session change asked the
    server for the whole page again). Every page's layout is wrapped so (dashboard.app)."""
    @functools.wraps(layout)
    def wrapped(**query: Any) -> Component:
        page = layout(**query)
        mark = dcc.Store(id={"type": PAGE_PATH, "path": same_path(path)})
        if isinstance(page, list):
            return html.Div([*page, mark])
        if isinstance(getattr(page, "children", None), list):
            page.children = [*page.children, mark]
            return page
        return html.Div([page, mark])
    wrapped.page_path = True
    return wrapped


@callback(
    output={"search": Output(LOCATION, "search"), "view": Output(ADDRESS_VIEW, "data"),
            "chips": Output(ACTIVE_FILTERS, "children", allow_duplicate=True),
            "nav": Output({"type": NAV_LINK, "path": ALL}, "href", allow_duplicate=True)},
    inputs={"search": Input(LOCATION, "search"), "programme": Input(PROGRAMME_SELECT, "value"),
            "controls": {f: Input(c, "value") for f, c in CONTROLS.items()},
            "reset": Input(RESET_FILTERS, "n_clicks"),
            "page_changed": Input(PAGE_CHANGED, "data")},
    state={"pathname": State(LOCATION, "pathname"),
           "page": State(PAGE_FIELDS, "value"), "tables": State(TABLE_SWITCHES, "value"),
           "choices": State(PAGE_CHOICES, "value"),
           "page_ids": State(PAGE_FIELDS, "id"), "choice_ids": State(PAGE_CHOICES, "id"),
           "table_ids": State(TABLE_SWITCHES, "id"),
           "nav_ids": State({"type": NAV_LINK, "path": ALL}, "id"),
           "programmes": State(PROGRAMME_SELECT, "options"),
           "year_options": State(FILTER_YEARS, "options")},
    prevent_initial_call="initial_duplicate")
def sync(search, programme, controls, reset, page_changed, pathname, page, tables, choices,
         page_ids, choice_ids, table_ids, nav_ids, programmes, year_options):
    """Controls and address kept as one: the one that changed sets the other. Called as the
    shell appears too (no trigger): then the address sets the controls where they differ
    from it (a page's layout draws its first view from the address already,
    dashboard.first_view).

    The address sets the controls through ADDRESS_VIEW ({"programme", "controls": {field:
    ticks}, "year_options", "page": {field: value}, "tables": [chart], "choices": {field:
    value or None}, "path"}), which the browser applies (assets/view-address.js), not as this
    callback's outputs: every callback reading a control would otherwise wait for this
    one's answer before it is even asked, a second round trip for each filter, switch or
    session changed (issue 22).
    The chips and the navigation's links come with the address written,
    in the same answer."""
    known = [o["value"] for o in programmes or []]
    allowed = {"programme": known}
    newest = known[0] if known else None
    applies = page_filters(pathname)
    trigger = ctx.triggered_id
    if trigger in (None, LOCATION, RESET_FILTERS):
        # The address changed (back/forward, a link), or "Nulstil filtre": set the controls.
        # The reset keeps what url_state.KEPT_ON_RESET names where the page shows it.
        if trigger == RESET_FILTERS:
            shown = {i["name"] for i in choice_ids}
            search = url_state.encode(url_state.decode(search, allowed),
                                      only=[f for f in url_state.KEPT_ON_RESET if f in shown])
        state = url_state.decode(search, allowed)
        chosen = state["programme"] or newest
        every = filter_values(chosen)
        view = {"programme": chosen,
                "controls": {f: ticked(state[f], every[f]) for f in CONTROLS},
                "year_options": [{"label": str(y), "value": y} for y in every["years"]],
                "page": {i["name"]: state[i["name"]] for i in page_ids},
                "tables": state["tables"],
                "choices": {i["name"]: state[i["name"]] for i in choice_ids},
                # The page it was read for: the page controls above are set only there.
                "path": same_path(pathname),
                # The bar's controls by field, for the browser to set (dashboard.ids).
                "ids": {"programme": PROGRAMME_SELECT, **CONTROLS, "seen": PAGE_SEEN}}
        return {"search": search if trigger == RESET_FILTERS else no_update, "view": view,
                "chips": chips(state, applies),
                "nav": [i["path"] + carried(search) for i in nav_ids]}
    # A control changed: write the address from every control on the page.
    # The years' options are the programme's (programme_years): narrow against those shown.
    every = {**filter_values(programme), "years": [o["value"] for o in year_options or []]}
    state: dict[str, Any] = url_state.defaults()
    state["programme"] = programme if programme != newest else None
    for field in CONTROLS:
        state[field] = narrowed(controls[field], every[field])
    for control_id, value in zip([*page_ids, *choice_ids], [*page, *choices], strict=True):
        state[control_id["name"]] = value
    state["tables"] = [i["chart"] for i, on in zip(table_ids, tables, strict=True) if on]
    written = url_state.encode(state, allowed)
    shared = carried(written)
    if shared == carried(search):
        # A page's own control (VAT, a session, "Vis som tabel"): the bar's filters are as
        # they were, and so are the chips and the links; redrawn, they cost the browser a
        # render after every such change.
        return {"search": written, "view": no_update, "chips": no_update,
                "nav": [no_update] * len(nav_ids)}   # a wildcard output takes a list
    return {"search": written, "view": no_update, "chips": chips(state, applies),
            "nav": [i["path"] + shared for i in nav_ids]}


@callback(Output(FILTER_YEARS, "value"), Output(FILTER_YEARS, "options"),
          Input(PROGRAMME_SELECT, "value"),
          State(FILTER_YEARS, "value"), State(FILTER_YEARS, "options"),
          prevent_initial_call=True)
def programme_years(programme, years, year_options):
    """Another programme has other years: keep those chosen that it has, else all."""
    with current_database().cursor() as con:
        every = queries.session_years(con, programme) if programme else []
    options = [{"label": str(y), "value": y} for y in every]
    if options == year_options:
        raise PreventUpdate
    before = set(narrowed(years, [o["value"] for o in year_options or []]))
    return [y for y in every if y in before] or list(every), options


@callback(Output(ACTIVE_FILTERS, "children"), Output(FILTER_NOTE, "children"),
          *[Output(GROUP.format(c), "hidden") for c in CONTROLS.values()],
          Input(LOCATION, "pathname"), State(LOCATION, "search"))
def show_in_force(pathname, search):
    """The chips, the note on what does not apply and the controls the page takes, for the
    page shown (the address written since: `sync`)."""
    applies = page_filters(pathname)
    return (chips(url_state.decode(search), applies), note(applies),
            *[field not in applies for field in CONTROLS])


clientside_callback(ClientsideFunction("borgmester_link", "copy"),
                    Output(COPY_LINK, "children"), Input(COPY_LINK, "n_clicks"),
                    State(COPY_LINK, "id"), prevent_initial_call=True)
