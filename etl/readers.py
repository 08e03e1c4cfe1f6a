"""Read an export file, CSV or XLSX, into a DuckDB staging table of text cells with line numbers.

CSV: the text as etl.decode reads the bytes (UTF-8 with or without BOM, UTF-16/32 by their
BOM, else Windows-1252 or Mac Roman, whichever is plausible Danish), every cell evened out
(Unicode spaces, invisible characters, NFC); the delimiter from Excel's `sep=` hint line or
read off the header line; the header the best-matching of the first HEADER_ROWS_SEARCHED
non-blank rows. DuckDB's own reader does the parsing, fast: of the file as it is when it is
UTF-8 with one kind of line end and needs nothing evened out, else of a UTF-8 copy named
for the process (DECODED_PREFIX) whose lines are the file's lines. XLSX: the active sheet if
visible, else the first visible one (or a named one) through openpyxl, with the sheet's own
row numbers, merged cells filled as Excel shows them, the header found the same way, and
cell text as Excel means it (OOXML's `_xHHHH_` escapes read as their characters, so an
escaped carriage return is one).

The staging table has `line` (the file's own line or row number) and one VARCHAR column per header
column named c0, c1, ...; structurally broken rows (too many or too few cells) come back as
problems instead of rows.

Every failure to read, at any point (a cut or garbled sheet is only noticed row by row, long
after the workbook opened), is a SourceError naming the file, the sheet and the line: never a
traceback, a temporary file's path or a parser's own text. A file with no data rows is refused.
Imports are bounded by MAX_ROWS, MAX_COLUMNS and MAX_UNPACKED_BYTES, checked before the rows
are validated.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import kinds
from etl.control_chars import CONTROL, CONTROL_BYTES
from etl.decode import decode, even_out, needs_evening_out
from etl.errors import MAX_PROBLEMS_HELD, SourceError, SourceProblem, display_path
from etl.reasons import code_point, sql_params, sql_render

# How well a row's cells match the headers of a known file kind: higher is better, 0 none
# (etl.kinds.header_score is the default).
HeaderScore = Callable[[list[str]], float]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}

# The bounds of one import file. `etl demo --scale 1000000` and benchmarks/import_1m.py write
# up to 1.000.000 rows (89 MB, 8 columns) in one file: twice that still passes.
MAX_ROWS = 2_000_000                    # data rows (records) in one file or sheet
MAX_COLUMNS = 200                       # columns of the header
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a CSV file's size; an XLSX file's size unpacked
                                        # (checked before openpyxl unpacks: no zip bombs)
# Parts of an XLSX file openpyxl parses whole, before the first row, at about 30 bytes of
# memory per byte of styles and 4 per byte of shared strings (measured: 10 MB of <xf>
# entries 0,36 GB, 100 MB of short shared strings 0,41 GB): each is held to a limit, read from
# the zip directory before openpyxl opens anything, so the worst file stays under about 1 GB.
MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024  # the shared strings (text cells' text): a
                                              # 1.000.000-row export of names needs ~50 MB
MAX_PART_BYTES = 10 * 1024 * 1024   # every other XML part (styles, workbook, relations, ...):
                                    # Excel's own are kilobytes. Sheets are read row by row.
MAX_HEADER_CHARS = 65_536   # a CSV header line longer than this is read no further
EXCEL_LAST_ROW = 1_048_576  # Excel's own last row: a row numbered past it is a broken file
XLSX_CHUNK_ROWS = 50_000    # sheet rows held in Python before they go to DuckDB


def source_name(shown: str, sheet: str | None) -> str:
    """How messages and the audit trail name a source: the file, and the sheet of a workbook
    (`eksport.xlsx [Tilmeldinger]`)."""
    return f"{shown} [{sheet}]" if sheet else shown


_LINE_BREAKS_AS_SPACES = str.maketrans("\r\n", "  ")


def _refuse_controls_in_header(where: str, headers: list[str], line: int) -> None:
    """Raise SourceError when a header cell holds a control character: such a header is not
    an export's (a file of NUL bytes, a binary file saved as .csv) and its columns would
    only be reported missing, without the reason. A line break is no such character: it is
    how Excel's Alt+Enter wraps a long header ("Tilmeldt<LF>den"), read as a space between
    words (etl.aliases.fold_header)."""
    for number, header in enumerate(headers, 1):
        if found := CONTROL.search(header.translate(_LINE_BREAKS_AS_SPACES)):
            raise refuse(where, "header_controls", line, char=code_point(found[0]),
                         column=number)


def refuse(where: str, code: str, line: int | None = None, **params: object) -> SourceError:
    """A whole-file refusal naming the file (and sheet) and, where known, the line: `code`
    of etl.reasons.REASONS with its params."""
    return SourceError([SourceProblem(where, line, None, code, params)])


def _too_many_rows(where: str, line: int | None = None) -> SourceError:
    return refuse(where, "too_many_rows", line, limit=MAX_ROWS)


def _too_many_columns(where: str, line: int, columns: int | None = None) -> SourceError:
    """`columns`: how many the header has, when known (a sheet is read no further right
    than one past the limit)."""
    if columns:
        return refuse(where, "too_many_columns", line, columns=columns, limit=MAX_COLUMNS)
    return refuse(where, "too_many_columns_unknown", line, limit=MAX_COLUMNS)


@dataclass
class StagedFile:
    """A source file staged as text cells: where it came from and what it holds."""

    path: Path
    table: str
    headers: list[str]
    sha256: str
    rows: int                                       # data records read (good and broken)
    problems: list[SourceProblem] = field(default_factory=list)  # broken records: the first
                                                    # MAX_PROBLEMS_HELD of them
    sheet: str | None = None
    sheet_named: bool = False                       # the sheet was asked for (--sheet)
    header_line: int = 1
    blank_rows: int = 0                             # rows with no value at all: not records
    encoding: str | None = None
    delimiter: str | None = None
    may_hold_controls: bool = True                  # False: no cell holds a control character
    shown: str | None = None                        # the name messages use, if not the path
    broken: int = 0                                 # structurally broken records, all of them
    broken_table: str | None = None                 # ... as rows (line, reason, raw) in SQL

    @property
    def display(self) -> str:
        return self.shown or display_path(self.path)

    @property
    def where(self) -> str:
        """The file, and for a workbook the sheet, as messages name it."""
        return source_name(self.display, self.sheet)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, table: str,
               sheet: str | None = None, shown: str | None = None,
               header_score: HeaderScore | None = None) -> StagedFile:
    """Load `path` into the temporary table `table` (columns `line`, c0, c1, ...).

    `shown` is the file's name in messages and the audit trail (e.g. the name a Data page
    upload had on the user's machine); by default the path as the user typed it.
    `sheet` names a workbook's sheet (a hidden one too); by default the active sheet if it is
    visible, else the first visible one. `header_score` rates a row's cells as a header
    (a list of cell texts -> a number, higher is better): the header is the best row among
    the first HEADER_ROWS_SEARCHED non-blank ones; by default etl.kinds.header_score.

    Raises SourceError, naming file, sheet and line, when the file cannot be read, is over
    a limit (MAX_ROWS, MAX_COLUMNS, MAX_UNPACKED_BYTES) or holds no data rows."""
    path = Path(path)
    shown = shown or display_path(path)
    if path.is_dir():  # the folder of an export typed instead of the file in it
        raise refuse(shown, "path_is_folder")
    if not path.is_file():
        raise refuse(shown, "file_missing")
    if path.suffix.lower() == ".xls":
        raise refuse(shown, "xls_format")
    size = path.stat().st_size
    if size > MAX_UNPACKED_BYTES:
        raise refuse(shown, "file_too_big", size=size, limit=MAX_UNPACKED_BYTES)
    header_score = header_score or kinds.header_score
    if path.suffix.lower() in XLSX_SUFFIXES:
        staged = _stage_xlsx(con, path, table, sheet, shown, header_score)
    else:
        staged = _stage_csv(con, path, table, shown, header_score)
    if not staged.rows:
        # An import of no rows would still move "data pr." to today on every page.
        raise refuse(staged.where, "no_data_rows", staged.header_line)
    return staged


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """The file's text and encoding (etl.decode.decode, which see)."""
    return decode(data, shown)


