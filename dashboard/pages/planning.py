"""Planlægning: the next session for the moderator — turnout, meals, rooms, lists, venue."""

from __future__ import annotations

from collections.abc import Iterator

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import charts, figures, formatting, planning, queries, url_state
from dashboard.cache import cached_on_database, warm_up
from dashboard.chart_tables import chart_table, page_table
from dashboard.components import (
    chart_outputs,
    chart_values,
    data_table,
    empty_chart,
    graph,
    key_figure,
    municipality_link,
    section,
    select,
    session_href,
)
from dashboard.db import current_database
from dashboard.first_view import PROGRAMME, fill, view_callback
from dashboard.i18n import page_title, t, tn, using
from dashboard.ids import PROGRAMME_SELECT, URL_CHOICE, URL_CHOICE_DEFAULT
from dashboard.session_plan import plan_forecast, plan_lists, plan_venue
from dashboard.today import held_mask, pages_today
from dashboard.xlsx import to_xlsx

dash.register_page(__name__, path="/planlaegning", name="Planlægning",
                   name_key="page.planning", title=page_title("page.planning"), order=5)

# In the address (`session`, dashboard.url_state): synced by the shell's filter bar.
SESSION_SELECT = {"type": URL_CHOICE, "name": "session"}
SESSION_DEFAULT = {"type": URL_CHOICE_DEFAULT, "name": "session"}
CARDS = "planning-cards"
THIN = "planning-thin-forecast"
METHOD = "planning-method"
CURVES = "planning-curves"
PARTICIPANTS = "planning-participants"
DOWNLOAD_BUTTON = "planning-download-button"
DOWNLOAD = "planning-download"
WAITING = "planning-waiting"
TO_CALL = "planning-to-call"
VENUE_TITLE = "planning-venue-title"
VENUE_MAP = "planning-venue-map"
VENUE_TABLE = "planning-venue-table"
HOSTING = "planning-hosting"
SESSION_LINK = "planning-session-link"  # to the chosen session's own page

STATUS = figures.STATUS_LABELS


def _yes_no(value: object) -> str:
    return t("yes") if value else t("no")


def layout(**query):
    # The session list follows the programme picked in the shell (session_choices below).
    page = html.Div([
        html.H1(t("planning.heading"), className="h3"),
        # The label wraps its select: a pattern id cannot be named by a label's `for`.
        html.Label([
            html.Span(t("col.session"), className="form-label d-block"),
            select(SESSION_SELECT, options=[], value=None),
            dcc.Store(id=SESSION_DEFAULT),
            dcc.Link(t("drill.open_session"), id=SESSION_LINK, href="/", className="small"),
        ], className="mb-3 d-block", style={"maxWidth": "40rem"}),
        html.Div(id=CARDS),
        html.P(id=METHOD, className="text-body-secondary small"),
        graph(CURVES),
        dbc.Row([
            dbc.Col(section(t("planning.participants"), html.Div([
                dbc.Button(t("planning.download"), id=DOWNLOAD_BUTTON,
                           color="primary", outline=True, size="sm", className="mb-2"),
                dcc.Download(id=DOWNLOAD),
                html.Div(id=PARTICIPANTS),
                html.Div(id=WAITING),
            ])), lg=7),
            dbc.Col(section(t("planning.to_call"), html.Div(id=TO_CALL)), lg=5),
        ]),
        html.H2(id=VENUE_TITLE, className="h5 mt-4 mb-2"),
        dbc.Row([
            dbc.Col(graph(VENUE_MAP), lg=7),
            dbc.Col([html.Div(id=VENUE_TABLE),
                     section(t("planning.hosting"), html.Div(id=HOSTING))],
                    lg=5),
        ]),
    ])
    # The first view: the session picked by default, and its plan (each cached, the calls
    # here the same ones fill makes).
    # (The session the address names; a later address sets the select in the browser.)
    named = url_state.decode({k: v for k, v in query.items() if k != PROGRAMME})["session"]
    _options, session_id, _default = choose_session(query.get(PROGRAMME), named)
    fill(page, choose_session, query.get(PROGRAMME), named)
    for section_view in (show_forecast, show_lists, show_venue):
        fill(page, section_view, session_id)
    return page


def _range(value: planning.Range) -> str:
    if value.low == value.high:
        return formatting.number(value.expected)
    return f"{value.expected} ({value.low}–{value.high})"


def _range_note(value: planning.Range) -> str:
    """The card's note: "(spænd)" only where _range shows one."""
    return t("planning.expected_single" if value.low == value.high else "planning.expected_range")


@view_callback(output=[Output(SESSION_SELECT, "options"), Output(SESSION_SELECT, "value"),
                       Output(SESSION_DEFAULT, "data")],
               inputs=[Input(PROGRAMME_SELECT, "value")])
