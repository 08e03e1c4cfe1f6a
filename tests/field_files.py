"""Import files written byte for byte as the programs KL's staff use write them.

Each writer is a pure function: rows in (a list of rows, each a list of Python values: str,
int, Decimal, date, datetime or None), bytes out (the CSV/text writers) or one workbook
written to a path (the XLSX writers, through openpyxl). The comment on each says what it
reproduces and where that behaviour is documented. Sources (read 2026-12-01):

[excel-enc]  donatstudios.com/CSV-An-Encoding-Nightmare: Excel's "Comma Separated Values"
             writes the locale's code page, Windows-1252 on Windows and MacRoman on the Mac,
             and a character the code page lacks silently becomes "_"; "CSV UTF-8" writes a
             BOM.
[mac-cr]     seeblog.seenet.ca, "CSV Support in Excel for Mac 2016 is a Travesty": Excel for
             Mac's CSV uses MacRoman and "incorrect line endings" (a bare CR, classic Mac).
[unicode]    herongyang.com/Unicode/Excel-Save-File-in-Unicode-Text-txt.html: "Unicode Text
             (*.txt)" is UTF-16 little-endian with BOM (FF FE), tab-separated, CRLF; the same
             site's Word page shows "Unicode (Big-Endian)" as FE FF + UTF-16BE, CRLF.
[sap-excel]  wiki.scn.sap.com/wiki/display/ABAP/Excel+files+-+CSV+format: how Excel tells a
             text file's encoding (EF BB BF, FF FE, FE FF, else the locale's code page).
[sep-line]   Excel reads a first line `sep=;` as the separator for the file (a hint line
             people and tools put in so Excel splits right whatever the list separator);
             Danish Excel's own list separator is ";" (the decimal separator is ",").
[rfc4180]    Excel, LibreOffice and Google Sheets quote a field only when it holds the
             separator, a double quote (doubled inside) or a line break.
[gsheets]    github.com/uniVocity/univocity-parsers/issues/530: a Google Sheets CSV download
             ends lines in CRLF ("Windows format") and has no line break after the last row;
             UTF-8 without BOM, ",".
[lo-csv]     LibreOffice Calc's CSV filter with its defaults on Linux, as headless soffice
             writes it (checked byte for byte in test_import_field): UTF-8 without BOM, ",",
             LF after every row, a field quoted only when it needs it.
[fixtures]   the CSV and text writers give the bytes of ../shared/fixtures/import-field's
             01a, 03, 04, 10 and 11 again from their rows (test_import_field checks it).
[forms]      ../shared/fixtures/import-field/06a-*.xlsx, an export from Microsoft Forms'
             "Åbn i Excel": one sheet "Sheet1"; columns Id (1, 2, 3 ... per form),
             Starttidspunkt, Fuldførelsestidspunkt (real date-times, format m/d/yy h:mm:ss),
             Mail, Navn, then one column per question.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

Row = Sequence[object]

CRLF, LF, CR = "\r\n", "\n", "\r"
BOM_UTF8 = codecs.BOM_UTF8
BOM_UTF16_LE = codecs.BOM_UTF16_LE
BOM_UTF16_BE = codecs.BOM_UTF16_BE

# Number formats Danish Excel gives a typed date or date-time ([excel-enc]'s screenshots and
# the fixtures 07/08 show these); a CSV written from such a cell holds the shown text.
DANISH_DATE = "dd-mm-yyyy"
DANISH_DATETIME = "dd-mm-yyyy hh:mm"
FORMS_DATETIME = "m/d/yy h:mm:ss"   # [forms]


def _underscore(error: UnicodeEncodeError) -> tuple[str, int]:
    """Excel's way with a character its code page lacks: "_" ([excel-enc])."""
    return "_" * (error.end - error.start), error.end


codecs.register_error("excel-underscore", _underscore)


