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


def test_participation_by_municipality_unfiltered(tiny_con):
    df = queries.participation_by_municipality(tiny_con, "P1")
    got = [(r.kommune_code, r.sessions_offered, r.sessions_registered, r.sessions_attended)
           for r in df.itertuples()]
    assert got == [(851, 3, 3, 2), (101, 3, 2, 1), (751, 3, 1, 1)]
    assert df.loc[df.kommune_code == 851, "share_attended"].item() == pytest.approx(2 / 3)


def test_participation_by_municipality_filtered_by_format_and_region(tiny_con):
    filters = queries.Filters(formats=("online",),
                              regions=("Region Nordjylland", "Region Hovedstaden"))
    df = queries.participation_by_municipality(tiny_con, "P1", filters)
    got = [(r.kommune_code, r.sessions_offered, r.sessions_registered, r.sessions_attended)
           for r in df.itertuples()]
    assert got == [(851, 1, 1, 1), (101, 1, 1, 0)]


def test_never_attended_names_the_current_mayor(tiny_con):
    in_2023 = queries.never_attended(tiny_con, "P1", queries.Filters(years=(2023,)))
    assert list(zip(in_2023.kommune_code, in_2023.mayor, in_2023.registered_only,
                    strict=True)) == [(101, "Genvalgt København", 1), (751, "Nyvalgt Aarhus", 0)]
    day_only = queries.never_attended(tiny_con, "P1", queries.Filters(formats=("day",)))
    # Aalborg's mayor at the day session has left; the list names today's mayor.
    assert list(zip(day_only.kommune_code, day_only.mayor, strict=True)) == [
        (101, "Genvalgt København"), (851, "Efterfølger Aalborg")]


def test_session_matrix_and_municipality_detail(tiny_con):
    matrix = queries.session_matrix(tiny_con, "P1", queries.Filters(audiences=("all",)))
    assert len(matrix) == 6 and set(matrix.session_id) == {"S2", "S3"}
    detail = queries.municipality_detail(tiny_con, "P1", 851)
    assert list(zip(detail.mayor_name, detail.session_id, detail.status, strict=True)) == [
        ("Fratrådt Aalborg", "S1", "no_show"),
        ("Efterfølger Aalborg", "S2", "attended"),
        ("Efterfølger Aalborg", "S3", "attended"),
    ]


def test_session_turnout(tiny_con):
    df = queries.session_turnout(tiny_con, "P1")
    assert list(zip(df.registered, df.attended, df.no_show, df.cancelled, strict=True)) == [
        (2, 1, 1, 0), (2, 2, 0, 1), (2, 1, 0, 0)]


def test_retention_counts_only_held_sessions(tiny_con):
    df = queries.retention(tiny_con, "P1", held_by=dt.date(2023, 1, 1))
    assert list(df.session_id.unique()) == ["S1", "S2"]
    newly = df[df.cohort == "newly_elected"]
    assert list(newly.share_registered) == [1.0, 0.5]


def test_intro_path_follows_those_who_came_to_the_intro(tiny_con):
    df = queries.intro_path(tiny_con, "P1", held_by=dt.date(2023, 6, 15))
    got = {(r.session_id, r.path): (r.registered, r.mayors_in_office) for r in df.itertuples()}
    assert got == {
        ("S2", "newly_elected_intro"): (0, 1),      # M2 came to the intro, cancelled S2
        ("S2", "newly_elected_no_intro"): (1, 1),   # M4 took office after the intro
        ("S2", "re_elected"): (1, 1),
        ("S3", "newly_elected_intro"): (0, 1),
        ("S3", "newly_elected_no_intro"): (1, 1),
        ("S3", "re_elected"): (1, 1),
    }


def test_newly_elected_absent_from_the_last_two_sessions(tiny_con):
    df = queries.newly_elected_slipping(tiny_con, "P1", dt.date(2023, 6, 15))
    assert list(df.mayor) == ["Nyvalgt Aarhus"]
    assert df.sessions_attended.item() == 1
    assert df.last_attended_at.item() == dt.datetime(2022, 4, 27, 10)
    # Before S3 was held, the last two joint sessions are S2 only: still M2 alone.
    assert list(queries.newly_elected_slipping(tiny_con, "P1", dt.date(2023, 1, 1)).mayor) \
        == ["Nyvalgt Aarhus"]
    # Before any joint session was held, nobody can have slipped away.
    assert queries.newly_elected_slipping(tiny_con, "P1", dt.date(2022, 5, 1)).empty


def test_revenue_queries(tiny_con):
    by_format = queries.revenue_by_format(tiny_con, "P1").set_index("format")
    assert list(by_format.index) == ["day", "overnight", "online"]
    assert by_format.loc["day", "invoiced_incl_vat"] == 13250
    assert by_format.loc["overnight", "outstanding_incl_vat"] == 11000
    assert by_format.loc["overnight", "list_price_ex_vat"] == 8800
    over_time = queries.revenue_over_time(tiny_con, "P1")
    last = over_time.iloc[-1]
    assert (last.booked_ex_vat, last.invoiced_ex_vat) == (28200, 19400)
    assert over_time.day.is_monotonic_increasing


def test_geography_queries(tiny_con):
    origins = queries.participant_origins(tiny_con, "P1").set_index("kommune_code")
    assert origins.attendances.to_dict() == {101: 1, 751: 1, 851: 1}  # online not counted
    assert origins.loc[851, "total_travel_km"] == pytest.approx(223.46, abs=0.1)
    regions = queries.participation_by_region(tiny_con, "P1").set_index("region")
    assert regions.attendances.to_dict() == {"Region Hovedstaden": 1,
                                              "Region Midtjylland": 1,
                                              "Region Nordjylland": 2}
    assert regions.share_of_attendances.to_dict()["Region Nordjylland"] == 0.5
    assert regions.share_of_mayors.sum() == pytest.approx(1.0)
    assert queries.boundaries(tiny_con) is None


def test_filters_are_bound_parameters_not_sql(tiny_con):
    hostile = queries.Filters(regions=("x') OR 1=1 --",))
    assert queries.participation_by_municipality(tiny_con, "P1", hostile).empty


def test_a_plan_takes_simultaneous_sessions_in_session_id_order(tiny_con):
    # Two more day sessions at the same hour as S1: with room for one comparison, the plan
    # must pick the same one every time (the lowest session_id), not whichever comes first
    # in storage or from DuckDB's threads.
    for session_id in ("S0b", "S0a"):  # stored after S1, first in session_id order
        tiny_con.execute(
            "INSERT INTO sessions (session_id, programme_id, title, audience, format, "
            "starts_at, ends_at, time_of_day_known, price_ex_vat) SELECT ?, programme_id, "
            "title, audience, format, starts_at, ends_at, time_of_day_known, price_ex_vat "
            "FROM sessions WHERE session_id = 'S1'", [session_id])
    # On 1 June 2022 only the three intro days are held; the one latest is a three-way tie.
    plans = {tuple(queries.plan_sessions(tiny_con, "S2", dt.date(2022, 6, 1),
                                          comparisons=1)["session_id"])
             for _ in range(20)}
    assert plans == {("S0a", "S2")}
