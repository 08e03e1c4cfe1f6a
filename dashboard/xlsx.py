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
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dashboard.cell_text import is_formula_like, safe_text
from dashboard.columns import ShownTable
from dashboard.i18n import language

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
# Excel's number formats by column kind (dashboard.columns): the cell keeps its number, the
# format shows it with thousands separators, "kr." or "%" (Danish Excel writes 5.300 kr. and
# 70,0%; the codes themselves are locale-neutral).
NUMBER_FORMATS = {"count": "#,##0", "km": "#,##0", "share": "0.0%", "date": DATE_FORMAT,
                  "kr": {"da": '#,##0 "kr."', "en": '"DKK" #,##0'}}
SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def number_format(kind: str) -> str | None:
    """The Excel number format of a column of `kind` in the reader's language."""
    found = NUMBER_FORMATS.get(kind)
    return found[language()] if isinstance(found, dict) else found


def sheet_names(wanted: Iterable[str]) -> list[str]:
    """Excel-safe, unique sheet names (at most 31 characters, none of []:*?/\\) for
    `wanted`, in order; a repeated name gets " (2)", " (3)" within the limit."""
    names: list[str] = []
    for name in wanted:
        base = safe_text(name, typed=True).translate(_FORBIDDEN_IN_SHEET_NAMES).strip() or "Ark"
        candidate, number = base[:SHEET_NAME_MAX], 1
        while candidate.casefold() in (n.casefold() for n in names):
            number += 1
            suffix = f" ({number})"
            candidate = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        names.append(candidate)
    return names


def workbook(tables: list[tuple[str, ShownTable]], about: list[tuple[str, object]],
             about_name: str) -> bytes:
    """A workbook of `tables` (sheet name, table as shown), one sheet each, and a last sheet
    `about_name` of (label, value) lines: source, data date, filters, demo or real.

    Headers are the tables' own (bold, frozen); each column has its kind's number format
    (NUMBER_FORMATS) and its cells keep their numbers; days are date cells; a total row is
    bold under a line."""
    book = Workbook()
    book.remove(book.active)
    names = sheet_names([name for name, _ in tables] + [about_name])
    for name, (_, table) in zip(names, tables, strict=False):
        _write_table(book.create_sheet(name), table)
    sheet = book.create_sheet(names[-1])
    for label, value in about:
        sheet.append([safe_text(label, typed=True), _cell_value(value)])
        _keep_text(sheet.cell(row=sheet.max_row, column=1))
        cell = sheet.cell(row=sheet.max_row, column=2)
        _keep_text(cell)
        if isinstance(value, dt.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    _print_across(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, table: ShownTable) -> None:
    keys = list(table.frame.columns)
    sheet.append([safe_text(table.headers[k], typed=True) for k in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        _keep_text(cell)
    formats = [number_format(table.kinds[k]) for k in keys]
    widths = [len(table.headers[k]) for k in keys]
    rows = table.frame.itertuples(index=False)
    for row in rows:
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for index, value in enumerate(values):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, str):
                _keep_text(cell)
            elif value is not None and formats[index]:
                cell.number_format = formats[index]
            widths[index] = max(widths[index], len(_shown(value)) + 2 * bool(formats[index]))
    if table.has_total:
        line = Side(style="thin")
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.border = Border(top=line)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    _print_across(sheet)
    sheet.print_title_rows = "1:1"


def _print_across(sheet) -> None:
    """Printed landscape with every column on the paper (rows run on over pages)."""
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0


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
