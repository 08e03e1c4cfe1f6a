"""The chart registry: every chart of the dashboard declared once, and the one road from a
query to a page.

A chart is one entry in CHARTS (the `register` calls at the end): its key (the graph's
component id), its files' slug, its page, the query that reads its data, the figure that
draws it, its finding, and where needed the other data its figure draws (`also`), the rows
its "Vis som tabel" shows (`table`) and its width on a wide screen. Everything else loops
over the registry: the pages lay their charts out, compute them and fill their outputs from
it (dashboard.components: ChartGrid, outputs_for, values_for), as do "Vis som tabel"
(dashboard.chart_tables), the chart and report downloads and `python -m dashboard export`
(dashboard.export), the tests and the benchmarks. An exported chart is the figure the page
draws, and comes with the data behind it.

The calling convention, so a declaration needs no wrapper: a query is called as
`query(con, **parameters)` and a figure as `figure(data, **parameters)`, given the
parameters their signatures name, each taken from the View the chart is drawn for
(PARAMETERS: programme_id, held_by, filters, incl_vat, ...) or, for a figure, from another
read named in `also`. The names are checked when a chart is declared: a name the registry
cannot fill raises RegistryError at import. A page's charts read side by side, each
(query, arguments) once however many charts draw from it (read).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import columns, denmark, figures, formatting, queries
from dashboard.db import current_database, read_in_parallel
from dashboard.i18n import CATALOGUE, t, tn
from dashboard.today import last_held_day, pages_today


class RegistryError(ValueError):
    """A chart the registry cannot serve as declared; the message says what to change."""


@dataclass(frozen=True)
class View:
    """What a chart is drawn for: the programme, and what narrows or switches it.

    programme_id: the programme shown.
    held_by: the last day whose sessions count as held (retention, the intro path, who is
        slipping); None: the day before the pages' today (dashboard.today), read only when
        a chart needs it.
    filters: the Municipalities page's filters (for queries that take `filters`).
    incl_vat: money including VAT (Økonomi's switch; for figures that take `incl_vat`).
    other_programme: the programme to compare with ("Sammenlign med"); None, "" or the
        programme itself: none, and the charts that need one do not apply.
    """

    programme_id: str
    held_by: dt.date | None = None
    filters: queries.Filters = queries.NO_FILTERS
    incl_vat: bool = False
    other_programme: str | None = None

    def __post_init__(self) -> None:
        if not self.other_programme or self.other_programme == self.programme_id:
            object.__setattr__(self, "other_programme", None)


# The parameters a query, a figure or an `also` read may name (after its first: the
# connection, or the chart's data), each with the View fields it reads and its value. A name
# not listed here fails the chart's declaration. `as_of` is queries.newly_elected_slipping's
# name for the day held_by names.
PARAMETERS: dict[str, tuple[tuple[str, ...], Callable[[View], Any]]] = {
    "programme_id": (("programme_id",), lambda view: view.programme_id),
    "programme_ids": (("programme_id", "other_programme"),
                      lambda view: [view.programme_id, view.other_programme]),
    "held_by": (("held_by",), lambda view: view.held_by),
    "as_of": (("held_by",), lambda view: view.held_by),
    "filters": (("filters",), lambda view: view.filters),
    "incl_vat": (("incl_vat",), lambda view: view.incl_vat),
}
# View fields a view may lack: a chart that needs one applies only to a view that has it (the
# side-by-side chart, once a second programme is chosen).
OPTIONAL = ("other_programme",)
# View fields a page's own switch sets, kept in a store the shared callbacks read
# (dashboard.components.view_option): the programme compared with, Økonomi's VAT switch.
PAGE_OPTIONS = ("other_programme", "incl_vat")


def _parameters(function: Callable, what: str, others: Iterable[str] = ()) -> tuple[str, ...]:
    """The names of `function`'s parameters after its first, each one the registry can fill
    (PARAMETERS, or `others`); RegistryError naming the function otherwise."""
    name = f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', function)}"
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError) as error:
        raise RegistryError(f"{name}: no signature to read ({error})") from None
    if not parameters or parameters[0].kind not in (inspect.Parameter.POSITIONAL_ONLY,
                                                    inspect.Parameter.POSITIONAL_OR_KEYWORD):
        raise RegistryError(f"{name}: a {what} takes its input first")
    names = []
    for parameter in parameters[1:]:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise RegistryError(f"{name}: *{parameter.name}: name each parameter")
        if parameter.name not in PARAMETERS and parameter.name not in others:
            known = ", ".join([*PARAMETERS, *others])
            raise RegistryError(f"{name}: the registry cannot pass a {what} parameter "
                                f"{parameter.name!r}; it passes {known} "
                                "(dashboard/charts.py PARAMETERS)")
        names.append(parameter.name)
    return tuple(names)


@dataclass(frozen=True)
class Read:
    """A function of a connection and view parameters (a query), its parameters read once.

    Called as `function(con, **arguments(view))`."""

    function: Callable
    parameters: tuple[str, ...]

    @property
    def fields(self) -> frozenset[str]:
        """The View fields it reads."""
        return frozenset(f for p in self.parameters for f in PARAMETERS[p][0])

    def arguments(self, view: View) -> dict[str, Any]:
        return {p: PARAMETERS[p][1](view) for p in self.parameters}

    def key(self, view: View) -> tuple:
        """The same for the same function and arguments: what a page reads once."""
        return self.function, repr(sorted(self.arguments(view).items()))

    def bound(self, view: View) -> Callable[[duckdb.DuckDBPyConnection], Any]:
        arguments = self.arguments(view)
        return lambda con: self.function(con, **arguments)


_READS: dict[Callable, Read] = {}


def read_of(function: Callable) -> Read:
    """`function` as a Read (its signature inspected on the first call only)."""
    found = _READS.get(function)
    if found is None:
        found = _READS[function] = Read(function, _parameters(function, "query"))
    return found


def dated(view: View, reads: Iterable[Read], con: duckdb.DuckDBPyConnection) -> View:
    """`view` with its held_by set (the day before the pages' today) when one of `reads`
    needs it and the view leaves it open."""
    if view.held_by is None and any("held_by" in r.fields for r in reads):
        return replace(view, held_by=last_held_day(pages_today(con)))
    return view


@dataclass(frozen=True, eq=False)
class Chart:
    """One chart, declared once (see the module's docstring for the calling convention).

    key: the graph's component id on its page (and `describe.<key>` its hidden summary in
        dashboard/i18n.py); slug: its files' names; page: the page's name (dash.register_page);
    query: reads its data; figure: draws it from that data; finding: the sentence its
    heading states, from that data and the view's parameters it names (incl_vat: a switch
    the heading follows, as the figure does); also: the figure's other data sets, {its
    parameter: a read by the same convention as a query}; table: the rows "Vis som tabel"
    shows, from its data (None: default_table); width: its columns of 12 on a wide screen
    (charts side by side fill a row of 12); total: its table ends in a total row
    (dashboard.columns); sticky_heads: a tall chart whose columns' headings (its x axis's
    labels, on top) stay in sight while a reader scrolls through it on a page, drawn in a
    strip of their own above it (dashboard.components.graph; its exports keep them on the
    figure).
    """

    key: str
    slug: str
    page: str
    query: Callable[..., pd.DataFrame]
    figure: Callable[..., go.Figure]
    finding: Callable[[pd.DataFrame], str]
    also: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    table: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    width: int = 12
    total: bool = False
    sticky_heads: bool = False

    def __post_init__(self) -> None:
        reads = {name: read_of(function) for name, function in self.also.items()}
        drawn_with = _parameters(self.figure, "figure", others=self.also)
        unused = sorted(set(self.also) - set(drawn_with))
        if unused:
            raise RegistryError(f"{self.key}: also names {', '.join(unused)}, which "
                                f"{self.figure.__qualname__} does not take")
        if not 1 <= self.width <= 12:
            raise RegistryError(f"{self.key}: width {self.width} is not 1 to 12 columns")
        object.__setattr__(self, "_query", read_of(self.query))
        object.__setattr__(self, "_also", reads)
        object.__setattr__(self, "_from_view",
                           tuple(p for p in drawn_with if p not in self.also))
        object.__setattr__(self, "_data_parameter",
                           next(iter(inspect.signature(self.figure).parameters)))
        object.__setattr__(self, "_finding_parameters", _parameters(self.finding, "finding"))

    @property
    def reads(self) -> tuple[Read, ...]:
        """Every read it draws from: its query, then its `also` reads."""
        return (self._query, *self._also.values())

    @property
    def needs(self) -> frozenset[str]:
        """The View fields its data and figure depend on."""
        return frozenset().union(*(r.fields for r in self.reads),
                                 *(PARAMETERS[p][0] for p in self._from_view))

    @property
    def optional(self) -> frozenset[str]:
        """The OPTIONAL view fields it needs (it applies only to views that have them)."""
        return self.needs & frozenset(OPTIONAL)

    def applies_to(self, view: View) -> bool:
        return all(getattr(view, name) is not None for name in self.optional)

    def data(self, con: duckdb.DuckDBPyConnection, view: View) -> pd.DataFrame:
        """The table behind the chart (what its XLSX/CSV holds), without drawing it."""
        view = dated(view, [self._query], con)
        return self._query.bound(view)(con)

    def figure_inputs(self, data: pd.DataFrame, view: View,
                      others: Mapping[str, Any]) -> dict[str, Any]:
        """What its figure is called with, by parameter name: its data, its `also` reads'
        results (`others`, by name) and the view's values."""
        return {self._data_parameter: data, **{name: others[name] for name in self.also},
                **{p: PARAMETERS[p][1](view) for p in self._from_view}}

    def finding_for(self, data: pd.DataFrame, view: View) -> str:
        """Its finding for `view`: the sentence follows every switch the figure follows."""
        return self.finding(data, **{p: PARAMETERS[p][1](view)
                                     for p in self._finding_parameters})

    def table_frame(self, data: pd.DataFrame) -> pd.DataFrame:
        """The rows "Vis som tabel" shows (headers and formats: dashboard.chart_tables)."""
        return (self.table or default_table)(data)

    def shown_table(self, data: pd.DataFrame, view: View) -> columns.ShownTable:
        """Its table as the reader sees it, on the page and in a file: the rows
        "Vis som tabel" shows, money as the view shows it (ex or incl. VAT), codes in
        words, a total row where declared (dashboard.columns)."""
        frame = self.table_frame(data)
        if "incl_vat" in self.needs:
            frame = columns.for_vat(frame, view.incl_vat)
        # The default table keeps the data's rows: their session_id and kommune_code make
        # its links. A table of its own shape (the matrix) leads where its rows' values
        # lead in the data (a municipality's name: its page).
        return columns.shown(frame, total=self.total,
                             keys=data if self.table is None
                             else columns.keys_by_value(frame, data))


