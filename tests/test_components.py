"""Page building blocks: tables sent as plain JSON must reach the browser as Dash's own."""

from __future__ import annotations

import json

import pandas as pd
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard.components import data_table, html_json, link_json


def as_sent(value) -> object:
    """What the browser receives for `value`, encoded as Dash encodes a callback's output."""
    return json.loads(to_json_plotly(value))


def test_html_json_is_what_dash_sends_for_the_component():
    assert as_sent(html_json("Td", "5. dec. 2022")) == as_sent(html.Td("5. dec. 2022"))
    row = html_json("Tr", [html_json("Td", "a"), html_json("Td", "b")])
    assert as_sent(row) == as_sent(html.Tr([html.Td("a"), html.Td("b")]))


def test_data_table_rows_carry_the_formatted_values_in_column_order():
    frame = pd.DataFrame({"name": ["Aabenraa", "Aarhus"], "count": [1200, 3]})
    table = as_sent(data_table(frame, {"name": ("Kommune", None),
                                       "count": ("Antal", lambda v: f"{v:,}".replace(",", "."))}))
    body = table["props"]["children"]["props"]["children"][1]
    assert body["type"] == "Tbody"
    cells = [[cell["props"]["children"] for cell in row["props"]["children"]]
             for row in body["props"]["children"]]
    assert cells == [["Aabenraa", "1.200"], ["Aarhus", "3"]]
    header = table["props"]["children"]["props"]["children"][0]
    assert [th["props"]["children"] for th in header["props"]["children"]["props"]["children"]] \
        == ["Kommune", "Antal"]


def test_link_json_is_what_dash_sends_for_a_link():
    assert as_sent(link_json("Kolding", "/kommuner/621")) == \
        as_sent(dcc.Link("Kolding", href="/kommuner/621"))


def test_numbers_are_aligned_right_and_text_is_not():
    frame = pd.DataFrame({"name": ["Aabenraa"], "count": [1200], "km": [12.5],
                          "newly": [True]})
    table = as_sent(data_table(frame, {"name": ("Kommune", None), "count": ("Antal", str),
                                       "km": ("km", str), "newly": ("Nyvalgt", str)}))
    header, body = table["props"]["children"]["props"]["children"]
    heads = header["props"]["children"]["props"]["children"]
    cells = body["props"]["children"][0]["props"]["children"]
    for column in (heads, cells):
        assert [c["props"].get("className") for c in column] == [
            None, "text-end", "text-end", None]
    assert as_sent(html_json("Td", "3", "text-end")) == as_sent(html.Td("3",
                                                                       className="text-end"))


def body_cells(table) -> list[list]:
    """The texts of a data_table's body, row by row (a link: its text)."""
    body = as_sent(table)["props"]["children"]["props"]["children"][1]
    return [[cell["props"]["children"]["props"]["children"]
             if isinstance(cell["props"]["children"], dict) else cell["props"]["children"]
             for cell in row["props"]["children"]] for row in body["props"]["children"]]


def test_a_total_row_leaves_blank_what_it_does_not_add_up():
    """Økonomi's "I alt" row: nothing under Type (a total has no type), where "–" would say
    a value is not known yet; a row's missing value elsewhere still says "–"."""
    from dashboard import columns
    from dashboard.components import shown_table
    from dashboard.i18n import using

    frame = pd.DataFrame({"starts_at": pd.to_datetime(["2026-01-29", "2026-04-22"]),
                          "format": ["overnight", "day"], "registrations": [30, None],
                          "revenue_ex_vat": [264000.0, 0.0]})
    with using("da"):
        rows = body_cells(shown_table(columns.shown(frame, total=True)))
    assert rows[-1] == ["I alt", "", "30", "264.000 kr."]
    assert rows[1] == ["22. apr. 2026", "Dagsession", "–", "0 kr."]


def test_okonomis_total_row_has_no_type(app):
    from dashboard.i18n import using
    from dashboard.pages.revenue import show_revenue

    with using("da"):
        rows = body_cells(show_revenue("LKS2022", "ex")["table"])
    assert rows[-1][:2] == ["I alt", ""]
    assert "–" not in rows[-1]
