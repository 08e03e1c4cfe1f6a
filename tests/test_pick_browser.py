"""Kommuner's shared selection in Debian's headless Chromium: a municipality picked by a
click on its bar, or from the list, is the one the list shows, ringed on the map and framed
in the ranking, also after the filters redraw the charts."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES, PICK, READY_MS
from tests.test_browser import WatchedPage
from tests.test_drill_browser import click_plot_point

pytestmark = pytest.mark.browser

CHARTS = PAGES["/kommuner"][1]

# The picked municipality's ring on the map (the shape after the Bornholm inset's frame) and
# the box of that municipality's area, as page boxes. The areas are drawn a trace per colour
# class (dashboard/figures.py, _area_traces): the trace whose meta is "areas" has a point per
# municipality (its code as customdata), and each class trace's meta.areas lists its areas as
# [point, start, end], the area's rings being x[start:end] / y[start:end].
MAP_BOXES = """([code]) => {
    const gd = document.querySelector('#municipalities-map .js-plotly-plot');
    const rings = gd.querySelectorAll('.shapelayer path');
    if (rings.length < 2) return null;
    const points = gd._fullData.find(t => t.meta === 'areas');
    const point = points.customdata.findIndex(c => Number(c) === code);
    let trace = null, span = null;
    for (const t of gd._fullData) {
        const hit = t.meta && t.meta.areas && t.meta.areas.find(a => a[0] === point);
        if (hit) { trace = t; span = hit; }
    }
    const layout = gd._fullLayout;
    const xa = layout[trace.xaxis.replace('x', 'xaxis')];
    const ya = layout[trace.yaxis.replace('y', 'yaxis')];
    const xs = trace.x.slice(span[1], span[2]).filter(v => v === v);
    const ys = trace.y.slice(span[1], span[2]).filter(v => v === v);
    const plot = gd.querySelector('.main-svg').getBoundingClientRect();
    const px = v => plot.left + xa._offset + xa.l2p(v);
    const py = v => plot.top + ya._offset + ya.l2p(v);
    const r = rings[rings.length - 1].getBoundingClientRect();
    return {ring: [r.left, r.top, r.right, r.bottom],
            area: [px(Math.min(...xs)), py(Math.max(...ys)),
                   px(Math.max(...xs)), py(Math.min(...ys))]};
}"""
# The ranking's frame (its one shape) and the tick label of the row it frames.
RANKING_FRAME = """([name]) => {
    const gd = document.querySelector('#municipalities-ranking .js-plotly-plot');
    const frame = gd.querySelector('.shapelayer path');
    const tick = [...gd.querySelectorAll('.ytick text')].find(e => e.textContent === name);
    if (!frame || !tick) return null;
    const mid = e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; };
    return [mid(frame), mid(tick)];
}"""


def assert_picked(page, name: str) -> None:
    code = int(page.locator(PICK).input_value())
    assert page.locator(f"{PICK} option:checked").inner_text() == name
    page.wait_for_function(f"() => ({MAP_BOXES})([{code}]) !== null", timeout=READY_MS)
    boxes = page.evaluate(MAP_BOXES, [code])
    # The ring traces the municipality's own area: the same box, to a pixel or two.
    assert boxes["ring"] == pytest.approx(boxes["area"], abs=3)
    page.wait_for_function(f"() => ({RANKING_FRAME})([{name!r}]) !== null", timeout=READY_MS)
    frame, tick = page.evaluate(RANKING_FRAME, [name])
    assert frame == pytest.approx(tick, abs=2)
    # The matrix keeps the lines between its cells (its own first shape), the frame after.
    assert matrix_shapes(page) == ["path", "rect"]


def matrix_shapes(page) -> list[str]:
    """The matrix's layout shapes by type, in their order."""
    return page.evaluate("""() => (document.querySelector(
        '#municipalities-matrix .js-plotly-plot').layout.shapes || []).map(s => s.type)""")


