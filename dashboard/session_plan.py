"""One session's plan: gathered from the database for the Planning page and the command line
(`python -m dashboard plan SESSION_ID`), which prints it as text."""

from __future__ import annotations

import pandas as pd

from dashboard import figures, formatting, planning, queries
from dashboard.db import background_reads, read_in_parallel
from dashboard.today import is_held, outcome_known, pages_today, today_for


def build_plan(con, session_id: str) -> dict:
    """Everything the page shows for one session (used by `python -m dashboard plan`).

    The page asks for its three parts in three callbacks, so each section appears as soon as
    its own reads are done; here they are put together."""
    return {**plan_forecast(con, session_id), **plan_lists(con, session_id),
            **plan_venue(con, session_id)}


def plan_forecast(con, session_id: str) -> dict:
    """The session, the sessions its forecast compares with, the forecast and the curves;
    for a held session (dashboard.today.is_held) its outcome as well.

    Keys: today and as_of (the pages' today, the data's date), sessions, target, forecast,
    outcome (queries.SessionOutcome when held, else None), outcome_known (False: held since
    the real data's date, so the outcome holds only its bookings), curves.

    Reads only the sessions the plan looks at (queries.plan_sessions), so it costs the same
    with ten sessions in the database or twenty thousand. The curves are read on a cursor of
    their own while the forecast is worked out."""
    info = queries.dataset_info(con)
    today = today_for(info)
    sessions = queries.plan_sessions(con, session_id, today)
    target = sessions.set_index("session_id").loc[session_id]
    # The registration curves of the latest six sessions of its format, up to this one.
    compared = list(sessions[(sessions["format"] == target["format"])
                             & (sessions["starts_at"] <= target["starts_at"])]
                    ["session_id"])[-6:]
    with background_reads(con, lambda c: queries.registration_curves(c, compared)) as curves:
        forecast = planning.forecast(sessions, _pace(con, sessions, session_id, today),
                                     session_id, today)
        outcome = (queries.session_outcome(con, session_id)
                   if is_held(target["starts_at"], today) else None)
    return {"today": today, "as_of": info.data_as_of, "sessions": sessions, "target": target,
            "forecast": forecast, "outcome": outcome,
            "outcome_known": outcome_known(target["starts_at"], info),
            "curves": curves[0].result()}


def plan_lists(con, session_id: str) -> dict:
    """Who is registered (and the session's capacity, for the waiting list) and whom to call.

    A held session has no one left to call: to_call is None then (and `held` True)."""
    held = _held(con, session_id)
    participants, to_call, capacity = read_in_parallel(
        lambda c: queries.session_participants(c, session_id),
        lambda c: None if held else queries.not_registered_for(c, session_id),
        lambda c: queries.session_capacity(c, session_id), on=con)
    return {"participants": participants, "to_call": to_call, "capacity": capacity,
            "held": held}


def plan_venue(con, session_id: str) -> dict:
    """The next physical session from this one, where its participants will come from, the
    candidate cities ranked by their travel, and where the latest sessions were held.

    From a held session there is no venue to suggest: venue_session is None and `held` True
    (the hosting history is still there). A venue session whose venue is placed already (its
    position known, `placed` True) gets no suggestion either: `ranked` is then that venue
    alone, with the travel to it."""
    with background_reads(con, lambda c: queries.hosting_history(
                              c, limit=HOSTING_ROWS, held_before=pages_today(c)),
                          queries.venue_candidates) as lists:
        today = pages_today(con)
        sessions = queries.plan_sessions(con, session_id, today)
        target = sessions.set_index("session_id").loc[session_id]
        held = is_held(target["starts_at"], today)
        physical = sessions[(sessions["format"] != "online")
                            & (sessions["starts_at"] >= target["starts_at"])]
        venue = physical.iloc[0] if len(physical) and not held else None
        reads = references = None
        if venue is not None:
            with background_reads(
                    con, lambda c: queries.registered_origins(c, venue["session_id"]),
                    # Sessions held before today: one between today and the venue session
                    # has registrations but no attendance yet.
                    lambda c: queries.recent_physical_attendance(
                        c, min(venue["starts_at"].date(), today))
            ) as reads:
                # What the venue session's forecast is made from: this plan's sessions when
                # the venue session is this one, else its own.
                references = ((sessions, _pace(con, sessions, session_id, today))
                              if venue["session_id"] == session_id
                              else _references(con, venue["session_id"], today))
    hosting, candidates = (future.result() for future in lists)
    ranked = origins = basis = None
    placed = venue is not None and not pd.isna(venue["lat"])
    if venue is not None:
        registered, recent = (future.result() for future in reads)
        expected = planning.forecast(*references, venue["session_id"], today)
        origins, basis = planning.expected_origins(registered, recent,
                                                   expected.participants.expected)
        if placed:  # where it will be held: the travel there, no candidates to weigh
            candidates = pd.DataFrame({"city": [venue["city"]], "region": [None],
                                       "lat": [venue["lat"]], "lon": [venue["lon"]]})
        ranked = planning.rank_venues(origins, candidates)
    return {"venue_session": venue, "origins": origins, "origin_basis": basis,
            "ranked": ranked, "hosting": hosting, "held": held, "placed": placed}


