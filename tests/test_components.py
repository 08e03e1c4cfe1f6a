"""Page building blocks: a data table is one component holding its markup (dashboard.html_table),
and what a browser reads from that markup is the table as it was: every value as its text
(escaped, never markup), numbers aligned right, headings with their scope, links into the app."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from dashboard import columns
from dashboard.components import data_table, link, municipality_link, shown_table
from dashboard.html_table import Link, in_app_path, table_html
from tests.html_tables import parse, table_in, table_nodes

# Text from KL's exports may hold anything: markup, quotes, ampersands.
HOSTILE = '<script>window.__xss = 1</script> "&amp; <img src=x onerror="alert(1)"> \'Ø&'


def as_sent(value) -> object:
    """What the browser receives for `value`, encoded as Dash encodes a callback's output."""
    return json.loads(to_json_plotly(value))


def test_a_table_is_one_component_for_all_its_cells():
    frame = pd.DataFrame({"name": [f"Kommune {i}" for i in range(300)], "count": range(300)})
    sent = as_sent(data_table(frame, {"name": ("Kommune", None), "count": ("Antal", str)},
                              table_id="t", max_height="20rem"))
    # One component: no html.Tr / html.Td / dcc.Link under it for the browser to build.
    assert sent["type"] == "HtmlTable" and sent["namespace"] == "dashboard"
    assert "children" not in sent["props"]
    assert sent["props"]["id"] == "t"
    assert sent["props"]["className"] == "table-responsive"
    assert sent["props"]["tabIndex"] == 0   # a keyboard can scroll its box
    assert sent["props"]["style"] == {"maxHeight": "20rem", "overflowY": "auto"}
    assert len(table_nodes(sent)) == 1
    assert len(parse(sent["props"]["html"]).rows) == 300


def test_data_table_rows_carry_the_formatted_values_in_column_order():
    frame = pd.DataFrame({"name": ["Aabenraa", "Aarhus"], "count": [1200, 3]})
    table = table_in(data_table(frame, {"name": ("Kommune", None),
                                        "count": ("Antal",
                                                  lambda v: f"{v:,}".replace(",", "."))}))
    assert table.values() == [["Aabenraa", "1.200"], ["Aarhus", "3"]]
    assert [th.text for th in table.headers] == ["Kommune", "Antal"]
    # Bootstrap's table, headed by column headings a screen reader announces with each cell.
    assert table.tags[:4] == ["table", "thead", "tr", "th"]
    assert table.attrs["class"] == "table table-sm table-striped table-hover mb-0"
    assert all(th.attrs.get("scope") == "col" for th in table.headers)


def test_numbers_are_aligned_right_and_text_is_not():
    frame = pd.DataFrame({"name": ["Aabenraa"], "count": [1200], "km": [12.5],
                          "newly": [True]})
    table = table_in(data_table(frame, {"name": ("Kommune", None), "count": ("Antal", str),
                                        "km": ("km", str), "newly": ("Nyvalgt", str)}))
    for cells in (table.headers, table.rows[0]):
        assert [c.attrs.get("class") for c in cells] == [None, "text-end", "text-end", None]


def test_every_value_reads_as_its_text_and_never_as_markup():
    frame = pd.DataFrame({"name": [HOSTILE], "linked": [(HOSTILE, "/kommuner/621")],
                          "count": [1]})
    sent = as_sent(data_table(frame, {"name": (HOSTILE, None), "linked": ("Kommune", link),
                                      "count": ("Antal", lambda _v: HOSTILE)}))
    table = parse(sent["props"]["html"])
    # A browser reads each cell's text back exactly, the link's too ...
    assert [th.text for th in table.headers] == [HOSTILE, "Kommune", "Antal"]
    assert table.values() == [[HOSTILE, (HOSTILE, "/kommuner/621"), HOSTILE]]
    # ... and no element but the table's own: no <script>, no <img>, no attribute added.
    assert set(table.tags) == {"table", "thead", "tbody", "tr", "th", "td", "a"}
    assert "<script" not in sent["props"]["html"]


def test_an_address_in_a_table_quoted_and_never_outside_the_app():
    markup = table_html(["x"], [None], [[Link("a", '/kommuner/1"onclick="alert(1)')]])
    cell = parse(markup).rows[0][0]
    assert cell.href == '/kommuner/1"onclick="alert(1)'   # one attribute, quoted
    assert set(cell.attrs) == set()
    for outside in ("javascript:alert(1)", "https://example.org/", "//example.org/x",
                    "/\\example.org", "kommuner/1", "",
                    # a browser drops tab, CR and LF: "//example.org", another site
                    "/\t/example.org", "/\n/example.org", "/\r/example.org",
                    "/kommuner/1 x"):
        with pytest.raises(ValueError):
            in_app_path(outside)
        with pytest.raises(ValueError):
            table_html(["x"], [None], [[Link("a", outside)]])


def test_municipality_names_link_to_their_pages_and_unknown_names_stay_text():
    frame = pd.DataFrame({"municipality": ["Kolding", "Atlantis"]})
    table = table_in(data_table(frame, {"municipality": ("Kommune",
                                                         municipality_link({"Kolding": 621}))}))
    assert table.values() == [[("Kolding", "/kommuner/621")], ["Atlantis"]]


def test_a_shown_table_links_its_columns_and_marks_its_total_row():
    frame = pd.DataFrame({"municipality": ["Kolding", "Vejle"], "kommune_code": [621, 630],
                          "registered": [2, 3]})
    shown = shown_table(columns.shown(frame, total=True, keep=["municipality", "registered"],
                                      keys=frame), "t")
    assert "has-total" in shown.className.split()
    assert table_in(shown).values() == [[("Kolding", "/kommuner/621"), "2"],
                                        [("Vejle", "/kommuner/630"), "3"],
                                        ["I alt", "5"]]


def test_an_empty_frame_says_so_instead_of_an_empty_table():
    sent = as_sent(data_table(pd.DataFrame({"name": []}), {"name": ("Kommune", None)},
                              table_id="t", empty="Ingen"))
    assert sent["type"] == "P" and sent["props"]["children"] == "Ingen"


def body_cells(table) -> list[list]:
    """The texts of a data_table's body, row by row (a link: its text)."""
    return [[cell.text for cell in row] for row in table_in(table).rows]


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
