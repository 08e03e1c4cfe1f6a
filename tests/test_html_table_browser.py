"""A table as one component (dashboard.html_table) in the real app and Debian's headless
Chromium: a name from the data holding markup shows as its text and runs nothing, and a link
in a table moves inside the app without reloading the page, back included."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from tests.conftest import READY_MS
from tests.test_browser import WatchedPage

pytestmark = pytest.mark.browser

SESSION = "LKS2026-DEMO-01"
PARTICIPANTS = "#session-participants-table"
# A mayor's name as an export could carry it: markup, quotes, an entity, ampersands.
HOSTILE = '<script>window.__xss = 1</script> "&amp; <img src=x onerror="window.__xss = 2"> Ø&'


@pytest.fixture(scope="module")
def hostile(demo_database, users_file, tmp_path_factory):
    """The app on a copy of the demo whose first registered mayor of SESSION is named
    HOSTILE: (its address, that mayor's municipality code)."""
    from tests.app_server import serving

    path = tmp_path_factory.mktemp("hostile") / "borgmester.duckdb"
    shutil.copy(demo_database, path)
    with duckdb.connect(str(path)) as con:
        mayor_id, code = con.execute(
            "SELECT mayor_id, kommune_code FROM registrations WHERE session_id = ? "
            "ORDER BY registered_at LIMIT 1", [SESSION]).fetchone()
        con.execute("UPDATE mayors SET name = ? WHERE mayor_id = ?", [HOSTILE, mayor_id])
    with serving(path, users_file) as url:
        yield url, code


def test_a_name_holding_markup_shows_as_its_text_and_runs_nothing(hostile, browser):
    url, _code = hostile
    watched = WatchedPage(browser, url)
    watched.open(f"/sessioner/{SESSION}")
    page = watched.page
    table = page.locator(f"{PARTICIPANTS} table")
    table.wait_for(timeout=READY_MS)
    mayors = table.locator("tbody tr td:nth-child(2)").all_text_contents()
    assert HOSTILE in mayors
    # The name's markup is text in its cell, not elements: no script ran, no image asked for.
    assert table.locator("script, img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    watched.assert_clean()
    page.close()


def test_a_link_in_a_table_moves_inside_the_app_without_a_reload(hostile, browser):
    url, code = hostile
    watched = WatchedPage(browser, url)
    watched.open(f"/sessioner/{SESSION}")
    page = watched.page
    documents = []
    page.on("request", lambda r: r.resource_type == "document" and documents.append(r.url))
    page.locator(f"{PARTICIPANTS} table").wait_for(timeout=READY_MS)
    page.evaluate("() => { window.__same_page = true; }")   # a reload would forget it
    row = page.locator(f"{PARTICIPANTS} tbody tr", has_text="window.__xss")
    link = row.locator("td").first.locator("a")
    assert link.get_attribute("href") == f"/kommuner/{code}"
    link.click()
    page.wait_for_url(re.compile(rf"/kommuner/{code}$"), timeout=READY_MS)
    page.locator("#municipality-name").wait_for(timeout=READY_MS)
    watched.settle()
    # The municipality's mayors there, the hostile name among them, as text again.
    assert HOSTILE in page.locator("#municipality-mayors-table tbody td").all_text_contents()
    assert page.evaluate("() => window.__same_page") is True
    assert documents == []
    # Back is the session's page again, in the same document.
    page.go_back()
    page.wait_for_url(re.compile(rf"/sessioner/{SESSION}$"), timeout=READY_MS)
    page.locator(f"{PARTICIPANTS} table").wait_for(timeout=READY_MS)
    assert page.evaluate("() => window.__same_page") is True
    assert page.evaluate("() => window.__xss") is None
    watched.assert_clean()
    page.close()
