"""What day it is, declared once for the pages and the demo generator.

The machine's date, unless the BORGMESTER_TODAY setting freezes it (YYYY-MM-DD): tests freeze
a day inside a programme, after it, or with stale data; a demonstration can show a given day.
"""

from __future__ import annotations

import datetime as dt

from dashboard.settings import setting

TODAY_SETTING = "BORGMESTER_TODAY"


def today() -> dt.date:
    """Today's date (Europe/Copenhagen is the machine's zone in production), or the frozen day.

    Raises ValueError naming the setting when BORGMESTER_TODAY is not a YYYY-MM-DD date.
    """
    frozen = setting(TODAY_SETTING)
    if not frozen:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(frozen.strip())
    except ValueError:
        raise ValueError(f"{TODAY_SETTING}={frozen!r} er ikke en dato som 2026-11-30") from None
