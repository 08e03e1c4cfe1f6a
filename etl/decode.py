"""A CSV or text file's bytes as text, in the encodings Danish office programs save in, and
every cell's text evened out the same way (CSV and XLSX).

Encodings, in this order:

1. A byte order mark names the encoding: UTF-8, UTF-16 LE/BE (Excel's "Unicode Text"),
   UTF-32 LE/BE. Bytes that do not decode in it refuse the file, naming the line.
2. Bytes that decode as UTF-8 are UTF-8: no other encoding Danish text is saved in gives
   valid UTF-8 by chance once it holds æ, ø or å.
3. Otherwise one of the 8-bit encodings Excel writes CSV in (EIGHT_BIT): Windows-1252 (Excel
   on Windows) or Mac Roman (Excel for Mac). Each decodes almost any bytes, so the choice is
   made by what the text would hold: the one whose text is plausible Danish (the letters and
   signs of DANISH_LETTERS and DANISH_SIGNS, no upper-case letter in the middle of a word).
   Windows-1252 "Søren" read as Mac Roman is "S¯ren", Mac Roman's read as Windows-1252 is
   "S¿ren". When both readings pass ("Næstved" as Mac Roman is "NÊstved"), the one whose
   characters are clearly more typical of Danish (TYPICAL: æ, ø, å weigh most) wins; failing
   that, the one charset-normalizer (a well-kept detector that measures how "messy" each
   decoding is) finds clearly less messy. When neither tells them apart, or both readings are
   implausible, the file is refused naming the candidates: garbled names are never loaded.

Cells: `even_out` maps the Unicode spaces to a plain space, drops the invisible format
characters (both declared in etl.control_chars) and composes the text (NFC: macOS writes æøå
decomposed, "a" + a combining ring). It costs nothing for text that needs none of it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

from etl.control_chars import INVISIBLE_RANGES, SPACE_RANGES, char_class
from etl.errors import SourceError, SourceProblem
from etl.reasons import LIST_SEPARATOR

# Byte order marks and the encoding each names; UTF-32 LE's mark begins with UTF-16 LE's, so
# the longer marks are tried first. The names are Python's codecs (which take the mark off).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
# The 8-bit encodings a file without a mark that is not UTF-8 may be in: Python's codec, and
# the name messages give it.
EIGHT_BIT = (("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman"))

# What Danish exports hold beyond ASCII, in names, places and free text: the Danish, Nordic and
# common western and central European letters of names, and the signs office programs write
# (Word's quotes and dashes, the euro, the degree sign, a no-break space). Wide on purpose: a
# character left out here can only make a right reading look wrong (and the file refused), a
# character let in can make a wrong reading look right only where the other reading is no
# better, and then the file is refused too (see decode).
DANISH_LETTERS = ("æøåÆØÅäöüÄÖÜéèêëÉÈÊËáàâãÁÀÂÃíìîïÍÌÎÏóòôõÓÒÔÕúùûÚÙÛýÿÝñÑçÇß"
                  "šžčćđłńśźżőűŠŽČĆĐŁŃŚŹŻŐŰ")
DANISH_SIGNS = "\u00a0\u00ad–—‘’‚“”„…•·€£§°«»´×÷±½¼©®™†‰¨"

_ASCII = bytes(range(0x80))


def decode(data: bytes, shown: str) -> tuple[str, str]:
    """The text of a CSV or text file's bytes, and the Python codec it was read with
    ("utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252" or "mac_roman"); any byte order
    mark is taken off.

    Raises SourceError naming `shown` and the line when the bytes do not decode in the
    encoding their mark names, or when the encoding cannot be told (naming the candidates)."""
    for mark, codec, name in BOMS:
        if data.startswith(mark):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                line = _line_of(data, error.start, codec)
                raise _refuse(shown, line, "bom_mismatch", encoding=name) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = eight_bit_encoding(data, shown)
    return data.decode(codec), codec


def eight_bit_encoding(data: bytes, shown: str) -> str:
    """Which of EIGHT_BIT `data` (not UTF-8, no byte order mark) is written in: the one whose
    text is plausible Danish (see the module's docstring). Raises SourceError naming the
    candidates and the line of the first byte beyond ASCII when it cannot be told."""
    beyond = data.translate(None, _ASCII)
    counts = Counter(beyond[:_BYTES_WEIGHED])
    distinct = [b for b in range(0x80, 0x100) if bytes([b]) in beyond]  # memchr each, in C
    del beyond
    plausible = [codec for codec, _name in EIGHT_BIT if _plausible(data, distinct, codec)]
    if len(plausible) == 2:
        plausible = _clearly_better(data, counts, plausible)
    if len(plausible) == 1:
        return plausible[0]
    first = len(data) - len(data.lstrip(_ASCII))  # where the first byte beyond ASCII is
    raise _refuse(shown, _line_of(data, first, "latin-1"), "encoding_unclear",
                  candidates=LIST_SEPARATOR.join(name for _codec, name in EIGHT_BIT))


def _plausible(data: bytes, beyond: list[int], codec: str) -> bool:
    """Whether `data`, whose distinct bytes beyond ASCII are `beyond`, read as `codec` is
    plausible Danish text: every character beyond ASCII a letter or sign of DANISH_LETTERS
    or DANISH_SIGNS, and no such upper-case letter right after a lower-case one ("SÊren")."""
    allowed = DANISH_LETTERS + DANISH_SIGNS
    upper = bytearray()
    lower = bytearray()
    for byte in beyond:
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:  # Windows-1252 leaves five bytes undefined
            return False
        if char not in allowed:
            return False
        if char.isupper():
            upper.append(byte)
        elif char.islower():
            lower.append(byte)
    if not upper:
        return True
    # Lower-case letters as "l", those upper-case ones as "U", the rest as " ": one translate
    # and one substring search, both in C.
    shape = bytearray(b" " * 256)
    for byte in [*range(ord("a"), ord("z") + 1), *lower]:
        shape[byte] = ord("l")
    for byte in upper:
        shape[byte] = ord("U")
    return b"lU" not in data.translate(bytes(shape))


# How typical of Danish text each character beyond ASCII is, as a weight per occurrence: æ, ø
# and å (and capitals) are in nearly every Danish name list; the other letters and signs of
# DANISH_LETTERS and DANISH_SIGNS occur, but rarely. Both readings of a file may pass
# `_plausible` ("Næstved" read as Mac Roman is "NÊstved"); the one whose characters weigh
# clearly more (CLEARLY_MORE times) is the file's. Only the first _BYTES_WEIGHED bytes beyond
# ASCII are counted: a few hundred names decide it.
TYPICAL = {**dict.fromkeys("æøåÆØÅ", 10.0), **dict.fromkeys("éÉüÜöÖäÄ–’”“", 2.0)}
RARE = 1.0
CLEARLY_MORE = 2.0
_BYTES_WEIGHED = 1 << 20


def _weight(counts: Counter, codec: str) -> float:
    """How Danish the bytes counted in `counts` read as `codec` are (see TYPICAL)."""
    return sum(n * TYPICAL.get(bytes([byte]).decode(codec, "replace"), RARE)
               for byte, n in counts.items())


def _clearly_better(data: bytes, counts: Counter, candidates: list[str]) -> list[str]:
    """Of two plausible readings, the one whose characters are clearly more typical of Danish
    (TYPICAL), else the one charset-normalizer (a well-kept detector measuring how "messy"
    each decoding is) finds clearly less messy, alone; both when neither tells them apart
    (the caller refuses the file then)."""
    weights = sorted(((_weight(counts, c), c) for c in candidates), reverse=True)
    if weights[0][0] >= CLEARLY_MORE * weights[1][0]:
        return [weights[0][1]]
    from charset_normalizer import from_bytes  # start-up cost: only for an unclear encoding

    found = {match.encoding: match.chaos for match in from_bytes(data, cp_isolation=candidates)}
    ranked = sorted((found[c], c) for c in candidates if c in found)
    if len(ranked) == 1 or (len(ranked) == 2 and ranked[1][0] - ranked[0][0] >= 0.05):
        return [ranked[0][1]]
    return candidates


def _line_of(data: bytes, offset: int, codec: str) -> int:
    """The physical line (1-based; CR, LF and CRLF each end one) of byte `offset` of `data`
    read with `codec` (which takes a byte order mark off)."""
    text = data[:offset].decode(codec, errors="replace")
    return len(re.findall(r"\r\n|\r|\n", text)) + 1


def _refuse(shown: str, line: int, code: str, **params: str) -> SourceError:
    """The file refused whole for reason `code` (which says to save it as UTF-8)."""
    return SourceError([SourceProblem(shown, line, None, code, params)])


def even_out(text: str) -> str:
    """`text` with every Unicode space a plain space, the invisible format characters dropped
    and composed (NFC); `text` itself when nothing is to change, found in C (an ASCII text is
    known at once; otherwise one NFC quick check and one regex search)."""
    if text.isascii():
        return text
    if _UNEVEN.search(text) is not None:
        text = _INVISIBLE.sub("", _SPACE.sub(" ", text))
    elif unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


# What `even_out` changes: a Unicode space (to " ") or an invisible format character (dropped).
_SPACE = re.compile(char_class(SPACE_RANGES))
_INVISIBLE = re.compile(char_class(INVISIBLE_RANGES))
_UNEVEN = re.compile(char_class(SPACE_RANGES + INVISIBLE_RANGES))


# Bytes that start none of the characters even_out changes in UTF-8: ASCII, continuation
# bytes, and C3 (U+00C0-U+00FF: the Latin-1 letters, æøå among them, all composed).
_PLAIN_UTF8 = bytes(range(0xC2)) + b"\xc3"
# Per 8-bit encoding, the bytes that are not a character even_out changes (in Windows-1252
# the no-break space A0 and soft hyphen AD are; in Mac Roman the no-break space CA). Neither
# encoding has a combining mark, so their text is always composed (NFC).
_PLAIN_EIGHT_BIT = {codec: bytes(b for b in range(256)
                                 if not _UNEVEN.match(bytes([b]).decode(codec, "replace")))
                    for codec, _name in EIGHT_BIT}


def needs_evening_out(data: bytes, codec: str) -> bool:
    """Whether the text of `data`, read with `codec` (as decode returns it), may need
    `even_out`, decided in C without decoding. For UTF-8, `data` may have any ASCII bytes
    deleted (every character's bytes stay together): text of Latin-1's characters only (no
    lead byte from C4 up) is always composed, and of the characters even_out changes only the
    no-break space (C2 A0) and the soft hyphen (C2 AD) are among them. False means even_out
    would change nothing; UTF-16 and UTF-32 text is always given to it."""
    if codec in _PLAIN_EIGHT_BIT:
        return bool(data.translate(None, _PLAIN_EIGHT_BIT[codec]))
    if codec != "utf-8":
        return True
    leads = data.translate(None, _PLAIN_UTF8)   # what is left: C2 and C4-FF (few, mostly none)
    if not leads:
        return False
    if leads.strip(b"\xc2"):
        return True
    return b"\xc2\xa0" in data or b"\xc2\xad" in data
