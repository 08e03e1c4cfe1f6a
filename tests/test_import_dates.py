"""Dates of two kinds the field writes: an ISO time with its offset from UTC (web form
systems), and a column of dates month first (a program in the US locale: Google Sheets'
default M/d/yyyy). Pure tests of the macros and of the order rule, and imports of files
written byte for byte as the programs write them (tests/field_files.py).

The database is the one tests/test_import_field.py builds: `build --no-demo` and its own
mayor list (MAYORS).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.errors import SourceError
from etl.importer import (
    DAY_FIRST,
    MACROS,
    MONTH_FIRST,
    date_order_evidence,
    import_files,
    month_first,
)
from tests import field_files as ff
from tests.test_import_field import (
    HEADER,
    MAYOR_HEADER,
    import_clean,
    row,
    stored,
    written,
)


@pytest.fixture(scope="module")
def sql():
    """A DuckDB connection with the importer's macros: sql(expression, value) -> result."""
    con = duckdb.connect()
    con.execute(MACROS)
    yield lambda expression, *values: con.execute(f"SELECT {expression}",
                                                  list(values)).fetchone()[0]
    con.close()


def outcomes(database, name: str) -> list[str]:
    """The outcomes import_runs records for the file `name`."""
    with duckdb.connect(str(database), read_only=True) as con:
        return [outcome for (outcome,) in con.execute(
            "SELECT outcome FROM import_runs WHERE command = 'import' AND source LIKE ?",
            [f"%{name}"]).fetchall()]


# --- Pure: the order rule and the month-first reading ---------------------------------------

@pytest.mark.parametrize("head, order", [
    ("25/11/2022", DAY_FIRST), ("25-11-", DAY_FIRST), ("31.1.2", DAY_FIRST),
    ("13/12/", DAY_FIRST),
    ("11/25/2022 13:40:00", MONTH_FIRST), ("1/31/2", MONTH_FIRST), ("12/13/", MONTH_FIRST),
    ("10/11/", None), ("1-2-20", None), ("12/12/", None),      # either order reads them
    ("2022-11-25", None), ("LKS202", None), ("", None),        # ISO, an id, empty
    ("32/1/2", None), ("1/32/2", None), ("13/13/", None), ("0/13/2", None),  # no date at all
])
def test_the_one_order_a_date_can_be_read_in(head, order):
    assert date_order_evidence(head) == order


@pytest.mark.parametrize("layout, swapped", [
    ("%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S"), ("%d.%m.%Y, %H.%M", "%m.%d.%Y, %H.%M"),
    ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"), ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z")])
def test_month_first_swaps_day_and_month_of_a_danish_layout_only(layout, swapped):
    assert month_first(layout) == swapped


@pytest.mark.parametrize("text, moment", [
    ("11/25/2022 13:40:00", dt.datetime(2022, 11, 25, 13, 40)),   # Google Sheets en-US
    ("1/10/2022 9:15:00", dt.datetime(2022, 1, 10, 9, 15)),
    ("1/10/2022", dt.datetime(2022, 1, 10)),
    ("12-31-2022 23:59", dt.datetime(2022, 12, 31, 23, 59)),
    ("2022-01-31T10:15", dt.datetime(2022, 1, 31, 10, 15)),        # ISO: year first anyway
    ("2022-11-01T09:15:00Z", dt.datetime(2022, 11, 1, 10, 15)),
    ("25/11/2022", None), ("13/1/2022", None)])
def test_dates_read_month_first(sql, text, moment):
    assert sql("parse_when_month_first(?)", text) == moment


def test_the_danish_reading_is_unchanged_beside_it(sql):
    assert sql("parse_when(?)", "1/10/2022 9:15:00") == dt.datetime(2022, 10, 1, 9, 15)
    assert sql("parse_when(?)", "11/25/2022") is None


# --- Imports: ISO times with an offset -------------------------------------------------------

# Nextcloud Forms' CSV "Timestamp" is "2023-01-26T13:39:50+01:00" (+02:00 in summer), and
# JavaScript's toISOString (what a form's own script writes) "2023-06-01T08:15:00.000Z": the
# instant, stored as the time a Danish clock showed, summer time included.
def test_a_form_export_with_iso_times_in_summer_and_winter(db, tmp_path):
    data = ff.libreoffice_csv([
        HEADER,
        ["Z1", "05-12-2022", "Odense", "Jens Ølund", "2022-06-01T08:15:00.000Z", "deltog",
         None, None],
        ["Z2", "05-12-2022", "Ærø", "Bjørn Ærøe", "2022-06-01T10:15:00+02:00", "afbud",
         None, None],
        ["Z3", "15-04-2024", "Aarhus", "Åse Bækgaard", "2023-12-01T14:15:00+01:00", "deltog",
         None, None],
        ["Z4", "15-04-2024", "Odense", "Jens Ølund", "2023-12-01 13:15:00", "deltog",
         None, None]])
    import_clean(db, written(tmp_path / "nextcloud.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-04", "Jens Ølund", "2022-06-01 10:15:00", "attended"),
        row("LKS2022-04", "Bjørn Ærøe", "2022-06-01 10:15:00", "cancelled"),
        row("LKS2022-07", "Åse Bækgaard", "2023-12-01 14:15:00", "attended"),
        row("LKS2022-07", "Jens Ølund", "2023-12-01 13:15:00", "attended")], key=repr)


