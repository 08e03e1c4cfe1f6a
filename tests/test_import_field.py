"""Issue 17: the files KL's staff really have load right.

Three groups: (1) every file in ../shared/fixtures/import-field/ gives exactly the rows its
expected.json names (skipped, saying why, where ../shared is absent); (2) further files of
each of those kinds with other content, written byte for byte as each program writes them
(tests/field_files.py), their stored rows worked out by hand below; (3) a property test
re-encoding and re-line-ending one valid file, which must always store the same rows.
Every file links to the mayors of a mayor list imported first: no import here may add a
person (a garbled or differently spelt name that became a new mayor was one of the bugs).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl.build import build_database
from etl.importer import import_files
from etl.paths import PROJECT_ROOT
from tests import field_files as ff

# Found as the other shared data is (tests/conftest.py: SHARED_GEO): beside the project.
SHARED_FIELD = PROJECT_ROOT.parent / "shared" / "fixtures" / "import-field"
EXPECTED = SHARED_FIELD / "expected.json"
FIXTURE_MAYORS = SHARED_FIELD / "00-borgmestre.xlsx"
# Imported with --keep-going: its Venteliste line is rightly refused (the fixtures' README).
KEEP_GOING = {"10-status-words.csv"}

HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status", "Pris",
          "Faktureret"]
MAYOR_HEADER = ["Kommune", "Navn", "Parti", "Tiltrådt", "Fratrådt", "Nyvalgt"]

# Our own mayor list: municipality code, its name as the reference data spells it, and a
# mayor whose name has the letters the encodings disagree on (æ, ø, å, é, è, ë; capitals).
MAYORS = [
    (101, "København", "Søren Ærbø"), (147, "Frederiksberg", "René Østergård"),
    (751, "Aarhus", "Åse Bækgaard"), (461, "Odense", "Jens Ølund"),
    (169, "Høje-Taastrup", "Kåre Æbelø"), (173, "Lyngby-Taarbæk", "Birthe Lindholm"),
    (492, "Ærø", "Bjørn Ærøe"), (580, "Aabenraa", "Hélène Aagaard"),
    (480, "Nordfyns", "Mette Fynbo"), (400, "Bornholm", "Ole Rønne"),
    (760, "Ringkøbing-Skjern", "Øjvind Skjern"), (185, "Tårnby", "Frida Tårnbæk"),
    (370, "Næstved", "Zoë Næsby"), (259, "Køge", "Anne-Mette Køhler"),
    (217, "Helsingør", "Ib Ørsted"), (550, "Tønder", "Signe Tøndering"),
    (825, "Læsø", "Lærke Læsøe"), (621, "Kolding", "André Koldby"),
]
CODE = {name: code for code, _, name in MAYORS}
PLACE = {name: place for _, place, name in MAYORS}

# Sessions of the reference data by their start dates (data/reference/sessions.csv).
SESSION_ON = {"31-01-2022": "LKS2022-01", "27-04-2022": "LKS2022-02", "05-12-2022": "LKS2022-04",
              "17-04-2023": "LKS2022-05", "29-11-2023": "LKS2022-06", "15-04-2024": "LKS2022-07",
              "28-11-2024": "LKS2022-08", "07-04-2025": "LKS2022-09"}

STORED = """
    SELECT r.session_id, r.kommune_code, m.name, strftime(r.registered_at, '%Y-%m-%d %H:%M:%S'),
           r.status, CAST(r.price_ex_vat AS VARCHAR), CAST(r.invoiced_at AS VARCHAR)
    FROM registrations r JOIN mayors m USING (mayor_id)"""


def stored(database: Path) -> list[tuple]:
    """The registrations as expected.json writes them, sorted: (session, municipality code,
    the linked mayor's name, registered at, status, price ex VAT, invoiced at)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted(con.execute(STORED).fetchall(), key=repr)


def count(database: Path, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def snapshot(database: Path) -> dict:
    with duckdb.connect(str(database), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("registrations", "mayors")}


def row(session: str, name: str, registered: str, status: str, price: str | None = None,
        invoiced: str | None = None) -> tuple:
    """One expected stored registration of one of our MAYORS."""
    return (session, CODE[name], name, registered, status, price, invoiced)


def copy_of(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "borgmester.duckdb"
    shutil.copy(template, database)
    return database


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def import_clean(database: Path, *paths: Path, **options):
    """Import `paths`: it must be applied (with --keep-going too), every file linking only
    to mayors already known. Returns the ImportResult."""
    people = count(database, "mayors")
    result = import_files(database, list(paths), **options)
    assert result.applied, [str(p) for p in result.problems]
    assert [f.people_added for f in result.files] == [0] * len(result.files), \
        "a registration was linked to a new person instead of a mayor from the list"
    assert count(database, "mayors") == people
    return result


# --- Databases built once: reference data plus a mayor list ------------------------------

@pytest.fixture(scope="session")
def fixture_mayors_db(tmp_path_factory) -> Path:
    """`build --no-demo`, then the fixtures' 00-borgmestre.xlsx (98 mayors)."""
    if not FIXTURE_MAYORS.is_file():
        pytest.skip(f"{SHARED_FIELD} is absent: the field-file fixtures live in ../shared "
                    "beside the project")
    database = tmp_path_factory.mktemp("field-fixtures") / "borgmester.duckdb"
    build_database(database, with_demo=False)
    result = import_files(database, [FIXTURE_MAYORS])
    assert result.applied and result.files[0].kind == "mayors"
    assert count(database, "mayors") == 98
    return database


def own_mayor_list(path: Path) -> Path:
    """MAYORS as a mayor list workbook in 00-borgmestre.xlsx's shape (real date cells)."""
    rows = [[place, name, "A", dt.date(2022, 1, 1), None, "ja"] for _, place, name in MAYORS]
    return ff.write_workbook(path, [ff.Sheet("Borgmestre", [MAYOR_HEADER, *rows])])


# The fixtures `own_mayors_db` (`build --no-demo`, then own_mayor_list) and `db` (a copy of
# it for one test) are in conftest.py, shared with the other import test modules.


# --- 1. The shared fixtures ---------------------------------------------------------------

def _fixture_keys() -> list:
    if not EXPECTED.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"{EXPECTED} is absent: the field-file fixtures live in ../shared beside "
                   "the project"))]
    return sorted(json.loads(EXPECTED.read_text(encoding="utf-8")))


