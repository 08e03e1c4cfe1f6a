"""A page's first view comes with its layout (dashboard.first_view), not from a callback
after it: the layout the router returns already holds every output of the page's view
callbacks, and Dash is told not to run them when the page is shown."""

from __future__ import annotations

import json

import plotly
import pytest
from dash import Output, html, no_update

from dashboard.first_view import PROGRAMME, ROUTING_INPUTS, fill
from dashboard.ids import PROGRAMME_SELECT
from tests.conftest import VIEWER, log_in

PROGRAMME_ID = "LKS2026-DEMO"


def view_callbacks(module) -> list:
    return [value for value in vars(module).values() if hasattr(value, "view_outputs")]


def outputs_of(spec) -> list[Output]:
    if isinstance(spec, Output):
        return [spec]
    items = spec.values() if isinstance(spec, dict) else spec
    return [output for item in items for output in outputs_of(item)]


def components_by_id(layout) -> dict:
    return {json.dumps(c.id, sort_keys=True): c
            for c in [layout, *layout._traverse()] if getattr(c, "id", None) is not None}


def page_modules():
    from dashboard.pages import (
        geography,
        municipalities,
        overview,
        planning,
        retention,
        revenue,
    )
    return [overview, municipalities, retention, revenue, geography, planning]


@pytest.mark.parametrize("index", range(6))
def test_a_pages_layout_holds_its_first_view(app, index):
    module = page_modules()[index]
    views = view_callbacks(module)
    assert views, f"{module.__name__} has no view callback"
    with app.server.test_request_context(module.dash.page_registry[module.__name__]["path"]):
        layout = module.layout(**{PROGRAMME: PROGRAMME_ID})
    found = components_by_id(layout)
    for view in views:
        for output in outputs_of(view.view_outputs):
            component = found[json.dumps(output.component_id, sort_keys=True)]
            # Set, even when to None (no other programme to compare with): sent to the browser.
            assert hasattr(component, output.component_property), \
                f"{output} is not in {module.__name__}'s layout"
    figures = [c.figure for c in found.values() if hasattr(c, "figure") and c.figure]
    # Every page draws a chart with data at once (the side-by-side one waits for a choice).
    assert any(figure.data for figure in figures), module.__name__
    json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder)  # what the router sends


def test_kommuner_opens_with_the_municipality_its_address_names_picked(app):
    """`?kommune=101`: the layout the router returns has København picked as a click would
    leave it (list, detail, ring on the map, frame in the ranking and the matrix); a code
    the list does not offer picks nothing, and the cached figures stay unmarked."""
    from dashboard.pages import municipalities as page

    def opened(**query):
        with app.server.test_request_context("/kommuner"):
            found = components_by_id(page.layout(**{PROGRAMME: PROGRAMME_ID, **query}))
        shapes = {chart: list(found[json.dumps(chart)].figure.layout.shapes)
                  for chart in (page.MAP, page.RANKING, page.MATRIX)}
        return found, shapes

    found, shapes = opened(kommune="101")
    assert found[json.dumps(page.PICK, sort_keys=True)].value == 101
    heading = found[json.dumps(page.DETAIL)].children[0]
    assert heading.children.children == "København"
    assert heading.children.href == "/kommuner/101"
    inset, ring = shapes[page.MAP]             # Bornholm's frame kept, the ring on top
    assert ring.line.color == "#000000" and inset.type == "rect"
    (ranking_frame,) = shapes[page.RANKING]
    lines, matrix_frame = shapes[page.MATRIX]  # the matrix's lines between cells kept
    assert ranking_frame.yanchor == matrix_frame.yanchor == "København"
    assert lines.type == "path"

    for query in ({}, {"kommune": "999"}, {"kommune": "101", "regioner": "1081"}):
        found, shapes = opened(**query)   # none, unknown, not among the regions chosen
        assert found[json.dumps(page.PICK, sort_keys=True)].value == page.NO_PICK, query
        assert len(shapes[page.MAP]) == 1 and not shapes[page.RANKING], query
        assert [s.type for s in shapes[page.MATRIX]] == ["path"], query


def test_view_callbacks_do_not_run_when_their_page_is_shown(app):
    """The callbacks Dash serves to the browser: each one writing a view output prevents its
    initial call (the layout has drawn it)."""
    modules = page_modules()
    client = app.server.test_client()
    log_in(client, *VIEWER)
    served = client.get("/_dash-dependencies").get_json()
    view_outputs = {f"{output.component_id}.{output.component_property}"
                    for module in modules for view in view_callbacks(module)
                    for output in outputs_of(view.view_outputs)
                    if isinstance(output.component_id, str)}
    checked = 0
    for entry in served:
        declared = entry["output"].strip(".").split("...")
        if view_outputs.intersection(declared):
            assert entry["prevent_initial_call"] is True, entry["output"]
            checked += 1
    assert checked >= 9  # one a page (the years list is the filter bar's), four on Planlægning


