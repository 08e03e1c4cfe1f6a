"""The real app in Debian's headless Chromium: every page loads offline with no console
error, and the filters change the figures to the values plain SQL gives."""

from __future__ import annotations

import duckdb
import pytest

from dashboard import formatting
from etl.paths import PROJECT_ROOT
from tests.app_server import serving
from tests.conftest import PAGES, READY_MS, VIEWER, settle

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture
def sql(demo_database):
    with duckdb.connect(str(demo_database), read_only=True) as con:
        yield lambda query: con.execute(query).fetchone()[0]


class WatchedPage:
    """A page that records console errors, failed requests and requests leaving the app."""

    def __init__(self, browser, origin: str):
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.origin = origin
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:"))
                     else self.outside.append(r.url))

    def open(self, path: str, charts: int = 0):
        self.page.goto(self.origin + path, wait_until="networkidle")
        if "/login" in self.page.url:  # every page is behind the login
            self.page.get_by_label("Brugernavn").fill(VIEWER[0])
            self.page.get_by_label("Adgangskode").fill(VIEWER[1])
            self.page.get_by_role("button", name="Log ind").click()
            self.page.wait_for_url(self.origin + path, wait_until="networkidle")
        self.settle(charts)

    def settle(self, charts: int = 0):
        """Wait until every callback has answered and `charts` plots are drawn."""
        settle(self.page, charts)

    def plotted(self, graph_id: str, trace: int, axis: str) -> list:
        """The values plotly drew (decoded: the figure JSON ships arrays base64-packed)."""
        return self.page.evaluate(
            f"Array.from(document.querySelector('#{graph_id} .js-plotly-plot')"
            f"._fullData[{trace}].{axis})")

    def assert_clean(self):
        assert self.errors == []
        assert self.outside == []


# The pages open on the newest programme: in the demo (tests/conftest.py freezes its today at
# 30 November 2026) the made-up 2026-2029 one, under way. Counts below are of its sessions.
SHOWN = "s.programme_id = 'LKS2026-DEMO'"


def test_the_demo_strip_is_in_sight_on_a_phone_with_the_menu_closed(server, browser):
    """At 390 px the menu collapses behind its button; the Demodata strip runs across the top
    outside it, so a screenshot of a phone never passes for real data."""
    watched = WatchedPage(browser, server)
    watched.page.set_viewport_size({"width": 390, "height": 844})
    watched.open("/", PAGES["/"][1])
    strip = watched.page.locator("#demo-strip")
    assert strip.is_visible()
    assert watched.page.locator("#demo-badge").inner_text() == "Demodata"
    assert not watched.page.locator("#data-as-of").is_visible()  # inside the closed menu
    assert watched.page.locator("#nav-collapse #demo-strip").count() == 0
    box = strip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] < 80
    assert box["width"] > 300  # a strip across the page, not a word in a corner


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_offline_with_no_console_error(server, browser, path):
    name, charts = PAGES[path]
    watched = WatchedPage(browser, server)
    watched.open(path, charts)
    page = watched.page
    assert page.locator("#demo-badge").inner_text() == "Demodata"
    assert "Data pr. 30. nov. 2026" in page.locator("#data-as-of").inner_text()
    assert page.locator("html").get_attribute("lang") == "da"
    # Bootstrap is served by the app itself: the navbar is styled, not raw HTML.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") \
        == "flex"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    watched.assert_clean()
    page.close()


def test_overview_shows_the_figures_the_database_holds(server, browser, sql):
    watched = WatchedPage(browser, server)
    watched.open("/", 1)
    reached = sql("SELECT count(DISTINCT kommune_code) FROM registrations "
                  f"JOIN sessions s USING (session_id) WHERE status = 'attended' AND {SHOWN}")
    assert watched.page.locator("#kf-municipalities").inner_text() == f"{reached} af 98"
    revenue = sql("SELECT sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0)) "
                  f"FROM registrations r JOIN sessions s USING (session_id) WHERE {SHOWN}")
    assert watched.page.locator("#kf-revenue").inner_text() == formatting.kroner(revenue)
    watched.assert_clean()
    watched.page.close()


