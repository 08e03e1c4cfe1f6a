"""A throwaway chart added by the README's recipe alone ("Adding a chart"), for
tests/test_chart_recipe.py: a query with its `Columns:`, a figure with its `Needs df:`, one
registry entry, and its texts. Nothing else in the project is edited: if the pages, the
exports, "Vis som tabel" or the report needed a further edit, the chart would miss there and
the test fails.

`add(set_attribute, set_text)` makes the four steps through the given setters (monkeypatch's
in a test, plain setattr and dict assignment in a fresh process).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, figures, queries
from dashboard.i18n import CATALOGUE, t

KEY = "revenue-sessions-per-format"
SLUG = "sessioner-pr-sessionstype"
PAGE = "Økonomi"
TEXTS = {
    # Danish and English, the same {fields} in both (tests/test_i18n.py's rule).
    "fig.recipe_sessions": {"da": "Sessioner pr. sessionstype (opskrift)",
                            "en": "Sessions per session type (recipe)"},
    "finding.recipe_sessions": {"da": "{n} sessioner i alt.", "en": "{n} sessions in all."},
    f"describe.{KEY}": {"da": "Søjler: sessioner for hver af {n} sessionstyper.",
                        "en": "Bars: sessions for each of {n} session types."},
}


# Step 1: the query, in dashboard/queries.py.
def sessions_per_format(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """The programme's sessions per format (a throwaway chart's query).

    Columns:
        format (code) — day, overnight or online
        sessions (count) — the programme's sessions of that format
    """
    return con.execute(
        """
        SELECT format, count(*) AS sessions FROM sessions
        WHERE programme_id = ? GROUP BY format ORDER BY format
        """,
        [programme_id],
    ).df()


# Step 2: the figure, in dashboard/figures.py. It takes the VAT switch too, as the page's
# other figures do, to show a view parameter arriving by its name.
def sessions_per_format_bars(df: pd.DataFrame, incl_vat: bool = False) -> go.Figure:
    """Sessions per format as bars (a throwaway chart's figure).

    Needs df:
        format (code) — the bar
        sessions (count) — its height
    """
    fig = figures._figure(go.Bar(x=[figures.FORMAT_LABELS[f] for f in df["format"]],
                                 y=df["sessions"]))
    return figures._finish(fig, t("fig.recipe_sessions"))


def finding(df: pd.DataFrame) -> str:
    return t("finding.recipe_sessions", n=int(df["sessions"].sum()))


def add(set_attribute: Callable[[object, str, object], None],
        set_text: Callable[[dict, str, object], None]) -> None:
    """The recipe: the query and the figure where they live, the texts in the catalogue,
    one registry entry."""
    set_attribute(queries, "sessions_per_format", sessions_per_format)
    set_attribute(figures, "sessions_per_format_bars", sessions_per_format_bars)
    for key, text in TEXTS.items():
        set_text(CATALOGUE, key, text)
    # Step 3: one entry in dashboard/charts.py.
    charts.register(charts.Chart(KEY, SLUG, PAGE, queries.sessions_per_format,
                                 figures.sessions_per_format_bars, finding))


# What tests/test_chart_recipe.py runs in a fresh process, where the recipe's chart is
# registered before the pages are imported (as a chart written into dashboard/charts.py is):
# the page's callback as a browser posts it, with the outputs the registry gives.
IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path

from tests import recipe_chart

recipe_chart.add(setattr, dict.__setitem__)
from benchmarks.callbacks import CALLS, log_in, outputs_of, payload

client, headers = log_in(Path(sys.argv[1]))
(inputs,) = [inputs for name, _outputs, inputs in CALLS if name == "Økonomi"]
outputs = outputs_of("Økonomi")
response = client.post("/_dash-update-component", headers=headers,
                       json=payload(outputs, inputs))
got = response.get_json()["response"]
key = recipe_chart.KEY
print(json.dumps({"status": response.status_code,
                  "outputs": [o for o, _prop in outputs if isinstance(o, str)],
                  "finding": got[key + "-finding"]["children"],
                  "title": got[key + "-title"]["children"],
                  "bars": len(got[key]["figure"]["data"])}))
"""
