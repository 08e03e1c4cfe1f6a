"""What plotly.js spends drawing each chart, as CPU time: robust on a shared machine.

benchmarks/interaction.py times whole interactions by the clock, which on this 2-core machine
shared with other work wanders by 50 % and more between runs, too much to see a 50 ms change
in one figure. This script takes each chart of the pages named (the registry's figures, as
the page sends them: title moved out, DEMODATA mark on) and times, in headless Chromium with
the checkout's own plotly bundle and nothing else on the page:

- newPlot: drawing it into an empty box (a page switch);
- react: Plotly.react from the figure after the interaction benchmark's filter change
  (online sessions left out) to the default view and back, averaged (a filter change; on
  pages without those filters the same figure again).

Both are the renderer main thread's CPU time (a Chrome trace's thread durations, which
time spent waiting for a CPU does not count), per draw, mean of `--repeat`. Given several
`--app` checkouts, each chart is drawn in turn for each, to compare versions under the same
conditions. Also printed: each figure's JSON size and number of traces.

Run: .venv/bin/python benchmarks/drawing.py [--app /work/main --app .] [--db PATH]
     [--page Kommuner --page Geografi] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import database_or_demo, launch_chromium  # noqa: E402

BUNDLE = Path("assets") / "vendor" / "plotly-custom.min.js"
PAGES = ("Kommuner", "Geografi")
# The interaction benchmark's filter change on Kommuner: online sessions left out.
FILTERED = {"formats": ("day", "overnight")}


def dump(database: Path, pages: list[str], out: Path) -> None:
    """Write {chart key: [default figure, filtered figure]} as JSON to `out`, drawn by the
    dashboard importable from sys.path (the checkout measured) from `database`."""
    import plotly.io as pio

    from dashboard import charts, components, queries
    from dashboard.db import current_database, use_database

    use_database(database)
    with current_database().cursor() as con:
        programme = queries.programmes(con)["programme_id"].iloc[0]
        demo = queries.dataset_info(con).is_demo
        figures: dict[str, list] = {}
        for page in pages:
            views = [charts.View(programme),
                     charts.View(programme, filters=queries.Filters(**FILTERED))]
            for view in views:
                for key, drawn in charts.read(charts.on(page), view, on=con).draw().items():
                    figure = components.chart_values(key, drawn.figure, drawn.data,
                                                     drawn.finding, demo)[0]
                    figures.setdefault(key, []).append(json.loads(pio.to_json(figure)))
    out.write_text(json.dumps(figures), encoding="utf-8")


def figures_of(app: Path, database: Path, pages: list[str]) -> dict[str, list]:
    """dump() run in a process of its own with the checkout `app` first on its path."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump", str(out),
                        "--db", str(database), "--root", str(app),
                        *[arg for page in pages for arg in ("--page", page)]],
                       check=True, cwd=app)
        return json.loads(out.read_text(encoding="utf-8"))


DRAW = """async ([key, app, what, repeat]) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const box = document.getElementById(app);
  const [first, second] = window.FIGURES[app][key].map(f => JSON.stringify(f));
  const copy = (text) => JSON.parse(text);  // plotly takes over what it is given
  for (let i = 0; i < repeat; i++) {
    if (what === 'newPlot') {
      window.Plotly.purge(box);
      const f = copy(first);
      await window.Plotly.newPlot(box, f.data, f.layout, {});
    } else {
      for (const text of [second, first]) {
        const f = copy(text);
        await window.Plotly.react(box, f.data, f.layout, {});
      }
    }
    await frame();
  }
}"""


def main_thread_cpu_ms(trace: bytes) -> float:
    """The renderer main thread's CPU time over a Chrome trace: its top-level tasks' thread
    durations (tdur), ms."""
    events = json.loads(trace)["traceEvents"]
    main = {(e["pid"], e["tid"]) for e in events if e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"}
    return sum(e.get("tdur", 0) for e in events if e.get("ph") == "X"
               and e.get("name") == "RunTask" and (e["pid"], e["tid"]) in main) / 1000


def measure(apps: list[Path], figures: list[dict], repeat: int, width: int) -> list[dict]:
    """Per chart and app: kB, traces, newPlot and react CPU ms per draw."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pages = []
        for index, app in enumerate(apps):
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_content(f'<div id="{index}" style="width:{width}px"></div>')
            page.add_script_tag(path=str(app / BUNDLE))
            page.evaluate("([i, f]) => { window.FIGURES = {[i]: f}; }", [str(index),
                                                                        figures[index]])
            pages.append(page)
        for key in figures[0]:
            for index, page in enumerate(pages):
                if key not in figures[index]:
                    continue
                row = {"chart": key, "app": str(apps[index]),
                       "kB": len(json.dumps(figures[index][key][0])) / 1024,
                       "traces": len(figures[index][key][0]["data"])}
                page.evaluate(DRAW, [key, str(index), "newPlot", 1])  # warm: code compiled
                for what, draws in (("newPlot", repeat), ("react", 2 * repeat)):
                    browser.start_tracing(page=page, categories=[
                        "devtools.timeline", "disabled-by-default-devtools.timeline"])
                    page.evaluate(DRAW, [key, str(index), what, repeat])
                    row[what] = main_thread_cpu_ms(browser.stop_tracing()) / draws
                rows.append(row)
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    width = max(len(r["chart"]) for r in rows) + 2
    apps = list(dict.fromkeys(r["app"] for r in rows))
    lines = [f"{'chart':<{width}}{'app':<4}{'kB':>6}{'traces':>8}{'newPlot':>9}{'react':>8}"
             "   (CPU ms per draw)"]
    for r in rows:
        lines.append(f"{r['chart']:<{width}}{apps.index(r['app']):<4}{r['kB']:>6.0f}"
                     f"{r['traces']:>8}{r['newPlot']:>9.0f}{r['react']:>8.0f}")
    lines += [f"app {i}: {app}" for i, app in enumerate(apps)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, action="append",
                        help="a checkout to draw the figures of (repeat to compare) [this one]")
    parser.add_argument("--db", type=Path, help="database (default: build the demo)")
    parser.add_argument("--page", action="append", help=f"a page's charts {PAGES}")
    parser.add_argument("--repeat", type=int, default=5, help="draws timed each [5]")
    parser.add_argument("--width", type=int, default=760, help="the charts' width, px [760]")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = args.page or list(PAGES)
    if args.dump:  # the child process of figures_of, in the checkout measured
        sys.path.insert(0, str(args.root))
        for name in [m for m in sys.modules if m == "dashboard" or m.startswith("dashboard.")]:
            del sys.modules[name]
        dump(args.db, pages, args.dump)
        return
    apps = [app.resolve() for app in (args.app or [ROOT])]
    database = database_or_demo(args.db, "borgmester-drawing-db-")
    figures = [figures_of(app, database, pages) for app in apps]
    rows = measure(apps, figures, args.repeat, args.width)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
