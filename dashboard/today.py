"""The pages' "today", declared once: what "next session", countdowns, "held" and "upcoming"
are measured from, and whether the data is too old to trust without saying so.

With real data it is the calendar's today (etl.clock.today, frozen by BORGMESTER_TODAY); with
demo data it is the demo's own day, its data date (the demo is generated up to the day it is
built), so a demo built last month still shows a programme under way. The data's own date
stays the last import's (dataset_info data_as_of); it only decides whether data is stale.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import queries
from dashboard.settings import setting
from etl import clock

STALE_SETTING = "BORGMESTER_STALE_DAYS"


def today_for(info: queries.DatasetInfo) -> dt.date:
    """The pages' today for a data set: the demo's data date, or the calendar's today.

    Raises ValueError (naming the setting) when BORGMESTER_TODAY is not a date."""
    return info.data_as_of if info.is_demo else clock.today()


def pages_today(con) -> dt.date:
    """The pages' today for the database behind `con` (a DuckDB connection or cursor)."""
    return today_for(queries.dataset_info(con))


def is_held(starts_at: dt.date | dt.datetime | pd.Timestamp, today: dt.date) -> bool:
    """A session is held once its day is over: one starting today is still upcoming (the
    moderator plans it today), one that started yesterday is held."""
    day = starts_at.date() if isinstance(starts_at, dt.datetime) else starts_at
    return day < today


def last_held_day(today: dt.date) -> dt.date:
    """The last day whose sessions are held by `today` (the day before it): for queries that
    take "held by" as an inclusive date (queries.retention, intro_path, newly_elected_slipping)."""
    return today - dt.timedelta(days=1)


def held_mask(starts_at: pd.Series, today: dt.date) -> pd.Series:
    """is_held for a column of session start times (True: held)."""
    return starts_at.dt.date < today


def outcome_known(starts_at: dt.date | dt.datetime | pd.Timestamp,
                  info: queries.DatasetInfo) -> bool:
    """Whether the data can hold a held session's outcome: real data exported after the
    session's day (a session held since the last import shows only its bookings). Demo data
    is generated up to its own day, so it always can."""
    day = starts_at.date() if isinstance(starts_at, dt.datetime) else starts_at
    return info.is_demo or day < info.data_as_of


def stale_days() -> int:
    """BORGMESTER_STALE_DAYS as a number of days (>= 0).

    Raises ValueError naming the setting when it is not a whole number."""
    value = setting(STALE_SETTING)
    try:
        days = int(value.strip())
    except ValueError:
        raise ValueError(f"{STALE_SETTING}={value!r} er ikke et helt antal dage, "
                         "som 14") from None
    if days < 0:
        raise ValueError(f"{STALE_SETTING}={value!r} må ikke være negativ")
    return days


def stale_age(info: queries.DatasetInfo, today: dt.date) -> int | None:
    """How many days old real data is, when older than BORGMESTER_STALE_DAYS; else None.

    Demo data is never stale: its date is its today."""
    if info.is_demo:
        return None
    age = (today - info.data_as_of).days
    return age if age > stale_days() else None
