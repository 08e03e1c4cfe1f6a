"""What the benchmark scripts share: a demo database to measure, a percentile, gunicorn
serving the real app on a free loopback port, and Debian's headless Chromium logged in to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every build loads the shipped municipality boundaries (data/reference/), as a real
# installation has them; --boundaries measures with another file instead.
# Debian's browser, driven by Playwright without `playwright install` (which downloads one).
CHROMIUM = "/usr/bin/chromium"


def boundaries_file(given: Path | None) -> Path | None:
    """The boundary file to load over the shipped ones: the one given, else none."""
    return given


def database_or_demo(database: Path | None, prefix: str,
                     boundaries: Path | None = None) -> Path:
    """`database`, or (None) a fresh demo database built in a new temporary folder, with
    `boundaries` loaded when given."""
    if database is not None:
        return database
    from etl.boundaries import load_boundaries
    from etl.build import build_database

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    built = folder / "borgmester.duckdb"
    build_database(built, demo_dir=folder / "demo")
    if boundaries is not None:
        load_boundaries(built, boundaries)
    return built


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database: Path, users_file: Path, workers: int, threads: int = 1,
             root: Path = ROOT):
    """gunicorn serving `database` on 127.0.0.1 until the block ends, the app imported from
    the checkout `root`; yields (process, url)."""
    port = free_port()
    env = {**os.environ, "BORGMESTER_DB": str(database),
           "BORGMESTER_USERS_FILE": str(users_file),
           "BORGMESTER_SECRET_KEY": "benchmark-secret"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads",
         str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "dashboard.wsgi:server"], cwd=root, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a busy machine starts workers slowly
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def launch_chromium(playwright):
    """Debian's headless Chromium, kept off the internet; SystemExit when not installed."""
    if not os.path.exists(CHROMIUM):
        raise SystemExit("Chromium is not installed: apt-get install -y chromium")
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--disable-background-networking", "--disable-component-update",
              "--no-first-run"])


def logged_in_state(browser, base: str, username: str, password: str) -> dict:
    """The cookies of a login through the app's form at `base`, as Playwright's
    storage_state for new contexts."""
    import re

    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name=re.compile("Log ind")).click()
    page.wait_for_url(base + "/")
    state = context.storage_state()
    context.close()
    return state


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user and system) used by process `pid` (default: this one) and every
    process under it, ended children included (a browser's short-lived helpers): the work
    done, which on a machine shared with others stays put while wall times grow with the
    load. Linux's /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    ticks, stack = 0, [pid or os.getpid()]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, and those of children waited for (cutime, cstime)
        ticks += sum(int(value) for value in fields[11:15])
        stack += children.get(current, [])
    return ticks / os.sysconf("SC_CLK_TCK")
