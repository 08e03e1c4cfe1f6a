"""Tables as Excel workbooks that open right in Danish Excel.

Real dates stay dates, the header row is frozen, columns are wide enough to read, and every
text is a typed text cell (never a formula, whatever it starts with), cleaned of the control
characters XML cannot hold by dashboard.cell_text, the one rule for text in table files; text
that looks like a formula also gets Excel's text prefix (the apostrophe typed before it), so it
stays text when a reader edits the cell.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.cell_text import is_formula_like, safe_text

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"


def to_xlsx(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    sheet.append([safe_text(str(c), typed=True) for c in df.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        _keep_text(cell)
    widths = [len(str(c)) for c in df.columns]
    for row in df.itertuples(index=False):
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, str):
                _keep_text(cell)
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


def _keep_text(cell) -> None:
    """A text cell stays text: openpyxl would store text starting with "=" as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True


def _cell_value(value: object) -> object:
    if isinstance(value, str):
        return safe_text(value, typed=True)
    if value is None or pd.isna(value):
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
