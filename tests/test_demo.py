"""The demo generator: deterministic to the byte, and believable."""

from __future__ import annotations

from collections import Counter

import pytest

from etl import clock, demo
from etl.paths import REFERENCE_DIR
from etl.reference import load_reference


@pytest.fixture(scope="module")
def reference():
    return load_reference(REFERENCE_DIR)


@pytest.fixture(scope="module")
def tables(reference):
    return demo.generate(reference)


def test_two_runs_write_identical_bytes(reference, tmp_path):
    first = demo.write_demo(tmp_path / "a", demo.generate(reference))
    second = demo.write_demo(tmp_path / "b", demo.generate(reference))
    for key, path in first.items():
        assert path.read_bytes() == second[key].read_bytes(), key
    assert first["registrations"].stat().st_size > 10_000


def test_a_different_seed_gives_different_data(reference, tables):
    other = demo.generate(reference, seed=demo.SEED + 1)
    assert other["mayors"] != tables["mayors"]


def test_98_mayors_from_january_2022_plus_mid_term_replacements(tables):
    # The 2022-2025 period's terms (the 2026 ones: test_terms.py).
    terms = [t for t in tables["mayor_terms"] if t["term_start"] < demo.NEXT_TERM_START]
    first_term = [t for t in terms if t["term_start"].isoformat() == "2022-01-01"]
    assert len(first_term) == 98
    assert len({t["kommune_code"] for t in first_term}) == 98
    successors = [t for t in terms if t["term_start"].isoformat() != "2022-01-01"]
    assert 2 <= len(successors) <= 6
    assert all(t["newly_elected"] for t in successors)
    share_new = sum(t["newly_elected"] for t in first_term) / 98
    assert 0.35 <= share_new <= 0.45
    mayors = tables["mayors"]
    assert len({m["name"] for m in mayors}) == len(mayors)


def test_local_parties_only_where_they_stand(reference):
    # Slesvigsk Parti stands in Sønderjylland only: a mayor of Greve in it was a slip users
    # noticed. Over many seeds, so that the party is drawn at all.
    seen = Counter()
    for seed in range(demo.SEED, demo.SEED + 25):
        for term in demo.generate(reference, seed=seed)["mayor_terms"]:
            allowed = demo.LOCAL_PARTIES.get(term["party"])
            assert allowed is None or term["kommune_code"] in allowed, (seed, term)
            seen[term["party"]] += 1
    assert seen["Slesvigsk Parti"] > 0


def test_every_session_held_or_next_has_registrations(reference, tables):
    """Every session of the brochure's programme (all held by the frozen today), and of the
    demo programme those held and the next one; none later (nobody books that early)."""
    per_session = Counter(r["session_id"] for r in tables["registrations"])
    today = clock.today()
    upcoming = sorted((s for s in tables["sessions"] if s["starts_at"].date() > today),
                      key=lambda s: s["starts_at"])
    expected = ({s["session_id"] for s in reference.sessions}
                | {s["session_id"] for s in tables["sessions"] if s["starts_at"].date() <= today}
                | {upcoming[0]["session_id"]})
    assert set(per_session) == expected


def test_intro_sessions_are_mostly_newly_elected(reference, tables):
    # Newly elected in the 2022-2025 period: the cohort the brochure's intro sessions are for.
    newly = {t["mayor_id"] for t in tables["mayor_terms"]
             if t["newly_elected"] and t["term_start"] < demo.NEXT_TERM_START}
    intro = {s["session_id"] for s in reference.sessions if s["audience"] == "intro"}
    at_intro = [r for r in tables["registrations"] if r["session_id"] in intro]
    assert len(at_intro) >= 40
    assert sum(r["mayor_id"] in newly for r in at_intro) / len(at_intro) >= 0.9


def test_uptake_fades_and_statuses_are_mixed(reference, tables):
    joint = [s["session_id"] for s in reference.sessions if s["audience"] == "all"]
    registered = Counter(r["session_id"] for r in tables["registrations"]
                         if r["status"] != "cancelled")
    held = [sid for sid in joint if registered[sid] and sid not in ("LKS2022-09", "LKS2022-10")]
    early, late = held[: len(held) // 2], held[len(held) // 2:]
    assert sum(registered[s] for s in early) / len(early) > \
        sum(registered[s] for s in late) / len(late)
    statuses = Counter(r["status"] for r in tables["registrations"])
    assert statuses["no_show"] > 0 and statuses["cancelled"] > 0 and statuses["attended"] > 0
    assert statuses["attended"] > 5 * statuses["no_show"]


def test_registrations_come_in_the_weeks_before_each_session(reference, tables):
    starts = {s["session_id"]: s["starts_at"] for s in reference.sessions + tables["sessions"]}
    lead_days = [(starts[r["session_id"]] - r["registered_at"]).days
                 for r in tables["registrations"]]
    assert min(lead_days) >= 2 and max(lead_days) <= 70
    assert len(set(lead_days)) > 30
    assert all(r["registered_at"].date() <= clock.today() for r in tables["registrations"])


def test_more_turnout_near_the_venue(reference, tables):
    from etl.geo import haversine_km

    town_hall = {m["kommune_code"]: (m["lat"], m["lon"]) for m in reference.municipalities}
    venues = {v["session_id"]: (v["lat"], v["lon"]) for v in tables["venues"]}
    near = far = near_n = far_n = 0
    for session_id, venue in venues.items():
        came = {r["kommune_code"] for r in tables["registrations"]
                if r["session_id"] == session_id and r["status"] != "cancelled"}
        for code, home in town_hall.items():
            if haversine_km(*home, *venue) < 60:
                near, near_n = near + (code in came), near_n + 1
            elif haversine_km(*home, *venue) > 150:
                far, far_n = far + (code in came), far_n + 1
    assert near / near_n > far / far_n


def test_demo_venues_are_spread_and_marked(reference, tables, municipality_geometries):
    from shapely.geometry import Point

    venues = tables["venues"]
    assert len({v["city"] for v in venues}) == len(venues) >= 6
    assert all("(demo)" in v["venue"] for v in venues)
    denmark = [g for code, g in municipality_geometries.items() if code != 411]
    for venue in venues:
        assert any(g.contains(Point(venue["lon"], venue["lat"])) for g in denmark), venue