def choose_session(programme_id: str, named: str | None = None):
    """The programme's sessions, the one `named` picked when it is one of them (the address's
    `session`: a shared link), else session_choices' default; and that default.

    A later address (back/forward) sets the select in the browser, from SESSION_DEFAULT
    when it names no session (dashboard.filter_bar, assets/view-address.js): no callback
    here reads the address, so a session chosen here, written to the address, does not
    come back to set the select again and run the page's three views a second time."""
    options, likely = session_choices(programme_id)
    default = likely[0] if likely else None
    chosen = named if named in {o["value"] for o in options} else default
    return options, chosen, default


@cached_on_database
def session_choices(programme_id: str) -> tuple[list[dict], list[str]]:
    """The programme's sessions as the select lists them (in date order), and their ids in the
    order the moderator is likely to open them (planning.likely_order, held measured from the
    pages' today, dashboard.today): the first is the one picked by default, and the warm-up
    (_warm) goes through them in that order."""
    with current_database().cursor() as con:
        sessions = queries.planning_sessions(con, programme_id)
        today = pages_today(con)
    held = held_mask(sessions["starts_at"], today).tolist() if len(sessions) else []
    options = [{"label": f"{figures.session_label(r.starts_at, r.format)} – "
                        f"{figures.session_title(r.title, r.audience, r.format)}"
                        + (f" ({t('planning.held')})" if done else ""),
                "value": r.session_id}
               for r, done in zip(sessions.itertuples(), held, strict=True)]
    return options, planning.likely_order(sessions["session_id"].tolist(), held)


# The page's three sections are three callbacks: each shows as soon as its own reads are
# done, and a browser's requests for them run side by side in the server's workers.
@cached_on_database
def forecast_data(session_id: str) -> dict:
    """The forecast part of the plan (kept for the curves' table, built on demand)."""
    with current_database().cursor() as con:
        return plan_forecast(con, session_id)


@cached_on_database
def venue_data(session_id: str) -> dict:
    """The venue part of the plan (kept for the map's table, built on demand)."""
    with current_database().cursor() as con:
        return {**plan_venue(con, session_id), "boundaries": charts.map_boundaries(con)}


def _curves_frame(plan: dict):
    """The curves as their table shows them: sessions named as on the chart."""
    curves = plan["curves"]
    labels = figures.session_labels(plan["sessions"])
    return curves.assign(session=curves["session_id"].map(labels))[
        ["session", "days_before", "cumulative"]]


# The link beside the list (to the chosen session's own page) comes with the forecast: its
# own callback was one more request for a session change, on a server whose two workers
# the page's views already keep busy (issue 22).
FORECAST_OUTPUTS = [Output(CARDS, "children"), Output(METHOD, "children"),
                    *chart_outputs(CURVES), Output(SESSION_LINK, "href")]


@view_callback(output=FORECAST_OUTPUTS, inputs=[Input(SESSION_SELECT, "value")])
@cached_on_database
def show_forecast(session_id: str | None):
    if not session_id:  # no session: the plan as it was, the link to the front page
        return *[no_update] * (len(FORECAST_OUTPUTS) - 1), "/"
    link = session_href(session_id)
    plan = forecast_data(session_id)
    curves = plan["curves"]
    forecast: planning.Forecast = plan["forecast"]
    curves_chart = chart_values(CURVES, figures.registration_curves(
        curves, plan["sessions"], session_id, forecast.days_before), curves,
        charts.curves_finding(curves, session_id, forecast.days_before))
    if plan["outcome"] is not None:  # held: what it came to, not a forecast
        method = (t("planning.outcome_method") if plan["outcome_known"] else
                  t("planning.outcome_pending", date=formatting.short_date(plan["as_of"])))
        return dbc.Row(_outcome_cards(plan)), method, *curves_chart, link
    held = forecast.is_held
    cards = [
        key_figure(t("planning.days_to") if not held else t("planning.held_card"),
                   formatting.number(max(forecast.days_before, 0)) if not held else
                   formatting.short_date(plan["target"]["starts_at"]),
                   t("planning.data_as_of", date=formatting.short_date(plan["as_of"])),
                   value_id="planning-days-to"),
        key_figure(t("planning.registered"), formatting.number(forecast.registered_so_far),
                   t("planning.cancelled", n=forecast.registrations_so_far
                     - forecast.registered_so_far),
                   value_id="planning-registered"),
        key_figure(t("planning.expected_registered"), _range(forecast.registered),
                   _range_note(forecast.registered), value_id="planning-expected-registered"),
        key_figure(t("planning.expected_participants"), _range(forecast.participants),
                   _range_note(forecast.participants),
                   value_id="planning-expected-participants"),
    ]
    meals = ", ".join(f"{n} × {t('meal.' + meal)}" for meal, n in forecast.meals.items()) \
        or t("planning.no_meals")
    cards.append(key_figure(t("planning.meals"), meals, t("planning.per_participant") + (
        ", ".join(t("meal." + meal) for meal in planning.MEALS[forecast.format]) or "–"),
        value_id="planning-meals", size="fs-6"))
    if forecast.format == "overnight":
        cards.append(key_figure(t("planning.rooms"), formatting.number(forecast.rooms),
                                t("planning.one_each"), value_id="planning-rooms"))
    warning = planning.thin_warning(forecast)
    shown = [dbc.Alert(warning, color="warning", id=THIN, className="py-2")] if warning else []
    return [*shown, dbc.Row(cards)], forecast.method, *curves_chart, link


