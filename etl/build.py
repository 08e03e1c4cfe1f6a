"""Build the DuckDB database in one go from reference data (and demo data), then swap it in.

The new database is written beside the old one under a temporary name and moved over it
with os.replace only when everything has loaded, so a failed or killed build leaves the
previous file untouched and a running app keeps serving it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from etl import canonical, clock, demo
from etl.boundaries import BOUNDARIES_FILE, read_boundaries
from etl.csvfile import read_typed_csv
from etl.errors import SourceError, SourceProblem, display_path
from etl.files import next_version, record_run
from etl.integrity import assert_integrity
from etl.marts import refresh_marts
from etl.paths import DEMO_DIR, REFERENCE_DIR, SCHEMA_FILE
from etl.reasons import count_said
from etl.reference import ReferenceData, load_reference

TABLE_COLUMNS = {
    "municipalities": ["kommune_code", "name", "region", "population", "population_year",
                       "lat", "lon"],
    "prices": ["format", "price_ex_vat", "vat_rate", "source"],
    "programmes": ["programme_id", "title", "period_start", "period_end", "is_demo",
                   "uses_shipped_prices"],
    "sessions": ["session_id", "programme_id", "title", "audience", "format", "starts_at",
                 "ends_at", "time_of_day_known", "venue", "city", "lat", "lon",
                 "venue_is_demo", "price_ex_vat", "capacity", "is_demo", "price_is_own"],
    "venue_candidates": ["city", "kommune_code", "lat", "lon", "note"],
    "mayors": ["mayor_id", "name", "kommune_code", "party", "term_start", "term_end",
               "newly_elected"],
    "mayor_terms": ["mayor_id", "kommune_code", "party", "term_start", "term_end",
                    "newly_elected"],
    "registrations": ["registration_id", "session_id", "mayor_id", "kommune_code",
                      "registered_at", "status", "price_ex_vat", "invoiced_at"],
    "dataset_info": ["key", "value"],
}


@dataclass
class LoadedFile:
    """One source file that went into the database, for the audit trail."""

    path: Path
    table: str
    rows: int
    started_at: dt.datetime
    finished_at: dt.datetime = field(default_factory=dt.datetime.now)


@dataclass
class BuildResult:
    database: Path
    row_counts: dict[str, int]
    is_demo: bool


def build_database(database: Path, reference_dir: Path = REFERENCE_DIR, with_demo: bool = True,
                   demo_dir: Path = DEMO_DIR,
                   log: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Validate every source, build a new database file and swap it in atomically.

    Raises SourceError (build_holds_real_data), changing nothing, when `database` holds real
    data (`real_data_held`): a build starts from nothing and would throw it away."""
    refuse_real_data(Path(database))
    started = dt.datetime.now()
    reference = load_reference(reference_dir)
    log(f"Referencedata kontrolleret: {len(reference.municipalities)} kommuner, "
        f"{len(reference.sessions)} sessioner")
    loaded = [LoadedFile(reference.files[key], key, len(getattr(reference, key)), started)
              for key in ("municipalities", "programmes", "sessions", "prices",
                          "venue_candidates")]

    people: dict[str, list[dict[str, Any]]] = {key: [] for key in canonical.FILES}
    if with_demo:
        demo_started = dt.datetime.now()
        paths = demo.write_demo(demo_dir, demo.generate(reference))
        people = {key: read_typed_csv(paths[key], columns)
                  for key, (_, columns) in canonical.FILES.items()}
        check_people(people, reference, paths)
        loaded += [LoadedFile(paths[key], key, len(people[key]), demo_started)
                   for key in canonical.FILES]
        log(f"Demodata genereret i {display_path(demo_dir)}: {len(people['mayors'])} "
            f"borgmestre, {len(people['registrations'])} tilmeldinger")

    tables = assemble_tables(reference, people)
    boundaries = shipped_boundaries(reference_dir,
                                    {m["kommune_code"] for m in reference.municipalities})
    if boundaries:
        loaded.append(LoadedFile(Path(reference_dir) / BOUNDARIES_FILE,
                                 "municipality_boundaries", len(boundaries), started))
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    with next_version(database, "building", from_current=False) as version:
        con = version.con
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        for table, rows in tables.items():
            insert_rows(con, table, rows)
        if boundaries:  # DuckDB refuses executemany with no rows (a folder without them)
            con.executemany("INSERT INTO municipality_boundaries VALUES (?, ?)",
                            sorted(boundaries.items()))
        record_runs(con, loaded)
        refresh_marts(con)
        assert_integrity(con)
    counts = {table: len(rows) for table, rows in tables.items()}
    counts["municipality_boundaries"] = len(boundaries)
    log(f"Database bygget: {display_path(database)} ("
        + ", ".join(f"{t} {n}" for t, n in counts.items()) + ")")
    return BuildResult(database, counts, is_demo=with_demo)


# What makes a database hold real data, beside not being marked as demo: rows in these tables,
# or audit rows of any command but the build's own. Said as in a message (Danish).
def shipped_boundaries(reference_dir: Path, codes: set[int]) -> dict[int, str]:
    """The shipped outlines (etl/derive_boundaries.py) of the municipalities `codes`, as
    {kommune_code: GeoJSON geometry text}, so the maps show Denmark out of the box; empty
    for a reference folder without them (a database whose maps draw town halls)."""
    boundaries_file = Path(reference_dir) / BOUNDARIES_FILE
    if not boundaries_file.is_file():
        return {}
    shapes, _ = read_boundaries(boundaries_file, "KOMKODE", codes, tolerance=0)
    return {code: json.dumps(g, separators=(",", ":")) for code, g in shapes.items()}


