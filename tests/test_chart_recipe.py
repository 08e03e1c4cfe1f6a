"""The chart registry as the only road from a query to a page.

A throwaway chart added by the README's recipe alone (tests/recipe_chart.py: a query, a
figure, one registry entry, its texts) is on its page's layout and in its page's callback, in
"Vis som tabel", in the chart downloads (PNG, XLSX, CSV) and in the report, and meets the
query and figure contracts with no entry of its own in tests/test_contracts.py. Had any of
those needed an edit beyond the recipe, the chart would be missing there and a test here
fails. The registered charts themselves are each laid out once and written by one callback.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import dash
import duckdb
import pytest
from openpyxl import load_workbook
from PIL import Image

from dashboard import charts, downloads, export, ids
from dashboard.chart_tables import show_as_table
from dashboard.db import current_database
from etl.paths import PROJECT_ROOT
from tests import recipe_chart
from tests.conftest import require_browser
from tests.html_tables import table_in
from tests.test_callback_ids import laid_out_ids
from tests.test_contracts import assert_documented_columns, documented_frames

PROGRAMME = "LKS2022"   # the demo's ended programme


@pytest.fixture
def recipe(monkeypatch):
    """The recipe's chart added to a copy of the registry, for one test."""
    monkeypatch.setattr(charts, "CHARTS", list(charts.CHARTS))
    monkeypatch.setattr(charts, "BY_KEY", dict(charts.BY_KEY))
    recipe_chart.add(lambda obj, name, value: monkeypatch.setattr(obj, name, value,
                                                                  raising=False),
                     monkeypatch.setitem)
    return charts.BY_KEY[recipe_chart.KEY]


