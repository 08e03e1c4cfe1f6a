"""The marts layer of etl/schema.sql: the pages' aggregates as table macros, read by
dashboard/queries.py, written around DuckDB's macro rules, and brought into an older
database by `etl upgrade`.

Layers (schema.sql's header): tables -> staged (rules, one row per thing) -> marts. Here:
queries.py reads tables and mart macros, never a view; every view and mart macro has a
reader; a macro's parameter never shares a column's name (it would shadow it); each object
comes after what it reads; an older database is noticed and upgraded to the current marts.
"""

from __future__ import annotations

import ast
import re
import shutil

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from etl.paths import PROJECT_ROOT, SCHEMA_FILE
from etl.schema_check import missing_from_model
from etl.upgrade import upgrade_database

SCHEMA = SCHEMA_FILE.read_text(encoding="utf-8")
CREATED = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW|MACRO|SEQUENCE)\s+(\w+)",
                     re.IGNORECASE)


def statements(text: str) -> list[str]:
    """The schema's statements, comments removed."""
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return [s.strip() for s in code.split(";") if s.strip()]


def created(text: str) -> list[tuple[str, str, str]]:
    """(kind, name, statement) of each CREATE, in order; a table macro is 'TABLE MACRO'."""
    found = []
    for statement in statements(text):
        match = CREATED.match(statement)
        if match:
            kind = match.group(1).upper()
            if kind == "MACRO" and re.search(r"\)\s+AS\s+TABLE\b", statement, re.IGNORECASE):
                kind = "TABLE MACRO"
            found.append((kind, match.group(2), statement))
    return found


def names(kind: str, text: str = SCHEMA) -> list[str]:
    return [name for k, name, _ in created(text) if k == kind]


def marts_section(text: str = SCHEMA) -> str:
    return text.split("-- 3. Marts")[1]


