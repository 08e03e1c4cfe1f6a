"""A shared link with `tabel=` in the real app and Debian's headless Chromium: the charts it
names come as their tables, switch on, for the filters and switches the link carries."""

from __future__ import annotations

import pytest

from tests.conftest import READY_MS
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

# The chart's graph box: its id is {"chart": ..., "type": "chart-graph"} as JSON.
GRAPH = """[id*="revenue-by-session"][id*='"chart-graph"']"""


def test_a_link_naming_tables_opens_them_with_its_filters(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/oekonomi?tabel=revenue-by-session&moms=incl&regioner=1084")
    page = watched.page
    box = page.locator('[id*="revenue-by-session"][id*="chart-table-box"]')
    switch = page.locator('input[id*="revenue-by-session"][id*="chart-as-table"]')
    table = page.locator("#revenue-by-session-data-table table")
    table.wait_for(timeout=READY_MS)
    assert switch.is_checked()
    assert box.is_visible()
    assert not page.locator(GRAPH).is_visible()
    # The VAT switch and the region the link carries: amounts incl. VAT, Hovedstaden's only.
    headers = table.locator("thead").inner_text()
    assert "inkl. moms" in headers
    assert "Hovedstaden" in page.locator("#active-filters").inner_text()

    # The reader's own switch still works: off shows the chart again.
    switch.uncheck()
    page.locator(GRAPH).wait_for(
        state="visible", timeout=READY_MS)
    watched.assert_clean()
    page.close()
