"""Bad reference files are refused with the file, line and column to fix."""

from __future__ import annotations

import shutil

import pytest

from etl.errors import SourceError
from etl.paths import REFERENCE_DIR
from etl.reference import load_reference


@pytest.fixture
def reference_copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def edit_line(path, line_number, old, new):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def problems_of(directory):
    with pytest.raises(SourceError) as caught:
        load_reference(directory)
    return caught.value.problems


def test_a_duplicate_municipality_code_names_both_lines(reference_copy):
    path = reference_copy / "municipalities.csv"
    edit_line(path, 3, "147,", "101,")  # Frederiksberg given København's code
    problems = problems_of(reference_copy)
    duplicate = next(p for p in problems if p.column == "kommune_code" and p.line == 3)
    assert duplicate.file.endswith("municipalities.csv")
    assert "linje 2" in duplicate.reason
    assert any("97 forskellige kommunekoder" in p.reason for p in problems)


def test_a_bad_date_names_file_line_and_column(reference_copy):
    path = reference_copy / "sessions.csv"
    edit_line(path, 6, "2023-04-17 10:00", "17-04-2023 kl 10")
    (problem,) = problems_of(reference_copy)
    assert (problem.line, problem.column, problem.value) == (6, "starts_at", "17-04-2023 kl 10")
    assert "sessions.csv, linje 6, kolonne starts_at" in str(problem)
    assert "ÅÅÅÅ-MM-DD" in problem.reason


def test_sessions_must_be_in_order_and_end_after_start(reference_copy):
    path = reference_copy / "sessions.csv"
    edit_line(path, 6, "2023-04-17 18:00", "2023-04-16 18:00")   # ends before it starts
    edit_line(path, 7, "2023-11-29 12:00", "2023-01-02 12:00")   # before the previous one
    problems = {(p.line, p.column) for p in problems_of(reference_copy)}
    assert problems == {(6, "ends_at"), (7, "starts_at")}


def test_every_format_in_use_needs_a_price_line(reference_copy):
    path = reference_copy / "prices.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text("".join(line for line in text.splitlines(keepends=True)
                            if not line.startswith("online,")), encoding="utf-8")
    (problem,) = problems_of(reference_copy)
    assert problem.file.endswith("prices.csv") and "'online'" in problem.reason


def test_an_unknown_region(reference_copy):
    path = reference_copy / "municipalities.csv"
    edit_line(path, 2, "Region Hovedstaden", "Region Østdanmark")
    (problem,) = problems_of(reference_copy)
    assert (problem.line, problem.column, problem.value) == (2, "region", "Region Østdanmark")


def test_a_missing_column(reference_copy):
    programmes = reference_copy / "programmes.csv"
    programmes.write_text(programmes.read_text(encoding="utf-8").replace("period_end", "slut"),
                          encoding="utf-8")
    (problem,) = problems_of(reference_copy)
    assert (problem.file.endswith("programmes.csv"), problem.line) == (True, 1)
    assert "period_end" in problem.column


def test_a_missing_file_says_which(reference_copy):
    (reference_copy / "prices.csv").unlink()
    (problem,) = problems_of(reference_copy)
    assert problem.file.endswith("prices.csv") and "mangler" in problem.reason
