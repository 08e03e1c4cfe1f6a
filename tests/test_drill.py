"""Drill-through: a municipality's page and a session's page, built from the hand-made data
(tests/tiny_data.py, every number worked out by hand), their "not found" pages, and both
behind the login like every other page."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import drill, queries
from tests.component_tree import components, iter_nodes, sent
from tests.conftest import TINY_DAY, VIEWER, log_in
from tests.html_tables import table_in


def find(tree, component_id: str) -> dict:
    """The component with `component_id` in a tree as sent."""
    found = [node for node in components(tree) if node["props"].get("id") == component_id]
    assert found, f"no #{component_id}"
    return found[0]


def text(node) -> str:
    """Every string under a node, joined by ' | '."""
    skip = ("id", "type", "namespace", "className", "href")
    return " | ".join(value for value in iter_nodes(node, skip) if isinstance(value, str))


def rows(tree, table_id: str) -> list[list]:
    """A data_table's body cells: text, or (text, href) for a link."""
    return table_in(tree, table_id).values()


# --- the municipality's page, from the hand-made data ---------------------------------------

def aalborg(con, today=TINY_DAY, incl_vat=False):
    return drill.municipality_body(queries.municipality_mayors(con, "P1", 851),
                                   queries.municipality_sessions(con, "P1", 851), today,
                                   incl_vat=incl_vat)


def test_a_municipality_shows_its_mayors_of_the_programme(tiny_con):
    heading = drill.municipality_heading(queries.municipality(tiny_con, 851))
    assert find(heading, drill.MUNICIPALITY_NAME)["props"]["children"] == "Aalborg"
    assert "Region Nordjylland · 222.000 indbyggere · kommunekode 851" in text(sent(heading))
    # Aalborg's first mayor left on 30 June 2022; the successor is still in office.
    assert rows(aalborg(tiny_con), "municipality-mayors-table") == [
        ["Fratrådt Aalborg", "C", "ja", "1. jan. 2022", "30. jun. 2022"],
        ["Efterfølger Aalborg", "C", "ja", "1. jul. 2022", "stadig i embede"],
    ]


def test_a_municipality_shows_every_session_with_status_travel_and_billing(tiny_con):
    body = aalborg(tiny_con)
    # S1 at Aarhus town hall: no-show, billed 5.300 kr., invoiced 10 May 2022. S2 in
    # Copenhagen: attended at an explicit 0 kr. S3 online: attended, no known price.
    assert rows(body, drill.MUNICIPALITY_SESSIONS) == [
        [("27. apr. 2022 · Intro", "/sessioner/S1"), "Dagsession", "Afholdt", "Udeblevet",
         "Aarhus", "101", "5.300 kr.", "10. maj 2022"],
        [("5. dec. 2022 · Døgn", "/sessioner/S2"), "Døgnsession", "Afholdt", "Deltaget",
         "København", "223", "0 kr.", "20. dec. 2022"],
        [("1. jun. 2023 · Online", "/sessioner/S3"), "Onlinemøde", "Afholdt", "Deltaget", "–",
         "–", "0 kr.", "–"],
    ]
    assert find(body, "municipality-attended")["props"]["children"] == "2 af 3 afholdte"
    assert find(body, "municipality-revenue")["props"]["children"] == "5.300 kr."
    # Only the attended physical session counts as travel: 223 km to Copenhagen.
    assert find(body, "municipality-travel")["props"]["children"] == "223"
    assert "1 tilmelding uden kendt pris" in text(sent(body))


def test_a_municipality_in_vat_shows_the_amounts_with_vat(tiny_con):
    body = aalborg(tiny_con, incl_vat=True)
    assert find(body, "municipality-revenue")["props"]["children"] == "6.625 kr."
    assert rows(body, drill.MUNICIPALITY_SESSIONS)[0][6] == "6.625 kr."
    assert "Omsætning (inkl. moms)" in text(sent(body))


def test_sessions_not_yet_held_are_said_to_be_upcoming(tiny_con):
    # On 1 December 2022 only S1 is held.
    body = aalborg(tiny_con, today=dt.date(2022, 12, 1))
    assert [row[2] for row in rows(body, drill.MUNICIPALITY_SESSIONS)] == [
        "Afholdt", "Kommende", "Kommende"]
    assert find(body, "municipality-attended")["props"]["children"] == "0 af 1 afholdte"


# --- the session's page ---------------------------------------------------------------------

def session_s2(con, today=TINY_DAY):
    return drill.session_page(queries.session_detail(con, "S2"),
                              queries.session_participants(con, "S2"),
                              queries.session_outcome(con, "S2"), today)


