"""Exports for reports, opened with the programs analysts use: pdftoppm, python-pptx,
LibreOffice, openpyxl, and an image reader."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import charts, export, queries
from etl.paths import PROJECT_ROOT
from tests.conftest import require_browser

CONTEXT = export.ExportContext("P1", "Testforløb", "2022–2025", dt.date(2025, 3, 31), True)


# What the report and `python -m dashboard export` hold: every chart that needs no second
# programme (the side-by-side chart is drawn only once one is chosen on Fastholdelse).
REPORTED = [chart for chart in charts.CHARTS if not chart.optional]


def test_every_chart_builds_from_the_hand_made_data_with_a_finding(tiny_view):
    con, view = tiny_view
    for chart in charts.CHARTS:
        drawn = charts.build(chart, con, view)
        assert drawn.figure.layout.title.text and not drawn.data.empty, chart.key
        assert drawn.finding.endswith("."), chart.key
    assert len({c.slug for c in charts.CHARTS}) == len(charts.CHARTS)


def test_a_charts_table_alone_is_the_data_its_figure_is_drawn_from(tiny_view):
    """"Vis som tabel" and the XLSX/CSV downloads take chart.data(), which reads the chart's
    query alone: no figure drawn, none of its other reads (the map's polygons)."""
    con, view = tiny_view
    con.execute("INSERT INTO municipality_boundaries VALUES "
                "(101, '{\"type\":\"Point\",\"coordinates\":[12.5,55.7]}')")
    view = replace(view, filters=queries.Filters(formats=("day", "overnight")))
    for chart in charts.CHARTS:
        drawn = charts.build(chart, con, view)
        pd.testing.assert_frame_equal(chart.data(con, view), drawn.data, obj=chart.key)


def test_the_report_leaves_out_a_chart_whose_view_it_lacks(tiny_view):
    con, view = tiny_view
    alone = export.build_all(con, CONTEXT)
    assert [b.chart for b in alone] == REPORTED
    compared = export.build_all(con, replace(CONTEXT, other_programme=view.other_programme))
    assert [b.chart for b in compared] == charts.CHARTS


def test_a_printed_chart_carries_title_source_and_demo_mark(tiny_view):
    con, view = tiny_view
    figure = charts.build(charts.BY_KEY["overview-turnout"], con, view).figure
    printed = export.for_print(figure, CONTEXT)
    (footer,) = [a.text for a in printed.layout.annotations]
    assert "Kilde: KL-tilmeldinger, data pr. 31.03.2025. Filtre: ingen" in footer
    assert "DEMODATA" in footer
    assert printed.layout.title.text == figure.layout.title.text
    real = export.for_print(figure, export.ExportContext(**{**CONTEXT.__dict__,
                                                            "is_demo": False}))
    assert "DEMODATA" not in [a.text for a in real.layout.annotations][0]
    assert figure.layout.annotations == ()  # the page's own figure is left alone


def test_file_names_say_what_and_when():
    assert export.file_name("deltagelse-pr-kommune", dt.date(2025, 5, 20), "png") == \
        "deltagelse-pr-kommune_2025-05-20.png"


def test_csv_opens_right_in_danish_excel():
    df = pd.DataFrame({"kommune": ["Ærø", "=cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"],
                       "andel": [0.5, 12.25, -1.0, 3.0],
                       "dato": pd.to_datetime(["2022-12-05 12:00", "2023-04-17", "2023-04-17",
                                               "2024-01-01"], format="ISO8601")})
    raw = export.csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "kommune;andel;dato"
    assert lines[1] == "Ærø;0,5;05-12-2022 12:00"
    assert lines[2].startswith("'=cmd") and lines[3].startswith("'-2+3;-1,0")
    assert lines[4].startswith("'@SUM")


def test_no_chromium_gives_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.raises(export.ExportError, match="apt-get install -y chromium"):
        export.browser_path()


@pytest.fixture(scope="module")
def exported(demo_database, tmp_path_factory):
    require_browser()
    out = tmp_path_factory.mktemp("export")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--format", "pdf", "--format", "pptx",
         "--format", "png", "--format", "xlsx", "--format", "csv", "--out", str(out),
         "--db", str(demo_database)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def test_the_pdf_report_has_a_page_per_chart_and_none_blank(exported, tmp_path):
    # (What the pages say, and how: tests/test_report_files.py.)
    from PIL import Image

    pdf = exported / "rapport_2026-11-30.pdf"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    # Title, key figures, a page per chart, and the pages the long tables run over.
    assert len(pages) > 2 + len(REPORTED)
    for page in pages:
        darkest, _ = Image.open(page).convert("L").getextrema()
        assert darkest < 100, f"{page.name} is blank"


def test_the_powerpoint_reopens_and_converts(exported, tmp_path):
    from pptx import Presentation

    pptx = exported / "rapport_2026-11-30.pptx"
    deck = Presentation(str(pptx))
    titles = [s.shapes.title.text for s in deck.slides]
    assert len(titles) > 2 + len(REPORTED)  # long tables run over slides of their own
    assert titles[:2] == ["Borgmesterforløbet", "Nøgletal"]
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed: apt-get install libreoffice-impress-nogui")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(pptx)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    converted = tmp_path / "rapport_2026-11-30.pdf"
    assert converted.exists(), "LibreOffice could not open the PowerPoint"
    info = subprocess.run(["pdfinfo", str(converted)], capture_output=True, text=True)
    assert f"Pages:           {len(titles)}" in info.stdout


def test_pngs_are_print_quality(exported):
    from PIL import Image

    pngs = sorted(exported.glob("*.png"))
    assert len(pngs) == len(REPORTED)
    assert all(Image.open(p).size[0] >= 2000 for p in pngs)


def test_the_data_opens_in_excel_with_real_dates_and_danish_csv(exported):
    from openpyxl import load_workbook

    book = load_workbook(exported / "omsaetning-pr-session_2026-11-30.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Session", "Type", "Tilmeldinger inkl. afmeldte"]
    assert sheet["B2"].value == "Døgnsession"
    revenue = sheet.cell(row=2, column=header.index("Omsætning ekskl. moms") + 1)
    assert isinstance(revenue.value, int | float) and revenue.number_format.endswith('"kr."')
    assert sheet.cell(row=sheet.max_row, column=1).value == "I alt"
    assert sheet.freeze_panes == "A2"
    assert book.sheetnames[-1] == "Om data"
    csv = (exported / "omsaetning-pr-session_2026-11-30.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and b";" in csv.splitlines()[0]


def test_the_filters_in_force_are_stated_and_applied(tiny_con):
    from dashboard import queries

    filters = export.filters_from({"regions": ["Region Nordjylland"], "formats": ["online"],
                                   "audiences": [], "years": ["2023"]})
    assert filters == queries.Filters(regions=("Region Nordjylland",), formats=("online",),
                                      years=(2023,))
    context = export.ExportContext("P1", "T", "2022–2025", dt.date(2025, 3, 31), False, filters)
    assert context.filters_text == "region: Nordjylland; sessionstype: Onlinemøde; år: 2023"
    assert CONTEXT.filters_text == "ingen (hele forløbet, alle kommuner)"
    (built,) = export.build_all(tiny_con, context, [charts.BY_KEY["municipalities-ranking"]])
    assert list(built.data["kommune_code"]) == [851]


def test_every_chart_exports_when_the_filters_leave_nothing(tiny_con):
    # No municipality of the hand-made data lies in Region Sjælland: the map and the grid
    # used to raise here, taking the whole report down with them.
    filters = queries.Filters(regions=("Region Sjælland",))
    context = export.ExportContext("P1", "T", "2022–2025", dt.date(2025, 3, 31), False, filters)
    built = export.build_all(tiny_con, context)
    assert [b.chart for b in built] == REPORTED
    empty = {b.chart.key: b for b in built if b.data.empty}
    assert {"municipalities-map", "municipalities-matrix"} <= set(empty)
    for b in empty.values():
        assert b.finding == "Ingen data for dette udsnit."
        assert [a.text for a in b.figure.layout.annotations][0] == b.finding


def test_every_page_table_builds(tiny_view):
    con, view = tiny_view
    for table in charts.TABLES:
        data = table.data(con, view)
        assert isinstance(data, pd.DataFrame), table.key
        assert export.table_bytes(data, "xlsx")[:2] == b"PK"


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                  "Nov", "Dec")
DANISH_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.",
                 "okt.", "nov.", "dec.")


