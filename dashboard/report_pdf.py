"""The PDF report: an HTML page printed by Chromium to a tagged A4 landscape PDF with an
outline (from the headings), fonts embedded and charts as vectors (SVG).

The charts are drawn in the page that is printed: it carries the figures' JSON and the app's
own plotly.js bundle (assets/vendor, inline: nothing fetched), draws each figure to SVG
(Plotly.toImage) into its <img>, and keeps a promise, `reportDrawn`, that the printer awaits
before printing. One page for the whole report: no browser round trip per chart (kaleido
took some 0,4 s a chart, most of a report's time).

Title page (programme, period, data date, filters, demo or real), key figures, then a page
per chart: its finding as the heading, the chart with the finding as its alternative text,
its key numbers beside it, and (a tall chart's rest, the grid) a table whose header row
repeats on every page it runs over.
"""

from __future__ import annotations

import copy
import functools
import html
from collections.abc import Callable

import pandas as pd
from plotly.io.json import to_json_plotly

from dashboard import browser, formatting
from dashboard.i18n import t
from dashboard.report_content import Section
from etl.paths import PROJECT_ROOT

PLOTLY_JS = PROJECT_ROOT / "assets" / "vendor" / "plotly-custom.min.js"  # the pages' own

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


def chart_figure(section: Section) -> dict:
    """A pictured section's figure as plotly.js draws it in the report: the report's font,
    SVG_WIDTH wide, at least MIN_HEIGHT tall, dates in the reader's language
    (formatting.plotly_locale); a plotly JSON-able dict with its "config"."""
    figure = copy.deepcopy(section.figure)
    figure.update_layout(font_family=f"{FONT}, sans-serif", width=SVG_WIDTH,
                         height=_chart_height(section))
    return {**figure.to_plotly_json(), "config": {"staticPlot": True,
                                                  **formatting.plotly_locale()}}


# Draws every <img data-chart=i> from the figures' JSON, one after the other (a page has one
# thread), and resolves `reportDrawn` once every image has its SVG decoded: the printer
# awaits it. Chromium prints an SVG pattern fill (a bar's hatching: not yet held, no-shows)
# as a raster tile, 120 of them making 4 of a report's 7 MB: each hatched shape gets its
# pattern's strokes instead, tiled over it and clipped to it, vectors like the rest. One
# function scope: set_content keeps the window, and a second report's script must not
# collide with the first's names.
DRAW = r"""(() => {
const SVG_NS = "http://www.w3.org/2000/svg";
function vectorHatching(url) {
  const box = document.createElement("div");
  box.style.cssText = "position:absolute;left:0;top:0;visibility:hidden";
  box.innerHTML = decodeURIComponent(url.slice(url.indexOf(",") + 1));
  document.body.appendChild(box);
  const svg = box.querySelector("svg");
  let clips = 0;
  for (const shape of svg.querySelectorAll("[style*='url(']")) {
    const found = /fill: *url\(['"]?#([^'")]+)['"]?\)/.exec(shape.getAttribute("style"));
    const pattern = found && svg.querySelector(`pattern[id="${found[1]}"]`);
    if (!pattern) continue;
    shape.style.fill = "none";
    const b = shape.getBBox();
    if (!b.width || !b.height) continue;
    const w = parseFloat(pattern.getAttribute("width"));
    const h = parseFloat(pattern.getAttribute("height"));
    const scaled = /scale\(([\d.]+)\)/.exec(pattern.getAttribute("patternTransform") || "");
    const s = scaled ? Number(scaled[1]) : 1;
    const id = `vector-hatching-${clips++}`;
    const clip = document.createElementNS(SVG_NS, "clipPath");
    clip.id = id;
    const outline = shape.cloneNode(false);
    for (const name of ["style", "class", "transform"]) outline.removeAttribute(name);
    clip.appendChild(outline);
    const group = document.createElementNS(SVG_NS, "g");
    if (shape.getAttribute("transform")) {
      group.setAttribute("transform", shape.getAttribute("transform"));
    }
    const tiles = document.createElementNS(SVG_NS, "g");
    tiles.setAttribute("clip-path", `url(#${id})`);
    const inner = document.createElementNS(SVG_NS, "g");
    inner.setAttribute("transform", `scale(${s})`);
    for (let x = Math.floor(b.x / s / w) * w; x < (b.x + b.width) / s; x += w) {
      for (let y = Math.floor(b.y / s / h) * h; y < (b.y + b.height) / s; y += h) {
        for (const part of pattern.children) {
          const tile = part.cloneNode(true);
          tile.setAttribute("transform", `translate(${x},${y})`);
          inner.appendChild(tile);
        }
      }
    }
    tiles.appendChild(inner);
    group.append(clip, tiles);
    shape.after(group);
  }
  const drawn = new XMLSerializer().serializeToString(svg);
  box.remove();
  return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(drawn);
}

window.reportDrawn = (async () => {
  const figures = JSON.parse(document.getElementById("report-figures").textContent);
  for (const img of document.querySelectorAll("img[data-chart]")) {
    const f = figures[Number(img.dataset.chart)];
    img.src = vectorHatching(await Plotly.toImage(
      {data: f.data, layout: f.layout, config: f.config},
      {format: "svg", width: f.layout.width, height: f.layout.height}));
    await img.decode();
  }
})();
})();
"""
# The printer's wait: the page's promise, or an error when its script never set one (a
# report's page resets it first, so a previous report's cannot stand in).
READY = ("window.reportDrawn || Promise.reject(new Error("
         "'the report page drew no charts: its script failed'))")


