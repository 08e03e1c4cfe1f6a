"""A session's own page (/sessioner/LKS2026-DEMO-01): what and where it is, held or
upcoming, its counts and every registration. Reached from a session anywhere in the
dashboard; not in the menu."""

from __future__ import annotations

import dash
from dash import html

from dashboard import drill, queries
from dashboard.db import current_database
from dashboard.i18n import page_title
from dashboard.today import pages_today


def exists(session_id: str | None = None) -> bool:
    """Whether the address names a session (a login may lead back to it)."""
    with current_database().cursor() as con:
        return not queries.session_detail(con, session_id or "").empty


dash.register_page(__name__, path_template="/sessioner/<session_id>", name="Session",
                   name_key="page.session", title=page_title("page.session"), order=91,
                   in_menu=False, path_exists=exists)


def layout(session_id: str | None = None, **_query):
    """The session named in the address, or a "not found" page with a way back. The page
    does not follow the programme selector: a session belongs to one programme."""
    if not session_id:
        return drill.session_missing(session_id or "")
    with current_database().cursor() as con:
        detail = queries.session_detail(con, session_id)
        if detail.empty:
            return drill.session_missing(session_id)
        participants = queries.session_participants(con, session_id)
        outcome = queries.session_outcome(con, session_id)
        today = pages_today(con)
    return html.Div(drill.session_page(detail, participants, outcome, today))
