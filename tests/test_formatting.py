import datetime as dt
from decimal import Decimal

from dashboard import formatting


def test_danish_numbers_money_and_percentages():
    assert formatting.kroner(5300) == "5.300 kr."
    assert formatting.kroner(Decimal("1234567.40")) == "1.234.567 kr."
    assert formatting.kroner(None) == "0 kr."
    assert formatting.percent(0.125) == "12,5 %"
    assert formatting.percent(None) == "–"
    assert formatting.number(1234.5, 1) == "1.234,5"


def test_danish_short_dates():
    assert formatting.short_date(dt.date(2022, 12, 5)) == "5. dec. 2022"
    assert formatting.short_date(dt.datetime(2025, 5, 20, 10)) == "20. maj 2025"
