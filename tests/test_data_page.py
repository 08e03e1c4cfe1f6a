"""The admin's Data page: uploads are checked, refused clearly when bad, imported on confirm."""

from __future__ import annotations

import base64
import io
import json
import shutil
import zipfile

import duckdb
import pytest

from dashboard.db import use_database
from tests.conftest import ADMIN, VIEWER, csrf_header, log_in

HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"
GOOD = f"{HEADER}\nW1;LKS2022-09;Odense;Anna Web;01-03-2025;tilmeldt;;\n".encode()


@pytest.fixture
def database(app, demo_database, tmp_path):
    """A copy of the demo database for the app to import into; the original is left alone."""
    path = tmp_path / "borgmester.duckdb"
    shutil.copy(demo_database, path)
    use_database(path)
    yield path
    use_database(demo_database)


def client_as(app, user):
    client = app.server.test_client()
    assert log_in(client, *user).status_code == 302
    return client


def upload(client, content: bytes, filename: str):
    data_url = "data:application/octet-stream;base64," + base64.b64encode(content).decode()
    response = client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": "..data-result.children...data-confirm.disabled...data-pending.data..",
        "outputs": [{"id": "data-result", "property": "children"},
                    {"id": "data-confirm", "property": "disabled"},
                    {"id": "data-pending", "property": "data"}],
        "inputs": [{"id": "data-upload", "property": "contents", "value": data_url}],
        "state": [{"id": "data-upload", "property": "filename", "value": filename}],
        "changedPropIds": ["data-upload.contents"],
    })
    return response


def confirm(client, pending):
    # The output ids of an allow_duplicate callback carry a hash: read them off Dash itself.
    (spec,) = [c for c in client.get("/_dash-dependencies").get_json()
               if c["inputs"][0]["id"] == "data-confirm"]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in spec["output"].strip(".").split("...")]
    return client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": spec["output"], "outputs": outputs,
        "inputs": [{"id": "data-confirm", "property": "n_clicks", "value": 1}],
        "state": [{"id": "data-pending", "property": "data", "value": pending}],
        "changedPropIds": ["data-confirm.n_clicks"],
    })


def registrations(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM registrations").fetchone()[0]


def test_an_admin_uploads_checks_and_imports(app, database):
    client = client_as(app, ADMIN)
    response = upload(client, GOOD, "eksport.csv").get_json()["response"]
    assert "er gyldige" in json.dumps(response["data-result"], ensure_ascii=False)
    assert response["data-confirm"]["disabled"] is False
    before = registrations(database)
    result = confirm(client, response["data-pending"]["data"])
    assert result.status_code == 200, result.get_data(as_text=True)[:300]
    text = json.dumps(result.get_json(), ensure_ascii=False)
    assert "1 nye" in text and "Demodata er fjernet" in text
    assert registrations(database) == 1 != before


def test_a_viewer_cannot_import(app, database):
    client = client_as(app, VIEWER)
    before = database.read_bytes()
    text = json.dumps(upload(client, GOOD, "eksport.csv").get_json(), ensure_ascii=False)
    assert "kun for administratorer" in text
    text = json.dumps(confirm(client, "/tmp/anything.csv").get_json(), ensure_ascii=False)
    assert "kun for administratorer" in text
    assert database.read_bytes() == before
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"href":"/data"' not in layout  # no Data link for viewers


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 2**20))
    return buffer.getvalue()


@pytest.mark.parametrize("content, filename, message", [
    (b"MZ\x90\x00 not a spreadsheet", "program.exe", "filtypen .exe kan ikke importeres"),
    (b"PK\x03\x04 broken", "eksport.xlsx", "ikke en gyldig XLSX-fil"),
    (None, "bombe.xlsx", "zip-bombe"),
    (f"{HEADER}\nW1;LKS2022-09;Gotham;Anna;01-03-2025;tilmeldt;;\n".encode(), "x.csv",
     "ukendt kommune"),
])
def test_bad_uploads_are_refused_with_a_clear_message(app, database, content, filename,
                                                      message):
    client = client_as(app, ADMIN)
    before = database.read_bytes()
    response = upload(client, zip_bomb() if content is None else content, filename)
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert message in text
    assert response.get_json()["response"]["data-confirm"]["disabled"] is True
    assert database.read_bytes() == before


def test_an_oversize_upload_is_refused_before_it_is_read(app, database):
    client = client_as(app, ADMIN)
    before = database.read_bytes()
    response = upload(client, b"x" * (21 * 2**20), "stor.csv")
    assert response.status_code == 413
    assert "for stor" in response.get_json()["error"]
    assert database.read_bytes() == before
