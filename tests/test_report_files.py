"""The PDF and PowerPoint reports, opened as their readers open them: poppler's pdftotext,
pdfinfo, pdffonts and pdfimages for the PDF, python-pptx for the PowerPoint."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import export, queries, report_content, report_pptx
from dashboard.db import Database
from dashboard.i18n import t, using
from tests.conftest import require_browser

# Filters that leave every municipality in: the ranking stays tall, the grid long.
FILTERS = queries.Filters(formats=("day", "overnight"))


@pytest.fixture(scope="module")
def made(demo_database):
    """The demo's report for the physical sessions: (context, built charts, key rows, renderer)."""
    require_browser()
    with using("da"), Database(demo_database).cursor() as con:
        programme = queries.programmes(con)["programme_id"].iloc[0]
        context = export.context_for(con, programme, FILTERS)
        built = export.build_all(con, context)
        key_rows = export.key_figure_rows(con, programme, FILTERS)
    return context, built, key_rows, export.Renderer()


@pytest.fixture(scope="module")
def pdf(made, tmp_path_factory):
    context, built, key_rows, renderer = made
    path = tmp_path_factory.mktemp("report") / "rapport.pdf"
    with using("da"):
        path.write_bytes(export.report_pdf(built, context, key_rows, renderer))
    return path


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=120).stdout


def pdf_strings(raw: bytes, key: str) -> list[str]:
    """The values of `key` (e.g. Alt, Title) in an uncompressed PDF's dictionaries."""
    found = []
    pattern = rb"/" + key.encode() + rb" (?:\(((?:\\.|[^\\)])*)\)|<([0-9A-F]+)>)"
    for literal, hexed in re.findall(pattern, raw):
        found.append(bytes.fromhex(hexed.decode()).decode("utf-16") if hexed
                     else re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return found


def test_the_pdf_is_tagged_a4_landscape_with_its_fonts_embedded(pdf):
    info = run("pdfinfo", str(pdf))
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Page size:\s+841.9\d x 594.9\d pts \(A4\)", info)  # landscape
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    assert any("DejaVuSans" in line for line in fonts)


def test_the_pdf_charts_are_vectors_with_the_finding_as_alt_text(pdf, made):
    _context, built, _rows, _renderer = made
    assert run("pdfimages", "-list", str(pdf)).splitlines()[2:] == []  # no raster image
    raw = pdf.read_bytes()
    # Nor one pdfimages does not list: Chromium printed each hatched bar's SVG pattern as a
    # raster tile inside a PDF pattern (120 of them, 4 of the report's 7 MB).
    assert b"/Subtype /Image" not in raw
    alts = pdf_strings(raw, "Alt")
    pictured = [b.finding for b in built if b.chart.key != "municipalities-matrix"]
    assert sorted(alts) == sorted(pictured)
    # Every finding is a heading, and so an entry in the outline (where Chromium drops the
    # no-break space of "0 kr.").
    outline = {re.sub(r"\s", "", title) for title in pdf_strings(raw, "Title")}
    for item in built:
        assert re.sub(r"\s", "", item.finding) in outline, item.chart.key


def test_the_pdf_states_programme_filters_findings_and_demo(pdf, made):
    context, built, _rows, _renderer = made
    text = run("pdftotext", "-layout", str(pdf), "-")
    flat = " ".join(text.split())
    assert context.programme_title in flat
    assert f"Filtre {context.filters_text}" in flat and "sessionstype: " in flat
    assert "Demodata: borgmestre og tilmeldinger er fiktive." in flat
    for item in built:
        assert " ".join(item.finding.split()) in flat, item.chart.key


def test_the_pdf_grid_repeats_its_header_on_every_page(pdf, made):
    _context, built, _rows, _renderer = made
    pages = run("pdftotext", "-layout", str(pdf), "-").split("\f")
    grid = [p for p in pages if "Ikke tilmeldt" in p and "Kommune" in p]
    rows = [p for p in pages if re.search(r"^\s*\S.*Ikke tilmeldt\s+Ikke tilmeldt", p, re.M)]
    assert len(rows) >= 2        # the grid runs over pages
    assert grid == rows           # and each of them starts with its header row
    (matrix,) = [b for b in built if b.chart.key == "municipalities-matrix"]
    sessions = report_content.section(matrix).table.columns[1:]
    for page in rows:  # (a session's header wraps: its date on the first line)
        assert sessions[0].split(" · ")[0] in page


@pytest.fixture(scope="module")
def deck(made):
    from pptx import Presentation

    context, built, key_rows, renderer = made
    with using("da"):
        return Presentation(io.BytesIO(export.report_pptx(built, context, key_rows, renderer)))


def descr(shape) -> str | None:
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")


def test_the_slides_are_titled_by_the_findings(deck, made):
    _context, built, _rows, _renderer = made
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[:2] == ["Borgmesterforløbet", "Nøgletal"]
    for item in built:
        assert item.finding in titles, item.chart.key
    title_slide = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes
                           if shape.has_text_frame)
    assert "Demodata: borgmestre og tilmeldinger er fiktive." in title_slide
    assert "sessionstype: " in title_slide