def test_an_exported_date_axis_names_its_months_in_danish(tmp_path):
    """kaleido's Chromium has no Danish: without plotly's locale in the figure's config the
    ticks of a date axis read "Oct 2022", "Dec 2022" in a Danish report."""
    import re

    from dashboard import figures
    from dashboard.i18n import using

    require_browser()
    days = pd.date_range("2022-08-01", "2023-07-31", freq="D")
    money = pd.Series(range(len(days)), dtype=float) * 100
    frame = pd.DataFrame({"day": days, "booked_ex_vat": money, "invoiced_ex_vat": money / 2,
                          "booked_incl_vat": money, "invoiced_incl_vat": money / 2})
    with using("da"):
        figure = export.for_print(figures.cumulative_revenue(frame), CONTEXT)
        path = tmp_path / "dates.svg"
        export.Renderer().write([figure], [path], "svg")
    svg = path.read_text(encoding="utf-8")
    ticks = re.findall(r'<g class="xtick">.*?<text[^>]*>([^<]*)</text>', svg)
    assert len(ticks) >= 3, ticks
    assert all(tick.split(" ")[0] in DANISH_MONTHS for tick in ticks), ticks
    assert not any(tick.split(" ")[0] in ENGLISH_MONTHS for tick in ticks), ticks


def _holds_dates(values) -> bool:
    import numpy as np

    values = [] if values is None or isinstance(values, dict | str) else list(values)
    return bool(values) and isinstance(values[0], dt.date | np.datetime64 | pd.Timestamp)


def test_every_charts_date_axis_writes_its_months_itself(tiny_view):
    """The kind, not one chart: any axis a registered chart puts dates on has its ticks
    written in the reader's language (figures.month_ticks), so no export falls back to
    plotly's English "%b"."""
    con, view = tiny_view
    dated = 0
    for chart in charts.CHARTS:
        figure = charts.build(chart, con, view).figure
        for trace in figure.data:
            for axis_name, values in (("xaxis", getattr(trace, "x", None)),
                                      ("yaxis", getattr(trace, "y", None))):
                if _holds_dates(values):
                    dated += 1
                    axis = figure.layout[axis_name]
                    assert axis.ticktext and all(text.split(" ")[0] in DANISH_MONTHS
                                                 for text in axis.ticktext), chart.key
    assert dated  # the revenue over time, at least
