"""Bring a database built with an older data model up to the current one, keeping its data.

Tables only grow (tables and columns are added, nothing is renamed), so an upgrade is a
rebuild of the schema with the old file's rows copied across: a new file is made from
etl/schema.sql (so its views and macros are the current ones, and one the schema no longer
has is gone), every table's rows are copied column by column from the old file, the
pre-aggregated tables are refilled, the integrity check runs, and only then is the new file
swapped in, under the same lock as build and import. Killed at any moment, it leaves the old
file as it was.

It also brings the shipped reference facts (data/reference/: municipalities, venue candidates,
the default price list, the brochure's programmes and their sessions) up to date on a
database holding real data, which `etl build` refuses to replace: each shipped row replaces
the copied row with its key, or is added; nothing else is touched. A shipped programme whose
schedule was imported (`imported_programmes`) is left as it is, and no session is removed.
A database with no municipality boundaries at all (built before they were shipped, or from
a folder without them) gets the shipped ones (data/reference/municipality_boundaries.geojson);
one that has boundaries, the shipped ones or a user's own from `etl boundaries`, keeps them.
When neither the model nor a reference row changed, nothing is swapped in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from etl import canonical
from etl.build import TABLE_COLUMNS, assemble_tables, shipped_boundaries
from etl.errors import SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.integrity import assert_integrity
from etl.marts import PRE_AGGREGATED, refresh_marts
from etl.paths import REFERENCE_DIR, SCHEMA_FILE
from etl.reference import ReferenceData, load_reference
from etl.schema_check import missing_from_model


@dataclass
class UpgradeResult:
    added: list[str]            # what the model had and the database lacked
    rows: dict[str, int]        # rows copied per table
    # reference table -> rows (by key) that the shipped reference data added or changed
    refreshed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or any(self.refreshed.values()))


# The shipped reference tables an upgrade refreshes, with their keys, in the schema's order.
REFRESHED = {"municipalities": "kommune_code", "prices": "format",
             "programmes": "programme_id", "sessions": "session_id",
             "venue_candidates": "city"}
# Of these, the ones a programme's schedule may have come from an import instead.
PER_PROGRAMME = ("programmes", "sessions")


def upgrade_database(database: Path, reference_dir: Path = REFERENCE_DIR) -> UpgradeResult:
    """Bring `database` to the current data model and the reference facts of
    `reference_dir`, keeping every other row; swap in the result only when something changed.
    Raises SourceError for a reference file's problem or a row the new model refuses
    (nothing changed), IntegrityError when the result would break a key."""
    database = Path(database)
    reference = load_reference(reference_dir)
    added = missing_from_model(database)
    started = dt.datetime.now()
    with next_version(database, "upgrade", from_current=False) as version:
        con = version.con
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        con.execute("ATTACH ? AS upgrade_source (READ_ONLY)", [str(database)])
        _stage_reference(con, reference)
        rows = _copy_tables(con, database)
        refreshed = {table: _changed_rows(con, table, key) for table, key in REFRESHED.items()}
        refreshed["municipality_boundaries"] = _add_shipped_boundaries(con, reference_dir)
        con.execute("DETACH upgrade_source")
        if "mayor_terms" not in rows:
            rows["mayor_terms"] = _terms_from_mayors(con)
        result = UpgradeResult(added, rows, refreshed)
        if not result.changed:
            version.keep = False  # nothing to swap in: the file stays byte for byte
            return result
        version.runs_before = _continue_run_ids(con)
        refresh_marts(con)
        record_run(con, "upgrade", display_path(database), sum(rows.values()),
                   sum(rows.values()), started, _message(result))
        assert_integrity(con)
    return result


def _message(result: UpgradeResult) -> str:
    parts = []
    if result.added:
        parts.append("datamodellen opgraderet; tilføjet eller fornyet: "
                     + ", ".join(result.added))
    changed = [f"{table} {rows}" for table, rows in result.refreshed.items() if rows]
    if changed:
        parts.append("referencedata opdateret (rækker): " + ", ".join(changed))
    return "; ".join(parts)


def _stage_reference(con: duckdb.DuckDBPyConnection, reference: ReferenceData) -> None:
    """The shipped rows as temp tables `ref_TABLE`, shaped like the model's tables, holding
    only the rows that apply (a programme's rows only when its schedule was not imported)."""
    tables = assemble_tables(reference, {key: [] for key in canonical.FILES})
    for table in REFRESHED:
        con.execute(f"CREATE TEMP TABLE ref_{table} AS SELECT * FROM main.{table} LIMIT 0")
        columns = TABLE_COLUMNS[table]
        quoted = ", ".join(f'"{c}"' for c in columns)
        # One INSERT from a data frame, not one per row: a scaled history's 21.000 sessions
        # took 23 s row by row, 0,1 s this way.
        rows = pd.DataFrame([[_plain(row.get(c)) for c in columns] for row in tables[table]],
                            columns=columns, dtype=object)
        con.register("shipped_rows", rows)
        con.execute(f"INSERT INTO temp.ref_{table} ({quoted}) SELECT {quoted} FROM shipped_rows")
        con.unregister("shipped_rows")
    imported = imported_programmes(con)
    for table in PER_PROGRAMME:
        con.execute(f"DELETE FROM temp.ref_{table} WHERE list_contains(?::VARCHAR[], programme_id)",
                    [sorted(imported)])
    if "venue_is_demo" in _columns(con, "'upgrade_source'", "sessions"):
        # A demo database's invented venues stay where the reference gives none (as in build).
        con.execute("""UPDATE temp.ref_sessions r SET venue = o.venue, city = o.city,
                           lat = o.lat, lon = o.lon, venue_is_demo = true
                       FROM upgrade_source.main.sessions o
                       WHERE o.session_id = r.session_id AND r.lat IS NULL
                         AND o.venue_is_demo""")


def _add_shipped_boundaries(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> int:
    """The shipped outlines, into a database that copied none across (never over a user's own
    from `etl boundaries`, nor over the shipped ones already there). Returns how many were
    added."""
    (present,) = con.execute("SELECT count(*) FROM municipality_boundaries").fetchone()
    if present:
        return 0
    codes = {code for (code,) in con.execute("SELECT kommune_code FROM municipalities")
             .fetchall()}
    rows = sorted(shipped_boundaries(reference_dir, codes).items())
    if rows:  # DuckDB refuses executemany with no rows (a folder without them)
        con.executemany("INSERT INTO municipality_boundaries VALUES (?, ?)", rows)
    return len(rows)


def _plain(value):
    """A reference value as a data frame holds it for DuckDB: money (Decimal) as its text,
    which DuckDB casts to the column's DECIMAL exactly."""
    return str(value) if isinstance(value, Decimal) else value


def imported_programmes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The programmes (ids) of the old database (attached as upgrade_source) whose schedule
    came from an import rather than from the shipped files, which the upgrade leaves alone:
    those with a session the shipped sessions.csv does not have (a schedule import adds
    its own; the shipped file's programme is then KL's to keep)."""
    return {programme for (programme,) in con.execute(
        "SELECT DISTINCT programme_id FROM upgrade_source.main.sessions "
        "WHERE session_id NOT IN (SELECT session_id FROM temp.ref_sessions)").fetchall()}


def _copy_tables(con: duckdb.DuckDBPyConnection, database: Path) -> dict[str, int]:
    """Copy every table's rows from the old file, in the order the schema creates the
    tables (so a reference always finds its target), taking the columns both files have;
    a reference table's shipped rows then replace the copied ones with their key (before
    any child row is copied, so no reference stands in the way)."""
    tables = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND NOT temporary ORDER BY table_oid").fetchall() if name not in PRE_AGGREGATED]
    rows = {}
    for table in tables:
        new_columns = _columns(con, "current_database()", table)
        old_columns = set(_columns(con, "'upgrade_source'", table))
        shared = [column for column in new_columns if column in old_columns]
        columns = ", ".join(f'"{column}"' for column in shared)
        try:
            if shared:
                con.execute(f'INSERT INTO main."{table}" ({columns}) '
                            f'SELECT {columns} FROM upgrade_source.main."{table}"')
            if table in REFRESHED:
                key = REFRESHED[table]
                con.execute(f'DELETE FROM main."{table}" WHERE "{key}" IN '
                            f'(SELECT "{key}" FROM temp."ref_{table}")')
                # The shipped files' columns only: a column they do not carry (e.g.
                # programmes.uses_shipped_prices) takes the schema's default.
                shipped = ", ".join(f'"{c}"' for c in TABLE_COLUMNS[table])
                con.execute(f'INSERT INTO main."{table}" ({shipped}) '
                            f'SELECT {shipped} FROM temp."ref_{table}"')
        except duckdb.ConstraintException as error:
            raise SourceError([SourceProblem(
                display_path(database), None, table,
                "upgrade_needs_value", {"detail": error})]) from None
        if shared or table in REFRESHED:
            (rows[table],) = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()
    return rows


def _changed_rows(con: duckdb.DuckDBPyConnection, table: str, key: str) -> int:
    """How many rows (keys) of `table` differ from the old file's, on the columns both
    have: added, changed or (never, by the rule above) removed."""
    old_columns = set(_columns(con, "'upgrade_source'", table))
    shared = [c for c in _columns(con, "current_database()", table) if c in old_columns]
    if key not in shared:
        return 0
    columns = ", ".join(f'"{column}"' for column in shared)
    new, old = f'main."{table}"', f'upgrade_source.main."{table}"'
    return con.execute(f'SELECT count(DISTINCT "{key}") FROM ('
                       f'(SELECT {columns} FROM {new} EXCEPT SELECT {columns} FROM {old}) '
                       f'UNION ALL '
                       f'(SELECT {columns} FROM {old} EXCEPT SELECT {columns} FROM {new}))'
                       ).fetchone()[0]


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


def _continue_run_ids(con: duckdb.DuckDBPyConnection) -> int:
    """The copied audit rows keep their run ids: the sequence must go on after them.
    Returns the last copied run id (the upgrade's own rows come after it)."""
    (last,) = con.execute("SELECT coalesce(max(run_id), 0) FROM import_runs").fetchone()
    if last:
        con.execute("SELECT max(nextval('import_run_ids')) FROM range(?)", [last])
    return last
