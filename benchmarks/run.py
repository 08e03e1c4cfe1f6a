"""The whole benchmark suite in one run, printed as one table against the targets.

Run: .venv/bin/python benchmarks/run.py [--scale 1000000] [--repeat 20] [--json FILE]

It builds the demo database and a scaled one (`etl demo --scale N`), then measures: build
times; import throughput against DuckDB's bare read_csv; every page's callbacks on both, cold
(cache emptied before each call) and warm; the naive pandas baseline on the scaled data; page
load and interactions (page switches, a filter, the VAT switch, a session change: click to
last chart drawn) in headless Chromium; the full report's export time; and gunicorn workers'
peak memory under load. Each part is also a script of its own in this folder. Needs Debian's
Chromium for the browser parts and the report (without it those rows say so).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.callbacks import time_callbacks  # noqa: E402
from benchmarks.common import CHROMIUM, boundaries_file  # noqa: E402
from benchmarks.import_1m import (  # noqa: E402
    RATIO_TARGET,
    SMALL_EXPORT_TARGET,
    measure_import,
    measure_small_export,
)
from benchmarks.load import run_load  # noqa: E402
from benchmarks.naive import time_naive  # noqa: E402
from dashboard.formatting import number  # noqa: E402  (Danish outside a request)
from etl.boundaries import load_boundaries  # noqa: E402
from etl.build import build_database  # noqa: E402
from etl.scale import build_scale_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000,
                        help="registrations in the scaled database [1000000]")
    parser.add_argument("--repeat", type=int, default=20, help="calls per callback [20]")
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--clicks", type=int, default=7,
                        help="recorded runs of each browser interaction [7]")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--boundaries", type=Path,
                        help="municipality boundaries to load into both databases over "
                             "the shipped ones every build loads (default: none)")
    args = parser.parse_args()
    boundaries = boundaries_file(args.boundaries)
    folder = Path(tempfile.mkdtemp(prefix="borgmester-benchmarks-"))
    rows: list[tuple[str, str, str, str]] = []  # measure, result, target, verdict
    figures: dict = {"scale": args.scale}

    def report(measure: str, result: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("ja" if met else "NEJ")
        rows.append((measure, result, target, verdict))
        print(f"  {measure}: {result}" + (f" (mål {target}: {verdict})" if target else ""),
              flush=True)

    print("Bygger databaserne ...", flush=True)
    demo_db = folder / "demo.duckdb"
    started = time.perf_counter()
    build_database(demo_db, demo_dir=folder / "demo")
    figures["build_demo_s"] = time.perf_counter() - started
    report("Byg demodatabasen", f"{number(figures['build_demo_s'], 1)} s")
    scale_db = folder / "scale.duckdb"
    started = time.perf_counter()
    build_scale_database(scale_db, args.scale, folder / "scale-files")
    figures["build_scale_s"] = time.perf_counter() - started
    report(f"Byg {number(args.scale, 0)} tilmeldinger (generér, byg, importér)",
           f"{number(figures['build_scale_s'], 1)} s")
    figures["boundaries"] = str(boundaries) if boundaries else None
    if boundaries is not None:
        for database in (demo_db, scale_db):
            load_boundaries(database, boundaries)
        report("Kommunegrænser", f"indlæst fra {boundaries.name} (kortene tegner kommuner)")
    else:
        report("Kommunegrænser", "ingen fil: kortene viser rådhuse (--boundaries FIL)")

    print("Import mod DuckDB's read_csv ...", flush=True)
    imported = measure_import(args.scale)
    figures["import"] = imported
    report(f"Import af {number(args.scale, 0)} rækker",
           f"{number(imported['import'], 1)} s mod read_csv {number(imported['read_csv'], 1)} s "
           f"= {number(imported['ratio'], 2)}×", f"≤ {number(RATIO_TARGET, 1)}×",
           imported["ratio"] <= RATIO_TARGET)
    small = measure_small_export(Path(imported.pop("database")), args.scale,
                                 imported.pop("municipalities"))
    figures["small_export"] = small
    report(f"Eksport på {small['rows']} rækker ind i {number(args.scale, 0)} (python -m etl "
           "import, med opstart)", f"{number(small['best'], 2)} s (bedste af "
           f"{len(small['runs'])})", f"≤ {number(SMALL_EXPORT_TARGET, 0)} s",
           small["best"] <= SMALL_EXPORT_TARGET)

    print("Callbacks ...", flush=True)
    for label, database in (("demo", demo_db), ("skala", scale_db)):
        timed = time_callbacks(database, args.repeat)
        figures[f"callbacks_{label}"] = timed
        for row in timed:
            print(f"    {label:<6}{row['callback']:<24} kold p50 {row['cold_p50']:6.1f} "
                  f"p95 {row['cold_p95']:6.1f}   varm p50 {row['warm_p50']:5.1f} "
                  f"p95 {row['warm_p95']:5.1f} ms")
        cold = max(r["cold_p95"] for r in timed)
        warm = max(r["warm_p95"] for r in timed)
        report(f"Callbacks p95, langsomste ({label}), kold", f"{number(cold, 1)} ms",
               "≤ 50 ms", cold <= 50)
        report(f"Callbacks p95, langsomste ({label}), varm (cache)", f"{number(warm, 1)} ms",
               "≤ 50 ms", warm <= 50)

    print("Naiv pandas-udgave ...", flush=True)
    naive, loaded = time_naive(scale_db, args.repeat)
    ours = {r["callback"]: r for r in figures["callbacks_skala"]}
    figures["naive"] = {"load_s": loaded, "p50_ms": naive}
    for page, ms in naive.items():
        cold = ms / ours[page]["cold_p50"]
        warm = ms / ours[page]["warm_p50"]
        figures["naive"][page] = {"cold_speedup": cold, "warm_speedup": warm}
        report(f"Hurtigere end naiv pandas: {page}, kold", f"naiv {number(ms, 0)} ms, "
               f"os {number(ours[page]['cold_p50'], 0)} ms: {number(cold, 1)}×", "≥ 10×",
               cold >= 10)
        report(f"Hurtigere end naiv pandas: {page}, varm", f"os {number(ours[page]['warm_p50'], 1)}"
               f" ms: {number(warm, 0)}×", "≥ 10×", warm >= 10)

    if os.path.exists(CHROMIUM):
        from benchmarks.interaction import run_interactions, summary, table
        from benchmarks.pageload import measure_page_loads
        from benchmarks.report import measure_in_browser, measure_report

        print("Sideindlæsning i Chromium ...", flush=True)
        loads = measure_page_loads(scale_db)
        figures["page_load"] = loads
        first = loads[0]
        report("Første side tegnet (Overblik, tom cache)", f"{number(first['seconds'], 2)} s",
               "≤ 1,5 s", first["seconds"] <= 1.5)
        slowest = max(loads, key=lambda r: r["seconds"])
        report("Langsomste side tegnet", f"{number(slowest['seconds'], 2)} s ({slowest['page']})")
        heaviest = max(r["kilobytes"] for r in loads)
        report("Overført pr. side (komprimeret), størst", f"{number(heaviest / 1024, 2)} MB",
               "≤ 2 MB", heaviest <= 2048)
        print("Interaktioner i Chromium ...", flush=True)
        for label, database in (("demo", demo_db), ("skala", scale_db)):
            measured = [summary(name, runs)
                        for name, runs in run_interactions(database, args.clicks).items()]
            figures[f"interaction_{label}"] = measured
            print(table(measured), flush=True)
            switches = [r for r in measured if r["interaction"].startswith("switch to")]
            changes = [r for r in measured if not r["interaction"].startswith("switch to")]
            for kind, group, p50_target, p95_target in (
                    ("Sideskift", switches, 400, 700),
                    ("Filter, moms, session", changes, 150, 300)):
                p50 = max(r["p50"] for r in group)
                p95 = max(r["p95"] for r in group)
                report(f"{kind}, klik til tegnet, langsomste ({label})",
                       f"p50 {number(p50, 0)} ms, p95 {number(p95, 0)} ms",
                       f"≤ {p50_target}/{p95_target} ms", p50 <= p50_target and p95 <= p95_target)
        print("Rapporteksport ...", flush=True)
        exported = measure_report(scale_db, repeat=2)
        figures["report"] = exported
        for fmt in ("pdf", "pptx"):
            report(f"Hele rapporten som {fmt.upper()}, varm", f"{number(exported[fmt], 1)} s",
                   "≤ 6 s", exported[fmt] <= 6)
        print("Eksport i browseren fra en ny worker ...", flush=True)
        clicked = measure_in_browser(scale_db)
        figures["report_in_browser"] = clicked
        for fmt, label, target in (("png", "Første PNG-billede", 2), ("pdf", "Rapport som PDF", 6),
                                   ("pptx", "Rapport som PowerPoint", 6)):
            first, then = clicked[fmt][0], clicked[fmt][-1]
            report(f"{label} i browseren, ny worker: første / næste",
                   f"{number(first, 1)} s / {number(then, 1)} s", f"≤ {target} s",
                   first <= target)
    else:
        report("Sideindlæsning og rapport", "sprunget over: Chromium mangler "
               "(apt-get install -y chromium)")

    print("Belastning og hukommelse ...", flush=True)
    load = run_load(scale_db, users=50, seconds=args.load_seconds, workers=4)
    figures["load"] = {k: v for k, v in load.items() if k != "errors"} | {
        "errors": len(load["errors"])}
    report("50 brugere på gunicorn (4 workers)",
           f"{load['requests']} forespørgsler, {len(load['errors'])} fejl, p50 "
           f"{number(load['p50'], 0)} ms, p95 {number(load['p95'], 0)} ms", "0 fejl",
           not load["errors"])
    peak = max(load["worker_memory_mb"] or [float("nan")])
    report("Hukommelse pr. worker, højeste", f"{number(peak, 0)} MB", "≤ 400 MB", peak <= 400)

    width = max(len(r[0]) for r in rows)
    print(f"\n{'Måling':<{width}}  {'Resultat':<58}  {'Mål':<9}  Nået")
    for measure, result, target, verdict in rows:
        print(f"{measure:<{width}}  {result:<58}  {target:<9}  {verdict}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
