"""A database from an older data model: noticed, upgraded keeping its data, or refused."""

from __future__ import annotations

import shutil
import subprocess
import sys

import click
import duckdb
import pytest

from dashboard.__main__ import _ensure_current_model
from etl.errors import SourceError
from etl.integrity import IntegrityError
from etl.paths import PROJECT_ROOT
from etl.schema_check import is_demo, missing_from_model
from etl.upgrade import upgrade_database

# What an older checkout's database looked like: no session_totals (and so not the view
# that checks it), and no capacity on sessions.
OLDER_MODEL = ("DROP VIEW integrity_problems", "DROP TABLE session_totals",
               "ALTER TABLE sessions DROP COLUMN capacity")
ADDED = ["integrity_problems", "session_totals", "sessions.capacity"]


@pytest.fixture
def old_demo(demo_database, tmp_path):
    copy = tmp_path / "old.duckdb"
    shutil.copy(demo_database, copy)
    change(copy, *OLDER_MODEL)
    return copy


def change(database, *statements):
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)


def counts(database) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name NOT LIKE 'session_%'"
        ).fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_database_built_now_has_the_whole_model(demo_database):
    assert missing_from_model(demo_database) == []


def test_missing_tables_views_and_columns_are_named(old_demo):
    assert missing_from_model(old_demo) == ADDED


def test_an_upgrade_keeps_every_row_and_adds_what_is_missing(old_demo):
    # A user's own boundary for one municipality, beside the shipped ones.
    change(old_demo, "DELETE FROM municipality_boundaries WHERE kommune_code = 101")
    change(old_demo, "INSERT INTO municipality_boundaries VALUES "
                     "(101, '{\"type\":\"Polygon\",\"coordinates\":[]}')")
    before = counts(old_demo)
    with duckdb.connect(str(old_demo), read_only=True) as con:
        (last_run,) = con.execute("SELECT max(run_id) FROM import_runs").fetchone()

    result = upgrade_database(old_demo)

    assert result.added == ADDED and result.rows["registrations"] == before["registrations"]
    assert missing_from_model(old_demo) == []
    after = counts(old_demo)
    assert after == {**before, "import_runs": before["import_runs"] + 1}
    with duckdb.connect(str(old_demo), read_only=True) as con:
        assert con.execute("SELECT run_id, command FROM import_runs ORDER BY run_id DESC "
                           "LIMIT 1").fetchone() == (last_run + 1, "upgrade")
        assert con.execute("SELECT * FROM session_totals ORDER BY session_id").fetchall() == \
            con.execute("SELECT * FROM totals_by_session() ORDER BY session_id").fetchall()
        assert con.execute("SELECT count(*) FROM integrity_problems").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM sessions WHERE capacity IS NOT NULL"
                           ).fetchone() == (0,)  # a new column starts empty


def test_upgrading_a_current_database_changes_nothing(demo_database, tmp_path):
    copy = tmp_path / "current.duckdb"
    shutil.copy(demo_database, copy)
    before = copy.read_bytes()
    assert upgrade_database(copy).added == []
    assert copy.read_bytes() == before


def test_a_failed_upgrade_leaves_the_old_file_as_it_was(old_demo):
    change(old_demo, "UPDATE registrations SET mayor_id = 'nobody' WHERE rowid = 0")
    before = old_demo.read_bytes()
    with pytest.raises(IntegrityError, match="unknown mayor"):
        upgrade_database(old_demo)
    assert old_demo.read_bytes() == before
    assert sorted(p.name for p in old_demo.parent.iterdir()) == [".old.duckdb.lock", "old.duckdb"]


