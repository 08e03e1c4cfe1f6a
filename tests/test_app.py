"""The app shell and the overview callback, through Flask's test client (no browser)."""

from __future__ import annotations

import json

import pytest

from dashboard.app import PROGRAMME_SELECT, create_app


@pytest.fixture(scope="module")
def client(demo_database):
    app = create_app(demo_database)
    return app.server.test_client()


def test_the_shell_shows_the_demo_badge_and_the_data_date(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Demodata" in layout
    assert "Data pr. 31. mar. 2025" in layout
    assert '"value":"LKS2022"' in layout


def test_the_overview_callback_renders_key_figures(client):
    response = client.post("/_dash-update-component", json={
        "output": "overview-key-figures.children",
        "outputs": {"id": "overview-key-figures", "property": "children"},
        "inputs": [{"id": PROGRAMME_SELECT, "property": "value", "value": "LKS2022"}],
        "changedPropIds": [f"{PROGRAMME_SELECT}.value"],
    })
    assert response.status_code == 200
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "af 98" in text
    assert "Næste session" in text and "7. apr. 2025" in text
    assert " kr." in text


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
