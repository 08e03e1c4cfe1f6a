"""Data (admins only): upload a registration export, see what would be rejected, import it.

The upload is kept on the server under a random token (dashboard.uploads); the page holds only
the token. The check (a dry run) and the import run as background jobs that the page polls,
so no request waits on a long import or on another writer.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update
from flask_login import current_user

from dashboard import formatting, run_log, uploads
from dashboard.auth import MAX_UPLOAD_BYTES
from dashboard.components import data_table, section
from dashboard.db import current_database
from dashboard.i18n import language, page_title, t
from etl import versions
from etl.errors import SourceError
from etl.files import WriterBusy, exclusive, writer_busy

dash.register_page(__name__, path="/data", name="Data", name_key="page.data",
                   title=page_title("page.data"), order=9, admin_only=True)

UPLOAD = "data-upload"
LIMIT = "data-upload-limit"        # carries the size limit and its message to the asset JS
REFUSED = "data-upload-refused"    # where assets/upload-limit.js says a refusal
RESULT = "data-result"
CONFIRM = "data-confirm"
PENDING = "data-pending"           # the upload's token: nothing else reaches the browser
POLL = "data-poll"
HISTORY = "data-history"
VERSIONS = "data-versions"
UNDO = "data-undo"                 # asks first (UNDO_CONFIRM), then undoes the last change
UNDO_CONFIRM = "data-undo-confirm"
UNDO_RESULT = "data-undo-result"
UNDO_NOTHING = "data-undo-nothing"   # said instead of the button when nothing is kept
POLL_MS = 1000
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20


def admins_only() -> dbc.Alert:
    return dbc.Alert(t("data.admins_only"), color="warning")


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_admin", False))


def layout(**_query):
    if not _is_admin():
        return admins_only()
    return html.Div([
        html.H1(t("data.heading"), className="h3"),
        html.P(t("data.intro", mb=MAX_UPLOAD_MB), className="text-body-secondary"),
        # The upload's file input sits inside a label, which names it for screen readers;
        # the label opens the file dialog (so the drop zone's own click is off: one dialog).
        # dcc.Upload drops a file over max_size without a word: assets/upload-limit.js says
        # so in REFUSED, with the limit and the text given here.
        html.Div(html.Label(
            dcc.Upload(id=UPLOAD, max_size=MAX_UPLOAD_BYTES, multiple=False,
                       accept=",".join(sorted(uploads.ALLOWED)), disable_click=True,
                       children=html.Div([t("data.drop"), html.U(t("data.choose"))]),
                       className="border border-2 rounded p-4 text-center",
                       style={"borderStyle": "dashed", "cursor": "pointer"}),
            className="d-block mb-3"),
            id=LIMIT, **{"data-max-bytes": str(MAX_UPLOAD_BYTES),
                         "data-too-large": t("data.file_too_large", file="{file}",
                                             mb=MAX_UPLOAD_MB)}),
        html.Div(id=REFUSED, role="alert", className="alert alert-danger", hidden=True),
        dcc.Store(id=PENDING),
        dcc.Interval(id=POLL, interval=POLL_MS, disabled=True),
        html.Div(id=RESULT),
        dbc.Button(t("data.confirm"), id=CONFIRM, color="danger", disabled=True,
                   className="mb-3"),
        section(t("data.history"), html.Div(id=HISTORY, children=_history())),
        section(t("data.versions"), html.Div([
            html.P(t("data.versions_intro"), className="text-body-secondary"),
            html.Div(id=UNDO_RESULT),
            dcc.ConfirmDialog(id=UNDO_CONFIRM),
            html.Div(id=VERSIONS, children=_versions()),
        ])),
    ])


def _history():
    with current_database().cursor() as con:
        return run_log.history_table(con)


def _problems_table(result: dict):
    """A job's problems as a table (rows {file, line, column, value, reason}, the first
    uploads.MAX_PROBLEMS_KEPT of them), said above it when there are more; the reason in the
    reader's language."""
    problems = [{**p, "reason": uploads.reason_text(p, language())}
                for p in result["problems"]]
    total = result.get("problem_count", len(problems))
    table = data_table(pd.DataFrame(problems, columns=["file", "line", "column", "value",
                                                       "reason"]), {
        "line": (t("data.col.line"), lambda v: "" if v is None or v != v else str(int(v))),
        "column": (t("data.col.column"), lambda v: v or ""),
        "value": (t("data.col.value"), lambda v: v or ""),
        "reason": (t("data.col.reason"), None),
    }, table_id="data-problems", max_height="24rem")
    if total <= len(problems):
        return table
    return html.Div([html.P(t("data.problems_cut", shown=formatting.number(len(problems)),
                              total=formatting.number(total)), id="data-problems-cut"),
                     table])


