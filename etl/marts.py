"""Refresh the pre-aggregated tables after every load, so pages never aggregate a million rows.

The tables and the macros that fill them are in schema.sql; this only runs them. The ETL is
the only writer of the database, and build and import both end here before the integrity
check (which also notices a table left out of date).

A build refreshes every group. An import of registrations refreshes only the groups its rows
touched: each table is grouped by session and one more key at most, so the groups of the
registrations added, changed (before and after) and removed are all that can have changed.
Their rows are deleted and computed again by the same macro, from a view of only the
registrations in those groups (a 500-row export into a million registrations: 0,01 s instead
of 0,4 s).
"""

from __future__ import annotations

import duckdb

# table -> (the macro filling it, the relation it reads by default, the columns of a group)
MARTS = {
    "session_mayor_best": ("best_status_by_mayor", "registrations",
                           ("session_id", "mayor_id")),
    "session_municipality_best": ("best_status_by_municipality", "registrations",
                                  ("session_id", "kommune_code")),
    "session_totals": ("totals_by_session", "registration_facts", ("session_id",)),
}
PRE_AGGREGATED = {table: f"{macro}()" for table, (macro, _, _) in MARTS.items()}
# The columns a table of touched registrations has (`refresh_marts(con, touched=...)`).
TOUCHED_COLUMNS = ("session_id", "mayor_id", "kommune_code")


def refresh_marts(con: duckdb.DuckDBPyConnection, touched: str | None = None) -> None:
    """Fill the pre-aggregated tables from the registrations. `touched`: a table of every
    registration the load added, changed (its values before and after) or removed, as rows of
    TOUCHED_COLUMNS; only their groups are computed again. None: every group (the cheaper
    way when a load touches many of the registrations: `regroup_all`)."""
    for table, (macro, source, keys) in MARTS.items():
        if touched is None:
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} SELECT * FROM {macro}()")
            continue
        columns = ", ".join(keys)
        groups = f"(SELECT DISTINCT {columns} FROM {touched})"
        same = " AND ".join(f"{table}.{k} = g.{k}" for k in keys)
        con.execute(f"DELETE FROM {table} USING {groups} g WHERE {same}")
        # The macro reads its relation by name (query_table): a temporary view of the rows of
        # the touched groups stands in for the whole relation.
        view = f"{table}_touched_rows"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS "
                    f"SELECT * FROM {source} SEMI JOIN {groups} USING ({columns})")
        con.execute(f"INSERT INTO {table} SELECT * FROM {macro}(source := '{view}')")
        con.execute(f"DROP VIEW {view}")


def regroup_all(rows: int, registrations: int) -> bool:
    """Whether a load of `rows` rows into `registrations` stored ones should refresh every
    group rather than record what it touched: more than a tenth (a first big import touches
    them all, and recording a million touched rows costs more than it saves)."""
    return rows * 10 > registrations
