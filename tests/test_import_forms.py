"""Issue 17, three kinds of file the break helper found wrong (tests/test_import_break.py),
each tried further here with other files of the kind, written as the program that makes them
writes them (tests/field_files.py; XLSX through openpyxl):

1. A header cell wrapped with Alt+Enter in a CSV file: Excel writes the cell quoted with the
   line break inside, so the header takes more than one physical line; every row is reported
   on its own line of the file.
2. A form export with no "Tilmeldt" question: the form's own time of the answer (Microsoft
   Forms' Fuldførelsestidspunkt / Completion time, Google Forms' Tidsstempel / Timestamp)
   is the registration time.
3. Two columns for one field: the more specific header is read (a form's question
   "Borgmester" over the form's own respondent "Navn"); two as specific are refused naming
   both, never the first taken silently.

The database is test_import_field's: `build --no-demo` and its own MAYORS.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.errors import SourceError
from etl.importer import import_files
from tests import field_files as ff
from tests.test_import_field import HEADER, count, import_clean, row, stored, written


def physical_line(data: bytes, marker: bytes) -> int:
    """The physical line (CR, LF and CRLF each end one) `marker` first stands on."""
    before = data[:data.index(marker)]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def refusal(database: Path, path: Path) -> str:
    with pytest.raises(SourceError) as refused:
        import_files(database, [path])
    return str(refused.value)


# --- 1. A wrapped header cell in a CSV file --------------------------------------------------

WRAPPED = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt\nden", "Status",
           "Pris ekskl.\nmoms", "Faktureret"]


def test_a_wrapped_header_under_a_sep_line_and_a_title_keeps_every_rows_own_line(db, tmp_path):
    """Danish Excel's CSV (Windows-1252, CRLF) with the sep= line, a title and a blank row
    above a header with two wrapped cells (so the header is lines 4 to 6), and a row whose
    name holds a line break too: that row is rejected on its first line (a line break in a
    name is never meant), and the row after it is reported on its own line, not one above."""
    data = ff.excel_windows_csv([
        ["Tilmeldinger december 2022"], [], WRAPPED,
        ["W1", "05-12-2022", "Odense", "Jens Ølund", "01-11-2022 10:15", "deltog", "8.800,00",
         None],
        ["W2", "05-12-2022", "Ærø", "Bjørn\nÆrøe", "01-11-2022 10:15", "deltog", "8.800,00",
         None],
        ["W3", "05-12-2022", "Køge", "Anne-Mette Køhler", "02-11-2022 11:00", "måske",
         "8.800,00", None],
        ["W4", "05-12-2022", "Tønder", "Signe Tøndering", "03-11-2022 12:00", "afbud", None,
         None],
    ], sep_line=True)
    assert data.count(b"\r\n") == 8 and data.count(b"\n") == 11  # 3 breaks inside cells
    lines = {physical_line(data, b"W2;"): "Navn", physical_line(data, b"W3;"): "Status"}
    assert sorted(lines) == [8, 10]
    result = import_clean(db, written(tmp_path / "ombrudt.csv", data), keep_going=True)
    assert {p.line: p.column for p in result.problems} == lines
    assert stored(db) == sorted([
        row("LKS2022-04", "Jens Ølund", "2022-11-01 10:15:00", "attended", "8800.00"),
        row("LKS2022-04", "Signe Tøndering", "2022-11-03 12:00:00", "cancelled")], key=repr)


def test_a_row_after_a_name_holding_a_line_break_is_reported_on_its_own_line(db, tmp_path):
    """Excel's "CSV UTF-8" (BOM, `;`, CRLF) whose first row's name holds an Alt+Enter break
    (so the row takes lines 2 and 3): the next row's fault is on line 4, as the file has it."""
    data = ff.excel_csv_utf8([
        HEADER,
        ["A1", "05-12-2022", "Odense", "Jens\nØlund", "01-11-2022 10:15", "deltog", None, None],
        ["A2", "05-12-2022", "Kolding", "André Koldby", "01-11-2022 10:15", "venteliste",
         None, None],
        ["A3", "05-12-2022", "Læsø", "Lærke Læsøe", "01-11-2022 11:15", "deltog", None, None]])
    assert physical_line(data, b"A2;") == 4
    result = import_clean(db, written(tmp_path / "utf8.csv", data), keep_going=True)
    assert {p.line: p.column for p in result.problems} == {2: "Navn", 4: "Status"}
    assert stored(db) == [row("LKS2022-04", "Lærke Læsøe", "2022-11-01 11:15:00", "attended")]


