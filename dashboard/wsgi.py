"""The production entry point: `gunicorn dashboard.wsgi:server` (see README, Production).

Under gunicorn the app refuses to start without BORGMESTER_USERS_FILE and
BORGMESTER_SECRET_KEY. Each worker opens its own read-only DuckDB connection.
"""

from __future__ import annotations

import sys

from dashboard.access import AccessError, access_for
from dashboard.app import create_app
from etl.paths import default_database_path
from etl.schema_check import missing_from_model, outdated_message

try:
    _access = access_for(host=None, production=True)
except AccessError as error:
    sys.exit(f"borgmester-dashboard: {error}")
if not default_database_path().exists():
    sys.exit(f"borgmester-dashboard: {default_database_path()} findes ikke; byg den med "
             "`python -m etl build` (eller importér data) før start")

_missing = missing_from_model(default_database_path())
if _missing:
    sys.exit(f"borgmester-dashboard: {outdated_message(default_database_path(), _missing)}")

server = create_app(default_database_path(), _access).server
