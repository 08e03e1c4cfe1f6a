"""The project's own CSV format for mayors, registrations and venues (what the demo
generator writes and the build loads). KL's real exports go through the importer instead."""

from __future__ import annotations

from etl.csvfile import (
    Column,
    one_of,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_money,
    parse_timestamp,
    text,
)
from etl.reference import AUDIENCES, FORMATS, PROGRAMME_COLUMNS

STATUSES = ("registered", "cancelled", "attended", "no_show")

MAYOR_COLUMNS = [
    Column("mayor_id", text),
    Column("name", text),
    Column("kommune_code", parse_int),
    Column("party", text, required=False),
    Column("term_start", parse_date),
    Column("term_end", parse_date, required=False),
    Column("newly_elected", parse_bool),
]
# One term in office of one person (mayor_terms); MAYOR_COLUMNS' term columns repeat the
# person's latest term.
MAYOR_TERM_COLUMNS = [column for column in MAYOR_COLUMNS if column.name != "name"]
# The demo's own programme and its sessions (is_demo in the database): the brochure's
# programme is reference data, not these.
DEMO_PROGRAMME_COLUMNS = PROGRAMME_COLUMNS
DEMO_SESSION_COLUMNS = [
    Column("session_id", text),
    Column("programme_id", text),
    Column("title", text),
    Column("audience", one_of(*AUDIENCES)),
    Column("format", one_of(*FORMATS)),
    Column("starts_at", parse_timestamp),
    Column("ends_at", parse_timestamp),
    Column("venue", text, required=False),
    Column("city", text, required=False),
    Column("lat", parse_float, required=False),
    Column("lon", parse_float, required=False),
    Column("price_ex_vat", parse_money, required=False),
    Column("capacity", parse_int, required=False),
]
REGISTRATION_COLUMNS = [
    Column("registration_id", text),
    Column("session_id", text),
    Column("mayor_id", text),
    Column("kommune_code", parse_int),
    Column("registered_at", parse_timestamp),
    Column("status", one_of(*STATUSES)),
    Column("price_ex_vat", parse_money, required=False),
    Column("invoiced_at", parse_date, required=False),
]
VENUE_COLUMNS = [
    Column("session_id", text),
    Column("venue", text),
    Column("city", text),
    Column("lat", parse_float),
    Column("lon", parse_float),
]
DATASET_INFO_COLUMNS = [
    Column("key", text),
    Column("value", text),
]

FILES = {
    "programmes": ("programmes.csv", DEMO_PROGRAMME_COLUMNS),
    "sessions": ("sessions.csv", DEMO_SESSION_COLUMNS),
    "mayors": ("mayors.csv", MAYOR_COLUMNS),
    "mayor_terms": ("mayor_terms.csv", MAYOR_TERM_COLUMNS),
    "registrations": ("registrations.csv", REGISTRATION_COLUMNS),
    "venues": ("venues.csv", VENUE_COLUMNS),
    "dataset_info": ("dataset_info.csv", DATASET_INFO_COLUMNS),
}