def test_a_session_shows_what_where_its_counts_and_participants(tiny_con):
    page = session_s2(tiny_con)
    assert find(page, drill.SESSION_NAME)["props"]["children"] == "Døgn"
    assert find(page, "session-state")["props"]["children"] == "Afholdt"
    said = text(sent(page))
    assert "5. dec. 2022 · Døgnsession · For alle · Testforløb" in said
    assert "Sted: Rådhuset, København" in said
    # R3 and R5 attended, R4 cancelled (billed): 8.800 + 8.800 + 0 kr.
    counts = {key: find(page, f"session-{key}")["props"]["children"]
              for key in ("registered", "attended", "no-shows", "cancelled", "revenue")}
    assert counts == {"registered": "2", "attended": "2", "no-shows": "0", "cancelled": "1",
                      "revenue": "17.600 kr."}
    assert rows(page, drill.SESSION_PARTICIPANTS) == [
        [("København", "/kommuner/101"), "Genvalgt København", "nej", "1. nov. 2022",
         "Deltaget"],
        [("Aarhus", "/kommuner/751"), "Nyvalgt Aarhus", "ja", "2. nov. 2022", "Afmeldt"],
        [("Aalborg", "/kommuner/851"), "Efterfølger Aalborg", "ja", "3. nov. 2022",
         "Deltaget"],
    ]


def test_an_upcoming_session_shows_no_outcome_yet(tiny_con):
    page = session_s2(tiny_con, today=dt.date(2022, 12, 1))
    assert find(page, "session-state")["props"]["children"] == "Kommende"
    assert find(page, "session-attended")["props"]["children"] == "–"
    assert find(page, "session-no-shows")["props"]["children"] == "–"
    assert find(page, "session-registered")["props"]["children"] == "2"


@pytest.mark.parametrize("value, code", [("621", 621), ("0101", 101), (" 851", 851),
                                         ("abc", None), ("621/x", None), ("", None),
                                         (None, None), ("12345", None), ("-1", None)])
def test_a_code_is_read_from_the_address_or_not_at_all(value, code):
    assert drill.parse_code(value) == code


# --- the pages in the app: "not found", the menu, the login ---------------------------------

def test_an_unknown_code_or_session_gives_a_danish_not_found_page_with_a_way_back(app):
    from dashboard.pages import municipality, session

    with app.server.test_request_context("/"):
        for page in (municipality.layout(kode="999"), municipality.layout(kode="abc"),
                     municipality.layout()):
            assert find(page, "not-found")["props"]["children"] == "Kommunen findes ikke"
            assert '"href": "/kommuner"' in json.dumps(sent(page))
        page = session.layout(session_id="LKS-NOPE")
        assert find(page, "not-found")["props"]["children"] == "Sessionen findes ikke"
        assert "LKS-NOPE" in text(sent(page))
        found = municipality.layout(kode="621")
        assert find(found, drill.MUNICIPALITY_NAME)["props"]["children"] == "Kolding"
        found = session.layout(session_id="LKS2026-DEMO-01")
        assert find(found, drill.SESSION_NAME)


def test_the_drill_pages_are_not_in_the_menu(app):
    from flask_login import login_user

    from dashboard.app import shell_layout
    from dashboard.auth import User

    with app.server.test_request_context("/"):
        login_user(User(*VIEWER[:1], "viewer"))
        links = [node["props"]["href"] for node in find(shell_layout(), "nav-collapse")
                 ["props"]["children"][0]["props"]["children"]]
    assert "/kommuner" in links and not any(link.startswith(("/kommuner/", "/sessioner/"))
                                            for link in links)


@pytest.mark.parametrize("path", ["/kommuner/621", "/sessioner/LKS2026-DEMO-01",
                                  "/sessioner/X"])
def test_a_logged_out_request_for_a_drill_page_gets_the_login_not_data(app, path):
    client = app.server.test_client()
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=" + path)
    body = response.get_data(as_text=True)
    assert "Kolding" not in body and "Borgmester" not in body
    # Nor through Dash's own requests: the layout and the page's callback refuse.
    assert client.get("/_dash-layout").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code in (400, 401)


def test_a_login_leads_back_to_a_drill_page_that_exists_and_no_other(app):
    client = app.server.test_client()
    for asked, kept in (("/kommuner/621", "/kommuner/621"),
                        ("/sessioner/LKS2026-DEMO-01", "/sessioner/LKS2026-DEMO-01"),
                        # Text an attacker picks is never shown beside the token (BREACH).
                        ("/kommuner/999", "/"), ("/sessioner/zq-guess-AbC", "/")):
        page = client.get(f"/login?next={asked}").get_data(as_text=True)
        assert f'name="next" value="{kept}"' in page, asked
    assert log_in(client, *VIEWER).status_code == 302
    client = app.server.test_client()
    page = client.get("/login?next=/kommuner/621").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"csrf_token": token, "username": VIEWER[0],
                                           "password": VIEWER[1], "next": "/kommuner/621"})
    assert response.headers["Location"] == "/kommuner/621"
