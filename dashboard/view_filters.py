"""The filter bar's filters as a page's view takes them: the bar's ticks in, queries.Filters
out, narrowed to the filters the page takes (url_state.PAGE_FILTERS).

A page's view callback takes the bar's four checklists (`INPUTS`) after the programme, and
its layout draws the first view from the address with the same ticks the bar shows
(`first_ticks`), so the first view and the callback share one cache entry. It opens with
`opening`: the filters to draw with, or its charts blank with the one thing to say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input

from dashboard import charts, queries, url_state
from dashboard.components import empty_for
from dashboard.filter_bar import CONTROLS, filter_values, narrowed, ticked
from dashboard.first_view import PROGRAMME
from dashboard.i18n import t

# The bar's checklists, in url_state.FILTERS order: regions (DST codes), formats, audiences,
# years.
INPUTS = [Input(CONTROLS[field], "value") for field in url_state.FILTERS]


def first_ticks(query: Mapping[str, Any], programme_id: str | None) -> list[list]:
    """The four checklists' ticks for the view a page's address names (the layout's query,
    as Dash passes it), as the bar ticks them (every value when the address narrows
    nothing)."""
    state = url_state.decode({k: v for k, v in query.items() if k != PROGRAMME})
    every = filter_values(programme_id)
    return [ticked(state[field], every[field]) for field in url_state.FILTERS]


def for_page(page: str, programme_id: str, regions: list | None, formats: list | None,
             audiences: list | None, years: list | None) -> queries.Filters | None:
    """The filters page `page` draws with, from the bar's ticks: only those it takes
    (url_state.PAGE_FILTERS), every value ticked meaning no narrowing. None when one of
    those it takes has nothing ticked (the page says to choose something); a list None
    (never set) is every value."""
    applies = url_state.PAGE_FILTERS.get(page, ())
    ticks = dict(zip(url_state.FILTERS, (regions, formats, audiences, years), strict=True))
    every = filter_values(programme_id)
    kept = {field: [] for field in url_state.FILTERS}
    for field in applies:
        if ticks[field] is None:
            continue
        known = [v for v in every[field] if v in set(ticks[field])]
        if not known:  # nothing ticked (or only values the programme lacks)
            return None
        kept[field] = narrowed(known, every[field])
    return queries.Filters(
        regions=tuple(url_state.REGIONS[int(c)] for c in kept["regions"]
                      if int(c) in url_state.REGIONS),
        formats=tuple(kept["formats"]), audiences=tuple(kept["audiences"]),
        years=tuple(int(y) for y in kept["years"]))


def nothing_left() -> dbc.Alert:
    """The one warning a page shows above its blank charts when the bar's ticks leave
    nothing (every value of a filter unticked): once, not in every chart."""
    return dbc.Alert(t("municipalities.choose_something"), color="warning", className="py-2")


def opening(page: str, shown: Iterable[charts.Chart], programme_id: str | None,
            regions: list | None, formats: list | None, audiences: list | None,
            years: list | None, *, say_in: str = "nothing",
            no_programme: Any = "") -> tuple[queries.Filters | None, dict[str, Any]]:
    """How a filtered page's view callback opens, the same on all four: (the filters to draw
    with, from the bar's ticks (`for_page`), {}), or, with nothing to draw, (None, the
    outputs to return), the page adding its other outputs blank. Then the `shown` charts
    are blank and the output `say_in` holds `no_programme` where no programme is chosen (an
    empty database: the charts say there is no data), the one warning (`nothing_left`)
    where the ticks leave nothing."""
    if not programme_id:
        return None, {"charts": empty_for(shown, t("fig.no_data")), say_in: no_programme}
    filters = for_page(page, programme_id, regions, formats, audiences, years)
    if filters is None:
        return None, {"charts": empty_for(shown, ""), say_in: nothing_left()}
    return filters, {}