def _outcome_cards(plan: dict) -> list:
    """A held session's cards: when, and registered, attended, cancelled, no-shows, revenue."""
    outcome: queries.SessionOutcome = plan["outcome"]
    final = t("planning.outcome_note" if plan["outcome_known"] else "planning.outcome_pending_note")
    return [
        key_figure(t("planning.held_card"), formatting.short_date(plan["target"]["starts_at"]),
                   t("planning.data_as_of", date=formatting.short_date(plan["as_of"])),
                   value_id="planning-held-on"),
        key_figure(t("planning.outcome_registered"), formatting.number(outcome.registered),
                   t("planning.outcome_unrecorded", n=outcome.unrecorded)
                   if outcome.unrecorded else final, value_id="planning-outcome-registered"),
        key_figure(t("planning.outcome_attended"), formatting.number(outcome.attended),
                   final, value_id="planning-outcome-attended"),
        key_figure(t("planning.outcome_cancelled"), formatting.number(outcome.cancelled),
                   final, value_id="planning-outcome-cancelled"),
        key_figure(t("planning.outcome_no_shows"), formatting.number(outcome.no_shows),
                   final, value_id="planning-outcome-no-shows"),
        key_figure(t("planning.outcome_revenue"), formatting.kroner(outcome.revenue_ex_vat),
                   tn("overview.price_unknown", outcome.price_unknown)
                   if outcome.price_unknown else final, value_id="planning-outcome-revenue"),
    ]


@view_callback(output=[Output(PARTICIPANTS, "children"), Output(WAITING, "children"),
                       Output(TO_CALL, "children")],
               inputs=[Input(SESSION_SELECT, "value")])
@cached_on_database
def show_lists(session_id: str | None):
    if not session_id:
        raise PreventUpdate
    with current_database().cursor() as con:
        plan = plan_lists(con, session_id)
    with current_database().cursor() as con:
        codes = queries.municipality_codes(con)
    to_page = municipality_link(codes)
    participant_columns = {
        "municipality": (t("col.municipality"), to_page), "mayor": (t("col.mayor"), None),
        "newly_elected": (t("col.newly_elected"), _yes_no),
        "registered_at": (t("col.registered_at"), formatting.short_date),
        "status": (t("col.status"), STATUS.get),
    }
    participants = data_table(plan["participants"], participant_columns,
                              table_id="planning-participant-table",
                              empty=t("planning.no_registrations"), max_height="32rem")
    if plan["held"]:  # nobody to call and no waiting list for a session that is over
        return participants, "", dbc.Alert(t("planning.held_no_call"), color="secondary",
                                           id="planning-held-no-call")
    capacity = plan["capacity"]
    waiting = planning.waiting_list(plan["participants"], capacity)
    waiting_block = "" if not capacity else section(
        t("planning.waiting", capacity=capacity),
        data_table(waiting, participant_columns, empty=t("planning.nobody_waiting")))
    to_call = data_table(plan["to_call"], {
        "municipality": (t("col.municipality"), to_page), "mayor": (t("col.mayor"), None),
        "newly_elected": (t("col.newly_elected"), _yes_no),
        "status": (t("col.status"), STATUS.get),
    }, table_id="planning-to-call-table", empty=t("planning.all_registered"),
        max_height="32rem")
    return participants, waiting_block, to_call


@view_callback(output=[Output(VENUE_TITLE, "children"), *chart_outputs(VENUE_MAP),
                       Output(VENUE_TABLE, "children"), Output(HOSTING, "children")],
               inputs=[Input(SESSION_SELECT, "value")])
