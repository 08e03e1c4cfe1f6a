"""Charts and tables for reports: PNG/SVG/PDF at print quality, XLSX and CSV, and the whole
report as PDF (A4) or PowerPoint.

Images are rendered server-side by kaleido in Debian's Chromium, one browser for a whole
batch; no MathJax or map data is fetched from the internet.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import (
    charts,
    columns,
    formatting,
    print_layout,
    queries,
    report_content,
    url_state,
)
from dashboard.cell_text import safe_text
from dashboard.figures import AUDIENCE_LABELS, FORMAT_LABELS
from dashboard.i18n import t
from dashboard.today import last_held_day, today_for
from dashboard.xlsx import to_xlsx, workbook

IMAGE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("xlsx", "csv")
EXPORT_WIDTH = 1200
PNG_SCALE = 2  # 2400 px wide: print quality at 20 cm
SOURCE = "Kilde: KL-tilmeldinger"
logger = logging.getLogger(__name__)


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
    incl_vat: bool = False               # Økonomi's VAT switch, as the reader set it

    @property
    def sessions_held_by(self) -> dt.date:
        """The day the charts count sessions as held by (retention, the intro path, who is
        slipping): the pages' yesterday, or the data's date when the context has no today."""
        return self.held_by if self.held_by is not None else self.data_as_of

    @property
    def view(self) -> charts.View:
        """What the charts are drawn for in a file: ex VAT."""
        return charts.View(self.programme_id, held_by=self.sessions_held_by,
                           filters=self.filters, other_programme=self.other_programme,
                           incl_vat=self.incl_vat)

    def for_page(self, page: str) -> ExportContext:
        """This context for the charts and tables of `page`: its filters narrowed to those
        the page takes (url_state.PAGE_FILTERS), so a file applies and states exactly
        those."""
        return replace(self, filters=self.filters.only(url_state.PAGE_FILTERS.get(page, ())))

    def filters_for(self, uses: frozenset[str]) -> str:
        """The filters in force for what reads the View fields `uses` (a chart's or a
        table's `needs`), in the reader's language: the page's filters where it takes them,
        and the switches it follows (VAT, a programme compared with)."""
        parts = []
        if "filters" in uses:
            f = self.filters
            for key, values in (
                    ("filters.region", [r.removeprefix("Region ") for r in f.regions]),
                    ("filters.format", [FORMAT_LABELS[v] for v in f.formats]),
                    ("filters.audience", [AUDIENCE_LABELS[v] for v in f.audiences]),
                    ("filters.year", [str(y) for y in f.years])):
                if values:
                    parts.append(t(key, values=", ".join(values)))
        if not parts:
            parts.append(t("filters.none"))
        if "incl_vat" in uses:
            parts.append(t("filters.vat_incl" if self.incl_vat else "filters.vat_ex"))
        if "other_programme" in uses and self.other_programme:
            parts.append(t("filters.compared", programme=self.other_programme))
        return "; ".join(parts)

    def about(self, uses: frozenset[str], what: str | None = None) -> list[tuple[str, object]]:
        """The "Om data" sheet's lines (label, value) for a file of what reads `uses`:
        its contents, source, data date, programme, filters in force, demo or real, and
        when it was made (Danish time)."""
        made = dt.datetime.now(ZoneInfo("Europe/Copenhagen")).replace(tzinfo=None,
                                                                      microsecond=0)
        lines = [(t("about_file.what"), what)] if what else []
        return lines + [
            (t("about_file.source"), t("about_file.source_text")),
            (t("about_file.data_as_of"), self.data_as_of),
            (t("about_file.programme"), f"{self.programme_title} ({self.period})"),
            (t("about_file.filters"), self.filters_for(uses)),
            (t("about_file.kind"), t("about_file.demo" if self.is_demo else "about_file.real")),
            (t("about_file.made_at"), made)]

    @property
    def filters_text(self) -> str:
        """The filters in force, as the report's title page states them, and the pages that
        do not take one of them (url_state.PAGE_FILTERS; each chart's footer says its own)."""
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
        given = [f for f in url_state.FILTERS if getattr(self.filters, f)]
        exceptions = [f"{page} ikke efter "
                      + " og ".join(t(f"filters.name.{f}").lower() for f in left)
                      for page, takes in url_state.PAGE_FILTERS.items()
                      if (left := [f for f in given if f not in takes])]
        if exceptions:
            return "; ".join(parts) + " (filtrerer " + "; ".join(exceptions) + ")"
        return "; ".join(parts)


def filters_from(data: dict | None) -> queries.Filters:
    """Filters from their JSON form (the app's store, the command line's options)."""
    data = data or {}
    return queries.Filters(regions=tuple(data.get("regions") or ()),
                           formats=tuple(data.get("formats") or ()),
                           audiences=tuple(data.get("audiences") or ()),
                           years=tuple(int(y) for y in data.get("years") or ()))


def context_for(con, programme_id: str, filters: queries.Filters = queries.NO_FILTERS,
                other_programme: str | None = None, incl_vat: bool = False) -> ExportContext:
    programmes = queries.programmes(con).set_index("programme_id")
    if programme_id not in programmes.index:
        raise ExportError(f"ukendt forløb {programme_id!r}; kendte: "
                          + ", ".join(programmes.index))
    row = programmes.loc[programme_id]
    info = queries.dataset_info(con)
    return ExportContext(programme_id, row["title"],
                         f"{row['period_start'].year}–{row['period_end'].year}",
                         info.data_as_of, info.is_demo, filters,
                         last_held_day(today_for(info)), other_programme, incl_vat)


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


def for_print(fig: go.Figure, context: ExportContext,
              uses: frozenset[str] = frozenset({"filters"})) -> go.Figure:
    """The chart as it goes into a report: its title inside the margins, a footer under the
    axis labels with source, data date, the filters in force for what the chart reads
    (`uses`: its View fields, charts.Chart.needs) and, for demo data, DEMODATA; maps (drawn
    as on screen, dashboard.denmark) without the page's hint to administrators; the height
    grown by the footer (dashboard.print_layout)."""
    figure = copy.deepcopy(fig.to_dict())
    title = (figure.get("layout", {}).get("title") or {})
    if title.get("text"):  # an instruction to administrators belongs on the page, not on paper
        title["text"] = title["text"].replace(t("fig.map_town_halls"), "")
    footer = t("about_file.footer", date=f"{context.data_as_of:%d.%m.%Y}",
               filters=context.filters_for(uses))
    mark = t("about_file.demo_mark") if context.is_demo else None
    return go.Figure(print_layout.lay_out(figure, footer, mark, EXPORT_WIDTH))


class Renderer:
    """One Chromium for a whole batch of images (starting it costs about two seconds)."""

    _started = False
    _starting = threading.Lock()  # the warm-up (warm) and a first export may meet here

    def __init__(self):
        os.environ.setdefault("BROWSER_PATH", browser_path())
        pio.defaults.mathjax = None  # the default is a CDN
        with Renderer._starting:
            if not Renderer._started:
                import kaleido  # start-up cost: only an image export starts Chromium

                # Two browser tabs: maps render with software WebGL, a second in parallel.
                kaleido.start_sync_server(n=2, silence_warnings=True)
                Renderer._started = True

    def write(self, figs: list[go.Figure], paths: list[Path], fmt: str) -> None:
        if figs:
            # Sizes passed explicitly: kaleido's batch writer ignores the layout's own.
            # (kaleido passes plotly.js a figure's data and layout only, never a config with
            # a locale: dates are written by the figures themselves, figures.month_ticks.)
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


def warm() -> threading.Thread:
    """Start the worker's browsers in the background: kaleido's, drawing one small chart in
    each of its tabs, and the PDF printer's, printing one page; so the first export after
    the worker starts waits for no browser. Returns the thread (done: both ready)."""

    def run() -> None:
        try:
            renderer = Renderer()
            figure = go.Figure(go.Bar(x=["a"], y=[1]), layout={"width": 300, "height": 200})
            with tempfile.TemporaryDirectory() as folder:
                renderer.write([figure, figure], [Path(folder) / "a.png",
                                                  Path(folder) / "b.png"], "png")
            from dashboard import report_pdf

            report_pdf.warm(browser_path())
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first export
            logger.exception("eksportbrowseren kunne ikke varmes op")

    thread = threading.Thread(target=run, daemon=True, name="export-warm-up")
    thread.start()
    return thread


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
    """A frame as it is (no headers or formats of its own) as XLSX or CSV."""
    return to_xlsx(df, sheet) if fmt == "xlsx" else csv_bytes(df)


def shown_csv(table: columns.ShownTable) -> bytes:
    """A table as shown (dashboard.columns) as CSV for Danish Excel (csv_bytes): its headers,
    labels in words, days as dd-mm-yyyy, numbers as numbers (a share as 0,7), the total row
    last. CSV has no room for what the file is: that is the XLSX's "Om data" sheet."""
    frame = table.frame.copy()
    for key, kind in table.kinds.items():
        if kind == "date":
            frame[key] = frame[key].map(lambda d: d.strftime("%d-%m-%Y")
                                        if isinstance(d, dt.date) else d)
    frame.columns = [table.headers[k] for k in frame.columns]
    return csv_bytes(frame)


def shown_file(tables: list[tuple[str, columns.ShownTable]], fmt: str,
               about: list[tuple[str, object]]) -> bytes:
    """Tables as shown, as a file: XLSX, a sheet per table (name, table) and "Om data"
    (`about`: ExportContext.about); CSV, the first table alone."""
    if fmt == "csv":
        return shown_csv(tables[0][1])
    return workbook(tables, about, t("about_file.sheet"))


# --- Whole reports ------------------------------------------------------------------------

# A chart as it goes into a file: its figure for print (for_print), data and finding.
BuiltChart = charts.Drawn


def build_all(con, context: ExportContext,
              selected: Iterable[charts.Chart] | None = None) -> list[BuiltChart]:
    """Every registered chart (or those `selected`) that applies to the context's view (the
    side-by-side chart only with a second programme), read side by side and drawn for print,
    in registry order; each with the filters its page takes (ExportContext.for_page)."""
    chosen = [chart for chart in (charts.CHARTS if selected is None else selected)
              if chart.applies_to(context.view)]
    by_filters: dict[queries.Filters, list[charts.Chart]] = {}
    for chart in chosen:
        by_filters.setdefault(context.for_page(chart.page).filters, []).append(chart)
    drawn: dict[str, charts.Drawn] = {}
    for filters, group in by_filters.items():
        drawn |= charts.read(group, replace(context, filters=filters).view, on=con).draw()
    return [BuiltChart(d.chart, for_print(d.figure, context.for_page(d.chart.page),
                                          d.chart.needs), d.data, d.finding)
            for d in (drawn[chart.key] for chart in chosen)]


def key_figure_rows(con, programme_id: str,
                    filters: queries.Filters = queries.NO_FILTERS) -> list[tuple[str, str]]:
    """The report's key figures: Overblik's, for the filters it takes."""
    key = queries.key_figures(con, programme_id,
                              filters.only(url_state.PAGE_FILTERS.get("Overblik", ())))
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


def report_pdf(built: list[BuiltChart], context: ExportContext,
               key_rows: list[tuple[str, str]], renderer: Renderer | None = None,
               progress: Callable[[], None] = lambda: None) -> bytes:
    """The report as a tagged A4 landscape PDF (dashboard.report_pdf). Its charts are drawn
    by plotly.js in the page Chromium prints, so `renderer` (kaleido) is not used: it is
    taken so both report makers are called alike."""
    from dashboard import report_pdf

    return report_pdf.report_pdf([report_content.section(b) for b in built], context,
                                 key_rows, browser_path(), progress)


def report_pptx(built: list[BuiltChart], context: ExportContext,
                key_rows: list[tuple[str, str]], renderer: Renderer,
                progress: Callable[[], None] = lambda: None) -> bytes:
    """The report as a PowerPoint with native charts (dashboard.report_pptx)."""
    from dashboard import report_pptx

    return report_pptx.report_pptx([report_content.section(b) for b in built], context,
                                   key_rows, renderer, progress)
