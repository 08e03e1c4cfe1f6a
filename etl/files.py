"""Small file-system helpers shared by the build and the importer."""

from __future__ import annotations

import fcntl
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
