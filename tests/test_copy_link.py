"""Kopiér link, in the real app and Debian's headless Chromium: what lands on the clipboard
is the view's own address, and that address opened elsewhere is the same view."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES, READY_MS
from tests.test_browser import WatchedPage
from tests.test_view_address import KOMMUNER, Fresh, change, reached


@pytest.mark.browser
def test_kopier_link_puts_the_filtered_views_address_on_the_clipboard(server, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        watched = WatchedPage(Fresh(context), server)
        watched.open("/kommuner", KOMMUNER)
        change(watched, "Onlinemøde", False, "typer=day,overnight")
        filtered = reached(watched)
        page = watched.page
        page.get_by_role("button", name="Kopiér link").click()
        # The button says so once the browser has taken the text (assets/copy-link.js).
        page.get_by_text("Link kopieret").wait_for(timeout=READY_MS)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.url
        assert copied.startswith(server + "/kommuner?") and "typer=" in copied

        page.goto(server + "/", wait_until="networkidle")
        watched.settle(PAGES["/"][1])
        page.goto(copied, wait_until="networkidle")
        watched.settle(KOMMUNER)
        assert reached(watched) == filtered
        assert not page.get_by_label("Onlinemøde", exact=True).is_checked()
        watched.assert_clean()
    finally:
        context.close()
