"""Deterministic demo data: fictional mayors and their registrations for the brochure's
sessions, and a made-up programme for the next election period (2026-2029) under way.

Everything comes from seeded random generators walked in a fixed order, so the same
reference data and the same "today" (etl.clock.today: the build day, or BORGMESTER_TODAY)
give the same bytes on every run. Names are made up from common Danish first and family
names; they are not the real mayors. Venues the brochure does not name are invented too and
marked as demo, and so is the whole 2026 programme (programmes.is_demo, sessions.is_demo).

The demo's today is the cut-off for what has happened: sessions held (with outcomes),
registrations made and invoices sent. The brochure's programme draws from the first
generator exactly as before 2026, so its sessions up to 31 March 2025 do not depend on the
day; the 2026 programme draws from a second one.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from etl import clock
from etl.canonical import FILES
from etl.geo import haversine_km
from etl.reference import ReferenceData
from etl.schedule import election_period

SEED = 20211116  # the day of the 2021 local elections
NEXT_SEED = 20251118  # the 2025 local elections: the next period's generator
# The brochure's election period and the next one, by the rule a schedule import uses.
TERM_START, TERM_END = election_period(dt.date(2022, 1, 1))
NEXT_TERM_START, NEXT_TERM_END = election_period(dt.date(2026, 1, 1))
NEWLY_ELECTED_SHARE = 0.40  # 38 new mayors among the first 88 municipalities settled in 2021

# The next election period's programme: made up, and said so in its title and id.
DEMO_PROGRAMME = {"programme_id": "LKS2026-DEMO",
                  "title": "Demo: Lederskab i en ny valgperiode (fiktivt forløb)",
                  "period_start": NEXT_TERM_START, "period_end": NEXT_TERM_END}
# (number, title, audience, format, start, end, venue or None for online)
DEMO_SESSIONS = (
    (1, "Introsession for nyvalgte (døgnsession, demo)", "intro", "overnight",
     dt.datetime(2026, 1, 29, 12), dt.datetime(2026, 1, 30, 12),
     ("Kursuscenter ved Storebælt (demo)", "Nyborg", 55.31270, 10.78960)),
    (2, "Introsession for nyvalgte (dagsession, demo)", "intro", "day",
     dt.datetime(2026, 4, 22, 10), dt.datetime(2026, 4, 22, 18),
     ("Konferencecenter ved fjorden (demo)", "Horsens", 55.86070, 9.85030)),
    (3, "Onlinemøde (demo)", "all", "online",
     dt.datetime(2026, 6, 3, 14), dt.datetime(2026, 6, 3, 16), None),
    (4, "Døgnsession (demo)", "all", "overnight",
     dt.datetime(2026, 12, 3, 12), dt.datetime(2026, 12, 4, 12),
     ("Kongres- og kulturhus (demo)", "Aarhus", 56.15670, 10.21080)),
    (5, "Dagsession (demo)", "all", "day",
     dt.datetime(2027, 4, 14, 10), dt.datetime(2027, 4, 14, 18),
     ("Konferencecenter i midtbyen (demo)", "Odense", 55.39590, 10.38830)),
    (6, "Døgnsession (demo)", "all", "overnight",
     dt.datetime(2027, 11, 25, 12), dt.datetime(2027, 11, 26, 12),
     ("Hotel og konferencecenter (demo)", "Aalborg", 57.04880, 9.92170)),
    (7, "Dagsession (demo)", "all", "day",
     dt.datetime(2028, 4, 12, 10), dt.datetime(2028, 4, 12, 18),
     ("Konferencecenter ved domkirken (demo)", "Roskilde", 55.64190, 12.08780)),
    (8, "Døgnsession (demo)", "all", "overnight",
     dt.datetime(2028, 11, 30, 12), dt.datetime(2028, 12, 1, 12),
     ("Kursus- og konferencehotel (demo)", "Kolding", 55.49040, 9.47220)),
    (9, "Dagsession (demo)", "all", "day",
     dt.datetime(2029, 4, 11, 10), dt.datetime(2029, 4, 11, 18),
     ("Kursuscenter ved Storebælt (demo)", "Nyborg", 55.31270, 10.78960)),
    (10, "Onlinemøde (demo)", "all", "online",
     dt.datetime(2029, 5, 23, 14), dt.datetime(2029, 5, 23, 16), None),
)

# Sessions the brochure does not place get a demo venue spread over the country.
DEMO_VENUES = {
    "LKS2022-01": ("Kursuscenter ved Storebælt (demo)", "Nyborg", 55.31270, 10.78960),
    "LKS2022-02": ("Konferencecenter ved fjorden (demo)", "Horsens", 55.86070, 9.85030),
    "LKS2022-05": ("Kongres- og kulturhus (demo)", "Aarhus", 56.15670, 10.21080),
    "LKS2022-06": ("Hotel og konferencecenter (demo)", "Aalborg", 57.04880, 9.92170),
    "LKS2022-07": ("Konferencecenter i midtbyen (demo)", "Odense", 55.39590, 10.38830),
    "LKS2022-08": ("Kursus- og konferencehotel (demo)", "Kolding", 55.49040, 9.47220),
    "LKS2022-09": ("Konferencecenter ved domkirken (demo)", "Roskilde", 55.64190, 12.08780),
}

# A few mayors leave mid-term; a newly elected successor takes over the next day.
REPLACEMENT_DATES = (dt.date(2022, 9, 30), dt.date(2023, 6, 30),
                     dt.date(2024, 2, 29), dt.date(2024, 8, 31))

FIRST_NAMES = (
    "Anders", "Anne", "Birgitte", "Bo", "Camilla", "Carsten", "Charlotte", "Christian",
    "Dorthe", "Erik", "Eva", "Finn", "Gitte", "Hanne", "Helle", "Henrik", "Inger", "Jakob",
    "Jens", "Jesper", "Karen", "Kirsten", "Klaus", "Lars", "Lene", "Lise", "Louise", "Mads",
    "Maria", "Mette", "Michael", "Morten", "Niels", "Ole", "Pernille", "Peter", "Pia",
    "Poul", "Rasmus", "Rikke", "Signe", "Søren", "Susanne", "Thomas", "Tina", "Torben",
    "Trine", "Ulla", "Vibeke", "Aase",
)
FAMILY_NAMES = (
    "Andersen", "Bach", "Bertelsen", "Birk", "Brandt", "Dahl", "Damgaard", "Eskildsen",
    "Frandsen", "Gregersen", "Hald", "Holm", "Høgh", "Juhl", "Kjær", "Kristoffersen", "Lund",
    "Lykke", "Madsen", "Mogensen", "Mørk", "Nygaard", "Overgaard", "Poulsen", "Rask",
    "Ravn", "Skov", "Staal", "Svendsen", "Sørensen", "Thorsen", "Toft", "Vang", "Vestergaard",
    "Winther", "Østergaard",
)
PARTIES = (  # weights roughly as the mayoral posts fell after the 2021 elections
    ("Socialdemokratiet", 44), ("Venstre", 34), ("Det Konservative Folkeparti", 15),
    ("SF", 2), ("Radikale Venstre", 1), ("Slesvigsk Parti", 1), ("Lokalliste", 1),
)
# Parties that stand only in some municipalities (DST codes): Slesvigsk Parti, the German
# minority's party, stands in the four Sønderjylland municipalities only (Haderslev,
# Sønderborg, Tønder, Aabenraa).
LOCAL_PARTIES = {"Slesvigsk Parti": frozenset({510, 540, 550, 580})}


def _party(rng: random.Random, kommune_code: int) -> str:
    """A party for a mayor of this municipality, by PARTIES' weights among those that stand
    there. One draw from rng whatever the municipality, so the rest of the demo stays as it
    was."""
    weights = [0 if kommune_code not in LOCAL_PARTIES.get(party, {kommune_code}) else weight
               for party, weight in PARTIES]
    return rng.choices([party for party, _ in PARTIES], weights)[0]


def generate(reference: ReferenceData, seed: int = SEED,
             today: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """All demo tables as rows, from the reference data, one seed and the demo's today
    (default etl.clock.today()): what has happened by then is held, registered, invoiced."""
    today = today or clock.today()
    rng = random.Random(seed)
    municipalities = sorted(reference.municipalities, key=lambda m: m["kommune_code"])
    sessions = sorted(reference.sessions, key=lambda s: s["starts_at"])
    venues = _venues(sessions)
    first_terms = _mayors(rng, municipalities)
    list_price = {p["format"]: p["price_ex_vat"] for p in reference.prices}
    drafts = _registrations(rng, sessions, venues, first_terms, municipalities, list_price,
                            today)
    # The next period from a generator of its own: the brochure's programme stays as it was.
    next_rng = random.Random(seed - SEED + NEXT_SEED)
    programme, next_sessions = demo_programme(list_price)
    next_terms = _next_terms(next_rng, first_terms)
    drafts += _registrations(next_rng, next_sessions, [], next_terms, municipalities,
                             list_price, today)
    drafts.sort(key=lambda r: (r["session_id"], r["registered_at"], r["mayor_id"]))
    for number, row in enumerate(drafts, start=1):
        row["registration_id"] = f"D{number:05d}"
    terms = sorted(first_terms + next_terms, key=lambda t: (t["mayor_id"], t["term_start"]))
    info = [
        {"key": "is_demo", "value": "true"},
        {"key": "data_as_of", "value": today.isoformat()},
        {"key": "description", "value": "Demodata: fiktive borgmestre og tilmeldinger, "
                                          f"genereret med seed {seed}"},
    ]
    return {"programmes": [programme], "sessions": next_sessions, "mayors": _people(terms),
            "mayor_terms": [{k: t[k] for k in TERM_KEYS} for t in terms],
            "registrations": drafts, "venues": venues, "dataset_info": info}


TERM_KEYS = ("mayor_id", "kommune_code", "party", "term_start", "term_end", "newly_elected")


def demo_programme(list_price: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The made-up 2026-2029 programme and its sessions, at the brochure's list prices."""
    sessions = []
    for number, title, audience, format_, starts, ends, venue in DEMO_SESSIONS:
        name, city, lat, lon = venue or (None, None, None, None)
        sessions.append({
            "session_id": f"{DEMO_PROGRAMME['programme_id']}-{number:02d}",
            "programme_id": DEMO_PROGRAMME["programme_id"], "title": title,
            "audience": audience, "format": format_, "starts_at": starts, "ends_at": ends,
            "venue": name, "city": city, "lat": lat, "lon": lon,
            "price_ex_vat": list_price[format_], "capacity": None})
    return dict(DEMO_PROGRAMME), sessions


