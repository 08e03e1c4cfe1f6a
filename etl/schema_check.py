"""Whether a database file was built with the current data model (etl/schema.sql).

A database built by an older checkout lacks what newer pages read (a new pre-aggregated
table, a new column, a new mart macro); opened as it is, those pages would fail one by one.
Or it has an older version of a view or macro (a business rule changed in etl/schema.sql),
and its pages would show the old rule's numbers. Start-up asks here first: a demo database
is upgraded on the spot (etl/upgrade.py), a real one is refused with the command that
upgrades it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem, display_path
from etl.paths import SCHEMA_FILE
from etl.reasons import render

_COLUMNS = "SELECT table_name, column_name FROM information_schema.columns"
# The product's own macros and their parameters: a macro that gained one (the pre-aggregated
# tables' macros take the relation they read, etl/marts.py) is missing from an older file.
_MACROS = ("SELECT function_name || '(' || array_to_string(parameters, ', ') || ')', NULL "
           "FROM duckdb_functions() WHERE NOT internal AND database_name = current_database() "
           "AND function_type IN ('macro', 'table_macro')")


# Each view's and macro's definition as DuckDB keeps it (its own rendering of the SQL, without
# comments or layout, so a comment edited in schema.sql is no change; the same text after a
# backup is restored), by the name missing_from_model gives it.
_DEFINITIONS = ("SELECT view_name, sql FROM duckdb_views() "
                "WHERE NOT internal AND database_name = current_database() "
                "UNION ALL "
                "SELECT function_name || '(' || array_to_string(parameters, ', ') || ')', "
                "macro_definition || ' ' || CAST(parameter_types AS VARCHAR) "
                "FROM duckdb_functions() WHERE NOT internal "
                "AND database_name = current_database() "
                "AND function_type IN ('macro', 'table_macro')")


def missing_from_model(database: Path) -> list[str]:
    """The tables, views and macros (as `name`, `name.column` or `macro(parameters)`) the
    data model has and the database lacks, or has in an older version (a view or macro
    defined otherwise); empty when it is current. Extra objects in the database are fine."""
    with duckdb.connect() as model:
        model.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        wanted = set(model.execute(_COLUMNS).fetchall() + model.execute(_MACROS).fetchall())
        definitions = dict(model.execute(_DEFINITIONS).fetchall())
    with duckdb.connect(str(database), read_only=True) as con:
        present = set(con.execute(_COLUMNS).fetchall() + con.execute(_MACROS).fetchall())
        present_definitions = dict(con.execute(_DEFINITIONS).fetchall())
    tables = {table for table, _ in present}
    missing = {table if table not in tables else f"{table}.{column}"
               for table, column in wanted - present}
    changed = {name for name, definition in definitions.items()
               if name in present_definitions and present_definitions[name] != definition}
    return sorted(missing | changed)


def is_demo(database: Path) -> bool:
    """Whether the file holds demo data (a file without dataset_info counts as real)."""
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            row = con.execute("SELECT value FROM dataset_info WHERE key = 'is_demo'").fetchone()
        except duckdb.CatalogException:
            return False
    return row is not None and row[0] == "true"


def outdated_message(database: Path, missing: list[str]) -> str:
    return f"{database} {_outdated(database, missing)}"


def _outdated(database: Path, missing: list[str]) -> str:
    return render("database_outdated", _outdated_params(database, missing))


def _outdated_params(database: Path, missing: list[str]) -> dict[str, str]:
    return {"missing": ", ".join(missing), "database": str(database)}


def require_current_model(database: Path) -> None:
    """Refuse to write to a database from an older data model (the ETL commands)."""
    missing = missing_from_model(database)
    if missing:
        raise SourceError([SourceProblem(display_path(database), None, None,
                                         "database_outdated",
                                         _outdated_params(database, missing))])
