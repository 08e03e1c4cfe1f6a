"""Every query's and figure's column contract (dashboard.contracts) against what it does.

The functions are found by introspection, so a query or figure added without a contract, or
with one that disagrees with what it returns or reads, fails here. Queries run on the
hand-made data set (tests/tiny_data.py) with the arguments below, chosen by parameter name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, contracts, figures, planning, queries
from dashboard.contracts import ContractError

AS_OF = dt.date(2023, 6, 15)  # the tiny data's export day: S1..S3 all held

# Representative arguments on the tiny data, by parameter name (parameters with a default
# keep it). A new query with a new parameter name needs its value here.
QUERY_ARGUMENTS = {
    "programme_id": "P1", "programme_ids": ["P1"], "session_id": "S2",
    "session_ids": ["S1", "S2", "S3"], "kommune_code": 851, "name": "Aarhus",
    "held_by": AS_OF, "as_of": AS_OF, "before": AS_OF, "today": AS_OF, "days_before": 30,
}

# The dtype kinds a column of each unit may come back as (numpy's kind letters: b bool,
# i/u integer, f float, M datetime, O object or text). A column with no rows or only empty
# values says nothing about its type, so it passes as object too.
UNIT_KINDS = {
    "id": "OUiu", "kommune code": "iu", "code": "OU", "text": "OU", "yes/no": "b",
    "count": "iuf", "people": "iu", "share 0–1": "f", "kr. ex VAT": "f",
    "kr. incl. VAT": "f", "kr. VAT": "f", "km": "f", "degrees": "f", "date": "M",
    "timestamp, local time": "M", "days": "iu", "months": "iu", "position": "iu",
    "weight": "f",
}


def _public_functions(module) -> dict:
    return {name: function for name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == module.__name__ and not name.startswith("_")}


def _returns(function):
    return inspect.signature(function, eval_str=True).return_annotation


QUERIES = _public_functions(queries)
FRAME_QUERIES = sorted(name for name, q in QUERIES.items() if _returns(q) is pd.DataFrame)
OTHER_QUERIES = sorted(set(QUERIES) - set(FRAME_QUERIES))


def _frame_parameters(function) -> list[str]:
    return [name for name, p in inspect.signature(function, eval_str=True).parameters.items()
            if p.annotation is pd.DataFrame]


# A figure function: public in dashboard.figures and reading a DataFrame.
FIGURES = sorted(name for name, f in _public_functions(figures).items()
                 if _frame_parameters(f))


def run_query(function, con):
    """Call a query with the representative arguments for its parameters."""
    arguments = []
    for name, parameter in list(inspect.signature(function).parameters.items())[1:]:
        if parameter.default is not inspect.Parameter.empty:
            break
        if name not in QUERY_ARGUMENTS:
            pytest.fail(f"{function.__name__}({name}): add a representative value for "
                        f"'{name}' to QUERY_ARGUMENTS in tests/test_contracts.py")
        arguments.append(QUERY_ARGUMENTS[name])
    return function(con, *arguments)


def assert_documented_columns(function, frame: pd.DataFrame) -> None:
    """The frame's columns are the documented ones, in order, each of its unit's type."""
    documented = contracts.columns(function)
    assert tuple(frame.columns) == documented, (
        f"{function.__name__} returns {list(frame.columns)}, its docstring lists "
        f"{list(documented)}")
    for name, unit, _ in contracts.sections(function)["Columns"]:
        values = frame[name]
        kind = values.dtype.kind if values.notna().any() else "O"
        assert kind in UNIT_KINDS[unit] or kind == "O" and values.isna().all(), (
            f"{function.__name__}.{name} is documented in {unit!r} but is {values.dtype}")


# --- Queries ------------------------------------------------------------------------------

def test_the_queries_are_found():
    # Introspection finds what the pages call (a rename of the module would find nothing).
    assert {"session_turnout", "revenue_by_session", "plan_sessions"} <= set(FRAME_QUERIES)
    assert {"key_figures", "session_outcome", "regions"} <= set(OTHER_QUERIES)


@pytest.mark.parametrize("name", FRAME_QUERIES)
def test_query_returns_exactly_its_documented_columns(tiny_con, name):
    function = QUERIES[name]
    assert "Returns" not in contracts.sections(function), f"{name}: Columns, not Returns"
    assert_documented_columns(function, run_query(function, tiny_con))


@pytest.mark.parametrize("name", OTHER_QUERIES)
def test_query_not_returning_a_frame_says_what_it_returns(tiny_con, name):
    function = QUERIES[name]
    said = contracts.returns(function)
    assert said, f"{name}: no 'Returns:' section"
    assert "Columns" not in contracts.sections(function), f"{name} returns no frame"
    result = run_query(function, tiny_con)
    annotation = _returns(function)
    if dataclasses.is_dataclass(annotation):
        assert said.split()[0] == annotation.__name__, (name, said)
        assert isinstance(result, annotation)


RETURNED_DATACLASSES = sorted(
    {_returns(QUERIES[name]) for name in OTHER_QUERIES
     if dataclasses.is_dataclass(_returns(QUERIES[name]))}, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", RETURNED_DATACLASSES, ids=lambda cls: cls.__name__)
def test_returned_dataclass_documents_its_fields(cls):
    assert contracts.fields(cls) == tuple(f.name for f in dataclasses.fields(cls))


def _programmes_misdocumented(con):
    """Programmes with two columns swapped in the contract.

    Columns:
        programme_id (id) — the programme
        period_start (timestamp, local time) — first day
        title (text) — its name
        period_end (timestamp, local time) — last day
    """
    return queries.programmes(con)


def _programmes_column_missing(con):
    """Programmes with a column left out of the contract.

    Columns:
        programme_id (id) — the programme
        title (text) — its name
        period_start (timestamp, local time) — first day
    """
    return queries.programmes(con)


def _programmes_wrong_unit(con):
    """Programmes with a date documented as money.

    Columns:
        programme_id (id) — the programme
        title (text) — its name
        period_start (kr. ex VAT) — first day
        period_end (timestamp, local time) — last day
    """
    return queries.programmes(con)


@pytest.mark.parametrize("function", [_programmes_misdocumented, _programmes_column_missing,
                                      _programmes_wrong_unit], ids=lambda f: f.__name__)
def test_a_contract_that_disagrees_with_its_query_fails(tiny_con, function):
    with pytest.raises(AssertionError):
        assert_documented_columns(function, function(tiny_con))


def test_an_undocumented_or_malformed_contract_fails():
    def undocumented(con) -> pd.DataFrame:
        """A new query nobody documented."""

    def unknown_unit(con) -> pd.DataFrame:
        """A unit not in the list.

        Columns:
            revenue (euro) — money
        """

    def not_an_entry(con) -> pd.DataFrame:
        """A line that is not 'name (unit) — meaning'.

        Columns:
            revenue: kr. ex VAT
        """

    def unindented(con) -> pd.DataFrame:
        """A line that is not indented under its heading.

        Columns:
            revenue (kr. ex VAT) — money
        vat (kr. VAT) — the VAT
        """

    for function, message in ((undocumented, "no 'Columns:' section"),
                              (unindented, "not 'name (unit) — meaning'"),
                              (unknown_unit, "unknown unit 'euro'"),
                              (not_an_entry, "not 'name (unit) — meaning'")):
        with pytest.raises(ContractError, match=re.escape(message)):
            contracts.columns(function)


# --- Figures ------------------------------------------------------------------------------

def _venue_inputs(con) -> dict:
    origins, _ = planning.expected_origins(queries.registered_origins(con, "S2"),
                                           queries.recent_physical_attendance(con, AS_OF), 3)
    # The tiny data has no venue candidates: its town halls stand in for them.
    candidates = queries.participant_origins(con, "P1").rename(columns={"municipality": "city"})
    return {"ranked": planning.rank_venues(origins, candidates), "origins": origins}


# A registered chart's figure is drawn from what the registry reads for it on the tiny data
# (registry_inputs, below): a new chart needs no entry here. The figures no chart draws (the
# Planning page's own, and helpers) need their frames, as the pages get them, and their other
# arguments, one call per variant, as a figure may read some columns only in one.
FIGURE_INPUTS = {
    "session_labels": (lambda con: {"sessions": queries.sessions(con, "P1")}, [{}]),
    "registration_curves": (
        lambda con: {"curves": queries.registration_curves(con, ["S1", "S2", "S3"]),
                     "sessions": queries.sessions(con, "P1")},
        [{"target_id": "S2"}, {"target_id": "S3", "days_before": 10}]),
    "venue_map": (_venue_inputs, [{}]),
}


def registry_inputs(figure, con, view) -> tuple[dict, list[dict]] | None:
    """The frames a registered chart's `figure` is drawn from, as the registry reads them on
    `con` for `view` (its query's data and its `also` reads), and its other arguments as
    variants: the view's, and each yes/no the view passes flipped (incl_vat). None when no
    registered chart draws `figure`."""
    drawn_by = [chart for chart in charts.CHARTS if chart.figure is figure]
    if not drawn_by:
        return None
    chart = drawn_by[0]
    inputs = charts.read([chart], view, on=con).figure_inputs(chart.key)
    frames = {name: value for name, value in inputs.items() if isinstance(value, pd.DataFrame)}
    others = {name: value for name, value in inputs.items() if name not in frames}
    return frames, [others] + [{**others, name: not value} for name, value in others.items()
                               if isinstance(value, bool)]


def _documented_frames(name: str, tiny_view) -> tuple[dict, list[dict]]:
    """The figure's frames cut to exactly its documented columns, and its variants."""
    con, view = tiny_view
    return documented_frames(getattr(figures, name), con, view)


def documented_frames(function, con, view) -> tuple[dict, list[dict]]:
    found = registry_inputs(function, con, view)
    if found is None:
        if function.__name__ not in FIGURE_INPUTS:
            pytest.fail(f"figures.{function.__name__}: draw it from a registered chart "
                        "(dashboard/charts.py), or add its inputs to FIGURE_INPUTS in "
                        "tests/test_contracts.py")
        make, variants = FIGURE_INPUTS[function.__name__]
        found = make(con), variants
    frames, variants = found
    needed = contracts.needs(function)
    missing = {arg: set(cols) - set(frames[arg].columns) for arg, cols in needed.items()}
    assert not any(missing.values()), f"the sample frames lack documented columns: {missing}"
    return {arg: frames[arg][list(cols)] for arg, cols in needed.items()}, variants


def test_the_figures_are_found():
    assert {"turnout_by_session", "session_matrix", "venue_map",
            "registration_curves"} <= set(FIGURES)


@pytest.mark.parametrize("name", FIGURES)
def test_figure_documents_every_frame_it_takes(name):
    function = getattr(figures, name)
    assert set(contracts.needs(function)) == set(_frame_parameters(function)), (
        f"figures.{name}: one 'Needs <argument>:' section for each DataFrame argument")


@pytest.mark.parametrize("name", FIGURES)
def test_figure_draws_from_exactly_its_documented_columns(tiny_view, name):
    function = getattr(figures, name)
    frames, variants = _documented_frames(name, tiny_view)
    for variant in variants:
        drawn = function(**frames, **variant)  # an undocumented column: KeyError here
        if _returns(function) is go.Figure:
            assert drawn.data, f"figures.{name}{variant} drew nothing"


def _fails_without(function, frames: dict, variants: list[dict], arg: str, column: str) -> bool:
    cut = {**frames, arg: frames[arg].drop(columns=[column])}
    for variant in variants:
        try:
            function(**cut, **variant)
        except (KeyError, AttributeError):  # df[column], or row.column of itertuples
            return True
    return False


@pytest.mark.parametrize("name", FIGURES)
def test_figure_needs_every_column_it_documents(tiny_view, name):
    function = getattr(figures, name)
    frames, variants = _documented_frames(name, tiny_view)
    unread = [f"{arg}.{column}" for arg, columns in contracts.needs(function).items()
              for column in columns
              if not _fails_without(function, frames, variants, arg, column)]
    assert not unread, f"figures.{name} draws without the documented {unread}"


def test_a_figure_contract_that_disagrees_fails(tiny_con):
    def region_shares_missing(df: pd.DataFrame):
        """Documents one column too few.

        Needs df:
            region (text) — the bar
            share_of_mayors (share 0–1) — its municipalities' share
        """
        return figures.region_shares(df)

    def region_shares_extra(df: pd.DataFrame):
        """Documents a column it never reads.

        Needs df:
            region (text) — the bar
            share_of_mayors (share 0–1) — its municipalities' share
            share_of_attendances (share 0–1) — its attendances' share
            municipalities (count) — not read
        """
        return figures.region_shares(df)

    full = queries.participation_by_region(tiny_con, "P1")
    needed = contracts.needs(region_shares_missing)["df"]
    with pytest.raises(KeyError):
        region_shares_missing(full[list(needed)])
    columns = contracts.needs(region_shares_extra)["df"]
    assert not _fails_without(region_shares_extra, {"df": full[list(columns)]}, [{}],
                              "df", "municipalities")


# --- The same on the demo data --------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_database):
    """The demo database, read only, and representative arguments there: its 2022-2025
    programme (every session held) and that programme's last session."""
    import duckdb

    with duckdb.connect(str(demo_database), read_only=True) as con:
        programme = queries.programmes(con).iloc[-1]  # the oldest
        last = queries.sessions(con, programme["programme_id"]).iloc[-1]
        arguments = {**QUERY_ARGUMENTS, "programme_id": programme["programme_id"],
                     "programme_ids": [programme["programme_id"]],
                     "session_id": last["session_id"],
                     "session_ids": list(queries.sessions(con, programme["programme_id"])
                                         ["session_id"]),
                     "kommune_code": 101, "name": "København",
                     **dict.fromkeys(("held_by", "as_of", "before", "today"),
                                     programme["period_end"].date())}
        yield con, arguments


@pytest.mark.parametrize("name", FRAME_QUERIES)
def test_query_returns_its_documented_columns_on_the_demo(demo, name, monkeypatch):
    # Rows the tiny data leaves empty (no candidate venues, no import runs, no municipality
    # that never came) are there in the demo, so every column's unit is checked on values.
    con, arguments = demo
    monkeypatch.setattr(f"{__name__}.QUERY_ARGUMENTS", arguments)
    frame = run_query(QUERIES[name], con)
    assert len(frame), f"{name} returned no rows on the demo: choose other arguments"
    assert_documented_columns(QUERIES[name], frame)
