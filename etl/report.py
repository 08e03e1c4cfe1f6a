"""How an import's outcome is printed: rejects as a table, then a line per file."""

from __future__ import annotations

import click

from etl.importer import ImportResult, repeats_said
from etl.reasons import KIND_SAID

MAX_SHOWN = 50


def _clip(text: str | None, width: int) -> str:
    text = "" if text is None else str(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def print_import_result(result: ImportResult, dry_run: bool = False) -> None:
    problems = result.problems  # the first of result.problem_count
    if problems:
        click.secho(f"{result.problem_count} fejl:", fg="red", bold=True)
        header = f"{'fil':<28} {'linje':>6}  {'kolonne':<16} {'værdi':<20} årsag"
        click.echo(header)
        click.echo("-" * len(header))
        for p in problems[:MAX_SHOWN]:
            click.echo(f"{_clip(p.file, 28):<28} {p.line if p.line else '':>6}  "
                       f"{_clip(p.column, 16):<16} {_clip(p.value, 20):<20} {p.reason}")
        if result.problem_count > MAX_SHOWN:
            # A dry run stores nothing: the whole list is had by running without it, which
            # stores every rejected row and (rows being rejected) loads nothing.
            where = ("kør uden --dry-run for at gemme dem alle i tabellen rejected_rows"
                     if dry_run else "se tabellen rejected_rows")
            click.echo(f"... og {result.problem_count - MAX_SHOWN} flere ({where})")
    if result.demo_removed:
        mayors, registrations = result.demo_removed
        click.secho(f"Demodata fjernet: {mayors} fiktive borgmestre og {registrations} "
                    "tilmeldinger; databasen holder nu rigtige data.", fg="yellow")
    for f in result.files:
        # The kind in words ("en sessionsplan"), not its identifier ("schedule"): the line
        # is read by KL's staff, in Danish like the rest.
        said = KIND_SAID[f.kind]["da"] if f.kind in KIND_SAID else f.kind
        rows = "1 række" if f.staged.rows == 1 else f"{f.staged.rows} rækker"
        line = f"{f.staged.display}: {said}, {rows} læst, {f.rejected_lines} afvist"
        if f.staged.blank_rows:
            line += f" ({f.staged.blank_rows} tomme rækker sprunget over)"
        if f.repeats:
            line += f", {repeats_said(f)}"
        if result.applied:
            line += (f", {f.loaded} indlæst ({f.new} nye, {f.updated} ændrede, "
                     f"{f.unchanged} uændrede)")
            if f.people_added:
                line += f"; {f.people_added} personer tilføjet"
        click.echo(line)
    if dry_run:
        click.echo("Prøvekørsel (--dry-run): intet er ændret.")
    elif not result.applied:
        click.secho("Intet er indlæst: ret fejlene og kør igen, eller brug --keep-going "
                    "for at indlæse de gyldige rækker.", fg="red")