def test_every_fixture_file_is_in_expected_json():
    """A fixture file expected.json does not name would be tested by nobody."""
    if not EXPECTED.is_file():
        pytest.skip(f"{EXPECTED} is absent: the field-file fixtures live in ../shared")
    named = {name for key in json.loads(EXPECTED.read_text(encoding="utf-8"))
             for name in key.split(" + ")}
    present = {p.name for p in SHARED_FIELD.iterdir()} - {"README.md", "expected.json",
                                                        FIXTURE_MAYORS.name}
    assert present == named


def _split(text: str, sep: str, end: str) -> list[list[str]]:
    """A plain delimited text (no quoted fields) back into rows of strings."""
    return [line.split(sep) for line in text.split(end) if line]


@pytest.mark.parametrize("name, writer, decode, sep, end", [
    ("01a-sep-line-ansi.csv", lambda rows: ff.excel_windows_csv(rows, sep_line=True),
     lambda data: data.decode("cp1252").split(ff.CRLF, 1)[1], ";", ff.CRLF),
    ("10-status-words.csv", ff.excel_windows_csv, lambda data: data.decode("cp1252"), ";",
     ff.CRLF),
    ("03-mac-excel-macroman.csv", ff.excel_mac_csv, lambda data: data.decode("mac_roman"),
     ";", ff.CR),
    ("04-excel-unicode-text.txt", ff.excel_unicode_text,
     lambda data: data[2:].decode("utf-16-le"), "\t", ff.CRLF),
    ("11-kommune-variants.csv", ff.excel_csv_utf8, lambda data: data[3:].decode("utf-8"),
     ";", ff.CRLF),
])
def test_the_writers_give_the_fixtures_byte_for_byte(name, writer, decode, sep, end):
    """Our writers are the programs: the fixtures' own rows, written again, are the same
    bytes (so the further files below are as real as the fixtures)."""
    if not (SHARED_FIELD / name).is_file():
        pytest.skip(f"{SHARED_FIELD / name} is absent: the fixtures live in ../shared")
    data = (SHARED_FIELD / name).read_bytes()
    assert writer(_split(decode(data), sep, end)) == data


def _cells(path: Path) -> list:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [(sheet.title, sheet.sheet_state, [[(c.value, c.number_format) for c in r]
                                              for r in sheet.iter_rows()])
            for sheet in book.worksheets]


@pytest.mark.parametrize("name", ["06a-ms-forms-session-jan22.xlsx",
                                  "06b-ms-forms-session-apr22.xlsx"])
def test_the_forms_writer_gives_the_fixtures_cells(name, tmp_path):
    """ms_forms_export, given a Forms fixture's answers, writes the same sheet, cells and
    number formats."""
    from openpyxl import load_workbook

    if not (SHARED_FIELD / name).is_file():
        pytest.skip(f"{SHARED_FIELD / name} is absent: the fixtures live in ../shared")
    sheet = load_workbook(SHARED_FIELD / name).active
    header, *answers = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    ours = ff.ms_forms_export(tmp_path / name, header[5:],
                              [(a[1], a[2], a[3], a[4], list(a[5:])) for a in answers])
    assert _cells(ours) == _cells(SHARED_FIELD / name)


def test_the_libreoffice_writer_gives_what_libreoffice_writes(tmp_path):
    """libreoffice_csv is checked against LibreOffice itself: the same rows saved from a
    workbook by headless soffice with its CSV defaults (`,`, `"`, UTF-8) are the same bytes,
    quoting of a comma and of quotes included."""
    import subprocess

    from tests.conftest import require_libreoffice

    soffice = require_libreoffice()
    rows = [["Tilmeldings-ID", "Session", "Kommune", "Navn", "Pris"],
            ["K1", "07-04-2025", "Kobenhavns Kommune", "Søren Ærbø", "8.800,00"],
            ["K2", "07-04-2025", "Aarhus", 'Åse "Bø" Bækgaard', None]]
    book = ff.write_workbook(tmp_path / "ark.xlsx", [ff.Sheet("Ark1", rows)])
    subprocess.run([soffice, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
                    str(book)], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert (tmp_path / "ark.csv").read_bytes() == ff.libreoffice_csv(rows)


@pytest.mark.parametrize("key", _fixture_keys())
def test_a_fixture_file_gives_exactly_its_expected_rows(fixture_mayors_db, tmp_path, key):
    """Files joined by " + " (two form exports) are imported one after the other, as staff
    would: the second must add its rows, not rewrite the first's."""
    database = copy_of(fixture_mayors_db, tmp_path / "db")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))[key]
    for name in key.split(" + "):
        result = import_clean(database, SHARED_FIELD / name, keep_going=name in KEEP_GOING)
        if name in KEEP_GOING:
            assert [(p.line, p.column, p.value) for p in result.problems] == [
                (6, "Status", "Venteliste")]
        else:
            assert result.problems == []
    assert stored(database) == sorted((tuple(r.values()) for r in expected), key=repr)


