"""Page load in headless Chromium: time until every chart is drawn, and the bytes transferred.

Each page is opened in a fresh browser context (empty cache, logged in), as a first visit.
Bytes are what went over the wire (compressed), summed from Chromium's network events.

Run: .venv/bin/python benchmarks/pageload.py [--db PATH]
Needs Debian's Chromium (apt-get install -y chromium) and the test extras (playwright).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    database_or_demo,
    gunicorn,
    launch_chromium,
    logged_in_state,
)
from dashboard import charts  # noqa: E402

# path: charts it draws as it opens (the registry's, without a reader's choice; Planlægning's
# two are its own)
PAGES = {"/": len(charts.on("Overblik")), "/kommuner": len(charts.on("Kommuner")),
         "/fastholdelse": len(charts.on("Fastholdelse")), "/oekonomi": len(charts.on("Økonomi")),
         "/geografi": len(charts.on("Geografi")), "/planlaegning": 2}
PASSWORD = "pageload-password-123"


def _first_visit(browser, state: dict, url: str, charts: int) -> tuple[float, float]:
    """One visit with an empty cache: seconds until `charts` are drawn, kB received."""
    context = browser.new_context(storage_state=state, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        """n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n
               && !document.querySelector('[data-dash-is-loading="true"]')""",
        arg=charts, timeout=60000)
    drawn = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    context.close()
    return drawn, sum(received) / 1024


def measure_page_loads(database: Path, repeat: int = 3) -> list[dict]:
    """Per page: seconds until its charts are drawn (median of `repeat` first visits), and
    kB transferred (compressed)."""
    from playwright.sync_api import sync_playwright

    from dashboard.auth import UserStore

    folder = Path(tempfile.mkdtemp(prefix="borgmester-pageload-"))
    UserStore(folder / "users.json").add("bench", PASSWORD, "viewer")
    results = []
    # Threads, as in production: a browser asks for several files at once.
    with gunicorn(database, folder / "users.json", workers=2, threads=4) as (_server, base), \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        state = logged_in_state(browser, base, "bench", PASSWORD)
        for path, charts in PAGES.items():
            runs = [_first_visit(browser, state, base + path, charts) for _ in range(repeat)]
            results.append({"page": path, "seconds": statistics.median(r[0] for r in runs),
                            "kilobytes": max(r[1] for r in runs)})
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database (default: build the demo)")
    args = parser.parse_args()
    database = database_or_demo(args.db, "borgmester-pageload-db-")
    print(f"{'page':<16}{'drawn s':>9}{'kB':>9}")
    for row in measure_page_loads(database):
        print(f"{row['page']:<16}{row['seconds']:>9.2f}{row['kilobytes']:>9.0f}")


if __name__ == "__main__":
    main()
