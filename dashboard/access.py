"""Who may get in, decided once at start: a users file and a secret key, or, only on this
machine's loopback address, a demo login printed at start."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.auth import SessionRegistry, Throttle, UserStore
from dashboard.settings import setting

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class AccessError(Exception):
    """The app must not start like this; the message says what is missing."""


@dataclass
class Access:
    users: UserStore
    secret_key: str
    throttle: Throttle
    sessions: SessionRegistry
    secure_cookies: bool
    demo_password: str | None = None


def access_for(host: str | None, production: bool = False) -> Access:
    users_file = setting("BORGMESTER_USERS_FILE")
    secret = setting("BORGMESTER_SECRET_KEY")
    idle = idle_seconds()
    local = (host in LOOPBACK) and not production
    if users_file:
        path = Path(users_file)
        if not path.is_file():
            raise AccessError(f"BORGMESTER_USERS_FILE peger på {path}, som ikke findes; opret "
                              "den med `python -m dashboard users add NAVN --role admin`")
        if not secret and not local:
            raise AccessError("BORGMESTER_SECRET_KEY mangler: sæt en lang tilfældig nøgle, "
                              "fx `python -c 'import secrets; print(secrets.token_hex(32))'`")
        # Beside the users file, so every worker (and a restart) shares them.
        return Access(UserStore(path), secret or secrets.token_hex(32),
                      Throttle(path.with_name(path.name + ".throttle.sqlite")),
                      SessionRegistry(sessions_path(path), idle),
                      secure_cookies=not local)
    if not local:
        raise AccessError(f"Bundet til {host or 'gunicorn'}: dashboardet starter kun med "
                          "BORGMESTER_USERS_FILE og BORGMESTER_SECRET_KEY sat (se README, "
                          "Production).")
    password = secrets.token_urlsafe(12)
    users = UserStore(None, {})
    users.add("demo", password, "admin")
    folder = Path(tempfile.mkdtemp(prefix="borgmester-"))
    return Access(users, secrets.token_hex(32), Throttle(folder / "throttle.sqlite"),
                  SessionRegistry(folder / "sessions.sqlite", idle), secure_cookies=False,
                  demo_password=password)


def sessions_path(users_file: Path) -> Path:
    """The live sessions' file, beside the users file (shared by every worker, kept over a
    restart, and ended per user by `python -m dashboard users add`)."""
    return users_file.with_name(users_file.name + ".sessions.sqlite")


def idle_seconds() -> int:
    """BORGMESTER_IDLE_MINUTES in seconds; AccessError unless it is a whole number >= 1."""
    raw = setting("BORGMESTER_IDLE_MINUTES")
    minutes = int(raw) if raw.strip().isdigit() else 0
    if minutes < 1:
        raise AccessError(f"BORGMESTER_IDLE_MINUTES er {raw!r}: skriv et helt antal minutter "
                          "(mindst 1), eller fjern variablen for standarden")
    return minutes * 60