def test_the_format_filter_updates_the_municipality_figures(server, browser, sql):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", 3)
    page = watched.page
    everything = sql("SELECT count(DISTINCT kommune_code) FROM registrations "
                     f"JOIN sessions s USING (session_id) WHERE status = 'attended' AND {SHOWN}")
    assert page.locator("#municipalities-reached").inner_text() == f"{everything} af 98"

    page.get_by_label("Onlinemøde").uncheck()
    watched.settle(3)
    physical = "FROM registrations r JOIN sessions s USING (session_id) " \
               f"WHERE r.status = 'attended' AND s.format <> 'online' AND {SHOWN}"
    reached = sql(f"SELECT count(DISTINCT r.kommune_code) {physical}")
    assert reached < everything
    assert page.locator("#municipalities-reached").inner_text() == f"{reached} af 98"
    attended = watched.plotted("municipalities-ranking", 0, "x")
    assert sum(attended) == sql(f"SELECT count(DISTINCT (r.kommune_code, r.session_id)) "
                                f"{physical}")
    assert len(attended) == 98
    # The export follows the filters the page shows.
    menu = page.locator("#municipalities-ranking-export-menu")
    menu.get_by_role("button", name="Eksportér").click()
    with page.expect_download() as download:
        menu.get_by_text("Data som CSV").click()
    rows = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    column = rows[0].split(";").index("Sessioner deltaget")
    assert sum(int(r.split(";")[column]) for r in rows[1:]) == sum(attended)
    watched.assert_clean()
    page.close()


def all_tables(page):
    """The workbook "Hent alle tabeller" gives on the page shown (openpyxl)."""
    import io

    from openpyxl import load_workbook

    with page.expect_download() as download:
        page.get_by_role("button", name="Hent alle tabeller").click()
    assert download.value.suggested_filename.startswith("tabeller-")
    return load_workbook(io.BytesIO(download.value.path().read_bytes()))


def test_all_tables_take_the_filters_the_page_shows_and_no_stale_ones(server, browser):
    """Filtered on Kommuner, the workbook says and applies the filter; on Økonomi, whose
    numbers take the bar's filters too, its workbook says and applies the one the bar
    carried there; back on Kommuner the filter is still in force until "Nulstil filtre"."""
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", 3)
    page = watched.page
    page.get_by_label("Onlinemøde").uncheck()
    watched.settle(3)
    book = all_tables(page)
    said = {row[0].value: row[1].value for row in book["Om data"].iter_rows()}
    assert said["Filtre"].startswith("sessionstype: Dagsession, Døgnsession")
    grid = book["kommune-x-session"]
    assert not any("online" in str(c.value) for c in grid[1])
    page.get_by_role("link", name="Økonomi").click()
    watched.settle(3)
    book = all_tables(page)
    said = {row[0].value: row[1].value for row in book["Om data"].iter_rows()}
    assert said["Filtre"].startswith("sessionstype: Dagsession, Døgnsession")
    types = [row[0].value for row in book["omsaetning-pr-sessionstype"].iter_rows()]
    assert "Dagsession" in types and "Onlinemøde" not in types
    page.get_by_role("link", name="Kommuner").click()
    watched.settle(3)
    assert not page.get_by_label("Onlinemøde").is_checked()  # the bar carries its filters
    page.get_by_role("button", name="Nulstil filtre").click()
    watched.settle(3)
    assert page.get_by_label("Onlinemøde").is_checked()
    book = all_tables(page)
    said = {row[0].value: row[1].value for row in book["Om data"].iter_rows()}
    assert said["Filtre"] == "ingen (hele forløbet, alle kommuner)"
    assert any("online" in str(c.value) for c in book["kommune-x-session"][1])
    watched.assert_clean()
    page.close()


def test_the_vat_switch_updates_the_revenue_figures(server, browser, sql):
    watched = WatchedPage(browser, server)
    watched.open("/oekonomi", 3)
    page = watched.page
    booked = "SELECT sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0)) " \
             f"FROM registrations r JOIN sessions s USING (session_id) WHERE {SHOWN}"
    assert page.locator("#revenue-booked").inner_text() == formatting.kroner(sql(booked))
    page.get_by_label("Inkl. moms").check()
    watched.settle(3)
    assert page.locator("#revenue-booked").inner_text() == \
        formatting.kroner(sql(booked) * 125 / 100)
    invoiced = watched.plotted("revenue-by-format", 0, "y")
    assert sum(invoiced) == pytest.approx(float(sql(
        "SELECT sum(coalesce(r.price_ex_vat, s.price_ex_vat, 0)) * 1.25 "
        "FROM registrations r JOIN sessions s USING (session_id) "
        f"WHERE r.invoiced_at IS NOT NULL AND {SHOWN}")))
    assert "inkl. moms" in page.locator("#revenue-by-format").inner_text()
    # The page's tables download as the switch shows them, and say so.
    book = all_tables(page)
    said = {row[0].value: row[1].value for row in book["Om data"].iter_rows()}
    assert said["Filtre"].endswith("beløb inkl. moms")
    header = [c.value for c in book.worksheets[0][1]]
    assert "Omsætning inkl. moms" in header and "Omsætning ekskl. moms" not in header
    watched.assert_clean()
    page.close()


