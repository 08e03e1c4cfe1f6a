"""A component tree as Dash sends it to the browser, walked once for every test that looks
anywhere in a page for its links, ids or texts (one walker, not one a test)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any

from plotly.utils import PlotlyJSONEncoder


def sent(tree: Any) -> Any:
    """A component tree (or a figure, or a callback's output dict) as Dash sends it: plain
    JSON values."""
    return json.loads(json.dumps(tree, cls=PlotlyJSONEncoder))


def iter_nodes(tree: Any, skip: Collection[str] = ()) -> Iterator[Any]:
    """Every value in `tree` as sent, each before those inside it, in order: dicts (a
    component is one, see `components`), lists and plain values, in any property (children,
    a tooltip's target, a collapse's content, a figure...). What is under a dict key in
    `skip` is passed over."""
    return _walk(sent(tree), frozenset(skip))


def _walk(node: Any, skip: frozenset[str]) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _walk(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value, skip)


def components(tree: Any) -> Iterator[dict]:
    """Every component in `tree` as sent ({"type", "namespace", "props"}), outermost first."""
    return (node for node in iter_nodes(tree)
            if isinstance(node, dict) and {"props", "type", "namespace"} <= node.keys())
