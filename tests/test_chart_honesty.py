"""Charts that cannot mislead (issue 21): headings follow every switch, one finding per
chart, groups plotted only where eligible and with their n, Danish formatting as a kind.
Pure tests on the hand-made data and small frames; no server, no browser."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import charts, figures, formatting, planning, queries
from dashboard.db import current_database
from dashboard.i18n import t, using
from tests.html_tables import table_in


def _drawn(tiny_view, page: str, **view_fields):
    con, view = tiny_view
    return charts.read(charts.on(page), replace(view, **view_fields), on=con).draw()


def test_revenue_findings_follow_the_vat_switch(tiny_view):
    ex = _drawn(tiny_view, "Økonomi")
    incl = _drawn(tiny_view, "Økonomi", incl_vat=True)
    for key in ("revenue-by-format", "revenue-by-session", "revenue-over-time"):
        assert "ekskl. moms" in ex[key].finding, key
        assert "inkl. moms" in incl[key].finding and "ekskl." not in incl[key].finding, key
    # the sums the heading states are the incl. VAT sums the bars draw
    data = incl["revenue-by-format"].data
    assert formatting.kroner(data["revenue_incl_vat"].sum()) in incl["revenue-by-format"].finding
    assert formatting.kroner(data["revenue_ex_vat"].sum()) in ex["revenue-by-format"].finding


def test_every_chart_of_a_page_has_its_own_finding(tiny_view):
    for page in {chart.page for chart in charts.CHARTS}:
        findings = [d.finding for d in _drawn(tiny_view, page).values()]
        assert len(findings) == len(set(findings)), (page, findings)


# --- Fastholdelse: eligible points only, n in the legend, small groups faded ----------------

def test_re_elected_mayors_are_not_plotted_at_the_intro_sessions(tiny_view):
    con, view = tiny_view
    data = charts.BY_KEY["retention-cohorts"].data(con, view)
    intro = figures.session_label(*data[data["audience"] == "intro"]
                                  [["starts_at", "format"]].iloc[0])
    fig = json.loads(figures.retention_by_cohort(data).to_json())
    by_name = {trace["name"].split(" (n =")[0]: trace["x"] for trace in fig["data"]}
    assert intro in by_name["Nyvalgte borgmestre"]
    assert intro not in by_name["Genvalgte borgmestre"]
    assert "Genvalgte borgmestre" in by_name  # still drawn at the joint sessions


def _shares(groups: dict[str, int], column: str = "cohort") -> pd.DataFrame:
    rows = [{column: group, "starts_at": pd.Timestamp(f"2023-0{i}-01"), "format": "day",
             "audience": "all", "share_registered": 0.6, "registered": 3,
             "mayors_in_office": n} for group, n in groups.items() for i in (4, 5)]
    return pd.DataFrame(rows)


def test_each_line_says_its_n_and_a_small_group_is_faded_and_says_so():
    fig = json.loads(figures.retention_by_cohort(
        _shares({"newly_elected": 40, "re_elected": 5})).to_json())
    newly, re_elected = fig["data"]
    assert newly["name"] == "Nyvalgte borgmestre (n = 40)"
    assert newly.get("opacity", 1) == 1
    assert re_elected["name"] == "Genvalgte borgmestre (n = 5, under 10)"
    assert re_elected["opacity"] == figures.FADED_OPACITY < 1
    path = json.loads(figures.intro_path(_shares(
        {"newly_elected_intro": 30, "newly_elected_no_intro": 5, "re_elected": 36},
        column="path")).to_json())
    assert [trace.get("opacity", 1) < 1 for trace in path["data"]] == [False, True, False]
    assert all("(n = " in trace["name"] for trace in path["data"])


def test_the_findings_name_the_small_groups():
    finding = charts.BY_KEY["retention-path"].finding(_shares(
        {"newly_elected_intro": 30, "newly_elected_no_intro": 5, "re_elected": 36},
        column="path"))
    assert finding.endswith("(tegnet svagt): Nyvalgte, ikke i intro (n = 5).")
    assert "svagt" not in charts.BY_KEY["retention-cohorts"].finding(
        _shares({"newly_elected": 40, "re_elected": 36}))


# --- Planlægning: the forecast says what it is, the curve counts as the cards ---------------

PLAN_DAY = dt.date(2024, 3, 1)
PLAN_SESSIONS = pd.DataFrame({
    "session_id": ["A", "B", "C", "T"],
    "format": ["day", "day", "overnight", "day"],
    "starts_at": pd.to_datetime(["2023-04-01 10:00", "2023-10-01 10:00", "2023-11-01 12:00",
                                 "2024-03-15 10:00"]),
})
PLAN_PACE = pd.DataFrame({"session_id": ["A", "B", "C", "T"], "total": [40, 30, 50, 12],
                          "by_then": [20, 10, 50, 12], "cancelled": [4, 3, 0, 0],
                          "no_show": [2, 3, 10, 0], "attended": [34, 24, 40, 0]})


def test_the_forecast_card_says_it_is_the_final_number_after_cancellations():
    assert t("planning.expected_registered") == "Forventet endeligt antal efter afmeldinger"
    with using("en"):
        assert "after cancellations" in t("planning.expected_registered")


@pytest.mark.parametrize(("formats", "warned"), [
    (["day", "day", "overnight", "day"], None),             # two earlier day sessions
    (["day", "overnight", "overnight", "day"], "kun én"),   # one
    (["overnight", "overnight", "overnight", "day"], "ingen"),  # none of its format
])
def test_a_forecast_on_fewer_than_two_comparable_sessions_is_flagged(formats, warned):
    forecast = planning.forecast(PLAN_SESSIONS.assign(format=formats), PLAN_PACE, "T",
                                 PLAN_DAY)
    warning = planning.thin_warning(forecast)
    if warned is None:
        assert warning is None and not forecast.is_thin
    else:
        assert warning.startswith("Usikker prognose") and warned in warning
    # a held session is no forecast: nothing to warn of
    held = planning.forecast(PLAN_SESSIONS.assign(format=formats), PLAN_PACE, "A", PLAN_DAY)
    assert planning.thin_warning(held) is None


def test_the_curve_ends_where_the_cards_stand(tiny_con):
    """A held session: the curve's last point is the outcome's 'Tilmeldt' (cancellations out)."""
    outcome = queries.session_outcome(tiny_con, "S2")
    curves = queries.registration_curves(tiny_con, ["S2"])
    assert outcome.cancelled == 1
    assert curves["cumulative"].iloc[-1] == outcome.registered == 2
    axis = figures.registration_curves(curves, PLAN_SESSIONS.assign(
        session_id=["S2", "B", "C", "T"]), "S2").layout.yaxis.title.text
    assert "ikke afmeldt" in axis


# --- Demo always visible: a watermark on the charts a page shows ----------------------------

def _marks(figure) -> list[dict]:
    return [a for a in json.loads(figure.to_json())["layout"].get("annotations", [])
            if a.get("name") == figures.WATERMARK]


def test_the_watermark_is_faint_and_only_on_demo_data(tiny_view, monkeypatch):
    from dashboard import components

    drawn = _drawn(tiny_view, "Økonomi")
    monkeypatch.setattr(components, "demo_loaded", lambda: True)
    shown = components.values_for(drawn)
    for key, (figure, *_rest) in shown.items():
        (mark,) = _marks(figure)
        assert mark["text"] == "DEMODATA" and mark["opacity"] <= 0.15, key
        assert mark["captureevents"] is False
    real = _drawn(tiny_view, "Økonomi")
    monkeypatch.setattr(components, "demo_loaded", lambda: False)
    for key, (figure, *_rest) in components.values_for(real).items():
        assert _marks(figure) == [], key


# --- Formatting as a kind: Danish percent, units in every tooltip, plurals ------------------

def _sent(figure) -> dict:
    return json.loads(figure.to_json())


def test_share_axes_and_their_tooltips_write_percent_the_danish_way(tiny_view):
    con, view = tiny_view
    for key in ("retention-cohorts", "retention-path", "geography-regions"):
        chart = charts.BY_KEY[key]
        sent = _sent(chart.figure(**charts.read([chart], view, on=con).figure_inputs(key)))
        axis = sent["layout"]["xaxis" if key == "geography-regions" else "yaxis"]
        assert "tickformat" not in axis, key
        assert axis["ticktext"][0] == "0 %" and all(text.endswith(" %")
                                                    for text in axis["ticktext"]), key
        for trace in sent["data"]:
            assert "%{y:.0%}" not in trace["hovertemplate"], key
    assert figures.percent_ticks()["ticktext"] == ["0 %", "20 %", "40 %", "60 %", "80 %",
                                                   "100 %"]
    with using("en"):
        assert figures.percent_ticks()["ticktext"][4] == "80%"


UNITS = ("kr.", "km", "borgmestre", "sessioner", "tilmeldte", "deltage", "%")


def test_every_tooltip_of_a_registered_chart_says_its_unit(tiny_view):
    """No bare '(5. dec. 2022 · døgn, 605.000)': a hover names its unit (maps name theirs in
    their hover text, the matrix a status)."""
    con, view = tiny_view
    for key, drawn in charts.read(charts.CHARTS, view, on=con).draw().items():
        for trace in _sent(drawn.figure)["data"]:
            if trace.get("hoverinfo") == "skip" or key == "municipalities-matrix":
                continue
            hover = trace.get("hovertemplate") or " ".join(trace.get("hovertext") or [])
            assert hover, (key, trace.get("name"))
            if "%{customdata" in hover and "%" in hover and key.startswith(("retention",
                                                                           "geography-reg")):
                continue  # a share, written out in customdata ("80 %")
            assert any(unit in hover for unit in UNITS), (key, hover)


def test_revenue_tooltips_say_kroner():
    frame = pd.DataFrame({"format": ["day"], "registrations_price_unknown": [0],
                          "invoiced_ex_vat": [5300.0], "outstanding_ex_vat": [0.0],
                          "invoiced_incl_vat": [6625.0], "outstanding_incl_vat": [0.0]})
    for trace in _sent(figures.revenue_by_format(frame))["data"]:
        assert trace["hovertemplate"].endswith("%{y:,.0f} kr.<extra></extra>")


def test_danish_plurals_come_from_the_catalogue():
    from dashboard.i18n import tn

    finding = charts.BY_KEY["municipalities-ranking"].finding
    two = pd.DataFrame({"municipality": ["Hedensted", "Vejle"], "sessions_attended": [4, 4]})
    assert finding(two) == "Hedensted og 1 anden kommune har deltaget i flest sessioner (4)."
    assert tn("fig.participants", 1) == "1 deltager"
    curves = pd.DataFrame({"session_id": ["S2"], "days_before": [3], "cumulative": [42]})
    assert charts.curves_finding(curves, "S2", 1) == "42 tilmeldt 1 dag før sessionen."
    assert tn("fig.participants", 2) == "2 deltagere"
    assert tn("fig.participants", 0) == "0 deltagere"
    with using("en"):
        assert finding(two) == ("Hedensted and 1 other municipality have attended the most "
                                "sessions (4).")
        assert tn("fig.attendances", 1) == "1 attendance"


# --- Danish collation in every sort ---------------------------------------------------------

def test_the_sort_key_puts_names_in_the_order_sql_collate_da_gives():
    import duckdb

    from etl.paths import PROJECT_ROOT

    names = [n for (n,) in duckdb.sql(
        f"SELECT name FROM read_csv('{PROJECT_ROOT / 'data/reference/municipalities.csv'}') "
        "ORDER BY name COLLATE da").fetchall()]
    assert len(names) == 98
    assert sorted(names, key=formatting.danish_key) == names
    assert names.index("Aabenraa") > names.index("Ærø")  # "aa" is å, last of all
    assert sorted(["Aarhus", "Ærø", "Odense", "Ørsted"], key=formatting.danish_key) == [
        "Odense", "Ærø", "Ørsted", "Aarhus"]


def test_the_ranking_and_the_venues_sort_ties_the_danish_way():
    tied = pd.DataFrame({"municipality": ["Aabenraa", "Ærø", "Odense"],
                         "sessions_registered": [2, 2, 2], "sessions_attended": [2, 2, 2],
                         "sessions_no_show": [0, 0, 0], "sessions_pending": [0, 0, 0]})
    bars = figures.participation_ranking(tied).data[0]
    assert list(bars.y)[::-1] == ["Odense", "Ærø", "Aabenraa"]  # read from the top
    candidates = pd.DataFrame({"city": ["Aabenraa", "Ærøskøbing"], "region": ["R", "R"],
                               "lat": [55.0, 55.0], "lon": [10.0, 10.0]})
    origins = pd.DataFrame({"lat": [55.0], "lon": [10.0], "weight": [1.0]})
    assert list(planning.rank_venues(origins, candidates)["city"]) == ["Ærøskøbing",
                                                                       "Aabenraa"]


def test_a_session_not_yet_held_shows_no_attendance_not_zero(tiny_view):
    """S3 (2023) is not held by the end of 2022: its attended is empty, drawn as no bar and
    shown as "–" in the table, never "Deltaget 0"."""
    from dashboard.chart_tables import chart_table

    con, view = tiny_view
    chart = charts.BY_KEY["overview-turnout"]
    data = chart.data(con, replace(view, held_by=dt.date(2022, 12, 31)))
    assert list(data["attended"].isna()) == [False, False, True]
    assert data["registered"].iloc[-1] == 2  # its registrations stand as they are
    cells = _cells(chart_table(chart.key, data))
    assert "–" in cells
    attended = figures.turnout_by_session(data).data[1]
    assert pd.isna(list(attended.y)[-1])
    held = chart.data(con, view)  # by mid-2023 all three are held
    assert not held["attended"].isna().any()


def _cells(component) -> list[str]:
    """Every <td>'s text in a table component, as a browser reads it."""
    return [cell for row in table_in(component).values() for cell in row]


