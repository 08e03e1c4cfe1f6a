"""Om data: what the pages' words count (the glossary), where the data comes from, how old it
is, and the latest imports. Built when the page is opened, from the database in use: no
callbacks."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import formatting, glossary, queries, run_log
from dashboard.components import data_table, section
from dashboard.db import current_database
from dashboard.i18n import page_title, t

dash.register_page(__name__, path="/om-data", name="Om data", name_key="page.about",
                   title=page_title("page.about"), order=8)

RECENT_RUNS = 10


def glossary_table() -> html.Div:
    """The glossary in the reader's language: word, what it counts, the rule deciding it."""
    frame = pd.DataFrame([{"word": t(f"glossary.{term.key}.word"),
                           "counts": t(f"glossary.{term.key}.counts"),
                           "rule": ", ".join(term.rules)} for term in glossary.TERMS])
    return data_table(frame, {"word": (t("about.col.word"), None),
                              "counts": (t("about.col.counts"), None),
                              "rule": (t("about.col.rule"), None)},
                      table_id="about-glossary")


def status_lines(info: queries.DatasetInfo, programmes: pd.DataFrame) -> list[html.P]:
    """Demo or real, the data date, and the programmes held in the database."""
    periods = ", ".join(f"{row.title} ({row.period_start.year}–{row.period_end.year})"
                        for row in programmes.itertuples())
    return [html.P(t("about.demo" if info.is_demo else "about.real"), id="about-kind"),
            html.P(t("about.data_as_of", date=formatting.short_date(info.data_as_of)),
                   id="about-data-as-of"),
            html.P(t("about.programmes", programmes=periods or "–"), id="about-programmes")]


def sources(info: queries.DatasetInfo, boundaries: int) -> html.Ul:
    """Where each part of the data comes from."""
    items = ["about.source.programme", "about.source.municipalities",
             "about.source.venues",
             "about.source.registrations_demo" if info.is_demo
             else "about.source.registrations_real"]
    texts = [t(key) for key in items]
    texts.insert(2, t("about.source.boundaries", n=formatting.number(boundaries))
                 if boundaries else t("about.source.no_boundaries"))
    return html.Ul([html.Li(text) for text in texts], id="about-sources")


def layout(**_query):
    with current_database().cursor() as con:
        info = queries.dataset_info(con)
        programmes = queries.programmes(con)
        boundaries = queries.boundary_count(con)
        runs = run_log.history_table(con, RECENT_RUNS, with_user=False,
                                     table_id="about-imports")
    return html.Div([
        html.H1(t("page.about"), className="h3"),
        html.P(t("about.intro"), className="lead"),
        section(t("about.status"), *status_lines(info, programmes)),
        section(t("about.glossary"),
                html.P(t("about.glossary_note"), className="text-body-secondary"),
                glossary_table()),
        section(t("about.sources"), sources(info, boundaries)),
        section(t("about.imports"),
                html.P(t("about.imports_note", n=RECENT_RUNS), className="text-body-secondary"),
                runs),
    ])