# Municipality boundaries are not in the list: every build loads the shipped ones, and a
# user's own come by `etl boundaries`, whose audit row counts.
REAL_DATA = {"mayors": "borgmestre", "registrations": "tilmeldinger"}


def real_data_held(database: Path) -> dict[str, int]:
    """What real data `database` holds, as {what (Danish words): rows}; empty when it holds
    none: no file, a demo database (dataset_info is_demo 'true'), or a `build --no-demo`
    with nothing added. A file that cannot be read holds nothing we could keep."""
    if not database.is_file():
        return {}
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            demo_flag = con.execute("SELECT any_value(value) FROM dataset_info "
                                    "WHERE key = 'is_demo'").fetchone()[0]
            if demo_flag == "true":
                return {}
            held = {said: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table, said in REAL_DATA.items()}
            held["kørsler i importloggen"] = con.execute(
                "SELECT count(*) FROM import_runs WHERE command <> 'build'").fetchone()[0]
    except duckdb.Error:
        return {}
    return {said: rows for said, rows in held.items() if rows}


def refuse_real_data(database: Path) -> None:
    """Raise SourceError (build_holds_real_data) when `database` holds real data."""
    held = real_data_held(database)
    if held:
        holds = ", ".join(f"{count_said(rows)} {said}" for said, rows in held.items())
        raise SourceError([SourceProblem(display_path(database), None, None,
                                         "build_holds_real_data",
                                         {"holds": holds, "database": display_path(database)})])


def assemble_tables(reference: ReferenceData,
                    people: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Rows per table, in load order (parents before children)."""
    list_price = {p["format"]: p["price_ex_vat"] for p in reference.prices}
    demo_venues = {v["session_id"]: v for v in people["venues"]}
    sessions = []
    for session in reference.sessions:
        row = dict(session, price_ex_vat=list_price[session["format"]], venue_is_demo=False,
                   is_demo=False, price_is_own=False)
        venue = demo_venues.get(session["session_id"])
        if venue and session["lat"] is None:
            row.update(venue=venue["venue"], city=venue["city"], lat=venue["lat"],
                       lon=venue["lon"], venue_is_demo=True)
        sessions.append(row)
    # The demo's own programme and sessions, marked so. They carry their own prices, so the
    # brochure's 2022-2025 list does not apply to them (the shipped programmes use it).
    programmes = ([dict(p, is_demo=False, uses_shipped_prices=True) for p in reference.programmes]
                  + [dict(p, is_demo=True, uses_shipped_prices=False)
                     for p in people["programmes"]])
    sessions += [dict(s, time_of_day_known=True, venue_is_demo=s["lat"] is not None,
                      is_demo=True, price_is_own=s["price_ex_vat"] is not None)
                 for s in people["sessions"]]
    info = people["dataset_info"] or [
        {"key": "is_demo", "value": "false"},
        {"key": "data_as_of", "value": clock.today().isoformat()},
    ]
    return {
        "municipalities": reference.municipalities,
        "prices": reference.prices,
        "programmes": programmes,
        "sessions": sessions,
        "venue_candidates": reference.venue_candidates,
        "mayors": people["mayors"],
        "mayor_terms": people["mayor_terms"],
        "registrations": people["registrations"],
        "dataset_info": info,
    }


def check_people(people: dict[str, list[dict[str, Any]]], reference: ReferenceData,
                 paths: dict[str, Path]) -> None:
    """Cross-file checks the database constraints would catch without saying where."""
    problems = []
    codes = {m["kommune_code"] for m in reference.municipalities}
    session_ids = ({s["session_id"] for s in reference.sessions}
                   | {s["session_id"] for s in people["sessions"]})
    mayors_file = display_path(paths["mayors"])
    for mayor in people["mayors"]:
        if mayor["kommune_code"] not in codes:
            problems.append(SourceProblem(mayors_file, mayor["_line"], "kommune_code",
                                          "municipality_code_unknown", {},
                                          str(mayor["kommune_code"])))
    mayor_home = {m["mayor_id"]: m["kommune_code"] for m in people["mayors"]}
    registrations_file = display_path(paths["registrations"])
    for reg in people["registrations"]:
        line = reg["_line"]
        if reg["session_id"] not in session_ids:
            problems.append(SourceProblem(registrations_file, line, "session_id",
                                          "session_id_unknown", {}, reg["session_id"]))
        home = mayor_home.get(reg["mayor_id"])
        if home is None:
            problems.append(SourceProblem(registrations_file, line, "mayor_id",
                                          "mayor_unknown", {}, reg["mayor_id"]))
        elif home != reg["kommune_code"]:
            problems.append(SourceProblem(registrations_file, line, "kommune_code",
                                          "mayor_other_municipality", {"code": home},
                                          str(reg["kommune_code"])))
    if problems:
        raise SourceError(problems)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    columns = TABLE_COLUMNS[table]
    if not rows:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})",
                    [[row.get(c) for c in columns] for row in rows])


def record_runs(con: duckdb.DuckDBPyConnection, loaded: list[LoadedFile]) -> None:
    for item in loaded:
        record_run(con, "build", display_path(item.path), item.rows, item.rows,
                   item.started_at, f"indlæst i {item.table}", sha256=sha256_of(item.path),
                   finished_at=item.finished_at)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


