"""Server time of every page's callbacks, p50 and p95, uncached and cached.

Run: .venv/bin/python benchmarks/callbacks.py [--db PATH] [--repeat 50]
It builds a fresh demo database in a temporary folder unless --db is given, logs in with the
local demo login, then posts each callback to the app through Flask's test client (no network,
no browser) and times it, login and CSRF checks included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import boundaries_file, database_or_demo, percentile  # noqa: E402
from dashboard import cache, charts, formatting  # noqa: E402
from dashboard.access import access_for  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.components import chart_outputs, view_option  # noqa: E402
from dashboard.ids import PROGRAMME_SELECT, URL_CHOICE, URL_CHOICE_DEFAULT  # noqa: E402

PROGRAMME = (PROGRAMME_SELECT, "value", "LKS2022")
SESSION = {"type": URL_CHOICE, "name": "session"}  # Planlægning's (dashboard.pages.planning)
SESSION_DEFAULT = {"type": URL_CHOICE_DEFAULT, "name": "session"}   # its default, for the bar
PICK = {"type": URL_CHOICE, "name": "municipality"}  # Kommuner's (dashboard.pages.municipalities)


def filter_id(name: str) -> str:
    """The filter bar's control for a filter field (dashboard.filter_bar.CONTROLS)."""
    from dashboard.filter_bar import CONTROLS

    return CONTROLS[name]

ALL_YEARS = [2022, 2023, 2024, 2025]
ALL_REGIONS = [1081, 1082, 1083, 1084, 1085]  # DST codes, as the filter bar ticks them
# The filter bar's four checklists, every value ticked: what a page's view callback takes
# after the programme (dashboard.view_filters.INPUTS).
ALL_TICKED = [(filter_id("regions"), "value", ALL_REGIONS),
              (filter_id("formats"), "value", ["day", "overnight", "online"]),
              (filter_id("audiences"), "value", ["intro", "all"]),
              (filter_id("years"), "value", ALL_YEARS)]


def chart(key: str) -> list:
    """A chart's outputs: its figure, its finding (the heading), title and hidden summary."""
    return [(o.component_id, o.component_property) for o in chart_outputs(key)]


def charts_of(page: str, needs: tuple[str, ...] = ()) -> list:
    """The outputs of the page's registered charts (dashboard.charts.on), in the order its
    callback declares them."""
    return [output for c in charts.on(page, needs) for output in chart(c.key)]


# (page, outputs, inputs): the calls a browser makes when a page opens or a filter changes.
MUNICIPALITIES = [("municipalities-summary", "children"), *charts_of("Kommuner"),
                  ("municipalities-never", "children"), (PICK, "options"),
                  ("municipalities-map-inset", "data")]
CALLS = [
    ("Overblik", [("overview-key-figures", "children"), *charts_of("Overblik")],
     [PROGRAMME, *ALL_TICKED]),
    ("Kommuner: figurer", MUNICIPALITIES, [PROGRAMME, *ALL_TICKED]),
    ("Kommuner: filter", MUNICIPALITIES,
     [PROGRAMME, (filter_id("regions"), "value", [1083]),
      (filter_id("formats"), "value", ["day", "overnight"]),
      (filter_id("audiences"), "value", ["all"]),
      (filter_id("years"), "value", [2023, 2024])]),
    ("Kommuner: klik", [("municipalities-detail", "children"), (PICK, "value")],
     [("municipalities-map", "clickData", {"points": [{"customdata": 461}]}),
      ("municipalities-ranking", "clickData", None),
      ("municipalities-matrix", "clickData", None), (PICK, "value", None),
      PROGRAMME]),
    ("Fastholdelse", [*charts_of("Fastholdelse"), ("retention-slipping", "children"),
                      ("retention-nothing", "children")],
     [PROGRAMME, *ALL_TICKED]),
    ("Fastholdelse: sammenlign",
     [*charts_of("Fastholdelse", ("other_programme",)), ("retention-compare-box", "hidden"),
      (view_option("other_programme"), "data")],
     [PROGRAMME, ("retention-compare", "value", "LKS2026-DEMO")]),
    ("Økonomi", [("revenue-cards", "children"), ("revenue-unknown-price", "children"),
                 *charts_of("Økonomi"), ("revenue-table", "children"),
                 (view_option("incl_vat"), "data")],
     [PROGRAMME, ({"type": "url-control", "name": "vat"}, "value", "incl"), *ALL_TICKED]),
    ("Planlægning: sessioner",
     [(SESSION, "options"), (SESSION, "value"), (SESSION_DEFAULT, "data")], [PROGRAMME]),
    # The planning page's three sections are three callbacks, requested side by side. Its two
    # charts are its own (drawn per session from the plan), not registered charts.
    # The forecast brings the session's link with it (one request less a session change).
    ("Planlægning: prognose", [("planning-cards", "children"), ("planning-method", "children"),
                               *chart("planning-curves"), ("planning-session-link", "href")],
     [(SESSION, "value", "LKS2022-09")]),
    ("Planlægning: lister", [("planning-participants", "children"),
                             ("planning-waiting", "children"), ("planning-to-call", "children")],
     [(SESSION, "value", "LKS2022-09")]),
    ("Planlægning: mødested", [("planning-venue-title", "children"),
                               *chart("planning-venue-map"),
                               ("planning-venue-table", "children"),
                               ("planning-hosting", "children")],
     [(SESSION, "value", "LKS2022-09")]),
    ("Geografi", [*charts_of("Geografi"), ("geography-table", "children"),
                  ("geography-nothing", "children")], [PROGRAMME, *ALL_TICKED]),
]


