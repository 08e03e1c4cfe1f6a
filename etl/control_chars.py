"""The control characters, declared once: the importer rejects a field holding one
(etl.importer, etl.readers) and every exported file turns them into spaces
(dashboard.cell_text).

C0 (NUL, TAB, LF, CR, ...), DEL, C1, the Unicode line and paragraph separators and the
bidirectional embeddings, overrides and isolates: none belongs in a name, a party or any other
field, and each can break a file or a line-based reader. Everything below is built from
CONTROL_RANGES: the pattern for Python's re, the pattern for DuckDB's RE2, and the bytes that
can carry one in a CSV file of the encodings the reader accepts.

Beside them, the characters the reader quietly evens out in every cell (etl.decode): the
Unicode spaces, which become a plain space (SPACE_RANGES), and the invisible format
characters, which are dropped (INVISIBLE_RANGES).
"""

from __future__ import annotations

import re

# Inclusive code point ranges. The bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) are control characters too, rejected with the line like the
# rest rather than dropped: each reorders how the text after it is shown (the "Trojan Source"
# trick, CVE-2021-42574), so a stored name would read otherwise than it is, and dropping one
# would change a name without a word. The direction marks (U+200E, U+200F, U+061C) are not:
# they only lean neutral characters one way, are what a copy from a web page leaves behind,
# and are dropped as invisible (INVISIBLE_RANGES).
CONTROL_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0x202A, 0x202E),
                  (0x2066, 0x2069))
# Unicode's spaces other than the plain one: a name typed in Word or copied from a web page
# ("Anna\u00a0Holm") is the same name, so each becomes " " in every cell (etl.decode). No-break
# space, Ogham space, the typographic spaces U+2000-U+200A, narrow no-break, medium
# mathematical and ideographic space: Unicode's Zs category less U+0020.
SPACE_RANGES = ((0x00A0, 0x00A0), (0x1680, 0x1680), (0x2000, 0x200A), (0x202F, 0x202F),
                (0x205F, 0x205F), (0x3000, 0x3000))
# Invisible format characters, dropped from every cell (etl.decode): soft hyphen, Arabic letter
# mark, Mongolian vowel separator, zero-width space / non-joiner / joiner, the direction marks
# LRM and RLM, word joiner and the invisible operators, and the zero-width no-break space
# (U+FEFF, a byte order mark that landed inside the text). None is seen; each makes "Anna" and
# "An\u200bna" two people.
INVISIBLE_RANGES = ((0x00AD, 0x00AD), (0x061C, 0x061C), (0x180E, 0x180E), (0x200B, 0x200F),
                    (0x2060, 0x2064), (0xFEFF, 0xFEFF))
# The encodings whose raw bytes etl.readers._may_hold_controls reads (a file in another
# encoding, UTF-16 or UTF-32, is checked as the UTF-8 text it is read as): UTF-8 and the
# two 8-bit encodings Danish Excel saves CSV in, on Windows and on the Mac.
CSV_ENCODINGS = ("utf-8", "cp1252", "mac_roman")


def characters(ranges: tuple[tuple[int, int], ...]) -> str:
    """Every character of the inclusive code point `ranges`, in order."""
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


def char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A character class for Python's re holding the inclusive code point `ranges`."""
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"


# One control character, as a character class for Python's re (`CONTROL_CLASS + "+"` is a
# run of them) and for DuckDB's regular expressions (RE2).
CONTROL_CLASS = char_class(CONTROL_RANGES)
CONTROL_PATTERN_SQL = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in CONTROL_RANGES) + "]"
CONTROL = re.compile(CONTROL_CLASS)


def control_characters() -> list[str]:
    """Every control character, in code point order (76 of them)."""
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
# are the same byte in each, C1, U+2028/U+2029 and the bidirectional controls are multi-byte
# in UTF-8 (Windows-1252 and Mac Roman decode to none of them).
CONTROL_BYTES = _byte_pattern(CSV_ENCODINGS)
