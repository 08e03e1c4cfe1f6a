"""Numbers and dates the Danish way: 5.300 kr., 12,5 %, 5. dec. 2022."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "da_DK"


def kroner(amount: float | Decimal | None) -> str:
    """5300 -> '5.300 kr.'"""
    return f"{format_decimal(amount or 0, '#,##0', locale=LOCALE)} kr."


def number(value: float | int | None, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value or 0, pattern, locale=LOCALE)


def percent(share: float | None, decimals: int = 1) -> str:
    """0.125 -> '12,5 %'"""
    if share is None:
        return "–"
    return f"{number(share * 100, decimals)} %"


def short_date(day: dt.date | dt.datetime | None) -> str:
    """2022-12-05 -> '5. dec. 2022'"""
    if day is None:
        return "–"
    return format_date(day, "d. MMM y", locale=LOCALE)
