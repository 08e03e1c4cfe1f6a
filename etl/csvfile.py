"""Read a small, strictly typed CSV file, reporting every bad cell by file, line and column."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from etl.errors import ReasonedValueError, SourceError, SourceProblem, display_path

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """A column a file must have: how to parse it, and whether it may be empty."""

    name: str
    parse: Parser
    required: bool = True


def read_typed_csv(path: Path, columns: list[Column]) -> list[dict[str, Any]]:
    """Rows of `path` as dicts of parsed values; raises SourceError listing every bad cell.

    Empty cells in optional columns become None. The header is line 1.
    """
    shown = display_path(path)
    problems: list[SourceProblem] = []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c.name for c in columns if c.name not in header]
        if missing:
            raise SourceError([SourceProblem(
                shown, 1, ", ".join(missing),
                "column_missing", {"expected": ", ".join(c.name for c in columns)})])
        for raw in reader:
            line = reader.line_num
            if None in raw:  # more cells than header names
                problems.append(SourceProblem(shown, line, None,
                                              "field_count",
                                              {"fields": len(header) + len(raw[None]),
                                               "header": len(header)}))
                continue
            row: dict[str, Any] = {}
            for column in columns:
                text = (raw.get(column.name) or "").strip()
                if not text:
                    if column.required:
                        problems.append(SourceProblem(shown, line, column.name,
                                                      "value_missing"))
                    row[column.name] = None
                    continue
                try:
                    row[column.name] = column.parse(text)
                except ReasonedValueError as exc:
                    problems.append(SourceProblem(shown, line, column.name, exc.code,
                                                  exc.params, text))
            row["_line"] = line
            rows.append(row)
    if problems:
        raise SourceError(problems)
    return rows


# Parsers: each raises ReasonedValueError (a ValueError) with a reason that says how to write
# the value.

def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ReasonedValueError("integer_invalid") from None


def parse_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ReasonedValueError("number_invalid") from None


def parse_money(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ReasonedValueError("money_invalid") from None
    if value < 0:
        raise ReasonedValueError("money_negative")
    return value


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReasonedValueError("iso_date_invalid") from None


def parse_timestamp(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ReasonedValueError("timestamp_invalid") from None


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in {"true", "ja", "1"}:
        return True
    if lowered in {"false", "nej", "0"}:
        return False
    raise ReasonedValueError("bool_invalid")


def one_of(*allowed: str) -> Parser:
    def parse(text: str) -> str:
        if text not in allowed:
            raise ReasonedValueError("value_not_allowed", allowed=", ".join(allowed))
        return text
    return parse


def text(value: str) -> str:
    return value