def test_a_header_cell_wrapped_twice_in_a_libreoffice_csv(db, tmp_path):
    """LibreOffice Calc's CSV (UTF-8, `,`, LF everywhere): a cell typed with two line breaks
    ("Pris<Ctrl+Enter>ekskl.<Ctrl+Enter>moms") makes a header of three lines."""
    header = [*HEADER[:6], "Pris\nekskl.\nmoms", "Faktureret"]
    data = ff.libreoffice_csv([header, ["L1", "05-12-2022", "Aabenraa", "Hélène Aagaard",
                                        "01-11-2022 10:15", "deltog", "8800,00",
                                        "12-12-2022"]])
    assert b'"Pris\nekskl.\nmoms"' in data
    import_clean(db, written(tmp_path / "libre.csv", data))
    assert stored(db) == [row("LKS2022-04", "Hélène Aagaard", "2022-11-01 10:15:00",
                              "attended", "8800.00", "2022-12-12")]


# --- 2. A form's own time of the answer ------------------------------------------------------

def ms_forms_english(path: Path, questions: list[str], answers: list[tuple]) -> Path:
    """Microsoft Forms' "Open in Excel" with an English UI: its own columns ID, Start time,
    Completion time, Email, Name (the respondent), real date-times in m/d/yy h:mm:ss, then
    one column per question (the headers as public scripts reading these exports name
    them; the Danish UI's are in ff.ms_forms_export)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", *questions])
    for number, (start, done, mail, name, given) in enumerate(answers, start=1):
        sheet.append([number, start, done, mail, name, *given])
        for column in (2, 3):
            sheet.cell(row=number + 1, column=column).number_format = ff.FORMS_DATETIME
    book.save(path)
    return path


def test_an_english_microsoft_forms_export_filled_in_by_a_secretary(db, tmp_path):
    """No registered-at question, and Name is the secretary: the mayor is the answer to
    "Mayor", registered when the form was completed (not started)."""
    path = ms_forms_english(tmp_path / "forms.xlsx", ["Mayor", "Municipality", "Session",
                                                      "Status"], [
        (dt.datetime(2024, 11, 2, 14, 1), dt.datetime(2024, 11, 2, 14, 6), "pa@example.dk",
         "Lone Assistent", ["Ole Rønne", "Bornholm", "28-11-2024", "registered"]),
        (dt.datetime(2024, 11, 3, 8, 0), dt.datetime(2024, 11, 3, 8, 2), "pa2@example.dk",
         "Karl Sekretær", ["Zoë Næsby", "Næstved", "28-11-2024", "registered"])])
    import_clean(db, path)
    assert stored(db) == sorted([
        row("LKS2022-08", "Ole Rønne", "2024-11-02 14:06:00", "registered"),
        row("LKS2022-08", "Zoë Næsby", "2024-11-03 08:02:00", "registered")], key=repr)


def test_a_google_forms_sheet_in_english_with_its_timestamp(db, tmp_path):
    """Google Sheets in the English (United Kingdom) locale shows the form's Timestamp as
    dd/mm/yyyy hh:mm:ss and a date answer as dd/mm/yyyy; its CSV download holds that text
    ([gsheets]). The name is in First name / Last name, the municipality in Organisation."""
    data = ff.google_sheets_csv([
        ["Timestamp", "Email address", "First name", "Last name", "Organisation", "Session",
         "Status"],
        ["25/01/2022 09:15:00", "a@example.dk", "Ib", "Ørsted", "Helsingør Kommune",
         "31/01/2022", "registered"],
        ["26/01/2022 16:40:10", "b@example.dk", "Lærke", "Læsøe", "Læsø Kommune",
         "31/01/2022", "cancelled"]])
    import_clean(db, written(tmp_path / "google.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-01", "Ib Ørsted", "2022-01-25 09:15:00", "registered"),
        row("LKS2022-01", "Lærke Læsøe", "2022-01-26 16:40:10", "cancelled")], key=repr)


def test_a_registered_question_beats_the_forms_own_time(db, tmp_path):
    """A form that asks when (staff typing in registrations made by phone earlier): the
    answer to "Tilmeldt" is the registration time, the form's own time is not read."""
    path = ff.ms_forms_export(tmp_path / "forms.xlsx", ["Kommune", "Session", "Tilmeldt",
                                                        "Status"], [
        (dt.datetime(2024, 3, 20, 8, 58), dt.datetime(2024, 3, 20, 9, 0), "kl@example.dk",
         "André Koldby", ["Kolding", "15-04-2024", "01-03-2024 10:30", "tilmeldt"])])
    import_clean(db, path)
    assert stored(db) == [row("LKS2022-07", "André Koldby", "2024-03-01 10:30:00",
                              "registered")]