@dataclass
class Drawn:
    """A chart drawn for a view: its figure, the data behind it, and its finding."""

    chart: Chart
    figure: go.Figure
    data: pd.DataFrame
    finding: str


class Reading:
    """What read() read for one view: the charts' data, and the caller's own named reads."""

    def __init__(self, selected: tuple[Chart, ...], view: View, results: dict[tuple, Any],
                 named: dict[str, tuple]):
        self.charts, self.view = selected, view
        self._results, self._named = results, named

    def __getitem__(self, name: str) -> Any:
        """The result of the caller's read `name`."""
        return self._results[self._named[name]]

    def data(self, key: str) -> pd.DataFrame:
        """The data of chart `key` (one of those read)."""
        (chart,) = [c for c in self.charts if c.key == key]
        return self._results[chart._query.key(self.view)]

    def figure_inputs(self, key: str) -> dict[str, Any]:
        """What chart `key`'s figure is drawn from, by parameter name (Chart.figure_inputs)."""
        (chart,) = [c for c in self.charts if c.key == key]
        others = {name: self._results[r.key(self.view)] for name, r in chart._also.items()}
        return chart.figure_inputs(self.data(key), self.view, others)

    def draw(self) -> dict[str, Drawn]:
        """Every chart read, drawn: {key: Drawn}, in the order given to read(). A chart whose
        data has no rows is drawn as an empty figure saying so (finding likewise)."""
        drawn = {}
        for chart in self.charts:
            data = self.data(chart.key)
            if data.empty:  # filters that leave nothing: one message, no figure to break
                message = t("finding.no_data")
                drawn[chart.key] = Drawn(chart, figures.empty_figure(message), data, message)
                continue
            figure = chart.figure(**self.figure_inputs(chart.key))
            drawn[chart.key] = Drawn(chart, figure, data, chart.finding_for(data, self.view))
        return drawn


