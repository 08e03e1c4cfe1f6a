-- The data model: the single source of truth for tables and for the views and macros the
-- pages read.
--
-- Layers, in the order they appear:
--   1. tables    - what the ETL loads: reference facts, people, registrations, audit
--   2. staged    - registration_facts / mayor_session_status: one row per thing, business
--                  rules applied once (what "registered", "attended" and "revenue" mean)
--   3. marts     - the aggregates the pages show: a few views over every programme, then
--                  one table macro per page question, which dashboard/queries.py selects
--                  from (session_turnout: SELECT * FROM session_turnout_for(?))
--
-- Business rules (from KL's brochure): registration is binding and invoiced continuously,
-- so revenue is the price summed over every registration, cancelled ones included; a price
-- of 0 is an explicit credit. An unknown price (the online price is not in the brochure)
-- counts as 0 kr. and is counted separately so the UI can say so.
--
-- Glossary: the word the pages, charts, tables and exports show (dashboard/i18n.py), what it
-- counts, and the rule it reads. A status is registrations.status (one of the coded values
-- registered, cancelled, attended, no_show) or, per mayor or municipality and session, the
-- strongest of theirs (status_rank), not_registered when there is none. Every rule below is a
-- macro at the top of section 2 and nothing else in SQL names a status (tests/test_rules.py).
--
--   Dansk / English              Counts                                         Rule
--   tilmelding / registration    a registration of any status but cancelled:   is_registered
--     (tilmeldt / registered)    booked, attended or no-show
--   afmelding / cancellation     a cancelled registration (still billed)        is_cancelled
--     (afmeldt / cancelled)
--   deltaget / attended          a registration whose mayor came; a             is_attended
--     (deltagelse / attendance)  "deltager" (participant) is one of them
--   udeblevet / no-show          registered for a held session, did not come    is_no_show
--   tilmeldt, afventer /         registered, outcome not yet recorded: status   is_pending
--     registered, pending        registered (a session not held yet, or data
--                                exported before it was)
--   afholdt / held               a session whose day is over by a given day     is_held, held_by
--                                (one starting that day is still upcoming;
--                                dashboard/today.py is_held says the same)
--   kommende / upcoming          a session not held yet                         NOT is_held
--   inviteret / invited          the mayors a session is for: an intro session  is_invited
--                                the newly elected only, the others all
--   faktureres / billed          every registration, cancelled ones included    is_billed
--     (tilmeldinger inkl.        (the brochure: binding and invoiced)
--     afmeldte)
--   omsætning / revenue          the price summed over the billed               is_billed
--     (bindende tilmeldt /       registrations (registration_facts
--     booked, binding)           revenue_ex_vat, unknown price = 0 kr.)
--   faktureret / invoiced        the revenue of billed registrations with an    is_invoiced
--                                invoice date; "ikke faktureret" the rest       (in
--                                                                               registration_facts)

-- 1. Tables -------------------------------------------------------------------------------

CREATE TABLE dataset_info (
    key   VARCHAR PRIMARY KEY,   -- is_demo, data_as_of, description
    value VARCHAR NOT NULL
);

CREATE TABLE municipalities (
    kommune_code    SMALLINT PRIMARY KEY,          -- DST code: 101 København ... 860 Hjørring
    name            VARCHAR NOT NULL UNIQUE,
    region          VARCHAR NOT NULL CHECK (region IN (
                        'Region Hovedstaden', 'Region Sjælland', 'Region Syddanmark',
                        'Region Midtjylland', 'Region Nordjylland')),
    population      INTEGER NOT NULL CHECK (population > 0),
    population_year SMALLINT NOT NULL,
    lat             DOUBLE NOT NULL CHECK (lat BETWEEN 54.5 AND 57.8),   -- town hall
    lon             DOUBLE NOT NULL CHECK (lon BETWEEN 8.0 AND 15.2)
);

-- The shipped boundaries (etl build) or a user's (etl boundaries); empty: the maps draw town halls.
CREATE TABLE municipality_boundaries (
    kommune_code SMALLINT PRIMARY KEY REFERENCES municipalities (kommune_code),
    geojson      VARCHAR NOT NULL              -- a GeoJSON (Multi)Polygon geometry
);

CREATE TABLE prices (
    format       VARCHAR PRIMARY KEY CHECK (format IN ('day', 'overnight', 'online')),
    price_ex_vat DECIMAL(12, 2),               -- NULL: unknown (not invented)
    vat_rate     DECIMAL(5, 4) NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 1),
    source       VARCHAR
);

CREATE TABLE programmes (
    programme_id VARCHAR PRIMARY KEY,
    title        VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL CHECK (period_end > period_start),
    -- The brochure's list (table prices) applies where the programme's own price list
    -- (price_lists) has no row: true for the programmes shipped in data/reference (every
    -- programme a database had before schedules were imported), false for one a schedule
    -- import added (etl/schedule.py), whose prices are its own or unknown.
    uses_shipped_prices BOOLEAN NOT NULL DEFAULT true,
    is_demo      BOOLEAN NOT NULL DEFAULT false   -- made up by the demo generator
);

-- A programme's own price per format, imported as a price list (etl/schedule.py). A row
-- with no price says the price is not known (not invented).
CREATE TABLE price_lists (
    programme_id VARCHAR NOT NULL REFERENCES programmes (programme_id),
    format       VARCHAR NOT NULL REFERENCES prices (format),
    price_ex_vat DECIMAL(12, 2),               -- NULL: unknown
    vat_rate     DECIMAL(5, 4) NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 1),
    source       VARCHAR,
    PRIMARY KEY (programme_id, format)
);

CREATE TABLE sessions (
    session_id        VARCHAR PRIMARY KEY,
    programme_id      VARCHAR NOT NULL REFERENCES programmes (programme_id),
    title             VARCHAR NOT NULL,
    audience          VARCHAR NOT NULL CHECK (audience IN ('intro', 'all')),
    format            VARCHAR NOT NULL REFERENCES prices (format),
    starts_at         TIMESTAMP NOT NULL,      -- local time, Europe/Copenhagen
    ends_at           TIMESTAMP NOT NULL CHECK (ends_at > starts_at),
    time_of_day_known BOOLEAN NOT NULL,        -- false: the source gives only the date
    venue             VARCHAR,
    city              VARCHAR,
    lat               DOUBLE,
    lon               DOUBLE,
    venue_is_demo     BOOLEAN NOT NULL DEFAULT false,  -- venue invented by the demo generator
    price_ex_vat      DECIMAL(12, 2),          -- list price; NULL: unknown
    capacity          INTEGER CHECK (capacity > 0),    -- NULL: no limit set
    -- true: price_ex_vat is the session's own (a schedule's Pris); false: it is its
    -- programme's listed price (programme_prices), set again when a price list changes it.
    price_is_own      BOOLEAN NOT NULL DEFAULT false,
    is_demo           BOOLEAN NOT NULL DEFAULT false   -- session made up by the demo generator
);

-- Cities the moderator may hold a physical session in (data/reference/venue_candidates.csv).
CREATE TABLE venue_candidates (
    city         VARCHAR PRIMARY KEY,
    kommune_code SMALLINT NOT NULL REFERENCES municipalities (kommune_code),
    lat          DOUBLE NOT NULL,
    lon          DOUBLE NOT NULL,
    note         VARCHAR
);

