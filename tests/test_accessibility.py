"""WCAG 2.1 AA in a real browser: axe-core on every page in both languages and at both
screen sizes, the keyboard alone changing a filter and reaching an export, the language
switch, and screenshots at 1366×900 and 390×844 in test-artifacts/screens/."""

from __future__ import annotations

import json
import os

import pytest

from etl.paths import PROJECT_ROOT
from tests.conftest import ADMIN, READY_MS, settle
from tests.conftest import PAGES as DASHBOARD_PAGES
from tests.test_browser import ARTIFACTS

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, A and AA, and axe's best practices (reported; they fail the run only
# where their impact is serious or critical, like any rule).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
# Every page the dashboard serves (path: name, charts drawn): the login page and the admin's
# Data page besides the dashboard's pages.
PAGES = {"/login": ("login", 0), **DASHBOARD_PAGES, "/data": ("data", 0)}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    message = (f"axe-core is not installed ({AXE.relative_to(PROJECT_ROOT)} is missing): "
               "npm ci --prefix tests/axe (scripts/test does it when npm is on PATH)")
    if os.environ.get("BORGMESTER_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def open_page(browser, server, path: str, lang: str, size: str = "desktop", user=ADMIN):
    """A fresh browser (no cookies but the language), logged in, on `path`."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
    context.add_cookies([{"name": "sprog", "value": lang, "url": server}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.errors = errors
    if path == "/login":
        page.goto(server + "/login", wait_until="networkidle")
        return page
    page.goto(f"{server}/login?next={path}", wait_until="networkidle")
    page.fill("#username", user[0])
    page.fill("#password", user[1])
    page.click("button[type=submit]")
    page.wait_for_url(server + path, wait_until="networkidle")
    settle(page, PAGES[path][1])
    return page


def run_axe(page, source: str) -> list[dict]:
    """axe-core's violations on the page as it stands. Evaluated through the DevTools
    protocol, which the page's Content-Security-Policy does not govern (a <script> tag
    would be refused: no inline scripts but Dash's own, by hash)."""
    page.evaluate(source)
    return page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }""", AXE_TAGS)


def report(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at "
                     + "; ".join(n["target"] for n in v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_axe_finds_nothing_serious_and_the_page_fits_the_screen(
        server, browser, axe_source, path, lang, size):
    name, _charts = PAGES[path]
    page = open_page(browser, server, path, lang, size)
    assert page.locator("html").get_attribute("lang") == lang
    width, height = SIZES[size]
    screens = ARTIFACTS / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screens / f"{name}-{lang}-{width}x{height}.png"), full_page=True)

    violations = run_axe(page, axe_source)
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-{lang}-{size}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False), encoding="utf-8")
    serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert serious == [], report(serious)

    # Nothing wider than the screen: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    if size == "phone" and path != "/login":
        # The navigation folds away behind its menu button.
        assert page.locator("#nav-toggle").is_visible()
        assert not page.get_by_role("link", name="Kommuner" if lang == "da" else
                                    "Municipalities").first.is_visible()
        # (A chart hidden until asked for, as Fastholdelse's comparison, has no box.)
        # A chart too dense for a phone (Kommuner's matrix) keeps a readable width in a
        # box that scrolls sideways, as a wide table does: that box fits.
        for chart in page.locator(".js-plotly-plot").all():
            if chart.is_visible():
                scrolls = chart.evaluate("""p => { const box = p.closest('[role=figure]');
                    return getComputedStyle(box).overflowX === 'auto'
                        ? box.getBoundingClientRect().width : null; }""")
                assert (scrolls or chart.bounding_box()["width"]) <= width
        # The maps keep all of Denmark in view at any width (fixed ranges, one scale).
        assert page.locator("canvas").count() == 0
    assert page.errors == []
    page.context.close()


FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                 || style.boxShadow !== 'none';
    return {ring, tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim(),
            label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : ''};
}"""


