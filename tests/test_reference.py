"""The committed reference data: the 98 municipalities, the brochure's sessions and prices."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from etl.paths import REFERENCE_DIR
from etl.reference import load_reference


@pytest.fixture(scope="module")
def reference():
    return load_reference(REFERENCE_DIR)


def test_98_municipalities_with_unique_codes_and_names(reference):
    codes = [m["kommune_code"] for m in reference.municipalities]
    assert len(codes) == 98 == len(set(codes))
    assert len({m["name"] for m in reference.municipalities}) == 98
    assert 411 not in codes  # Christiansø is administered by the state, not a municipality
    by_code = {m["kommune_code"]: m["name"] for m in reference.municipalities}
    assert (by_code[101], by_code[147], by_code[169], by_code[173], by_code[860]) == (
        "København", "Frederiksberg", "Høje-Taastrup", "Lyngby-Taarbæk", "Hjørring")


def test_the_five_regions_and_their_counts(reference):
    assert Counter(m["region"] for m in reference.municipalities) == {
        "Region Hovedstaden": 29, "Region Sjælland": 17, "Region Syddanmark": 22,
        "Region Midtjylland": 19, "Region Nordjylland": 11,
    }


def test_population_is_a_recent_official_count_with_its_year(reference):
    years = Counter(m["population_year"] for m in reference.municipalities)
    assert all(2020 <= year <= 2026 for year in years)
    # One count date for nearly all; data/reference/municipalities.SOURCES.md names the rest.
    assert years.most_common(1)[0][1] >= 90
    total = sum(m["population"] for m in reference.municipalities)
    assert 5_800_000 < total < 6_100_000  # Denmark: about 5,9-6,0 million
    by_name = {m["name"]: m["population"] for m in reference.municipalities}
    assert max(by_name, key=by_name.get) == "København"
    assert min(by_name, key=by_name.get) == "Læsø"


def test_every_town_hall_lies_in_its_own_municipality(reference, municipality_geometries):
    from shapely.geometry import Point

    assert set(municipality_geometries) - {411} == {
        m["kommune_code"] for m in reference.municipalities}
    outside = [m["name"] for m in reference.municipalities
               if not municipality_geometries[m["kommune_code"]].contains(
                   Point(m["lon"], m["lat"]))]
    assert outside == []


def test_the_brochures_ten_sessions(reference):
    got = [(s["audience"], s["format"], s["starts_at"], s["ends_at"], s["time_of_day_known"])
           for s in reference.sessions]
    day, night = dt.datetime, dt.datetime
    assert got == [
        ("intro", "overnight", night(2022, 1, 31, 12), night(2022, 2, 1, 12), True),
        ("intro", "day", day(2022, 4, 27, 10), day(2022, 4, 27, 18), True),
        ("all", "online", day(2022, 6, 1), day(2022, 6, 2), False),
        ("all", "overnight", night(2022, 12, 5, 12), night(2022, 12, 6, 12), True),
        ("all", "day", day(2023, 4, 17, 10), day(2023, 4, 17, 18), True),
        ("all", "overnight", night(2023, 11, 29, 12), night(2023, 11, 30, 12), True),
        ("all", "day", day(2024, 4, 15, 10), day(2024, 4, 15, 18), True),
        ("all", "overnight", night(2024, 11, 28, 12), night(2024, 11, 29, 12), True),
        ("all", "day", day(2025, 4, 7, 10), day(2025, 4, 7, 18), True),
        ("all", "online", day(2025, 5, 20), day(2025, 5, 21), False),
    ]
    # The brochure places only the first joint session, December 2022.
    placed = [(s["session_id"], s["venue"]) for s in reference.sessions if s["venue"]]
    assert placed == [("LKS2022-04", "Københavns Professionshøjskole, Campus Carlsberg, "
                                     "Humletorvet 3, 1799 København V")]
    assert {s["programme_id"] for s in reference.sessions} == {"LKS2022"}
    assert reference.programmes[0]["title"] == "Lederskab i en kompleks samtid"


def test_the_december_2022_venue_is_in_copenhagen(reference, municipality_geometries):
    from shapely.geometry import Point

    venue = next(s for s in reference.sessions if s["session_id"] == "LKS2022-04")
    assert municipality_geometries[101].contains(Point(venue["lon"], venue["lat"]))


def test_prices_from_the_brochure_and_the_unknown_online_price(reference):
    prices = {p["format"]: (p["price_ex_vat"], p["vat_rate"]) for p in reference.prices}
    assert prices == {
        "day": (Decimal("5300.00"), Decimal("0.25")),
        "overnight": (Decimal("8800.00"), Decimal("0.25")),
        "online": (None, Decimal("0.25")),  # not in the brochure: never invented
    }


def test_every_venue_candidate_lies_in_its_municipality(reference, municipality_geometries):
    from shapely.geometry import Point

    assert len(reference.venue_candidates) >= 10
    outside = [c["city"] for c in reference.venue_candidates
               if not municipality_geometries[c["kommune_code"]].contains(
                   Point(c["lon"], c["lat"]))]
    assert outside == []
