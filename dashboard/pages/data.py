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
from etl.errors import SourceError

dash.register_page(__name__, path="/data", name="Data", title="Data – Borgmesterforløb",
                   order=9, admin_only=True)

UPLOAD = "data-upload"
RESULT = "data-result"
CONFIRM = "data-confirm"
PENDING = "data-pending"
HISTORY = "data-history"
ALLOWED = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
UPLOAD_DIR = Path(tempfile.gettempdir()) / "borgmester-uploads"

ADMINS_ONLY = dbc.Alert("Siden er kun for administratorer.", color="warning")


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_admin", False))


def layout(**_query):
    if not _is_admin():
        return ADMINS_ONLY
    return html.Div([
        html.H1("Data: importér KL's eksport", className="h3"),
        html.P("Upload en tilmeldingseksport eller en borgmesterliste (CSV eller XLSX, højst "
               f"{MAX_UPLOAD_BYTES // 2**20} MB). Filen kontrolleres først; intet ændres, før "
               "du bekræfter, og én afvist række betyder, at intet indlæses.",
               className="text-body-secondary"),
        dcc.Upload(id=UPLOAD, max_size=MAX_UPLOAD_BYTES, multiple=False,
                   accept=",".join(sorted(ALLOWED)),
                   children=html.Div(["Træk en fil hertil, eller ", html.U("vælg en fil")]),
                   className="border border-2 rounded p-4 text-center mb-3",
                   style={"borderStyle": "dashed"}),
        dcc.Store(id=PENDING),
        html.Div(id=RESULT),
        dbc.Button("Importér filen", id=CONFIRM, color="danger", disabled=True,
                   className="mb-3"),
        section("Importhistorik", html.Div(id=HISTORY, children=_history())),
    ])


_COMMANDS = {"build": "opbygning", "import": "import", "boundaries": "kommunegrænser"}
_OUTCOMES = {"loaded": "indlæst", "partial": "delvist indlæst", "rejected": "afvist",
             "validated": "kontrolleret"}


def _history():
    with current_database().cursor() as con:
        history = queries.import_history(con)
    return data_table(history, {
        "started_at": ("Tidspunkt", lambda v: formatting.short_date(v) + v.strftime(" %H:%M")),
        "command": ("Kørsel", lambda v: _COMMANDS.get(v, v)),
        "source": ("Fil", lambda v: Path(v).name),
        "rows_read": ("Læst", formatting.number), "rows_loaded": ("Indlæst", formatting.number),
        "rows_rejected": ("Afvist", formatting.number),
        "outcome": ("Udfald", lambda v: _OUTCOMES.get(v, v)),
        "os_user": ("Bruger", None),
    }, table_id="data-history-table")


def _problems_table(problems):
    rows = [{"file": Path(p.file).name, "line": p.line, "column": p.column, "value": p.value,
             "reason": p.reason} for p in problems]
    import pandas as pd

    return data_table(pd.DataFrame(rows), {
        "line": ("Linje", lambda v: "" if v is None or v != v else str(int(v))),
        "column": ("Kolonne", lambda v: v or ""), "value": ("Værdi", lambda v: v or ""),
        "reason": ("Årsag", None),
    }, table_id="data-problems", max_height="24rem")


def stage_upload(contents: str, filename: str) -> Path:
    """Decode an upload into a private folder; raises ValueError with a Danish reason."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ALLOWED:
        raise ValueError(f"filtypen {suffix or '(ingen)'} kan ikke importeres; brug CSV eller "
                         "XLSX")
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        raise ValueError("filen kom ikke helt igennem; prøv igen") from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"filen er for stor; grænsen er {MAX_UPLOAD_BYTES // 2**20} MB")
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
        return ADMINS_ONLY, True, None
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
        return [dbc.Alert(f"{filename} kan ikke importeres.", color="danger", id="data-error"),
                _problems_table(error.problems)], True, None
    (file,) = result.files
    if result.problems:
        shutil.rmtree(path.parent, ignore_errors=True)
        return [dbc.Alert(f"{filename}: {file.rejected_lines} af {file.staged.rows} rækker "
                          "afvises; ret filen og upload den igen. Intet er ændret.",
                          color="danger", id="data-error"),
                _problems_table(result.problems)], True, None
    summary = (f"{filename}: {file.staged.rows} rækker ({_KINDS[file.kind]}) er gyldige. "
               "Tryk Importér for at indlæse dem.")
    return dbc.Alert(summary, color="success", id="data-ok"), False, str(path)


_KINDS = {"registrations": "tilmeldinger", "mayors": "borgmestre"}


@callback(Output(RESULT, "children", allow_duplicate=True),
          Output(CONFIRM, "disabled", allow_duplicate=True),
          Output(HISTORY, "children"), Input(CONFIRM, "n_clicks"), State(PENDING, "data"),
          prevent_initial_call=True)
def confirm_import(_clicks, pending):
    from etl.importer import import_files

    if not _is_admin():
        return ADMINS_ONLY, True, no_update
    path = Path(pending or "")
    if not pending or _upload_dir() not in path.parents or not path.is_file():
        return dbc.Alert("Upload filen igen.", color="warning"), True, no_update
    try:
        result = import_files(current_database().path, [path])
    except SourceError as error:
        return _problems_table(error.problems), True, _history()
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    (file,) = result.files
    message = (f"Indlæst: {file.new} nye, {file.updated} ændrede, {file.unchanged} uændrede"
               + (f"; {file.people_added} personer tilføjet" if file.people_added else "")
               + (". Demodata er fjernet." if result.demo_removed else "."))
    return (dbc.Alert(message, color="success", id="data-imported"), True, _history())