@functools.lru_cache(maxsize=1)
def _plotly_js() -> str:
    return PLOTLY_JS.read_text(encoding="utf-8")


def _drawing(figures: list[dict]) -> str:
    """The scripts that draw `figures` (chart_figure's) into the page's <img data-chart>."""
    # "<" escaped: no "</script>" in a text can end the JSON's element early.
    data = to_json_plotly(figures).replace("<", "\\u003c")
    return (f"<script>window.reportDrawn = null;</script>"
            f'<script type="application/json" id="report-figures">{data}</script>'
            f"<script>{_plotly_js()}</script><script>{DRAW}</script>")


def report_html(sections: list[Section], context, key_rows: list[tuple[str, str]]) -> str:
    """The report as one HTML page, ready to print once its script has drawn the charts
    (each an <img> whose alternative text is the finding; `reportDrawn` resolves then)."""
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
    figures = []
    for section in sections:
        width, height = _size_mm(_chart_height(section))
        # A caption, not a heading: the outline lists the charts, not every box of numbers.
        numbers = (f'<aside><p class="label">{_text(t("report.key_numbers"))}</p>'
                   + _facts(section.key_numbers, (t("report.figure"), t("report.value")))
                   + "</aside>") if section.key_numbers else ""
        chart = ""
        if _pictured(section):
            chart = (f'<div class="chart"><figure><img alt="{_text(section.finding)}" '
                     f'data-chart="{len(figures)}" '
                     f'style="width:{width:.1f}mm;height:{height:.1f}mm"></figure>'
                     f"{numbers}</div>")
            figures.append(chart_figure(section))
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
            f"<body>{''.join(parts)}{_drawing(figures)}</body></html>")


def footer(context) -> str:
    """Each page's foot: what, as of when, demo, and the page number."""
    mark = " · DEMODATA" if context.is_demo else ""
    text = (f"{t('report.name')} · {context.programme_title} · {t('report.data_as_of')} "
            f"{formatting.short_date(context.data_as_of)}{mark}")
    return (f'<div style="font-family:{FONT},sans-serif;font-size:8pt;color:#555;'
            f'width:100%;margin:0 14mm;display:flex;justify-content:space-between">'
            f"<span>{_text(text)}</span><span>{t('report.page')} "
            '<span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


def report_pdf(sections: list[Section], context, key_rows: list[tuple[str, str]],
               executable: str, progress: Callable[[], None] = lambda: None) -> bytes:
    """The whole report as PDF bytes (see the module's docstring), printed by the worker's
    Chromium (`executable`, dashboard.browser)."""
    page = report_html(sections, context, key_rows)
    for _ in sections:
        progress()
    return browser.printer(executable).pdf(
        page, ready=READY, format="A4", landscape=True, print_background=True,
        tagged=True, outline=True, display_header_footer=True,
        header_template="<span></span>", footer_template=footer(context),
        prefer_css_page_size=True)


def warm(executable: str) -> None:
    """Start the worker's printer and draw and print one small chart with it, so that the
    first report after start waits for no browser and no first compile of plotly.js."""
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}],
              "layout": {"width": 300, "height": 200}, "config": {"staticPlot": True}}
    browser.printer(executable).pdf(f'<img alt="" data-chart="0">{_drawing([figure])}',
                                    ready=READY, format="A4")
