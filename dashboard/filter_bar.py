"""The shell's filter bar and the view in the address.

One bar (programme, region, session type, audience, year) above every page, one
`dcc.Location` (dashboard.ids.LOCATION) holding the view's query (dashboard.url_state), and
one callback between them (`sync`): a changed control writes the query (a new history
entry, no reload); a changed address (back/forward, a link followed) sets the controls.
The bar opens on the address it was loaded from, so a shared link shows its view at once.

Which filters a page's numbers depend on is the page's `filters` in its
dash.register_page entry; the bar hides the others there and says so, and the exports
(dashboard.downloads) take exactly the filters in force on the page (`filters_in_force`).
A page's own controls that live in the address ({"type": URL_CONTROL, "name": field}, e.g.
Økonomi's VAT switch) are built from the query by the page's layout and synced here.
"""

from __future__ import annotations

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
from flask import has_request_context, request

from dashboard import figures, queries, url_state
from dashboard.components import select
from dashboard.db import current_database
from dashboard.i18n import t
from dashboard.ids import (
    ACTIVE_FILTERS,
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
    PROGRAMME_SELECT,
    RESET_FILTERS,
    URL_CHOICE,
    URL_CONTROL,
)

# The bar's controls, by state field.
CONTROLS = {"regions": FILTER_REGIONS, "formats": FILTER_FORMATS,
            "audiences": FILTER_AUDIENCES, "years": FILTER_YEARS}
GROUP = "{}-group"   # the box around a control, hidden where it does not apply


def page_filters(pathname: str | None) -> tuple[str, ...]:
    """The filter fields the numbers of the page at `pathname` depend on (its
    register_page `filters`); none for an unknown path."""
    for page in dash.page_registry.values():
        if page["relative_path"] == (pathname or "/"):
            return tuple(page.get("filters", ()))
    return ()


