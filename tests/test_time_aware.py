"""Pages that know what day it is (issue 18): with real data the calendar's today (frozen here
with BORGMESTER_TODAY) drives next session, countdowns, held and upcoming; a finished programme
shows its result; a held session on Planlægning shows its outcome; old real data says so.

The database is the hand-made real data set (tests/tiny_data.py, is_demo false, data of
15 June 2023), written to a file and served by the in-process app. Its programme P1:
S1 day/intro 27 Apr 2022 (R1 attended at the session price 5.300, R2 no-show 5.300),
S2 overnight 5 Dec 2022 (R3 attended 8.800, R4 cancelled 8.800, R5 attended 0 kr.),
S3 online 1 Jun 2023 (R6 registered, R7 attended; no price).
Every expected value below is counted by hand from those seven rows.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from benchmarks.callbacks import ALL_TICKED
from dashboard import queries
from dashboard.ids import PROGRAMME_SELECT
from tests.component_tree import components
from tests.conftest import VIEWER, log_in
from tests.test_app import call, component_id
from tests.tiny_data import load_tiny

SESSION = {"type": "url-choice", "name": "session"}  # Planlægning's session select
SESSION_DEFAULT = {"type": "url-choice-default", "name": "session"}  # and its default
INSIDE = "2022-11-20"      # S1 held; S2 in 15 days; S3 later
AFTER = "2023-06-20"       # every session held; the data (15 June) is 5 days old
STALE = "2023-07-15"       # after, and the data is 30 days old


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny-real") / "borgmester.duckdb"
    with duckdb.connect(str(path)) as con:
        load_tiny(con)
    return path


@pytest.fixture
def client(app, tiny_file, demo_database):
    """The in-process app serving the hand-made real data, logged in as a viewer."""
    from dashboard.db import use_database

    use_database(tiny_file)
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    yield client
    use_database(demo_database)


def text_of(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def overview(client) -> str:
    got = call(client, [("overview-key-figures", "children"), ("overview-turnout", "figure"),
                        ("overview-turnout-finding", "children"),
                        ("overview-turnout-title", "children"),
                        ("overview-turnout-summary", "children")],
               [(PROGRAMME_SELECT, "value", "P1"), *ALL_TICKED])
    return text_of(got["overview-key-figures"])


def session_choices(client) -> dict:
    return call(client, [(SESSION, "options"), (SESSION, "value"), (SESSION_DEFAULT, "data")],
                [(PROGRAMME_SELECT, "value", "P1")])[component_id(SESSION)]


def forecast(client, session_id: str) -> tuple[str, str]:
    got = call(client, [("planning-cards", "children"), ("planning-method", "children"),
                        ("planning-curves", "figure"), ("planning-curves-finding", "children"),
                        ("planning-curves-title", "children"),
                        ("planning-curves-summary", "children"),
                        ("planning-session-link", "href")],
               [(SESSION, "value", session_id)])
    return text_of(got["planning-cards"]), got["planning-method"]["children"]


def lists(client, session_id: str) -> str:
    got = call(client, [("planning-participants", "children"), ("planning-waiting", "children"),
                        ("planning-to-call", "children")],
               [(SESSION, "value", session_id)])
    return text_of(got["planning-to-call"])


def venue(client, session_id: str) -> dict:
    return call(client, [("planning-venue-title", "children"), ("planning-venue-map", "figure"),
                         ("planning-venue-map-finding", "children"),
                         ("planning-venue-map-title", "children"),
                         ("planning-venue-map-summary", "children"),
                         ("planning-venue-table", "children"), ("planning-hosting", "children")],
                [(SESSION, "value", session_id)])


def card_value(cards: str, value_id: str) -> str:
    """The text of the key figure whose value has `value_id`, from the cards' JSON."""
    found = [node["props"].get("children") for node in components(json.loads(cards))
             if node["props"].get("id") == value_id]
    assert len(found) == 1, f"{value_id} appears {len(found)} times"
    return found[0]


# --- The rule itself ------------------------------------------------------------------------