# --- 2. Further files of each kind --------------------------------------------------------

def test_windows_1252_with_a_sep_comma_line(db, tmp_path):
    """Kind 01a: Danish Excel's Windows-1252 with Excel's `sep=` hint, here `sep=,` (the
    decimal comma then makes Excel quote the amounts)."""
    data = ff.excel_windows_csv([
        HEADER,
        ["W1", "05-12-2022", "Københavns Kommune", "Søren Ærbø", "01-11-2022 10:15", "deltaget",
         Decimal("8800.00"), "20-12-2022"],
        ["W2", "17-04-2023", "Frederiksberg", "René Østergård", "02-03-2023 08:00", "afmeldt",
         Decimal("0.00"), None],
        ["W3", "LKS2022-06", "Næstved Kommune", "Zoë Næsby", "03-11-2023 12:30", "udeblevet",
         Decimal("5300.00"), "13-12-2023"],
    ], sep=",", sep_line=True)
    assert data.startswith(b"sep=,\r\nTilmeldings-ID,") and b'"8800,00"' in data
    assert "Søren Ærbø".encode("cp1252") in data
    import_clean(db, written(tmp_path / "eksport.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-04", "Søren Ærbø", "2022-11-01 10:15:00", "attended", "8800.00",
            "2022-12-20"),
        row("LKS2022-05", "René Østergård", "2023-03-02 08:00:00", "cancelled", "0.00"),
        row("LKS2022-06", "Zoë Næsby", "2023-11-03 12:30:00", "no_show", "5300.00",
            "2023-12-13"),
    ], key=repr)


def test_mac_excel_macroman_with_cr_line_ends(db, tmp_path):
    """Kind 03: Excel for Mac's CSV, MacRoman bytes, a bare CR after each line."""
    data = ff.excel_mac_csv([
        HEADER,
        ["M1", "15-04-2024", "København", "Søren Ærbø", "01-03-2024 09:00", "deltaget", 5300,
         None],
        ["M2", "15-04-2024", "Aabenraa", "Hélène Aagaard", "02-03-2024 09:30", "tilmeldt", None,
         None],
        ["M3", "28-11-2024", "Aarhus", "Åse Bækgaard", "01-11-2024 11:00", "udeblevet", 8800,
         None],
    ])
    assert b"\n" not in data and data.count(b"\r") == 4
    assert "Søren Ærbø".encode("mac_roman") in data
    import_clean(db, written(tmp_path / "mac.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-07", "Søren Ærbø", "2024-03-01 09:00:00", "attended", "5300.00"),
        row("LKS2022-07", "Hélène Aagaard", "2024-03-02 09:30:00", "registered"),
        row("LKS2022-08", "Åse Bækgaard", "2024-11-01 11:00:00", "no_show", "8800.00"),
    ], key=repr)


@pytest.mark.parametrize("big_endian", [False, True], ids=["utf16le", "utf16be"])
def test_unicode_text_tab_separated(db, tmp_path, big_endian):
    """Kind 04: Excel's "Unicode Text" (UTF-16LE, BOM, tab, CRLF), and the same as UTF-16BE
    with its BOM."""
    data = ff.excel_unicode_text([
        HEADER,
        ["U1", "07-04-2025", "Læsø", "Lærke Læsøe", "01-03-2025 08:00", "deltaget",
         "8.800,00", "15-04-2025"],
        ["U2", "07-04-2025", "Tønder Kommune", "Signe Tøndering", "02-03-2025 08:30",
         "afmeldt", "0,00", None],
        ["U3", "28-11-2024", "Helsingør", "Ib Ørsted", "03-11-2024 09:00", "tilmeldt", None,
         None],
    ], big_endian=big_endian)
    assert data[:2] == (b"\xfe\xff" if big_endian else b"\xff\xfe")
    import_clean(db, written(tmp_path / "unicode.txt", data))
    assert stored(db) == sorted([
        row("LKS2022-09", "Lærke Læsøe", "2025-03-01 08:00:00", "attended", "8800.00",
            "2025-04-15"),
        row("LKS2022-09", "Signe Tøndering", "2025-03-02 08:30:00", "cancelled", "0.00"),
        row("LKS2022-08", "Ib Ørsted", "2024-11-03 09:00:00", "registered"),
    ], key=repr)


FORM_QUESTIONS = ["Kommune", "Session", "Tilmeldt", "Status"]


