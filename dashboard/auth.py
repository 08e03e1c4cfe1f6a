"""Only KL staff get in: logins with roles, CSRF protection, throttled failures, security
headers. Built on Flask-Login and Flask-WTF; passwords are salted scrypt hashes (Werkzeug).

No worker ever waits on a throttled login: an attempt that comes before its time is refused
at once (HTTP 429, Retry-After). Logins are server-side sessions (SessionRegistry): logout and
idleness end them for every copy of the cookie. Both live in SQLite files beside the users
file, readable by their owner only, shared by all workers.

Users live in a JSON file outside the repository (BORGMESTER_USERS_FILE), written by
`python -m dashboard users add NAME --role viewer|admin`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, jsonify, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.i18n import CATALOGUE, COOKIE, LANGUAGES, language, t

ROLES = ("viewer", "admin")
PUBLIC_PATHS = ("/login", "/assets/bootstrap.min.css", "/assets/a11y.css", "/_favicon.ico",
                *(f"/sprog/{lang}" for lang in LANGUAGES))
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
SLOW_AFTER = 3          # failed logins in a row before the next attempt must wait
LOCK_AFTER = 10         # failed logins in a row before the user name (and address) is locked
LOCK_SECONDS = 15 * 60
SLOW_CAP_SECONDS = 8.0  # the longest wait before a lock (the waits double up to it)
SESSION_ID = "sid"      # the key, in Flask's signed session, of the server-side session id
# The key, in Flask's signed session, of the page (path and query: a shared view) a login
# leads back to; the login page itself reflects only the path (see _safe_next).
AFTER_LOGIN = "after_login"
MAX_AFTER_LOGIN = 2000  # characters of path and query kept; a longer address is not kept
SESSION_TOUCH_SECONDS = 60  # a live session's last visit is written at most this often
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A file reaches the Data page base64-encoded in a JSON request: 4/3 of it, plus room. Only
# an admin's callback may be that large; any other request (the login form, a viewer's
# callback: a few kB) is held to MAX_OTHER_REQUEST_BYTES, so nobody sends 27 MB anonymously.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 2**20
MAX_OTHER_REQUEST_BYTES = 2 * 1024 * 1024
CALLBACK_PATH = "/_dash-update-component"
# Any hash, so an unknown user takes as long to refuse as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


@dataclass(frozen=True)
class User(UserMixin):
    name: str
    role: str

    def get_id(self) -> str:
        return self.name

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class UserStore:
    """Users and their password hashes, in a JSON file (or in memory for the demo login)."""

    def __init__(self, path: Path | None = None, users: dict | None = None):
        self.path = Path(path) if path else None
        self._users = users if users is not None else self._read()

    def _read(self) -> dict:
        if self.path is None or not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8")).get("users", {})

    def add(self, name: str, password: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"ukendt rolle {role!r}; brug {' eller '.join(ROLES)}")
        if len(password) < 12:
            raise ValueError("adgangskoden skal have mindst 12 tegn")
        self._users[name] = {"hash": generate_password_hash(password, method="scrypt"),
                             "role": role}
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"users": self._users}, indent=2), encoding="utf-8")
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)

    def get(self, name: str) -> User | None:
        entry = self._users.get(name)
        return User(name, entry["role"]) if entry else None

    def verify(self, name: str, password: str) -> User | None:
        entry = self._users.get(name)
        ok = check_password_hash(entry["hash"] if entry else _DUMMY_HASH, password)
        return User(name, entry["role"]) if entry and ok else None


_SQLITE_SIDECARS = ("-journal", "-wal", "-shm")
# Writes are a row or two: a lock held longer than this is a stuck process, not a queue.
_SQLITE_BUSY_SECONDS = 5


def _private_sqlite(path: Path) -> None:
    """Make `path` an SQLite file only its owner may read or write (0600), creating it if
    missing and tightening it (and any -journal, -wal, -shm beside it) if it exists: these
    files hold user names and addresses. SQLite gives the journal files it creates later the
    database file's own mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, *(path.with_name(path.name + s) for s in _SQLITE_SIDECARS)):
        if file.exists():
            os.chmod(file, 0o600)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection that commits each statement by itself unless a transaction is begun.
    A new one per call: workers fork, and a connection must not cross a fork."""
    return sqlite3.connect(path, timeout=_SQLITE_BUSY_SECONDS, isolation_level=None)


@contextmanager
def _transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (BEGIN IMMEDIATE): a read followed by a write
    inside it sees no other worker's write in between."""
    con = _connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        yield con
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