# The UTF-8 copy of a CSV file that DuckDB cannot read as it is (another encoding than UTF-8,
# characters evened out, line ends made one kind: see _stage_csv), which DuckDB reads
# instead: in the system's temporary folder, named for the product and the process
# that wrote it (borgmester-decoded-PID-RANDOM.csv). It is removed when the file has been
# read; a killed import's copy (its process is gone) is removed by the next import.
DECODED_PREFIX = "borgmester-decoded-"
_DECODED_NAME = re.compile(rf"{re.escape(DECODED_PREFIX)}(\d+)-[a-z0-9_]+\.csv")


def _decoded_copy(body: bytes) -> Path:
    """`body` (UTF-8) written to a new file named for this process; the caller removes it.
    Raises OSError (nothing left behind) when it cannot be written, e.g. a full disk."""
    handle, name = tempfile.mkstemp(prefix=f"{DECODED_PREFIX}{os.getpid()}-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: no signal, only the check that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, and belongs to another user
        return True
    except (OverflowError, ValueError):  # no process can have such a number
        return False
    return True


def clear_decoded_copies() -> list[Path]:
    """Remove the decoded copies (see DECODED_PREFIX) that killed imports left in the
    temporary folder: this user's files whose process is gone. A running process's copy
    stays; folders and other names are never touched, symbolic links are removed, never
    followed. Returns what was removed. Call at the start of an import (etl.importer)."""
    removed = []
    for entry in Path(tempfile.gettempdir()).iterdir():
        found = _DECODED_NAME.fullmatch(entry.name)
        if not found or _process_alive(int(found.group(1))):
            continue
        try:
            if entry.lstat().st_uid != os.getuid() or entry.is_dir():
                continue
            entry.unlink()
        except OSError:  # gone meanwhile, or not ours to remove
            continue
        removed.append(entry)
    return removed


def _physical_lines(data: bytes) -> int:
    """How many lines `data` has, whatever ends them (LF, CRLF, CR or a mix): exact, as
    the check for broken records relies on it never being too low."""
    feeds, returns = data.count(b"\n"), data.count(b"\r")
    ends = feeds if not returns else feeds + returns - data.count(b"\r\n")
    return ends + (not data.endswith((b"\n", b"\r")))


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# Excel's hint line above a CSV file's header ("sep=;"), which Excel writes and reads as the
# delimiter and not as a row: any case, spaces around, one of the delimiters read.
_SEP_HINT = re.compile(r"\s*sep=([;,\t])\s*", re.IGNORECASE)
_LINE_END = re.compile(r"\r\n|\r|\n")
_BLANK_ROW = re.compile(r"[\s;,]*")  # no value at all: "", ";;;;" (a spreadsheet's blank row)
HEADER_ROWS_SEARCHED = 20     # the header is looked for among this many non-blank rows
HEADER_SEARCH_CHARS = 4 * MAX_HEADER_CHARS  # ... in at most this much of a CSV file's start


@dataclass
class _TableStart:
    """Where a CSV file's table begins: its header's first physical line, cells and
    delimiter, its last physical line (below `line` when a quoted header cell holds a line
    break, Excel's Alt+Enter: the data starts on the line after `last_line`), and the rows
    above it as DuckDB's `skip` counts them (the sep= line, title rows, each blank line)."""

    line: int
    headers: list[str]
    delimiter: str
    last_line: int = 0
    skip: int = -1

    def __post_init__(self) -> None:
        self.last_line = max(self.last_line, self.line)
        if self.skip < 0:
            self.skip = self.line - 1


def _row_at(lines: list[str], first: int, delimiter: str) -> tuple[list[str] | None, int]:
    """The CSV row starting at `lines[first]`: its cells and how many physical lines it takes.
    A quoted cell may hold line breaks (Excel's Alt+Enter), so the row goes on over the
    following lines, at most MAX_LINES_IN_A_CELL of them, each break read as LF. Cells None
    (taking one line) when the row cannot be read or its quote is not closed within them."""
    window = lines[first:first + MAX_LINES_IN_A_CELL]
    read_past: list[bool] = []

    def feed() -> Iterator[str]:
        yield from (line + "\n" for line in window)
        read_past.append(True)  # csv asks for a line more only inside an open quote

    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        cells = next(reader)
    except (csv.Error, StopIteration):
        return None, 1
    return (None, 1) if read_past else (cells, reader.line_num)


def _find_table(text: str, shown: str, header_score: HeaderScore) -> _TableStart:
    """The header of a CSV file's `text`: after Excel's `sep=` hint line if there is one (it
    sets the delimiter), the row among the first HEADER_ROWS_SEARCHED non-blank rows that
    `header_score` rates highest (the earliest of equals; the first non-blank row when none
    scores above 0), so title rows and blank rows above it are passed over. Rows are read as
    CSV, so a quoted cell may span lines (`_row_at`). Line numbers are physical: CR, LF and
    CRLF each end a line.

    Raises SourceError for a file with no row, or whose first row is too long or too wide to
    be a header (MAX_HEADER_CHARS, MAX_COLUMNS), or whose chosen header cannot be read."""
    window = text[:HEADER_SEARCH_CHARS + 1]
    lines = _LINE_END.split(window)
    if len(text) > HEADER_SEARCH_CHARS:
        lines[-1] = lines[-1][:MAX_HEADER_CHARS + 1]  # maybe cut: only its length is used
    hint = _SEP_HINT.fullmatch(lines[0])
    rows: list[tuple[int, int, int, str, list[str] | None]] = []
    # ... each (line, last line, rows above as `skip` counts them, delimiter, cells)
    index = above = 1 if hint else 0   # lines[index] is physical line index + 1
    while index < len(lines):
        number, line = index + 1, lines[index]
        delimiter = hint[1] if hint else _delimiter(line)
        if len(line) > MAX_HEADER_CHARS:  # read no further: the count would be a guess
            if rows:
                break  # a long data row below the header
            if line.count(delimiter) >= MAX_COLUMNS:
                raise _too_many_columns(shown, number)
            raise refuse(shown, "header_too_long", number, line=number,
                         limit=MAX_HEADER_CHARS)
        if _BLANK_ROW.fullmatch(line):
            index += 1
            above += 1
            continue
        cells, taken = _row_at(lines, index, delimiter)
        rows.append((number, number + taken - 1, above, delimiter, cells))
        index += taken
        above += 1
        if len(rows) == HEADER_ROWS_SEARCHED:
            break
    if not rows:
        raise refuse(shown, "file_empty", 1)
    scores = [header_score(cells) if cells is not None else 0 for *_, cells in rows]
    best = max(range(len(rows)), key=lambda i: (scores[i], -i))  # the earliest of equals
    number, last, above, delimiter, headers = rows[best if scores[best] > 0 else 0]
    if headers is None:
        raise refuse(shown, "header_unreadable", number)
    if len(headers) > MAX_COLUMNS:
        raise _too_many_columns(shown, number, len(headers))
    _refuse_controls_in_header(shown, headers, number)
    return _TableStart(number, headers, delimiter, last, above)


def _one_kind_of_line_end(text: str, start: _TableStart) -> str:
    """`text` with every line ending in LF, when its lines do not all end in LF or all in
    CRLF (DuckDB reads one kind per file): CR alone (Excel for Mac) becomes LF, and so does
    CRLF in a file that mixes kinds. A CR alone in a file that also ends lines in LF is a line
    end only where it ends a row (as many delimiters as the header, quotes closed); else it is
    a stray character inside a row, kept for the read to refuse naming its line. Line numbers
    do not move: each line end stays one. `text` itself when nothing is to change."""
    if "\r" not in text:  # the common case, found at memchr speed
        return text
    returns, feeds = text.count("\r"), text.count("\n")
    if not feeds:
        return text.replace("\r", "\n")
    pairs = text.count("\r\n")
    if returns == pairs == feeds:
        return text
    text = text.replace("\r\n", "\n")
    if "\r" not in text:
        return text
    pieces: list[str] = []
    last = 0
    for found in re.finditer("\r", text):  # the CRs alone: few, or the file is refused
        at = found.start()
        if _ends_a_row(text, last, at, start):
            pieces += [text[last:at], "\n"]
            last = at + 1
    return "".join(pieces) + text[last:] if pieces else text


MAX_LINES_IN_A_CELL = 50   # LFs inside one quoted cell looked back over (Alt+Enter breaks)


def _ends_a_row(text: str, floor: int, at: int, start: _TableStart) -> bool:
    """Whether the CR at `at` ends a row: the text since the line end before it (at or after
    `floor`; an LF inside a quoted cell is no line end) has its quotes closed and as many
    fields as the header."""
    row_start = max(floor, text.rfind("\n", floor, at) + 1)
    for _ in range(MAX_LINES_IN_A_CELL):
        if not text.count('"', row_start, at) % 2 or row_start <= floor:
            break
        row_start = max(floor, text.rfind("\n", floor, row_start - 1) + 1)
    row = text[row_start:at]
    if row.count('"') % 2:
        return False  # inside a quoted cell
    try:
        return len(next(csv.reader([row], delimiter=start.delimiter))) == len(start.headers)
    except (csv.Error, StopIteration):
        return False


def _blank_lines(body: bytes, after: int) -> list[int]:
    """The physical lines after line `after` of the LF-ended UTF-8 `body` that are empty:
    DuckDB passes over them without a record, so the records after one are numbered past it.
    Found in C: only the empty lines themselves are visited."""
    lines, line, position = [], 1, 0
    for found in re.finditer(rb"\n(?=\r?\n)", body):
        line += body.count(b"\n", position, found.start() + 1)
        position = found.start() + 1
        if line > after:
            lines.append(line)
    return lines


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, shown: str,
               header_score: HeaderScore) -> StagedFile:
    data = path.read_bytes()
    # hashlib lets go of the GIL on big buffers: the digest is computed while we decode.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(hashlib.sha256, data)
        text, encoding = _decode(data, shown)
        sha256 = digest.result().hexdigest()
    if not text or text.isspace():
        raise refuse(shown, "file_empty", 1)
    as_read = text
    # Cells evened out (Unicode spaces, invisible characters, NFC) in the whole text at once:
    # none of it touches a delimiter, a quote or a line end. A file that needs none of it is
    # seen to from its bytes, in C (no cost at 1M rows).
    beyond = None   # UTF-8's bytes less _HARMLESS_BYTES (and the BOM): what the checks read
    if encoding in ("utf-8", "utf-8-sig"):
        beyond = data.translate(None, _HARMLESS_BYTES)[3 if encoding == "utf-8-sig" else 0:]
    if needs_evening_out(data if beyond is None else beyond,
                         encoding if beyond is None else "utf-8"):
        text = even_out(text)
    start = _find_table(text, shown, header_score)
    text = _one_kind_of_line_end(text, start)
    # DuckDB reads UTF-8 only, one kind of line end: hand it the file as read when it is that,
    # else a UTF-8 copy of the text, whose lines are the file's lines.
    rewritten = encoding != "utf-8" or text is not as_read  # each step returns its input
    body = text.encode("utf-8") if rewritten else data      # when it changes nothing
    may_hold_controls = _may_hold_controls(body, start.delimiter,
                                           None if rewritten else beyond)
    del text, as_read, data, beyond
    # Physical lines after the header: every record takes one or more, so when as many records
    # read well, none is broken (the common case) and DuckDB's costly reject list is not made.
    lines = _physical_lines(body) - start.last_line
    readable = path
    temporary = None
    if rewritten:
        readable = temporary = _decoded_copy(body)
    columns = {f"c{i}": "VARCHAR" for i in range(len(start.headers))}
    skip = start.skip   # Excel's sep= line, title and blank rows above the header
    try:
        good = _read_csv(con, readable, start.delimiter, columns, f"{table}_read", skip,
                         rejects=False)
        broken, first, blank = 0, [], []
        if lines > good:
            blank = _blank_lines(body, start.last_line)
            if lines > good + len(blank):
                broken, first = _broken_records(con, readable, start, columns, table, shown,
                                                good, lines - good)
    except duckdb.OutOfMemoryException:
        raise  # the importer says what the limit is
    except duckdb.Error:
        # DuckDB's own text names the temporary copy and its parser states: not for people.
        # The one cause seen is a carriage return (CR) alone inside a row; name its line.
        stray_cr = _first_stray_cr(body)
        raise refuse(shown, "csv_unreadable" if stray_cr is None else "stray_cr",
                     stray_cr) from None
    finally:
        if temporary:
            temporary.unlink(missing_ok=True)
    del body
    problems = [SourceProblem(shown, line, None, code, params, raw)
                for line, code, params, raw in first]
    records = good + broken
    if records > MAX_ROWS:
        raise _too_many_rows(shown)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    # A record holding a quoted line break (Alt+Enter in a cell) takes more than one line.
    spanning = lines > records + len(blank)
    if not broken and not blank and not spanning:  # common: record k on line k + header + 1
        con.execute(f"ALTER TABLE {table}_read ADD COLUMN line BIGINT")
        con.execute(f"UPDATE {table}_read SET line = rowid + {start.last_line + 1}")
        con.execute(f"ALTER TABLE {table}_read RENAME TO {table}")
    else:
        # Lines of the good records: every line after the header that was neither broken nor
        # empty, in order (anti-joins, so a file with many broken rows costs no more than one
        # with few); record k starts on the (k + e)-th of them, e the line breaks inside the
        # records before it (each break in a cell moves the records after it a line on).
        if not broken:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_broken (line BIGINT)")
        breaks = " + ".join(f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"
                            for i in range(len(start.headers))) if spanning else "0"
        con.execute(
            f"""CREATE TEMP TABLE {table} AS
            WITH record_lines AS (
                SELECT line, row_number() OVER (ORDER BY line) - 1 AS i
                FROM range(?, ?) t(line)
                ANTI JOIN {table}_broken b USING (line)
                ANTI JOIN (SELECT unnest(?::BIGINT[]) AS line) e USING (line)
            ), read AS (
                SELECT rowid AS k, *, coalesce(sum({breaks}) OVER (ORDER BY rowid ROWS
                    BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS breaks_before
                FROM {table}_read
            )
            SELECT r.* EXCLUDE (k, breaks_before), l.line
            FROM read r JOIN record_lines l ON l.i = r.k + r.breaks_before""",
            [start.last_line + 1, start.last_line + 2 + lines, blank])
        con.execute(f"DROP TABLE {table}_read")
        if not broken:
            con.execute(f"DROP TABLE {table}_broken")
    # Spreadsheets save blank rows as ";;;;": no value at all, so not a record.
    empty = " AND ".join(f"nullif(trim(c{i}), '') IS NULL" for i in range(len(start.headers)))
    blank_rows = con.execute(f"DELETE FROM {table} WHERE {empty}").fetchone()[0]
    return StagedFile(path, table, start.headers, sha256, records - blank_rows, problems,
                      header_line=start.line, encoding=encoding, delimiter=start.delimiter,
                      blank_rows=blank_rows, may_hold_controls=may_hold_controls, shown=shown,
                      broken=broken, broken_table=f"{table}_broken" if broken else None)


