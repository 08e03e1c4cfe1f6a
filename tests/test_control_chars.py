"""The control characters are declared once (etl.control_chars): the importer's patterns (Python
and DuckDB), the export's cleaning and the CSV reader's byte check all know the same set, and
the byte check never says "no control character" for a file that holds one."""

from __future__ import annotations

import csv
import io

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from dashboard.cell_text import clean_text
from etl import readers
from etl.control_chars import (
    CONTROL,
    CONTROL_PATTERN_SQL,
    CONTROL_RANGES,
    CSV_ENCODINGS,
    control_characters,
)

# Every code point up to past the line/paragraph separators, and a few beyond.
SAMPLE = [chr(code) for code in range(0x2100)] + ["\ufeff", "\uff1d", "\U0001f600"]


def is_control(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in CONTROL_RANGES)


def test_every_pattern_knows_the_same_characters():
    expected = [is_control(c) for c in SAMPLE]
    assert sum(expected) == len(control_characters()) == 76
    assert [bool(CONTROL.fullmatch(c)) for c in SAMPLE] == expected
    assert [clean_text(f"a{c}b") != f"a{c}b" for c in SAMPLE] == expected  # made a space
    with duckdb.connect() as con:
        found = con.execute(f"SELECT list_transform(?, lambda c: regexp_matches(c, "
                            f"'{CONTROL_PATTERN_SQL}'))", [SAMPLE]).fetchone()[0]
    assert found == expected


def test_the_readers_byte_check_lets_plain_text_through():
    """Not a check that always says yes: Danish text without control characters passes."""
    text = "Navn;Kommune\r\nÅse Ærø-Østergård;Aabenraa\r\n"
    for encoding in CSV_ENCODINGS:
        assert not readers._may_hold_controls(text.encode(encoding), ";")


def _encodable(text: str, encoding: str) -> str:
    return "".join(c for c in text if _can_encode(c, encoding))


def _can_encode(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)


@given(data=st.data(), cells=st.lists(TEXT, min_size=1, max_size=5),
       delimiter=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(CSV_ENCODINGS))
def test_the_readers_byte_check_never_misses_a_control_character_in_a_cell(
        data, cells, delimiter, encoding):
    """A CSV row as Python's csv module writes it (quoting line breaks, delimiters and
    quotes), one cell holding a control character, in each encoding the reader accepts."""
    control = data.draw(st.sampled_from(
        [c for c in control_characters() if _can_encode(c, encoding)]))
    cells = [_encodable(cell, encoding) for cell in cells]
    where = data.draw(st.integers(0, len(cells) - 1))
    at = data.draw(st.integers(0, len(cells[where])))
    cells[where] = cells[where][:at] + control + cells[where][at:]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([f"k{i}" for i in range(len(cells))])
    writer.writerow(cells)
    assert readers._may_hold_controls(out.getvalue().encode(encoding), delimiter)


@given(raw=st.one_of(st.binary(max_size=40), TEXT.map(lambda t: t.encode("utf-8"))),
       delimiter=st.sampled_from([";", ",", "\t"]))
def test_the_readers_byte_check_never_misses_a_control_character_in_any_bytes(raw, delimiter):
    """Any bytes, read in any encoding whose bytes the check reads (UTF-8, Windows-1252, Mac
    Roman), and so whichever the reader picks: a control character in the text, other than a
    line end, means the check says it may hold one."""
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL.search(text.replace("\r", "").replace("\n", "")):
            assert readers._may_hold_controls(raw, delimiter)
