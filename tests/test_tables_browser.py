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


MATRIX_PLOT = "#municipalities-matrix .js-plotly-plot"


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}],
                         ids=["390px", "1366px"])
def test_the_matrix_keeps_its_session_headings_in_sight_as_the_page_scrolls(
        server, browser, viewport):
    """Scrolled down to the middle of the 98 rows, the chart still says which column is
    which session: every session's heading is on screen, clear of anything over it, above
    the rows it heads, and over its own column (hovering the cells under it names that
    session). On a phone the chart's box scrolls sideways, and the headings go with it."""
    watched = WatchedPage(browser, server)
    page = watched.page
    page.set_viewport_size(viewport)
    watched.open("/kommuner", PAGES["/kommuner"][1])
    sessions = watched.plotted("municipalities-matrix", 0, "x")
    assert len(sessions) == 10
    chart = page.locator(".chart", has=page.locator("#municipalities-matrix"))
    # The middle of the matrix at the top of the window.
    page.evaluate(f"""() => {{
        const plot = document.querySelector('{MATRIX_PLOT}').getBoundingClientRect();
        window.scrollTo({{top: window.scrollY + plot.top + plot.height / 2,
                          behavior: 'instant'}});
    }}""")
    if viewport is PHONE:   # and sideways in its own box, past the first two sessions
        box = chart.locator('[role="figure"]')
        # Returns once the box's scroll event has been handled (the page's own listeners
        # were added before this one).
        box.evaluate("""e => new Promise(done => {
            e.addEventListener('scroll', () => done(), {once: true});
            e.scrollTo({left: 100, behavior: 'instant'});
        })""")
        assert box.evaluate("e => e.scrollLeft") == 100
    height = viewport["height"]
    plot = page.locator(MATRIX_PLOT).bounding_box()
    assert plot["y"] < -300 and plot["y"] + plot["height"] > height / 2
    # Each session's heading, wherever its column is in sight (on a phone the box shows some
    # of the ten): on screen, not covered, with rows under it.
    frame = chart.locator('[role="figure"]').bounding_box()
    names = page.locator(f"{MATRIX_PLOT} .ytick text")
    checked = 0
    for session in sessions:
        heading = chart.get_by_text(session, exact=True)
        heading.first.wait_for(state="attached", timeout=READY_MS)
        # A heading's foot: where its slanted text starts, over its column.
        feet = [(b["x"] + 12, b["y"] + b["height"] - 12, b)
                for b in (h.bounding_box() for h in heading.all()) if b]
        assert feet, session
        x, y, box = feet[0]
        if not frame["x"] <= x <= frame["x"] + frame["width"]:
            assert viewport is PHONE, session   # its column scrolled out of the phone's box
            continue
        checked += 1
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (session, box)
        # Not covered: the window shows the heading there.
        assert page.evaluate("""([x, y, text]) => {
            const hit = document.elementFromPoint(x, y);
            return !!hit && hit.textContent === text;
        }""", [x, y, session]), session
        # Above the rows: municipalities' rows follow under it, on screen.
        below = [b for b in (n.bounding_box() for n in names.all())
                 if b and b["y"] >= box["y"] + box["height"]
                 and b["y"] + b["height"] <= height]
        assert len(below) >= 10, session
    assert checked >= (5 if viewport is PHONE else len(sessions))
    # Over its own column: the cells straight under a heading's foot are that session's.
    middle_session = sessions[len(sessions) // 2]
    foot = chart.get_by_text(middle_session, exact=True).first.bounding_box()
    page.mouse.move(foot["x"] + 12, foot["y"] + foot["height"] + 200)
    hover = page.locator(f"{MATRIX_PLOT} .hoverlayer .hovertext")
    hover.first.wait_for(timeout=READY_MS)
    assert middle_session in hover.first.text_content()
    watched.assert_clean()
    page.close()