def decode_upload(contents: str, filename: str) -> tuple[bytes, str]:
    """The uploaded file's bytes and its (allowed) suffix. Raises ValueError with the reason
    in the reader's language: a type not allowed, a cut transfer, over MAX_UPLOAD_BYTES."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in uploads.ALLOWED:
        raise ValueError(t("data.bad_type", suffix=suffix or t("data.no_suffix")))
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        raise ValueError(t("data.incomplete")) from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(t("data.too_large", mb=MAX_UPLOAD_MB))
    return data, suffix


def _alert(text: str, color: str, alert_id: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, id=alert_id)


def _progress(job: str, phase: str):
    """Where a running job is: its phase in words and a bar over the job's phases."""
    phases = uploads.PHASES[job]
    done = (phases.index(phase) if phase in phases else 0) + 1
    percent = round(100 * done / (len(phases) + 1))
    text = t(f"data.job.{job}") + ": " + t(f"data.phase.{phase}")
    return html.Div([
        html.P(text, role="status", className="mb-1", id="data-progress-text"),
        html.Div(html.Div(className="progress-bar progress-bar-striped progress-bar-animated",
                          style={"width": f"{percent}%"}),
                 className="progress mb-3", role="progressbar", id="data-progress",
                 **{"aria-label": text, "aria-valuenow": str(percent), "aria-valuemin": "0",
                    "aria-valuemax": "100"}),
    ])


def _busy() -> dbc.Alert:
    return _alert(t("data.writer_busy"), "warning", "data-busy")


