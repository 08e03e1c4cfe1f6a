from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from dashboard.ids import URL_CHOICE
from etl.build import build_database
from etl.importer import import_files
from etl.paths import PROJECT_ROOT
from tests.tiny_data import load_tiny

# The demo's "today" (etl.clock.today, setting BORGMESTER_TODAY) is frozen for the WHOLE
# suite, here at import time, before any fixture builds the demo database: the demo data
# (which sessions are held, which registrations made) and every page that knows what day it
# is then stay the same whatever day the tests run. 30 November 2026: the 2022-2025
# programme has ended, the demo 2026-2029 programme is under way, its next session is days
# away. A test that needs another day sets the variable itself (monkeypatch.setenv).
os.environ["BORGMESTER_TODAY"] = "2026-11-30"
# The app's export browsers start at the first export, not with every app a test makes
# (tests/test_report_browser.py starts them as a worker does).
os.environ.setdefault("BORGMESTER_WARM_BROWSER", "0")

SHARED_GEO = PROJECT_ROOT.parent / "shared" / "geo" / "kommuner.geojson"
READY_SECONDS = 120     # readiness only: how long a thread or job may take on a loaded machine
READY_MS = READY_SECONDS * 1000  # the same, for Playwright

# In CI the property-based tests replay the same examples every run (no flaky landings);
# on a developer's machine they explore new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def tiny_con():
    """An in-memory database holding the hand-made data set."""
    with duckdb.connect() as con:
        yield load_tiny(con)


TINY_DAY = dt.date(2023, 6, 15)  # the hand-made data's export day: S1..S3 all held


@pytest.fixture
def tiny_view(tiny_con):
    """The hand-made data, with an empty second programme P2 to compare with, and the view
    (dashboard.charts.View) every registered chart applies to there, drawn as for a file
    (a page's map names a URL of the app's database)."""
    from dashboard.charts import View

    tiny_con.execute("INSERT INTO programmes (programme_id, title, period_start, period_end) "
                     "VALUES ('P2', 'Tomt forløb', '2026-01-01', '2029-12-31')")
    return tiny_con, View("P1", held_by=TINY_DAY, other_programme="P2")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The real reference data plus demo data, built once for the whole run."""
    directory = tmp_path_factory.mktemp("demo-db")
    path = directory / "borgmester.duckdb"
    build_database(path, demo_dir=directory / "demo")
    return path


@pytest.fixture(scope="session")
def municipality_geometries():
    """Municipality polygons from ../shared/geo, one shape per DST code."""
    if not SHARED_GEO.is_file():
        pytest.skip(f"{SHARED_GEO} is absent: the boundary checks need the shared geo data "
                    "beside the project")
    from shapely.geometry import shape
    from shapely.ops import unary_union

    features = json.loads(SHARED_GEO.read_text(encoding="utf-8"))["features"]
    parts: dict[int, list] = {}
    for feature in features:
        parts.setdefault(int(feature["properties"]["KOMKODE"]), []).append(
            shape(feature["geometry"]))
    return {code: unary_union(shapes) for code, shapes in parts.items()}


def require_browser() -> str:
    """Path of Debian's Chromium, or skip (fail in CI, where it must be installed)."""
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            return candidate
    message = "Chromium is not installed: apt-get install -y chromium chromium-driver"
    if os.environ.get("BORGMESTER_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def require_libreoffice() -> str:
    """Path of LibreOffice's soffice, or skip (fail in CI, where it must be installed)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice is not installed: apt-get install -y libreoffice-calc-nogui"
    if os.environ.get("BORGMESTER_REQUIRE_LIBREOFFICE"):
        pytest.fail(message)
    pytest.skip(message)


ADMIN = ("anna", "admin-password-123")
VIEWER = ("bo", "viewer-password-123")
SECRET = "test-secret-key-0123456789abcdef"


# Settled: the page's own content laid out (Dash's pages container filled: a page with no
# charts could otherwise count as settled before its route had answered), no Dash output
# loading and `charts` plots drawn, on several animation frames in a row. One frame is not
# enough: between a callback's answer and the request of a callback chained to it, a frame
# can pass with nothing loading. Counted in frames, not milliseconds,
# so a busy machine only makes it slower, never wrong.
SETTLED = """([n, frames]) => {
    const quiet = !!document.querySelector('#_pages_content > *')
        && document.querySelectorAll('.js-plotly-plot .main-svg').length >= n
        && !document.querySelector('[data-dash-is-loading="true"]');
    window.__quietFrames = quiet ? (window.__quietFrames || 0) + 1 : 0;
    return window.__quietFrames >= frames;
}"""
SETTLED_FRAMES = 5


def settle(page, charts: int = 0, timeout: float = READY_MS) -> None:
    """Wait until every callback has answered and `charts` plots are drawn (see SETTLED)."""
    page.evaluate("window.__quietFrames = 0")
    page.wait_for_function(SETTLED, arg=[charts, SETTLED_FRAMES], polling="raf",
                           timeout=timeout)


def charts_drawn(page: str) -> int:
    """How many charts a page draws as it opens: its registered charts (dashboard.charts)
    that need no choice of the reader's (the side-by-side one waits for a second programme)."""
    from dashboard.charts import on

    return len(on(page))


# The dashboard's pages: (screenshot name, number of charts the page draws).
PAGES = {
    "/": ("overblik", charts_drawn("Overblik")),
    "/kommuner": ("kommuner", charts_drawn("Kommuner")),
    "/fastholdelse": ("fastholdelse", charts_drawn("Fastholdelse")),
    "/oekonomi": ("oekonomi", charts_drawn("Økonomi")),
    "/geografi": ("geografi", charts_drawn("Geografi")),
    "/planlaegning": ("planlaegning", 2),   # its own two, drawn per session
    "/om-data": ("om-data", 0),
    # The drill-through pages (reached by clicking a municipality or a session; not in the
    # menu): Kolding, and the demo programme's first session.
    "/kommuner/621": ("kommune", 0),
    "/sessioner/LKS2026-DEMO-01": ("session", 0),
}
# Kommuner's list of municipalities (dashboard/pages/municipalities.py PICK): its id is the
# address's choice `kommune`, which Dash writes as its JSON, keys sorted, no spaces.
PICK = "select[id='{}']".format(json.dumps({"type": URL_CHOICE, "name": "municipality"},
                                           sort_keys=True, separators=(",", ":")))


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> Path:
    """A users file with one admin and one viewer, as `python -m dashboard users add` writes."""
    from dashboard.auth import UserStore

    path = tmp_path_factory.mktemp("users") / "users.json"
    store = UserStore(path)
    store.add(*ADMIN, "admin")
    store.add(*VIEWER, "viewer")
    return path


@pytest.fixture(scope="session")
def app_access(users_file, tmp_path_factory):
    """Who may get into the in-process app: its users, throttle and live sessions (tests
    reach into the last two to set up a throttled name or an idle session)."""
    from dashboard.access import Access, idle_seconds
    from dashboard.auth import SessionRegistry, Throttle, UserStore

    folder = tmp_path_factory.mktemp("auth")
    return Access(UserStore(users_file), SECRET, Throttle(folder / "throttle.sqlite"),
                  SessionRegistry(folder / "sessions.sqlite", idle_seconds()), False)


@pytest.fixture(scope="session")
def app(demo_database, app_access):
    """The one in-process app (Dash's page registry is global), behind its login."""
    from dashboard.app import create_app

    return create_app(demo_database, app_access)


class FakeTime:
    """Stands in for `time` inside dashboard.auth: the clock moves only when a test moves it
    (`now += seconds`), and sleeping in a request is a failure."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        raise AssertionError(f"a login request slept {seconds} s inside the worker")


@pytest.fixture
def auth_clock(monkeypatch) -> FakeTime:
    """dashboard.auth's clock, standing still at the real time until the test moves it."""
    import time

    from dashboard import auth

    clock = FakeTime(time.time())
    monkeypatch.setattr(auth, "time", clock)
    return clock


def log_in(client, name: str, password: str):
    """Log in through the real form, CSRF token and all; returns the response."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"csrf_token": token, "username": name,
                                       "password": password, "next": "/"})


def csrf_header(client) -> dict:
    """The header Dash's renderer sends on callbacks, from the cookie the app set."""
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value} if cookie else {}


