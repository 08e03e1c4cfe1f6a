"""Interactions in headless Chromium: from the reader's click to the last chart drawn.

Measured for every page switch through the navigation, a filter change on Kommuner, the VAT
switch on Økonomi and a session change on Planlægning; p50 and p95 over `--repeat` runs each,
after one unrecorded round (the server's cache then holds what the runs ask for, as it does
for the pages' default views once the warm-up has run). benchmarks/interaction.js, injected
into the page, defines the end (no callback request in flight, no Dash callback pending, no
component loading, the page's charts drawn, on two animation frames in a row) and records
what the time went to:

- click → 1st request: from the click event to the first `_dash-update-component` request;
- round trips: callback requests one after another (requests side by side count once);
- in req: the time at least one callback request was on the network (Resource Timing: sent
  until its answer was in), server time included;
- server: the longest wait for a first byte of an answer (the server's time, mostly);
- between: the browser's work between two round trips (applying one answer, asking the next);
- after: from the last answer in to done (Dash applying it, React rendering, plotly drawing);
- plotly: the time inside Plotly.react, part of "between" and "after";
- dispatches: Dash's store updates from the click to done (actions that reach its reducer,
  counted by a store subscriber), and components: the Dash components on the page then.
  Each update has every component run its selector again, so these two are Dash's
  bookkeeping, counted: unlike the times, the same on a busy machine.

Run: .venv/bin/python benchmarks/interaction.py [--db PATH] [--repeat 7] [--json FILE]
Needs Debian's Chromium (apt-get install -y chromium) and the test extras (playwright).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    boundaries_file,
    database_or_demo,
    gunicorn,
    launch_chromium,
    logged_in_state,
    percentile,
)
from benchmarks.pageload import PAGES  # noqa: E402
from dashboard.i18n import CATALOGUE  # noqa: E402

SCRIPT = Path(__file__).with_name("interaction.js")
PASSWORD = "interaction-password-123"
# The navigation's pages in its order, by the link's Danish name: (path, charts drawn).
NAVIGATION = [("page.overview", "/"), ("page.municipalities", "/kommuner"),
              ("page.retention", "/fastholdelse"), ("page.revenue", "/oekonomi"),
              ("page.geography", "/geografi"), ("page.planning", "/planlaegning")]
MUNICIPALITY_CHARTS = PAGES["/kommuner"]


def _measure(page, charts: int, act) -> dict:
    """Arm the in-page clock, do `act()`, wait for done; the interaction's breakdown in ms."""
    page.evaluate("charts => window.__interaction.arm(charts)", charts)
    act()
    page.wait_for_function("() => window.__interaction.done()", polling="raf", timeout=120_000)
    return breakdown(page.evaluate("() => window.__interaction.result()"))


def breakdown(result: dict) -> dict:
    """What one interaction's time went to (see the module's docstring), from the record
    benchmarks/interaction.js keeps; ms."""
    start, end = result["start"], result["end"]
    # The network's times when the browser has them (an answer in, not yet read by a busy
    # page, is in); the page's own record otherwise.
    requests = sorted(result.get("network") or result["requests"], key=lambda r: r["start"])
    waves: list[list[float]] = []  # [start, end] of each round trip
    for request in requests:
        if waves and request["start"] <= waves[-1][1]:
            waves[-1][1] = max(waves[-1][1], request["end"])
        else:
            waves.append([request["start"], request["end"]])
    in_requests = sum(e - s for s, e in waves)
    between = sum(b[0] - a[1] for a, b in zip(waves, waves[1:], strict=False))
    draws = sorted((d["start"], d["end"] or end) for d in result["draws"])
    plotly = 0.0
    reach = None
    for s, e in draws:  # their union: figures drawn side by side count once
        if reach is None or s > reach:
            plotly += e - s
            reach = e
        elif e > reach:
            plotly += e - reach
            reach = e
    waiting = max((r.get("waiting", 0.0) for r in requests), default=0.0)
    return {"total": end - start, "to_first_request": waves[0][0] - start if waves else 0.0,
            "round_trips": len(waves), "requests": len(requests), "in_requests": in_requests,
            "server": waiting,
            "between": between, "after": end - waves[-1][1] if waves else end - start,
            "plotly": plotly, "kilobytes": sum(r["bytes"] for r in result["requests"]) / 1024,
            "dispatches": result.get("dispatches", 0), "components": result.get("components", 0),
            # Each request: its callback's outputs, when it started and when the page had read
            # its answer, ms after the click.
            "calls": [[r["output"], round(r["start"] - start), round(r["end"] - start)]
                      for r in sorted(result["requests"], key=lambda r: r["start"])]}


def _checkbox(page, label: str):
    return page.get_by_label(label, exact=True)


