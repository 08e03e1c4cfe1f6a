"""Time to make chart images and the full report: in-process with the browser already
running, and through the browser from a fresh worker (what a user meets first).

Run: .venv/bin/python benchmarks/report.py [--db PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import cpu_seconds, database_or_demo, gunicorn  # noqa: E402
from dashboard import charts, export, queries  # noqa: E402
from dashboard.db import Database  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "report-bench-password-123"


def measure_report(database: Path, repeat: int = 3) -> dict[str, float]:
    """Seconds to start the browser and draw one chart, and per format the median warm time
    of the full report ("pdf", "pptx") and the median CPU seconds it took in every process,
    the browsers' included ("pdf_cpu", "pptx_cpu": comparable on a loaded machine)."""
    started = time.perf_counter()
    renderer = export.Renderer()
    with Database(database).cursor() as con, tempfile.TemporaryDirectory() as folder:
        programme = queries.programmes(con)["programme_id"].iloc[0]
        context = export.context_for(con, programme)
        renderer.write([export.build_all(con, context, charts.on("Overblik"))[0].figure],
                       [Path(folder) / "warm.png"], "png")
        cold = time.perf_counter() - started
        timings: dict[str, list[float]] = {"pdf": [], "pptx": [], "pdf_cpu": [], "pptx_cpu": []}
        for _ in range(repeat + 1):  # the first round starts the PDF printer: not counted
            for fmt, make in (("pdf", export.report_pdf), ("pptx", export.report_pptx)):
                started, used = time.perf_counter(), cpu_seconds()
                built = export.build_all(con, context)
                make(built, context, export.key_figure_rows(con, programme), renderer)
                timings[fmt].append(time.perf_counter() - started)
                timings[f"{fmt}_cpu"].append(cpu_seconds() - used)
    return {"first_chart": cold, **{key: statistics.median(v[1:]) for key, v in timings.items()}}


@contextmanager
def _environment(**values: str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _timed_download(page, click) -> float:
    started = time.perf_counter()
    with page.expect_download(timeout=300_000):
        click()
    return time.perf_counter() - started


def measure_in_browser(database: Path, warm_browser: bool = True,
                       repeat: int = 2) -> dict[str, list[float]]:
    """From a fresh gunicorn worker, clicked in headless Chromium as a user would, right
    after the Overblik page is drawn: seconds from the click to the download, per export,
    the first one first ({"png": [...], "pdf": [...], "pptx": [...]}); with
    `warm_browser` False, the worker starts its export browsers at the first export."""
    from playwright.sync_api import sync_playwright

    from dashboard.auth import UserStore

    folder = Path(tempfile.mkdtemp(prefix="borgmester-report-bench-"))
    UserStore(folder / "users.json").add("bench", PASSWORD, "viewer")
    times: dict[str, list[float]] = {"png": [], "pdf": [], "pptx": []}
    with _environment(BORGMESTER_WARM_BROWSER="1" if warm_browser else "0"), \
            gunicorn(database, folder / "users.json", workers=1, threads=4) as (_server, base), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "/login")
        page.get_by_label("Brugernavn").fill("bench")
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Log ind")).click()
        page.wait_for_url(base + "/")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg')"
                               ".length >= 1", timeout=120_000)
        menu = page.locator("#overview-turnout-export-menu")

        def png() -> None:
            menu.get_by_role("button", name="Eksportér").click()
            menu.get_by_text("PNG (billede)").click()

        for _ in range(repeat):
            times["png"].append(_timed_download(page, png))
            times["pdf"].append(_timed_download(page, lambda: page.click("#report-pdf")))
            times["pptx"].append(_timed_download(page, lambda: page.click("#report-pptx")))
        browser.close()
    return times


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
        print(f"full report ({reported} charts) as {fmt}, warm: median {got[fmt]:.1f} s, "
              f"{got[fmt + '_cpu']:.1f} CPU seconds in all processes (load average "
              f"{os.getloadavg()[0]:.1f})")
    if os.path.exists(CHROMIUM):
        for warm in (True, False):
            said = "warmed at start" if warm else "started at the first export"
            clicked = measure_in_browser(database, warm)
            for fmt, runs in clicked.items():
                print(f"in the browser, fresh worker, browsers {said}: {fmt} "
                      + " then ".join(f"{s:.1f} s" for s in runs))


if __name__ == "__main__":
    main()