-- One person. Its term columns repeat the person's latest term (mayor_terms, below), so
-- "the mayor now" reads one row; which terms a person held, and when, is mayor_terms'.
CREATE TABLE mayors (
    mayor_id      VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kommune_code  SMALLINT NOT NULL REFERENCES municipalities (kommune_code),
    party         VARCHAR,
    term_start    DATE NOT NULL,
    term_end      DATE CHECK (term_end IS NULL OR term_end >= term_start),  -- NULL: in office
    newly_elected BOOLEAN NOT NULL             -- first time as mayor in this period
);

-- One term in office of one person: a mayor re-elected at the next election is the same
-- mayor_id with a second term. "Newly elected" belongs to the term (first time as mayor in
-- that election period), so each programme has its own cohort of newcomers. A term without
-- an end lasts until the municipality's next term starts (mayor_terms_in_office).
-- No key or foreign key, like registrations: a registration export adding 100.000 people
-- adds as many terms, and the key's index upkeep cost 55 ms of it. (mayor_id, term_start) is
-- unique and mayor_id refers to mayors, both checked by integrity_problems.
CREATE TABLE mayor_terms (
    mayor_id      VARCHAR NOT NULL,            -- -> mayors; (mayor_id, term_start) unique
    kommune_code  SMALLINT NOT NULL,           -- the mayor's municipality
    party         VARCHAR,
    term_start    DATE NOT NULL,
    term_end      DATE CHECK (term_end IS NULL OR term_end >= term_start),  -- NULL: not given
    newly_elected BOOLEAN NOT NULL             -- first time as mayor in this term's period
);

-- The big table carries no key or foreign-key constraints: DuckDB's index upkeep would make
-- a million-row import nine times slower. Keys and references are guaranteed by the ETL
-- instead, and checked after every load through the view integrity_problems (below).
CREATE TABLE registrations (
    registration_id VARCHAR NOT NULL,          -- unique
    session_id      VARCHAR NOT NULL,          -- -> sessions
    mayor_id        VARCHAR NOT NULL,          -- -> mayors; (session_id, mayor_id) unique
    kommune_code    SMALLINT NOT NULL,         -- -> municipalities
    registered_at   TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('registered', 'cancelled', 'attended', 'no_show')),
    price_ex_vat    DECIMAL(12, 2),            -- NULL: the session's list price applies
    invoiced_at     DATE
);

-- Pre-aggregated by the ETL after every load (etl/marts.py): the strongest status per session
-- and mayor, and per session and municipality. Computing them from a million registrations on
-- every page view costs 80 ms a query; read from these tables it costs 3 ms. They hold no
-- rule of their own: each is filled from a table macro in section 2.
CREATE TABLE session_mayor_best (
    session_id    VARCHAR NOT NULL,
    mayor_id      VARCHAR NOT NULL,
    rank          TINYINT NOT NULL,            -- status_rank of the strongest registration
    registrations INTEGER NOT NULL             -- how many registrations went into it
);
CREATE TABLE session_municipality_best (
    session_id    VARCHAR NOT NULL,
    kommune_code  SMALLINT NOT NULL,
    rank          TINYINT NOT NULL,
    registrations INTEGER NOT NULL
);
-- Per session: its registrations counted by status, its revenue and its attendees' travel.
-- The per-session marts below read it instead of joining a million registration_facts rows:
-- that join alone cost 12-14 ms a page query at 1M registrations, mostly in planning it.
CREATE TABLE session_totals (
    session_id                  VARCHAR NOT NULL,
    registrations               BIGINT NOT NULL,   -- all, cancelled ones included
    registered                  BIGINT NOT NULL,   -- not cancelled
    attended                    BIGINT NOT NULL,
    no_show                     BIGINT NOT NULL,
    cancelled                   BIGINT NOT NULL,
    municipalities_registered   BIGINT NOT NULL,   -- distinct, among the registered
    registrations_price_unknown BIGINT NOT NULL,
    revenue_ex_vat              DECIMAL(38, 2) NOT NULL,
    vat                         DECIMAL(38, 2) NOT NULL,
    revenue_incl_vat            DECIMAL(38, 2) NOT NULL,
    invoiced_ex_vat             DECIMAL(38, 2) NOT NULL,
    outstanding_ex_vat          DECIMAL(38, 2) NOT NULL,
    avg_travel_km               DOUBLE,            -- attendees only; NULL: none, or online
    total_travel_km             DOUBLE NOT NULL
);

CREATE SEQUENCE import_run_ids START 1;

CREATE TABLE import_runs (
    run_id        INTEGER PRIMARY KEY DEFAULT nextval('import_run_ids'),
    command       VARCHAR NOT NULL,            -- build / import
    source        VARCHAR NOT NULL,            -- file name
    sha256        VARCHAR,
    rows_read     INTEGER NOT NULL,
    rows_loaded   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    os_user       VARCHAR,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP NOT NULL,
    outcome       VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'partial', 'rejected', 'validated')),
    message       VARCHAR
);

CREATE TABLE rejected_rows (
    run_id   INTEGER NOT NULL REFERENCES import_runs (run_id),
    file     VARCHAR NOT NULL,
    line     INTEGER,                          -- 1-based; the header is line 1
    "column" VARCHAR,
    value    VARCHAR,
    reason   VARCHAR NOT NULL,                 -- in Danish: reason_code said with its params
    raw_row  VARCHAR,
    reason_code   VARCHAR,                     -- etl.reasons' code; NULL before it was kept
    reason_params MAP(VARCHAR, VARCHAR)        -- the values the reason names
);

-- Every broken key or reference in registrations; the ETL refuses to swap in a database
-- where this view returns a row.
CREATE VIEW integrity_problems AS
SELECT 'duplicate registration_id' AS problem, registration_id AS key
FROM registrations GROUP BY registration_id HAVING count(*) > 1
UNION ALL
-- session_mayor_best counts the registrations of every session and mayor, and the last check
-- below holds it to the table: a count above one is a duplicate, found without grouping a
-- million rows a second time. That check compares totals only, so this one relies on the ETL
-- refreshing the marts before it asks (etl/marts.py, then etl/integrity.py; both in one place
-- in build and import).
SELECT 'duplicate session and mayor', session_id || ' / ' || mayor_id
FROM session_mayor_best WHERE registrations > 1
UNION ALL
SELECT 'unknown session', r.registration_id FROM registrations r
WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = r.session_id)
UNION ALL
SELECT 'unknown mayor', r.registration_id FROM registrations r
WHERE NOT EXISTS (SELECT 1 FROM mayors m WHERE m.mayor_id = r.mayor_id)
UNION ALL
SELECT 'mayor of another municipality', r.registration_id FROM registrations r
JOIN mayors m ON m.mayor_id = r.mayor_id WHERE m.kommune_code <> r.kommune_code
UNION ALL
-- Every mayor has terms, every term a known mayor of the same municipality, and mayors' term
-- columns repeat the person's latest term: one pass over each table (four checks of their
-- own took twice as long after every import at 100.000 people).
SELECT CASE WHEN t.mayor_id IS NULL THEN 'mayor without a term'
            WHEN m.mayor_id IS NULL THEN 'term of an unknown mayor'
            WHEN t.terms <> t.starts THEN 'duplicate term'
            WHEN t.first_code <> t.last_code OR m.kommune_code <> t.first_code
                 THEN 'term in another municipality'
            ELSE 'mayor out of step with its latest term' END,
       coalesce(m.mayor_id, t.mayor_id)
