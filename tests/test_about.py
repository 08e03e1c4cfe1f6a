"""The Om data page and the glossary it shows: declared once (dashboard/glossary.py), every
rule it names real, the README's table printed from it."""

from __future__ import annotations

import json

import plotly.utils
import pytest

from dashboard import glossary
from dashboard.i18n import CATALOGUE, using
from etl.paths import PROJECT_ROOT, SCHEMA_FILE
from tests.conftest import VIEWER, log_in

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def rendered(app, lang: str = "da") -> str:
    """The Om data page as the browser receives it, as JSON text."""
    from dashboard.pages import about

    with app.server.test_request_context("/om-data"), using(lang):
        return json.dumps(about.layout(), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_every_rule_the_glossary_names_exists_in_the_schema(tiny_con):
    macros = {name for (name,) in tiny_con.execute(
        "SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro'").fetchall()}
    schema_glossary = SCHEMA_FILE.read_text(encoding="utf-8").split("-- 1. Tables")[0]
    for term in glossary.TERMS:
        for name in glossary.rule_names(term):
            if "." in name:
                view, column = name.split(".")
                columns = [c for (c,) in tiny_con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ?",
                    [view]).fetchall()]
                assert column in columns, name
            else:
                assert name in macros, name
            # The schema's own glossary (its header comment) names the same rules.
            assert name.split(".")[-1] in schema_glossary, name


def test_every_term_has_its_words_in_both_languages():
    for term in glossary.TERMS:
        for part in ("word", "counts"):
            text = CATALOGUE[f"glossary.{term.key}.{part}"]
            assert text["da"] and text["en"] and text["da"] != text["en"], (term.key, part)


def test_the_readme_glossary_is_the_declared_one():
    """Regenerate with `.venv/bin/python -m dashboard.glossary` and paste over the README's."""
    assert glossary.markdown_table() in README


def test_a_term_added_to_the_glossary_shows_on_the_page_and_in_the_readme_table(app,
                                                                               monkeypatch):
    """One declaration plus its texts: a new term reaches the page and the README table."""
    monkeypatch.setattr(glossary, "TERMS", (*glossary.TERMS, glossary.Term("probe", ("is_held",))))
    monkeypatch.setitem(CATALOGUE, "glossary.probe.word", {"da": "prøveord", "en": "probe word"})
    monkeypatch.setitem(CATALOGUE, "glossary.probe.counts", {"da": "tæller x", "en": "counts x"})
    assert "prøveord" in rendered(app)
    assert "| prøveord | probe word | counts x | `is_held` |" in glossary.markdown_table()
    assert glossary.markdown_table() not in README


def test_om_data_shows_the_glossary_sources_data_date_and_latest_imports(app):
    page = rendered(app)
    for term in glossary.TERMS:
        assert CATALOGUE[f"glossary.{term.key}.word"]["da"] in page
    assert "Demodata: borgmestre og tilmeldinger er fiktive" in page
    assert "Data pr. 30. nov. 2026" in page           # the demo's today (conftest.py)
    assert "Danmarks Statistik" in page
    assert '"id": "about-imports"' in page
    assert "opbygning" in page                         # the demo's build run, in Danish
    assert "Bruger" not in page                         # who ran an import: the Data page's


def test_om_data_speaks_english(app):
    page = rendered(app, "en")
    assert "What it counts" in page and "registration, registered" in page
    assert "Hvad det tæller" not in page


@pytest.fixture(scope="module")
def viewer(app):
    client = app.server.test_client()
    assert log_in(client, *VIEWER).status_code == 302
    return client


def nav_links(node) -> list[dict]:
    """Every NavLink in a layout as Dash sends it."""
    if isinstance(node, list):
        return [link for child in node for link in nav_links(child)]
    if not isinstance(node, dict):
        return []
    here = [node] if node.get("type") == "NavLink" else []
    return here + nav_links(node.get("props", {}).get("children"))


def test_every_login_finds_om_data_in_the_navigation(viewer):
    layout = viewer.get("/_dash-layout").get_json()
    links = {link["props"]["href"]: link["props"]["children"] for link in nav_links(layout)}
    assert links["/om-data"] == "Om data"
    assert viewer.get("/om-data").status_code == 200
