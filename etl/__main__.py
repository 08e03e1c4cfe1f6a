"""Command line for the ETL: `python -m etl build`."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from etl import backup as backup_files
from etl import versions
from etl.boundaries import load_boundaries
from etl.cli_common import REFUSED, database_option, refused_sources
from etl.errors import count_text
from etl.files import WAITING_FOR_WRITER, exclusive
from etl.importer import import_files
from etl.paths import DATA_DIR, DEMO_DIR, REFERENCE_DIR
from etl.report import print_import_result


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
@database_option
@click.option("--reference", "reference_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", default=REFERENCE_DIR, show_default=True,
              help="Folder of reference CSV files.")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Include the generated demo mayors and registrations.")
@click.option("--demo-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              default=DEMO_DIR, show_default=True,
              help="Where the generated demo CSV files are written.")
def build(database: Path, reference_dir: Path, demo: bool, demo_dir: Path) -> None:
    """Build `data/borgmester.duckdb` from `data/reference/` and the demo data, replacing it
    atomically.

    Example: python -m etl build --db /tmp/test.duckdb
    """
    # Here, not at the top: the build brings numpy, pandas and the demo generator (0,17 s),
    # which `etl import` (held to 1 s for a small export, start-up included) does not need.
    from etl.build import build_database

    with refused_sources(), _one_writer(database):
        build_database(database, reference_dir, with_demo=demo, demo_dir=demo_dir,
                       log=click.echo)


@cli.command(name="demo")
@click.option("--scale", "registrations", type=click.IntRange(min=1), default=None, metavar="N",
              help="Make a larger synthetic history with this many registrations (e.g. "
                   "1000000) instead of the small demo.")
@database_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", default=None,
              help="Where the generated files are written [default: data/demo, or "
                   "data/scale-N with --scale].")
@click.option("--seed", type=int, default=None, help="Random seed (same seed, same data).")
def demo_command(registrations: int | None, database: Path, out_dir: Path | None,
                 seed: int | None) -> None:
    """Build the database on the small demo data; with `--scale N`, on a synthetic history
    of N registrations (e.g. `--scale 1000000`: about 2.100 programmes and 21.000 sessions
    over the election periods since 2007), written as KL-style export files and loaded
    through the same build and import path as real data, with a progress bar.

    The scaled history is written as reference files and export files in `--out` (default
    data/scale-N). It is marked as demo data.

    Example: python -m etl demo --scale 1000000 --db /tmp/scale.duckdb
    """
    # Here, not at the top: numpy, pandas and the demo generator (see build).
    from etl import scale
    from etl.build import build_database

    with refused_sources():
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
    files = result.files
    click.echo(f"Skaleret demo: {count_text(files.rows)} tilmeldinger, "
               f"{count_text(files.programmes)} forløb, {count_text(files.sessions)} sessioner; "
               f"filer i {out_dir}; database {database}")
    if result.imported.problems:
        click.secho(f"{count_text(result.imported.problem_count)} fejl", fg="red", err=True)
        sys.exit(REFUSED)


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
@click.option("--keep-going", is_flag=True, help="Load the valid rows even if some are rejected.")
@click.option("--dry-run", is_flag=True, help="Only validate and report; change nothing.")
@click.option("--sheet", default=None, metavar="NAME",
              help="XLSX: the sheet to read, hidden or not [default: the active sheet if "
                   "visible, else the first visible one].")
def import_command(paths: tuple[Path, ...], database: Path, keep_going: bool,
                   dry_run: bool, sheet: str | None) -> None:
    """Import KL's registration exports, mayor lists, programme schedules and price lists
    (CSV or XLSX).

    All or nothing: one rejected row and nothing changes (unless --keep-going). Exit code 0
    when nothing was rejected (or with --keep-going), 2 otherwise.

    Example: python -m etl import tilmeldinger-2024.xlsx borgmestre.csv
    """
    steps = 3 * len(paths)
    progress = click.progressbar(length=steps, label="Import", file=sys.stderr, show_pos=False)
    with refused_sources(), _one_writer(database), progress as bar:
        result = import_files(database, list(paths), keep_going=keep_going, dry_run=dry_run,
                              sheet=sheet, step=lambda _: bar.update(1))
        bar.update(steps)
    print_import_result(result, dry_run=dry_run)
    if result.problems and not keep_going:
        sys.exit(REFUSED)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@database_option
@click.option("--code-property", default="KOMKODE", show_default=True,
              help="The feature property holding the municipality code.")
@click.option("--tolerance", default=0.002, show_default=True,
              help="Simplification tolerance in degrees (0 keeps every vertex).")
def boundaries(path: Path, database: Path, code_property: str, tolerance: float) -> None:
    """Load municipality polygons from a GeoJSON file so the maps become choropleths.

    Example: python -m etl boundaries kommuner.geojson
    """
    with refused_sources(), _one_writer(database):
        result = load_boundaries(database, path, code_property, tolerance)
    click.echo(f"Kommunegrænser indlæst: {result.loaded} kommuner "
               f"({result.bytes // 1024} kB efter forenkling).")
    if result.skipped_codes:
        click.echo("Sprunget over (ingen kommune): "
                   + ", ".join(str(c) for c in result.skipped_codes))
    if result.missing:
        click.secho("Mangler grænser for: " + ", ".join(result.missing), fg="yellow")


@cli.command()
@database_option
@click.option("--reference", "reference_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", default=REFERENCE_DIR, show_default=True,
              help="Folder of reference CSV files.")
def upgrade(database: Path, reference_dir: Path) -> None:
    """Bring a database up to the current data model and the shipped reference data
    (`data/reference/`: municipalities and their population, venue candidates, the brochure's
    price list, programme and sessions), keeping all its other data (registrations, people,
    boundaries, audit history): a new file with the current schema gets every row copied across,
    each shipped reference row replaces the copied row with its key (nothing is removed, and a
    programme whose schedule was imported is left alone), a database with no municipality
    boundaries gets the shipped ones (one with boundaries, e.g. from `etl boundaries`, keeps its
    own), the pre-aggregated tables are refilled and the integrity check runs, and it is then
    swapped in like a build; when nothing changed, the file is left as it was. The dashboard,
    `etl import`, `etl boundaries` and `dashboard export` refuse an outdated database and name
    this command; `scripts/serve` upgrades a demo database by itself.

    Example: python -m etl upgrade --db data/borgmester.duckdb
    """
    # Here, not at the top: the upgrade brings pandas (0,2 s), which `etl import` does not need.
    from etl.upgrade import upgrade_database

    if not database.is_file():
        raise click.ClickException(f"{database} findes ikke")
    with refused_sources(), _one_writer(database):
        result = upgrade_database(database, reference_dir)
    if not result.changed:
        click.echo(f"{database} har allerede den nyeste datamodel og referencedata; "
                   "intet ændret.")
        return
    done = []
    if result.added:
        done.append(f"tilføjet eller fornyet {', '.join(result.added)}")
    refreshed = [f"{table} {count_text(rows)}" for table, rows in result.refreshed.items()
                 if rows]
    if refreshed:
        done.append("referencedata opdateret (rækker: " + ", ".join(refreshed) + ")")
    click.echo(f"{database} opgraderet: {'; '.join(done)}; "
               f"{count_text(result.rows.get('registrations', 0))} tilmeldinger beholdt.")


@cli.command()
@database_option
def history(database: Path) -> None:
    """List the kept versions of the database, newest first: when, what command made it,
    which files, and how many mayors, registrations, sessions and programmes it holds; the
    file in use is marked `*`.

    Example: python -m etl history
    """
    for line in versions.history_lines(database):
        click.echo(line)


@cli.command()
@database_option
def undo(database: Path) -> None:
    """Swap back the version before the last change (an import, build, upgrade, boundaries,
    a schedule, or an undo or restore). The file it replaces is kept as a version, so `undo`
    again brings the change back. Recorded in `import_runs`.

    Example: python -m etl undo
    """
    with refused_sources(), _one_writer(database):
        version = versions.undo(database)
    click.echo(f"{database}: {versions.version_said(version)}.")


@cli.command()
@click.argument("version_id", metavar="ID", type=int, required=False)
@database_option
@click.option("--backup", "backup_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", default=None,
              help="Restore from a folder written by `python -m etl backup`.")
def restore(version_id: int | None, database: Path, backup_dir: Path | None) -> None:
    """Swap in any kept version (its number from `etl history`); the file in use is kept as
    a version first. `restore --backup DIR` swaps in a folder written by `etl backup`.
    Recorded in `import_runs`.

    Example: python -m etl restore 7
    """
    if (version_id is None) == (backup_dir is None):
        raise click.UsageError("angiv enten et versionsnummer (ID) eller --backup MAPPE")
    with refused_sources(), _one_writer(database):
        if backup_dir is not None:
            counts = backup_files.restore_backup(database, backup_dir)
            said = f"sikkerhedskopien i {backup_dir} genskabt"
        else:
            said = versions.version_said(versions.restore(database, version_id))
            counts = {}
    shown = ", ".join(f"{versions.COUNTS_SAID.get(table, table)} {count_text(rows)}"
                      for table, rows in counts.items())   # in Danish, as `history` says them
    click.echo(f"{database}: {said}" + (f" ({shown})." if shown else "."))


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@database_option
def backup(folder: Path, database: Path) -> None:
    """Write a complete, portable copy of the database into DIR, a new or empty folder:
    every table as a CSV file (UTF-8, comma, a header line) with the data model as SQL and a
    README.txt saying how to restore it. Readable in Excel or a text editor without this
    product.

    Example: python -m etl backup /mnt/backup/borgmester-2026-12-01
    """
    if not database.is_file():
        raise click.ClickException(f"{database} findes ikke")
    with refused_sources():
        tables = backup_files.write_backup(database, folder)
    click.echo(f"Sikkerhedskopi skrevet i {folder}: {len(tables)} tabeller, "
               f"{count_text(sum(tables.values()))} rækker; se README.txt der.")


if __name__ == "__main__":
    cli()
