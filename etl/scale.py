"""A larger synthetic history for performance work: many programmes, sessions and N registrations.

KL runs far more courses than the one programme in the brochure; this makes a history of that
size so the dashboard can be measured on it. It writes what a real installation would get:
reference files (the real municipalities, prices and venue candidates; the brochure's programme
plus synthetic ones) and KL-style export files (a mayor list and one registration export per
election period, `;`-separated with Danish dates and amounts), then loads them through the same
build and import path as real data. The result is marked as demo data.

Deterministic: the same N and seed give the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl import demo
from etl.build import build_database
from etl.geo import haversine_km
from etl.importer import ImportResult, import_files
from etl.paths import REFERENCE_DIR
from etl.reference import load_reference

SEED = 20250331
AS_OF = dt.date(2025, 3, 31)        # the scale data's "data pr." date
SESSIONS_PER_PROGRAMME = 10
# Local election periods since the 2007 municipal reform made the 98 municipalities.
PERIODS = ((dt.date(2007, 1, 1), dt.date(2009, 12, 31)),
           (dt.date(2010, 1, 1), dt.date(2013, 12, 31)),
           (dt.date(2014, 1, 1), dt.date(2017, 12, 31)),
           (dt.date(2018, 1, 1), dt.date(2021, 12, 31)),
           (dt.date(2022, 1, 1), dt.date(2025, 12, 31)))
REPLACEMENTS_PER_PERIOD = 4
COURSE_TITLES = ("Strategisk lederskab", "Politisk ledelse i krise", "Økonomi og prioritering",
                 "Samarbejde med direktionen", "Borgerinddragelse", "Grøn omstilling",
                 "Sundhed og ældre", "Børn og unge", "Beskæftigelse", "Digitalisering")
FORMAT_CYCLE = ("day", "overnight", "day", "online", "day", "overnight", "day", "day",
                "overnight", "online")
STATUS_WORDS = {"registered": "tilmeldt", "cancelled": "afmeldt", "attended": "deltaget",
                "no_show": "udeblevet"}
PRICE_TEXT = {"day": "5.300,00", "overnight": "8.800,00", "online": ""}

Step = Callable[[str, int], None]


@dataclass
class ScaleFiles:
    reference_dir: Path
    mayors: Path
    registrations: list[Path]
    rows: int
    programmes: int
    sessions: int


@dataclass
class ScaleResult:
    files: ScaleFiles
    imported: ImportResult


def build_scale_database(database: Path, registrations: int, out_dir: Path, seed: int = SEED,
                         step: Step = lambda _message, _units: None) -> ScaleResult:
    """Write the scaled files into `out_dir` and load them into `database` (replacing it).

    `step(message, units)` reports progress; units add up to `registrations` plus 3 per file.
    """
    files = write_scale_files(out_dir, registrations, seed, step)
    build_database(database, reference_dir=files.reference_dir, with_demo=False)
    step("database bygget", 0)
    paths = [files.mayors, *files.registrations]
    imported = import_files(database, paths, step=lambda done: step(str(done), 1),
                            dataset_info={"is_demo": "true", "data_as_of": AS_OF.isoformat(),
                                          "description": f"Skaleret demodata: {files.rows} "
                                          f"tilmeldinger, {files.programmes} forløb, "
                                          f"seed {seed}"})
    return ScaleResult(files, imported)


def write_scale_files(out_dir: Path, registrations: int, seed: int = SEED,
                      step: Step = lambda _message, _units: None) -> ScaleFiles:
    """Reference files and KL-style exports with exactly `registrations` registration rows."""
    if registrations < 1:
        raise ValueError("--scale skal være mindst 1")
    rng = random.Random(seed)
    reference = load_reference(REFERENCE_DIR)
    municipalities = sorted(reference.municipalities, key=lambda m: m["kommune_code"])
    candidates = list(reference.venue_candidates)
    out_dir.mkdir(parents=True, exist_ok=True)
    reference_dir = out_dir / "reference"
    reference_dir.mkdir(exist_ok=True)
    for name in ("municipalities.csv", "prices.csv", "venue_candidates.csv"):
        shutil.copyfile(REFERENCE_DIR / name, reference_dir / name)

    names = _unique_names(rng)
    mayors = {period: _mayors(rng, municipalities, period, names) for period in PERIODS}
    real = _real_programme(reference)
    programmes = [real["programme"]]
    sessions_by_period: dict[tuple[dt.date, dt.date], list[dict[str, Any]]] = {
        PERIODS[-1]: list(real["sessions"])}
    writers = _RegistrationFiles(out_dir)
    town_hall = {m["kommune_code"]: (m["lat"], m["lon"]) for m in municipalities}
    made = 0
    number = 0
    # The brochure's programme first (so the default page has data), then synthetic ones
    # round the election periods, newest first, until N registrations are written.
    queue: Iterator[tuple[dict, list[dict]]] = iter([(real["programme"], real["sessions"])])
    while made < registrations:
        programme, sessions = next(queue, (None, None))
        if programme is None:
            number += 1
            period = PERIODS[-1 - (number - 1) % len(PERIODS)]
            programme, sessions = _synthetic_programme(rng, number, period, candidates)
            programmes.append(programme)
            sessions_by_period.setdefault(period, []).extend(sessions)
        period = next(p for p in PERIODS if p[0] <= programme["period_start"] <= p[1])
        for session in sessions:
            rows = _registrations(rng, session, mayors[period], town_hall,
                                  limit=registrations - made)
            writers.write(period, rows)
            made += len(rows)
            step(f"genererer {session['session_id']}", len(rows))
            if made >= registrations:
                break
    writers.close()

    _write_csv(reference_dir / "programmes.csv",
               ["programme_id", "title", "period_start", "period_end", "source"], programmes)
    all_sessions = [s for p in PERIODS for s in sessions_by_period.get(p, [])]
    all_sessions.sort(key=lambda s: (s["programme_id"] != real["programme"]["programme_id"],
                                     s["programme_id"], s["starts_at"]))
    _write_csv(reference_dir / "sessions.csv",
               ["session_id", "programme_id", "title", "audience", "format", "starts_at",
                "ends_at", "venue", "city", "lat", "lon", "capacity"],
               [_as_written(s) for s in all_sessions])
    mayors_file = out_dir / "borgmestre.csv"
    _write_mayors(mayors_file, [m for p in PERIODS for m in mayors[p]])
    return ScaleFiles(reference_dir, mayors_file, writers.paths, made, len(programmes),
                      len(all_sessions))


def _real_programme(reference) -> dict[str, Any]:
    """The brochure's programme and sessions, unplaced ones given the small demo's venues."""
    (programme,) = [dict(p) for p in reference.programmes]
    programme.setdefault("source", "")
    sessions = []
    for session in sorted(reference.sessions, key=lambda s: s["starts_at"]):
        row = dict(session)
        venue = demo.DEMO_VENUES.get(row["session_id"])
        if venue and row["lat"] is None and row["format"] != "online":
            row["venue"], row["city"], row["lat"], row["lon"] = venue
        sessions.append(row)
    return {"programme": programme, "sessions": sessions}


def _synthetic_programme(rng: random.Random, number: int, period: tuple[dt.date, dt.date],
                         candidates: list[dict[str, Any]]) -> tuple[dict, list[dict]]:
    programme_id = f"SK{period[0].year}-{number:05d}"
    title = f"{COURSE_TITLES[number % len(COURSE_TITLES)]} (skaleret demo {number})"
    programme = {"programme_id": programme_id, "title": title, "period_start": period[0],
                 "period_end": period[1], "source": "Skaleret demodata (etl/scale.py)"}
    span = (period[1] - period[0]).days - 60
    days = sorted(rng.sample(range(30, span), SESSIONS_PER_PROGRAMME))
    sessions = []
    for index, offset in enumerate(days):
        fmt = FORMAT_CYCLE[(number + index) % len(FORMAT_CYCLE)]
        starts = dt.datetime.combine(period[0] + dt.timedelta(days=offset), dt.time(10, 0))
        ends = starts + (dt.timedelta(days=1) if fmt == "overnight" else dt.timedelta(hours=6))
        place = None if fmt == "online" else rng.choice(candidates)
        sessions.append({
            "session_id": f"{programme_id}-{index + 1:02d}", "programme_id": programme_id,
            "title": f"{title}: session {index + 1}",
            "audience": "intro" if index == 0 and number % 3 == 0 else "all",
            "format": fmt, "starts_at": starts, "ends_at": ends,
            "venue": f"Kursussted i {place['city']} (demo)" if place else None,
            "city": place["city"] if place else None,
            "lat": place["lat"] if place else None, "lon": place["lon"] if place else None,
            "capacity": 80 if fmt == "overnight" else None,
        })
    return programme, sessions


def _unique_names(rng: random.Random) -> Iterator[str]:
    seen: set[str] = set()
    while True:
        name = (f"{rng.choice(demo.FIRST_NAMES)} {chr(rng.randrange(65, 91))}. "
                f"{rng.choice(demo.FAMILY_NAMES)}")
        if name not in seen:
            seen.add(name)
            yield name


def _mayors(rng: random.Random, municipalities: list[dict[str, Any]],
            period: tuple[dt.date, dt.date], names: Iterator[str]) -> list[dict[str, Any]]:
    """The 98 mayors of one election period, a few replaced mid-term by a newcomer."""
    start, end = period
    parties = [p for p, _ in demo.PARTIES]
    weights = [w for _, w in demo.PARTIES]
    mayors = []
    for place in municipalities:
        mayors.append({"municipality": place["name"], "kommune_code": place["kommune_code"],
                       "name": next(names), "party": rng.choices(parties, weights)[0],
                       "term_start": start, "term_end": end,
                       "newly_elected": rng.random() < demo.NEWLY_ELECTED_SHARE,
                       "engagement": rng.betavariate(3.0, 2.2)})
    for leaving in rng.sample(mayors, REPLACEMENTS_PER_PERIOD):
        last_day = min(end, AS_OF)  # a successor must take over within the period
        leaves_on = start + dt.timedelta(days=rng.randrange(200, (last_day - start).days - 30))
        successor = dict(leaving, name=next(names), newly_elected=True,
                         term_start=leaves_on + dt.timedelta(days=1),
                         engagement=rng.betavariate(3.0, 2.2))
        leaving["term_end"] = leaves_on
        mayors.append(successor)
    if end > AS_OF:  # the current period: whoever holds the post is still in office
        for mayor in mayors:
            if mayor["term_end"] == end:
                mayor["term_end"] = None
    return mayors


def _registrations(rng: random.Random, session: dict[str, Any], mayors: list[dict[str, Any]],
                   town_hall: dict[int, tuple[float, float]], limit: int) -> list[list[str]]:
    day = session["starts_at"].date()
    rows = []
    for mayor in mayors:
        if not mayor["term_start"] <= day <= (mayor["term_end"] or day):
            continue
        chance = mayor["engagement"] * 0.95
        if session["lat"] is not None:
            distance = haversine_km(*town_hall[mayor["kommune_code"]],
                                         session["lat"], session["lon"])
            chance *= 0.75 + 0.45 * math.exp(-distance / 100)
        if session["audience"] == "intro" and not mayor["newly_elected"]:
            chance = 0.02
        if rng.random() >= min(chance, 0.97):
            continue
        registered_at = demo.registration_time(rng, session["starts_at"])
        if registered_at.date() > AS_OF:
            continue
        status = demo.session_status(rng, session, AS_OF)
        invoiced = demo.invoice_date(rng, day, AS_OF)
        rows.append([session["session_id"], mayor["municipality"], mayor["name"],
                     registered_at.strftime("%d-%m-%Y %H:%M"), STATUS_WORDS[status],
                     PRICE_TEXT[session["format"]],
                     invoiced.strftime("%d-%m-%Y") if invoiced else ""])
        if len(rows) == limit:
            break
    return rows


class _RegistrationFiles:
    """One KL-style export per election period, numbered registration ids across all."""

    HEADER = ["Tilmeldings-ID", "Session", "Kommune", "Navn", "Tilmeldt", "Status", "Pris",
              "Faktureret"]

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: list[Path] = []
        self._open: dict[tuple[dt.date, dt.date], Any] = {}
        self._next_id = 1

    def write(self, period: tuple[dt.date, dt.date], rows: list[list[str]]) -> None:
        if period not in self._open:
            path = self.folder / f"tilmeldinger-{period[0].year}-{period[1].year}.csv"
            handle = path.open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(self.HEADER)
            self._open[period] = (handle, writer)
            self.paths.append(path)
        _, writer = self._open[period]
        for row in rows:
            writer.writerow([f"S{self._next_id:08d}", *row])
            self._next_id += 1

    def close(self) -> None:
        for handle, _ in self._open.values():
            handle.close()


def _write_mayors(path: Path, mayors: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Kommune", "Navn", "Parti", "Tiltrådt", "Fratrådt", "Nyvalgt"])
        for mayor in mayors:
            writer.writerow([mayor["municipality"], mayor["name"], mayor["party"],
                             mayor["term_start"].strftime("%d-%m-%Y"),
                             mayor["term_end"].strftime("%d-%m-%Y") if mayor["term_end"] else "",
                             "ja" if mayor["newly_elected"] else "nej"])


def _as_written(session: dict[str, Any]) -> dict[str, Any]:
    """A session as sessions.csv has it: a date-only session keeps its dates only."""
    if session.get("time_of_day_known", True):
        return session
    return dict(session, starts_at=session["starts_at"].date(),
                ends_at=session["ends_at"].date())


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([demo.csv_cell(row.get(c)) for c in columns])
