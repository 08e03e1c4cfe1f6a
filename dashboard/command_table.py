"""The README's `## Commands` table, generated from the command lines' own help.

Each row is a command as typed (with its arguments and required options), its docstring's
first paragraph, its other options, and its docstring's `Example:`. tests/test_docs.py fails
when the README's table differs from this; after changing a command, its docstring or an
option, regenerate the table and paste it over the README's:

    .venv/bin/python -m dashboard.command_table

Lives in dashboard/, not etl/: it reads both command lines, and the dashboard imports the ETL,
never the other way round.
"""

from __future__ import annotations

import click

from dashboard.__main__ import cli as dashboard_cli
from etl.__main__ import cli as etl_cli

HEADER = "| command | what it does |\n|---|---|"


def command_table() -> str:
    """The Markdown table: a header and one row per command, `python -m etl` first."""
    commands = [*commands_of(etl_cli, "python -m etl"),
                *commands_of(dashboard_cli, "python -m dashboard")]
    rows = [_row(name, command) for name, command in commands]
    return "\n".join([HEADER, *rows])


def commands_of(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    """(name as typed, command) in declaration order: a group that does something by itself
    (`python -m dashboard` serves), then its commands, nested groups opened."""
    found = [(prefix, group)] if group.invoke_without_command else []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands_of(command, f"{prefix} {name}")
        else:
            found.append((f"{prefix} {name}", command))
    return found


def _row(name: str, command: click.Command) -> str:
    ctx = click.Context(command, info_name=name)
    typed = [name]
    typed += [_usage(param, ctx) for param in command.params
              if isinstance(param, click.Argument)]
    typed += [_usage(param, ctx) for param in command.params
              if isinstance(param, click.Option) and param.required]
    options = [_option(param, ctx) for param in command.params
               if isinstance(param, click.Option) and not param.required and not param.hidden]
    summary, example = _paragraphs(command.help or "")
    text = summary
    if options:
        text += f" {'Option' if len(options) == 1 else 'Options'}: {', '.join(options)}."
    if example:
        text += f" Example: `{example}`."
    return f"| `{_cell(' '.join(typed))}` | {_cell(text)} |"


def _paragraphs(help_text: str) -> tuple[str, str | None]:
    """The first paragraph as one line, and the command of the `Example:` paragraph."""
    paragraphs = [" ".join(p.split()) for p in help_text.split("\n\n") if p.strip()]
    example = next((p.removeprefix("Example:").strip() for p in paragraphs
                    if p.startswith("Example:")), None)
    return (paragraphs[0] if paragraphs else ""), example


def _usage(param: click.Parameter, ctx: click.Context) -> str:
    """An argument or required option as `--help`'s usage line writes it."""
    if isinstance(param, click.Argument):
        return param.make_metavar(ctx)
    return f"{param.opts[0]} {param.make_metavar(ctx)}"


def _option(option: click.Option, ctx: click.Context) -> str:
    """`--name VALUE` (the value only where the option names one or takes a file or
    folder), a flag as the way it changes the default, and a shown default."""
    if option.is_flag:
        said = option.secondary_opts[0] if option.default and option.secondary_opts \
            else option.opts[0]
        return f"`{said}`"
    said = option.opts[0]
    if option.metavar or isinstance(option.type, click.Path):
        said += f" {option.make_metavar(ctx)}"
    shown = f"`{said}`"
    if isinstance(option.show_default, str):
        shown += f" (default {option.show_default})"
    elif option.show_default and isinstance(option.default, (str, int, float)):
        shown += f" (default `{option.default}`)"
    return shown


def _cell(text: str) -> str:
    """A table cell: a `|` would end it."""
    return text.replace("|", "\\|")


if __name__ == "__main__":
    print(command_table())
