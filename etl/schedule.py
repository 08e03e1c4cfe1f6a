"""Programme schedules and price lists, imported like registrations (etl.importer stages,
parses and audits them; this module holds their own checks and how they are applied).

A schedule file is its programmes' WHOLE schedule: each programme named in it is added or
updated, its sessions updated in place (matched by session id, else by start date and
format), new ones added, and the stored sessions it no longer lists removed. A removal of a
session that has registrations refuses the file, changing nothing. A price list sets a
programme's price per format; the sessions without a price of their own take it.

Schedules are tens of rows, not a million: the checks are plain SQL over the parsed table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.errors import SourceError, SourceProblem
from etl.reasons import sql_params

# --- The municipal election period -----------------------------------------------------------

# Danish municipal elections are held in November every four years (2021, 2025, 2029, ...);
# the elected councils (and the mayors they choose) serve from 1 January after the election
# for four years. A programme's period is the election period holding its first session.
FIRST_ELECTION_YEAR = 2021
ELECTION_INTERVAL_YEARS = 4


def election_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The election period holding `day`: (1 January after an election, 31 December four
    years on). election_period(2026-03-02) -> (2026-01-01, 2029-12-31)."""
    first = FIRST_ELECTION_YEAR + 1
    start = first + (day.year - first) // ELECTION_INTERVAL_YEARS * ELECTION_INTERVAL_YEARS
    return dt.date(start, 1, 1), dt.date(start + ELECTION_INTERVAL_YEARS - 1, 12, 31)


def _period_start_year_sql(x: str) -> str:
    """SQL of election_period's first year for the date or timestamp `x`."""
    first = FIRST_ELECTION_YEAR + 1
    return (f"({first} + CAST(floor((year({x}) - {first}) / {ELECTION_INTERVAL_YEARS}) "
            f"AS INTEGER) * {ELECTION_INTERVAL_YEARS})")


def period_sql(x: str) -> tuple[str, str]:
    """SQL of (period_start, period_end) of election_period for `x`."""
    year = _period_start_year_sql(x)
    return (f"make_date({year}, 1, 1)",
            f"make_date({year} + {ELECTION_INTERVAL_YEARS - 1}, 12, 31)")


# --- Reading a session's times ---------------------------------------------------------------

# A time of 00:00 is read as no time given: Excel stores a date cell as that day at midnight,
# and no session starts at midnight. A session's end given as a date alone is the end of that
# day; no end at all is the end of the start day.
def _no_time(x: str) -> str:
    return f"({x} = date_trunc('day', {x}))"


def _end_sql(starts: str, ends: str) -> str:
    day_end = "date_trunc('day', {x}) + INTERVAL 1 DAY"
    return (f"CASE WHEN {ends} IS NULL THEN {day_end.format(x=starts)} "
            f"WHEN {_no_time(ends)} THEN {day_end.format(x=ends)} ELSE {ends} END")


# The title of a session the file gives none, by format (as the brochure's sessions are named).
FORMAT_TITLES = {"day": "Dagsession", "overnight": "Døgnsession", "online": "Onlinemøde"}
# Where a venue may lie: Denmark (as municipalities.csv's town halls are held to).
DENMARK = {"lat": (54.5, 57.8), "lon": (8.0, 15.2)}
# The names of a schedule workbook's sheet that holds its price list (matched folded: case
# and spaces do not matter).
PRICE_SHEETS = ("Priser", "Prisliste", "Prislister", "Prices", "Price list")
# Every reason the checks below give (etl.importer renders them in SQL).
SQL_REASONS = ("session_ends_before_start", "lat_lon_half", "online_has_venue",
               "venue_outside", "venue_position_unknown", "venue_without_city",
               "session_twice", "session_of_other_programme", "schedule_outside_period",
               "price_list_programme_unknown", "price_twice")
MAX_LINES_NAMED = 5


