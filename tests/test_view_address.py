"""The view in the address, in the real app and Debian's headless Chromium: a filtered
view's link opened in a fresh browser shows the same numbers, back/forward restore the
view before, and an export from a filtered view applies exactly its filters."""

from __future__ import annotations

import pytest

from dashboard import columns, url_state
from dashboard.downloads import _shown
from dashboard.filter_bar import filters_in_force
from dashboard.i18n import using
from dashboard.queries import NO_FILTERS
from tests.conftest import PAGES, READY_MS
from tests.test_browser import ARTIFACTS, WatchedPage

KOMMUNER = PAGES["/kommuner"][1]


class Fresh:
    """A browser context standing in for a browser where WatchedPage opens its page."""

    def __init__(self, context):
        self.context = context

    def new_page(self, viewport: dict):
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        return page


def reached(watched: WatchedPage) -> str:
    return watched.page.locator("#municipalities-reached").inner_text()


def change(watched: WatchedPage, label: str, check: bool, in_address: str) -> None:
    """Tick or untick a filter and wait for the address to say so and the page to settle."""
    box = watched.page.get_by_label(label, exact=True)
    box.check() if check else box.uncheck()
    watched.page.wait_for_url(f"**{in_address}**", timeout=READY_MS)
    watched.settle(KOMMUNER)


