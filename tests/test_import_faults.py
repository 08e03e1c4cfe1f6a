"""Faults a probe of the running importer found (issue 16, third round): person ids that
collide, XLSX parts openpyxl parses whole, memory per rejected line, DuckDB's English.

Bad files are written byte for byte as the producing program writes them: CSV as Danish
Excel saves it (Windows-1252, ';', CRLF), XLSX by openpyxl and then one part rewritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl import readers
from etl.errors import SourceError
from etl.importer import PERSON_ID_FORMAT, import_files
from etl.paths import PROJECT_ROOT
from tests.conftest import HEADER
from tests.test_import import query, run_cli, snapshot, write_csv

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


def people_file(path: Path, kind: str, *names: str) -> Path:
    """A mayor list, or a registration export (ids H1, H2, ...), of `names` in this order."""
    if kind == "mayors":
        return excel_csv(path, *(mayor(name) for name in names), header=MAYOR_HEADER)
    return excel_csv(path, *(registration(f"H{number}", name)
                             for number, name in enumerate(names, 1)))


def ids_of(database: Path) -> dict[str, str]:
    return dict(query(database, "SELECT name, mayor_id FROM mayors"))


def test_the_two_names_do_collide():
    def short(name: str) -> str:
        return hashlib.md5(name.lower().encode()).hexdigest()[:8]
    assert short(ANNA) == short(OTHER_ANNA) == SHARED_ID.split("-")[1]


@pytest.mark.parametrize("kind", ["registrations", "mayors"])
def test_two_new_people_sharing_an_id_get_two_ids(database, tmp_path, kind):
    path = people_file(tmp_path / f"{kind}.csv", kind, OTHER_ANNA, ANNA)
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
    path = people_file(tmp_path / "anden.csv", kind,
                       *((ANNA, OTHER_ANNA) if kind == "mayors" else (OTHER_ANNA, ANNA)))
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


# --- F2: XLSX parts openpyxl parses whole are bounded from the zip directory ---------------

def openpyxl_xlsx(path: Path) -> Path:
    """A real workbook as openpyxl saves it: the registrations header and one good row."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append(GOOD_ROW.split(";"))
    book.save(path)
    return path


def rewritten(source: Path, target: Path, part: str, data: bytes,
              content_type: str | None = None) -> Path:
    """`source` with the zip member `part` replaced (or added) by `data`, declared in
    [Content_Types].xml as `content_type` when given; a valid zip (sizes and CRCs right)."""
    with zipfile.ZipFile(source) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[part] = data
    if content_type:
        override = (f'<Override PartName="/{part}" ContentType="{content_type}"/>').encode()
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", override + b"</Types>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target


GOOD_ROW = "B1;LKS2022-04;Odense;Anna Holm;01-11-2022 10:00;deltaget;5.300,00;"
XF = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def styles_of(size: int, good: Path) -> bytes:
    """xl/styles.xml of `good` with <xf> entries added until it is `size` bytes or more."""
    with zipfile.ZipFile(good) as archive:
        styles = archive.read("xl/styles.xml")
    start, end = styles.index(b"<cellXfs"), styles.index(b"</cellXfs>")
    n = size // len(XF) + 1
    return styles[:start] + b'<cellXfs count="%d">' % n + XF * n + styles[end:]


def shared_strings_of(size: int) -> bytes:
    n = size // 23 + 1  # 23 bytes an item
    return (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">' % (n, n)
            + b"".join(b"<si><t>%07x</t></si>" % i for i in range(n)) + b"</sst>")


def test_styles_over_their_limit_are_refused_before_openpyxl_reads_them(database, tmp_path,
                                                                        monkeypatch):
    good = openpyxl_xlsx(tmp_path / "god.xlsx")
    path = rewritten(good, tmp_path / "stile.xlsx", "xl/styles.xml",
                     styles_of(readers.MAX_PART_BYTES + 1, good))
    assert path.stat().st_size < readers.MAX_PART_BYTES // 50  # small packed: a few hundred kB
    opened = []
    monkeypatch.setattr(readers, "_open_workbook", lambda data: opened.append(1))
    before = snapshot(database)
    with pytest.raises(SourceError, match=r"delen xl/styles.xml i filen fylder udpakket "
                                          r"10,0 MB, over grænsen på 10,0 MB") as refused:
        import_files(database, [path])
    assert refused.value.problems[0].file.endswith("stile.xlsx")
    assert not opened and snapshot(database) == before


