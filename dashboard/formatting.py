"""Numbers and dates in the reader's language: 5.300 kr., 12,5 %, 5. dec. 2022 in Danish;
DKK 5,300, 12.5%, 5 Dec 2022 in English. Outside a request (the CLI, exports) Danish."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from dashboard.i18n import language

LOCALES = {"da": "da_DK", "en": "en_GB"}
LOCALE = LOCALES["da"]
# plotly's layout.separators: decimal mark, then thousands separator.
SEPARATORS = {"da": ",.", "en": ".,"}


@functools.lru_cache(maxsize=65536)
def _decimal(value: float | int | Decimal, pattern: str, locale: str) -> str:
    # Babel takes some 40 µs a number; a page of tables formats the same few hundred values
    # again and again.
    return format_decimal(value, pattern, locale=locale)


def kroner(amount: float | Decimal | None) -> str:
    """5300 -> '5.300 kr.' (English: 'DKK 5,300')"""
    digits = _decimal(amount or 0, "#,##0", LOCALES[language()])
    return f"DKK {digits}" if language() == "en" else f"{digits} kr."


def number(value: float | int | None, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _decimal(value or 0, pattern, LOCALES[language()])


def percent(share: float | None, decimals: int = 1) -> str:
    """0.125 -> '12,5 %' (English: '12.5%')"""
    if share is None:
        return "–"
    return f"{number(share * 100, decimals)}{'%' if language() == 'en' else ' %'}"


def short_date(day: dt.date | dt.datetime | None) -> str:
    """2022-12-05 -> '5. dec. 2022' (English: '5 Dec 2022')"""
    if day is None:
        return "–"
    if isinstance(day, dt.datetime):
        day = day.date()  # only the day is shown: one cache entry per day, not per instant
    lang = language()
    return _date(day, "d MMM y" if lang == "en" else "d. MMM y", LOCALES[lang])


def month_year(day: dt.date | dt.datetime) -> str:
    """2022-12-01 -> 'dec. 2022' (English: 'Dec 2022'): a date axis's tick."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return _date(day, "MMM y", LOCALES[language()])


@functools.lru_cache(maxsize=16384)
def _date(day: dt.date, pattern: str, locale: str) -> str:
    # As _decimal: Babel takes some 50 µs a date, and a planning page's tables show hundreds.
    return format_date(day, pattern, locale=locale)


def separators() -> str:
    return SEPARATORS[language()]


# plotly.js's own "da" locale has no number separators and config={"locale": "da"} alone
# silently stays English offline (and kaleido's and the report's Chromium have no Danish at
# all), so the locale is passed inline in plotly's config: on the pages
# (dashboard.components), in exported images (dashboard.export.Renderer) and in the PDF
# report's page (dashboard.report_pdf). No CDN, no extra asset.
DANISH_LOCALE = {
    "moduleType": "locale",
    "name": "da",
    "dictionary": {
        "Download plot as a png": "Hent grafen som PNG",
        "Download plot": "Hent grafen",
        "Zoom": "Zoom", "Pan": "Panorer", "Reset axes": "Nulstil akser",
        "Zoom in": "Zoom ind", "Zoom out": "Zoom ud", "Autoscale": "Autoskaler",
        "Reset view": "Nulstil visning", "Box Select": "Vælg med boks",
        "Lasso Select": "Vælg med lasso",
    },
    "format": {
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                   "september", "oktober", "november", "december"],
        "shortMonths": ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.",
                        "sep.", "okt.", "nov.", "dec."],
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
    },
}


def plotly_locale(lang: str | None = None) -> dict:
    """plotly.js config keys drawing dates (month and day names) in `lang` (default: the
    reader's language): {"locale": "da", "locales": {"da": DANISH_LOCALE}}, or English."""
    lang = lang or language()
    return {"locale": "da", "locales": {"da": DANISH_LOCALE}} if lang == "da" else {"locale": "en"}


# Danish alphabetical order, the one sort key every Python sort of names uses; in SQL the same
# order is `COLLATE da` (DuckDB's ICU), and tests/test_chart_honesty.py holds the two to
# the same order of the 98 municipalities. The Danish alphabet ends ... x y z æ ø å, and "aa"
# is read as å (Aabenraa and Aarhus after Ærø and Ørsted). Other accents are ignored
# (é as e), case only breaks ties. PyICU would do this too, but needs a compiler and ICU's
# headers to install; these are the rules names here need.
_LAST_LETTERS = str.maketrans({"æ": "\u007b", "ä": "\u007b", "ø": "\u007c", "ö": "\u007c",
                               "å": "\u007d"})  # {, |, }: the code points after z


@functools.lru_cache(maxsize=4096)
def danish_key(text: str) -> tuple[str, str]:
    """A sort key putting `text` in Danish alphabetical order: sorted(names, key=danish_key).
    For a pandas column: frame.sort_values(column, key=danish_keys)."""
    folded = unicodedata.normalize("NFC", str(text)).casefold().replace("aa", "å")
    folded = folded.translate(_LAST_LETTERS)
    plain = "".join(c for c in unicodedata.normalize("NFD", folded)
                    if not unicodedata.combining(c))
    return plain, str(text)


def danish_keys(column):
    """danish_key for a pandas Series (sort_values(key=...)): the same order, as a column
    pandas can compare."""
    return column.map(lambda text: "\u0000".join(danish_key(text)))
