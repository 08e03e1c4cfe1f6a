"""Each view and mart of the schema against the hand-made data set in tiny_data.py, worked out
by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from etl.geo import haversine_km
from tests.tiny_data import TOWN_HALLS


def rows(con, sql):
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_registration_facts_apply_the_business_rules(tiny_con):
    facts = {r["registration_id"]: r for r in rows(tiny_con, "SELECT * FROM registration_facts")}
    assert len(facts) == 7
    # Cancelled: not registered, but billed (registration is binding).
    assert facts["R4"]["is_registered"] is False
    assert facts["R4"]["revenue_ex_vat"] == Decimal("8800.00")
    # A missing price falls back to the session's list price ...
    assert facts["R1"]["revenue_ex_vat"] == Decimal("5300.00")
    assert facts["R1"]["revenue_incl_vat"] == Decimal("6625.00")
    # ... an explicit 0 is a credit, not unknown ...
    assert facts["R5"]["revenue_ex_vat"] == 0 and facts["R5"]["price_known"] is True
    # ... and an unknown online price counts as 0 kr., flagged.
    assert facts["R6"]["revenue_ex_vat"] == 0 and facts["R6"]["price_known"] is False
    assert facts["R2"]["is_registered"] and facts["R2"]["is_no_show"]
    assert not facts["R2"]["is_attended"]


def test_revenue_by_session(tiny_con):
    got = {r["session_id"]: r for r in rows(tiny_con, "SELECT * FROM revenue_by_session_for('P1')")}
    assert {k: got["S1"][k] for k in ("registrations", "cancellations_billed",
                                      "registrations_price_unknown", "revenue_ex_vat", "vat",
                                      "revenue_incl_vat", "invoiced_ex_vat",
                                      "outstanding_ex_vat")} == {
        "registrations": 2, "cancellations_billed": 0, "registrations_price_unknown": 0,
        "revenue_ex_vat": 10600, "vat": 2650, "revenue_incl_vat": 13250,
        "invoiced_ex_vat": 10600, "outstanding_ex_vat": 0}
    assert got["S2"]["registrations"] == 3
    assert got["S2"]["cancellations_billed"] == 1
    assert got["S2"]["revenue_ex_vat"] == 17600      # 8800 + 8800 (cancelled) + 0 (credit)
    assert got["S2"]["revenue_incl_vat"] == 22000
    assert got["S2"]["invoiced_ex_vat"] == 8800
    assert got["S2"]["outstanding_ex_vat"] == 8800   # the late cancellation, not yet invoiced
    assert got["S3"]["registrations_price_unknown"] == 2
    assert got["S3"]["revenue_ex_vat"] == 0


def test_revenue_by_format(tiny_con):
    got = {r["format"]: r for r in rows(tiny_con, "SELECT * FROM revenue_by_format_for('P1')")}
    assert set(got) == {"day", "overnight", "online"}
    assert (got["day"]["sessions"], got["day"]["registrations"], got["day"]["revenue_ex_vat"]) \
        == (1, 2, 10600)
    assert (got["overnight"]["revenue_ex_vat"], got["overnight"]["vat"]) == (17600, 4400)
    assert got["online"]["registrations_price_unknown"] == 2
    assert sum(r["revenue_ex_vat"] for r in got.values()) == 28200


def test_municipality_session_status_matrix(tiny_con):
    got = {(r["session_id"], r["kommune_code"]): r["status"] for r in rows(
        tiny_con, "SELECT * FROM municipality_session_status")}
    assert got == {
        ("S1", 101): "not_registered", ("S1", 751): "attended", ("S1", 851): "no_show",
        ("S2", 101): "attended", ("S2", 751): "cancelled", ("S2", 851): "attended",
        ("S3", 101): "registered", ("S3", 751): "not_registered", ("S3", 851): "attended",
    }


def test_participation_by_municipality_mart(tiny_con):
    got = {r["kommune_code"]: r for r in rows(
        tiny_con, "SELECT * FROM participation_by_municipality_for('P1')")}
    summary = {code: (r["sessions_offered"], r["sessions_registered"], r["sessions_attended"],
                      r["sessions_no_show"], r["sessions_pending"])
               for code, r in got.items()}
    assert summary == {
        101: (3, 2, 1, 0, 1),    # S3 booked, not yet recorded: pending, not a no-show
        751: (3, 1, 1, 0, 0),    # the cancelled S2 is no registration
        851: (3, 3, 2, 1, 0),
    }
    assert got[851]["share_attended"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("arguments, sessions", [
    ("", {"S1", "S2", "S3"}),
    ("regions := ['Region Nordjylland']", {"S1", "S2", "S3"}),
    ("formats := ['day', 'online']", {"S1", "S3"}),
    ("audiences := ['all']", {"S2", "S3"}),
    ("years := [2022]", {"S1", "S2"}),
    ("NULL, ['overnight'], ['all'], [2022]", {"S2"}),
    ("years := [1999]", set()),
    ("regions := []", set()),
])
def test_the_filters_macro_lets_through_what_each_list_names(tiny_con, arguments, sessions):
    """NULL (left out) is no filter, an empty list lets nothing through; the lists together
    narrow (the Municipalities page)."""
    got = rows(tiny_con, "SELECT session_id, region FROM filtered_municipality_sessions("
                         f"'P1'{', ' if arguments else ''}{arguments})")
    assert {r["session_id"] for r in got} == sessions
    regions = {r["region"] for r in got}
    assert regions == (set() if not sessions else {"Region Nordjylland"}
                       if "regions" in arguments
                       else {"Region Hovedstaden", "Region Midtjylland", "Region Nordjylland"})


def test_retention_by_cohort_counts_only_mayors_in_office(tiny_con):
    got = {(r["session_id"], r["cohort"]): (r["mayors_in_office"], r["registered"],
                                            r["attended"], r["share_registered"])
           for r in rows(tiny_con, "SELECT * FROM retention_by_cohort_for(['P1'])")}
    assert got == {
        # S1: M3 (newly elected, left 30 June 2022) is still in office; M4 not yet. S1 is
        # an intro session: re-elected mayors are not invited, so they have no row there.
        ("S1", "newly_elected"): (2, 2, 1, 1.0),
        ("S2", "newly_elected"): (2, 1, 1, 0.5),
        ("S2", "re_elected"): (1, 1, 1, 1.0),
        ("S3", "newly_elected"): (2, 1, 1, 0.5),
        ("S3", "re_elected"): (1, 1, 0, 1.0),
    }


def test_session_geography_travel_of_attendees(tiny_con):
    got = {r["session_id"]: r for r in rows(tiny_con, "SELECT * FROM session_geography_for('P1')")}
    assert (got["S1"]["registered"], got["S1"]["attended"]) == (2, 1)
    assert got["S1"]["avg_travel_km"] == pytest.approx(0.0)
    aalborg_to_copenhagen = haversine_km(*TOWN_HALLS[851], *TOWN_HALLS[101])
    assert 220 < aalborg_to_copenhagen < 230
    assert got["S2"]["attended"] == 2
    assert got["S2"]["total_travel_km"] == pytest.approx(aalborg_to_copenhagen, abs=1e-6)
    assert got["S2"]["avg_travel_km"] == pytest.approx(aalborg_to_copenhagen / 2, abs=1e-6)
    assert got["S3"]["avg_travel_km"] is None and got["S3"]["total_travel_km"] == 0


def test_haversine_macro_matches_a_known_distance(tiny_con):
    # Copenhagen to Aarhus town halls: about 157 km in a straight line.
    (km,) = tiny_con.execute("SELECT haversine_km(?, ?, ?, ?)",
                             [*TOWN_HALLS[101], *TOWN_HALLS[751]]).fetchone()
    assert km == pytest.approx(157, abs=2)
    assert km == pytest.approx(haversine_km(*TOWN_HALLS[101], *TOWN_HALLS[751]), rel=1e-9)


def test_pre_aggregated_tables_hold_what_their_macros_compute(tiny_con):
    for table, source, key in (("session_mayor_best", "best_status_by_mayor()", "mayor_id"),
                               ("session_municipality_best", "best_status_by_municipality()",
                                "kommune_code"),
                               ("session_totals", "totals_by_session()", "session_id")):
        stored = rows(tiny_con, f"SELECT * FROM {table} ORDER BY session_id, {key}")
        assert stored == rows(tiny_con, f"SELECT * FROM {source} ORDER BY session_id, {key}")
        assert sum(r["registrations"] for r in stored) == 7


def test_session_totals_count_each_session_from_its_registration_facts(tiny_con):
    # Held to the staged view directly, not to the macro that fills the table.
    expected = rows(tiny_con, """
        SELECT session_id, count(*) FILTER (WHERE is_registered) AS registered,
               count(*) FILTER (WHERE is_attended) AS attended,
               count(*) FILTER (WHERE is_cancelled) AS cancelled,
               sum(revenue_incl_vat) AS revenue_incl_vat
        FROM registration_facts GROUP BY session_id ORDER BY session_id""")
    assert expected == rows(tiny_con, """
        SELECT session_id, registered, attended, cancelled, revenue_incl_vat
        FROM session_totals ORDER BY session_id""")


def test_an_out_of_date_pre_aggregated_table_fails_the_integrity_check(tiny_con):
    from etl.integrity import IntegrityError, assert_integrity
    from etl.marts import refresh_marts

    assert_integrity(tiny_con)
    tiny_con.execute("INSERT INTO registrations SELECT 'R99', 'S3', 'M2', kommune_code, "
                     "registered_at, 'attended', NULL, NULL FROM registrations "
                     "WHERE registration_id = 'R1'")
    with pytest.raises(IntegrityError, match="pre-aggregated table out of date"):
        assert_integrity(tiny_con)
    refresh_marts(tiny_con)
    assert_integrity(tiny_con)


@pytest.mark.parametrize("broken, problem", [
    ("INSERT INTO registrations SELECT 'R1', 'S3', 'M2', 751, registered_at, status, NULL, NULL "
     "FROM registrations WHERE registration_id = 'R1'", "duplicate registration_id: R1"),
    ("INSERT INTO registrations SELECT 'R99', 'S1', 'M2', 751, registered_at, 'cancelled', "
     "NULL, NULL FROM registrations WHERE registration_id = 'R1'",
     "duplicate session and mayor: S1 / M2"),
    ("UPDATE registrations SET session_id = 'S9' WHERE registration_id = 'R2'",
     "unknown session: R2"),
    ("UPDATE registrations SET mayor_id = 'M9' WHERE registration_id = 'R2'", "unknown mayor: R2"),
    ("UPDATE registrations SET kommune_code = 101 WHERE registration_id = 'R2'",
     "mayor of another municipality: R2"),
])
def test_the_integrity_check_names_each_broken_key(tiny_con, broken, problem):
    from etl.integrity import IntegrityError, assert_integrity
    from etl.marts import refresh_marts

    tiny_con.execute(broken)
    refresh_marts(tiny_con)  # the pre-aggregated tables agree: only the broken key remains
    with pytest.raises(IntegrityError, match=problem):
        assert_integrity(tiny_con)