def test_the_router_hands_the_shells_programme_to_the_layouts(app):
    assert app.routing_callback_inputs == ROUTING_INPUTS
    state = ROUTING_INPUTS[PROGRAMME]
    assert (state.component_id, state.component_property) == (PROGRAMME_SELECT, "value")


def test_fill_puts_each_output_where_its_id_is():
    layout = html.Div([html.P(id="a"), html.Div(html.Span(id={"type": "b", "n": 1}))])

    def view(value):  # as view_callback leaves it, without registering it with Dash
        return {"one": f"a{value}", "two": [f"b{value}"]}

    view.view_outputs = {"one": Output("a", "children"),
                         "two": [Output({"type": "b", "n": 1}, "title")]}
    fill(layout, view, 7)
    assert layout.children[0].children == "a7"
    assert layout.children[1].children.title == "b7"
    with pytest.raises(KeyError):
        fill(html.Div(id="elsewhere"), view, 1)

    def leaving_one(value):   # an output the view leaves as it is keeps the layout's value
        return {"one": no_update, "two": [f"c{value}"]}

    leaving_one.view_outputs = view.view_outputs
    fill(layout, leaving_one, 8)
    assert layout.children[0].children == "a7"
    assert layout.children[1].children.title == "c8"


def test_planlaegning_opens_with_its_session_link_and_the_table_its_address_names(app):
    """The session's link comes with the forecast ("/" without a session); a link naming a
    chart of the page's own in `tabel` opens on its table, for the session it names
    (dashboard.chart_tables.PAGE_TABLES)."""
    import dash

    from dashboard.ids import AS_TABLE, TABLE_CONTENT
    from dashboard.pages import planning as page

    opened = dash.page_registry[page.__name__]["layout"]   # as dashboard.app wraps it
    with app.server.test_request_context("/planlaegning"):
        found = components_by_id(opened(**{PROGRAMME: PROGRAMME_ID, "session": "LKS2026-DEMO-05",
                                           "tabel": page.VENUE_MAP}))
        assert page.show_forecast(None)[-1] == "/"
    assert found[json.dumps(page.SESSION_LINK)].href == "/sessioner/LKS2026-DEMO-05"
    switch = {"type": AS_TABLE, "chart": page.VENUE_MAP}
    assert found[json.dumps(switch, sort_keys=True)].value is True
    table = found[json.dumps({"type": TABLE_CONTENT, "chart": page.VENUE_MAP}, sort_keys=True)]
    placed = found[json.dumps("planning-venue-placed")]
    assert "Odense" in json.dumps(table.children, cls=plotly.utils.PlotlyJSONEncoder)
    assert "Odense" in json.dumps(placed, cls=plotly.utils.PlotlyJSONEncoder)


@pytest.mark.browser
def test_switching_pages_draws_each_view_without_its_callback(app, server, browser):
    """In Chromium, through the navigation: no request for a page's view callbacks (counted
    from the requests themselves, not timed), and its charts drawn with data."""
    from dashboard.i18n import CATALOGUE
    from tests.conftest import PAGES, settle
    from tests.test_browser import WatchedPage

    watched = WatchedPage(browser, server)
    watched.open("/", PAGES["/"][1])
    page = watched.page
    asked: list[str] = []
    inputs: list[str] = []

    def seen(request):
        if "_dash-update-component" in request.url:
            asked.append(request.post_data_json["output"])
            inputs.append(json.dumps(request.post_data_json["inputs"]))

    page.on("request", seen)
    modules = {module.dash.page_registry[module.__name__]["path"]: module
               for module in page_modules()}
    for path in ["/kommuner", "/fastholdelse", "/oekonomi", "/geografi", "/planlaegning", "/"]:
        module = modules[path]
        name = CATALOGUE[module.dash.page_registry[module.__name__]["name_key"]]["da"]
        asked.clear()
        inputs.clear()
        page.locator("#nav-collapse").get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(server + path)
        settle(page, PAGES[path][1])
        outputs = {f"{o.component_id}.{o.component_property}"
                   for view in view_callbacks(module) for o in outputs_of(view.view_outputs)
                   if isinstance(o.component_id, str)}
        assert any("_pages_content.children" in output for output in asked), path
        assert not [output for output in asked if outputs & set(output.strip(".").split("..."))]
        # Nor for the export menus appearing (assets/export-click.js keeps them in the browser).
        assert not [i for i in inputs if "chart-export" in i or "table-export" in i], path
        drawn = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                              ".filter(plot => (plot._fullData || []).length).length")
        assert drawn >= 1, path
    watched.assert_clean()
    page.close()
