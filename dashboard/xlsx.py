"""Tables as Excel workbooks that open right in Danish Excel.

Real dates stay dates, the header row is frozen, columns are wide enough to read, and text
that a spreadsheet would run as a formula (=, +, -, @ first) is stored as plain text.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@")
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"


def to_xlsx(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    sheet.append([str(c) for c in df.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(c)) for c in df.columns]
    for row in df.itertuples(index=False):
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # openpyxl would store it as a formula
            elif isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT if value.time() else DATE_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            widths[index] = max(widths[index], len(_shown(value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "00-00-0000 00:00"
    if isinstance(value, dt.date):
        return "00-00-0000"
    return "" if value is None else str(value)
