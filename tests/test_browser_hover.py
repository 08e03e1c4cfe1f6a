"""Hovering the charts in headless Chromium: no JavaScript error, whatever lands on a label.

The probe of issue 16 saw "Cannot set property target of #<Event> which has only a getter" on
Geografi while hovering: plotly.js's hover layer assigns `evt.target`, which a browser's Event
does not allow. assets/hover-layer.js hands plotly a copy of the event instead."""

from __future__ import annotations

import pytest

from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

# The page position of a chart's first hoverable point: a map's last trace (the first ones are
# the town halls' backdrop, which has no hover) projected by MapLibre, or a bar's middle.
FIRST_POINT = """plot => {
    const full = plot._fullLayout;
    if (full.map) {
        const trace = plot._fullData[plot._fullData.length - 1];
        const subplot = full.map._subplot;
        const at = subplot.map.project([trace.lon[0], trace.lat[0]]);
        const box = subplot.div.getBoundingClientRect();
        return [box.left + at.x, box.top + at.y];
    }
    const box = plot.querySelector('.trace.bars .point path').getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
}"""
GEOGRAFI_CHARTS = 4
# What assistive technology and test tools send to the element under the pointer.
SENT_TO_A_LABEL = ("mousemove", "mousedown", "mouseup", "click")


def test_hovering_the_geografi_maps_and_charts_raises_no_javascript_error(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/geografi", GEOGRAFI_CHARTS)
    page = watched.page
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == GEOGRAFI_CHARTS
    for index in range(GEOGRAFI_CHARTS):
        plot = plots.nth(index)
        # Before the first hover plotly's mousedown handler has no plot to pass the event to.
        plot.locator(".hoverlayer").dispatch_event("mousedown")
        plot.scroll_into_view_if_needed()
        x, y = plot.evaluate(FIRST_POINT)
        page.mouse.move(x, y)
        label = plot.locator(".hoverlayer .hovertext").first
        label.wait_for(state="visible", timeout=15000)
        box = label.bounding_box()
        centre = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2,
                  "bubbles": True}
        for kind in SENT_TO_A_LABEL:
            label.dispatch_event(kind, centre)
        page.mouse.move(0, 0)
    watched.assert_clean()
    page.close()
