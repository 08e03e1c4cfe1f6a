"""The control characters, declared once: the importer rejects a field holding one
(etl.importer, etl.readers) and every exported file turns them into spaces
(dashboard.cell_text).

C0 (NUL, TAB, LF, CR, ...), DEL, C1 and the Unicode line and paragraph separators: none
belongs in a name, a party or any other field, and each can break a file or a line-based
reader. Everything below is built from CONTROL_RANGES: the pattern for Python's re, the
pattern for DuckDB's RE2, and the bytes that can carry one in a CSV file of the encodings
the reader accepts.
"""

from __future__ import annotations

import re

# Inclusive code point ranges.
CONTROL_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029))
# The encodings a CSV file is read in (etl.readers: UTF-8, with or without BOM, else
# Windows-1252).
CSV_ENCODINGS = ("utf-8", "cp1252")

# One control character, as a character class for Python's re (`CONTROL_CLASS + "+"` is a
# run of them) and for DuckDB's regular expressions (RE2).
CONTROL_CLASS = "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in CONTROL_RANGES) + "]"
CONTROL_PATTERN_SQL = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in CONTROL_RANGES) + "]"
CONTROL = re.compile(CONTROL_CLASS)


def control_characters() -> list[str]:
    """Every control character, in code point order (67 of them)."""
    return [chr(code) for low, high in CONTROL_RANGES for code in range(low, high + 1)]


def _byte_pattern(encodings: tuple[str, ...]) -> re.Pattern[bytes]:
    """A bytes pattern matching the encoded form of every control character in any of
    `encodings` (where the encoding can write it at all): single bytes as one class, longer
    sequences grouped by all but their last byte (`\\xc2[\\x80-\\x9f]` for UTF-8's C1)."""
    singles: set[int] = set()
    by_prefix: dict[bytes, set[int]] = {}
    for char in control_characters():
        for encoding in encodings:
            try:
                encoded = char.encode(encoding)
            except UnicodeEncodeError:
                continue
            if len(encoded) == 1:
                singles.add(encoded[0])
            else:
                by_prefix.setdefault(encoded[:-1], set()).add(encoded[-1])

    def byte_class(values: set[int]) -> bytes:
        return b"[" + b"".join(re.escape(bytes([v])) for v in sorted(values)) + b"]"

    parts = [byte_class(singles)] if singles else []
    parts += [re.escape(prefix) + byte_class(lasts) for prefix, lasts in sorted(by_prefix.items())]
    return re.compile(b"|".join(parts))


# Bytes that may be (part of) a control character in a CSV file of CSV_ENCODINGS: C0 and DEL
# are the same byte in both, C1 and U+2028/U+2029 are multi-byte in UTF-8 (Windows-1252
# decodes to neither).
CONTROL_BYTES = _byte_pattern(CSV_ENCODINGS)