def test_bar_and_line_charts_are_native_with_the_charts_values(deck, made):
    _context, built, _rows, _renderer = made
    slides = {s.shapes.title.text: s for s in deck.slides}
    (turnout,) = [b for b in built if b.chart.key == "overview-turnout"]
    (frame,) = [sh for sh in slides[turnout.finding].shapes if sh.has_chart]
    series = {s.name: list(s.values) for s in frame.chart.plots[0].series}
    assert series["Tilmeldt"] == [float(v) for v in turnout.data["registered"]]
    # A session not yet held has no attended count: an empty point, not a 0.
    assert series["Deltaget"] == [None if pd.isna(v) else float(v)
                                  for v in turnout.data["attended"]]
    assert descr(frame) == turnout.finding
    charted = [b for b in built if report_content.plot_of(b.figure).kind != "picture"]
    assert len(charted) >= 6
    for item in charted:
        assert any(sh.has_chart for sh in slides[item.finding].shapes), item.chart.key


def test_maps_are_pictures_described_by_their_finding_and_tables_split(deck, made):
    _context, built, _rows, _renderer = made
    slides = {s.shapes.title.text: s for s in deck.slides}
    maps = [b for b in built if b.chart.key.endswith(("-map", "-venues", "-origins"))]
    for item in maps:
        (picture,) = [sh for sh in slides[item.finding].shapes if sh.shape_type == 13]
        assert descr(picture) == item.finding
    continued = [s for s in deck.slides if "(fortsat," in s.shapes.title.text]
    tables = [sh.table for s in continued for sh in s.shapes if sh.has_table]
    assert tables and all(len(table.rows) <= report_pptx.ROWS_PER_SLIDE + 1
                          for table in tables)
    long = [report_content.section(b).table for b in built]
    assert sum(len(table.rows) - 1 for table in tables) == sum(
        len(frame) for frame in long if frame is not None)


def template(tmp_path, extension: str) -> str:
    """A template unlike the default: 4:3, an example slide, Danish layout names."""
    from pptx import Presentation
    from pptx.util import Cm

    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(25.4), Cm(19.05)
    deck.slide_layouts[0].name, deck.slide_layouts[5].name = "Titeldias", "Kun titel"
    deck.slides.add_slide(deck.slide_layouts[1]).shapes.title.text = "Eksempel"
    buffer = io.BytesIO()
    deck.save(buffer)
    path = tmp_path / f"kl.{extension}"
    if extension == "pptx":
        path.write_bytes(buffer.getvalue())
        return str(path)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(report_pptx.DECK_TYPE, report_pptx.TEMPLATE_TYPE)
            out.writestr(item, data)
    return str(path)


@pytest.mark.parametrize("extension", ["pptx", "potx"])
def test_the_template_named_in_the_settings_is_used(made, tmp_path, monkeypatch, extension):
    from pptx import Presentation
    from pptx.util import Cm

    context, built, key_rows, renderer = made
    monkeypatch.setenv("BORGMESTER_PPTX_TEMPLATE", template(tmp_path, extension))
    few = [b for b in built if b.chart.key in ("overview-turnout", "retention-cohorts")]
    with using("da"):
        deck = Presentation(io.BytesIO(export.report_pptx(
            few, replace(context, is_demo=False), key_rows, renderer)))
    assert (deck.slide_width, deck.slide_height) == (Cm(25.4), Cm(19.05))
    titles = [s.shapes.title.text for s in deck.slides]
    assert "Eksempel" not in titles and len(titles) == 2 + len(few)
    assert [s.slide_layout.name for s in deck.slides] == ["Titeldias"] + ["Kun titel"] * 3


def test_a_share_axis_written_the_danish_way_is_a_percent_axis_in_the_report():
    """Shares drawn with ticks "80 %" (figures.percent_ticks, no tickformat) stay shares in
    the report: a "0%" native axis and "25 %" among the key numbers, not 0 / 1 or 0,3."""
    from dashboard import figures

    with using("da"):
        figure = figures.region_shares(pd.DataFrame({
            "region": ["Nordjylland", "Sjælland"], "share_of_mayors": [0.25, 0.75],
            "share_of_attendances": [0.5, 0.5]}))
        plot = report_content.plot_of(figure)
        assert plot.value_format == "percent"
        assert report_pptx.NUMBER_FORMATS[plot.value_format] == "0%"
        assert plot.formatted(0.25) == "25 %"


def test_every_slide_of_a_demo_deck_says_demodata(deck):
    """Not only the title slide: a slide copied into another deck stays marked."""
    for number, slide in enumerate(deck.slides, start=1):
        texts = " ".join(shape.text_frame.text for shape in slide.shapes
                         if shape.has_text_frame)
        assert "DEMODATA" in texts or "Demodata" in texts, number