# --- 3. Two columns for one field ------------------------------------------------------------

def test_a_participant_column_is_read_over_a_contact_name(db, tmp_path):
    """A registration list typed in Excel (Windows CSV) with the contact person in "Navn"
    left of "Deltager": the participant is the mayor."""
    data = ff.excel_windows_csv([
        ["Navn", "Deltager", "Kommune", "Session", "Tilmeldt", "Status"],
        ["Lise Sekretær", "Kåre Æbelø", "Høje-Taastrup", "17-04-2023", "01-03-2023 09:00",
         "tilmeldt"],
        ["Per Kontakt", "Øjvind Skjern", "Ringkøbing-Skjern", "17-04-2023",
         "02-03-2023 10:00", "afbud"]])
    import_clean(db, written(tmp_path / "deltagere.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-05", "Kåre Æbelø", "2023-03-01 09:00:00", "registered"),
        row("LKS2022-05", "Øjvind Skjern", "2023-03-02 10:00:00", "cancelled")], key=repr)


def test_a_session_column_is_read_over_a_date_column(db, tmp_path):
    """"Dato" (the day the line was typed) left of "Session": the session column says which
    session; the typing day is no session's start."""
    data = ff.excel_windows_csv([
        ["Dato", "Session", "Kommune", "Navn", "Tilmeldt", "Status"],
        ["02-03-2023", "LKS2022-05", "Tårnby", "Frida Tårnbæk", "01-03-2023 09:00", "afbud"]])
    import_clean(db, written(tmp_path / "dato.csv", data))
    assert stored(db) == [row("LKS2022-05", "Frida Tårnbæk", "2023-03-01 09:00:00",
                              "cancelled")]


def test_two_equally_named_columns_for_one_field_are_refused_naming_both(db, tmp_path):
    """"Tilmeldt" and "Tilmeldingsdato" both name the registration time and neither says
    more: the file is refused naming both columns, and nothing is stored."""
    data = ff.excel_windows_csv([
        ["Session", "Kommune", "Navn", "Tilmeldt", "Tilmeldingsdato", "Status"],
        ["05-12-2022", "Odense", "Jens Ølund", "01-11-2022 10:15", "03-11-2022 08:00",
         "deltog"]])
    before = count(db, "import_runs")
    message = refusal(db, written(tmp_path / "to.csv", data))
    assert "'Tilmeldt' (kolonne 4)" in message and "'Tilmeldingsdato' (kolonne 5)" in message
    assert "linje 1" in message and "to.csv" in message, message
    assert stored(db) == []
    assert count(db, "import_runs") == before + 1  # the refusal is recorded


def test_two_name_columns_in_a_google_sheet_are_refused(db, tmp_path):
    """Google Sheets keeps two questions of one title as two columns of one header ("Name"
    asked twice, for the mayor and for a companion): which is the mayor the file does not
    say."""
    data = ff.google_sheets_csv([
        ["Timestamp", "Name", "Municipality", "Session", "Status", "Name"],
        ["25/01/2022 09:15:00", "Ib Ørsted", "Helsingør", "31/01/2022", "registered",
         "Ole Ledsager"]])
    message = refusal(db, written(tmp_path / "navne.csv", data))
    assert "'Name' (kolonne 2)" in message and "'Name' (kolonne 6)" in message, message
    assert stored(db) == []


def test_a_municipality_code_beside_its_name_is_read_by_the_code(db, tmp_path):
    """KL's and Danmarks Statistik's lists give both Kommunekode and Kommunenavn: the code
    is read (it needs no spelling matched), and the file is not refused as ambiguous."""
    data = ff.excel_windows_csv([
        ["Kommunenavn", "Kommunekode", "Navn", "Session", "Tilmeldt", "Status"],
        ["Bornholms Regionskommune", "400", "Ole Rønne", "05-12-2022", "01-11-2022 10:15",
         "deltog"]])
    import_clean(db, written(tmp_path / "koder.csv", data))
    assert stored(db) == [row("LKS2022-04", "Ole Rønne", "2022-11-01 10:15:00", "attended")]
