"""Programmes, sessions and prices entered as data (issue 18): a 2026-2029 schedule imported
from an Excel workbook (with its price sheet) and from a Danish Excel CSV, a newer schedule
updating it in place, a removal refused while registrations hold the session, venues placed
only from what is known, and price lists. Each test builds its own small database (reference
data only) and counts its expectations by hand; files are written as Excel writes them
(openpyxl; Windows-1252, ';', CRLF)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from etl.errors import SourceError
from etl.importer import import_files
from etl.schedule import election_period
from tests.field_files import Sheet, excel_windows_csv, write_workbook

D, T = dt.date, dt.datetime
HEADER = ["Forløb-ID", "Forløb", "Titel", "Målgruppe", "Format", "Start", "Slut", "Sted", "By",
          "Kapacitet", "Pris", "Breddegrad", "Længdegrad"]
TITLE = "Lederskab i en ny valgperiode"
# LKS2026: two intro sessions for the mayors newly elected in November 2025, then sessions
# for all into 2029, one online (no venue) and one whose city is no municipality's (placed
# by its coordinates), one with a price of its own, one with no venue decided yet.
PLAN = [
    ["LKS2026", TITLE, "Introsession (døgn)", "nyvalgte", "døgn", T(2026, 1, 28, 12),
     T(2026, 1, 29, 12), "Hotel Nyborg Strand", "Nyborg", 60, None, None, None],
    ["LKS2026", TITLE, "Introsession (dag)", "nyvalgte", "dag", T(2026, 3, 2, 10),
     T(2026, 3, 2, 18), "Svendborg Rådhus", "Svendborg", 40, None, None, None],
    ["LKS2026", TITLE, "Onlinemøde", "alle", "online", D(2026, 6, 2), None, None, None,
     None, None, None, None],
    ["LKS2026", TITLE, "Døgnsession", "alle", "døgn", T(2026, 11, 26, 12), T(2026, 11, 27, 12),
     "Koldingfjord", "Kolding", 80, Decimal("9200"), None, None],
    ["LKS2026", TITLE, "Dagsession", "alle", "dag", D(2027, 4, 12), None, None, None, None,
     None, None, None],
    ["LKS2026", TITLE, "Dagsession", "alle", "dag", T(2029, 4, 16, 10), T(2029, 4, 16, 17),
     "Molskroen", "Ebeltoft", 50, None, Decimal("56.1944"), Decimal("10.6783")],
]
PRICE_HEADER = ["Forløb-ID", "Format", "Pris", "Moms", "Kilde"]
PRICES = [["LKS2026", "dag", "5.600,00", "25 %", "KL prisblad 2026"],
          ["LKS2026", "døgn", "9.000,00", "25 %", "KL prisblad 2026"],
          ["LKS2026", "online", "1.500,00", "", "KL prisblad 2026"]]
# The ids a schedule without a Sessions-ID column gives its sessions: programme, start date
# and format.
IDS = ["LKS2026-2026-01-28-overnight", "LKS2026-2026-03-02-day", "LKS2026-2026-06-02-online",
       "LKS2026-2026-11-26-overnight", "LKS2026-2027-04-12-day", "LKS2026-2029-04-16-day"]


@pytest.fixture
def database(reference_copy) -> Path:
    """The reference data only (`build --no-demo`), this test's own copy."""
    return reference_copy


def csv_file(path: Path, rows: list[list]) -> Path:
    path.write_bytes(excel_windows_csv(rows))
    return path


