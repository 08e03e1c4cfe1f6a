"""What the benchmark scripts share: a demo database to measure, a percentile, and gunicorn
serving the real app on a free loopback port."""

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
def gunicorn(database: Path, users_file: Path, workers: int, threads: int = 1):
    """gunicorn serving `database` on 127.0.0.1 until the block ends; yields (process, url)."""
    port = free_port()
    env = {**os.environ, "BORGMESTER_DB": str(database),
           "BORGMESTER_USERS_FILE": str(users_file),
           "BORGMESTER_SECRET_KEY": "benchmark-secret"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads",
         str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "dashboard.wsgi:server"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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
