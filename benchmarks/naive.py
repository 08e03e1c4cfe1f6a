"""The naive baseline: every registration in one pandas DataFrame, grouped on every request.

This is how a typical Dash tutorial app is written: read everything into memory at start-up,
then filter and group the whole frame inside each callback, with no cache. To compare like
with like, it runs our own callbacks (same figures, same tables, same Flask and Dash request
handling) with the queries they call swapped for pandas code over that frame; the difference
to our callbacks is the data access and the cache alone.

Run: .venv/bin/python benchmarks/naive.py --db PATH [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard import cache, queries  # noqa: E402

RANKS = {"attended": 4, "no_show": 3, "registered": 2, "cancelled": 1}
STATUS_OF_RANK = {0: "not_registered", **{rank: status for status, rank in RANKS.items()}}
PAGES = ("Overblik", "Kommuner: figurer", "Kommuner: filter", "Økonomi")


class NaiveData:
    """The tutorial app's global state: the raw tables, read once, joined once."""

    def __init__(self, database: Path):
        with duckdb.connect(str(database), read_only=True) as con:
            registrations = con.execute("SELECT * FROM registrations").df()
            self.sessions = con.execute("SELECT * FROM sessions").df()
            self.municipalities = con.execute("SELECT * FROM municipalities").df()
            self.mayors = con.execute("SELECT * FROM mayors").df()
            self.prices = con.execute("SELECT * FROM prices").df()
        facts = registrations.merge(
            self.sessions[["session_id", "programme_id", "title", "format", "audience",
                           "starts_at", "price_ex_vat"]].rename(
                columns={"price_ex_vat": "list_price", "title": "session_title"}),
            on="session_id").merge(self.prices[["format", "vat_rate"]], on="format")
        facts["price_known"] = facts["price_ex_vat"].notna() | facts["list_price"].notna()
        facts["revenue_ex_vat"] = facts["price_ex_vat"].fillna(facts["list_price"]) \
            .fillna(0).astype(float)
        facts["vat"] = facts["revenue_ex_vat"] * facts["vat_rate"].astype(float)
        facts["revenue_incl_vat"] = facts["revenue_ex_vat"] + facts["vat"]
        facts["rank"] = facts["status"].map(RANKS)
        self.facts = facts

    # --- what the pages ask, grouped from the whole frame on every call -----------------

    def key_figures(self, _con, programme_id):
        f = self.facts[self.facts["programme_id"] == programme_id]
        attended = f[f["status"] == "attended"]
        return queries.KeyFigures(
            len(self.municipalities), attended["kommune_code"].nunique(),
            attended["mayor_id"].nunique(), int((f["status"] != "cancelled").sum()),
            len(attended), int((f["status"] == "no_show").sum()),
            float(f["revenue_ex_vat"].sum()), int((~f["price_known"]).sum()))

    def sessions_of(self, _con, programme_id):
        s = self.sessions[self.sessions["programme_id"] == programme_id]
        return s.sort_values("starts_at").reset_index(drop=True)

    def session_turnout(self, _con, programme_id):
        f = self.facts[self.facts["programme_id"] == programme_id]
        counts = f.assign(
            registered=f["status"] != "cancelled", attended=f["status"] == "attended",
            no_show=f["status"] == "no_show", cancelled=f["status"] == "cancelled",
        ).groupby("session_id")[["registered", "attended", "no_show", "cancelled"]].sum()
        places = f[f["status"] != "cancelled"].groupby("session_id")["kommune_code"].nunique()
        s = self.sessions_of(None, programme_id).rename(columns={"title": "session_title"})
        out = s.merge(counts, on="session_id", how="left")
        out[counts.columns] = out[counts.columns].fillna(0)
        out["municipalities"] = out["session_id"].map(places).fillna(0)
        return out

    def _status_grid(self, programme_id, filters):
        s = self.sessions_of(None, programme_id)
        for column, values in (("format", filters.formats), ("audience", filters.audiences)):
            if values:
                s = s[s[column].isin(values)]
        if filters.years:
            s = s[s["starts_at"].dt.year.isin(filters.years)]
        m = self.municipalities
        if filters.regions:
            m = m[m["region"].isin(filters.regions)]
        s = s[["session_id", "title", "starts_at", "format"]].rename(
            columns={"title": "session_title"})
        grid = m.merge(s, how="cross")
        best = self.facts[self.facts["session_id"].isin(s["session_id"])].groupby(
            ["session_id", "kommune_code"])["rank"].max()
        grid = grid.merge(best.reset_index(), on=["session_id", "kommune_code"], how="left")
        grid["status"] = grid["rank"].fillna(0).astype(int).map(STATUS_OF_RANK)
        return grid.rename(columns={"name": "municipality"})

    def participation_by_municipality(self, _con, programme_id, filters=queries.NO_FILTERS):
        grid = self._status_grid(programme_id, filters)
        grid["is_registered"] = grid["status"].isin(["registered", "attended", "no_show"])
        grid["is_attended"] = grid["status"] == "attended"
        out = grid.groupby(["kommune_code", "municipality", "region", "population", "lat",
                            "lon"], as_index=False).agg(
            sessions_offered=("session_id", "size"),
            sessions_registered=("is_registered", "sum"),
            sessions_attended=("is_attended", "sum"))
        out["share_attended"] = out["sessions_attended"] / out["sessions_offered"]
        return out.sort_values(["sessions_attended", "sessions_registered", "municipality"],
                               ascending=[False, False, True]).reset_index(drop=True)

    def session_matrix(self, _con, programme_id, filters=queries.NO_FILTERS):
        grid = self._status_grid(programme_id, filters)
        return grid[["kommune_code", "municipality", "region", "session_id", "session_title",
                     "starts_at", "format", "status"]].sort_values(
            ["municipality", "starts_at"]).reset_index(drop=True)

    def never_attended(self, _con, programme_id, filters=queries.NO_FILTERS):
        grid = self._status_grid(programme_id, filters)
        per = grid.assign(
            attended=grid["status"] == "attended",
            registered_only=grid["status"].isin(["registered", "no_show"]),
            cancelled=grid["status"] == "cancelled",
        ).groupby(["kommune_code", "municipality", "region"], as_index=False)[
            ["attended", "registered_only", "cancelled"]].sum()
        per = per[per["attended"] == 0]
        current = self.mayors[self.mayors["term_end"].isna()][
            ["kommune_code", "name", "party"]].rename(columns={"name": "mayor"})
        return per.merge(current, on="kommune_code", how="left")[
            ["kommune_code", "municipality", "region", "mayor", "party", "registered_only",
             "cancelled"]].sort_values("municipality").reset_index(drop=True)

    def _revenue(self, programme_id, keys):
        f = self.facts[self.facts["programme_id"] == programme_id]
        invoiced = f["invoiced_at"].notna()
        f = f.assign(
            cancelled=f["status"] == "cancelled", unknown=~f["price_known"],
            invoiced_ex_vat=f["revenue_ex_vat"].where(invoiced, 0),
            outstanding_ex_vat=f["revenue_ex_vat"].where(~invoiced, 0))
        out = f.groupby(keys, as_index=False).agg(
            registrations=("registration_id", "size"), cancellations_billed=("cancelled", "sum"),
            registrations_price_unknown=("unknown", "sum"),
            revenue_ex_vat=("revenue_ex_vat", "sum"), vat=("vat", "sum"),
            revenue_incl_vat=("revenue_incl_vat", "sum"),
            invoiced_ex_vat=("invoiced_ex_vat", "sum"),
            outstanding_ex_vat=("outstanding_ex_vat", "sum"), vat_rate=("vat_rate", "first"))
        rate = 1 + out["vat_rate"].astype(float)
        out["invoiced_incl_vat"] = out["invoiced_ex_vat"] * rate
        out["outstanding_incl_vat"] = out["outstanding_ex_vat"] * rate
        return out

    def revenue_by_format(self, _con, programme_id):
        out = self._revenue(programme_id, ["format"])
        out["sessions"] = out["format"].map(self.sessions_of(None, programme_id)
                                            .groupby("format").size())
        return out.merge(self.prices[["format", "price_ex_vat"]].rename(
            columns={"price_ex_vat": "list_price_ex_vat"}), on="format")

    def revenue_by_session(self, _con, programme_id):
        return self._revenue(programme_id, ["session_id", "session_title", "starts_at",
                                            "format"]).sort_values("starts_at")

    def revenue_over_time(self, _con, programme_id):
        f = self.facts[self.facts["programme_id"] == programme_id]
        booked = f.groupby(f["starts_at"].dt.normalize())[
            ["revenue_ex_vat", "revenue_incl_vat"]].sum()
        invoiced = f[f["invoiced_at"].notna()].groupby("invoiced_at")[
            ["revenue_ex_vat", "revenue_incl_vat"]].sum()
        booked.columns = ["booked_ex_vat", "booked_incl_vat"]
        invoiced.columns = ["invoiced_ex_vat", "invoiced_incl_vat"]
        invoiced.index = pd.to_datetime(invoiced.index)
        daily = booked.join(invoiced, how="outer").fillna(0).sort_index().cumsum()
        return daily.rename_axis("day").reset_index()