# DuckDB's list of broken CSV records (store_rejects) costs about 1 kB of memory per error,
# whatever rejects_limit says (header + 1.000.000 lines of "x" under 8 columns: 7.000.000
# errors, 6,9 GB), and a record has at most one error per column. So it is made only when the
# broken records times the columns stay under this; a file with more broken records is no
# export of the right kind (another delimiter, another file) and is refused whole, with the
# count and the first lines, found by Python's csv reader instead.
MAX_REJECT_ERRORS = 250_000
REFUSAL_LINES_NAMED = 10   # a file refused for its broken records names this many of them


def _read_csv(con: duckdb.DuckDBPyConnection, readable: Path, delimiter: str,
              columns: dict[str, str], into: str, skip: int, rejects: bool) -> int:
    """Read the CSV file's well-formed records into the temporary table `into`, the header
    after `skip` rows (DuckDB's `skip` passes over rows as CSV reads them, a quoted line
    break inside one, and over each blank line); with
    `rejects`, DuckDB lists the broken ones in csv_reject_errors, by their line in the file.
    Returns the records read. Raises duckdb.Error for a file DuckDB cannot read at all."""
    con.execute(f"DROP TABLE IF EXISTS {into}")
    broken = ("store_rejects = true, rejects_table = 'csv_reject_errors', "
              "rejects_scan = 'csv_reject_scans'" if rejects else "ignore_errors = true")
    con.execute(
        f"CREATE TEMP TABLE {into} AS SELECT * FROM read_csv(?, delim = ?, header = true, "
        "quote = '\"', escape = '\"', columns = ?, auto_detect = false, strict_mode = true, "
        f"skip = ?, {broken})", [str(readable), delimiter, columns, skip])
    return con.execute(f"SELECT count(*) FROM {into}").fetchone()[0]


