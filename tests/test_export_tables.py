"""Data exports as the screen shows them, opened as an analyst opens them: the XLSX with
openpyxl (headers, number formats, dates, total row, the "Om data" sheet), the CSV read
back, a page's "Hent alle tabeller" workbook; and the filters and switches the reader sees
on the page, and only those, in every file."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import charts, columns, downloads, queries
from dashboard.i18n import using

PROGRAMME = "LKS2022"   # the demo's ended programme


def sheet_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def about(book) -> dict[str, object]:
    return {label: value for label, value in sheet_rows(book["Om data"])}


def test_a_charts_xlsx_has_the_screens_headers_words_formats_and_total(app, demo_database):
    content, name = downloads.chart_file("revenue-by-session", "xlsx", PROGRAMME)
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["omsaetning-pr-session", "Om data"]
    sheet = book["omsaetning-pr-session"]
    header = [c.value for c in sheet[1]]
    assert header == ["Session", "Type", "Tilmeldinger inkl. afmeldte", "Afmeldt, faktureres",
                      "Uden kendt pris", "Omsætning ekskl. moms", "Faktureret ekskl. moms",
                      "Ikke faktureret ekskl. moms"]
    first = [c for c in sheet[2]]
    assert first[0].value == "31. jan. 2022 · døgn"
    assert first[1].value == "Døgnsession"          # a code as its name on the page
    assert first[2].number_format == "#,##0" and isinstance(first[2].value, int)
    revenue = first[header.index("Omsætning ekskl. moms")]
    assert revenue.number_format == '#,##0 "kr."' and revenue.value == 308000
    total = [c for c in sheet[sheet.max_row]]
    assert total[0].value == "I alt" and total[0].font.b
    body = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1))
    assert total[2].value == sum(row[2].value for row in body)
    assert total[5].value == sum(row[5].value for row in body) == 2266300


def test_shares_stay_numbers_with_a_percent_format_and_days_are_date_cells(app):
    content, _ = downloads.table_file("revenue-table", "xlsx", PROGRAMME)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    day = sheet["A2"]
    assert day.is_date and day.value == dt.datetime(2022, 1, 31)
    assert day.number_format == "dd-mm-yyyy"
    content, _ = downloads.chart_file("municipalities-ranking", "xlsx", PROGRAMME)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    share = sheet.cell(row=2, column=header.index("Andel deltaget") + 1)
    assert share.number_format == "0.0%" and 0 <= share.value <= 1   # 0.9, shown 90,0%


def test_every_xlsx_says_source_date_programme_filters_demo_and_when(app, demo_database):
    content, _ = downloads.chart_file(
        "municipalities-ranking", "xlsx", PROGRAMME,
        queries.Filters(regions=("Region Nordjylland",), formats=("day",)))
    book = load_workbook(io.BytesIO(content))
    said = about(book)
    assert said["Kilde"].startswith("KL-tilmeldinger")
    assert said["Data pr."] == dt.datetime(2026, 11, 30)
    assert book["Om data"]["B2"].is_date or book["Om data"]["B3"].is_date
    assert said["Forløb"] == "Lederskab i en kompleks samtid (2022–2025)"
    assert said["Filtre"] == "region: Nordjylland; sessionstype: Dagsession"
    assert said["Data"].startswith("DEMODATA")
    assert isinstance(said["Lavet"], dt.datetime)
    assert abs(said["Lavet"] - dt.datetime.now()) < dt.timedelta(hours=3)
    rows = sheet_rows(book.worksheets[0])[1:]
    assert {row[1] for row in rows} == {"Region Nordjylland"}  # and applied


def test_a_chart_says_the_filters_it_takes_and_its_vat(app):
    content, _ = downloads.chart_file("revenue-by-format", "xlsx", PROGRAMME,
                                      queries.Filters(regions=("Region Nordjylland",)),
                                      {"incl_vat": True})
    book = load_workbook(io.BytesIO(content))
    assert about(book)["Filtre"] == "region: Nordjylland; beløb inkl. moms"
    header = [c.value for c in book.worksheets[0][1]]
    assert "Omsætning inkl. moms" in header and "Omsætning ekskl. moms" not in header


def test_a_chart_the_filters_do_not_reach_says_none(app):
    """The comparison of two programmes shows them whole ("Sammenlign med")."""
    content, _ = downloads.chart_file("retention-compare-chart", "xlsx", PROGRAMME,
                                      queries.Filters(regions=("Region Nordjylland",)),
                                      {"other_programme": "LKS2026-DEMO"})
    filters = about(load_workbook(io.BytesIO(content)))["Filtre"]
    assert filters.startswith("ingen (hele forløbet, alle kommuner)")


def test_the_csv_reads_back_with_headers_words_numbers_and_total(app):
    content, name = downloads.table_file("revenue-table", "csv", PROGRAMME)
    assert name.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["Dato", "Type", "Tilmeldinger inkl. afmeldte"]
    assert frame["Dato"].iloc[0] == "31-01-2022"
    assert set(frame["Type"].iloc[:-1]) == {"Døgnsession", "Dagsession", "Onlinemøde"}
    assert frame["Dato"].iloc[-1] == "I alt"
    kroner = frame["Omsætning ekskl. moms"]
    assert kroner.dtype.kind in "if" and kroner.iloc[-1] == kroner.iloc[:-1].sum()


def test_headers_and_words_follow_the_readers_language(app):
    with using("en"):
        content, _ = downloads.table_file("revenue-table", "xlsx", PROGRAMME)
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Date", "Type", "Registrations incl. cancelled"]
    assert sheet["B2"].value == "Overnight session"
    assert sheet.cell(row=sheet.max_row, column=1).value == "Total"
    assert book.sheetnames[-1] == "About the data"


def test_hent_alle_tabeller_gives_a_sheet_per_chart_and_table_of_the_page(app):
    content, name = downloads.page_file("Økonomi", PROGRAMME)
    assert name == "tabeller-oekonomi_2026-11-30.xlsx"
    book = load_workbook(io.BytesIO(content))
    wanted = [c.slug for c in charts.on("Økonomi")] + [t.slug for t in
                                                        charts.page_tables("Økonomi")]
    assert len(book.sheetnames) == len(wanted) + 1 and book.sheetnames[-1] == "Om data"
    assert len(set(book.sheetnames)) == len(book.sheetnames)  # the same slug twice, told apart
    assert all(len(n) <= 31 for n in book.sheetnames)
    assert "beløb ekskl. moms" in about(book)["Filtre"]
    for sheet in book.worksheets[:-1]:
        assert sheet.max_row > 1 and sheet.freeze_panes == "A2"
        # printed landscape, every column on the paper, the header on every page
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
    kommuner = load_workbook(io.BytesIO(downloads.page_file("Kommuner", PROGRAMME)[0]))
    assert "kommune-x-session" in kommuner.sheetnames
    assert "kommuner-uden-deltagelse" in kommuner.sheetnames


def test_sheet_names_are_short_unique_and_legal():
    from dashboard.xlsx import sheet_names

    names = sheet_names(["a" * 40, "a" * 40, "x/y:z?", "Om data", "om data"])
    assert names[0] == "a" * 31 and names[1] == "a" * 27 + " (2)"
    assert names[2] == "x y z" and names[4] == "om data (2)"


def test_exports_take_the_filters_the_page_shows_and_nothing_else():
    """The download reads the filters from the page's address, only those that page's
    numbers take (url_state.PAGE_FILTERS): no audience on Fastholdelse, none on Om data."""
    search = "?regioner=1081&typer=day&maalgrupper=intro"
    filters, _options = downloads._shown(search, "/kommuner", [], [])
    assert filters == queries.Filters(regions=("Region Nordjylland",), formats=("day",),
                                      audiences=("intro",))
    assert downloads._shown(search, "/", [], [])[0] == filters
    assert downloads._shown(search, "/fastholdelse", [], [])[0] == queries.Filters(
        regions=("Region Nordjylland",), formats=("day",))
    assert downloads._shown(search, "/om-data", [], [])[0] == queries.NO_FILTERS
    assert downloads._shown("", "/kommuner", [], [])[0] == queries.NO_FILTERS


@pytest.mark.parametrize("chart", charts.CHARTS, ids=lambda c: c.key)
def test_every_charts_table_columns_are_declared(chart, tiny_view):
    con, view = tiny_view
    table = chart.shown_table(chart.data(con, view), view)
    undeclared = [c for c in table.frame.columns if c not in columns.COLUMNS]
    if chart.key == "municipalities-matrix":  # the columns after the first are sessions
        assert table.frame.columns[0] == "municipality"
        undeclared = [c for c in undeclared if c not in table.frame.columns[1:]]
    assert undeclared == []
    assert all(h != k or k not in columns.COLUMNS for k, h in table.headers.items())
