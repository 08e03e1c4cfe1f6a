"""Download callbacks shared by every page: one chart (image or data) or the whole report."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

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
    no_update,
)

from dashboard import charts, export
from dashboard.components import view_options
from dashboard.db import current_database
from dashboard.i18n import using
from dashboard.ids import (
    ACTIVE_FILTERS,
    CHART_EXPORT,
    DOWNLOAD,
    EXPORT_CLICKED,
    PROGRAMME_SELECT,
    REPORT_PDF,
    REPORT_PPTX,
    TABLE_EXPORT,
    VIEW_OPTION,
)

_render_lock = threading.Lock()  # one Chromium, one batch at a time


def chart_file(chart_key: str, fmt: str, programme_id: str, filters: dict | None = None,
               options: dict | None = None) -> tuple[bytes, str]:
    """One chart as an image, or the data behind it as a table; with its file name.
    `options`: the page's view options (chart_tables.view_options), as the chart shows."""
    chart = charts.BY_KEY[chart_key]
    # Exports go into KL's Danish reports: Danish whatever language the reader chose.
    with using("da"), current_database().cursor() as con:
        context = export.context_for(con, programme_id, export.filters_from(filters),
                                     **(options or {}))
        name = export.file_name(chart.slug, context.data_as_of, fmt)
        if fmt in export.TABLE_FORMATS:  # the data only: no figure to draw
            data = chart.data(con, context.view)
            return export.table_bytes(data, fmt, chart.slug[:31]), name
        (built,) = export.build_all(con, context, [chart])
    with using("da"), _render_lock:
        return export.Renderer().image(built.figure, fmt), name


def report_file(fmt: str, programme_id: str, filters: dict | None = None) -> tuple[bytes, str]:
    with using("da"), current_database().cursor() as con:
        context = export.context_for(con, programme_id, export.filters_from(filters))
        built = export.build_all(con, context)
        key_rows = export.key_figure_rows(con, programme_id)
    make = export.report_pdf if fmt == "pdf" else export.report_pptx
    with using("da"), _render_lock, tempfile.TemporaryDirectory() as folder:
        pngs = export.render_pngs(built, export.Renderer(), Path(folder))
        return (make(built, pngs, context, key_rows),
                export.file_name("rapport", context.data_as_of, fmt))




def table_file(table_key: str, fmt: str, programme_id: str,
               filters: dict | None = None) -> tuple[bytes, str]:
    table = charts.TABLES_BY_KEY[table_key]
    with using("da"), current_database().cursor() as con:
        context = export.context_for(con, programme_id, export.filters_from(filters))
        data = table.data(con, context.view)
    return (export.table_bytes(data, fmt, table.slug[:31]),
            export.file_name(table.slug, context.data_as_of, fmt))


# A click on a chart's or a table's export menu names its item in EXPORT_CLICKED, in the
# browser (assets/export-click.js): the menus appearing with a page cost no request.
clientside_callback(ClientsideFunction("borgmester", "exportClicked"),
                    Output(EXPORT_CLICKED, "data"),
                    Input({"type": CHART_EXPORT, "chart": ALL, "format": ALL}, "n_clicks"),
                    Input({"type": TABLE_EXPORT, "table": ALL, "format": ALL}, "n_clicks"),
                    prevent_initial_call=True)


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input(EXPORT_CLICKED, "data"),
          State(PROGRAMME_SELECT, "value"), State(ACTIVE_FILTERS, "data"),
          State({"type": VIEW_OPTION, "name": ALL}, "data"),
          State({"type": VIEW_OPTION, "name": ALL}, "id"),
          prevent_initial_call=True)
def download_export(clicked, programme_id, filters, options, option_ids):
    """The chart (image or data) or page table whose export item was clicked:
    `clicked` is {"id": the item's id, "at": ms} (assets/export-click.js)."""
    if not clicked or not programme_id:
        return no_update
    item = clicked["id"]
    if item.get("type") == CHART_EXPORT:
        content, name = chart_file(item["chart"], item["format"], programme_id, filters,
                                   view_options(options, option_ids))
    else:
        content, name = table_file(item["table"], item["format"], programme_id, filters)
    return dcc.send_bytes(content, name)


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input(REPORT_PDF, "n_clicks"), Input(REPORT_PPTX, "n_clicks"),
          State(PROGRAMME_SELECT, "value"), State(ACTIVE_FILTERS, "data"),
          prevent_initial_call=True)
def download_report(pdf_clicks, pptx_clicks, programme_id, filters):
    # Dash also calls this when the buttons mount (n_clicks None): only a click makes a report.
    clicked = {REPORT_PDF: pdf_clicks, REPORT_PPTX: pptx_clicks}.get(ctx.triggered_id)
    if not programme_id or not clicked:
        return no_update
    content, name = report_file("pdf" if ctx.triggered_id == REPORT_PDF else "pptx",
                                programme_id, filters)
    return dcc.send_bytes(content, name)