def form_answer(name: str, session: str, when: dt.datetime, status: str) -> tuple:
    """One respondent of a form: started three minutes before, registered on completion."""
    return (when - dt.timedelta(minutes=3), when, f"{CODE[name]}@example.dk", name,
            [PLACE[name], session, when, status])


FORM_MAY = [form_answer("Søren Ærbø", "17-04-2023", dt.datetime(2023, 3, 1, 9, 5), "deltaget"),
            form_answer("René Østergård", "17-04-2023", dt.datetime(2023, 3, 2, 10, 0),
                        "deltaget"),
            form_answer("Åse Bækgaard", "17-04-2023", dt.datetime(2023, 3, 3, 11, 30),
                        "udeblevet")]
FORM_NOV = [form_answer("Jens Ølund", "29-11-2023", dt.datetime(2023, 11, 1, 8, 0), "deltaget"),
            form_answer("Bjørn Ærøe", "29-11-2023", dt.datetime(2023, 11, 2, 8, 15), "afmeldt"),
            form_answer("Hélène Aagaard", "29-11-2023", dt.datetime(2023, 11, 3, 8, 30),
                        "deltaget")]
FORMS_STORED = [
    row("LKS2022-05", "Søren Ærbø", "2023-03-01 09:05:00", "attended"),
    row("LKS2022-05", "René Østergård", "2023-03-02 10:00:00", "attended"),
    row("LKS2022-05", "Åse Bækgaard", "2023-03-03 11:30:00", "no_show"),
    row("LKS2022-06", "Jens Ølund", "2023-11-01 08:00:00", "attended"),
    row("LKS2022-06", "Bjørn Ærøe", "2023-11-02 08:15:00", "cancelled"),
    row("LKS2022-06", "Hélène Aagaard", "2023-11-03 08:30:00", "attended"),
]


@pytest.mark.parametrize("may_first", [True, False], ids=["may-then-nov", "nov-then-may"])
def test_two_forms_exports_whose_ids_restart(db, tmp_path, may_first):
    """Kind 06: each Microsoft Forms export numbers its answers 1, 2, 3 in `Id`, which names
    no registration. Either order gives all six; importing either again changes nothing; a
    newer export of the same form (one status changed, one answer more) updates it."""
    may = ff.ms_forms_export(tmp_path / "maj.xlsx", FORM_QUESTIONS, FORM_MAY)
    nov = ff.ms_forms_export(tmp_path / "nov.xlsx", FORM_QUESTIONS, FORM_NOV)
    for path in ([may, nov] if may_first else [nov, may]):
        import_clean(db, path)
    assert stored(db) == sorted(FORMS_STORED, key=repr)
    before = snapshot(db)
    for path in (may, nov):
        (file,) = import_clean(db, path).files
        assert (file.new, file.updated) == (0, 0)
    assert snapshot(db) == before

    newer = [*FORM_MAY[:1], (*FORM_MAY[1][:4], [*FORM_MAY[1][4][:3], "afmeldt"]), FORM_MAY[2],
             form_answer("Mette Fynbo", "17-04-2023", dt.datetime(2023, 3, 4, 12, 0),
                         "deltaget")]
    (file,) = import_clean(db, ff.ms_forms_export(tmp_path / "maj-2.xlsx", FORM_QUESTIONS,
                                                  newer)).files
    assert (file.new, file.updated) == (1, 1)
    changed = [r for r in FORMS_STORED if r[2] != "René Østergård"]
    assert stored(db) == sorted([
        *changed, row("LKS2022-05", "René Østergård", "2023-03-02 10:00:00", "cancelled"),
        row("LKS2022-05", "Mette Fynbo", "2023-03-04 12:00:00", "attended")], key=repr)


def test_a_google_forms_export_with_first_and_last_names(db, tmp_path):
    """Kind 06, another system: Google Forms' responses sheet downloaded as CSV, the name in
    Fornavn/Efternavn, the municipality only in Organisation ("Aarhus Kommune"); e-mail and
    phone are not stored anywhere."""
    header = ["Tidsstempel", "E-mailadresse", "Fornavn", "Efternavn", "Organisation",
              "Telefon", "Session", "Tilmeldt", "Status"]
    data = ff.google_sheets_csv([
        header,
        ["1.3.2024 09.00.00", "sekr1@example.dk", "Åse", "Bækgaard", "Aarhus Kommune",
         "+45 11 22 33 44", "15-04-2024", "01-03-2024 09:00", "tilmeldt"],
        ["2.3.2024 10.30.00", "sekr2@example.dk", "Søren", "Ærbø", "Københavns Kommune",
         "+45 55 66 77 88", "15-04-2024", "02-03-2024 10:30", "deltaget"],
        ["3.3.2024 11.45.00", "sekr3@example.dk", "Anne-Mette", "Køhler", "Køge Kommune",
         "", "15-04-2024", "03-03-2024 11:45", "afmeldt"],
    ])
    assert not data.endswith(b"\r\n") and data.count(b"\r\n") == 3
    import_clean(db, written(tmp_path / "google.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-07", "Åse Bækgaard", "2024-03-01 09:00:00", "registered"),
        row("LKS2022-07", "Søren Ærbø", "2024-03-02 10:30:00", "attended"),
        row("LKS2022-07", "Anne-Mette Køhler", "2024-03-03 11:45:00", "cancelled"),
    ], key=repr)
    with duckdb.connect(str(db), read_only=True) as con:
        texts = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
        for table, column in texts:
            found = con.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE ? '
                                f'OR "{column}" LIKE ?', ["%example.dk%", "%+45 %"]).fetchone()[0]
            assert found == 0, f"an e-mail or phone number is stored in {table}.{column}"


