"""Where things live by default. The database path can be moved with BORGMESTER_DB."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEMO_DIR = DATA_DIR / "demo"  # generated, not committed
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"


def default_database_path() -> Path:
    """data/borgmester.duckdb, unless BORGMESTER_DB says otherwise."""
    return Path(os.environ.get("BORGMESTER_DB") or DATA_DIR / "borgmester.duckdb")
