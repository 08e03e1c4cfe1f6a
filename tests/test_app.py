"""The app shell and the overview callback, through Flask's test client (no browser)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.callbacks import ALL_TICKED
from dashboard.ids import PROGRAMME_SELECT
from tests.conftest import VIEWER, csrf_header, log_in


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    return client


def test_the_shell_shows_the_demo_badge_and_the_data_date(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Demodata" in layout
    assert "Data pr. 30. nov. 2026" in layout  # the demo's today, frozen by conftest.py
    assert '"value":"LKS2022"' in layout


def component_id(value: str | dict) -> str:
    """An id as Dash writes it in a callback's output string (a pattern id as sorted JSON)."""
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return value


def call(client, outputs: list[tuple[str | dict, str]],
         inputs: list[tuple[str | dict, str, object]]):
    """POST one callback as the browser would; returns the response's JSON."""
    response = client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": ".." + "...".join(f"{component_id(i)}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{component_id(inputs[0][0])}.{inputs[0][1]}"],
    })
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def test_the_overview_callback_renders_key_figures(client):
    got = call(client, [("overview-key-figures", "children"), ("overview-turnout", "figure"),
                        ("overview-turnout-finding", "children"),
                        ("overview-turnout-title", "children"),
                        ("overview-turnout-summary", "children")],
               [(PROGRAMME_SELECT, "value", "LKS2026-DEMO"), *ALL_TICKED[:3],
                (ALL_TICKED[3][0], "value", [2026, 2027, 2028, 2029])])  # its years
    text = json.dumps(got["overview-key-figures"], ensure_ascii=False)
    assert "af 98" in text
    # The demo programme's first session after the frozen today (etl.demo.DEMO_SESSIONS).
    assert "Næste session" in text and "3. dec. 2026" in text
    assert " kr." in text
    bars = got["overview-turnout"]["figure"]["data"]
    assert len(bars[0]["x"]) == 10
    assert got["overview-turnout-finding"]["children"].startswith("Flest deltagere: ")
    assert "10 sessioner" in got["overview-turnout-summary"]["children"]


def test_the_app_notices_a_newly_swapped_in_database(tmp_path, demo_database):
    import shutil

    from dashboard.db import Database
    from etl.build import build_database

    path = tmp_path / "live.duckdb"
    shutil.copy(demo_database, path)
    database = Database(path)

    def registrations():
        with database.cursor() as con:
            return con.execute("SELECT count(*) FROM registrations").fetchone()[0]

    assert registrations() > 0
    build_database(path, with_demo=False)   # os.replace under the open connection
    assert registrations() == 0


def test_mounting_the_report_buttons_makes_no_report(client):
    """Dash calls a callback whose inputs appear with a page as the page appears; that once
    made a whole PDF report on every visit to the overview. The buttons reach the server
    through the shell's REPORT_CLICKED, set in the browser on a click only
    (assets/export-click.js), and the report callback makes nothing without a click."""
    dependencies = client.get("/_dash-dependencies").get_json()
    (output,) = [d["output"] for d in dependencies
                 if any(i["id"] == "report-clicked" for i in d["inputs"])
                 and d.get("clientside_function") is None]
    # No server callback reads the buttons themselves.
    assert not [d for d in dependencies if d.get("clientside_function") is None
                and any(i["id"] in ("report-pdf", "report-pptx") for i in d["inputs"])]
    response = client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": output,
        "outputs": {"id": "export-download", "property": output.split(".", 1)[1]},
        "inputs": [{"id": "report-clicked", "property": "data", "value": None}],
        # The page's filters and switches, matched by ALL: none on the overview.
        "state": [{"id": PROGRAMME_SELECT, "property": "value", "value": "LKS2022"},
                  {"id": "view-location", "property": "search", "value": ""},
                  {"id": "view-location", "property": "pathname", "value": "/"}, [], []],
        "changedPropIds": ["report-clicked.data"],
    })
    assert response.status_code in (200, 204), response.status_code
    made = response.get_json()["response"] if response.status_code == 200 else {}
    assert made == {}  # no update: no file


