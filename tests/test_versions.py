"""Nothing real is ever lost: `etl build` refuses a database holding real data, every change
keeps the file it replaces (`etl history`, `undo`, `restore ID`), `etl upgrade` brings
shipped reference changes in keeping everything else, and `etl backup` writes a copy a person
can read and `etl restore --backup` reads back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import versions
from etl.build import build_database
from etl.errors import SourceError
from etl.files import clear_leftovers
from etl.importer import import_files
from etl.paths import PROJECT_ROOT, REFERENCE_DIR
from etl.upgrade import upgrade_database
from tests.conftest import ADMIN, READY_MS, READY_SECONDS, VIEWER
from tests.html_tables import table_in

REG_HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"
MAYOR_HEADER = "Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt"


def excel_csv(path: Path, header: str, *rows: str) -> Path:
    """A CSV as Danish Excel saves it: Windows-1252, semicolons, CRLF."""
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1252"))
    return path


def registrations(folder: Path, name: str = "tilmeldinger.csv") -> Path:
    """Three registrations of own_mayors_db's mayors (tests/test_import_field.py MAYORS)."""
    return excel_csv(folder / name, REG_HEADER,
                     "R1;LKS2022-04;København;Søren Ærbø;01-11-2022;deltaget;;",
                     "R2;LKS2022-04;Aarhus;Åse Bækgaard;02-11-2022;tilmeldt;;",
                     "R3;LKS2022-05;Odense;Jens Ølund;03-03-2023;afmeldt;;")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: the whole database as data."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "ORDER BY table_name").fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
                for name in names}


def runs(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT run_id, command, source, message FROM import_runs "
                           "ORDER BY run_id").fetchall()


