"""The admin's Data page: uploads are kept on the server under a token, checked and imported
by background jobs the page polls, refused clearly when bad, too large or when another import
holds the database."""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from dashboard import uploads
from dashboard.auth import MAX_REQUEST_BYTES, MAX_UPLOAD_BYTES
from etl.paths import PROJECT_ROOT
from tests.conftest import ADMIN, READY_SECONDS, VIEWER, csrf_header, log_in, writer_lock_held

HEADER = "Tilmeldings-ID;Session;Kommune;Navn;Tilmeldt;Status;Pris;Faktureret"
GOOD = f"{HEADER}\nW1;LKS2022-09;Odense;Anna Web;01-03-2025;tilmeldt;;\n".encode()
BUSY = "en anden import kører"
GONE = "Upload filen igen"


@pytest.fixture
def database(app_database):
    """Here the database is the one the app serves (conftest.app_database)."""
    return app_database


def client_as(app, user):
    client = app.server.test_client()
    assert log_in(client, *user).status_code == 302
    return client


def call(client, input_id: str, prop: str, value, state: dict | None = None):
    """POST the callback whose input is `input_id`.`prop`, as Dash's renderer would (the
    output ids of allow_duplicate callbacks carry a hash: they are read off Dash itself)."""
    (spec,) = [c for c in client.get("/_dash-dependencies").get_json()
               if c["inputs"][0]["id"] == input_id]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in spec["output"].strip(".").split("...")]
    return client.post("/_dash-update-component", headers=csrf_header(client), json={
        "output": spec["output"], "outputs": outputs,
        "inputs": [{"id": input_id, "property": prop, "value": value}],
        "state": [{"id": k.split(".")[0], "property": k.split(".")[1], "value": v}
                  for k, v in (state or {}).items()],
        "changedPropIds": [f"{input_id}.{prop}"],
    })


def upload(client, content: bytes, filename: str):
    data_url = "data:application/octet-stream;base64," + base64.b64encode(content).decode()
    return call(client, "data-upload", "contents", data_url,
                {"data-upload.filename": filename})


def confirm(client, token):
    return call(client, "data-confirm", "n_clicks", 1, {"data-pending.data": token})


def poll(client, token):
    return call(client, "data-poll", "n_intervals", 1, {"data-pending.data": token})


def text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def token_of(response) -> str | None:
    return response.get_json()["response"].get("data-pending", {}).get("data")


def finished(client, token) -> dict:
    """The poll's answer once the job started by `token` has finished."""
    assert uploads.wait(token, READY_SECONDS), "the job did not finish"
    return poll(client, token).get_json()["response"]


def checked(client, content: bytes = GOOD, filename: str = "eksport.csv") -> str:
    """Upload a file, wait for its check, return the token of a valid upload."""
    token = token_of(upload(client, content, filename))
    assert "er gyldige" in json.dumps(finished(client, token), ensure_ascii=False)
    return token


