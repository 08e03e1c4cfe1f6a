"""The last check before a database is swapped in: every key unique, every reference known."""

from __future__ import annotations

import duckdb


class IntegrityError(RuntimeError):
    """A load would leave broken keys or references: a bug in the ETL, never swapped in."""


def assert_integrity(con: duckdb.DuckDBPyConnection) -> None:
    problems = con.execute("SELECT problem, key FROM integrity_problems LIMIT 20").fetchall()
    if problems:
        listed = "; ".join(f"{problem}: {key}" for problem, key in problems)
        raise IntegrityError(f"databasen blev ikke skiftet ud, fordi {listed}")