def _broken_records(con: duckdb.DuckDBPyConnection, readable: Path, start: _TableStart,
                    columns: dict[str, str], table: str, shown: str, good: int,
                    at_most: int) -> tuple[int, list[tuple[int, str, dict, str]]]:
    """The broken records of a CSV file of which `good` records read well and at most
    `at_most` are broken: (how many, the first MAX_PROBLEMS_HELD as (line, code, params,
    raw)), all of them in the table `{table}_broken` (line, code, params, raw).
    `{table}_read` is read again to match. Raises SourceError when they are too many to list
    (MAX_REJECT_ERRORS)."""
    delimiter = start.delimiter
    counted = sql_params(columns=str(len(columns)))
    if at_most * len(columns) > MAX_REJECT_ERRORS:
        counted, named = _count_broken(readable, start, len(columns))
        if counted * len(columns) > MAX_REJECT_ERRORS:
            raise _too_many_broken(shown, counted, counted + good, delimiter, named)
    _read_csv(con, readable, delimiter, columns, f"{table}_read", start.skip, rejects=True)
    first_kind = "arg_min(error_type, coalesce(column_idx, 0))"
    # One row per broken record (DuckDB lists a record once per missing cell).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_broken AS
        SELECT line, code, CASE WHEN code IN {tuple(_COUNTED)} THEN {counted}
                                ELSE {sql_params()} END AS params, raw
        FROM (SELECT CAST(line AS BIGINT) AS line,
                     {_structure_code_sql(first_kind)} AS code,
                     trim(arg_min(csv_line, coalesce(column_idx, 0)), chr(13) || chr(10)) AS raw
              FROM csv_reject_errors GROUP BY line)""")
    con.execute("DROP TABLE IF EXISTS csv_reject_errors")
    con.execute("DROP TABLE IF EXISTS csv_reject_scans")
    broken = con.execute(f"SELECT count(*) FROM {table}_broken").fetchone()[0]
    first = con.execute(f"SELECT line, code, params, raw FROM {table}_broken ORDER BY line "
                        f"LIMIT {MAX_PROBLEMS_HELD}").fetchall()
    return broken, first


def _count_broken(readable: Path, start: _TableStart,
                  columns: int) -> tuple[int, list[tuple[int, str, dict, str]]]:
    """Python's count of the records that have another number of fields than the header,
    or cannot be parsed: (how many, the first REFUSAL_LINES_NAMED as (line, code, params,
    raw))."""
    count, named, delimiter = 0, [], start.delimiter
    with readable.open(encoding="utf-8-sig", newline="") as source:
        for _ in range(start.last_line):  # the sep= line, title and blank rows, the header
            source.readline()
        reader = csv.reader(source, delimiter=delimiter)
        last = start.last_line
        try:
            for fields in reader:
                first, last = last + 1, start.last_line + reader.line_num
                if fields and len(fields) != columns:
                    count += 1
                    if len(named) < REFUSAL_LINES_NAMED:
                        kind = "MISSING COLUMNS" if len(fields) < columns else "TOO MANY COLUMNS"
                        named.append((first, STRUCTURE_REASONS[kind], {"columns": columns},
                                      delimiter.join(fields)[:200]))
        except csv.Error:  # beyond here nothing parses: every record left counts as broken
            count += 1
            named.append((last + 1, STRUCTURE_REASONS[None], {}, ""))
    return count, named


def _too_many_broken(shown: str, broken: int, records: int, delimiter: str,
                     named: list[tuple[int, str, dict, str]]) -> SourceError:
    summary = SourceProblem(shown, None, None, "too_many_broken",
                            {"broken": broken, "records": records, "delimiter": delimiter})
    return SourceError([summary] + [SourceProblem(shown, line, None, code, params, raw or None)
                                    for line, code, params, raw in named])


# Bytes that can never start a control character: printable ASCII and the line ends. What
# is left may be one (etl.control_chars.CONTROL_BYTES: the encoded forms of every control
# character in UTF-8, Windows-1252 and Mac Roman; the reader checks the UTF-8 it hands DuckDB).
_HARMLESS_BYTES = bytes(range(0x20, 0x7F)) + b"\r\n"


def _may_hold_controls(data: bytes, delimiter: str, beyond: bytes | None = None) -> bool:
    """Whether any cell of the CSV file may hold a control character; False lets the
    importer skip its per-cell check (0,1 s instead of 0,3 s on a million rows). `beyond`:
    `data` with _HARMLESS_BYTES deleted, when the caller has it already.

    Never a false False: a quote may enclose a line break, a tab is a control character in
    a file not separated by tabs, and every other control leaves a byte behind once the
    harmless ones are deleted (deleting only ASCII keeps multi-byte sequences whole)."""
    if b'"' in data or (delimiter != "\t" and b"\t" in data):
        return True
    if beyond is None:
        beyond = data.translate(None, _HARMLESS_BYTES)
    return CONTROL_BYTES.search(beyond) is not None


def _first_stray_cr(data: bytes) -> int | None:
    """The line of the first carriage return that ends no line, in a file whose lines end in
    LF or CRLF; None when there is none (a file of CR line ends has none)."""
    if b"\n" not in data or data.count(b"\r") == data.count(b"\r\n"):
        return None
    for match in re.finditer(rb"\r(?!\n)", data):
        return data.count(b"\n", 0, match.start()) + 1
    return None


# What each kind of structurally broken CSV record (DuckDB's rejects table, error_type) means
# to the person who saves the file: a reason of etl.reasons, whose text says what to do.
# DuckDB's own words never reach a user: an unknown kind gets the last, general reason.
STRUCTURE_REASONS = {
    "MISSING COLUMNS": "record_missing_fields",
    "TOO MANY COLUMNS": "record_too_many_fields",
    "UNQUOTED VALUE": "record_stray_quote",
    "LINE SIZE OVER MAXIMUM": "record_too_long",
    "INVALID ENCODING": "record_invalid_text",
    "INVALID STATE": "record_quotes_mismatch",
    "CAST": "record_not_text",
    None: "record_unreadable",
}
# The reasons that say the header's column count (param `columns`).
_COUNTED = ("record_missing_fields", "record_too_many_fields")


def _structure_code_sql(kind: str) -> str:
    """SQL giving the reason code (STRUCTURE_REASONS) for the error type in column `kind`."""
    cases = " ".join(f"WHEN '{k}' THEN '{c}'" for k, c in STRUCTURE_REASONS.items() if k)
    return f"CASE CAST({kind} AS VARCHAR) {cases} ELSE '{STRUCTURE_REASONS[None]}' END"


def structure_reason_sql(code: str, params: str) -> str:
    """SQL giving a broken record's Danish reason from its code and params (SQL)."""
    return sql_render(code, params, tuple(dict.fromkeys(STRUCTURE_REASONS.values())))


