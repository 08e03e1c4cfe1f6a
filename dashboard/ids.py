"""The ids of components that more than one module names, declared once.

The shell (dashboard.app) lays out the programme selector, the download and the filters
store; the pages read them; the shared callbacks (dashboard.downloads, dashboard.chart_tables)
write to them. A typo in any of those places used to disable a download silently; now every
module imports the name from here, and tests/test_app.py checks that every id a callback
names is laid out somewhere. Ids only one page uses stay beside that page's layout.

Pages import this module, not dashboard.app: the app imports the pages (Dash's page
registry), not the other way round.
"""

from __future__ import annotations

# The shell (dashboard.app.shell_layout).
PROGRAMME_SELECT = "programme-select"
DOWNLOAD = "export-download"            # every chart, table and report download lands here
EXPORT_CLICKED = "export-clicked"       # the chart or table export clicked (dashboard.downloads)
REPORT_CLICKED = "report-clicked"       # the report button clicked (dashboard.downloads)
SESSION_CLICKED = "session-clicked"     # a session's bars clicked on Overblik: its page opens
ACTIVE_FILTERS = "active-filters"       # the filter bar's chips: the filters in force
# The filter bar and the view in the address (dashboard.filter_bar, dashboard.url_state).
LOCATION = "view-location"              # the address: its query is the view's state
FILTER_REGIONS = "filter-regions"
FILTER_FORMATS = "filter-formats"
FILTER_AUDIENCES = "filter-audiences"
FILTER_YEARS = "filter-years"
FILTER_NOTE = "filter-note"             # which filters do not apply to the page
FILTER_TOGGLE = "filter-toggle"         # "Filtre (n)": opens the bar's controls on a phone
FILTER_CONTROLS = "filter-controls"     # the bar's controls, folded away on a phone
COPY_LINK = "copy-link"
RESET_FILTERS = "reset-filters"
NAV_LINK = "nav-link"                   # {"type", "path"}: the navigation carries the filters
# A page's own control whose value lives in the address: {"type", "name": url_state field}.
URL_CONTROL = "url-control"
# The same, for a control whose options the page fills itself (Planlægning's session,
# Kommuner's municipality): the bar writes the address from it; a later address sets it in
# the browser where the page offers the value (assets/view-address.js).
URL_CHOICE = "url-choice"
# Its choice when the address names none ({"type", "name"}, a dcc.Store beside it).
URL_CHOICE_DEFAULT = "url-choice-default"
# What the address asks the bar's and the page's controls to show, after a back/forward, a
# link or "Nulstil filtre" (dashboard.filter_bar.sync); the browser sets the controls from it
# (assets/view-address.js) outside Dash's callback graph, so no callback that reads a control
# waits for the bar's answer.
ADDRESS_VIEW = "address-view"
# The page's controls in the address as last seen, and the last one a reader changed
# (assets/view-address.js): a page's controls appearing or going is no change of the view.
PAGE_SEEN = "page-controls-seen"
PAGE_CHANGED = "page-control-changed"
# The registered path of the page shown ({"type", "path"}, a dcc.Store in every page's
# layout; filter_bar.with_page_path): the address's view sets a page's controls only on the
# page it was read for, not on the page still shown while a switch away from it is under way.
PAGE_PATH = "page-path"
NAV_TOGGLE = "nav-toggle"
NAV_COLLAPSE = "nav-collapse"
MAIN = "main-content"
PRINT_ADDRESS = "print-address"         # filled by assets/print.js as a page is printed
EXPORT_STATUS = "export-status"         # "the file is being made", while a chart exports
NAVIGATE = "navigate"                   # a dcc.Location: a chart click sets its pathname

# The Overview page's report buttons, read by dashboard.downloads.
REPORT_PDF = "report-pdf"
REPORT_PPTX = "report-pptx"
REPORT_STATUS = "report-status"         # "the report is being made", while it is

# Pattern-matching ids ({"type": ..., ...}) of a chart's parts (dashboard.components.graph)
# and of a page table's download menu (dashboard.components.table_export_menu).
CHART_EXPORT = "chart-export"           # {"type", "chart", "format"}
TABLE_EXPORT = "table-export"           # {"type", "table", "format"}
AS_TABLE = "chart-as-table"             # {"type", "chart"}: the "Vis som tabel" switch
GRAPH_BOX = "chart-graph"               # {"type", "chart"}
TABLE_BOX = "chart-table-box"           # {"type", "chart"}
TABLE_CONTENT = "chart-table"           # {"type", "chart"}
# {"type", "chart"}: a dcc.Store set in the browser when the chart's table is to be (re)built
# (dashboard.chart_tables): only then does its callback ask the server.
TABLE_ASK = "chart-table-ask"
# A page's choice a chart's View takes (dashboard.charts.View), kept in a dcc.Store of the
# page for the shared callbacks ("Vis som tabel", the chart downloads) to read through an
# ALL-pattern, which matches nothing on the other pages: {"type", "name": the View field}.
VIEW_OPTION = "view-option"
# A page's filter checklists ({"type", "name": the queries.Filters field}); the shared
# callbacks read them through an ALL-pattern, so an export takes exactly the filters the
# reader sees on the page it is made from (none on a page without them).
PAGE_FILTER = "municipalities-filter"
ALL_TABLES = "all-tables"               # "Hent alle tabeller" in the shell
