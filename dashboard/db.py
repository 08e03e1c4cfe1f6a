"""Read-only access to the database file, reopened when the ETL swaps in a newer one."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class Database:
    """Hands out read-only cursors; notices when the file on disk has been replaced.

    The ETL never writes to the file the app has open: it builds a new file and moves it
    over the old path, so a changed inode or mtime means "open again".
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._changed = threading.Condition()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._version: tuple[int, int] | None = None
        self._readers = 0

    @property
    def version(self) -> tuple[int, int]:
        """Changes whenever a new database file is swapped in (a key for caches)."""
        stat = os.stat(self.path)
        return (stat.st_ino, stat.st_mtime_ns)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the newest database file, for the duration of a `with` block."""
        version = self.version
        with self._changed:
            if self._connection is None or version != self._version:
                # DuckDB keeps one open instance per path: the replaced file must be closed
                # before the new one can be opened, so let running readers finish first.
                self._changed.wait_for(lambda: self._readers == 0, timeout=30)
                if self._connection is not None:
                    self._connection.close()
                self._connection = duckdb.connect(str(self.path), read_only=True)
                self._version = version
            self._readers += 1
            cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()


_current: Database | None = None


def use_database(path: Path) -> Database:
    """Point the app at a database file (called once when the app is made)."""
    global _current
    _current = Database(path)
    return _current


def current_database() -> Database:
    if _current is None:
        raise RuntimeError("no database configured: call use_database() first")
    return _current
