"""The moderator's planning: forecasts, meals and rooms, waiting lists and venue choice."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from dashboard import planning, queries
from dashboard.xlsx import to_xlsx
from etl.geo import haversine_km
from etl.marts import refresh_marts
from etl.paths import PROJECT_ROOT

AS_OF = dt.date(2024, 3, 1)
SESSIONS = pd.DataFrame({
    "session_id": ["A", "B", "C", "T"],
    "format": ["day", "day", "overnight", "day"],
    "starts_at": pd.to_datetime(["2023-04-01 10:00", "2023-10-01 10:00", "2023-11-01 12:00",
                                 "2024-03-15 10:00"]),
})


def pace(target_so_far: int, target_cancelled: int = 0) -> pd.DataFrame:
    return pd.DataFrame({
        "session_id": ["A", "B", "C", "T"],
        "total": [40, 30, 50, target_so_far],
        "by_then": [20, 10, 50, target_so_far],   # at 14 days before: half, a third, all
        "cancelled": [4, 3, 0, target_cancelled],
        "no_show": [2, 3, 10, 0],
        "attended": [34, 24, 40, 0],
    })


def test_forecast_scales_the_pace_of_earlier_sessions_of_the_same_type():
    result = planning.forecast(SESSIONS, pace(12), "T", AS_OF)
    assert result.days_before == 14
    assert result.reference_sessions == ("A", "B")      # the overnight session C is not used
    assert result.registrations == planning.Range(24, 30, 36)   # 12/0.5, 12/(1/3)
    assert result.cancel_rate == pytest.approx(0.1)              # mean of 4/40 and 3/30
    assert result.no_show_rate == pytest.approx((2 / 36 + 3 / 27) / 2)
    assert result.registered == planning.Range(22, 27, 32)
    assert result.participants == planning.Range(20, 25, 29)
    assert result.meals == {"frokost": 25} and result.rooms == 0
    assert "12 tilmeldinger" in result.method and "14 dage før" in result.method
    assert "10 %" in result.method


def test_an_overnight_session_needs_four_meals_and_a_room_each():
    sessions = SESSIONS.assign(format=["overnight", "overnight", "day", "overnight"])
    result = planning.forecast(sessions, pace(12), "T", AS_OF)
    assert result.reference_sessions == ("A", "B")
    assert result.meals == {"frokost": 25, "middag": 25, "morgenmad": 25, "frokost to go": 25}
    assert result.rooms == 25


def test_without_registrations_the_forecast_is_the_earlier_totals():
    result = planning.forecast(SESSIONS, pace(0), "T", AS_OF)
    assert result.registrations == planning.Range(30, 35, 40)
    assert "ingen tilmeldinger endnu" in result.method


def test_with_no_earlier_session_of_the_type_all_earlier_sessions_count():
    sessions = SESSIONS.assign(format=["day", "day", "day", "online"])
    result = planning.forecast(sessions, pace(12), "T", AS_OF)
    assert result.reference_sessions == ("A", "B", "C")
    assert "alle tidligere sessioner" in result.method


def test_a_held_session_reports_what_happened():
    result = planning.forecast(SESSIONS, pace(12), "A", AS_OF)
    assert result.is_held
    assert (result.registrations.expected, result.registered.expected,
            result.participants.expected) == (40, 36, 34)


def test_waiting_list_beyond_capacity_first_come_first_served():
    registrations = pd.DataFrame({
        "mayor": ["a", "b", "c", "d", "e"],
        "status": ["registered", "cancelled", "registered", "registered", "registered"],
        "registered_at": pd.to_datetime(["2024-01-05", "2024-01-01", "2024-01-02",
                                         "2024-01-09", "2024-01-03"]),
    })
    assert list(planning.waiting_list(registrations, 2)["mayor"]) == ["a", "d"]
    assert planning.waiting_list(registrations, None).empty


CITIES = pd.DataFrame({"city": ["København", "Odense", "Aarhus"],
                       "region": ["Region Hovedstaden", "Region Syddanmark",
                                  "Region Midtjylland"],
                       "lat": [55.67567, 55.39594, 56.15295],
                       "lon": [12.56951, 10.38831, 10.20312]})


def test_the_likely_order_is_the_upcoming_soonest_first_then_the_held_latest_first():
    dates = ["S1", "S2", "S3", "S4", "S5"]  # in date order
    assert planning.likely_order(dates, [True, True, False, False, False]) == [
        "S3", "S4", "S5", "S2", "S1"]
    # The first is the page's default: the next upcoming, else the last held.
    assert planning.likely_order(dates, [False] * 5) == dates
    assert planning.likely_order(dates, [True] * 5) == dates[::-1]
    assert planning.likely_order([], []) == []


def test_distance_copenhagen_aarhus_is_about_157_km():
    assert haversine_km(55.67567, 12.56951, 56.15295, 10.20312) == pytest.approx(157, abs=2)


def test_the_array_distance_is_the_scalar_one_for_every_pair():
    import numpy as np

    from etl.geo import haversine_km_between

    lats, lons = CITIES["lat"].to_numpy(), CITIES["lon"].to_numpy()
    grid = haversine_km_between(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    assert grid.shape == (len(CITIES), len(CITIES))
    for i, j in np.ndindex(grid.shape):
        assert grid[i, j] == pytest.approx(haversine_km(lats[i], lons[i], lats[j], lons[j]),
                                           rel=1e-12)


def test_the_recommended_venue_minimises_total_travel():
    three_in_copenhagen = pd.DataFrame({"lat": [55.67567] * 3 + [56.15295],
                                        "lon": [12.56951] * 3 + [10.20312],
                                        "weight": [1.0] * 4})
    ranked = planning.rank_venues(three_in_copenhagen, CITIES)
    totals = {city: sum(haversine_km(a, b, lat, lon) for a, b in
                        zip(three_in_copenhagen["lat"], three_in_copenhagen["lon"], strict=True))
              for city, lat, lon in zip(CITIES["city"], CITIES["lat"], CITIES["lon"], strict=True)}
    assert list(ranked["city"]) == sorted(totals, key=totals.get) == [
        "København", "Aarhus", "Odense"]
    assert list(ranked["total_km"]) == pytest.approx(sorted(totals.values()), rel=1e-12)
    assert ranked.loc[0, "best"] and ranked.loc[0, "total_km"] == pytest.approx(157, abs=2)
    assert ranked.loc[0, "avg_km"] == pytest.approx(ranked.loc[0, "total_km"] / 4)
    # One in Copenhagen, one in Aarhus, two on Funen: Odense is the fair middle.
    spread = pd.DataFrame({"lat": [55.67567, 56.15295, 55.40, 55.06],
                           "lon": [12.56951, 10.20312, 10.39, 10.61],
                           "weight": [1.0] * 4})
    assert planning.rank_venues(spread, CITIES).loc[0, "city"] == "Odense"


def test_origins_come_from_recent_sessions_until_enough_have_registered():
    current = pd.DataFrame({"lat": [55.7], "lon": [12.5]})
    recent = pd.DataFrame({"lat": [55.7, 56.1], "lon": [12.5, 10.2], "attendances": [3, 1]})
    origins, basis = planning.expected_origins(current, recent, expected_participants=20)
    assert list(origins["weight"]) == [15.0, 5.0] and "seneste" in basis
    many = pd.DataFrame({"lat": [55.7] * 10, "lon": [12.5] * 10})
    origins, basis = planning.expected_origins(many, recent, expected_participants=20)
    assert origins["weight"].sum() == 10 and "tilmeldte" in basis


def test_planning_queries_on_the_hand_made_data(tiny_con):
    paced = queries.session_pace(tiny_con, 30).set_index("session_id")
    # S2 starts 5 Dec 2022: registrations on 1, 2 and 3 Nov are all 30+ days before.
    assert paced.loc["S2"].to_dict() == {"total": 3, "by_then": 3, "cancelled": 1,
                                         "no_show": 0, "attended": 2}
    assert paced.loc["S3", "by_then"] == 1  # S3 starts 1 June 00:00: only the 1 May one
    curves = queries.registration_curves(tiny_con, ["S2"])
    # R4 (2 Nov, 33 days before) was cancelled: the curve counts as the cards, without it.
    assert list(curves["days_before"]) == [34, 32] and list(curves["cumulative"]) == [1, 2]
    to_call = queries.not_registered_for(tiny_con, "S2")
    assert list(zip(to_call["mayor"], to_call["status"], strict=True)) == [
        ("Nyvalgt Aarhus", "cancelled")]
    hosting = queries.hosting_history(tiny_con)
    assert list(zip(hosting["session_id"], hosting["region"], strict=True)) == [
        ("S2", "Region Hovedstaden"), ("S1", "Region Midtjylland")]


def test_the_participant_sheet_opens_in_excel_with_real_dates_and_safe_text(tmp_path):
    from openpyxl import load_workbook

    participants = pd.DataFrame({
        "municipality": ["Odense", "Vejle"], "mayor": ["=HYPERLINK(\"x\")", "@Bo"],
        "newly_elected": [True, False],
        "registered_at": pd.to_datetime(["2025-03-01 09:30", "2025-03-02"], format="ISO8601"),
        "status": ["registered", "cancelled"], "region": ["Region Syddanmark"] * 2,
    })
    path = tmp_path / "deltagere.xlsx"
    path.write_bytes(to_xlsx(planning.participant_sheet(participants), "Deltagere"))
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["Kommune", "Borgmester", "Nyvalgt", "Tilmeldt",
                                           "Status", "Region"]
    assert sheet["B2"].value == '=HYPERLINK("x")' and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "@Bo" and sheet["B3"].data_type == "s"
    assert sheet["D2"].value == dt.datetime(2025, 3, 1, 9, 30) and sheet["D2"].is_date
    assert sheet["D2"].number_format == "dd-mm-yyyy hh:mm"
    assert (sheet["C2"].value, sheet["E3"].value) == ("ja", "Afmeldt")
    assert sheet.freeze_panes == "A2"


def test_the_plan_command(demo_database):
    # The demo's next session (its today is frozen at 30 November 2026 for the suite): a plan.
    done = subprocess.run([sys.executable, "-m", "dashboard", "plan", "LKS2026-DEMO-04", "--db",
                           str(demo_database)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Forventet deltagere:" in done.stdout and "Måltider:" in done.stdout
    # Its venue is placed (the demo's Aarhus): that venue and the travel to it, no ranking.
    assert "Aarhus (fastlagt" in done.stdout and "<- bedste" not in done.stdout
    # A held session: what it came to, no forecast and no venues.
    held = subprocess.run([sys.executable, "-m", "dashboard", "plan", "LKS2022-09", "--db",
                           str(demo_database)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert held.returncode == 0, held.stderr
    assert "afholdt" in held.stdout and "Deltaget:" in held.stdout
    assert "Forventet" not in held.stdout and "<- bedste" not in held.stdout
    unknown = subprocess.run([sys.executable, "-m", "dashboard", "plan", "NOPE", "--db",
                              str(demo_database)], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=120)
    assert unknown.returncode != 0 and "ukendt session" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_the_venue_plan_weighs_held_sessions_not_upcoming_ones(tiny_con, monkeypatch):
    from dashboard.session_plan import plan_venue

    # The hand-made data is real data: the pages' today is the calendar's, frozen here on
    # the data's date (15 June 2023). Two physical sessions after it: the later one is
    # planned, the earlier has a registration but nobody has attended it yet.
    monkeypatch.setenv("BORGMESTER_TODAY", "2023-06-15")
    tiny_con.execute("""
        INSERT INTO sessions (session_id, programme_id, title, audience, format, starts_at,
                              ends_at, time_of_day_known, venue, city, lat, lon, price_ex_vat)
        VALUES ('S4', 'P1', 'Dag', 'all', 'day', '2023-09-01 10:00', '2023-09-01 18:00', true,
                'Rådhuset', 'Aalborg', 57.048, 9.9187, 5300),
               ('S5', 'P1', 'Dag', 'all', 'day', '2023-10-02 10:00', '2023-10-02 18:00', true,
                'Rådhuset', 'Aarhus', 56.15295, 10.20312, 5300);
        INSERT INTO registrations VALUES
            ('R8', 'S4', 'M2', 751, '2023-06-10 09:00', 'registered', NULL, NULL);
        INSERT INTO venue_candidates VALUES ('Aarhus', 751, 56.15295, 10.20312, NULL),
                                            ('København', 101, 55.67567, 12.56951, NULL);
    """)
    refresh_marts(tiny_con)
    venue = plan_venue(tiny_con, "S5")
    assert venue["venue_session"]["session_id"] == "S5"
    assert "seneste" in venue["origin_basis"]  # nobody registered for S5: recent sessions
    # The held physical sessions S2 (København, Aalborg attended) and S1 (Aarhus attended),
    # not S4: it would have left S2 alone, without Aarhus.
    assert sorted(venue["origins"]["municipality"]) == ["Aalborg", "Aarhus", "København"]


def test_a_session_with_its_venue_placed_shows_that_venue_not_a_suggestion(tiny_con,
                                                                           monkeypatch):
    from dashboard.session_plan import plan_text, plan_venue

    monkeypatch.setenv("BORGMESTER_TODAY", "2023-06-15")
    # S4 placed (Aalborg's town hall), S6 not yet (no venue): each is the next physical one.
    tiny_con.execute("""
        INSERT INTO sessions (session_id, programme_id, title, audience, format, starts_at,
                              ends_at, time_of_day_known, venue, city, lat, lon, price_ex_vat)
        VALUES ('S4', 'P1', 'Dag', 'all', 'day', '2023-09-01 10:00', '2023-09-01 18:00', true,
                'Rådhuset', 'Aalborg', 57.048, 9.9187, 5300),
               ('S6', 'P1', 'Dag', 'all', 'day', '2023-11-02 10:00', '2023-11-02 18:00', true,
                NULL, NULL, NULL, NULL, 5300);
        INSERT INTO venue_candidates VALUES ('Aarhus', 751, 56.15295, 10.20312, NULL),
                                            ('København', 101, 55.67567, 12.56951, NULL);
    """)
    refresh_marts(tiny_con)
    placed = plan_venue(tiny_con, "S4")
    assert placed["placed"] and placed["venue_session"]["session_id"] == "S4"
    assert list(placed["ranked"]["city"]) == ["Aalborg"]          # the venue, no candidates
    assert placed["ranked"]["avg_km"].iloc[0] > 0
    open_venue = plan_venue(tiny_con, "S6")
    assert not open_venue["placed"]
    assert sorted(open_venue["ranked"]["city"]) == ["Aarhus", "København"]   # a suggestion
    text = plan_text(tiny_con, "S4")
    assert "Rådhuset, Aalborg (fastlagt" in text and "<- bedste" not in text
