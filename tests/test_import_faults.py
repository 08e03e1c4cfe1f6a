"""Faults a probe of the running importer found (issue 16, third round): person ids that
collide, XLSX parts openpyxl parses whole, memory per rejected line, DuckDB's English.

Bad files are written byte for byte as the producing program writes them: CSV as Danish
Excel saves it (Windows-1252, ';', CRLF), XLSX by openpyxl and then one part rewritten.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from etl.importer import PERSON_ID_FORMAT, import_files
from tests.conftest import HEADER
from tests.test_import import query, run_cli, write_csv

MAYOR_HEADER = "Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt"
# Two people of one municipality (Odense, 461) whose folded names share md5's first 8 hex
# digits: found by the probe in 108.869 tries.
ANNA, OTHER_ANNA = "Anna Hansen 68743", "Anna Hansen 108869"
SHARED_ID = "P461-1dccd5db"


def excel_csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    return write_csv(path, *rows, header=header, encoding="cp1252")


def registration(ident: str, name: str) -> str:
    return f"{ident};LKS2022-04;Odense;{name};01-11-2022 10:00;deltaget;5.300,00;"


def mayor(name: str) -> str:
    return f"Odense;{name};Venstre;01-01-2022;;ja"


def ids_of(database: Path) -> dict[str, str]:
    return dict(query(database, "SELECT name, mayor_id FROM mayors"))


def test_the_two_names_do_collide():
    def short(name: str) -> str:
        return hashlib.md5(name.lower().encode()).hexdigest()[:8]
    assert short(ANNA) == short(OTHER_ANNA) == SHARED_ID.split("-")[1]


@pytest.mark.parametrize("kind", ["registrations", "mayors"])
def test_two_new_people_sharing_an_id_get_two_ids(database, tmp_path, kind):
    if kind == "mayors":
        path = excel_csv(tmp_path / "borgmestre.csv", mayor(OTHER_ANNA), mayor(ANNA),
                         header=MAYOR_HEADER)
    else:
        path = excel_csv(tmp_path / "tilmeldinger.csv", registration("H1", OTHER_ANNA),
                         registration("H2", ANNA))
    checked = run_cli("import", "--db", str(database), "--dry-run", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = run_cli("import", "--db", str(database), str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    # Numbered in order of the folded name: the same file always gives the same ids.
    assert ids_of(database) == {OTHER_ANNA: SHARED_ID, ANNA: f"{SHARED_ID}-2"}
    if kind == "registrations":
        assert query(database, "SELECT registration_id, m.name FROM registrations "
                               "JOIN mayors m USING (mayor_id) ORDER BY 1") == [
            ("H1", OTHER_ANNA), ("H2", ANNA)]


@pytest.mark.parametrize("kind", ["registrations", "mayors"])
def test_a_new_person_never_takes_an_existing_mayors_id(database, tmp_path, kind):
    import_files(database, [excel_csv(tmp_path / "første.csv", mayor(ANNA),
                                      header=MAYOR_HEADER)])
    assert ids_of(database) == {ANNA: SHARED_ID}
    if kind == "mayors":
        path = excel_csv(tmp_path / "anden.csv", mayor(ANNA), mayor(OTHER_ANNA),
                         header=MAYOR_HEADER)
    else:
        path = excel_csv(tmp_path / "anden.csv", registration("H1", OTHER_ANNA),
                         registration("H2", ANNA))
    import_files(database, [path], dry_run=True)
    result = import_files(database, [path])
    assert result.applied
    # The mayor known first keeps the id; the newcomer is numbered on after it.
    assert ids_of(database) == {ANNA: SHARED_ID, OTHER_ANNA: f"{SHARED_ID}-2"}
    # The same file again changes nobody's id.
    import_files(database, [path])
    assert ids_of(database) == {ANNA: SHARED_ID, OTHER_ANNA: f"{SHARED_ID}-2"}


def test_numbering_follows_the_highest_holder(database, tmp_path):
    # The "-2" id held by someone else now (renamed in the database): the next person
    # wanting the id gets "-3", never a lower number that other tables may refer to.
    import_files(database, [excel_csv(tmp_path / "a.csv", mayor(ANNA), mayor(OTHER_ANNA),
                                      header=MAYOR_HEADER)])
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE mayors SET name = 'Ida Holm' WHERE mayor_id = ?",
                    [f"{SHARED_ID}-2"])
    result = import_files(database, [excel_csv(tmp_path / "b.csv", mayor(ANNA),
                                               header=MAYOR_HEADER)])
    assert result.files[0].new == 1
    assert ids_of(database)[ANNA] == f"{SHARED_ID}-3"
    assert all(re.match(PERSON_ID_FORMAT, i) for i in ids_of(database).values())
