"""Reads side by side: each on a cursor of its own, results in the order asked for."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.db import read_in_parallel, start_reads


def test_reads_in_parallel_come_back_in_order_on_cursors_of_their_own():
    with duckdb.connect() as con:
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(100)")
        got = read_in_parallel(
            lambda c: c.execute("SELECT sum(n) FROM numbers").fetchone()[0],
            lambda c: c.execute("SELECT count(*) FROM numbers WHERE n < 10").fetchone()[0],
            lambda c: c is not con,
            on=con)
    assert got == [4950, 10, True]


def test_a_failing_read_raises_where_its_result_is_asked_for():
    with duckdb.connect() as con:
        good, bad = start_reads(lambda c: c.execute("SELECT 1").fetchone()[0],
                                lambda c: c.execute("SELECT * FROM missing").fetchall(),
                                on=con)
        assert good.result() == 1
        with pytest.raises(duckdb.CatalogException):
            bad.result()
