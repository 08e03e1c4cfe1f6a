"""Download callbacks shared by every page: one chart (image or data), one page table, all
of a page's tables in one workbook, or the whole report.

Every download takes exactly what the reader sees on the page it is made from: the filters
the filter bar shows there (from the page's address, only those the page's numbers take:
dashboard.filter_bar.filters_in_force), its switches (VAT on Økonomi, the programme compared
with on Fastholdelse), and says them in the file. Charts and tables speak the
reader's language; the report stays Danish.
"""

from __future__ import annotations

import threading

import dash
from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    no_update,
)

from dashboard import charts, export, queries
from dashboard.components import view_options
from dashboard.db import current_database
from dashboard.filter_bar import filters_in_force
from dashboard.i18n import using
from dashboard.ids import (
    ALL_TABLES,
    CHART_EXPORT,
    DOWNLOAD,
    EXPORT_CLICKED,
    EXPORT_STATUS,
    LOCATION,
    PROGRAMME_SELECT,
    REPORT_CLICKED,
    REPORT_PDF,
    REPORT_PPTX,
    REPORT_STATUS,
    TABLE_EXPORT,
    VIEW_OPTION,
)

_render_lock = threading.Lock()  # one Chromium, one batch at a time

# What every download reads of the page it is clicked on: the programme, the page's address
# (its filters) and its switches (matched by ALL: none on a page without them).
PAGE_STATE = [State(PROGRAMME_SELECT, "value"),
              State(LOCATION, "search"), State(LOCATION, "pathname"),
              State({"type": VIEW_OPTION, "name": ALL}, "data"),
              State({"type": VIEW_OPTION, "name": ALL}, "id")]


def chart_file(chart_key: str, fmt: str, programme_id: str,
               filters: queries.Filters = queries.NO_FILTERS,
               options: dict | None = None) -> tuple[bytes, str]:
    """One chart as an image, or the data behind it as a table (as "Vis som tabel" shows
    it, with an "Om data" sheet in XLSX); with its file name. `options`: the page's view
    options (components.view_options)."""
    chart = charts.BY_KEY[chart_key]
    with current_database().cursor() as con:
        context = export.context_for(con, programme_id, filters, **(options or {}))
        name = export.file_name(chart.slug, context.data_as_of, fmt)
        if fmt in export.TABLE_FORMATS:  # the data only: no figure to draw
            return _tables_file(con, context, [chart], fmt), name
        (built,) = export.build_all(con, context, [chart])
    with _render_lock:
        return export.Renderer().image(built.figure, fmt), name


def table_file(table_key: str, fmt: str, programme_id: str,
               filters: queries.Filters = queries.NO_FILTERS,
               options: dict | None = None) -> tuple[bytes, str]:
    """One of a page's tables (charts.TABLES) as shown, as XLSX or CSV; with its name."""
    table = charts.TABLES_BY_KEY[table_key]
    with current_database().cursor() as con:
        context = export.context_for(con, programme_id, filters, **(options or {}))
        return (_tables_file(con, context, [table], fmt),
                export.file_name(table.slug, context.data_as_of, fmt))


def page_file(page: str, programme_id: str, filters: queries.Filters = queries.NO_FILTERS,
              options: dict | None = None) -> tuple[bytes, str] | None:
    """"Hent alle tabeller": every chart and table of `page` that its view draws, one
    sheet each, and "Om data", in one workbook; with its name. None for a page without."""
    with current_database().cursor() as con:
        context = export.context_for(con, programme_id, filters, **(options or {}))
        items = [chart for chart in charts.on(page, needs=None)
                 if chart.applies_to(context.view)] + list(charts.page_tables(page))
        if not items:
            return None
        return (_tables_file(con, context, items, "xlsx"),
                export.file_name(f"tabeller-{_page_slug(page)}", context.data_as_of, "xlsx"))


def _page_slug(page: str) -> str:
    """'Økonomi' -> 'oekonomi': a page's name as the pages' own paths spell it."""
    return (page.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            .replace(" ", "-"))


def _tables_file(con, context: export.ExportContext, items: list, fmt: str) -> bytes:
    """Charts' and tables' data as shown, as one file, saying the filters in force for them
    all."""
    view = context.view
    tables, uses = [], frozenset()
    for item in items:
        data = item.data(con, view)
        tables.append((item.slug, item.shown_table(data, view)))
        uses |= item.needs
    what = None
    if len(items) == 1 and isinstance(items[0], charts.Chart):
        data = items[0].data(con, view)
        what = items[0].finding(data) if len(data) else None
    return export.shown_file(tables, fmt, context.about(uses, what))


