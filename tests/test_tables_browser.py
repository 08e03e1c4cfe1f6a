"""Tables in Debian's headless Chromium: the municipality x session grid ("Vis som tabel"
on Kommuner's matrix) keeps its column headings and its municipality column in sight while
it scrolls, and stays readable on a phone (assets/a11y.css)."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES, READY_MS
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def matrix_as_table(watched: WatchedPage):
    """Kommuner's matrix switched to its table; the table's scrolling box."""
    page = watched.page
    chart = page.locator(".chart", has=page.locator("#municipalities-matrix"))
    chart.get_by_label("Vis som tabel").check()
    box = page.locator("#municipalities-matrix-data-table")
    box.locator("tbody tr").first.wait_for(timeout=READY_MS)
    watched.settle()
    return box


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}],
                         ids=["390px", "1366px"])
def test_the_grid_keeps_its_headings_and_municipalities_in_sight_as_it_scrolls(
        server, browser, viewport):
    watched = WatchedPage(browser, server)
    watched.page.set_viewport_size(viewport)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    box = matrix_as_table(watched)
    top_left = box.bounding_box()
    heading = box.locator("thead th").nth(3)
    row = box.locator("tbody tr").nth(20)
    name = row.locator("td").first
    # Down and to the right, as far as the box goes: the 98 rows and the last sessions.
    box.evaluate("e => { e.scrollTop = e.scrollHeight; e.scrollLeft = e.scrollWidth; }")
    assert box.evaluate("e => e.scrollTop") > 0
    # The heading cell is still at the top of the visible box.
    assert heading.bounding_box()["y"] == pytest.approx(top_left["y"], abs=1)
    if viewport is PHONE:
        # Wider than the phone: it scrolled sideways, and the municipality column stayed.
        assert box.evaluate("e => e.scrollLeft") > 0
        assert name.bounding_box()["x"] == pytest.approx(top_left["x"], abs=1)
        assert name.evaluate("e => getComputedStyle(e).position") == "sticky"
    # No cell crushed to a word a line: every session column keeps its width.
    widths = [cell.bounding_box()["width"] for cell in row.locator("td").all()]
    assert min(widths) >= 80, widths
    watched.assert_clean()
    watched.page.close()


def test_on_a_phone_the_matrix_keeps_readable_cells_and_scrolls_sideways(server, browser):
    watched = WatchedPage(browser, server)
    watched.page.set_viewport_size(PHONE)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    plot, box = watched.page.evaluate("""() => {
        const gd = document.querySelector('#municipalities-matrix .js-plotly-plot');
        const box = document.querySelector(
            '[role=figure][aria-labelledby^="municipalities-matrix-finding"]');
        return [{cell: gd._fullLayout.xaxis._length / gd._fullData[0].x.length},
                {scroll: box.scrollWidth, width: box.clientWidth}];
    }""")
    # A session's column is wide enough for its letter, not a few pixels of colour ...
    assert plot["cell"] >= 30, plot
    # ... so the plot is wider than the phone, and its box scrolls to show the rest.
    assert box["scroll"] > box["width"], box
    watched.assert_clean()
    watched.page.close()
