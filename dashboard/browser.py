"""The worker's browsers for files: kaleido's (chart images) and a Playwright Chromium that
prints HTML to PDF (the report, whose page draws its own charts). Both started once per
worker and kept, so that no export waits for a browser to start: `export.warm()` starts
them ahead of the first export.

Playwright's sync API serves only the thread that started it, and Dash answers callbacks on
many threads: the printer is a thread of its own, taking jobs from a queue.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from concurrent.futures import Future

logger = logging.getLogger(__name__)

# Chromium must not reach for the internet (updates, metrics, safe browsing).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-gpu"]
TIMEOUT_MS = 300_000  # a page to load and print; past that the browser is taken as hung


class Printer(threading.Thread):
    """One headless Chromium printing HTML pages to PDF, one page at a time."""

    def __init__(self, executable: str):
        super().__init__(daemon=True, name="pdf-printer")
        self.executable = executable
        self.jobs: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=self.executable,
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                # Playwright's 30 s default: a long report on a loaded machine took longer.
                page.set_default_timeout(TIMEOUT_MS)
                self.ready.set()
                while (job := self.jobs.get()) is not None:
                    html, ready, options, future = job
                    try:
                        page.set_content(html, wait_until="load")
                        if ready:  # a promise the page keeps once it is drawn
                            page.evaluate(ready)
                        future.set_result(page.pdf(**options))
                    except Exception as error:  # noqa: BLE001 - the caller gets it
                        future.set_exception(error)
                browser.close()
        except Exception as error:  # noqa: BLE001 - no browser: every job says why
            self.failure = error
            logger.exception("pdf-printeren kunne ikke starte")
        finally:
            self.ready.set()
            self._fail_waiting()

    def _fail_waiting(self) -> None:
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[3].set_exception(RuntimeError(f"ingen browser til PDF: {self.failure}"))

    def pdf(self, html: str, ready: str | None = None, **options) -> bytes:
        """`html` printed by Chromium (Playwright's page.pdf options); with `ready`, a
        JavaScript expression evaluated (and awaited, when it gives a promise) after the
        page's load and before printing: the page's own "drawn" signal, never a sleep.
        Raises what the page or the printing raised."""
        if not self.is_alive():
            raise RuntimeError(f"ingen browser til PDF: {self.failure}")
        future: Future = Future()
        self.jobs.put((html, ready, options, future))
        return future.result()

    def stop(self) -> None:
        """Close the browser after the job in progress (at exit: no Chromium left behind)."""
        if self.is_alive():
            self.jobs.put(None)
            self.join()


_lock = threading.Lock()
_printer: Printer | None = None


def printer(executable: str) -> Printer:
    """The worker's printer, started on the first call."""
    global _printer
    with _lock:
        if _printer is None or not _printer.is_alive():
            _printer = Printer(executable)
            _printer.start()
            atexit.register(_printer.stop)
        return _printer
