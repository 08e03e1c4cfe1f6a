"""The naive baseline: every registration in one pandas DataFrame, grouped on every request.

This is how a typical Dash tutorial app is written: read everything into memory at start-up,
then filter and group the whole frame inside each callback. It draws the same figures with
the same figure builders, so the difference to our callbacks is the data access alone.

Run: .venv/bin/python benchmarks/naive.py --db PATH [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.io  # noqa: E402

from dashboard import figures  # noqa: E402

PROGRAMME = "LKS2022"


def load_everything(database: Path) -> dict[str, pd.DataFrame]:
    """What the tutorial app reads at start-up: the raw tables, joined once."""
    with duckdb.connect(str(database), read_only=True) as con:
        registrations = con.execute("SELECT * FROM registrations").df()
        sessions = con.execute("SELECT * FROM sessions").df()
        municipalities = con.execute("SELECT * FROM municipalities").df()
    facts = registrations.merge(
        sessions[["session_id", "programme_id", "title", "format", "audience", "starts_at",
                  "price_ex_vat"]].rename(columns={"price_ex_vat": "list_price"}),
        on="session_id").merge(municipalities[["kommune_code", "name", "region"]],
                               on="kommune_code")
    facts["revenue_ex_vat"] = facts["price_ex_vat"].fillna(facts["list_price"]).fillna(0)
    return {"facts": facts, "sessions": sessions, "municipalities": municipalities}


def overview(data: dict[str, pd.DataFrame], programme_id: str) -> str:
    facts = data["facts"]
    mine = facts[facts["programme_id"] == programme_id]
    per_session = mine.groupby("session_id").agg(
        registered=("status", lambda s: int((s != "cancelled").sum())),
        attended=("status", lambda s: int((s == "attended").sum())))
    sessions = data["sessions"]
    turnout = (sessions[sessions["programme_id"] == programme_id]
               .merge(per_session, on="session_id", how="left").fillna(
                   {"registered": 0, "attended": 0}).sort_values("starts_at"))
    return plotly.io.to_json(figures.turnout_by_session(turnout))


def municipalities(data: dict[str, pd.DataFrame], programme_id: str) -> str:
    facts = data["facts"]
    mine = facts[facts["programme_id"] == programme_id]
    attended = mine[mine["status"] == "attended"].groupby("kommune_code")["session_id"].nunique()
    registered = mine[mine["status"] != "cancelled"].groupby("kommune_code")[
        "session_id"].nunique()
    per_municipality = data["municipalities"][["kommune_code", "name"]].rename(
        columns={"name": "municipality"})
    per_municipality["sessions_attended"] = per_municipality["kommune_code"].map(
        attended).fillna(0)
    per_municipality["sessions_registered"] = per_municipality["kommune_code"].map(
        registered).fillna(0)
    return plotly.io.to_json(figures.participation_ranking(per_municipality))


def revenue(data: dict[str, pd.DataFrame], programme_id: str) -> str:
    facts = data["facts"]
    mine = facts[facts["programme_id"] == programme_id].assign(
        invoiced_ex_vat=lambda f: f["revenue_ex_vat"].where(f["invoiced_at"].notna(), 0),
        outstanding_ex_vat=lambda f: f["revenue_ex_vat"].where(f["invoiced_at"].isna(), 0),
        unknown=lambda f: f["price_ex_vat"].isna() & f["list_price"].isna())
    by_format = mine.groupby("format", as_index=False).agg(
        invoiced_ex_vat=("invoiced_ex_vat", "sum"),
        outstanding_ex_vat=("outstanding_ex_vat", "sum"),
        registrations_price_unknown=("unknown", "sum"))
    by_session = mine.groupby(["session_id", "starts_at", "format"], as_index=False).agg(
        invoiced_ex_vat=("invoiced_ex_vat", "sum"),
        outstanding_ex_vat=("outstanding_ex_vat", "sum")).sort_values("starts_at")
    return plotly.io.to_json(figures.revenue_by_format(by_format)) + plotly.io.to_json(
        figures.revenue_by_session(by_session))


PAGES = {"Overblik": overview, "Kommuner: figurer": municipalities, "Økonomi": revenue}


def time_naive(database: Path, repeat: int) -> tuple[dict[str, float], float]:
    """p50 ms per page, and the seconds the start-up load took."""
    started = time.perf_counter()
    data = load_everything(database)
    loaded = time.perf_counter() - started
    medians = {}
    for name, page in PAGES.items():
        page(data, PROGRAMME)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            page(data, PROGRAMME)
            timings.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(timings)
    return medians, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    medians, loaded = time_naive(args.db, args.repeat)
    print(f"start-up load of every registration: {loaded:.1f} s")
    for name, ms in medians.items():
        print(f"{name:<20}{ms:>8.1f} ms (p50)")


if __name__ == "__main__":
    main()