# The keys the throttle counts: a user name, and the address the attempt came from. An
# address can be a whole office behind one NAT or a proxy, so it is slowed down but never
# locked: a lock there would let anyone shut every colleague out for 15 minutes.
USER_KEY = "user:{}"
ADDRESS_KEY = "addr:{}"


def waiting_time(failures: int, locks: bool = True) -> float:
    """Seconds a key must wait after its `failures`-th failed login in a row before the next
    attempt is looked at: none for the first SLOW_AFTER - 1, then 1, 2, 4 ... up to
    SLOW_CAP_SECONDS, and (when the key `locks`) LOCK_SECONDS from the LOCK_AFTER-th on."""
    if locks and failures >= LOCK_AFTER:
        return float(LOCK_SECONDS)
    if failures >= SLOW_AFTER:
        return min(2.0 ** (failures - SLOW_AFTER), SLOW_CAP_SECONDS)
    return 0.0


class Throttle:
    """Failed logins per key (user name, address), shared by all workers through an SQLite
    file (0600). Nobody sleeps: each key has a "not before" time, and an attempt before it is
    refused without looking at the password. A key's count is forgotten LOCK_SECONDS after
    its last failure, so a lock ends with its count back at 0."""

    def __init__(self, path: Path):
        self.path = Path(path)
        _private_sqlite(self.path)
        with _transaction(self.path) as con:
            con.execute("CREATE TABLE IF NOT EXISTS waits (key TEXT PRIMARY KEY, "
                        "failures INTEGER NOT NULL, last REAL NOT NULL, "
                        "not_before REAL NOT NULL)")
            # The layout before "not before" times; its counts live 15 minutes at most.
            con.execute("DROP TABLE IF EXISTS failures")

    def admit(self, *keys: str, count_now: tuple[str, ...] | None = None) -> float:
        """0 when an attempt for `keys` may be checked now; the keys in `count_now` (default:
        all) are then counted as failed already (`succeeded` clears them), so attempts sent
        side by side cannot all slip in before the first is counted. Otherwise the seconds
        to wait (> 0), nothing changed."""
        now = time.time()
        with _transaction(self.path) as con:
            self._forget_old(con, now)
            wait = self._wait(con, keys, now)
            if wait <= 0:
                self._count_failure(con, keys if count_now is None else count_now, now)
            return max(wait, 0.0)

    def wait(self, *keys: str) -> float:
        """Seconds before the next attempt for `keys` is looked at; 0 when it may come now."""
        with closing(_connect(self.path)) as con:
            return max(self._wait(con, keys, time.time()), 0.0)

    def failed(self, *keys: str) -> None:
        """Count one failed attempt for each key, whatever its wait."""
        now = time.time()
        with _transaction(self.path) as con:
            self._forget_old(con, now)
            self._count_failure(con, keys, now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures and waits of `keys` (a correct login)."""
        with _transaction(self.path) as con:
            con.executemany("DELETE FROM waits WHERE key = ?", [[k] for k in keys])

    @staticmethod
    def _forget_old(con: sqlite3.Connection, now: float) -> None:
        con.execute("DELETE FROM waits WHERE last <= ?", [now - LOCK_SECONDS])

    @staticmethod
    def _wait(con: sqlite3.Connection, keys: tuple[str, ...], now: float) -> float:
        marks = ", ".join("?" * len(keys))
        (latest,) = con.execute(f"SELECT max(not_before) FROM waits WHERE key IN ({marks}) "
                                "AND last > ?", [*keys, now - LOCK_SECONDS]).fetchone()
        return (latest or now) - now

    @staticmethod
    def _count_failure(con: sqlite3.Connection, keys: tuple[str, ...], now: float) -> None:
        for key in keys:
            row = con.execute("SELECT failures FROM waits WHERE key = ?", [key]).fetchone()
            failures = (row[0] if row else 0) + 1
            locks = not key.startswith(ADDRESS_KEY.format(""))
            con.execute("INSERT OR REPLACE INTO waits VALUES (?, ?, ?, ?)",
                        [key, failures, now, now + waiting_time(failures, locks)])


class SessionRegistry:
    """The logins that are live, one row each, shared by all workers through an SQLite file
    (0600). Flask's session cookie only carries a random id; logging out or staying idle
    for `idle_seconds` deletes the row, so every copy of the cookie stops working. Only a
    hash of the id is stored: the file alone lets nobody in."""

    def __init__(self, path: Path, idle_seconds: float):
        self.path = Path(path)
        self.idle_seconds = idle_seconds
        # Noting each request would be a write per request; once in a while is enough.
        self.touch_seconds = min(SESSION_TOUCH_SECONDS, idle_seconds / 10)
        _private_sqlite(self.path)
        with _transaction(self.path) as con:
            con.execute("CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, "
                        "user TEXT NOT NULL, started REAL NOT NULL, last_seen REAL NOT NULL)")

    def start(self, user: str) -> str:
        """A new session for `user`: returns its id (to keep in the signed cookie). Sessions
        idle too long are removed on the way."""
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        with _transaction(self.path) as con:
            con.execute("DELETE FROM sessions WHERE last_seen <= ?", [now - self.idle_seconds])
            con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                        [_digest(session_id), user, now, now])
        return session_id

    def end_user(self, user: str) -> int:
        """End every session of `user` (their password or role was just changed: a login made
        with the old password, perhaps someone else's, must not go on). Returns how many."""
        with _transaction(self.path) as con:
            return con.execute("DELETE FROM sessions WHERE user = ?", [user]).rowcount

    def alive(self, session_id: str | None, user: str) -> bool:
        """Whether `session_id` is a live session of `user`; notes the visit (at most every
        `touch_seconds`), and ends the session when it has been idle `idle_seconds`."""
        if not session_id:
            return False
        now, id_hash = time.time(), _digest(session_id)
        with closing(_connect(self.path)) as con:
            row = con.execute("SELECT user, last_seen FROM sessions WHERE id_hash = ?",
                              [id_hash]).fetchone()
            if row is None or row[0] != user:
                return False
            idle = now - row[1]
            if idle >= self.idle_seconds:
                con.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash])
                return False
            if idle >= self.touch_seconds:
                con.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ? "
                            "AND last_seen < ?", [now, id_hash, now])
        return True

    def end(self, session_id: str | None) -> None:
        """End the session `session_id` on the server (logout): its cookie no longer works."""
        if session_id:
            with closing(_connect(self.path)) as con:
                con.execute("DELETE FROM sessions WHERE id_hash = ?", [_digest(session_id)])


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


