"""Every setting the dashboard reads from the environment, declared once: name, default, help."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name) or self.default


SETTINGS = (
    Setting("BORGMESTER_DB", "data/borgmester.duckdb",
            "The DuckDB file the app reads and `python -m etl build` writes."),
    Setting("HOST", "127.0.0.1", "Address the dashboard listens on."),
    Setting("PORT", "8050", "Port the dashboard listens on."),
    Setting("BORGMESTER_USERS_FILE", "",
            "JSON file of users and password hashes, outside the repository "
            "(`python -m dashboard users add`). Without it the app starts only on 127.0.0.1, "
            "with a demo login printed at start."),
    Setting("BORGMESTER_SECRET_KEY", "",
            "Signs the session cookies; required with a users file unless bound to 127.0.0.1."),
    Setting("BORGMESTER_IDLE_MINUTES", "60",
            "Minutes without a request after which a login ends on the server (to within a "
            "minute); the next request goes to the login page."),
    Setting("BORGMESTER_WARM_CACHE", "1",
            "1: each worker computes the newest programme's default views (and every "
            "Planlægning session's) in the background at start, whenever a new database is "
            "swapped in and at midnight; 0: only when asked."),
    Setting("BORGMESTER_WARM_BROWSER", "1",
            "1: each worker starts its browsers for chart images and the PDF report at start, "
            "so the first export is as quick as the next; 0: at the first export."),
    Setting("BORGMESTER_TODAY", "",
            "Freeze what day it is (YYYY-MM-DD) for the pages and the demo generator; empty: "
            "the machine's date. For tests, demonstrations and looking back."),
    Setting("BORGMESTER_STALE_DAYS", "14",
            "With real data, every page says the data may be out of date when the last import "
            "is older than this many days."),
    Setting("BORGMESTER_PPTX_TEMPLATE", "",
            "A PowerPoint template (.potx or .pptx, e.g. KL's) the PowerPoint report is built "
            "on: its layouts named \"Title Slide\" and \"Title Only\" (or Danish \"Titeldias\", "
            "\"Kun titel\") are used, else its first and sixth. Empty: a plain 16:9 deck."),
    Setting("BORGMESTER_KEEP_VERSIONS", "20",
            "How many earlier versions of the database file every change keeps "
            "(`python -m etl history`, `undo`, `restore`)."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    return _BY_NAME[name].value()
