"""Load and check the reference facts in data/reference/: municipalities, programmes,
sessions and prices. Every problem names the file and line to fix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.csvfile import (
    Column,
    one_of,
    parse_date,
    parse_float,
    parse_int,
    parse_money,
    read_typed_csv,
    text,
)
from etl.errors import ReasonedValueError, SourceError, SourceProblem, display_path

REGIONS = ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark",
           "Region Midtjylland", "Region Nordjylland")
FORMATS = ("day", "overnight", "online")
AUDIENCES = ("intro", "all")
MUNICIPALITY_COUNT = 98

FILES = {
    "municipalities": "municipalities.csv",
    "programmes": "programmes.csv",
    "sessions": "sessions.csv",
    "prices": "prices.csv",
    "venue_candidates": "venue_candidates.csv",
}


def parse_session_time(value: str) -> tuple[dt.datetime, bool]:
    """A timestamp, or a bare date when the source gives no time of day (flagged False)."""
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time()), False
        return dt.datetime.fromisoformat(value), True
    except ValueError:
        raise ReasonedValueError("session_time_invalid") from None


MUNICIPALITY_COLUMNS = [
    Column("kommune_code", parse_int),
    Column("name", text),
    Column("region", one_of(*REGIONS)),
    Column("population", parse_int),
    Column("population_year", parse_int),
    Column("lat", parse_float),
    Column("lon", parse_float),
]
PROGRAMME_COLUMNS = [
    Column("programme_id", text),
    Column("title", text),
    Column("period_start", parse_date),
    Column("period_end", parse_date),
]
SESSION_COLUMNS = [
    Column("session_id", text),
    Column("programme_id", text),
    Column("title", text),
    Column("audience", one_of(*AUDIENCES)),
    Column("format", one_of(*FORMATS)),
    Column("starts_at", parse_session_time),
    Column("ends_at", parse_session_time),
    Column("venue", text, required=False),
    Column("city", text, required=False),
    Column("lat", parse_float, required=False),
    Column("lon", parse_float, required=False),
    Column("capacity", parse_int, required=False),  # empty: no limit set
]
PRICE_COLUMNS = [
    Column("format", one_of(*FORMATS)),
    Column("price_ex_vat", parse_money, required=False),  # empty: not known
    Column("vat_rate", parse_money),
    Column("source", text, required=False),
]


VENUE_CANDIDATE_COLUMNS = [
    Column("city", text),
    Column("kommune_code", parse_int),
    Column("lat", parse_float),
    Column("lon", parse_float),
    Column("note", text, required=False),
]


@dataclass
class ReferenceData:
    """The checked reference facts, as lists of row dicts ready to insert."""

    municipalities: list[dict[str, Any]]
    programmes: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    prices: list[dict[str, Any]]
    venue_candidates: list[dict[str, Any]]
    files: dict[str, Path]


def load_reference(directory: Path) -> ReferenceData:
    """Read and check every reference file; raises SourceError naming each problem."""
    files = {key: directory / name for key, name in FILES.items()}
    for key, path in files.items():
        if not path.is_file():
            raise SourceError([SourceProblem(display_path(path), None, None,
                                             "reference_file_missing", {"key": key})])
    municipalities = read_typed_csv(files["municipalities"], MUNICIPALITY_COLUMNS)
    programmes = read_typed_csv(files["programmes"], PROGRAMME_COLUMNS)
    sessions = read_typed_csv(files["sessions"], SESSION_COLUMNS)
    prices = read_typed_csv(files["prices"], PRICE_COLUMNS)
    candidates = read_typed_csv(files["venue_candidates"], VENUE_CANDIDATE_COLUMNS)

    problems = (
        check_municipalities(municipalities, display_path(files["municipalities"]))
        + check_programmes(programmes, display_path(files["programmes"]))
        + check_sessions(sessions, programmes, display_path(files["sessions"]))
        + check_prices(prices, sessions, display_path(files["prices"]))
        + check_venue_candidates(candidates, municipalities,
                                 display_path(files["venue_candidates"]))
    )
    if problems:
        raise SourceError(problems)
    for session in sessions:
        session["starts_at"], starts_known = session["starts_at"]
        session["ends_at"], ends_known = session["ends_at"]
        session["time_of_day_known"] = starts_known and ends_known
        if not session["time_of_day_known"] and session["ends_at"] == session["starts_at"]:
            # A date-only session lasts that whole day.
            session["ends_at"] = session["starts_at"] + dt.timedelta(days=1)
    return ReferenceData(municipalities, programmes, sessions, prices, candidates, files)


def _duplicates(rows: list[dict[str, Any]], key: str, file: str) -> list[SourceProblem]:
    seen: dict[Any, int] = {}
    problems = []
    for row in rows:
        value = row[key]
        if value in seen:
            problems.append(SourceProblem(file, row["_line"], key,
                                          "duplicate_value", {"line": seen[value]},
                                          str(value)))
        else:
            seen[value] = row["_line"]
    return problems


def check_municipalities(rows: list[dict[str, Any]], file: str) -> list[SourceProblem]:
    problems = _duplicates(rows, "kommune_code", file) + _duplicates(rows, "name", file)
    codes = {row["kommune_code"] for row in rows}
    if len(codes) != MUNICIPALITY_COUNT:
        problems.append(SourceProblem(file, None, "kommune_code",
                                      "municipality_count",
                                      {"count": len(codes), "expected": MUNICIPALITY_COUNT}))
    for row in rows:
        if not 54.5 <= row["lat"] <= 57.8 or not 8.0 <= row["lon"] <= 15.2:
            problems.append(SourceProblem(file, row["_line"], "lat/lon",
                                          "town_hall_outside", {},
                                          f"{row['lat']},{row['lon']}"))
        if row["population"] <= 0:
            problems.append(SourceProblem(file, row["_line"], "population",
                                          "population_not_positive", {},
                                          str(row["population"])))
    return problems


def check_programmes(rows: list[dict[str, Any]], file: str) -> list[SourceProblem]:
    problems = _duplicates(rows, "programme_id", file)
    for row in rows:
        if row["period_end"] <= row["period_start"]:
            problems.append(SourceProblem(file, row["_line"], "period_end",
                                          "period_end_not_after_start", {},
                                          str(row["period_end"])))
    return problems


def check_sessions(rows: list[dict[str, Any]], programmes: list[dict[str, Any]],
                   file: str) -> list[SourceProblem]:
    problems = _duplicates(rows, "session_id", file)
    periods = {p["programme_id"]: p for p in programmes}
    previous_start: dict[str, dt.datetime] = {}
    for row in rows:
        line = row["_line"]
        programme = periods.get(row["programme_id"])
        if programme is None:
            problems.append(SourceProblem(file, line, "programme_id",
                                          "programme_unknown", {},
                                          row["programme_id"]))
        start, _ = row["starts_at"]
        end, _ = row["ends_at"]
        if end < start:
            problems.append(SourceProblem(file, line, "ends_at",
                                          "session_ends_before_start", {}, str(end)))
        last = previous_start.get(row["programme_id"])
        if last is not None and start < last:
            problems.append(SourceProblem(file, line, "starts_at",
                                          "sessions_out_of_order", {}, str(start)))
        previous_start[row["programme_id"]] = start
        if programme and not programme["period_start"] <= start.date() <= programme["period_end"]:
            problems.append(SourceProblem(file, line, "starts_at",
                                          "session_outside_period", {},
                                          str(start.date())))
        if (row["lat"] is None) != (row["lon"] is None):
            problems.append(SourceProblem(file, line, "lat/lon",
                                          "lat_lon_half"))
        if row["format"] == "online" and row["lat"] is not None:
            problems.append(SourceProblem(file, line, "lat/lon",
                                          "online_has_venue"))
    return problems


def check_prices(prices: list[dict[str, Any]], sessions: list[dict[str, Any]],
                 file: str) -> list[SourceProblem]:
    problems = _duplicates(prices, "format", file)
    priced = {p["format"] for p in prices}
    for fmt in sorted({s["format"] for s in sessions} - priced):
        problems.append(SourceProblem(file, None, "format",
                                      "format_unpriced", {"format": fmt}))
    for row in prices:
        if row["vat_rate"] >= 1:
            problems.append(SourceProblem(file, row["_line"], "vat_rate",
                                          "vat_rate_not_fraction", {},
                                          str(row["vat_rate"])))
    return problems


def check_venue_candidates(rows: list[dict[str, Any]], municipalities: list[dict[str, Any]],
                           file: str) -> list[SourceProblem]:
    problems = _duplicates(rows, "city", file)
    codes = {m["kommune_code"] for m in municipalities}
    for row in rows:
        if row["kommune_code"] not in codes:
            problems.append(SourceProblem(file, row["_line"], "kommune_code",
                                          "municipality_code_unknown", {},
                                          str(row["kommune_code"])))
        if not 54.5 <= row["lat"] <= 57.8 or not 8.0 <= row["lon"] <= 15.2:
            problems.append(SourceProblem(file, row["_line"], "lat/lon",
                                          "town_outside", {},
                                          f"{row['lat']},{row['lon']}"))
    return problems
