"""The participation rules are written once, as macros in etl/schema.sql, and only there.

Two halves: no SQL outside the rule macros names a status (so a rule changed in one place
cannot be missed in another), and a rule changed in that one place changes every page's
numbers (a temporary rule, CREATE OR REPLACE MACRO, in a test database)."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from dashboard import queries
from dashboard.today import is_held, last_held_day
from etl.canonical import STATUSES
from etl.marts import refresh_marts
from etl.paths import PROJECT_ROOT, SCHEMA_FILE

# A status named in SQL text: the coded value between single quotes. Python code names a
# status as a Python string ("attended": the importer's status words in etl/aliases.py and
# etl/kinds.py, canonical.STATUSES, the figures' colours), which is no SQL literal and is
# not matched; only a string whose text holds 'attended' with its quotes is SQL naming it.
STATUS_LITERAL = re.compile("'(?:" + "|".join(STATUSES) + ")'")

# The macros that ARE the rules (the glossary at the top of schema.sql) and the two that
# rank statuses: the only SQL allowed to name a status.
RULE_MACROS = {"is_attended", "is_no_show", "is_cancelled", "is_pending", "is_registered",
               "is_billed", "status_rank", "status_of_rank"}
# The coded values themselves, declared on the column they constrain: the one place besides
# the rules. Allowed only as exactly this text, holding exactly canonical.STATUSES.
STATUS_CHECK = f"CHECK (status IN ({', '.join(repr(s) for s in STATUSES)}))"
SQL_DIRECTORIES = ("etl", "dashboard")


def schema_statements(text: str) -> list[str]:
    """schema.sql's statements without their comments (the glossary names statuses in
    prose, which is allowed)."""
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return [s.strip() for s in code.split(";") if s.strip()]


def macro_name(statement: str) -> str | None:
    match = re.match(r"CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s+(\w+)", statement, re.IGNORECASE)
    return match.group(1) if match else None


def schema_offenders(text: str) -> list[str]:
    """Statements of schema SQL naming a status outside the rule macros and the CHECK."""
    offenders = []
    for statement in schema_statements(text):
        if macro_name(statement) in RULE_MACROS:
            continue
        rest = statement.replace(STATUS_CHECK, "")
        if STATUS_LITERAL.search(rest):
            offenders.append(" ".join(statement.split())[:120])
    return offenders


def python_offenders(path: Path) -> list[str]:
    """`file:line: text` of every string constant in a Python file (f-strings' parts too)
    whose text names a status as SQL does."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {node.value.strip()[:80]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and STATUS_LITERAL.search(node.value)]


def test_the_scan_finds_a_status_literal_where_one_is_written():
    """The scanners themselves: a restated rule is caught, the rules and the CHECK are not."""
    assert schema_offenders("CREATE VIEW v AS SELECT count(*) FILTER "
                            "(WHERE status = 'attended') FROM t;")
    assert not schema_offenders("CREATE MACRO is_attended(status) AS status = 'attended';\n"
                                "-- 'attended' in a comment\n"
                                f"CREATE TABLE r (status VARCHAR {STATUS_CHECK});")
    assert schema_offenders("CREATE TABLE r (status VARCHAR "
                            "CHECK (status IN ('registered', 'attended')));")


def test_no_sql_outside_the_rule_macros_names_a_status():
    assert schema_offenders(SCHEMA_FILE.read_text(encoding="utf-8")) == []
    assert STATUS_CHECK in SCHEMA_FILE.read_text(encoding="utf-8")  # the allowance is real
    offenders = [hit for directory in SQL_DIRECTORIES
                 for path in sorted((PROJECT_ROOT / directory).rglob("*.py"))
                 for hit in python_offenders(path)]
    assert offenders == [], "use the rule macros of etl/schema.sql:\n" + "\n".join(offenders)


def test_every_rule_the_glossary_names_is_a_macro(tiny_con):
    macros = {name for (name,) in tiny_con.execute(
        "SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro'")
        .fetchall()}
    assert RULE_MACROS | {"is_held", "held_by"} <= macros
    glossary = SCHEMA_FILE.read_text(encoding="utf-8").split("-- 1. Tables")[0]
    for rule in RULE_MACROS - {"status_rank", "status_of_rank"} | {"is_held", "held_by"}:
        assert rule in glossary, rule


# --- A temporary rule -------------------------------------------------------------------------

HELD_BY = dt.date(2026, 11, 30)


def page_numbers(con) -> dict:
    """The numbers each page shows from the hand-made data, the ones the rules decide."""
    key = queries.key_figures(con, "P1")
    per_municipality = queries.participation_by_municipality(con, "P1").set_index("kommune_code")
    retention = queries.retention(con, "P1", HELD_BY).set_index(["session_id", "cohort"])
    turnout = queries.session_turnout(con, "P1").set_index("session_id")
    geography = queries.session_geography(con, "P1").set_index("session_id")
    revenue = queries.revenue_by_session(con, "P1").set_index("session_id")
    return {
        "overview attended": key.attended,
        "overview mayors reached": key.mayors_reached,
        "overview registrations": key.registrations,
        "overview revenue": key.revenue_ex_vat,
        "Aalborg sessions attended": int(per_municipality.loc[851, "sessions_attended"]),
        "Aalborg sessions no-show": int(per_municipality.loc[851, "sessions_no_show"]),
        "S1 newly elected attended": int(retention.loc[("S1", "newly_elected"), "attended"]),
        "S1 newly elected registered": int(retention.loc[("S1", "newly_elected"),
                                                         "registered"]),
        "S1 attended (trend)": int(turnout.loc["S1", "attended"]),
        "S1 attended (map)": int(geography.loc["S1", "attended"]),
        "S1 outcome attended": queries.session_outcome(con, "S1").attended,
        "S2 revenue": float(revenue.loc["S2", "revenue_ex_vat"]),
        "S2 billed registrations": int(revenue.loc["S2", "registrations"]),
        "never attended": sorted(queries.never_attended(con, "P1")["kommune_code"]),
        "origins attendances": int(queries.participant_origins(con, "P1")["attendances"].sum()),
    }


def with_rule(con, rule: str) -> dict:
    """The page numbers after replacing one rule macro, as the ETL would then refresh them."""
    con.execute(rule)
    refresh_marts(con)  # the pre-aggregated tables are filled by the rules too
    return page_numbers(con)


def test_the_attended_rule_changed_in_one_place_changes_every_page(tiny_con):
    before = page_numbers(tiny_con)
    # A temporary rule: a no-show counts as attended (R2: Aalborg's M3 at S1, newly elected).
    after = with_rule(tiny_con, "CREATE OR REPLACE MACRO is_attended(status) AS "
                                "status IN ('attended', 'no_show')")
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {
        "overview attended": (4, 5),
        "overview mayors reached": (3, 4),
        "Aalborg sessions attended": (2, 3),
        "S1 newly elected attended": (1, 2),
        "S1 attended (trend)": (1, 2),
        "S1 attended (map)": (1, 2),
        "S1 outcome attended": (1, 2),
        "origins attendances": (3, 4),   # physical sessions only: S3 is online
    }


def test_the_billed_rule_changed_in_one_place_changes_the_revenue(tiny_con):
    before = page_numbers(tiny_con)
    # A temporary rule: a cancellation is not billed (R4: 8.800 kr. at S2).
    after = with_rule(tiny_con, "CREATE OR REPLACE MACRO is_billed(status) AS "
                                "is_registered(status)")
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {"overview revenue": (28200.0, 19400.0), "S2 revenue": (17600.0, 8800.0)}


def test_the_registered_rule_changed_in_one_place_changes_every_page(tiny_con):
    before = page_numbers(tiny_con)
    # A temporary rule: a no-show is no registration (R2 at S1).
    after = with_rule(tiny_con, "CREATE OR REPLACE MACRO is_registered(status) AS "
                                "is_pending(status) OR is_attended(status)")
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    # R2 is now neither registered nor cancelled, so not billed either: 5.300 kr. less.
    assert changed == {"overview registrations": (6, 5),
                       "overview revenue": (28200.0, 22900.0),
                       "S1 newly elected registered": (2, 1)}


@pytest.mark.parametrize("today, held", [(dt.date(2022, 12, 5), ["S1"]),
                                         (dt.date(2022, 12, 6), ["S1", "S2"])])
def test_held_is_one_rule_for_sql_and_the_pages(tiny_con, today, held):
    """A session starting on the pages' today is upcoming, in SQL as in dashboard.today."""
    rows = tiny_con.execute("SELECT session_id, is_held(starts_at, ?), "
                            "held_by(starts_at, ?) FROM sessions ORDER BY session_id",
                            [today, last_held_day(today)]).fetchall()
    starts = dict(tiny_con.execute("SELECT session_id, starts_at FROM sessions").fetchall())
    assert [s for s, sql_held, _ in rows if sql_held] == held
    assert all(sql_held == by == is_held(starts[s], today) for s, sql_held, by in rows)
