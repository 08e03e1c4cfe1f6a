"""The many ways KL's exports and Excel name the same thing: headers, statuses, municipalities.

Every spelling is folded by one normaliser (`fold` in Python, `FOLD_SQL` in DuckDB, kept
identical) and looked up in a table of aliases, so "Københavns Kommune", "KØBENHAVN" and
"0101" all land on 101.
"""

from __future__ import annotations

import re

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


# Each kind's fields and their header names are declared once, in etl.kinds; older code
# imported them from here as dictionaries (field -> header names), which these names still
# give. Looked up when asked for, as etl.kinds itself uses this module's fold_header.
_FROM_KINDS = {
    "REGISTRATION_HEADERS": lambda k: {f.name: list(f.headers) for f in k.REGISTRATIONS.fields},
    "REGISTRATION_REQUIRED": lambda k: tuple(f.name for f in k.REGISTRATIONS.fields
                                             if f.required),
    "MAYOR_HEADERS": lambda k: {f.name: list(f.headers) for f in k.MAYORS.fields},
    "MAYOR_REQUIRED": lambda k: tuple(f.name for f in k.MAYORS.fields if f.required),
}


def __getattr__(name: str):
    if name in _FROM_KINDS:
        from etl import kinds

        return _FROM_KINDS[name](kinds)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