def sessions_in(database, programme_id: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("SELECT count(*) FROM sessions WHERE programme_id = ?",
                           [programme_id]).fetchone()[0]


def page_layout(app, name: str) -> list:
    """Every id laid out by the page registered under `name` (dash.register_page)."""
    (page,) = [p for p in dash.page_registry.values() if p["name"] == name]
    with app.server.test_request_context("/"):
        return laid_out_ids(page["layout"]())


# --- the recipe's chart, everywhere a chart goes ----------------------------------------------

def test_the_recipe_chart_is_laid_out_on_its_page(app, recipe):
    laid_out = page_layout(app, recipe.page)
    key = recipe.key
    assert laid_out.count(key) == 1
    assert {f"{key}-finding", f"{key}-title", f"{key}-summary"} <= {
        i for i in laid_out if isinstance(i, str)}
    assert {"type": ids.AS_TABLE, "chart": key} in laid_out            # "Vis som tabel"
    assert {"type": ids.CHART_EXPORT, "chart": key, "format": "png"} in laid_out
    assert key not in page_layout(app, "Geografi")


def test_the_recipe_chart_is_in_its_pages_callback(demo_database):
    """Dash fixes a callback's outputs when the page is imported: in a fresh process the
    chart is registered first, as one written into dashboard/charts.py is, and the page's
    callback, posted as a browser posts it, draws it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("BORGMESTER_USERS_FILE", "BORGMESTER_SECRET_KEY")}
    done = subprocess.run([sys.executable, "-c", recipe_chart.IN_A_FRESH_PROCESS,
                           str(demo_database)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["status"] == 200
    assert recipe_chart.KEY in got["outputs"]
    assert got["finding"] == f"{sessions_in(demo_database, PROGRAMME)} sessioner i alt."
    assert got["title"] == "Sessioner pr. sessionstype (opskrift)"
    assert got["bars"] == 1


def test_the_recipe_chart_shows_as_a_table(app, recipe, demo_database):
    # The switch on asks for the table (TABLE_ASK, set in the browser, which also shows the
    # table instead of the graph: assets/view-address.js).
    with app.server.test_request_context("/"):
        table = show_as_table({"n": 1}, PROGRAMME, "", [], [],
                              {"type": ids.AS_TABLE, "chart": recipe.key})
    shown = table_in(table, f"{recipe.key}-data-table")
    assert [th.text for th in shown.headers] == ["Type", "Sessioner"]   # the catalogue's
    assert "Dagsession" in [row[0] for row in shown.values()]           # a format by its name


def test_the_recipe_chart_downloads_as_data(app, recipe, demo_database):
    csv, name = downloads.chart_file(recipe.key, "csv", PROGRAMME)
    assert re.fullmatch(rf"{recipe_chart.SLUG}_\d{{4}}-\d\d-\d\d\.csv", name)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "Type;Sessioner"   # the catalogue's headers, as "Vis som tabel"
    assert sum(int(line.split(";")[1]) for line in lines[1:]) == \
        sessions_in(demo_database, PROGRAMME)
    xlsx, name = downloads.chart_file(recipe.key, "xlsx", PROGRAMME)
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[1]] == ["Type", "Sessioner"]


def test_the_recipe_chart_downloads_as_an_image(app, recipe):
    require_browser()
    png, name = downloads.chart_file(recipe.key, "png", PROGRAMME)
    assert name.startswith(recipe_chart.SLUG) and name.endswith(".png")
    assert Image.open(io.BytesIO(png)).size[0] >= 2000


def test_the_recipe_chart_is_in_the_report(app, recipe, tmp_path):
    """The report's chart slides and pages are its built charts, the recipe's among them."""
    from pptx import Presentation

    require_browser()
    with current_database().cursor() as con:
        context = export.context_for(con, PROGRAMME)
        built = export.build_all(con, context)
        key_rows = export.key_figure_rows(con, PROGRAMME)
    assert recipe in [b.chart for b in built]
    assert [b.chart for b in built] == [c for c in charts.CHARTS if not c.optional]
    renderer = export.Renderer()
    deck = Presentation(io.BytesIO(export.report_pptx(built, context, key_rows, renderer)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    finding = next(b.finding for b in built if b.chart is recipe)
    assert titles.count(finding) == 1
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(export.report_pdf(built, context, key_rows, renderer))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert finding.split()[0] in text


def test_the_recipe_chart_meets_the_contracts_with_no_entry_of_its_own(recipe, tiny_view):
    con, view = tiny_view
    assert_documented_columns(recipe.query, recipe.query(con, "P1"))
    frames, variants = documented_frames(recipe.figure, con, view)
    assert any(variant.get("incl_vat") for variant in variants)  # the view's switch, flipped
    for variant in variants:
        assert recipe.figure(**frames, **variant).data


# --- what the recipe cannot get wrong silently -------------------------------------------------

def test_a_chart_without_its_texts_or_with_a_parameter_the_registry_lacks_fails_at_once(
        monkeypatch):
    monkeypatch.setattr(charts, "CHARTS", list(charts.CHARTS))
    monkeypatch.setattr(charts, "BY_KEY", dict(charts.BY_KEY))
    untold = charts.Chart("revenue-untold", "uden-tekst", "Økonomi",
                          recipe_chart.sessions_per_format,
                          recipe_chart.sessions_per_format_bars, recipe_chart.finding)
    with pytest.raises(charts.RegistryError, match="describe.revenue-untold"):
        charts.register(untold)

    def by_year(con, programme_id: str, year: int):
        return recipe_chart.sessions_per_format(con, programme_id)

    with pytest.raises(charts.RegistryError, match="cannot pass a query parameter 'year'"):
        charts.Chart("revenue-by-year", "pr-aar", "Økonomi", by_year,
                     recipe_chart.sessions_per_format_bars, recipe_chart.finding)
    with pytest.raises(charts.RegistryError, match="origins"):
        charts.Chart("revenue-more", "mere", "Økonomi", recipe_chart.sessions_per_format,
                     recipe_chart.sessions_per_format_bars, recipe_chart.finding,
                     also={"origins": recipe_chart.sessions_per_format})
    assert "revenue-untold" not in charts.BY_KEY


# --- the registered charts --------------------------------------------------------------------

def test_every_registered_chart_is_laid_out_once_and_drawn_by_one_callback(app):
    laid_out = {name: page_layout(app, name) for name in
                (p["name"] for p in dash.page_registry.values())}
    figures_written = [output.split(".")[0] for key in app.callback_map
                       for output in key.strip(".").split("...") if output.endswith(".figure")]
    for chart in charts.CHARTS:
        assert laid_out[chart.page].count(chart.key) == 1, chart.key
        assert sum(page.count(chart.key) for page in laid_out.values()) == 1, chart.key
        assert figures_written.count(chart.key) == 1, chart.key
    # The graphs on a page are its registered charts, but for Planlægning's own two.
    graphs = {i["chart"] for page in laid_out.values() for i in page
              if isinstance(i, dict) and i.get("type") == ids.GRAPH_BOX}
    assert graphs - set(charts.BY_KEY) == {"planning-curves", "planning-venue-map"}


def test_pages_take_their_charts_from_the_registry_not_from_each_other():
    for path in (PROJECT_ROOT / "dashboard" / "pages").glob("*.py"):
        source = path.read_text("utf-8")
        assert "dashboard.pages" not in source, path.name
