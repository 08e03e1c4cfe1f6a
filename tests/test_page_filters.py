"""The filter bar on every page whose numbers it affects (issue 21): each page's marts take
the filters (one predicate, passes_filters in etl/schema.sql), on the hand-made data whose
every number is worked out by hand here; the pages take them from the bar's ticks,
narrowed to those they take (url_state.PAGE_FILTERS); the report and the exports apply and
state exactly those."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from dashboard import charts, export, queries, url_state, view_filters
from dashboard.i18n import t, using
from tests.conftest import TINY_DAY, require_browser
from tests.test_i18n import strings_in

F = queries.Filters
NORD = "Region Nordjylland"      # Aalborg: M3 (until 30 June 2022), then M4
MIDT = "Region Midtjylland"      # Aarhus: M2, newly elected
HOVED = "Region Hovedstaden"     # København: M1, re-elected


def by(frame, column: str) -> dict:
    """{column value: row as a dict}."""
    return {row[column]: row for row in frame.to_dict("records")}


# --- Overblik ---------------------------------------------------------------------------------

def test_overblik_key_figures_take_every_filter(tiny_con):
    whole = queries.key_figures(tiny_con, "P1")
    assert (whole.municipalities_total, whole.registrations, whole.attended,
            whole.revenue_ex_vat) == (3, 6, 4, 28200.0)
    # Aalborg alone: R2 no-show at S1 (5.300 kr.), R5 attended S2 (a 0 kr. credit), R7
    # attended S3 (online, price unknown).
    nord = queries.key_figures(tiny_con, "P1", F(regions=(NORD,)))
    assert nord == queries.KeyFigures(municipalities_total=1, municipalities_reached=1,
                                      mayors_reached=1, registrations=3, attended=2,
                                      no_shows=1, revenue_ex_vat=5300.0,
                                      registrations_price_unknown=1)
    # 2022: S1 and S2. R1, R2, R3, R5 stand (R4 cancelled, still billed 8.800 kr.).
    year = queries.key_figures(tiny_con, "P1", F(years=(2022,)))
    assert (year.registrations, year.attended, year.no_shows, year.revenue_ex_vat,
            year.registrations_price_unknown, year.mayors_reached) == (4, 3, 1, 28200.0, 0, 3)
    online = queries.key_figures(tiny_con, "P1", F(formats=("online",)))
    assert (online.municipalities_reached, online.registrations, online.attended,
            online.revenue_ex_vat, online.registrations_price_unknown) == (1, 2, 1, 0.0, 2)


def test_overblik_turnout_and_sessions_take_the_filters(tiny_con):
    turnout = queries.session_turnout(tiny_con, "P1", TINY_DAY, F(regions=(MIDT,)))
    # Aarhus: attended S1 (R1), cancelled S2 (R4), nothing at S3.
    assert [(r["session_id"], r["registered"], r["attended"], r["cancelled"])
            for r in turnout.to_dict("records")] == [("S1", 1, 1, 0), ("S2", 0, 0, 1),
                                                     ("S3", 0, 0, 0)]
    assert list(queries.session_turnout(tiny_con, "P1", TINY_DAY,
                                        F(years=(2022,)))["session_id"]) == ["S1", "S2"]
    assert list(queries.sessions(tiny_con, "P1", F(audiences=("all",)))["session_id"]) \
        == ["S2", "S3"]
    # A session has no region: the regions do not narrow the sessions.
    assert len(queries.sessions(tiny_con, "P1", F(regions=(MIDT,)))) == 3


# --- Økonomi ----------------------------------------------------------------------------------

def test_oekonomi_revenue_by_the_region_billed_and_the_session(tiny_con):
    whole = by(queries.revenue_by_format(tiny_con, "P1"), "format")
    assert whole["overnight"]["revenue_ex_vat"] == 17600      # R3 + R4 (cancelled, billed)
    # Aarhus is billed R1 (day, list price 5.300 kr., invoiced) and R4 (overnight,
    # 8.800 kr., cancelled, not invoiced).
    midt = by(queries.revenue_by_format(tiny_con, "P1", F(regions=(MIDT,))), "format")
    assert {f: float(r["revenue_ex_vat"]) for f, r in midt.items()} == {
        "day": 5300.0, "overnight": 8800.0, "online": 0.0}
    assert float(midt["overnight"]["outstanding_ex_vat"]) == 8800.0
    assert float(midt["overnight"]["revenue_incl_vat"]) == 11000.0
    assert int(midt["overnight"]["cancellations_billed"]) == 1
    assert float(midt["day"]["invoiced_ex_vat"]) == 5300.0
    # Session type and year narrow the rows; audience intro is S1 alone.
    assert list(queries.revenue_by_format(tiny_con, "P1", F(formats=("overnight",)))["format"]) \
        == ["overnight"]
    intro = queries.revenue_by_session(tiny_con, "P1", F(audiences=("intro",)))
    assert list(intro["session_id"]) == ["S1"] and float(intro["revenue_ex_vat"].sum()) == 10600
    both = queries.revenue_by_session(tiny_con, "P1", F(regions=(HOVED,), formats=("overnight",)))
    assert list(both["session_id"]) == ["S2"] and float(both["revenue_ex_vat"].iloc[0]) == 8800
    y2023 = queries.revenue_by_format(tiny_con, "P1", F(years=(2023,)))
    assert list(y2023["format"]) == ["online"]
    assert int(y2023["registrations_price_unknown"].iloc[0]) == 2


def test_oekonomi_revenue_over_time_by_the_region_billed(tiny_con):
    midt = queries.revenue_over_time(tiny_con, "P1", F(regions=(MIDT,)))
    last = midt.iloc[-1]
    assert (float(last["booked_ex_vat"]), float(last["invoiced_ex_vat"])) == (14100.0, 5300.0)
    whole = queries.revenue_over_time(tiny_con, "P1").iloc[-1]
    assert float(whole["booked_ex_vat"]) == 28200.0


# --- Geografi ---------------------------------------------------------------------------------

def test_geografi_counts_the_mayors_of_the_regions_at_the_sessions(tiny_con):
    nord = by(queries.session_geography(tiny_con, "P1", F(regions=(NORD,))), "session_id")
    # R2 no-show at S1 (registered, not attended), R5 attended S2, R7 attended S3.
    assert [(nord[s]["registered"], nord[s]["attended"]) for s in ("S1", "S2", "S3")] == [
        (1, 0), (1, 1), (1, 1)]
    aalborg, kbh = url_state_free_town_halls()
    assert nord["S2"]["total_travel_km"] == pytest.approx(km(aalborg, kbh), rel=1e-6)
    physical = queries.session_geography(tiny_con, "P1", F(formats=("day", "overnight")))
    assert list(physical["session_id"]) == ["S1", "S2"]

    origins = queries.participant_origins(tiny_con, "P1", F(regions=(HOVED,)))
    assert list(origins["municipality"]) == ["København"]
    assert int(origins["attendances"].iloc[0]) == 1           # R3 at S2; S3 is online
    day = by(queries.participant_origins(tiny_con, "P1", F(formats=("day",))), "municipality")
    assert {m: int(r["attendances"]) for m, r in day.items()} == {
        "Aalborg": 0, "Aarhus": 1, "København": 0}

    regions = by(queries.participation_by_region(tiny_con, "P1", F(formats=("overnight",))),
                 "region")
    assert {r: row["share_of_attendances"] for r, row in regions.items()} == {
        HOVED: 0.5, MIDT: 0.0, NORD: 0.5}
    two = queries.participation_by_region(tiny_con, "P1", F(regions=(HOVED, NORD)))
    # Among the two regions: one mayor each; attendances R3, R6 not (registered), R5, R7.
    assert list(two["share_of_mayors"]) == [0.5, 0.5]
    assert list(two["attendances"]) == [1, 2]


def url_state_free_town_halls():
    from tests.tiny_data import TOWN_HALLS

    return TOWN_HALLS[851], TOWN_HALLS[101]


def km(a, b) -> float:
    from math import asin, cos, radians, sin, sqrt

    (lat1, lon1), (lat2, lon2) = a, b
    return 2 * 6371.0088 * asin(sqrt(sin(radians(lat2 - lat1) / 2) ** 2 + cos(radians(lat1))
                                     * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2))


# --- Fastholdelse -----------------------------------------------------------------------------

def test_fastholdelse_cohorts_of_the_regions_at_the_sessions(tiny_con):
    whole = queries.retention(tiny_con, "P1", TINY_DAY)
    s2 = whole[(whole["session_id"] == "S2") & (whole["cohort"] == "newly_elected")].iloc[0]
    assert (s2["mayors_in_office"], s2["registered"]) == (2, 1)   # M2 cancelled, M4 came
    nord = queries.retention(tiny_con, "P1", TINY_DAY, F(regions=(NORD,)))
    # Only Aalborg's newly elected: M3 at S1 (no-show, so registered), M4 at S2 and S3.
    assert [(r["session_id"], r["cohort"], r["mayors_in_office"], r["registered"],
             r["attended"]) for r in nord.to_dict("records")] == [
        ("S1", "newly_elected", 1, 1, 0), ("S2", "newly_elected", 1, 1, 1),
        ("S3", "newly_elected", 1, 1, 1)]
    online = queries.retention(tiny_con, "P1", TINY_DAY, F(formats=("online",)))
    assert {(r["cohort"], r["share_registered"]) for r in online.to_dict("records")} == {
        ("newly_elected", 0.5), ("re_elected", 1.0)}
    assert set(queries.retention(tiny_con, "P1", TINY_DAY, F(years=(2023,)))["session_id"]) \
        == {"S3"}


def test_fastholdelse_intro_path_and_slipping_take_the_filters(tiny_con):
    midt = queries.intro_path(tiny_con, "P1", TINY_DAY, F(regions=(MIDT,)))
    # M2 came to the intro (R1), then cancelled S2 and did not register for S3.
    assert [(r["session_id"], r["path"], r["registered"]) for r in midt.to_dict("records")] \
        == [("S2", "newly_elected_intro", 0), ("S3", "newly_elected_intro", 0)]
    assert list(queries.intro_path(tiny_con, "P1", TINY_DAY,
                                   F(formats=("online",)))["session_id"].unique()) == ["S3"]

    slipping = queries.newly_elected_slipping(tiny_con, "P1", TINY_DAY)
    assert list(slipping["mayor"]) == ["Nyvalgt Aarhus"]
    assert int(slipping["sessions_attended"].iloc[0]) == 1
    assert queries.newly_elected_slipping(tiny_con, "P1", TINY_DAY, F(regions=(NORD,))).empty
    # Overnight alone: S2 is the last joint session; M2 missed it and attended none of it.
    overnight = queries.newly_elected_slipping(tiny_con, "P1", TINY_DAY,
                                               F(formats=("overnight",)))
    assert list(overnight["mayor"]) == ["Nyvalgt Aarhus"]
    assert int(overnight["sessions_attended"].iloc[0]) == 0


def test_the_filters_are_one_predicate_that_folds_away(tiny_con):
    """Økonomi's marts read the per-session totals; a region filter counts the
    registrations instead, and without one that branch leaves the plan."""
    def plan(regions):
        return "\n".join(row[1] for row in tiny_con.execute(
            "EXPLAIN SELECT * FROM revenue_by_session_for(?, ?, ?, ?, ?)",
            ["P1", regions, None, None, None]).fetchall())
    scan = re.compile(r"Table: \S*\bregistrations\b")
    assert scan.search(plan(None)) is None and "session_totals" in plan(None)
    assert scan.search(plan([NORD])) is not None and "session_totals" not in plan([NORD])


# --- Which page takes which filter, and what a file says --------------------------------------

def test_a_page_draws_with_the_ticks_it_takes(app):
    with app.server.app_context():
        every = view_filters.first_ticks({}, "LKS2022")
        assert view_filters.for_page("Økonomi", "LKS2022", *every) == queries.NO_FILTERS
        regions, formats, audiences, years = every
        picked = view_filters.for_page("Økonomi", "LKS2022", [1084], formats, ["intro"],
                                       years[:1])
        assert picked == F(regions=(HOVED,), audiences=("intro",), years=tuple(years[:1]))
        # Fastholdelse does not take the audience: unticked there, it narrows nothing.
        assert view_filters.for_page("Fastholdelse", "LKS2022", regions, ["day"], [],
                                     years) == F(formats=("day",))
        assert view_filters.for_page("Geografi", "LKS2022", regions, [], audiences,
                                     years) is None
        shown = view_filters.first_ticks({"regioner": "1081", "typer": "online"}, "LKS2022")
        assert shown[:2] == [[1081], ["online"]]


def test_a_filtered_page_opens_with_its_filters_or_blank_charts_and_one_thing_said(app):
    """view_filters.opening, as Overblik, Økonomi, Geografi and Fastholdelse open their view:
    the filters to draw with; no programme: the charts say there is no data and the page
    says what it was given; ticks leaving nothing: the charts blank, the one warning."""
    shown = charts.on("Geografi")
    with app.server.test_request_context("/"):
        every = view_filters.first_ticks({}, "LKS2022")
        assert view_filters.opening("Geografi", shown, "LKS2022", *every) == \
            (queries.NO_FILTERS, {})
        filters, blank = view_filters.opening("Geografi", shown, None, *every,
                                              say_in="cards", no_programme="Intet forløb")
        assert filters is None and blank.keys() == {"charts", "cards"}
        assert blank["cards"] == "Intet forløb"
        assert {key: said for key, (_figure, said, *_) in blank["charts"].items()} == \
            {chart.key: t("fig.no_data") for chart in shown}
        regions, formats, audiences, years = every
        filters, blank = view_filters.opening("Geografi", shown, "LKS2022", [], formats,
                                              audiences, years)
        assert filters is None and blank.keys() == {"charts", "nothing"}
        assert strings_in(blank).count(t("municipalities.choose_something")) == 1
        assert {key: said for key, (_figure, said, *_) in blank["charts"].items()} == \
            {chart.key: "" for chart in shown}


def test_the_report_applies_each_pages_filters_and_says_where_one_does_not_apply(tiny_con):
    filters = F(regions=(NORD,), audiences=("all",))
    context = export.ExportContext("P1", "T", "2022–2025", dt.date(2023, 6, 15), False,
                                   filters, held_by=TINY_DAY)
    with using("da"):
        assert context.filters_text.startswith("region: Nordjylland; målgruppe: ")
        assert context.filters_text.endswith(" (filtrerer Fastholdelse ikke efter målgruppe)")
        wanted = [charts.BY_KEY[k] for k in ("revenue-by-format", "retention-cohorts")]
        revenue, retention = export.build_all(tiny_con, context, wanted)
    # Økonomi: Aalborg billed at the joint sessions S2 (0 kr. credit) and S3 (unknown).
    assert list(revenue.data["format"]) == ["overnight", "online"]
    assert float(revenue.data["revenue_ex_vat"].sum()) == 0.0
    # Fastholdelse: Aalborg's mayors, the intro session S1 kept (no audience filter there).
    assert list(retention.data["session_id"]) == ["S1", "S2", "S3"]
    footers = {b.chart.key: " ".join(a.text for a in b.figure.layout.annotations)
               for b in (revenue, retention)}
    assert "målgruppe" in footers["revenue-by-format"]
    assert "målgruppe" not in footers["retention-cohorts"]
    assert "Nordjylland" in footers["retention-cohorts"]
    rows = dict(export.key_figure_rows(tiny_con, "P1", filters))
    # Aalborg at S2 and S3: R5 and R7 attended, 0 kr. (a credit, and an unknown price).
    assert rows["Kommuner med deltagelse"].startswith("1 af 1 ")
    assert rows["Omsætning ekskl. moms"] == "0 kr."


def test_the_pdf_report_from_a_filtered_overblik_states_and_applies_its_filters(app):
    """What the Overblik button makes (dashboard.downloads.report_file) from the address
    /?regioner=1081&aar=2023: the filters on its first page, its key figures filtered."""
    require_browser()
    from dashboard.downloads import report_file
    from dashboard.filter_bar import filters_in_force

    with app.server.test_request_context("/"):
        filters = filters_in_force("?regioner=1081", "/")
        whole, _ = report_file("pdf", "LKS2022")
        narrow, name = report_file("pdf", "LKS2022", filters)
    assert name.startswith("rapport_") and narrow[:4] == b"%PDF"

    def text(pdf: bytes) -> str:
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                             capture_output=True, check=True, timeout=120).stdout
        return " ".join(out.decode("utf-8").split())

    filtered, unfiltered = text(narrow), text(whole)
    assert "Filtre region: Nordjylland" in filtered
    assert "Filtre ingen" in unfiltered
    # Nordjylland has 11 municipalities (data/reference/municipalities.csv).
    assert "af 11 " in filtered and "af 98 " in unfiltered


def test_every_page_with_numbers_declares_its_filters():
    assert set(url_state.PAGE_FILTERS) == {"Overblik", "Kommuner", "Fastholdelse", "Økonomi",
                                           "Geografi"}
    assert all(set(f) <= set(url_state.FILTERS) for f in url_state.PAGE_FILTERS.values())
    assert {chart.page for chart in charts.CHARTS} <= set(url_state.PAGE_FILTERS)


def test_one_region_chosen_is_said_not_compared(tiny_con):
    """Geografi's region shares among the regions chosen: with one, there is nothing to
    compare, and the heading says so instead of "100 % of the mayors, but 100 % ..."."""
    view = charts.View("P1", held_by=TINY_DAY, filters=F(regions=(NORD,)))
    with using("da"):
        drawn = charts.build(charts.BY_KEY["geography-regions"], tiny_con, view)
    assert drawn.finding == "Kun Region Nordjylland er valgt: ingen anden region at " \
                            "sammenligne med."
