"""The PDF report: an HTML page printed by Chromium to a tagged A4 landscape PDF with an
outline (from the headings), fonts embedded and charts as vectors (SVG).

Title page (programme, period, data date, filters, demo or real), key figures, then a page
per chart: its finding as the heading, the chart with the finding as its alternative text,
its key numbers beside it, and (a tall chart's rest, the grid) a table whose header row
repeats on every page it runs over.
"""

from __future__ import annotations

import base64
import copy
import html
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard import browser, formatting
from dashboard.i18n import t
from dashboard.report_content import Section

FONT = "DejaVu Sans"   # Debian's fonts-dejavu-core: local, and Chromium embeds it
SVG_WIDTH = 900        # px the charts are laid out at (then scaled to the page)
MIN_HEIGHT = 520       # px: a short chart drawn taller, to fill the landscape page
CHART_MM = (172, 150)  # the most a chart takes of the page: width, height in mm

STYLE = f"""
@page {{ size: A4 landscape; margin: 12mm 14mm 16mm 14mm; }}
html {{ font-family: "{FONT}", sans-serif; font-size: 10pt; color: #1a1a1a; }}
h1 {{ font-size: 24pt; margin: 0 0 4mm; }}
h2 {{ font-size: 15pt; margin: 0 0 2mm; }}
h3 {{ font-size: 11pt; margin: 4mm 0 2mm; }}
.page {{ break-before: page; }}
.title {{ padding-top: 35mm; }}
.title .programme {{ font-size: 16pt; margin-bottom: 10mm; }}
.demo {{ color: #B34700; font-weight: bold; border: 1.5pt solid #B34700; padding: 2mm 4mm;
         display: inline-block; margin-top: 6mm; }}
.label {{ font-weight: bold; font-size: 11pt; margin: 0 0 2mm; }}
.what {{ color: #555; margin: 0 0 3mm; }}
.chart {{ display: flex; gap: 8mm; align-items: flex-start; }}
.chart figure {{ margin: 0; flex: none; }}
.chart aside {{ flex: 1; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
thead {{ display: table-header-group; }}
thead th {{ border-bottom: 1pt solid #1a1a1a; }}
tbody tr:nth-child(even) {{ background: #f2f2f2; }}
tr {{ break-inside: avoid; }}
td.n {{ text-align: right; white-space: nowrap; }}
.wide {{ width: 100%; }}
.wide th {{ width: 45%; }}
.title table {{ width: 60%; }}
table.grid {{ width: 100%; font-size: 7.5pt; }}
table.grid th, table.grid td {{ padding: 0.8mm 1mm; }}
"""


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame, css: str = "") -> str:
    head = "".join(f'<th scope="col">{_text(c)}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _facts(rows: list[tuple[str, str]], headers: tuple[str, str] | None = None,
           css: str = "facts") -> str:
    body = "".join(f'<tr><th scope="row">{_text(label)}</th><td class="n">{_text(value)}</td>'
                   "</tr>" for label, value in rows)
    head = "" if headers is None else (
        f'<thead><tr><th scope="col">{_text(headers[0])}</th>'
        f'<th scope="col">{_text(headers[1])}</th></tr></thead>')
    return f'<table class="{css}">{head}<tbody>{body}</tbody></table>'


def _chart_height(section: Section) -> float:
    return max(section.figure.layout.height or 450, MIN_HEIGHT)


def _size_mm(figure_height: float) -> tuple[float, float]:
    width, most = CHART_MM
    height = width * figure_height / SVG_WIDTH
    if height > most:
        width, height = width * most / height, most
    return width, height


def _pictured(section: Section) -> bool:
    """Whether the page shows the chart (the grid shows its table instead: a picture of
    98 rows is too small to read)."""
    return not (section.plot.kind == "picture" and section.table is not None)


