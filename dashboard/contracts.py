"""The column contracts of dashboard.queries and dashboard.figures, read from their docstrings.

Written once per function, in its docstring, for the reader and for tests/test_contracts.py:

- a query returning a DataFrame lists its columns, in the order returned, under `Columns:`;
- a function returning anything else says what under `Returns:` (a dataclass by its name,
  whose own docstring lists its fields under `Fields:`);
- a figure lists the columns it reads from each DataFrame argument under `Needs <argument>:`.

One line a column, indented under its heading:

    name (unit) — meaning

where the unit is one of UNITS. The test holds every query's returned columns to its list
exactly (order included) and draws every figure from frames with exactly the listed columns.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

# The units a column may be given, and what each means. Money is Danish kroner; times are
# Danish local time as stored (no zone), as everywhere in the schema.
UNITS = {
    "id": "an identifier, as stored (a session, programme, mayor or import run)",
    "kommune code": "Danmarks Statistik's three-digit municipality code",
    "code": "a coded value of the schema (format, audience, status, cohort, path, outcome)",
    "text": "text as stored (a name, title, party, city, message)",
    "yes/no": "true or false",
    "count": "a whole number of registrations, sessions, mayors or rows",
    "people": "inhabitants",
    "share 0–1": "a fraction from 0 to 1 (shown as a percentage)",
    "kr. ex VAT": "Danish kroner excluding VAT",
    "kr. incl. VAT": "Danish kroner including VAT",
    "kr. VAT": "the VAT itself, in Danish kroner",
    "km": "kilometres in a straight line (haversine)",
    "degrees": "WGS 84 latitude or longitude",
    "date": "a calendar day (in a DataFrame: a Timestamp at midnight)",
    "timestamp, local time": "date and time of day, Danish local time, no zone",
    "days": "whole days",
    "months": "whole calendar months",
    "position": "a place in an order, 1 = first",
    "weight": "a relative weight (expected participants a town hall stands for)",
}

HEADING = re.compile(r"^(Columns|Fields|Returns|Needs (\w+)):\s*(.*)$")
ENTRY = re.compile(r"^\s+(\w+) \(([^)]+)\) — (\S.*)$")


class ContractError(ValueError):
    """A docstring's contract is missing or malformed."""


def sections(obj: Callable | type) -> dict[str, list[tuple[str, str, str]]]:
    """The contract sections of a function's or class's docstring.

    Returns {heading: [(name, unit, meaning), ...]}, the heading being "Columns", "Fields",
    "Returns" or "Needs <argument>"; a Returns section holds its text as one entry
    ("", "", text). A list runs from its heading to the next blank line. Raises ContractError
    for a line in a list that is not an indented entry, an unknown unit, or a name given
    twice."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    current: list | None = None
    for line in (inspect.getdoc(obj) or "").splitlines():
        heading = HEADING.match(line)
        if heading:
            key = heading.group(1)
            if key in found:
                raise ContractError(f"{obj.__qualname__}: {key} given twice")
            current = found[key] = []
            if key == "Returns":
                current.append(("", "", heading.group(3)))
                current = None
            continue
        if current is None:
            continue
        if not line.strip():
            current = None  # a blank line ends the list
            continue
        entry = ENTRY.match(line)
        if not entry:
            raise ContractError(f"{obj.__qualname__}: not 'name (unit) — meaning': {line!r}")
        name, unit, meaning = entry.groups()
        if unit not in UNITS:
            raise ContractError(f"{obj.__qualname__}: {name}: unknown unit {unit!r} "
                                f"(one of {', '.join(UNITS)})")
        if any(name == other for other, _, _ in current):
            raise ContractError(f"{obj.__qualname__}: {name} listed twice")
        current.append((name, unit, meaning))
    return found


def columns(query: Callable) -> tuple[str, ...]:
    """The columns a query documents under `Columns:`, in order; ContractError if none."""
    listed = sections(query).get("Columns")
    if not listed:
        raise ContractError(f"{query.__qualname__}: no 'Columns:' section")
    return tuple(name for name, _, _ in listed)


def fields(cls: type) -> tuple[str, ...]:
    """The fields a dataclass documents under `Fields:`, in order; ContractError if none."""
    listed = sections(cls).get("Fields")
    if not listed:
        raise ContractError(f"{cls.__qualname__}: no 'Fields:' section")
    return tuple(name for name, _, _ in listed)


def needs(figure: Callable) -> dict[str, tuple[str, ...]]:
    """The columns a figure documents it reads, by argument: {argument: (column, ...)}."""
    return {key.removeprefix("Needs "): tuple(name for name, _, _ in listed)
            for key, listed in sections(figure).items() if key.startswith("Needs ")}


def returns(function: Callable) -> str | None:
    """What a function documents under `Returns:` (None without that section)."""
    listed = sections(function).get("Returns")
    return listed[0][2] if listed else None