# --- Every filtered page: no region ticked is one warning, above blank charts ----------------

@pytest.mark.parametrize("page, call", [
    ("overview", lambda m, ticks: m.show_overview("LKS2022", *ticks)),
    ("revenue", lambda m, ticks: m.show_revenue("LKS2022", "ex", *ticks)),
    ("geography", lambda m, ticks: m.show_geography("LKS2022", *ticks)),
    ("retention", lambda m, ticks: m.show_retention("LKS2022", *ticks)),
])
def test_unticking_every_region_gives_one_warning_on_every_filtered_page(app, page, call):
    import importlib

    from tests.test_i18n import strings_in

    module = importlib.import_module(f"dashboard.pages.{page}")
    ticks = ([], ["day", "overnight", "online"], ["intro", "all"], [2022, 2023, 2024, 2025])
    with app.server.test_request_context("/"):
        shown = strings_in(call(module, ticks))
        assert shown.count(t("municipalities.choose_something")) == 1


# --- Kommuner: no region ticked is one warning, with the buttons to get back ----------------

def test_unticking_every_region_gives_one_warning_and_the_bar_can_reset(app):
    from dashboard import filter_bar
    from dashboard.pages import municipalities
    from tests.test_i18n import strings_in

    everything = (["day", "overnight", "online"], ["intro", "all"], [2022, 2023, 2024, 2025])
    with app.server.test_request_context("/"):
        shown = municipalities.show_participation("LKS2022", [], *everything)
        message = t("municipalities.choose_something")
        assert strings_in(shown).count(message) == 1
        # "Nulstil filtre" in the shell's filter bar ticks everything again.
        with current_database().cursor() as con:
            bar = strings_in(filter_bar.layout(con, [{"label": "x", "value": "LKS2022"}],
                                               "LKS2022"))
        assert "Nulstil filtre" in bar


def test_a_forecast_card_says_range_only_where_it_shows_one(app):
    from dashboard.pages import planning as page

    with app.server.test_request_context("/"), using("da"):
        assert page._range(planning.Range(42, 42, 42)) == "42"
        assert page._range_note(planning.Range(42, 42, 42)) == "forventet (intet spænd)"
        assert page._range(planning.Range(40, 42, 45)) == "42 (40–45)"
        assert page._range_note(planning.Range(40, 42, 45)) == "forventet (spænd)"