FROM mayors m
FULL JOIN (SELECT mayor_id, count(*) AS terms, count(DISTINCT term_start) AS starts,
                  min(kommune_code) AS first_code, max(kommune_code) AS last_code,
                  arg_max((party, term_start, term_end, newly_elected), term_start) AS latest
           FROM mayor_terms GROUP BY mayor_id) t ON t.mayor_id = m.mayor_id
WHERE t.mayor_id IS NULL OR m.mayor_id IS NULL OR t.terms <> t.starts
   OR t.first_code <> t.last_code
   OR m.kommune_code <> t.first_code
   OR (m.party, m.term_start, m.term_end, m.newly_elected) IS DISTINCT FROM t.latest
UNION ALL
SELECT 'pre-aggregated table out of date', t FROM (
    SELECT 'session_mayor_best' AS t, (SELECT coalesce(sum(registrations), 0)
                                       FROM session_mayor_best) AS counted
    UNION ALL
    SELECT 'session_municipality_best', (SELECT coalesce(sum(registrations), 0)
                                         FROM session_municipality_best)
    UNION ALL
    SELECT 'session_totals', (SELECT coalesce(sum(registrations), 0) FROM session_totals))
WHERE counted <> (SELECT count(*) FROM registrations);

-- Straight-line (great-circle) distance; DuckDB's spatial extension is not available offline.
CREATE MACRO haversine_km(lat1, lon1, lat2, lon2) AS
    2 * 6371.0088 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- 2. Staged: business rules, once ---------------------------------------------------------

-- The participation rules (see the glossary at the top): every view and query reads a status
-- through these and names no status itself. `status` is a registration's status or a mayor's
-- or municipality's strongest (mayor_session_status, municipality_session_status), where
-- not_registered means no registration at all.
CREATE MACRO is_attended(status) AS status = 'attended';
CREATE MACRO is_no_show(status) AS status = 'no_show';
CREATE MACRO is_cancelled(status) AS status = 'cancelled';
-- Booked with no outcome recorded yet: not counted with the no-shows.
CREATE MACRO is_pending(status) AS status = 'registered';
-- A registration that stands (any status but cancelled; not_registered is none).
CREATE MACRO is_registered(status) AS is_pending(status) OR is_attended(status)
                                      OR is_no_show(status);
-- Binding and invoiced continuously (the brochure): every registration, cancelled included.
CREATE MACRO is_billed(status) AS is_registered(status) OR is_cancelled(status);
-- Invited to a session: the intro sessions are for newly elected mayors only, so a
-- re-elected mayor is not counted (nor plotted) there as registered or absent.
CREATE MACRO is_invited(audience, newly_elected) AS audience <> 'intro' OR newly_elected;
-- A session is held once its day is over: one starting `today` is still upcoming.
CREATE MACRO is_held(starts_at, today) AS CAST(starts_at AS DATE) < today;
-- Held by the end of `last_day` (queries that take "held by" as an inclusive day).
CREATE MACRO held_by(starts_at, last_day) AS is_held(starts_at, last_day + 1);

-- The filter bar's filters (dashboard/url_state.py), the rule once: a row passes when its
-- region, and its session's format, audience and calendar year, are among those asked for,
-- each a list; NULL (the default) asks for all, an empty list for none. A page's marts
-- take the four lists and pass them here. The lists are left untyped: a cast of each
-- argument (VARCHAR[] ...) cost 0,3-0,5 ms of planning per query (measured on the demo,
-- where planning is most of a query's time).
CREATE MACRO region_passes(region, regions) AS
    regions IS NULL OR list_contains(regions, region);
CREATE MACRO session_passes(format, audience, starts_at, formats, audiences, years) AS
    (formats IS NULL OR list_contains(formats, format))
    AND (audiences IS NULL OR list_contains(audiences, audience))
    AND (years IS NULL OR list_contains(years, year(starts_at)));
CREATE MACRO passes_filters(region, format, audience, starts_at,
                            regions, formats, audiences, years) AS
    region_passes(region, regions)
    AND session_passes(format, audience, starts_at, formats, audiences, years);

-- The listed price per programme and format, the rule once: the programme's own price list
-- (a row there, even one with no price, is what the programme says), else the brochure's
-- list (prices) for a programme that uses it, else unknown. VAT: the list's rate, else the
-- brochure's (25 %).
CREATE VIEW programme_prices AS
SELECT g.programme_id, p.format,
       CASE WHEN l.programme_id IS NOT NULL THEN l.price_ex_vat
            WHEN g.uses_shipped_prices THEN p.price_ex_vat END        AS price_ex_vat,
       coalesce(l.vat_rate, p.vat_rate)                               AS vat_rate,
       CASE WHEN l.programme_id IS NOT NULL THEN l.source
            WHEN g.uses_shipped_prices THEN p.source END              AS source
FROM programmes g
CROSS JOIN prices p
LEFT JOIN price_lists l ON l.programme_id = g.programme_id AND l.format = p.format;

-- The terms of each person who held more than one, as periods that tile all time: a term
-- holds from its start (the first: from always) to the start of the person's next term (the
-- last: for ever), so a day falls in exactly one period. registration_facts looks a
-- registration's session day up here; a person with one term needs no lookup: their mayors
-- row is that term (integrity_problems holds it so). A window over only these few people
-- and a hash join on mayor_id cost what the old join to mayors did at 1M registrations; an
-- ASOF join cost six times the whole totals refresh.
CREATE VIEW mayor_term_periods AS
SELECT t.mayor_id, t.newly_elected,
       CASE WHEN lag(t.term_start) OVER person IS NULL THEN DATE '0001-01-01'
            ELSE t.term_start END                                        AS valid_from,
       coalesce(lead(t.term_start) OVER person, DATE '9999-12-31')      AS valid_until
FROM mayor_terms t
WHERE t.mayor_id IN (SELECT mayor_id FROM mayor_terms GROUP BY mayor_id HAVING count(*) > 1)
WINDOW person AS (PARTITION BY t.mayor_id ORDER BY t.term_start);

