"""Every question the pages ask the database: parameterised SQL over the schema's views.

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


def sessions(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """The programme's sessions in time order.

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
        "venue, city, venue_is_demo FROM sessions WHERE programme_id = ? ORDER BY starts_at",
        [programme_id],
    ).df()


@dataclass(frozen=True)
class KeyFigures:
    """The overview's headline numbers for one programme.

    Fields:
        municipalities_total (count) — every municipality
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


def key_figures(con: duckdb.DuckDBPyConnection, programme_id: str) -> KeyFigures:
    """The overview's headline numbers for one programme.

    Returns: KeyFigures (a dataclass)
    """
    row = con.execute(
        """
        SELECT
            (SELECT count(*) FROM municipalities),
            count(DISTINCT kommune_code) FILTER (WHERE is_attended),
            count(DISTINCT mayor_id) FILTER (WHERE is_attended),
            count(*) FILTER (WHERE is_registered),
            count(*) FILTER (WHERE is_attended),
            count(*) FILTER (WHERE is_no_show),
            coalesce(sum(revenue_ex_vat) FILTER (WHERE is_billed), 0),
            count(*) FILTER (WHERE is_billed AND NOT price_known)
        FROM registration_facts
        WHERE programme_id = ?
        """,
        [programme_id],
    ).fetchone()
    return KeyFigures(*row[:6], float(row[6]), row[7])


# --- Filters --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """The Municipalities page's filters; an empty tuple means "all"."""

    regions: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def where(self) -> tuple[str, list]:
        """SQL conditions over region, format, audience and starts_at, with their parameters."""
        clauses, params = [], []
        for column, values in (("region", self.regions), ("format", self.formats),
                               ("audience", self.audiences)):
            if values:
                clauses.append(f"list_contains(?, {column})")
                params.append(list(values))
        if self.years:
            clauses.append("list_contains(?, year(starts_at))")
            params.append([int(y) for y in self.years])
        return "".join(f" AND {c}" for c in clauses), params


NO_FILTERS = Filters()


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
    where, params = filters.where()
    return con.execute(
        f"""
        SELECT kommune_code, municipality, region, m.population, m.lat, m.lon,
               count(*) AS sessions_offered,
               count(*) FILTER (WHERE is_registered(s.status)) AS sessions_registered,
               count(*) FILTER (WHERE is_attended(s.status)) AS sessions_attended,
               count(*) FILTER (WHERE is_attended(s.status)) / count(*) AS share_attended,
               -- the rest of sessions_registered, apart: a no-show is not a pending booking
               count(*) FILTER (WHERE is_no_show(s.status)) AS sessions_no_show,
               count(*) FILTER (WHERE is_pending(s.status)) AS sessions_pending
        FROM municipality_session_status s
        JOIN (SELECT kommune_code, population, lat, lon FROM municipalities) m
            USING (kommune_code)
        WHERE s.programme_id = ? {where}
        GROUP BY ALL
        ORDER BY sessions_attended DESC, sessions_registered DESC, municipality COLLATE da
        """,
        [programme_id, *params],
    ).df()


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
    where, params = filters.where()
    return con.execute(
        f"""
        SELECT kommune_code, municipality, region, session_id, session_title, starts_at,
               format, status
        FROM municipality_session_status
        WHERE programme_id = ? {where}
        ORDER BY municipality COLLATE da, starts_at
        """,
        [programme_id, *params],
    ).df()


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
    where, params = filters.where()
    return con.execute(
        f"""
        WITH counts AS (
            SELECT kommune_code, municipality, region,
                   count(*) FILTER (WHERE is_registered(status) AND NOT is_attended(status))
                       AS registered_only,
                   count(*) FILTER (WHERE is_cancelled(status)) AS cancelled,
                   count(*) FILTER (WHERE is_no_show(status)) AS no_show,
                   count(*) FILTER (WHERE is_pending(status)) AS pending
            FROM municipality_session_status
            WHERE programme_id = ? {where}
            GROUP BY ALL
            HAVING count(*) FILTER (WHERE is_attended(status)) = 0
        )
        SELECT c.kommune_code, c.municipality, c.region, my.name AS mayor, my.party,
               c.registered_only, c.cancelled, c.no_show, c.pending
        FROM counts c
        -- the mayor in office now: a term with no end, and no later term in the municipality
        LEFT JOIN (SELECT t.kommune_code, p.name, t.party FROM mayor_terms_in_office t
                   JOIN mayors p USING (mayor_id) WHERE t.in_office_until IS NULL) my
               ON my.kommune_code = c.kommune_code
        ORDER BY c.municipality COLLATE da
        """,
        [programme_id, *params],
    ).df()


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
    return con.execute(
        """
        SELECT municipality, mayor_name, party, newly_elected, session_id, session_title,
               starts_at, format, status
        FROM mayor_session_status
        WHERE programme_id = ? AND kommune_code = ?
        ORDER BY starts_at, mayor_name
        """,
        [programme_id, kommune_code],
    ).df()