def read(selected: Iterable[Chart], view: View, on: duckdb.DuckDBPyConnection | None = None,
         **named: Callable[..., Any]) -> Reading:
    """Read what `selected` charts draw from, and the caller's own `named` reads (queries by
    the same convention, a page's key figures and tables), for `view`.

    Every distinct (query, arguments) runs once, side by side with the others on cursors of
    `on` (default: the current database; dashboard.db.read_in_parallel). Raises
    RegistryError for a chart that does not apply to the view (Chart.applies_to)."""
    selected = tuple(selected)
    for chart in selected:
        if not chart.applies_to(view):
            raise RegistryError(f"{chart.key} needs {', '.join(sorted(chart.optional))}")
    own = {name: read_of(function) for name, function in named.items()}
    reads = [r for chart in selected for r in chart.reads] + list(own.values())
    with ExitStack() as stack:
        con = on if on is not None else stack.enter_context(current_database().cursor())
        view = dated(view, reads, con)
        calls: dict[tuple, Callable] = {}
        for r in reads:
            calls.setdefault(r.key(view), r.bound(view))
        results = dict(zip(calls, read_in_parallel(*calls.values(), on=con), strict=True))
    return Reading(selected, view, results, {name: r.key(view) for name, r in own.items()})


def build(chart: Chart, con: duckdb.DuckDBPyConnection, view: View) -> Drawn:
    """One chart read and drawn."""
    return read([chart], view, on=con).draw()[chart.key]