def test_the_pages_today_is_the_calendars_with_real_data_and_the_demos_own_day(monkeypatch):
    from dashboard.today import is_held, last_held_day, today_for

    monkeypatch.setenv("BORGMESTER_TODAY", AFTER)
    real = queries.DatasetInfo(is_demo=False, data_as_of=dt.date(2023, 6, 15))
    demo = queries.DatasetInfo(is_demo=True, data_as_of=dt.date(2025, 3, 31))
    assert today_for(real) == dt.date(2023, 6, 20)
    assert today_for(demo) == dt.date(2025, 3, 31)
    # Held once its day is over: a session starting today is still upcoming.
    assert not is_held(dt.datetime(2023, 6, 20, 10), dt.date(2023, 6, 20))
    assert is_held(dt.datetime(2023, 6, 19, 23, 59), dt.date(2023, 6, 20))
    assert last_held_day(dt.date(2023, 6, 20)) == dt.date(2023, 6, 19)


def test_data_is_stale_only_when_real_and_older_than_the_setting(monkeypatch):
    from dashboard.today import stale_age

    real = queries.DatasetInfo(is_demo=False, data_as_of=dt.date(2023, 6, 15))
    assert stale_age(real, dt.date(2023, 6, 29)) is None          # 14 days: not older
    assert stale_age(real, dt.date(2023, 6, 30)) == 15
    assert stale_age(queries.DatasetInfo(True, real.data_as_of), dt.date(2030, 1, 1)) is None
    monkeypatch.setenv("BORGMESTER_STALE_DAYS", "3")
    assert stale_age(real, dt.date(2023, 6, 19)) == 4
    monkeypatch.setenv("BORGMESTER_STALE_DAYS", "two weeks")
    with pytest.raises(ValueError, match="BORGMESTER_STALE_DAYS"):
        stale_age(real, dt.date(2023, 6, 19))


# --- Inside the programme -------------------------------------------------------------------

def test_inside_the_programme_the_next_session_and_countdown_count_from_today(
        client, monkeypatch):
    monkeypatch.setenv("BORGMESTER_TODAY", INSIDE)
    cards = overview(client)
    assert card_value(cards, "kf-last-session").startswith("27. apr. 2022")
    assert card_value(cards, "kf-next-session").startswith("5. dec. 2022")
    assert "om 15 dage" in cards                      # 20 Nov -> 5 Dec 2022
    assert "Forløbet er afsluttet" not in cards

    choices = session_choices(client)
    assert choices["value"] == "S2"                   # the next upcoming session
    held = [o["value"] for o in choices["options"] if o["label"].endswith("(afholdt)")]
    assert held == ["S1"]

    cards, method = forecast(client, "S2")
    assert card_value(cards, "planning-registered") == "2"      # R3, R5 (R4 cancelled)
    assert "Dage til sessionen" in cards and card_value(cards, "planning-days-to") == "15"
    assert "Forventet deltagere" in cards and "Sessionen er afholdt" not in method
    to_call = lists(client, "S2")
    assert "planning-to-call-table" in to_call and "Nyvalgt Aarhus" in to_call


@pytest.mark.parametrize(("today", "said"), [("2022-12-04", "i morgen"),
                                             ("2022-12-05", "i dag")])
def test_a_session_on_today_is_still_the_next_one(client, monkeypatch, today, said):
    monkeypatch.setenv("BORGMESTER_TODAY", today)
    cards = overview(client)
    assert card_value(cards, "kf-next-session").startswith("5. dec. 2022")
    assert said in cards
    assert session_choices(client)["value"] == "S2"


# --- After the programme --------------------------------------------------------------------

def test_after_the_programme_the_overview_shows_its_result_not_a_next_session(
        client, monkeypatch):
    monkeypatch.setenv("BORGMESTER_TODAY", AFTER)
    cards = overview(client)
    assert "Forløbet er afsluttet" in cards and "Næste session" not in cards
    # 3 sessions; attended R1, R3, R5, R7; every municipality (751, 101, 851) took part;
    # attendance 4 of the 5 attended or no-show (R2) = 80,0 %.
    assert card_value(cards, "kf-finished") == "3 sessioner, 4 deltagelser"
    assert "3 af 3 kommuner deltog; fremmøde 80,0 %" in cards
    assert card_value(cards, "kf-last-session").startswith("1. jun. 2023")
    assert "kf-next-session" not in cards and " dage" not in cards


