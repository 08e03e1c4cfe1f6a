"""Every question the pages ask the database.

What a page shows (an aggregate, or rows with the business rules applied) is a table macro
in the marts layer of etl/schema.sql, and its function here selects from it:
`session_turnout` is `SELECT * FROM session_turnout_for(?)`. Only plain look-ups of the
tables (programmes, sessions, regions, the import history ...) are SQL of their own here.

Each function takes a DuckDB connection (or cursor) and returns plain data or a DataFrame.
Its docstring is its contract (dashboard.contracts): the DataFrame's columns in order with
their units under `Columns:`, or what else it returns under `Returns:`; tests/test_contracts.py
holds every query to it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pandas as pd


def _mart(con: duckdb.DuckDBPyConnection, macro: str, *arguments) -> pd.DataFrame:
    """Every row of the table macro `macro` of the marts layer, called with `arguments` as
    prepared parameters (DuckDB folds them in as constants before it plans the query)."""
    placeholders = ", ".join("?" * len(arguments))
    return con.execute(f"SELECT * FROM {macro}({placeholders})", list(arguments)).df()


# --- Filters --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """The filter bar's filters as the marts take them; an empty tuple means "all".

    Fields: regions (region names, "Region Hovedstaden"), formats (day, overnight, online),
    audiences (intro, all), years (calendar years of the sessions). Which of them a page
    takes is dashboard.url_state.PAGE_FILTERS; `only` narrows to those.
    """

    regions: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def arguments(self) -> list[list | None]:
        """The filters as the marts' arguments (regions, formats, audiences, years), in that
        order: a list, or None for "all" (passes_filters in etl/schema.sql, where an empty
        list would let nothing through)."""
        return [list(values) or None for values in (
            self.regions, self.formats, self.audiences, [int(y) for y in self.years])]

    def only(self, fields) -> Filters:
        """These filters with every field not in `fields` (url_state.FILTERS names) back
        at "all"."""
        return Filters(**{name: getattr(self, name) if name in fields else ()
                          for name in ("regions", "formats", "audiences", "years")})

    @property
    def session_arguments(self) -> list[list | None]:
        """The session filters alone (formats, audiences, years), as `arguments` gives them."""
        return self.arguments()[1:]


NO_FILTERS = Filters()


@dataclass(frozen=True)
class DatasetInfo:
    """What dataset_info says about the loaded data.

    Fields:
        is_demo (yes/no) — the data set is the made-up demo
        data_as_of (date) — the day the data was exported or made
    """

    is_demo: bool
    data_as_of: dt.date


def dataset_info(con: duckdb.DuckDBPyConnection) -> DatasetInfo:
    """What the loaded data set is.

    Returns: DatasetInfo (a dataclass)
    """
    values = dict(con.execute("SELECT key, value FROM dataset_info").fetchall())
    return DatasetInfo(is_demo=values.get("is_demo") == "true",
                       data_as_of=dt.date.fromisoformat(values["data_as_of"]))


def programmes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All programme periods, newest first.

    Columns:
        programme_id (id) — the programme
        title (text) — its name
        period_start (date) — first day of the period
        period_end (date) — last day of the period
    """
    return con.execute(
        "SELECT programme_id, title, period_start, period_end FROM programmes "
        "ORDER BY period_start DESC, programme_id"
    ).df()


