"""Callback round trips per interaction, counted in Chromium from the requests themselves
(Playwright's request events, never a clock): a session change on Planlægning runs each of
the page's views once, and the address and the page agree afterwards, back and forward
included (issue 22)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PAGES, READY_MS
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser
UPDATE = "_dash-update-component"
SESSION = 'select[id*="url-choice"]'
# Planlægning's ids (dashboard/pages/planning.py; importing a page needs the app first).
CARDS, PARTICIPANTS, VENUE_TITLE = "planning-cards", "planning-participants", \
    "planning-venue-title"
SESSION_LINK = "planning-session-link"
# The address's view for `path` is in (dash-renderer's store) and every callback it set off is
# done: by Dash's own record of its callbacks, one is left, the page's layout held back.
VIEW_APPLIED = """path => {
    const view = window.dash_component_api.getLayout('address-view');
    const c = window.store.getState().callbacks;
    return Boolean(view && view.props.data && view.props.data.path === path)
        && ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
            .reduce((n, list) => n + c[list].length, 0) === 1;
}"""


class Requests:
    """The page's callback requests as they happen: each one's outputs, and in which round
    trip it went (a request sent while none is in flight starts a new round)."""

    def __init__(self, page):
        self.outputs: list[str] = []
        self.resolved: list[str] = []   # the same with a pattern's ids as they matched
        self.log: list[tuple[int, str]] = []   # (round, outputs), for a failure's message
        self.rounds = 0
        self._in_flight = 0
        page.on("request", self._sent)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def clear(self) -> None:
        self.outputs.clear()
        self.resolved.clear()
        self.log.clear()
        self.rounds = 0

    def _sent(self, request) -> None:
        if UPDATE not in request.url:
            return
        if self._in_flight == 0:
            self.rounds += 1
        self._in_flight += 1
        self.outputs.append(request.post_data_json["output"])
        self.resolved.append(json.dumps(request.post_data_json["outputs"], sort_keys=True))
        self.log.append((self.rounds, request.post_data_json["output"][:60]))

    def _done(self, request) -> None:
        if UPDATE in request.url:
            self._in_flight -= 1

    def asking_for(self, component_id: str) -> list[str]:
        """The requests whose outputs include `component_id` (a string id)."""
        return [o for o in self.outputs if f"{component_id}." in o]


    def named(self, names: dict[str, str]) -> list[str]:
        """Each request by the name of the part of its outputs it holds (`names`: name ->
        part), sorted; a request holding none by its outputs."""
        return sorted(next((n for n, part in names.items() if part in output + resolved),
                           output) for output, resolved in zip(self.outputs, self.resolved,
                                                               strict=True))


def in_address(page, text: str) -> None:
    """Wait for the address's query to hold `text` (written by history.pushState)."""
    page.wait_for_function("t => location.search.includes(t)", arg=text, timeout=READY_MS)


def shown_session(page) -> str:
    return page.locator(SESSION).input_value()