def _next_terms(rng: random.Random, first_terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The terms from 1 January 2026: the mayor in office at the end of 2025 re-elected as
    the same person (same mayor_id), or, in NEWLY_ELECTED_SHARE of the municipalities, a
    newly elected successor with an id of their own."""
    last = {}
    for term in sorted(first_terms, key=lambda t: t["term_start"]):
        last[term["kommune_code"]] = term
    codes = sorted(last)
    newly = set(rng.sample(codes, round(NEWLY_ELECTED_SHARE * len(codes))))
    taken = {t["name"] for t in first_terms}
    names = _unique_names(rng, len(newly), taken)
    terms = []
    for code in codes:
        before = last[code]
        term = {"kommune_code": code, "term_start": NEXT_TERM_START, "term_end": None,
                "newly_elected": code in newly}
        if code in newly:
            number = int(before["mayor_id"].rsplit("-", 1)[1]) + 1
            term.update(mayor_id=f"M{code:03d}-{number}", name=next(names),
                        party=_party(rng, code))
        else:
            term.update(mayor_id=before["mayor_id"], name=before["name"],
                        party=before["party"])
        terms.append(term)
    return terms


def _people(terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One mayors row per person: their name and their latest term."""
    latest = {}
    for term in sorted(terms, key=lambda t: t["term_start"]):
        latest[term["mayor_id"]] = term
    return [{"name": t["name"], **{k: t[k] for k in TERM_KEYS}}
            for _, t in sorted(latest.items())]


def write_demo(directory: Path, tables: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    """Write the demo tables as CSV files in the canonical format; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, (file_name, columns) in FILES.items():
        path = directory / file_name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            for row in tables[key]:
                writer.writerow([csv_cell(row.get(c.name)) for c in columns])
        paths[key] = path
    return paths


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.5f}"
    return str(value)


def _venues(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for session in sessions:
        if session["format"] == "online" or session["lat"] is not None:
            continue
        venue = DEMO_VENUES.get(session["session_id"])
        if venue is None:
            continue  # a physical session added later without a demo venue stays unplaced
        name, city, lat, lon = venue
        rows.append({"session_id": session["session_id"], "venue": name, "city": city,
                     "lat": lat, "lon": lon})
    return rows


def _mayors(rng: random.Random, municipalities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The terms of the 2022-2025 period: a mayor per municipality, a few replaced."""
    codes = [m["kommune_code"] for m in municipalities]
    newly = set(rng.sample(codes, round(NEWLY_ELECTED_SHARE * len(codes))))
    replaced = rng.sample(codes, len(REPLACEMENT_DATES))
    names = _unique_names(rng, len(codes) + len(replaced))
    mayors = []
    for code in codes:
        mayors.append({
            "mayor_id": f"M{code:03d}-1", "name": next(names), "kommune_code": code,
            "party": _party(rng, code), "term_start": TERM_START,
            "term_end": TERM_END, "newly_elected": code in newly,
        })
    by_code = {m["kommune_code"]: m for m in mayors}
    for code, leaves_on in zip(replaced, REPLACEMENT_DATES, strict=True):
        by_code[code]["term_end"] = leaves_on
        mayors.append({
            "mayor_id": f"M{code:03d}-2", "name": next(names), "kommune_code": code,
            "party": by_code[code]["party"], "term_start": leaves_on + dt.timedelta(days=1),
            "term_end": TERM_END, "newly_elected": True,
        })
    return sorted(mayors, key=lambda m: m["mayor_id"])


def _unique_names(rng: random.Random, count: int,
                  taken: Iterable[str] = ()) -> Iterable[str]:
    """`count` names drawn from rng, none of them twice nor among `taken`."""
    seen: set[str] = set(taken)
    count += len(seen)
    while len(seen) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
        if name not in seen:
            seen.add(name)
            yield name


def _in_office(mayor: dict[str, Any], day: dt.date) -> bool:
    return mayor["term_start"] <= day and (mayor["term_end"] is None or day <= mayor["term_end"])


def _registrations(rng: random.Random, sessions: list[dict[str, Any]],
                   venues: list[dict[str, Any]], mayors: list[dict[str, Any]],
                   municipalities: list[dict[str, Any]], list_price: dict[str, Any],
                   today: dt.date) -> list[dict[str, Any]]:
    """Registrations for `sessions` (one programme's, in time order) of the mayors in office
    on each session's day (`mayors`: their terms), made by `today`; ids are given later."""
    town_hall = {m["kommune_code"]: (m["lat"], m["lon"]) for m in municipalities}
    place = {v["session_id"]: (v["lat"], v["lon"]) for v in venues}
    place.update({s["session_id"]: (s["lat"], s["lon"]) for s in sessions if s["lat"] is not None})
    engagement = {m["mayor_id"]: rng.betavariate(3.0, 2.2) for m in mayors}
    went_to_intro: set[str] = set()
    first = sessions[0]["starts_at"]
    span = (sessions[-1]["starts_at"] - first).days or 1

    drafts = []
    for session in sessions:
        day = session["starts_at"].date()
        fade = 1.0 - 0.45 * (session["starts_at"] - first).days / span
        for mayor in mayors:
            if not _in_office(mayor, day):
                continue
            if session["audience"] == "intro":
                # Intro sessions are for newcomers; a re-elected mayor turns up now and then.
                first_intro = session is sessions[0]
                chance = (0.80 if first_intro else 0.70) if mayor["newly_elected"] else 0.02
            else:
                chance = engagement[mayor["mayor_id"]] * fade * _nearness(
                    session, place, town_hall[mayor["kommune_code"]])
                if mayor["mayor_id"] in went_to_intro:
                    chance += 0.08  # the intro sessions bind newcomers to the programme
            if rng.random() >= min(chance, 0.97):
                continue
            registered_at = registration_time(rng, session["starts_at"])
            if registered_at.date() > today:
                continue
            status = session_status(rng, session, today)
            if session["audience"] == "intro" and status == "attended":
                went_to_intro.add(mayor["mayor_id"])
            drafts.append({
                "session_id": session["session_id"], "mayor_id": mayor["mayor_id"],
                "kommune_code": mayor["kommune_code"], "registered_at": registered_at,
                "status": status, "price_ex_vat": list_price[session["format"]],
                "invoiced_at": invoice_date(rng, day, today),
            })
    return drafts


def _nearness(session: dict[str, Any], place: dict[str, tuple[float, float]],
              home: tuple[float, float]) -> float:
    """More mayors come when the venue is near their town hall; online sits in between."""
    if session["session_id"] not in place:
        return 0.80
    distance = haversine_km(*home, *place[session["session_id"]])
    return 0.70 + 0.50 * math.exp(-distance / 100)


def registration_time(rng: random.Random, starts_at: dt.datetime) -> dt.datetime:
    days_before = rng.triangular(3, 70, 14)  # most sign up in the last weeks
    moment = starts_at - dt.timedelta(days=days_before)
    return moment.replace(hour=rng.randint(8, 16), minute=rng.randrange(0, 60, 5),
                          second=0, microsecond=0)


def session_status(rng: random.Random, session: dict[str, Any], today: dt.date) -> str:
    roll = rng.random()
    if session["starts_at"].date() > today:
        return "cancelled" if roll < 0.03 else "registered"
    if roll < 0.07:
        return "cancelled"  # late cancellations: binding, so still billed
    if roll < 0.12:
        return "no_show"
    return "attended"


def invoice_date(rng: random.Random, day: dt.date, today: dt.date) -> dt.date | None:
    invoiced = day + dt.timedelta(days=rng.randint(5, 20))
    return invoiced if invoiced <= today else None
