"""Reads side by side: each on a cursor of its own, results in order, none left running."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from dashboard import db
from dashboard.db import background_reads, read_in_parallel


@pytest.fixture
def con():
    with duckdb.connect() as connection:
        connection.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(100)")
        yield connection


def test_reads_in_parallel_come_back_in_order_each_on_a_cursor_of_its_own(con):
    seen = []

    def count_below(limit):
        def read(cursor):
            seen.append(cursor)
            return cursor.execute("SELECT count(*) FROM numbers WHERE n < ?",
                                  [limit]).fetchone()[0]
        return read

    assert read_in_parallel(*(count_below(k) for k in (10, 50, 100)), on=con) == [10, 50, 100]
    assert len({id(c) for c in seen}) == 3 and all(c is not con for c in seen)


def test_without_a_connection_the_reads_use_the_current_database(tmp_path):
    path = tmp_path / "x.duckdb"
    with duckdb.connect(str(path)) as writer:
        writer.execute("CREATE TABLE t AS SELECT 42 AS answer")
    before = db._current
    try:
        db.use_database(path)
        got = read_in_parallel(lambda c: c.execute("SELECT answer FROM t").fetchone()[0],
                               lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0])
    finally:
        db._current = before
    assert got == [42, 1]


def test_a_failing_read_raises_once_every_read_has_finished(con):
    finished = threading.Event()

    def slow(cursor):
        time.sleep(0.2)
        finished.set()
        return cursor.execute("SELECT 1").fetchone()[0]

    with pytest.raises(duckdb.CatalogException):
        read_in_parallel(lambda c: c.execute("SELECT * FROM missing").fetchall(), slow, on=con)
    assert finished.is_set()


def test_leaving_a_failed_block_still_waits_for_its_background_reads(con):
    finished = threading.Event()

    def slow(cursor):
        time.sleep(0.2)
        finished.set()

    with pytest.raises(KeyError), background_reads(con, slow):
        raise KeyError("a session id from before a swap")
    assert finished.is_set()  # nothing still reading when the caller closes its connection


def test_once_the_pool_is_shut_down_reads_run_in_the_calling_thread(con, monkeypatch):
    # At interpreter exit the pool shuts down before the cache warmer is told to stop.
    from concurrent.futures import ThreadPoolExecutor

    closed = ThreadPoolExecutor(max_workers=1)
    closed.shutdown()
    monkeypatch.setattr(db, "_readers", closed)
    caller = threading.get_ident()
    threads = []

    def read(cursor):
        threads.append(threading.get_ident())
        return cursor.execute("SELECT 42").fetchone()[0]

    assert read_in_parallel(read, read, on=con) == [42, 42]
    assert threads == [caller, caller]
    with pytest.raises(duckdb.CatalogException):
        read_in_parallel(lambda c: c.execute("SELECT * FROM missing").fetchall(), on=con)