def test_shared_strings_over_their_limit_are_refused(database, tmp_path, monkeypatch):
    # Declared under another name: the limit follows the declared kind, as openpyxl does.
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS_BYTES", 2 * 2**20)
    path = rewritten(openpyxl_xlsx(tmp_path / "god.xlsx"), tmp_path / "tekst.xlsx",
                     "xl/strings.xml", shared_strings_of(2 * 2**20 + 1), SST_TYPE)
    with pytest.raises(SourceError, match=r"tekstlisten xl/strings.xml i filen fylder "
                                          r"udpakket 2,0 MB, over grænsen på 2,0 MB"):
        import_files(database, [path])


def test_parts_within_their_limits_still_load(database, tmp_path):
    good = openpyxl_xlsx(tmp_path / "god.xlsx")
    path = rewritten(good, tmp_path / "stor.xlsx", "xl/styles.xml", styles_of(2**20, good))
    result = import_files(database, [path])
    assert (result.applied, result.files[0].loaded) == (True, 1)


def _peak_in_child(code: str, *args: str) -> dict:
    """Run `code` in a fresh Python, which prints a JSON object; adds its peak RSS (MB).
    VmHWM is this process's own high-water mark (getrusage would carry over the runner's)."""
    footer = """
status = Path("/proc/self/status").read_text()
out["peak_mb"] = int(next(l.split()[1] for l in status.splitlines()
                          if l.startswith("VmHWM"))) / 1024
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", "import json\nfrom pathlib import Path\n"
                           + code + footer, *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_shared_strings_at_their_limit_stay_under_a_gigabyte(tmp_path):
    # The worst text list allowed: short distinct strings, the most Python objects per byte.
    path = rewritten(openpyxl_xlsx(tmp_path / "god.xlsx"), tmp_path / "tekst.xlsx",
                     "xl/sharedStrings.xml",
                     shared_strings_of(readers.MAX_SHARED_STRINGS_BYTES - 100), SST_TYPE)
    got = _peak_in_child("""
import sys
from etl.readers import _open_workbook
book = _open_workbook(Path(sys.argv[1]).read_bytes())
out = {"strings": len(book.worksheets[0]._shared_strings)}
""", str(path))
    assert got["strings"] > 4_000_000
    assert got["peak_mb"] < 1024, got


def test_a_row_numbered_far_past_excels_last_is_refused_in_bounded_time(database, tmp_path):
    good = openpyxl_xlsx(tmp_path / "god.xlsx")
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = sheet.replace(b'<row r="2"', b'<row r="99999999"').replace(b'r="A2"', b'r="A99999999"')
    path = rewritten(good, tmp_path / "langt.xlsx", "xl/worksheets/sheet1.xml", far)
    with pytest.raises(SourceError, match="efter Excels sidste række") as refused:
        import_files(database, [path])
    assert refused.value.problems[0].line == readers.EXCEL_LAST_ROW + 1


# --- F3: memory bounded whatever the number of problems ------------------------------------

def test_a_million_broken_lines_are_refused_in_little_memory(database, tmp_path):
    # Header + 1.000.000 lines of "x", as a text editor writes them.
    path = tmp_path / "x.csv"
    path.write_bytes(("\r\n".join([HEADER] + ["x"] * 1_000_000) + "\r\n").encode("cp1252"))
    before = snapshot(database)
    got = _peak_in_child("""
import sys
from etl.errors import SourceError
from etl.importer import import_files
try:
    import_files(sys.argv[1], [sys.argv[2]])
    out = {"refused": None}
except SourceError as error:
    out = {"refused": [str(p) for p in error.problems]}