LOGIN_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t("login.title") }}</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css">
<link rel="stylesheet" href="/assets/a11y.css"></head>
<body class="bg-light"><main class="container" style="max-width: 26rem; margin-top: 12vh">
<div class="d-flex align-items-center mb-3"><h1 class="h4 mb-0 me-auto">{{ t("app.name") }}</h1>
<a class="btn btn-outline-primary btn-sm" id="language-switch" lang="{{ other }}"
 hreflang="{{ other }}" href="/sprog/{{ other }}?next={{ here | urlencode }}"
 title="{{ t('language.switch', name=other_name) }}">{{ other_name }}</a></div>
<p class="text-body-secondary">{{ t("login.intro") }}</p>
{% if message %}<div class="alert alert-danger" role="alert">{{ message }}</div>{% endif %}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<input type="hidden" name="next" value="{{ next }}">
<div class="mb-3"><label class="form-label" for="username">{{ t("login.username") }}</label>
<input class="form-control" id="username" name="username" autocomplete="username" required
 autofocus></div>
<div class="mb-3"><label class="form-label" for="password">{{ t("login.password") }}</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">{{ t("login.submit") }}</button>
</form></main></body></html>"""


# Inline scripts that run: no src, and not a JSON data block.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                            re.DOTALL)


def _inline_script_hashes(response) -> str:
    """Dash's page has two small inline scripts: allow exactly those, by hash, no more."""
    if response.mimetype != "text/html" or response.direct_passthrough:
        return ""
    scripts = _INLINE_SCRIPT.findall(response.get_data(as_text=True))
    return "".join(" 'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
                   + "'" for s in scripts)


