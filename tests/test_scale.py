"""The scaled demo (`python -m etl demo --scale N`): its files pass the importer, and on it the
pages' numbers equal what plain SQL over the base tables gives."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from etl import scale
from etl.build import build_database
from etl.importer import import_files
from etl.paths import PROJECT_ROOT

ROWS = 4_000


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    database = folder / "scale.duckdb"
    result = scale.build_scale_database(database, ROWS, folder / "files")
    return database, result


@pytest.fixture
def con(scaled):
    with duckdb.connect(str(scaled[0]), read_only=True) as connection:
        yield connection


def test_the_files_pass_the_importers_validation(scaled, tmp_path):
    _, result = scaled
    files = result.files
    fresh = tmp_path / "fresh.duckdb"
    build_database(fresh, reference_dir=files.reference_dir, with_demo=False)
    checked = import_files(fresh, [files.mayors, *files.registrations], dry_run=True)
    assert checked.problems == []
    assert sum(f.staged.rows for f in checked.files if f.kind == "registrations") == ROWS
    assert len(files.registrations) >= 2 and files.programmes > 2


def test_the_database_holds_exactly_n_registrations_marked_as_demo(con, scaled):
    _, result = scaled
    assert result.imported.problems == [] and result.imported.applied
    assert con.execute("SELECT count(*) FROM registrations").fetchone()[0] == ROWS
    assert queries.dataset_info(con).is_demo
    assert con.execute("SELECT count(*) FROM integrity_problems").fetchone()[0] == 0
    # Every registration belongs to a mayor in office on the session's day.
    outside = con.execute("""
        SELECT count(*) FROM registrations r JOIN sessions s USING (session_id)
        JOIN mayors m USING (mayor_id)
        WHERE CAST(s.starts_at AS DATE) < m.term_start
           OR CAST(s.starts_at AS DATE) > coalesce(m.term_end, DATE '9999-12-31')""").fetchone()
    assert outside[0] == 0
    # One mayor per municipality at a time: terms within a municipality never overlap.
    overlapping = con.execute("""
        SELECT count(*) FROM mayors a JOIN mayors b
          ON a.kommune_code = b.kommune_code AND a.mayor_id < b.mayor_id
         AND a.term_start <= coalesce(b.term_end, DATE '9999-12-31')
         AND b.term_start <= coalesce(a.term_end, DATE '9999-12-31')""").fetchone()
    assert overlapping[0] == 0


def test_the_same_seed_gives_the_same_files(tmp_path):
    first = scale.write_scale_files(tmp_path / "a", 500)
    second = scale.write_scale_files(tmp_path / "b", 500)
    for one, other in zip([first.mayors, *first.registrations],
                          [second.mayors, *second.registrations], strict=True):
        assert one.read_bytes() == other.read_bytes()


def programmes_to_check(con) -> list[str]:
    """The brochure's programme and the largest synthetic one."""
    return ["LKS2022", con.execute(
        "SELECT programme_id FROM sessions JOIN registrations USING (session_id) "
        "WHERE programme_id <> 'LKS2022' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]]


def test_participation_per_municipality_equals_plain_sql(con):
    for programme in programmes_to_check(con):
        page = queries.participation_by_municipality(con, programme).set_index("kommune_code")
        plain = dict(con.execute("""
            SELECT m.kommune_code, count(DISTINCT r.session_id) FILTER (
                WHERE r.status = 'attended')
            FROM municipalities m
            LEFT JOIN registrations r ON r.kommune_code = m.kommune_code
                 AND r.session_id IN (SELECT session_id FROM sessions WHERE programme_id = ?)
            GROUP BY 1""", [programme]).fetchall())
        assert page["sessions_attended"].to_dict() == plain
        offered = con.execute("SELECT count(*) FROM sessions WHERE programme_id = ?",
                              [programme]).fetchone()[0]
        assert set(page["sessions_offered"]) == {offered}


def test_key_figures_and_turnout_equal_plain_sql(con):
    for programme in programmes_to_check(con):
        figures = queries.key_figures(con, programme)
        plain = con.execute("""
            SELECT count(DISTINCT r.kommune_code) FILTER (WHERE status = 'attended'),
                   count(*) FILTER (WHERE status <> 'cancelled'),
                   count(*) FILTER (WHERE status = 'attended'),
                   count(*) FILTER (WHERE status = 'no_show')
            FROM registrations r JOIN sessions s USING (session_id)
            WHERE s.programme_id = ?""", [programme]).fetchone()
        assert (figures.municipalities_reached, figures.registrations, figures.attended,
                figures.no_shows) == plain
        turnout = queries.session_turnout(con, programme)
        per_session = dict(con.execute("""
            SELECT s.session_id, count(r.session_id) FILTER (WHERE r.status = 'attended')
            FROM sessions s LEFT JOIN registrations r USING (session_id)
            WHERE s.programme_id = ? GROUP BY 1""", [programme]).fetchall())
        assert dict(zip(turnout["session_id"], turnout["attended"], strict=True)) == per_session


def test_revenue_per_format_equals_plain_sql(con):
    for programme in programmes_to_check(con):
        page = queries.revenue_by_format(con, programme).set_index("format")
        plain = dict(con.execute("""
            SELECT s.format, sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0))
            FROM registrations r JOIN sessions s USING (session_id)
            WHERE s.programme_id = ? GROUP BY 1""", [programme]).fetchall())
        assert {f: float(v) for f, v in page["revenue_ex_vat"].items() if v} == \
            {f: float(v) for f, v in plain.items() if v}


def test_retention_equals_plain_sql(con):
    held_by = dt.date(2025, 3, 31)
    page = queries.retention(con, "LKS2022", held_by)
    for row in page.itertuples():
        registered = con.execute("""
            SELECT count(DISTINCT m.mayor_id) FROM mayors m
            JOIN registrations r ON r.mayor_id = m.mayor_id AND r.session_id = ?
            WHERE r.status <> 'cancelled' AND m.newly_elected = ?""",
            [row.session_id, row.cohort == "newly_elected"]).fetchone()[0]
        assert row.registered == registered


def data_date(con) -> dt.date:
    return queries.dataset_info(con).data_as_of


IN_OFFICE = """m.term_start <= CAST(s.starts_at AS DATE)
               AND coalesce(m.term_end, DATE '9999-12-31') >= CAST(s.starts_at AS DATE)"""


def test_intro_path_equals_plain_sql(con):
    for programme in programmes_to_check(con):
        held_by = data_date(con)
        page = queries.intro_path(con, programme, held_by)
        came_to_intro = {mayor for (mayor,) in con.execute("""
            SELECT DISTINCT r.mayor_id FROM registrations r JOIN sessions s USING (session_id)
            WHERE s.programme_id = ? AND s.audience = 'intro' AND r.status = 'attended'""",
            [programme]).fetchall()}
        plain: dict[tuple[str, str], list[int]] = {}
        for session_id, mayor, newly, registered in con.execute(f"""
                SELECT s.session_id, m.mayor_id, m.newly_elected,
                       count(r.registration_id) FILTER (WHERE r.status <> 'cancelled') > 0
                FROM sessions s JOIN mayors m ON {IN_OFFICE}
                LEFT JOIN registrations r
                       ON r.session_id = s.session_id AND r.mayor_id = m.mayor_id
                WHERE s.programme_id = ? AND s.audience = 'all'
                  AND CAST(s.starts_at AS DATE) <= ?
                GROUP BY ALL""", [programme, held_by]).fetchall():
            path = ("re_elected" if not newly else "newly_elected_intro"
                    if mayor in came_to_intro else "newly_elected_no_intro")
            counts = plain.setdefault((session_id, path), [0, 0])
            counts[0] += 1
            counts[1] += registered
        assert {(r.session_id, r.path): [r.mayors_in_office, r.registered]
                for r in page.itertuples()} == plain
        assert len(plain) >= 2


def test_newly_elected_slipping_equals_plain_sql(con):
    for programme in programmes_to_check(con):
        as_of = data_date(con)
        last_two = [sid for (sid,) in con.execute("""
            SELECT session_id FROM sessions
            WHERE programme_id = ? AND audience = 'all' AND CAST(starts_at AS DATE) <= ?
            ORDER BY starts_at DESC LIMIT 2""", [programme, as_of]).fetchall()]
        plain = set(con.execute(f"""
            WITH absent AS (
                SELECT m.mayor_id FROM mayors m JOIN sessions s ON {IN_OFFICE}
                WHERE m.newly_elected AND list_contains(?, s.session_id)
                GROUP BY 1 HAVING count(*) = len(?)
                   AND NOT EXISTS (SELECT 1 FROM registrations r
                                   WHERE r.mayor_id = m.mayor_id AND r.status = 'attended'
                                     AND list_contains(?, r.session_id)))
            SELECT m.name, count(r.registration_id), max(s.starts_at)
            FROM absent a JOIN mayors m USING (mayor_id)
            LEFT JOIN (registrations r JOIN sessions s USING (session_id))
                   ON r.mayor_id = a.mayor_id AND r.status = 'attended'
                  AND s.programme_id = ?
            GROUP BY 1""", [last_two, last_two, last_two, programme]).fetchall())
        page = queries.newly_elected_slipping(con, programme, as_of)
        got = {(r.mayor, r.sessions_attended,
                None if r.last_attended_at is pd.NaT or r.last_attended_at != r.last_attended_at
                else r.last_attended_at.to_pydatetime())
               for r in page.itertuples()}
        assert got == plain and plain


def test_recent_physical_attendance_equals_plain_sql(con):
    before = data_date(con) + dt.timedelta(days=1)
    page = queries.recent_physical_attendance(con, before)
    plain = dict(con.execute("""
        SELECT r.kommune_code, count(*) FROM registrations r
        WHERE r.status = 'attended' AND r.session_id IN (
            SELECT session_id FROM sessions
            WHERE format <> 'online' AND CAST(starts_at AS DATE) < ?
            ORDER BY starts_at DESC LIMIT 2)
        GROUP BY 1""", [before]).fetchall())
    assert dict(zip(page["kommune_code"], page["attendances"], strict=True)) == plain
    assert len(plain) > 10


def test_the_command_line_reports_what_it_made(tmp_path):
    database = tmp_path / "cli.duckdb"
    run = subprocess.run([sys.executable, "-m", "etl", "demo", "--scale", "300", "--db",
                          str(database), "--out", str(tmp_path / "files")],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "300 tilmeldinger" in run.stdout
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM registrations").fetchone()[0] == 300


def test_replacement_mayors_take_over_within_their_period():
    import random

    from etl.paths import REFERENCE_DIR
    from etl.reference import load_reference

    municipalities = load_reference(REFERENCE_DIR).municipalities
    for period in scale.PERIODS:
        for seed in range(20):
            rng = random.Random(seed)
            mayors = scale._mayors(rng, municipalities, period, scale._unique_names(rng))
            for mayor in mayors:
                assert period[0] <= mayor["term_start"] <= period[1]
                assert mayor["term_end"] is None or mayor["term_end"] <= period[1]
            assert len(mayors) == len(municipalities) + scale.REPLACEMENTS_PER_PERIOD
