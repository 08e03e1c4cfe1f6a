"""Never a silent wait: while a report or a chart's file is made, the page says so and its
buttons are disabled; and a worker's export browsers start with it and close with it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.paths import PROJECT_ROOT
from tests.conftest import READY_MS, require_browser
from tests.test_browser import WatchedPage

# Recorded by the page itself, so no moment can be missed: whether the button was ever
# disabled while the status message was in sight, and whether both came back afterwards.
WATCH = """([button, status]) => {
    window.__seen = false;
    const look = () => {
        const b = button && document.querySelector(button);
        const s = document.getElementById(status);
        if (s && !s.hidden && (!button || (b && b.disabled))) window.__seen = true;
    };
    new MutationObserver(look).observe(document.body,
        {attributes: true, subtree: true, childList: true});
}"""
SETTLED_BACK = """([button, status]) => {
    const b = button && document.querySelector(button);
    return window.__seen && (!button || (b && !b.disabled))
        && document.getElementById(status).hidden;
}"""


@pytest.mark.browser
def test_while_a_report_is_made_its_buttons_are_disabled_and_the_wait_is_said(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/", 1)
    page = watched.page
    status = page.locator("#report-status")
    assert status.is_hidden() and "ca. 5 s" in status.text_content()
    page.evaluate(WATCH, ["#report-pptx", "report-status"])
    with page.expect_download(timeout=READY_MS) as download:
        page.click("#report-pptx")
    assert download.value.suggested_filename == "rapport_2026-11-30.pptx"
    page.wait_for_function(SETTLED_BACK, arg=["#report-pptx", "report-status"],
                           timeout=READY_MS)
    watched.assert_clean()
    page.close()


@pytest.mark.browser
def test_while_a_chart_image_is_made_the_page_says_so(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/", 1)
    page = watched.page
    menu = page.locator("#overview-turnout-export-menu")
    menu.get_by_role("button", name="Eksportér").click()
    # (The menu closes as its item is clicked: the message is what stays in sight.)
    page.evaluate(WATCH, [None, "export-status"])
    with page.expect_download(timeout=READY_MS) as download:
        menu.get_by_text("PNG (billede)").click()
    assert download.value.suggested_filename.endswith(".png")
    page.wait_for_function(SETTLED_BACK, arg=[None, "export-status"], timeout=READY_MS)
    watched.assert_clean()
    page.close()


# A worker that starts its export browsers (as the app does with BORGMESTER_WARM_BROWSER=1),
# then ends: at once while they start, or once they are ready. Either way it must exit
# cleanly and take its Chromium processes with it.
WORKER = """
import sys
from dashboard import export
warming = export.warm()
if sys.argv[1] == "ready":
    warming.join()
    from dashboard import browser
    assert browser._printer is not None and browser._printer.ready.is_set()
print("exiting", flush=True)
"""


@pytest.mark.parametrize("when", ["starting", "ready"])
def test_a_worker_with_warm_browsers_exits_cleanly(when):
    require_browser()
    done = subprocess.run([sys.executable, "-c", WORKER, when], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    assert "exiting" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr[-800:]
