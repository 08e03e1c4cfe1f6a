"""A page's first view computed with its layout, not by a callback after it.

Dash shows a page in round trips: the router's request returns the page's layout, and only
then do the page's callbacks run, in a second request (a third when one feeds another, as
Planlægning's session list feeds its plan). Measured in the browser (benchmarks/interaction.py)
those round trips, not the server's milliseconds, were what a page switch waited for.

So a page's view callbacks are registered with `view_callback`: Dash does not run them when
the page is shown (prevent_initial_call), and the page's layout calls them itself, through the
same per-worker cache (dashboard.cache), and puts their values into its components with
`fill`. They still run when one of their inputs changes (the programme, a filter, a switch).
The programme picked in the shell reaches the layout through the router
(`ROUTING_INPUTS`, given to Dash as routing_callback_inputs).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from dash import Output, State, callback, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard.ids import PROGRAMME_SELECT

# The keyword a page's layout receives the shell's programme by (None when it has none).
# Not "programme": a name a page's query string could one day use.
PROGRAMME = "shell_programme"
ROUTING_INPUTS = {PROGRAMME: State(PROGRAMME_SELECT, "value")}


def view_callback(output: Any, inputs: list, **kwargs: Any) -> Callable:
    """`dash.callback(output=..., inputs=..., prevent_initial_call=True)` for a callback whose
    first values the page's layout fills in with `fill`; keeps `output` on the function."""
    def register(function: Callable) -> Callable:
        registered = callback(output=output, inputs=inputs, prevent_initial_call=True,
                              **kwargs)(function)
        registered.view_outputs = output
        return registered
    return register


def fill(layout: Component, view: Callable, *args: Any) -> Component:
    """`layout` with the outputs of the view callback `view` (see `view_callback`) set to what
    `view(*args)` returns; unchanged when it raises PreventUpdate, an output it answers with
    no_update as the layout has it. Raises KeyError when an output's component is not in
    `layout`."""
    try:
        values = view(*args)
    except PreventUpdate:
        return layout
    components = by_id(layout)
    for output, value in _pairs(view.view_outputs, values):
        if isinstance(value, type(no_update)):
            continue
        setattr(components[key(output.component_id)], output.component_property, value)
    return layout


def by_id(layout: Component) -> dict[str, Component]:
    """The components of `layout` that have an id, by the id's JSON (keys sorted: the form
    `key` gives a dict id)."""
    return {key(c.id): c for c in _tree(layout) if getattr(c, "id", None) is not None}


def _tree(component: Component) -> Iterator[Component]:
    yield component
    yield from (c for c in component._traverse() if isinstance(c, Component))


def key(component_id: Any) -> str:
    """A component id as `by_id` names it."""
    return json.dumps(component_id, sort_keys=True)


def _pairs(outputs: Any, values: Any) -> Iterator[tuple[Output, Any]]:
    """(Output, value) for each output of a callback's output spec (an Output, or a dict or
    list of them, nested as Dash's flexible signatures allow) and the values in its shape."""
    if isinstance(outputs, Output):
        yield outputs, values
    elif isinstance(outputs, dict):
        for name, spec in outputs.items():
            yield from _pairs(spec, values[name])
    else:
        for spec, value in zip(outputs, values, strict=True):
            yield from _pairs(spec, value)