def map_boundaries(con: duckdb.DuckDBPyConnection) -> dict[int, denmark.Outline]:
    """The municipality outlines the maps draw, projected (dashboard.denmark.outlines) once
    per database's boundaries; empty when none are loaded (the maps draw town halls)."""
    return denmark.outlines_of_text(queries.boundaries_geojson(con))


# --- "Vis som tabel": the rows a chart's table shows ----------------------------------------

# Where a chart's data carries positions or internal keys, the table leaves them out.
HIDDEN_COLUMNS = {"lat", "lon", "kommune_code", "session_id", "session_title", "weight"}


def default_table(data: pd.DataFrame) -> pd.DataFrame:
    """A chart's data as its table shows it: positions and internal keys left out, a session
    named as on the chart's axis. Each column's header is its `col.<name>` text."""
    frame = data.drop(columns=[c for c in data.columns if c in HIDDEN_COLUMNS])
    if {"starts_at", "format"} <= set(frame.columns):
        frame.insert(0, "session", [figures.session_label(s, f) for s, f in
                                    zip(frame.pop("starts_at"), frame["format"], strict=True)])
    return frame


def _matrix_table(data: pd.DataFrame) -> pd.DataFrame:
    """The matrix as municipality × session, each cell the status's name; the
    municipalities in Danish alphabetical order (formatting.danish_key: Aabenraa as Å, at
    the end), whatever order the data comes in."""
    sessions = data.drop_duplicates("session_id").sort_values("starts_at")
    names = sorted(data["municipality"].dropna().unique(), key=formatting.danish_key)
    wide = (data.assign(status=data["status"].map(figures.STATUS_LABELS))
            .pivot(index="municipality", columns="session_id", values="status")
            .reindex(index=names, columns=list(sessions["session_id"])))
    wide.columns = [figures.session_label(s, f)
                    for s, f in zip(sessions["starts_at"], sessions["format"], strict=True)]
    return wide.reset_index()

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


