"""The PowerPoint report: a title slide, key figures, then per chart a slide whose title is
its finding. Bar and line charts are native PowerPoint charts (their data editable in
PowerPoint), maps pictures with the finding as alternative text, tables PowerPoint tables
split over as many slides as they need. KL's template is used when BORGMESTER_PPTX_TEMPLATE
names one (.potx or .pptx).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Cm, Pt

from dashboard import formatting
from dashboard.i18n import language, t
from dashboard.report_content import Plot, Section
from dashboard.settings import setting

# Layouts by name, English (python-pptx's default, most templates) and Danish Office names.
TITLE_LAYOUTS = ("Title Slide", "Titeldias")
TITLE_ONLY_LAYOUTS = ("Title Only", "Kun titel")
ROWS_PER_SLIDE = 14   # table rows under the header on one slide, readable at 11 pt
CHART_TYPES = {("column", False): XL_CHART_TYPE.COLUMN_CLUSTERED,
               ("column", True): XL_CHART_TYPE.COLUMN_STACKED,
               ("bar", False): XL_CHART_TYPE.BAR_CLUSTERED,
               ("bar", True): XL_CHART_TYPE.BAR_STACKED,
               ("line", False): XL_CHART_TYPE.LINE_MARKERS}
NUMBER_FORMATS = {"percent": "0%", "kroner": '#,##0" kr."', "km": '#,##0" km"',
                  "number": "#,##0"}
# In English money reads "DKK 5,300" (dashboard.formatting.kroner).
ENGLISH_FORMATS = {**NUMBER_FORMATS, "kroner": '"DKK "#,##0'}
DEMO_COLOUR = RGBColor(0xB3, 0x47, 0x00)
TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
DECK_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def open_template(path: str | Path | None = None) -> Presentation:
    """The deck to build on: the template (a .potx read as the presentation it makes), its
    own slides removed; python-pptx's default at 16:9 without one."""
    path = path if path is not None else setting("BORGMESTER_PPTX_TEMPLATE")
    if not path:
        deck = Presentation()
        deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)
        return deck
    raw = Path(path).read_bytes()
    if str(path).lower().endswith(".potx"):
        # python-pptx opens presentations only: the same package, another content type.
        source, target = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(TEMPLATE_TYPE, DECK_TYPE)
                out.writestr(item, data)
        raw = target.getvalue()
    deck = Presentation(io.BytesIO(raw))
    slides = deck.slides._sldIdLst
    for slide_id in list(slides):  # a template's example slides are not the report's
        deck.part.drop_rel(slide_id.rId)
        slides.remove(slide_id)
    return deck


def layout(deck, names: tuple[str, ...], fallback: int):
    """The template's layout of one of `names`, else the one at `fallback` (or the last)."""
    for candidate in deck.slide_layouts:
        if candidate.name in names:
            return candidate
    layouts = list(deck.slide_layouts)
    return layouts[min(fallback, len(layouts) - 1)]


def _titled(deck, title: str, size: int = 24):
    slide = deck.slides.add_slide(layout(deck, TITLE_ONLY_LAYOUTS, 5))
    if slide.shapes.title is not None:
        slide.shapes.title.text = title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            paragraph.font.size = Pt(size)
    return slide


def _mark_demo(deck, slide) -> None:
    """DEMODATA in the slide's bottom margin (below _body), so a slide copied into another
    deck still says its numbers are made up."""
    box = slide.shapes.add_textbox(deck.slide_width - Cm(6.5), deck.slide_height - Cm(1),
                                   Cm(5), Cm(0.8))
    box.text_frame.text = t("about_file.demo_mark")
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    paragraph.font.size, paragraph.font.bold = Pt(11), True
    paragraph.font.color.rgb = DEMO_COLOUR


def _body(deck) -> tuple[int, int, int, int]:
    """Where a slide's content goes: left, top, width, height (EMU), below the title."""
    margin = Cm(1.5)
    top = Cm(4.2)
    return margin, top, deck.slide_width - 2 * margin, deck.slide_height - top - Cm(1)


def _table(slide, frame: pd.DataFrame, box: tuple[int, int, int, int], size: int = 11,
           numbers_right: bool = False) -> None:
    left, top, width, _height = box
    rows, columns = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(rows, columns, left, top, width, Cm(0.8) * rows)
    table = shape.table
    for column, header in enumerate(frame.columns):
        table.cell(0, column).text = str(header)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
    if numbers_right:
        for row in list(table.rows)[1:]:
            row.cells[columns - 1].text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _describe(shape, text: str) -> None:
    """The shape's alternative text (what PowerPoint's "Alt Text" pane shows)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def number_format(value_format: str) -> str:
    """PowerPoint's number format for a Plot's values, in the reader's language."""
    return (ENGLISH_FORMATS if language() == "en" else NUMBER_FORMATS)[value_format]


