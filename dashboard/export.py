"""Charts and tables for reports: PNG/SVG/PDF at print quality, XLSX and CSV, and the whole
report as PDF (A4) or PowerPoint.

Images are rendered server-side by kaleido in Debian's Chromium, one browser for a whole
batch; no MathJax or map data is fetched from the internet.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import charts, formatting, queries
from dashboard.cell_text import safe_text
from dashboard.figures import AUDIENCE_LABELS, FORMAT_LABELS
from dashboard.today import last_held_day, today_for
from dashboard.xlsx import to_xlsx

IMAGE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("xlsx", "csv")
EXPORT_WIDTH = 1200
PNG_SCALE = 2  # 2400 px wide: print quality at 20 cm
SOURCE = "Kilde: KL-tilmeldinger"


class ExportError(Exception):
    """Exporting is not possible here; the message says what to do."""


@dataclass(frozen=True)
class ExportContext:
    programme_id: str
    programme_title: str
    period: str
    data_as_of: dt.date
    is_demo: bool
    filters: queries.Filters = queries.NO_FILTERS
    held_by: dt.date | None = None   # last day of held sessions (dashboard.today); None: as_of
    other_programme: str | None = None   # "Sammenlign med", for the side-by-side chart

    @property
    def sessions_held_by(self) -> dt.date:
        """The day the charts count sessions as held by (retention, the intro path, who is
        slipping): the pages' yesterday, or the data's date when the context has no today."""
        return self.held_by if self.held_by is not None else self.data_as_of

    @property
    def view(self) -> charts.View:
        """What the charts are drawn for in a file: ex VAT."""
        return charts.View(self.programme_id, held_by=self.sessions_held_by,
                           filters=self.filters, other_programme=self.other_programme)

    @property
    def filters_text(self) -> str:
        """The filters in force, as the report's title page states them."""
        parts = []
        if self.filters.regions:
            parts.append("region: " + ", ".join(r.removeprefix("Region ")
                                                for r in self.filters.regions))
        if self.filters.formats:
            parts.append("sessionstype: " + ", ".join(FORMAT_LABELS[f]
                                                      for f in self.filters.formats))
        if self.filters.audiences:
            parts.append("målgruppe: " + ", ".join(AUDIENCE_LABELS[a]
                                                   for a in self.filters.audiences))
        if self.filters.years:
            parts.append("år: " + ", ".join(str(y) for y in self.filters.years))
        if not parts:
            return "ingen (hele forløbet, alle kommuner)"
        return "; ".join(parts) + " (gælder kommunefigurerne)"


def filters_from(data: dict | None) -> queries.Filters:
    """Filters from their JSON form (the app's store, the command line's options)."""
    data = data or {}
    return queries.Filters(regions=tuple(data.get("regions") or ()),
                           formats=tuple(data.get("formats") or ()),
                           audiences=tuple(data.get("audiences") or ()),
                           years=tuple(int(y) for y in data.get("years") or ()))


def context_for(con, programme_id: str, filters: queries.Filters = queries.NO_FILTERS,
                other_programme: str | None = None) -> ExportContext:
    programmes = queries.programmes(con).set_index("programme_id")
    if programme_id not in programmes.index:
        raise ExportError(f"ukendt forløb {programme_id!r}; kendte: "
                          + ", ".join(programmes.index))
    row = programmes.loc[programme_id]
    info = queries.dataset_info(con)
    return ExportContext(programme_id, row["title"],
                         f"{row['period_start'].year}–{row['period_end'].year}",
                         info.data_as_of, info.is_demo, filters,
                         last_held_day(today_for(info)), other_programme)