def sessions(con: duckdb.DuckDBPyConnection, programme_id: str,
             filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """The programme's sessions in time order: those of the filters' formats, audiences and
    years (a session has no region: `filters.regions` does not narrow it).

    Columns:
        session_id (id) — the session
        title (text) — KL's title (Danish)
        audience (code) — intro or all
        format (code) — day, overnight or online
        starts_at (timestamp, local time) — start
        ends_at (timestamp, local time) — end
        time_of_day_known (yes/no) — false: only the day is known (times are midnight)
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        venue_is_demo (yes/no) — the venue is made up by the demo data
    """
    return con.execute(
        "SELECT session_id, title, audience, format, starts_at, ends_at, time_of_day_known, "
        "venue, city, venue_is_demo FROM sessions WHERE programme_id = ? "
        "AND session_passes(format, audience, starts_at, ?, ?, ?) ORDER BY starts_at",
        [programme_id, *filters.session_arguments],
    ).df()


@dataclass(frozen=True)
class KeyFigures:
    """The overview's headline numbers for one programme.

    Fields:
        municipalities_total (count) — every municipality (of the regions filtered)
        municipalities_reached (count) — municipalities with an attendance
        mayors_reached (count) — mayors with an attendance
        registrations (count) — registrations not cancelled
        attended (count) — registrations attended
        no_shows (count) — registrations marked no-show
        revenue_ex_vat (kr. ex VAT) — booked revenue, billed cancellations included
        registrations_price_unknown (count) — counted as 0 kr. for want of a price
    """

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


def key_figures(con: duckdb.DuckDBPyConnection, programme_id: str,
                filters: Filters = NO_FILTERS) -> KeyFigures:
    """The overview's headline numbers for one programme, for the filters (the
    municipalities of the regions filtered, the registrations of their mayors at the
    sessions filtered).

    Returns: KeyFigures (a dataclass)
    """
    row = con.execute("SELECT * FROM key_figures_for(?, ?, ?, ?, ?)",
                      [programme_id, *filters.arguments()]).fetchone()
    return KeyFigures(*row[:6], float(row[6]), row[7])


# --- Municipalities -----------------------------------------------------------------------

def participation_by_municipality(con: duckdb.DuckDBPyConnection, programme_id: str,
                                  filters: Filters = Filters()) -> pd.DataFrame:
    """Per municipality: sessions registered for and attended among the filtered sessions.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        population (people) — inhabitants
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        sessions_offered (count) — filtered sessions of the programme
        sessions_registered (count) — of those, registered for (attended, no-show or booked)
        sessions_attended (count) — of those, attended
        share_attended (share 0–1) — sessions_attended / sessions_offered
        sessions_no_show (count) — of those registered for, held and not attended
        sessions_pending (count) — of those registered for, not yet held
    """
    return _mart(con, "participation_by_municipality_for", programme_id, *filters.arguments())


def session_matrix(con: duckdb.DuckDBPyConnection, programme_id: str,
                   filters: Filters = Filters()) -> pd.DataFrame:
    """Municipality x session status, long form, sessions in time order.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        status (code) — the municipality's strongest status there, or not_registered
    """
    return _mart(con, "session_matrix_for", programme_id, *filters.arguments())


def never_attended(con: duckdb.DuckDBPyConnection, programme_id: str,
                   filters: Filters = Filters()) -> pd.DataFrame:
    """Municipalities with no attendance at any filtered session, with their current mayor.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        mayor (text) — the mayor in office now (empty if none)
        party (text) — that mayor's party letter
        registered_only (count) — filtered sessions registered for but not attended
        cancelled (count) — filtered sessions whose registration was cancelled
        no_show (count) — of registered_only, sessions held and not attended
        pending (count) — of registered_only, sessions not yet held (no outcome yet)
    """
    return _mart(con, "never_attended_for", programme_id, *filters.arguments())


def municipality_detail(con: duckdb.DuckDBPyConnection, programme_id: str,
                        kommune_code: int) -> pd.DataFrame:
    """The municipality's mayor(s) and their status at every session while in office.

    Columns:
        municipality (text) — the municipality's name
        mayor_name (text) — the mayor in office on the session's day
        party (text) — party letter of the term then in force
        newly_elected (yes/no) — that term is the mayor's first
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        status (code) — the mayor's status there, or not_registered
    """
    return _mart(con, "municipality_detail_for", programme_id, kommune_code)


def kommune_code_by_name(con: duckdb.DuckDBPyConnection, name: str | None) -> int | None:
    """The municipality's code by its exact name.

    Returns: int or None (no municipality of that name)
    """
    row = con.execute("SELECT kommune_code FROM municipalities WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def municipality(con: duckdb.DuckDBPyConnection, kommune_code: int) -> pd.DataFrame:
    """The municipality with that DST code: one row, or none for an unknown code.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        population (people) — inhabitants
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
    """
    return con.execute(
        "SELECT kommune_code, name AS municipality, region, population, lat, lon "
        "FROM municipalities WHERE kommune_code = ?", [kommune_code]).df()


def municipality_mayors(con: duckdb.DuckDBPyConnection, programme_id: str,
                        kommune_code: int) -> pd.DataFrame:
    """The municipality's mayors during the programme: every term overlapping its period,
    the earliest first.

    Columns:
        mayor (text) — the mayor's name
        party (text) — party letter of that term
        newly_elected (yes/no) — the term is the mayor's first
        term_start (date) — first day in office
        term_end (date) — last day in office (empty: still in office)
    """
    return _mart(con, "municipality_mayors_for", programme_id, kommune_code)


def municipality_sessions(con: duckdb.DuckDBPyConnection, programme_id: str,
                          kommune_code: int) -> pd.DataFrame:
    """The municipality at every session of the programme, in time order: its status there,
    the straight-line distance from its town hall to the venue, and what it is billed.

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        audience (code) — intro or all
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        status (code) — the municipality's strongest status there, or not_registered
        attended (yes/no) — that status counts as attended (the rule is_attended)
        travel_km (km) — town hall to venue (empty: online)
        revenue_ex_vat (kr. ex VAT) — billed to the municipality, cancellations included
        revenue_incl_vat (kr. incl. VAT) — the same with VAT
        invoiced_ex_vat (kr. ex VAT) — of that, invoiced
        invoiced_incl_vat (kr. incl. VAT) — invoiced, with VAT
        invoiced_at (date) — the latest invoice date (empty: not invoiced)
        registrations_price_unknown (count) — counted as 0 kr. for want of a price
    """
    return _mart(con, "municipality_sessions_for", programme_id, kommune_code)


def session_detail(con: duckdb.DuckDBPyConnection, session_id: str) -> pd.DataFrame:
    """The session with that id and its programme: one row, or none for an unknown id.

    Columns:
        session_id (id) — the session
        programme_id (id) — its programme
        programme_title (text) — the programme's name
        title (text) — KL's title (Danish)
        audience (code) — intro or all
        format (code) — day, overnight or online
        starts_at (timestamp, local time) — start
        ends_at (timestamp, local time) — end
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        venue_is_demo (yes/no) — the venue is made up by the demo data
        capacity (count) — places (empty: no limit)
    """
    return con.execute(
        "SELECT s.session_id, s.programme_id, p.title AS programme_title, s.title, "
        "s.audience, s.format, s.starts_at, s.ends_at, s.venue, s.city, s.venue_is_demo, "
        "s.capacity FROM sessions s JOIN programmes p USING (programme_id) "
        "WHERE s.session_id = ?", [session_id]).df()


def municipality_codes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every municipality's code by its name: links a table that names municipalities to
    their pages.

    Returns: dict of int (kommune code) by str (name)
    """
    return dict(con.execute("SELECT name, kommune_code FROM municipalities").fetchall())


def regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every region's name, in Danish alphabetical order.

    Returns: list of str
    """
    return [r for (r,) in con.execute(
        "SELECT DISTINCT region FROM municipalities ORDER BY region COLLATE da").fetchall()]


def session_years(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[int]:
    """The calendar years the programme has sessions in, ascending.

    Returns: list of int
    """
    return [y for (y,) in con.execute(
        "SELECT DISTINCT year(starts_at) FROM sessions WHERE programme_id = ? ORDER BY 1",
        [programme_id]).fetchall()]


def boundaries_geojson(con: duckdb.DuckDBPyConnection) -> str | None:
    """Municipality polygons as GeoJSON FeatureCollection text, or None when none are loaded.

    The stored geometries are GeoJSON text already: joined as text, never parsed.

    Returns: str or None
    """
    rows = con.execute(
        "SELECT kommune_code, geojson FROM municipality_boundaries ORDER BY kommune_code"
    ).fetchall()
    if not rows:
        return None
    features = ",".join(
        f'{{"type":"Feature","id":{code},"properties":{{"kommune_code":{code}}},'
        f'"geometry":{geometry}}}' for code, geometry in rows)
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def boundaries(con: duckdb.DuckDBPyConnection) -> dict | None:
    """Municipality polygons as a GeoJSON FeatureCollection, or None when none are loaded.

    Returns: dict or None
    """
    text = boundaries_geojson(con)
    return json.loads(text) if text is not None else None


def boundary_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many municipalities have boundaries loaded (0: the maps draw town halls as dots).

    Returns: int, a count of municipalities
    """
    return con.execute("SELECT count(*) FROM municipality_boundaries").fetchone()[0]


# --- Sessions over time -------------------------------------------------------------------

def session_turnout(con: duckdb.DuckDBPyConnection, programme_id: str,
                    held_by: dt.date | None = None,
                    filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per session: registered, attended, no-shows, cancellations (the overview's trend).
    A session not held by `held_by` has no attended or no-shows yet (empty, shown "–");
    None: every session as it stands. The sessions of the filters, counting the
    registrations of municipalities in the regions filtered.

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        audience (code) — intro or all
        registered (count) — registrations not cancelled
        attended (count) — registrations attended (empty: not held by `held_by`)
        no_show (count) — registrations marked no-show (empty: not held by `held_by`)
        cancelled (count) — registrations cancelled
        municipalities (count) — distinct municipalities among the registered
    """
    return _mart(con, "session_turnout_for", programme_id, held_by, *filters.arguments())


# --- Retention ----------------------------------------------------------------------------

def retention(con: duckdb.DuckDBPyConnection, programme_id: str,
              held_by: dt.date, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Newly elected vs re-elected: share registered and attended at each session held by
    `held_by` (later sessions are still filling up and would look like a drop); the mayors
    of the regions filtered, at the sessions filtered.

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        audience (code) — intro or all
        cohort (code) — newly_elected or re_elected
        mayors_in_office (count) — mayors of the cohort in office on the session's day
        registered (count) — of those, registered (attended, no-show or booked)
        attended (count) — of those, attended
        share_registered (share 0–1) — registered / mayors_in_office
        share_attended (share 0–1) — attended / mayors_in_office
    """
    return _mart(con, "retention_for", programme_id, held_by, *filters.arguments())


def retention_side_by_side(con: duckdb.DuckDBPyConnection, programme_ids: list[str],
                           held_by: dt.date) -> pd.DataFrame:
    """Each programme's cohorts (its own newly elected against its re-elected, from the terms
    in office during it) at each of its sessions held by `held_by`, aligned on the point of
    the period: `months_in` (whole months from the period's start to the session) and
    `session_number` (1 = the programme's first session). One row per programme, session
    and cohort, in programme order as given, then time.

    Columns:
        programme_id (id) — the programme
        programme_title (text) — its name
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        audience (code) — intro or all
        cohort (code) — newly_elected or re_elected
        months_in (months) — from the period's start to the session
        session_number (position) — the session's place in its programme
        mayors_in_office (count) — mayors of the cohort in office on the session's day
        registered (count) — of those, registered (attended, no-show or booked)
        attended (count) — of those, attended
        share_registered (share 0–1) — registered / mayors_in_office
        share_attended (share 0–1) — attended / mayors_in_office
    """
    return _mart(con, "retention_side_by_side_for", programme_ids, held_by)


def intro_path(con: duckdb.DuckDBPyConnection, programme_id: str,
               held_by: dt.date, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """After the intro sessions: share registered at each joint session held by `held_by`,
    for newly elected mayors who attended an intro session, those who did not, and
    re-elected mayors; the mayors of the regions filtered, at the joint sessions filtered
    (whether a mayor came to an intro counts every intro session).

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        path (code) — newly_elected_intro, newly_elected_no_intro or re_elected
        mayors_in_office (count) — mayors of the path in office on the session's day
        registered (count) — of those, registered (attended, no-show or booked)
        share_registered (share 0–1) — registered / mayors_in_office
    """
    return _mart(con, "intro_path_for", programme_id, held_by, *filters.arguments())


def newly_elected_slipping(con: duckdb.DuckDBPyConnection, programme_id: str,
                           as_of: dt.date, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Newly elected mayors in office who were absent from the last two held sessions: the
    mayors of the regions filtered, the last two joint sessions of those filtered.

    Columns:
        mayor (text) — the mayor's name
        municipality (text) — their municipality
        region (text) — its region
        party (text) — party letter
        last_attended_at (timestamp, local time) — start of the last session attended (empty: none)
        sessions_attended (count) — sessions of the programme attended
    """
    return _mart(con, "newly_elected_slipping_for", programme_id, as_of,
                 *filters.arguments())


# --- Revenue ------------------------------------------------------------------------------

def revenue_by_format(con: duckdb.DuckDBPyConnection, programme_id: str,
                      filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Revenue per format (day, overnight, online, in that order) for one programme: the
    sessions filtered, billed to municipalities of the regions filtered.

    Columns:
        format (code) — day, overnight or online
        sessions (count) — sessions of the format
        registrations (count) — all registrations, cancelled ones included
        cancellations_billed (count) — cancelled registrations (billed)
        registrations_price_unknown (count) — counted as 0 kr. for want of a price
        list_price_ex_vat (kr. ex VAT) — the programme's list price (empty: not set)
        revenue_ex_vat (kr. ex VAT) — booked: every registration, billed cancellations included
        vat (kr. VAT) — VAT on the booked revenue
        revenue_incl_vat (kr. incl. VAT) — booked revenue with VAT
        invoiced_ex_vat (kr. ex VAT) — of the booked, invoiced
        outstanding_ex_vat (kr. ex VAT) — of the booked, not yet invoiced
        invoiced_incl_vat (kr. incl. VAT) — invoiced, with VAT
        outstanding_incl_vat (kr. incl. VAT) — not yet invoiced, with VAT
    """
    return _mart(con, "revenue_by_format_for", programme_id, *filters.arguments())


def revenue_by_session(con: duckdb.DuckDBPyConnection, programme_id: str,
                       filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Revenue per session of one programme, in time order: the sessions filtered, billed
    to municipalities of the regions filtered.

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        registrations (count) — all registrations, cancelled ones included
        cancellations_billed (count) — cancelled registrations (billed)
        registrations_price_unknown (count) — counted as 0 kr. for want of a price
        revenue_ex_vat (kr. ex VAT) — booked: every registration, billed cancellations included
        vat (kr. VAT) — VAT on the booked revenue
        revenue_incl_vat (kr. incl. VAT) — booked revenue with VAT
        invoiced_ex_vat (kr. ex VAT) — of the booked, invoiced
        outstanding_ex_vat (kr. ex VAT) — of the booked, not yet invoiced
        invoiced_incl_vat (kr. incl. VAT) — invoiced, with VAT
        outstanding_incl_vat (kr. incl. VAT) — not yet invoiced, with VAT
    """
    return _mart(con, "revenue_by_session_for", programme_id, *filters.arguments())


def revenue_over_time(con: duckdb.DuckDBPyConnection, programme_id: str,
                      filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Cumulative revenue: booked by session date and invoiced by invoice date, of the
    sessions filtered, billed to municipalities of the regions filtered.

    Columns:
        day (date) — a day something was booked or invoiced (as a midnight timestamp)
        booked_ex_vat (kr. ex VAT) — booked for sessions up to and including the day
        booked_incl_vat (kr. incl. VAT) — the same with VAT
        invoiced_ex_vat (kr. ex VAT) — invoiced up to and including the day
        invoiced_incl_vat (kr. incl. VAT) — the same with VAT
    """
    return _mart(con, "revenue_over_time_for", programme_id, *filters.arguments())


# --- Geography ----------------------------------------------------------------------------

def session_geography(con: duckdb.DuckDBPyConnection, programme_id: str,
                      filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Where each session of the programme was held and how far its attendees travelled:
    the sessions filtered, counting the mayors of municipalities of the regions filtered.

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        lat (degrees) — venue latitude; empty for online sessions
        lon (degrees) — venue longitude; empty for online sessions
        venue_is_demo (yes/no) — the venue is made up by the demo data
        registered (count) — registrations not cancelled
        attended (count) — registrations attended
        avg_travel_km (km) — town hall to venue per attendee (empty: none, or online)
        total_travel_km (km) — town hall to venue, summed over attendees
    """
    return _mart(con, "session_geography_for", programme_id, *filters.arguments())


def participant_origins(con: duckdb.DuckDBPyConnection, programme_id: str,
                        filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per municipality (of the regions filtered): attendances at the physical sessions
    filtered and the town hall position.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        attendances (count) — attended registrations at the programme's physical sessions
        total_travel_km (km) — town hall to venue, summed over those attendances
    """
    return _mart(con, "participant_origins_for", programme_id, *filters.arguments())


def participation_by_region(con: duckdb.DuckDBPyConnection, programme_id: str,
                            filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Per region (of those filtered): its share of their mayors (municipalities) against
    its share of their attendances at the sessions filtered.

    Columns:
        region (text) — the region
        municipalities (count) — its municipalities (one mayor each)
        attendances (count) — attended registrations of the programme
        share_of_mayors (share 0–1) — municipalities / all municipalities
        share_of_attendances (share 0–1) — attendances / all attendances (empty: none at all)
    """
    return _mart(con, "participation_by_region_for", programme_id, *filters.arguments())


# --- Planning -----------------------------------------------------------------------------

PLANNING_COLUMNS = ("session_id, programme_id, title, audience, format, starts_at, venue, city, "
                    "lat, lon, venue_is_demo, capacity")
COMPARISONS = 20  # earlier sessions a forecast compares with: the latest, as habits change


def planning_sessions(con: duckdb.DuckDBPyConnection,
                      programme_id: str | None = None) -> pd.DataFrame:
    """The sessions to pick from: one programme's, or every session when None.

    Columns:
        session_id (id) — the session
        programme_id (id) — its programme
        title (text) — KL's title (Danish)
        audience (code) — intro or all
        format (code) — day, overnight or online
        starts_at (timestamp, local time) — start
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        lat (degrees) — venue latitude; empty for online sessions
        lon (degrees) — venue longitude; empty for online sessions
        venue_is_demo (yes/no) — the venue is made up by the demo data
        capacity (count) — places (empty: no limit)
    """
    where = "WHERE programme_id = ?" if programme_id is not None else ""
    return con.execute(
        f"SELECT {PLANNING_COLUMNS} FROM sessions {where} ORDER BY starts_at, session_id",
        [programme_id] if programme_id is not None else [],
    ).df()


def plan_sessions(con: duckdb.DuckDBPyConnection, session_id: str, today: dt.date,
                  comparisons: int = COMPARISONS) -> pd.DataFrame:
    """A session and every session its plan looks at, in time order: the latest sessions
    held before `today` (dashboard.today: a session's day is over) of its format and of any
    format (the forecast's references), the five of its format just before it (the curves),
    and the next physical session from it (the venue). Sessions starting at the same time
    are taken in session_id order, so the same data always gives the same plan.

    Columns:
        session_id (id) — the session
        programme_id (id) — its programme
        title (text) — KL's title (Danish)
        audience (code) — intro or all
        format (code) — day, overnight or online
        starts_at (timestamp, local time) — start
        venue (text) — venue name; empty for online sessions
        city (text) — venue city; empty for online sessions
        lat (degrees) — venue latitude; empty for online sessions
        lon (degrees) — venue longitude; empty for online sessions
        venue_is_demo (yes/no) — the venue is made up by the demo data
        capacity (count) — places (empty: no limit)
    """
    return con.execute(
        f"""
        WITH target AS (SELECT * FROM sessions WHERE session_id = ?),
        held AS (
            SELECT s.* FROM sessions s WHERE is_held(s.starts_at, ?)
              AND s.session_id <> ?),
        picked AS (
            SELECT session_id FROM target
            UNION ALL (SELECT h.session_id FROM held h, target t WHERE h.format = t.format
                       ORDER BY h.starts_at DESC, h.session_id LIMIT ?)
            UNION ALL (SELECT session_id FROM held ORDER BY starts_at DESC, session_id LIMIT ?)
            UNION ALL (SELECT s.session_id FROM sessions s, target t
                       WHERE s.format = t.format AND s.starts_at < t.starts_at
                       ORDER BY s.starts_at DESC, s.session_id LIMIT 5)
            UNION ALL (SELECT s.session_id FROM sessions s, target t
                       WHERE s.format <> 'online' AND s.starts_at >= t.starts_at
                       ORDER BY s.starts_at, s.session_id LIMIT 1)
        )
        SELECT {PLANNING_COLUMNS} FROM sessions
        WHERE session_id IN (SELECT session_id FROM picked)
        ORDER BY starts_at, session_id
        """,
        [session_id, today, session_id, comparisons, comparisons],
    ).df()


def session_pace(con: duckdb.DuckDBPyConnection, days_before: int,
                 session_ids: list[str] | None = None) -> pd.DataFrame:
    """Per session (all, or those listed): registrations in all, and those made `days_before`
    days before it.

    Columns:
        session_id (id) — the session
        total (count) — all registrations, cancelled ones included
        by_then (count) — of those, made at least `days_before` days before the start
        cancelled (count) — registrations cancelled
        no_show (count) — registrations marked no-show
        attended (count) — registrations attended
    """
    return _mart(con, "session_pace_for", max(days_before, 0),
                 None if session_ids is None else list(session_ids))


def registration_curves(con: duckdb.DuckDBPyConnection, session_ids: list[str]) -> pd.DataFrame:
    """Cumulative registrations that stand (cancelled ones left out, as the planning cards
    count them) by days before each session.

    Columns:
        session_id (id) — the session
        days_before (days) — days from the registration's day to the session's day
        cumulative (count) — registrations not cancelled, made that many days before or earlier
    """
    return _mart(con, "registration_curves_for", session_ids)


@dataclass(frozen=True)
class SessionOutcome:
    """What a held session came to: registrations by their final status, and its revenue.

    Fields:
        registrations (count) — every registration, cancelled ones included
        registered (count) — not cancelled
        attended (count) — registrations attended
        cancelled (count) — registrations cancelled
        no_shows (count) — registrations marked no-show
        revenue_ex_vat (kr. ex VAT) — booked revenue, billed cancellations included
        price_unknown (count) — registrations counted as 0 kr. for want of a price
    """

    registrations: int
    registered: int
    attended: int
    cancelled: int
    no_shows: int
    revenue_ex_vat: float
    price_unknown: int

    @property
    def unrecorded(self) -> int:
        """Registered (not cancelled) with neither attendance nor a no-show recorded."""
        return self.registered - self.attended - self.no_shows


def session_outcome(con: duckdb.DuckDBPyConnection, session_id: str) -> SessionOutcome:
    """A session's outcome from the per-session totals (all zero with no registrations).

    Returns: SessionOutcome (a dataclass)
    """
    row = con.execute("SELECT * FROM session_outcome_for(?)", [session_id]).fetchone()
    return SessionOutcome(*row[:5], float(row[5]), row[6])


def session_capacity(con: duckdb.DuckDBPyConnection, session_id: str) -> int | None:
    """The session's capacity; None when no limit is set.

    Returns: int or None
    """
    row = con.execute("SELECT capacity FROM sessions WHERE session_id = ?",
                      [session_id]).fetchone()
    return row[0] if row else None


def session_participants(con: duckdb.DuckDBPyConnection, session_id: str) -> pd.DataFrame:
    """The participant list: every registration for the session, first come first.

    Columns:
        municipality (text) — the registered municipality
        mayor (text) — the mayor's name
        newly_elected (yes/no) — the term in force on the session's day is their first
        registered_at (timestamp, local time) — when the registration was made
        status (code) — registered, attended, no_show or cancelled
        region (text) — the municipality's region
        kommune_code (kommune code) — the municipality (its page's address)
    """
    return _mart(con, "session_participants_for", session_id)


def not_registered_for(con: duckdb.DuckDBPyConnection, session_id: str) -> pd.DataFrame:
    """Mayors in office on the session's day with no active registration: newly elected first.

    Columns:
        municipality (text) — the mayor's municipality
        mayor (text) — the mayor's name
        newly_elected (yes/no) — the term in force on the session's day is their first
        party (text) — party letter
        region (text) — the municipality's region
        status (code) — not_registered or cancelled
    """
    return _mart(con, "not_registered_for", session_id)


def registered_origins(con: duckdb.DuckDBPyConnection, session_id: str) -> pd.DataFrame:
    """Town halls of the mayors registered (not cancelled) for the session.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
    """
    return _mart(con, "registered_origins_for", session_id)


def recent_physical_attendance(con: duckdb.DuckDBPyConnection, before: dt.date,
                               sessions: int = 2) -> pd.DataFrame:
    """Attendances per municipality at the last `sessions` physical sessions before a date.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        attendances (count) — sessions of those attended
    """
    return _mart(con, "recent_physical_attendance_for", before, sessions)


def venue_candidates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The cities a physical session may be held in, alphabetically.

    Columns:
        city (text) — the candidate city
        region (text) — its municipality's region
        lat (degrees) — latitude
        lon (degrees) — longitude
        note (text) — KL's note on the venue
    """
    return con.execute(
        "SELECT c.city, m.region, c.lat, c.lon, c.note FROM venue_candidates c "
        "JOIN municipalities m USING (kommune_code) ORDER BY c.city COLLATE da"
    ).df()


def hosting_history(con: duckdb.DuckDBPyConnection, limit: int | None = None,
                    held_before: dt.date | None = None) -> pd.DataFrame:
    """Where physical sessions were held (the latest `limit`, or all), newest first, with the
    region (that of the nearest town hall). With `held_before` (the pages' today) only the
    sessions whose day is over (dashboard.today.is_held): an upcoming session's venue is a
    plan, not a host, and "the latest sessions" are not those of 2029.

    Columns:
        session_id (id) — the session
        starts_at (timestamp, local time) — its start
        format (code) — day or overnight
        city (text) — venue city
        venue_is_demo (yes/no) — the venue is made up by the demo data
        region (text) — region of the town hall nearest the venue
    """
    return _mart(con, "hosting_history_for", limit, held_before)


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    """The latest ETL runs, newest first (the admin's import history).

    Columns:
        run_id (id) — the run
        started_at (timestamp, local time) — when it started
        command (code) — build or import
        source (text) — the file's name
        rows_read (count) — rows read from the file
        rows_loaded (count) — rows stored
        rows_rejected (count) — rows turned away
        outcome (code) — loaded, partial, rejected or validated
        os_user (text) — who ran it (the operating system's user name)
        message (text) — what the run said, if anything
    """
    return con.execute(
        "SELECT run_id, started_at, command, source, rows_read, rows_loaded, rows_rejected, "
        "outcome, os_user, message FROM import_runs ORDER BY run_id DESC LIMIT ?", [limit]
    ).df()
