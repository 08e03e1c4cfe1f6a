"""Bring a database built with an older data model up to the current one, keeping its data.

The data model only grows (tables and columns are added, nothing is renamed), so an upgrade
is a rebuild of the schema with the old file's rows copied across: a new file is made from
etl/schema.sql, every table's rows are copied column by column from the old file, the
pre-aggregated tables are refilled, the integrity check runs, and only then is the new file
swapped in, under the same lock as build and import. Killed at any moment, it leaves the old
file as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.integrity import assert_integrity
from etl.marts import PRE_AGGREGATED, refresh_marts
from etl.paths import SCHEMA_FILE
from etl.schema_check import missing_from_model


@dataclass
class UpgradeResult:
    added: list[str]            # what the model had and the database lacked
    rows: dict[str, int]        # rows copied per table


def upgrade_database(database: Path) -> UpgradeResult:
    database = Path(database)
    added = missing_from_model(database)
    if not added:
        return UpgradeResult([], {})
    started = dt.datetime.now()
    with next_version(database, "upgrade", from_current=False) as version:
        con = version.con
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        con.execute("ATTACH ? AS upgrade_source (READ_ONLY)", [str(database)])
        rows = _copy_tables(con, database)
        con.execute("DETACH upgrade_source")
        if "mayor_terms" not in rows:
            rows["mayor_terms"] = _terms_from_mayors(con)
        _continue_run_ids(con)
        refresh_marts(con)
        record_run(con, "upgrade", display_path(database), sum(rows.values()),
                   sum(rows.values()), started,
                   "datamodellen opgraderet; tilføjet: " + ", ".join(added))
        assert_integrity(con)
    return UpgradeResult(added, rows)


def _copy_tables(con: duckdb.DuckDBPyConnection, database: Path) -> dict[str, int]:
    """Copy every table's rows from the old file, in the order the schema creates the
    tables (so a reference always finds its target), taking the columns both files have."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "ORDER BY table_oid").fetchall() if name not in PRE_AGGREGATED]
    rows = {}
    for table in tables:
        new_columns = _columns(con, "current_database()", table)
        old_columns = set(_columns(con, "'upgrade_source'", table))
        shared = [column for column in new_columns if column in old_columns]
        if not shared:
            continue  # a table the old model did not have: it starts empty
        columns = ", ".join(f'"{column}"' for column in shared)
        try:
            con.execute(f'INSERT INTO main."{table}" ({columns}) '
                        f'SELECT {columns} FROM upgrade_source.main."{table}"')
        except duckdb.ConstraintException as error:
            raise SourceError([SourceProblem(
                display_path(database), None, table,
                "upgrade_needs_value", {"detail": error})]) from None
        (rows[table],) = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()
    return rows


def _terms_from_mayors(con: duckdb.DuckDBPyConnection) -> int:
    """A database from before mayor_terms held one term per person, in its mayors row: that
    row becomes the person's one term. Returns how many terms were made."""
    (made,) = con.execute("""
        INSERT INTO mayor_terms (mayor_id, kommune_code, party, term_start, term_end,
                                 newly_elected)
        SELECT mayor_id, kommune_code, party, term_start, term_end, newly_elected
        FROM mayors""").fetchone()
    return made


def _columns(con: duckdb.DuckDBPyConnection, database_sql: str, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        f"SELECT column_name FROM duckdb_columns() WHERE database_name = {database_sql} "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]


def _continue_run_ids(con: duckdb.DuckDBPyConnection) -> None:
    """The copied audit rows keep their run ids: the sequence must go on after them."""
    (last,) = con.execute("SELECT coalesce(max(run_id), 0) FROM import_runs").fetchone()
    if last:
        con.execute("SELECT max(nextval('import_run_ids')) FROM range(?)", [last])