# OOXML's escape for text XML cannot carry (ST_Xstring, ECMA-376 Part 1, 22.9.2.19): `_xHHHH_`
# is the character U+HHHH, and `_x005F_` is a literal underscore, which is how Excel keeps a
# typed "_x000D_" from being read as an escape ("_x005F_x000D_"). Excel writes a carriage
# return in a cell as `_x000D_` and the other C0 controls the same way; openpyxl hands cells
# over with the escapes as they stand. Matched left to right in one pass, so the underscore
# an `_x005F_` stands for never starts another escape. A UTF-16 surrogate pair is one
# character; a lone surrogate is no character at all and stays as written.
_OOXML_ESCAPE = re.compile(r"_x([dD][89abAB][0-9a-fA-F]{2})__x([dD][c-fC-F][0-9a-fA-F]{2})_"
                           r"|_x([0-9a-fA-F]{4})_")


def _ooxml_char(match: re.Match[str]) -> str:
    high, low, single = match.groups()
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    code = int(single, 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def unescape_ooxml(text: str) -> str:
    """`text` as a spreadsheet cell means it: every OOXML `_xHHHH_` escape replaced by its
    character (see _OOXML_ESCAPE). Never raises."""
    return _OOXML_ESCAPE.sub(_ooxml_char, text) if "_x" in text else text


def _cell_text(value: object) -> str | None:
    """An Excel cell as the text the validation reads (dates as ISO, whole numbers bare, OOXML
    escapes as the characters they stand for, evened out as etl.decode.even_out does: Unicode
    spaces plain, invisible characters dropped, NFC)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = even_out(unescape_ooxml(str(value)))
    # A control character (a line break typed with Alt+Enter, or one Excel escaped as
    # `_x000D_`) is kept, even at either end, for the importer to reject with line and
    # column: stripping the ends alone would let "\r=1+1" through as "=1+1", changed without
    # a word.
    return (text if CONTROL.search(text) else text.strip()) or None


def _open_workbook(data: bytes):
    """openpyxl's read-only workbook of `data`, its shared strings as stored in the file.

    openpyxl's own shared-string reader deletes every "x005F_", which turns Excel's escaped
    underscore ("_x005F_x000D_", the typed text "_x000D_") into the escape it protected
    ("_x000D_", a carriage return): the two could then no longer be told apart. Raises what
    openpyxl raises for a broken file."""
    # Start-up cost (0,13 s), here and in the XLSX readers below: a CSV import needs none.
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    class RawStringsReader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            item = f"{{{SHEET_MAIN_NS}}}si"
            with self.archive.open(part.PartName[1:]) as source:
                root = None
                for event, node in iterparse(source, events=("start", "end")):
                    if root is None:
                        root = node
                    elif event == "end" and node.tag == item:
                        self.shared_strings.append(Text.from_tree(node).content)
                        # Read strings leave the tree: cleared ones kept under the root
                        # cost more than the strings themselves.
                        root.clear()

    reader = RawStringsReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str,
                sheet: str | None, shown: str, header_score: HeaderScore) -> StagedFile:
    data = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise refuse(shown, "xlsx_invalid") from None
    with archive:
        # A member's declared size bounds what zipfile unpacks of it (more fails its CRC
        # check), so the declared sizes are a safe bound.
        unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise refuse(shown, "xlsx_zip_bomb", size=unpacked, limit=MAX_UNPACKED_BYTES)
        _check_parts(archive, shown)
        try:
            book = _open_workbook(data)
        except Exception:  # openpyxl raises many kinds (KeyError, ParseError, ...): broken
            raise refuse(shown, "xlsx_broken") from None
        try:
            worksheet = _chosen_sheet(book, sheet, shown)
            where = source_name(shown, worksheet.title)
            merged = _merged_ranges(archive, worksheet._worksheet_path, where)
            # A sheet's stated size may lie (A1:XFD1048576 would pad every row to 16.384
            # cells): read the rows as they are, and no further right than the column limit.
            worksheet.reset_dimensions()
            rows = _fill_merged(_sheet_rows(worksheet, where), merged)
            headers, header_line, records, blank = _stage_rows(con, rows, table, where,
                                                               header_score)
        finally:
            book.close()
    return StagedFile(path, table, headers, hashlib.sha256(data).hexdigest(), records,
                      sheet=worksheet.title, sheet_named=sheet is not None,
                      header_line=header_line, blank_rows=blank, shown=shown)


def other_sheet_with(path: Path, skip: str,
                     fits: Callable[[list[str]], bool]) -> tuple[str, list[str]] | None:
    """The first visible sheet of the workbook at `path` other than `skip` one of whose first
    HEADER_ROWS_SEARCHED non-blank rows `fits` (a header of known columns), and that row's
    cells; None when there is none. Only for a workbook already staged (its parts checked);
    a sheet that cannot be read is passed over."""
    book = _open_workbook(path.read_bytes())
    try:
        for worksheet in book.worksheets:
            if worksheet.title == skip or worksheet.sheet_state != "visible":
                continue
            worksheet.reset_dimensions()
            try:
                rows = _non_blank(_sheet_rows(worksheet, worksheet.title), lambda _n: None)
                for _number, cells in itertools.islice(rows, HEADER_ROWS_SEARCHED):
                    header = [(c or "").strip() for c in cells]
                    if fits(header):
                        return worksheet.title, header
            except SourceError:
                continue
    finally:
        book.close()
    return None


def _chosen_sheet(book, sheet: str | None, shown: str):
    """The worksheet to read: `sheet` when named (a hidden one too: naming it is a choice),
    else the active sheet if it is visible, else the first visible one. Hidden and very
    hidden sheets (drop-down lists, lookup tables) are otherwise passed over. Raises
    SourceError when the named sheet is not there or no sheet can be read."""
    if sheet is not None:
        if sheet not in book.sheetnames or book[sheet] not in book.worksheets:
            raise refuse(shown, "sheet_missing", sheet=sheet,
                         sheets=", ".join(book.sheetnames))
        return book[sheet]
    if not book.worksheets:
        raise refuse(shown, "no_sheets")
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise refuse(shown, "sheets_all_hidden", sheets=", ".join(book.sheetnames))
    active = book.active
    return active if any(active is ws for ws in visible) else visible[0]


# A merged range in a sheet's XML: <mergeCell ref="A1:C1"/>, with or without a namespace
# prefix. The <mergeCells> list follows the rows in the sheet's XML (ECMA-376 Part 1,
# 18.3.1.99), which openpyxl's read-only mode does not read.
_MERGE_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]{0,200}?\bref\s*=\s*[\"']"
                         rb"([A-Za-z]{1,3}[0-9]{1,7})(?::([A-Za-z]{1,3}[0-9]{1,7}))?[\"']")
_MERGE_OVERLAP = 300          # bytes kept between chunks: longer than any match above
MAX_MERGED_RANGES = 100_000   # merged ranges in one sheet: a report has tens


def _merged_ranges(archive: zipfile.ZipFile, member: str,
                   where: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of the sheet stored at `member`, as (first row, first column, last
    row, last column), 1-based, no wider than the columns read (MAX_COLUMNS + 1). The sheet
    is streamed once in 1 MB pieces, unpacked in C; the pattern only runs on a piece that
    holds "mergeCell". Raises SourceError beyond MAX_MERGED_RANGES (no report has so many)."""
    # Start-up cost: openpyxl, as above.
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def cell(reference: bytes) -> tuple[int, int]:
        column, row = coordinate_from_string(reference.decode("ascii").upper())
        return row, column_index_from_string(column)

    found: list[tuple[int, int, int, int]] = []
    try:
        source = archive.open(member.lstrip("/"))
    except KeyError:
        return found  # openpyxl says the sheet is missing when it reads the rows
    with source:
        tail = b""
        while True:
            chunk = source.read(1 << 20)
            buffer = tail + chunk
            cut = len(buffer) - _MERGE_OVERLAP if chunk else len(buffer)
            if b"mergeCell" in buffer:
                for match in _MERGE_CELL.finditer(buffer):
                    if match.start() >= cut:
                        break
                    top, left = cell(match[1])
                    bottom, right = cell(match[2]) if match[2] else (top, left)
                    if left <= MAX_COLUMNS + 1 and (bottom > top or right > left):
                        found.append((top, left, bottom, min(right, MAX_COLUMNS + 1)))
                if len(found) > MAX_MERGED_RANGES:
                    raise refuse(where, "too_many_merged", limit=MAX_MERGED_RANGES)
            if not chunk:
                return found
            tail = buffer[max(cut, 0):]


def _fill_merged(rows: Iterator[tuple[int, tuple]],
                 merged: list[tuple[int, int, int, int]]) -> Iterator[tuple[int, tuple]]:
    """The sheet's rows as Excel shows them: every cell of a merged range holds the range's
    top-left value (openpyxl leaves them empty)."""
    if not merged:
        yield from rows
        return
    starting: dict[int, list[tuple[int, int, int, int]]] = {}
    for area in merged:
        starting.setdefault(area[0], []).append(area)
    open_areas: list[tuple[int, int, int, object]] = []   # (last row, first col, last col, value)
    for number, values in rows:
        for _top, left, bottom, right in starting.pop(number, ()):
            value = values[left - 1] if left <= len(values) else None
            open_areas.append((bottom, left, right, value))
        open_areas = [area for area in open_areas if area[0] >= number]
        if open_areas:
            cells = list(values)
            for _bottom, left, right, value in open_areas:
                if len(cells) < right:
                    cells += [None] * (right - len(cells))
                cells[left - 1:right] = [value] * (right - left + 1)
            values = tuple(cells)
        yield number, values


_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                        "sharedStrings+xml")
_STYLES_PART = "xl/styles.xml"  # where openpyxl reads the styles, whatever is declared


