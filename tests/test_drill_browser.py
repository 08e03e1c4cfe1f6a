"""Drill-through in Debian's headless Chromium: a click on a municipality on Kommuner, or on
a session's bars on Overblik, lands on its own page with its name shown."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PAGES, PICK, READY_MS
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser


def click_plot_point(page, locator) -> None:
    """Click a bar as a reader does: plotly listens on its drag layer, not on the bar, so
    move there, let it hover, then press and release."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".hoverlayer .hovertext").first.wait_for(timeout=READY_MS)
    page.mouse.down()
    page.mouse.up()


def test_clicking_a_municipality_on_kommuner_lands_on_its_page(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    page = watched.page
    click_plot_point(page, page.locator("#municipalities-ranking .bars .point path").last)
    link = page.locator("#municipalities-detail h3 a")
    link.wait_for(timeout=READY_MS)
    name = link.inner_text()
    # The list beside the map shows the municipality picked by the click.
    assert page.locator(f"{PICK} option:checked").inner_text() == name
    link.click()
    page.wait_for_url(re.compile(r"/kommuner/\d+$"), timeout=READY_MS)
    heading = page.locator("#municipality-name")
    heading.wait_for(timeout=READY_MS)
    watched.settle()
    assert heading.inner_text() == name
    # Its sessions, each with its status, under the programme chosen at the top.
    assert page.locator("#municipality-sessions-table tbody tr").count() == 10
    # And on to a session from there, through the first session's link.
    page.locator("#municipality-sessions-table tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/sessioner/LKS2026-DEMO-01$"), timeout=READY_MS)
    page.locator("#session-name").wait_for(timeout=READY_MS)
    watched.assert_clean()
    page.close()


def test_clicking_a_session_on_overblik_lands_on_its_page(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/", PAGES["/"][1])
    page = watched.page
    click_plot_point(page, page.locator("#overview-turnout .bars .point path").first)
    page.wait_for_url(re.compile(r"/sessioner/LKS2026-DEMO-\d+$"), timeout=READY_MS)
    session_id = page.url.rsplit("/", 1)[1]
    page.locator("#session-name").wait_for(timeout=READY_MS)
    watched.settle()
    assert page.locator("#session-participants-table tbody tr").count() > 0
    # The page is the one clicked: the first bar is the programme's first session.
    assert session_id == "LKS2026-DEMO-01"
    watched.assert_clean()
    page.close()
