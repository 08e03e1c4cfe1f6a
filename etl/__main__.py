"""Command line for the ETL: `python -m etl build`."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from etl.errors import SourceError, count_text
from etl.files import WAITING_FOR_WRITER, exclusive
from etl.paths import DEMO_DIR, REFERENCE_DIR, default_database_path


def _one_writer(database: Path):
    """The writer lock, taken before the command's work: a human at a terminal waits for
    another import or build, and is told so. (No folder yet: nobody to wait for, and a
    mistyped --db makes no folder; the writer itself then says what is missing.)"""
    if not database.parent.is_dir():
        return nullcontext()
    return exclusive(database, on_wait=lambda: click.echo(WAITING_FOR_WRITER, err=True))


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
    # Here, not at the top: the build brings numpy and the demo generator, which `etl
    # import` (held to 1 s for a small export, start-up included) does not need.
    from etl.build import build_database

    database = database or default_database_path()
    try:
        with _one_writer(database):
            build_database(database, reference_dir, with_demo=demo, demo_dir=demo_dir,
                           log=click.echo)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)


@cli.command(name="demo")
@click.option("--scale", "registrations", type=click.IntRange(min=1), default=None,
              help="Make a larger synthetic history with this many registrations (e.g. "
                   "1000000) instead of the small demo.")
@click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Database file [default: $BORGMESTER_DB or "
                                 "data/borgmester.duckdb].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where the generated files are written [default: "
                                 "data/demo, or data/scale-N with --scale].")
@click.option("--seed", type=int, default=None, help="Random seed (same seed, same data).")
def demo_command(registrations: int | None, database: Path | None, out_dir: Path | None,
                 seed: int | None) -> None:
    """Build a database on demo data; with --scale N, on a synthetic history of N registrations.

    The scaled history (many programmes and sessions over the election periods since 2007) is
    written as reference files and KL-style export files, then loaded through the same build
    and import path as real data. It is marked as demo data.

    Example: python -m etl demo --scale 1000000 --db /tmp/scale.duckdb
    """
    from etl import scale
    from etl.build import build_database  # see build: start-up cost
    from etl.paths import DATA_DIR

    database = database or default_database_path()
    try:
        if registrations is None:
            build_database(database, with_demo=True, demo_dir=out_dir or DEMO_DIR,
                           log=click.echo)
            return
        out_dir = out_dir or DATA_DIR / f"scale-{registrations}"
        steps = registrations + 3 * (len(scale.PERIODS) + 1)
        with click.progressbar(length=steps, label="Skaleret demo", file=sys.stderr,
                               show_pos=True) as bar:
            result = scale.build_scale_database(
                database, registrations, out_dir, seed=seed or scale.SEED,
                step=lambda _message, units: bar.update(units))
            bar.update(steps)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    files = result.files
    click.echo(f"Skaleret demo: {count_text(files.rows)} tilmeldinger, "
               f"{count_text(files.programmes)} forløb, {count_text(files.sessions)} sessioner; "
               f"filer i {out_dir}; database {database}")
    if result.imported.problems:
        click.secho(f"{count_text(result.imported.problem_count)} fejl", fg="red", err=True)
        sys.exit(2)


def _database_option(function):
    return click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="Database file [default: $BORGMESTER_DB or "
                                           "data/borgmester.duckdb].")(function)


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_database_option
@click.option("--keep-going", is_flag=True, help="Load the valid rows even if some are rejected.")
@click.option("--dry-run", is_flag=True, help="Only validate and report; change nothing.")
@click.option("--sheet", default=None, help="XLSX: the sheet to read [default: the first].")
def import_command(paths: tuple[Path, ...], database: Path | None, keep_going: bool,
                   dry_run: bool, sheet: str | None) -> None:
    """Import KL's registration exports and mayor lists (CSV or XLSX).

    All or nothing: one rejected row and nothing changes (unless --keep-going). Exit code 0
    when nothing was rejected (or with --keep-going), 2 otherwise.

    Example: python -m etl import tilmeldinger-2024.xlsx borgmestre.csv
    """
    from etl.importer import import_files
    from etl.report import print_import_result

    steps = 3 * len(paths)
    database = database or default_database_path()
    try:
        with _one_writer(database), click.progressbar(length=steps, label="Import",
                                                      file=sys.stderr, show_pos=False) as bar:
            result = import_files(database, list(paths),
                                  keep_going=keep_going, dry_run=dry_run, sheet=sheet,
                                  step=lambda _: bar.update(1))
            bar.update(steps)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    print_import_result(result, dry_run=dry_run)
    if result.problems and not keep_going:
        sys.exit(2)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_database_option
@click.option("--code-property", default="KOMKODE", show_default=True,
              help="The feature property holding the municipality code.")
@click.option("--tolerance", default=0.002, show_default=True,
              help="Simplification tolerance in degrees (0 keeps every vertex).")
def boundaries(path: Path, database: Path | None, code_property: str, tolerance: float) -> None:
    """Load municipality polygons from a GeoJSON file, for choropleth maps.

    Example: python -m etl boundaries kommuner.geojson
    """
    from etl.boundaries import load_boundaries

    database = database or default_database_path()
    try:
        with _one_writer(database):
            result = load_boundaries(database, path, code_property, tolerance)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    click.echo(f"Kommunegrænser indlæst: {result.loaded} kommuner "
               f"({result.bytes // 1024} kB efter forenkling).")
    if result.skipped_codes:
        click.echo("Sprunget over (ingen kommune): "
                   + ", ".join(str(c) for c in result.skipped_codes))
    if result.missing:
        click.secho("Mangler grænser for: " + ", ".join(result.missing), fg="yellow")


@cli.command()
@_database_option
def upgrade(database: Path | None) -> None:
    """Bring a database built with an older data model up to date, keeping all its data.

    Example: python -m etl upgrade --db data/borgmester.duckdb
    """
    from etl.upgrade import upgrade_database

    database = database or default_database_path()
    if not database.is_file():
        raise click.ClickException(f"{database} findes ikke")
    try:
        with _one_writer(database):
            result = upgrade_database(database)
    except SourceError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(2)
    if not result.added:
        click.echo(f"{database} har allerede den nyeste datamodel; intet ændret.")
        return
    click.echo(f"{database} opgraderet: tilføjet {', '.join(result.added)}; "
               f"{result.rows.get('registrations', 0)} tilmeldinger beholdt.")


if __name__ == "__main__":
    cli()
