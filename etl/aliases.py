"""The many ways KL's exports and Excel name the same thing: headers, statuses, municipalities.

Every spelling is folded by one normaliser (`fold` in Python, `FOLD_SQL` in DuckDB, kept
identical) and looked up in a table of aliases, so "Københavns Kommune", "KØBENHAVN" and
"0101" all land on 101.
"""

from __future__ import annotations

import re

# Canonical field -> the header names it may go by (folded: case, spaces, '-', '_' ignored).
REGISTRATION_HEADERS = {
    "registration_id": ["registration id", "registration_id", "tilmeldings-id", "tilmeldingsid",
                        "tilmelding id", "id"],
    "session": ["session", "session id", "session_id", "sessions-id", "sessionsdato",
                "session dato", "dato", "date"],
    "municipality": ["kommune", "municipality", "kommunekode", "kommune kode",
                     "municipality code", "kommune_code", "kommunenavn"],
    "name": ["navn", "name", "borgmester", "mayor", "deltager", "participant"],
    "registered_at": ["tilmeldt", "registered at", "registered_at", "tilmeldt den",
                      "tilmeldingsdato", "registration date"],
    "status": ["status"],
    "price": ["pris", "price", "pris ex moms", "pris ekskl. moms", "pris ekskl moms",
              "price ex vat", "price_ex_vat", "beløb", "amount"],
    "invoiced_at": ["faktureret", "invoiced at", "invoiced_at", "faktureret den",
                    "fakturadato", "invoice date"],
}
REGISTRATION_REQUIRED = ("session", "municipality", "name", "registered_at", "status")

MAYOR_HEADERS = {
    "municipality": REGISTRATION_HEADERS["municipality"],
    "name": ["navn", "name", "borgmester", "mayor"],
    "party": ["parti", "party"],
    "term_start": ["tiltrådt", "tiltraadt", "term start", "term_start", "fra", "start"],
    "term_end": ["fratrådt", "fratraadt", "term end", "term_end", "til", "slut", "end"],
    "newly_elected": ["nyvalgt", "newly elected", "newly_elected", "ny"],
}
MAYOR_REQUIRED = ("municipality", "name", "term_start", "newly_elected")

# Danish and English status words -> the coded value (folded).
STATUS_ALIASES = {
    "tilmeldt": "registered", "registered": "registered",
    "afmeldt": "cancelled", "cancelled": "cancelled", "canceled": "cancelled",
    "aflyst": "cancelled",
    "deltaget": "attended", "attended": "attended", "mødt": "attended", "mødt op": "attended",
    "udeblevet": "no_show", "no_show": "no_show", "no show": "no_show", "no-show": "no_show",
    "noshow": "no_show", "ikke mødt": "no_show",
}
YES_NO = {"ja": True, "j": True, "yes": True, "y": True, "true": True, "1": True, "x": True,
          "nej": False, "n": False, "no": False, "false": False, "0": False}

# Long-standing alternative spellings that the aa/å rule alone does not produce.
EXTRA_NAMES = {751: ["århus"], 461: ["odense c"], 101: ["københavn k", "kbh", "kbh."]}


def fold_header(text: str) -> str:
    """'Tilmeldings-ID ' -> 'tilmeldingsid': case, spaces, '-', '_' and '.' do not matter."""
    return re.sub(r"[\s\-_.]+", "", text.strip().lower())


def fold(text: str) -> str:
    """Fold a municipality name: case, spacing, hyphens and a trailing '(regions)kommune'."""
    folded = re.sub(r"[\s\-]+", " ", text.strip().lower())
    return re.sub(r" ?(regions)?kommune$", "", folded).strip()


# The same folding in DuckDB SQL; `{x}` is the column expression.
FOLD_SQL = ("trim(regexp_replace(regexp_replace(lower(trim({x})), '[\\s\\-]+', ' ', 'g'), "
            "' ?(regions)?kommune$', ''))")


def municipality_aliases(municipalities: list[tuple[int, str]]) -> dict[str, int]:
    """Every accepted spelling (folded) of each municipality -> its code."""
    aliases: dict[str, int] = {}
    for code, name in municipalities:
        base = fold(name)
        spellings = {base, base.replace("aa", "å"), base.replace("å", "aa")}
        spellings |= {fold(extra) for extra in EXTRA_NAMES.get(code, [])}
        for spelling in list(spellings):
            spellings.add(spelling + "s")  # the genitive: "Københavns Kommune"
        for spelling in spellings:
            aliases.setdefault(spelling, code)
    return aliases


def header_map(headers: list[str], known: dict[str, list[str]]) -> dict[str, int]:
    """Canonical field -> column index, for the headers that are recognised."""
    lookup = {fold_header(alias): field for field, names in known.items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = lookup.get(fold_header(header or ""))
        if field and field not in found:
            found[field] = index
    return found


def header_score(cells: list[str]) -> float:
    """How much a row looks like a header: the number of its cells that name a known column
    of a registration export or a mayor list (REGISTRATION_HEADERS, MAYOR_HEADERS), folded as
    header_map folds them. The reader (etl.readers.stage_file) takes the best of a file's
    first rows as its header, so title rows above it are passed over."""
    return float(sum(fold_header(cell or "") in _KNOWN_HEADERS for cell in cells))


_KNOWN_HEADERS = frozenset(fold_header(alias) for known in (REGISTRATION_HEADERS, MAYOR_HEADERS)
                           for names in known.values() for alias in names)