def _leaders(df: pd.DataFrame, value: str, name: str = "municipality") -> tuple[list[str], int]:
    """Every `name` sharing the highest count in column `value` (in the data's order), and
    that count (0, and no names, for no data). A finding names them all or "X og N andre"
    (tn): never one of several as "the" top."""
    most = int(df[value].max()) if len(df) and df[value].notna().any() else 0
    return (df[df[value] == most][name].tolist() if most else []), most


def _ranking_finding(df: pd.DataFrame) -> str:
    leaders, most = _leaders(df, "sessions_attended")
    if most == 0:
        return t("finding.nobody_attended")
    if len(leaders) == 1:
        return t("finding.ranking_one", name=leaders[0], n=most)
    return tn("finding.ranking_many", len(leaders) - 1, name=leaders[0], most=most)


def _matrix_finding(df: pd.DataFrame) -> str:
    return tn("finding.matrix", int((df["status"] == "no_show").sum()))


def _small_groups(df: pd.DataFrame, column: str, labels: Mapping[str, str]) -> str:
    """' Under 10 borgmestre ...: <group> (n = 5).' for the groups of `column` drawn faded
    (figures.is_small), else ''."""
    small = [f"{labels[group]} (n = {n})" for group, part in df.groupby(column, sort=False)
             if figures.is_small(n := figures.group_size(part["mayors_in_office"]))]
    if not small:
        return ""
    return " " + t("finding.small_groups", min=figures.MIN_GROUP_SIZE,
                   groups=", ".join(small))


def _retention_finding(df: pd.DataFrame) -> str:
    newly = df[(df["cohort"] == "newly_elected") & (df["audience"] == "all")]
    if newly.empty:
        return t("finding.no_joint_sessions")
    first, last = newly.iloc[0], newly.iloc[-1]
    return t("finding.retention", first=formatting.percent(first["share_registered"], 0),
             last=formatting.percent(last["share_registered"], 0)) \
        + _small_groups(df, "cohort", figures.COHORT_LABELS)


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
    return t("finding.intro", share=formatting.percent(means["newly_elected_intro"], 0)) \
        + _small_groups(df, "path", figures.PATH_LABELS)


def _vat_columns(incl_vat: bool) -> tuple[str, str]:
    """The money columns' suffix and the words for it ("inkl. moms")."""
    return ("incl_vat" if incl_vat else "ex_vat"), t("vat.incl" if incl_vat else "vat.ex")


def _revenue_format_finding(df: pd.DataFrame, incl_vat: bool = False) -> str:
    suffix, vat = _vat_columns(incl_vat)
    revenue = df[f"revenue_{suffix}"]
    total = formatting.kroner(revenue.sum())
    top = df.loc[revenue.idxmax()] if len(df) and revenue.max() > 0 else None
    unknown = int(df["registrations_price_unknown"].sum())
    if unknown:
        return t("finding.revenue_unknown", total=total, vat=vat, n=unknown)
    if top is None:
        return t("finding.no_revenue")
    return t("finding.revenue_format", total=total, vat=vat,
             format=figures.FORMAT_LABELS[top["format"]].lower(),
             amount=formatting.kroner(top[f"revenue_{suffix}"]))


def _revenue_session_finding(df: pd.DataFrame, incl_vat: bool = False) -> str:
    suffix, vat = _vat_columns(incl_vat)
    revenue = df[f"revenue_{suffix}"]
    if not len(df) or revenue.max() <= 0:
        return t("finding.no_revenue")
    top = df.loc[revenue.idxmax()]
    return t("finding.revenue_session", amount=formatting.kroner(top[f"revenue_{suffix}"]),
             vat=vat, session=figures.session_label(top["starts_at"], top["format"]),
             sessions=formatting.number(len(df)))


def _revenue_time_finding(df: pd.DataFrame, incl_vat: bool = False) -> str:
    if df.empty:
        return t("finding.no_revenue")
    suffix, vat = _vat_columns(incl_vat)
    last = df.iloc[-1]
    return t("finding.revenue_time", invoiced=formatting.kroner(last[f"invoiced_{suffix}"]),
             booked=formatting.kroner(last[f"booked_{suffix}"]), vat=vat)


