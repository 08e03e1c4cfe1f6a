"""Danish and English: every text in both languages, pages that follow the reader's choice,
and no Danish left in an English page."""

from __future__ import annotations

import re
import string

import pandas as pd
from flask_login import login_user

from dashboard import charts, formatting
from dashboard.auth import User
from dashboard.i18n import CATALOGUE, COOKIE, LANGUAGES, t, using
from etl.paths import PROJECT_ROOT
from tests.component_tree import iter_nodes

FIELDS = string.Formatter()


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in FIELDS.parse(text) if name}


def untranslated(catalogue: dict[str, dict[str, str]]) -> list[str]:
    """Every text missing a language, empty in one, or with different {fields} in each."""
    problems = []
    for key, entry in catalogue.items():
        missing = set(LANGUAGES) - set(entry)
        if missing:
            problems.append(f"{key}: no {', '.join(sorted(missing))}")
            continue
        if entry["da"] and not all(str(entry[lang]).strip() for lang in LANGUAGES):
            problems.append(f"{key}: empty in one language")  # (the matrix's "" is in both)
        if fields(entry["da"]) != fields(entry["en"]):
            problems.append(f"{key}: fields differ")
    return problems


def test_every_text_has_both_languages_with_the_same_fields():
    assert untranslated(CATALOGUE) == []


def test_a_text_without_its_translation_fails():
    """The check above catches a text someone forgot to translate, or translated halfway."""
    assert untranslated({"chart.as_table": {"da": "Vis som tabel"},
                         "x": {"da": "{n} af {m}", "en": "{n} of"},
                         "y": {"da": "Ja", "en": " "}}) == [
        "chart.as_table: no en", "x: fields differ", "y: empty in one language"]


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    used = set()
    for path in (PROJECT_ROOT / "dashboard").rglob("*.py"):
        source = path.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.\- ]+)["']\s*[,)]""", source))
        # a plural text (tn) is asked for by its stem: its `.other` form must be there
        used |= {f"{key}.other" for key in
                 re.findall(r"""\btn\(\s*["']([a-z_.\- ]+)["']\s*,""", source)}
    assert used, "found no t(...) calls"
    assert sorted(used - set(CATALOGUE)) == []


def test_the_language_follows_the_cookie_and_exports_can_force_danish(app):
    with app.server.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        assert t("page.overview") == "Overview"
        with using("da"):
            assert t("page.overview") == "Overblik"
    with app.server.test_request_context("/", headers={"Cookie": f"{COOKIE}=xx"}):
        assert t("page.overview") == "Overblik"
    assert t("page.overview") == "Overblik"  # no request: the CLI speaks Danish


def test_numbers_and_dates_follow_the_language():
    import datetime as dt

    with using("en"):
        assert formatting.kroner(5300) == "DKK 5,300"
        assert formatting.percent(0.125) == "12.5%"
        assert formatting.number(1234.5, 1) == "1,234.5"
        assert formatting.short_date(dt.date(2022, 12, 5)) == "5 Dec 2022"
        assert formatting.separators() == ".,"
    assert formatting.kroner(5300) == "5.300 kr."
    assert formatting.separators() == ",."


def test_the_html_lang_follows_the_reader(app):
    from tests.conftest import VIEWER, log_in

    client = app.server.test_client()
    log_in(client, *VIEWER)
    assert '<html lang="da">' in client.get("/").get_data(as_text=True)
    switched = client.get("/sprog/en", headers={"Referer": "http://localhost/kommuner"})
    assert switched.status_code == 302 and switched.location.endswith("/kommuner")
    assert client.get_cookie(COOKIE).value == "en"
    page = client.get("/kommuner").get_data(as_text=True)
    assert '<html lang="en">' in page and "Loading" in page
    assert client.get("/sprog/da?next=https://evil.example/").location in ("/", "http://localhost/")
    assert '<html lang="da">' in client.get("/").get_data(as_text=True)