TITLE_ROWS = [
    ["R1", dt.date(2024, 11, 28), "Helsingør", "Ib Ørsted", dt.datetime(2024, 11, 1, 10, 0),
     "deltaget", 8800, dt.date(2024, 12, 12)],
    ["R2", dt.date(2024, 11, 28), "Tønder", "Signe Tøndering", dt.datetime(2024, 11, 2, 10, 0),
     "udeblevet", 8800, dt.date(2024, 12, 12)],
    ["R3", dt.date(2025, 4, 7), "Kolding", "André Koldby", dt.datetime(2025, 3, 3, 14, 45),
     "tilmeldt", None, None],
]


def title_workbook(path: Path, rows=TITLE_ROWS) -> Path:
    return ff.report_workbook(path, "Tilmeldinger – Lederskab i en kompleks samtid",
                              ["Udtræk pr. 30-11-2026", "Kilde: KL's tilmeldingssystem"],
                              HEADER, rows, header_row=6)


def test_a_report_workbook_with_its_header_on_row_6(db, tmp_path):
    """Kind 07: a merged title, two lines under it and two blank rows above the header."""
    path = title_workbook(tmp_path / "rapport.xlsx")
    import_clean(db, path)
    assert stored(db) == sorted([
        row("LKS2022-08", "Ib Ørsted", "2024-11-01 10:00:00", "attended", "8800.00",
            "2024-12-12"),
        row("LKS2022-08", "Signe Tøndering", "2024-11-02 10:00:00", "no_show", "8800.00",
            "2024-12-12"),
        row("LKS2022-09", "André Koldby", "2025-03-03 14:45:00", "registered"),
    ], key=repr)


def test_a_report_workbooks_reject_names_the_sheet_and_its_row(db, tmp_path):
    """Below a header on row 6 the second record is on the sheet's row 8, and is said so."""
    rows = [TITLE_ROWS[0], [*TITLE_ROWS[1][:5], "måske", *TITLE_ROWS[1][6:]], TITLE_ROWS[2]]
    result = import_files(db, [title_workbook(tmp_path / "rapport.xlsx", rows)])
    (problem,) = result.problems
    assert (problem.line, problem.column, problem.value) == (8, "Status", "måske")
    assert "[Deltagere]" in problem.file and not result.applied


def test_a_merged_session_cell_counts_for_every_row_it_spans(db, tmp_path):
    """Kind 07/08: a session cell merged down over its registrations, as a person lays out a
    list; Excel shows the one value beside all three rows, and so it is read."""
    rows = [["G1", dt.date(2023, 11, 29), "Odense", "Jens Ølund",
             dt.datetime(2023, 11, 1, 9, 0), "deltaget", None, None],
            ["G2", None, "Ærø", "Bjørn Ærøe", dt.datetime(2023, 11, 2, 9, 0), "deltaget", None,
             None],
            ["G3", None, "Kolding", "André Koldby", dt.datetime(2023, 11, 3, 9, 0), "afmeldt",
             None, None]]
    path = ff.write_workbook(tmp_path / "flettet.xlsx", [
        ff.Sheet("Tilmeldinger", [HEADER, *rows], merged=["B2:B4"])])
    import_clean(db, path)
    assert stored(db) == sorted([
        row("LKS2022-06", "Jens Ølund", "2023-11-01 09:00:00", "attended"),
        row("LKS2022-06", "Bjørn Ærøe", "2023-11-02 09:00:00", "attended"),
        row("LKS2022-06", "André Koldby", "2023-11-03 09:00:00", "cancelled"),
    ], key=repr)


def test_a_hidden_lists_sheet_first_then_the_data(db, tmp_path):
    """Kind 08: the drop-down lists on a hidden first sheet, the data on the active one."""
    path = ff.workbook_with_lists_first(
        tmp_path / "skabelon.xlsx", HEADER,
        [["H1", dt.date(2025, 4, 7), "Høje-Taastrup", "Kåre Æbelø",
          dt.datetime(2025, 3, 10, 9, 0), "tilmeldt", None, None],
         ["H2", dt.date(2025, 4, 7), "Lyngby-Taarbæk", "Birthe Lindholm",
          dt.datetime(2025, 3, 11, 9, 0), "afmeldt", 0, None]],
        {"Status": ["tilmeldt", "afmeldt", "deltaget", "udeblevet"],
         "Kommune": ["Høje-Taastrup", "Lyngby-Taarbæk"]}, status_column="F")
    import_clean(db, path)
    assert stored(db) == sorted([
        row("LKS2022-09", "Kåre Æbelø", "2025-03-10 09:00:00", "registered"),
        row("LKS2022-09", "Birthe Lindholm", "2025-03-11 09:00:00", "cancelled", "0.00"),
    ], key=repr)


