"""The moderator's arithmetic: how many will come, how many meals and rooms, and where to meet.

Pure functions over DataFrames that dashboard.queries returns; the Planning page and
`python -m dashboard plan` both use them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import pandas as pd

from dashboard.figures import STATUS_LABELS
from dashboard.formatting import danish_keys, percent
from dashboard.i18n import t, tn
from dashboard.today import held_mask
from etl.geo import haversine_km_between

# From the brochure's programme for December 2022: lunch, dinner, breakfast and a lunch to go
# for a døgnsession (12.00-12.00); a dagsession (10.00-18.00) serves lunch.
MEALS = {"overnight": ("frokost", "middag", "morgenmad", "frokost to go"),
         "day": ("frokost",), "online": ()}
MIN_REGISTRATIONS_FOR_ORIGINS = 10
# A forecast from fewer earlier sessions of the same format than this is a guess: the page
# and the plan's text warn beside it.
MIN_COMPARABLE = 2


@dataclass(frozen=True)
class Range:
    low: int
    expected: int
    high: int


@dataclass(frozen=True)
class Forecast:
    session_id: str
    format: str
    days_before: int                  # days from the pages' today to the session; < 0: held
    registrations_so_far: int         # every registration, cancelled ones too
    registered_so_far: int            # not cancelled
    registrations: Range              # final registrations, cancelled included
    registered: Range                 # final, not cancelled
    participants: Range               # expected to turn up
    cancel_rate: float
    no_show_rate: float
    reference_sessions: tuple[str, ...]
    method: str
    comparable: int = 0               # earlier held sessions of the same format with registrations

    @property
    def is_thin(self) -> bool:
        """Resting on fewer than MIN_COMPARABLE sessions of its format: said beside it."""
        return not self.is_held and self.comparable < MIN_COMPARABLE

    @property
    def is_held(self) -> bool:
        return self.days_before < 0

    @property
    def meals(self) -> dict[str, int]:
        return {meal: self.participants.expected for meal in MEALS[self.format]}

    @property
    def rooms(self) -> int:
        return self.participants.expected if self.format == "overnight" else 0


def forecast(sessions: pd.DataFrame, pace: pd.DataFrame, target_id: str,
             today: dt.date) -> Forecast:
    """Expected registrations and participants for one session, from earlier sessions' pace.

    `sessions`: session_id, format, starts_at. `pace`: per session, at the target's lead time:
    session_id, total, by_then, cancelled, no_show (see queries.session_pace). `today`: the
    pages' today (dashboard.today); sessions held before it are the references.
    """
    target = sessions.set_index("session_id").loc[target_id]
    days_before = (target["starts_at"].date() - today).days
    counts = pace.set_index("session_id")
    mine = counts.loc[target_id] if target_id in counts.index else None
    so_far = int(mine["total"]) if mine is not None else 0
    cancelled_so_far = int(mine["cancelled"]) if mine is not None else 0

    held = sessions[held_mask(sessions["starts_at"], today)
                    & (sessions["session_id"] != target_id)]
    held = held[held["session_id"].isin(counts.index[counts["total"] > 0])]
    same_format = held[held["format"] == target["format"]]
    reference = same_format if len(same_format) else held
    basis = (t(f"plan.basis_{target['format']}") if len(same_format)
             else t("plan.basis_all"))
    rows = counts.loc[list(reference["session_id"])]
    cancel_rate = _mean(rows["cancelled"] / rows["total"])
    no_show_rate = _mean(rows["no_show"] / (rows["total"] - rows["cancelled"]).clip(lower=1))

    if days_before < 0:  # held: the numbers are what they are
        registered = so_far - cancelled_so_far
        attended = int(mine["attended"]) if mine is not None else 0
        exact = Range(so_far, so_far, so_far)
        return Forecast(target_id, target["format"], days_before, so_far, registered, exact,
                        Range(registered, registered, registered),
                        Range(attended, attended, attended), cancel_rate, no_show_rate, (),
                        t("plan.held"))

    estimates = [so_far / share for share in rows["by_then"] / rows["total"] if share > 0]
    if so_far == 0 or not estimates:
        estimates = [float(t) for t in rows["total"]]  # nothing to scale yet: past totals
        how = t("plan.how_none", basis=basis)
    else:
        how = t("plan.how_scaled", n=so_far, basis=basis, days=tn("unit.days", days_before))
    estimates = [max(e, so_far) for e in estimates] or [float(so_far)]
    total = Range(round(min(estimates)), round(statistics.median(estimates)),
                  round(max(estimates)))

    def after(rate: float, value: int) -> int:
        return round(value * (1 - rate))

    registered = Range(*(after(cancel_rate, v) for v in (total.low, total.expected, total.high)))
    participants = Range(*(after(no_show_rate, v) for v in
                           (registered.low, registered.expected, registered.high)))
    counted = t("plan.one_session" if len(estimates) == 1 else "plan.sessions",
                n=len(estimates))
    method = t("plan.method", how=how, counted=counted, cancel=percent(cancel_rate, 0),
               no_show=percent(no_show_rate, 0))
    return Forecast(target_id, target["format"], days_before, so_far,
                    so_far - cancelled_so_far, total, registered, participants, cancel_rate,
                    no_show_rate, tuple(reference["session_id"]), method, len(same_format))


def thin_warning(forecast: Forecast) -> str | None:
    """The warning a forecast from fewer than MIN_COMPARABLE comparable sessions carries, or
    None."""
    if not forecast.is_thin:
        return None
    kind = t(f"plan.basis_{forecast.format}")
    if forecast.comparable == 0:
        return t("plan.thin_none", kind=kind)
    return t("plan.thin_one", kind=kind)


def likely_order(session_ids: list[str], held: list[bool]) -> list[str]:
    """A programme's sessions (given in date order, with whether each is held) in the order
    the moderator is likely to open them: the upcoming ones soonest first, then the held ones
    latest first. The first is the one Planlægning picks by default: the next upcoming
    session, or the last held one once all are held."""
    upcoming = [s for s, done in zip(session_ids, held, strict=True) if not done]
    over = [s for s, done in zip(session_ids, held, strict=True) if done]
    return upcoming + over[::-1]


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else 0.0


def waiting_list(registrations: pd.DataFrame, capacity: int | None) -> pd.DataFrame:
    """Registrations beyond the capacity, first come first served (cancellations skipped)."""
    if not capacity:
        return registrations.iloc[0:0]
    active = registrations[registrations["status"] != "cancelled"].sort_values("registered_at")
    return active.iloc[capacity:]


def expected_origins(current: pd.DataFrame, recent: pd.DataFrame,
                     expected_participants: int) -> tuple[pd.DataFrame, str]:
    """Where the participants will travel from: town halls with a weight each.

    With enough registrations they are the registered mayors' town halls; before that, the
    municipalities that came to recent physical sessions, scaled to the expected number.
    """
    if len(current) >= MIN_REGISTRATIONS_FOR_ORIGINS or recent.empty:
        origins = current.assign(weight=1.0)
        return origins, t("plan.origins_registered", n=len(current))
    weights = recent["attendances"] / recent["attendances"].sum() * max(expected_participants, 1)
    return recent.assign(weight=weights), t("plan.origins_recent")


def rank_venues(origins: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Candidate cities by total straight-line travel for the weighted origins, best first."""
    total_weight = float(origins["weight"].sum()) if len(origins) else 0.0
    # One row per candidate, one column per origin.
    distances = haversine_km_between(
        candidates["lat"].to_numpy(float)[:, None], candidates["lon"].to_numpy(float)[:, None],
        origins["lat"].to_numpy(float)[None, :], origins["lon"].to_numpy(float)[None, :])
    totals = distances @ origins["weight"].to_numpy(float)
    rows = pd.DataFrame({"city": candidates["city"], "region": candidates["region"],
                         "lat": candidates["lat"], "lon": candidates["lon"],
                         "total_km": totals,
                         "avg_km": totals / total_weight if total_weight else None})
    ranked = rows.sort_values(["total_km", "city"], key=lambda c: danish_keys(c)
                              if c.name == "city" else c).reset_index(drop=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    ranked["best"] = ranked["rank"] == 1
    return ranked


def participant_sheet(participants: pd.DataFrame) -> pd.DataFrame:
    """The participant list with Danish headers and values, ready for Excel."""
    return pd.DataFrame({
        "Kommune": participants["municipality"],
        "Borgmester": participants["mayor"],
        "Nyvalgt": participants["newly_elected"].map({True: "ja", False: "nej"}),
        "Tilmeldt": participants["registered_at"],
        "Status": participants["status"].map(STATUS_LABELS),
        "Region": participants["region"].str.removeprefix("Region "),
    })
