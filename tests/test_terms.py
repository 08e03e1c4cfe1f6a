"""Mayors across election periods (issue 18): a term is its own row, a re-elected mayor is one
person, each programme has its own newly elected cohort, and the Retention page sets two
programmes' cohorts side by side. The database is our own, the files written as Excel writes
a Danish CSV (cp1252, ';', CRLF), and every expected value is counted by hand below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from dashboard import figures, queries
from dashboard.charts import side_by_side_finding
from etl import demo
from etl.build import build_database
from etl.importer import import_files
from etl.paths import REFERENCE_DIR
from etl.reference import load_reference
from tests.field_files import excel_windows_csv

MAYOR_HEADER = ["Kommune", "Navn", "Parti", "Tiltrådt", "Fratrådt", "Nyvalgt"]
# The 2021 election: Åse Lund (København) and Carl Øster (Odense) newly elected, Bo Berg
# (Aarhus) re-elected.
MAYORS_2022 = [["København", "Åse Lund", "Socialdemokratiet", "01-01-2022", "", "ja"],
               ["Aarhus", "Bo Berg", "Venstre", "01-01-2022", "", "nej"],
               ["Odense", "Carl Øster", "Venstre", "01-01-2022", "", "ja"]]
# The 2025 election: Åse Lund and Carl Øster re-elected (written a little differently, as a
# person types it), Dorte Ravn newly elected in Aarhus after Bo Berg.
MAYORS_2026 = [["København", "ÅSE LUND", "Socialdemokratiet", "01-01-2026", "", "nej"],
               ["Aarhus", "Dorte Ravn", "Konservative", "01-01-2026", "", "ja"],
               ["Odense", "Carl Øster", "Venstre", "01-01-2026", "", "nej"]]
REGISTRATION_HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status"]
REGISTRATIONS = [
    ["R1", "LKS2022-01", "København", "Åse Lund", "10-01-2022 10:00", "deltaget"],
    ["R2", "LKS2022-01", "Odense", "Carl Øster", "11-01-2022 10:00", "deltaget"],
    ["R3", "LKS2022-03", "København", "Åse Lund", "10-05-2022 10:00", "deltaget"],
    ["R4", "LKS2022-03", "Aarhus", "Bo Berg", "11-05-2022 10:00", "deltaget"],
    ["R5", "T2026-01", "Aarhus", "Dorte Ravn", "10-01-2026 10:00", "deltaget"],
    ["R6", "T2026-02", "København", "Åse Lund", "10-05-2026 10:00", "deltaget"],
    ["R7", "T2026-02", "Aarhus", "Dorte Ravn", "11-05-2026 10:00", "tilmeldt"],
]
HELD_BY = dt.date(2026, 12, 31)


def write(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes(excel_windows_csv(rows))
    return path


def query(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory) -> Path:
    """`build --no-demo`, a 2026 programme of two sessions (KL enters it; added here in SQL),
    then the 2022 mayor list, the 2026 mayor list and one registration export, as files."""
    folder = tmp_path_factory.mktemp("terms")
    database = folder / "borgmester.duckdb"
    build_database(database, with_demo=False)
    with duckdb.connect(str(database)) as con:
        con.execute("INSERT INTO programmes (programme_id, title, period_start, period_end) "
                    "VALUES ('T2026', 'Testforløb 2026', '2026-01-01', '2029-12-31')")
        con.execute("""
            INSERT INTO sessions (session_id, programme_id, title, audience, format, starts_at,
                                  ends_at, time_of_day_known, price_ex_vat)
            VALUES ('T2026-01', 'T2026', 'Intro', 'intro', 'day', '2026-02-01 10:00',
                    '2026-02-01 18:00', true, 5300),
                   ('T2026-02', 'T2026', 'Dagsession', 'all', 'day', '2026-06-01 10:00',
                    '2026-06-01 18:00', true, 5300)""")
    for name, rows in (("borgmestre-2022.csv", [MAYOR_HEADER, *MAYORS_2022]),
                       ("borgmestre-2026.csv", [MAYOR_HEADER, *MAYORS_2026]),
                       ("tilmeldinger.csv", [REGISTRATION_HEADER, *REGISTRATIONS])):
        result = import_files(database, [write(folder / name, rows)])
        assert result.applied, result
    return database


def test_a_re_elected_mayor_keeps_one_identity_across_two_programmes(two_periods):
    people = query(two_periods, "SELECT name, mayor_id FROM mayors ORDER BY name")
    # Four people, not five: Åse Lund and Carl Øster are each one person with two terms.
    assert [name for name, _ in people] == ["Bo Berg", "Carl Øster", "Dorte Ravn", "ÅSE LUND"]
    terms = query(two_periods, """
        SELECT m.name, t.term_start, t.newly_elected FROM mayor_terms t
        JOIN mayors m USING (mayor_id) ORDER BY m.name, t.term_start""")
    assert terms == [
        ("Bo Berg", dt.date(2022, 1, 1), False),
        ("Carl Øster", dt.date(2022, 1, 1), True),      # the 2022 term is not overwritten
        ("Carl Øster", dt.date(2026, 1, 1), False),
        ("Dorte Ravn", dt.date(2026, 1, 1), True),
        ("ÅSE LUND", dt.date(2022, 1, 1), True),
        ("ÅSE LUND", dt.date(2026, 1, 1), False),
    ]
    # The person's row holds their latest term; every registration of Åse Lund is hers.
    assert query(two_periods, "SELECT term_start, newly_elected FROM mayors "
                              "WHERE name = 'ÅSE LUND'") == [(dt.date(2026, 1, 1), False)]
    assert query(two_periods, """
        SELECT r.registration_id FROM registrations r JOIN mayors m USING (mayor_id)
        WHERE m.name = 'ÅSE LUND' ORDER BY 1""") == [("R1",), ("R3",), ("R6",)]
    assert query(two_periods, "SELECT * FROM integrity_problems") == []


def test_importing_the_same_list_again_changes_nothing(two_periods, tmp_path):
    import shutil

    database = tmp_path / "copy.duckdb"
    shutil.copy(two_periods, database)
    result = import_files(database, [write(tmp_path / "igen.csv", [MAYOR_HEADER, *MAYORS_2022])])
    assert (result.files[0].new, result.files[0].updated, result.files[0].unchanged) == (0, 0, 3)
    assert query(database, "SELECT count(*) FROM mayor_terms") == [(6,)]


def test_each_programme_has_its_own_cohort(two_periods):
    rows = query(two_periods, """
        SELECT session_id, cohort, mayors_in_office, registered
        FROM retention_by_cohort_for((SELECT list(programme_id) FROM programmes))
        ORDER BY session_id, cohort""")
    # Counted by hand from the lists and registrations above.
    assert rows == [
        # 2022: newly elected Åse Lund and Carl Øster, re-elected Bo Berg.
        # LKS2022-01 and -02 are the intro sessions: re-elected mayors are not invited.
        ("LKS2022-01", "newly_elected", 2, 2),      # R1, R2
        ("LKS2022-02", "newly_elected", 2, 0),
        ("LKS2022-03", "newly_elected", 2, 1),      # R3
        ("LKS2022-03", "re_elected", 1, 1),         # R4
        *[(f"LKS2022-{n:02d}", cohort, in_office, 0)
          for n in range(4, 11)
          for cohort, in_office in (("newly_elected", 2), ("re_elected", 1))],
        # 2026: newly elected Dorte Ravn; re-elected Åse Lund and Carl Øster. Bo Berg's term
        # (no end given) ended when Dorte Ravn's began.
        ("T2026-01", "newly_elected", 1, 1),        # R5 (an intro: only the newly elected)
        ("T2026-02", "newly_elected", 1, 1),        # R7
        ("T2026-02", "re_elected", 2, 1),           # R6
    ]
    # The registration facts say the same: newly elected is the term's, not the person's.
    assert query(two_periods, """
        SELECT registration_id, newly_elected FROM registration_facts ORDER BY 1""") == [
        ("R1", True), ("R2", True), ("R3", True), ("R4", False), ("R5", True),
        ("R6", False), ("R7", True)]


def test_retention_side_by_side_aligns_two_programmes(two_periods):
    with duckdb.connect(str(two_periods), read_only=True) as con:
        both = queries.retention_side_by_side(con, ["T2026", "LKS2022"], HELD_BY)
    newly = both[both["cohort"] == "newly_elected"]
    assert [tuple(r) for r in newly[["programme_id", "session_number", "months_in",
                                     "registered", "mayors_in_office"]].itertuples(index=False)
            ][:4] == [("T2026", 1, 1, 1, 1), ("T2026", 2, 5, 1, 1),
                      ("LKS2022", 1, 0, 2, 2), ("LKS2022", 2, 3, 0, 2)]
    assert list(newly["months_in"][newly["programme_id"] == "LKS2022"]) == [
        0, 3, 5, 11, 15, 22, 27, 34, 39, 40]
    figure = figures.retention_side_by_side(both)
    assert [trace.name.split(":")[0] for trace in figure.data] == [
        "T2026", "T2026", "LKS2022", "LKS2022"]
    assert list(figure.data[0].x) == [1, 5]
    # At month 5 of its period, T2026's newly elected (Dorte Ravn) 1 of 1 registered;
    # LKS2022's at month 5 (LKS2022-03): 1 of 2.
    finding = side_by_side_finding(both)
    assert "T2026" in finding and "100" in finding and "50" in finding and "5" in finding


# --- The demo -------------------------------------------------------------------------------

FROZEN = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo_tables():
    return demo.generate(load_reference(REFERENCE_DIR), today=FROZEN)


def test_the_demo_is_deterministic_for_a_frozen_day(demo_tables):
    again = demo.generate(load_reference(REFERENCE_DIR), today=FROZEN)
    assert again == demo_tables
    later = demo.generate(load_reference(REFERENCE_DIR), today=dt.date(2027, 5, 1))
    # Another day: the brochure's programme is as it was (all held by either day) ...
    assert ([r for r in later["registrations"] if r["session_id"].startswith("LKS2022-")]
            == [r for r in demo_tables["registrations"]
                if r["session_id"].startswith("LKS2022-")])
    # ... and the running programme has gone on.
    assert len(later["registrations"]) > len(demo_tables["registrations"])
    assert {r["key"]: r["value"] for r in demo_tables["dataset_info"]}["data_as_of"] == \
        "2026-11-30"


def test_the_demo_has_two_cohorts_a_running_programme_and_an_ended_one(demo_tables):
    terms = demo_tables["mayor_terms"]
    first = [t for t in terms if t["term_start"] < demo.NEXT_TERM_START]
    second = [t for t in terms if t["term_start"] == demo.NEXT_TERM_START]
    assert len(second) == 98  # one mayor per municipality from 1 January 2026
    newly = [t for t in second if t["newly_elected"]]
    assert len(newly) == round(demo.NEWLY_ELECTED_SHARE * 98)
    first_ids = {t["mayor_id"] for t in first}
    # The re-elected are the same people; the newly elected are people not seen before.
    assert all(t["mayor_id"] in first_ids for t in second if not t["newly_elected"])
    assert not any(t["mayor_id"] in first_ids for t in newly)
    people = {m["mayor_id"]: m for m in demo_tables["mayors"]}
    assert len(people) == len(first_ids | {t["mayor_id"] for t in second})
    # A running programme, marked demo: held sessions with outcomes, bookings for the next.
    assert [p["programme_id"] for p in demo_tables["programmes"]] == ["LKS2026-DEMO"]
    assert "demo" in demo_tables["programmes"][0]["title"].lower()
    sessions = demo_tables["sessions"]
    held = {s["session_id"] for s in sessions if s["starts_at"].date() <= FROZEN}
    upcoming = sorted((s for s in sessions if s["starts_at"].date() > FROZEN),
                      key=lambda s: s["starts_at"])
    assert held and upcoming and all(s["starts_at"].year <= 2029 for s in sessions)
    registrations = demo_tables["registrations"]
    assert all(r["registered_at"].date() <= FROZEN for r in registrations)
    assert all(r["invoiced_at"] is None or r["invoiced_at"] <= FROZEN for r in registrations)
    booked = [r for r in registrations if r["session_id"] == upcoming[0]["session_id"]]
    assert booked and {r["status"] for r in booked} <= {"registered", "cancelled"}
    outcomes = {r["status"] for r in registrations if r["session_id"] in held}
    assert "attended" in outcomes
    # The intro sessions are for the new cohort: most who come are newly elected.
    newly_ids = {t["mayor_id"] for t in newly}
    intro = [r for r in registrations if r["session_id"] == "LKS2026-DEMO-01"]
    assert sum(r["mayor_id"] in newly_ids for r in intro) > len(intro) / 2
    # The brochure's programme has ended: every one of its sessions has outcomes.
    ended = {r["session_id"] for r in registrations if r["session_id"].startswith("LKS2022-")
             and r["status"] in ("attended", "no_show")}
    assert len(ended) == 10


def test_the_demo_database_marks_its_own_programme_and_cohorts(demo_database):
    assert query(demo_database, "SELECT value FROM dataset_info WHERE key = 'data_as_of'") == [
        ("2026-11-30",)]  # tests/conftest.py freezes the demo's today
    assert query(demo_database, """
        SELECT programme_id, p.is_demo, bool_and(s.is_demo), count(*) FROM programmes p
        JOIN sessions s USING (programme_id) GROUP BY ALL ORDER BY 1""") == [
        ("LKS2022", False, False, 10), ("LKS2026-DEMO", True, True, 10)]
    # Each programme's cohort is its own terms' newly elected: counted from mayor_terms.
    assert query(demo_database, """
        SELECT programme_id, max(mayors_in_office)
        FROM retention_by_cohort_for(['LKS2022', 'LKS2026-DEMO'])
        WHERE cohort = 'newly_elected' AND session_id IN ('LKS2022-01', 'LKS2026-DEMO-01')
        GROUP BY 1 ORDER BY 1""") == query(demo_database, """
        SELECT CASE WHEN term_start < '2026-01-01' THEN 'LKS2022' ELSE 'LKS2026-DEMO' END,
               count(*) FROM mayor_terms
        WHERE newly_elected AND term_start IN ('2022-01-01', '2026-01-01') GROUP BY 1 ORDER BY 1""")
    assert query(demo_database, "SELECT * FROM integrity_problems") == []


def test_an_upgrade_makes_each_old_mayors_row_a_term(demo_database, tmp_path):
    """A database from before mayor_terms: each person's row in mayors was their one term."""
    import shutil

    from etl.schema_check import missing_from_model
    from etl.upgrade import upgrade_database

    old = tmp_path / "old.duckdb"
    shutil.copy(demo_database, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE mayor_terms")
        people = con.execute("SELECT mayor_id, kommune_code, party, term_start, term_end, "
                             "newly_elected FROM mayors ORDER BY ALL").fetchall()
    assert "mayor_terms" in missing_from_model(old)
    result = upgrade_database(old)
    assert result.rows["mayor_terms"] == len(people)
    assert query(old, "SELECT * FROM mayor_terms ORDER BY ALL") == people
    assert query(old, "SELECT * FROM integrity_problems") == []


def test_real_data_replaces_the_demo_programme_with_the_demo_people(demo_database, tmp_path):
    import shutil

    database = tmp_path / "real.duckdb"
    shutil.copy(demo_database, database)
    result = import_files(database, [write(tmp_path / "borgmestre.csv",
                                           [MAYOR_HEADER, *MAYORS_2022])])
    assert result.applied
    assert query(database, "SELECT programme_id FROM programmes") == [("LKS2022",)]
    assert query(database, "SELECT count(*) FROM sessions WHERE is_demo OR venue_is_demo") == [
        (0,)]
    assert query(database, "SELECT count(*), count(DISTINCT mayor_id) FROM mayor_terms") == [
        (3, 3)]


def test_the_never_attended_list_names_the_mayor_in_office_now(two_periods):
    """Bo Berg's 2022 term was given no end; Dorte Ravn's 2026 term ended it: Aarhus' mayor
    now is Dorte Ravn alone (one row), not Bo Berg beside her."""
    ours = ["København", "Aarhus", "Odense"]
    with duckdb.connect(str(two_periods), read_only=True) as con:
        never = queries.never_attended(con, "LKS2022", queries.Filters(formats=("overnight",)))
    # LKS2022-01 is the only overnight session anyone attended: Åse Lund and Carl Øster.
    mine = never[never["municipality"].isin(ours)]
    assert list(mine[["municipality", "mayor"]].itertuples(index=False, name=None)) == [
        ("Aarhus", "Dorte Ravn")]


def test_integrity_names_every_broken_term(tiny_con):
    problems = "SELECT problem, key FROM integrity_problems ORDER BY ALL"
    assert tiny_con.execute(problems).fetchall() == []
    (a, b, c, *_) = [m for (m,) in tiny_con.execute(
        "SELECT mayor_id FROM mayors ORDER BY mayor_id").fetchall()]
    tiny_con.execute("UPDATE mayors SET party = 'Nyt parti' WHERE mayor_id = ?", [a])
    tiny_con.execute("DELETE FROM mayor_terms WHERE mayor_id = ?", [b])
    tiny_con.execute("UPDATE mayor_terms SET kommune_code = 101 WHERE mayor_id = ?", [c])
    tiny_con.execute("INSERT INTO mayor_terms VALUES ('ghost', 101, NULL, '2022-01-01', NULL, "
                     "false)")
    tiny_con.execute("INSERT INTO mayor_terms SELECT * FROM mayor_terms WHERE mayor_id = 'M4'")
    found = dict((key, problem) for problem, key in tiny_con.execute(problems).fetchall())
    assert found["M4"] == "duplicate term"
    assert found[a] == "mayor out of step with its latest term"
    assert found[b] == "mayor without a term"
    assert found["ghost"] == "term of an unknown mayor"
    assert found[c] == "term in another municipality"
    assert len(found) == 5
