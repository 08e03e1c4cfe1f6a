"""Every table column declared once: its kind (what its values are and how they read).

A column's header is its `col.<key>` text in the catalogue (dashboard/i18n.py), in the
reader's language; its kind says how its values show on a page ("Vis som tabel", the page
tables) and in a file (dashboard.xlsx number formats, CSV), so the screen and the download
say the same thing:

    count   whole numbers             5.300          XLSX #,##0
    kr      money, Danish kroner      5.300 kr.      XLSX #,##0 "kr."
    share   a share 0–1, shown as %   70,0 %         XLSX 0.0% (the cell holds 0.7)
    km      kilometres                312            XLSX #,##0
    date    a day                     5. dec. 2022   XLSX a date cell, dd-mm-yyyy
    label   a code named in words     Døgnsession    text (dashboard.figures' labels)
    yesno   true or false             ja / nej       text
    text    text as it is                            text

`shown(frame)` turns a table's data into what a reader sees: codes as their words, days as
dates, numbers left numbers (the formats above do the rest), and a total row where the
table declares one.

A column may also lead somewhere (LINKS): a session's date or name to the session's page, a
municipality's name to its page. The link is beside the value, not a kind of its own, so the
value keeps its kind: on a page it is a link, in a file it is what it was (a date cell, the
name as text), since a file has no app to lead into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import pandas as pd

from dashboard import figures, formatting
from dashboard.i18n import CATALOGUE, t

KINDS = ("count", "kr", "share", "km", "date", "label", "yesno", "text")

# key -> kind. A column a table shows and this does not name reads by its values' type
# (kind_of); tests/test_export_tables.py holds every registered table's columns to this list.
COLUMNS: dict[str, str] = {
    **dict.fromkeys(("registered", "attended", "no_show", "cancelled", "municipalities",
                     "population", "sessions_offered", "sessions_registered",
                     "sessions_attended", "mayors_in_office", "sessions", "registrations",
                     "cancellations_billed", "registrations_price_unknown", "attendances",
                     "days_before", "cumulative", "rank", "sessions_no_show",
                     "sessions_pending", "pending", "registered_only", "session_number",
                     "months_in"), "count"),
    **dict.fromkeys(("list_price_ex_vat", "revenue_ex_vat", "vat", "revenue_incl_vat",
                     "invoiced_ex_vat", "outstanding_ex_vat", "invoiced_incl_vat",
                     "outstanding_incl_vat", "booked_ex_vat", "booked_incl_vat"), "kr"),
    **dict.fromkeys(("share_attended", "share_registered", "share_of_mayors",
                     "share_of_attendances"), "share"),
    **dict.fromkeys(("avg_travel_km", "total_travel_km", "avg_km", "total_km"), "km"),
    **dict.fromkeys(("day", "date", "starts_at", "last_attended_at", "registered_at"), "date"),
    **dict.fromkeys(("format", "audience", "status", "cohort", "path"), "label"),
    **dict.fromkeys(("venue_is_demo", "newly_elected", "best", "demo_venue"), "yesno"),
    **dict.fromkeys(("session", "municipality", "region", "venue", "city", "mayor", "party",
                     "programme_id", "programme_title"), "text"),
}

# The words a coded column's values are shown in (the words on the charts and pages).
LABELS = {"format": figures.FORMAT_LABELS, "audience": figures.AUDIENCE_LABELS,
          "status": figures.STATUS_LABELS, "cohort": figures.COHORT_LABELS,
          "path": figures.PATH_LABELS}


def municipality_href(kommune_code: int) -> str:
    """The municipality's own page: /kommuner/621."""
    return f"/kommuner/{int(kommune_code)}"


def session_href(session_id: str) -> str:
    """The session's own page: /sessioner/LKS2026-DEMO-01 (the id quoted for a path)."""
    return f"/sessioner/{quote(str(session_id), safe='')}"


# Shown column -> (the key column its address is made from, the address): where a table's
# rows carry that key (a query's session_id, kommune_code), the column leads to the page of
# its session or municipality. Every table made by `shown` links the same columns alike.
LINKS: dict[str, tuple[str, Callable[[object], str]]] = {
    "session": ("session_id", session_href),
    "starts_at": ("session_id", session_href),
    "municipality": ("kommune_code", municipality_href),
}

# Kinds a total row adds up; the others, and the columns whose sum means nothing (a price, a
# rank, a day count), are left empty in it.
SUMMED = ("count", "kr", "km")
NOT_SUMMED = frozenset({"list_price_ex_vat", "rank", "days_before", "session_number",
                        "months_in", "avg_travel_km", "avg_km"})
# Where a table carries money both ex and incl. VAT, it shows the one its page shows.
_VAT_PAIRS = ("revenue", "invoiced", "outstanding", "booked")


def kind_of(key: str, series: pd.Series | None = None) -> str:
    """The declared kind of column `key`; an undeclared one (the matrix's session columns)
    by its values' type."""
    if key in COLUMNS:
        return COLUMNS[key]
    if series is not None:
        if pd.api.types.is_datetime64_any_dtype(series):
            return "date"
        if pd.api.types.is_bool_dtype(series):
            return "yesno"
        if pd.api.types.is_numeric_dtype(series):
            return "count"
    return "text"