-- One row per registration, with what it means.
CREATE VIEW registration_facts AS
SELECT
    r.registration_id,
    r.session_id,
    s.programme_id,
    s.title                                               AS session_title,
    s.format,
    s.audience,
    s.starts_at,
    r.mayor_id,
    my.name                                               AS mayor_name,
    -- of the term in force on the session's day (the first term before any term)
    coalesce(term.newly_elected, my.newly_elected)        AS newly_elected,
    r.kommune_code,
    m.name                                                AS municipality,
    m.region,
    r.registered_at,
    r.status,
    is_registered(r.status)                               AS is_registered,
    is_attended(r.status)                                 AS is_attended,
    is_no_show(r.status)                                  AS is_no_show,
    is_cancelled(r.status)                                AS is_cancelled,
    is_billed(r.status)                                   AS is_billed,
    coalesce(r.price_ex_vat, s.price_ex_vat) IS NOT NULL  AS price_known,
    coalesce(r.price_ex_vat, s.price_ex_vat, 0)           AS revenue_ex_vat,
    CAST(coalesce(r.price_ex_vat, s.price_ex_vat, 0) * p.vat_rate AS DECIMAL(12, 2)) AS vat,
    CAST(coalesce(r.price_ex_vat, s.price_ex_vat, 0) * (1 + p.vat_rate) AS DECIMAL(12, 2))
                                                          AS revenue_incl_vat,
    r.invoiced_at,
    r.invoiced_at IS NOT NULL                             AS is_invoiced,
    CASE WHEN s.lat IS NOT NULL
         THEN haversine_km(m.lat, m.lon, s.lat, s.lon) END AS travel_km
FROM registrations r
JOIN sessions s        ON s.session_id = r.session_id
JOIN programme_prices p ON p.programme_id = s.programme_id AND p.format = s.format
JOIN mayors my         ON my.mayor_id = r.mayor_id
JOIN municipalities m  ON m.kommune_code = r.kommune_code
LEFT JOIN mayor_term_periods term
                       ON term.mayor_id = r.mayor_id
                      AND CAST(s.starts_at AS DATE) >= term.valid_from
                      AND CAST(s.starts_at AS DATE) < term.valid_until;

-- When one person or place has several registrations for a session, the strongest wins.
CREATE MACRO status_rank(status) AS
    CASE status WHEN 'attended' THEN 4 WHEN 'no_show' THEN 3
                WHEN 'registered' THEN 2 WHEN 'cancelled' THEN 1 ELSE 0 END;
CREATE MACRO status_of_rank(rank) AS
    CASE rank WHEN 4 THEN 'attended' WHEN 3 THEN 'no_show'
              WHEN 2 THEN 'registered' WHEN 1 THEN 'cancelled' ELSE 'not_registered' END;

-- The strongest status per session and mayor / municipality (tables filled above).
-- Each macro reads the registrations (or their facts) by default, or the relation named by its
-- argument: an import refreshes only the groups it touched, from a view of their rows
-- (etl/marts.py), so a 500-row export does not regroup a million registrations.
CREATE MACRO best_status_by_mayor(source := 'registrations') AS TABLE
    SELECT session_id, mayor_id, max(status_rank(status)) AS rank, count(*) AS registrations
    FROM query_table(source) GROUP BY session_id, mayor_id ORDER BY session_id;
CREATE MACRO best_status_by_municipality(source := 'registrations') AS TABLE
    SELECT session_id, kommune_code, max(status_rank(status)) AS rank,
           count(*) AS registrations
    FROM query_table(source) GROUP BY session_id, kommune_code ORDER BY session_id, kommune_code;

-- Per session, what session_totals holds (the table above, filled after every load); with
-- `programme` and `regions`, the sessions of that programme counting only the registrations
-- of municipalities in those regions (filtered_session_totals).
CREATE MACRO totals_by_session(source := 'registration_facts', programme := NULL,
                               regions := NULL) AS TABLE
    SELECT session_id,
           -- every row, whatever its status: integrity_problems holds the sum to the table
           count(*)                                                  AS registrations,
           count(*) FILTER (WHERE is_registered)                     AS registered,
           count(*) FILTER (WHERE is_attended)                       AS attended,
           count(*) FILTER (WHERE is_no_show)                        AS no_show,
           count(*) FILTER (WHERE is_cancelled)                      AS cancelled,
           count(DISTINCT kommune_code) FILTER (WHERE is_registered) AS municipalities_registered,
           count(*) FILTER (WHERE is_billed AND NOT price_known)     AS registrations_price_unknown,
           coalesce(sum(revenue_ex_vat) FILTER (WHERE is_billed), 0) AS revenue_ex_vat,
           coalesce(sum(vat) FILTER (WHERE is_billed), 0)            AS vat,
           coalesce(sum(revenue_incl_vat) FILTER (WHERE is_billed), 0) AS revenue_incl_vat,
           coalesce(sum(revenue_ex_vat) FILTER (WHERE is_billed AND is_invoiced), 0)
                                                                     AS invoiced_ex_vat,
           coalesce(sum(revenue_ex_vat) FILTER (WHERE is_billed AND NOT is_invoiced), 0)
                                                                     AS outstanding_ex_vat,
           -- favg/fsum: the same total whatever order the rows arrive in (a refresh of
           -- the touched groups must equal a full one to the last bit)
           favg(travel_km) FILTER (WHERE is_attended)                AS avg_travel_km,
           coalesce(fsum(travel_km) FILTER (WHERE is_attended), 0)   AS total_travel_km
    FROM query_table(source)
    WHERE (programme IS NULL OR programme_id = programme) AND region_passes(region, regions)
    GROUP BY session_id ORDER BY session_id;

-- Every term with the last day it is in office: its end, else the day before the
-- municipality's next term starts (a mayor list of the next election period need not close
-- the terms of the one before), else NULL: still in office.
CREATE VIEW mayor_terms_in_office AS
SELECT t.*, coalesce(t.term_end, CAST(min(t.term_start) OVER (
           PARTITION BY t.kommune_code ORDER BY t.term_start
           RANGE BETWEEN INTERVAL 1 DAY FOLLOWING AND UNBOUNDED FOLLOWING) - 1 AS DATE))
           AS in_office_until
FROM mayor_terms t;

-- Every mayor in office on a session's day, with the term then in force (party, newly
-- elected) and their status there (or not_registered).
CREATE VIEW mayor_session_status AS
SELECT
    s.programme_id, s.session_id, s.title AS session_title, s.starts_at, s.format, s.audience,
    my.mayor_id, my.name AS mayor_name, term.party, term.newly_elected, my.kommune_code,
    m.name AS municipality, m.region,
    status_of_rank(coalesce(b.rank, 0)) AS status
FROM sessions s
JOIN mayor_terms_in_office term
     ON term.term_start <= CAST(s.starts_at AS DATE)
    AND (term.in_office_until IS NULL OR term.in_office_until >= CAST(s.starts_at AS DATE))
JOIN mayors my ON my.mayor_id = term.mayor_id
JOIN municipalities m ON m.kommune_code = my.kommune_code
LEFT JOIN session_mayor_best b ON b.session_id = s.session_id AND b.mayor_id = my.mayor_id;

-- Every municipality x session, with the municipality's strongest status there (or
-- not_registered): the matrix on the Municipalities page and what its marts count.
CREATE VIEW municipality_session_status AS
SELECT
    s.programme_id, s.session_id, s.title AS session_title, s.starts_at, s.format, s.audience,
    m.kommune_code, m.name AS municipality, m.region,
    status_of_rank(coalesce(b.rank, 0)) AS status
FROM sessions s
CROSS JOIN municipalities m
LEFT JOIN session_municipality_best b
       ON b.session_id = s.session_id AND b.kommune_code = m.kommune_code;