def test_a_cached_callback_answers_again_from_a_newly_swapped_in_database(tmp_path,
                                                                           demo_database):
    import os
    import shutil

    from dashboard.cache import cached_on_database
    from dashboard.db import current_database, use_database

    path = tmp_path / "cached.duckdb"
    shutil.copy(demo_database, path)
    previous = current_database()
    use_database(path)
    try:
        @cached_on_database
        def registrations(programme_id):
            with current_database().cursor() as con:
                return con.execute("SELECT count(*) FROM registration_facts "
                                   "WHERE programme_id = ?", [programme_id]).fetchone()[0]

        first = registrations("LKS2022")
        assert registrations("LKS2022") == first and registrations.cache.hits == 1
        emptied = tmp_path / "emptied.duckdb"
        shutil.copy(demo_database, emptied)
        import duckdb

        with duckdb.connect(str(emptied)) as con:
            con.execute("DELETE FROM registrations WHERE session_id = 'LKS2022-01'")
            from etl.marts import refresh_marts

            refresh_marts(con)
        os.replace(emptied, path)  # as the ETL swaps a database in
        assert registrations("LKS2022") < first
    finally:
        use_database(previous.path)


def test_warming_up_makes_the_default_views_ready_before_anyone_asks(client):
    from benchmarks.callbacks import CALLS, payload
    from dashboard import cache
    from dashboard.pages import municipalities, overview, retention

    cache.clear_all()
    assert cache.warm_all("LKS2022") >= 6
    warmed = (overview.show_overview, municipalities.show_participation,
              retention.show_retention)
    hits = [function.cache.hits for function in warmed]
    for name, outputs, inputs in CALLS:  # what a browser sends when the pages open
        if name in ("Overblik", "Kommuner: figurer", "Fastholdelse"):
            response = client.post("/_dash-update-component", headers=csrf_header(client),
                                   json=payload(outputs, inputs))
            assert response.status_code == 200
    assert [f.cache.hits for f in warmed] == [h + 1 for h in hits]


@pytest.mark.parametrize("programme", ["LKS2022", "LKS2026-DEMO"])  # all held; some held
def test_warming_up_makes_every_planning_session_ready(app, programme):
    from dashboard import cache
    from dashboard.i18n import LANGUAGES, using
    from dashboard.pages import planning

    views = (planning.show_forecast, planning.show_lists, planning.show_venue)
    cache.clear_all()
    cache.warm_all(programme)
    misses = [view.cache.misses for view in views]
    for lang in LANGUAGES:
        with using(lang):
            options, _likely = planning.session_choices(programme)
            assert len(options) == 10
            for option in options:  # the moderator stepping through the sessions
                for view in views:
                    view(option["value"])
    assert [view.cache.misses for view in views] == misses


@pytest.mark.parametrize("programme", ["LKS2022", "LKS2026-DEMO"])
def test_warming_up_planning_takes_the_likeliest_session_first(app, programme, monkeypatch):
    from dashboard.pages import planning

    asked = []
    for view in ("show_forecast", "show_lists", "show_venue"):
        monkeypatch.setattr(planning, view, asked.append)
    for _step in planning._warm(programme):
        pass
    _options, likely = planning.session_choices(programme)
    # Each session's three views in turn, not in the programme's order in time: upcoming
    # ones soonest first (LKS2026-DEMO), then held ones latest first (both).
    assert asked == [session for session in likely for _view in range(3)]
    assert likely != sorted(likely)


def test_warming_stops_between_the_steps_a_page_yields(monkeypatch):
    import threading

    from dashboard import cache

    stop = threading.Event()
    steps = []

    def many_sessions(_programme):
        for session in range(10):
            steps.append(session)
            stop.set()  # as the worker exits during the first session's warm-up
            yield

    monkeypatch.setattr(cache, "_warmers", [many_sessions])
    assert cache.warm_all("LKS2022", stop) == 0
    assert steps == [0]