def outputs_of(name: str) -> list:
    """The outputs of the call named `name` in CALLS (for tests posting to the same callback
    with other inputs)."""
    (outputs,) = [outputs for called, outputs, _inputs in CALLS if called == name]
    return outputs


def _id(component_id) -> str:
    """A component id as Dash writes it in a callback's output string."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, separators=(",", ":"), sort_keys=True)
    return component_id


def payload(outputs, inputs):
    return {
        "output": ".." + "...".join(f"{_id(i)}.{p}" for i, p in outputs) + ".."
        if len(outputs) > 1 else f"{_id(outputs[0][0])}.{outputs[0][1]}",
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1 else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{_id(inputs[0][0])}.{inputs[0][1]}"],
    }


_access = None


def log_in(database: Path):
    """A test client of the real app, logged in with the local demo login, and its headers."""
    global _access
    # The app is made once per process (Dash's page registry is global); later calls only
    # point it at another database, so its login stays the first one.
    _access = _access or access_for("127.0.0.1")
    access = _access
    # Without the background warm-up: it would compute every page at start (and again for
    # each new database) while the first callbacks are being timed, and fill the cache the
    # uncached calls are meant to miss.
    with patch.dict(os.environ, {"BORGMESTER_WARM_CACHE": "0"}):
        client = create_app(database, access).server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "username": "demo",
                                "password": access.demo_password})
    return client, {"X-CSRFToken": client.get_cookie("_csrf_token").value}


def time_callbacks(database: Path, repeat: int) -> list[dict]:
    """Per callback: p50 and p95 in ms, uncached ("cold": the cache emptied before every
    call, as for the first viewer after a new database) and cached ("warm")."""
    client, headers = log_in(database)
    results = []
    for name, outputs, inputs in CALLS:
        body = payload(outputs, inputs)
        row = {"callback": name}
        for mode in ("cold", "warm"):
            timings = []
            for attempt in range(repeat + 3):
                if mode == "cold":
                    cache.clear_all()
                    # Formatted numbers and dates are memoised too: forget them as well.
                    formatting._decimal.cache_clear()
                    formatting._date.cache_clear()
                started = time.perf_counter()
                response = client.post("/_dash-update-component", json=body, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code}")
                if attempt >= 3:  # the first calls warm imports and caches
                    timings.append(elapsed)
            row[f"{mode}_p50"] = statistics.median(timings)
            row[f"{mode}_p95"] = percentile(timings, 0.95)
        results.append(row)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database to read (default: build the demo)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--boundaries", type=Path,
                        help="boundary file for the demo database built without --db, "
                             "over the shipped ones (default: none)")
    args = parser.parse_args()
    database = database_or_demo(args.db, "borgmester-bench-", boundaries_file(args.boundaries))
    results = time_callbacks(database, args.repeat)
    print(f"{'callback':<24}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}")
    for row in results:
        print(f"{row['callback']:<24}{row['cold_p50']:>10.1f}{row['cold_p95']:>10.1f}"
              f"{row['warm_p50']:>10.1f}{row['warm_p95']:>10.1f}")
    print(f"\nslowest p95 over {args.repeat} calls each: "
          f"cold {max(r['cold_p95'] for r in results):.1f} ms, "
          f"warm {max(r['warm_p95'] for r in results):.1f} ms")


if __name__ == "__main__":
    main()