def _chart(slide, plot: Plot, box: tuple[int, int, int, int], finding: str):
    data = CategoryChartData(number_format=number_format(plot.value_format))
    data.categories = list(plot.categories)
    for series in plot.series:
        data.add_series(series.name, list(series.values))
    frame = slide.shapes.add_chart(CHART_TYPES[(plot.kind, plot.stacked and plot.kind != "line")],
                                   *box, data)
    chart = frame.chart
    chart.has_legend = len(plot.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.font.size = Pt(12)
    chart.value_axis.tick_labels.number_format = number_format(plot.value_format)
    chart.value_axis.tick_labels.number_format_is_linked = False
    if plot.kind in ("column", "bar"):
        # A bar's length is its value: PowerPoint's automatic axis starts near the smallest
        # (the travel chart's 100 km bars from 95), which makes small differences look big.
        chart.value_axis.minimum_scale = 0
    for series, colour in zip(chart.plots[0].series, [s.colour for s in plot.series],
                              strict=True):
        if colour:
            rgb = RGBColor.from_string(colour.lstrip("#").upper())
            if plot.kind == "line":
                series.format.line.color.rgb = rgb
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = rgb
    _describe(frame, finding)
    return frame


def _pages(frame: pd.DataFrame, size: int = ROWS_PER_SLIDE) -> list[pd.DataFrame]:
    return [frame.iloc[i:i + size] for i in range(0, len(frame), size)] or [frame]


def report_pptx(sections: list[Section], context, key_rows: list[tuple[str, str]], renderer,
                progress: Callable[[], None] = lambda: None,
                template: str | Path | None = None) -> bytes:
    """The whole report as .pptx bytes (see the module's docstring)."""
    deck = open_template(template)
    title = deck.slides.add_slide(layout(deck, TITLE_LAYOUTS, 0))
    title.shapes.title.text = t("report.name")
    lines = [f"{context.programme_title} ({context.period})",
             f"{t('report.data_as_of')} {formatting.short_date(context.data_as_of)}",
             f"{t('report.filters')}: {context.filters_text}"]
    subtitle = next((p for p in title.placeholders if p.placeholder_format.idx == 1), None)
    if subtitle is not None:
        subtitle.text = "\n".join(lines)
        for paragraph in subtitle.text_frame.paragraphs:
            paragraph.font.size = Pt(16)
    # Its own box at the top, whatever the template's subtitle holds: always seen whole.
    mark = title.shapes.add_textbox(Cm(1.5), Cm(0.6), deck.slide_width - Cm(3), Cm(1.4))
    mark.text_frame.word_wrap = True
    mark.text_frame.text = t("report.demo") if context.is_demo else t("report.real")
    font = mark.text_frame.paragraphs[0].font
    font.size, font.bold = Pt(18), context.is_demo
    if context.is_demo:
        font.color.rgb = DEMO_COLOUR

    figures = _titled(deck, t("report.key_figures"), 28)
    _table(figures, pd.DataFrame(key_rows, columns=[t("report.figure"), t("report.value")]),
           _body(deck), 16, numbers_right=True)

    pictures = {id(s): s for s in sections if s.plot.kind == "picture" and s.table is None}
    pngs = _pictures(list(pictures.values()), renderer)
    for section in sections:
        progress()
        left, top, width, height = _body(deck)
        slide = _titled(deck, section.finding)
        chart_width = int(width * 0.66) if section.key_numbers else width
        if section.plot.kind != "picture":
            _chart(slide, section.plot, (left, top, chart_width, height), section.finding)
        elif id(section) in pngs:
            picture = slide.shapes.add_picture(pngs[id(section)], left, top,
                                               height=height)
            if picture.width > chart_width:  # keep it beside the numbers
                picture.height = int(picture.height * chart_width / picture.width)
                picture.width = chart_width
            _describe(picture, section.finding)
        numbers_box = (left + chart_width + Cm(0.5), top, width - chart_width - Cm(0.5),
                       height)
        if section.table is not None and section.plot.kind == "picture":
            numbers_box = (left, top, width, height)  # the grid: its numbers, then its table
        if section.key_numbers:
            _table(slide, pd.DataFrame(section.key_numbers,
                                       columns=[t("report.key_numbers"), t("report.value")]),
                   numbers_box, 11, numbers_right=True)
        if section.table is not None:
            pages = _pages(section.table)
            for number, page in enumerate(pages, start=1):
                more = _titled(deck, t("report.continued",
                                       title=section.table_title or section.title,
                                       part=number, parts=len(pages)), 20)
                _table(more, page, _body(deck), 10 if len(page.columns) > 6 else 12)
    if context.is_demo:
        for slide in list(deck.slides)[1:]:
            _mark_demo(deck, slide)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _pictures(sections: list[Section], renderer) -> dict[int, io.BytesIO]:
    """The sections' figures as PNG (one browser for all), by id(section)."""
    if not sections:
        return {}
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"chart-{i}.png" for i in range(len(sections))]
        renderer.write([s.figure for s in sections], paths, "png")
        return {id(s): io.BytesIO(p.read_bytes()) for s, p in zip(sections, paths, strict=True)}