def count(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def without_last_run(state: dict) -> dict:
    """A database's tables with its newest import_runs row left out."""
    return {**state, "import_runs": sorted(state["import_runs"])[:-1]}


# --- The build guard -----------------------------------------------------------------------

def test_build_on_real_data_refuses_and_leaves_the_file_byte_identical(tmp_path):
    """The issue's case: build --no-demo, import a mayor list and registrations, build
    --no-demo again: it used to exit 0 with 0 registrations and 0 mayors."""
    database = tmp_path / "borgmester.duckdb"
    assert run_cli("build", "--no-demo", "--db", str(database)).returncode == 0
    mayors = excel_csv(tmp_path / "borgmestre.csv", MAYOR_HEADER,
                       "København;Søren Ærbø;A;01-01-2022;;ja",
                       "Aarhus;Åse Bækgaard;V;01-01-2022;;nej",
                       "Odense;Jens Ølund;A;01-01-2022;;ja")
    imported = run_cli("import", str(mayors), str(registrations(tmp_path)), "--db", str(database))
    assert imported.returncode == 0, imported.stderr
    assert (count(database, "mayors"), count(database, "registrations")) == (3, 3)
    before, kept = sha256(database), versions.kept(database)

    done = run_cli("build", "--no-demo", "--db", str(database))

    assert done.returncode == 2
    assert "3 borgmestre, 3 tilmeldinger" in done.stderr
    assert f"python -m etl upgrade --db {database}" in done.stderr
    assert sha256(database) == before
    assert versions.kept(database) == kept   # no version made either


def test_an_empty_no_demo_build_and_a_demo_database_may_be_built_again(tmp_path):
    database = tmp_path / "borgmester.duckdb"
    build_database(database, with_demo=False)
    build_database(database, with_demo=False)          # nothing real in it yet
    build_database(database, demo_dir=tmp_path / "demo")
    build_database(database, demo_dir=tmp_path / "demo")   # demo data is not real
    assert count(database, "registrations") > 0
    assert [v.command for v in versions.history(database)] == ["build"] * 4


def test_build_refuses_a_database_holding_only_a_mayor_list(db):
    with pytest.raises(SourceError) as refused:
        build_database(db, with_demo=False)
    assert refused.value.problems[0].code == "build_holds_real_data"


# --- Kept versions, undo, restore ----------------------------------------------------------

def test_every_swap_keeps_the_replaced_file_as_a_hard_link(db, tmp_path):
    inode = os.stat(db).st_ino
    import_files(db, [registrations(tmp_path)])
    newest = versions.kept(db)[0]
    assert newest.file.parent == versions.folder(db)
    assert os.stat(newest.file).st_ino == inode          # the old file itself, not a copy
    assert (newest.counts["mayors"], newest.counts["registrations"]) == (18, 0)
    current = versions.history(db)[0]
    assert current.current and current.command == "import"
    assert [Path(source).name for source in current.sources] == ["tilmeldinger.csv"]
    assert (current.counts["mayors"], current.counts["registrations"]) == (18, 3)
    # The versions folder is not something a killed writer left.
    assert clear_leftovers(db) == [] and versions.folder(db).is_dir()


def test_a_dry_run_keeps_no_version(db, tmp_path):
    import_files(db, [registrations(tmp_path)], dry_run=True)
    assert versions.kept(db) == []
    assert not versions.folder(db).exists()


def test_undo_gives_back_the_database_before_the_import_and_undo_again_the_import(db, tmp_path):
    before = tables(db)
    import_files(db, [registrations(tmp_path)])
    imported = tables(db)
    assert imported["registrations"] != before["registrations"]

    versions.undo(db)

    after = tables(db)
    assert without_last_run(after) == before
    assert runs(db)[-1][1:3] == ("undo", f"version {versions.kept(db)[1].id}")

    versions.undo(db)   # undo the undo

    again = tables(db)
    assert without_last_run(again) == imported
    assert [r[1] for r in runs(db)][-1] == "undo"
    assert count(db, "registrations") == 3


def test_restore_any_kept_version_and_refuse_an_unknown_one(db, tmp_path):
    start = tables(db)
    import_files(db, [registrations(tmp_path)])
    second = excel_csv(tmp_path / "flere.csv", REG_HEADER,
                       "R4;LKS2022-06;Tårnby;Frida Tårnbæk;01-11-2023;tilmeldt;;")
    import_files(db, [second])
    assert count(db, "registrations") == 4
    first = versions.kept(db)[-1]          # the file before both imports
    assert first.counts["registrations"] == 0

    done = run_cli("restore", str(first.id), "--db", str(db))

    assert done.returncode == 0, done.stderr
    assert without_last_run(tables(db)) == start
    assert runs(db)[-1][1] == "restore"
    # The file restore replaced (4 registrations) is itself kept: restore is undoable.
    assert versions.kept(db)[0].counts["registrations"] == 4
    shown = run_cli("history", "--db", str(db)).stdout
    assert "restore" in shown and "tilmeldinger 4" in shown and shown.count("*") == 2

    unknown = run_cli("restore", "999", "--db", str(db))
    assert unknown.returncode == 2
    assert "ingen gemt version 999" in unknown.stderr
    assert "kildedata" not in unknown.stderr   # no source data was read: said "fejl i kildedata"
    assert "python -m etl history" in unknown.stderr


def test_undo_without_a_kept_version_is_refused(tmp_path):
    database = tmp_path / "borgmester.duckdb"
    build_database(database, with_demo=False)
    done = run_cli("undo", "--db", str(database))
    assert done.returncode == 2 and "ingen gemt version" in done.stderr


def test_only_the_last_n_versions_are_kept(db, tmp_path, monkeypatch):
    monkeypatch.setenv("BORGMESTER_KEEP_VERSIONS", "2")
    for number in range(4):
        export = excel_csv(tmp_path / f"t{number}.csv", REG_HEADER,
                           f"N{number};LKS2022-04;København;Søren Ærbø;01-11-2022;tilmeldt;;")
        import_files(db, [export])
    kept = versions.kept(db)
    assert len(kept) == 2
    assert sorted(p.name for p in versions.folder(db).glob("*.duckdb")) == \
        sorted(f"{v.id}.duckdb" for v in kept)
    assert sorted(p.name for p in versions.folder(db).glob("*.json")) == \
        sorted([f"{v.id}.json" for v in kept] + [f"{versions.history(db)[0].id}.json",
                                                  "current.json"])


def test_a_kept_version_survives_the_app_swapping_files_while_serving(db, tmp_path):
    from dashboard.db import Database

    app_db = Database(db)
    with app_db.cursor() as con:
        assert con.execute("SELECT count(*) FROM registrations").fetchone() == (0,)
        import_files(db, [registrations(tmp_path)])   # swapped in while a reader is open
        assert con.execute("SELECT count(*) FROM registrations").fetchone() == (0,)
    kept = versions.kept(db)[0]
    with duckdb.connect(str(kept.file), read_only=True) as old:
        assert old.execute("SELECT count(*) FROM registrations").fetchone() == (0,)
        assert old.execute("SELECT count(*) FROM mayors").fetchone() == (18,)
    with app_db.cursor() as con:   # the app noticed the new file
        assert con.execute("SELECT count(*) FROM registrations").fetchone() == (3,)


# --- Reference changes on real data --------------------------------------------------------

def test_upgrade_brings_a_changed_population_in_and_keeps_every_registration(db, tmp_path):
    import_files(db, [registrations(tmp_path)])
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    municipalities = reference / "municipalities.csv"
    lines = municipalities.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    row = next(i for i, line in enumerate(lines) if line.startswith("101,"))
    cells = lines[row].rstrip("\r\n").split(",")
    cells[header.index("population")] = "700001"
    lines[row] = ",".join(cells) + lines[row][len(lines[row].rstrip("\r\n")):]
    municipalities.write_text("".join(lines), encoding="utf-8")
    before = tables(db)

    result = upgrade_database(db, reference)

    assert result.refreshed["municipalities"] == 1
    assert sum(result.refreshed.values()) == 1
    after = tables(db)
    for table in ("mayors", "registrations", "sessions", "programmes", "rejected_rows"):
        assert after[table] == before[table], table
    assert without_last_run(after)["import_runs"] == before["import_runs"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT population FROM municipalities WHERE kommune_code = 101"
                           ).fetchone() == (700001,)
    assert runs(db)[-1][1] == "upgrade" and "municipalities 1" in runs(db)[-1][3]

    # The same reference again: nothing to do, the file stays byte for byte.
    unchanged = sha256(db)
    assert not upgrade_database(db, reference).changed
    assert sha256(db) == unchanged


def test_upgrade_leaves_a_programme_with_imported_sessions_alone(db, tmp_path):
    """A programme holding a session the shipped sessions.csv lacks came from a schedule
    import: its sessions stay as they are, whatever the shipped file says of them."""
    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO sessions SELECT * REPLACE ('LKS2022-X' AS session_id) "
                    "FROM sessions WHERE session_id = 'LKS2022-04'")
        con.execute("UPDATE sessions SET capacity = 7 WHERE session_id = 'LKS2022-05'")
        con.execute("UPDATE municipalities SET population = 1 WHERE kommune_code = 147")
    before = tables(db)
    result = upgrade_database(db)
    after = tables(db)
    assert after["sessions"] == before["sessions"]
    assert result.refreshed["municipalities"] == 1 and result.refreshed["sessions"] == 0


