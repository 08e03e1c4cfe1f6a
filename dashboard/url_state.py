"""The view in the address: every parameter of the URL's query declared once, and the pure
encoding of a view's state to a query and back.

A state is a plain dict {field: value} (JSON-able, as Dash stores and callbacks pass it):
a "one" parameter's value is a str or None, a "many" parameter's a list (empty: no
narrowing, i.e. all). `decode` never raises: unknown parameters and values that are not
allowed are dropped, and what is left falls back to its default. `encode` writes only what
differs from the defaults, so a link stays short and an unfiltered view is its bare path.

Values a parameter allows are either declared here (`allowed`) or known only to the app
(the programmes and sessions in the database, the charts on a page): those parameters
declare a `pattern` a value must match, and `decode`/`encode` take the app's list through
`choices`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

# DST's region codes (Danmarks Statistik, "regioner"): the municipalities table names them.
REGIONS = {
    1081: "Region Nordjylland",
    1082: "Region Midtjylland",
    1083: "Region Syddanmark",
    1084: "Region Hovedstaden",
    1085: "Region Sjælland",
}
REGION_CODES = {name: code for code, name in REGIONS.items()}
MAX_QUERY = 2000   # characters of a query read at all; the rest is not a view of ours


@dataclass(frozen=True)
class Param:
    """One query parameter.

    name: its key in the URL (Danish, as a reader sees it); field: its key in a state;
    many: a comma-separated list (else one value); kind: str or int; default: its value
    when absent; allowed: the values it may take, in their canonical order (None: given by
    the app through `choices`, each matching `pattern`); doc: what it holds (README).
    """

    name: str
    field: str
    many: bool
    kind: type
    default: Any
    allowed: tuple | None
    doc: str
    pattern: str = r"[A-Za-z0-9_.-]{1,64}"

    def parse(self, text: str, choices: Iterable | None) -> Any:
        """One value from its text, or None when it is not one this parameter takes."""
        text = text.strip()
        if self.kind is int:
            if not re.fullmatch(r"\d{1,6}", text):
                return None
            value: Any = int(text)
        else:
            if not re.fullmatch(self.pattern, text):
                return None
            value = text
        known = self.allowed if self.allowed is not None else choices
        if known is not None and value not in set(known):
            return None
        return value

    def order(self, values: Iterable, choices: Iterable | None) -> list:
        """`values` without repeats, in the canonical order (allowed or choices), else as
        given."""
        unique = list(dict.fromkeys(values))
        known = self.allowed if self.allowed is not None else choices
        if known is None:
            return unique
        rank = {v: i for i, v in enumerate(known)}
        return sorted(unique, key=lambda v: rank.get(v, len(rank)))


# Every parameter, in the order a query writes them.
PARAMS: tuple[Param, ...] = (
    Param("program", "programme", False, str, None, None,
          "the programme's id (default: the newest programme)"),
    Param("regioner", "regions", True, int, [], tuple(REGIONS),
          "regions by DST code, comma-separated; absent: every region"),
    Param("typer", "formats", True, str, [], ("day", "overnight", "online"),
          "session types; absent: all"),
    Param("maalgrupper", "audiences", True, str, [], ("intro", "all"),
          "audiences; absent: both"),
    Param("aar", "years", True, int, [], tuple(range(2000, 2101)),
          "calendar years of the sessions; absent: all"),
    Param("moms", "vat", False, str, "ex", ("ex", "incl"),
          "amounts ex or incl. VAT (Økonomi)"),
    Param("tabel", "tables", True, str, [], None,
          "charts shown as a table (\"Vis som tabel\"), by their id"),
    Param("session", "session", False, str, None, None,
          "the session chosen on Planlægning"),
    Param("kommune", "municipality", False, int, None, None,
          "the municipality picked on Kommuner, by its DST code (e.g. `101`, København)"),
)
BY_NAME = {p.name: p for p in PARAMS}
BY_FIELD = {p.field: p for p in PARAMS}
# The filter bar's parameters: they apply across pages and travel with the navigation.
SHARED = ("programme", "regions", "formats", "audiences", "years")
FILTERS = ("regions", "formats", "audiences", "years")
# What "Nulstil filtre" leaves in the address where the page shows it: the municipality
# picked on Kommuner is what a reader is looking at, not a filter (its mayors and their
# status at every session are drawn whatever the bar's ticks), so putting the filters back
# keeps it in view. Everything else goes back to its default.
KEPT_ON_RESET = ("municipality",)
# Which of the bar's filters each page's numbers take, by page name (dash.register_page's
# name, dashboard.charts' Chart.page): the bar shows these there and notes the others
# (dashboard.filter_bar), a page's view draws with them, and every export and the report
# apply and state exactly these for that page's charts (dashboard.export). A page not named
# takes none. Fastholdelse leaves out the audience: its charts are the split into intro
# and joint sessions itself (re-elected mayors are not invited to intro sessions).
PAGE_FILTERS: dict[str, tuple[str, ...]] = {
    "Overblik": FILTERS,
    "Kommuner": FILTERS,
    "Fastholdelse": ("regions", "formats", "years"),
    "Økonomi": FILTERS,
    "Geografi": FILTERS,
}


def defaults() -> dict[str, Any]:
    """Every field at its default (lists fresh, so a caller may change them)."""
    return {p.field: list(p.default) if p.many else p.default for p in PARAMS}


def decode(query: str | Mapping[str, Any] | None,
           choices: Mapping[str, Iterable] | None = None) -> dict[str, Any]:
    """The state a query names: `query` as text ("?a=1&b=2" or without "?") or as Dash
    pages pass it ({name: text}). Unknown names and values not allowed are dropped; a
    field left with nothing takes its default. `choices`: {field: values} the app allows
    for fields declared without `allowed` (or to narrow those declared). Never raises."""
    choices = choices or {}
    state = defaults()
    for name, texts in _pairs(query).items():
        param = BY_NAME.get(name)
        if param is None:
            continue
        allowed = choices.get(param.field)
        if param.many:
            parts = [part for text in texts for part in text.split(",")]
            values = [v for v in (param.parse(p, allowed) for p in parts) if v is not None]
            if values:
                state[param.field] = param.order(values, allowed)
        else:
            value = param.parse(texts[-1], allowed) if texts else None
            if value is not None:
                state[param.field] = value
    return state


def encode(state: Mapping[str, Any], choices: Mapping[str, Iterable] | None = None,
           only: Iterable[str] | None = None) -> str:
    """The query for `state` ("?program=X&regioner=1084", or "" when every field is at its
    default): fields at their default and values not allowed are left out. `only`: the
    fields to write (default: all). Decoding the result gives `state` back."""
    choices = choices or {}
    wanted = set(only) if only is not None else None
    pairs = []
    for param in PARAMS:
        if wanted is not None and param.field not in wanted:
            continue
        allowed = choices.get(param.field)
        value = state.get(param.field)
        if param.many:
            values = [v for v in (param.parse(str(x), allowed) for x in value or ())
                      if v is not None]
            values = param.order(values, allowed)
            if values and values != list(param.default):
                pairs.append((param.name, ",".join(str(v) for v in values)))
        else:
            parsed = param.parse(str(value), allowed) if value is not None else None
            if parsed is not None and parsed != param.default:
                pairs.append((param.name, str(parsed)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def _pairs(query: str | Mapping[str, Any] | None) -> dict[str, list[str]]:
    """{name: [text, ...]} from a query in either form; nothing from anything else."""
    if query is None:
        return {}
    if isinstance(query, Mapping):
        return {str(k): [str(x) for x in (v if isinstance(v, list | tuple) else [v])]
                for k, v in query.items() if isinstance(k, str)}
    if not isinstance(query, str):
        return {}
    return parse_qs(query[:MAX_QUERY].removeprefix("?"), keep_blank_values=False)


def readme_table() -> str:
    """The README's table of the parameters ("Sharing a view"), from their declarations
    (tests/test_docs.py holds the README to it)."""
    rows = ["| parameter | holds | default | values |", "|---|---|---|---|"]
    for p in PARAMS:
        default = ("–" if p.default in (None, []) else f"`{p.default}`")
        if p.allowed is None:
            values = "as the app knows them"
        elif p.field == "years":
            values = f"{p.allowed[0]}–{p.allowed[-1]}"
        else:
            values = ", ".join(f"`{v}`" for v in p.allowed)
        rows.append(f"| `{p.name}` | {p.doc} | {default} | {values} |")
    return "\n".join(rows)