def kommune_code_by_name(con: duckdb.DuckDBPyConnection, name: str | None) -> int | None:
    """The municipality's code by its exact name.

    Returns: int or None (no municipality of that name)
    """
    row = con.execute("SELECT kommune_code FROM municipalities WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


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

def session_turnout(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Per session: registered, attended, no-shows, cancellations (the overview's trend).

    Columns:
        session_id (id) — the session
        session_title (text) — its title
        starts_at (timestamp, local time) — its start
        format (code) — day, overnight or online
        audience (code) — intro or all
        registered (count) — registrations not cancelled
        attended (count) — registrations attended
        no_show (count) — registrations marked no-show
        cancelled (count) — registrations cancelled
        municipalities (count) — distinct municipalities among the registered
    """
    return con.execute(
        """
        SELECT s.session_id, s.title AS session_title, s.starts_at, s.format, s.audience,
               coalesce(t.registered, 0) AS registered,
               coalesce(t.attended, 0) AS attended,
               coalesce(t.no_show, 0) AS no_show,
               coalesce(t.cancelled, 0) AS cancelled,
               coalesce(t.municipalities_registered, 0) AS municipalities
        FROM sessions s
        LEFT JOIN session_totals t ON t.session_id = s.session_id
        WHERE s.programme_id = ?
        ORDER BY s.starts_at
        """,
        [programme_id],
    ).df()


# --- Retention ----------------------------------------------------------------------------

def retention(con: duckdb.DuckDBPyConnection, programme_id: str,
              held_by: dt.date) -> pd.DataFrame:
    """Newly elected vs re-elected: share registered and attended at each session held by
    `held_by` (later sessions are still filling up and would look like a drop).

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
    return con.execute(
        """
        SELECT session_id, session_title, starts_at, format, audience, cohort,
               mayors_in_office, registered, attended, share_registered, share_attended
        FROM retention_by_cohort
        WHERE programme_id = ? AND held_by(starts_at, ?)
        ORDER BY starts_at, cohort
        """,
        [programme_id, held_by],
    ).df()


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
    return con.execute(
        """
        WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS programme_id,
                               generate_subscripts(?::VARCHAR[], 1) AS position)
        SELECT r.programme_id, p.title AS programme_title, r.session_id, r.session_title,
               r.starts_at, r.format, r.audience, r.cohort,
               date_diff('month', p.period_start, CAST(r.starts_at AS DATE)) AS months_in,
               dense_rank() OVER (PARTITION BY r.programme_id ORDER BY r.starts_at, r.session_id)
                   AS session_number,
               r.mayors_in_office, r.registered, r.attended, r.share_registered,
               r.share_attended
        FROM retention_by_cohort r
        JOIN programmes p USING (programme_id)
        JOIN wanted w USING (programme_id)
        WHERE held_by(r.starts_at, ?)
        ORDER BY w.position, r.starts_at, r.cohort
        """,
        [programme_ids, programme_ids, held_by],
    ).df()


def intro_path(con: duckdb.DuckDBPyConnection, programme_id: str,
               held_by: dt.date) -> pd.DataFrame:
    """After the intro sessions: share registered at each joint session held by `held_by`,
    for newly elected mayors who attended an intro session, those who did not, and
    re-elected mayors.

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
    # One pass over the programme's rows: whether a mayor came to an intro is a window over
    # their own rows, not a second scan of the view.
    return con.execute(
        """
        WITH programme AS (
            SELECT *, bool_or(audience = 'intro' AND is_attended(status))
                          OVER (PARTITION BY mayor_id) AS came_to_intro
            FROM mayor_session_status
            WHERE programme_id = ?
        ),
        grouped AS (
            SELECT *, CASE
                WHEN NOT newly_elected THEN 're_elected'
                WHEN came_to_intro THEN 'newly_elected_intro'
                ELSE 'newly_elected_no_intro' END AS path
            FROM programme
            WHERE audience = 'all' AND held_by(starts_at, ?)
        )
        SELECT session_id, session_title, starts_at, format, path,
               count(*) AS mayors_in_office,
               count(*) FILTER (WHERE is_registered(status)) AS registered,
               count(*) FILTER (WHERE is_registered(status)) / count(*) AS share_registered
        FROM grouped
        GROUP BY ALL
        ORDER BY starts_at, path
        """,
        [programme_id, held_by],
    ).df()


def newly_elected_slipping(con: duckdb.DuckDBPyConnection, programme_id: str,
                           as_of: dt.date) -> pd.DataFrame:
    """Newly elected mayors in office who were absent from the last two held sessions.

    Columns:
        mayor (text) — the mayor's name
        municipality (text) — their municipality
        region (text) — its region
        party (text) — party letter
        last_attended_at (timestamp, local time) — start of the last session attended (empty: none)
        sessions_attended (count) — sessions of the programme attended
    """
    # One pass over the programme's rows of newly elected mayors: per mayor, the last two
    # sessions they were in office for and attended, and every session they attended.
    return con.execute(
        """
        WITH last_two AS (
            SELECT session_id FROM sessions
            WHERE programme_id = ? AND audience = 'all' AND held_by(starts_at, ?)
            ORDER BY starts_at DESC LIMIT 2
        ),
        per_mayor AS (
            SELECT mayor_name AS mayor, municipality, region, party,
                   count(*) FILTER (WHERE session_id IN (SELECT session_id FROM last_two))
                       AS in_office_last_two,
                   count(*) FILTER (WHERE session_id IN (SELECT session_id FROM last_two)
                                      AND is_attended(status)) AS attended_last_two,
                   max(starts_at) FILTER (WHERE is_attended(status)) AS last_attended_at,
                   count(*) FILTER (WHERE is_attended(status)) AS sessions_attended
            FROM mayor_session_status
            WHERE programme_id = ? AND newly_elected
            GROUP BY mayor_id, mayor_name, municipality, region, party
        )
        SELECT mayor, municipality, region, party, last_attended_at, sessions_attended
        FROM per_mayor
        WHERE in_office_last_two = (SELECT count(*) FROM last_two) AND in_office_last_two > 0
          AND attended_last_two = 0
        ORDER BY last_attended_at NULLS FIRST, municipality COLLATE da
        """,
        [programme_id, as_of, programme_id],
    ).df()


# --- Revenue ------------------------------------------------------------------------------

def revenue_by_format(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Revenue per format (day, overnight, online, in that order) for one programme.

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
    return con.execute(
        """
        SELECT r.format, r.sessions, r.registrations, r.cancellations_billed,
               r.registrations_price_unknown, p.price_ex_vat AS list_price_ex_vat,
               r.revenue_ex_vat, r.vat, r.revenue_incl_vat, r.invoiced_ex_vat,
               r.outstanding_ex_vat,
               CAST(r.invoiced_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2)) AS invoiced_incl_vat,
               CAST(r.outstanding_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2))
                   AS outstanding_incl_vat
        FROM revenue_by_format r JOIN programme_prices p USING (programme_id, format)
        WHERE r.programme_id = ?
        ORDER BY CASE r.format WHEN 'day' THEN 1 WHEN 'overnight' THEN 2 ELSE 3 END
        """,
        [programme_id],
    ).df()


def revenue_by_session(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Revenue per session of one programme, in time order.

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
    return con.execute(
        """
        SELECT r.session_id, r.session_title, r.starts_at, r.format, r.registrations,
               r.cancellations_billed, r.registrations_price_unknown, r.revenue_ex_vat,
               r.vat, r.revenue_incl_vat, r.invoiced_ex_vat, r.outstanding_ex_vat,
               CAST(r.invoiced_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2)) AS invoiced_incl_vat,
               CAST(r.outstanding_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2))
                   AS outstanding_incl_vat
        FROM revenue_by_session r JOIN programme_prices p USING (programme_id, format)
        WHERE r.programme_id = ?
        ORDER BY r.starts_at
        """,
        [programme_id],
    ).df()


def revenue_over_time(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Cumulative revenue: booked by session date and invoiced by invoice date.

    Columns:
        day (date) — a day something was booked or invoiced (as a midnight timestamp)
        booked_ex_vat (kr. ex VAT) — booked for sessions up to and including the day
        booked_incl_vat (kr. incl. VAT) — the same with VAT
        invoiced_ex_vat (kr. ex VAT) — invoiced up to and including the day
        invoiced_incl_vat (kr. incl. VAT) — the same with VAT
    """
    return con.execute(
        """
        WITH events AS (
            SELECT CAST(starts_at AS DATE) AS day, revenue_ex_vat AS booked_ex_vat,
                   revenue_incl_vat AS booked_incl_vat,
                   0::DECIMAL(12, 2) AS invoiced_ex_vat, 0::DECIMAL(12, 2) AS invoiced_incl_vat
            FROM registration_facts WHERE programme_id = ? AND is_billed
            UNION ALL
            SELECT invoiced_at, 0, 0, revenue_ex_vat, revenue_incl_vat
            FROM registration_facts WHERE programme_id = ? AND is_billed AND is_invoiced
        ),
        daily AS (
            SELECT day, sum(booked_ex_vat) AS booked_ex_vat,
                   sum(booked_incl_vat) AS booked_incl_vat,
                   sum(invoiced_ex_vat) AS invoiced_ex_vat,
                   sum(invoiced_incl_vat) AS invoiced_incl_vat
            FROM events GROUP BY day
        )
        SELECT day,
               sum(booked_ex_vat) OVER w AS booked_ex_vat,
               sum(booked_incl_vat) OVER w AS booked_incl_vat,
               sum(invoiced_ex_vat) OVER w AS invoiced_ex_vat,
               sum(invoiced_incl_vat) OVER w AS invoiced_incl_vat
        FROM daily
        WINDOW w AS (ORDER BY day)
        ORDER BY day
        """,
        [programme_id, programme_id],
    ).df()


