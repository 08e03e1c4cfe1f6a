"""The ETL's run log (the import_runs table) in the reader's words: the Data page's import
history and the Om data page's latest imports show it the same way."""

from __future__ import annotations

from pathlib import Path

from dashboard import formatting, queries
from dashboard.components import data_table
from dashboard.i18n import t

# The coded values of import_runs.command and .outcome that have a text (data.command.<code>,
# data.outcome.<code>); another value is shown as it is.
COMMANDS = ("build", "import", "boundaries", "upgrade", "undo", "restore")
OUTCOMES = ("loaded", "partial", "rejected", "validated")


def code_text(kind: str, value: str) -> str:
    """A run's command or outcome code in the reader's language ("import" -> "import")."""
    known = COMMANDS if kind == "command" else OUTCOMES
    return t(f"data.{kind}.{value}") if value in known else value


def history_table(
    con, limit: int = 20, with_user: bool = True, table_id: str = "data-history-table"
):
    """The latest runs, newest first, as an accessible table; `with_user` adds who ran each
    (the operating system's user name: on the admins' Data page only)."""
    history = queries.import_history(con, limit)
    columns = {
        "started_at": (
            t("data.col.time"),
            lambda v: formatting.short_date(v) + v.strftime(" %H:%M"),
        ),
        "command": (t("data.col.run"), lambda v: code_text("command", v)),
        "source": (t("data.col.file"), lambda v: Path(v).name),
        "rows_read": (t("data.col.read"), formatting.number),
        "rows_loaded": (t("data.col.loaded"), formatting.number),
        "rows_rejected": (t("data.col.rejected"), formatting.number),
        "outcome": (t("data.col.outcome"), lambda v: code_text("outcome", v)),
    }
    if with_user:
        columns["os_user"] = (t("data.col.user"), None)
    return data_table(history, columns, table_id=table_id)