# --- Backup --------------------------------------------------------------------------------

def test_backup_then_restore_gives_equal_tables(db, tmp_path):
    bad = excel_csv(tmp_path / "blandet.csv", REG_HEADER,
                    "R1;LKS2022-04;København;Søren Ærbø;01-11-2022;deltaget;;",
                    "R2;LKS2022-04;Gotham;Åse Bækgaard;02-11-2022;tilmeldt;;")
    import_files(db, [bad], keep_going=True)   # rejected_rows, with their params
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rejected_rows WHERE reason_params IS NOT NULL"
                           ).fetchone()[0] >= 1
    before = tables(db)
    folder = tmp_path / "backup"

    written = run_cli("backup", str(folder), "--db", str(db))
    assert written.returncode == 0, written.stderr
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "python -m etl restore --backup" in readme
    assert (folder / "registrations.csv").read_text(encoding="utf-8").startswith(
        "registration_id,session_id,mayor_id")
    moved = tmp_path / "moved"
    folder.rename(moved)           # a backup can be moved: load.sql names files only
    target = tmp_path / "restored" / "borgmester.duckdb"

    restored = run_cli("restore", "--backup", str(moved), "--db", str(target))

    assert restored.returncode == 0, restored.stderr
    # The counts in Danish, as `etl history` says them (it said "mayors 3, registrations 1").
    said = (f"(borgmestre {len(before['mayors'])}, tilmeldinger 1, "
            f"sessioner {len(before['sessions'])}, forløb {len(before['programmes'])})")
    assert said in restored.stdout
    assert without_last_run(tables(target)) == before
    assert runs(target)[-1][1] == "restore"
    with duckdb.connect(str(target), read_only=True) as con:   # views and macros work
        assert con.execute("SELECT count(*) FROM registration_facts").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM integrity_problems").fetchone() == (0,)

    again = run_cli("backup", str(moved), "--db", str(db))
    assert again.returncode == 2 and "mappen er ikke tom" in again.stderr


