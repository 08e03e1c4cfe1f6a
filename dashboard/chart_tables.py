""""Vis som tabel": every chart's data as a table, for screen readers and for reading numbers.

The table is the data behind the chart as dashboard.charts builds it for the XLSX/CSV export
(the same rows, nothing computed twice), built only when a reader turns the switch on. Column
headers and values are in the reader's language.
"""

from __future__ import annotations

import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, no_update

from dashboard import charts, export, figures, formatting
from dashboard.components import data_table
from dashboard.db import current_database
from dashboard.i18n import CATALOGUE, t
from dashboard.ids import (
    ACTIVE_FILTERS,
    AS_TABLE,
    GRAPH_BOX,
    PROGRAMME_SELECT,
    TABLE_BOX,
    TABLE_CONTENT,
)

# Where a chart's data carries positions or internal keys, the table leaves them out.
HIDDEN_COLUMNS = {"lat", "lon", "kommune_code", "session_id", "session_title", "weight"}
_LABELS = {"format": figures.FORMAT_LABELS, "audience": figures.AUDIENCE_LABELS,
           "status": figures.STATUS_LABELS, "cohort": figures.COHORT_LABELS,
           "path": figures.PATH_LABELS}
_KRONER = ("revenue_", "invoiced_", "outstanding_", "booked_", "list_price_")


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _formatter(column: str, series: pd.Series):
    """How one column's values read: kroner, shares, dates, labels, yes/no, numbers."""
    def guard(fmt):
        return lambda v: "–" if _missing(v) else fmt(v)

    if column in _LABELS:
        return guard(lambda v: _LABELS[column].get(v, v))
    if column.startswith(_KRONER) or column == "vat":
        return guard(formatting.kroner)
    if column.startswith("share_"):
        return guard(formatting.percent)
    if pd.api.types.is_datetime64_any_dtype(series):
        return guard(formatting.short_date)
    if pd.api.types.is_bool_dtype(series):
        return guard(lambda v: t("yes") if v else t("no"))
    if pd.api.types.is_numeric_dtype(series):
        return guard(formatting.number)
    return guard(str)


def table_frame(key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart's table shows: the matrix as municipality × session, the rest as
    they are, sessions named as on the chart's axis."""
    if key == "municipalities-matrix":
        sessions = data.drop_duplicates("session_id").sort_values("starts_at")
        wide = (data.assign(status=data["status"].map(figures.STATUS_LABELS))
                .pivot(index="municipality", columns="session_id", values="status")
                .reindex(index=list(dict.fromkeys(data["municipality"])),
                         columns=list(sessions["session_id"])))
        wide.columns = [figures.session_label(s, f)
                        for s, f in zip(sessions["starts_at"], sessions["format"], strict=True)]
        return wide.reset_index()
    frame = data.drop(columns=[c for c in data.columns if c in HIDDEN_COLUMNS])
    if {"starts_at", "format"} <= set(frame.columns):
        frame.insert(0, "session", [figures.session_label(s, f) for s, f in
                                    zip(frame.pop("starts_at"), frame["format"], strict=True)])
    return frame


def column_label(column: str) -> str:
    """A column's header from the catalogue; the matrix's session columns are their labels."""
    key = f"col.{column}"

    return t(key) if key in CATALOGUE else column


def chart_table(key: str, data: pd.DataFrame):
    """The data behind chart `key` as an accessible HTML table."""
    frame = table_frame(key, data)
    columns = {c: (column_label(c), _formatter(c, frame[c])) for c in frame.columns}
    return data_table(frame, columns, table_id=f"{key}-data-table", max_height="28rem")


@callback(Output({"type": GRAPH_BOX, "chart": MATCH}, "hidden"),
          Output({"type": TABLE_BOX, "chart": MATCH}, "hidden"),
          Output({"type": TABLE_CONTENT, "chart": MATCH}, "children"),
          Input({"type": AS_TABLE, "chart": MATCH}, "value"),
          Input(PROGRAMME_SELECT, "value"), Input(ACTIVE_FILTERS, "data"),
          State({"type": AS_TABLE, "chart": MATCH}, "id"), prevent_initial_call=True)
def show_as_table(as_table, programme_id, filters, switch_id):
    if not as_table:
        return (False, True, no_update) if ctx.triggered_id == switch_id else no_update
    chart = charts.BY_KEY.get(switch_id["chart"])
    if chart is None or not programme_id:  # the page fills `<id>-table` itself
        return True, False, no_update
    with current_database().cursor() as con:
        context = export.context_for(con, programme_id, export.filters_from(filters))
        data = chart.data(con, programme_id, context.sessions_held_by, context.filters)
    return True, False, chart_table(chart.key, data)
