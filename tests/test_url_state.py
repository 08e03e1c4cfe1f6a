"""The view in the address (dashboard.url_state): a state survives the round trip through
its query, defaults are not written, and anything unknown or invalid is dropped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import url_state
from dashboard.url_state import decode, defaults, encode

PROGRAMMES = ["LKS2026-DEMO", "LKS2022"]


def test_a_default_view_is_the_bare_path():
    assert encode(defaults()) == ""
    assert decode("") == defaults()
    assert decode(None) == defaults()


def test_a_filtered_view_round_trips_and_writes_only_what_differs():
    state = {**defaults(), "programme": "LKS2022", "regions": [1085, 1084],
             "formats": ["online"], "years": [2023], "vat": "incl",
             "session": "LKS2022-05", "tables": ["municipalities-map"]}
    query = encode(state, {"programme": PROGRAMMES})
    assert query == ("?program=LKS2022&regioner=1084,1085&typer=online&aar=2023&moms=incl"
                     "&tabel=municipalities-map&session=LKS2022-05")
    assert "maalgrupper" not in query  # at its default: not written
    back = decode(query, {"programme": PROGRAMMES})
    assert back == {**state, "regions": [1084, 1085]}  # lists in their canonical order
    assert encode(back, {"programme": PROGRAMMES}) == query


@pytest.mark.parametrize("query", [
    "?regioner=9999", "?regioner=abc", "?regioner=", "?typer=weekly", "?moms=maybe",
    "?program=<script>", "?program=LKS1999", "?aar=1066", "?aar=20230",
    "?session=" + "x" * 200, "?unknown=1", "?%ff%fe=1", "?regioner=1084" * 500,
])
def test_unknown_and_invalid_values_are_dropped_never_raised(query):
    state = decode(query, {"programme": PROGRAMMES})
    assert state == defaults() or state["regions"] == [1084]


def test_valid_values_survive_beside_invalid_ones():
    state = decode("?regioner=1084,9999,nord,1084&typer=day,weekly&moms=incl&x=y")
    assert state["regions"] == [1084] and state["formats"] == ["day"]
    assert state["vat"] == "incl"


def test_dash_pages_query_form_decodes_the_same():
    assert decode({"regioner": "1084,1081", "moms": "incl"}) == \
        decode("?regioner=1084,1081&moms=incl")


def test_every_parameter_is_declared_once_with_a_default_that_is_allowed():
    names = [p.name for p in url_state.PARAMS]
    fields = [p.field for p in url_state.PARAMS]
    assert len(set(names)) == len(names) and len(set(fields)) == len(fields)
    for param in url_state.PARAMS:
        if param.allowed is not None and param.default not in (None, []):
            assert param.default in param.allowed
    assert set(url_state.SHARED) <= set(fields)


@given(regions=st.lists(st.sampled_from(list(url_state.REGIONS))),
       formats=st.lists(st.sampled_from(["day", "overnight", "online"])),
       years=st.lists(st.integers(2000, 2100)),
       vat=st.sampled_from(["ex", "incl"]),
       session=st.none() | st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True))
def test_any_valid_state_round_trips(regions, formats, years, vat, session):
    state = {**defaults(), "regions": regions, "formats": formats, "years": years,
             "vat": vat, "session": session}
    back = decode(encode(state))
    for field in ("regions", "formats", "years"):
        assert set(back[field]) == set(state[field])
    assert (back["vat"], back["session"]) == (vat, session)


@given(st.text(max_size=300))
def test_any_text_decodes_to_a_state(text):
    state = decode(text)
    assert set(state) == set(defaults())


def test_the_municipality_picked_is_its_dst_code_in_the_address():
    state = {**defaults(), "regions": [1084], "municipality": 101}
    assert encode(state) == "?regioner=1084&kommune=101"
    assert decode("?kommune=101")["municipality"] == 101
    assert decode({"kommune": "101"}) == decode("?kommune=101")   # as Dash pages pass it
    # A native select's value is text, and its placeholder "" is no pick at all.
    assert encode({**defaults(), "municipality": "851"}) == "?kommune=851"
    assert encode({**defaults(), "municipality": ""}) == ""
    # Only a code the app knows, when it says which (the list's options).
    assert decode("?kommune=101", {"municipality": [101, 851]})["municipality"] == 101
    assert decode("?kommune=999", {"municipality": [101, 851]})["municipality"] is None
    for text in ("?kommune=abc", "?kommune=", "?kommune=-101", "?kommune=1234567"):
        assert decode(text)["municipality"] is None, text


def test_a_reset_keeps_only_declared_fields():
    assert set(url_state.KEPT_ON_RESET) <= set(url_state.BY_FIELD)
    assert not set(url_state.KEPT_ON_RESET) & set(url_state.SHARED)   # never a filter
    state = decode("?regioner=1084&typer=day&moms=incl&kommune=101")
    assert encode(state, only=url_state.KEPT_ON_RESET) == "?kommune=101"