def _venues_finding(df: pd.DataFrame) -> str:
    placed = df.dropna(subset=["lat"])
    return t("finding.venues", n=len(placed), cities=placed["city"].nunique())


def _origins_finding(df: pd.DataFrame) -> str:
    leaders, most = _leaders(df, "attendances")
    if most == 0:
        return t("finding.no_attendances")
    if len(leaders) == 1:
        return t("finding.origins", name=leaders[0], n=most)
    return tn("finding.origins_many", len(leaders) - 1, name=leaders[0], most=most)


def _travel_finding(df: pd.DataFrame) -> str:
    placed = df.dropna(subset=["avg_travel_km"])
    if placed.empty:
        return t("finding.no_physical")
    far = placed.loc[placed["avg_travel_km"].idxmax()]
    return t("finding.travel", km=formatting.number(far["avg_travel_km"]), city=far["city"])


def _regions_finding(df: pd.DataFrame) -> str:
    if len(df) == 1:  # the bar's region filter left one: its shares are all of it
        return t("finding.regions_one", region=df["region"].iloc[0])
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
                 n=so_far(mine), days=tn("unit.days", day))
    return t("finding.curves_held" if held else "finding.curves", n=so_far(mine),
             days=tn("unit.days", day),
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


# --- The registry ---------------------------------------------------------------------------

CHARTS: list[Chart] = []
BY_KEY: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    """Add `chart` to the registry; its key and slug must be new and its hidden summary
    (`describe.<key>`) in the catalogue. Raises RegistryError otherwise."""
    if chart.key in BY_KEY:
        raise RegistryError(f"{chart.key}: a chart of that key is registered already")
    if any(other.slug == chart.slug for other in CHARTS):
        raise RegistryError(f"{chart.key}: slug {chart.slug!r} names another chart's files")
    if f"describe.{chart.key}" not in CATALOGUE:
        raise RegistryError(f"{chart.key}: add its summary 'describe.{chart.key}' "
                            "(Danish and English) to dashboard/i18n.py")
    CHARTS.append(chart)
    BY_KEY[chart.key] = chart
    return chart


def on(page: str, needs: tuple[str, ...] | None = ()) -> tuple[Chart, ...]:
    """The charts on `page`, in registry order, that need exactly the OPTIONAL view fields
    `needs`: by default none (what the page draws from its programme alone);
    ("other_programme",): those drawn once a second programme is chosen; None: every one (what
    the page's layout places)."""
    return tuple(chart for chart in CHARTS if chart.page == page
                 and (needs is None or chart.optional == frozenset(needs)))


# In the order of the report. Charts side by side on a page (width) fill a row of 12 columns.
for _chart in (
    Chart("overview-turnout", "tilmeldte-og-deltagere-pr-session", "Overblik",
          queries.session_turnout, figures.turnout_by_session, _turnout_finding),
    Chart("municipalities-map", "deltagelse-pr-kommune", "Kommuner",
          queries.participation_by_municipality, figures.participation_map,
          _participation_finding, also={"boundaries": map_boundaries}, width=7),
    Chart("municipalities-ranking", "kommuner-rangeret", "Kommuner",
          queries.participation_by_municipality, figures.participation_ranking,
          _ranking_finding, width=5),
    Chart("municipalities-matrix", "kommune-x-session", "Kommuner", queries.session_matrix,
          figures.session_matrix, _matrix_finding, table=_matrix_table, width=7,
          sticky_heads=True),
    Chart("retention-cohorts", "nyvalgte-mod-genvalgte", "Fastholdelse", queries.retention,
          figures.retention_by_cohort, _retention_finding),
    # Drawn only once a second programme is chosen ("Sammenlign med"): not in the report.
    Chart("retention-compare-chart", "to-forloeb-side-om-side", "Fastholdelse",
          queries.retention_side_by_side, figures.retention_side_by_side,
          side_by_side_finding),
    Chart("retention-path", "fra-intro-og-frem", "Fastholdelse", queries.intro_path,
          figures.intro_path, _intro_finding),
    Chart("revenue-by-format", "omsaetning-pr-sessionstype", "Økonomi",
          queries.revenue_by_format, figures.revenue_by_format, _revenue_format_finding,
          width=5, total=True),
    Chart("revenue-by-session", "omsaetning-pr-session", "Økonomi",
          queries.revenue_by_session, figures.revenue_by_session, _revenue_session_finding,
          width=7, total=True),
    Chart("revenue-over-time", "omsaetning-over-tid", "Økonomi", queries.revenue_over_time,
          figures.cumulative_revenue, _revenue_time_finding),
    Chart("geography-venues", "moedesteder", "Geografi", queries.session_geography,
          figures.session_venues_map, _venues_finding,
          also={"origins": queries.participant_origins, "boundaries": map_boundaries},
          width=6),
    Chart("geography-origins", "deltagernes-hjemkommuner", "Geografi",
          queries.participant_origins, figures.participant_origins_map, _origins_finding,
          also={"boundaries": map_boundaries}, width=6),
    Chart("geography-travel", "rejseafstand-pr-session", "Geografi",
          queries.session_geography, figures.travel_by_session, _travel_finding, width=7),
    Chart("geography-regions", "deltagelse-pr-region", "Geografi",
          queries.participation_by_region, figures.region_shares, _regions_finding, width=5),
):
    register(_chart)


@dataclass(frozen=True)
class Table:
    """A table on a page that can be downloaded as XLSX or CSV; its query by the charts'
    convention. page: the page it is on; columns: the columns it shows, in order (None:
    all the query's, but positions and keys, as default_table); total: it ends in a total
    row; vat: its money follows the page's VAT switch (View.incl_vat)."""

    key: str
    slug: str
    page: str
    query: Callable[..., pd.DataFrame]
    columns: tuple[str, ...] | None = None
    total: bool = False
    vat: bool = False

    def __post_init__(self) -> None:
        read_of(self.query)  # its parameters checked now, not at the first download

    @property
    def needs(self) -> frozenset[str]:
        """The View fields its rows depend on."""
        return read_of(self.query).fields | ({"incl_vat"} if self.vat else set())

    def data(self, con: duckdb.DuckDBPyConnection, view: View) -> pd.DataFrame:
        read = read_of(self.query)
        return read.bound(dated(view, [read], con))(con)

    def shown_table(self, data: pd.DataFrame, view: View) -> columns.ShownTable:
        """The table as its page shows it (dashboard.columns)."""
        frame = default_table(data) if self.columns is None else data
        if self.vat:
            frame = columns.for_vat(frame, view.incl_vat)
        return columns.shown(frame, total=self.total, keep=self.columns, keys=data)


TABLES = (
    Table("municipalities-never", "kommuner-uden-deltagelse", "Kommuner",
          queries.never_attended,
          columns=("municipality", "region", "mayor", "no_show", "pending", "cancelled")),
    Table("retention-slipping", "nyvalgte-uden-deltagelse-seneste-to-sessioner",
          "Fastholdelse", queries.newly_elected_slipping,
          columns=("mayor", "municipality", "region", "party", "sessions_attended",
                   "last_attended_at")),
    Table("revenue-table", "omsaetning-pr-session", "Økonomi", queries.revenue_by_session,
          columns=("starts_at", "format", "registrations", "cancellations_billed",
                   "revenue_ex_vat", "revenue_incl_vat", "invoiced_ex_vat",
                   "invoiced_incl_vat", "outstanding_ex_vat", "outstanding_incl_vat",
                   "registrations_price_unknown"),
          total=True, vat=True),
    Table("geography-table", "sessioner-og-rejseafstand", "Geografi", queries.session_geography,
          columns=("starts_at", "format", "venue", "city", "attended", "avg_travel_km",
                   "total_travel_km")),
)
TABLES_BY_KEY = {table.key: table for table in TABLES}


def page_tables(page: str) -> tuple[Table, ...]:
    """The downloadable tables on `page`, in registry order."""
    return tuple(table for table in TABLES if table.page == page)
