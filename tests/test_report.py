"""What `python -m etl import` prints when more problems are found than it lists."""

from __future__ import annotations

import shutil

import duckdb
from click.testing import CliRunner

from etl.__main__ import cli
from etl.report import MAX_SHOWN

HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"


def count(database, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def rejected_rows(database) -> int:
    return count(database, "rejected_rows")


def test_the_rest_of_a_long_list_is_where_the_command_says(demo_database, tmp_path):
    """A dry run stores no rejected row: it points to the run that does, and that run does."""
    database = tmp_path / "borgmester.duckdb"
    shutil.copy(demo_database, database)
    export = tmp_path / "lang.csv"
    lines = MAX_SHOWN + 10
    export.write_text(HEADER + "\n" + "".join(
        f"W{n};LKS2022-09;Gotham;Anna {n};01-03-2025;tilmeldt;;\n" for n in range(lines)),
        encoding="utf-8")
    before, registrations = rejected_rows(database), count(database, "registrations")
    dry = CliRunner().invoke(cli, ["import", str(export), "--db", str(database), "--dry-run"])
    assert dry.exit_code == 2
    assert "kør uden --dry-run for at gemme dem alle i tabellen rejected_rows" in dry.output
    assert rejected_rows(database) == before            # as the dry run says: nothing stored
    real = CliRunner().invoke(cli, ["import", str(export), "--db", str(database)])
    assert real.exit_code == 2 and "se tabellen rejected_rows" in real.output
    assert rejected_rows(database) - before >= lines   # every rejected row is there
    assert count(database, "registrations") == registrations   # and nothing is loaded
