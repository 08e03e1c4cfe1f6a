"""Download callbacks shared by every page: one chart (image or data) or the whole report."""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from pathlib import Path

from dash import ALL, Input, Output, State, callback, ctx, dcc, no_update

from dashboard import charts, export
from dashboard.components import view_options
from dashboard.db import current_database
from dashboard.filter_bar import filters_in_force
from dashboard.i18n import using
from dashboard.ids import (
    CHART_EXPORT,
    DOWNLOAD,
    LOCATION,
    PROGRAMME_SELECT,
    REPORT_PDF,
    REPORT_PPTX,
    TABLE_EXPORT,
    VIEW_OPTION,
)

_render_lock = threading.Lock()  # one Chromium, one batch at a time


def shown(search: str | None, pathname: str | None) -> dict:
    """The filters in force on the page the download was asked from, in their JSON form
    (export.filters_from): exactly those the filter bar shows there, none where it shows
    none (Overblik's report is the whole programme's)."""
    return dataclasses.asdict(filters_in_force(search, pathname))


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


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input({"type": CHART_EXPORT, "chart": ALL, "format": ALL}, "n_clicks"),
          State(PROGRAMME_SELECT, "value"), State(LOCATION, "search"),
          State(LOCATION, "pathname"),
          State({"type": VIEW_OPTION, "name": ALL}, "data"),
          State({"type": VIEW_OPTION, "name": ALL}, "id"),
          prevent_initial_call=True)
def download_chart(clicks, programme_id, search, pathname, options, option_ids):
    if not ctx.triggered_id or not any(clicks) or not programme_id:
        return no_update
    content, name = chart_file(ctx.triggered_id["chart"], ctx.triggered_id["format"],
                               programme_id, shown(search, pathname),
                               view_options(options, option_ids))
    return dcc.send_bytes(content, name)


def table_file(table_key: str, fmt: str, programme_id: str,
               filters: dict | None = None) -> tuple[bytes, str]:
    table = charts.TABLES_BY_KEY[table_key]
    with using("da"), current_database().cursor() as con:
        context = export.context_for(con, programme_id, export.filters_from(filters))
        data = table.data(con, context.view)
    return (export.table_bytes(data, fmt, table.slug[:31]),
            export.file_name(table.slug, context.data_as_of, fmt))


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input({"type": TABLE_EXPORT, "table": ALL, "format": ALL}, "n_clicks"),
          State(PROGRAMME_SELECT, "value"), State(LOCATION, "search"),
          State(LOCATION, "pathname"),
          prevent_initial_call=True)
def download_table(clicks, programme_id, search, pathname):
    if not ctx.triggered_id or not any(clicks) or not programme_id:
        return no_update
    content, name = table_file(ctx.triggered_id["table"], ctx.triggered_id["format"],
                               programme_id, shown(search, pathname))
    return dcc.send_bytes(content, name)


@callback(Output(DOWNLOAD, "data", allow_duplicate=True),
          Input(REPORT_PDF, "n_clicks"), Input(REPORT_PPTX, "n_clicks"),
          State(PROGRAMME_SELECT, "value"), State(LOCATION, "search"),
          State(LOCATION, "pathname"),
          prevent_initial_call=True)
def download_report(pdf_clicks, pptx_clicks, programme_id, search, pathname):
    # Dash also calls this when the buttons mount (n_clicks None): only a click makes a report.
    clicked = {REPORT_PDF: pdf_clicks, REPORT_PPTX: pptx_clicks}.get(ctx.triggered_id)
    if not programme_id or not clicked:
        return no_update
    content, name = report_file("pdf" if ctx.triggered_id == REPORT_PDF else "pptx",
                                programme_id, shown(search, pathname))
    return dcc.send_bytes(content, name)
