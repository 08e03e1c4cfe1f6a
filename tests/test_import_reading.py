"""Reading files as the programs that write them write them: encodings (UTF-8 with and
without BOM, Excel's "Unicode Text" in UTF-16, UTF-32, Windows-1252, Mac Roman), line ends
(CR, LF, CRLF, mixed), Excel's `sep=` hint, title rows above the header, Unicode spaces,
invisible characters and decomposed letters, and workbooks with hidden sheets, an active
sheet that is not the first, merged cells and title rows. Every file is written byte for
byte here; rows are checked as staged (etl.readers.stage_file): text, header, line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from etl import kinds, readers
from etl.errors import SourceError
from etl.importer import import_files

HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status", "Pris"]
ROWS = [["T1", "LKS2022-04", "Køge", "Søren Ærø-Østergård", "01-11-2022 10:00", "deltaget",
         "5.300,00"],
        ["T2", "LKS2022-04", "Århus", "Åse Brønd", "02-11-2022 10:00", "afmeldt", ""],
        ["T3", "LKS2022-05", "Tønder", "René Lüders", "03-11-2022 10:00", "tilmeldt", ""]]
FIELD_FILES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / \
    "import-field"


def stage(path: Path, **options) -> tuple[readers.StagedFile, list[tuple]]:
    """The file staged, and its rows as (line, cells...) in line order."""
    with duckdb.connect() as con:
        staged = readers.stage_file(con, path, "raw_0", **options)
        rows = con.execute("SELECT line, * EXCLUDE (line) FROM raw_0 ORDER BY line").fetchall()
    return staged, rows


def lines_of(rows: list[list[str]], delimiter: str = ";") -> list[str]:
    """Each row as one CSV line, quoted where needed (as Excel and LibreOffice quote)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().split("\n")[:-1]


def expected(first_line: int, rows: list[list[str]] = ROWS) -> list[tuple]:
    """Staged rows: their line numbers from `first_line` on, empty cells as NULL."""
    return [(first_line + i, *[cell or None for cell in row]) for i, row in enumerate(rows)]


# --- Bytes to text --------------------------------------------------------------------------

# (how the program saves, Python codec, delimiter, line end)
SAVED_AS = {
    "Excel (Windows) CSV": ("cp1252", ";", "\r\n"),
    "Excel CSV UTF-8": ("utf-8-sig", ";", "\r\n"),
    "Excel (Mac) CSV": ("mac_roman", ";", "\r"),
    "Excel Unicode Text": ("utf-16", "\t", "\r\n"),       # UTF-16 LE with its BOM
    "UTF-16 BE with BOM": ("utf-16-be-bom", "\t", "\r\n"),
    "UTF-32 with BOM": ("utf-32", ";", "\n"),
    "LibreOffice CSV": ("utf-8", ",", "\n"),
}


def encode(text: str, codec: str) -> bytes:
    if codec == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(codec)


def test_every_programs_encoding_reads_the_same_text(tmp_path):
    """The same table saved by each program (SAVED_AS) is staged the same, row for row."""
    for program, (codec, delimiter, end) in SAVED_AS.items():
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(encode(end.join(lines_of([HEADER, *ROWS], delimiter)) + end, codec))
        staged, rows = stage(path)
        assert (staged.headers, staged.header_line, staged.delimiter) == (
            HEADER, 1, delimiter), program
        assert rows == expected(2), program


def test_mac_roman_and_windows_1252_are_told_apart(tmp_path):
    """Mac Roman's ø (BF) is Windows-1252's ¿, Windows-1252's ø (F8) is Mac Roman's ¯: read
    the wrong way, "S¿ren" would be a new person."""
    for codec, end in [("mac_roman", "\r"), ("cp1252", "\r\n")]:
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(end.join(lines_of([HEADER, *ROWS])).encode(codec))
        staged, rows = stage(path)
        assert staged.encoding == codec
        assert [row[4] for row in rows] == ["Søren Ærø-Østergård", "Åse Brønd", "René Lüders"]