def _upload_again() -> dbc.Alert:
    return _alert(t("data.upload_again", minutes=uploads.UPLOAD_SECONDS // 60), "warning",
                  "data-upload-again")


# The upload's contents are emptied once taken (the last output): Dash only calls back when
# they change, so choosing the same file again (after "en anden import kører", say) would
# otherwise do nothing; and the browser need not keep 20 MB of base64 about.
@callback(Output(RESULT, "children"), Output(CONFIRM, "disabled"), Output(PENDING, "data"),
          Output(POLL, "disabled"), Output(UPLOAD, "contents"),
          Input(UPLOAD, "contents"), State(UPLOAD, "filename"), prevent_initial_call=True)
def check_upload(contents, filename):
    """Keep the upload on the server and start its check; the page polls for the result."""
    if not contents:
        return no_update, no_update, no_update, no_update, no_update
    return (*_take_upload(contents, filename), None)


def _take_upload(contents: str, filename: str) -> tuple:
    """(result, confirm disabled, pending token, poll disabled) for a new upload."""
    if not _is_admin():
        return admins_only(), True, None, True
    database = current_database().path
    try:
        data, suffix = decode_upload(contents, filename)
    except ValueError as error:
        return _alert(f"{filename}: {error}.", "danger", "data-error"), True, None, True
    if writer_busy(database):   # said at once; the job would say it a poll later
        return _busy(), True, None, True
    pending = uploads.create(database, data, suffix, str(filename), uploads.current_owner())
    uploads.start(database, pending, "check")
    return _progress("check", "starting"), True, pending.token, False


@callback(Output(RESULT, "children", allow_duplicate=True),
          Output(CONFIRM, "disabled", allow_duplicate=True),
          Output(POLL, "disabled", allow_duplicate=True),
          Input(CONFIRM, "n_clicks"), State(PENDING, "data"), prevent_initial_call=True)
def confirm_import(_clicks, token):
    """Start the import of a checked upload, found by its token for this user and session."""
    if not _is_admin():
        return admins_only(), True, True
    database = current_database().path
    pending = uploads.find(database, token, uploads.current_owner())
    status = pending.status() if pending else None
    if status and status["job"] == "import" and status["state"] == "running":
        return no_update, no_update, no_update   # a second click: the first one imports
    if not status or not _importable(status):
        return _upload_again(), True, True
    if not uploads.claim(pending):
        return no_update, no_update, no_update   # a second click: the first one imports
    if writer_busy(database):
        uploads.release(pending)
        return _busy(), False, True
    uploads.start(database, pending, "import")
    return _progress("import", "starting"), True, False


def _importable(status: dict) -> bool:
    """A check that found nothing wrong, or an import of such a file that found the writer
    busy (it gave its claim back and kept the file: it may be tried again)."""
    if status["job"] == "import":
        return status["state"] == "busy"
    result = status.get("result") or {}
    return status["state"] == "done" and not result.get("refused") and not result.get("problems")


@callback(Output(RESULT, "children", allow_duplicate=True),
          Output(CONFIRM, "disabled", allow_duplicate=True),
          Output(POLL, "disabled", allow_duplicate=True),
          Output(HISTORY, "children"),
          Input(POLL, "n_intervals"), State(PENDING, "data"), prevent_initial_call=True)
def poll_job(_n, token):
    """The running job's progress, then its result (once: the poll stops there)."""
    if not _is_admin():
        return admins_only(), True, True, no_update
    database = current_database().path
    pending = uploads.find(database, token, uploads.current_owner())
    status = pending.status() if pending else None
    if status is None:
        return _upload_again(), True, True, no_update
    job, state = status["job"], status["state"]
    if state == "running":
        return _progress(job, status.get("phase", "starting")), True, False, no_update
    if state == "busy":
        if job == "check":
            pending.file.unlink(missing_ok=True)   # to be uploaded again
        return _busy(), job == "check", True, no_update
    if state in ("stopped", "failed"):
        pending.file.unlink(missing_ok=True)   # to be uploaded again
        # A stopped import may have been swapped in just before: the history tells.
        return (_alert(t(f"data.{state}.{job}"), "danger", "data-stopped"), True, True,
                _history() if job == "import" else no_update)
    if job == "check":
        return (*_check_result(pending.filename, status["result"]), True, no_update)
    return (*_import_result(pending.filename, status["result"]), True, _history())


def _check_result(filename: str, result: dict) -> tuple:
    if result.get("refused"):
        return [_alert(t("data.cannot_import", file=filename), "danger", "data-error"),
                _problems_table(result)], True
    if result["problems"]:
        return [_alert(t("data.rejected", file=filename, n=formatting.number(result["rejected"]),
                         rows=formatting.number(result["rows"])), "danger", "data-error"),
                _problems_table(result)], True
    summary = t("data.valid", file=filename, rows=formatting.number(result["rows"]),
                kind=t(f"data.kind.{result['kind']}"))
    return _alert(summary, "success", "data-ok"), False


def _import_result(filename: str, result: dict) -> tuple:
    if result.get("refused") or result["problems"]:
        return [_alert(t("data.cannot_import", file=filename), "danger", "data-error"),
                _problems_table(result)], True
    message = (t("data.loaded", new=result["new"], updated=result["updated"],
                 unchanged=result["unchanged"])
               + (t("data.people_added", n=result["people_added"])
                  if result["people_added"] else "")
               + (t("data.repeats", n=result["repeats"]) if result.get("repeats") else "")
               + (t("data.demo_removed") if result["demo_removed"] else "."))
    return _alert(message, "success", "data-imported"), True


# --- Versions and undo (etl.versions: the same data as `python -m etl history`) -------------

def _versions():
    """The kept versions and the file in use, newest first, with the undo button when there
    is a version to go back to."""
    found = versions.history(current_database().path)
    counted = versions.COUNTED
    frame = pd.DataFrame([{
        "id": (f"{v.id} ({t('data.current')})" if v.current else str(v.id)) if v.id
        else t("data.current"),
        "when": v.when, "command": v.command,
        "sources": ", ".join(Path(source).name for source in v.sources),
        **{table: v.counts.get(table) for table in counted}} for v in found],
        columns=["id", "when", "command", "sources", *counted])
    table = data_table(frame, {
        "id": (t("data.col.version"), None),
        "when": (t("data.col.time"), lambda v: formatting.short_date(v) + v.strftime(" %H:%M")),
        "command": (t("data.col.run"),
                    lambda v: " + ".join(run_log.code_text("command", part)
                                         for part in v.split("+"))),
        "sources": (t("data.col.file"), None),
        **{table: (t(f"data.count.{table}"), _count_cell) for table in counted},
    }, table_id="data-versions-table", empty=t("data.no_versions"))
    kept = [v for v in found if not v.current]
    if not kept:
        # Only the file in use (a first build): nothing to undo, so no undo is offered. The
        # button stays in the layout, hidden, for its callback.
        return html.Div([dbc.Button(t("data.undo"), id=UNDO, className="d-none", disabled=True),
                         html.P(t("data.nothing_to_undo"), id=UNDO_NOTHING,
                                className="text-body-secondary"), table])
    button = dbc.Button(t("data.undo"), id=UNDO, color="warning", className="mb-2")
    return html.Div([button, table])


def _count_cell(value) -> str:
    """A version's count; empty where its data model had no such table."""
    return "" if value is None or value != value else formatting.number(int(value))


@callback(Output(UNDO_CONFIRM, "displayed"), Output(UNDO_CONFIRM, "message"),
          Input(UNDO, "n_clicks"), prevent_initial_call=True)
def ask_undo(_clicks):
    """Say what undo will bring back, and ask."""
    if not _is_admin():
        return False, ""
    kept = versions.kept(current_database().path)
    if not kept:
        return False, ""
    back = kept[0]
    when = formatting.short_date(back.when) + back.when.strftime(" %H:%M")
    return True, t("data.undo_ask", id=back.id, when=when,
                   command=run_log.code_text("command", back.command))


@callback(Output(UNDO_RESULT, "children"), Output(VERSIONS, "children"),
          Output(HISTORY, "children", allow_duplicate=True),
          Input(UNDO_CONFIRM, "submit_n_clicks"), prevent_initial_call=True)
def undo_last(_submitted):
    """Undo the last change, under the writer lock (refused at once when another writer
    holds it); the page's versions and history then show the file swapped in."""
    if not _is_admin():
        return admins_only(), no_update, no_update
    database = current_database().path
    try:
        with exclusive(database, wait=False):
            back = versions.undo(database)
    except WriterBusy:
        return _busy(), no_update, no_update
    except SourceError:
        return _alert(t("data.no_versions"), "warning", "data-undo-none"), _versions(), no_update
    return (_alert(t("data.undone", id=back.id), "success", "data-undone"), _versions(),
            _history())
