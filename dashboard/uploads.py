"""Uploads waiting on the Data page, kept on the server, and their check and import jobs.

The browser only ever holds an opaque token (`secrets.token_urlsafe`). Everything else lives
in the token's folder under the product's own upload folder beside the database
(`.NAME.uploads/TOKEN/`, mode 0700): the file as `upload.csv` (never the user's file name),
`meta.json` (owner, the user's file name, when) and `status.json` (the running or finished
job). A token answers only to the user and the browser session that uploaded it, and only for
`UPLOAD_SECONDS`; expired folders are removed at app start and on every new upload. Nothing
is read or removed but a folder found by its token directly under that upload folder.

The check (a dry-run import) and the import run in a thread of the worker that took the
upload, never inside a request: they write their phase, heartbeat and result to
`status.json`, so any worker can answer the page's poll. A job whose process is gone, or
whose heartbeat stopped, is reported as stopped.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import socket
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from flask import session
from flask_login import current_user

from etl import reasons
from etl.errors import SourceError
from etl.files import WriterBusy, exclusive
from etl.importer import ImportStep, Phase, import_files

log = logging.getLogger(__name__)

UPLOAD_SECONDS = 60 * 60        # an upload not imported by then is removed
HEARTBEAT_SECONDS = 5           # a running job rewrites its status this often
DEAD_AFTER_SECONDS = 60         # a running job silent this long has died
# A job's status keeps this many of its problems (and their count): status.json is read on
# every poll and the page shows them as a table, so 200.000 of them (34 MB) must not be kept.
MAX_PROBLEMS_KEPT = 500
# A user's uploads kept at once (a tab or two, an upload being replaced): with 20 MB each and
# an hour's life, uploads without a cap would let one admin fill the disk. The oldest go first.
MAX_UPLOADS_PER_USER = 3
ALLOWED = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
SESSION_KEY = "data_uploads"    # the browser session's own random value, in flask.session
META, STATUS, CLAIM = "meta.json", "status.json", "import.claim"
_TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")   # what token_urlsafe(32) gives, nothing else
# The importer's phases (etl.importer.Phase) as the phase codes the page shows.
_PHASES = {Phase.READING: "reading", Phase.CHECKING: "checking", Phase.LOADING: "loading"}
# The phases each job goes through, in order (for the progress bar).
PHASES = {"check": ("starting", "reading", "checking"),
          "import": ("starting", "reading", "checking", "loading")}

_now: Callable[[], float] = time.time    # the clock (tests move it)
# The job threads of this process by token, for `wait` (a test seam: the app itself never
# waits on a job, its page polls status.json).
_threads: dict[str, threading.Thread] = {}


@dataclass(frozen=True)
class Owner:
    """Who may use an upload: the user name and a hash of the session's own value."""

    user: str
    session: str


def current_owner() -> Owner:
    """The logged-in user and this browser session (inside a request). The session gets a
    random value of its own the first time; another session of the same user has another."""

    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(16)
    return Owner(current_user.name, sha256(session[SESSION_KEY].encode()).hexdigest())


def _root_path(database: Path) -> Path:
    return Path(database).with_name(f".{Path(database).name}.uploads")


def upload_root(database: Path) -> Path:
    """The product's own upload folder beside `database`, made 0700. Raises OSError when the
    path is a symbolic link or belongs to another user (someone else's folder is never used)."""
    root = _root_path(database)
    root.mkdir(mode=0o700, exist_ok=True)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise OSError(f"{root} er ikke programmets egen mappe")
    if stat.S_IMODE(info.st_mode) != 0o700:
        root.chmod(0o700)
    return root


def _folder(database: Path, token: object) -> Path | None:
    """The token's folder, only when `token` has a token's shape and names a real folder (not
    a link) directly inside the upload folder."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    root = upload_root(database).resolve()
    folder = root / token
    if not folder.resolve().is_relative_to(root) or folder.resolve().parent != root:
        return None
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return None
    except FileNotFoundError:
        return None
    return folder


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, value: dict) -> None:
    """Whole or not at all: another worker may read it at any moment."""
    temporary = path.with_name(f".{path.name}.{threading.get_ident()}")
    temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _last_touched(folder: Path) -> float:
    """When the upload was made or its job last reported; the folder's time if unreadable."""
    meta, status = _read_json(folder / META) or {}, _read_json(folder / STATUS) or {}
    times = [t for t in (meta.get("created"), status.get("heartbeat"))
             if isinstance(t, (int, float))]
    return max(times) if times else folder.lstat().st_mtime