def test_the_login_page_speaks_the_chosen_language(app):
    client = app.server.test_client()
    assert "Brugernavn" in client.get("/login").get_data(as_text=True)
    client.get("/sprog/en?next=/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "User name" in page and "Brugernavn" not in page


# --- no Danish in an English page ---------------------------------------------------------

ALWAYS_ALLOWED = {"language.name"}  # the switch names the other language in its own tongue


def danish_only_fragments() -> set[str]:
    """Pieces of Danish catalogue text that no English text contains: seeing one in an
    English page means a text was not translated (or never went through the catalogue)."""
    english = " ".join(entry["en"] for entry in CATALOGUE.values()).lower()
    pieces = set()
    for key, entry in CATALOGUE.items():
        if key in ALWAYS_ALLOWED or entry["da"] == entry["en"]:
            continue
        for piece in re.split(r"\{[^}]*\}|<br>|%\{[^}]*\}|[():;,.]", entry["da"]):
            piece = piece.strip()
            if len(piece) >= 5 and piece.lower() not in english:
                pieces.add(piece)
    return pieces


# Danish the old pages said before the catalogue existed: they must never come back.
KNOWN_DANISH = ["Eksportér", "Vis som tabel", "Hent tabel", "Indlæser", "Tilmeldte og deltagere",
                "Deltagelse pr.", "Omsætning", "Kommuner uden", "sessioner", "Log ud",
                "Forløb", "Måltider", "Dage før", "afholdt", "Vælg"]


def strings_in(tree) -> list[str]:
    """Every string in a component tree or figure, as it would reach the browser."""
    from tests.html_tables import tables_in

    # A table's markup (dashboard.html_table) counts by the texts a reader sees in it.
    skip = ("id", "type", "namespace", "className", "href", "src", "html")
    return [*(node for node in iter_nodes(tree, skip) if isinstance(node, str)),
            *(cell.text for table in tables_in(tree)
              for row in [table.headers, *table.rows] for cell in row)]


def english_page_texts(app) -> dict[str, list[str]]:
    """Every page's layout and callback outputs, built as an English-speaking admin sees them."""
    import dash

    from dashboard.app import shell_layout
    from dashboard.pages import (
        geography,
        municipalities,
        municipality,
        overview,
        planning,
        retention,
        revenue,
        session,
    )

    texts = {}
    with app.server.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        login_user(User("anna", "admin"))
        texts["shell"] = strings_in(shell_layout())
        for page in dash.page_registry.values():
            layout = page["layout"]
            texts[page["path"]] = strings_in(layout() if callable(layout) else layout)
        everything = (["day", "overnight", "online"], ["intro", "all"], [2022, 2023, 2024, 2025])
        texts["/ callbacks"] = strings_in(overview.show_overview("LKS2022"))
        texts["/kommuner callbacks"] = strings_in(
            municipalities.show_participation("LKS2022", None, *everything))
        texts["/kommuner detail"] = strings_in(
            municipalities.show_municipality(None, None, None, 101, "LKS2022"))
        # A link naming a municipality opens with it picked, its detail in the layout.
        texts["/kommuner?kommune=101"] = strings_in(
            municipalities.layout(shell_programme="LKS2022", kommune="101"))
        # The drill-through pages as they are for a real municipality and session.
        texts["/kommuner/621"] = strings_in([municipality.layout(kode="621"),
                                             municipality.show_municipality_page(
                                                 "LKS2022", "incl", 621)])
        texts["/kommuner/x"] = strings_in(municipality.layout(kode="x"))
        texts["/sessioner/LKS2022-04"] = strings_in(session.layout(session_id="LKS2022-04"))
        texts["/sessioner/x"] = strings_in(session.layout(session_id="x"))
        texts["/fastholdelse callbacks"] = strings_in(retention.show_retention("LKS2022"))
        texts["/fastholdelse side by side"] = strings_in(
            retention.show_side_by_side("LKS2026-DEMO", "LKS2022"))
        texts["/oekonomi callbacks"] = strings_in(revenue.show_revenue("LKS2022", "incl"))
        texts["/geografi callbacks"] = strings_in(geography.show_geography("LKS2022"))
        # The forecast's last output is the session link's href: an address, not a text.
        texts["/planlaegning callbacks"] = strings_in(
            [planning.show_forecast("LKS2022-09")[:-1], planning.show_lists("LKS2022-09"),
             planning.show_venue("LKS2022-09")])
    return texts


def test_no_english_page_shows_danish(app, monkeypatch):
    from dash import ctx

    # show_municipality reads which input fired; outside Dash, say the list did.
    # (dashboard/pages/municipalities.py PICK: its id is the address's choice, `kommune`.)
    monkeypatch.setattr(type(ctx), "triggered_id",
                        property(lambda _self: {"type": "url-choice", "name": "municipality"}))
    pieces = danish_only_fragments() | set(KNOWN_DANISH)
    assert "Vis som tabel" in pieces and "Eksportér" in pieces
    problems = []
    for where, texts in english_page_texts(app).items():
        assert texts, where
        for text in texts:
            # Names from the data (municipalities, session titles, venues) stay as they are.
            hits = [p for p in pieces if p in text]
            if hits:
                problems.append(f"{where}: {text[:80]!r} has {hits}")
    assert problems == [], "\n".join(problems)


# --- findings: a chart's heading states what the data says -----------------------------------

def municipalities(attended: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"municipality": list(attended),
                         "sessions_attended": list(attended.values())})


