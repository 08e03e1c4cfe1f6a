"""`python -m etl backup DIR` and `python -m etl restore --backup DIR`: a complete copy of
the database that a person can read without this product.

The backup is DuckDB's EXPORT DATABASE in CSV: one `TABLE.csv` per table (UTF-8, comma,
header line, ISO dates), `schema.sql` (the tables, sequence, views and macros as SQL) and
`load.sql` (how each CSV is read back), plus a README.txt saying what it is and how to
restore it. `load.sql` is rewritten to name the CSV files without a folder, so the backup
can be moved. DuckDB's own IMPORT DATABASE cannot read it back (it writes the views in
alphabetical order, not in the order they use each other), so restoring runs schema.sql's
statements until each has found what it uses, then load.sql, into a new file swapped in
through etl.files.next_version (the file replaced is kept as a version).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.integrity import assert_integrity
from etl.versions import COUNTED, last_run_id

REQUIRED = ("schema.sql", "load.sql")
# A line of load.sql: COPY table FROM 'path' (options);
_COPY = re.compile(r"COPY (?P<table>\S+) FROM '(?P<path>(?:[^']|'')*)'(?P<options>.*);\s*$")

README = """Sikkerhedskopi af borgmesterdashboardets database
===================================================

Skrevet {when} af `python -m etl backup` fra {database}.

Hver tabel ligger i sin egen CSV-fil (TABEL.csv: UTF-8, komma som skilletegn, en
overskriftslinje, datoer som 2026-11-30), som kan åbnes i Excel, LibreOffice eller en
teksteditor uden dashboardet. schema.sql beskriver tabellerne (kolonner, typer, nøgler)
og visningerne som SQL; load.sql siger, hvordan hver CSV-fil læses ind igen.

Tabeller ({tables}): {listing}

Genskab den som databasen (den nuværende fil gemmes som en version og kan fortrydes):

    python -m etl restore --backup {folder} --db data/borgmester.duckdb

Backup of the mayors' dashboard database: one CSV file per table (UTF-8, comma, a header
line), the data model in schema.sql, how to read each file back in load.sql. Restore with
`python -m etl restore --backup FOLDER --db FILE`.
"""


def write_backup(database: Path, folder: Path) -> dict[str, int]:
    """Write every table of `database` into `folder` (new, or empty) as CSV with schema.sql,
    load.sql and README.txt. Returns {table: rows}. Raises SourceError
    (backup_folder_not_empty) when `folder` holds anything."""
    database, folder = Path(database), Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SourceError([SourceProblem(display_path(folder), None, None,
                                         "backup_folder_not_empty")])
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"EXPORT DATABASE {_quoted(folder.resolve())} (FORMAT csv, HEADER true)")
        tables = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for (name,) in con.execute(
                      "SELECT table_name FROM duckdb_tables() WHERE database_name = "
                      "current_database() ORDER BY table_name").fetchall()}
    load = folder / "load.sql"
    load.write_text("".join(_relative(line) for line in
                            load.read_text(encoding="utf-8").splitlines(keepends=True)),
                    encoding="utf-8")
    (folder / "README.txt").write_text(README.format(
        when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), database=display_path(database),
        tables=len(tables), listing=", ".join(f"{name} ({rows})" for name, rows in
                                              tables.items()),
        folder=display_path(folder)), encoding="utf-8")
    return tables


def restore_backup(database: Path, folder: Path) -> dict[str, int]:
    """Make `database` the backup in `folder` (written by `write_backup`), swapping it in
    whole with a `restore` line added to its import_runs; the file replaced is kept as a
    version. Returns the counts of etl.versions.COUNTED. Raises SourceError
    (backup_incomplete) when the folder lacks schema.sql, load.sql or a CSV file it names."""
    database, folder = Path(database), Path(folder)
    copies = [_COPY.match(line) for line in _lines(folder, "load.sql")]
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    missing += [Path(match["path"]).name for match in copies
                if match and not (folder / Path(match["path"].replace("''", "'")).name).is_file()]
    if missing:
        raise SourceError([SourceProblem(display_path(folder), None, None,
                                         "backup_incomplete", {"missing": ", ".join(missing)})])
    started = dt.datetime.now()
    with next_version(database, "restore", from_current=False) as version:
        con = version.con
        statements = _statements(_lines(folder, "schema.sql"))
        later = [s for s in statements if not s.startswith(("CREATE TABLE", "CREATE SEQUENCE"))]
        for statement in statements:
            if statement not in later:
                con.execute(statement)
        for match in filter(None, copies):
            path = folder / Path(match["path"].replace("''", "'")).name
            con.execute(f"COPY {match['table']} FROM {_quoted(path.resolve())}"
                        f"{match['options']}")
        _create_in_dependency_order(con, later)
        version.runs_before = last_run_id(con)
        _continue_sequence(con)
        record_run(con, "restore", display_path(folder), 0, 0, started,
                   f"sikkerhedskopien i {display_path(folder)} genskabt")
        assert_integrity(con)
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in COUNTED}
    return counts


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _relative(line: str) -> str:
    """A load.sql line naming its CSV file without a folder (the backup can be moved)."""
    match = _COPY.match(line)
    if not match:
        return line
    name = Path(match["path"].replace("''", "'")).name.replace("'", "''")
    return f"COPY {match['table']} FROM '{name}'{match['options']};\n"


def _lines(folder: Path, name: str) -> list[str]:
    path = folder / name
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def _statements(lines: list[str]) -> list[str]:
    """schema.sql's statements (DuckDB writes one a line, each ending in `;`)."""
    statements, current = [], []
    for line in lines:
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip())
            current = []
    return [s for s in statements if s]


def _create_in_dependency_order(con: duckdb.DuckDBPyConnection, statements: list[str]) -> None:
    """Views and macros, each once what it uses exists: rounds until a round makes
    nothing new (then the first error left is raised)."""
    waiting = list(statements)
    while waiting:
        failed = []
        for statement in waiting:
            try:
                con.execute(statement)
            except duckdb.CatalogException:
                failed.append(statement)
        if len(failed) == len(waiting):
            con.execute(failed[0])  # raises what stops it
        waiting = failed


def _continue_sequence(con: duckdb.DuckDBPyConnection) -> None:
    """The restored audit rows keep their run ids; the next run comes after them (EXPORT
    DATABASE writes the sequence's start, which need not be past them)."""
    (last,) = con.execute("SELECT coalesce(max(run_id), 0) FROM import_runs").fetchone()
    (following,) = con.execute("SELECT nextval('import_run_ids')").fetchone()
    if following <= last:
        con.execute("SELECT max(nextval('import_run_ids')) FROM range(?)", [last - following])