@contextmanager
def naive_queries(data: NaiveData):
    """Our callbacks, but every query they ask answered by `data` (and no cache)."""
    swapped = {"key_figures": data.key_figures, "sessions": data.sessions_of,
               "session_turnout": data.session_turnout,
               "participation_by_municipality": data.participation_by_municipality,
               "session_matrix": data.session_matrix, "never_attended": data.never_attended,
               "revenue_by_format": data.revenue_by_format,
               "revenue_by_session": data.revenue_by_session,
               "revenue_over_time": data.revenue_over_time}
    originals = {name: getattr(queries, name) for name in swapped}
    for name, function in swapped.items():
        setattr(queries, name, function)
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(queries, name, function)


def time_naive(database: Path, repeat: int) -> tuple[dict[str, float], float]:
    """p50 ms per page's callback the naive way, and the seconds the start-up load took."""
    from benchmarks.callbacks import CALLS, log_in, payload

    started = time.perf_counter()
    data = NaiveData(database)
    loaded = time.perf_counter() - started
    client, headers = log_in(database)
    medians = {}
    with naive_queries(data):
        for name, outputs, inputs in CALLS:
            if name not in PAGES:
                continue
            body = payload(outputs, inputs)
            timings = []
            for attempt in range(repeat + 2):
                cache.clear_all()
                started = time.perf_counter()
                response = client.post("/_dash-update-component", json=body, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code}: "
                                     f"{response.get_data(as_text=True)[:300]}")
                if attempt >= 2:
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
