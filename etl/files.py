"""Helpers shared by every ETL writer (build, import, boundaries, upgrade): one writer
at a time, a new version of the file swapped in whole, and the audit trail."""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


def remove_database_files(path: Path) -> None:
    """Remove a (temporary) DuckDB file and its write-ahead log, if present."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def os_user() -> str:
    """Who ran the command, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        return str(os.getuid())


@contextmanager
def exclusive(database: Path) -> Iterator[None]:
    """One writer at a time: two writers must not both copy the old file and swap.

    Inside the lock, temporary files left by a writer that was killed are cleared away.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = database.with_name(f".{database.name}.lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            for leftover in database.parent.glob(f".{database.name}.*-*"):
                leftover.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class NextVersion:
    """The database's next version while it is written: `con` writes it; `keep = False`
    (a dry run) throws it away instead of swapping it in."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.keep = True


@contextmanager
def next_version(database: Path, purpose: str, from_current: bool) -> Iterator[NextVersion]:
    """Write the database's next version beside it and swap it in with os.replace when the
    block succeeds: a failed or killed writer leaves the previous file as it was, and a
    running app keeps serving it. `from_current` starts from a copy of the current file (an
    import), otherwise from an empty one (a build). One writer at a time (`exclusive`)."""
    with exclusive(database):
        work = database.with_name(f".{database.name}.{purpose}-{os.getpid()}")
        remove_database_files(work)
        try:
            if from_current:
                shutil.copyfile(database, work)
            with duckdb.connect(str(work)) as con:
                version = NextVersion(con)
                yield version
                con.execute("CHECKPOINT")
            if version.keep:
                os.replace(work, database)
            else:
                remove_database_files(work)
        except BaseException:
            remove_database_files(work)
            raise


def record_run(con: duckdb.DuckDBPyConnection, command: str, source: str, rows_read: int,
               rows_loaded: int, started_at: dt.datetime, message: str, sha256: str | None = None,
               rows_rejected: int = 0, outcome: str = "loaded",
               finished_at: dt.datetime | None = None) -> int:
    """One row of the audit trail (import_runs) for a file or a step; returns its run id."""
    return con.execute(
        "INSERT INTO import_runs (command, source, sha256, rows_read, rows_loaded, "
        "rows_rejected, os_user, started_at, finished_at, outcome, message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id",
        [command, source, sha256, rows_read, rows_loaded, rows_rejected, os_user(), started_at,
         finished_at or dt.datetime.now(), outcome, message]).fetchone()[0]
