"""The many ways KL's exports and Excel name the same thing: headers, statuses, municipalities.

Every spelling is folded by one normaliser (`fold` in Python, `FOLD_SQL` in DuckDB, kept
identical) and looked up in a table of aliases, so "Københavns Kommune", "KØBENHAVN" and
"0101" all land on 101.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

from etl.control_chars import INVISIBLE_RANGES, SPACE_RANGES, characters

# --- Folding: what never matters in a matched value ----------------------------------------

# Characters that separate words (any kind of space, hyphen or dash, '_', '.') and characters
# nobody sees (zero-width spaces and joiners, the BOM): dropped when a value is matched, so
# "Lyngby-Taarbæk", "Lyngby Taarbæk", "Kgs. Lyngby" and "LYNGBY\u00a0TAARBÆK" fold alike.
# Written out as characters, not as `\s`: Python's `\s` knows Unicode spaces, DuckDB's
# (RE2) only ASCII ones, and FOLD_SQL must fold exactly as `fold` does.
# The Unicode spaces and invisible characters are the ones the reader evens out of every cell
# (etl.control_chars), declared there once; here too, for text matched that no file gave.
SPACES = "\t\n\v\f\r " + characters(SPACE_RANGES)   # incl. no-break, thin, figure spaces
ZERO_WIDTH = characters(INVISIBLE_RANGES)
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"                  # hyphens, dashes, minus
SEPARATORS = SPACES + DASHES + "_." + ZERO_WIDTH
_SEPARATOR_RE = re.compile("[" + re.escape(SEPARATORS) + "]+")


def sql_class(chars: str) -> str:
    """A DuckDB (RE2) character class of `chars`, each written as \\x{hex}: readable, and no
    control character inside the SQL text. For a pattern used with str.format, double the
    braces."""
    return "[" + "".join(f"\\x{{{ord(c):04X}}}" for c in chars) + "]"


_KOMMUNE_RE = re.compile(r"(regions)?kommune\Z")


def fold_word(text: str) -> str:
    """'Ikke  mødt' -> 'ikkemødt': lower case, NFC (macOS writes å as a + ring), and no
    separators (SEPARATORS). Used for status words; `fold` builds on it. FOLD_WORD_SQL is the
    same in DuckDB."""
    return _SEPARATOR_RE.sub("", unicodedata.normalize("NFC", text.lower()))


def fold(text: str) -> str:
    """Fold a municipality name: 'Høje-Taastrup Kommune' -> 'højetaastrup'. As `fold_word`,
    and a trailing 'kommune' or 'regionskommune' goes. FOLD_SQL is the same in DuckDB."""
    return _KOMMUNE_RE.sub("", fold_word(text))


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# The same foldings in DuckDB SQL; `{x}` is the column expression. Kept identical to the
# Python ones (tests/test_import_words.py checks it on every accepted form and on random
# text); the braces of the regular expressions are doubled for str.format.
_SEPARATORS_SQL = _sql_text(sql_class(SEPARATORS) + "+").replace("{", "{{").replace("}", "}}")
FOLD_WORD_SQL = f"regexp_replace(nfc_normalize(lower({{x}})), {_SEPARATORS_SQL}, '', 'g')"
FOLD_SQL = f"regexp_replace({FOLD_WORD_SQL}, '(regions)?kommune$', '')"


# --- Danish letters as ASCII -----------------------------------------------------------

# How people write æ, ø and å without them (a keyboard, a system or a habit without them);
# "aa" in a name is the old spelling of å (Aabenraa = Åbenrå) and may be written å. Each
# letter of a name is spelled independently: "Hoeje-Tåstrup" is Høje-Taastrup too.
LETTER_SPELLINGS = {"æ": ("æ", "ae"), "ø": ("ø", "oe", "o"), "å": ("å", "aa", "a"),
                    "aa": ("aa", "å")}
_LETTERS_RE = re.compile("(aa|æ|ø|å)", re.IGNORECASE)


def spellings(text: str) -> list[str]:
    """Every way of writing `text` with its æ, ø, å and aa spelled as LETTER_SPELLINGS says,
    in lower case; the first is `text` itself (lower-cased). 'Ærø' -> ['ærø', 'ærøe', 'æro',
    'aeø', 'aeoe', 'aeo']."""
    parts = _LETTERS_RE.split(text.lower())
    choices = [LETTER_SPELLINGS[part] if i % 2 else (part,) for i, part in enumerate(parts)]
    return ["".join(chosen) for chosen in itertools.product(*choices)]


# --- Statuses ----------------------------------------------------------------------------

# The words KL's staff and registration systems write for a registration's status, Danish
# and English -> the coded value. Matched folded (fold_word) and in every ASCII spelling
# (`spellings`: "modt", "ikke moedt").
STATUS_WORDS = {
    "attended": ["deltog", "deltaget", "mødt", "mødt op", "fremmødt", "til stede",
                 "attended", "present"],
    "cancelled": ["afbud", "meldt afbud", "afmeldt", "meldt fra", "aflyst",
                  "cancelled", "canceled"],
    "no_show": ["ikke mødt", "ikke mødt op", "ikke fremmødt", "udeblev", "udeblevet",
                "no show", "no_show", "absent"],
    "registered": ["tilmeldt", "registered"],
}
# The words a programme schedule (and a price list) writes for a session's audience and
# format, Danish and English -> the coded value (sessions.audience, sessions.format). Matched
# as status words are (fold_word, every ASCII spelling: "dogn", "doegn").
SESSION_WORDS = {
    "audience": {"intro": ["nyvalgte", "for nyvalgte", "intro", "introsession", "introduction",
                           "newly elected"],
                 "all": ["alle", "alle borgmestre", "all", "all mayors"]},
    "format": {"day": ["dag", "dagsession", "dagsmøde", "day", "day session"],
               "overnight": ["døgn", "døgnsession", "med overnatning", "overnatning",
                             "overnight", "overnight session"],
               "online": ["online", "onlinemøde", "onlinesession", "virtuel", "virtual"]},
}


# Words found in a status column that are no registration status: someone waiting for a
# place is not registered. Refused saying so ("venteliste er ikke en tilmeldingsstatus"),
# not as an unknown word.
NOT_STATUS_WORDS = ["venteliste", "på venteliste", "ventelisten", "waiting list", "waitlist",
                    "waitlisted", "reserve", "reserveplads", "afventer", "pending",
                    "interesseret", "interested"]


def _every_spelling(words: list[str]) -> list[str]:
    return list(dict.fromkeys(fold_word(s) for word in words for s in spellings(word)))


def status_aliases() -> dict[str, str]:
    """Every accepted status word (folded with fold_word) -> its code (attended, cancelled,
    no_show, registered)."""
    return {alias: status for status, words in STATUS_WORDS.items()
            for alias in _every_spelling(words)}


def not_status_aliases() -> list[str]:
    """Every spelling (folded with fold_word) of the NOT_STATUS_WORDS."""
    return _every_spelling(NOT_STATUS_WORDS)


def session_word_aliases(field: str) -> dict[str, str]:
    """Every accepted word (folded with fold_word) for a session's `field` ("audience" or
    "format") -> its code ('intro'/'all', 'day'/'overnight'/'online')."""
    return {alias: code for code, words in SESSION_WORDS[field].items()
            for alias in _every_spelling(words)}


YES_NO = {"ja": True, "j": True, "yes": True, "y": True, "true": True, "1": True, "x": True,
          "nej": False, "n": False, "no": False, "false": False, "0": False}


# --- Municipalities ----------------------------------------------------------------------

# The other names a municipality goes by (its official name is in municipalities.csv): the
# short forms people write for the long names (the seat of a double name, or its first half),
# names still in use from before, English, and the form without the genitive s of the two
# names stored with it (Nordfyns, Vesthimmerlands). Every name here is also accepted with a
# genitive s, "Kommune"/"Regionskommune" after it, and in every ASCII spelling.
OTHER_NAMES = {
    101: ["Kbh", "København K", "Copenhagen"],
    169: ["Taastrup"],
    173: ["Lyngby", "Kongens Lyngby", "Kgs. Lyngby"],
    260: ["Frederiksværk-Hundested"],       # its name in 2007
    430: ["Faaborg"],
    461: ["Odense C"],
    480: ["Nordfyn"],
    751: ["Århus", "Aarhus C"],
    756: ["Ikast"],
    760: ["Ringkøbing"],
    810: ["Brønderslev-Dronninglund"],      # its name until 2011
    820: ["Vesthimmerland"],
}


def accepted_forms(municipalities: list[tuple[int, str]]
                   ) -> Iterator[tuple[int, str, list[str]]]:
    """For each municipality (code, official name): (code, official name, the names it is
    accepted by as written: the official name, then OTHER_NAMES, each in every ASCII
    spelling). Case, separators, a genitive s and "Kommune" after any of them never matter
    (see `fold` and `municipality_forms`). The list the README shows."""
    for code, name in municipalities:
        forms: dict[str, None] = {}
        for written in [name, *OTHER_NAMES.get(code, [])]:
            for spelled in spellings(written):
                forms[_cased_like(spelled, written)] = None
        yield code, name, list(forms)


def other_names_table(municipalities: list[tuple[int, str]]) -> str:
    """The README's table of the names municipalities go by besides their official one
    (OTHER_NAMES), as Markdown: a header row, then '| 169 | Høje-Taastrup | Taastrup |' per
    municipality that has any, by code. tests/test_docs.py checks that the README shows it."""
    names = dict(municipalities)
    rows = [f"| {code} | {names[code]} | {', '.join(OTHER_NAMES[code])} |"
            for code in sorted(OTHER_NAMES) if code in names]
    return "\n".join(["| code | municipality | also written |", "|---|---|---|", *rows])


def _cased_like(spelled: str, written: str) -> str:
    """'hoeje-taastrup' in the case of 'Høje-Taastrup': 'Hoeje-Taastrup'."""
    return " ".join(_capitalised(word) for word in spelled.split(" ")) if written[:1].isupper() \
        else spelled


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def municipality_forms(municipalities: list[tuple[int, str]]) -> dict[str, tuple[int, ...]]:
    """Every accepted spelling (folded with `fold`) -> the code(s) it means: one, or several
    for an ambiguous one. A name as written (official or in OTHER_NAMES, with or without a
    genitive s) outranks an ASCII spelling of another name, so only spellings of equal rank
    make a form ambiguous; such a form is refused naming its candidates."""
    best: dict[str, tuple[int, set[int]]] = {}
    for code, name in municipalities:
        for written in [name, *OTHER_NAMES.get(code, [])]:
            for spelled in spellings(written):
                rank = 0 if spelled == written.lower() else 1
                for form in (fold(spelled), fold(spelled) + "s"):  # "Københavns Kommune"
                    held_rank, codes = best.get(form, (rank, set()))
                    if rank < held_rank:
                        held_rank, codes = rank, set()
                    if rank == held_rank:
                        codes.add(code)
                    best[form] = (held_rank, codes)
    return {form: tuple(sorted(codes)) for form, (_, codes) in best.items()}


def municipality_aliases(municipalities: list[tuple[int, str]]) -> dict[str, int]:
    """Every accepted, unambiguous spelling (folded with `fold`) -> its code."""
    return {form: codes[0] for form, codes in municipality_forms(municipalities).items()
            if len(codes) == 1}


def fold_header(text: str) -> str:
    """'Tilmeldings-ID ' -> 'tilmeldingsid': case, spaces, '-', '_' and '.' do not matter."""
    return re.sub(r"[\s\-_.]+", "", text.strip().lower())
