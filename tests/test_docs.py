"""The README documents every setting and every command; the Quick start is what CI runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from dashboard.__main__ import cli as dashboard_cli
from dashboard.settings import SETTINGS
from etl.__main__ import cli as etl_cli
from etl.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme(setting):
    default = f"`{setting.default}`" if setting.default else "(none)"
    assert f"| `{setting.name}` | {default} |" in README


def subcommands(group: click.Group, prefix: str) -> list[str]:
    return [f"{prefix} {name}" for name in group.commands]


# `python -m dashboard` itself serves the app; `python -m etl` only groups its commands.
@pytest.mark.parametrize("command", ["python -m dashboard",
                                     *subcommands(etl_cli, "python -m etl"),
                                     *subcommands(dashboard_cli, "python -m dashboard")])
def test_every_command_is_in_the_readme(command):
    assert f"`{command}" in README


def test_the_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "scripts/serve" in quick_start and "scripts/test" in quick_start
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec scripts/test" in ci


def test_the_readme_field_tables_are_the_kinds_declared():
    """The README's tables of accepted headers are the declarations the import reads files
    with (etl.kinds), rendered: a field, header or note changed in one place only fails."""
    from etl.kinds import readme_tables

    lines = README.splitlines()
    tables = []
    for i, line in enumerate(lines):
        if line.startswith("| ") and "| accepted header names | required |" in line:
            end = next((j for j in range(i, len(lines)) if not lines[j].startswith("|")),
                       len(lines))
            tables.append("\n".join(lines[i:end]))
    assert tables == readme_tables()


def test_the_readme_shows_the_other_names_of_municipalities():
    """The README's table of other names is etl.aliases.OTHER_NAMES rendered, for the
    municipalities the reference data holds."""
    from etl import aliases
    from etl.paths import REFERENCE_DIR
    from etl.reference import load_reference

    places = [(row["kommune_code"], row["name"])
              for row in load_reference(REFERENCE_DIR).municipalities]
    assert aliases.other_names_table(places) in README


def readme_command_table() -> str:
    """The README's `## Commands` table: from its header line to the first line after it
    that is not a table row."""
    lines = README.split("## Commands", 1)[1].splitlines()
    start = lines.index("| command | what it does |")
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")),
               len(lines))
    return "\n".join(lines[start:end])


def test_the_readme_command_table_is_the_commands_own_help():
    """The README's command table is generated from the command lines (each command's first
    docstring paragraph, its options, its example): a command, option or docstring changed
    without the README fails here. Regenerate it with
    `.venv/bin/python -m dashboard.command_table` and paste it over the README's table."""
    from dashboard.command_table import command_table

    assert readme_command_table() == command_table()


def test_the_command_table_follows_the_help(monkeypatch):
    """The generated table is read from the commands themselves: an option added to a
    command appears in its row."""
    from dashboard import command_table as generator

    build = generator.etl_cli.commands["build"]
    added = click.Option(["--frobnicate"], is_flag=True, help="A new option.")
    monkeypatch.setattr(build, "params", [*build.params, added])
    row = next(line for line in generator.command_table().splitlines()
               if line.startswith("| `python -m etl build`"))
    assert "`--demo-dir DIR`, `--frobnicate`." in row
    assert generator.command_table() != readme_command_table()


def test_the_address_parameters_table_is_the_declared_one():
    from dashboard.url_state import readme_table

    section = README.split("## Sharing a view", 1)[1].split("\n## ", 1)[0]
    assert readme_table() in section


# A source file as the README names it: a path under one of the project's folders, or a bare
# name in the Project layout's folder listing (not the tail of a longer path or name).
NAMED_PATH = re.compile(
    r"\b(?:dashboard|assets|etl|benchmarks|tests|tools)/[\w/.-]*?\.(?:py|js)\b")
BARE_NAME = re.compile(r"(?<![\w./*-])[\w-]+\.(?:py|js)\b")
LIBRARIES = {"plotly.js"}   # named in the layout's prose, not files of the project


def layout_files() -> Iterator[str]:
    """The files the README's Project layout names, each under the folder its line group
    opens with (`dashboard/    app.py (shell), ...`)."""
    block = README.split("## Project layout", 1)[1].split("```", 2)[1]
    folder = ""
    for line in block.splitlines():
        opening = re.match(r"([\w.]+/)\s", line)
        if opening:
            folder = opening.group(1)
        for name in BARE_NAME.findall(line):
            if name not in LIBRARIES:
                yield folder + name


def test_every_source_file_the_readme_names_exists():
    """A module or script renamed or removed fails here until the README says so (it named
    dashboard/map_data.py long after that route was gone)."""
    named = set(NAMED_PATH.findall(README)) | set(layout_files())
    assert {"dashboard/filter_bar.py", "assets/view-address.js",
            "dashboard/view_filters.py"} <= named   # the patterns find what the README names
    assert sorted(path for path in named if not (PROJECT_ROOT / path).is_file()) == []