def test_the_pdf_writes_its_date_axes_months_in_danish(pdf):
    """The revenue over time's date axis: "mar. 2026", never plotly's English "Mar 2026"."""
    text = run("pdftotext", "-layout", str(pdf), "-")
    english = re.findall(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b", text)
    assert english == []
    assert re.search(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\. 20\d\d|maj 20\d\d",
                     text)


def test_native_bar_charts_value_axes_start_at_zero(deck, made):
    """The travel chart's bars (about 100 km each) drawn from PowerPoint's own minimum
    looked many times apart; every bar chart's value axis starts at 0."""
    _context, built, _rows, _renderer = made
    slides = {s.shapes.title.text: s for s in deck.slides}
    (travel,) = [b for b in built if b.chart.key == "geography-travel"]
    (frame,) = [sh for sh in slides[travel.finding].shapes if sh.has_chart]
    assert frame.chart.value_axis.minimum_scale == 0
    bars = [b for b in built if report_content.plot_of(b.figure).kind in ("bar", "column")]
    for item in bars:
        for shape in slides[item.finding].shapes:
            if shape.has_chart:
                assert shape.chart.value_axis.minimum_scale == 0, item.chart.key


def test_key_numbers_name_no_single_highest_among_ties():
    """The ranking's top ten share 3 sessions: "Deltaget, højest (Dragør og 10 andre)", as
    the finding says, not one of them named as the highest (and the top row first)."""
    plot = report_content.Plot("bar", True, ("Ærø", "Vejle", "Assens", "Dragør"), (
        report_content.Series("Deltaget", (1.0, 3.0, 3.0, 3.0)),))
    with using("da"):
        rows = dict(report_content.key_numbers(plot, None))
        assert rows["Deltaget, højest (Dragør og 2 andre)"] == "3"
        one = report_content.Plot("column", False, ("a", "b"), (
            report_content.Series("Deltaget", (3.0, 2.0)),))
        assert dict(report_content.key_numbers(one, None))["Deltaget, højest (a)"] == "3"


def test_travel_key_numbers_read_as_whole_km_as_the_finding_says():
    """A km axis (the travel chart's) gives key numbers like "123 km", not "123,0"."""
    from dashboard import figures

    with using("da"):
        figure = figures.travel_by_session(pd.DataFrame({
            "lat": [55.4, 56.2], "attended": [30, 20],
            "starts_at": pd.to_datetime(["2022-12-05 09:00", "2023-03-02 09:00"]),
            "format": ["overnight", "day"], "city": ["Nyborg", "Vejle"],
            "avg_travel_km": [122.96, 80.2], "total_travel_km": [3688.8, 1604.0]}))
        plot = report_content.plot_of(figure)
        assert plot.value_format == "km"
        numbers = dict(report_content.key_numbers(plot, None))
        assert numbers["km i lige linje pr. deltager, højest "
                       "(5. dec. 2022 · døgn – Nyborg)"] == "123 km"
    assert report_pptx.NUMBER_FORMATS["km"] == '#,##0" km"'


# Every chart of the report drawn as a native chart, by the kind of what it plots
# (dashboard.columns): counts, money, km, shares.
VALUE_FORMATS = {"overview-turnout": "number", "municipalities-ranking": "number",
                 "retention-cohorts": "percent", "retention-path": "percent",
                 "revenue-by-format": "kroner", "revenue-by-session": "kroner",
                 "revenue-over-time": "kroner", "geography-travel": "km",
                 "geography-regions": "percent"}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_reports_values_read_by_their_columns_kinds_in_either_language(demo_database, lang):
    """An English report's money axis says "DKK", not "kr.": it is money all the same (its
    native chart's numbers and key numbers as amounts), as the columns it draws are
    declared (dashboard.columns), never as its axis title's words happen to read."""
    from pptx import Presentation
    from pptx.util import Cm

    with using(lang), Database(demo_database).cursor() as con:
        programme = queries.programmes(con)["programme_id"].iloc[0]
        built = export.build_all(con, export.context_for(con, programme))
        sections = {b.chart.key: report_content.section(b) for b in built}
        formats = {key: section.plot.value_format for key, section in sections.items()
                   if section.plot.kind != "picture"}
        assert formats == VALUE_FORMATS
        money = sections["revenue-by-format"]
        amount = money.plot.formatted(5300)
        assert amount == {"da": "5.300 kr.", "en": "DKK 5,300"}[lang]
        totals = [value for label, value in money.key_numbers
                  if label.endswith(t("report.total", series=""))]
        assert totals and all(value.startswith("DKK ") if lang == "en"
                              else value.endswith(" kr.") for value in totals)
        # Its native chart writes the amounts as the language does.
        deck = Presentation()
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        frame = report_pptx._chart(slide, money.plot, (0, 0, Cm(20), Cm(10)), money.finding)
    assert frame.chart.value_axis.tick_labels.number_format == {
        "da": '#,##0" kr."', "en": '"DKK "#,##0'}[lang]
