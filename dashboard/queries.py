"""Every question the pages ask the database: parameterised SQL over the schema's views.

Each function takes a DuckDB connection (or cursor) and returns plain data or a DataFrame.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True)
class DatasetInfo:
    is_demo: bool
    data_as_of: dt.date


def dataset_info(con: duckdb.DuckDBPyConnection) -> DatasetInfo:
    values = dict(con.execute("SELECT key, value FROM dataset_info").fetchall())
    return DatasetInfo(is_demo=values.get("is_demo") == "true",
                       data_as_of=dt.date.fromisoformat(values["data_as_of"]))


def programmes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All programme periods, newest first."""
    return con.execute(
        "SELECT programme_id, title, period_start, period_end FROM programmes "
        "ORDER BY period_start DESC, programme_id"
    ).df()


def sessions(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    return con.execute(
        "SELECT session_id, title, audience, format, starts_at, ends_at, time_of_day_known, "
        "venue, city, venue_is_demo FROM sessions WHERE programme_id = ? ORDER BY starts_at",
        [programme_id],
    ).df()


@dataclass(frozen=True)
class KeyFigures:
    municipalities_total: int
    municipalities_reached: int
    mayors_reached: int
    registrations: int
    attended: int
    no_shows: int
    revenue_ex_vat: float
    registrations_price_unknown: int

    @property
    def municipalities_share(self) -> float:
        return self.municipalities_reached / self.municipalities_total

    @property
    def attendance_rate(self) -> float | None:
        """Share of registrations for held sessions that turned up."""
        held = self.attended + self.no_shows
        return self.attended / held if held else None


def key_figures(con: duckdb.DuckDBPyConnection, programme_id: str) -> KeyFigures:
    """The overview's headline numbers for one programme."""
    row = con.execute(
        """
        SELECT
            (SELECT count(*) FROM municipalities),
            count(DISTINCT kommune_code) FILTER (WHERE is_attended),
            count(DISTINCT mayor_id) FILTER (WHERE is_attended),
            count(*) FILTER (WHERE is_registered),
            count(*) FILTER (WHERE is_attended),
            count(*) FILTER (WHERE is_no_show),
            coalesce(sum(revenue_ex_vat), 0),
            count(*) FILTER (WHERE NOT price_known)
        FROM registration_facts
        WHERE programme_id = ?
        """,
        [programme_id],
    ).fetchone()
    return KeyFigures(*row[:6], float(row[6]), row[7])