""", str(database), str(path))
    assert got["peak_mb"] < 500, got
    summary, first, *rest = got["refused"]
    assert "1.000.000 af 1.000.000 rækker kan ikke læses med overskriftens kolonner og " \
           "skilletegn (semikolon)" in summary
    assert "linje 2: for få felter; overskriften har 8" in first
    assert len(rest) == readers.REFUSAL_LINES_NAMED - 1
    assert snapshot(database) == before
    assert query(database, "SELECT outcome FROM import_runs ORDER BY run_id DESC LIMIT 1") == [
        ("rejected",)]


def test_the_command_line_refuses_a_million_broken_lines_with_exit_2(database, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(("\r\n".join([HEADER] + ["x"] * 1_000_000) + "\r\n").encode("cp1252"))
    done = run_cli("import", "--db", str(database), str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "1.000.000 af 1.000.000 rækker" in done.stderr


def test_many_rejected_cells_keep_a_bounded_list_and_every_one_in_the_audit(database, tmp_path,
                                                                           monkeypatch):
    from etl import importer

    monkeypatch.setattr(importer, "MAX_PROBLEMS_HELD", 10)
    monkeypatch.setattr(readers, "MAX_PROBLEMS_HELD", 10)
    rows = [f"R{i};LKS2022-04;Xby;Navn {i};01-11-2022;måske;;" for i in range(30)]
    rows += [f"S{i};LKS2022-04;Odense;Navn {i};01-11-2022;deltaget;;;ekstra" for i in range(20)]
    result = import_files(database, [excel_csv(tmp_path / "mange.csv", *rows)])
    (file,) = result.files
    assert (file.rejected_lines, file.problem_count, len(file.problems)) == (50, 80, 10)
    assert [(p.line, p.column) for p in file.problems[:2]] == [(2, "Kommune"), (2, "Status")]
    assert query(database, "SELECT count(*), count(DISTINCT line), count(raw_row) "
                           "FROM rejected_rows") == [(80, 50, 80)]
    assert query(database, "SELECT raw_row FROM rejected_rows WHERE line = 51") == [
        ("S19;LKS2022-04;Odense;Navn 19;01-11-2022;deltaget;;;ekstra",)]
    done = run_cli("import", "--db", str(database), "--dry-run", str(tmp_path / "mange.csv"))
    assert "80 fejl:" in done.stdout


# --- F6: every message Danish, naming what is wrong --------------------------------------

def test_every_kind_of_broken_csv_record_duckdb_knows_has_a_danish_reason(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a;b\n1;2\n")
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, store_rejects = true)",
                [str(path)])
    kinds = con.execute("SELECT column_type FROM (DESCRIBE reject_errors) "
                        "WHERE column_name = 'error_type'").fetchone()[0]
    known = set(re.findall(r"'([A-Z ]+)'", kinds))
    assert known and known <= set(readers.STRUCTURE_REASONS), known


@pytest.mark.parametrize("line, reason", [
    ('B2;LKS2022-04;Odense;"Bo" Berg;01-11-2022;deltaget;;', "et citationstegn (\") står midt"),
    ("B2;LKS2022-04;Odense;" + "Bo Berg " * 400_000 + ";01-11-2022;deltaget;;",
     "rækken er for lang"),
])
def test_a_broken_record_is_said_in_danish(database, tmp_path, line, reason):
    result = import_files(database, [excel_csv(tmp_path / "skæv.csv", GOOD_ROW, line)],
                          dry_run=True)
    (problem,) = result.problems
    assert problem.line == 3 and problem.reason.startswith(reason), problem.reason
    assert not re.search(r"unquoted|line size|maximum", str(problem.reason), re.I)


def test_a_header_of_nul_characters_is_named(database, tmp_path):
    # Every character followed by a NUL byte (UTF-16 saved without its BOM): read as UTF-8,
    # the header is text with NULs, which no export has.
    path = tmp_path / "nul.csv"
    path.write_bytes(f"{HEADER}\r\n{GOOD_ROW}\r\n".encode("utf-16-le"))
    with pytest.raises(SourceError, match=r"overskriften har usynlige styretegn \(nul-tegn "
                                          r"\(NUL\) i kolonne 1\)") as refused:
        import_files(database, [path])
    assert refused.value.problems[0].line == 1
    assert "kolonner mangler" not in str(refused.value)


def test_a_header_longer_than_read_says_more_than_the_limit(database, tmp_path):
    path = tmp_path / "bred.csv"
    path.write_bytes((";" * 9_000_000 + "\r\n" + GOOD_ROW + "\r\n").encode())
    with pytest.raises(SourceError, match=f"overskriften har mere end {readers.MAX_COLUMNS} "
                                          "kolonner") as refused:
        import_files(database, [path])
    assert "32.769" not in str(refused.value)


@pytest.mark.parametrize("data, lines", [
    (b"a\r\nb\r\n", 2), (b"a\nb", 2), (b"a\rb\r", 2), (b"a\rb\nc\r\n", 3), (b"h\n\n\nx", 4)])
def test_lines_are_counted_whatever_ends_them(data, lines):
    # Never too low: a broken record is only looked for when lines outnumber good records.
    assert readers._physical_lines(data) == lines
