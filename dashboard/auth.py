"""Only KL staff get in: logins with roles, CSRF protection, throttled failures, security
headers. Built on Flask-Login and Flask-WTF; passwords are salted scrypt hashes (Werkzeug).

Users live in a JSON file outside the repository (BORGMESTER_USERS_FILE), written by
`python -m dashboard users add NAME --role viewer|admin`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, jsonify, redirect, render_template_string, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.i18n import CATALOGUE, COOKIE, LANGUAGES, language, t

ROLES = ("viewer", "admin")
PUBLIC_PATHS = ("/login", "/assets/bootstrap.min.css", "/assets/a11y.css", "/_favicon.ico",
                *(f"/sprog/{lang}" for lang in LANGUAGES))
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
SLOW_AFTER = 3          # failed logins before each answer is slowed down
LOCK_AFTER = 10         # failed logins before the account (and the address) is locked
LOCK_SECONDS = 15 * 60
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A file reaches the Data page base64-encoded in a JSON request: 4/3 of it, plus room.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 2**20
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


class Throttle:
    """Failed logins per user name and per address, shared by all workers (SQLite)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, "
                        "count INTEGER NOT NULL, last REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def failures(self, key: str) -> int:
        with self._connect() as con:
            row = con.execute("SELECT count, last FROM failures WHERE key = ?", [key]).fetchone()
        if not row:
            return 0
        count, last = row
        return 0 if count >= LOCK_AFTER and time.time() - last > LOCK_SECONDS else count

    def locked(self, *keys: str) -> bool:
        return any(self.failures(k) >= LOCK_AFTER for k in keys)

    def delay(self, *keys: str) -> float:
        worst = max(self.failures(k) for k in keys)
        return 0.0 if worst < SLOW_AFTER else min(2.0 ** (worst - SLOW_AFTER), 8.0)

    def failed(self, *keys: str) -> None:
        with self._connect() as con:
            for key in keys:
                con.execute("INSERT INTO failures VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE "
                            "SET count = count + 1, last = excluded.last", [key, time.time()])

    def succeeded(self, *keys: str) -> None:
        with self._connect() as con:
            con.executemany("DELETE FROM failures WHERE key = ?", [[k] for k in keys])


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


def _safe_next(target: str | None, known: Callable[[], Iterable[str]] | None = None) -> str:
    """Only a path on this site, never an open redirect; with `known`, only one of those
    paths, without its query. The login page shows `next` beside its CSRF token in a
    compressed response: text an attacker picks there would let them guess the token from
    response sizes (BREACH)."""
    parsed = urlparse(target or "/")
    if parsed.scheme or parsed.netloc or not (target or "/").startswith("/"):
        return "/"
    if known is not None:
        return parsed.path if parsed.path in set(known()) else "/"
    return target or "/"


def _wants_page() -> bool:
    return request.method == "GET" and not request.path.startswith(("/_dash-", "/_reload"))


def install(server: Flask, users: UserStore, secret_key: str, throttle: Throttle,
            secure_cookies: bool, content_security_policy: str,
            pages: Callable[[], Iterable[str]] | None = None) -> None:
    """Put the whole Flask app behind a login. `content_security_policy` has an `{inline}`
    slot for the hashes of the page's own inline scripts; `pages` lists the paths a login
    may lead back to (default: any path on this site)."""
    server.config.update(
        SECRET_KEY=secret_key, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure_cookies, WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, PROPAGATE_EXCEPTIONS=False)
    CSRFProtect(server)
    manager = LoginManager(server)
    manager.user_loader(users.get)

    @manager.unauthorized_handler
    def refuse():
        if _wants_page():
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        return jsonify(error=t("error.login_first")), 401

    @server.before_request
    def require_login():
        if request.path in PUBLIC_PATHS or current_user.is_authenticated:
            return None
        return refuse()

    @server.route("/login", methods=["GET", "POST"])
    def login():
        message = None
        target = _safe_next(request.values.get("next"), pages)
        if request.method == "POST":
            name = request.form.get("username", "")[:100]
            keys = (f"user:{name.lower()}", f"addr:{request.remote_addr}")
            if throttle.locked(*keys):
                message = t("login.locked")
            else:
                time.sleep(throttle.delay(*keys))
                user = users.verify(name, request.form.get("password", ""))
                if user:
                    throttle.succeeded(*keys)
                    login_user(user)
                    return redirect(target)
                throttle.failed(*keys)
                message = t("login.wrong")
        status = 401 if message else 200
        other = next(lang for lang in LANGUAGES if lang != language())
        here = url_for("login", next=target) if target != "/" else url_for("login")
        return render_template_string(LOGIN_PAGE, message=message, next=target, t=t,
                                      lang=language(), other=other, here=here,
                                      other_name=CATALOGUE["language.name"][other]), status

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
        logout_user()
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