def svgs(sections: list[Section], renderer) -> list[str]:
    """Each pictured section's figure as SVG (kaleido, one browser for all), in the report's
    font; "" for the others."""
    figures = []
    for s in sections:
        if not _pictured(s):
            continue
        figure = copy.deepcopy(s.figure)
        figure.update_layout(font_family=f"{FONT}, sans-serif", width=SVG_WIDTH,
                             height=max(figure.layout.height or 450, MIN_HEIGHT))
        figures.append(figure)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"chart-{i}.svg" for i in range(len(figures))]
        renderer.write(figures, paths, "svg")
        drawn = iter([p.read_text(encoding="utf-8") for p in paths])
    return [next(drawn) if _pictured(s) else "" for s in sections]


def report_html(sections: list[Section], svg: list[str], context,
                key_rows: list[tuple[str, str]]) -> str:
    """The report as one HTML page (charts inline as SVG images), ready to print."""
    demo = (f'<p class="demo">{_text(t("report.demo"))}</p>' if context.is_demo
            else f"<p>{_text(t('report.real'))}</p>")
    facts = [(t("report.period"), context.period),
             (t("report.data_as_of"), formatting.short_date(context.data_as_of)),
             (t("report.filters"), context.filters_text)]
    parts = [
        '<section class="title">'
        f'<h1>{_text(t("report.name"))}</h1>'
        f'<p class="programme">{_text(context.programme_title)} ({_text(context.period)})</p>'
        + _facts(facts) + demo + "</section>",
        f'<section class="page"><h2>{_text(t("report.key_figures"))}</h2>'
        + _facts(key_rows, (t("report.figure"), t("report.value")), "facts wide")
        + "</section>"]
    for section, image in zip(sections, svg, strict=True):
        width, height = _size_mm(_chart_height(section))
        source = base64.b64encode(image.encode("utf-8")).decode("ascii")
        # A caption, not a heading: the outline lists the charts, not every box of numbers.
        numbers = (f'<aside><p class="label">{_text(t("report.key_numbers"))}</p>'
                   + _facts(section.key_numbers, (t("report.figure"), t("report.value")))
                   + "</aside>") if section.key_numbers else ""
        chart = "" if not _pictured(section) else (
            f'<div class="chart"><figure><img alt="{_text(section.finding)}" '
            f'style="width:{width:.1f}mm;height:{height:.1f}mm" '
            f'src="data:image/svg+xml;base64,{source}"></figure>{numbers}</div>')
        table = ""
        if section.table is not None:
            heading = f"<h3>{_text(section.table_title)}</h3>" if section.table_title else ""
            table = (heading + (numbers if not chart else "")
                     + _table(section.table, "grid"))
        parts.append(f'<section class="page"><h2>{_text(section.finding)}</h2>'
                     f'<p class="what">{_text(section.title)}</p>{chart}{table}</section>')
    title = f"{t('report.name')}: {context.programme_title}"
    return (f'<!doctype html><html lang="da"><head><meta charset="utf-8">'
            f"<title>{_text(title)}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def footer(context) -> str:
    """Each page's foot: what, as of when, demo, and the page number."""
    mark = " · DEMODATA" if context.is_demo else ""
    text = (f"{t('report.name')} · {context.programme_title} · {t('report.data_as_of')} "
            f"{formatting.short_date(context.data_as_of)}{mark}")
    return (f'<div style="font-family:{FONT},sans-serif;font-size:8pt;color:#555;'
            f'width:100%;margin:0 14mm;display:flex;justify-content:space-between">'
            f"<span>{_text(text)}</span><span>{t('report.page')} "
            '<span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


def report_pdf(sections: list[Section], context, key_rows: list[tuple[str, str]], renderer,
               executable: str, progress: Callable[[], None] = lambda: None) -> bytes:
    """The whole report as PDF bytes (see the module's docstring)."""
    svg = svgs(sections, renderer)
    for _ in sections:
        progress()
    page = report_html(sections, svg, context, key_rows)
    return browser.printer(executable).pdf(
        page, format="A4", landscape=True, print_background=True, tagged=True, outline=True,
        display_header_footer=True, header_template="<span></span>",
        footer_template=footer(context), prefer_css_page_size=True)
