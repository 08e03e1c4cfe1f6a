"""Hovering the charts in headless Chromium: no JavaScript error, whatever lands on a label.

The probe of issue 16 saw "Cannot set property target of #<Event> which has only a getter" on
Geografi while hovering: plotly.js's hover layer assigns `evt.target`, which a browser's Event
does not allow. assets/hover-layer.js hands plotly a copy of the event instead."""

from __future__ import annotations

import contextlib
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard import charts
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

# The page position of a chart's first hoverable point: a bar's middle, or on a map (plain
# scatter traces) the first marker of its last trace (the first ones are the country's land,
# which has no hover).
FIRST_POINT = """plot => {
    const traces = plot.querySelectorAll('.scatterlayer .trace');
    const point = plot.querySelector('.trace.bars .point path')
        || traces[traces.length - 1].querySelector('.points path');
    const box = point.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
}"""
GEOGRAFI_CHARTS = len(charts.on("Geografi"))
# What assistive technology and test tools send to the element under the pointer: sent in
# one go, in the page, to the label shown at that moment (on a busy machine a label can be
# redrawn between a wait for it and a later step).
SEND_TO_THE_LABEL = """plot => {
    const label = plot.querySelector('.hoverlayer .hovertext');
    if (!label) return false;
    const box = label.getBoundingClientRect();
    const at = {clientX: box.left + box.width / 2, clientY: box.top + box.height / 2,
                bubbles: true, cancelable: true, view: window};
    for (const kind of ['mousemove', 'mousedown', 'mouseup', 'click'])
        label.dispatchEvent(new MouseEvent(kind, at));
    return true;
}"""
READY_SECONDS = 60      # readiness only: how long a label may take to appear


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
        deadline = time.monotonic() + READY_SECONDS
        while True:
            plot.scroll_into_view_if_needed()
            x, y = plot.evaluate(FIRST_POINT)
            page.mouse.move(x, y)
            with contextlib.suppress(PlaywrightTimeout):
                plot.locator(".hoverlayer .hovertext").first.wait_for(timeout=5000)
            if plot.evaluate(SEND_TO_THE_LABEL):
                break
            assert time.monotonic() < deadline, f"chart {index} showed no hover label"
            page.mouse.move(0, 0)
            page.wait_for_timeout(200)   # a pause between attempts, not a condition
        page.mouse.move(0, 0)
    watched.assert_clean()
    page.close()
