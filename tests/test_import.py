"""`python -m etl import`: real files in, line-precise rejects out, all or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl import aliases
from etl.errors import SourceError
from etl.importer import MACROS, Phase, import_files
from etl.paths import PROJECT_ROOT
from tests.conftest import HEADER

DATA_TABLES = ("municipalities", "sessions", "mayors", "registrations", "dataset_info",
               "municipality_boundaries")


def write_csv(path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def snapshot(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in DATA_TABLES}


def query(path: Path, sql: str, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


# --- Files made by real programs ----------------------------------------------------------

def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tilmeldinger"
    sheet.append(["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status",
                  "Pris", "Faktureret"])
    sheet.append(["X1", "LKS2022-04", "Københavns Kommune", "Åse Østergård",
                  dt.datetime(2022, 11, 2, 9, 30), "Deltaget", 8800, dt.date(2022, 12, 20)])
    sheet.append(["X2", dt.date(2022, 12, 5), "Åbenrå", "Bjørn Ærø-Hansen",
                  dt.datetime(2022, 11, 3, 14, 0), "afmeldt", "8.800,00", None])
    sheet.append([])  # a blank row between records: not a record, and lines keep counting
    sheet.append(["X3", "LKS2022-05", "0101", "Åse Østergård",
                  dt.datetime(2023, 3, 1, 8, 0), "udeblevet", None, None])
    book.save(path)
    return path


def test_an_xlsx_written_by_openpyxl(database, tmp_path):
    result = import_files(database, [make_xlsx(tmp_path / "eksport.xlsx")])
    assert result.problems == [] and result.applied
    assert result.demo_removed is not None  # the first real import replaces the demo
    (file,) = result.files
    assert (file.staged.rows, file.loaded, file.new, file.people_added) == (3, 3, 3, 2)
    rows = query(database, "SELECT registration_id, session_id, kommune_code, registered_at, "
                           "status, price_ex_vat, invoiced_at FROM registrations ORDER BY 1")
    assert rows == [
        ("X1", "LKS2022-04", 101, dt.datetime(2022, 11, 2, 9, 30), "attended",
         Decimal("8800.00"), dt.date(2022, 12, 20)),
        ("X2", "LKS2022-04", 580, dt.datetime(2022, 11, 3, 14), "cancelled",
         Decimal("8800.00"), None),
        ("X3", "LKS2022-05", 101, dt.datetime(2023, 3, 1, 8), "no_show", None, None),
    ]
    # The same person (same municipality, same name) is one mayor, not two.
    assert query(database, "SELECT count(DISTINCT mayor_id) FROM registrations") == [(2,)]
    assert query(database, "SELECT value FROM dataset_info WHERE key = 'is_demo'") == \
        [("false",)]
    assert query(database, "SELECT count(*) FROM sessions WHERE venue_is_demo") == [(0,)]


def test_xlsx_rejects_name_the_sheets_row_numbers(database, tmp_path):
    from openpyxl import load_workbook

    path = make_xlsx(tmp_path / "eksport.xlsx")
    book = load_workbook(path)
    book.active["F5"] = "måske"  # X3's status, on sheet row 5 after the blank row 4
    book.save(path)
    result = import_files(database, [path])
    (problem,) = result.problems
    assert (problem.line, problem.column, problem.value) == (5, "Status", "måske")
    assert not result.applied


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
def test_a_windows_1252_csv_saved_by_libreoffice(database, tmp_path):
    xlsx = make_xlsx(tmp_path / "eksport.xlsx")
    # 59 = ';', 34 = '"', 1 = Windows-1252: as Danish Excel saves "CSV (semikolonsepareret)".
    subprocess.run(["soffice", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):59,34,1,1", "--outdir", str(tmp_path),
                    str(xlsx)], check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    csv_path = tmp_path / "eksport.csv"
    raw = csv_path.read_bytes()
    assert "Østergård".encode("cp1252") in raw and b";" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = import_files(database, [csv_path])
    assert result.problems == []
    (file,) = result.files
    assert (file.staged.encoding, file.staged.delimiter, file.loaded) == ("cp1252", ";", 3)
    assert query(database, "SELECT name FROM mayors ORDER BY name") == [
        ("Bjørn Ærø-Hansen",), ("Åse Østergård",)]


def test_exact_bytes_as_danish_excel_writes_them(database, tmp_path):
    path = write_csv(tmp_path / "excel.csv",
                     "E1;05-12-2022;Ærø Kommune;Søren Å. Bækgård;01.11.2022 10:15;Tilmeldt;"
                     "5 300 kr.;", encoding="cp1252")
    path.write_bytes(path.read_bytes().replace(b"S\xf8ren", b"S\xf8ren \x96"))  # an en dash
    result = import_files(database, [path])
    assert result.problems == []
    assert query(database, "SELECT name FROM mayors") == [("Søren – Å. Bækgård",)]
    assert query(database, "SELECT kommune_code, price_ex_vat FROM registrations") == \
        [(492, Decimal("5300.00"))]


def test_utf8_with_bom_and_commas_and_tabs(database, tmp_path):
    rows = ["B1,LKS2022-04,Lyngby-Taarbæk,Ida Holm,2022-11-01,registered,,"]
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER.replace(";", ",") + "\n" + rows[0] + "\n")
                    .encode("utf-8"))
    tabs = write_csv(tmp_path / "tabs.tsv",
                     "T1\tLKS2022-05\tHøje Taastrup\tIb Lund\t2023-04-01\tno_show\t\t",
                     header=HEADER.replace(";", "\t"))
    result = import_files(database, [bom, tabs])
    assert result.problems == []
    assert [(f.staged.delimiter, f.loaded) for f in result.files] == [(",", 1), ("\t", 1)]
    assert query(database, "SELECT registration_id, kommune_code FROM registrations ORDER BY 1") \
        == [("B1", 173), ("T1", 169)]


# --- Rejects ------------------------------------------------------------------------------

def test_every_kind_of_reject_with_its_line_and_column(database, tmp_path):
    before = snapshot(database)
    path = write_csv(
        tmp_path / "bad.csv",
        "R1;LKS2022-04;København;Anna;01-11-2022;deltaget;8800;20-12-2022",  # line 2: fine
        "R2;LKS2022-99;København;Bo;01-11-2022;deltaget;;",                  # 3 session
        "R3;04-04-2023;København;Carl;01-11-2022;deltaget;;",                 # 4 no session
        "R4;LKS2022-04;Gotham;Dan;01-11-2022;deltaget;;",                     # 5 municipality
        "R5;LKS2022-04;Aarhus;;01-11-2022;deltaget;;",                        # 6 name missing
        "R6;LKS2022-04;Aarhus;Eva;31-02-2022;deltaget;;",                     # 7 date
        "R7;LKS2022-04;Aarhus;Finn;01-11-2022;måske;;",                       # 8 status
        "R8;LKS2022-04;Aarhus;Gitte;01-11-2022;deltaget;fem kroner;",         # 9 amount
        "R9;LKS2022-04;Aarhus;Hans;01-11-2022;deltaget;;i morgen",            # 10 invoiced
        "R10;LKS2022-04;Aarhus;Ib;01-11-2022;deltaget",                       # 11 too few
        "R11;LKS2022-04;Aarhus;Jens;01-11-2022;deltaget;;;x;y",               # 12 too many
    )
    result = import_files(database, [path])
    got = {(p.line, p.column): p.value for p in result.problems}
    assert got == {
        (3, "Session"): "LKS2022-99", (4, "Session"): "04-04-2023",
        (5, "Kommune"): "Gotham", (6, "Navn"): None, (7, "Tilmeldt"): "31-02-2022",
        (8, "Status"): "måske", (9, "Pris"): "fem kroner", (10, "Faktureret"): "i morgen",
        (11, None): "R10;LKS2022-04;Aarhus;Ib;01-11-2022;deltaget",
        (12, None): "R11;LKS2022-04;Aarhus;Jens;01-11-2022;deltaget;;;x;y",
    }
    reasons = {p.line: p.reason for p in result.problems}
    assert reasons[4] == "ingen session starter den dag"
    assert "for få felter" in reasons[11] and "for mange felter" in reasons[12]
    assert all(p.file.endswith("bad.csv") for p in result.problems)
    # All or nothing: not even the good line 2 is loaded; the attempt is on record.
    assert not result.applied and snapshot(database) == before
    runs = query(database, "SELECT rows_read, rows_loaded, rows_rejected, outcome "
                           "FROM import_runs WHERE command = 'import'")
    assert runs == [(11, 0, 10, "rejected")]
    assert query(database, "SELECT count(*), count(raw_row) FROM rejected_rows") == [(10, 10)]


def test_the_command_line_prints_a_table_and_exits_2(database, tmp_path):
    path = write_csv(tmp_path / "bad.csv", "R1;LKS2022-04;Gotham;Anna;01-11-2022;deltaget;;")
    done = run_cli("import", str(path), "--db", str(database))
    assert done.returncode == 2
    assert "linje" in done.stdout and "Gotham" in done.stdout and "ukendt kommune" in done.stdout
    assert "Traceback" not in done.stderr


def test_keep_going_loads_the_valid_rows(database, tmp_path):
    path = write_csv(tmp_path / "mixed.csv",
                     "K1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;",
                     "K2;LKS2022-04;Gotham;Bo;01-11-2022;deltaget;;")
    done = run_cli("import", str(path), "--db", str(database), "--keep-going")
    assert done.returncode == 0, done.stderr
    assert query(database, "SELECT registration_id FROM registrations") == [("K1",)]
    assert query(database, "SELECT outcome, rows_loaded, rows_rejected FROM import_runs "
                           "WHERE command = 'import'") == [("partial", 1, 1)]


@pytest.mark.parametrize("rejected", [
    ";LKS2022-04;Vejle;Bo Berg;01-11-2022;deltaget;abc;",   # not an amount
    ";LKS2022-04;Vejle;Bo\tBerg;01-11-2022;deltaget;;",     # a control character in the name
])
def test_keep_going_loads_a_line_that_repeats_a_rejected_one(database, tmp_path, rejected):
    """Parsed, the rejected line equals the good one after it (the bad amount reads as none,
    "Bo<TAB>Berg" folds to the same person): the good line is its registration's first valid
    line, and is loaded, not dropped as a repeat."""
    path = write_csv(tmp_path / "gentaget.csv", rejected,
                     ";LKS2022-04;Vejle;Bo Berg;01-11-2022;deltaget;;")
    (file,) = import_files(database, [path], keep_going=True).files
    assert [p.line for p in file.problems] == [2]
    assert query(database, "SELECT m.name, r.session_id FROM registrations r "
                           "JOIN mayors m USING (mayor_id) WHERE m.name = 'Bo Berg'") == [
        ("Bo Berg", "LKS2022-04")]
    assert query(database, "SELECT outcome, rows_read, rows_loaded, rows_rejected "
                           "FROM import_runs WHERE command = 'import'") == [("partial", 2, 1, 1)]
    assert (file.loaded, file.repeats, file.new) == (1, 0, 1)


def test_repeated_lines_load_once_and_are_counted_once(database, tmp_path):
    """rows_loaded counts registrations loaded, once each; the lines that repeat one are
    said in the message and on the command line, so read = loaded + rejected + repeated."""
    path = write_csv(tmp_path / "gentagelser.csv",
                     ";LKS2022-04;Vejle;Bo Berg;01-11-2022;deltaget;5.300,00;",
                     ";LKS2022-04;Vejle;Bo Berg;01-11-2022;deltaget;5.300,00;",
                     ";LKS2022-04;Vejle;bo  berg;01-11-2022;deltaget;5300 kr.;",  # same, parsed
                     ";LKS2022-04;Odense;Anna;01-11-2022;deltaget;;",
                     ";LKS2022-04;Aarhus;Carl;01-11-2022;måske;;")                  # rejected
    done = run_cli("import", str(path), "--db", str(database), "--keep-going")
    assert done.returncode == 0, done.stderr
    assert "2 linjer gentog en tidligere linje og er talt med én gang" in done.stdout
    assert "2 indlæst (2 nye" in done.stdout
    assert query(database, "SELECT count(*) FROM registrations") == [(2,)]
    ((outcome, read, loaded, rejected, message),) = query(
        database, "SELECT outcome, rows_read, rows_loaded, rows_rejected, message "
                  "FROM import_runs WHERE command = 'import'")
    assert (outcome, read, loaded, rejected) == ("partial", 5, 2, 1)
    assert message.endswith("; 2 linjer gentog en tidligere linje og er talt med én gang")


def test_a_mayor_list_repeating_a_line_counts_it_once(database, tmp_path):
    header = "Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt"
    path = write_csv(tmp_path / "borgmestre.csv", *["Odense;Anna Holm;A;01-01-2022;;ja"] * 3,
                     "Vejle;Bo Lund;V;01-01-2022;;nej", header=header)
    (file,) = import_files(database, [path]).files
    assert (file.loaded, file.repeats, file.rejected_lines) == (2, 2, 0)


def test_an_import_reports_each_phase_of_each_file(database, tmp_path):
    first = write_csv(tmp_path / "a.csv", "A1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;")
    second = write_csv(tmp_path / "b.csv", "B1;LKS2022-04;Vejle;Bo;01-11-2022;deltaget;;")
    steps = []
    import_files(database, [first, second], step=steps.append, names={first: "a.csv"})
    assert [(s.phase, s.file) for s in steps] == [
        (Phase.READING, "a.csv"), (Phase.CHECKING, "a.csv"),
        (Phase.READING, str(second)), (Phase.CHECKING, str(second)),
        (Phase.LOADING, "a.csv"), (Phase.LOADING, str(second))]
    assert str(steps[0]) == "læser a.csv"  # the Danish text, as before


def test_dry_run_changes_nothing_at_all(database, tmp_path):
    before = database.read_bytes()
    path = write_csv(tmp_path / "ok.csv", "D1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;")
    done = run_cli("import", str(path), "--db", str(database), "--dry-run")
    assert done.returncode == 0 and "intet er ændret" in done.stdout
    assert database.read_bytes() == before


def test_conflicting_duplicates_within_a_file_are_rejected(database, tmp_path):
    path = write_csv(tmp_path / "dupes.csv",
                     "C1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;",
                     "C1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;",   # identical: fine
                     "C2;LKS2022-05;Odense;Anna;01-03-2023;deltaget;;",
                     "C2;LKS2022-05;Odense;Anna;01-03-2023;udeblevet;;",  # same id, differs
                     "C3;LKS2022-06;Vejle;Bo;01-11-2023;deltaget;;",
                     "C4;LKS2022-06;Vejle;Bo;01-11-2023;deltaget;;")      # same person+session
    result = import_files(database, [path], keep_going=True)
    got = {(p.line, p.column) for p in result.problems}
    assert got == {(4, "Tilmeldings-ID"), (5, "Tilmeldings-ID"), (6, "Navn"), (7, "Navn")}
    assert "linje 5" in next(p.reason for p in result.problems if p.line == 4)
    assert query(database, "SELECT registration_id FROM registrations") == [("C1",)]


def test_missing_columns_are_named(database, tmp_path):
    path = write_csv(tmp_path / "short.csv", "x;y", header="Session;Navn")
    with pytest.raises(SourceError) as caught:
        import_files(database, [path])
    (problem,) = caught.value.problems
    assert problem.line == 1 and "(Kommune / Kommunekode / Kommunenavn" in problem.reason


@pytest.mark.parametrize("content, reason", [
    (b"PK\x03\x04 this is not really a zip", "ikke en gyldig XLSX-fil"),
    (b"", "ikke en gyldig XLSX-fil"),
])
def test_a_corrupt_xlsx_is_refused_clearly(database, tmp_path, content, reason):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=reason):
        import_files(database, [path])


# --- Idempotency and updates --------------------------------------------------------------

def test_the_same_file_twice_changes_nothing(database, tmp_path):
    path = make_xlsx(tmp_path / "eksport.xlsx")
    import_files(database, [path])
    after_first = snapshot(database)
    result = import_files(database, [path])
    (file,) = result.files
    assert (file.new, file.updated, file.unchanged, file.people_added) == (0, 0, 3, 0)
    assert snapshot(database) == after_first


def test_a_newer_export_updates_statuses(database, tmp_path):
    first = write_csv(tmp_path / "v1.csv",
                      "U1;LKS2022-04;Odense;Anna;01-11-2022;tilmeldt;;",
                      ";LKS2022-04;Vejle;Bo;01-11-2022;tilmeldt;;")        # no registration id
    import_files(database, [first])
    second = write_csv(tmp_path / "v2.csv",
                       "U1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;20-12-2022",
                       ";LKS2022-04;Vejle;Bo;01-11-2022;udeblevet;;",
                       "U3;LKS2022-05;Odense;Anna;01-03-2023;tilmeldt;;")
    (file,) = import_files(database, [second]).files
    assert (file.new, file.updated, file.unchanged) == (1, 2, 0)
    rows = query(database, "SELECT m.name, r.session_id, r.status, r.invoiced_at FROM "
                           "registrations r JOIN mayors m USING (mayor_id) ORDER BY 1, 2")
    assert rows == [("Anna", "LKS2022-04", "attended", dt.date(2022, 12, 20)),
                    ("Anna", "LKS2022-05", "registered", None),
                    ("Bo", "LKS2022-04", "no_show", None)]


def test_a_mayor_list_then_registrations(database, tmp_path):
    mayors = write_csv(tmp_path / "borgmestre.csv",
                       "Odense Kommune;Anna Berg;Venstre;01-01-2022;;ja",
                       "Vejle;Bo Dahl;Socialdemokratiet;01-01-2022;30-06-2023;nej",
                       header="Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt")
    registrations = write_csv(tmp_path / "tilmeldinger.csv",
                              "M1;LKS2022-04;461;anna  berg;01-11-2022;deltaget;;")
    # Mayor lists are applied first, whatever the order given.
    result = import_files(database, [registrations, mayors])
    assert [f.kind for f in result.files] == ["mayors", "registrations"]
    assert result.files[1].people_added == 0   # "anna  berg" is Anna Berg of Odense
    assert query(database, "SELECT m.name, m.party, m.newly_elected FROM registrations "
                           "JOIN mayors m USING (mayor_id)") == [("Anna Berg", "Venstre", True)]
    assert query(database, "SELECT term_end FROM mayors WHERE name = 'Bo Dahl'") == \
        [(dt.date(2023, 6, 30),)]


# --- Spellings ----------------------------------------------------------------------------

@pytest.mark.parametrize("spelling, code", [
    ("101", 101), ("0101", 101), ("København", 101), ("Københavns Kommune", 101),
    ("KØBENHAVN", 101), ("  københavn   kommune ", 101), ("Bornholms Regionskommune", 400),
    ("Aabenraa", 580), ("Åbenrå", 580), ("Århus", 751), ("Aarhus Kommune", 751),
    ("Høje Taastrup", 169), ("Høje-Taastrup Kommune", 169), ("lyngby-taarbæk", 173),
    ("Faaborg-Midtfyn", 430), ("Fåborg-Midtfyn", 430), ("Ærø", 492), ("Brønderslev", 810),
])
def test_municipality_spellings(database, spelling, code):
    with duckdb.connect(str(database), read_only=True) as con:
        places = con.execute("SELECT kommune_code, name FROM municipalities").fetchall()
    table = aliases.municipality_aliases(places)
    with duckdb.connect() as con:
        con.execute(MACROS)
        folded = con.execute("SELECT fold_place(?)", [spelling]).fetchone()[0]
    assert folded == aliases.fold(spelling)  # SQL and Python fold alike
    found = int(spelling) if spelling.strip().isdigit() else table.get(folded)
    assert found == code


@pytest.mark.parametrize("text, amount", [
    ("5.300,00", Decimal("5300.00")), ("5300", Decimal("5300")), ("5 300 kr.", Decimal("5300")),
    ("5300,5", Decimal("5300.50")), ("8800.00", Decimal("8800.00")), ("1.000", Decimal("1000")),
    ("0", Decimal("0")), ("DKK 5.300", Decimal("5300")), ("fem", None), ("5,300.00", None),
])
def test_amounts(text, amount):
    with duckdb.connect() as con:
        con.execute(MACROS)
        assert con.execute("SELECT parse_amount(?)", [text]).fetchone()[0] == amount


@pytest.mark.parametrize("text, moment", [
    ("31-01-2022", dt.datetime(2022, 1, 31)),
    ("31.01.2022 12:00", dt.datetime(2022, 1, 31, 12)),
    ("2022-01-31", dt.datetime(2022, 1, 31)),
    ("2022-01-31 09:05:00", dt.datetime(2022, 1, 31, 9, 5)),
    ("31/01/2022", dt.datetime(2022, 1, 31)),
    ("2022-11-02 9:30:00", dt.datetime(2022, 11, 2, 9, 30)),
    ("2022-01-31T10:15:00", dt.datetime(2022, 1, 31, 10, 15)),
    ("1-2-2022", dt.datetime(2022, 2, 1)),
    ("2022-01-31 10:00:00.250", dt.datetime(2022, 1, 31, 10, 0, 0, 250000)),
    ("31-02-2022", None), ("i går", None),
    ("31.1.22", None),  # a two-digit year is not year 22
])
def test_dates(text, moment):
    with duckdb.connect() as con:
        con.execute(MACROS)
        assert con.execute("SELECT parse_when(?)", [text]).fetchone()[0] == moment


# --- Killed imports and mutated files -----------------------------------------------------

def big_export(path: Path, rows: int) -> Path:
    sessions = ["LKS2022-04", "LKS2022-05", "LKS2022-06", "LKS2022-07", "LKS2022-08"]
    places = ["København", "Aarhus", "Odense", "Aalborg", "Vejle", "Esbjerg", "Ærø"]
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(rows):
            out.write(f"K{i};{sessions[i % 5]};{places[i % 7]};Person {i // 5};"
                      f"01-11-2022 10:00;deltaget;5.300,00;\n")
    return path


# The import runs in a child process that holds still at a named point of its work (a step
# the importer reports, or the swap itself) and says so in a marker file; the test kills it
# there. No sleeping: the kill lands at the same point on a fast machine and a busy one.
KILLABLE_IMPORT = """
import os, sys, threading
from pathlib import Path
from etl.importer import Phase, import_files

