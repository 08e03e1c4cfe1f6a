"""Load test: N logged-in users browse pages and change filters on gunicorn, for a bounded time.

Run: .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--workers 4]
     [--threads 1] [--db PATH]

Only ever against 127.0.0.1: it starts its own gunicorn on a free loopback port with a fresh
demo database and a users file in a temporary folder, and stops it at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import database_or_demo, gunicorn, percentile  # noqa: E402
from dashboard.ids import URL_CHOICE  # noqa: E402

PASSWORD = "load-test-password-123"
YEARS = [2022, 2023, 2024, 2025]
FORMATS = ["day", "overnight", "online"]
PICK = {"type": URL_CHOICE, "name": "municipality"}  # Kommuner's (dashboard.pages.municipalities)


def filter_id(name: str) -> str:
    """The filter bar's control for a filter field (dashboard.filter_bar.CONTROLS)."""
    from dashboard.filter_bar import CONTROLS

    return CONTROLS[name]


def _key(component_id) -> str:
    if isinstance(component_id, dict):
        return json.dumps(component_id, separators=(",", ":"), sort_keys=True)
    return component_id


def callback_body(outputs, inputs) -> bytes:
    return json.dumps({
        "output": ".." + "...".join(f"{_key(i)}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{_key(inputs[-1][0])}.{inputs[-1][1]}"],
    }).encode()


def chart(key: str) -> list:
    """A chart's outputs: its figure, its finding (the heading), title and hidden summary."""
    return [(key, "figure"), (f"{key}-finding", "children"), (f"{key}-title", "children"),
            (f"{key}-summary", "children")]


def requests_for(rng: random.Random):
    """One user's next step: a page, the overview, or the municipalities with new filters."""
    choice = rng.random()
    if choice < 0.3:
        return "GET", "/_dash-layout", None
    if choice < 0.55:
        return "POST", "/_dash-update-component", callback_body(
            [("overview-key-figures", "children"), *chart("overview-turnout")],
            [("programme-select", "value", "LKS2022")])
    formats = rng.sample(FORMATS, rng.randint(1, 3))
    years = sorted(rng.sample(YEARS, rng.randint(1, 4)))
    return "POST", "/_dash-update-component", callback_body(
        [("municipalities-summary", "children"), *chart("municipalities-map"),
         *chart("municipalities-ranking"), *chart("municipalities-matrix"),
         ("municipalities-never", "children"), (PICK, "options"),
         ("municipalities-map-inset", "data")],
        [("programme-select", "value", "LKS2022"), (filter_id("regions"), "value", None),
         (filter_id("formats"), "value", formats),
         (filter_id("audiences"), "value", ["intro", "all"]),
         (filter_id("years"), "value", years)])


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure (TLS in front); this test talks plain HTTP to loopback."""

    def return_ok_secure(self, cookie, request):
        return True


class User(threading.Thread):
    def __init__(self, base: str, name: str, until: float, seed: int):
        super().__init__(daemon=True)
        self.base, self.name, self.until = base, name, until
        self.rng = random.Random(seed)
        self.jar = http.cookiejar.CookieJar(policy=LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def login(self) -> None:
        page = self.opener.open(self.base + "/login", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "username": self.name,
                                       "password": PASSWORD, "next": "/"}).encode()
        self.opener.open(self.base + "/login", data=data, timeout=30).read()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "_csrf_token")

    def run(self) -> None:
        try:
            self.login()
        except Exception as error:  # noqa: BLE001 - counted, not raised
            self.errors.append(f"login: {error}")
            return
        while time.monotonic() < self.until:
            method, path, body = requests_for(self.rng)
            request = urllib.request.Request(self.base + path, data=body, method=method,
                                             headers={"Content-Type": "application/json",
                                                      "X-CSRFToken": self.csrf()})
            started = time.perf_counter()
            try:
                with self.opener.open(request, timeout=30) as response:
                    response.read()
                self.latencies.append((time.perf_counter() - started) * 1000)
            except (urllib.error.URLError, TimeoutError) as error:
                self.errors.append(f"{path}: {error}")


def worker_peak_memory(master: int) -> list[float]:
    """Peak resident memory (VmHWM, MB) of each gunicorn worker: the master's children."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
        except OSError:
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return sorted(peaks)


def run_load(database: Path | None, users: int, seconds: float, workers: int,
             threads: int = 1) -> dict:
    """Start gunicorn on loopback, let `users` browse for `seconds`, stop it; the figures."""
    from dashboard.auth import UserStore

    database = database_or_demo(database, "borgmester-load-db-")
    folder = Path(tempfile.mkdtemp(prefix="borgmester-load-"))
    store = UserStore(folder / "users.json")
    for number in range(users):
        store.add(f"user{number}", PASSWORD, "viewer")
    with gunicorn(database, folder / "users.json", workers, threads) as (server, base):
        until = time.monotonic() + seconds
        crowd = [User(base, f"user{n}", until, seed=n) for n in range(users)]
        for user in crowd:
            user.start()
        for user in crowd:
            user.join(timeout=seconds + 60)
        memory = worker_peak_memory(server.pid)
    latencies = sorted(ms for user in crowd for ms in user.latencies)
    errors = [e for user in crowd for e in user.errors]
    return {"users": users, "seconds": seconds, "workers": workers, "threads": threads,
            "requests": len(latencies), "errors": errors,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": percentile(latencies, 0.95),
            "worker_memory_mb": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="per worker (1: sync workers)")
    parser.add_argument("--db", type=Path, help="database to serve (default: a fresh demo)")
    args = parser.parse_args()
    got = run_load(args.db, args.users, args.seconds, args.workers, args.threads)
    errors = got["errors"]
    print(f"{args.users} users, {args.seconds:.0f} s, gunicorn with {args.workers} workers "
          f"x {args.threads} threads")
    print(f"requests: {got['requests']}  ({got['requests'] / args.seconds:.0f}/s)")
    print(f"errors:   {len(errors)}" + (f"  e.g. {errors[0]}" if errors else ""))
    print(f"latency:  p50 {got['p50']:.0f} ms, p95 {got['p95']:.0f} ms")
    print("peak memory per worker: "
          + ", ".join(f"{mb:.0f} MB" for mb in got["worker_memory_mb"]))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