-- 3. Marts: what the pages read ----------------------------------------------------------
--
-- First the unfiltered marts, views over every programme; then one table macro per page
-- question: dashboard/queries.py function X reads `SELECT * FROM X_for(...)` (a name that
-- already ends in _for is its own), so a page's columns, their order and the rows' order
-- are the macro's. A macro reads only tables, the staged layer and the views of this
-- section; it is created after everything it reads.
--
-- Two DuckDB rules the macros are written around:
-- - A macro's parameter shadows a column of the same name (`WHERE programme_id =
--   programme_id` would hold for every row), so parameters are named apart from columns:
--   programme, session, kommune, last_day, ... (tests/test_marts.py checks it).
-- - Arguments come as prepared parameters, which DuckDB binds as constants before it
--   optimises: `regions IS NULL OR list_contains(regions, region)` folds to nothing for
--   NULL and to `region = '...'` for a list of one, so a filter costs what a hand-written
--   WHERE did.

-- The sessions of one programme that pass the filters' format, audience and year, each with
-- its totals (session_totals); with `regions`, the totals of the registrations of
-- municipalities in those regions only (the region of the municipality billed, registered,
-- attending), counted by the same macro that fills session_totals. Every page's per-session
-- mart reads this: the filters once.
CREATE MACRO filtered_session_totals(programme, regions := NULL, formats := NULL,
                                     audiences := NULL, years := NULL) AS TABLE
    SELECT s.programme_id, s.session_id, s.title AS session_title, s.starts_at, s.format,
           s.audience, s.venue, s.city, s.lat, s.lon, s.venue_is_demo,
           coalesce(t.registrations, 0)                AS registrations,
           coalesce(t.registered, 0)                   AS registered,
           coalesce(t.attended, 0)                     AS attended,
           coalesce(t.no_show, 0)                      AS no_show,
           coalesce(t.cancelled, 0)                    AS cancelled,
           coalesce(t.municipalities_registered, 0)    AS municipalities_registered,
           coalesce(t.registrations_price_unknown, 0)  AS registrations_price_unknown,
           coalesce(t.revenue_ex_vat, 0)               AS revenue_ex_vat,
           coalesce(t.vat, 0)                          AS vat,
           coalesce(t.revenue_incl_vat, 0)             AS revenue_incl_vat,
           coalesce(t.invoiced_ex_vat, 0)              AS invoiced_ex_vat,
           coalesce(t.outstanding_ex_vat, 0)           AS outstanding_ex_vat,
           t.avg_travel_km,
           coalesce(t.total_travel_km, 0)              AS total_travel_km
    FROM sessions s
    -- one branch folds away: the regions are a bound constant (see above)
    LEFT JOIN (SELECT * FROM session_totals WHERE regions IS NULL
               UNION ALL
               SELECT * FROM totals_by_session(programme := programme, regions := regions)
               WHERE regions IS NOT NULL) t ON t.session_id = s.session_id
    WHERE s.programme_id = programme
      AND session_passes(s.format, s.audience, s.starts_at, formats, audiences, years);

-- Newly elected mayors as a cohort against re-elected ones, session by session, for the
-- programmes listed: the mayors of municipalities in `regions` at the sessions passing the
-- other filters (NULL: all), each counted only where invited.
CREATE MACRO retention_by_cohort_for(programme_list, regions := NULL, formats := NULL,
                                     audiences := NULL, years := NULL) AS TABLE
    SELECT
        programme_id, session_id, session_title, starts_at, format, audience,
        CASE WHEN newly_elected THEN 'newly_elected' ELSE 're_elected' END AS cohort,
        count(*)                                                   AS mayors_in_office,
        count(*) FILTER (WHERE is_registered(status))              AS registered,
        count(*) FILTER (WHERE is_attended(status))                AS attended,
        count(*) FILTER (WHERE is_registered(status)) / count(*)   AS share_registered,
        count(*) FILTER (WHERE is_attended(status)) / count(*)     AS share_attended
    FROM mayor_session_status
    WHERE list_contains(programme_list, programme_id) AND is_invited(audience, newly_elected)
      AND passes_filters(region, format, audience, starts_at, regions, formats, audiences,
                         years)
    GROUP BY ALL;

-- Overblik ----------------------------------------------------------------------------------

-- The headline numbers of one programme, for the filters (NULL: all): one row.
CREATE MACRO key_figures_for(programme, regions := NULL, formats := NULL, audiences := NULL,
                             years := NULL) AS TABLE
    SELECT
        (SELECT count(*) FROM municipalities m WHERE region_passes(m.region, regions))
                                                                    AS municipalities_total,
        count(DISTINCT kommune_code) FILTER (WHERE is_attended)     AS municipalities_reached,
        count(DISTINCT mayor_id) FILTER (WHERE is_attended)         AS mayors_reached,
        count(*) FILTER (WHERE is_registered)                       AS registrations,
        count(*) FILTER (WHERE is_attended)                         AS attended,
        count(*) FILTER (WHERE is_no_show)                          AS no_shows,
        coalesce(sum(revenue_ex_vat) FILTER (WHERE is_billed), 0)   AS revenue_ex_vat,
        count(*) FILTER (WHERE is_billed AND NOT price_known)       AS registrations_price_unknown
    FROM registration_facts
    WHERE programme_id = programme
      AND passes_filters(region, format, audience, starts_at, regions, formats, audiences,
                         years);

-- Per session of one programme: registrations by status (the overview's trend). A session
-- not held by `last_day` has no outcome yet: its attended and no-shows are NULL ("–", never
-- "Deltaget 0"); a NULL `last_day` counts every session as it stands. The filters as
-- filtered_session_totals takes them.
CREATE MACRO session_turnout_for(programme, last_day, regions := NULL, formats := NULL,
                                 audiences := NULL, years := NULL) AS TABLE
    SELECT session_id, session_title, starts_at, format, audience, registered,
           CASE WHEN last_day IS NULL OR held_by(starts_at, CAST(last_day AS DATE))
                THEN attended END                   AS attended,
           CASE WHEN last_day IS NULL OR held_by(starts_at, CAST(last_day AS DATE))
                THEN no_show END                    AS no_show,
           cancelled,
           municipalities_registered                AS municipalities
    FROM filtered_session_totals(programme, regions, formats, audiences, years)
    ORDER BY starts_at;

-- Kommuner ----------------------------------------------------------------------------------

-- The municipality x session rows of one programme that pass the filters (passes_filters).
CREATE MACRO filtered_municipality_sessions(programme, regions := NULL, formats := NULL,
                                            audiences := NULL, years := NULL) AS TABLE
    SELECT * FROM municipality_session_status
    WHERE programme_id = programme
      AND passes_filters(region, format, audience, starts_at, regions, formats, audiences,
                         years);

-- Per municipality: the filtered sessions registered for and attended.
CREATE MACRO participation_by_municipality_for(programme, regions := NULL, formats := NULL,
                                               audiences := NULL, years := NULL) AS TABLE
    SELECT kommune_code, municipality, region, m.population, m.lat, m.lon,
           count(*)                                              AS sessions_offered,
           count(*) FILTER (WHERE is_registered(s.status))       AS sessions_registered,
           count(*) FILTER (WHERE is_attended(s.status))         AS sessions_attended,
           count(*) FILTER (WHERE is_attended(s.status)) / count(*) AS share_attended,
           -- the rest of sessions_registered, apart: a no-show is not a pending booking
           count(*) FILTER (WHERE is_no_show(s.status))          AS sessions_no_show,
           count(*) FILTER (WHERE is_pending(s.status))          AS sessions_pending
    FROM filtered_municipality_sessions(programme, regions, formats, audiences, years) s
    JOIN (SELECT kommune_code, population, lat, lon FROM municipalities) m
        USING (kommune_code)
    GROUP BY ALL
    ORDER BY sessions_attended DESC, sessions_registered DESC, municipality COLLATE da;

-- Municipality x filtered session, long form: the matrix.
CREATE MACRO session_matrix_for(programme, regions := NULL, formats := NULL,
                                audiences := NULL, years := NULL) AS TABLE
    SELECT kommune_code, municipality, region, session_id, session_title, starts_at,
           format, status
    FROM filtered_municipality_sessions(programme, regions, formats, audiences, years)
    ORDER BY municipality COLLATE da, starts_at;

-- Municipalities with no attendance at any filtered session, with their mayor now.
CREATE MACRO never_attended_for(programme, regions := NULL, formats := NULL,
                                audiences := NULL, years := NULL) AS TABLE
    WITH counts AS (
        SELECT kommune_code, municipality, region,
               count(*) FILTER (WHERE is_registered(status) AND NOT is_attended(status))
                   AS registered_only,
               count(*) FILTER (WHERE is_cancelled(status)) AS cancelled,
               count(*) FILTER (WHERE is_no_show(status)) AS no_show,
               count(*) FILTER (WHERE is_pending(status)) AS pending
        FROM filtered_municipality_sessions(programme, regions, formats, audiences, years)
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
    ORDER BY c.municipality COLLATE da;

-- One municipality's mayor(s) and their status at every session of the programme while
-- in office.
CREATE MACRO municipality_detail_for(programme, kommune) AS TABLE
    SELECT municipality, mayor_name, party, newly_elected, session_id, session_title,
           starts_at, format, status
    FROM mayor_session_status
    WHERE programme_id = programme AND kommune_code = kommune
    ORDER BY starts_at, mayor_name COLLATE da;

-- Fastholdelse ------------------------------------------------------------------------------

-- The cohorts of one programme at each session held by `last_day` (later sessions are
-- still filling up and would look like a drop), for the filters.
CREATE MACRO retention_for(programme, last_day, regions := NULL, formats := NULL,
                           audiences := NULL, years := NULL) AS TABLE
    SELECT session_id, session_title, starts_at, format, audience, cohort,
           mayors_in_office, registered, attended, share_registered, share_attended
    FROM retention_by_cohort_for([programme], regions, formats, audiences, years)
    WHERE held_by(starts_at, last_day)
    ORDER BY starts_at, cohort;

-- The cohorts of several programmes, in the order of the list given, aligned on the point
-- of their period: whole months from its start, and the session's place in its programme.
CREATE MACRO retention_side_by_side_for(programme_list VARCHAR[], last_day) AS TABLE
    WITH wanted AS (SELECT unnest(programme_list) AS programme_id,
                           generate_subscripts(programme_list, 1) AS position)
    SELECT r.programme_id, p.title AS programme_title, r.session_id, r.session_title,
           r.starts_at, r.format, r.audience, r.cohort,
           date_diff('month', p.period_start, CAST(r.starts_at AS DATE)) AS months_in,
           dense_rank() OVER (PARTITION BY r.programme_id ORDER BY r.starts_at, r.session_id)
               AS session_number,
           r.mayors_in_office, r.registered, r.attended, r.share_registered,
           r.share_attended
    -- the programmes are filtered inside the macro: a filter there reaches its sessions
    -- scan (0,9-1,5 s at 1M registrations with only the join to `wanted`, 30-40 ms with it)
    FROM retention_by_cohort_for(programme_list) r
    JOIN programmes p USING (programme_id)
    JOIN wanted w USING (programme_id)
    WHERE held_by(r.starts_at, last_day)
    ORDER BY w.position, r.starts_at, r.cohort;

-- After the intro sessions: share registered at each joint session held by `last_day`, for
-- newly elected mayors who came to an intro, those who did not, and re-elected mayors.
-- One pass over the programme's rows: whether a mayor came to an intro is a window over
-- their own rows (every intro session, whatever the filters), not a second scan of the view.
-- The filters narrow the mayors (region) and the joint sessions plotted.
CREATE MACRO intro_path_for(programme, last_day, regions := NULL, formats := NULL,
                            audiences := NULL, years := NULL) AS TABLE
    WITH one_programme AS (
        SELECT *, bool_or(audience = 'intro' AND is_attended(status))
                      OVER (PARTITION BY mayor_id) AS came_to_intro
        FROM mayor_session_status
        WHERE programme_id = programme
    ),
    grouped AS (
        SELECT *, CASE
            WHEN NOT newly_elected THEN 're_elected'
            WHEN came_to_intro THEN 'newly_elected_intro'
            ELSE 'newly_elected_no_intro' END AS path
        FROM one_programme
        WHERE audience = 'all' AND held_by(starts_at, last_day)
          AND passes_filters(region, format, audience, starts_at, regions, formats,
                             audiences, years)
    )
    SELECT session_id, session_title, starts_at, format, path,
           count(*) AS mayors_in_office,
           count(*) FILTER (WHERE is_registered(status)) AS registered,
           count(*) FILTER (WHERE is_registered(status)) / count(*) AS share_registered
    FROM grouped
    GROUP BY ALL
    ORDER BY starts_at, path;

-- Newly elected mayors in office who missed both of the last two joint sessions held by
-- `last_day`. One pass over the programme's rows of newly elected mayors: per mayor, the
-- last two sessions they were in office for and attended, and every session they attended.
-- The filters: the mayors of municipalities in `regions`, the last two joint sessions of
-- those passing the others, and only those sessions counted as attended.
CREATE MACRO newly_elected_slipping_for(programme, last_day, regions := NULL,
                                        formats := NULL, audiences := NULL,
                                        years := NULL) AS TABLE
    WITH last_two AS (
        SELECT session_id FROM sessions
        WHERE programme_id = programme AND audience = 'all' AND held_by(starts_at, last_day)
          AND session_passes(format, audience, starts_at, formats, audiences, years)
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
        WHERE programme_id = programme AND newly_elected
          AND passes_filters(region, format, audience, starts_at, regions, formats,
                             audiences, years)
        GROUP BY mayor_id, mayor_name, municipality, region, party
    )
    SELECT mayor, municipality, region, party, last_attended_at, sessions_attended
    FROM per_mayor
    WHERE in_office_last_two = (SELECT count(*) FROM last_two) AND in_office_last_two > 0
      AND attended_last_two = 0
    ORDER BY last_attended_at NULLS FIRST, municipality COLLATE da;

-- Økonomi -----------------------------------------------------------------------------------
--
-- Every Økonomi mart takes the filters: `regions` the region of the municipality billed,
-- the others the session's format, audience and year (passes_filters).

-- Revenue per session of one programme, in time order.
CREATE MACRO revenue_by_session_for(programme, regions := NULL, formats := NULL,
                                    audiences := NULL, years := NULL) AS TABLE
    SELECT r.session_id, r.session_title, r.starts_at, r.format, r.registrations,
           r.cancelled AS cancellations_billed, r.registrations_price_unknown,
           r.revenue_ex_vat, r.vat, r.revenue_incl_vat, r.invoiced_ex_vat,
           r.outstanding_ex_vat,
           CAST(r.invoiced_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2)) AS invoiced_incl_vat,
           CAST(r.outstanding_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2))
               AS outstanding_incl_vat
    FROM filtered_session_totals(programme, regions, formats, audiences, years) r
    JOIN programme_prices p USING (programme_id, format)
    ORDER BY r.starts_at;

-- Revenue per format of one programme (day, overnight, online), with the list price and
-- the invoiced and outstanding amounts with VAT at the programme's rate.
CREATE MACRO revenue_by_format_for(programme, regions := NULL, formats := NULL,
                                   audiences := NULL, years := NULL) AS TABLE
    WITH per_format AS (
        SELECT programme_id, format,
               count(*)                          AS sessions,
               sum(registrations)                AS registrations,
               sum(cancelled)                    AS cancellations_billed,
               sum(registrations_price_unknown)  AS registrations_price_unknown,
               sum(revenue_ex_vat)               AS revenue_ex_vat,
               sum(vat)                          AS vat,
               sum(revenue_incl_vat)             AS revenue_incl_vat,
               sum(invoiced_ex_vat)              AS invoiced_ex_vat,
               sum(outstanding_ex_vat)           AS outstanding_ex_vat
        FROM filtered_session_totals(programme, regions, formats, audiences, years)
        GROUP BY programme_id, format
    )
    SELECT r.format, r.sessions, r.registrations, r.cancellations_billed,
           r.registrations_price_unknown, p.price_ex_vat AS list_price_ex_vat,
           r.revenue_ex_vat, r.vat, r.revenue_incl_vat, r.invoiced_ex_vat,
           r.outstanding_ex_vat,
           CAST(r.invoiced_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2)) AS invoiced_incl_vat,
           CAST(r.outstanding_ex_vat * (1 + p.vat_rate) AS DECIMAL(14, 2))
               AS outstanding_incl_vat
    FROM per_format r JOIN programme_prices p USING (programme_id, format)
    ORDER BY CASE r.format WHEN 'day' THEN 1 WHEN 'overnight' THEN 2 ELSE 3 END;

-- Cumulative revenue of one programme: booked by session day, invoiced by invoice day.
CREATE MACRO revenue_over_time_for(programme, regions := NULL, formats := NULL,
                                   audiences := NULL, years := NULL) AS TABLE
    WITH billed AS (
        SELECT * FROM registration_facts
        WHERE programme_id = programme AND is_billed
          AND passes_filters(region, format, audience, starts_at, regions, formats,
                             audiences, years)
    ),
    events AS (
        SELECT CAST(starts_at AS DATE) AS day, revenue_ex_vat AS booked_ex_vat,
               revenue_incl_vat AS booked_incl_vat,
               0::DECIMAL(12, 2) AS invoiced_ex_vat, 0::DECIMAL(12, 2) AS invoiced_incl_vat
        FROM billed
        UNION ALL
        SELECT invoiced_at, 0, 0, revenue_ex_vat, revenue_incl_vat
        FROM billed WHERE is_invoiced
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
    ORDER BY day;

-- Geografi ----------------------------------------------------------------------------------
--
-- Every Geografi mart takes the filters: `regions` the region of the municipality that
-- registered or attended, the others the session's format, audience and year.

-- Where each session of one programme was held and how far its attendees travelled.
CREATE MACRO session_geography_for(programme, regions := NULL, formats := NULL,
                                   audiences := NULL, years := NULL) AS TABLE
    SELECT session_id, session_title, starts_at, format, venue, city, lat, lon,
           venue_is_demo, registered, attended, avg_travel_km, total_travel_km
    FROM filtered_session_totals(programme, regions, formats, audiences, years)
    ORDER BY starts_at;

-- Per municipality (of `regions`): attendances at the programme's physical sessions and
-- their travel.
CREATE MACRO participant_origins_for(programme, regions := NULL, formats := NULL,
                                     audiences := NULL, years := NULL) AS TABLE
    SELECT m.kommune_code, m.name AS municipality, m.region, m.lat, m.lon,
           count(f.registration_id) AS attendances,
           coalesce(sum(f.travel_km), 0) AS total_travel_km
    FROM municipalities m
    LEFT JOIN registration_facts f
           ON f.kommune_code = m.kommune_code AND f.programme_id = programme
          AND f.is_attended AND f.format <> 'online'
          AND session_passes(f.format, f.audience, f.starts_at, formats, audiences, years)
    WHERE region_passes(m.region, regions)
    GROUP BY ALL
    ORDER BY municipality COLLATE da;

-- Per region (of `regions`): its share of their mayors (municipalities) against its share of
-- their attendances.
CREATE MACRO participation_by_region_for(programme, regions := NULL, formats := NULL,
                                         audiences := NULL, years := NULL) AS TABLE
    WITH per_region AS (
        SELECT m.region, count(DISTINCT m.kommune_code) AS municipalities,
               count(f.registration_id) AS attendances
        FROM municipalities m
        LEFT JOIN registration_facts f
               ON f.kommune_code = m.kommune_code AND f.programme_id = programme
              AND f.is_attended
              AND session_passes(f.format, f.audience, f.starts_at, formats, audiences, years)
        WHERE region_passes(m.region, regions)
        GROUP BY m.region
    )
    SELECT region, municipalities, attendances,
           municipalities / sum(municipalities) OVER () AS share_of_mayors,
           CASE WHEN sum(attendances) OVER () > 0
                THEN attendances / sum(attendances) OVER () END AS share_of_attendances
    FROM per_region
    ORDER BY region COLLATE da;

-- Planlægning -------------------------------------------------------------------------------

-- Per session (all, or those of `session_list`): registrations in all, and those made
-- `days` days before it or earlier, with their outcomes.
CREATE MACRO session_pace_for(days, session_list VARCHAR[] := NULL) AS TABLE
    SELECT s.session_id, count(r.registration_id) AS total,
           count(r.registration_id) FILTER (
               WHERE r.registered_at <= s.starts_at - to_days(CAST(days AS INTEGER)))
               AS by_then,
           count(r.registration_id) FILTER (WHERE is_cancelled(r.status)) AS cancelled,
           count(r.registration_id) FILTER (WHERE is_no_show(r.status)) AS no_show,
           count(r.registration_id) FILTER (WHERE is_attended(r.status)) AS attended
    FROM sessions s LEFT JOIN registrations r USING (session_id)
    WHERE session_list IS NULL OR list_contains(session_list, s.session_id)
    GROUP BY s.session_id;

-- Cumulative registrations that stand (is_registered: cancelled ones left out, as the
-- planning cards count "tilmeldt") by the days before each listed session they were made.
-- A cancellation has no date of its own, so a registration later cancelled is left out at
-- every day: the curve ends where the cards stand.
CREATE MACRO registration_curves_for(session_list VARCHAR[]) AS TABLE
    WITH daily AS (
        SELECT r.session_id, datediff('day', CAST(r.registered_at AS DATE),
                                      CAST(s.starts_at AS DATE)) AS days_before,
               count(*) AS registrations
        FROM registrations r JOIN sessions s USING (session_id)
        WHERE list_contains(session_list, r.session_id) AND is_registered(r.status)
        GROUP BY ALL
    )
    SELECT session_id, days_before,
           sum(registrations) OVER (PARTITION BY session_id ORDER BY days_before DESC)
               AS cumulative
    FROM daily ORDER BY session_id, days_before DESC;

-- What one session came to, from its totals: one row, zeros when it has no registrations.
CREATE MACRO session_outcome_for(session) AS TABLE
    SELECT coalesce(t.registrations, 0)               AS registrations,
           coalesce(t.registered, 0)                  AS registered,
           coalesce(t.attended, 0)                    AS attended,
           coalesce(t.cancelled, 0)                   AS cancelled,
           coalesce(t.no_show, 0)                     AS no_shows,
           coalesce(t.revenue_ex_vat, 0)              AS revenue_ex_vat,
           coalesce(t.registrations_price_unknown, 0) AS price_unknown
    FROM sessions s LEFT JOIN session_totals t USING (session_id)
    WHERE s.session_id = session;

-- One session's participant list: every registration, first come first.
CREATE MACRO session_participants_for(session) AS TABLE
    SELECT f.municipality, f.mayor_name AS mayor, f.newly_elected, f.registered_at,
           f.status, f.region, f.kommune_code
    FROM registration_facts f WHERE f.session_id = session
    ORDER BY f.registered_at, f.municipality COLLATE da;

-- Mayors in office on one session's day with no registration that stands: newly elected
-- first.
CREATE MACRO not_registered_for(session) AS TABLE
    SELECT municipality, mayor_name AS mayor, newly_elected, party, region, status
    FROM mayor_session_status
    WHERE session_id = session AND NOT is_registered(status)
    ORDER BY newly_elected DESC, municipality COLLATE da;

-- Town halls of the mayors registered (not cancelled) for one session.
CREATE MACRO registered_origins_for(session) AS TABLE
    SELECT m.kommune_code, m.name AS municipality, m.lat, m.lon
    FROM registration_facts f JOIN municipalities m USING (kommune_code)
    WHERE f.session_id = session AND f.is_registered;

-- Attendances per municipality at the last `latest` physical sessions held before
-- `before_day`.
-- Read from the municipality x session status (one municipality has one mayor at a time):
-- 5 ms at 1M registrations, against 9 ms through registration_facts.
CREATE MACRO recent_physical_attendance_for(before_day, latest) AS TABLE
    WITH recent AS (
        SELECT session_id FROM sessions
        WHERE format <> 'online' AND is_held(starts_at, before_day)
        ORDER BY starts_at DESC LIMIT latest
    )
    SELECT m.kommune_code, m.name AS municipality, m.lat, m.lon,
           count(*) AS attendances
    FROM municipality_session_status s JOIN municipalities m USING (kommune_code)
    WHERE s.session_id IN (SELECT session_id FROM recent) AND is_attended(s.status)
    GROUP BY ALL;

-- Where physical sessions were held (the latest `latest`, or all when NULL), newest first,
-- held before `held_before` (all when NULL), with the region of the town hall nearest the
-- venue.
CREATE MACRO hosting_history_for(latest, held_before) AS TABLE
    WITH placed AS (
        SELECT session_id, starts_at, format, city, venue_is_demo, lat, lon
        FROM sessions
        WHERE lat IS NOT NULL AND (held_before IS NULL OR is_held(starts_at, held_before))
        ORDER BY starts_at DESC, session_id LIMIT latest
    )
    SELECT s.session_id, s.starts_at, s.format, s.city, s.venue_is_demo,
           arg_min(m.region, haversine_km(s.lat, s.lon, m.lat, m.lon)) AS region
    FROM placed s, municipalities m
    GROUP BY ALL
    ORDER BY s.starts_at DESC, s.session_id;

-- Kommune- og sessionssider (drill-through) ---------------------------------------------------

-- One municipality's mayors during one programme: every term that overlaps its period.
CREATE MACRO municipality_mayors_for(programme, kommune) AS TABLE
    SELECT p.name AS mayor, t.party, t.newly_elected, t.term_start,
           t.in_office_until AS term_end
    FROM mayor_terms_in_office t
    JOIN mayors p ON p.mayor_id = t.mayor_id
    JOIN programmes g ON g.programme_id = programme
    WHERE t.kommune_code = kommune AND t.term_start <= g.period_end
      AND (t.in_office_until IS NULL OR t.in_office_until >= g.period_start)
    ORDER BY t.term_start, p.name COLLATE da;

-- One municipality at every session of one programme: its strongest status there, the
-- straight-line distance from its town hall to the venue, and what it is billed (every
-- billed registration of the municipality, the revenue rule of registration_facts).
CREATE MACRO municipality_sessions_for(programme, kommune) AS TABLE
    WITH billed AS (
        SELECT session_id,
               sum(revenue_ex_vat)                               AS revenue_ex_vat,
               sum(revenue_incl_vat)                             AS revenue_incl_vat,
               coalesce(sum(revenue_ex_vat) FILTER (WHERE is_invoiced), 0)
                                                                 AS invoiced_ex_vat,
               coalesce(sum(revenue_incl_vat) FILTER (WHERE is_invoiced), 0)
                                                                 AS invoiced_incl_vat,
               max(invoiced_at)                                  AS invoiced_at,
               count(*) FILTER (WHERE NOT price_known)           AS registrations_price_unknown
        FROM registration_facts
        WHERE programme_id = programme AND kommune_code = kommune AND is_billed
        GROUP BY session_id
    )
    SELECT st.session_id, st.session_title, st.starts_at, st.format, st.audience,
           s.venue, s.city, st.status, is_attended(st.status)         AS attended,
           CASE WHEN s.lat IS NOT NULL
                THEN haversine_km(m.lat, m.lon, s.lat, s.lon) END  AS travel_km,
           coalesce(b.revenue_ex_vat, 0)                           AS revenue_ex_vat,
           coalesce(b.revenue_incl_vat, 0)                         AS revenue_incl_vat,
           coalesce(b.invoiced_ex_vat, 0)                          AS invoiced_ex_vat,
           coalesce(b.invoiced_incl_vat, 0)                        AS invoiced_incl_vat,
           b.invoiced_at,
           coalesce(b.registrations_price_unknown, 0)              AS registrations_price_unknown
    FROM municipality_session_status st
    JOIN sessions s ON s.session_id = st.session_id
    JOIN municipalities m ON m.kommune_code = st.kommune_code
    LEFT JOIN billed b ON b.session_id = st.session_id
    WHERE st.programme_id = programme AND st.kommune_code = kommune
    ORDER BY st.starts_at, st.session_id;