def _safe_next(target: str | None, known: Callable[[str], bool] | None = None) -> str:
    """Only a path on this site, never an open redirect; with `known`, only a path it
    accepts, without its query. The login page shows `next` beside its CSRF token in a
    compressed response: text an attacker picks there would let them guess the token from
    response sizes (BREACH), so `known` accepts only pages that exist (a municipality's page
    only for a real code, dashboard.app.is_page)."""
    parsed = urlparse(target or "/")
    if parsed.scheme or parsed.netloc or not (target or "/").startswith("/"):
        return "/"
    if known is not None:
        return parsed.path if known(parsed.path) else "/"
    return target or "/"


def _after_login_target(full_path: str, known: Callable[[str], bool] | None) -> str | None:
    """The page and query to come back to after the login, or None when `full_path` is not
    one to keep: not a local path, not a known page, or longer than MAX_AFTER_LOGIN."""
    if len(full_path) > MAX_AFTER_LOGIN or any(c in full_path for c in "\\\r\n\t"):
        return None
    parsed = urlparse(full_path)
    if parsed.scheme or parsed.netloc or not full_path.startswith("/") \
            or full_path.startswith("//"):
        return None
    if known is not None and not known(parsed.path):
        return None
    return full_path


def _wants_page() -> bool:
    return request.method == "GET" and not request.path.startswith(("/_dash-", "/_reload"))


def _wait_text(seconds: float) -> str:
    """When to try again, in the reader's language: seconds, or minutes for a lock."""
    if seconds > SLOW_CAP_SECONDS:
        return t("login.locked", minutes=math.ceil(seconds / 60))
    return t("login.wait", seconds=math.ceil(seconds))


