"""Refresh the pre-aggregated tables after every load, so pages never aggregate a million rows.

The tables and the macros that fill them are in schema.sql; this only runs them. The ETL is
the only writer of the database, and build and import both end here before the integrity
check (which also notices a table left out of date).
"""

from __future__ import annotations

import duckdb

PRE_AGGREGATED = {
    "session_mayor_best": "best_status_by_mayor()",
    "session_municipality_best": "best_status_by_municipality()",
    "session_totals": "totals_by_session()",
}


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    for table, source in PRE_AGGREGATED.items():
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT * FROM {source}")
