"""Imports are bounded and every bad file is a clear refusal (issue 16): broken workbooks,
files without data rows, control characters, duplicate-heavy files, row/column/size limits.

Bad files are written byte for byte as the producing program writes them: XLSX by openpyxl
(then corrupted at the zip level), CSV as Danish Excel saves it (Windows-1252, ';', CRLF).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from etl import readers
from etl.errors import SourceError
from etl.importer import import_files
from etl.paths import PROJECT_ROOT
from tests.conftest import HEADER
from tests.test_import import make_xlsx, query, run_cli, snapshot, write_csv

SHEET = "xl/worksheets/sheet1.xml"
GOOD_ROW = "B1;LKS2022-04;Odense;Anna Holm;01-11-2022 10:00;deltaget;5.300,00;"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def runs(path: Path) -> list[tuple]:
    return query(path, "SELECT source, outcome, rows_loaded, message FROM import_runs "
                       "ORDER BY run_id")


def excel_csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    """A CSV as Danish Excel saves it: Windows-1252, ';' and CRLF."""
    return write_csv(path, *rows, header=header, encoding="cp1252")


def rezip(source: Path, target: Path, change) -> Path:
    """`source` with its zip members passed through `change(name, bytes) -> bytes | None`
    (None drops the member), written again as a valid zip (sizes and CRCs of the new bytes)."""
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            data = change(info.filename, data)
            if data is not None:
                archive.writestr(info.filename, data)
    return target


def big_xlsx(path: Path, rows: int = 200) -> Path:
    """An openpyxl workbook of `rows` good registrations on the sheet "Tilmeldinger"."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tilmeldinger"
    sheet.append(HEADER.split(";"))
    for i in range(rows):
        sheet.append([f"W{i}", "LKS2022-04", "Odense", f"Person {i}",
                      dt.datetime(2022, 11, 2, 9, 30), "deltaget", 5300, None])
    book.save(path)
    return path


# --- (4) a workbook whose sheet is cut -----------------------------------------------------