def tab_to(page, wanted, limit: int = 80, key: str = "Tab") -> dict:
    """Press Tab until `wanted(focused)` holds; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUS_VISIBLE)
        if focused is None:
            continue
        assert focused["ring"], f"focus is invisible on {focused}"
        if wanted(focused):
            return focused
    pytest.fail("the keyboard never reached it")


def test_the_keyboard_alone_skips_to_the_content_changes_a_filter_and_exports(server, browser):
    page = open_page(browser, server, "/kommuner", "da")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    before = page.locator("#municipalities-reached").inner_text()

    # First stop: the skip link, shown when it has focus; Enter lands in the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-link"
    assert page.locator("#skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    # A filter: untick online meetings with the space bar.
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"] == "Onlinemøde")
    page.keyboard.press("Space")
    settle(page, 3)
    assert page.locator("#municipalities-reached").inner_text() != before
    attended = page.evaluate("Array.from(document.querySelector("
                             "'#municipalities-ranking .js-plotly-plot')._fullData[0].x)")

    # On to the ranking's export menu; open it and pick the data as CSV, keys only. On the
    # way: every municipality in the never-attended list, each a link to its page.
    tab_to(page, lambda f: f["text"] == "Eksportér" and page.evaluate(
        "!!document.activeElement.closest('#municipalities-ranking-export-menu')"), limit=200)
    page.keyboard.press("Enter")
    focused = tab_to(page, lambda f: f["text"] == "Data som CSV", limit=8, key="ArrowDown")
    assert focused["ring"]
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    column = rows[0].split(";").index("Sessioner deltaget")   # the table's own header
    assert sum(int(r.split(";")[column]) for r in rows[1:]) == sum(attended)
    assert page.errors == []
    page.context.close()


def test_the_map_has_a_keyboard_way_in_and_every_chart_reads_as_a_table(server, browser):
    page = open_page(browser, server, "/kommuner", "da")
    # The map's click, without a mouse: the list of municipalities beside it.
    picker = page.get_by_label("Vælg en kommune")
    picker.focus()
    picker.select_option(label="Kolding")
    page.locator("#municipalities-detail h3").wait_for(timeout=READY_MS)
    assert page.locator("#municipalities-detail h3").inner_text() == "Kolding"

    # The chart's heading states its finding; the summary is there for screen readers.
    finding = page.locator("#municipalities-map-finding").inner_text()
    assert finding.endswith("aldrig.") and " af 98 kommuner " in finding
    graph_box = page.locator('[aria-describedby="municipalities-map-summary"]')
    assert graph_box.get_attribute("aria-labelledby") == \
        "municipalities-map-finding municipalities-map-title"
    assert "Kort over Danmark" in page.locator("#municipalities-map-summary").text_content()

    # "Vis som tabel" by keyboard: the switch swaps the map for its data.
    switch = page.locator('[id*="chart-as-table"][id*="municipalities-map"]')
    switch.focus()
    page.keyboard.press("Space")
    table = page.locator("#municipalities-map-data-table")
    table.wait_for(timeout=READY_MS)
    assert table.locator("tbody tr").count() == 98
    assert table.locator("th").first.inner_text() == "Kommune"
    assert not page.locator("#municipalities-map .js-plotly-plot").is_visible()
    page.keyboard.press("Space")
    page.locator("#municipalities-map .js-plotly-plot").wait_for(state="visible")
    assert page.errors == []
    page.context.close()


def test_the_language_switch_is_remembered_and_numbers_follow_it(server, browser, sql):
    page = open_page(browser, server, "/", "da")
    # The page opens on the newest programme: the demo's 2026 one.
    reached = sql("SELECT count(DISTINCT kommune_code) FROM registrations "
                  "JOIN sessions USING (session_id) "
                  "WHERE status = 'attended' AND programme_id = 'LKS2026-DEMO'")
    assert page.locator("#kf-municipalities").inner_text() == f"{reached} af 98"
    assert page.locator("#data-as-of").inner_text() == "Data pr. 30. nov. 2026"

    page.locator("#language-switch").click()
    page.wait_for_url(server + "/", wait_until="networkidle")
    settle(page, 1)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#kf-municipalities").inner_text() == f"{reached} of 98"
    assert page.locator("#data-as-of").inner_text() == "Data as of 30 Nov 2026"
    assert page.get_by_role("link", name="Municipalities").is_visible()
    assert page.locator("#overview-turnout-finding").inner_text().startswith("Most participants")
    revenue = page.locator("#kf-revenue").inner_text()
    assert revenue.startswith("DKK ") and "," in revenue

    # Remembered: another page, a reload, still English; and back to Danish.
    page.goto(server + "/oekonomi", wait_until="networkidle")
    settle(page, 3)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Incl. VAT").is_visible()
    page.locator("#language-switch").click()
    page.wait_for_url(server + "/oekonomi", wait_until="networkidle")
    settle(page, 3)
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_label("Inkl. moms").is_visible()
    assert page.errors == []
    page.context.close()


@pytest.fixture
def sql(demo_database):
    import duckdb

    with duckdb.connect(str(demo_database), read_only=True) as con:
        yield lambda query: con.execute(query).fetchone()[0]


def test_an_admin_can_choose_a_file_to_import_with_the_keyboard(server, browser, tmp_path):
    page = open_page(browser, server, "/data", "en")
    # Playwright asks the browser to intercept file choosers when the first listener is added,
    # without waiting for the answer (channel_owner._update_subscription: fire and forget), so
    # `expect_file_chooser` just before the key press raced it and on a busy machine lost
    # (no "filechooser" event in 30 s, once in CI). Listening from here, the browser is told
    # before the dozens of round trips to the page that tabbing to the input takes, and
    # answers its DevTools commands in order: the interception is on before the key press.
    page.on("filechooser", lambda _chooser: None)
    export = tmp_path / "eksport.csv"
    export.write_text("Session;Kommune;Navn;Tilmeldt;Status\n"
                      "LKS2022-10;Odense;Anna Testesen;01-03-2025;tilmeldt\n", encoding="utf-8")
    tab_to(page, lambda f: f["tag"] == "INPUT")  # the upload's file input, named by its label
    assert page.evaluate("getComputedStyle(document.activeElement.closest('label')"
                         ".querySelector('.border-2')).outlineStyle") != "none"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(export))
    page.locator("#data-ok").wait_for(timeout=READY_MS)
    assert "rows (registrations) are valid" in page.locator("#data-ok").inner_text()
    assert page.errors == []
    page.context.close()
