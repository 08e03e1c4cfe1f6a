"""What both command lines (`python -m etl`, `python -m dashboard`) share, declared once: the
`--db` option and how a refused source ends a command (its message in red, exit code 2).

Kept small and light (click and etl.errors only): `python -m etl import` is held to 1 s for a
small export, start-up included.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from etl.errors import SourceError
from etl.paths import default_database_path

F = TypeVar("F", bound=Callable)

# Exit code of a command whose input was refused (a SourceError): nothing was changed.
REFUSED = 2


def _database_path(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    """The given file, else $BORGMESTER_DB, else data/borgmester.duckdb (read when the
    command runs, so a test's environment counts)."""
    return value or default_database_path()


def database_option(function: F) -> F:
    """`--db PATH`: the command's database, handed to it as `database` (a Path, never None)."""
    return click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
                        metavar="PATH", default=None, callback=_database_path,
                        help="Database file [default: $BORGMESTER_DB or "
                             "data/borgmester.duckdb].")(function)


@contextmanager
def refused_sources() -> Iterator[None]:
    """Run a command's work; a SourceError (every problem, each naming its file, line and
    column) is printed in red on stderr and the command exits with code 2."""
    try:
        yield
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(REFUSED)