# --- Imports: one order per column -----------------------------------------------------------

# Google Sheets in English (United States) writes every date of a column M/d/yyyy; one date
# whose second number is over 12 proves the column is month first, so 1/10/2022 in it is
# 10 January wherever it stands, before or after that date. The session column (start dates,
# typed in the same sheet) is decided on its own.
def test_a_month_first_column_is_read_month_first_in_every_row(db, tmp_path):
    data = ff.google_sheets_csv([
        HEADER,
        ["U1", "12/5/2022", "Odense", "Jens Ølund", "1/10/2022 9:15:00", "deltog", None, None],
        ["U2", "12/5/2022", "Ærø", "Bjørn Ærøe", "3/4/2022 13:40:00", "afbud", None, None],
        ["U3", "4/15/2024", "Aarhus", "Åse Bækgaard", "11/25/2022 8:05:00", "deltog", None,
         None]])
    import_clean(db, written(tmp_path / "us.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-04", "Jens Ølund", "2022-01-10 09:15:00", "attended"),
        row("LKS2022-04", "Bjørn Ærøe", "2022-03-04 13:40:00", "cancelled"),
        row("LKS2022-07", "Åse Bækgaard", "2022-11-25 08:05:00", "attended")], key=repr)


def test_a_danish_column_without_proof_stays_day_first(db, tmp_path):
    data = ff.excel_windows_csv([
        HEADER,
        ["D1", "05-12-2022", "Odense", "Jens Ølund", "1/10/2022 9:15", "deltog", None,
         "3/1/2023"],
        ["D2", "05-12-2022", "Ærø", "Bjørn Ærøe", "25/11/2022 13:40", "afbud", None, None]])
    import_clean(db, written(tmp_path / "dk.csv", data))
    assert stored(db) == sorted([
        row("LKS2022-04", "Jens Ølund", "2022-10-01 09:15:00", "attended", None, "2023-01-03"),
        row("LKS2022-04", "Bjørn Ærøe", "2022-11-25 13:40:00", "cancelled")], key=repr)


# A sheet pasted together from a Danish and a US one: 25/11/2022 is only day first, 11/26/2022
# only month first. Neither reading holds for the column, so it is refused whole, naming both
# readings and a line of each, and nothing is stored (not one row read day first and its
# neighbour refused) — with --keep-going too, and the attempt is recorded.
@pytest.mark.parametrize("keep_going", [False, True])
def test_a_column_of_both_orders_is_refused_naming_a_line_of_each(db, tmp_path, keep_going):
    data = ff.excel_csv_utf8([
        HEADER,
        ["M1", "05-12-2022", "Odense", "Jens Ølund", "10/11/2022 09:15", "deltog", None, None],
        ["M2", "05-12-2022", "Ærø", "Bjørn Ærøe", "25/11/2022 13:40", "afbud", None, None],
        ["M3", "05-12-2022", "Aarhus", "Åse Bækgaard", "11/26/2022 08:05", "deltog", None,
         None]])
    with pytest.raises(SourceError) as refused:
        import_files(db, [written(tmp_path / "blandet.csv", data)], keep_going=keep_going)
    message = str(refused.value)
    assert "blandet.csv" in message and "kolonne Tilmeldt" in message
    assert "'25/11/2022 13:40' (linje 3) kan kun være dag før måned" in message
    assert "'11/26/2022 08:05' (linje 4) kun måned før dag" in message
    assert stored(db) == []
    assert outcomes(db, "blandet.csv") == ["rejected"]


# A mayor list kept in a US-locale sheet: each column of term dates proves its order itself
# (1/13/2022 and 6/30/2023), and 1/2/2022 beside them is 2 January.
def test_a_mayor_lists_term_dates_month_first(db, tmp_path):
    data = ff.google_sheets_csv([
        MAYOR_HEADER,
        ["Odense", "Jens Ølund", "A", "1/2/2022", "", "ja"],
        ["Ærø", "Bjørn Ærøe", "A", "1/13/2022", "6/30/2023", "ja"]])
    import_files(db, [written(tmp_path / "borgmestre.csv", data)])
    with duckdb.connect(str(db), read_only=True) as con:
        terms = con.execute("SELECT name, CAST(term_start AS VARCHAR), CAST(term_end AS VARCHAR) "
                            "FROM mayors WHERE name IN ('Jens Ølund', 'Bjørn Ærøe') "
                            "ORDER BY name").fetchall()
    assert terms == [("Bjørn Ærøe", "2022-01-13", "2023-06-30"),
                     ("Jens Ølund", "2022-01-02", None)]
