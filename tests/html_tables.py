"""Reading the tables a page sends (dashboard.html_table: each table one component holding its
markup) as a browser would: the markup parsed by the standard library's HTML parser, the
text unescaped, so a test sees what a reader sees. The tables are found in a tree with the
one walker (tests/component_tree)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.component_tree import components


@dataclass
class Cell:
    """A <th> or <td>: its text, its attributes, and the address of a link in it."""

    text: str = ""
    attrs: dict[str, str | None] = field(default_factory=dict)
    href: str | None = None

    @property
    def value(self) -> str | tuple[str, str]:
        """The text, or (text, href) for a link."""
        return self.text if self.href is None else (self.text, self.href)


@dataclass
class Table:
    """A parsed <table>: its header cells, its body rows, its tags in order, the <table>'s
    attributes."""

    headers: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attrs: dict[str, str | None] = field(default_factory=dict)

    def values(self) -> list[list]:
        """The body's cells: text, or (text, href) for a link."""
        return [[cell.value for cell in row] for row in self.rows]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.table = Table()
        self._part = None
        self._cell: Cell | None = None

    def handle_starttag(self, tag, attrs):
        self.table.tags.append(tag)
        if tag == "table":
            self.table.attrs = dict(attrs)
        elif tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.table.rows.append([])
        elif tag in ("th", "td"):
            self._cell = Cell(attrs=dict(attrs))
            (self.table.headers if self._part == "thead" else self.table.rows[-1]).append(
                self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.href = dict(attrs)["href"]

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.text += data


def parse(markup: str) -> Table:
    """A table's markup as a browser reads it."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader.table


def table_nodes(tree) -> list[dict]:
    """Every table component (dashboard.html_table.HtmlTable) in a tree, as sent."""
    return [node for node in components(tree)
            if node["type"] == "HtmlTable" and node["namespace"] == "dashboard"]


def tables_in(tree) -> list[Table]:
    """Every table in a component tree, parsed."""
    return [parse(node["props"]["html"]) for node in table_nodes(tree)]


def table_in(tree, table_id: str | None = None) -> Table:
    """The table with `table_id` in a tree (with None: the tree's only table), parsed."""
    nodes = [n for n in table_nodes(tree) if table_id is None or n["props"].get("id") == table_id]
    assert len(nodes) == 1, f"{len(nodes)} tables #{table_id} in the tree"
    return parse(nodes[0]["props"]["html"])


def links_in(tree) -> list[tuple[str, str]]:
    """Every link in the tables of a component tree: (text, href)."""
    return [(cell.text, cell.href) for table in tables_in(tree) for row in table.rows
            for cell in row if cell.href is not None]