def test_clicking_a_municipality_shows_its_mayor(server, browser, sql):
    watched = WatchedPage(browser, server)
    watched.open("/kommuner", 3)
    page = watched.page
    top = page.locator("#municipalities-ranking .bars .point path").last  # the top bar
    top.scroll_into_view_if_needed()
    box = top.bounding_box()
    # Plotly listens on its drag layer, not on the bar: move there, let it hover, click.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    page.mouse.down()
    page.mouse.up()
    page.locator("#municipalities-detail h3").wait_for(timeout=READY_MS)
    municipality = page.locator("#municipalities-detail h3").inner_text()
    mayor = sql("SELECT my.name FROM mayors my JOIN municipalities m USING (kommune_code) "
                f"WHERE m.name = '{municipality}' ORDER BY term_start DESC LIMIT 1")  # now
    assert mayor in page.locator("#municipalities-detail").inner_text()
    watched.assert_clean()
    page.close()


NEVER_COLOUR = "#E69F00"   # dashboard.figures.NEVER_COLOR


@pytest.mark.parametrize("width", [1280, 390])
def test_the_kommuner_map_zooms_to_the_regions_chosen(server, browser, width):
    """Nordjylland chosen: the map's view is that region with a margin, its municipalities
    all drawn inside the plot, not a small patch of the whole country. Screenshots to look
    at (test-artifacts/kommuner-kort-nordjylland-*.png, -hovedstaden- with Bornholm)."""
    from dashboard import denmark

    watched = WatchedPage(browser, server)
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    ARTIFACTS.mkdir(exist_ok=True)
    for region, name in ((1081, "nordjylland"), (1084, "hovedstaden")):
        watched.open(f"/kommuner?regioner={region}", PAGES["/kommuner"][1])
        plot = page.locator("#municipalities-map .js-plotly-plot")
        view = plot.evaluate("""p => {
            const full = p._fullLayout, box = p.getBoundingClientRect();
            const areas = p._fullData.find(t => t.meta === 'areas');
            const xs = Array.from(areas.x), ys = Array.from(areas.y);
            return {x: full.xaxis.range, y: full.yaxis.range, n: xs.length,
                    plot: [full.xaxis._offset, full.yaxis._offset,
                           full.xaxis._length, full.yaxis._length],
                    points: xs.map((x, i) => [full.xaxis.l2p(x), full.yaxis.l2p(ys[i])])};
        }""")
        if region == 1081:
            assert view["n"] == 11
        width_km = view["x"][1] - view["x"][0]
        assert width_km < (denmark.X_RANGE[1] - denmark.X_RANGE[0]) * 0.85, view["x"]
        # Every chosen municipality's label point inside the plot's area.
        _left, _top, across, down = view["plot"]
        assert all(0 <= x <= across and 0 <= y <= down for x, y in view["points"])
        plot.scroll_into_view_if_needed()
        plot.screenshot(path=str(ARTIFACTS / f"kommuner-kort-{name}-{width}.png"))
    watched.assert_clean()
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_maps_draw_denmark_with_the_never_attended_in_their_own_colour(server, browser,
                                                                          width):
    from dashboard import charts, denmark

    watched = WatchedPage(browser, server)
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    watched.open("/kommuner", len(charts.on("Kommuner")))
    plot = page.locator("#municipalities-map .js-plotly-plot")
    # SVG shapes on plain axes: no map library, no WebGL canvas anywhere on the page.
    assert page.locator("canvas").count() == 0
    drawn = plot.evaluate("""p => p._fullData.map(t => ({type: t.type, fill: t.fill,
        colour: t.fillcolor, name: t.name, legend: t.showlegend, meta: t.meta,
        codes: t.meta === 'areas' ? Array.from(t.customdata) : null}))""")
    assert {t["type"] for t in drawn} == {"scatter"}
    # A trace per colour class, each area's rings in its meta; one point per area.
    areas = [t for t in drawn if isinstance(t["meta"], dict)]
    (points,) = [t for t in drawn if t["meta"] == "areas"]
    assert len(points["codes"]) == 98 and all(t["fill"] == "toself" for t in areas)
    assert sum(len(t["meta"]["areas"]) for t in areas) == 98
    (never,) = [t for t in areas if t["colour"] == NEVER_COLOUR]
    # The legend names them and their number, which is the page's never-attended list's.
    named = never["name"]
    listed = page.locator("#municipalities-never tbody tr, #municipalities-never li").count()
    assert never["legend"] and named == f"0, aldrig deltaget ({len(never['meta']['areas'])})"
    assert len(never["meta"]["areas"]) == listed > 0
    assert plot.locator(".legend").get_by_text(named).is_visible()
    # All of Denmark in view at this width: the axes keep the country's range.
    ranges = plot.evaluate("p => [p._fullLayout.xaxis.range, p._fullLayout.yaxis.range]")
    assert ranges == [list(denmark.X_RANGE), list(denmark.Y_RANGE)]
    assert plot.bounding_box()["width"] <= width
    plot.scroll_into_view_if_needed()
    plot.screenshot(path=str(ARTIFACTS / f"kommuner-kort-{width}.png"))
    # A click anywhere in a municipality's area picks it (Herning, at its town hall).
    x, y = (float(v) for v in denmark.project(8.976, 56.137))
    at = plot.evaluate("""(p, [x, y]) => {
        const full = p._fullLayout, box = p.getBoundingClientRect();
        return [box.left + full.xaxis._offset + full.xaxis.l2p(x),
                box.top + full.yaxis._offset + full.yaxis.l2p(y)]; }""", [x, y])
    # Hovering it names it (assets/map-areas.js: plotly's own hover would name a class).
    page.mouse.move(*at)
    label = plot.locator(".hoverlayer .hovertext")
    label.wait_for(timeout=READY_MS)
    assert label.text_content().startswith("Herning")
    page.mouse.click(*at)
    page.locator("#municipalities-detail h3").wait_for(timeout=READY_MS)
    assert page.locator("#municipalities-detail h3").inner_text() == "Herning"
    watched.settle()   # the pick's own answers (its mark on the charts) in before leaving
    watched.open("/geografi", len(charts.on("Geografi")))
    page.screenshot(path=str(ARTIFACTS / f"geografi-{width}.png"), full_page=True)
    labels = page.locator("#geography-venues .js-plotly-plot .textpoint").all_text_contents()
    named_places = [label for label in labels if label]
    # Each place named on the map, once however many sessions it held.
    assert len(named_places) >= 2 and len(set(named_places)) == len(named_places)
    watched.assert_clean()
    page.close()


