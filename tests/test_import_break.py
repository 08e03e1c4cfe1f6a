"""Issue 17, tried as its reviewer will: more files of the kinds the issue names, each written
as the program that makes it writes it (tests/field_files.py), which the merged importer got
wrong. Each test says which program writes the file and where that behaviour is documented.

The database is the one tests/test_import_field.py builds: `build --no-demo` and its own
mayor list (MAYORS); no import here may add a person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import duckdb
import pytest

from etl.errors import SourceError
from etl.importer import import_files
from tests import field_files as ff
from tests.test_import_field import (
    HEADER,
    MAYOR_HEADER,
    count,
    import_clean,
    row,
    stored,
    written,
)


def refusal(database, path, **options) -> str:
    """The text of the whole-file refusal `path` gets (it must be refused)."""
    with pytest.raises(SourceError) as refused:
        import_files(database, [path], **options)
    return str(refused.value)


# --- Names: a dash is a dash ----------------------------------------------------------------

# The shared fixture 00-borgmestre.xlsx (KL's own mayor list) writes Glostrup's mayor
# "Åse–Lund Prøvegaard" with an EN DASH (U+2013), as Word's and Outlook's AutoCorrect and
# macOS's "smart dashes" type one; the registration file typed on a keyboard has the
# hyphen-minus (U+002D). Word's Ctrl+Shift+- inserts a non-breaking hyphen, which Word copies
# out as U+2011. One person, three ways of writing one name: the issue's "a name with a
# non-breaking space became a second mayor", with a dash instead of a space.
@pytest.mark.parametrize("in_list, in_file", [("\u2013", "-"), ("-", "\u2013"),
                                              ("\u2011", "-")],
                         ids=["en-dash-in-list", "en-dash-in-file", "nb-hyphen-in-list"])
def test_a_double_name_written_with_another_dash_is_the_same_mayor(db, tmp_path, in_list,
                                                                   in_file):
    listed = f"Åse{in_list}Lund Prøvegaard"
    mayors = ff.write_workbook(tmp_path / "borgmestre.xlsx", [ff.Sheet("Borgmestre", [
        MAYOR_HEADER, ["Glostrup", listed, "A", dt.date(2022, 1, 1), None, "ja"]])])
    import_files(db, [mayors])
    people = count(db, "mayors")
    data = ff.excel_windows_csv([HEADER, ["D1", "31-01-2022", "Glostrup",
                                          f"Åse{in_file}Lund Prøvegaard", "10-01-2022 09:15",
                                          "deltog", None, None]])
    result = import_files(db, [written(tmp_path / "tilmeldinger.csv", data)])
    assert result.applied and result.problems == []
    assert [f.people_added for f in result.files] == [0], \
        "the registration made a second mayor of Glostrup instead of linking the listed one"
    assert count(db, "mayors") == people
    with duckdb.connect(str(db), read_only=True) as con:
        linked = con.execute("SELECT m.name FROM registrations r JOIN mayors m USING (mayor_id)"
                             ).fetchall()
    assert linked == [(listed,)]


# --- Headers: a wrapped header cell ---------------------------------------------------------

# Excel's Alt+Enter puts a line break inside a cell; in a header it is how people wrap a long
# column name ("Tilmeldt<Alt+Enter>den", "Pris ekskl.<Alt+Enter>moms"). The XLSX holds the LF
# in the cell's text; Excel's CSV writes the cell in double quotes with the bare LF inside
# ([rfc4180] in field_files). Excel wrote both files, so "not saved from Excel" is untrue.
WRAPPED = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt\nden", "Status",
           "Pris ekskl.\nmoms", "Faktureret"]
WRAPPED_ROW = ["W1", "05-12-2022", "Odense", "Jens Ølund", "01-11-2022 10:15", "deltog",
               "8.800,00", None]


def test_a_header_cell_wrapped_with_alt_enter_in_a_workbook(db, tmp_path):
    path = ff.write_workbook(tmp_path / "ombrudt.xlsx", [ff.Sheet("Ark1", [WRAPPED,
                                                                           WRAPPED_ROW])])
    import_clean(db, path)
    assert stored(db) == [row("LKS2022-04", "Jens Ølund", "2022-11-01 10:15:00", "attended",
                              "8800.00")]


def test_a_header_cell_wrapped_with_alt_enter_in_an_excel_csv(db, tmp_path):
    data = ff.excel_windows_csv([WRAPPED, WRAPPED_ROW])
    assert b'"Tilmeldt\nden"' in data
    import_clean(db, written(tmp_path / "ombrudt.csv", data))
    assert stored(db) == [row("LKS2022-04", "Jens Ølund", "2022-11-01 10:15:00", "attended",
                              "8800.00")]


# --- Form exports: the form's own time is the registration time -----------------------------

# A registration form does not ask when you register: the form system stamps it. Microsoft
# Forms' "Open in Excel" has Id, Starttidspunkt, Fuldførelsestidspunkt (English UI: ID, Start
# time, Completion time), Mail, Navn, then one column per question ([forms] in field_files);
# Google Forms' responses sheet starts with Tidsstempel (English: Timestamp). A form whose
# questions are name, municipality, session and status is such an export whole.
def test_a_microsoft_forms_export_without_a_registered_question(db, tmp_path):
    start, done = dt.datetime(2024, 3, 1, 8, 58), dt.datetime(2024, 3, 1, 9, 0)
    path = ff.ms_forms_export(tmp_path / "forms.xlsx", ["Kommune", "Session", "Status"], [
        (start, done, "sekr@example.dk", "Åse Bækgaard", ["Aarhus", "15-04-2024", "tilmeldt"]),
    ])
    import_clean(db, path)
    assert stored(db) == [row("LKS2022-07", "Åse Bækgaard", "2024-03-01 09:00:00",
                              "registered")]


def test_a_google_forms_export_without_a_registered_question(db, tmp_path):
    # Google Sheets in the Danish locale shows the timestamp as d.m.yyyy hh.mm.ss (as the
    # Google Forms test in test_import_field writes it); the download is [gsheets].
    data = ff.google_sheets_csv([
        ["Tidsstempel", "E-mailadresse", "Fornavn", "Efternavn", "Organisation", "Session",
         "Status"],
        ["1.3.2024 09.00.00", "sekr1@example.dk", "Åse", "Bækgaard", "Aarhus Kommune",
         "15-04-2024", "tilmeldt"],
    ])
    import_clean(db, written(tmp_path / "google.csv", data))
    assert stored(db) == [row("LKS2022-07", "Åse Bækgaard", "2024-03-01 09:00:00",
                              "registered")]


# Microsoft Forms' own Mail and Navn columns are the RESPONDENT's ([forms] in field_files:
# "Mail and Navn of the respondent"): when a mayor's secretary fills in the registration form,
# Navn is the secretary, and the mayor is the answer to the form's question "Borgmester".
# Both headers are names the name field goes by; the respondent's must not become a mayor.
def test_a_forms_export_filled_in_by_a_secretary_links_the_mayor_asked_for(db, tmp_path):
    start, done = dt.datetime(2024, 3, 1, 8, 58), dt.datetime(2024, 3, 1, 9, 0)
    path = ff.ms_forms_export(
        tmp_path / "forms.xlsx", ["Borgmester", "Kommune", "Session", "Tilmeldt", "Status"],
        [(start, done, "sekr@aarhus.example.dk", "Lise Sekretær",
          ["Åse Bækgaard", "Aarhus Kommune", "15-04-2024", done, "tilmeldt"]),
         (start, done, "sekr@odense.example.dk", "Jens Assistent",
          ["Jens Ølund", "Odense Kommune", "15-04-2024", done, "tilmeldt"])])
    import_clean(db, path)
    assert stored(db) == sorted([
        row("LKS2022-07", "Åse Bækgaard", "2024-03-01 09:00:00", "registered"),
        row("LKS2022-07", "Jens Ølund", "2024-03-01 09:00:00", "registered")], key=repr)


# --- Dates ----------------------------------------------------------------------------------

# ISO 8601 with its offset is what web form systems write in their CSV: GOV.UK Forms'
# "Submitted at" is "2024-08-06T13:09:25+01:00" (github.com/govuk-forms/forms-runner pull
# 866), CDS's forms write "2026-07-29T12:52:41.378Z" (github.com/cds-snc/platform-forms-client
# issue 7821), and Nextcloud Forms was changed to "2023-01-26T13:39:50+01:00"
# (github.com/nextcloud/forms issue 1482). The issue accepts ISO 'T'; the offset says which
# instant it is, so it is Danish time 10:15 both ways.
@pytest.mark.parametrize("text", ["2022-11-01T10:15:00+01:00", "2022-11-01T09:15:00Z",
                                  "2022-11-01T09:15:00.000Z"])
def test_an_iso_time_with_its_offset(db, tmp_path, text):
    data = ff.libreoffice_csv([HEADER, ["I1", "05-12-2022", "Odense", "Jens Ølund", text,
                                        "deltog", None, None]])
    import_clean(db, written(tmp_path / "iso.csv", data))
    assert stored(db) == [row("LKS2022-04", "Jens Ølund", "2022-11-01 10:15:00", "attended")]


# Google Sheets in its default locale (English, United States) shows a date-time as
# M/d/yyyy H:mm:ss, and its CSV download holds the shown text ([gsheets]); a form's
# Timestamp column is such a column. A file where one date can only be month first
# (1/31/2022) proves the column is month first: reading 1/10/2022 in it as 1 October stores
# a wrong date with exit code 0. Either the column is read month first or it is refused;
# never the one row day first and the other refused.
def test_a_month_first_date_column_is_not_read_day_first(db, tmp_path):
    data = ff.google_sheets_csv([
        HEADER,
        ["U1", "05-12-2022", "Odense", "Jens Ølund", "11/10/2022 9:15:00", "deltog", None,
         None],
        ["U2", "05-12-2022", "Ærø", "Bjørn Ærøe", "11/25/2022 13:40:00", "deltog", None, None],
    ])
    path = written(tmp_path / "us.csv", data)
    with contextlib.suppress(SourceError):
        import_files(db, [path], keep_going=True)
    dates = {r[3] for r in stored(db)}
    assert "2022-10-11 09:15:00" not in dates, \
        "11/10/2022 was stored as 11 October in a column whose 11/25/2022 is month first"


# --- Whole-file refusals say what to do, in words --------------------------------------------

def test_a_workbook_whose_active_sheet_has_no_table_names_the_sheet_that_has(db, tmp_path):
    """A notes sheet left active (Excel saves the tab last looked at), the data on another
    visible sheet: the refusal names the sheet that holds registrations and how to pick it,
    and reads as Danish (not "har kun ingen kendte kolonner")."""
    path = ff.write_workbook(tmp_path / "noter.xlsx", [
        ff.Sheet("Noter", [["Opdateret 1/12"], ["Spørg Lise om Ærø"]]),
        ff.Sheet("Tilmeldinger", [HEADER, ["N1", "05-12-2022", "Odense", "Jens Ølund",
                                           "01-11-2022 10:15", "deltog", None, None]])],
        active=0)
    message = refusal(db, path)
    assert "[Noter]" in message
    assert "Tilmeldinger" in message and "--sheet" in message, message
    assert "kun ingen" not in message, message


def test_a_missing_columns_message_names_fields_in_words_not_identifiers(db, tmp_path):
    """The refusal of a file lacking a required column names the field as the README's field
    table does (or by its header names), never by its database identifier."""
    data = ff.excel_windows_csv([["Kommune", "Navn", "Parti"], ["Odense", "Jens Ølund", "A"]])
    message = refusal(db, written(tmp_path / "liste.csv", data))
    assert "Tiltrådt" in message
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", message), message


def test_a_folder_given_as_the_file_is_not_called_missing(db, tmp_path):
    """`etl import ~/Downloads/eksport` (the folder, not the file in it): the folder exists,
    so "filen findes ikke" sends the user looking for the wrong thing."""
    folder = tmp_path / "eksport"
    folder.mkdir()
    message = refusal(db, folder)
    assert "findes ikke" not in message and "mappe" in message, message
