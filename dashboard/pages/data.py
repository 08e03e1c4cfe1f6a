"""Data (admins only): upload a registration export, see what would be rejected, import it."""

from __future__ import annotations

import base64
import binascii
import shutil
import tempfile
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from flask_login import current_user

from dashboard import formatting, queries
from dashboard.auth import MAX_UPLOAD_BYTES
from dashboard.components import data_table, section
from dashboard.db import current_database
from dashboard.i18n import page_title, t
from etl.errors import SourceError

dash.register_page(__name__, path="/data", name="Data", name_key="page.data",
                   title=page_title("page.data"), order=9, admin_only=True)

UPLOAD = "data-upload"
RESULT = "data-result"
CONFIRM = "data-confirm"
PENDING = "data-pending"
HISTORY = "data-history"
ALLOWED = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
UPLOAD_DIR = Path(tempfile.gettempdir()) / "borgmester-uploads"



def admins_only() -> dbc.Alert:
    return dbc.Alert(t("data.admins_only"), color="warning")


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_admin", False))


def layout(**_query):
    if not _is_admin():
        return admins_only()
    return html.Div([
        html.H1(t("data.heading"), className="h3"),
        html.P(t("data.intro", mb=MAX_UPLOAD_BYTES // 2**20), className="text-body-secondary"),
        # The upload's file input sits inside a label, which names it for screen readers;
        # the label opens the file dialog (so the drop zone's own click is off: one dialog).
        html.Label(dcc.Upload(id=UPLOAD, max_size=MAX_UPLOAD_BYTES, multiple=False,
                              accept=",".join(sorted(ALLOWED)), disable_click=True,
                              children=html.Div([t("data.drop"), html.U(t("data.choose"))]),
                              className="border border-2 rounded p-4 text-center",
                              style={"borderStyle": "dashed", "cursor": "pointer"}),
                   className="d-block mb-3"),
        dcc.Store(id=PENDING),
        html.Div(id=RESULT),
        dbc.Button(t("data.confirm"), id=CONFIRM, color="danger", disabled=True,
                   className="mb-3"),
        section(t("data.history"), html.Div(id=HISTORY, children=_history())),
    ])


_COMMANDS = ("build", "import", "boundaries")
_OUTCOMES = ("loaded", "partial", "rejected", "validated")


def _code(kind: str, value: str, known: tuple[str, ...]) -> str:
    return t(f"data.{kind}.{value}") if value in known else value


def _history():
    with current_database().cursor() as con:
        history = queries.import_history(con)
    return data_table(history, {
        "started_at": (t("data.col.time"),
                       lambda v: formatting.short_date(v) + v.strftime(" %H:%M")),
        "command": (t("data.col.run"), lambda v: _code("command", v, _COMMANDS)),
        "source": (t("data.col.file"), lambda v: Path(v).name),
        "rows_read": (t("data.col.read"), formatting.number),
        "rows_loaded": (t("data.col.loaded"), formatting.number),
        "rows_rejected": (t("data.col.rejected"), formatting.number),
        "outcome": (t("data.col.outcome"), lambda v: _code("outcome", v, _OUTCOMES)),
        "os_user": (t("data.col.user"), None),
    }, table_id="data-history-table")


def _problems_table(problems):
    rows = [{"file": Path(p.file).name, "line": p.line, "column": p.column, "value": p.value,
             "reason": p.reason} for p in problems]
    import pandas as pd

    return data_table(pd.DataFrame(rows), {
        "line": (t("data.col.line"), lambda v: "" if v is None or v != v else str(int(v))),
        "column": (t("data.col.column"), lambda v: v or ""),
        "value": (t("data.col.value"), lambda v: v or ""),
        "reason": (t("data.col.reason"), None),
    }, table_id="data-problems", max_height="24rem")


def stage_upload(contents: str, filename: str) -> Path:
    """Decode an upload into a private folder; raises ValueError with the reason in the
    reader's language."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ALLOWED:
        raise ValueError(t("data.bad_type", suffix=suffix or t("data.no_suffix")))
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        raise ValueError(t("data.incomplete")) from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(t("data.too_large", mb=MAX_UPLOAD_BYTES // 2**20))
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=_upload_dir()))
    path = folder / ("upload" + suffix)  # the user's file name is never used as a path
    path.write_bytes(data)
    return path


def _upload_dir() -> Path:
    UPLOAD_DIR.mkdir(mode=0o700, exist_ok=True)
    return UPLOAD_DIR


@callback(Output(RESULT, "children"), Output(CONFIRM, "disabled"), Output(PENDING, "data"),
          Input(UPLOAD, "contents"), State(UPLOAD, "filename"), prevent_initial_call=True)
def check_upload(contents, filename):
    from etl.importer import import_files

    if not _is_admin():
        return admins_only(), True, None
    if not contents:
        return no_update, True, None
    try:
        path = stage_upload(contents, filename)
    except ValueError as error:
        return dbc.Alert(f"{filename}: {error}.", color="danger", id="data-error"), True, None
    try:
        result = import_files(current_database().path, [path], dry_run=True)
    except SourceError as error:
        shutil.rmtree(path.parent, ignore_errors=True)
        return [dbc.Alert(t("data.cannot_import", file=filename), color="danger",
                          id="data-error"),
                _problems_table(error.problems)], True, None
    (file,) = result.files
    if result.problems:
        shutil.rmtree(path.parent, ignore_errors=True)
        return [dbc.Alert(t("data.rejected", file=filename, n=file.rejected_lines,
                            rows=file.staged.rows), color="danger", id="data-error"),
                _problems_table(result.problems)], True, None
    summary = t("data.valid", file=filename, rows=file.staged.rows,
                kind=t(f"data.kind.{file.kind}"))
    return dbc.Alert(summary, color="success", id="data-ok"), False, str(path)



@callback(Output(RESULT, "children", allow_duplicate=True),
          Output(CONFIRM, "disabled", allow_duplicate=True),
          Output(HISTORY, "children"), Input(CONFIRM, "n_clicks"), State(PENDING, "data"),
          prevent_initial_call=True)
def confirm_import(_clicks, pending):
    from etl.importer import import_files

    if not _is_admin():
        return admins_only(), True, no_update
    path = Path(pending or "")
    if not pending or _upload_dir() not in path.parents or not path.is_file():
        return dbc.Alert(t("data.upload_again"), color="warning"), True, no_update
    try:
        result = import_files(current_database().path, [path])
    except SourceError as error:
        return _problems_table(error.problems), True, _history()
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    (file,) = result.files
    message = (t("data.loaded", new=file.new, updated=file.updated, unchanged=file.unchanged)
               + (t("data.people_added", n=file.people_added) if file.people_added else "")
               + (t("data.demo_removed") if result.demo_removed else "."))
    return (dbc.Alert(message, color="success", id="data-imported"), True, _history())
