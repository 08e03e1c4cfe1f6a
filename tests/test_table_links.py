"""A table that shows a session or a municipality leads to its page (dashboard.columns.LINKS):
links on the page, the plain value in a file."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dashboard import charts, downloads, formatting
from dashboard.chart_tables import chart_table
from dashboard.columns import municipality_href, session_href
from dashboard.db import current_database
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