def three_sheet_workbook(path: Path) -> Path:
    """Instructions, the data (active), and last year's registrations: all three visible."""
    data = [HEADER,
            ["A1", dt.date(2024, 4, 15), "Nordfyns", "Mette Fynbo",
             dt.datetime(2024, 3, 1, 9, 0), "deltaget", 5300, None],
            ["A2", dt.date(2024, 4, 15), "Bornholm", "Ole Rønne",
             dt.datetime(2024, 3, 2, 9, 0), "udeblevet", 5300, None]]
    archive = [HEADER,
               ["Z1", dt.date(2022, 1, 31), "Nordfyns", "Mette Fynbo",
                dt.datetime(2022, 1, 10, 9, 0), "afmeldt", 0, None]]
    return ff.write_workbook(path, [
        ff.Sheet("Vejledning", [["Sådan udfylder du arket"],
                                ["Status: tilmeldt, afmeldt, deltaget eller udeblevet"]]),
        ff.Sheet("Tilmeldinger", data),
        ff.Sheet("Arkiv 2022", archive)], active=1)


def test_the_active_sheet_is_read_when_it_is_the_second_of_three(db, tmp_path):
    import_clean(db, three_sheet_workbook(tmp_path / "tre-ark.xlsx"))
    assert stored(db) == sorted([
        row("LKS2022-07", "Mette Fynbo", "2024-03-01 09:00:00", "attended", "5300.00"),
        row("LKS2022-07", "Ole Rønne", "2024-03-02 09:00:00", "no_show", "5300.00"),
    ], key=repr)


def test_sheet_still_picks_another_sheet(db, tmp_path):
    import_clean(db, three_sheet_workbook(tmp_path / "tre-ark.xlsx"), sheet="Arkiv 2022")
    assert stored(db) == [row("LKS2022-01", "Mette Fynbo", "2022-01-10 09:00:00", "cancelled",
                              "0.00")]


NBSP, THIN, ZWSP = "\u00a0", "\u2009", "\u200b"


def test_status_date_and_amount_words_as_staff_write_them(db, tmp_path):
    """Kind 10, and the dates and amounts of the issue: every word below means its status;
    "Venteliste" is no status and is refused (so --keep-going)."""
    data = ff.excel_csv_utf8([
        HEADER,
        ["S1", "28-11-2024", "København", "Søren Ærbø", "1.11.2024, 09.15.00", "Fremmødt",
         "kr. 8.800,-", "12.12.2024"],
        ["S2", "28-11-2024", "Frederiksberg", "René Østergård", "2024-11-02T10:30:00", "mødt",
         f"8{NBSP}800 kr.", None],
        ["S3", "28-11-2024", "Aarhus", "Åse Bækgaard", "3.11.2024 8:05", "UDEBLEV", "5.300,-",
         None],
        ["S4", "28-11-2024", "Odense", "Jens Ølund", "04-11-2024 14.20", "Ikke mødt",
         "kr 5 300", None],
        ["S5", "28-11-2024", "Ærø", "Bjørn Ærøe", "05.11.2024 09:00", "Afbud", "0,00", None],
        ["S6", "28-11-2024", "Aabenraa", "Hélène Aagaard", "6-11-2024", "attended", None, None],
        ["S7", "28-11-2024", "Nordfyns", "Mette Fynbo", "07-11-2024 10:00", "Cancelled", None,
         None],
        ["S8", "28-11-2024", "Bornholm", "Ole Rønne", "08-11-2024 10:00", "VENTELISTE", None,
         None],
    ])
    result = import_clean(db, written(tmp_path / "ord.csv", data), keep_going=True)
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (9, "Status", "VENTELISTE")]
    assert stored(db) == sorted([
        row("LKS2022-08", "Søren Ærbø", "2024-11-01 09:15:00", "attended", "8800.00",
            "2024-12-12"),
        row("LKS2022-08", "René Østergård", "2024-11-02 10:30:00", "attended", "8800.00"),
        row("LKS2022-08", "Åse Bækgaard", "2024-11-03 08:05:00", "no_show", "5300.00"),
        row("LKS2022-08", "Jens Ølund", "2024-11-04 14:20:00", "no_show", "5300.00"),
        row("LKS2022-08", "Bjørn Ærøe", "2024-11-05 09:00:00", "cancelled", "0.00"),
        row("LKS2022-08", "Hélène Aagaard", "2024-11-06 00:00:00", "attended"),
        row("LKS2022-08", "Mette Fynbo", "2024-11-07 10:00:00", "cancelled"),
    ], key=repr)


# Municipalities as people write them, each with the mayor it must reach.
MUNICIPALITY_FORMS = [
    ("Nordfyn", "Mette Fynbo"), ("Bornholms Regionskommune", "Ole Rønne"),
    ("Ringkoebing Skjern", "Øjvind Skjern"), ("Tarnby", "Frida Tårnbæk"),
    ("Koge", "Anne-Mette Køhler"), ("Kobenhavns Kommune", "Søren Ærbø"),
    ("Laesoe", "Lærke Læsøe"), ("Tonder Kommune", "Signe Tøndering"),
    ("Lyngby", "Birthe Lindholm"), ("Hoeje Taastrup", "Kåre Æbelø"),
    ("Aeroe Kommune", "Bjørn Ærøe"), ("Naestved", "Zoë Næsby"), ("Helsingor", "Ib Ørsted"),
    ("Frederiksberg Kommune", "René Østergård"), ("Århus Kommune", "Åse Bækgaard"),
]