def test_after_the_programme_planning_shows_outcomes_without_call_list_or_venue(
        client, monkeypatch):
    monkeypatch.setenv("BORGMESTER_TODAY", AFTER)
    choices = session_choices(client)
    assert choices["value"] == "S3"                   # none upcoming: the last held one
    assert all(o["label"].endswith("(afholdt)") for o in choices["options"])

    cards, method = forecast(client, "S2")
    # R3 attended, R5 attended (0 kr.), R4 cancelled (billed 8.800).
    assert [card_value(cards, f"planning-outcome-{k}") for k in
            ("registered", "attended", "cancelled", "no-shows", "revenue")] == [
        "2", "2", "1", "0", "17.600 kr."]
    assert card_value(cards, "planning-held-on") == "5. dec. 2022"
    assert "Forventet" not in cards and "Måltider" not in cards and "Dage til" not in cards
    assert method.startswith("Sessionen er afholdt")

    cards, _ = forecast(client, "S1")                 # R1 attended, R2 no-show, 5.300 each
    assert [card_value(cards, f"planning-outcome-{k}") for k in
            ("registered", "attended", "cancelled", "no-shows", "revenue")] == [
        "2", "1", "0", "1", "10.600 kr."]

    to_call = lists(client, "S2")
    assert "planning-to-call-table" not in to_call and "ingen at ringe til" in to_call
    got = venue(client, "S2")
    assert got["planning-venue-title"]["children"] == "Mødested: sessionen er afholdt"
    assert got["planning-venue-table"]["children"] == ""


# --- Stale data -----------------------------------------------------------------------------

def shell(client) -> str:
    """The app shell every page sits in, as text (JSON with its letters unescaped)."""
    return text_of(client.get("/_dash-layout").get_json())


def test_old_real_data_says_so_on_every_page(client, monkeypatch):
    monkeypatch.setenv("BORGMESTER_TODAY", STALE)
    layout = shell(client)
    assert '"id": "stale-data"' in layout
    assert ("Data er fra 15. jun. 2023 — 30 dage gamle. Importér en ny udtræksfil på "
            "Data-siden.") in layout


def test_fresh_real_data_has_no_banner(client, monkeypatch):
    monkeypatch.setenv("BORGMESTER_TODAY", "2023-06-29")   # 14 days: not older than 14
    assert "stale-data" not in shell(client)
    monkeypatch.setenv("BORGMESTER_STALE_DAYS", "13")
    assert "14 dage gamle" in shell(client)


def test_demo_data_is_never_stale(app, demo_database, monkeypatch):
    from dashboard.db import use_database

    use_database(demo_database)
    monkeypatch.setenv("BORGMESTER_TODAY", "2040-01-01")
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    layout = shell(client)
    assert "Demodata" in layout and "stale-data" not in layout


# --- In a browser -----------------------------------------------------------------------------

@pytest.mark.browser
def test_after_the_programme_with_old_data_in_a_browser(tiny_file, users_file, browser,
                                                        monkeypatch):
    """The real app (its own process, which inherits the frozen day) in headless Chromium:
    the banner, the finished programme and a held session's outcome, with screenshots in
    test-artifacts/ to look at."""
    from tests.app_server import serving
    from tests.test_browser import ARTIFACTS, WatchedPage

    monkeypatch.setenv("BORGMESTER_TODAY", STALE)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(tiny_file, users_file) as url:
        watched = WatchedPage(browser, url)
        watched.open("/", 1)
        page = watched.page
        assert page.locator("#stale-data").inner_text().startswith(
            "Data er fra 15. jun. 2023 — 30 dage gamle.")
        assert page.locator("#kf-finished").inner_text() == "3 sessioner, 4 deltagelser"
        assert page.get_by_text("Forløbet er afsluttet").count() == 1
        page.screenshot(path=str(ARTIFACTS / "tid-overblik-efter-forloebet.png"),
                        full_page=True)

        watched.open("/planlaegning", 1)
        assert page.locator("#stale-data").count() == 1
        assert page.locator('select[id*="url-choice"]').input_value() == "S3"
        assert page.locator("#planning-outcome-attended").inner_text() == "1"   # R7
        # R6 is still "registered" for a held session, and the online price is unknown.
        assert page.get_by_text("heraf 1 uden registreret fremmøde").count() == 1
        assert page.get_by_text("2 tilmeldinger uden kendt pris tæller som 0 kr.").count() == 1
        assert page.locator("#planning-to-call-table").count() == 0
        assert page.locator("#planning-venue-ranking").count() == 0
        page.screenshot(path=str(ARTIFACTS / "tid-planlaegning-efter-forloebet.png"),
                        full_page=True)
        watched.assert_clean()
        page.close()


