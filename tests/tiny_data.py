"""A tiny hand-made data set whose every view result has been worked out by hand.

Three municipalities, three sessions, four mayors (one replaced mid-term), seven
registrations covering every status, an explicit 0 kr. credit and an unknown online price.
"""

from __future__ import annotations

import duckdb

from etl.marts import refresh_marts
from etl.paths import SCHEMA_FILE

TOWN_HALLS = {101: (55.67567, 12.56951), 751: (56.15295, 10.20312), 851: (57.04800, 9.91870)}

INSERTS = """
INSERT INTO dataset_info VALUES ('is_demo', 'false'), ('data_as_of', '2023-06-15');
INSERT INTO municipalities VALUES
    (101, 'København', 'Region Hovedstaden', 650000, 2024, 55.67567, 12.56951),
    (751, 'Aarhus', 'Region Midtjylland', 367000, 2024, 56.15295, 10.20312),
    (851, 'Aalborg', 'Region Nordjylland', 222000, 2024, 57.04800, 9.91870);
INSERT INTO prices VALUES ('day', 5300, 0.25, 't'), ('overnight', 8800, 0.25, 't'),
                          ('online', NULL, 0.25, 't');
INSERT INTO programmes (programme_id, title, period_start, period_end)
    VALUES ('P1', 'Testforløb', '2022-01-01', '2025-12-31');
INSERT INTO sessions (session_id, programme_id, title, audience, format, starts_at, ends_at,
                      time_of_day_known, venue, city, lat, lon, price_ex_vat) VALUES
    ('S1', 'P1', 'Intro', 'intro', 'day', '2022-04-27 10:00', '2022-04-27 18:00', true,
     'Rådhuset', 'Aarhus', 56.15295, 10.20312, 5300),
    ('S2', 'P1', 'Døgn', 'all', 'overnight', '2022-12-05 12:00', '2022-12-06 12:00', true,
     'Rådhuset', 'København', 55.67567, 12.56951, 8800),
    ('S3', 'P1', 'Online', 'all', 'online', '2023-06-01', '2023-06-02', false,
     NULL, NULL, NULL, NULL, NULL);
INSERT INTO mayors VALUES
    ('M1', 'Genvalgt København', 101, 'A', '2022-01-01', NULL, false),
    ('M2', 'Nyvalgt Aarhus', 751, 'V', '2022-01-01', NULL, true),
    ('M3', 'Fratrådt Aalborg', 851, 'C', '2022-01-01', '2022-06-30', true),
    ('M4', 'Efterfølger Aalborg', 851, 'C', '2022-07-01', NULL, true);
INSERT INTO registrations VALUES
    ('R1', 'S1', 'M2', 751, '2022-04-01 09:00', 'attended',   NULL, '2022-05-10'),
    ('R2', 'S1', 'M3', 851, '2022-04-02 09:00', 'no_show',    5300, '2022-05-10'),
    ('R3', 'S2', 'M1', 101, '2022-11-01 09:00', 'attended',   8800, '2022-12-20'),
    ('R4', 'S2', 'M2', 751, '2022-11-02 09:00', 'cancelled',  8800, NULL),
    ('R5', 'S2', 'M4', 851, '2022-11-03 09:00', 'attended',   0,    '2022-12-20'),
    ('R6', 'S3', 'M1', 101, '2023-05-01 09:00', 'registered', NULL, NULL),
    ('R7', 'S3', 'M4', 851, '2023-05-02 09:00', 'attended',   NULL, NULL);
"""


def load_tiny(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    con.execute(INSERTS)
    # Each tiny mayor holds one term: the one its mayors row states.
    con.execute("INSERT INTO mayor_terms SELECT mayor_id, kommune_code, party, term_start, "
                "term_end, newly_elected FROM mayors")
    refresh_marts(con)  # as the ETL does after every load
    return con
