"""Every id a callback reads or writes is laid out by the shell or by some page.

Dash says nothing when a callback names an id no layout has (the app runs with
suppress_callback_exceptions, as its pages come and go): the callback just never fires, so a
mistyped export id silently disables a download. The shared ids are declared once
(dashboard.ids); this test holds every callback to the layouts the app really serves.
"""

from __future__ import annotations

import json
import sys

import dash
import pytest
from dash import ALL, MATCH, Input, Output

from dashboard import ids
from dashboard.app import shell_layout
from tests.component_tree import components

# Wildcards as Dash writes them in a callback's serialised id (`{"chart": ["MATCH"]}`).
WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])


def laid_out_ids(component) -> list[str | dict]:
    """Every `id` anywhere in a component tree, in any property (children, a tooltip's
    target, a collapse's content...): the tree as Dash sends it to the browser, walked."""
    return [node["props"]["id"] for node in components(component) if "id" in node["props"]]


def callback_ids(callback_map: dict) -> list[tuple[str | dict, str, str]]:
    """(id, property, callback) for every Input, State and Output of every callback; a
    pattern-matching id as a dict with Dash's wildcard lists (Dash keeps it as JSON text)."""
    named = []
    for key, entry in callback_map.items():
        outputs = entry["output"] if isinstance(entry["output"], list) else [entry["output"]]
        for dependency in [*(o.to_dict() for o in outputs), *entry["inputs"], *entry["state"]]:
            named.append((_plain(dependency["id"]), dependency["property"], key))
    return named


def _plain(component_id: str) -> str | dict:
    """An id as one comparable value: a string, or a dict whose wildcards read ["MATCH"]."""
    return json.loads(component_id) if component_id.startswith("{") else component_id


def matches(wanted: str | dict, laid_out: str | dict) -> bool:
    """Whether a callback's id names a laid-out one: the same string, or a pattern with the
    same keys whose fixed values are equal (a wildcard matches any value)."""
    if isinstance(wanted, str) or isinstance(laid_out, str):
        return wanted == laid_out
    return wanted.keys() == laid_out.keys() and all(
        value in WILDCARDS or laid_out[key] == value for key, value in wanted.items())


def every_layout(app) -> list[str | dict]:
    """The ids of the shell and of every page, the admins-only Data page as an admin sees it
    (as the demo database holds it; ids do not depend on the data)."""
    with app.server.test_request_context("/"), pytest.MonkeyPatch.context() as patch:
        # The module Dash loaded the page from (its page registry), not imported here.
        patch.setattr(sys.modules["dashboard.pages.data"], "_is_admin", lambda: True)
        found = laid_out_ids(shell_layout())
        for page in dash.page_registry.values():
            layout = page["layout"]
            found += laid_out_ids(layout() if callable(layout) else layout)
    return found


def unmatched(callback_map: dict, laid_out: list[str | dict]) -> list[str]:
    return sorted({f"{component_id}.{prop} (in {key[:80]})"
                   for component_id, prop, key in callback_ids(callback_map)
                   if not any(matches(component_id, have) for have in laid_out)})


@pytest.fixture(scope="module")
def laid_out(app):
    return every_layout(app)


def test_every_callback_id_is_laid_out_by_the_shell_or_a_page(app, laid_out):
    assert len(app.callback_map) > 20   # the pages' callbacks are all registered
    assert unmatched(app.callback_map, laid_out) == []


def test_the_shared_ids_are_in_the_layouts(laid_out):
    """The shell's and the export's ids, pattern ones included, are what the layouts hold."""
    for name in (ids.PROGRAMME_SELECT, ids.DOWNLOAD, ids.ALL_TABLES, ids.REPORT_PDF,
                 ids.REPORT_PPTX, ids.NAV_TOGGLE, ids.NAV_COLLAPSE, ids.MAIN):
        assert name in laid_out
    for kind in (ids.CHART_EXPORT, ids.TABLE_EXPORT, ids.AS_TABLE, ids.GRAPH_BOX,
                 ids.TABLE_BOX, ids.TABLE_CONTENT):
        assert any(isinstance(i, dict) and i.get("type") == kind for i in laid_out), kind


@pytest.mark.parametrize("mistyped", [
    Input("programme-selct", "value"),                                   # the shell's selector
    Input({"type": "chart-exports", "chart": ALL, "format": ALL}, "n_clicks"),  # a download
    Output({"type": ids.AS_TABLE, "chart": MATCH, "part": MATCH}, "value"),  # a key too many
])
def test_a_mistyped_id_is_found(app, laid_out, mistyped):
    """A callback naming an id no layout has, added to a copy of the app's callback map the
    way Dash records one, is reported; the real map is left as it is."""
    entry = {"output": Output(ids.DOWNLOAD, "data"), "inputs": [], "state": []}
    if isinstance(mistyped, Output):
        entry["output"] = mistyped
    else:
        entry["inputs"] = [mistyped.to_dict()]
    fake = {**app.callback_map, "fake-callback": entry}
    assert unmatched(app.callback_map, laid_out) == []
    (problem,) = unmatched(fake, laid_out)
    assert "fake-callback" in problem