def query(path: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def snapshot(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("programmes", "sessions", "price_lists", "registrations", "mayors")}


def sessions_of(path: Path, programme: str = "LKS2026") -> dict[str, tuple]:
    rows = query(path, "SELECT session_id, audience, format, starts_at, ends_at, "
                       "time_of_day_known, venue, city, lat, lon, capacity, price_ex_vat, "
                       "price_is_own FROM sessions WHERE programme_id = ? ORDER BY starts_at",
                 [programme])
    return {row[0]: row[1:] for row in rows}


def registrations_file(path: Path) -> Path:
    """Four registrations for LKS2026: two by the session's start date (as a form export
    gives it), two by its id."""
    return csv_file(path, [
        ["Session", "Kommune", "Navn", "Tilmeldt", "Status", "Pris"],
        ["28-01-2026", "Aarhus", "Pia Modelgaard", T(2025, 12, 10, 9), "deltog", None],
        ["28-01-2026", "Køge", "Signe Skitseholm", T(2025, 12, 11, 9), "afbud", None],
        ["LKS2026-2026-06-02-online", "Aarhus", "Pia Modelgaard", T(2026, 5, 1, 9), "tilmeldt",
         None],
        ["LKS2026-2026-11-26-overnight", "Odense", "Lone Pseudonymsen", T(2026, 10, 1, 9),
         "tilmeldt", None],
    ])


def test_the_election_period_is_the_four_years_after_a_november_election():
    assert election_period(D(2026, 1, 28)) == (D(2026, 1, 1), D(2029, 12, 31))
    assert election_period(D(2029, 12, 31)) == (D(2026, 1, 1), D(2029, 12, 31))
    assert election_period(D(2030, 1, 1)) == (D(2030, 1, 1), D(2033, 12, 31))
    assert election_period(D(2022, 1, 31)) == (D(2022, 1, 1), D(2025, 12, 31))
    assert election_period(D(2025, 12, 1)) == (D(2022, 1, 1), D(2025, 12, 31))


def test_an_xlsx_schedule_with_its_price_sheet_loads_programme_sessions_and_prices(
        database, tmp_path):
    book = write_workbook(tmp_path / "forløb-2026.xlsx", [
        Sheet("Plan", [HEADER, *PLAN]), Sheet("Priser", [PRICE_HEADER, *PRICES])])
    done = import_files(database, [book])
    assert done.applied and not done.problems
    assert sorted((f.kind, f.new) for f in done.files) == [("price_list", 3), ("schedule", 6)]

    assert query(database, "SELECT title, period_start, period_end, uses_shipped_prices "
                           "FROM programmes WHERE programme_id = 'LKS2026'") == [
        (TITLE, D(2026, 1, 1), D(2029, 12, 31), False)]
    got = sessions_of(database)
    assert list(got) == IDS
    nyborg, odense, online, kolding, undecided, ebeltoft = got.values()
    # Venues placed from a venue candidate's city, a municipality's town hall, coordinates;
    # online and undecided ones nowhere.
    assert nyborg[:10] == ("intro", "overnight", T(2026, 1, 28, 12), T(2026, 1, 29, 12), True,
                           "Hotel Nyborg Strand", "Nyborg", 55.3127, 10.7896, 60)
    assert odense[7:9] == (55.06, 10.608) and odense[9] == 40
    assert online[:9] == ("all", "online", T(2026, 6, 2), T(2026, 6, 3), False, None, None,
                          None, None)
    assert undecided[6:9] == (None, None, None)
    assert ebeltoft[6:9] == ("Ebeltoft", 56.1944, 10.6783)
    # Prices: the programme's price list, and a price of its own where the plan gives one.
    assert [(s[10], s[11]) for s in got.values()] == [
        (Decimal("9000.00"), False), (Decimal("5600.00"), False), (Decimal("1500.00"), False),
        (Decimal("9200.00"), True), (Decimal("5600.00"), False), (Decimal("5600.00"), False)]

    # What the pages read.
    with duckdb.connect(str(database), read_only=True) as con:
        assert queries.programmes(con)["programme_id"].tolist()[0] == "LKS2026"
        shown = queries.sessions(con, "LKS2026")
        assert shown["session_id"].tolist() == IDS
        assert shown["city"].tolist()[:2] == ["Nyborg", "Svendborg"]
        assert queries.session_capacity(con, IDS[3]) == 80

    # Registrations for the new sessions import, by start date and by id.
    done = import_files(database, [registrations_file(tmp_path / "tilmeldinger.csv")])
    assert done.applied and not done.problems and done.files[0].new == 4
    assert query(database, "SELECT session_id, count(*) FROM registrations GROUP BY 1 "
                           "ORDER BY 1") == [(IDS[0], 2), (IDS[2], 1), (IDS[3], 1)]
    with duckdb.connect(str(database), read_only=True) as con:
        by_format = queries.revenue_by_format(con, "LKS2026").set_index("format")
        # overnight: 2 x 9.000 (the cancellation is billed) + 9.200 own; online 1.500
        assert by_format.loc["overnight", "revenue_ex_vat"] == Decimal("27200.00")
        assert by_format.loc["overnight", "list_price_ex_vat"] == Decimal("9000.00")
        assert by_format.loc["online", "revenue_incl_vat"] == Decimal("1875.00")
        by_session = queries.revenue_by_session(con, "LKS2026").set_index("session_id")
        assert by_session.loc[IDS[3], "revenue_ex_vat"] == Decimal("9200.00")


def test_a_danish_excel_csv_schedule_loads_and_unknown_prices_stay_unknown(database, tmp_path):
    plan = csv_file(tmp_path / "plan.csv", [HEADER, *PLAN])
    assert plan.read_bytes().startswith("Forløb-ID;".encode("cp1252"))
    assert b"28-01-2026 12:00;29-01-2026 12:00" in plan.read_bytes()
    assert b"\r\n" in plan.read_bytes()
    done = import_files(database, [plan])
    assert done.applied and not done.problems
    got = sessions_of(database)
    assert list(got) == IDS
    assert got[IDS[0]][2:4] == (T(2026, 1, 28, 12), T(2026, 1, 29, 12))
    # No price list yet: the brochure's 2022-2025 prices are not this programme's.
    assert [s[10] for s in got.values()] == [None, None, None, Decimal("9200.00"), None, None]

    prices = csv_file(tmp_path / "priser.csv", [PRICE_HEADER, *PRICES])
    done = import_files(database, [prices])
    assert done.applied and done.files[0].kind == "price_list"
    assert [s[10] for s in sessions_of(database).values()] == [
        Decimal("9000.00"), Decimal("5600.00"), Decimal("1500.00"), Decimal("9200.00"),
        Decimal("5600.00"), Decimal("5600.00")]
    assert query(database, "SELECT format, vat_rate FROM price_lists ORDER BY 1") == [
        ("day", Decimal("0.2500")), ("online", Decimal("0.2500")),
        ("overnight", Decimal("0.2500"))]


def test_a_newer_schedule_updates_sessions_in_place_and_keeps_registrations(
        database, tmp_path):
    import_files(database, [csv_file(tmp_path / "plan.csv", [HEADER, *PLAN]),
                            csv_file(tmp_path / "priser.csv", [PRICE_HEADER, *PRICES])])
    import_files(database, [registrations_file(tmp_path / "tilmeldinger.csv")])
    registrations = query(database, "SELECT * FROM registrations ORDER BY ALL")

    # The newer plan gives the ids: the November session moves a day, the 2027 day session
    # gets its venue.
    newer = [["Sessions-ID", *HEADER]] + [[session_id, *row] for session_id, row in
                                          zip(IDS, PLAN, strict=True)]
    newer[4][6:8] = [T(2026, 11, 25, 12), T(2026, 11, 26, 12)]
    newer[5][8:10] = ["Scandic Aarhus City", "Aarhus"]
    done = import_files(database, [csv_file(tmp_path / "plan-2.csv", newer)])
    assert done.applied and not done.problems
    assert (done.files[0].new, done.files[0].updated, done.files[0].unchanged) == (0, 2, 4)
    got = sessions_of(database)
    assert list(got) == IDS
    assert got[IDS[3]][2:4] == (T(2026, 11, 25, 12), T(2026, 11, 26, 12))
    assert got[IDS[4]][5:9] == ("Scandic Aarhus City", "Aarhus", 56.1567, 10.2108)
    assert query(database, "SELECT * FROM registrations ORDER BY ALL") == registrations


def test_a_schedule_removing_a_session_with_registrations_is_refused_with_the_count(
        database, tmp_path):
    import_files(database, [csv_file(tmp_path / "plan.csv", [HEADER, *PLAN])])
    import_files(database, [registrations_file(tmp_path / "tilmeldinger.csv")])
    before = snapshot(database)
    without_intro = [HEADER] + PLAN[1:]
    with pytest.raises(SourceError) as refused:
        import_files(database, [csv_file(tmp_path / "plan-2.csv", without_intro)])
    (problem,) = refused.value.problems
    assert problem.code == "schedule_removes_registered"
    assert problem.params == {"programme": "LKS2026", "sessions": IDS[0], "count": "2"}
    assert "2 tilmeldinger" in problem.reason
    # Danish puts no genitive s on an id ("forløbet LKS2026s plan").
    assert "hele planen for forløbet LKS2026, men mangler" in problem.reason
    assert snapshot(database) == before
    # A session without registrations may go.
    without_2027 = [HEADER] + PLAN[:4] + PLAN[5:]
    done = import_files(database, [csv_file(tmp_path / "plan-3.csv", without_2027)])
    assert done.applied and done.files[0].removed == 1
    assert IDS[4] not in sessions_of(database)


def test_a_city_without_a_known_position_is_rejected_saying_what_to_add(database, tmp_path):
    before = snapshot(database)
    unknown = [row[:] for row in PLAN]
    unknown[5][11:13] = [None, None]       # Ebeltoft without its coordinates
    done = import_files(database, [csv_file(tmp_path / "plan.csv", [HEADER, *unknown])])
    assert not done.applied
    (problem,) = done.problems
    assert (problem.line, problem.column, problem.code) == (7, "By", "venue_position_unknown")
    assert "Breddegrad og Længdegrad" in problem.reason and "Ebeltoft" in problem.reason
    assert snapshot(database) == before


def test_a_dry_run_changes_nothing_and_a_second_import_is_idempotent(database, tmp_path):
    before = snapshot(database)
    plan = csv_file(tmp_path / "plan.csv", [HEADER, *PLAN])
    done = import_files(database, [plan], dry_run=True)
    assert not done.applied and not done.problems
    assert snapshot(database) == before
    import_files(database, [plan])
    once = snapshot(database)
    done = import_files(database, [plan])
    assert (done.files[0].new, done.files[0].updated, done.files[0].unchanged) == (0, 0, 6)
    assert snapshot(database) == once
    assert query(database, "SELECT outcome, message FROM import_runs ORDER BY run_id DESC "
                           "LIMIT 1") == [("loaded", "schedule: 0 nye, 0 ændrede, 6 uændrede, "
                                                     "0 personer tilføjet")]


def test_a_price_list_sets_the_online_price_of_the_brochure_programme(database, tmp_path):
    assert query(database, "SELECT session_id, price_ex_vat FROM sessions "
                           "WHERE format = 'online' ORDER BY 1") == [
        ("LKS2022-03", None), ("LKS2022-10", None)]
    done = import_files(database, [csv_file(tmp_path / "priser.csv", [
        PRICE_HEADER, ["LKS2022", "online", "1.200,00", "25", "KL 2025"]])])
    assert done.applied and not done.problems
    assert query(database, "SELECT format, min(price_ex_vat), max(price_ex_vat) FROM sessions "
                           "WHERE programme_id = 'LKS2022' GROUP BY 1 ORDER BY 1") == [
        ("day", Decimal("5300.00"), Decimal("5300.00")),
        ("online", Decimal("1200.00"), Decimal("1200.00")),
        ("overnight", Decimal("8800.00"), Decimal("8800.00"))]


def test_a_price_list_for_an_unknown_programme_is_rejected(database, tmp_path):
    done = import_files(database, [csv_file(tmp_path / "priser.csv", [PRICE_HEADER, *PRICES])])
    assert not done.applied
    assert {(p.line, p.column, p.code) for p in done.problems} == {
        (line, "Forløb-ID", "price_list_programme_unknown") for line in (2, 3, 4)}


def test_unreadable_words_counts_and_coordinates_are_rejected_and_audited(database, tmp_path):
    bad = [row[:] for row in PLAN]
    bad[0][3] = "borgmestre"        # no audience
    bad[1][4] = "weekend"           # no format
    bad[2][9] = "mange"             # no capacity
    bad[5][11] = "nord"             # no latitude
    done = import_files(database, [csv_file(tmp_path / "plan.csv", [HEADER, *bad])])
    assert not done.applied
    assert [(p.line, p.column, p.code) for p in done.problems] == [
        (2, "Målgruppe", "audience_unknown"), (3, "Format", "format_unknown"),
        (4, "Kapacitet", "count_invalid"), (7, "Breddegrad", "coordinate_invalid"),
        (7, "Længdegrad", "lat_lon_half")]      # the latitude unread, half a position is left
    assert query(database, "SELECT line, \"column\", reason_code, reason LIKE 'ukendt%' "
                           "OR reason LIKE 'ikke%' FROM rejected_rows ORDER BY line, 2") == [
        (2, "Målgruppe", "audience_unknown", True), (3, "Format", "format_unknown", True),
        (4, "Kapacitet", "count_invalid", True), (7, "Breddegrad", "coordinate_invalid", True),
        (7, "Længdegrad", "lat_lon_half", False)]
