"""What kind of file, people as registration systems export them, and registration ids that
never collide silently (issue 17). Every file is written as the producing program writes it:
XLSX through openpyxl (Microsoft Forms' and Excel's shape), CSV as Danish Excel saves it
(Windows-1252, ';', CRLF)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from etl.errors import SourceError
from etl.importer import import_files
from etl.paths import PROJECT_ROOT

FIELD_FILES = PROJECT_ROOT.parent / "shared" / "fixtures" / "import-field"

MAYORS = [  # (municipality as a mayor list writes it, name, party)
    ("Aarhus", "Pia Modelgaard", "A"), ("Køge", "Signe Skitseholm", "V"),
    ("Næstved", "Mads Modelgaard", "C"), ("Odense", "Lone Pseudonymsen", "A"),
]


@pytest.fixture
def database(reference_copy, tmp_path) -> Path:
    """A copy of the reference database with the mayor list MAYORS imported."""
    path = reference_copy
    done = import_files(path, [mayor_list(tmp_path / "borgmestre.xlsx")])
    assert done.applied and not done.problems
    return path


def query(path: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def snapshot(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("mayors", "registrations")}


def xlsx(path: Path, header: list[str], *rows: list, title: str = "Sheet1") -> Path:
    """A one-sheet workbook as openpyxl (and so Excel's shape) writes it."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def excel_csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    """A CSV as Danish Excel saves it: Windows-1252, ';' and CRLF."""
    lines = [";".join(header), *(";".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def mayor_list(path: Path) -> Path:
    return xlsx(path, ["Kommune", "Navn", "Parti", "Tiltrådt", "Fratrådt", "Nyvalgt"],
                *[[place, name, party, dt.datetime(2022, 1, 1), None, "ja"]
                  for place, name, party in MAYORS], title="Borgmestre")


def stored(path: Path) -> list[tuple]:
    """The registrations as (session, municipality code, mayor's name, status)."""
    return query(path, "SELECT r.session_id, r.kommune_code, m.name, r.status "
                       "FROM registrations r JOIN mayors m USING (mayor_id) ORDER BY ALL")


# --- What kind of file --------------------------------------------------------------------

def test_a_mayor_list_with_a_status_column_is_a_mayor_list(database, tmp_path):
    # A Status column ("aktiv") once made any file a registration export, refused for lack
    # of a session; the kind is the one whose headers match best.
    path = xlsx(tmp_path / "borgmestre-status.xlsx",
                ["Kommune", "Navn", "Parti", "Tiltrådt", "Nyvalgt", "Status"],
                ["Aarhus", "Pia Modelgaard", "B", dt.datetime(2022, 1, 1), "nej", "aktiv"])
    result = import_files(database, [path])
    (file,) = result.files
    assert result.applied and file.kind == "mayors" and (file.updated, file.new) == (1, 0)
    assert query(database, "SELECT party, newly_elected FROM mayors WHERE name = "
                           "'Pia Modelgaard'") == [("B", False)]


def test_a_file_of_no_kind_names_the_closest_kind_what_it_lacks_and_what_was_found(
        database, tmp_path):
    before = snapshot(database)
    path = xlsx(tmp_path / "formular.xlsx", ["Id", "Mail", "Navn", "Kommune", "Session"],
                [1, "a@example.dk", "Pia Modelgaard", "Aarhus", "31-01-2022"])
    with pytest.raises(SourceError) as refused:
        import_files(database, [path])
    (problem,) = refused.value.problems
    assert problem.line == 1 and problem.file.endswith("formular.xlsx [Sheet1]")
    reason = problem.reason
    assert "ligner mest en tilmeldingsliste" in reason
    # The fields lacking are named by their headers, never by the database's identifiers.
    assert "Tilmeldt / Tilmeldt den / Tilmeldingsdato" in reason and "; Status)" in reason
    assert "registered_at" not in reason
    assert "overskrift har kun Navn, Kommune, Session af" in reason
    assert snapshot(database) == before
    # The refusal is in the audit trail like every other attempt.
    (run,) = query(database, "SELECT run_id, outcome, rows_loaded, message FROM import_runs "
                             "WHERE source LIKE '%formular.xlsx%'")
    assert run[1:3] == ("rejected", 0) and "ligner mest en tilmeldingsliste" in run[3]
    assert query(database, "SELECT count(*) FROM rejected_rows WHERE run_id = ?",
                 [run[0]]) == [(1,)]


def test_a_mayor_list_lacking_a_required_column_is_said_to_be_one(database, tmp_path):
    path = excel_csv(tmp_path / "borgmestre.csv", ["Kommune", "Navn", "Parti", "Tiltrådt"],
                     ["Aarhus", "Pia Modelgaard", "A", "01-01-2022"])
    with pytest.raises(SourceError) as refused:
        import_files(database, [path])
    (problem,) = refused.value.problems
    assert "ligner mest en borgmesterliste" in problem.reason
    assert "(Nyvalgt / Ny / Newly elected)" in problem.reason


# --- People as registration systems export them ---------------------------------------------

EVENT_HEADER = ["Fornavn", "Efternavn", "E-mail", "Telefon", "Organisation", "Session",
                "Tilmeldt", "Status"]


def test_first_and_last_name_and_organisation_make_the_person(database, tmp_path):
    path = excel_csv(tmp_path / "event.csv", EVENT_HEADER,
                     ["Pia", "Modelgaard", "pia@aarhus.dk", "+45 8940 2000", "Aarhus Kommune",
                      "LKS2022-01", "10-01-2022 09:15", "deltaget"],
                     ["Signe", "Skitseholm", "signe@koege.dk", "56 67 67 67", "Køge Kommune",
                      "LKS2022-01", "11-01-2022 13:40", "udeblevet"])
    result = import_files(database, [path])
    (file,) = result.files
    assert result.applied and not result.problems and file.people_added == 0
    assert stored(database) == [("LKS2022-01", 259, "Signe Skitseholm", "no_show"),
                                ("LKS2022-01", 751, "Pia Modelgaard", "attended")]


def test_english_name_and_organisation_headers_in_a_workbook(database, tmp_path):
    path = xlsx(tmp_path / "eventbrite.xlsx",
                ["Given name", "Surname", "Email", "Organization", "Session", "Registered at",
                 "Status"],
                ["Lone", "Pseudonymsen", "lone@odense.dk", "Odense Kommune", "LKS2022-02",
                 dt.datetime(2022, 4, 4, 12, 0), "attended"])
    result = import_files(database, [path])
    assert result.applied and not result.problems and result.files[0].people_added == 0
    assert stored(database) == [("LKS2022-02", 461, "Lone Pseudonymsen", "attended")]


def test_a_name_column_wins_over_first_and_last_name(database, tmp_path):
    path = excel_csv(tmp_path / "begge.csv",
                     ["Navn", "Fornavn", "Efternavn", "Company", "Session", "Tilmeldt",
                      "Status"],
                     ["Mads Modelgaard", "M.", "M.", "Næstved Kommune", "LKS2022-01",
                      "12-01-2022", "deltaget"])
    result = import_files(database, [path])
    assert result.applied and not result.problems
    assert stored(database) == [("LKS2022-01", 370, "Mads Modelgaard", "attended")]


def test_columns_the_product_does_not_use_are_stored_nowhere(database, tmp_path):
    path = excel_csv(tmp_path / "event.csv", EVENT_HEADER,
                     ["Pia", "Modelgaard", "pia@aarhus.dk", "+45 8940 2000", "Aarhus Kommune",
                      "LKS2022-01", "10-01-2022 09:15", "deltaget"],
                     ["Signe", "Skitseholm", "signe@koege.dk", "56 67 67 67", "Køge Kommune",
                      "LKS2022-01", "11-01-2022 13:40", "venteliste"])
    result = import_files(database, [path], keep_going=True)
    assert result.applied and result.files[0].rejected_lines == 1
    # The rejected line is kept for the audit with the columns the import reads, no more.
    assert query(database, "SELECT \"column\", value, raw_row FROM rejected_rows") == [
        ("Status", "venteliste",
         "Signe;Skitseholm;Køge Kommune;LKS2022-01;11-01-2022 13:40;venteliste")]
    with duckdb.connect(str(database), read_only=True) as con:
        texts = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE "
                            "data_type = 'VARCHAR' AND table_name IN (SELECT table_name "
                            "FROM duckdb_tables() WHERE NOT internal)").fetchall()
        assert ("rejected_rows", "raw_row") in texts
        for table, column in texts:
            # The unused values whole: a bare '8940' also turns up by chance in a file's
            # sha256 (an XLSX's digest changes with its save time), which is no leak.
            found = con.execute(f'SELECT count(*) FROM "{table}" WHERE regexp_matches('
                                f'"{column}", \'@aarhus|@koege|8940 2000|56 67 67 67\')'
                                ).fetchone()[0]
            assert found == 0, f"{table}.{column} holds an unused column's value"


# --- Registration ids never collide silently ----------------------------------------------

FORMS_HEADER = ["Id", "Starttidspunkt", "Fuldførelsestidspunkt", "Mail", "Navn", "Kommune",
                "Session", "Tilmeldt", "Status"]


def forms_export(path: Path, session_day: str, answers: list[tuple[str, str, str]]) -> Path:
    """A Microsoft Forms export: its answers numbered 1, 2, 3 ... in `Id`, whatever form."""
    rows = []
    for number, (name, place, status) in enumerate(answers, start=1):
        when = dt.datetime(2022, 1, 9 + number, 9, 15)
        rows.append([number, when - dt.timedelta(minutes=3), when, f"s{number}@example.dk",
                     name, place, session_day, when, status])
    return xlsx(path, FORMS_HEADER, *rows)


JANUARY = [("Pia Modelgaard", "Aarhus", "deltaget"), ("Signe Skitseholm", "Køge", "deltaget")]
APRIL = [("Mads Modelgaard", "Næstved", "deltaget"), ("Lone Pseudonymsen", "Odense", "afmeldt")]


def test_two_form_exports_whose_answer_numbers_restart_give_all_their_registrations(
        database, tmp_path):
    january = forms_export(tmp_path / "jan.xlsx", "31-01-2022", JANUARY)
    april = forms_export(tmp_path / "apr.xlsx", "27-04-2022", APRIL)
    assert import_files(database, [january]).applied
    assert import_files(database, [april]).applied
    assert stored(database) == [("LKS2022-01", 259, "Signe Skitseholm", "attended"),
                                ("LKS2022-01", 751, "Pia Modelgaard", "attended"),
                                ("LKS2022-02", 370, "Mads Modelgaard", "attended"),
                                ("LKS2022-02", 461, "Lone Pseudonymsen", "cancelled")]
    # Neither export's answer number became an id.
    assert query(database, "SELECT count(*) FROM registrations WHERE registration_id IN "
                           "('1', '2')") == [(0,)]
    before = snapshot(database)
    for again in (january, april):
        (file,) = import_files(database, [again]).files
        assert (file.new, file.updated, file.unchanged) == (0, 0, 2)
    assert snapshot(database) == before
    # A newer export of the same form: the same people, statuses changed since.
    newer = forms_export(tmp_path / "jan-senere.xlsx", "31-01-2022",
                         [("Pia Modelgaard", "Aarhus", "udeblevet"),
                          ("Signe Skitseholm", "Køge", "deltaget")])
    (file,) = import_files(database, [newer]).files
    assert (file.new, file.updated, file.unchanged) == (0, 1, 1)
    assert stored(database)[1] == ("LKS2022-01", 751, "Pia Modelgaard", "no_show")
    assert len(stored(database)) == 4


@pytest.mark.skipif(not FIELD_FILES.is_dir(), reason="../shared/fixtures/import-field is absent")
def test_the_field_files_of_two_microsoft_forms_give_their_eight_registrations(
        reference_copy):
    path = reference_copy
    assert import_files(path, [FIELD_FILES / "00-borgmestre.xlsx"]).applied
    files = [FIELD_FILES / "06a-ms-forms-session-jan22.xlsx",
             FIELD_FILES / "06b-ms-forms-session-apr22.xlsx"]
    for file in files:
        result = import_files(path, [file])
        assert result.applied and not result.problems
        assert result.files[0].people_added == 0
    expected = json.loads((FIELD_FILES / "expected.json").read_text(encoding="utf-8"))
    want = sorted((r["session_id"], r["kommune_code"], r["name"], r["status"])
                  for r in expected[" + ".join(f.name for f in files)])
    assert stored(path) == sorted(want) and len(want) == 8
    before = snapshot(path)
    for file in files:
        import_files(path, [file])
    assert snapshot(path) == before


ID_HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status"]


def system_a(path: Path) -> Path:
    """One system's export, as a workbook: its registration T-1 is Pia Modelgaard's."""
    return xlsx(path, ID_HEADER,
                ["T-1", "LKS2022-01", "Aarhus", "Pia Modelgaard", dt.datetime(2022, 1, 10),
                 "deltaget"],
                ["T-2", "LKS2022-01", "Køge", "Signe Skitseholm", dt.datetime(2022, 1, 11),
                 "deltaget"])


def system_b(path: Path) -> Path:
    """Another system's, as Danish Excel's CSV: its own T-1 is another session and mayor."""
    return excel_csv(path, ID_HEADER,
                     ["T-1", "LKS2022-02", "Næstved", "Mads Modelgaard", "01-04-2022",
                      "deltaget"],
                     ["T-9", "LKS2022-02", "Odense", "Lone Pseudonymsen", "02-04-2022",
                      "afmeldt"])


@pytest.mark.parametrize("order", ["a then b", "b then a"])
def test_a_registration_id_held_by_another_session_and_mayor_is_a_conflict(
        database, tmp_path, order):
    a, b = system_a(tmp_path / "a.xlsx"), system_b(tmp_path / "b.csv")
    first, second = (a, b) if order == "a then b" else (b, a)
    assert import_files(database, [first]).applied
    before = snapshot(database)
    result = import_files(database, [second])
    assert not result.applied and snapshot(database) == before  # never a rewrite
    (problem,) = [p for p in result.problems if p.column == "Tilmeldings-ID"]
    assert problem.line == 2 and problem.value == "T-1"
    held = ("session LKS2022-01, Pia Modelgaard (Aarhus)" if order == "a then b"
            else "session LKS2022-02, Mads Modelgaard (Næstved)")
    assert held in problem.reason and "indlæst tidligere" in problem.reason
    # With --keep-going the other lines load; the id's holder keeps its registration.
    assert import_files(database, [second], keep_going=True).applied
    holder = query(database, "SELECT r.session_id, m.name FROM registrations r "
                             "JOIN mayors m USING (mayor_id) WHERE registration_id = 'T-1'")
    assert holder == [(("LKS2022-01", "Pia Modelgaard") if order == "a then b"
                       else ("LKS2022-02", "Mads Modelgaard"))]
    assert len(stored(database)) == 3
    # The same id for the same session and mayor is the same registration: updated.
    session, place, name = (("LKS2022-01", "Aarhus Kommune", "pia modelgaard")
                            if order == "a then b"
                            else ("LKS2022-02", "Næstved", "MADS MODELGAARD"))
    again = excel_csv(tmp_path / "senere.csv", ID_HEADER,
                      ["T-1", session, place, name, "10-04-2022", "udeblevet"])
    (file,) = import_files(database, [again]).files
    assert (file.updated, file.new, file.rejected_lines) == (1, 0, 0)
    assert query(database, "SELECT status FROM registrations WHERE registration_id = 'T-1'"
                 ) == [("no_show",)]


def test_a_conflict_between_two_files_of_one_import_names_the_earlier_file(database,
                                                                           tmp_path):
    a, b = system_a(tmp_path / "a.xlsx"), system_b(tmp_path / "b.csv")
    result = import_files(database, [a, b])
    assert not result.applied and stored(database) == []
    (problem,) = result.problems
    assert problem.file.endswith("b.csv") and problem.line == 2
    assert "Pia Modelgaard (Aarhus), i " in problem.reason
    assert "a.xlsx [Sheet1] linje 2" in problem.reason