HOSTING_ROWS = 6


def _pace(con, sessions, session_id: str, today):
    """Registrations so far and by the same point before, for the sessions a plan compares."""
    target = sessions.set_index("session_id").loc[session_id]
    days_before = (target["starts_at"].date() - today).days
    return queries.session_pace(con, days_before, list(sessions["session_id"]))


def _references(con, session_id: str, today):
    """What another session's forecast is made from: its plan's sessions and their pace."""
    sessions = queries.plan_sessions(con, session_id, today)
    return sessions, _pace(con, sessions, session_id, today)


def _held(con, session_id: str) -> bool:
    """Whether the session is held by the pages' today (False for an unknown session)."""
    row = con.execute("SELECT starts_at FROM sessions WHERE session_id = ?",
                      [session_id]).fetchone()
    return row is not None and is_held(row[0], pages_today(con))


def plan_text(con, session_id: str) -> str:
    """The plan as the command line prints it: a held session's outcome, else its forecast."""
    plan = build_plan(con, session_id)
    forecast = plan["forecast"]
    target = plan["target"]
    outcome = plan["outcome"]
    lines = [
        f"{figures.session_label(target['starts_at'], target['format'])} – {target['title']}",
        f"I dag {formatting.short_date(plan['today'])}; "
        f"data pr. {formatting.short_date(plan['as_of'])}; "
        + (("afholdt" if plan["outcome_known"] else
            "afholdt efter data-datoen: tallene er tilmeldingerne, ikke udfaldet")
           if outcome is not None else f"{forecast.days_before} dage til sessionen"),
        "",
    ]
    if outcome is not None:
        lines += [
            f"Tilmeldt:              {outcome.registered}"
            + (f" (heraf {outcome.unrecorded} uden registreret fremmøde)"
               if outcome.unrecorded else ""),
            f"Deltaget:              {outcome.attended}",
            f"Afmeldt:               {outcome.cancelled}",
            f"Udeblevet:             {outcome.no_shows}",
            f"Omsætning ekskl. moms: {formatting.kroner(outcome.revenue_ex_vat)}"
            + (f" ({outcome.price_unknown} uden kendt pris tæller som 0 kr.)"
               if outcome.price_unknown else ""),
        ]
        return "\n".join(lines)
    lines += [
        f"Tilmeldt indtil nu:    {forecast.registered_so_far} "
        f"({forecast.registrations_so_far - forecast.registered_so_far} afmeldt)",
        f"Forventet endeligt antal efter afmeldinger: {forecast.registered.expected} "
        f"(spænd {forecast.registered.low}–{forecast.registered.high})",
        f"Forventet deltagere:   {forecast.participants.expected} "
        f"(spænd {forecast.participants.low}–{forecast.participants.high})",
        "Måltider:              " + (", ".join(f"{n} × {meal}" for meal, n in
                                             forecast.meals.items()) or "ingen"),
        f"Værelser:              {forecast.rooms}",
        "",
        forecast.method,
        *([warning] if (warning := planning.thin_warning(forecast)) else []),
    ]
    ranked = plan["ranked"]
    if ranked is not None and plan["placed"]:
        venue = plan["venue_session"]
        lines += ["", f"Mødested for {figures.session_label(venue['starts_at'], venue['format'])}"
                      f": {venue['venue']}, {venue['city']} (fastlagt; afstande fra "
                      f"{plan['origin_basis']})",
                  f"     gns. {formatting.number(ranked['avg_km'].iloc[0]):>5} km, i alt "
                  f"{formatting.number(ranked['total_km'].iloc[0]):>7} km"]
    elif ranked is not None:
        venue = plan["venue_session"]
        lines += ["", f"Mødesteder for {figures.session_label(venue['starts_at'], venue['format'])}"
                      f" (afstande fra {plan['origin_basis']}):"]
        for row in ranked.itertuples():
            lines.append(f"{row.rank:>3}. {row.city:<12} {row.region.removeprefix('Region '):<12}"
                         f" gns. {formatting.number(row.avg_km):>5} km, i alt "
                         f"{formatting.number(row.total_km):>7} km"
                         + ("   <- bedste" if row.best else ""))
    return "\n".join(lines)