# Words with one letter beyond ASCII, where it stands in real names and places.
ONE_LETTER_WORDS = {"æ": ["Næstved", "Sæby"], "ø": ["Bjørn", "Køge"], "å": ["Tårnby", "Gråsten"],
                    "Æ": ["Ærtebjerg"], "Ø": ["Ølstykke", "Østbirk"], "Å": ["Åse", "ÅRHUS"],
                    "é": ["René", "Andrés"]}


@pytest.mark.parametrize("codec", ["cp1252", "mac_roman"])
@pytest.mark.parametrize("letter", list(ONE_LETTER_WORDS))
def test_a_file_whose_only_danish_letter_is_one_letter_is_read_right(tmp_path, codec, letter):
    """A file whose one letter beyond ASCII may read as a letter either way ("Næstved" as Mac
    Roman is "NÊstved", with no lower-case letter before the capital): the reading that gives
    the letters Danish names are made of wins."""
    for word in ONE_LETTER_WORDS[letter]:
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(f"Navn;Kommune\r\n{word};Aarhus\r\n".encode(codec))
        staged, rows = stage(path)
        assert (staged.encoding, rows) == (codec, [(2, word, "Aarhus")]), word


def test_a_file_of_utf8_and_windows_1252_mixed_is_refused_naming_the_candidates(tmp_path):
    """Neither reading gives Danish text: refused, never loaded garbled ("SÃ¸ren")."""
    path = tmp_path / "blandet.csv"
    path.write_bytes(("\r\n".join(lines_of([HEADER, ROWS[0]])) + "\r\n").encode("utf-8")
                     + ";".join(ROWS[1]).encode("cp1252") + b"\r\n")
    with pytest.raises(SourceError) as refused:
        stage(path)
    (problem,) = refused.value.problems
    assert problem.line == 2  # the first byte beyond ASCII
    assert "Windows-1252 eller Mac Roman" in problem.reason
    assert "gem filen som CSV (UTF-8)" in problem.reason


def test_a_utf16_file_cut_mid_character_names_the_line(tmp_path):
    path = tmp_path / "skaaret.txt"
    data = "\r\n".join(lines_of([HEADER, *ROWS], "\t")).encode("utf-16")
    path.write_bytes(data[:-1])   # an odd number of bytes
    with pytest.raises(SourceError) as refused:
        stage(path)
    (problem,) = refused.value.problems
    assert (problem.line, "UTF-16" in problem.reason) == (4, True)


def test_a_control_character_in_a_utf16_file_is_found(database, tmp_path):
    """The byte check for control characters runs on the text as read, not on UTF-16's
    bytes (full of NULs): a TAB inside a ;-separated cell rejects its line."""
    path = tmp_path / "unicode.txt"
    rows = [HEADER, ROWS[0], [*ROWS[1][:3], "Åse\tBrønd", *ROWS[1][4:]]]
    path.write_bytes("\r\n".join(lines_of(rows)).encode("utf-16"))
    result = import_files(database, [path], dry_run=True)
    assert [(p.line, p.column) for p in result.problems] == [(3, "Navn")]
    assert "tabulator" in result.problems[0].reason


# --- Every cell evened out ------------------------------------------------------------------

UNEVEN = {   # as written -> as read
    "Anna\u00a0Holm": "Anna Holm",                 # Word's no-break space
    "Anna\u202fHolm": "Anna Holm",                 # narrow no-break space
    "Anna\u2009Holm": "Anna Holm",                 # thin space
    "An\u200bna Holm": "Anna Holm",                # zero-width space
    "Anna\u2060 Holm\u200e": "Anna Holm",          # word joiner, left-to-right mark
    "An\ufeffna Holm": "Anna Holm",                # a BOM inside the text
    unicodedata.normalize("NFD", "Søren Ærø-Åberg"): "Søren Ærø-Åberg",   # macOS: Å = A + ring
}