def test_a_picked_municipality_is_the_same_in_the_list_on_the_map_and_in_the_ranking(
        server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", CHARTS)
    page = watched.page
    click_plot_point(page, page.locator("#municipalities-ranking .bars .point path").last)
    link = page.locator("#municipalities-detail h3 a")
    link.wait_for(timeout=READY_MS)
    watched.settle(CHARTS)
    assert_picked(page, link.inner_text())

    # Picked from the list: the mark moves with it.
    page.locator(PICK).select_option(label="Kolding")
    page.locator("#municipalities-detail h3 a", has_text="Kolding").wait_for(timeout=READY_MS)
    watched.settle(CHARTS)
    assert_picked(page, "Kolding")

    # A filter redraws every chart: the mark is drawn again on the new figures.
    page.get_by_label("Onlinemøde").uncheck()
    watched.settle(CHARTS)
    page.wait_for_url("**typer=*", timeout=READY_MS)
    assert_picked(page, "Kolding")
    watched.assert_clean()
    page.close()


def picked_in_address(page) -> str | None:
    return page.evaluate("() => new URLSearchParams(location.search).get('kommune')")


def arrives_picked(watched: WatchedPage, code: int, name: str) -> None:
    """Wait until the address names the municipality `code`, its detail shows `name` and the
    charts have settled; then it is the one picked in the list, on the map and in the
    ranking (assert_picked)."""
    page = watched.page
    page.wait_for_function(f"() => location.search.includes('kommune={code}')",
                           timeout=READY_MS)
    page.locator("#municipalities-detail h3 a", has_text=name).wait_for(timeout=READY_MS)
    watched.settle(CHARTS)
    assert_picked(page, name)


def test_the_picked_municipality_is_in_the_address_and_back_restores_it(server, browser):
    """A link naming a municipality (`?kommune=101`) opens in a fresh browser with it picked
    (detail, list, ring, frame) as the page's first view; picking another writes the address;
    back restores the first; "Nulstil filtre" puts the filters back and keeps the pick."""
    from tests.test_view_address import Fresh

    fresh = browser.new_context()   # no cookies, no storage: another person's browser
    try:
        watched = WatchedPage(Fresh(fresh), server)
        watched.open("/kommuner?kommune=101", CHARTS)
        page = watched.page
        assert page.locator("#municipalities-detail h3 a").inner_text() == "København"
        assert page.locator(PICK).input_value() == "101"
        assert_picked(page, "København")
        assert picked_in_address(page) == "101"

        page.locator(PICK).select_option(label="Kolding")
        arrives_picked(watched, 621, "Kolding")

        page.go_back()
        arrives_picked(watched, 101, "København")

        page.go_forward()
        arrives_picked(watched, 621, "Kolding")
        assert picked_in_address(page) == "621"

        # A filter keeps the pick in the address; "Nulstil filtre" puts the filter back
        # and keeps the municipality a reader is looking at (it is no filter).
        page.get_by_label("Onlinemøde", exact=True).uncheck()
        page.wait_for_function("() => location.search.includes('typer=')", timeout=READY_MS)
        watched.settle(CHARTS)
        assert picked_in_address(page) == "621"
        page.get_by_role("button", name="Nulstil filtre").click()
        page.wait_for_function("() => location.search === '?kommune=621'", timeout=READY_MS)
        watched.settle(CHARTS)
        assert page.get_by_label("Onlinemøde", exact=True).is_checked()
        assert_picked(page, "Kolding")
        watched.assert_clean()
    finally:
        fresh.close()


def test_a_municipality_no_longer_named_by_the_address_is_unpicked(server, browser):
    """Back to the view before any pick: the list shows its placeholder again, the detail
    its hint, and the map and the ranking lose their marks."""
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", CHARTS)
    page = watched.page
    page.locator(PICK).select_option(label="Kolding")
    page.wait_for_function("() => location.search.includes('kommune=621')", timeout=READY_MS)
    watched.settle(CHARTS)
    assert_picked(page, "Kolding")

    page.go_back()
    page.wait_for_function("() => location.search === ''", timeout=READY_MS)
    page.wait_for_function(f"() => document.querySelector({PICK!r}).value === ''",
                           timeout=READY_MS)
    page.locator("#municipalities-detail h3").wait_for(state="detached", timeout=READY_MS)
    page.wait_for_function("""() => document.querySelectorAll(
        '#municipalities-ranking .shapelayer path').length === 0""", timeout=READY_MS)
    watched.settle(CHARTS)
    assert picked_in_address(page) is None
    assert matrix_shapes(page) == ["path"]   # the mark gone, the lines between cells kept
    watched.assert_clean()
    page.close()


def test_bornholm_picked_on_a_map_fitted_to_hovedstaden_is_ringed_where_it_is_drawn(
        server, browser):
    """With Hovedstaden chosen the map moves Bornholm's inset beside Copenhagen: the ring of
    a picked Bornholm goes there, opened from the address and again after a redraw."""
    watched = WatchedPage(browser, server)
    watched.open("/kommuner?regioner=1084&kommune=400", CHARTS)
    page = watched.page
    assert_picked(page, "Bornholm")
    page.get_by_label("Onlinemøde", exact=True).uncheck()
    page.wait_for_function("() => location.search.includes('typer=')", timeout=READY_MS)
    watched.settle(CHARTS)
    assert_picked(page, "Bornholm")
    watched.assert_clean()
    page.close()


def test_a_linked_pick_stays_when_the_address_is_read_after_the_page_has_appeared(
        server, browser):
    """The bar's `sync` reads the address as the page loads, in a request that can go before
    the page's layout has arrived; its answer then names none of the page's choices. Held
    back here until the page (drawn with the pick from the address) has appeared, that
    answer must not put the list back to "Vælg ..." (assets/view-address.js)."""
    from tests.test_view_address import Fresh

    fresh = browser.new_context()
    try:
        watched = WatchedPage(Fresh(fresh), server)
        watched.open("/", 0)   # logged in, on another page
        page = watched.page
        held, holding = [], [True]

        def hold_sync(route):
            if holding[0] and '"address-view"' in (route.request.post_data or ""):
                held.append(route)
            else:
                route.continue_()

        page.route("**/_dash-update-component*", hold_sync)
        page.goto(server + "/kommuner?kommune=101")
        page.locator(f"{PICK} option[value='101']").wait_for(state="attached",
                                                              timeout=READY_MS)
        assert held, "the address's sync was not asked while the page appeared"
        holding[0] = False
        for route in held:
            route.continue_()
        watched.settle(CHARTS)
        assert page.locator(PICK).input_value() == "101"
        assert page.locator("#municipalities-detail h3 a").inner_text() == "København"
        assert "kommune=101" in page.url
        watched.assert_clean()
    finally:
        fresh.close()


def test_a_pick_the_filters_leave_out_is_let_go_in_list_detail_and_address(server, browser):
    """Picked København, then Hovedstaden unticked: København is no longer in the view, so
    the pick is let go everywhere at once (the list, the detail, the ring, the address), not
    left in the address and the detail while the list shows another municipality."""
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", CHARTS)
    page = watched.page
    page.locator(PICK).select_option(label="København")
    arrives_picked(watched, 101, "København")
    page.get_by_label("Hovedstaden", exact=True).uncheck()
    page.wait_for_function("() => location.search.includes('regioner=') && "
                           "!location.search.includes('kommune=')", timeout=READY_MS)
    watched.settle(CHARTS)
    assert page.locator(PICK).input_value() == ""
    assert page.locator("#municipalities-detail h3").count() == 0
    assert page.evaluate(f"() => ({MAP_BOXES})([101])") is None   # no ring on the map
    watched.assert_clean()
    watched.page.close()