def test_a_cut_sheet_is_refused_naming_file_sheet_and_row(database, tmp_path):
    good = big_xlsx(tmp_path / "hel.xlsx")
    cut = rezip(good, tmp_path / "afskaaret.xlsx",
                lambda name, data: data[: len(data) // 2] if name == SHEET else data)
    before = snapshot(database)
    with pytest.raises(SourceError) as caught:
        import_files(database, [cut])
    (problem,) = caught.value.problems
    assert problem.file.endswith("afskaaret.xlsx [Tilmeldinger]")
    assert "beskadiget" in problem.reason and problem.line is not None
    assert 1 < problem.line <= 202  # where reading broke off, inside the rows
    assert snapshot(database) == before


def test_the_command_line_refuses_a_cut_sheet_with_exit_2_and_no_traceback(database, tmp_path):
    cut = rezip(big_xlsx(tmp_path / "hel.xlsx"), tmp_path / "afskaaret.xlsx",
                lambda name, data: data[: len(data) // 2] if name == SHEET else data)
    before = digest(database)
    done = run_cli("import", str(cut), "--db", str(database))
    assert done.returncode == 2, done.stderr
    assert "afskaaret.xlsx [Tilmeldinger]" in done.stderr and "beskadiget" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    # Nothing but the refusal's line in the audit trail changed.
    assert digest(database) != before
    assert runs(database)[-1][:3] == (f"{cut} [Tilmeldinger]", "rejected", 0)


# --- property: corrupted XLSX internals ----------------------------------------------------

# The parts openpyxl cannot do without; styles, theme and document properties are optional
# (a workbook without them reads fine), so removing those is no corruption.
NEEDED_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", SHEET)


def _set_declared_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s declared (central directory) unpacked size set to `size`."""
    data = bytearray(data)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_length = int.from_bytes(data[at + 28: at + 30], "little")
        if data[at + 46: at + 46 + name_length] == member.encode():
            data[at + 24: at + 28] = size.to_bytes(4, "little")
            return bytes(data)
        at += 4
    raise AssertionError(member)


def _shared_string_without_part(name: str, data: bytes) -> bytes:
    """A text cell turned into a reference to shared string 0, with no shared strings part."""
    if name != SHEET:
        return data
    return data.replace(b't="inlineStr"><is><t>W3</t></is>', b't="s"><v>0</v>', 1)


def test_corrupted_xlsx_internals_never_give_anything_but_a_source_error(demo_database,
                                                                        tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    folder = tmp_path_factory.mktemp("xlsx-fuzz")
    good = big_xlsx(folder / "hel.xlsx", rows=40)
    with zipfile.ZipFile(good) as archive:
        sizes = {name: archive.getinfo(name).file_size for name in NEEDED_PARTS}
    pristine = snapshot(demo_database)
    fraction = st.floats(0, 0.97)
    part = st.sampled_from(NEEDED_PARTS)
    corruptions = st.one_of(
        st.tuples(st.just("cut"), part, fraction),
        st.tuples(st.just("garble"), part, fraction, st.sampled_from([b"<", b"&", b"\x00"])),
        st.tuples(st.just("drop"), part),
        # A declared size too small fails the member's CRC; one too large is harmless (the
        # data ends where it ends, whole) unless it claims more than the unpacked limit.
        st.tuples(st.just("size"), part, st.sampled_from([-100, -1, readers.MAX_UNPACKED_BYTES])),
        st.tuples(st.just("shared strings missing")),
        st.tuples(st.just("truncated"), fraction),
    )

    def corrupt(kind: str, *args) -> bytes:
        target = folder / "out.xlsx"
        if kind == "cut":
            member, at = args
            rezip(good, target, lambda n, d: d[: int(len(d) * at)] if n == member else d)
        elif kind == "garble":
            member, at, junk = args
            rezip(good, target, lambda n, d: d[: int(len(d) * at)] + junk + d[int(len(d) * at):]
                  if n == member else d)
        elif kind == "drop":
            rezip(good, target, lambda n, d: None if n == args[0] else d)
        elif kind == "size":
            member, delta = args
            return _set_declared_size(good.read_bytes(), member, max(0, sizes[member] + delta))
        elif kind == "shared strings missing":
            rezip(good, target, _shared_string_without_part)
        else:
            data = good.read_bytes()
            return data[: int(len(data) * args[0])]
        return target.read_bytes()

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(corruptions)
    def check(corruption):
        db = folder / "borgmester.duckdb"
        shutil.copy(demo_database, db)
        export = folder / "beskadiget.xlsx"
        export.write_bytes(corrupt(*corruption))
        before = digest(db)
        # The Data page's check (a dry run): a SourceError, and the file byte for byte as it was.
        with pytest.raises(SourceError) as caught:
            import_files(db, [export], dry_run=True)
        assert digest(db) == before
        assert all(str(p.file).endswith(("beskadiget.xlsx", "]")) for p in caught.value.problems)
        # The import itself: a SourceError, no data changed, the refusal in the audit trail.
        with pytest.raises(SourceError):
            import_files(db, [export])
        assert snapshot(db) == pristine
        assert [outcome for _, outcome, *_ in runs(db)][-1] == "rejected"

    check()


# --- (5) a file with no data rows ----------------------------------------------------------

def _header_only_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Tilmeldinger"
    book.active.append(HEADER.split(";"))
    book.active.append([])  # a blank row is no data row either
    book.save(path)
    return path


@pytest.mark.parametrize("make, shown", [
    (lambda folder: excel_csv(folder / "kun-overskrift.csv"), "kun-overskrift.csv"),
    (lambda folder: excel_csv(folder / "kun-overskrift.csv", ";;;;;;;"), "kun-overskrift.csv"),
    (lambda folder: _header_only_xlsx(folder / "kun-overskrift.xlsx"),
     "kun-overskrift.xlsx [Tilmeldinger]"),
])
def test_a_file_with_no_data_rows_is_refused_and_changes_no_data(database, tmp_path, make,
                                                                  shown):
    path = make(tmp_path)
    as_of = query(database, "SELECT value FROM dataset_info WHERE key = 'data_as_of'")
    before = snapshot(database)
    with pytest.raises(SourceError) as caught:
        import_files(database, [path])
    (problem,) = caught.value.problems
    assert problem.file.endswith(shown) and "ingen datarækker" in problem.reason
    assert query(database, "SELECT value FROM dataset_info WHERE key = 'data_as_of'") == as_of
    assert snapshot(database) == before
    # The refusal is recorded like every other attempt, with its reason.
    source, outcome, loaded, message = runs(database)[-1]
    assert (source.endswith(shown), outcome, loaded) == (True, "rejected", 0)
    assert "ingen datarækker" in message
    assert query(database, "SELECT file, reason FROM rejected_rows WHERE run_id = "
                           "(SELECT max(run_id) FROM import_runs)") == [
        (problem.file, problem.reason)]


def test_a_dry_run_of_a_file_with_no_data_rows_leaves_the_database_byte_identical(database,
                                                                                tmp_path):
    before = digest(database)
    with pytest.raises(SourceError, match="ingen datarækker"):
        import_files(database, [excel_csv(tmp_path / "tom.csv")], dry_run=True)
    assert digest(database) == before


def test_a_refused_file_beside_a_good_one_loads_neither(database, tmp_path):
    good = excel_csv(tmp_path / "god.csv", GOOD_ROW)
    empty = excel_csv(tmp_path / "tom.csv")
    before = snapshot(database)
    with pytest.raises(SourceError, match="tom.csv"):
        import_files(database, [good, empty])
    assert snapshot(database) == before
    assert [(Path(s).name, o) for s, o, *_ in runs(database)[-2:]] == [
        ("god.csv", "validated"), ("tom.csv", "rejected")]


# --- (7) duplicates: memory and time linear in rows ----------------------------------------

# The child reports its own peak: VmHWM is the high-water mark of this process's memory since
# it was started (getrusage's ru_maxrss would carry over the forking test runner's peak).
CHILD = """
import json, sys
from pathlib import Path
from etl.importer import import_files
result = import_files(sys.argv[1], [sys.argv[2]], keep_going=True)
(file,) = result.files
status = Path("/proc/self/status").read_text()
peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
print(json.dumps({
    "peak_mb": peak_kb / 1024,
    "new": file.new, "loaded": file.loaded, "repeats": file.repeats,
    "rejected": file.rejected_lines,
    "reasons": sorted({p.reason for p in result.problems})[:3],
    "longest": max((len(p.reason) for p in result.problems), default=0),
    "by_line": {p.line: p.reason for p in result.problems if p.line in (2, 20001)}}))
"""


def _import_in_child(database: Path, export: Path) -> dict:
    """Import in a fresh process and report its own peak RSS (MB) and the outcome."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(database), str(export)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_20000_identical_rows_load_once_in_little_memory(database, tmp_path):
    export = excel_csv(tmp_path / "ens.csv", *[GOOD_ROW.replace("B1", "")] * 20_000)
    got = _import_in_child(database, export)
    assert got["peak_mb"] < 300, got
    assert (got["loaded"], got["repeats"], got["new"], got["rejected"]) == (1, 19_999, 1, 0)
    assert query(database, "SELECT count(*) FROM registrations") == [(1,)]


def test_20000_rows_conflicting_pairwise_are_rejected_with_short_messages(database, tmp_path):
    # One mayor and session, two versions alternating: every line conflicts with the rest.
    rows = [GOOD_ROW.replace("B1", "").replace("deltaget", ("deltaget", "udeblevet")[i % 2])
            for i in range(20_000)]
    got = _import_in_child(database, excel_csv(tmp_path / "modstrid.csv", *rows))
    assert got["peak_mb"] < 300, got
    assert (got["rejected"], got["loaded"]) == (20_000, 0)
    assert got["longest"] < 120, got["reasons"]
    assert got["by_line"] == {
        "2": "samme borgmester og session med andet indhold på linje 3, 4, 5, 6, 7 og 19.994 "
             "andre"}
    # The result holds the first MAX_PROBLEMS_HELD problems; the audit trail every one.
    assert query(database, "SELECT reason FROM rejected_rows WHERE line = 20001") == [
        ("samme borgmester og session med andet indhold på linje 2, 3, 4, 5, 6 og 19.994 "
         "andre",)]


def test_short_conflict_lists_read_as_before(database, tmp_path):
    path = excel_csv(tmp_path / "dubletter.csv",
                     "C2;LKS2022-05;Odense;Anna;01-03-2023;deltaget;;",
                     "C2;LKS2022-05;Odense;Anna;01-03-2023;udeblevet;;",
                     "C2;LKS2022-05;Odense;Anna;01-03-2023;afmeldt;;")
    result = import_files(database, [path])
    assert [(p.line, p.reason) for p in result.problems] == [
        (2, "samme tilmeldings-id med andet indhold på linje 3, 4"),
        (3, "samme tilmeldings-id med andet indhold på linje 2, 4"),
        (4, "samme tilmeldings-id med andet indhold på linje 2, 3")]


def test_a_mayor_list_with_many_conflicting_lines_names_a_few(database, tmp_path):
    header = "Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt"
    rows = [f"Odense;Anna Holm;{'AB'[i % 2]};01-01-2022;;ja" for i in range(10)]
    result = import_files(database, [excel_csv(tmp_path / "borgmestre.csv", *rows,
                                               header=header)])
    reasons = {p.line: p.reason for p in result.problems}
    assert len(reasons) == 10 and not result.applied
    assert reasons[2] == ("samme borgmester med andet indhold på linje 3, 4, 5, 6, 7 og 4 "
                          "andre")


# --- (2) control characters in text fields -------------------------------------------------

@pytest.mark.parametrize("cell, column, shown", [
    ('"\r=1+1"', "Navn", "vognretur (CR) som tegn nr. 1"),
    ('"Anna\r\nHolm"', "Navn", "vognretur (CR) som tegn nr. 5"),   # a quoted line break
    ("Anna\x00Holm", "Navn", "nul-tegn (NUL) som tegn nr. 5"),
    ("Anna\tHolm", "Navn", "tabulator (TAB) som tegn nr. 5"),
    ("Anna\x7fHolm", "Navn", "styretegn U+007F som tegn nr. 5"),
])
def test_a_control_character_in_a_name_rejects_the_line(database, tmp_path, cell, column,
                                                        shown):
    path = excel_csv(tmp_path / "navne.csv",
                     f"N1;LKS2022-04;Odense;{cell};01-11-2022;deltaget;;",
                     "N2;LKS2022-05;Vejle;Bo Lund;01-03-2023;deltaget;;")
    result = import_files(database, [path], keep_going=True)
    (problem,) = result.problems
    assert (problem.line, problem.column) == (2, column)
    assert shown in problem.reason and "ugyldigt tegn" in problem.reason
    assert query(database, "SELECT m.name FROM registrations r JOIN mayors m USING (mayor_id) "
                           "ORDER BY 1") == [("Bo Lund",)]


def test_control_characters_in_every_other_field_reject_the_line(database, tmp_path):
    path = excel_csv(tmp_path / "felter.csv",
                     "F1\x1f;LKS2022-04;Odense;Anna;01-11-2022;deltaget;;",   # stored id
                     "F2;LKS2022-04;Odense\x0b;Bo;01-11-2022;deltaget;;",     # municipality
                     "F3;LKS2022-04;Odense;Carl;01-11-2022;deltaget\x1b;;")   # status
    result = import_files(database, [path])
    assert [(p.line, p.column) for p in result.problems] == [
        (2, "Tilmeldings-ID"), (3, "Kommune"), (4, "Status")]
    # One reason per field: the control character, not also "ukendt kommune".
    assert all("ugyldigt tegn" in p.reason for p in result.problems)


def test_a_control_character_in_a_party_of_a_mayor_list(database, tmp_path):
    header = "Kommune;Navn;Parti;Tiltrådt;Fratrådt;Nyvalgt"
    path = excel_csv(tmp_path / "borgmestre.csv", "Odense;Anna Holm;A\x1c;01-01-2022;;ja",
                     header=header)
    (problem,) = import_files(database, [path]).problems
    assert (problem.line, problem.column) == (2, "Parti") and "U+001C" in problem.reason


def test_a_line_break_in_an_excel_cell_rejects_the_line(database, tmp_path):
    from openpyxl import load_workbook

    path = make_xlsx(tmp_path / "eksport.xlsx")
    book = load_workbook(path)
    book.active["D2"] = "\r=1+1"            # at the start: not stripped away unseen
    book.active["D3"] = "Bjørn\nÆrø-Hansen"  # Alt+Enter inside the cell
    book.save(path)
    result = import_files(database, [path])
    assert [(p.line, p.column, p.file.endswith("[Tilmeldinger]")) for p in result.problems] == [
        (2, "Navn", True), (3, "Navn", True)]
    assert not result.applied


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def excel_xlsx(path: Path, rows: list[list[str | None]]) -> Path:
    """A workbook as Excel writes one: every text cell a shared string (xl/sharedStrings.xml),
    empty cells left out. The cells are given as Excel stores them, OOXML escapes and all
    (`_x000D_` for a carriage return, `_x005F_` for an underscore that starts one)."""
    from xml.sax.saxutils import escape

    strings: list[str] = []
    cells_xml = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, text in zip("ABCDEFGH", row, strict=False):
            if text is None:
                continue
            if text not in strings:
                strings.append(text)
            cells.append(f'<c r="{column}{number}" t="s"><v>{strings.index(text)}</v></c>')
        cells_xml.append(f'<row r="{number}" spans="1:8">{"".join(cells)}</row>')
    sst = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in strings)
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>',
        "_rels/.rels":
            f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_RELS}"><sheets><sheet '
            'name="Tilmeldinger" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="{DOC_RELS}/'
            'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        SHEET:
            f'<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:H{len(rows)}"/><sheetData>'
            f'{"".join(cells_xml)}</sheetData></worksheet>',
        "xl/sharedStrings.xml":
            f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f'{sst}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, XML_DECLARATION + xml)
    return path


def test_excels_escaped_control_characters_reject_the_line(database, tmp_path):
    """Excel stores a carriage return in a cell as _x000D_ (and the other C0 controls the same
    way); read as the character it stands for, it rejects the line like a raw one. An escaped
    underscore (_x005F_) keeps a typed "_x000D_" as plain text."""
    def row(name: str) -> list[str | None]:
        return [None, "LKS2022-04", "Odense", name, "01-11-2022 10:00", "deltaget", None, None]

    path = excel_xlsx(tmp_path / "excel.xlsx", [
        HEADER.split(";"),
        row("_x000D_=1+1"),               # 2: a CR before a formula start
        row("Bo_x000B_Berg"),             # 3: a vertical tab
        row("Carl_x005F_x000D_Hansen"),   # 4: the typed text "Carl_x000D_Hansen"
        row("Dorte _x00C6_rø"),           # 5: any character may be escaped: "Dorte Ærø"
    ])
    result = import_files(database, [path], keep_going=True)
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (2, "Navn", "\r=1+1"), (3, "Navn", "Bo\x0bBerg")]
    reasons = [p.reason for p in result.problems]
    assert "vognretur (CR) som tegn nr. 1" in reasons[0] and "U+000B" in reasons[1]
    assert query(database, "SELECT m.name FROM registrations r JOIN mayors m "
                           "USING (mayor_id) ORDER BY 1") == [("Carl_x000D_Hansen",),
                                                              ("Dorte Ærø",)]


@pytest.mark.parametrize("stored, meant", [
    ("_x000D_", "\r"), ("_x000d_", "\r"), ("a_x0000_b", "a\x00b"), ("_x005F_x000D_", "_x000D_"),
    ("_x005F__x000D_", "_\r"), ("_x005F_", "_"), ("_x00_", "_x00_"), ("_xD83D__xDE00_", "😀"),
    ("_xD83D_", "_xD83D_"), ("x000D_", "x000D_"), ("Anna", "Anna"),
])
def test_ooxml_escapes_read_as_the_spec_says(stored, meant):
    assert readers.unescape_ooxml(stored) == meant


# --- leftovers of killed imports -----------------------------------------------------------

def test_a_killed_imports_decoded_copy_is_cleared_by_the_next_import(database, tmp_path,
                                                                    monkeypatch):
    """A Windows-1252 CSV is read through a UTF-8 copy in the temporary folder named for the
    process; a copy whose process is gone (a killed import) is removed by the next import,
    a running process's copy is not, and nothing else in the folder is touched."""
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    made = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        handle, name = real_mkstemp(*args, **kwargs)
        made.append(name)
        return handle, name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    running = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                               stdin=subprocess.PIPE)
    try:
        killed = temporary / f"{readers.DECODED_PREFIX}{gone.pid}-k1ll3d_.csv"
        live = temporary / f"{readers.DECODED_PREFIX}{running.pid}-runn1ng.csv"
        others = [temporary / f"{readers.DECODED_PREFIX}{gone.pid}-x.txt",
                  temporary / "tmpabc123.csv"]
        for path in (killed, live, *others):
            path.write_text("Navn\nAnna\n")
        (temporary / f"{readers.DECODED_PREFIX}{gone.pid}-mappe.csv").mkdir()
        export = excel_csv(tmp_path / "ansi.csv", GOOD_ROW.replace("Holm", "Ærø"))
        assert import_files(database, [export]).applied
        # This import's own copy was named for its process, and is gone too.
        (own,) = made
        assert Path(own).name.startswith(f"{readers.DECODED_PREFIX}{os.getpid()}-")
        assert sorted(p.name for p in temporary.iterdir()) == sorted(
            [live.name, *(p.name for p in others), f"{readers.DECODED_PREFIX}{gone.pid}-mappe.csv"])
    finally:
        running.stdin.close()
        running.wait()


