"""Read an export file, CSV or XLSX, into a DuckDB staging table of text cells with line numbers.

CSV: the delimiter (`,` `;` or tab) is read off the header line; UTF-8 (with or without BOM)
or Windows-1252 as Danish Excel saves it, decoded in Python because DuckDB has no cp1252
decoder offline; then DuckDB's own reader does the parsing, fast. XLSX: the first sheet (or a
named one) through openpyxl, with the sheet's own row numbers.

The staging table has `line` (1-based, header = line 1) and one VARCHAR column per header
column named c0, c1, ...; structurally broken rows (too many or too few cells) come back as
problems instead of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem, display_path

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # refuse zip bombs before openpyxl unpacks them


@dataclass
class StagedFile:
    """A source file staged as text cells: where it came from and what it holds."""

    path: Path
    table: str
    headers: list[str]
    sha256: str
    rows: int                                       # data records read (good and broken)
    problems: list[SourceProblem] = field(default_factory=list)  # broken records
    sheet: str | None = None
    header_line: int = 1
    blank_rows: int = 0                             # rows with no value at all: not records
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def display(self) -> str:
        return display_path(self.path)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, table: str,
               sheet: str | None = None) -> StagedFile:
    """Load `path` into the temporary table `table`; raises SourceError if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise SourceError([SourceProblem(display_path(path), None, None, "filen findes ikke")])
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _stage_xlsx(con, path, table, sheet)
    if path.suffix.lower() == ".xls":
        raise SourceError([SourceProblem(display_path(path), None, None,
                                         "det gamle Excel-format (.xls) kan ikke læses; gem "
                                         "filen som .xlsx eller CSV")])
    return _stage_csv(con, path, table)


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """The file's text and encoding: UTF-8 (a BOM promises it), else Windows-1252."""
    def refuse(error: UnicodeDecodeError, offset: int, what: str) -> SourceError:
        line = data[: offset + error.start].count(b"\n") + 1
        return SourceError([SourceProblem(shown, line, None,
                                          f"{what}; gem filen som CSV (UTF-8) eller som "
                                          "Excel-fil")])

    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise refuse(error, 3, "filen begynder som UTF-8 (BOM), men er det ikke") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise refuse(error, 0, "filen er hverken UTF-8 eller Windows-1252") from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedFile:
    shown = display_path(path)
    data = path.read_bytes()
    # hashlib lets go of the GIL on big buffers: the digest is computed while we decode.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(hashlib.sha256, data)
        text, encoding = _decode(data, shown)
        sha256 = digest.result().hexdigest()
    if not text or text.isspace():
        raise SourceError([SourceProblem(shown, 1, None, "filen er tom")])
    header_line = text[:65536].splitlines()[0]
    delimiter = _delimiter(header_line)
    try:
        headers = next(csv.reader([header_line], delimiter=delimiter))
    except csv.Error as error:
        raise SourceError([SourceProblem(shown, 1, None,
                                         f"overskriften kan ikke læses: {error}")]) from None
    readable = path
    temporary = None
    if encoding != "utf-8":  # DuckDB reads UTF-8 only: hand it a re-encoded copy
        handle, name = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        readable = temporary = Path(name)
    del text, data
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    try:
        con.execute(f"DROP TABLE IF EXISTS {table}_read")
        con.execute(
            f"CREATE TEMP TABLE {table}_read AS SELECT * FROM read_csv(?, delim = ?, "
            "header = true, quote = '\"', escape = '\"', columns = ?, auto_detect = false, "
            "strict_mode = true, store_rejects = true, rejects_table = 'csv_reject_errors', "
            "rejects_scan = 'csv_reject_scans')",
            [str(readable), delimiter, columns])
        broken = con.execute(
            "SELECT line, error_type, csv_line FROM csv_reject_errors ORDER BY line").fetchall()
    except duckdb.Error as error:
        raise SourceError([SourceProblem(shown, None, None,
                                         f"kan ikke læses som CSV: {error}")]) from None
    finally:
        if temporary:
            temporary.unlink(missing_ok=True)
    good = con.execute(f"SELECT count(*) FROM {table}_read").fetchone()[0]
    first_error = {}  # DuckDB may list a record once per missing cell
    for line, kind, raw in broken:
        first_error.setdefault(int(line), (kind, (raw or "").strip("\r\n")))
    problems = [SourceProblem(shown, line, None, _structure_reason(kind, len(headers)), raw)
                for line, (kind, raw) in sorted(first_error.items())]
    # Lines of the good records: every record line that was not broken, in order.
    broken_lines = sorted(first_error)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    if not broken_lines:  # the common case: record k sits on line k + 2
        con.execute(f"ALTER TABLE {table}_read ADD COLUMN line BIGINT")
        con.execute(f"UPDATE {table}_read SET line = rowid + 2")
        con.execute(f"ALTER TABLE {table}_read RENAME TO {table}")
    else:
        con.execute(
            f"""CREATE TEMP TABLE {table} AS
            WITH record_lines AS (
                SELECT line, row_number() OVER (ORDER BY line) - 1 AS k
                FROM range(2, ? + 2) t(line)
                WHERE NOT list_contains(?, line)
            )
            SELECT r.* EXCLUDE (k), l.line
            FROM (SELECT rowid AS k, * FROM {table}_read) r
            JOIN record_lines l USING (k)""",
            [good + len(broken_lines), broken_lines])
        con.execute(f"DROP TABLE {table}_read")
    con.execute("DROP TABLE IF EXISTS csv_reject_errors")
    con.execute("DROP TABLE IF EXISTS csv_reject_scans")
    # Spreadsheets save blank rows as ";;;;": no value at all, so not a record.
    empty = " AND ".join(f"nullif(trim(c{i}), '') IS NULL" for i in range(len(headers)))
    blank = con.execute(f"DELETE FROM {table} WHERE {empty}").fetchone()[0]
    return StagedFile(path, table, headers, sha256, good + len(broken_lines) - blank, problems,
                      encoding=encoding, delimiter=delimiter, blank_rows=blank)


