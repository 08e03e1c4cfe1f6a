"""A page's figures get the margins their labels take before plotly.js measures them
(figures.margins_for_screen), so plotly's automargin finds room enough and draws the figure
once: the estimate of a text's width against DejaVu Sans's real one (the font Chromium
draws system-ui with on Linux, and the widest of the usual ones), and the margins set."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, components, figures
from dashboard.i18n import using
from etl.paths import REFERENCE_DIR

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core
TICK_SIZE = 11   # the municipalities' names down the ranking and the matrix
FONT_SIZE = 13   # the theme's font: the regions' names, the colorbar's statuses
# plotly.js's room beyond a label's text: its pad, min(12, the margins) (10: the theme's
# right and bottom margins), and its gap to the axis (1 px, measured in Chromium).
PLOTLY_PAD, PLOTLY_GAP = 10, 1
WIDE_BY_AT_MOST = 12  # px of white an estimate may leave beyond what plotly needs


def real_width(text: str, size: float) -> float:
    """`text`'s width in DejaVu Sans at `size` px, as Chromium lays it out."""
    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans is not installed: apt-get install -y fonts-dejavu-core")
    from PIL import ImageFont

    return ImageFont.truetype(str(DEJAVU), size).getlength(text)


def reference_names() -> tuple[list[str], list[str]]:
    """Every municipality's name and every region's, from the shipped reference data."""
    with open(REFERENCE_DIR / "municipalities.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [row["name"] for row in rows], sorted({row["region"] for row in rows})


def statuses(lang: str) -> list[str]:
    """The matrix's colorbar texts in language `lang`: its statuses and its title."""
    with using(lang):
        heatmap = figures.session_matrix(_matrix_frame()).data[0]
        return [*heatmap.colorbar.ticktext, heatmap.colorbar.title.text]


def _matrix_frame() -> pd.DataFrame:
    return pd.DataFrame({"municipality": ["Aalborg"], "session_id": ["S1"],
                         "starts_at": [pd.Timestamp("2026-03-05 09:00")],
                         "format": ["day"], "status": ["attended"]})


def _regions_frame() -> pd.DataFrame:
    return pd.DataFrame({"region": ["Region Hovedstaden", "Region Sjælland"],
                         "share_of_mayors": [0.6, 0.4], "share_of_attendances": [0.5, 0.5]})


@pytest.fixture
def page_figures(tiny_view):
    """Each registered chart's figure as a page sends it (components.chart_values), and as
    drawn for an export, by key."""
    con, view = tiny_view
    shown = {key: components.chart_values(key, drawn.figure, drawn.data, drawn.finding,
                                          demo=False)[0]
             for key, drawn in charts.read(charts.CHARTS, view, on=con).draw().items()}
    exported = {key: drawn.figure
                for key, drawn in charts.read(charts.CHARTS, view, on=con).draw().items()}
    return shown, exported


def test_the_estimate_of_a_text_errs_wide_of_its_real_width_by_a_few_px():
    municipalities, regions = reference_names()
    for texts, size in ((municipalities, TICK_SIZE), (regions, FONT_SIZE),
                        (statuses("da"), FONT_SIZE), (statuses("en"), FONT_SIZE)):
        widest = max(real_width(text, size) for text in texts)
        estimate = max(figures.text_width(text, size) for text in texts)
        assert widest <= estimate <= widest + 8, (texts, widest, estimate)
    # Narrow characters count narrow: 22 characters, commas, spaces and brackets among them,
    # are not estimated as 22 of the common width (that erred 30 px on the colorbar).
    status = "Tilmeldt, afventer (T)"
    assert (figures.text_width(status, FONT_SIZE)
            < real_width(status, FONT_SIZE) + 10
            < len(status) * figures.CHAR_EM * FONT_SIZE)


def test_the_ranking_on_a_page_has_room_for_its_names_and_its_axis_of_numbers(page_figures):
    shown, exported = page_figures
    ranking = shown["municipalities-ranking"]
    names = list(ranking.data[0].y)
    need = PLOTLY_PAD + PLOTLY_GAP + max(real_width(name, TICK_SIZE) for name in names)
    assert need <= ranking.layout.margin.l <= need + WIDE_BY_AT_MOST
    # Below: a line of numbers and the axis's title, each a line of the theme's font
    # (measured in Chromium: 17 px a line, the ranking's 43 px with the pad).
    assert 43 <= ranking.layout.margin.b <= 43 + 2
    # The legend above and nothing to the right: the theme's, left to plotly.
    assert (ranking.layout.margin.t, ranking.layout.margin.r) == (None, None)
    # The export is drawn once at a size of its own: its margins are plotly's to find.
    theirs = exported["municipalities-ranking"].layout.margin
    assert (theirs.l, theirs.r, theirs.t, theirs.b) == (None, None, None, None)


def test_the_matrix_on_a_page_has_room_for_its_names_its_colorbar_and_its_ticks(page_figures):
    shown, exported = page_figures
    matrix = shown["municipalities-matrix"]
    (heatmap,) = matrix.data
    # Above the plot only the ticks pointing at the strip's headings: their room exactly,
    # automargin off for that axis (else plotly's pad, which grows with the top margin,
    # pushed it on every first draw).
    top = matrix.layout.margin.t
    assert top == figures.HEADS_ROOM + figures.TICK_LENGTH
    pad = top  # plotly's pad: the least of 12 and the margins
    assert matrix.layout.xaxis.automargin is False
    assert matrix.layout.xaxis.showticklabels is False
    # Left: the names after plotly's ticks outside a heatmap's axes and their gap (3 px).
    need = (pad + figures.TICK_LENGTH + 3
            + max(real_width(name, TICK_SIZE) for name in heatmap.y))
    assert need <= matrix.layout.margin.l <= need + WIDE_BY_AT_MOST
    # Right: the colorbar 2 % of the plot's width beyond it (a plot 600 px wide), its
    # padding either side (10), its bar (12), the gap and its longest status.
    bar = heatmap.colorbar
    texts = max(real_width(text, FONT_SIZE) for text in [*bar.ticktext, bar.title.text])
    assert matrix.layout.margin.r >= pad + 0.02 * 600 + 2 * 10 + bar.thickness + 1 + texts
    assert exported["municipalities-matrix"].layout.margin.l is None


def test_figures_whose_labels_plotly_writes_or_turns_keep_their_margins(page_figures):
    """Numbers on a y axis (their width is plotly's choice of ticks) and sessions along an
    x axis (turned on a narrow screen): no estimate, the margins left to plotly."""
    shown, _ = page_figures
    for key in ("overview-turnout", "revenue-by-session", "revenue-over-time",
                "retention-cohorts"):
        margin = shown[key].layout.margin
        assert (margin.l, margin.r, margin.t, margin.b) == (None, None, None, None), key


def test_the_pad_plotly_adds_is_the_least_of_twelve_and_the_margins_left_as_they_are():
    fig = figures.region_shares(_regions_frame())
    room = figures.screen_margins(fig)["l"] - 10  # the theme's right and bottom: 10 px
    fig.layout.margin = {"r": 30, "t": 30, "b": 30}
    assert figures.screen_margins(fig)["l"] - 12 == room