def report_file(fmt: str, programme_id: str,
                filters: queries.Filters = queries.NO_FILTERS) -> tuple[bytes, str]:
    with using("da"), current_database().cursor() as con:
        context = export.context_for(con, programme_id, filters)
        built = export.build_all(con, context)
        key_rows = export.key_figure_rows(con, programme_id, filters)
    make = export.report_pdf if fmt == "pdf" else export.report_pptx
    with using("da"), _render_lock:
        return (make(built, context, key_rows, export.Renderer()),
                export.file_name("rapport", context.data_as_of, fmt))


def _shown(search, pathname, option_values, option_ids):
    """The filters the page's filter bar shows (from its address, only those the page's
    numbers depend on) and its view options (VAT, a programme compared)."""
    return (filters_in_force(search, pathname), view_options(option_values, option_ids))


# A click on a chart's or a table's export menu names its item in EXPORT_CLICKED, in the
# browser (assets/export-click.js): the menus appearing with a page cost no request.
clientside_callback(ClientsideFunction("borgmester", "exportClicked"),
                    Output(EXPORT_CLICKED, "data"),
                    Input({"type": CHART_EXPORT, "chart": ALL, "format": ALL}, "n_clicks"),
                    Input({"type": TABLE_EXPORT, "table": ALL, "format": ALL}, "n_clicks"),
                    prevent_initial_call=True)


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input(EXPORT_CLICKED, "data"), *PAGE_STATE,
          # Never a silent wait: the message shows until the file is there (set in the
          # browser as the request leaves, undone as it returns).
          running=[(Output(EXPORT_STATUS, "hidden"), False, True)],
          prevent_initial_call=True)
def download_export(clicked, programme_id, *page):
    """The chart (image or data) or page table whose export item was clicked, with the
    page's filters and view options: `clicked` is {"id": the item's id, "at": ms}
    (assets/export-click.js)."""
    shown = _shown(*page)
    if not clicked or not programme_id:
        return no_update
    item = clicked["id"]
    if item.get("type") == CHART_EXPORT:
        content, name = chart_file(item["chart"], item["format"], programme_id, *shown)
    else:
        content, name = table_file(item["table"], item["format"], programme_id, *shown)
    return dcc.send_bytes(content, name)


def page_of(pathname: str | None) -> str | None:
    """The name of the page at `pathname` (dash.register_page's name)."""
    for page in dash.page_registry.values():
        if page["relative_path"] == (pathname or "/"):
            return page["name"]
    return None


@callback(Output(ALL_TABLES, "hidden"), Input("_pages_location", "pathname"))
def offer_all_tables(pathname):
    """"Hent alle tabeller" only on a page with charts or tables of the registry."""
    page = page_of(pathname)
    return not (charts.on(page, needs=None) or charts.page_tables(page))


@callback(Output(DOWNLOAD, "data", allow_duplicate=True), Input(ALL_TABLES, "n_clicks"),
          State("_pages_location", "pathname"), *PAGE_STATE, prevent_initial_call=True)
def download_all_tables(clicks, pathname, programme_id, *page):
    shown = _shown(*page)
    if not clicks or not programme_id or page_of(pathname) is None:
        return no_update
    made = page_file(page_of(pathname), programme_id, *shown)
    return no_update if made is None else dcc.send_bytes(*made)


# The report buttons reach the server on a click only (assets/export-click.js): as Overblik
# appeared, Dash called the report callback (its buttons mounting), a request that answered
# nothing, a round trip after the page's own.
clientside_callback(ClientsideFunction("borgmester", "exportClicked"),
                    Output(REPORT_CLICKED, "data"),
                    Input(REPORT_PDF, "n_clicks"), Input(REPORT_PPTX, "n_clicks"),
                    prevent_initial_call=True)


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input(REPORT_CLICKED, "data"),
          *PAGE_STATE,
          running=[(Output(REPORT_PDF, "disabled"), True, False),
                   (Output(REPORT_PPTX, "disabled"), True, False),
                   (Output(REPORT_STATUS, "hidden"), False, True)],
          prevent_initial_call=True)
def download_report(clicked, programme_id, *page):
    """The report of the button clicked: `clicked` is {"id": the button's id, "at": ms}
    (assets/export-click.js), None before any click."""
    shown = _shown(*page)
    if not programme_id or not clicked:
        return no_update
    content, name = report_file("pdf" if clicked["id"] == REPORT_PDF else "pptx",
                                programme_id, shown[0])
    return dcc.send_bytes(content, name)
