"""`python -m etl build`: what it loads, that it records itself, and that it is atomic."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from etl import build as build_module
from etl import demo
from etl.build import build_database
from etl.errors import SourceError
from etl.paths import PROJECT_ROOT, REFERENCE_DIR

CONTENT_TABLES = ("municipalities", "prices", "programmes", "sessions", "mayors",
                  "registrations", "dataset_info")


def snapshot(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
                for table in CONTENT_TABLES}


def test_the_demo_build_loads_everything_and_says_it_is_demo(demo_database):
    with duckdb.connect(str(demo_database), read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in CONTENT_TABLES}
        info = dict(con.execute("SELECT key, value FROM dataset_info").fetchall())
        runs = con.execute("SELECT command, source, sha256, rows_read, rows_loaded, "
                           "rows_rejected, outcome FROM import_runs").fetchall()
        demo_venues = con.execute("SELECT count(*) FROM sessions WHERE venue_is_demo").fetchone()
        unpriced = con.execute("SELECT format FROM sessions WHERE price_ex_vat IS NULL "
                               "GROUP BY ALL").fetchall()
    # The brochure's 10 sessions and the demo 2026-2029 programme's own (etl.demo).
    assert counts["municipalities"] == 98 and counts["sessions"] == 10 + len(demo.DEMO_SESSIONS)
    assert counts["mayors"] > 98 and counts["registrations"] > 300
    assert info["is_demo"] == "true"
    sources = {source.rsplit("/", 1)[-1]: (rows_read, rows_loaded, sha)
               for _, source, sha, rows_read, rows_loaded, _, _ in runs}
    assert sources["municipalities.csv"][:2] == (98, 98)
    assert sources["registrations.csv"][:2] == (counts["registrations"],) * 2
    assert all(len(sha) == 64 for *_, sha in sources.values())
    assert {r[0] for r in runs} == {"build"} and {r[6] for r in runs} == {"loaded"}
    # Every physical session but the brochure's December 2022, and the demo programme's.
    assert demo_venues == (7 + sum(venue is not None for *_, venue in demo.DEMO_SESSIONS),)
    assert unpriced == [("online",)]


def test_building_twice_gives_the_same_content(tmp_path, demo_database):
    again = tmp_path / "again.duckdb"
    build_database(again, demo_dir=tmp_path / "demo")
    assert snapshot(again) == snapshot(demo_database)


def test_a_build_that_fails_half_way_leaves_the_old_file_byte_identical(
        tmp_path, demo_database, monkeypatch):
    target = tmp_path / "borgmester.duckdb"
    shutil.copy(demo_database, target)
    before = target.read_bytes()
    real_insert = build_module.insert_rows

    def insert_then_fail(con, table, rows):
        real_insert(con, table, rows)
        if table == "mayors":  # after the reference tables, before the registrations
            raise RuntimeError("simulated crash half-way")

    monkeypatch.setattr(build_module, "insert_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="half-way"):
        build_database(target, demo_dir=tmp_path / "demo")
    assert target.read_bytes() == before
    # No half-built file is left beside it (the lock file stays, empty, for the next writer).
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".borgmester.duckdb.lock", "borgmester.duckdb", "demo"]


def test_bad_reference_data_changes_nothing(tmp_path, demo_database):
    target = tmp_path / "borgmester.duckdb"
    shutil.copy(demo_database, target)
    before = target.read_bytes()
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    sessions = reference / "sessions.csv"
    sessions.write_text(sessions.read_text(encoding="utf-8").replace(",day,", ",dag,", 1),
                        encoding="utf-8")
    with pytest.raises(SourceError):
        build_database(target, reference_dir=reference, demo_dir=tmp_path / "demo")
    assert target.read_bytes() == before


def test_without_demo_data_the_database_holds_only_reference_facts(tmp_path):
    path = tmp_path / "reference-only.duckdb"
    result = build_database(path, with_demo=False)
    assert not result.is_demo
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM dataset_info WHERE key = 'is_demo'").fetchone() \
            == ("false",)
        assert con.execute("SELECT count(*) FROM registrations").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM sessions WHERE venue IS NOT NULL").fetchone() \
            == (1,)


def test_the_command_line_reports_errors_with_file_and_line(tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    prices = reference / "prices.csv"
    prices.write_text(prices.read_text(encoding="utf-8").replace("5300.00", "5300 kr"),
                      encoding="utf-8")
    target = tmp_path / "cli.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--db", str(target), "--reference",
         str(reference), "--demo-dir", str(tmp_path / "demo")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "prices.csv, linje 2, kolonne price_ex_vat" in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()

    done = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--db", str(target),
         "--demo-dir", str(tmp_path / "demo")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "registrations" in done.stdout and target.exists()