def _check_parts(archive: zipfile.ZipFile, shown: str) -> None:
    """Refuse (SourceError naming the part) an XLSX whose parts that openpyxl parses whole
    are over their limits (MAX_SHARED_STRINGS_BYTES, MAX_PART_BYTES), from the sizes the zip
    directory declares (zipfile unpacks no more than that). Worksheets, read row by row, and
    non-XML parts (pictures) are bounded by MAX_UNPACKED_BYTES alone. Which part is a sheet
    or the shared strings is read from [Content_Types].xml, as openpyxl reads it."""
    from openpyxl.xml.functions import fromstring  # start-up cost: XLSX only

    content_types: dict[str, str] = {}
    try:
        types = archive.getinfo("[Content_Types].xml")
    except KeyError:
        types = None  # openpyxl refuses the file, and says so below
    if types is not None and types.file_size <= MAX_PART_BYTES:
        try:
            for node in fromstring(archive.read(types)):
                name = (node.get("PartName") or "").lstrip("/")
                content_types[name] = node.get("ContentType") or ""
        except Exception:  # lxml's or ElementTree's parse error, a cut member, ...
            pass  # a broken manifest: openpyxl refuses the file, and that is said below
    for member in archive.infolist():
        name = member.filename
        kind = content_types.get(name)
        if kind == _SHARED_STRINGS_TYPE and name != _STYLES_PART:
            limit, code = MAX_SHARED_STRINGS_BYTES, "xlsx_strings_too_big"
        elif (kind == _WORKSHEET_TYPE and name != _STYLES_PART) or not (
                name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"):
            continue
        else:
            limit, code = MAX_PART_BYTES, "xlsx_part_too_big"
        if member.file_size > limit:
            raise refuse(shown, code, part=name, size=member.file_size, limit=limit)


def _sheet_rows(worksheet, where: str) -> Iterator[tuple[int, tuple]]:
    """(sheet row number, cell values) of every row; a sheet that is cut or garbled raises
    SourceError at the row where reading broke off (openpyxl parses rows lazily, here)."""
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # a cut zip member, broken XML, a missing shared string, ...
            raise refuse(where, "sheet_broken", number + 1, row=number + 1) from None
        number += 1
        if number > EXCEL_LAST_ROW:
            raise refuse(where, "sheet_past_last_row", number, limit=EXCEL_LAST_ROW)
        yield number, values


def _stage_rows(con: duckdb.DuckDBPyConnection, rows: Iterator[tuple[int, tuple]], table: str,
                where: str, header_score: HeaderScore) -> tuple[list[str], int, int, int]:
    """A sheet's rows into `table`: the header is the row among the first
    HEADER_ROWS_SEARCHED non-blank ones that `header_score` rates highest (the earliest of
    equals; the first non-blank row when none scores above 0), so title rows above it are
    passed over; at most XLSX_CHUNK_ROWS rows are held in Python at a time. Returns (headers,
    header line, records, blank rows after the header)."""
    import pandas as pd  # start-up cost (0,27 s): only an XLSX is read through pandas

    searched: list[tuple[int, list[str | None]]] = []   # (row number, cells): non-blank rows
    blank_rows: list[int] = []   # ... and the blank ones among them
    for number, cells in _non_blank(rows, blank_rows.append):
        searched.append((number, cells))
        if len(searched) == HEADER_ROWS_SEARCHED:
            break
    if not searched:
        raise refuse(where, "sheet_empty", 1)
    scores = [header_score([c or "" for c in cells]) for _number, cells in searched]
    best = max(range(len(searched)), key=lambda i: (scores[i], -i))  # the earliest of equals
    header_line, cells = searched[best if scores[best] > 0 else 0]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise _too_many_columns(where, header_line)
    headers = [(c or "").strip() for c in cells]
    _refuse_controls_in_header(where, headers, header_line)
    names = ["line"] + [f"c{i}" for i in range(len(headers))]
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE TEMP TABLE {table} (line INTEGER, "
                + ", ".join(f"{n} VARCHAR" for n in names[1:]) + ")")

    records = 0
    chunk: list[list[object]] = []

    def flush() -> None:
        frame = pd.DataFrame(chunk, columns=names).astype({n: "object" for n in names[1:]})
        con.register("xlsx_rows", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM xlsx_rows")
        con.unregister("xlsx_rows")
        chunk.clear()

    # Blank rows are not records: those below the header are counted (the title's are not).
    blank = sum(number > header_line for number in blank_rows)

    def blank_below(_number: int) -> None:
        nonlocal blank
        blank += 1

    later = ((n, c) for n, c in searched if n > header_line)
    for number, cells in itertools.chain(later, _non_blank(rows, blank_below)):
        records += 1
        if records > MAX_ROWS:
            raise _too_many_rows(where, number)
        chunk.append([number, *(cells + [None] * len(headers))[: len(headers)]])
        if len(chunk) >= XLSX_CHUNK_ROWS:
            flush()
    if chunk:
        flush()
    return headers, header_line, records, blank


def _non_blank(rows: Iterator[tuple[int, tuple]],
               on_blank: Callable[[int], object]) -> Iterator[tuple[int, list[str | None]]]:
    """(row number, cell texts) of the rows that hold a value; `on_blank` is called with the
    number of each other row."""
    for number, values in rows:
        if not any(v is not None for v in values):  # cheap test first: sheets have blank runs
            on_blank(number)
            continue
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            on_blank(number)
            continue
        yield number, cells