def sweep(database: Path) -> list[str]:
    """Remove every upload older than UPLOAD_SECONDS (by its last sign of life); returns the
    tokens removed. Only token-named folders inside the upload folder are touched; with no
    upload folder yet, nothing is made."""
    if not _root_path(database).exists():
        return []
    root = upload_root(database)
    removed = []
    for folder in root.iterdir():
        if _folder(database, folder.name) is None:
            continue
        if _now() - _last_touched(folder) > UPLOAD_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


@dataclass(frozen=True)
class Pending:
    """An upload found by its token, for its owner."""

    token: str
    folder: Path
    filename: str
    suffix: str

    @property
    def file(self) -> Path:
        """The uploaded file in the token's folder (`upload` + suffix: never the user's name);
        gone once the upload cannot be imported any more."""
        return self.folder / f"upload{self.suffix}"

    def status(self) -> dict | None:
        """The job's status (see `Job.status`), with `state` "stopped" for a running job whose
        process is gone or whose heartbeat is older than DEAD_AFTER_SECONDS."""
        status = _read_json(self.folder / STATUS)
        if status and status.get("state") == "running" and not _alive(status):
            status["state"] = "stopped"
        return status


def create(database: Path, data: bytes, suffix: str, filename: str, owner: Owner) -> Pending:
    """Keep `data` (an allowed suffix only) for `owner` under a new token. Expired uploads
    are swept first. Raises ValueError for a suffix not in ALLOWED, OSError when the upload
    folder is not the product's own (see `upload_root`) or cannot be written (a full disk)."""
    if suffix not in ALLOWED:
        raise ValueError(f"suffix {suffix!r} is not allowed")
    sweep(database)
    _keep_room_for(database, owner.user)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    folder = upload_root(database) / token
    folder.mkdir(mode=0o700)
    (folder / f"upload{suffix}").write_bytes(data)
    _write_json(folder / META, {"user": owner.user, "session": owner.session,
                                "filename": filename[:255], "suffix": suffix,
                                "created": _now()})
    return Pending(token, folder, filename[:255], suffix)


def _keep_room_for(database: Path, user: str) -> None:
    """Remove `user`'s oldest uploads so that a new one keeps them at MAX_UPLOADS_PER_USER;
    an upload whose job is running is left to finish (the next upload or sweep takes it)."""
    root = upload_root(database)
    theirs = []
    for entry in root.iterdir():
        folder = _folder(database, entry.name)
        meta = _read_json(folder / META) if folder else None
        if meta and meta.get("user") == user:
            theirs.append((_last_touched(folder), folder))
    theirs.sort()
    for _touched, folder in theirs[: max(len(theirs) - MAX_UPLOADS_PER_USER + 1, 0)]:
        status = Pending(folder.name, folder, "", "").status()
        if not (status and status.get("state") == "running"):
            shutil.rmtree(folder, ignore_errors=True)


def find(database: Path, token: object, owner: Owner) -> Pending | None:
    """The upload `token` names, if it belongs to `owner` and has not expired; else None
    (and nothing is read but the token folder's own meta.json)."""
    folder = _folder(database, token)
    meta = _read_json(folder / META) if folder else None
    if not meta or meta.get("user") != owner.user or meta.get("session") != owner.session:
        return None
    if meta.get("suffix") not in ALLOWED or _now() - _last_touched(folder) > UPLOAD_SECONDS:
        return None
    return Pending(folder.name, folder, str(meta.get("filename", "")), meta["suffix"])


def claim(pending: Pending) -> bool:
    """Reserve the upload for its one import: False if it was claimed already (a second
    click, or another worker)."""
    try:
        (pending.folder / CLAIM).open("x").close()
    except FileExistsError:
        return False
    return True


def release(pending: Pending) -> None:
    """Give the claim back (the import did not run: the writer was busy)."""
    (pending.folder / CLAIM).unlink(missing_ok=True)