@pytest.mark.browser
def test_a_filtered_views_link_shows_the_same_numbers_in_a_fresh_browser(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", KOMMUNER)
    everything = reached(watched)
    change(watched, "Onlinemøde", False, "typer=day,overnight")
    change(watched, "Nordjylland", False, "regioner=1082,1083,1084,1085")
    link, filtered = watched.page.url, reached(watched)
    ranking = watched.plotted("municipalities-ranking", 0, "x")
    assert filtered != everything
    chips = watched.page.locator("#active-filters").inner_text()
    assert "Onlinemøde" not in chips and "Dagsession" in chips and "Hovedstaden" in chips

    fresh = browser.new_context()   # no cookies, no storage: another person's browser
    try:
        other = WatchedPage(Fresh(fresh), server)
        other.open(link.removeprefix(server), KOMMUNER)   # through the login
        assert other.page.url == link
        assert reached(other) == filtered
        assert other.plotted("municipalities-ranking", 0, "x") == ranking
        assert not other.page.get_by_label("Onlinemøde", exact=True).is_checked()
        assert not other.page.get_by_label("Nordjylland", exact=True).is_checked()
        other.assert_clean()
    finally:
        fresh.close()
    watched.assert_clean()
    watched.page.close()


@pytest.mark.browser
def test_back_and_forward_restore_the_view_before(server, browser):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", KOMMUNER)
    page = watched.page
    first = reached(watched)
    change(watched, "Onlinemøde", False, "typer=")
    second = reached(watched)
    change(watched, "Sjælland", False, "regioner=")
    third = reached(watched)
    assert len({first, second, third}) == 3

    page.go_back()
    page.wait_for_function("() => !location.search.includes('regioner')", timeout=READY_MS)
    watched.settle(KOMMUNER)
    assert reached(watched) == second
    assert page.get_by_label("Sjælland", exact=True).is_checked()
    assert not page.get_by_label("Onlinemøde", exact=True).is_checked()

    page.go_back()
    page.wait_for_function("() => location.search === ''", timeout=READY_MS)
    watched.settle(KOMMUNER)
    assert reached(watched) == first
    assert page.get_by_label("Onlinemøde", exact=True).is_checked()

    page.go_forward()
    page.wait_for_function("() => location.search.includes('typer')", timeout=READY_MS)
    watched.settle(KOMMUNER)
    assert reached(watched) == second

    # "Nulstil filtre": everything again, and the address bare.
    page.get_by_role("button", name="Nulstil filtre").click()
    page.wait_for_function("() => location.search === ''", timeout=READY_MS)
    watched.settle(KOMMUNER)
    assert reached(watched) == first
    watched.assert_clean()
    page.close()


@pytest.mark.browser
def test_an_export_from_a_filtered_view_applies_exactly_its_filters(server, browser, sql):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner?regioner=1084&typer=day,overnight", KOMMUNER)
    page = watched.page
    attended = watched.plotted("municipalities-ranking", 0, "x")
    assert len(attended) == sql("SELECT count(*) FROM municipalities "
                                "WHERE region = 'Region Hovedstaden'")
    menu = page.locator("#municipalities-ranking-export-menu")
    menu.get_by_role("button", name="Eksportér").click()
    with page.expect_download() as download:
        menu.get_by_text("Data som CSV").click()
    rows = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    header = rows[0].split(";")
    with using("da"):  # the file's headers are the catalogue's words (dashboard.columns)
        region = header.index(columns.header("region"))
        sessions = header.index(columns.header("sessions_attended"))
    assert {r.split(";")[region].removeprefix("Region ") for r in rows[1:]} == {"Hovedstaden"}
    assert sum(int(r.split(";")[sessions]) for r in rows[1:]) == sum(attended)
    assert len(rows) - 1 == len(attended)
    watched.assert_clean()
    page.close()


@pytest.mark.browser
def test_kommuner_and_oekonomi_with_filters_at_desktop_and_phone_widths(server, browser):
    """Screenshots to look at (test-artifacts/): the bar, its chips and what it says where
    a filter does not apply."""
    watched = WatchedPage(browser, server)
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        watched.page.set_viewport_size({"width": width, "height": height})

        def open_bar(filters: int, width: int = width) -> None:
            """On a phone the controls fold behind "Filtre (n)" until opened (each page
            opened afresh folds them again)."""
            if width < 768:
                toggle = watched.page.locator("#filter-toggle")
                assert toggle.inner_text() == f"Filtre ({filters})"
                toggle.click()

        watched.open("/kommuner?regioner=1084,1085&typer=day", KOMMUNER)
        open_bar(2)
        assert watched.page.locator("#filter-regions-group").is_visible()
        watched.page.screenshot(path=str(ARTIFACTS / f"adresse-kommuner-{width}.png"),
                                full_page=True)
        watched.open("/oekonomi?regioner=1084&moms=incl", PAGES["/oekonomi"][1])
        open_bar(1)
        assert watched.page.get_by_role("radio", name="Inkl. moms").is_checked()
        assert watched.page.locator("#filter-regions-group").is_visible()
        assert "Hovedstaden" in watched.page.locator("#active-filters").inner_text()
        assert watched.page.locator("#filter-note").inner_text() == ""
        watched.page.screenshot(path=str(ARTIFACTS / f"adresse-oekonomi-{width}.png"),
                                full_page=True)
        watched.open("/geografi?regioner=1081&typer=day,overnight", PAGES["/geografi"][1])
        open_bar(2)
        assert watched.page.locator("#filter-formats-group").is_visible()
        watched.page.screenshot(path=str(ARTIFACTS / f"adresse-geografi-{width}.png"),
                                full_page=True)
        watched.open("/fastholdelse?regioner=1081&maalgrupper=intro",
                     PAGES["/fastholdelse"][1])
        open_bar(1)   # the audience is no filter here: no chip for it
        assert not watched.page.locator("#filter-audiences-group").is_visible()
        assert "målgruppe" in watched.page.locator("#filter-note").inner_text()
        assert "Intro" not in watched.page.locator("#active-filters").inner_text()
        watched.page.screenshot(path=str(ARTIFACTS / f"adresse-fastholdelse-{width}.png"),
                                full_page=True)
        watched.open("/?regioner=1081&aar=2026", PAGES["/"][1])
        assert "af 11" in watched.page.locator("#kf-municipalities").inner_text()
        watched.page.screenshot(path=str(ARTIFACTS / f"adresse-overblik-{width}.png"),
                                full_page=True)
    watched.assert_clean()
    watched.page.close()


@pytest.fixture
def sql(demo_database):
    import duckdb

    with duckdb.connect(str(demo_database), read_only=True) as con:
        yield lambda query: con.execute(query).fetchone()[0]


def test_each_page_exports_with_the_filters_it_takes(app):
    """The bug was: Overblik showed no filter, yet its report came out with Kommuner's. Now
    the filters come from the page's own address and apply where the page takes them
    (url_state.PAGE_FILTERS): every page with numbers takes the four but Fastholdelse,
    which leaves out the audience; a page without numbers takes none."""
    search = "?regioner=1084&typer=day&maalgrupper=all&aar=2027"
    with app.server.test_request_context("/"):
        every = {path: filters_in_force(search, path)
                 for path in ("/", "/kommuner", "/oekonomi", "/geografi", "/fastholdelse",
                              "/om-data")}
    for path in ("/", "/kommuner", "/oekonomi", "/geografi"):
        assert every[path].regions == ("Region Hovedstaden",), path
        assert every[path].formats == ("day",) and every[path].years == (2027,), path
        assert every[path].audiences == ("all",), path
    assert every["/fastholdelse"].audiences == () and every["/fastholdelse"].years == (2027,)
    assert every["/om-data"] == NO_FILTERS
    assert _shown(search, "/", [], [])[0] == every["/"]
    assert url_state.decode(search)["regions"] == [1084]


@pytest.mark.browser
def test_a_filtered_oekonomi_link_opened_fresh_shows_its_filtered_revenue_and_chips(
        server, browser, sql):
    """Økonomi takes the bar's filters: a link for the Capital Region's day sessions,
    opened in a browser that has seen nothing, shows that revenue (summed here from the
    tables, the rule of the brochure: every registration billed, cancelled ones too) and
    says the filters as chips."""
    from dashboard import formatting

    programme = sql("SELECT programme_id FROM programmes ORDER BY period_start DESC, "
                    "programme_id LIMIT 1")
    revenue = sql(
        "SELECT coalesce(sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0)), 0) "
        "FROM registrations r JOIN sessions s USING (session_id) "
        "JOIN municipalities m ON m.kommune_code = r.kommune_code "
        f"WHERE s.programme_id = '{programme}' AND m.region = 'Region Hovedstaden' "
        "AND s.format = 'day'")
    everything = sql("SELECT sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0)) "
                     "FROM registrations r JOIN sessions s USING (session_id) "
                     f"WHERE s.programme_id = '{programme}'")
    assert 0 < revenue < everything
    fresh = browser.new_context()
    try:
        watched = WatchedPage(Fresh(fresh), server)
        watched.open("/oekonomi?regioner=1084&typer=day", PAGES["/oekonomi"][1])
        page = watched.page
        with using("da"):
            assert page.locator("#revenue-booked").inner_text() == formatting.kroner(revenue)
        chips = page.locator("#active-filters").inner_text()
        assert "Region: Hovedstaden" in chips and "Sessionstype: Dagsession" in chips
        assert page.get_by_label("Dagsession", exact=True).is_checked()
        assert not page.get_by_label("Døgnsession", exact=True).is_checked()
        # Only day sessions in the revenue per type.
        assert watched.plotted("revenue-by-format", 0, "x") == ["Dagsession"]
        watched.assert_clean()
    finally:
        fresh.close()
