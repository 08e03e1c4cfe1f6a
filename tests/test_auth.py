"""Only KL staff get in: every route behind the login, CSRF, throttling, headers, settings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from dashboard import auth
from dashboard.access import AccessError, access_for
from etl.paths import PROJECT_ROOT
from tests.conftest import ADMIN, VIEWER, csrf_header, log_in

OPEN_TO_ALL = {"/login", "/assets/bootstrap.min.css", "/_favicon.ico"}


def concrete(rule) -> str:
    """A real path for a URL rule (placeholders filled with something plausible)."""
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<path:{argument}>", "x/y.js").replace(f"<{argument}>", "x")
    return path


def test_every_registered_route_refuses_an_anonymous_request(app):
    client = app.server.test_client()
    rules = [r for r in app.server.url_map.iter_rules() if r.rule not in OPEN_TO_ALL]
    assert len(rules) >= 10
    checked = 0
    for rule in rules:
        path = concrete(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            if method == "GET" and not path.startswith(("/_dash-", "/_reload")):
                assert response.status_code == 302, (method, path)
                assert "/login" in response.headers["Location"], (method, path)
            else:
                assert response.status_code in (400, 401), (method, path)
            checked += 1
    # The routes that matter most, by name.
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code in (400, 401)
    assert checked >= len(rules)


def test_pages_redirect_to_a_danish_login_and_back(app):
    client = app.server.test_client()
    response = client.get("/kommuner")
    assert response.status_code == 302 and "/login?next=/kommuner" in response.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="da"' in page and "Log ind" in page and "Adgangskode" in page
    assert log_in(client, *VIEWER).headers["Location"] == "/"
    assert client.get("/_dash-layout").status_code == 200


def test_callbacks_need_the_csrf_token(app):
    from benchmarks.callbacks import CALLS, payload

    client = app.server.test_client()
    log_in(client, *VIEWER)
    # Overblik's view, as a browser asks for it (the benchmark's call, kept to the app by
    # tests/test_app.py).
    (body,) = [payload(outputs, inputs) for name, outputs, inputs in CALLS
               if name == "Overblik"]
    assert client.post("/_dash-update-component", json=body).status_code == 400
    assert client.post("/_dash-update-component", json=body,
                       headers=csrf_header(client)).status_code == 200


def test_the_session_cookie_is_http_only_and_same_site(app):
    client = app.server.test_client()
    response = log_in(client, *ADMIN)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_security_headers_on_every_answer(app):
    client = app.server.test_client()
    for response in (client.get("/login"), client.get("/_dash-layout")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_no_open_redirect_after_login(app):
    client = app.server.test_client()
    page = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    assert 'value="/"' in page


def test_failed_logins_make_the_next_attempt_wait_and_finally_lock(tmp_path, auth_clock):
    throttle = auth.Throttle(tmp_path / "throttle.sqlite")
    keys = ("user:anna", "addr:127.0.0.1")
    waits = []
    for _ in range(auth.LOCK_AFTER):
        assert throttle.admit(*keys) == 0  # counted as failed until it succeeds
        waits.append(throttle.wait(*keys))
        auth_clock.now += waits[-1]
    # The README's policy: after 3 failures 1, 2, 4 ... up to 8 s; after 10, 15 minutes.
    assert waits == [0, 0, 1, 2, 4, 8, 8, 8, 8, 15 * 60]
    auth_clock.now -= 1  # a second before the lock ends
    assert throttle.admit(*keys) == 1  # refused, and not counted
    assert throttle.wait(*keys) == 1
    throttle.succeeded(*keys)
    assert throttle.wait(*keys) == 0


def test_the_login_form_locks_out_after_repeated_failures(app, auth_clock):
    client = app.server.test_client()
    # Its own (documentation) address, so the lock-out does not shut out the other tests.
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for attempt in range(1, auth.LOCK_AFTER + 1):
        response = log_in(client, "mallory", "wrong password!")
        assert response.status_code == 401
        assert "Forkert brugernavn" in response.get_data(as_text=True)
        if attempt < auth.SLOW_AFTER:
            assert "Retry-After" not in response.headers
        else:  # the wait is said at once, and kept to by moving the clock on
            auth_clock.now += int(response.headers["Retry-After"])
    auth_clock.now -= 1
    locked = log_in(client, "mallory", "wrong password!")
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert "For mange forkerte forsøg" in locked.get_data(as_text=True)
    # The name stays locked; the address (an office, perhaps) is only slowed down, never
    # locked: its wait, at most SLOW_CAP_SECONDS, is long over, and a colleague behind it
    # logs in while the name stays locked.
    colleague = app.server.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert log_in(colleague, *ADMIN).status_code == 302
    assert log_in(client, "mallory", "wrong password!").status_code == 429


def test_users_are_stored_as_salted_scrypt_hashes(tmp_path):
    path = tmp_path / "users.json"
    done = subprocess.run([sys.executable, "-m", "dashboard", "users", "add", "karen",
                           "--role", "viewer", "--password", "a long passphrase"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                          env={"BORGMESTER_USERS_FILE": str(path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    text = path.read_text()
    assert "a long passphrase" not in text and "scrypt:" in text
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert auth.UserStore(path).verify("karen", "a long passphrase").role == "viewer"
    assert auth.UserStore(path).verify("karen", "wrong") is None
    with pytest.raises(ValueError, match="12 tegn"):
        auth.UserStore(path).add("x", "short", "viewer")


def test_only_loopback_may_start_without_users_and_secret(monkeypatch, users_file):
    monkeypatch.delenv("BORGMESTER_USERS_FILE", raising=False)
    monkeypatch.delenv("BORGMESTER_SECRET_KEY", raising=False)
    demo = access_for("127.0.0.1")
    assert demo.demo_password and demo.users.verify("demo", demo.demo_password)
    with pytest.raises(AccessError, match="BORGMESTER_USERS_FILE"):
        access_for("0.0.0.0")
    monkeypatch.setenv("BORGMESTER_USERS_FILE", str(users_file))
    with pytest.raises(AccessError, match="BORGMESTER_SECRET_KEY"):
        access_for("0.0.0.0")
    with pytest.raises(AccessError, match="BORGMESTER_SECRET_KEY"):
        access_for("127.0.0.1", production=True)


def test_gunicorn_refuses_to_start_without_users_and_secret():
    done = subprocess.run([sys.executable, "-c", "import dashboard.wsgi"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "BORGMESTER_USERS_FILE" in done.stderr and "Traceback" not in done.stderr


def test_the_login_page_reflects_only_known_pages_beside_its_token(app):
    # The page is compressed and carries a CSRF token: text an attacker chose, shown beside
    # it, would let them guess the token from response sizes (BREACH).
    client = app.server.test_client()
    page = client.get("/login?next=/zq-csrf-guess-AbC").get_data(as_text=True)
    assert "zq-csrf-guess" not in page and 'name="next" value="/"' in page
    page = client.get("/login?next=/kommuner?guess=AbC").get_data(as_text=True)
    assert 'name="next" value="/kommuner"' in page and "guess" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": VIEWER[0],
                                           "password": VIEWER[1], "next": "/kommuner"})
    assert response.headers["Location"] == "/kommuner"


def test_a_shared_view_survives_the_login_with_its_query(app):
    """A logged-out reader opening a shared link lands on that view after logging in: the
    path and query wait in the signed session (the login page names only the path)."""
    client = app.server.test_client()
    response = client.get("/kommuner?regioner=1084&typer=day")
    assert response.status_code == 302 and "/login?next=/kommuner" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "regioner" not in page  # nothing of the query beside the CSRF token
    assert log_in_to(client, page, "/kommuner").headers["Location"] == \
        "/kommuner?regioner=1084&typer=day"


@pytest.mark.parametrize("address", [
    "//evil.example/kommuner?regioner=1084",     # not a local path
    "/nowhere?regioner=1084",                     # not a page
    "/kommuner?regioner=" + "1084," * 600,        # longer than the cap
])
def test_only_a_local_page_of_bounded_length_is_kept_for_after_the_login(app, address):
    client = app.server.test_client()
    client.get(address)
    page = client.get("/login?next=/kommuner").get_data(as_text=True)
    assert log_in_to(client, page, "/kommuner").headers["Location"] == "/kommuner"


def log_in_to(client, login_page: str, next_path: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
    return client.post("/login", data={"csrf_token": token, "username": VIEWER[0],
                                       "password": VIEWER[1], "next": next_path})