def test_csv_cells_are_evened_out(tmp_path):
    path = tmp_path / "ujaevn.csv"
    header = ["Tilmeldings-ID", "Navn\u00a0", unicodedata.normalize("NFD", "Tiltrådt")]
    rows = [[f"T{i}", name, "01-01-2022"] for i, name in enumerate(UNEVEN)]
    path.write_bytes("\n".join(lines_of([header, *rows])).encode("utf-8"))
    staged, staged_rows = stage(path)
    assert staged.headers == ["Tilmeldings-ID", "Navn ", "Tiltrådt"]
    assert [row[2] for row in staged_rows] == list(UNEVEN.values())


def test_xlsx_cells_are_evened_out(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Tilmeldings-ID", "Navn"])
    for i, name in enumerate(UNEVEN):
        sheet.append([f"T{i}", name])
    book.save(tmp_path / "ujaevn.xlsx")
    _staged, rows = stage(tmp_path / "ujaevn.xlsx")
    assert [row[2] for row in rows] == list(UNEVEN.values())


def test_a_bidi_override_in_a_name_rejects_the_line(database, tmp_path):
    """U+202E shows the rest of the name backwards: a control character, never stored."""
    path = tmp_path / "bidi.csv"
    rows = [HEADER, ROWS[0], [*ROWS[1][:3], "Åse \u202eBrønd", *ROWS[1][4:]]]
    path.write_bytes("\r\n".join(lines_of(rows)).encode("utf-8"))
    result = import_files(database, [path], dry_run=True)
    assert [(p.line, p.column) for p in result.problems] == [(3, "Navn")]
    assert "U+202E" in result.problems[0].reason


# --- Line ends ------------------------------------------------------------------------------

@pytest.mark.parametrize("ends", [["\r\n", "\n", "\r\n", "\n"], ["\n", "\r", "\r\n", "\r"],
                                  ["\r", "\r\n", "\r", ""]])
def test_mixed_line_ends_are_read_with_the_files_line_numbers(tmp_path, ends):
    path = tmp_path / "blandede-linjeskift.csv"
    text = lines_of([HEADER, *ROWS])
    path.write_bytes("".join(line + end for line, end in zip(text, ends, strict=True))
                     .encode())
    _staged, rows = stage(path)
    assert rows == expected(2)


def test_a_line_break_typed_in_a_cell_of_a_mac_excel_file_stays_in_its_cell(tmp_path):
    """Excel for Mac ends rows in CR and writes a line break typed in a cell (Alt+Enter) as
    LF inside quotes: the LF is no row end, and the CRs are."""
    path = tmp_path / "mac-celle.csv"
    rows = [HEADER, ROWS[0], [*ROWS[1][:3], '"Åse\nBrønd"', *ROWS[1][4:]], ROWS[2]]
    path.write_bytes("\r".join(";".join(row) for row in rows).encode("mac_roman"))
    _staged, staged_rows = stage(path)
    assert [row[4] for row in staged_rows] == ["Søren Ærø-Østergård", "Åse\nBrønd",
                                               "René Lüders"]


def test_a_broken_row_in_a_file_of_mixed_line_ends_names_its_line(tmp_path):
    path = tmp_path / "blandet-skaev.csv"
    text = lines_of([HEADER, ROWS[0], ROWS[1][:4], ROWS[2]])
    path.write_bytes(f"{text[0]}\r\n{text[1]}\n{text[2]}\r\n{text[3]}\n".encode("cp1252"))
    staged, rows = stage(path)
    assert [p.line for p in staged.problems] == [3]
    assert [row[0] for row in rows] == [2, 4]


# --- Where the table is ---------------------------------------------------------------------

def test_excels_sep_hint_sets_the_delimiter_and_is_not_the_header(tmp_path):
    """Danish Excel with the hint line `sep=,`: the commas in "5.300,00" would otherwise be
    counted against the semicolons; the header is line 2."""
    path = tmp_path / "sep.csv"
    path.write_bytes(("sep=,\r\n" + "\r\n".join(lines_of([HEADER, *ROWS], ",")) + "\r\n")
                     .encode("cp1252"))
    staged, rows = stage(path)
    assert (staged.headers, staged.header_line, staged.delimiter) == (HEADER, 2, ",")
    assert rows == expected(3)


def test_title_and_blank_rows_above_the_header_are_passed_over(tmp_path):
    path = tmp_path / "rapport.csv"
    lines = ["Deltagerliste – Lederskab i en kompleks samtid;;;;;;", "Udtræk 30-11-2026;;;;;;",
             ";;;;;;", *lines_of([HEADER, ROWS[0]]), "", *lines_of(ROWS[1:])]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    staged, rows = stage(path)
    assert (staged.headers, staged.header_line) == (HEADER, 4)
    # The empty line 6 is no record, and the rows after it keep their own line numbers.
    assert rows == [(5, *expected(0)[0][1:]), (7, *expected(0)[1][1:]),
                    (8, *expected(0)[2][1:])]


def test_the_header_scorer_is_the_callers(tmp_path):
    path = tmp_path / "to-overskrifter.csv"
    path.write_bytes(b"a;b\r\nx;y\r\n1;2\r\n")
    staged, rows = stage(path, header_score=lambda cells: float(cells == ["x", "y"]))
    assert (staged.headers, rows) == (["x", "y"], [(3, "1", "2")])
    # The importer's scorer (the default): an export's header scores, a title does not.
    assert kinds.header_score(HEADER) > kinds.header_score(["Deltagerliste", "", None]) == 0


def test_a_header_below_the_rows_searched_is_not_found(tmp_path):
    """The header is looked for in the first 20 non-blank rows only, the first row else."""
    path = tmp_path / "dybt.csv"
    notes = [f"note {i};;;;;;" for i in range(readers.HEADER_ROWS_SEARCHED)]
    path.write_bytes("\n".join([*notes, *lines_of([HEADER, ROWS[0]])]).encode())
    staged, _rows = stage(path)
    assert staged.header_line == 1


# --- Workbooks ------------------------------------------------------------------------------

def workbook(path: Path, sheets: list[tuple[str, str, list[list]]], active: int) -> Path:
    """A workbook as openpyxl writes it: (title, state, rows) per sheet, the active one by
    index. openpyxl will not write an active hidden sheet, nor hide every sheet; Excel files
    that do both exist (a macro hid them), so those are set in the workbook's XML after."""
    book = Workbook()
    book.remove(book.active)
    for title, _state, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.active = active
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/workbook.xml"].decode()
    for title, state, _rows in sheets:
        xml = re.sub(f'(name="{title}" sheetId="[0-9]+" state=)"visible"', f'\\1"{state}"', xml)
    xml = re.sub('activeTab="[0-9]+"', f'activeTab="{active}"', xml)
    parts["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


TABLE = [HEADER, *ROWS]
LISTS = [["Status", "Kommune"], ["tilmeldt", "Randers"], ["afmeldt", "Viborg"]]
NOTES = [["Noter"], ["Husk at sende fakturaer"]]


def test_the_active_visible_sheet_is_read(tmp_path):
    path = workbook(tmp_path / "aktiv.xlsx", [("Lister", "hidden", LISTS),
                                              ("Noter", "visible", NOTES),
                                              ("Tilmeldinger", "visible", TABLE)], active=2)
    staged, rows = stage(path)
    assert (staged.sheet, staged.where.endswith("[Tilmeldinger]")) == ("Tilmeldinger", True)
    assert rows == expected(2)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_active_sheet_gives_way_to_the_first_visible_one(tmp_path, state):
    path = workbook(tmp_path / "skjult.xlsx", [("Lister", state, LISTS),
                                               ("Tilmeldinger", "visible", TABLE),
                                               ("Noter", "visible", NOTES)], active=0)
    staged, rows = stage(path)
    assert staged.sheet == "Tilmeldinger" and rows == expected(2)
    # Named, a hidden sheet is read all the same.
    staged, rows = stage(path, sheet="Lister")
    assert staged.sheet == "Lister" and rows == [(2, "tilmeldt", "Randers"),
                                                 (3, "afmeldt", "Viborg")]


def test_a_workbook_of_hidden_sheets_only_is_refused_naming_them(tmp_path):
    path = workbook(tmp_path / "alt-skjult.xlsx", [("Lister", "hidden", LISTS),
                                                   ("Tilmeldinger", "hidden", TABLE)], active=0)
    with pytest.raises(SourceError, match="skjulte.*--sheet.*Lister, Tilmeldinger"):
        stage(path)


def test_a_report_sheet_with_title_rows_and_merged_cells_reads_as_excel_shows_it(tmp_path):
    """Title merged across the columns, extract date, a blank row, the header on row 4; the
    session merged down over the rows of one session, a status merged across two cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Deltagere"
    sheet.append(["Deltagerliste – Lederskab i en kompleks samtid"])
    sheet.append(["Udtræk", dt.date(2026, 11, 30)])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("A1:G1")
    sheet.merge_cells("B5:B6")       # LKS2022-04 over T1 and T2
    sheet.merge_cells("F7:G7")       # "tilmeldt" over Status and Pris
    book.save(tmp_path / "rapport.xlsx")
    staged, rows = stage(tmp_path / "rapport.xlsx")
    assert (staged.headers, staged.header_line, staged.blank_rows) == (HEADER, 4, 0)
    want = expected(5)
    want[2] = (*want[2][:6], "tilmeldt", "tilmeldt")
    assert rows == want


def test_a_refusal_names_the_sheet_read(database, tmp_path):
    path = workbook(tmp_path / "mangler.xlsx", [("Lister", "hidden", LISTS),
                                                ("Tilmeldinger", "visible",
                                                 [HEADER[:3], ROWS[0][:3]])], active=1)
    with pytest.raises(SourceError) as refused:
        import_files(database, [path], dry_run=True)
    assert refused.value.problems[0].file.endswith("mangler.xlsx [Tilmeldinger]")


# --- The field files (../shared/fixtures/import-field) --------------------------------------

FIELD = {   # file: (sheet, header line, first row's line, its name, encoding)
    "01a-sep-line-ansi.csv": (None, 2, 3, "Pia Modelgaard (751)", "cp1252"),
    "03-mac-excel-macroman.csv": (None, 1, 2, "Søren Testesen (320)", "mac_roman"),
    "04-excel-unicode-text.txt": (None, 1, 2, "Åse Testesen (550)", "utf-16"),
    "07-xlsx-title-rows.xlsx": ("Deltagere", 4, 5, "Nina Fiktivsen (730)", None),
    "08-xlsx-hidden-lists-first.xlsx": ("Tilmeldinger", 1, 2, "Nina Fiktivsen (730)", None),
}


@pytest.mark.parametrize("name", FIELD)
def test_the_field_files_are_staged_with_their_text_headers_and_lines(name):
    if not FIELD_FILES.is_dir():
        pytest.skip(f"{FIELD_FILES} is not here (the shared field files)")
    sheet, header_line, first_line, first_name, encoding = FIELD[name]
    staged, rows = stage(FIELD_FILES / name)
    names = [row[1 + staged.headers.index("Navn")] for row in rows]
    want = json.loads((FIELD_FILES / "expected.json").read_text(encoding="utf-8"))[name]
    assert (staged.sheet, staged.encoding, staged.header_line) == (sheet, encoding, header_line)
    assert staged.headers[:4] == ["Tilmeldings-ID", "Session", staged.headers[2], "Navn"]
    assert names == [row["name"] for row in want] and names[0] == first_name
    assert [row[0] for row in rows] == list(range(first_line, first_line + len(want)))
