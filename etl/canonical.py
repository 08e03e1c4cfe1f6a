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
    "mayors": ("mayors.csv", MAYOR_COLUMNS),
    "registrations": ("registrations.csv", REGISTRATION_COLUMNS),
    "venues": ("venues.csv", VENUE_COLUMNS),
    "dataset_info": ("dataset_info.csv", DATASET_INFO_COLUMNS),
}
