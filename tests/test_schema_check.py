"""A database from an older data model is noticed at start-up: demo rebuilt, real refused."""

from __future__ import annotations

import shutil

import click
import duckdb
import pytest

from dashboard.__main__ import _ensure_current_model
from etl.schema_check import is_demo, missing_from_model


@pytest.fixture
def copy_of_demo(demo_database, tmp_path):
    copy = tmp_path / "old.duckdb"
    shutil.copy(demo_database, copy)
    return copy


def make_old(database, *statements):
    with duckdb.connect(str(database)) as con:
        for statement in statements:
            con.execute(statement)


def test_a_database_built_now_has_the_whole_model(demo_database):
    assert missing_from_model(demo_database) == []


def test_a_missing_table_and_a_missing_column_are_named(copy_of_demo):
    make_old(copy_of_demo, "DROP VIEW revenue_by_format", "DROP VIEW revenue_by_session",
             "DROP VIEW session_geography", "DROP TABLE session_totals",
             "ALTER TABLE sessions DROP COLUMN capacity")
    assert missing_from_model(copy_of_demo) == [
        "revenue_by_format", "revenue_by_session", "session_geography", "session_totals",
        "sessions.capacity"]


def test_an_old_demo_database_is_rebuilt_at_start(copy_of_demo, capsys):
    make_old(copy_of_demo, "DROP VIEW integrity_problems", "DROP TABLE session_totals")
    _ensure_current_model(copy_of_demo)
    assert missing_from_model(copy_of_demo) == []
    assert "ældre datamodel (mangler integrity_problems, session_totals)" in \
        capsys.readouterr().out


def test_an_old_real_database_is_refused_and_left_alone(copy_of_demo):
    make_old(copy_of_demo, "UPDATE dataset_info SET value = 'false' WHERE key = 'is_demo'",
             "DROP VIEW integrity_problems", "DROP TABLE session_totals")
    before = copy_of_demo.read_bytes()
    assert not is_demo(copy_of_demo)
    with pytest.raises(click.ClickException, match=r"mangler integrity_problems, "
                       r"session_totals\).*python -m etl build --no-demo"):
        _ensure_current_model(copy_of_demo)
    assert copy_of_demo.read_bytes() == before
