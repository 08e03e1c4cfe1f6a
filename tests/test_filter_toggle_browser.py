"""The filter bar on a phone, in Debian's headless Chromium: its controls folded behind
"Filtre (n)" (n: the filters in force), opened by a tap; on a desktop always open."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser


def test_on_a_phone_the_filters_fold_behind_a_button_that_counts_them(server, browser):
    watched = WatchedPage(browser, server)
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    watched.open("/kommuner?regioner=1084&typer=day", PAGES["/kommuner"][1])
    toggle = page.locator("#filter-toggle")
    assert toggle.is_visible()
    assert toggle.inner_text() == "Filtre (2)"
    assert toggle.get_attribute("aria-expanded") == "false"
    regions = page.locator("#filter-regions")
    assert not regions.is_visible()
    # The chips stay in sight: what is filtered shows while the controls are folded.
    assert page.locator("#active-filters .filter-chip").count() == 2
    assert page.locator("#active-filters").is_visible()

    toggle.click()
    regions.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_label("Intro for nyvalgte").uncheck()    # one audience: a third filter
    watched.settle(PAGES["/kommuner"][1])
    assert page.locator("#active-filters .filter-chip").count() == 3
    assert toggle.inner_text() == "Filtre (3)"
    assert regions.is_visible()                   # still open while filtering

    toggle.click()
    regions.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"
    watched.assert_clean()
    page.close()


def test_on_a_desktop_the_filters_show_and_the_button_does_not(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    assert watched.page.locator("#filter-regions").is_visible()
    assert not watched.page.locator("#filter-toggle").is_visible()
    watched.assert_clean()
    watched.page.close()