@pytest.fixture(scope="module")
def server(demo_database, users_file):
    """The real app on a free port, for one test module."""
    from tests.app_server import serving

    with serving(demo_database, users_file) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, for one test module."""
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


@contextmanager
def writer_lock_held(database: Path) -> Iterator[threading.Thread]:
    """Another writer's work, as far as the lock goes: `database`'s writer lock held by another
    thread from entry until exit (then that thread lets go and ends). Yields the thread."""
    from etl.files import exclusive

    held, release = threading.Event(), threading.Event()

    def hold():
        with exclusive(database):
            held.set()
            release.wait()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        assert held.wait(READY_SECONDS), "the writer lock was not taken"
        yield thread
    finally:
        release.set()
        thread.join(READY_SECONDS)


# --- Shared by the import tests ------------------------------------------------------------

# A registration export's header as KL's system writes it, and one good export of one line.
HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"
GOOD = f"{HEADER}\nW1;LKS2022-09;Odense;Anna Web;01-03-2025;tilmeldt;;\n".encode()


@pytest.fixture
def database(tmp_path, demo_database) -> Path:
    """A copy of the demo database, for one test to import into."""
    path = tmp_path / "borgmester.duckdb"
    shutil.copy(demo_database, path)
    return path


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory) -> Path:
    """`build --no-demo`: the reference data only, built once for the run. Copy it before
    writing (reference_copy)."""
    database = tmp_path_factory.mktemp("reference") / "borgmester.duckdb"
    build_database(database, with_demo=False)
    return database


@pytest.fixture
def reference_copy(reference_db, tmp_path) -> Path:
    """A copy of reference_db for one test to import into."""
    database = tmp_path / "borgmester.duckdb"
    shutil.copy(reference_db, database)
    return database


@pytest.fixture(scope="session")
def own_mayors_db(tmp_path_factory, reference_db) -> Path:
    """`build --no-demo`, then tests/test_import_field.py's own mayor list (MAYORS)."""
    from tests.test_import_field import MAYORS, count, own_mayor_list

    folder = tmp_path_factory.mktemp("field-own")
    database = folder / "borgmester.duckdb"
    shutil.copy(reference_db, database)
    result = import_files(database, [own_mayor_list(folder / "borgmestre.xlsx")])
    assert result.applied and count(database, "mayors") == len(MAYORS)
    return database


@pytest.fixture
def db(own_mayors_db, tmp_path) -> Path:
    """A copy of own_mayors_db for one test to import into."""
    (tmp_path / "db").mkdir()
    database = tmp_path / "db" / "borgmester.duckdb"
    shutil.copy(own_mayors_db, database)
    return database


@pytest.fixture
def app_database(app, demo_database, tmp_path):
    """A copy of the demo database that the in-process app serves and imports into, for one
    test; the original is left alone (and served again after)."""
    from dashboard.db import use_database

    path = tmp_path / "db" / "borgmester.duckdb"
    path.parent.mkdir()
    shutil.copy(demo_database, path)
    use_database(path)
    yield path
    use_database(demo_database)
