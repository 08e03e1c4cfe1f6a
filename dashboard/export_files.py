"""`python -m dashboard export`: the report, the charts or their data as files in a folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from dashboard import export, queries
from dashboard.db import Database


def export_files(database: Path, out_dir: Path, formats: tuple[str, ...],
                 programme_id: str | None = None,
                 filters: queries.Filters = queries.NO_FILTERS) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with Database(database).cursor() as con:
        programme_id = programme_id or queries.programmes(con)["programme_id"].iloc[0]
        context = export.context_for(con, programme_id, filters)
        built = export.build_all(con, context)
        key_rows = export.key_figure_rows(con, programme_id, filters)
    # Reports draw their own charts (SVG for the PDF, native charts for PowerPoint).
    needs_png = "png" in formats
    renderer = export.Renderer() if set(formats) & {"png", "svg", "pdf", "pptx"} else None
    as_of = context.data_as_of
    with tempfile.TemporaryDirectory() as folder, click.progressbar(
            length=len(built) * (len(formats) + needs_png), label="Eksport",
            file=click.get_text_stream("stderr"), show_pos=True) as bar:
        # Render every chart once, in one browser, and reuse the images for every format.
        pngs = export.render_pngs(built, renderer, Path(folder)) if needs_png else []
        bar.update(len(built) if needs_png else 0)
        for fmt in formats:
            if fmt in ("pdf", "pptx"):
                make = export.report_pdf if fmt == "pdf" else export.report_pptx
                path = out_dir / export.file_name("rapport", as_of, fmt)
                path.write_bytes(make(built, context, key_rows, renderer,
                                      lambda: bar.update(1)))
                written.append(path)
            elif fmt == "png":
                for item, png in zip(built, pngs, strict=True):
                    path = out_dir / export.file_name(item.chart.slug, as_of, "png")
                    shutil.copyfile(png, path)
                    written.append(path)
                    bar.update(1)
            elif fmt == "svg":
                paths = [out_dir / export.file_name(b.chart.slug, as_of, "svg") for b in built]
                renderer.write([b.figure for b in built], paths, "svg")
                bar.update(len(built))
                written += paths
            else:
                for item in built:  # as "Vis som tabel" and the page's download have it
                    path = out_dir / export.file_name(item.chart.slug, as_of, fmt)
                    page = context.for_page(item.chart.page)  # its page's filters
                    shown = item.chart.shown_table(item.data, page.view)
                    about = page.about(item.chart.needs, item.finding)
                    path.write_bytes(export.shown_file([(item.chart.slug, shown)], fmt, about))
                    written.append(path)
                    bar.update(1)
    return written
