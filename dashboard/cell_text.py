"""The one rule for text that leaves the product in a spreadsheet file (CSV or XLSX).

Names and titles come from KL's exports and may carry anything: control characters, or text
that a spreadsheet would run as a formula (OWASP, "CSV Injection"). Every table file the product
writes passes its text through `safe_text`:

- Every control character (C0 0x00–0x1F with TAB, CR and LF; DEL; C1 0x80–0x9F) and the Unicode
  line and paragraph separators become a space, a run of them one space. Why not keep TAB, CR
  and LF inside a quoted CSV field: no table here needs text on two lines (names, municipalities,
  titles), line-based readers and Excel's text import split a row on a quoted CR, TAB and CR are
  formula starts in OWASP's list, XLSX (XML) cannot hold most of them at all (openpyxl raises
  IllegalCharacterError), and one rule gives the same text in both files. A space keeps
  "Anna\\nHansen" readable as "Anna Hansen", where deleting would run the words together.
- Lone surrogates and the non-characters U+FFFE/U+FFFF, which neither UTF-8 nor XML can carry,
  become U+FFFD (the replacement character), so writing the file never fails.
- Text whose first visible character, after any leading spaces, control or format characters
  (zero-width space, byte order mark, direction marks), is a formula start (= + - @, or their
  fullwidth forms) is formula-like. In CSV, which has no types, it gets a leading apostrophe
  (OWASP's advice: spreadsheets then read it as text); XLSX stores it as a typed text cell,
  which no spreadsheet evaluates, so there it keeps its own text.

Numbers are not text: a numeric column keeps its values, negative numbers included.
"""

from __future__ import annotations

import re
import unicodedata

from etl.control_chars import CONTROL_CLASS

# OWASP's formula starts are = + - @ TAB CR; TAB and CR never reach a cell (they become spaces
# above), so the signs are left, with the fullwidth forms some spreadsheets also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_TEXT_MARK = "'"

# Runs of control characters (Cc) and the line/paragraph separators (Zl, Zp): the same set
# the importer rejects, declared once in etl.control_chars.
_CONTROL_RUN = re.compile(CONTROL_CLASS + "+")
# What neither UTF-8 nor XML 1.0 can carry: lone surrogates and the two non-characters.
_UNWRITABLE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
# Characters a reader does not see before the first visible one.
_INVISIBLE_CATEGORIES = {"Zs", "Cc", "Cf"}


def clean_text(value: str) -> str:
    """`value` with control characters as single spaces and unwritable ones as U+FFFD.

    A str in, a str out of at most the same length; never raises."""
    return _UNWRITABLE.sub("\ufffd", _CONTROL_RUN.sub(" ", value))


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could take `text` for a formula: its first character that is
    not a space, control or format character is one of FORMULA_STARTS."""
    for char in text:
        if char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            continue
        return char in FORMULA_STARTS
    return False


def safe_text(value: str, *, typed: bool = False) -> str:
    """The text a spreadsheet cell gets for `value`: cleaned (see `clean_text`) and, unless
    the cell is `typed` (an XLSX text cell), formula-like text marked with a leading
    apostrophe. Never raises; the result is never read as a formula."""
    text = clean_text(value)
    if not typed and is_formula_like(text):
        return CSV_TEXT_MARK + text
    return text
