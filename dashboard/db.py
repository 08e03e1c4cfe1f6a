"""Read-only access to the database file, reopened when the ETL swaps in a newer one."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import duckdb

# Every query a page makes is small (pre-aggregated tables, or one programme's rows found by
# the zone maps), so DuckDB's own parallelism only adds hand-overs between its threads: one
# thread per query answered the planning and page queries 20 % faster at 1M registrations
# (145 -> 120 ms for sixteen of them one after the other). Pages get their parallelism from
# running independent queries side by side instead (read_in_parallel, below).
READER_THREADS = 1


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
                # Set, not passed to connect(): DuckDB refuses a second connection to the same
                # file with a different config, and tests and exports open it plainly. It holds
                # for the whole instance, so everything in this process that reads the file
                # (exports, the Data page) runs on one thread too.
                self._connection.execute(f"SET threads = {READER_THREADS}")
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


# A page's queries are small and spend most of their time being planned, which DuckDB does
# on one thread: run side by side on cursors of their own, two cores answer them in about
# half the time (Fastholdelse's three: 31-41 ms one after the other, 20 ms together).
# The cursors are made in the calling thread from one parent, so a callback's reads all see
# the same database file, and the pool's threads never wait for a swap to finish.
_readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-read")

Read = Callable[[duckdb.DuckDBPyConnection], Any]


def read_in_parallel(*reads: Read, on: duckdb.DuckDBPyConnection | None = None) -> list[Any]:
    """The results of independent reads, in order, each run on a cursor of its own: of
    connection `on`, or of the current database."""
    with ExitStack() as stack:
        parent = on if on is not None else stack.enter_context(current_database().cursor())
        with background_reads(parent, *reads) as futures:
            pass
        return [future.result() for future in futures]


@contextmanager
def background_reads(on: duckdb.DuckDBPyConnection, *reads: Read) -> Iterator[list[Future]]:
    """Start independent reads on cursors of `on`; the block gets their futures. Leaving
    the block waits for every read, also when the block fails, so that no read is still
    running when `on` is closed."""
    futures = []
    try:
        for read in reads:
            futures.append(_submit(read, on.cursor()))
        yield futures
    finally:
        wait(futures)


def _submit(read: Read, cursor: duckdb.DuckDBPyConnection) -> Future:
    """`read` on `cursor` in the pool; in this thread once the pool is shut down. At
    interpreter exit threading's own exit hooks shut the pool down before atexit's run, and
    the cache warmer (stopped by atexit) may still be finishing a page: its reads then run
    here instead of failing with "cannot schedule new futures after shutdown"."""
    try:
        return _readers.submit(_run, read, cursor)
    except RuntimeError:
        future: Future = Future()
        try:
            future.set_result(_run(read, cursor))
        except Exception as error:  # noqa: BLE001 - handed to the caller, as the pool does
            future.set_exception(error)
        return future


def _run(read: Read, cursor: duckdb.DuckDBPyConnection) -> Any:
    try:
        return read(cursor)
    finally:
        cursor.close()