def stop_at_reading(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """A named stopping point: the next job stops as it starts reading its file, sets the
    first event returned there, and goes on when the test sets the second."""
    import etl.importer

    reading, go_on = threading.Event(), threading.Event()
    stage_file = etl.importer.stage_file

    def held(*args, **kwargs):
        reading.set()
        assert go_on.wait(READY_SECONDS)
        return stage_file(*args, **kwargs)

    monkeypatch.setattr(etl.importer, "stage_file", held)
    return reading, go_on


def registrations(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM registrations").fetchone()[0]


def test_an_admin_uploads_checks_and_imports_through_background_jobs(app, database):
    client = client_as(app, ADMIN)
    response = upload(client, GOOD, "eksport.csv")
    first = response.get_json()["response"]
    # The request only starts the check: progress shows, the poll runs, nothing to confirm.
    assert "Kontrollerer filen" in text(response)
    assert first["data-poll"]["disabled"] is False
    assert first["data-confirm"]["disabled"] is True
    token = first["data-pending"]["data"]
    assert "/" not in token and "upload" not in token  # an opaque token, not a path
    result = finished(client, token)
    assert "er gyldige" in json.dumps(result, ensure_ascii=False)
    assert result["data-confirm"]["disabled"] is False
    assert result["data-poll"]["disabled"] is True
    before = registrations(database)
    started = confirm(client, token)
    assert "Importerer filen" in text(started)
    done = finished(client, token)
    message = json.dumps(done, ensure_ascii=False)
    assert "1 nye" in message and "Demodata er fjernet" in message
    # The history shows the run under the file's name on the user's machine, not the
    # server's name for the upload.
    history = json.dumps(done["data-history"], ensure_ascii=False)
    assert "eksport.csv" in history and "upload.csv" not in history
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("SELECT source FROM import_runs ORDER BY run_id DESC "
                           "LIMIT 1").fetchone()[0] == "eksport.csv"
    assert registrations(database) == 1 != before
    # Imported once: a second click (or a replay of the token) imports nothing.
    assert GONE in text(confirm(client, token))


def test_the_check_reports_each_phase_while_it_runs(app, database, monkeypatch):
    """Held at the reading step (a named stopping point), the poll shows that phase."""
    reading, go_on = stop_at_reading(monkeypatch)
    client = client_as(app, ADMIN)
    token = token_of(upload(client, GOOD, "eksport.csv"))
    try:
        assert reading.wait(READY_SECONDS)
        answer = poll(client, token)
        assert "Kontrollerer filen: læser filen" in text(answer)
        assert answer.get_json()["response"]["data-poll"]["disabled"] is False
    finally:
        go_on.set()
    assert "er gyldige" in json.dumps(finished(client, token), ensure_ascii=False)


def test_the_page_says_how_many_lines_repeated_an_earlier_one(app, database):
    client = client_as(app, ADMIN)
    line = "W1;LKS2022-09;Odense;Anna Web;01-03-2025;tilmeldt;;"
    token = checked(client, f"{HEADER}\n{line}\n{line}\n{line}\n".encode())
    confirm(client, token)
    message = json.dumps(finished(client, token), ensure_ascii=False)
    assert "1 nye" in message
    assert "2 linjer gentog en tidligere linje og er talt med én gang" in message


def test_a_second_click_on_import_changes_nothing_on_the_page_or_in_the_data(
        app, database, monkeypatch):
    client = client_as(app, ADMIN)
    token = checked(client)
    reading, go_on = stop_at_reading(monkeypatch)
    try:
        assert "Importerer filen" in text(confirm(client, token))
        assert reading.wait(READY_SECONDS)
        assert confirm(client, token).get_json()["response"] == {}   # the import runs on
    finally:
        go_on.set()
    assert "1 nye" in json.dumps(finished(client, token), ensure_ascii=False)
    assert registrations(database) == 1


def test_a_viewer_cannot_import(app, database):
    admin = client_as(app, ADMIN)
    token = checked(admin)
    client = client_as(app, VIEWER)
    before = database.read_bytes()
    assert "kun for administratorer" in text(upload(client, GOOD, "eksport.csv"))
    assert "kun for administratorer" in text(confirm(client, token))
    assert "kun for administratorer" in text(poll(client, token))
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
    (b"PK\x03\x04 broken", "eksport.xlsx", "ikke en gyldig XLSX-fil"),
    (None, "bombe.xlsx", "zip-bombe"),
    (f"{HEADER}\nW1;LKS2022-09;Gotham;Anna;01-03-2025;tilmeldt;;\n".encode(), "x.csv",
     "ukendt kommune"),
])
def test_bad_uploads_are_refused_with_a_clear_message(app, database, content, filename,
                                                      message):
    client = client_as(app, ADMIN)
    before = database.read_bytes()
    token = token_of(upload(client, zip_bomb() if content is None else content, filename))
    result = finished(client, token)
    shown = json.dumps(result, ensure_ascii=False)
    assert message in shown and filename in shown
    assert "upload." not in shown  # the server's own file name never shows
    assert result["data-confirm"]["disabled"] is True
    assert GONE in text(confirm(client, token))  # a refused file cannot be imported
    assert database.read_bytes() == before


def test_a_file_type_not_allowed_is_refused_at_once(app, database):
    client = client_as(app, ADMIN)
    response = upload(client, b"MZ\x90\x00 not a spreadsheet", "program.exe")
    assert "filtypen .exe kan ikke importeres" in text(response)
    assert token_of(response) is None
    assert not any(uploads.upload_root(database).iterdir())