def test_municipality_names_as_people_write_them(db, tmp_path):
    """Kind 11, in a LibreOffice CSV: no hyphens, ASCII for æ/ø/å (ae, oe, o, aa, a), the
    genitive s dropped, Kommune/Regionskommune, the short "Lyngby"."""
    rows = [[f"K{i}", "07-04-2025", place, name, f"{i + 1:02d}-03-2025 12:00", "deltaget",
             None, None] for i, (place, name) in enumerate(MUNICIPALITY_FORMS)]
    data = ff.libreoffice_csv([HEADER, *rows])
    assert b"\r" not in data and data.endswith(b"\n")
    result = import_clean(db, written(tmp_path / "kommuner.csv", data), keep_going=True)
    assert [(p.line, p.value) for p in result.problems] == []
    assert stored(db) == sorted(
        [row("LKS2022-09", name, f"2025-03-{i + 1:02d} 12:00:00", "attended")
         for i, (_, name) in enumerate(MUNICIPALITY_FORMS)], key=repr)


MIXED_ROWS = [
    HEADER,
    ["X1", "05-12-2022", "Kolding", "André Koldby", "01-11-2022 10:00", "deltaget", "8.800,00",
     None],
    ["X2", "05-12-2022", "Køge", "Anne-Mette Køhler", "02-11-2022 10:00", "afmeldt", "0,00",
     None],
    ["X3", "05-12-2022", "Næstved", "Zoë Næsby", "03-11-2022 10:00", "udeblevet", "8.800,00",
     None],
    ["X4", "17-04-2023", "Tårnby", "Frida Tårnbæk", "01-03-2023 10:00", "tilmeldt", None, None],
]
MIXED_STORED = sorted([
    row("LKS2022-04", "André Koldby", "2022-11-01 10:00:00", "attended", "8800.00"),
    row("LKS2022-04", "Anne-Mette Køhler", "2022-11-02 10:00:00", "cancelled", "0.00"),
    row("LKS2022-04", "Zoë Næsby", "2022-11-03 10:00:00", "no_show", "8800.00"),
    row("LKS2022-05", "Frida Tårnbæk", "2023-03-01 10:00:00", "registered"),
], key=repr)


@pytest.mark.parametrize("ends", [
    (ff.CRLF, ff.CRLF, ff.LF), (ff.LF, ff.CRLF, ff.CR), (ff.CRLF, ff.CR), (ff.CR + ff.CRLF,)],
    ids=["crlf-then-lf", "lf-crlf-cr", "crlf-cr", "cr-crlf"])
def test_a_file_mixing_line_ends(db, tmp_path, ends):
    """CRLF lines from Excel with LF and CR lines appended by other programs; and CR CRLF, what
    an Excel file becomes when its line ends are converted to CRLF a second time (a CR, then
    a CRLF ending an empty line, which is no record)."""
    data = ff.mixed_line_ends(MIXED_ROWS, ends)
    import_clean(db, written(tmp_path / "blandet.csv", data))
    assert stored(db) == MIXED_STORED


def test_decomposed_letters_and_odd_spaces_still_name_the_mayor(db, tmp_path):
    """macOS writes å and é decomposed (NFD); a name copied from a web page or Word carries a
    non-breaking or thin space, or a zero-width one. Each is the mayor of the list, never a
    second person; the amount with a non-breaking thousands space is read too."""
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    assert nfd("Åse") != "Åse"
    data = ff.excel_csv_utf8([
        HEADER,
        ["N1", "15-04-2024", "Aarhus", nfd("Åse Bækgaard"), "01-03-2024 09:00", "deltaget",
         f"5{NBSP}300,00", None],
        ["N2", "15-04-2024", "Aabenraa", nfd("Hélène Aagaard"), "02-03-2024 09:00", "deltaget",
         None, None],
        ["N3", "15-04-2024", "Frederiksberg", f"René{NBSP}Østergård", "03-03-2024 09:00",
         "deltaget", None, None],
        ["N4", "15-04-2024", "København", f"Søren{THIN}Ærbø", "04-03-2024 09:00", "deltaget",
         None, None],
        ["N5", "15-04-2024", f"Høje{NBSP}Taastrup", "Kåre Æbelø", "05-03-2024 09:00",
         "deltaget", None, None],
        ["N6", "15-04-2024", "Odense", f"Jens Ø{ZWSP}lund", "06-03-2024 09:00", "deltaget",
         None, None],
    ])
    import_clean(db, written(tmp_path / "mac-tekst.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-07", "Åse Bækgaard", "2024-03-01 09:00:00", "attended", "5300.00"),
        row("LKS2022-07", "Hélène Aagaard", "2024-03-02 09:00:00", "attended"),
        row("LKS2022-07", "René Østergård", "2024-03-03 09:00:00", "attended"),
        row("LKS2022-07", "Søren Ærbø", "2024-03-04 09:00:00", "attended"),
        row("LKS2022-07", "Kåre Æbelø", "2024-03-05 09:00:00", "attended"),
        row("LKS2022-07", "Jens Ølund", "2024-03-06 09:00:00", "attended"),
    ], key=repr)