def _structure_reason(kind: str, expected: int) -> str:
    if kind == "MISSING COLUMNS":
        return f"for få felter; overskriften har {expected}"
    if kind == "TOO MANY COLUMNS":
        return f"for mange felter; overskriften har {expected} (tjek skilletegn og citationstegn)"
    return f"rækken kan ikke læses ({kind.lower()})"


def _cell_text(value: object) -> str | None:
    """An Excel cell as the text the validation reads (dates as ISO, whole numbers bare)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str,
                sheet: str | None) -> StagedFile:
    from openpyxl import load_workbook

    shown = display_path(path)
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise SourceError([SourceProblem(shown, None, None,
                                         "ikke en gyldig XLSX-fil (filen er beskadiget eller "
                                         "af en anden type)")]) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise SourceError([SourceProblem(shown, None, None,
                                         f"udpakket fylder filen {unpacked // 2**20} MB; "
                                         "grænsen er 200 MB (en zip-bombe?)")])
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise SourceError([SourceProblem(shown, None, None,
                                         f"kan ikke læses som XLSX: {error}")]) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise SourceError([SourceProblem(shown, None, None,
                                         f"arket {sheet!r} findes ikke; arkene hedder "
                                         f"{', '.join(book.sheetnames)}")])
    worksheet = book[sheet] if sheet else book.worksheets[0]
    headers: list[str] | None = None
    header_line = 1
    blank = 0
    rows: list[list[object]] = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            blank += headers is not None  # blank rows are not records
            continue
        if headers is None:
            headers = [c or "" for c in cells]
            header_line = number
            continue
        cells = (cells + [None] * len(headers))[: len(headers)]
        rows.append([number, *cells])
    book.close()
    if headers is None:
        raise SourceError([SourceProblem(shown, 1, None, "arket er tomt")])
    names = ["line"] + [f"c{i}" for i in range(len(headers))]
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE TEMP TABLE {table} (line INTEGER, "
                + ", ".join(f"{n} VARCHAR" for n in names[1:]) + ")")
    if rows:
        import pandas as pd

        frame = pd.DataFrame(rows, columns=names).astype({n: "object" for n in names[1:]})
        con.register("xlsx_rows", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM xlsx_rows")
        con.unregister("xlsx_rows")
    return StagedFile(path, table, headers, hashlib.sha256(data).hexdigest(), len(rows),
                      sheet=worksheet.title, header_line=header_line,
                      blank_rows=blank)