def test_a_file_just_under_the_limit_passes_and_one_just_over_is_refused_on_the_page(
        app, database):
    client = client_as(app, ADMIN)
    under = b"PK\x03\x04" + b"\0" * (MAX_UPLOAD_BYTES - 2**20 // 10)      # 19,9 MB
    response = upload(client, under, "under.xlsx")
    assert "for stor" not in text(response)
    token = token_of(response)
    assert token is not None  # kept and being checked
    assert "ikke en gyldig XLSX-fil" in json.dumps(finished(client, token), ensure_ascii=False)

    over = b"x" * (MAX_UPLOAD_BYTES + 2**20 // 10)                          # 20,1 MB
    response = upload(client, over, "over.csv")
    shown = text(response)  # a page message, not an empty HTTP error
    assert "over.csv: filen er for stor; grænsen er 20 MB" in shown
    assert token_of(response) is None


def test_a_request_over_the_limit_is_refused_before_it_is_read(app, database):
    client = client_as(app, ADMIN)
    before = database.read_bytes()
    response = upload(client, b"x" * (25 * 2**20), "stor.csv")
    assert response.status_code == 413
    assert 25 * 2**20 * 4 // 3 > MAX_REQUEST_BYTES > MAX_UPLOAD_BYTES * 4 // 3
    assert "for stor" in response.get_json()["error"]  # shown by assets/upload-limit.js
    assert database.read_bytes() == before


def forged_paths(database: Path, secret: Path) -> list[str]:
    """Paths that start inside an upload folder (the old one in /tmp, the new one) and climb
    out to `secret`: a check on the unresolved path let such a path through."""
    import tempfile

    old = Path(tempfile.gettempdir()) / "borgmester-uploads"
    new = uploads.upload_root(database)
    return [os.path.join(folder, os.path.relpath(secret, folder)) for folder in (old, new)]


def test_a_forged_pending_value_reads_and_deletes_nothing(app, database, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Tilmeldings-ID;TOPSECRET\n", encoding="utf-8")
    client = client_as(app, ADMIN)
    before = database.read_bytes()

    def refused(value):
        for answer in (confirm(client, value), poll(client, value)):
            shown = text(answer)
            assert GONE in shown, value
            assert "TOPSECRET" not in shown
        assert secret.read_text(encoding="utf-8") == "Tilmeldings-ID;TOPSECRET\n"

    for path in [*forged_paths(database, secret), str(secret), "../" * 8 + str(secret)]:
        refused(path)
    # Tokens that are not this session's: another session's (same user), or made up.
    theirs = checked(client_as(app, ADMIN))
    root = uploads.upload_root(database)
    for value in (theirs, str(root / theirs), "A" * 43, None, {"token": theirs}):
        refused(value)
    assert (root / theirs).is_dir()            # the other session's upload is untouched
    assert database.read_bytes() == before


def test_an_upload_answers_only_its_own_user_and_session(app, database):
    owner = uploads.Owner("anna", "session-1")
    pending = uploads.create(database, GOOD, ".csv", "eksport.csv", owner)
    assert uploads.find(database, pending.token, owner) == pending
    assert uploads.find(database, pending.token, uploads.Owner("bo", "session-1")) is None
    assert uploads.find(database, pending.token, uploads.Owner("anna", "session-2")) is None
    assert uploads.find(database, str(pending.folder), owner) is None
    assert uploads.find(database, "../" + pending.token, owner) is None


def test_an_unconfirmed_upload_expires_and_is_removed(app, database, monkeypatch):
    client = client_as(app, ADMIN)
    token = checked(client)
    folder = uploads.upload_root(database) / token
    outside = database.parent / "not-an-upload"
    outside.mkdir()
    later = time.time() + uploads.UPLOAD_SECONDS + 1
    monkeypatch.setattr(uploads, "_now", lambda: later)
    assert GONE in text(confirm(client, token))   # expired: not imported
    assert folder.is_dir()
    # Removed by the next upload (and at app start), and only that: nothing else is touched.
    fresh = token_of(upload(client, GOOD, "ny.csv"))
    assert not folder.exists()
    assert (uploads.upload_root(database) / fresh).is_dir()
    assert outside.is_dir()
    assert uploads.wait(fresh, READY_SECONDS)
    monkeypatch.setattr(uploads, "_now", lambda: later + uploads.UPLOAD_SECONDS + 1)
    from dashboard.app import create_app

    create_app(database, None)
    assert not (uploads.upload_root(database) / fresh).exists()
    assert outside.is_dir()


def test_a_user_keeps_a_few_uploads_at_most_the_oldest_go_first(app, database):
    """An admin uploading 20 MB files again and again must not fill the disk for an hour."""
    client = client_as(app, ADMIN)
    other = client_as(app, ADMIN)     # the same admin in another browser session
    tokens = []
    for number in range(uploads.MAX_UPLOADS_PER_USER + 2):
        tokens.append(token_of(upload(client if number % 2 else other, GOOD, f"{number}.csv")))
        assert uploads.wait(tokens[-1], READY_SECONDS)
    kept = sorted(p.name for p in uploads.upload_root(database).iterdir())
    assert kept == sorted(tokens[-uploads.MAX_UPLOADS_PER_USER:])
    assert GONE in text(confirm(other, tokens[0]))          # the oldest went first


def test_the_sweep_follows_no_link_and_touches_nothing_it_did_not_make(app, database,
                                                                         monkeypatch, tmp_path):
    root = uploads.upload_root(database)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    (root / ("L" * 43)).symlink_to(outside, target_is_directory=True)   # token-shaped link
    (root / "not-a-token").mkdir()
    monkeypatch.setattr(uploads, "_now", lambda: time.time() + 10 * uploads.UPLOAD_SECONDS)
    assert uploads.sweep(database) == []
    assert (outside / "keep.txt").read_text() == "keep"
    assert (root / "not-a-token").is_dir() and (root / ("L" * 43)).is_symlink()
    assert uploads.find(database, "L" * 43, uploads.Owner("anna", "x")) is None
    assert oct(root.stat().st_mode & 0o777) == "0o700"


def answered_while_held(request, database):
    """`request()` made while another writer holds the lock; the answer must come while it
    is still held (a request waiting on the lock would wait for ever: the holder lets go
    only after this)."""
    answers = []
    asking = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    with writer_lock_held(database):
        asking.start()
        asking.join(READY_SECONDS)
        waited = asking.is_alive()
    asking.join(READY_SECONDS)
    assert not waited, "the request waited for the writer lock"
    return answers[0]


def test_an_upload_while_another_import_runs_says_so_at_once(app, database):
    client = client_as(app, ADMIN)
    before = database.read_bytes()
    response = answered_while_held(lambda: upload(client, GOOD, "eksport.csv"), database)
    shown = text(response)
    assert BUSY in shown
    assert response.get_json()["response"]["data-poll"]["disabled"] is True
    assert database.read_bytes() == before


def test_a_confirm_while_another_import_runs_says_so_and_can_be_tried_again(app, database):
    client = client_as(app, ADMIN)
    token = checked(client)
    before = registrations(database)
    response = answered_while_held(lambda: confirm(client, token), database)
    assert BUSY in text(response)
    assert response.get_json()["response"]["data-confirm"]["disabled"] is False
    assert registrations(database) == before
    confirm(client, token)   # the other import is over: this one goes through
    assert "1 nye" in json.dumps(finished(client, token), ensure_ascii=False)


def test_a_job_that_finds_the_writer_busy_reports_it_and_can_be_tried_again(app, database):
    """The race the quick look cannot close: the lock taken between the look and the job.
    The page then offers Import again, and a click after the other writer is done imports."""
    client = client_as(app, ADMIN)
    token = checked(client)
    pending = uploads.find(database, token, owner_of(client))
    before = registrations(database)
    with writer_lock_held(database):
        uploads.start(database, pending, "import")
        assert uploads.wait(token, READY_SECONDS)
    answer = poll(client, token).get_json()["response"]
    assert BUSY in json.dumps(answer, ensure_ascii=False)
    assert answer["data-confirm"]["disabled"] is False   # may be tried again
    assert registrations(database) == before
    assert "Importerer filen" in text(confirm(client, token))
    assert "1 nye" in json.dumps(finished(client, token), ensure_ascii=False)
    assert registrations(database) == 1


def owner_of(client) -> uploads.Owner:
    """The owner the app sees for `client`'s session."""
    with client.session_transaction() as session:
        value = session[uploads.SESSION_KEY]
    from hashlib import sha256

    return uploads.Owner(ADMIN[0], sha256(value.encode()).hexdigest())


KILLABLE_IMPORT = """
import sys, threading
from pathlib import Path
import etl.importer
from dashboard import uploads

database, folder, filename = sys.argv[1:]
def stopping_point(*args, **kwargs):   # the import is reading: the test kills it here
    threading.Event().wait()
etl.importer.stage_file = stopping_point
pending = uploads.Pending(Path(folder).name, Path(folder), filename, ".csv")
uploads.Job(Path(database), pending, "import")._run()
"""


def test_an_import_whose_worker_was_killed_is_reported_not_polled_for_ever(app, database):
    client = client_as(app, ADMIN)
    token = checked(client)
    pending = uploads.find(database, token, owner_of(client))
    before = database.read_bytes()
    worker = subprocess.Popen([sys.executable, "-c", KILLABLE_IMPORT, str(database),
                               str(pending.folder), pending.filename], cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + READY_SECONDS  # readiness: the worker has started
        while (pending.status() or {}).get("phase") != "reading":
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        assert "læser filen" in text(poll(client, token))   # running, in another process
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    answer = poll(client, token).get_json()["response"]
    assert "Importen stoppede uventet" in json.dumps(answer, ensure_ascii=False)
    assert answer["data-poll"]["disabled"] is True
    assert database.read_bytes() == before
    # The killed worker's lock went with it, and its half-written copy is cleared: the next
    # upload is checked as usual.
    assert "er gyldige" in json.dumps(finished(client, token_of(upload(client, GOOD, "b.csv"))),
                                      ensure_ascii=False)
    assert not list(database.parent.glob(f".{database.name}.import-*"))


def test_a_job_whose_heartbeat_stopped_is_reported(app, database, monkeypatch):
    """A worker on another machine, or a reused process id: only the heartbeat tells."""
    client = client_as(app, ADMIN)
    token = checked(client)
    pending = uploads.find(database, token, owner_of(client))
    status = pending.status() | {"state": "running", "job": "import", "host": "elsewhere"}
    (pending.folder / uploads.STATUS).write_text(json.dumps(status), encoding="utf-8")
    assert "Importerer filen" in text(poll(client, token))
    later = status["heartbeat"] + uploads.DEAD_AFTER_SECONDS + 1
    monkeypatch.setattr(uploads, "_now", lambda: later)
    assert "Importen stoppede uventet" in text(poll(client, token))


def test_a_long_problem_list_is_kept_and_shown_cut_with_its_count(app, database, monkeypatch):
    """200.000 rejected rows once wrote a 34 MB status.json, sent whole on every poll: a job
    keeps the first MAX_PROBLEMS_KEPT problems and their count, and the page says so."""
    import etl.importer

    monkeypatch.setattr(uploads, "MAX_PROBLEMS_KEPT", 50)
    # The importer itself holds only its first problems; the count stays the true one.
    monkeypatch.setattr(etl.importer, "MAX_PROBLEMS_HELD", 100)
    rows = "".join(f"W{n};LKS2022-09;Gotham;Anna {n};01-03-2025;tilmeldt;;\n"
                   for n in range(2000))
    client = client_as(app, ADMIN)
    token = token_of(upload(client, f"{HEADER}\n{rows}".encode(), "lang.csv"))
    result = finished(client, token)
    status = json.loads((uploads.upload_root(database) / token / uploads.STATUS).read_text(
        encoding="utf-8"))["result"]
    assert len(status["problems"]) == 50 and status["problem_count"] == 2000
    assert status["rejected"] == 2000
    shown = json.dumps(result, ensure_ascii=False)
    assert "2.000 af 2.000 rækker afvises" in shown
    assert f"de første 50 af {status['problem_count']:,} fejl".replace(",", ".") in shown
    assert shown.count("ukendt kommune") == 50     # the table holds the kept ones only
    assert result["data-confirm"]["disabled"] is True


def test_the_page_names_every_kind_of_file_it_takes_and_shows_no_markdown(app):
    """The Data page takes schedules and price lists too (issue 18), and says so; its texts are
    plain text, so a command in Markdown backticks showed the backticks."""
    from tests.test_versions import page_text

    text = page_text(app, "admin")
    assert "sessionsplan" in text and "prisliste" in text
    assert "`" not in text
