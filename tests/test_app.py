"""The app shell and the overview callback, through Flask's test client (no browser)."""

from __future__ import annotations

import json

import pytest

from dashboard.app import PROGRAMME_SELECT
from tests.conftest import VIEWER, csrf_header, log_in


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    return client


def test_the_shell_shows_the_demo_badge_and_the_data_date(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Demodata" in layout
    assert "Data pr. 31. mar. 2025" in layout
    assert '"value":"LKS2022"' in layout


def call(client, outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]]):
    """POST one callback as the browser would; returns the response's JSON."""
    response = client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    })
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def test_the_overview_callback_renders_key_figures(client):
    got = call(client, [("overview-key-figures", "children"), ("overview-turnout", "figure"),
                        ("overview-turnout-finding", "children"),
                        ("overview-turnout-title", "children"),
                        ("overview-turnout-summary", "children")],
               [(PROGRAMME_SELECT, "value", "LKS2022")])
    text = json.dumps(got["overview-key-figures"], ensure_ascii=False)
    assert "af 98" in text
    assert "Næste session" in text and "7. apr. 2025" in text
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
