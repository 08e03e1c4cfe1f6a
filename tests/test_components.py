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
