"""The scaled demo (`python -m etl demo --scale N`): its files pass the importer, and on it the
pages' numbers equal what plain SQL over the base tables gives."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb
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
