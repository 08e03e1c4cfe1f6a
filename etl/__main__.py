"""Command line for the ETL: `python -m etl build`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.build import build_database
from etl.errors import SourceError
from etl.paths import DEMO_DIR, REFERENCE_DIR, default_database_path


@click.group()
def cli() -> None:
    """Load the programme's data into the dashboard's DuckDB database."""


@cli.command()
@click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Database file [default: $BORGMESTER_DB or "
                                 "data/borgmester.duckdb].")
@click.option("--reference", "reference_dir", type=click.Path(file_okay=False, path_type=Path),
              default=REFERENCE_DIR, show_default=True, help="Folder of reference CSV files.")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Include the generated demo mayors and registrations.")
@click.option("--demo-dir", type=click.Path(file_okay=False, path_type=Path), default=DEMO_DIR,
              show_default=True, help="Where the generated demo CSV files are written.")
def build(database: Path | None, reference_dir: Path, demo: bool, demo_dir: Path) -> None:
    """Build the database from reference data and demo data, replacing it atomically.

    Example: python -m etl build --db /tmp/test.duckdb
    """
    try:
        build_database(database or default_database_path(), reference_dir, with_demo=demo,
                       demo_dir=demo_dir, log=click.echo)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)


if __name__ == "__main__":
    cli()