@pytest.mark.browser
def test_a_session_change_runs_each_view_once_and_the_address_follows(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/planlaegning", PAGES["/planlaegning"][1])
    page = watched.page
    requests = Requests(page)
    first = shown_session(page)
    others = [v for v in page.locator(f"{SESSION} option").evaluate_all(
        "options => options.map(o => o.value)") if v and v != first]
    other = others[0]

    requests.clear()
    page.locator(SESSION).select_option(other)
    in_address(page, f"session={other}")
    watched.settle(PAGES["/planlaegning"][1])
    # Each view once: the address the change writes does not set the select again.
    for view in (CARDS, PARTICIPANTS, VENUE_TITLE):
        assert len(requests.asking_for(view)) == 1, (view, requests.outputs)
    # The views and the address write; then what reads the address, at most.
    assert requests.rounds <= 2, requests.log
    assert shown_session(page) == other
    assert other in page.locator(f"#{SESSION_LINK}").get_attribute("href")
    changed_cards = page.locator(f"#{CARDS}").inner_text()

    page.go_back()
    page.wait_for_function("s => !location.search.includes(s)", arg=f"session={other}",
                           timeout=READY_MS)
    page.wait_for_function(f"s => document.querySelector('{SESSION}').value === s", arg=first,
                           timeout=READY_MS)
    watched.settle(PAGES["/planlaegning"][1])
    assert page.locator(f"#{CARDS}").inner_text() != changed_cards

    page.go_forward()
    in_address(page, f"session={other}")
    page.wait_for_function(f"s => document.querySelector('{SESSION}').value === s", arg=other,
                           timeout=READY_MS)
    watched.settle(PAGES["/planlaegning"][1])
    assert page.locator(f"#{CARDS}").inner_text() == changed_cards

    # Away to Overblik: the page going away is not set to the new address's (default)
    # session on its way out, which asked the server for its three views again. The new
    # page's layout is held back until the address's view has arrived and every callback
    # but that one is done, so the view meets the old page, as it does on a busy server.
    held = []

    def hold_the_layout(route):
        if "_pages_content" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route(f"**/{UPDATE}*", hold_the_layout)
    requests.clear()
    with page.expect_response(lambda r: UPDATE in r.url
                              and "address-view" in (r.request.post_data or "")):
        through_navigation(page, server, "/", "page.overview")
    page.wait_for_function(VIEW_APPLIED, arg="/", timeout=READY_MS)
    assert len(held) == 1, requests.log
    held[0].continue_()
    page.unroute(f"**/{UPDATE}*")
    watched.settle(PAGES["/"][1])
    for view in (CARDS, PARTICIPANTS, VENUE_TITLE, SESSION_LINK):
        assert requests.asking_for(view) == [], requests.log
    watched.assert_clean()
    page.close()


# What a session change may ask the server for, by a part of each request's outputs: the
# page's three views (the session's link comes with the forecast), the address's write, the
# venue map's table (dashboard.chart_tables: its switch's table, a pattern id).
SESSION_VIEWS = {"forecast": f"{CARDS}.", "lists": f"{PARTICIPANTS}.",
                 "venue": f"{VENUE_TITLE}.", "address": "view-location.search",
                 "venue table": '{"id": {"chart": "planning-venue-map", "type": "chart-table"}'}
VENUE_TABLE = "#planning-venue-map-data-table"
PLACED = "#planning-venue-placed"


def first_cells(page, table: str) -> list[str]:
    return page.locator(f"{table} tbody tr").evaluate_all(
        "rows => rows.map(r => r.querySelector('td').innerText)")


@pytest.mark.browser
def test_a_session_change_asks_for_what_it_shows_and_a_shown_table_follows(server, browser):
    """A session change asks for the three views and the address write, each once, and for
    nothing else: not the link on its own, not the charts' tables while neither is shown.
    With "Vis som tabel" on, that table follows the session (issue 22)."""
    watched = WatchedPage(browser, server)
    watched.open("/planlaegning", PAGES["/planlaegning"][1])
    page = watched.page
    requests = Requests(page)
    sessions = [v for v in page.locator(f"{SESSION} option").evaluate_all(
        "options => options.map(o => o.value)") if v]
    first = shown_session(page)
    # The demo's sessions after the first shown are to come, each with its venue placed.
    following = sessions[sessions.index(first) + 1]

    requests.clear()
    page.locator(SESSION).select_option(following)
    in_address(page, f"session={following}")
    watched.settle(PAGES["/planlaegning"][1])
    assert requests.named(SESSION_VIEWS) == ["address", "forecast", "lists", "venue"], \
        requests.log
    forecast = next(o for o in requests.outputs if f"{CARDS}." in o)
    assert f"{SESSION_LINK}.href" in forecast
    assert page.locator(f"#{SESSION_LINK}").get_attribute("href") == \
        f"/sessioner/{following}"

    # The venue map as a table: its rows are the venue the page lists, and follow it.
    page.locator('[id*="chart-as-table"][id*="planning-venue-map"]').check()
    in_address(page, "tabel=")
    page.locator(f"{VENUE_TABLE} tbody tr").first.wait_for(timeout=READY_MS)
    watched.settle(PAGES["/planlaegning"][1])
    before = first_cells(page, VENUE_TABLE)
    assert before == first_cells(page, PLACED)

    requests.clear()
    page.locator(SESSION).select_option(first)
    in_address(page, f"session={first}")
    page.wait_for_function(
        "([table, shown]) => { const cell = document.querySelector(table + ' tbody td');"
        " const placed = document.querySelector(shown + ' tbody td');"
        " return cell && placed && cell.innerText === placed.innerText; }",
        arg=[VENUE_TABLE, PLACED], timeout=READY_MS)
    watched.settle(PAGES["/planlaegning"][1])
    assert first_cells(page, VENUE_TABLE) == first_cells(page, PLACED) != before
    assert requests.named(SESSION_VIEWS) == \
        ["address", "forecast", "lists", "venue", "venue table"], requests.log
    watched.assert_clean()
    page.close()


def through_navigation(page, server: str, path: str, name_key: str) -> None:
    from dashboard.i18n import CATALOGUE

    page.locator("#nav-collapse").get_by_role(
        "link", name=CATALOGUE[name_key]["da"], exact=True).click()
    page.wait_for_function("p => location.pathname === p", arg=path, timeout=READY_MS)


@pytest.mark.browser
def test_a_filter_a_switch_and_a_page_switch_are_one_round_trip_each(server, browser):
    """The page's views are asked with the address write, side by side, not after it; and
    nothing asks the server again once the address is written (the chips, the links and
    "Vis som tabel" come with it or stay in the browser)."""
    from dashboard.i18n import CATALOGUE

    watched = WatchedPage(browser, server)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    page = watched.page
    requests = Requests(page)

    page.get_by_label(CATALOGUE["format.online"]["da"], exact=True).uncheck()
    in_address(page, "typer=")
    watched.settle(PAGES["/kommuner"][1])
    assert requests.rounds == 1, requests.log
    assert len(requests.asking_for("municipalities-summary")) == 1, requests.log
    assert "Onlinemøde" not in page.locator("#active-filters").inner_text()
    assert all("typer=" in page.locator(f"#nav-collapse a[href^='{p}']").first
               .get_attribute("href") for p in ("/oekonomi", "/geografi"))

    for path, key in [("/oekonomi", "page.revenue"), ("/geografi", "page.geography"),
                      ("/fastholdelse", "page.retention"), ("/planlaegning", "page.planning"),
                      ("/", "page.overview"), ("/oekonomi", "page.revenue")]:
        requests.clear()
        through_navigation(page, server, path, key)
        watched.settle(PAGES[path][1])
        assert requests.rounds == 1, (path, requests.log)

    requests.clear()
    with page.expect_response(lambda r: UPDATE in r.url
                              and "address-view" in (r.request.post_data or "")) as written:
        page.get_by_label(CATALOGUE["vat.incl_label"]["da"], exact=True).check()
    # A page's own control leaves the bar's filters as they were: the address is written,
    # the chips and the navigation's links are not sent again (nor redrawn).
    assert set(written.value.json()["response"]) == {"view-location"}, written.value.json()
    in_address(page, "moms=incl")
    watched.settle(PAGES["/oekonomi"][1])
    assert requests.rounds == 1, requests.log
    assert len(requests.asking_for("revenue-cards")) == 1, requests.log
    watched.assert_clean()
    page.close()
