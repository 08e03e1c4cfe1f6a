"""Time to make the full report (every chart) warm: the browser already running, as in the app.

Run: .venv/bin/python benchmarks/report.py [--db PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import database_or_demo  # noqa: E402
from dashboard import charts, export, queries  # noqa: E402
from dashboard.db import Database  # noqa: E402


def measure_report(database: Path, repeat: int = 3) -> dict[str, float]:
    """Seconds to start the browser and draw one chart, and per format the median warm time
    of the full report."""
    started = time.perf_counter()
    renderer = export.Renderer()
    with Database(database).cursor() as con, tempfile.TemporaryDirectory() as folder:
        programme = queries.programmes(con)["programme_id"].iloc[0]
        context = export.context_for(con, programme)
        renderer.write([export.build_all(con, context, charts.on("Overblik"))[0].figure],
                       [Path(folder) / "warm.png"], "png")
        cold = time.perf_counter() - started
        timings = {"pdf": [], "pptx": []}
        for _ in range(repeat):
            for fmt, make in (("pdf", export.report_pdf), ("pptx", export.report_pptx)):
                started = time.perf_counter()
                built = export.build_all(con, context)
                pngs = export.render_pngs(built, renderer, Path(folder))
                make(built, pngs, context, export.key_figure_rows(con, programme))
                timings[fmt].append(time.perf_counter() - started)
    return {"first_chart": cold, **{fmt: statistics.median(v) for fmt, v in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    database = database_or_demo(args.db, "borgmester-report-")
    got = measure_report(database, args.repeat)
    print(f"browser start and first chart: {got['first_chart']:.1f} s")
    reported = sum(1 for chart in charts.CHARTS if not chart.optional)
    for fmt in ("pdf", "pptx"):
        print(f"full report ({reported} charts) as {fmt}, warm: median {got[fmt]:.1f} s")


if __name__ == "__main__":
    main()