def everything(con, programme_id: str | None) -> dict[str, list]:
    """Every value each filter can take for the programme: all ticked means no narrowing."""
    years = queries.session_years(con, programme_id) if programme_id else []
    regions = sorted(url_state.REGION_CODES[r] for r in queries.regions(con)
                     if r in url_state.REGION_CODES)  # DST's order: north to east
    return {"regions": regions, "formats": list(figures.FORMAT_LABELS),
            "audiences": list(figures.AUDIENCE_LABELS), "years": years}


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
    depend on (none on Overblik), as the queries take them."""
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
            dcc.Clipboard(id=COPY_LINK, title=t("filters.copy_link"),
                          children=t("filters.copy_link"),
                          copied_children=t("filters.link_copied"),
                          className="btn btn-outline-secondary btn-sm me-2"),
            dbc.Button(t("filters.reset"), id=RESET_FILTERS, color="secondary", outline=True,
                       size="sm"),
            # Shown on the pages with charts or tables (dashboard.downloads.offer_all_tables).
            html.Button(t("table.all"), id=ALL_TABLES, n_clicks=0, type="button", hidden=True,
                        className="btn btn-outline-secondary btn-sm",
                        title=t("table.all_title")),
        ], className="d-flex flex-wrap align-items-center gap-2"),
        dcc.Location(id=LOCATION, refresh=False, pathname=pathname, search=search),
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


def _bar_outputs() -> dict[str, Output]:
    return {field: Output(control, "value") for field, control in CONTROLS.items()}


@callback(
    output={"search": Output(LOCATION, "search"), "programme": Output(PROGRAMME_SELECT, "value"),
            "controls": _bar_outputs(), "year_options": Output(FILTER_YEARS, "options"),
            "page": Output({"type": URL_CONTROL, "name": ALL}, "value"),
            "tables": Output({"type": AS_TABLE, "chart": ALL}, "value")},
    inputs={"search": Input(LOCATION, "search"), "programme": Input(PROGRAMME_SELECT, "value"),
            "controls": {f: Input(c, "value") for f, c in CONTROLS.items()},
            "reset": Input(RESET_FILTERS, "n_clicks"),
            "page": Input({"type": URL_CONTROL, "name": ALL}, "value"),
            "tables": Input({"type": AS_TABLE, "chart": ALL}, "value"),
            "choices": Input({"type": URL_CHOICE, "name": ALL}, "value")},
    state={"page_ids": State({"type": URL_CONTROL, "name": ALL}, "id"),
           "choice_ids": State({"type": URL_CHOICE, "name": ALL}, "id"),
           "table_ids": State({"type": AS_TABLE, "chart": ALL}, "id"),
           "programmes": State(PROGRAMME_SELECT, "options"),
           "year_options": State(FILTER_YEARS, "options")})
def sync(search, programme, controls, reset, page, tables, choices, page_ids, choice_ids,
         table_ids, programmes, year_options):
    """Controls and address kept as one: the one that changed sets the other. Called as the
    shell or a page appears too (no trigger): then the address sets the controls where
    they differ from it (a page's layout draws its first view from the address already,
    dashboard.first_view)."""
    known = [o["value"] for o in programmes or []]
    allowed = {"programme": known}
    newest = known[0] if known else None
    unchanged = {"search": no_update, "programme": no_update,
                 "controls": {f: no_update for f in CONTROLS}, "year_options": no_update,
                 "page": [no_update] * len(page_ids), "tables": [no_update] * len(table_ids)}
    trigger = ctx.triggered_id
    if trigger in (None, LOCATION, RESET_FILTERS):
        # The address changed (back/forward, a link), or "Nulstil filtre": set the controls.
        state = url_state.decode("" if trigger == RESET_FILTERS else search, allowed)
        chosen = state["programme"] or newest
        with current_database().cursor() as con:
            every = everything(con, chosen)
        # Only what differs: a control set to the value it has would still count as
        # changed and call the page's callbacks, whose first view the layout has drawn.
        def differing(new, old):
            return no_update if new == old else new

        return {"search": "" if trigger == RESET_FILTERS else no_update,
                "programme": differing(chosen, programme),
                "controls": {f: differing(ticked(state[f], every[f]), controls[f])
                             for f in CONTROLS},
                "year_options": differing([{"label": str(y), "value": y}
                                           for y in every["years"]], year_options),
                "page": [differing(state[i["name"]], value)
                         for i, value in zip(page_ids, page, strict=True)],
                "tables": [differing(i["chart"] in state["tables"], bool(value))
                           for i, value in zip(table_ids, tables, strict=True)]}
    # A control changed: write the address from every control on the page.
    with current_database().cursor() as con:
        every = everything(con, programme)
    result = dict(unchanged)
    years = controls["years"]
    if trigger == PROGRAMME_SELECT:
        # Another programme has other years: keep those chosen that it has, else all.
        before = set(narrowed(years, [o["value"] for o in year_options or []]))
        years = [y for y in every["years"] if y in before] or list(every["years"])
        result["controls"] = {**unchanged["controls"], "years": years}
        result["year_options"] = [{"label": str(y), "value": y} for y in every["years"]]
    state: dict[str, Any] = url_state.defaults()
    state["programme"] = programme if programme != newest else None
    for field in CONTROLS:
        state[field] = narrowed(years if field == "years" else controls[field], every[field])
    for control_id, value in zip([*page_ids, *choice_ids], [*page, *choices], strict=True):
        state[control_id["name"]] = value
    state["tables"] = [i["chart"] for i, on in zip(table_ids, tables, strict=True) if on]
    result["search"] = url_state.encode(state, allowed)
    return result


@callback(Output(ACTIVE_FILTERS, "children"), Output(FILTER_NOTE, "children"),
          *[Output(GROUP.format(c), "hidden") for c in CONTROLS.values()],
          Output(COPY_LINK, "content"),
          Input(LOCATION, "search"), Input(LOCATION, "pathname"))
def show_in_force(search, pathname):
    """The chips, the note on what does not apply, the controls the page takes, and the link
    "Kopiér link" copies: all from the address."""
    applies = page_filters(pathname)
    link = request.host_url.rstrip("/") + (pathname or "/") + (search or "")
    return (chips(url_state.decode(search), applies), note(applies),
            *[field not in applies for field in CONTROLS], link)


@callback(Output({"type": NAV_LINK, "path": ALL}, "href"),
          Input(LOCATION, "search"), State({"type": NAV_LINK, "path": ALL}, "id"))
def carry_filters(search, link_ids):
    """The navigation keeps the bar's filters (not a page's own choices) from page to page."""
    shared = url_state.encode(url_state.decode(search), only=url_state.SHARED)
    return [i["path"] + shared for i in link_ids]
