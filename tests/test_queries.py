"""The query module against the hand-made data set."""

import datetime as dt

import pytest

from dashboard import queries


def test_key_figures(tiny_con):
    figures = queries.key_figures(tiny_con, "P1")
    assert figures.municipalities_total == 3
    assert figures.municipalities_reached == 3
    assert figures.mayors_reached == 3            # M1, M2, M4 attended something
    assert figures.registrations == 6             # 7 minus the cancellation
    assert (figures.attended, figures.no_shows) == (4, 1)
    assert figures.attendance_rate == pytest.approx(0.8)
    assert figures.revenue_ex_vat == 28200
    assert figures.registrations_price_unknown == 2


def test_key_figures_of_an_unknown_programme_are_zero(tiny_con):
    figures = queries.key_figures(tiny_con, "nope")
    assert (figures.registrations, figures.revenue_ex_vat, figures.attendance_rate) == (0, 0, None)


def test_dataset_info_and_sessions(tiny_con):
    info = queries.dataset_info(tiny_con)
    assert info == queries.DatasetInfo(is_demo=False, data_as_of=dt.date(2023, 6, 15))
    assert list(queries.sessions(tiny_con, "P1")["session_id"]) == ["S1", "S2", "S3"]
    assert list(queries.programmes(tiny_con)["programme_id"]) == ["P1"]
