"""Chart images for print, measured: every registered chart drawn for a file on the demo data
(a long filter footer, DEMODATA), rendered to SVG by kaleido as an export is, opened in
Chromium, and every text's box taken from the browser: the footer overlaps no axis label,
legend, colour bar or column heading; no text touches the figure's edge."""

from __future__ import annotations

import pytest

from dashboard import charts, export, print_layout, queries
from dashboard.components import GRAPH_CONFIG, graph_config
from dashboard.db import Database

FILTERS = queries.Filters(regions=("Region Nordjylland", "Region Midtjylland",
                                   "Region Syddanmark"), formats=("day", "overnight"),
                          audiences=("all",), years=(2022, 2023, 2024))
# Every text plotly draws, by the class of its group: (name, CSS selector).
TEXTS = [("tick", ".xtick text, .ytick text, .x2tick text, .y2tick text"),
         ("axis title", ".g-xtitle text, .g-ytitle text"),
         ("legend", ".legendtext"), ("colour bar", ".cbaxis text, .cbtitle text"),
         ("title", ".gtitle"), ("bar label", ".bartext"),
         ("annotation", ".annotation-text")]
MEASURE = """selectors => {
    const out = [];
    for (const [name, selector] of selectors) {
        for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && el.textContent.trim())
                out.push({name, text: el.textContent, left: box.left, right: box.right,
                          top: box.top, bottom: box.bottom});
        }
    }
    return out;
}"""


@pytest.fixture(scope="module")
def rendered(demo_database, browser, tmp_path_factory):
    """{chart key: (figure, [text boxes])} for every chart of the report."""
    folder = tmp_path_factory.mktemp("print")
    with Database(demo_database).cursor() as con:
        context = export.context_for(con, "LKS2022", FILTERS)
        built = export.build_all(con, context)
    paths = [folder / f"{b.chart.slug}.svg" for b in built]
    export.Renderer().write([b.figure for b in built], paths, "svg")
    page = browser.new_page()
    measured = {}
    for item, path in zip(built, paths, strict=True):
        page.goto(path.as_uri())
        measured[item.chart.key] = (item.figure, page.evaluate(MEASURE, TEXTS))
    page.close()
    return measured


def overlap(a: dict, b: dict) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


def footer_of(boxes: list[dict]) -> list[dict]:
    return [b for b in boxes if b["name"] == "annotation" and "Kilde:" in b["text"]]


@pytest.mark.parametrize("key", [c.key for c in charts.CHARTS if not c.optional])
def test_the_footer_overlaps_no_other_text(rendered, key):
    figure, boxes = rendered[key]
    (footer,) = footer_of(boxes)
    others = [b for b in boxes if b is not footer]
    assert [b["text"] for b in others if overlap(footer, b)] == []
    assert "DEMODATA" in footer["text"]
    # the filters in force for this chart: the page's filters reach the municipality charts
    if "filters" in charts.BY_KEY[key].needs:
        assert "region: Nordjylland, Midtjylland, Syddanmark" in footer["text"]
    else:
        assert "Filtre: ingen" in footer["text"]
    others = [b for b in boxes if b is not footer]
    assert [b["text"] for b in others if overlap(footer, b)] == []
    # below everything else, so the DEMODATA mark covers no column heading either
    assert footer["top"] >= max(b["bottom"] for b in others) - 1


@pytest.mark.parametrize("key", [c.key for c in charts.CHARTS if not c.optional])
def test_no_text_touches_the_edge(rendered, key):
    figure, boxes = rendered[key]
    width, height = figure.layout.width, figure.layout.height
    for box in boxes:
        assert box["left"] >= print_layout.EDGE / 2 and \
            box["right"] <= width - print_layout.EDGE / 2, (box["name"], box["text"])
        assert box["top"] >= 4 and box["bottom"] <= height - 4, (box["name"], box["text"])
    (title,) = [b for b in boxes if b["name"] == "title"]
    assert title["left"] >= print_layout.EDGE - 1


def test_tall_charts_grow_with_their_rows_and_their_footer(rendered):
    for key in ("municipalities-ranking", "municipalities-matrix"):
        figure, boxes = rendered[key]
        rows = len({b["text"] for b in boxes if b["name"] == "tick"})
        assert figure.layout.height >= 15 * rows
        (footer,) = footer_of(boxes)
        assert footer["bottom"] <= figure.layout.height - print_layout.EDGE / 2


def test_the_printed_map_title_carries_no_instruction_to_administrators(demo_database):
    with Database(demo_database).cursor() as con:
        context = export.context_for(con, "LKS2022")
        (built,) = export.build_all(con, context, [charts.BY_KEY["municipalities-map"]])
    assert "importér" not in built.figure.layout.title.text
    assert built.figure.layout.title.text == "Deltagelse pr. kommune"


def test_the_footer_sits_below_the_room_of_the_slanted_labels():
    """Without a browser: the layout itself leaves the slanted labels their room."""
    labels = [f"{d}. dec. 2022 · døgn" for d in range(1, 13)]
    figure = {"data": [{"type": "bar", "x": labels, "y": list(range(12))}],
              "layout": {"height": 380, "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
                         "xaxis": {"automargin": True}}}
    laid = print_layout.lay_out(figure, "Kilde: x. Filtre: ingen.", "DEMODATA", 1200)
    depth, angle = print_layout.tick_depth(figure, "xaxis", 1200 - 48 - 100)
    assert angle == -45 and laid["layout"]["xaxis"]["tickangle"] == -45
    footer = print_layout.footer_annotation(laid)
    assert footer["y"] == 0 and footer["yanchor"] == "top" and -footer["yshift"] >= depth
    assert laid["layout"]["margin"]["b"] >= -footer["yshift"] + print_layout.FOOTER_FONT
    assert laid["layout"]["height"] - laid["layout"]["margin"]["b"] \
        - laid["layout"]["margin"]["t"] == 380 - 10 - 60     # the plot keeps its size


def test_the_toolbar_has_no_camera_button():
    """plotly's own image would be the page's chart without title, source or mark, named
    plot-image.png; the Eksportér menu is the one way to an image."""
    for config in (GRAPH_CONFIG, graph_config()):
        assert "toImage" in config["modeBarButtonsToRemove"]
