"""The real app as a subprocess on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

from etl.paths import PROJECT_ROOT
from tests.conftest import SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(database, users_file):
    """The real app (`python -m dashboard`) on a free port, until the block ends."""
    import tempfile

    port = free_port()
    env = {**os.environ, "BORGMESTER_USERS_FILE": str(users_file),
           "BORGMESTER_SECRET_KEY": SECRET}
    # The request log goes to a file: a pipe nobody reads fills up (64 KiB) after a few
    # hundred requests and then blocks the server.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(port), "--db", str(database)],
            cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/login", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    log.seek(0)
                    pytest.fail(f"the app did not start:\n{log.read()}")
                time.sleep(0.3)
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
