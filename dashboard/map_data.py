"""The municipality polygons, served to the browser as a file of their own.

Sent inside the map figure, the polygons (about 300 kB) were copied, checked and serialised
by plotly on every call of the Municipalities page: 160 ms of an uncached call at p50,
against 35 ms without them, and 300 kB more on the wire for every filter change. The figure
now names this URL instead; plotly.js fetches it once, and the browser keeps it until the
ETL swaps in a newer database (the URL carries the database's version). Exports still put
the polygons inside the figure: their renderer has no login to fetch them with.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from dashboard import queries
from dashboard.cache import cached_on_database
from dashboard.db import current_database

PATH = "/kort/kommunegraenser.geojson"
YEAR_SECONDS = 365 * 24 * 3600


@cached_on_database
def boundaries_document() -> bytes | None:
    """The boundaries as GeoJSON bytes, or None when none are loaded; read once per
    database version."""
    with current_database().cursor() as con:
        text = queries.boundaries_geojson(con)
    return text.encode("utf-8") if text is not None else None


def database_tag() -> str:
    ino, mtime = current_database().version
    return f"{ino}-{mtime}"


def boundaries_url() -> str | None:
    """Where the page's map finds the polygons (this database's version), or None when no
    boundaries are loaded and the map shows town halls instead."""
    if boundaries_document() is None:
        return None
    return f"{PATH}?v={database_tag()}"


def install(server: Flask) -> None:
    """Serve the polygons at PATH, behind the login like every other path."""

    @server.route(PATH)
    def municipality_boundaries():
        body = boundaries_document()
        if body is None:
            abort(404)
        response = Response(body, mimetype="application/json")
        if request.args.get("v") == database_tag():
            # A versioned URL never changes content: a new database gets a new URL.
            response.headers["Cache-Control"] = f"private, max-age={YEAR_SECONDS}, immutable"
        else:
            response.headers["Cache-Control"] = "private, no-cache"
        return response
