"""Every chart of the dashboard by name: how to build it, the data behind it, and its finding.

The export (per chart in the app, the report, and `python -m dashboard export`) works from
this list, so an exported chart is the same figure the page draws, and each comes with the
table behind it. The Municipalities page's filters apply to its three charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, formatting, queries
from dashboard.i18n import t


@dataclass(frozen=True)
class Chart:
    key: str                    # the graph's component id on its page
    slug: str                   # file names: deltagelse-pr-kommune_2025-03-31.png
    page: str
    build: Callable[[duckdb.DuckDBPyConnection, str, dt.date, queries.Filters],
                    tuple[go.Figure, pd.DataFrame]]
    finding: Callable[[pd.DataFrame], str]
    # The data alone, for a chart whose figure costs far more than its data (the map: its
    # polygons take 100 ms to put in a figure); None: the data build() returns.
    table: Callable[[duckdb.DuckDBPyConnection, str, dt.date, queries.Filters],
                    pd.DataFrame] | None = None

    def data(self, con: duckdb.DuckDBPyConnection, programme_id: str, as_of: dt.date,
             filters: queries.Filters = queries.NO_FILTERS) -> pd.DataFrame:
        """The table behind the chart, without drawing it when that can be avoided."""
        if self.table is not None:
            return self.table(con, programme_id, as_of, filters)
        return self.build(con, programme_id, as_of, filters)[1]


def _turnout(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.session_turnout(con, programme_id)
    return figures.turnout_by_session(data), data


def _participation_data(con, programme_id, _as_of, filters=queries.NO_FILTERS):
    return queries.participation_by_municipality(con, programme_id, filters)


def _participation(con, programme_id, as_of, filters=queries.NO_FILTERS):
    data = _participation_data(con, programme_id, as_of, filters)
    return figures.participation_map(data, queries.boundaries(con)), data


def _ranking(con, programme_id, _as_of, filters=queries.NO_FILTERS):
    data = queries.participation_by_municipality(con, programme_id, filters)
    return figures.participation_ranking(data), data


def _matrix(con, programme_id, _as_of, filters=queries.NO_FILTERS):
    data = queries.session_matrix(con, programme_id, filters)
    return figures.session_matrix(data), data


def _retention(con, programme_id, as_of, _filters=queries.NO_FILTERS):
    data = queries.retention(con, programme_id, as_of)
    return figures.retention_by_cohort(data), data


def _intro_path(con, programme_id, as_of, _filters=queries.NO_FILTERS):
    data = queries.intro_path(con, programme_id, as_of)
    return figures.intro_path(data), data


def _revenue_format(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.revenue_by_format(con, programme_id)
    return figures.revenue_by_format(data), data


def _revenue_session(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.revenue_by_session(con, programme_id)
    return figures.revenue_by_session(data), data


def _revenue_time(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.revenue_over_time(con, programme_id)
    return figures.cumulative_revenue(data), data


def _venues(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.session_geography(con, programme_id)
    return figures.session_venues_map(data, queries.participant_origins(con, programme_id)), data


def _origins(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.participant_origins(con, programme_id)
    return figures.participant_origins_map(data), data


def _travel(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.session_geography(con, programme_id)
    return figures.travel_by_session(data), data


def _regions(con, programme_id, _as_of, _filters=queries.NO_FILTERS):
    data = queries.participation_by_region(con, programme_id)
    return figures.region_shares(data), data


def _best(df: pd.DataFrame, column: str) -> pd.Series | None:
    return None if df.empty else df.loc[df[column].idxmax()]


# Findings: one short, true sentence computed from the data behind a chart. The page shows
# it as the chart's heading (what a reader should take away); the report prints it under the
# chart. Texts come from the catalogue, in the reader's language.

def _turnout_finding(df: pd.DataFrame) -> str:
    held = df[df["attended"] > 0]
    if held.empty:
        return t("finding.no_sessions_held")
    top = held.loc[held["attended"].idxmax()]
    return t("finding.turnout", n=int(top["attended"]),
             session=figures.session_label(top["starts_at"], top["format"]))


def _participation_finding(df: pd.DataFrame) -> str:
    reached = int((df["sessions_attended"] > 0).sum())
    return t("finding.participation", reached=reached, total=len(df), never=len(df) - reached)


def _ranking_finding(df: pd.DataFrame) -> str:
    most = int(df["sessions_attended"].max()) if len(df) else 0
    if most == 0:
        return t("finding.nobody_attended")
    leaders = df[df["sessions_attended"] == most]["municipality"].tolist()
    if len(leaders) == 1:
        return t("finding.ranking_one", name=leaders[0], n=most)
    return t("finding.ranking_many", name=leaders[0], others=len(leaders) - 1, n=most)


def _matrix_finding(df: pd.DataFrame) -> str:
    return t("finding.matrix", n=int((df["status"] == "no_show").sum()))


def _retention_finding(df: pd.DataFrame) -> str:
    newly = df[(df["cohort"] == "newly_elected") & (df["audience"] == "all")]
    if newly.empty:
        return t("finding.no_joint_sessions")
    first, last = newly.iloc[0], newly.iloc[-1]
    return t("finding.retention", first=formatting.percent(first["share_registered"], 0),
             last=formatting.percent(last["share_registered"], 0))


def side_by_side_finding(df: pd.DataFrame) -> str:
    """The first programme's newly elected at its latest held session against the second's
    at the latest session no later in its period (months since the period's start)."""
    newly = df[df["cohort"] == "newly_elected"]
    ids = list(dict.fromkeys(newly["programme_id"]))
    if len(ids) < 2:
        return t("finding.side_by_side_none")
    first = newly[newly["programme_id"] == ids[0]].iloc[-1]
    second = newly[(newly["programme_id"] == ids[1])
                   & (newly["months_in"] <= first["months_in"])]
    if second.empty:
        return t("finding.side_by_side_none")
    second = second.iloc[-1]
    return t("finding.side_by_side", first=ids[0], second=ids[1],
             months=formatting.number(first["months_in"]),
             first_share=formatting.percent(first["share_registered"], 0),
             second_share=formatting.percent(second["share_registered"], 0))


def _intro_finding(df: pd.DataFrame) -> str:
    means = df.groupby("path")["share_registered"].mean()
    if "newly_elected_intro" not in means:
        return t("finding.no_intro")
    return t("finding.intro", share=formatting.percent(means["newly_elected_intro"], 0))


def _revenue_finding(df: pd.DataFrame) -> str:
    total = formatting.kroner(df["revenue_ex_vat"].sum())
    unknown = int(df["registrations_price_unknown"].sum())
    if unknown:
        return t("finding.revenue_unknown", total=total, n=unknown)
    return t("finding.revenue", total=total)


def _revenue_time_finding(df: pd.DataFrame) -> str:
    if df.empty:
        return t("finding.no_revenue")
    last = df.iloc[-1]
    return t("finding.revenue_time", invoiced=formatting.kroner(last["invoiced_ex_vat"]),
             booked=formatting.kroner(last["booked_ex_vat"]))


def _venues_finding(df: pd.DataFrame) -> str:
    placed = df.dropna(subset=["lat"])
    return t("finding.venues", n=len(placed), cities=placed["city"].nunique())


def _origins_finding(df: pd.DataFrame) -> str:
    top = _best(df, "attendances")
    if top is None or top["attendances"] == 0:
        return t("finding.no_attendances")
    return t("finding.origins", name=top["municipality"], n=int(top["attendances"]))


def _travel_finding(df: pd.DataFrame) -> str:
    placed = df.dropna(subset=["avg_travel_km"])
    if placed.empty:
        return t("finding.no_physical")
    far = placed.loc[placed["avg_travel_km"].idxmax()]
    return t("finding.travel", km=formatting.number(far["avg_travel_km"]), city=far["city"])


def _regions_finding(df: pd.DataFrame) -> str:
    gap = (df["share_of_attendances"] - df["share_of_mayors"]).fillna(0)
    low = df.loc[gap.idxmin()]
    return t("finding.regions", region=low["region"],
             mayors=formatting.percent(low["share_of_mayors"], 0),
             attendances=formatting.percent(low["share_of_attendances"] or 0, 0))


def curves_finding(curves: pd.DataFrame, target_id: str, days_before: int | None) -> str:
    """The Planning page's curves: where the chosen session stands against earlier ones."""
    mine = curves[curves["session_id"] == target_id]
    if mine.empty:
        return t("finding.curves_none")
    day = max(days_before or 0, 0)
    def so_far(part: pd.DataFrame) -> int:
        reached = part[part["days_before"] >= day]
        return int(reached["cumulative"].max()) if len(reached) else 0
    others = [so_far(part) for session, part in curves.groupby("session_id", sort=False)
              if session != target_id]
    # A held session (no days left) is told by its final count, not "0 days before".
    held = days_before is not None and days_before < 0
    if not others:
        return t("finding.curves_held_alone" if held else "finding.curves_alone",
                 n=so_far(mine), days=day)
    return t("finding.curves_held" if held else "finding.curves", n=so_far(mine), days=day,
             earlier=formatting.number(sum(others) / len(others)))


def venue_finding(ranked: pd.DataFrame) -> str:
    """The Planning page's venue map: the candidate with the least travel."""
    best = ranked[ranked["best"]]
    if best.empty:
        return t("finding.no_venue")
    return t("finding.venue", city=best["city"].iloc[0],
             km=formatting.number(best["avg_km"].iloc[0]))


def description(key: str, data: pd.DataFrame) -> str:
    """The visually hidden summary of a chart: what kind of chart, over what, how to get
    the numbers."""
    return t(f"describe.{key}", n=len(data)) + " " + t("describe.table_hint")


CHARTS = (
    Chart("overview-turnout", "tilmeldte-og-deltagere-pr-session", "Overblik", _turnout,
          _turnout_finding),
    Chart("municipalities-map", "deltagelse-pr-kommune", "Kommuner", _participation,
          _participation_finding, table=_participation_data),
    Chart("municipalities-ranking", "kommuner-rangeret", "Kommuner", _ranking,
          _ranking_finding),
    Chart("municipalities-matrix", "kommune-x-session", "Kommuner", _matrix, _matrix_finding),
    Chart("retention-cohorts", "nyvalgte-mod-genvalgte", "Fastholdelse", _retention,
          _retention_finding),
    Chart("retention-path", "fra-intro-og-frem", "Fastholdelse", _intro_path, _intro_finding),
    Chart("revenue-by-format", "omsaetning-pr-sessionstype", "Økonomi", _revenue_format,
          _revenue_finding),
    Chart("revenue-by-session", "omsaetning-pr-session", "Økonomi", _revenue_session,
          _revenue_finding),
    Chart("revenue-over-time", "omsaetning-over-tid", "Økonomi", _revenue_time,
          _revenue_time_finding),
    Chart("geography-venues", "moedesteder", "Geografi", _venues, _venues_finding),
    Chart("geography-origins", "deltagernes-hjemkommuner", "Geografi", _origins,
          _origins_finding),
    Chart("geography-travel", "rejseafstand-pr-session", "Geografi", _travel,
          _travel_finding),
    Chart("geography-regions", "deltagelse-pr-region", "Geografi", _regions,
          _regions_finding),
)
BY_KEY = {chart.key: chart for chart in CHARTS}


@dataclass(frozen=True)
class Table:
    """A table on a page that can be downloaded as XLSX or CSV."""

    key: str
    slug: str
    build: Callable[[duckdb.DuckDBPyConnection, str, dt.date, queries.Filters], pd.DataFrame]


TABLES = (
    Table("municipalities-never", "kommuner-uden-deltagelse",
          lambda con, p, _as_of, filters: queries.never_attended(con, p, filters)),
    Table("retention-slipping", "nyvalgte-uden-deltagelse-seneste-to-sessioner",
          lambda con, p, as_of, _filters: queries.newly_elected_slipping(con, p, as_of)),
    Table("revenue-table", "omsaetning-pr-session",
          lambda con, p, _as_of, _filters: queries.revenue_by_session(con, p)),
    Table("geography-table", "sessioner-og-rejseafstand",
          lambda con, p, _as_of, _filters: queries.session_geography(con, p)),
)
TABLES_BY_KEY = {table.key: table for table in TABLES}