# --- limits on rows, columns and size ------------------------------------------------------

def test_a_file_over_the_column_limit_is_refused(database, tmp_path):
    extra = ";".join(f"Ekstra {i}" for i in range(readers.MAX_COLUMNS))
    path = excel_csv(tmp_path / "bred.csv", GOOD_ROW, header=f"{HEADER};{extra}")
    with pytest.raises(SourceError) as caught:
        import_files(database, [path])
    (problem,) = caught.value.problems
    assert problem.file.endswith("bred.csv") and problem.line == 1
    assert f"{readers.MAX_COLUMNS + 8} kolonner; grænsen er {readers.MAX_COLUMNS}" in \
        problem.reason


def test_a_sheet_over_the_column_limit_is_refused(database, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER.split(";") + [f"Ekstra {i}" for i in range(300)])
    book.active.append(GOOD_ROW.split(";"))
    book.save(tmp_path / "bred.xlsx")
    with pytest.raises(SourceError, match=f"mere end {readers.MAX_COLUMNS} kolonner; grænsen er "
                                          f"{readers.MAX_COLUMNS}"):
        import_files(database, [tmp_path / "bred.xlsx"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_row_limit_is_refused(database, tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    rows = [GOOD_ROW.replace("B1", f"R{i}").replace("Anna Holm", f"Person {i}")
            for i in range(4)]
    path = excel_csv(tmp_path / "lang.csv", *rows)
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in [HEADER, *rows]:
            book.active.append(row.split(";"))
        path = tmp_path / "lang.xlsx"
        book.save(path)
    with pytest.raises(SourceError, match="flere end 3 datarækker"):
        import_files(database, [path])
    assert import_files(database, [excel_csv(tmp_path / "kort.csv", *rows[:3])]).applied


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(database, tmp_path,
                                                                 monkeypatch):
    path = excel_csv(tmp_path / "stor.csv", GOOD_ROW)
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", path.stat().st_size - 1)
    with pytest.raises(SourceError, match="grænsen for én import er"):
        import_files(database, [path])


def test_a_file_beyond_the_memory_bounds_is_refused_with_a_message(database, tmp_path,
                                                                   monkeypatch):
    from etl import importer

    monkeypatch.setattr(importer, "IMPORT_MEMORY_LIMIT", "16MB")
    monkeypatch.setattr(importer, "IMPORT_TEMP_LIMIT", "1MB")
    rows = [GOOD_ROW.replace("B1", f"M{i}").replace("Anna Holm", f"Person {i}")
            for i in range(50_000)]
    before = snapshot(database)
    with pytest.raises(SourceError, match="kræver mere, end en import må bruge"):
        import_files(database, [excel_csv(tmp_path / "tung.csv", *rows)])
    assert snapshot(database) == before


# --- CSV read failures: no parser text, no temporary paths ---------------------------------

def test_a_carriage_return_alone_in_a_csv_row_names_the_line(database, tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(("\r\n".join([HEADER, GOOD_ROW, GOOD_ROW.replace("Anna", "An\rna")])
                      + "\r\n").encode("cp1252"))
    with pytest.raises(SourceError) as caught:
        import_files(database, [path])
    (problem,) = caught.value.problems
    assert (problem.file.endswith("cr.csv"), problem.line) == (True, 3)
    text = str(caught.value)
    assert "CR" in problem.reason and "/tmp" not in text.replace(str(tmp_path), "")
    assert "state machine" not in text and "Error" not in text


def test_many_broken_rows_cost_no_more_than_a_few(database, tmp_path):
    # Every other line has a field too many: the good lines keep their own line numbers.
    rows = [GOOD_ROW.replace("B1", f"G{i}").replace("Anna Holm", f"P {i}") + (";x" if i % 2
            else "") for i in range(20_000)]
    result = import_files(database, [excel_csv(tmp_path / "skæv.csv", *rows)],
                          keep_going=True)
    assert result.files[0].rejected_lines == 10_000
    assert query(database, "SELECT min(registration_id), count(*) FROM registrations") == [
        ("G0", 10_000)]
    assert (result.problems[0].line, result.problems[-1].line) == (3, 20_001)


def test_problems_reach_the_audit_trail_with_their_raw_rows(database, tmp_path):
    path = excel_csv(tmp_path / "afvist.csv", "A1;LKS2022-04;Odense;Anna;01-11-2022;måske;;",
                     "A2;LKS2022-04;Odense;Bo;01-11-2022;deltaget;;;ekstra")
    import_files(database, [path])
    assert query(database, "SELECT line, \"column\", value, raw_row FROM rejected_rows WHERE "
                           "run_id = (SELECT max(run_id) FROM import_runs) ORDER BY line") == [
        (2, "Status", "måske", "A1;LKS2022-04;Odense;Anna;01-11-2022;måske;;"),
        (3, None, "A2;LKS2022-04;Odense;Bo;01-11-2022;deltaget;;;ekstra",
         "A2;LKS2022-04;Odense;Bo;01-11-2022;deltaget;;;ekstra")]


def test_a_zip_member_that_lies_about_its_size_is_refused(database, tmp_path):
    good = big_xlsx(tmp_path / "hel.xlsx", rows=5)
    with zipfile.ZipFile(good) as archive:
        size = archive.getinfo(SHEET).file_size
    path = tmp_path / "loegn.xlsx"
    path.write_bytes(_set_declared_size(good.read_bytes(), SHEET, size - 10))
    with pytest.raises(SourceError, match="beskadiget"):
        import_files(database, [path])