# --- Geography ----------------------------------------------------------------------------

def session_geography(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Where each session of the programme was held and how far its attendees travelled.

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
    return con.execute(
        """
        SELECT session_id, session_title, starts_at, format, venue, city, lat, lon,
               venue_is_demo, registered, attended, avg_travel_km, total_travel_km
        FROM session_geography
        WHERE programme_id = ?
        ORDER BY starts_at
        """,
        [programme_id],
    ).df()


def participant_origins(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Per municipality: attendances at physical sessions and the town hall position.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        region (text) — its region
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        attendances (count) — attended registrations at the programme's physical sessions
        total_travel_km (km) — town hall to venue, summed over those attendances
    """
    return con.execute(
        """
        SELECT m.kommune_code, m.name AS municipality, m.region, m.lat, m.lon,
               count(f.registration_id) AS attendances,
               coalesce(sum(f.travel_km), 0) AS total_travel_km
        FROM municipalities m
        LEFT JOIN registration_facts f
               ON f.kommune_code = m.kommune_code AND f.programme_id = ?
              AND f.is_attended AND f.format <> 'online'
        GROUP BY ALL
        ORDER BY municipality COLLATE da
        """,
        [programme_id],
    ).df()


def participation_by_region(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """Per region: its share of the mayors (municipalities) against its share of attendances.

    Columns:
        region (text) — the region
        municipalities (count) — its municipalities (one mayor each)
        attendances (count) — attended registrations of the programme
        share_of_mayors (share 0–1) — municipalities / all municipalities
        share_of_attendances (share 0–1) — attendances / all attendances (empty: none at all)
    """
    return con.execute(
        """
        WITH per_region AS (
            SELECT m.region, count(DISTINCT m.kommune_code) AS municipalities,
                   count(f.registration_id) AS attendances
            FROM municipalities m
            LEFT JOIN registration_facts f
                   ON f.kommune_code = m.kommune_code AND f.programme_id = ? AND f.is_attended
            GROUP BY m.region
        )
        SELECT region, municipalities, attendances,
               municipalities / sum(municipalities) OVER () AS share_of_mayors,
               CASE WHEN sum(attendances) OVER () > 0
                    THEN attendances / sum(attendances) OVER () END AS share_of_attendances
        FROM per_region
        ORDER BY region COLLATE da
        """,
        [programme_id],
    ).df()


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
    and the next physical session from it (the venue).

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
                       ORDER BY h.starts_at DESC LIMIT ?)
            UNION ALL (SELECT session_id FROM held ORDER BY starts_at DESC LIMIT ?)
            UNION ALL (SELECT s.session_id FROM sessions s, target t
                       WHERE s.format = t.format AND s.starts_at < t.starts_at
                       ORDER BY s.starts_at DESC LIMIT 5)
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
    where = "WHERE list_contains(?, s.session_id)" if session_ids is not None else ""
    return con.execute(
        f"""
        SELECT s.session_id, count(r.registration_id) AS total,
               count(r.registration_id) FILTER (
                   WHERE r.registered_at <= s.starts_at - to_days(CAST(? AS INTEGER)))
                   AS by_then,
               count(r.registration_id) FILTER (WHERE is_cancelled(r.status)) AS cancelled,
               count(r.registration_id) FILTER (WHERE is_no_show(r.status)) AS no_show,
               count(r.registration_id) FILTER (WHERE is_attended(r.status)) AS attended
        FROM sessions s LEFT JOIN registrations r USING (session_id)
        {where}
        GROUP BY s.session_id
        """,
        [max(days_before, 0), *([list(session_ids)] if session_ids is not None else [])],
    ).df()


def registration_curves(con: duckdb.DuckDBPyConnection, session_ids: list[str]) -> pd.DataFrame:
    """Cumulative registrations by days before each session (cancelled ones included).

    Columns:
        session_id (id) — the session
        days_before (days) — days from the registration's day to the session's day
        cumulative (count) — registrations made that many days before or earlier
    """
    return con.execute(
        """
        WITH daily AS (
            SELECT r.session_id, datediff('day', CAST(r.registered_at AS DATE),
                                          CAST(s.starts_at AS DATE)) AS days_before,
                   count(*) AS registrations
            FROM registrations r JOIN sessions s USING (session_id)
            WHERE list_contains(?, r.session_id)
            GROUP BY ALL
        )
        SELECT session_id, days_before,
               sum(registrations) OVER (PARTITION BY session_id ORDER BY days_before DESC)
                   AS cumulative
        FROM daily ORDER BY session_id, days_before DESC
        """,
        [session_ids],
    ).df()


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
    row = con.execute(
        """
        SELECT coalesce(t.registrations, 0), coalesce(t.registered, 0),
               coalesce(t.attended, 0), coalesce(t.cancelled, 0), coalesce(t.no_show, 0),
               coalesce(t.revenue_ex_vat, 0), coalesce(t.registrations_price_unknown, 0)
        FROM sessions s LEFT JOIN session_totals t USING (session_id)
        WHERE s.session_id = ?
        """,
        [session_id],
    ).fetchone()
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
    """
    return con.execute(
        """
        SELECT f.municipality, f.mayor_name AS mayor, f.newly_elected, f.registered_at,
               f.status, f.region
        FROM registration_facts f WHERE f.session_id = ?
        ORDER BY f.registered_at, f.municipality COLLATE da
        """,
        [session_id],
    ).df()


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
    return con.execute(
        """
        SELECT municipality, mayor_name AS mayor, newly_elected, party, region, status
        FROM mayor_session_status
        WHERE session_id = ? AND NOT is_registered(status)
        ORDER BY newly_elected DESC, municipality COLLATE da
        """,
        [session_id],
    ).df()


def registered_origins(con: duckdb.DuckDBPyConnection, session_id: str) -> pd.DataFrame:
    """Town halls of the mayors registered (not cancelled) for the session.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
    """
    return con.execute(
        """
        SELECT m.kommune_code, m.name AS municipality, m.lat, m.lon
        FROM registration_facts f JOIN municipalities m USING (kommune_code)
        WHERE f.session_id = ? AND f.is_registered
        """,
        [session_id],
    ).df()


def recent_physical_attendance(con: duckdb.DuckDBPyConnection, before: dt.date,
                               sessions: int = 2) -> pd.DataFrame:
    """Attendances per municipality at the last `sessions` physical sessions before a date.

    Read from the pre-aggregated municipality x session status (one municipality has one
    mayor at a time): 5 ms at 1M registrations, against 9 ms through registration_facts.

    Columns:
        kommune_code (kommune code) — the municipality
        municipality (text) — its name
        lat (degrees) — town hall latitude
        lon (degrees) — town hall longitude
        attendances (count) — sessions of those attended
    """
    return con.execute(
        """
        WITH recent AS (
            SELECT session_id FROM sessions
            WHERE format <> 'online' AND is_held(starts_at, ?)
            ORDER BY starts_at DESC LIMIT ?
        )
        SELECT m.kommune_code, m.name AS municipality, m.lat, m.lon,
               count(*) AS attendances
        FROM municipality_session_status s JOIN municipalities m USING (kommune_code)
        WHERE s.session_id IN (SELECT session_id FROM recent) AND is_attended(s.status)
        GROUP BY ALL
        """,
        [before, sessions],
    ).df()


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
    return con.execute(
        """
        WITH placed AS (
            SELECT session_id, starts_at, format, city, venue_is_demo, lat, lon
            FROM sessions
            WHERE lat IS NOT NULL AND ($held_before IS NULL OR is_held(starts_at, $held_before))
            ORDER BY starts_at DESC, session_id LIMIT $limit
        )
        SELECT s.session_id, s.starts_at, s.format, s.city, s.venue_is_demo,
               arg_min(m.region, haversine_km(s.lat, s.lon, m.lat, m.lon)) AS region
        FROM placed s, municipalities m
        GROUP BY ALL
        ORDER BY s.starts_at DESC, s.session_id
        """,
        {"limit": limit, "held_before": held_before},
    ).df()


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