def test_planning_shows_the_next_session_and_downloads_the_participant_list(
        server, browser, sql, tmp_path):
    from openpyxl import load_workbook

    watched = WatchedPage(browser, server)
    watched.open("/planlaegning", 2)
    page = watched.page
    registered = sql("SELECT count(*) FROM registrations WHERE session_id = 'LKS2026-DEMO-04' "
                     "AND status <> 'cancelled'")
    assert page.locator("#planning-registered").inner_text() == str(registered)
    assert "× frokost" in page.locator("#planning-meals").inner_text()
    # Its venue is placed (the demo's, in Aarhus): that venue and the travel there, no
    # suggestion.
    assert "Aarhus (fastlagt" in page.locator("#planning-venue-title").inner_text()
    assert page.locator("#planning-venue-ranking").count() == 0
    with page.expect_download() as download:
        page.get_by_role("button", name="Hent deltagerlisten som Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "deltagerliste-LKS2026-DEMO-04.xlsx"
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "Kommune"
    assert sheet.max_row - 1 == sql(
        "SELECT count(*) FROM registrations WHERE session_id = 'LKS2026-DEMO-04'")

    # The charts' tables are built when asked for: the venue map's holds the placed venue.
    assert page.locator("#planning-venue-map-data-table").count() == 0
    page.locator('[id*="chart-as-table"][id*="planning-venue-map"]').check()
    table = page.locator("#planning-venue-map-data-table")
    table.wait_for(timeout=READY_MS)
    placed = page.locator("#planning-venue-placed tbody tr")
    assert table.locator("tbody tr").count() == placed.count() == 1
    assert table.locator("tbody tr").first.locator("td").first.inner_text() == \
        placed.first.locator("td").first.inner_text() == "Aarhus"
    page.locator('[id*="chart-as-table"][id*="planning-curves"]').check()
    page.locator("#planning-curves-data-table tbody tr").first.wait_for(timeout=READY_MS)
    assert page.locator("#planning-curves-data-table th").first.inner_text() == "Session"
    watched.assert_clean()
    page.close()


def test_a_chart_downloads_as_data_and_as_a_print_quality_image(server, browser, tmp_path):
    from openpyxl import load_workbook
    from PIL import Image

    watched = WatchedPage(browser, server)
    watched.open("/", 1)
    page = watched.page
    menu = page.locator("#overview-turnout-export-menu")
    menu.get_by_role("button", name="Eksportér").click()
    with page.expect_download() as download:
        menu.get_by_text("Data som Excel").click()
    assert download.value.suggested_filename == \
        "tilmeldte-og-deltagere-pr-session_2026-11-30.xlsx"
    workbook = tmp_path / "data.xlsx"
    download.value.save_as(workbook)
    assert load_workbook(workbook).active.max_row == 11  # header + 10 sessions
    menu.get_by_role("button", name="Eksportér").click()
    with page.expect_download(timeout=60000) as download:
        menu.get_by_text("PNG (billede)").click()
    image = tmp_path / "chart.png"
    download.value.save_as(image)
    assert Image.open(image).size[0] >= 2000
    watched.assert_clean()
    page.close()


def test_a_page_table_downloads_as_csv(server, browser, tmp_path, sql):
    watched = WatchedPage(browser, server)
    watched.open("/oekonomi", 3)
    page = watched.page
    menu = page.locator("#revenue-table-export-menu")
    menu.get_by_role("button", name="Hent tabel").click()
    with page.expect_download() as download:
        menu.get_by_text("CSV").click()
    assert download.value.suggested_filename == "omsaetning-pr-session_2026-11-30.csv"
    path = tmp_path / "table.csv"
    download.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    # the header, a line per session, and the total row the page's table ends in
    assert len(lines) == 1 + sql(f"SELECT count(*) FROM sessions s WHERE {SHOWN}") + 1
    assert lines[0].startswith("Dato;Type;") and lines[-1].startswith("I alt;")
    watched.assert_clean()
    page.close()


def test_script_payloads_in_names_render_as_text(demo_database, users_file, browser, tmp_path):
    import shutil

    from etl.importer import import_files

    database = tmp_path / "hostile.duckdb"
    shutil.copy(demo_database, database)
    payloads = ['<script>document.title="xss"</script>',
                '<img src=x onerror="document.title=\'xss\'">']
    export = tmp_path / "eksport.csv"
    export.write_text("Session;Kommune;Navn;Tilmeldt;Status\n" + "".join(
        # The last session: with real data "today" is past the programme, so it is the default.
        f"LKS2022-10;{place};{name.replace(chr(34), chr(34) * 2).join(chr(34) * 2)};"
        f"01-03-2025;tilmeldt\n" for place, name in zip(["Odense", "Vejle"], payloads,
                                                        strict=True)), encoding="utf-8")
    assert import_files(database, [export]).applied
    with serving(database, users_file) as url:
        watched = WatchedPage(browser, url)
        watched.open("/planlaegning", 2)
        page = watched.page
        participants = page.locator("#planning-participant-table").inner_text()
        assert all(p in participants for p in payloads), participants  # shown as text
        assert page.title() != "xss"
        assert page.locator("#planning-participant-table img").count() == 0
        watched.assert_clean()
        page.close()


def test_a_printed_page_is_a4_landscape_with_its_marks_and_without_controls(server, browser,
                                                                            tmp_path):
    import subprocess

    from dashboard.i18n import CATALOGUE

    watched = WatchedPage(browser, server)
    watched.open("/oekonomi", PAGES["/oekonomi"][1])
    page = watched.page
    assert page.evaluate("Math.max(...Array.from(document.querySelectorAll('.js-plotly-plot'),"
                         " gd => gd._fullLayout.width))") > 1000  # wider than the paper
    # What the browser does on Ctrl+P before it lays the page out for paper.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".every(gd => gd._fullLayout.width == 1000)", timeout=READY_MS)
    pdf = tmp_path / "oekonomi.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info, info
    width, height = map(float, info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert CATALOGUE["shell.demo"]["da"] in text and "Data pr." in text
    assert f"Udskrevet fra {server}/oekonomi" in text
    for control in ("Log ud", CATALOGUE["export.menu"]["da"], "Vis som tabel", "English"):
        assert control not in text, control
    if ARTIFACTS.is_dir():
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf),
                        str(ARTIFACTS / "print-oekonomi")], check=True)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".some(gd => gd._fullLayout.width > 1000)", timeout=READY_MS)
    watched.assert_clean()
    page.close()