def install(server: Flask, users: UserStore, secret_key: str, throttle: Throttle,
            sessions: SessionRegistry, secure_cookies: bool, content_security_policy: str,
            pages: Callable[[str], bool] | None = None) -> None:
    """Put the whole Flask app behind a login. Logins live in `sessions` (ended on the
    server by logout or idleness); failed logins are counted in `throttle`.
    `content_security_policy` has an `{inline}` slot for the hashes of the page's own inline
    scripts; `pages` says whether a path is one a login may lead back to (default: any path
    on this site)."""
    server.config.update(
        SECRET_KEY=secret_key, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure_cookies, WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_OTHER_REQUEST_BYTES, PROPAGATE_EXCEPTIONS=False)
    manager = LoginManager(server)

    # Registered before CSRFProtect's own check, which may read the body.
    @server.before_request
    def allow_uploads():
        if request.path == CALLBACK_PATH and getattr(current_user, "is_admin", False):
            request.max_content_length = MAX_REQUEST_BYTES

    CSRFProtect(server)

    @manager.user_loader
    def load_user(name: str) -> User | None:
        # The signed cookie alone is not enough: its session must still be live here.
        if not sessions.alive(session.get(SESSION_ID), name):
            return None
        return users.get(name)

    @manager.unauthorized_handler
    def refuse():
        if _wants_page():
            # The whole address (a shared view's query) waits in the signed session; the
            # login page's `next` names only the path.
            target = _after_login_target(request.full_path.rstrip("?"), pages)
            if target is not None:
                session[AFTER_LOGIN] = target
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        return jsonify(error=t("error.login_first")), 401

    @server.before_request
    def require_login():
        if request.path in PUBLIC_PATHS or current_user.is_authenticated:
            return None
        return refuse()

    # Compiled once: compiling it was half the cost of refusing a throttled login.
    login_page = server.jinja_env.from_string(LOGIN_PAGE)

    @server.route("/login", methods=["GET", "POST"])
    def login():
        message, status, retry_after = None, 200, 0.0
        target = _safe_next(request.values.get("next"), pages)
        if request.method == "POST":
            name = request.form.get("username", "")[:100]
            user_key = USER_KEY.format(name.lower())
            address_key = ADDRESS_KEY.format(request.remote_addr)
            # Too early: refused at once, the same for any name, the password not looked at.
            # A name's attempt counts as failed until it succeeds (no burst of guesses side
            # by side); an address's only once it has failed: many people behind one
            # address may log in at the same moment.
            retry_after = throttle.admit(user_key, address_key, count_now=(user_key,))
            if retry_after:
                message, status = _wait_text(retry_after), 429
            else:
                user = users.verify(name, request.form.get("password", ""))
                if user:
                    throttle.succeeded(user_key, address_key)
                    # The page asked for with its query, when the login leads back to it.
                    kept = _after_login_target(session.pop(AFTER_LOGIN, None) or "", pages)
                    if kept is not None and urlparse(kept).path == target:
                        target = kept
                    _start_session(user)
                    return redirect(target)
                throttle.failed(address_key)
                message, status = t("login.wrong"), 401
                retry_after = throttle.wait(user_key, address_key)
                if retry_after:
                    message = f"{message} {_wait_text(retry_after)}"
        other = next(lang for lang in LANGUAGES if lang != language())
        here = url_for("login", next=target) if target != "/" else url_for("login")
        page = render_template(login_page, message=message, next=target, t=t,
                               lang=language(), other=other, here=here,
                               other_name=CATALOGUE["language.name"][other])
        headers = {"Retry-After": str(math.ceil(retry_after))} if retry_after else {}
        return page, status, headers

    def _start_session(user: User) -> None:
        """A new server-side session with a new id; nothing from before the login (an id
        someone planted, an earlier login in this browser) carries over."""
        sessions.end(session.get(SESSION_ID))
        session.clear()
        login_user(user)
        session[SESSION_ID] = sessions.start(user.name)

    @server.route("/sprog/<lang>")
    def choose_language(lang):
        """The language switch: remember the choice in a cookie, go back where the reader
        was (the `next` parameter, else the page the link was on)."""
        if lang not in LANGUAGES:
            return redirect("/")
        back = request.args.get("next")
        if not back and request.referrer:
            referrer = urlparse(request.referrer)
            if referrer.netloc == request.host:
                back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        response = redirect(_safe_next(back))
        response.set_cookie(COOKIE, lang, max_age=LANGUAGE_COOKIE_SECONDS, samesite="Lax",
                            secure=secure_cookies, httponly=True)
        return response

    @server.route("/logout", methods=["POST"])
    def logout():
        sessions.end(session.get(SESSION_ID))  # every copy of the cookie stops working
        logout_user()
        session.clear()
        return redirect(url_for("login"))

    @server.errorhandler(CSRFError)
    def csrf_refused(_error):
        return jsonify(error=t("error.csrf")), 400

    @server.errorhandler(413)
    def too_large(_error):
        return jsonify(error=t("error.too_large", mb=MAX_UPLOAD_BYTES // 2**20)), 413

    @server.errorhandler(500)
    def failed(_error):
        return jsonify(error=t("error.failed")), 500

    @server.after_request
    def harden(response):
        response.headers["Content-Security-Policy"] = content_security_policy.format(
            inline=_inline_script_hashes(response))
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if current_user.is_authenticated:
            # Dash's renderer sends this cookie back as X-CSRFToken on every callback.
            response.set_cookie("_csrf_token", generate_csrf(), samesite="Strict",
                                secure=secure_cookies, httponly=False)
        return response