def browser_path() -> str:
    """Debian's Chromium (or BROWSER_PATH); kaleido must never download a browser itself."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).exists():
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError("Ingen Chromium fundet til billedeksport. Installér den med "
                      "`apt-get install -y chromium` (eller sæt BROWSER_PATH).")


def file_name(slug: str, as_of: dt.date, extension: str) -> str:
    return f"{slug}_{as_of.isoformat()}.{extension}"


def for_print(fig: go.Figure, context: ExportContext) -> go.Figure:
    """The chart as it goes into a report: its title, a source line and, for demo data, a
    mark. Maps are drawn the same way on screen and in files (dashboard.denmark)."""
    printed = go.Figure(copy.deepcopy(fig.to_dict()))
    annotations = list(printed.layout.annotations or [])
    annotations.append({
        "text": f"{SOURCE}, data pr. {context.data_as_of:%d.%m.%Y}", "showarrow": False,
        "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -50,
        "xanchor": "left", "yanchor": "top", "font": {"size": 11, "color": "#555"}})
    if context.is_demo:
        annotations.append({
            "text": "DEMODATA", "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 1, "y": 1, "yshift": 40, "xanchor": "right", "yanchor": "bottom",
            "font": {"size": 14, "color": "#D55E00"}, "bordercolor": "#D55E00",
            "borderwidth": 1, "borderpad": 3})
    margin = printed.layout.margin
    printed.update_layout(annotations=annotations, width=EXPORT_WIDTH,
                          margin={"l": max(margin.l or 0, 20), "r": max(margin.r or 0, 20),
                                  "t": max(margin.t or 0, 80), "b": max(margin.b or 0, 70)})
    return printed


class Renderer:
    """One Chromium for a whole batch of images (starting it costs about two seconds)."""

    _started = False

    def __init__(self):
        os.environ.setdefault("BROWSER_PATH", browser_path())
        pio.defaults.mathjax = None  # the default is a CDN
        if not Renderer._started:
            import kaleido  # start-up cost: only an image export starts Chromium

            # Two browser tabs: maps render with software WebGL, a second in parallel helps.
            kaleido.start_sync_server(n=2, silence_warnings=True)
            Renderer._started = True

    def write(self, figs: list[go.Figure], paths: list[Path], fmt: str) -> None:
        if figs:
            # Sizes passed explicitly: kaleido's batch writer ignores the layout's own.
            with warnings.catch_warnings():
                # plotly passes browser options that a running kaleido server ignores
                warnings.filterwarnings("ignore", message="The kopts argument is ignored")
                pio.write_images(figs, [str(p) for p in paths], format=fmt,
                                 width=[f.layout.width or EXPORT_WIDTH for f in figs],
                                 height=[f.layout.height or 450 for f in figs],
                                 scale=PNG_SCALE if fmt == "png" else 1)

    def image(self, fig: go.Figure, fmt: str) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"chart.{fmt}"
            self.write([fig], [path], fmt)
            return path.read_bytes()


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for Danish Excel: UTF-8 with BOM, ';' between fields, decimal comma, CRLF lines.

    Text (values and headers) goes through dashboard.cell_text.safe_text: no control
    characters, formula-like text marked with an apostrophe. Numeric columns stay numbers,
    negative ones included. CRLF as the line end makes the csv writer quote any field that
    holds CR or LF, as it does one holding ';' or '"' (with LF alone, a bare CR went out
    unquoted and LibreOffice started a new row at it)."""
    safe = df.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            safe[column] = series.dt.strftime("%d-%m-%Y %H:%M").str.replace(" 00:00", "")
        elif not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            safe[column] = series.map(_csv_cell)
    safe.columns = [safe_text(str(c)) for c in safe.columns]
    return safe.to_csv(sep=";", decimal=",", index=False,
                       lineterminator="\r\n").encode("utf-8-sig")


def _csv_cell(value: object) -> object:
    return safe_text(value) if isinstance(value, str) else value


def table_bytes(df: pd.DataFrame, fmt: str, sheet: str = "Data") -> bytes:
    return to_xlsx(df, sheet) if fmt == "xlsx" else csv_bytes(df)


# --- Whole reports ------------------------------------------------------------------------

# A chart as it goes into a file: its figure for print (for_print), data and finding.
BuiltChart = charts.Drawn


def build_all(con, context: ExportContext,
              selected: Iterable[charts.Chart] | None = None) -> list[BuiltChart]:
    """Every registered chart (or those `selected`) that applies to the context's view (the
    side-by-side chart only with a second programme), read side by side and drawn for print,
    in registry order."""
    view = context.view
    chosen = [chart for chart in (charts.CHARTS if selected is None else selected)
              if chart.applies_to(view)]
    drawn = charts.read(chosen, view, on=con).draw()
    return [BuiltChart(d.chart, for_print(d.figure, context), d.data, d.finding)
            for d in drawn.values()]


def key_figure_rows(con, programme_id: str) -> list[tuple[str, str]]:
    key = queries.key_figures(con, programme_id)
    return [
        ("Kommuner med deltagelse", f"{key.municipalities_reached} af "
                                    f"{key.municipalities_total} "
                                    f"({formatting.percent(key.municipalities_share)})"),
        ("Borgmestre med deltagelse", formatting.number(key.mayors_reached)),
        ("Tilmeldinger (ekskl. afmeldte)", formatting.number(key.registrations)),
        ("Fremmøde ved afholdte sessioner", formatting.percent(key.attendance_rate)),
        ("Omsætning ekskl. moms", formatting.kroner(key.revenue_ex_vat)),
    ]