# A worker whose warm-up is inside a DuckDB query when the interpreter ends. Before the
# warmer stopped at exit, the daemon thread was killed there and the process aborted;
# while the wait at exit had a time limit, a busy machine still hit it now and then.
WARMING_AT_EXIT = """
import sys, threading
import duckdb
from dashboard import cache
from dashboard.db import use_database

use_database(sys.argv[1])
inside = threading.Event()

def slow_page(_programme):   # like a page's warm-up: many small queries, one after another
    with duckdb.connect() as con:
        for _ in range(20000):
            con.execute("SELECT count(*) FROM range(1000)").fetchone()
            inside.set()

cache._warmers[:] = [slow_page]
cache.Warmer(lambda: "LKS2022").start()
inside.wait()
"""


def test_a_worker_that_ends_while_warming_exits_cleanly(demo_database):
    from etl.paths import PROJECT_ROOT

    done = subprocess.run([sys.executable, "-c", WARMING_AT_EXIT, str(demo_database)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]


def test_the_cache_keeps_danish_and_english_apart(client):
    from benchmarks.callbacks import CALLS, payload
    from dashboard import cache

    cache.clear_all()
    (body,) = [payload(outputs, inputs) for name, outputs, inputs in CALLS
               if name == "Overblik"]

    def key_figures(lang: str) -> str:
        client.set_cookie("sprog", lang)
        response = client.post("/_dash-update-component", headers=csrf_header(client),
                               json=body)
        assert response.status_code == 200
        return json.dumps(response.get_json()["response"]["overview-key-figures"],
                          ensure_ascii=False)

    try:
        assert "af 98" in key_figures("da")
        english = key_figures("en")  # the same inputs, just cached in Danish
        assert "of 98" in english and "af 98" not in english
        assert "af 98" in key_figures("da")
    finally:
        client.delete_cookie("sprog")


def test_the_app_is_set_up_before_its_first_request(demo_database, users_file):
    # Dash's own first-request setup let concurrent first requests for its bundles fail
    # with a 500 ("is not a registered library"); create_app does it beforehand.
    from etl.paths import PROJECT_ROOT
    from tests.conftest import SECRET

    script = ("import sys; from pathlib import Path; "
              "from dashboard.access import access_for; from dashboard.app import create_app; "
              "app = create_app(Path(sys.argv[1]), access_for(host=None, production=True)); "
              "print(sorted(app.registered_paths))")
    env = {**os.environ, "BORGMESTER_USERS_FILE": str(users_file),
           "BORGMESTER_SECRET_KEY": SECRET, "BORGMESTER_WARM_CACHE": "0"}
    done = subprocess.run([sys.executable, "-c", script, str(demo_database)], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    registered = done.stdout.strip().splitlines()[-1]
    assert "'dash'" in registered and "'dash_bootstrap_components'" in registered


def test_sammenlign_med_shows_no_other_programme_not_an_empty_box(app):
    """dbc.Select renders a hidden placeholder option of value "" first; with the picker's
    value "" the browser showed that empty placeholder instead of "Intet andet forløb"."""
    from dash.development.base_component import Component

    from dashboard.pages import retention

    with app.server.test_request_context("/fastholdelse"):
        page = retention.layout()

    def find(node):
        if isinstance(node, Component):
            if getattr(node, "id", None) == retention.COMPARE:
                return node
            children = getattr(node, "children", None)
            for child in children if isinstance(children, list) else [children]:
                hit = find(child)
                if hit is not None:
                    return hit
        return None

    picker = find(page)
    assert picker.value == ""
    assert picker.placeholder == "Intet andet forløb"


def test_every_call_the_callback_benchmark_makes_is_answered(client):
    """benchmarks/callbacks.py names each callback's outputs and inputs by hand: when a
    callback's outputs change, its call there has to change with it (a stale one made the
    benchmark stop at HTTP 500)."""
    from benchmarks.callbacks import CALLS, payload

    for name, outputs, inputs in CALLS:
        response = client.post("/_dash-update-component", headers=csrf_header(client),
                               json=payload(outputs, inputs))
        assert response.status_code in (200, 204), name   # 204: nothing to update
