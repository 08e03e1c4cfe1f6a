"""The trimmed plotly.js the pages load (assets/vendor, built by tools/plotly-bundle)."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from etl.paths import PROJECT_ROOT

BUNDLE = PROJECT_ROOT / "assets" / "vendor" / "plotly-custom.min.js"
ENTRY = PROJECT_ROOT / "tools" / "plotly-bundle" / "entry.js"
FIGURES = PROJECT_ROOT / "dashboard" / "figures.py"


def test_the_bundle_is_the_plotly_js_that_plotly_py_ships():
    # Figures are built by plotly.py for its own plotly.js: after upgrading plotly, rebuild
    # (cd tools/plotly-bundle && npm ci && npm run build, with the version in package.json).
    found = re.search(r'\.version="(\d+\.\d+\.\d+)"', BUNDLE.read_text(encoding="utf-8"))
    assert found and found.group(1) == get_plotlyjs_version()
    package = (ENTRY.parent / "package.json").read_text(encoding="utf-8")
    assert f'"plotly.js": "{get_plotlyjs_version()}"' in package


def test_every_trace_type_the_figures_draw_is_in_the_bundle():
    # A trace type left out draws nothing in the browser, without an error.
    drawn = set(re.findall(r"\bgo\.([A-Z][a-z]+)\b", FIGURES.read_text(encoding="utf-8")))
    drawn -= {"Figure"}
    registered = set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text()))
    registered.add("scatter")  # part of plotly.js's core
    assert drawn and {name.lower() for name in drawn} <= registered, drawn