# --- The registration-id conflict rule, both ways round ------------------------------------

FIRST = ["T1", "05-12-2022", "København", "Søren Ærbø", "01-11-2022 10:00", "deltaget", None,
         None]
OTHER_SESSION = ["T1", "17-04-2023", "København", "Søren Ærbø", "01-03-2023 10:00",
                 "deltaget", None, None]
OTHER_MAYOR = ["T1", "05-12-2022", "Frederiksberg", "René Østergård", "01-11-2022 10:00",
               "deltaget", None, None]
STORED_AS = {
    "first": row("LKS2022-04", "Søren Ærbø", "2022-11-01 10:00:00", "attended"),
    "other session": row("LKS2022-05", "Søren Ærbø", "2023-03-01 10:00:00", "attended"),
    "other mayor": row("LKS2022-04", "René Østergård", "2022-11-01 10:00:00", "attended"),
}


@pytest.mark.parametrize("other", ["other session", "other mayor"])
@pytest.mark.parametrize("first_in", [True, False], ids=["first-in-db", "other-in-db"])
def test_an_id_naming_another_registration_is_a_conflict(db, tmp_path, other, first_in):
    """A registration id already stored for one session and mayor, met again naming another
    session or another mayor, is rejected naming the earlier registration — whichever of the
    two came first — and the stored one stays as it was."""
    rows = {"first": FIRST, "other session": OTHER_SESSION, "other mayor": OTHER_MAYOR}
    earlier, later = ("first", other) if first_in else (other, "first")
    early = written(tmp_path / "a.csv", ff.excel_windows_csv([HEADER, rows[earlier]]))
    late = written(tmp_path / "b.csv", ff.excel_windows_csv([HEADER, rows[later]]))
    import_clean(db, early)
    before = snapshot(db)
    result = import_files(db, [late])
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (2, "Tilmeldings-ID", "T1")], "the second use of the id was not rejected"
    (problem,) = result.problems
    earlier_session, _, earlier_name = STORED_AS[earlier][:3]
    assert earlier_session in problem.reason or earlier_name in problem.reason, problem.reason
    assert not result.applied and snapshot(db) == before
    assert stored(db) == [STORED_AS[earlier]]


# --- 3. One file, every encoding and line end: the same rows ------------------------------

SESSION_DATES = ["05-12-2022", "17-04-2023", "29-11-2023", "15-04-2024", "LKS2022-08"]
STATUS_OF = {"tilmeldt": "registered", "afmeldt": "cancelled", "deltaget": "attended",
             "udeblevet": "no_show"}
ENCODINGS = {  # name: the text as bytes
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 BOM": lambda text: ff.BOM_UTF8 + text.encode("utf-8"),
    "utf-16le BOM": lambda text: ff.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16be BOM": lambda text: ff.BOM_UTF16_BE + text.encode("utf-16-be"),
    "windows-1252": lambda text: text.encode("cp1252"),
    "mac roman": lambda text: text.encode("mac_roman"),
}
LINE_ENDS = {"CR": [ff.CR], "LF": [ff.LF], "CRLF": [ff.CRLF], "mixed": [ff.CRLF, ff.LF, ff.CR]}


def test_any_encoding_and_line_ends_store_the_same_rows(own_mayors_db, tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    registration = st.tuples(
        st.sampled_from(SESSION_DATES), st.sampled_from(sorted(STATUS_OF)),
        st.datetimes(dt.datetime(2021, 1, 1), dt.datetime(2025, 12, 31)).map(
            lambda moment: moment.replace(second=0, microsecond=0)),
        st.sampled_from([None, "5.300,00", "8800", "0,00"]))
    files = st.tuples(
        st.lists(st.sampled_from([name for _, _, name in MAYORS]), min_size=1, max_size=6,
                 unique=True),
        st.lists(registration, min_size=6, max_size=6),
        st.sampled_from(sorted(ENCODINGS)), st.sampled_from(sorted(LINE_ENDS)),
        st.sampled_from([";", ",", "\t"]))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(files)
    def check(drawn):
        names, registrations, encoding, ends, sep = drawn
        rows, expected = [HEADER], []
        for i, (name, (session, status, when, price)) in enumerate(
                zip(names, registrations[:len(names)], strict=True)):
            rows.append([f"P{i}", session, PLACE[name], name, when.strftime("%d-%m-%Y %H:%M"),
                         status, price, None])
            amount = None if price is None else \
                f"{Decimal(price.replace('.', '').replace(',', '.')):.2f}"
            expected.append(row(SESSION_ON.get(session, session), name,
                                when.strftime("%Y-%m-%d %H:%M:%S"), STATUS_OF[status], amount))
        lines = [sep.join(ff.quoted(ff.danish_text(v), sep) for v in r) for r in rows]
        text = "".join(line + LINE_ENDS[ends][i % len(LINE_ENDS[ends])]
                       for i, line in enumerate(lines))
        folder = tmp_path_factory.mktemp("encodings")
        database = copy_of(own_mayors_db, folder)
        path = written(folder / "eksport.csv", ENCODINGS[encoding](text))
        assert import_clean(database, path).problems == []
        assert stored(database) == sorted(expected, key=repr), (encoding, ends, repr(sep))

    check()