def price_sheet(path: Path, named: str | None) -> str | None:
    """The sheet of the workbook at `path` holding its price list (PRICE_SHEETS), when the
    schedule was read from another sheet not named by the user; None otherwise."""
    if named is not None or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    from openpyxl import load_workbook  # start-up cost (0,13 s): a CSV import needs none

    book = load_workbook(path, read_only=True)
    try:
        wanted = {name.replace(" ", "").lower() for name in PRICE_SHEETS}
        return next((ws.title for ws in book.worksheets
                     if ws.title.replace(" ", "").lower() in wanted), None)
    finally:
        book.close()


# --- Checks ----------------------------------------------------------------------------------

def _venue_places(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table venue_places (place, lat, lon): every folded spelling of a city a venue's
    position is known from: a venue candidate's city (its centre), else a municipality's
    (its town hall, through the importer's municipality_aliases)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE venue_places AS
        SELECT place, arg_min(lat, rank) AS lat, arg_min(lon, rank) AS lon FROM (
            SELECT fold_place(city) AS place, lat, lon, 0 AS rank FROM venue_candidates
            UNION ALL
            SELECT a.alias, m.lat, m.lon, 1 FROM municipality_aliases a
            JOIN municipalities m USING (kommune_code))
        GROUP BY place""")


def _resolve_ids(con: duckdb.DuckDBPyConnection, parsed: str, table: str) -> None:
    """Temp table `table` (line, session_id, given): each line's session id: its own, else
    the stored session of its programme with its start date and format, else one made from
    programme, start date and format (the same file gives the same ids)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT p.line, p.session_id IS NOT NULL AS given,
               coalesce(p.session_id, by_day.session_id,
                        p.programme_id || '-' || strftime(p.starts_ts, '%Y-%m-%d') || '-'
                        || p.format_code) AS session_id
        FROM {parsed} p
        LEFT JOIN (SELECT programme_id, CAST(starts_at AS DATE) AS day, format,
                          min(session_id) AS session_id FROM sessions GROUP BY ALL) by_day
               ON p.session_id IS NULL AND by_day.programme_id = p.programme_id
              AND by_day.day = CAST(p.starts_ts AS DATE) AND by_day.format = p.format_code""")


def schedule_checks(con: duckdb.DuckDBPyConnection, parsed: str, number: int) -> str:
    """SQL selecting (line, field, value, code, params) of a schedule's own problems: an end
    before the start, half a position, a position for an online session or outside Denmark,
    a physical session's position not known, one session twice, a session id of another
    programme, a session outside its programme's period."""
    _venue_places(con)
    ids = f"schedule_ids_{number}"
    _resolve_ids(con, parsed, ids)
    lat, lon = DENMARK["lat"], DENMARK["lon"]
    start, end = period_sql("min(f.starts_ts)")
    no = sql_params()
    return f"""
        SELECT line, 'ends_at', CAST(ends_ts AS VARCHAR), 'session_ends_before_start', {no}
        FROM {parsed} WHERE ends_ts IS NOT NULL AND starts_ts IS NOT NULL
          AND {_end_sql('starts_ts', 'ends_ts')} <= starts_ts
        UNION ALL
        SELECT line, CASE WHEN lat IS NULL THEN 'lon' ELSE 'lat' END,
               CAST(coalesce(lat, lon) AS VARCHAR), 'lat_lon_half', {no}
        FROM {parsed} WHERE (lat IS NULL) <> (lon IS NULL)
        UNION ALL
        SELECT line, 'lat', CAST(lat AS VARCHAR), 'online_has_venue', {no}
        FROM {parsed} WHERE format_code = 'online' AND lat IS NOT NULL
        UNION ALL
        SELECT line, 'lat', lat || ', ' || lon, 'venue_outside', {no}
        FROM {parsed} WHERE format_code <> 'online' AND lat IS NOT NULL AND lon IS NOT NULL
          AND NOT (lat BETWEEN {lat[0]} AND {lat[1]} AND lon BETWEEN {lon[0]} AND {lon[1]})
        UNION ALL
        SELECT line, 'city', city, 'venue_position_unknown', {sql_params(city='city')}
        FROM {parsed} WHERE format_code <> 'online' AND lat IS NULL AND lon IS NULL
          AND city IS NOT NULL
          AND fold_place(city) NOT IN (SELECT place FROM venue_places)
        UNION ALL
        SELECT line, 'venue', venue, 'venue_without_city', {no}
        FROM {parsed} WHERE format_code <> 'online' AND lat IS NULL AND lon IS NULL
          AND city IS NULL AND venue IS NOT NULL
        UNION ALL
        SELECT i.line, CASE WHEN i.given THEN 'session_id' ELSE 'starts_at' END, i.session_id,
               'session_twice', other_lines(d.firsts, i.line, d.n)
        FROM {ids} i JOIN (SELECT session_id, count(*) AS n,
                                  min(line, {MAX_LINES_NAMED + 1}) AS firsts
                           FROM {ids} WHERE session_id IS NOT NULL
                           GROUP BY session_id HAVING count(*) > 1) d USING (session_id)
        UNION ALL
        SELECT p.line, 'session_id', p.session_id, 'session_of_other_programme',
               {sql_params(session='s.session_id', programme='s.programme_id')}
        FROM {parsed} p JOIN sessions s ON s.session_id = p.session_id
        WHERE s.programme_id <> p.programme_id
        UNION ALL
        SELECT p.line, 'starts_at', CAST(p.starts_ts AS VARCHAR), 'schedule_outside_period',
               {sql_params(start="strftime(g.period_start, '%d-%m-%Y')",
                           end="strftime(g.period_end, '%d-%m-%Y')")}
        FROM {parsed} p JOIN (
            SELECT f.programme_id, coalesce(any_value(g.period_start), {start}) AS period_start,
                   coalesce(any_value(g.period_end), {end}) AS period_end
            FROM {parsed} f LEFT JOIN programmes g USING (programme_id)
            WHERE f.starts_ts IS NOT NULL GROUP BY f.programme_id) g USING (programme_id)
        WHERE NOT CAST(p.starts_ts AS DATE) BETWEEN g.period_start AND g.period_end"""


def price_list_checks(parsed: str, schedules: list[str]) -> str:
    """SQL selecting (line, field, value, code, params) of a price list's own problems: a
    programme neither stored nor in a schedule checked before it in this import
    (`schedules`: their parsed tables), one programme and format twice."""
    earlier = "".join(f" UNION SELECT programme_id FROM {table}" for table in schedules)
    return f"""
        SELECT line, 'programme_id', programme_id, 'price_list_programme_unknown', {sql_params()}
        FROM {parsed} WHERE programme_id IS NOT NULL AND programme_id NOT IN (
            SELECT programme_id FROM programmes{earlier})
        UNION ALL
        SELECT p.line, 'format', p.format_code, 'price_twice', other_lines(d.firsts, p.line, d.n)
        FROM {parsed} p JOIN (SELECT programme_id, format_code, count(*) AS n,
                                     min(line, {MAX_LINES_NAMED + 1}) AS firsts
                              FROM {parsed} WHERE format_code IS NOT NULL
                              GROUP BY ALL HAVING count(*) > 1) d
          USING (programme_id, format_code)"""


# --- Applying ----------------------------------------------------------------------------

def _incoming(con: duckdb.DuckDBPyConnection, valid: str, number: int) -> str:
    """Temp table schedule_in_N: the file's valid rows as sessions (resolved ids, times, a
    venue's position), each with whether it is new or changed against the stored one."""
    ids = f"schedule_ids_{number}"
    _resolve_ids(con, f"parsed_{number}", ids)
    table = f"schedule_in_{number}"
    titles = " ".join(f"WHEN '{fmt}' THEN '{title}'" for fmt, title in FORMAT_TITLES.items())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH rows AS (
            SELECT i.session_id, v.programme_id,
                   coalesce(v.title, CASE v.format_code {titles} END) AS title,
                   v.audience_code AS audience, v.format_code AS format,
                   v.starts_ts AS starts_at, {_end_sql('v.starts_ts', 'v.ends_ts')} AS ends_at,
                   NOT {_no_time('v.starts_ts')} AS time_of_day_known,
                   v.venue, v.city,
                   CASE WHEN v.format_code <> 'online' THEN coalesce(v.lat, place.lat) END AS lat,
                   CASE WHEN v.format_code <> 'online' THEN coalesce(v.lon, place.lon) END AS lon,
                   v.capacity, v.price_ex_vat AS own_price
            FROM {valid} v JOIN {ids} i USING (line)
            LEFT JOIN venue_places place ON place.place = fold_place(v.city))
        SELECT r.*, s.session_id IS NULL AS is_new,
               s.session_id IS NOT NULL AND (
                   s.title, s.audience, s.format, s.starts_at, s.ends_at, s.time_of_day_known,
                   s.venue, s.city, s.lat, s.lon, s.capacity,
                   CASE WHEN s.price_is_own THEN s.price_ex_vat END, s.venue_is_demo)
                   IS DISTINCT FROM (
                   r.title, r.audience, r.format, r.starts_at, r.ends_at, r.time_of_day_known,
                   r.venue, r.city, r.lat, r.lon, r.capacity, r.own_price, false) AS is_changed
        FROM rows r LEFT JOIN sessions s USING (session_id)""")
    return table


def _removed(con: duckdb.DuckDBPyConnection, incoming: str) -> str:
    """SQL selecting the stored sessions of the incoming programmes the file no longer lists,
    with their registrations counted."""
    return f"""
        SELECT s.programme_id, s.session_id,
               (SELECT count(*) FROM registrations r WHERE r.session_id = s.session_id) AS n
        FROM sessions s
        WHERE s.programme_id IN (SELECT programme_id FROM {incoming})
          AND s.session_id NOT IN (SELECT session_id FROM {incoming})"""


def refuse_removals(con: duckdb.DuckDBPyConnection, valid: str, number: int,
                    where: str) -> None:
    """Raise SourceError (schedule_removes_registered, naming the programme, the sessions
    and how many registrations they have) when the file would remove a stored session that
    has registrations. A demo database's registrations do not count: a real import removes
    them anyway."""
    incoming = _incoming(con, valid, number)
    is_demo = con.execute("SELECT any_value(value) = 'true' FROM dataset_info "
                          "WHERE key = 'is_demo'").fetchone()[0]
    if is_demo:
        return
    held = con.execute(f"SELECT programme_id, list(session_id ORDER BY session_id), sum(n) "
                       f"FROM ({_removed(con, incoming)}) WHERE n > 0 GROUP BY 1 "
                       f"ORDER BY 1").fetchall()
    if held:
        raise SourceError([SourceProblem(where, None, None, "schedule_removes_registered", {
            "programme": programme, "sessions": ", ".join(ids), "count": str(count)})
            for programme, ids, count in held])


def apply_schedule(con: duckdb.DuckDBPyConnection, valid: str, number: int,
                   partial: bool) -> tuple[int, int, int, int]:
    """Apply a checked schedule: programmes added (period: election_period of the first
    session; title: the file's, else the id) or retitled, sessions updated in place or
    added, the programme's other stored sessions removed (not when `partial`: lines were
    rejected, and a rejected line's session must not go), prices set (set_prices).
    Returns (new, updated, unchanged, removed) sessions."""
    incoming = _incoming(con, valid, number)
    start, end = period_sql("min(starts_ts)")
    con.execute(f"""
        INSERT INTO programmes (programme_id, title, period_start, period_end,
                                uses_shipped_prices)
        SELECT programme_id, coalesce(any_value(programme_title), programme_id), {start},
               {end}, false
        FROM {valid} WHERE programme_id NOT IN (SELECT programme_id FROM programmes)
        GROUP BY programme_id""")
    con.execute(f"""
        UPDATE programmes SET title = t.title FROM (
            SELECT programme_id, min(programme_title) AS title FROM {valid}
            WHERE programme_title IS NOT NULL GROUP BY 1) t
        WHERE programmes.programme_id = t.programme_id AND programmes.title <> t.title""")
    removed = 0
    if not partial:
        gone = f"SELECT session_id FROM ({_removed(con, incoming)}) WHERE n = 0"
        (removed,) = con.execute(f"SELECT count(*) FROM ({gone})").fetchone()
        con.execute(f"DELETE FROM sessions WHERE session_id IN ({gone})")
    columns = ("title", "audience", "format", "starts_at", "ends_at",
               "time_of_day_known", "venue", "city", "lat", "lon", "capacity")
    con.execute(f"""
        UPDATE sessions SET {", ".join(f"{c} = i.{c}" for c in columns)},
               venue_is_demo = false, price_is_own = i.own_price IS NOT NULL,
               price_ex_vat = coalesce(i.own_price, sessions.price_ex_vat)
        FROM {incoming} i WHERE sessions.session_id = i.session_id AND i.is_changed""")
    con.execute(f"""
        INSERT INTO sessions (session_id, programme_id, {", ".join(columns)}, price_ex_vat,
                              price_is_own)
        SELECT session_id, programme_id, {", ".join(columns)}, own_price,
               own_price IS NOT NULL
        FROM {incoming} WHERE is_new""")
    set_prices(con, f"SELECT DISTINCT programme_id FROM {incoming}")
    new, updated, total = con.execute(
        f"SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE is_changed), "
        f"count(*) FROM {incoming}").fetchone()
    return new, updated, total - new - updated, removed


def apply_price_list(con: duckdb.DuckDBPyConnection, valid: str) -> tuple[int, int, int]:
    """Apply a checked price list: each (programme, format) row set (VAT 25 % when none is
    given: the brochure's rate, prices.vat_rate), the sessions without a price of their own
    repriced. Returns (new, updated, unchanged) rows."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE price_list_in AS
        SELECT v.programme_id, v.format_code AS format, v.price_ex_vat,
               coalesce(v.vat_rate, p.vat_rate) AS vat_rate, v.source,
               l.programme_id IS NULL AS is_new,
               l.programme_id IS NOT NULL AND (l.price_ex_vat, l.vat_rate, l.source)
                   IS DISTINCT FROM (v.price_ex_vat, coalesce(v.vat_rate, p.vat_rate),
                                     v.source) AS is_changed
        FROM {valid} v JOIN prices p ON p.format = v.format_code
        LEFT JOIN price_lists l ON l.programme_id = v.programme_id AND l.format = v.format_code
    """)
    con.execute("""
        INSERT OR REPLACE INTO price_lists
        SELECT programme_id, format, price_ex_vat, vat_rate, source FROM price_list_in
        WHERE is_new OR is_changed""")
    set_prices(con, "SELECT DISTINCT programme_id FROM price_list_in")
    new, updated, total = con.execute(
        "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE is_changed), count(*) "
        "FROM price_list_in").fetchone()
    return new, updated, total - new - updated


def set_prices(con: duckdb.DuckDBPyConnection, programmes: str) -> None:
    """Set the listed price (programme_prices) of every session of the programmes `programmes`
    (SQL selecting programme_id) whose price is not its own."""
    con.execute(f"""
        UPDATE sessions SET price_ex_vat = p.price_ex_vat FROM programme_prices p
        WHERE p.programme_id = sessions.programme_id AND p.format = sessions.format
          AND NOT sessions.price_is_own AND sessions.programme_id IN ({programmes})
          AND sessions.price_ex_vat IS DISTINCT FROM p.price_ex_vat""")

