"""The Dash app: the shell every page sits in (skip link, navigation, language switch,
filter bar with the view in the address, demo strip)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, callback, dcc, html
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

# Imported for their callbacks ("Vis som tabel", every download), which every page uses.
import dashboard.chart_tables
import dashboard.downloads  # noqa: F401
from dashboard import cache, export, filter_bar, formatting, queries, uploads
from dashboard.access import Access
from dashboard.auth import install
from dashboard.db import current_database, use_database
from dashboard.first_view import ROUTING_INPUTS
from dashboard.i18n import CATALOGUE, LANGUAGES, language, t
from dashboard.ids import (
    DOWNLOAD,
    EXPORT_CLICKED,
    EXPORT_STATUS,
    MAIN,
    NAV_COLLAPSE,
    NAV_LINK,
    NAV_TOGGLE,
    NAVIGATE,
    PRINT_ADDRESS,
    REPORT_CLICKED,
    SESSION_CLICKED,
)
from dashboard.settings import setting
from dashboard.today import stale_age, today_for
from etl.paths import PROJECT_ROOT

PAGES_FOLDER = Path(__file__).resolve().parent / "pages"

_app: Dash | None = None


class DanishDash(Dash):
    """Dash whose page speaks the reader's language from the first byte: `<html lang>` and
    the text shown before the app has loaded."""

    def interpolate_index(self, **kwargs):
        kwargs["app_entry"] = kwargs["app_entry"].replace("Loading...", t("app.loading"))
        return super().interpolate_index(**kwargs).replace(
            '<html lang="da">', f'<html lang="{language()}">', 1)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'{inline}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'")


def create_app(database_path: Path, access: Access) -> Dash:
    """The app, reading `database_path`, behind a login. Made once per process: Dash's page
    registry is global."""
    global _app
    use_database(database_path)
    uploads.sweep(database_path)   # uploads expired while the app was down
    if _app is None:
        app = DanishDash(
            "dashboard",
            use_pages=True,
            pages_folder=str(PAGES_FOLDER),
            assets_folder=str(PROJECT_ROOT / "assets"),
            title="Borgmesterforløb",
            # Dash's "Updating..." would flicker through the tab title, in English.
            update_title=None,
            suppress_callback_exceptions=True,
            compress=True,  # plotly.js is 3 MB raw, 0,9 MB compressed
            # The programme picked in the shell, for the pages' layouts to draw their first
            # view with (dashboard.first_view).
            routing_callback_inputs=ROUTING_INPUTS,
        )
        app.index_string = app.index_string.replace("<html>", '<html lang="da">', 1)
        # A page opened with `tabel=` shows those charts as tables from the start; every page
        # names its path, for the address to set its controls only (filter_bar).
        for page in dash.page_registry.values():
            if callable(page["layout"]) and not getattr(page["layout"], "named_tables", False):
                page["layout"] = dashboard.chart_tables.with_named_tables(
                    page["layout"], page["path"])
            if callable(page["layout"]) and not getattr(page["layout"], "page_path", False):
                page["layout"] = filter_bar.with_page_path(page["layout"],
                                                           page["relative_path"])
        app.layout = shell_layout
        install(app.server, access.users, access.secret_key, access.throttle,
                access.sessions, access.secure_cookies, CONTENT_SECURITY_POLICY,
                pages=is_page)
        # Dash sets itself up (among other things, the list of bundles it may serve) on the
        # first request, and marks that done before doing it: requests arriving meanwhile (a
        # browser asks for a dozen bundles at once, gunicorn serves them in threads) got a
        # 500, "is not a registered library". Done here, before any request can arrive;
        # it also takes Dash's list of callbacks, so every page is imported above.
        with app.server.test_request_context("/"):
            app._setup_server()
        if setting("BORGMESTER_WARM_CACHE") == "1":
            cache.Warmer(newest_programme).start()
        if setting("BORGMESTER_WARM_BROWSER") == "1":
            export.warm()
        _app = app
    return _app


def is_page(path: str) -> bool:
    """Whether a login may lead back to `path`: a page's own path, or a path of a page's
    template (/kommuner/<kode>) whose values name something that exists (the page's
    `path_exists`, given its path variables)."""
    for page in dash.page_registry.values():
        if path == page["relative_path"] and not page.get("path_template"):
            return True
        template = page.get("path_template")
        if template:
            pattern = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", re.escape(template))
            match = re.fullmatch(pattern, path)
            if match and page["path_exists"](**{k: unquote(v)
                                                for k, v in match.groupdict().items()}):
                return True
    return False


def newest_programme() -> str | None:
    """The programme the selector opens on."""
    with current_database().cursor() as con:
        programmes = queries.programmes(con)
    return programmes["programme_id"].iloc[0] if len(programmes) else None


def shell_layout() -> html.Div:
    """Built per page load, so a newly swapped-in database shows at once."""
    with current_database().cursor() as con:
        info = queries.dataset_info(con)
        programmes = queries.programmes(con)
    options = [{"label": f"{row.title} ({row.period_start.year}–{row.period_end.year})",
                "value": row.programme_id} for row in programmes.itertuples()]
    navigation = dbc.Nav(
        # Each link carries the filter bar's query (dashboard.filter_bar.sync: carried).
        [dbc.NavLink(t(page["name_key"]), href=page["relative_path"], active="exact",
                     id={"type": NAV_LINK, "path": page["relative_path"]})
         for page in dash.page_registry.values()
         # A page of one municipality or session (in_menu=False) is reached from its name.
         if page.get("in_menu", True)
         and (not page.get("admin_only") or getattr(current_user, "is_admin", False))],
        pills=True, navbar=True, className="me-auto",
    )
    badges = [html.Span(t("shell.data_as_of", date=formatting.short_date(info.data_as_of)),
                        className="text-body-secondary me-2", id="data-as-of"),
              language_switch()]
    # A strip across the top, above the navigation and outside its collapsing menu: seen at
    # every width (a phone's closed menu hides nothing of it) and in print.
    demo = [html.Div([html.Strong(t("shell.demo"), id="demo-badge"), t("shell.demo_strip")],
                     id="demo-strip", className="demo-strip", role="note",
                     title=t("shell.demo_title"))] if info.is_demo else []
    if current_user.is_authenticated:  # Dash also builds the layout once at start-up
        badges.append(html.Form([
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            html.Span(current_user.name, className="text-body-secondary me-2 small",
                      id="current-user"),
            dbc.Button(t("shell.logout"), type="submit", color="link", size="sm",
                       className="p-0"),
        ], method="post", action="/logout", className="d-flex align-items-center ms-2"))
    header = dbc.Navbar(
        dbc.Container([
            html.Div(dbc.NavbarBrand(t("app.name"), href="/", className="fw-semibold me-0"),
                     className="d-flex align-items-center me-2"),
            # A plain button: dbc.NavbarToggler takes no aria-label or aria-expanded.
            html.Button(html.Span(className="navbar-toggler-icon"), id=NAV_TOGGLE, n_clicks=0,
                        type="button", className="navbar-toggler",
                        **{"aria-label": t("shell.menu"), "aria-controls": NAV_COLLAPSE,
                           "aria-expanded": "false"}),
            dbc.Collapse([
                navigation,
                html.Div(badges, className="d-flex flex-wrap align-items-center gap-1 py-1"),
            ], id=NAV_COLLAPSE, navbar=True, is_open=False),
        ], fluid=True),
        color="light", dark=False, expand="lg", className="mb-3 border-bottom",
    )
    with current_database().cursor() as con:
        bar = filter_bar.layout(con, options, options[0]["value"] if options else None)
    return html.Div([
        # The first thing a keyboard reaches: past the navigation, straight to the page.
        html.A(t("shell.skip"), href=f"#{MAIN}", id="skip-link",
               className="visually-hidden-focusable btn btn-primary m-2"),
        # The banner landmark: the demo strip is inside one, as axe asks of all content.
        html.Header([*demo, header]),
        # Printed pages only (assets/print.css, print.js): where the page came from.
        html.P([t("shell.printed_from") + " ", html.Span(id=PRINT_ADDRESS)],
               className="print-only small mx-3"),
        dbc.Container(html.Main([*stale_banner(info), bar, dash.page_container], id=MAIN,
                                tabIndex=-1),
                      fluid=True),
        dcc.Download(id=DOWNLOAD),
        # Shown while a chart's file is made (dashboard.downloads: the callback's running).
        html.P([dbc.Spinner(size="sm", spinner_class_name="me-2"), t("export.working")],
               id=EXPORT_STATUS, hidden=True, role="status",
               className="export-status alert alert-info py-2 px-3 mb-0 shadow-sm"),
        # A click on a chart leads to a municipality's or a session's page through this:
        # callback-nav moves within the app, as a dcc.Link does, without a reload.
        dcc.Location(id=NAVIGATE, refresh="callback-nav"),
        dcc.Store(id=EXPORT_CLICKED, storage_type="memory"),
        # Set in the browser on a click only (assets/export-click.js), here in the shell: a
        # callback whose input is in a page is called as the page appears, whatever it asks.
        dcc.Store(id=REPORT_CLICKED, storage_type="memory"),
        dcc.Store(id=SESSION_CLICKED, storage_type="memory"),
    ])


def stale_banner(info: queries.DatasetInfo) -> list:
    """On every page, when real data is older than BORGMESTER_STALE_DAYS: how old, and what to
    do about it (dashboard.today.stale_age). An empty list otherwise."""
    age = stale_age(info, today_for(info))
    if age is None:
        return []
    return [dbc.Alert(t("shell.stale", date=formatting.short_date(info.data_as_of),
                        days=formatting.number(age)),
                      color="warning", id="stale-data", className="py-2")]


def language_switch() -> html.A:
    """A link to the other language: sets the `sprog` cookie (remembered for a year) and comes
    back to the same page, which is then built in that language."""
    other = next(lang for lang in LANGUAGES if lang != language())
    name = CATALOGUE["language.name"][other]
    return html.A(name, href=f"/sprog/{other}", id="language-switch", lang=other,
                  hrefLang=other, className="btn btn-outline-primary btn-sm ms-2",
                  title=t("language.switch", name=name))


@callback(Output(NAV_COLLAPSE, "is_open"), Output(NAV_TOGGLE, "aria-expanded"),
          Input(NAV_TOGGLE, "n_clicks"), State(NAV_COLLAPSE, "is_open"),
          prevent_initial_call=True)
def toggle_navigation(_clicks, is_open):
    """The phone's menu button opens and closes the navigation."""
    return not is_open, "false" if is_open else "true"