def render_pngs(built: list[BuiltChart], renderer: Renderer, folder: Path) -> list[Path]:
    """Every chart as a print-quality PNG in `folder`, in one browser session."""
    paths = [folder / f"{b.chart.slug}.png" for b in built]
    renderer.write([b.figure for b in built], paths, "png")
    return paths


def report_pdf(built: list[BuiltChart], pngs: list[Path], context: ExportContext,
               key_rows: list[tuple[str, str]],
               progress: Callable[[], None] = lambda: None) -> bytes:
    """An A4 report: title page with key figures, then one chart per page with its finding."""
    # Start-up cost (0,2 s): only the PDF report needs reportlab.
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    # Images as binary streams, not ASCII85 text: reportlab encodes that in pure Python, 1,4 s
    # of a 13-chart report, and the file is a fifth larger for it.
    rl_config.useA85 = 0
    styles = getSampleStyleSheet()
    width = A4[0] - 4 * cm
    story = [Paragraph("Borgmesterforløbet", styles["Title"]),
             Paragraph(f"{context.programme_title} ({context.period})", styles["Heading2"]),
             Paragraph(f"Data pr. {formatting.short_date(context.data_as_of)}. "
                       f"Filtre: {context.filters_text}.", styles["Normal"])]
    if context.is_demo:
        story.append(Paragraph("<font color='#D55E00'><b>Demodata:</b> borgmestre og "
                               "tilmeldinger er fiktive.</font>", styles["Normal"]))
    story += [Spacer(1, 0.8 * cm), Paragraph("Nøgletal", styles["Heading2"])]
    table = Table([["Nøgletal", "Værdi"], *key_rows], colWidths=[width * 0.6, width * 0.4])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
        ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story.append(table)
    for item, path in zip(built, pngs, strict=True):
        progress()
        story += [PageBreak(), Paragraph(item.figure.layout.title.text, styles["Heading2"]),
                  Paragraph(item.finding, styles["Normal"]), Spacer(1, 0.4 * cm)]
        ratio = (item.figure.layout.height or 450) / EXPORT_WIDTH
        height = min(width * ratio, A4[1] - 7 * cm)
        story.append(Image(str(path), width=height / ratio, height=height))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Borgmesterforløbet",
                      leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm).build(story)
    return buffer.getvalue()


def report_pptx(built: list[BuiltChart], pngs: list[Path], context: ExportContext,
                key_rows: list[tuple[str, str]],
                progress: Callable[[], None] = lambda: None) -> bytes:
    """A PowerPoint: a title slide, key figures, then one chart per slide (titles editable)."""
    # Start-up cost (0,1 s): only the PowerPoint report needs python-pptx.
    from pptx import Presentation
    from pptx.util import Cm, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "Borgmesterforløbet"
    title.placeholders[1].text = (f"{context.programme_title} ({context.period})\n"
                                  f"Data pr. {formatting.short_date(context.data_as_of)}\n"
                                  f"Filtre: {context.filters_text}"
                                  + ("\nDemodata: fiktive borgmestre og tilmeldinger"
                                     if context.is_demo else ""))
    figures_slide = deck.slides.add_slide(deck.slide_layouts[5])
    figures_slide.shapes.title.text = "Nøgletal"
    rows = figures_slide.shapes.add_table(len(key_rows), 2, Cm(2), Cm(5), Cm(29), Cm(10)).table
    for index, (label, value) in enumerate(key_rows):
        rows.cell(index, 0).text, rows.cell(index, 1).text = label, value
    for item, path in zip(built, pngs, strict=True):
        progress()
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        slide.shapes.title.text = item.figure.layout.title.text
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(26)
        ratio = (item.figure.layout.height or 450) / EXPORT_WIDTH
        height = min(Cm(13), int(Cm(30) * ratio))
        slide.shapes.add_picture(str(path), Cm(2), Cm(4.2), height=height)
        note = slide.shapes.add_textbox(Cm(2), Cm(17.6), Cm(30), Cm(1)).text_frame
        note.text = item.finding
        note.paragraphs[0].font.size = Pt(14)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