def _alive(status: dict) -> bool:
    heartbeat = status.get("heartbeat")
    if not isinstance(heartbeat, (int, float)) or _now() - heartbeat > DEAD_AFTER_SECONDS:
        return False
    if status.get("host") != socket.gethostname():
        return True       # another machine: only its heartbeat can tell
    try:
        os.kill(int(status.get("pid", 0)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, OverflowError):
        return True
    return True


def reason_text(problem: dict, lang: str) -> str:
    """A problem of status.json's result, its reason in `lang` ("da"/"en"): said from its code
    and params (etl.reasons) when it has them, else its Danish `reason` as kept (a status.json
    written before codes were kept)."""
    code = problem.get("code")
    if code not in reasons.REASONS:
        return problem.get("reason") or ""
    try:
        return reasons.render(code, problem.get("params") or {}, lang)
    except (KeyError, ValueError):  # params not those of the code: its Danish text as kept
        return problem.get("reason") or ""


class Job:
    """A check or import of one upload, in a thread, reporting to the token's status.json.

    status.json: {"job": "check"|"import", "state": "running"|"done"|"busy"|"failed",
    "phase": one of PHASES[job], "pid", "host", "heartbeat" (epoch seconds), "result"}.
    The result of a check: {"kind", "rows", "rejected" (lines), "problems": the first
    MAX_PROBLEMS_KEPT of [{file, line, column, value, reason (Danish), code, params}] (code
    and params: the reason as etl.reasons declares it, said in the reader's language by the
    page), "problem_count": all of them,
    "refused": bool (the whole file cannot be read)}; of an import, additionally "new",
    "updated", "unchanged", "people_added", "demo_removed". An import that found the writer
    busy keeps its upload and gives its claim back: it may be started again.
    """

    def __init__(self, database: Path, pending: Pending, kind: str):
        self.database, self.pending, self.kind = Path(database), pending, kind
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._status = {"job": kind, "state": "running", "phase": "starting",
                        "pid": os.getpid(), "host": socket.gethostname(), "result": None}
        self._write()

    def _write(self, **changes) -> None:
        with self._lock:
            self._status.update(changes, heartbeat=_now())
            _write_json(self.pending.folder / STATUS, self._status)

    def start(self) -> threading.Thread:
        """Run the job in a new daemon thread (and its heartbeat in another); returns the
        job's thread at once."""
        thread = threading.Thread(target=self._run, name=f"upload-{self.kind}", daemon=True)
        _threads[self.pending.token] = thread
        thread.start()
        threading.Thread(target=self._beat, name="upload-heartbeat", daemon=True).start()
        return thread

    def _beat(self) -> None:
        while not self._done.wait(HEARTBEAT_SECONDS):
            self._write()

    def _step(self, step: ImportStep) -> None:
        """import_files' steps as the phase codes the page shows."""
        self._write(phase=_PHASES[step.phase])

    def _run(self) -> None:
        try:
            # The writer lock first, without waiting: a busy writer is said on the page.
            with exclusive(self.database, wait=False):
                # Messages and the import history name the file as the user knew it.
                result = import_files(self.database, [self.pending.file],
                                      dry_run=self.kind == "check", step=self._step,
                                      names={self.pending.file: self.pending.filename})
            state, outcome = "done", self._result(result)
        except WriterBusy:
            state, outcome = "busy", None
            if self.kind == "import":
                release(self.pending)
        except SourceError as error:
            state, outcome = "done", {"refused": True, **self._problems(error.problems)}
        except Exception:
            log.exception("upload %s failed", self.kind)
            state, outcome = "failed", None
        if state != "busy" and (self.kind == "import" or (outcome or {}).get("problems")):
            self.pending.file.unlink(missing_ok=True)   # nothing left to import
        self._write(state=state, result=outcome)
        self._done.set()
        _threads.pop(self.pending.token, None)

    def _problems(self, problems, count: int | None = None) -> dict:
        """{"problems": the first MAX_PROBLEMS_KEPT, "problem_count": `count` (all of them:
        the importer holds only its first MAX_PROBLEMS_HELD), by default as many as given}.
        Each names the user's file (and the sheet), never the server's path of the upload."""
        return {"problems": [{"file": p.file, "line": p.line, "column": p.column,
                              "value": p.value, "reason": p.reason, "code": p.code,
                              "params": p.params}
                             for p in problems[:MAX_PROBLEMS_KEPT]],
                "problem_count": len(problems) if count is None else count}

    def _result(self, result) -> dict:
        # One upload is one file, but a schedule workbook's price sheet is read with it
        # (etl.schedule): the kind is the first applied (the schedule), the counts are all.
        files = result.files
        outcome = {"refused": False, "kind": files[0].kind,
                   "rows": sum(f.staged.rows for f in files),
                   "rejected": sum(f.rejected_lines for f in files),
                   **self._problems(result.problems, result.problem_count)}
        if self.kind == "import":
            outcome |= {key: sum(getattr(f, key) for f in files) for key in
                        ("new", "updated", "unchanged", "people_added", "repeats")}
            outcome["demo_removed"] = bool(result.demo_removed)
        return outcome


def start(database: Path, pending: Pending, kind: str) -> None:
    """Start the `kind` ("check" or "import") job for `pending` in a thread."""
    Job(database, pending, kind).start()


def wait(token: str, timeout: float) -> bool:
    """Wait up to `timeout` seconds for the job of `token` started in this process; True
    when it has finished (or none runs here). A test seam: the app never waits on a job."""
    thread = _threads.get(token)
    if thread is not None:
        thread.join(timeout)
    return thread is None or not thread.is_alive()