database, export, stage, marker = sys.argv[1:]

def hold(*_args, **_kwargs):
    Path(marker).write_text(str(os.getpid()))
    threading.Event().wait()

if stage == "swap":  # the new version is written and checked; only os.replace is left
    replace = os.replace
    # Only the swap onto the database holds: a reader may use os.replace for its own files.
    os.replace = lambda src, dst, **kw: (hold() if Path(dst) == Path(database)
                                         else replace(src, dst, **kw))
import_files(Path(database), [Path(export)],
             step=lambda step: hold() if step.phase.name == stage else None)
"""
KILL_STAGES = [*(phase.name for phase in Phase), "swap"]


@pytest.mark.parametrize("stage", KILL_STAGES)
def test_a_killed_import_leaves_the_database_byte_identical(database, stage, tmp_path):
    import signal
    import time

    export = big_export(tmp_path / "stor.csv", 20_000)
    marker = tmp_path / "held"
    before = database.read_bytes()
    process = subprocess.Popen([sys.executable, "-c", KILLABLE_IMPORT, str(database),
                                str(export), stage, str(marker)], cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + 120  # readiness only: the child reaches its point
        while not marker.exists():
            assert process.poll() is None, f"the import ended before '{stage}'"
            assert time.monotonic() < deadline, f"the import never reached '{stage}'"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    work = database.with_name(f".{database.name}.import-{process.pid}")
    assert work.exists()  # killed mid-import: its work file is left behind
    assert database.read_bytes() == before
    # The next import clears the killed one's leftovers and works.
    small = write_csv(tmp_path / "lille.csv", "S1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;")
    assert import_files(database, [small]).applied
    assert not work.exists()


def test_mutated_files_never_crash_and_never_change_data_when_rejected(demo_database,
                                                                       tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    valid = ("\r\n".join([
        HEADER,
        "H1;LKS2022-04;København;Anna Holm;01-11-2022 10:00;deltaget;8.800,00;20-12-2022",
        "H2;05-12-2022;Aabenraa;Bo Lund;2022-11-02;afmeldt;8800;",
        "H3;LKS2022-05;0751;Carl Vang;01.03.2023;udeblevet;5 300 kr.;",
    ]) + "\r\n").encode("cp1252")
    pristine = snapshot(demo_database)
    edits = st.lists(st.tuples(st.integers(0, len(valid) - 1),
                               st.sampled_from([b"", b";", b'"', b"\n", b"\x81", b"\xe6",
                                                b"x", b"9", b"-", b"\xef\xbb\xbf", b"\x00"])),
                     min_size=1, max_size=6)

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(edits)
    def check(mutations):
        folder = tmp_path_factory.mktemp("fuzz")
        db = folder / "borgmester.duckdb"
        shutil.copy(demo_database, db)
        data = bytearray(valid)
        for position, replacement in mutations:
            position %= len(data) or 1
            data[position:position + 1] = replacement
        export = folder / "mutated.csv"
        export.write_bytes(bytes(data))
        try:
            result = import_files(db, [export])
        except SourceError:
            assert snapshot(db) == pristine
            return
        if result.problems:
            assert not result.applied and snapshot(db) == pristine

    check()


# --- Boundaries ---------------------------------------------------------------------------

def test_boundaries_give_exactly_the_98_municipalities(database):
    from dashboard import denmark, figures, queries
    from etl.boundaries import load_boundaries
    from tests.conftest import SHARED_GEO

    if not SHARED_GEO.is_file():
        pytest.skip(f"{SHARED_GEO} is absent: the boundary test needs the shared geo data")
    result = load_boundaries(database, SHARED_GEO)
    assert (result.loaded, result.skipped_codes, result.missing) == (98, [411], [])
    assert result.bytes < 1_500_000  # simplified: the page stays light
    with duckdb.connect(str(database), read_only=True) as con:
        collection = queries.boundaries(con)
        participation = queries.participation_by_municipality(con, "LKS2022")
    assert len(collection["features"]) == 98
    # 311 features (one per island) became one shape per municipality.
    islands = [f["id"] for f in collection["features"]
               if f["geometry"]["type"] == "MultiPolygon"]
    assert len(islands) > 20 and 479 in islands  # Svendborg with Tåsinge and Thurø
    *areas, points = figures.participation_map(participation,
                                               denmark.outlines(collection)).data
    assert len(points.customdata) == 98 and all(a.fillcolor for a in areas)


def test_boundaries_from_a_file_without_municipality_codes_are_refused(database, tmp_path):
    from etl.boundaries import load_boundaries

    path = tmp_path / "wrong.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"NAME": "x"}, "geometry": {"type": "Point", '
                    '"coordinates": [10, 56]}}]}', encoding="utf-8")
    before = database.read_bytes()
    with pytest.raises(SourceError, match="kommunekode"):
        load_boundaries(database, path)
    assert database.read_bytes() == before


def test_a_column_mixing_date_formats_loads_every_row(database, tmp_path):
    # The first rows decide which format is tried first; the rest must still be read right.
    rows = [f"M{i};LKS2022-04;Aarhus;Person {i};01-10-2022 09:{i:02d};deltaget;;" for i in range(5)]
    rows += ["M5;LKS2022-04;Aarhus;Person 5;2022-10-02;deltaget;;03.11.2022",
             "M6;LKS2022-04;Aarhus;Person 6;3/10/2022 14:15;deltaget;;2022-11-04 00:00:00",
             "M7;LKS2022-04;Aarhus;Person 7; 04.10.2022 08:00 ;deltaget;;"]
    result = import_files(database, [write_csv(tmp_path / "blandet.csv", *rows)])
    assert result.problems == [] and result.applied
    got = dict(query(database, "SELECT registration_id, registered_at FROM registrations "
                               "WHERE registration_id IN ('M0', 'M5', 'M6', 'M7')"))
    assert got == {"M0": dt.datetime(2022, 10, 1, 9, 0), "M5": dt.datetime(2022, 10, 2),
                   "M6": dt.datetime(2022, 10, 3, 14, 15), "M7": dt.datetime(2022, 10, 4, 8)}
    assert query(database, "SELECT invoiced_at FROM registrations WHERE registration_id "
                           "IN ('M5', 'M6') ORDER BY 1") == [(dt.date(2022, 11, 3),),
                                                            (dt.date(2022, 11, 4),)]


# --- The pre-aggregated tables after an import ------------------------------------------------

def test_an_import_counts_again_the_groups_it_touched_as_a_full_refresh_would(
        database, tmp_path, monkeypatch):
    """A small export into a big database refreshes only the groups of the registrations it
    added and changed (etl.marts); the tables must be what regrouping everything gives."""
    from etl import importer, marts

    assert import_files(database, [big_export(tmp_path / "stor.csv", 200)]).applied
    chosen = []
    refresh = importer.refresh_marts
    monkeypatch.setattr(importer, "refresh_marts",
                        lambda con, touched: chosen.append(touched) or refresh(con, touched))
    newer = write_csv(
        tmp_path / "ny.csv",
        "K1;LKS2022-05;Aarhus;Person 0;01-11-2022 10:00;udeblevet;5.300,00;",  # new status
        "K2;LKS2022-06;Odense;Person 0;01-11-2022 10:00;deltaget;4.000,00;",  # new price
        ";LKS2022-07;Aalborg;Person 0;01-11-2022 10:00;afmeldt;;",  # found by session, mayor
        "K900;LKS2022-04;Vejle;Ny Person;02-11-2022 10:00;tilmeldt;;")  # a new person
    result = import_files(database, [newer])
    assert result.applied and (result.files[0].new, result.files[0].updated) == (1, 3)
    assert chosen == [importer.MARTS_TOUCHED]  # only the touched groups counted again
    with duckdb.connect(str(database), read_only=True) as con:
        for table, (macro, _source, _keys) in marts.MARTS.items():
            stored = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            assert stored == con.execute(f"SELECT * FROM {macro}() ORDER BY ALL").fetchall()


def test_the_summary_line_names_the_kind_of_file_in_danish(database, tmp_path):
    """The line per file said 'ok.csv: registrations, 1 rækker læst': an identifier and a
    plural in a Danish sentence."""
    path = write_csv(tmp_path / "ok.csv", "D1;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;")
    done = run_cli("import", str(path), "--db", str(database), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "ok.csv: en tilmeldingsliste, 1 række læst, 0 afvist" in done.stdout
    assert "registrations" not in done.stdout


def test_import_help_names_every_kind_and_the_sheet_it_really_reads():
    """`etl import --help` named registration exports and mayor lists only, and said --sheet
    defaults to the first sheet, where the importer reads the active visible one (README)."""
    done = run_cli("import", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "programme schedules and price lists" in text
    assert "[default: the first]" not in text and "active sheet" in text
