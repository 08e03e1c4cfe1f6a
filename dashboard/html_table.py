"""A data table sent to the browser as ONE component: its whole <table> as escaped HTML.

A table built from Dash components is a component per cell (html.Tr, html.Td, dcc.Link):
Kommuner's 98 municipalities or Planlægning's participant and call lists are thousands of
React components for the browser to build, compare and tear down on every page switch and
change, which made most of the browser's work after the last answer came in (issue 22). Here
the server writes the table as one string and `HtmlTable` puts it into the page at once
(assets/html-table.js: React's dangerouslySetInnerHTML, the browser's own parser).

What makes that safe: every text and address that goes into the string passes through
`html.escape` (quotes included) in `table_html`, the one place a table's markup is written;
no value reaches the page as markup. An address must be a path inside the app
(`in_app_path`), so no `javascript:` or another site's address can be written. A link in the
table moves inside the app without reloading the page, as dcc.Link does (the asset script:
history.pushState, then the event dcc.Location listens for).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from dash.development.base_component import Component

# Bootstrap's classes for the table, as dbc.Table(striped, hover, size="sm") writes them.
TABLE_CLASS = "table table-sm table-striped table-hover mb-0"


# A path of this app: one "/" then no "/" next, no backslash, no whitespace or control character.
_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\x7f\\]*")


class Link(NamedTuple):
    """A cell's text leading to a page of the app (dashboard.columns.LINKS)."""

    text: str
    href: str


def in_app_path(href: str) -> str:
    """`href` when it is a path of this app ('/kommuner/621'); ValueError otherwise (another
    site, '//host', 'javascript:' ...): a table's link never leaves the app."""
    # Whitespace and control characters are refused too: a browser drops tab, CR and LF from
    # an address, so "/\t/host" would become "//host", another site.
    if not isinstance(href, str) or not _PATH.fullmatch(href):
        raise ValueError(f"a table links to paths of the app only, not {href!r}")
    return href


def _cell_html(value: Any) -> str:
    """A cell's content: its text escaped, a Link as an <a> (text and address escaped);
    None is an empty cell. A component is refused: a cell holds text or a link."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, Link):
        return (f'<a href="{html.escape(in_app_path(value.href))}">'
                f"{html.escape(str(value.text))}</a>")
    if isinstance(value, Component):
        raise TypeError(f"a table cell holds text or a Link, not {type(value).__name__}")
    return "" if value is None else html.escape(str(value))


def _opening(tag: str, align: str | None, extra: str = "") -> str:
    return f'<{tag}{extra} class="{html.escape(align)}">' if align else f"<{tag}{extra}>"


def table_html(headers: Sequence[str], aligns: Sequence[str | None],
               rows: Iterable[Sequence[Any]]) -> str:
    """The <table>: a header row (th scope="col"), then a body row per row; `aligns` each
    column's class (e.g. "text-end" for numbers) or None. Cells are text or Link; every
    one is escaped here."""
    heads = "".join(_opening("th", a, ' scope="col"') + html.escape(str(h)) + "</th>"
                    for h, a in zip(headers, aligns, strict=True))
    opens = [_opening("td", a) for a in aligns]
    body = "".join("<tr>" + "".join(f"{o}{_cell_html(v)}</td>"
                                    for o, v in zip(opens, row, strict=True)) + "</tr>"
                   for row in rows)
    return (f'<table class="{TABLE_CLASS}"><thead><tr>{heads}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


class HtmlTable(Component):
    """A box holding a table's markup (`table_html`): one component for the whole table.

    Rendered by assets/html-table.js (the namespace's global, `window.dashboard`): a <div>
    with the id, class, style and tabIndex given, the markup inside it, and its links
    moving within the app. `html` must come from `table_html`: it is put in as it is."""

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "dashboard"
    _type = "HtmlTable"
    _prop_names = ["id", "html", "className", "style", "tabIndex"]
    _valid_wildcard_attributes: list[str] = []
    available_properties = _prop_names
    available_wildcard_properties: list[str] = []

    def __init__(self, html: str = "", id: str | None = None,
                 className: str | None = None, style: dict | None = None,
                 tabIndex: int | None = None):
        props = {"html": html, "id": id, "className": className, "style": style,
                 "tabIndex": tabIndex}
        super().__init__(**{k: v for k, v in props.items() if v is not None})
