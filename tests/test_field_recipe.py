"""The recipe for a new field of the registrations import, followed to the letter: one
`Field` in etl/kinds.py plus its column in etl/schema.sql, and no other edit.

A throwaway optional field, "Gæster" (guests, a count), is declared on the registrations
kind at run time and its column added to a copy of the schema text, which build, the model
check and the upgrade read (etl.paths.SCHEMA_FILE as each module holds it). Then: a file
carrying the column stores it; a file without it still imports; a bad value is rejected
naming its line and column; the README's field table lists it. Take the declaration or the
column away and the test fails (test_the_recipe_needs_both_halves).
"""

from __future__ import annotations

import dataclasses
import sys

import duckdb
import pytest

from etl import kinds
from etl.build import build_database
from etl.importer import import_files
from etl.paths import SCHEMA_FILE

# The declaration (step 1 of the recipe): the field, its header names, reader and column.
GUESTS = kinds.Field("guests", "guests", ("Gæster", "Antal gæster", "Guests"), "count",
                     "guests", "guests", note=" (empty: none said)")
# The column (step 2): the registrations table's CREATE in etl/schema.sql gains it.
AFTER = "    invoiced_at     DATE\n);"
COLUMN = "    invoiced_at     DATE,\n    guests          INTEGER CHECK (guests > 0)\n);"


def declare(monkeypatch, field: kinds.Field) -> kinds.Kind:
    """Step 1: the registrations kind with `field` added, wherever the kind is looked up."""
    kind = dataclasses.replace(kinds.REGISTRATIONS,
                               fields=(*kinds.REGISTRATIONS.fields, field))
    monkeypatch.setattr(kinds, "REGISTRATIONS", kind)
    monkeypatch.setattr(kinds, "KINDS", (kind, *kinds.KINDS[1:]))
    monkeypatch.setattr(kinds, "BY_NAME", {**kinds.BY_NAME, kind.name: kind})
    return kind


def add_column(monkeypatch, tmp_path) -> None:
    """Step 2: the schema with the column, read by every module that reads the schema."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text.count(AFTER) == 1, "the registrations table's last column moved: update AFTER"
    schema = tmp_path / "schema.sql"
    schema.write_text(text.replace(AFTER, COLUMN), encoding="utf-8")
    for module in list(sys.modules.values()):
        if (module is not None and getattr(module, "__name__", "").startswith("etl")
                and getattr(module, "SCHEMA_FILE", None) == SCHEMA_FILE):
            monkeypatch.setattr(module, "SCHEMA_FILE", schema)


@pytest.fixture
def database(tmp_path):
    return tmp_path / "borgmester.duckdb"


def export(path, header: list[str], rows: list[list[str]]):
    path.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


HEADER = ["Session", "Kommune", "Navn", "Tilmeldt", "Status"]
ROWS = [["LKS2022-01", "Aarhus", "Ny Person", "01-04-2022", "tilmeldt"],
        ["LKS2022-01", "Aalborg", "Anden Person", "02-04-2022", "deltaget"]]


def stored(database) -> dict[str, int | None]:
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(con.execute(
            "SELECT m.name, r.guests FROM registrations r JOIN mayors m USING (mayor_id) "
            "WHERE r.session_id = 'LKS2022-01' AND m.name IN ('Ny Person', 'Anden Person')"
        ).fetchall())


def test_a_new_field_is_one_declaration_plus_its_column(monkeypatch, tmp_path, database):
    declare(monkeypatch, GUESTS)
    add_column(monkeypatch, tmp_path)
    build_database(database, demo_dir=tmp_path / "demo")

    # A file carrying the column stores it.
    with_guests = export(tmp_path / "med-gæster.csv", [*HEADER, "Antal gæster"],
                         [[*ROWS[0], "2"], [*ROWS[1], ""]])
    result = import_files(database, [with_guests])
    assert result.applied and result.problems == []
    assert stored(database) == {"Ny Person": 2, "Anden Person": None}

    # A file without it still imports (the field is optional): its rows say no guests.
    without = export(tmp_path / "uden.csv", HEADER,
                     [["LKS2022-02", "Aarhus", "Ny Person", "05-04-2022", "tilmeldt"]])
    assert import_files(database, [without]).applied
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT guests FROM registrations WHERE session_id = 'LKS2022-02' "
                           "AND mayor_id IN (SELECT mayor_id FROM mayors "
                           "WHERE name = 'Ny Person')").fetchall() == [(None,)]

    # A bad value is rejected naming its line and the column as the file's header says it.
    bad = export(tmp_path / "forkert.csv", [*HEADER, "Gæster"],
                 [[*ROWS[0], "3"], [*ROWS[1], "mange"]])
    rejected = import_files(database, [bad])
    assert not rejected.applied
    (problem,) = rejected.problems
    assert (problem.line, problem.column, problem.code, problem.value) == (
        3, "Gæster", "count_invalid", "mange")
    assert stored(database) == {"Ny Person": 2, "Anden Person": None}  # nothing changed

    # The README's field table (generated from the declarations) lists it.
    table = kinds.readme_tables()[0]
    assert "| guests | Gæster, Antal gæster, Guests (empty: none said) | no |" in table


def test_the_recipe_needs_both_halves(monkeypatch, tmp_path, database):
    """Each half alone is not enough, so the test above shows both are what it takes."""
    add_column(monkeypatch, tmp_path)
    build_database(database, demo_dir=tmp_path / "demo")
    with_guests = export(tmp_path / "med-gæster.csv", [*HEADER, "Gæster"],
                         [[*ROWS[0], "2"], [*ROWS[1], "1"]])
    # The column without the declaration: the import does not know the header, and the
    # column stays empty.
    assert import_files(database, [with_guests]).applied
    assert stored(database) == {"Ny Person": None, "Anden Person": None}
    # The declaration without the column: refused, naming the column the table lacks.
    monkeypatch.undo()  # the schema as it is
    declare(monkeypatch, GUESTS)
    plain = tmp_path / "plain.duckdb"
    build_database(plain, demo_dir=tmp_path / "demo-plain")
    with pytest.raises(duckdb.BinderException, match="guests"):
        import_files(plain, [with_guests])