def test_restoring_an_incomplete_backup_is_refused(db, tmp_path):
    folder = tmp_path / "backup"
    assert run_cli("backup", str(folder), "--db", str(db)).returncode == 0
    (folder / "mayors.csv").unlink()
    before = sha256(db)
    done = run_cli("restore", "--backup", str(folder), "--db", str(db))
    assert done.returncode == 2 and "mayors.csv" in done.stderr
    assert sha256(db) == before


# --- The Data page: admins see the versions and undo, after confirming ---------------------

def page_text(app, role: str) -> str:
    """The Data page's layout as `role` sees it, as JSON text."""
    import plotly
    from flask_login import login_user

    from dashboard.auth import User
    from dashboard.pages import data

    with app.server.test_request_context("/data"):
        login_user(User("someone", role))
        return json.dumps(data.layout(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def served(path: Path) -> Path:
    """`path` after the app has noticed a swap: the app holds its file open (DuckDB hands
    this process that same instance for the path), and reopens it once asked again."""
    from dashboard.db import current_database

    assert current_database().path == path
    with current_database().cursor():
        pass
    return path


def test_an_admin_undoes_the_last_import_on_the_data_page_after_confirming(app, app_database,
                                                                           tmp_path):
    from tests.test_data_page import GOOD, call, client_as, text

    export = tmp_path / "eksport.csv"
    export.write_bytes(GOOD)
    before = tables(app_database)
    import_files(app_database, [export])
    imported = count(served(app_database), "registrations")
    assert imported != len(before["registrations"])
    back = versions.kept(app_database)[0]

    shown = page_text(app, "admin")
    assert "data-versions-table" in shown and "data-undo" in shown
    assert "Fortryd seneste ændring" in shown
    versions_shown = table_in(json.loads(shown), "data-versions-table").values()
    assert str(back.id) in [row[0] for row in versions_shown]
    client = client_as(app, ADMIN)
    asked = text(call(client, "data-undo", "n_clicks", 1))
    assert f"Hent version {back.id}" in asked and '"displayed": true' in asked
    assert count(app_database, "registrations") == imported     # asking changes nothing

    done = text(call(client, "data-undo-confirm", "submit_n_clicks", 1))

    assert f"Version {back.id} er hentet tilbage" in done
    assert without_last_run(tables(served(app_database))) == before
    assert runs(app_database)[-1][1] == "undo"
    assert "fortryd" in done    # the import history shows the undo


def test_a_viewer_never_sees_versions_nor_undoes(app, app_database, tmp_path):
    from tests.test_data_page import GOOD, call, client_as, text

    export = tmp_path / "eksport.csv"
    export.write_bytes(GOOD)
    import_files(app_database, [export])
    before = sha256(app_database)
    shown = page_text(app, "viewer")
    assert "data-versions" not in shown and "data-undo" not in shown
    assert "kun for administratorer" in shown
    client = client_as(app, VIEWER)
    assert '"displayed": false' in text(call(client, "data-undo", "n_clicks", 1))
    assert "kun for administratorer" in text(call(client, "data-undo-confirm",
                                                  "submit_n_clicks", 1))
    assert sha256(app_database) == before


def test_undo_on_the_page_while_another_writer_works_says_so_and_changes_nothing(
        app, app_database, tmp_path):
    from tests.conftest import writer_lock_held
    from tests.test_data_page import BUSY, GOOD, call, client_as, text

    export = tmp_path / "eksport.csv"
    export.write_bytes(GOOD)
    import_files(app_database, [export])
    before = sha256(app_database)
    client = client_as(app, ADMIN)
    with writer_lock_held(app_database):
        answer = text(call(client, "data-undo-confirm", "submit_n_clicks", 1))
    assert BUSY in answer
    assert sha256(app_database) == before


def test_undo_in_a_real_browser_asks_first_and_then_undoes(browser, users_file, demo_database,
                                                           tmp_path):
    """The served app (its own process) on a copy: the button opens the browser's confirm
    dialog; dismissed, nothing changes; accepted, the import is undone and the page says so."""
    from tests.app_server import serving
    from tests.test_accessibility import open_page
    from tests.test_data_page import GOOD

    database = tmp_path / "db" / "borgmester.duckdb"
    database.parent.mkdir()
    shutil.copy(demo_database, database)
    before = tables(database)
    export = tmp_path / "eksport.csv"
    export.write_bytes(GOOD)
    import_files(database, [export])
    imported = sha256(database)
    with serving(database, users_file) as server:
        page = open_page(browser, server, "/data", "da")
        asked = []

        def answer(dialog, accept):
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda dialog: answer(dialog, False))
        page.get_by_role("button", name="Fortryd seneste ændring").click()
        for _ in range(READY_SECONDS * 10):   # the dialog comes after a callback's answer
            if asked:
                break
            page.wait_for_timeout(100)        # lets Playwright deliver the dialog event
        assert asked and "Hent version" in asked[0]
        assert sha256(database) == imported

        page.once("dialog", lambda dialog: answer(dialog, True))
        page.get_by_role("button", name="Fortryd seneste ændring").click()
        page.locator("#data-undone").wait_for(timeout=READY_MS)
        assert "er hentet tilbage" in page.locator("#data-undone").inner_text()
        assert page.errors == []
        page.context.close()
    assert without_last_run(tables(database)) == before


def test_undo_is_not_offered_when_the_only_version_is_the_one_in_use(app, app_database,
                                                                   tmp_path):
    from tests.test_data_page import GOOD

    # A database as its first build left it: no version kept beside it.
    assert versions.kept(app_database) == []
    shown = page_text(app, "admin")
    assert "Intet at fortryde" in shown
    undo = json.loads(shown)
    button = find_id(undo, "data-undo")
    assert "d-none" in button["props"]["className"] and button["props"]["disabled"]

    export = tmp_path / "eksport.csv"
    export.write_bytes(GOOD)
    import_files(app_database, [export])          # now there is a change to undo
    served(app_database)
    shown = page_text(app, "admin")
    assert "Intet at fortryde" not in shown
    button = find_id(json.loads(shown), "data-undo")
    assert "d-none" not in button["props"].get("className", "")
    assert not button["props"].get("disabled")


def find_id(node, wanted: str):
    """The component with id `wanted` in a layout's JSON, or None."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == wanted:
            return node
        children = node.get("props", {}).get("children")
        return find_id(children, wanted) if children is not None else None
    if isinstance(node, list):
        for child in node:
            if (found := find_id(child, wanted)) is not None:
                return found
    return None