def header(key: str) -> str:
    """Column `key`'s header in the reader's language (`col.<key>`); a column named by its
    own words (the matrix's sessions) as it is."""
    return t(f"col.{key}") if f"col.{key}" in CATALOGUE else key


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def text_of(kind: str) -> Callable[[object], str]:
    """How a value of `kind` reads on a page (a shown value: labels already words)."""
    def guard(fmt):
        # Text in a column of numbers or days is the total row's "I alt": said as it is.
        return lambda v: "–" if _missing(v) else v if isinstance(v, str) else fmt(v)

    return guard({"count": formatting.number, "kr": formatting.kroner,
                  "share": formatting.percent, "km": formatting.number,
                  "date": formatting.short_date,
                  "yesno": lambda v: v if isinstance(v, str) else t("yes" if v else "no"),
                  }.get(kind, str))


@dataclass(frozen=True)
class ShownTable:
    """A table as a reader sees it: `frame` with the data's column keys, values as shown
    (labels in words, days as datetime.date, numbers as numbers), each column's `kinds`
    and `headers`; with a total row last when `has_total`. `links`: for a column that
    leads somewhere (LINKS), each row's address (None: the row leads nowhere, as the total
    row); a page shows those values as links, a file as they are."""

    frame: pd.DataFrame
    kinds: dict[str, str]
    headers: dict[str, str]
    has_total: bool = False
    links: dict[str, list[str | None]] = field(default_factory=dict)


def for_vat(frame: pd.DataFrame, incl_vat: bool) -> pd.DataFrame:
    """`frame` with the money its page shows: ex VAT, or incl. VAT (and the VAT itself)."""
    drop = []
    for name in _VAT_PAIRS:
        ex, incl = f"{name}_ex_vat", f"{name}_incl_vat"
        if ex in frame.columns and incl in frame.columns:
            drop.append(ex if incl_vat else incl)
    if not incl_vat and "vat" in frame.columns:
        drop.append("vat")
    return frame.drop(columns=drop)


def links_of(frame: pd.DataFrame, keys: pd.DataFrame | None = None) -> dict[str, list]:
    """Each LINKS column of `frame` whose key column is in `keys` (default: `frame` itself,
    the same rows in the same order): every row's address, None where the key is missing."""
    keys = frame if keys is None else keys
    return {column: [None if _missing(k) else href(k) for k in keys[key].tolist()]
            for column, (key, href) in LINKS.items()
            if column in frame.columns and key in keys.columns}


def keys_by_value(frame: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """For a table of its own shape made from `data` (the matrix: a row per municipality,
    a column per session), its rows' key columns (LINKS), row for row: each LINKS column of
    `frame` given the key `data` pairs its value with (a municipality's name, its
    kommune_code), so the table leads where the same value leads elsewhere. A value `data`
    pairs with more than one key, or with none, leads nowhere."""
    keys = pd.DataFrame(index=frame.index)
    for column, (key, _href) in LINKS.items():
        if column not in frame.columns or column not in data.columns \
                or key not in data.columns:
            continue
        pairs = data[[column, key]].dropna().drop_duplicates()
        single = pairs[~pairs[column].duplicated(keep=False)]
        keys[key] = frame[column].map(dict(zip(single[column], single[key], strict=True)))
    return keys


def shown(frame: pd.DataFrame, total: bool = False,
          keep: Iterable[str] | None = None, keys: pd.DataFrame | None = None) -> ShownTable:
    """`frame` (a table's rows: dashboard.charts' table_frame or a page table's query) as a
    reader sees it; `keep`: only those columns, in that order; `total`: a total row added
    (counts, kroner and km summed, the first text column saying "I alt"); `keys`: the rows'
    key columns (session_id, kommune_code) where `frame` has left them out, row for row,
    for its links (LINKS)."""
    links = links_of(frame if keep is None else frame[[c for c in keep if c in frame.columns]],
                     frame if keys is None else keys)
    if keep is not None:
        frame = frame[[c for c in keep if c in frame.columns]]
    kinds = {c: kind_of(c, frame[c]) for c in frame.columns}
    out = pd.DataFrame(index=frame.index)
    for column, kind in kinds.items():
        series = frame[column]
        if kind == "label" and column in LABELS:
            words = LABELS[column]
            out[column] = series.map(lambda v, w=words: w.get(v, v) if not _missing(v) else v)
        elif kind == "date":
            out[column] = series.map(_day).astype(object)
        elif kind == "yesno":
            out[column] = series.map(lambda v: None if _missing(v)
                                     else t("yes" if v else "no"))
        elif kind in ("count", "kr") and _whole(series):
            out[column] = series.astype("Int64")  # 147, not 147,0 (a sum in SQL is a float)
        else:
            out[column] = series
    out = out.reset_index(drop=True)
    if total and len(out):
        out = pd.concat([out, pd.DataFrame([_total_row(out, kinds)])], ignore_index=True)
        links = {column: [*hrefs, None] for column, hrefs in links.items()}
    return ShownTable(out, kinds, {c: header(c) for c in out.columns}, total and len(out) > 0,
                      links)


def _whole(series: pd.Series) -> bool:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    present = series.dropna()
    return bool((present == present.round()).all())


def _day(value) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    return value


def _total_row(frame: pd.DataFrame, kinds: dict[str, str]) -> dict:
    row: dict[str, object] = {c: None for c in frame.columns}
    label_at = next((c for c, k in kinds.items() if k in ("text", "label", "date")), None)
    for column, kind in kinds.items():
        if kind in SUMMED and column not in NOT_SUMMED:
            total = pd.to_numeric(frame[column], errors="coerce").sum()
            row[column] = total.item() if hasattr(total, "item") else total
    if label_at is not None:
        row[label_at] = t("table.total")
    return row