def test_the_upgrade_command(old_demo):
    done = subprocess.run([sys.executable, "-m", "etl", "upgrade", "--db", str(old_demo)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "opgraderet: tilføjet eller fornyet integrity_problems" in done.stdout
    assert missing_from_model(old_demo) == []


def test_an_old_demo_database_is_upgraded_at_start(old_demo, capsys):
    registrations = counts(old_demo)["registrations"]
    _ensure_current_model(old_demo)
    assert missing_from_model(old_demo) == []
    assert counts(old_demo)["registrations"] == registrations
    assert ("ældre datamodel (mangler eller har en ældre udgave af integrity_problems,"
            in capsys.readouterr().out)


def test_an_old_real_database_is_refused_at_start_and_left_alone(old_demo):
    change(old_demo, "UPDATE dataset_info SET value = 'false' WHERE key = 'is_demo'")
    before = old_demo.read_bytes()
    assert not is_demo(old_demo)
    with pytest.raises(click.ClickException,
                       match=r"ældre udgave af integrity_problems.*python -m etl upgrade --db"):
        _ensure_current_model(old_demo)
    assert old_demo.read_bytes() == before


def test_an_import_into_an_old_database_is_refused(old_demo, tmp_path):
    from etl.importer import import_files

    export = tmp_path / "tilmeldinger.csv"
    export.write_text("Session;Kommune;Navn;Tilmeldt;Status\n"
                      "LKS2022-01;Aarhus;Ny Person;01-04-2022;tilmeldt\n", encoding="utf-8")
    before = old_demo.read_bytes()
    with pytest.raises(SourceError, match="python -m etl upgrade"):
        import_files(old_demo, [export])
    assert old_demo.read_bytes() == before


def test_a_macro_without_its_newer_parameter_is_missing_from_the_model(demo_database, tmp_path):
    """The pre-aggregated tables' macros take the relation they read (an import refreshes
    only what it touched): a file from before that has the macros without it, and is older."""
    copy = tmp_path / "old-macros.duckdb"
    shutil.copy(demo_database, copy)
    assert missing_from_model(copy) == []
    change(copy, """CREATE OR REPLACE MACRO best_status_by_mayor() AS TABLE
        SELECT session_id, mayor_id, max(status_rank(status)) AS rank, count(*) AS registrations
        FROM registrations GROUP BY session_id, mayor_id ORDER BY session_id""")
    assert missing_from_model(copy) == ["best_status_by_mayor(source)"]
    upgrade_database(copy)
    assert missing_from_model(copy) == []


@pytest.fixture
def without_boundaries(tmp_path):
    """`etl build` from the shipped reference folder minus its boundaries: a database as
    one built before they were shipped (its maps draw town halls)."""
    from etl.boundaries import BOUNDARIES_FILE
    from etl.build import build_database
    from etl.paths import REFERENCE_DIR

    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference,
                    ignore=shutil.ignore_patterns(BOUNDARIES_FILE))
    database = tmp_path / "db" / "borgmester.duckdb"
    build_database(database, reference_dir=reference, demo_dir=tmp_path / "demo")
    return database


def boundaries_in(database) -> dict[int, str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(con.execute("SELECT kommune_code, geojson FROM municipality_boundaries")
                    .fetchall())


def test_the_upgrade_brings_the_shipped_boundaries_to_a_database_without_any(
        without_boundaries, demo_database):
    assert boundaries_in(without_boundaries) == {}
    result = upgrade_database(without_boundaries)
    assert result.changed and result.refreshed["municipality_boundaries"] == 98
    # The same outlines a build from the full reference folder stores.
    assert boundaries_in(without_boundaries) == boundaries_in(demo_database)
    with duckdb.connect(str(without_boundaries), read_only=True) as con:
        (message,) = con.execute("SELECT message FROM import_runs WHERE command = "
                                 "'upgrade' ORDER BY run_id DESC LIMIT 1").fetchone()
    assert "municipality_boundaries 98" in message
    # Once there, a second upgrade has nothing to do.
    assert not upgrade_database(without_boundaries).changed


def test_the_upgrade_leaves_a_users_own_boundaries_alone(without_boundaries, tmp_path):
    import json

    from etl.boundaries import BOUNDARIES_FILE, load_boundaries
    from etl.paths import REFERENCE_DIR

    # `etl boundaries` with a file of the user's own: one municipality (Kolding) only.
    shipped = json.loads((REFERENCE_DIR / BOUNDARIES_FILE).read_text(encoding="utf-8"))
    own = {**shipped, "features": [f for f in shipped["features"]
                                   if int(f["properties"]["KOMKODE"]) == 621]}
    path = tmp_path / "own.geojson"
    path.write_text(json.dumps(own), encoding="utf-8")
    load_boundaries(without_boundaries, path, tolerance=0)
    before = boundaries_in(without_boundaries)
    assert list(before) == [621]
    result = upgrade_database(without_boundaries)
    assert result.refreshed["municipality_boundaries"] == 0
    assert boundaries_in(without_boundaries) == before
