"""Callback results kept per worker until the ETL swaps in a newer database.

The database only changes when the ETL replaces the whole file, so a page's figures are a
pure function of (database version, the callback's inputs). Many people looking at the same
programme then cost one computation per worker, not one per click. Every logged-in user sees
the same data, so one cache serves them all; callbacks whose result depends on who asks (the
admin's Data page) or on which input fired must not use it.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from dashboard.db import current_database
from dashboard.i18n import LANGUAGES, language, using
from etl import clock

logger = logging.getLogger(__name__)

# Per callback and worker; a figure set is tens of kB. Room for what the warm-up puts in with
# plenty to spare for what readers pick: Planlægning's every session in both languages is 20
# entries per view (ten sessions a programme), a page's default view two.
MAX_ENTRIES = 128

_caches: list[_Cache] = []


class _Cache:
    def __init__(self, limit: int):
        self.limit = limit
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> tuple[bool, Any]:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                self.hits += 1
                return True, self.entries[key]
            self.misses += 1
            return False, None

    def put(self, key: tuple, value: Any) -> None:
        version = key[0]
        with self.lock:
            for old in [k for k in self.entries if k[0] != version]:
                del self.entries[old]  # a newer database: older results are worthless
            self.entries[key] = value
            while len(self.entries) > self.limit:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def cached_on_database(function: Callable) -> Callable:
    """Memoise `function` on the database version and its (JSON-like) arguments."""
    cache = _Cache(MAX_ENTRIES)
    _caches.append(cache)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        # The version first (put() drops other versions by it), with the calendar's day: with
        # real data "next session" and "held" move at midnight though the file does not. The
        # language because the same inputs give Danish or English text.
        key = ((current_database().version, clock.today()), language(),
               json.dumps([args, kwargs], sort_keys=True, default=str))
        found, value = cache.get(key)
        if found:
            return value
        value = function(*args, **kwargs)
        cache.put(key, value)
        return value

    wrapper.cache = cache
    return wrapper


def clear_all() -> None:
    """Forget every cached result (benchmarks measure the uncached path with this)."""
    for cache in _caches:
        cache.clear()


# --- Warming: the likely views computed before anyone asks ---------------------------------

# A warmer returns None, or is a generator that yields between steps of its page's warm-up
# (Planlægning's: one session each), so warm_all can stop between them.
WarmerFunction = Callable[[str], Iterator[None] | None]

_warmers: list[WarmerFunction] = []


def warm_up(function: WarmerFunction) -> WarmerFunction:
    """Register `function(programme_id)`: it calls a page's cached callbacks with the inputs
    readers are likely to send (the page's default ones, at least), so the first viewer after
    a new database finds them ready."""
    _warmers.append(function)
    return function


def warm_all(programme_id: str, stop: threading.Event | None = None) -> int:
    """Run every registered warmer for `programme_id` in every language; returns how many
    finished. Ends early once `stop` is set: between two pages, or between two steps a page
    yields."""
    def stopped() -> bool:
        return stop is not None and stop.is_set()

    done = 0
    for warmer in _warmers:
        try:
            for lang in LANGUAGES:
                if stopped():
                    return done
                with using(lang):
                    for _step in warmer(programme_id) or ():
                        if stopped():
                            return done
            done += 1
        except Exception:  # noqa: BLE001 - a failed warm-up only means a cold first view
            logger.exception("opvarmning mislykkedes: %s", warmer.__qualname__)
    return done


class Warmer(threading.Thread):
    """Per worker: whenever a new database file appears (and at start), warm the newest
    programme's likely views (warm_up) in the background."""

    def __init__(self, newest_programme: Callable[[], str | None], interval: float = 2.0):
        super().__init__(daemon=True, name="cache-warmer")
        self.newest_programme = newest_programme
        self.interval = interval
        self.warmed_version: tuple | None = None
        self.stopped = threading.Event()
        # A daemon thread still inside DuckDB when the interpreter ends takes the process
        # down with it ("terminate called ... exception not rethrown", exit code 134): at
        # exit, let the current page (or step of a page, see warm_all) finish and stop before
        # the next. The wait has no time limit: a page's warm-up or step is a handful of
        # queries, and on a busy machine any limit short enough to matter would bring the
        # abort back (a hung worker is the process manager's to kill).
        atexit.register(self.stop)

    def stop(self, timeout: float | None = None) -> None:
        """Stop warming after the page (or step) in progress, and wait for it (at most
        `timeout` s when given)."""
        self.stopped.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                # A new day is a new version too (see cached_on_database).
                version = (current_database().version, clock.today())
                if version != self.warmed_version:
                    programme = self.newest_programme()
                    if programme:
                        warm_all(programme, self.stopped)
                    self.warmed_version = version
            except Exception:  # noqa: BLE001 - e.g. the file is being swapped: try again
                logger.exception("opvarmning mislykkedes")
            self.stopped.wait(self.interval)