def sql_in(path) -> str:
    """Every string constant of a Python file (its SQL), joined."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str))


def mentions(text: str, name: str) -> bool:
    return re.search(rf"\b{name}\b", text) is not None


# --- queries.py reads the marts -------------------------------------------------------------

QUERIES_SQL = sql_in(PROJECT_ROOT / "dashboard" / "queries.py")


def test_queries_read_no_view_only_tables_and_mart_macros():
    views = [name for name in names("VIEW") if mentions(QUERIES_SQL, name)]
    assert views == [], f"dashboard/queries.py reads views {views}: read a mart macro instead"


def test_every_mart_macro_a_query_names_exists_and_every_mart_has_a_reader():
    marts = names("TABLE MACRO", marts_section())
    called = set(re.findall(r'_mart\(con, "(\w+)"', (PROJECT_ROOT / "dashboard" /
                                                      "queries.py").read_text()))
    called |= set(re.findall(r"FROM (\w+)\(", QUERIES_SQL))
    assert called - set(marts) == set(), "a query names a macro the marts layer lacks"
    # A mart macro read by no query, and by no other mart, is dead.
    others = {name: "\n".join(s for _, n, s in created(SCHEMA) if n != name) for name in marts}
    unread = [name for name in marts if name not in called and not mentions(others[name], name)]
    assert unread == []


def test_every_view_has_a_reader():
    """A view nothing reads (no other view or macro, no Python of the product) is removed,
    as participation_by_municipality was (issue 19)."""
    python = "\n".join(sql_in(path) for folder in ("etl", "dashboard")
                       for path in sorted((PROJECT_ROOT / folder).rglob("*.py")))
    unread = []
    for name in names("VIEW"):
        rest = "\n".join(s for _, n, s in created(SCHEMA) if n != name)
        if not mentions(rest, name) and not mentions(python, name):
            unread.append(name)
    assert unread == []


def test_the_reader_checks_find_an_unread_view():
    text = SCHEMA + "\nCREATE VIEW nobody_reads_me AS SELECT 1;"
    assert "nobody_reads_me" in names("VIEW", text)
    rest = "\n".join(s for _, n, s in created(text) if n != "nobody_reads_me")
    assert not mentions(rest, "nobody_reads_me")


# --- DuckDB's macro rules ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def model():
    with duckdb.connect() as con:
        con.execute(SCHEMA)
        yield con


def shadowing(con) -> list[str]:
    """`macro(parameter)` for each parameter of a table macro named like a column of a table
    or view the macro reads: inside the macro the parameter would stand for the column."""
    columns: dict[str, set[str]] = {}
    for relation, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                        "WHERE NOT internal").fetchall():
        columns.setdefault(relation, set()).add(column)
    found = []
    for macro, parameters, body in con.execute(
            "SELECT function_name, parameters, macro_definition FROM duckdb_functions() "
            "WHERE function_type = 'table_macro' AND NOT internal").fetchall():
        read = set().union(*(cols for relation, cols in columns.items()
                             if mentions(body, relation)))
        found += [f"{macro}({parameter})" for parameter in parameters if parameter in read]
    return found


def test_no_mart_parameter_is_named_like_a_column(model):
    assert shadowing(model) == []


def test_a_parameter_named_like_a_column_would_match_every_row(model):
    """Why the check above: the parameter wins, and the filter holds for every row."""
    model.execute("CREATE TEMP MACRO bad_for(programme_id) AS TABLE "
                  "SELECT count(*) AS n FROM sessions WHERE programme_id = programme_id")
    try:
        assert shadowing(model) == ["bad_for(programme_id)"]
    finally:
        model.execute("DROP MACRO TABLE bad_for")


def test_each_object_is_created_after_what_it_reads():
    """DuckDB checks a view's names when it is created but a macro's only when it is called:
    a macro before what it reads would work in one file and fail in a restore that runs the
    statements in order."""
    seen, late = set(), []
    everything = {name for _, name, _ in created(SCHEMA)}
    for _, name, statement in created(SCHEMA):
        body = statement.split(" AS ", 1)[1] if " AS " in statement else ""
        for other in everything - seen - {name}:
            if mentions(body, other):
                late.append(f"{name} reads {other}")
        seen.add(name)
    assert late == []


def test_empty_filters_fold_away(tiny_con):
    """The filters arrive as bound constants: no filter leaves no condition behind, and a
    list of one is an equality (the plan DuckDB makes, not a timing)."""
    def plan(arguments):
        return "\n".join(row[1] for row in tiny_con.execute(
            "EXPLAIN SELECT * FROM filtered_municipality_sessions(?, ?, ?, ?, ?)",
            arguments).fetchall())
    assert "list_contains" not in plan(["P1", None, None, None, None])
    narrow = plan(["P1", ["Region Nordjylland"], None, None, None])
    assert "list_contains" not in narrow and "Region Nordjylland" in narrow


# --- An older database ------------------------------------------------------------------------

# The model before the marts (issue 19): no mart macros, and the view
# participation_by_municipality, which nothing read.
BEFORE_MARTS = [f"DROP MACRO TABLE {name}" for name in names("TABLE MACRO", marts_section())]
BEFORE_MARTS.append("CREATE VIEW participation_by_municipality AS "
                    "SELECT programme_id, kommune_code, count(*) AS sessions_offered "
                    "FROM municipality_session_status GROUP BY ALL")


def change(database, statements_: list[str]) -> None:
    with duckdb.connect(str(database)) as con:
        for statement in statements_:
            con.execute(statement)


def objects(database) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {name for (name,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal UNION ALL "
            "SELECT function_name FROM duckdb_functions() WHERE NOT internal "
            "AND function_type = 'table_macro'").fetchall()}


def page_frames(database) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(database), read_only=True) as con:
        filters = queries.Filters(formats=("day", "overnight"))
        return {"participation": queries.participation_by_municipality(con, "LKS2022", filters),
                "turnout": queries.session_turnout(con, "LKS2022"),
                "revenue": queries.revenue_by_session(con, "LKS2022"),
                "never": queries.never_attended(con, "LKS2022", filters)}


def test_a_database_from_before_the_marts_is_noticed_and_upgraded(demo_database, tmp_path):
    old = tmp_path / "before-marts.duckdb"
    shutil.copy(demo_database, old)
    change(old, BEFORE_MARTS)
    missing = missing_from_model(old)
    assert ("session_turnout_for(programme, last_day, regions, formats, audiences, years)"
            in missing)
    assert ("participation_by_municipality_for(programme, regions, formats, audiences, years)"
            in missing)
    with pytest.raises(duckdb.CatalogException):
        page_frames(old)    # what the pages would meet without the upgrade

    result = upgrade_database(old)

    assert result.added == missing and missing_from_model(old) == []
    after = objects(old)
    assert "participation_by_municipality" not in after      # removed from the schema
    assert set(names("TABLE MACRO", marts_section())) <= after
    fresh = page_frames(demo_database)
    for name, frame in page_frames(old).items():
        pd.testing.assert_frame_equal(frame, fresh[name], obj=name)


def test_a_changed_rule_is_noticed_and_the_upgrade_brings_the_current_one(demo_database,
                                                                          tmp_path):
    """A rule edited in schema.sql (here: the database keeps an older is_attended, as if the
    schema had changed since it was built) is an older model: `etl upgrade` puts the
    schema's rule in, and every mart follows."""
    old = tmp_path / "older-rule.duckdb"
    shutil.copy(demo_database, old)
    assert missing_from_model(old) == []
    change(old, ["CREATE OR REPLACE MACRO is_attended(status) AS is_no_show(status)"])
    assert missing_from_model(old) == ["is_attended(status)"]
    with duckdb.connect(str(old), read_only=True) as con:
        wrong = queries.key_figures(con, "LKS2022")

    upgrade_database(old)

    assert missing_from_model(old) == []
    with duckdb.connect(str(demo_database), read_only=True) as con:
        right = queries.key_figures(con, "LKS2022")
    with duckdb.connect(str(old), read_only=True) as con:
        assert queries.key_figures(con, "LKS2022") == right != wrong


def test_a_changed_view_is_noticed_but_not_a_comment(demo_database, tmp_path):
    old = tmp_path / "older-view.duckdb"
    shutil.copy(demo_database, old)
    with duckdb.connect(str(old)) as con:
        (sql,) = con.execute("SELECT sql FROM duckdb_views() "
                             "WHERE view_name = 'municipality_session_status'").fetchone()
        # The same view with a comment and other layout: DuckDB keeps its own rendering.
        con.execute(sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)
                    .replace(" FROM ", "\n  -- a comment\n  FROM ", 1))
    assert missing_from_model(old) == []
    assert "COALESCE(b.rank, 0)" in sql
    with duckdb.connect(str(old)) as con:
        # Another body with the same columns: no registration counted as a cancelled one.
        con.execute(sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)
                    .replace("COALESCE(b.rank, 0)", "COALESCE(b.rank, 1)", 1))
    assert missing_from_model(old) == ["municipality_session_status"]
