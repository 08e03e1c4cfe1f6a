"""Text out: names holding control characters or formula starts leave the product as plain
text in CSV and XLSX (OWASP's CSV-injection guidance), checked with LibreOffice and openpyxl."""

from __future__ import annotations

import csv
import io
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dashboard import export
from dashboard.cell_text import FORMULA_STARTS, is_formula_like, safe_text
from etl.control_chars import control_characters
from tests.conftest import require_libreoffice

# Every control character: C0, DEL, C1 and the line and paragraph separators U+2028/2029.
CONTROL_CHARACTERS = control_characters()
# Formula starts as OWASP lists them (= + - @ TAB CR), a fullwidth one, and a DDE payload.
PAYLOADS = ["=1+1", "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "\uff1d1+1",
            "=cmd|' /C calc'!A0", '=HYPERLINK("http://x";"klik")']
# What may stand before them: spaces, controls, a no-break space, invisible format characters.
LEADS = ["", " ", "  ", "\t", "\r", "\n", "\r\n", "\x00", " \t\r\n\x00", "\u00a0", "\u200b",
         "\ufeff"]
HOSTILE_NAMES = ([lead + payload for lead in LEADS for payload in PAYLOADS]
                 + [f"{c}=1+1" for c in CONTROL_CHARACTERS]
                 + [f"Anna{c}Hansen" for c in CONTROL_CHARACTERS]
                 + ["Anna;\"Hansen\"", "Ærø Kommune", "2022–2025"])
# Danish: semicolon between fields, '"' around text, UTF-8 (76), from line 1, language Danish
# (1030), quoted fields not forced to text, special numbers detected, and (token 13) formulas
# evaluated: LibreOffice's defaults when a reader opens the file, the worst case for us.
LIBREOFFICE_CSV = ("Text - txt - csv (StarCalc):"
                   "59,34,76,1,,1030,false,true,false,false,false,-1,true")


def hostile_table() -> pd.DataFrame:
    """One hostile name per row beside a negative number that must stay a number."""
    return pd.DataFrame({"navn": HOSTILE_NAMES,
                         "tal": [-(index + 0.5) for index in range(len(HOSTILE_NAMES))]})


def test_safe_text_cleans_control_characters_and_marks_formulas():
    assert safe_text("Anna\r\nHansen") == "Anna Hansen"  # a run of controls: one space
    assert safe_text("\r=1+1") == "' =1+1"
    assert safe_text("\u200b@SUM(A1)") == "'\u200b@SUM(A1)"
    assert safe_text("\r=1+1", typed=True) == " =1+1"  # an XLSX text cell needs no mark
    assert safe_text("Ærø") == "Ærø" and safe_text("2022–2025") == "2022–2025"
    assert safe_text("\ud800x") == "\ufffdx"  # a lone surrogate cannot be written
    for start in FORMULA_STARTS:
        assert is_formula_like(f" \t{start}1") and not is_formula_like(f"a{start}1")


def test_every_csv_row_is_one_line_of_plain_text():
    """Read back by Python's csv module: one record per name, no control character in any
    field, and every field whose first visible character is a formula start marked."""
    raw = export.csv_bytes(hostile_table())
    text = raw.decode("utf-8-sig")
    assert text.count("\r") == text.count("\r\n") == len(HOSTILE_NAMES) + 1
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["navn", "tal"] and len(rows) == len(HOSTILE_NAMES) + 1
    for name, (field, number) in zip(HOSTILE_NAMES, rows[1:], strict=True):
        assert not any(c in field for c in CONTROL_CHARACTERS), repr(name)
        assert field == safe_text(name)
        assert not is_formula_like(field), repr(field)  # the apostrophe comes first
        assert number.startswith("-")  # a negative number, not text


def test_a_header_that_looks_like_a_formula_is_text_too():
    table = pd.DataFrame({"\r=1+1": ["x"], "-tal": [-1]})
    header = export.csv_bytes(table).decode("utf-8-sig").splitlines()[0]
    assert header == "' =1+1;'-tal"
    sheet = load_workbook(io.BytesIO(export.table_bytes(table, "xlsx"))).active
    assert [(c.value, c.data_type) for c in sheet[1]] == [(" =1+1", "s"), ("-tal", "s")]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_csv_with_every_name_as_text(tmp_path):
    """The probe's failure: "\\r=1+1" went out unquoted and LibreOffice evaluated it (2)."""
    soffice = require_libreoffice()
    table = hostile_table()
    source = tmp_path / "navne.csv"
    source.write_bytes(export.table_bytes(table, "csv"))
    # A profile of its own: another LibreOffice running on the machine is not disturbed.
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    f"--infilter={LIBREOFFICE_CSV}", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=300,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    sheet = load_workbook(tmp_path / "navne.xlsx").active
    rows = list(sheet.iter_rows(min_row=2))
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == [], "LibreOffice read formulas from the CSV"
    assert len(rows) == len(HOSTILE_NAMES), "a name broke a row in two"
    for name, number, row in zip(HOSTILE_NAMES, table["tal"], rows, strict=True):
        assert (row[0].value, row[0].data_type) == (safe_text(name), "s"), repr(name)
        assert (row[1].value, row[1].data_type) == (number, "n"), repr(name)


def test_the_xlsx_keeps_every_name_as_typed_text():
    """No IllegalCharacterError on control characters, no formula, numbers stay numbers."""
    table = hostile_table()
    sheet = load_workbook(io.BytesIO(export.table_bytes(table, "xlsx"))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(HOSTILE_NAMES)
    for name, number, (text, value) in zip(HOSTILE_NAMES, table["tal"], rows, strict=True):
        assert (text.value, text.data_type) == (safe_text(name, typed=True), "s"), repr(name)
        assert not ILLEGAL_CHARACTERS_RE.search(text.value)
        assert text.quotePrefix == is_formula_like(text.value), repr(name)
        assert (value.value, value.data_type) == (number, "n")