def danish_text(value: object) -> str:
    """A cell's value as Danish Excel (and LibreOffice in Danish) shows it, so as a CSV holds
    it: dates dd-mm-yyyy, date-times dd-mm-yyyy hh:mm, decimals with a comma, no thousands
    separator (the General format), None as an empty field."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):f}".replace(".", ",")
    return str(value)


def quoted(text: str, sep: str) -> str:
    """A field as the spreadsheet programs quote it ([rfc4180]): in double quotes, quotes
    doubled, only when it holds the separator, a quote or a line break."""
    if sep in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def delimited(rows: Sequence[Row], sep: str, end: str, last_end: bool = True) -> str:
    """Rows as one text: fields by `danish_text`, quoted as needed, joined by `sep`, each
    line ended by `end` (the last too unless `last_end` is False)."""
    lines = [sep.join(quoted(danish_text(v), sep) for v in row) for row in rows]
    return end.join(lines) + (end if last_end and lines else "")


# --- The text files ------------------------------------------------------------------------

def excel_windows_csv(rows: Sequence[Row], sep: str = ";", sep_line: bool = False) -> bytes:
    """Danish Excel for Windows, "CSV (semikolonsepareret)": Windows-1252, `;`, CRLF after
    every line, a missing character as "_" ([excel-enc]). With `sep_line`, the first line is
    Excel's `sep=X` hint ([sep-line]) — and `sep` may then be another separator, as in a file
    made for Excel in another locale."""
    text = (f"sep={sep}{CRLF}" if sep_line else "") + delimited(rows, sep, CRLF)
    return text.encode("cp1252", errors="excel-underscore")


def excel_csv_utf8(rows: Sequence[Row]) -> bytes:
    """Excel's "CSV UTF-8 (kommasepareret)" in Danish: UTF-8 with BOM, `;`, CRLF
    ([excel-enc], [sap-excel])."""
    return BOM_UTF8 + delimited(rows, ";", CRLF).encode("utf-8")


def excel_mac_csv(rows: Sequence[Row], sep: str = ";") -> bytes:
    """Excel for Mac's CSV: MacRoman bytes, a bare CR ending each line, a missing character
    as "_" ([mac-cr], [excel-enc])."""
    return delimited(rows, sep, CR).encode("mac_roman", errors="excel-underscore")


def excel_unicode_text(rows: Sequence[Row], big_endian: bool = False) -> bytes:
    """Excel's "Unicode-tekst (*.txt)": UTF-16 little-endian with BOM FF FE, tab-separated,
    CRLF ([unicode]). `big_endian` gives the same text as UTF-16BE with BOM FE FF, as Word's
    "Unicode (Big-Endian)" and some converters save it ([unicode])."""
    text = delimited(rows, "\t", CRLF)
    if big_endian:
        return BOM_UTF16_BE + text.encode("utf-16-be")
    return BOM_UTF16_LE + text.encode("utf-16-le")


def libreoffice_csv(rows: Sequence[Row]) -> bytes:
    """LibreOffice Calc's CSV on Linux with its defaults: UTF-8 without BOM, `,`, LF after
    every row; a Danish decimal comma makes a number field quoted ([lo-csv], [rfc4180])."""
    return delimited(rows, ",", LF).encode("utf-8")


def google_sheets_csv(rows: Sequence[Row]) -> bytes:
    """Google Sheets' "Download > CSV": UTF-8 without BOM, `,`, CRLF between rows and none
    after the last ([gsheets], [rfc4180])."""
    return delimited(rows, ",", CRLF, last_end=False).encode("utf-8")


def mixed_line_ends(rows: Sequence[Row], ends: Sequence[str], sep: str = ";",
                    encoding: str = "utf-8") -> bytes:
    """One file whose lines end differently: line i ends in ends[i % len(ends)] — what a file
    becomes when rows from Excel (CRLF) are appended by a script or a Unix editor (LF), or an
    old Mac file (CR) is pasted into one."""
    lines = [sep.join(quoted(danish_text(v), sep) for v in row) for row in rows]
    return "".join(line + ends[i % len(ends)] for i, line in enumerate(lines)).encode(encoding)


# --- Workbooks ----------------------------------------------------------------------------

@dataclass
class Sheet:
    """One worksheet: its rows from row 1 on (an empty row is a blank one), its state
    (visible, hidden, veryHidden), merged ranges ("A1:H1") and list validations (cell range
    -> formula naming the list, as Excel's Data Validation writes them)."""
    title: str
    rows: Sequence[Row]
    state: str = "visible"
    merged: Sequence[str] = ()
    lists: dict[str, str] = field(default_factory=dict)


def write_workbook(path: Path, sheets: Sequence[Sheet], active: int = 0) -> Path:
    """A workbook saved through openpyxl: each Sheet in order, dates and date-times as real
    Excel dates with Danish Excel's formats (DANISH_DATE, DANISH_DATETIME), `active` the
    selected tab (only that sheet's tab selected, as Excel saves it). Returns `path`."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    for index, spec in enumerate(sheets):
        sheet = book.create_sheet(spec.title)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, dt.datetime):
                    cell.number_format = DANISH_DATETIME
                elif isinstance(value, dt.date):
                    cell.number_format = DANISH_DATE
        for area in spec.merged:
            sheet.merge_cells(area)
        for area, formula in spec.lists.items():
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(area)
            sheet.add_data_validation(validation)
        sheet.sheet_state = spec.state
        sheet.sheet_view.tabSelected = index == active
    book.active = active
    book.save(path)
    return path


def report_workbook(path: Path, title: str, subtitle_lines: Sequence[str], header: Row,
                    rows: Sequence[Row], header_row: int, sheet: str = "Deltagere") -> Path:
    """A report workbook as staff make one for a meeting: a title merged across the table's
    width in row 1, subtitle lines under it, blank rows, the header on `header_row`, the
    records under it. Returns `path`."""
    from openpyxl.utils import get_column_letter

    above = [[title], *[[line] for line in subtitle_lines]]
    assert len(above) < header_row, "the title lines must fit above the header"
    blank = [[]] * (header_row - 1 - len(above))
    width = get_column_letter(len(header))
    return write_workbook(path, [Sheet(sheet, [*above, *blank, header, *rows],
                                       merged=[f"A1:{width}1"])])


def workbook_with_lists_first(path: Path, header: Row, rows: Sequence[Row],
                              lists: dict[str, Sequence[str]], status_column: str) -> Path:
    """The common self-made registration workbook: a first sheet "Lister" holding the
    drop-down lists, hidden; the data on "Tilmeldinger", active, its status cells validated
    against the list (as Excel writes `Lister!$A$2:$A$5`). Returns `path`."""
    names = list(lists)
    longest = max(len(v) for v in lists.values())
    list_rows = [names, *[[lists[n][i] if i < len(lists[n]) else None for n in names]
                          for i in range(longest)]]
    status_list = f"Lister!$A$2:$A${1 + len(lists[names[0]])}"
    area = f"{status_column}2:{status_column}{1 + len(rows)}"
    return write_workbook(path, [Sheet("Lister", list_rows, state="hidden"),
                                 Sheet("Tilmeldinger", [header, *rows],
                                       lists={area: status_list})], active=1)


def ms_forms_export(path: Path, questions: Sequence[str],
                    answers: Sequence[tuple[dt.datetime, dt.datetime, str, str, Row]]) -> Path:
    """A Microsoft Forms export ([forms]): sheet "Sheet1"; Id numbered 1, 2, 3 ... in this
    form; Starttidspunkt and Fuldførelsestidspunkt real date-times in m/d/yy h:mm:ss; Mail
    and Navn of the respondent; then the answers to `questions` in order. `answers` holds
    (start, completion, mail, name, answers) per respondent. Returns `path`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Id", "Starttidspunkt", "Fuldførelsestidspunkt", "Mail", "Navn",
                  *questions])
    for number, (start, done, mail, name, given) in enumerate(answers, start=1):
        sheet.append([number, start, done, mail, name, *given])
        for column in (2, 3):
            sheet.cell(row=number + 1, column=column).number_format = FORMS_DATETIME
        for column, value in enumerate(given, start=6):
            if isinstance(value, dt.datetime):
                sheet.cell(row=number + 1, column=column).number_format = FORMS_DATETIME
    book.save(path)
    return path
