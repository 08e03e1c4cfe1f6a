"""The real app in Debian's headless Chromium: it loads, offline, with no console error."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from etl.paths import PROJECT_ROOT
from tests.conftest import require_browser

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_database):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--port", str(port), "--db", str(demo_database)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the app did not start:\n{process.stdout.read()}")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


class PageWatch:
    """Collects console errors, failed requests and any request leaving the app."""

    def __init__(self, page, origin: str):
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:"))
                else self.outside.append(r.url))


def test_the_overview_loads_offline_with_no_console_error(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    watch = PageWatch(page, server)
    page.goto(server + "/", wait_until="networkidle")
    page.get_by_text("Kommuner med deltagelse").wait_for(timeout=15000)
    assert page.locator("#demo-badge").inner_text() == "Demodata"
    assert "Data pr. 31. mar. 2025" in page.locator("#data-as-of").inner_text()
    body = page.locator("main").inner_text()
    assert "af 98" in body and "kr." in body
    # Bootstrap is served by the app itself: the navbar is styled, not raw HTML.
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert watch.errors == []
    assert watch.outside == []
    page.close()