def run_interactions(database: Path, repeat: int = 7,
                     app_root: Path = ROOT) -> dict[str, list[dict]]:
    """Per interaction, `repeat` runs' breakdowns (see `breakdown`), the app served from the
    checkout `app_root`."""
    from playwright.sync_api import sync_playwright

    from dashboard.auth import UserStore

    folder = Path(tempfile.mkdtemp(prefix="borgmester-interaction-"))
    UserStore(folder / "users.json").add("bench", PASSWORD, "viewer")
    runs: dict[str, list[dict]] = {}
    # As in production and benchmarks/pageload.py: workers with threads, the warm-up on.
    with gunicorn(database, folder / "users.json", workers=2, threads=4,
                  root=app_root) as (_server, base), \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        state = logged_in_state(browser, base, "bench", PASSWORD)
        context = browser.new_context(storage_state=state,
                                      viewport={"width": 1366, "height": 900})
        context.add_init_script(path=str(SCRIPT))
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_function(
            "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n"
            " && window.store && !window.store.getState().isLoading", arg=PAGES["/"],
            timeout=120_000)
        navigation = page.locator("#nav-collapse")

        def record(name: str, measured: dict, counted: bool) -> None:
            if counted:
                runs.setdefault(name, []).append(measured)

        for round_ in range(repeat + 1):
            counted = round_ > 0  # the first round fills the server's cache
            # Every page switch, around the navigation (each from the page before it).
            for key, path in NAVIGATION[1:] + NAVIGATION[:1]:
                name = CATALOGUE[key]["da"]
                link = navigation.get_by_role("link", name=name, exact=True)
                record(f"switch to {name}", _measure(page, PAGES[path], link.click), counted)
                if path == "/kommuner":
                    online = _checkbox(page, CATALOGUE["format.online"]["da"])
                    act = online.uncheck if online.is_checked() else online.check
                    record("Kommuner: filter (online)", _measure(
                        page, MUNICIPALITY_CHARTS, act), counted)
                elif path == "/oekonomi":
                    for vat in ("vat.incl_label", "vat.ex_label"):
                        record("Økonomi: VAT switch", _measure(
                            page, PAGES[path],
                            _checkbox(page, CATALOGUE[vat]["da"]).check), counted)
                elif path == "/planlaegning":
                    # Its id is a dict ({"type": url-choice, "name": "session"}), rendered as JSON.
                    select = page.locator('select[id*="url-choice"]')
                    options = select.locator("option").evaluate_all(
                        "options => options.map(o => o.value).filter(Boolean)")
                    chosen = select.input_value()
                    other = options[(options.index(chosen) + 1) % len(options)]
                    record("Planlægning: session", _measure(
                        page, PAGES[path], partial(select.select_option, other)), counted)
        browser.close()
    return runs


def summary(name: str, measured: list[dict]) -> dict:
    """p50 and p95 of the totals, medians of the breakdown."""
    totals = [m["total"] for m in measured]
    row = {"interaction": name, "runs": len(measured), "p50": statistics.median(totals),
           "p95": percentile(totals, 0.95)}
    for part in (key for key, *_heading in COLUMNS if key not in row):   # the breakdown
        row[part] = statistics.median(m[part] for m in measured)
    return row


COLUMNS = [("p50", "p50 ms", 8, 0), ("p95", "p95 ms", 8, 0),
           ("to_first_request", "→1st req", 9, 0), ("round_trips", "trips", 6, 1),
           ("requests", "reqs", 5, 1), ("in_requests", "in req", 7, 0),
           ("server", "server", 7, 0),
           ("between", "between", 8, 0), ("after", "after", 7, 0), ("plotly", "plotly", 7, 0),
           ("kilobytes", "kB", 6, 0), ("dispatches", "disp", 6, 0),
           ("components", "comps", 7, 0)]


def table(rows: list[dict]) -> str:
    """The rows as a plain-text table (medians of the breakdown, ms)."""
    width = max(len(r["interaction"]) for r in rows) + 2
    lines = [f"{'interaction':<{width}}" + "".join(f"{h:>{w}}" for _k, h, w, _d in COLUMNS)]
    for row in rows:
        lines.append(f"{row['interaction']:<{width}}" + "".join(
            f"{row[k]:>{w}.{d}f}" for k, _h, w, d in COLUMNS))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database (default: build the demo)")
    parser.add_argument("--repeat", type=int, default=7, help="recorded runs each [7]")
    parser.add_argument("--boundaries", type=Path,
                        help="boundary file for the demo database built without --db "
                             "(default: ../shared/geo/kommuner.geojson when present)")
    parser.add_argument("--json", type=Path, help="also write the figures and every run here")
    parser.add_argument("--app", type=Path, default=ROOT,
                        help="serve the app from this checkout (e.g. one made by `git "
                             "worktree add`, to compare two versions on the same machine "
                             "at the same time) [this one]")
    args = parser.parse_args()
    database = database_or_demo(args.db, "borgmester-interaction-db-",
                                boundaries_file(args.boundaries))
    runs = run_interactions(database, args.repeat, args.app.resolve())
    rows = [summary(name, measured) for name, measured in runs.items()]
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"summary": rows, "runs": runs}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
