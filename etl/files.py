"""Helpers shared by every ETL writer (build, import, boundaries, upgrade): one writer
at a time, a new version of the file swapped in whole, and the audit trail."""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
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


class WriterBusy(RuntimeError):
    """Another build or import holds the database's writer lock (raised by
    `exclusive(..., wait=False)` instead of waiting). Its argument is the database's path;
    what the user reads is said by the caller (the Data page: "en anden import kører")."""


WAITING_FOR_WRITER = "Venter på en anden import eller opbygning af databasen ..."

# How long `exclusive(wait=False)` keeps trying before it says WriterBusy. A writer's work
# holds the lock for seconds or minutes; a look (`writer_busy`, which the Data page does on
# every upload and click) holds it for microseconds. Trying again for this long lets a writer
# in past any look, yet refuses a real writer's work about at once.
GRACE_SECONDS = 0.2
_RETRY_SECONDS = 0.005

# The lock files this thread holds: a writer that took the lock itself (e.g. to refuse at
# once when it is busy) may then call import_files, whose next_version takes it again.
_held = threading.local()


def _lock_path(database: Path) -> Path:
    return database.with_name(f".{database.name}.lock")


def _leftover_pattern(database: Path) -> re.Pattern[str]:
    """The names next_version gives its work files beside `database` (`.NAME.PURPOSE-PID`),
    with DuckDB's write-ahead log (`.wal`) and temp directory (`.tmp`) of each."""
    return re.compile(rf"\.{re.escape(database.name)}\.[a-z]+-\d+(\.wal|\.tmp)?")


def clear_leftovers(database: Path) -> list[Path]:
    """Remove what killed writers left beside `database`: work files and DuckDB's temp
    directories, matched by the product's own names only; symbolic links are removed, never
    followed. Call only while holding the writer lock. Returns what was removed."""
    pattern = _leftover_pattern(database)
    removed = []
    for entry in database.parent.iterdir():
        if not pattern.fullmatch(entry.name):
            continue
        if stat.S_ISDIR(entry.lstat().st_mode):
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def writer_busy(database: Path) -> bool:
    """True when another build or import holds `database`'s writer lock right now (a
    look, not a reservation: take the lock with `exclusive(..., wait=False)`)."""
    lock_path = _lock_path(database)
    if not lock_path.exists() or str(lock_path.resolve()) in _held_paths():
        return False
    with lock_path.open("a") as lock:
        try:
            # Shared: two looks at once do not see each other as a writer. A look still
            # holds off a writer for its instant; `exclusive(wait=False)` waits that out.
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
    return False


def _held_paths() -> set[str]:
    if not hasattr(_held, "paths"):
        _held.paths = set()
    return _held.paths


def _try_lock(lock, seconds: float) -> bool:
    """Take the lock without blocking, trying again for up to `seconds`; True once taken."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
        time.sleep(_RETRY_SECONDS)


@contextmanager
def exclusive(database: Path, wait: bool = True,
              on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer at a time: two writers must not both copy the old file and swap.

    When another writer holds the lock: with `wait` (the command line) call `on_wait` once
    (to say so) and wait for it; without (the Data page's jobs), raise WriterBusy when it is
    still held after GRACE_SECONDS (a look by `writer_busy` is waited out, another writer's
    work is not). A thread that holds the lock already goes straight in. Inside the lock,
    what killed writers left is cleared away (`clear_leftovers`).
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _lock_path(database)
    held = _held_paths()
    key = str(lock_path.resolve())
    if key in held:
        yield
        return
    with lock_path.open("a") as lock:
        if not _try_lock(lock, 0 if wait else GRACE_SECONDS):
            if not wait:
                raise WriterBusy(database)
            if on_wait is not None:
                on_wait()
            fcntl.flock(lock, fcntl.LOCK_EX)
        held.add(key)
        try:
            clear_leftovers(database)
            yield
        finally:
            held.discard(key)
            fcntl.flock(lock, fcntl.LOCK_UN)


class NextVersion:
    """The database's next version while it is written: `con` writes it; `keep = False`
    (a dry run) throws it away instead of swapping it in; `runs_before` (int) marks the
    audit rows the change found, so that its own are told apart."""

    def __init__(self, con: duckdb.DuckDBPyConnection, runs_before: int = 0):
        self.con = con
        self.keep = True
        # import_runs rows with a run id above this are the change's own (what `etl history`
        # says it did); a writer that copies older audit rows in (upgrade) raises it.
        self.runs_before = runs_before


@contextmanager
def next_version(database: Path, purpose: str, from_current: bool,
                 start_from: Path | None = None) -> Iterator[NextVersion]:
    """Write the database's next version beside it and swap it in with os.replace when the
    block succeeds: a failed or killed writer leaves the previous file as it was, and a
    running app keeps serving it. `from_current` starts from a copy of the current file (an
    import), `start_from` from a copy of that file (undo, restore), otherwise from an empty
    one (a build). One writer at a time (`exclusive`). The file replaced is kept as a
    version (etl.versions.swap_in); a dry run (`keep = False`) keeps nothing."""
    from etl import versions  # here: etl.versions itself writes through next_version

    with exclusive(database):
        work = database.with_name(f".{database.name}.{purpose}-{os.getpid()}")
        remove_database_files(work)
        try:
            copied = start_from if start_from is not None else (database if from_current
                                                                 else None)
            if copied is not None:
                shutil.copyfile(copied, work)
            with duckdb.connect(str(work)) as con:
                version = NextVersion(con, versions.last_run_id(con) if copied else 0)
                yield version
                summary = versions.summarize(con, version.runs_before) if version.keep else None
                con.execute("CHECKPOINT")
            if version.keep:
                versions.swap_in(database, work, summary)
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