def test_the_ranking_finding_names_the_leader_and_counts_the_rest():
    finding = charts.BY_KEY["municipalities-ranking"].finding
    tied = municipalities({"Kolding": 6, "Vejle": 6, "Odense": 6, "Aarhus": 2})
    assert finding(tied) == "Kolding og 2 andre kommuner har deltaget i flest sessioner (6)."
    assert finding(municipalities({"Kolding": 3, "Vejle": 1})) == \
        "Kolding har deltaget i flest sessioner (3)."
    assert finding(municipalities({"Kolding": 0})) == "Ingen kommuner har deltaget endnu."
    with using("en"):
        assert finding(tied) == \
            "Kolding and 2 other municipalities have attended the most sessions (6)."


def test_the_participation_finding_counts_who_came_and_who_never_did():
    frame = municipalities({"Kolding": 2, "Vejle": 0, "Odense": 1})
    assert charts.BY_KEY["municipalities-map"].finding(frame) == \
        "2 af 3 kommuner har deltaget i mindst én session; 1 aldrig."
    with using("en"):
        assert charts.BY_KEY["municipalities-map"].finding(frame) == \
            "2 of 3 municipalities have attended at least one session; 1 never."


def test_the_planning_findings():
    curves = pd.DataFrame({"session_id": ["A", "A", "B", "B", "C"],
                           "days_before": [30, 10, 40, 20, 25],
                           "cumulative": [5, 9, 4, 7, 6]})
    # C (chosen) has 6 by 25 days before; A had 5 and B had 4 by then.
    assert charts.curves_finding(curves, "C", 25) == \
        "6 tilmeldt 25 dage før; tidligere sessioner havde 4 på samme tidspunkt."
    ranked = pd.DataFrame({"city": ["Vejle", "Odense"], "avg_km": [61.4, 70.0],
                           "best": [True, False]})
    assert charts.venue_finding(ranked) == "Vejle giver den korteste rejse: 61 km i gennemsnit."


def test_every_chart_has_a_finding_a_description_and_a_table(tiny_view):
    from dashboard.chart_tables import chart_table, column_label, table_frame

    con, view = tiny_view
    for chart in charts.CHARTS:
        data = chart.data(con, view)
        for lang in LANGUAGES:
            with using(lang):
                assert chart.finding(data).endswith("."), chart.key
                assert charts.description(chart.key, data), chart.key
                frame = table_frame(chart.key, data)
                assert len(frame) > 0, chart.key
                if chart.table is None:  # a table of its own (the matrix's) names its columns
                    for column in frame.columns:
                        assert column_label(column) != column, (chart.key, column)
                chart_table(chart.key, data)


def test_the_origins_finding_names_no_single_top_among_ties():
    """Several municipalities sharing the most attendances: the finding says so, in the
    catalogue's Danish plural, instead of naming one of them as the top."""
    finding = charts.BY_KEY["geography-origins"].finding

    def origins(counts: dict[str, int]) -> pd.DataFrame:
        return pd.DataFrame({"municipality": list(counts), "attendances": list(counts.values())})

    assert finding(origins({"Assens": 2, "Vejle": 2, "Odense": 2, "Aarhus": 1})) == \
        "Flest deltagelser fra Assens og 2 andre kommuner (2 hver)."
    assert finding(origins({"Assens": 2, "Vejle": 2, "Aarhus": 1})) == \
        "Flest deltagelser fra Assens og 1 anden kommune (2 hver)."
    assert finding(origins({"Assens": 3, "Vejle": 2})) == "Flest deltagelser fra Assens (3)."
    assert finding(origins({"Assens": 0})) == "Ingen deltagelser endnu."
    with using("en"):
        assert finding(origins({"Assens": 2, "Vejle": 2})) == \
            "Most attendances from Assens and 1 other municipality (2 each)."