def test_a_held_sessions_curve_heading_gives_its_final_count_not_zero_days_before():
    """The curves' finding of a held session says what it came to; an upcoming one where it
    stands so many days before (the heading read "2 tilmeldt 0 dage før" for a held one)."""
    import pandas as pd

    from dashboard import charts

    curves = pd.DataFrame({"session_id": ["S2", "S2", "S1"], "days_before": [20, 3, 10],
                           "cumulative": [1, 2, 4]})
    assert charts.curves_finding(curves, "S2", -30) == (
        "2 tilmeldte sig sessionen i alt; tidligere sessioner havde 4.")
    assert charts.curves_finding(curves[curves.session_id == "S2"], "S2", -30) == (
        "2 tilmeldte sig sessionen i alt.")
    assert charts.curves_finding(curves, "S2", 5) == (
        "1 tilmeldt 5 dage før; tidligere sessioner havde 4 på samme tidspunkt.")


# --- Found by looking at the pages (look helper) --------------------------------------------

def test_hosting_regions_of_the_latest_sessions_are_those_held_not_the_planned(
        client, monkeypatch):
    """20 Nov 2022: S1 (27 Apr 2022, held) hosted; S2 (5 Dec 2022) has its venue planned but is
    not held yet, so "Værtsregioner for de seneste sessioner" lists S1 only (the demo listed the
    2027-2029 venues as the latest sessions)."""
    monkeypatch.setenv("BORGMESTER_TODAY", INSIDE)
    hosting = text_of(venue(client, "S2")["planning-hosting"])
    assert "27. apr. 2022" in hosting
    assert "5. dec. 2022" not in hosting
    monkeypatch.setenv("BORGMESTER_TODAY", AFTER)     # both held now: newest first
    hosting = text_of(venue(client, "S2")["planning-hosting"])
    assert hosting.index("5. dec. 2022") < hosting.index("27. apr. 2022")


def revenue_notice(client) -> str:
    from benchmarks.callbacks import outputs_of

    got = call(client, outputs_of("Økonomi"),
               [(PROGRAMME_SELECT, "value", "P1"),
                ({"type": "url-control", "name": "vat"}, "value", "ex"), *ALL_TICKED])
    return text_of(got["revenue-unknown-price"])


def test_the_unknown_price_notice_says_to_import_a_price_list_not_to_edit_a_file(client):
    """S3 (online, no price) holds R6 and R7: 2 registrations count as 0 kr. KL's staff set a
    price by importing a price list; the notice sent them to data/reference/prices.csv, a file
    in the repository, and blamed a brochure that a later programme does not have."""
    notice = revenue_notice(client)
    assert "2 tilmeldinger har ingen kendt pris" in notice
    assert "importere en prisliste" in notice and "Data-siden" in notice
    assert "prices.csv" not in notice


@pytest.fixture
def early_client(app, tiny_file, demo_database, tmp_path):
    """The hand-made real data exported on 20 May 2023, before S3 (1 June) was held."""
    import shutil

    from dashboard.db import use_database

    path = tmp_path / "borgmester.duckdb"
    shutil.copy(tiny_file, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE dataset_info SET value = '2023-05-20' WHERE key = 'data_as_of'")
    use_database(path)
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    yield client
    use_database(demo_database)


def test_a_session_held_since_the_data_was_exported_is_not_called_its_final_outcome(
        early_client, monkeypatch):
    """S3 was held on 1 June, the data is from 20 May: its numbers are its bookings, and the
    page says so and asks for a newer export, rather than calling them the final outcome."""
    monkeypatch.setenv("BORGMESTER_TODAY", AFTER)
    cards, method = forecast(early_client, "S3")
    assert "endeligt udfald" not in cards and "data fra før sessionen" in cards
    assert method == ("Sessionen er afholdt, men data er fra 20. maj 2023, før sessionen: "
                      "tallene er tilmeldingerne, ikke udfaldet. Importér en nyere "
                      "udtræksfil på Data-siden.")
    cards, method = forecast(early_client, "S2")      # held before the export: its outcome
    assert "endeligt udfald" in cards and method.startswith("Sessionen er afholdt:")
