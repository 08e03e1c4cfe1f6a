"""Small file-system helpers shared by the build and the importer."""

from __future__ import annotations

import getpass
import os
from pathlib import Path


def remove_database_files(path: Path) -> None:
    """Remove a (temporary) DuckDB file and its write-ahead log, if present."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def os_user() -> str:
    """Who ran the command, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        return str(os.getuid())
