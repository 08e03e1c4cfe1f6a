"""A table that shows a session or a municipality leads to its page (dashboard.columns.LINKS):
links on the page, the plain value in a file."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard import charts, columns, downloads, formatting
from dashboard.chart_tables import chart_table
from dashboard.columns import municipality_href, session_href
from dashboard.db import current_database
from dashboard.i18n import using
from tests.html_tables import links_in

PROGRAMME = "LKS2022"   # the demo's ended programme


def test_okonomis_session_table_leads_to_every_sessions_page(app):
    from dashboard.pages.revenue import show_revenue

    with current_database().cursor() as con:
        sessions = con.execute("SELECT session_id, starts_at FROM sessions "
                               "WHERE programme_id = ? ORDER BY starts_at",
                               [PROGRAMME]).fetchall()
    table = show_revenue(PROGRAMME, "ex")["table"]
    # One link a session, its date as the text; the total row ("I alt") leads nowhere.
    assert links_in(table) == [(formatting.short_date(day), session_href(sid))
                               for sid, day in sessions]
    # The file has the dates as date cells and no addresses.
    content, _ = downloads.table_file("revenue-table", "xlsx", PROGRAMME)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(row[0].is_date and row[0].hyperlink is None
               for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1))
    content, _ = downloads.table_file("revenue-table", "csv", PROGRAMME)
    assert "/sessioner/" not in content.decode("utf-8-sig")


def test_a_charts_table_leads_to_each_municipality_and_session(app):
    view = charts.View(PROGRAMME)
    with current_database().cursor() as con:
        ranking = charts.BY_KEY["municipalities-ranking"].data(con, view)
        by_session = charts.BY_KEY["revenue-by-session"].data(con, view)
    links = links_in(chart_table("municipalities-ranking", ranking, view))
    assert len(links) == 98
    assert links == [(name, municipality_href(code)) for name, code in
                     zip(ranking["municipality"], ranking["kommune_code"], strict=True)]
    links = links_in(chart_table("revenue-by-session", by_session, view))
    assert [href for _text, href in links] == [session_href(s) for s in by_session["session_id"]]
    content, _ = downloads.chart_file("municipalities-ranking", "csv", PROGRAMME)
    assert "/kommuner/" not in content.decode("utf-8-sig")


# Real DST codes; the data in an order of its own, Brønderslev first.
MATRIX_NAMES = {"Brønderslev": 810, "Aarhus": 751, "Ærø": 492, "Albertslund": 165,
                "Aabenraa": 580, "Vejle": 630, "Aalborg": 851}
DANISH_ORDER = ["Albertslund", "Brønderslev", "Vejle", "Ærø", "Aabenraa", "Aalborg", "Aarhus"]


def matrix_data(names: dict[str, int]) -> pd.DataFrame:
    """session_matrix's rows for `names` (in that order) at two sessions."""
    return pd.DataFrame([
        {"kommune_code": code, "municipality": name, "region": "Region Nordjylland",
         "session_id": session, "session_title": "Dagsession",
         "starts_at": pd.Timestamp(day), "format": "day", "status": "attended"}
        for name, code in names.items()
        for session, day in (("S1", "2026-01-29 09:00"), ("S2", "2026-04-22 09:00"))])


def test_the_matrixs_table_is_in_danish_order_and_leads_to_each_municipality():
    """Kommuner's matrix as a table ("Vis som tabel", its files, the report's grid): a row
    per municipality in Danish alphabetical order whatever order its data comes in
    (Albertslund first; Aabenraa, Aalborg and Aarhus read as Å, at the end), and each name a
    link to the municipality's page, as in every other table (columns.LINKS)."""
    chart = charts.BY_KEY["municipalities-matrix"]
    data, view = matrix_data(MATRIX_NAMES), charts.View("P")
    with using("da"):
        assert chart.table_frame(data)["municipality"].tolist() == DANISH_ORDER
        shown = chart.shown_table(data, view)
        assert shown.frame["municipality"].tolist() == DANISH_ORDER
        assert links_in(chart_table(chart.key, data, view)) == [
            (name, municipality_href(MATRIX_NAMES[name])) for name in DANISH_ORDER]
    # A name the data gives two codes is no address to guess: it leads nowhere.
    twice = pd.concat([data, matrix_data({"Vejle": 999})])
    keys = columns.keys_by_value(pd.DataFrame({"municipality": ["Vejle", "Ærø"]}), twice)
    assert keys["kommune_code"].isna().tolist() == [True, False]


def test_the_matrixs_table_on_the_page_leads_to_all_98_municipalities(app):
    view = charts.View(PROGRAMME)
    with current_database().cursor() as con:
        matrix = charts.BY_KEY["municipalities-matrix"].data(con, view)
    codes = dict(zip(matrix["municipality"], matrix["kommune_code"], strict=True))
    links = links_in(chart_table("municipalities-matrix", matrix, view))
    assert [name for name, _href in links] == sorted(codes, key=formatting.danish_key)
    assert links[0][0] == "Albertslund" and links[-1][0] == "Aarhus"
    assert all(href == municipality_href(codes[name]) for name, href in links)
    # The file holds the names as text.
    content, _ = downloads.chart_file("municipalities-matrix", "csv", PROGRAMME)
    assert "/kommuner/" not in content.decode("utf-8-sig")