@cached_on_database
def show_venue(session_id: str | None):
    if not session_id:
        raise PreventUpdate
    plan = venue_data(session_id)
    venue_session = plan["venue_session"]
    if plan["held"]:
        venue_title = t("planning.held_no_venue_title")
        venue_chart = empty_chart(t("finding.held_no_venue"))
        venue_table = ""
    elif venue_session is None:
        venue_title = t("planning.no_venue_title")
        venue_chart = empty_chart(t("finding.no_venue"))
        venue_table = ""
    elif plan["placed"]:  # where it will be: no suggestion, the travel to the venue set
        placed = plan["ranked"]
        venue_title = t("planning.placed_venue_title", session=figures.session_label(
            venue_session["starts_at"], venue_session["format"]), venue=venue_session["venue"],
            city=venue_session["city"], basis=plan["origin_basis"])
        figure, finding, title, _ = chart_values(
            VENUE_MAP, figures.venue_map(placed, plan["origins"], plan["boundaries"],
                                         placed=True),
            placed, t("finding.placed_venue", city=venue_session["city"],
                      km=formatting.number(placed["avg_km"].iloc[0])))
        venue_chart = (figure, finding, title, t("describe.planning-venue-placed"))
        venue_table = data_table(placed, {
            "city": (t("col.city"), None),
            "avg_km": (t("col.avg_km"), formatting.number),
            "total_km": (t("col.total_km"), formatting.number),
        }, table_id="planning-venue-placed")
    else:
        ranked = plan["ranked"]
        venue_title = t("planning.venue_title", session=figures.session_label(
            venue_session["starts_at"], venue_session["format"]), basis=plan["origin_basis"])
        venue_chart = chart_values(VENUE_MAP, figures.venue_map(ranked, plan["origins"],
                                                                   plan["boundaries"]),
                                   ranked, charts.venue_finding(ranked))
        venue_table = data_table(ranked, {
            "rank": (t("col.rank"), str), "city": (t("col.city"), None),
            "region": (t("col.region"), lambda r: r.removeprefix("Region ")),
            "avg_km": (t("col.avg_km"), formatting.number),
            "total_km": (t("col.total_km"), formatting.number),
        }, table_id="planning-venue-ranking")
    hosting_table = data_table(plan["hosting"], {
        "starts_at": (t("col.date"), formatting.short_date), "city": (t("col.city"), None),
        "region": (t("col.region"), lambda r: r.removeprefix("Region ")),
        "venue_is_demo": (t("col.demo_venue"), _yes_no),
    })
    return venue_title, *venue_chart, venue_table, hosting_table


# "Vis som tabel" for the two charts: built when a reader turns the switch on, not with
# every plan (the curves' table alone is a few hundred cells), by dashboard.chart_tables,
# which asks only while a table is shown (a session change wrote the address: asked again).
# A callback of the page's own, with the session as its input, cost a request on every
# session change with both switches off (issue 22).
def address_session(programme_id: str, search) -> str | None:
    """The session the page shows for the programme and the address, as its layout picks it
    (choose_session: the one the address names when the programme has it, else the
    default)."""
    return choose_session(programme_id, url_state.decode(search)["session"])[1]


@page_table(CURVES)
def curves_table(programme_id: str, search):
    session_id = address_session(programme_id, search)
    return chart_table(CURVES, _curves_frame(forecast_data(session_id))) if session_id else ""


@page_table(VENUE_MAP)
def venue_table(programme_id: str, search):
    session_id = address_session(programme_id, search)
    venue = venue_data(session_id) if session_id else None
    if venue is None or venue["venue_session"] is None:
        return ""
    return chart_table(VENUE_MAP, venue["ranked"])


@callback(Output(DOWNLOAD, "data"), Input(DOWNLOAD_BUTTON, "n_clicks"),
          State(SESSION_SELECT, "value"), prevent_initial_call=True)
def download_participants(_clicks: int, session_id: str):
    with current_database().cursor() as con:
        participants = queries.session_participants(con, session_id)
    with using("da"):  # the file is for KL's own records, in Danish like every export
        workbook = to_xlsx(planning.participant_sheet(participants), "Deltagere")
    return dcc.send_bytes(workbook, f"deltagerliste-{session_id}.xlsx")


# Every session, not only the default: the moderator steps through them, and a session cold
# in the worker's cache waited 50–120 ms at the server for its three views (issue 22). The
# likeliest first (session_choices), so those are ready soonest. The cost: a programme's
# sessions (ten, in the brochure's 2022–2025 programme and the demo's 2026–2029 one) × their
# three views cold (0,1–0,15 s a session on the machine of 2026-12-03) × two languages: the
# whole warm-up 1,0 → 3,4 s per worker on the demo, 1,3 → 3,4 s at 1M (README, 2026-12-03),
# in the background, once per database version and day. A step per session: warm_all stops
# between two once told to.
@warm_up
def _warm(programme_id: str) -> Iterator[None]:
    _options, likely = session_choices(programme_id)
    for session_id in likely:
        show_forecast(session_id)
        show_lists(session_id)
        show_venue(session_id)
        yield
