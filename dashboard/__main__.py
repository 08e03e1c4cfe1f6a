"""Command line for the dashboard: `python -m dashboard` serves it."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.db import Database
from dashboard.settings import setting
from etl.cli_common import database_option, refused_sources
from etl.schema_check import is_demo, missing_from_model, outdated_message


@click.group(invoke_without_command=True)
@click.option("--host", default=lambda: setting("HOST"), show_default="$HOST or 127.0.0.1",
              help="Address to listen on.")
@click.option("--port", type=int, default=lambda: int(setting("PORT")),
              show_default="$PORT or 8050", help="Port to listen on.")
@database_option
@click.pass_context
def cli(ctx: click.Context, host: str, port: int, database: Path) -> None:
    """Serve the dashboard; builds the database first when it is missing.

    Example: python -m dashboard --port 8051
    """
    if ctx.invoked_subcommand is not None:
        return
    with refused_sources():
        if not database.exists():
            # Here, not at the top, as every import in this file's functions: start-up
            # cost. The build brings numpy and the demo generator, the app Dash (0,6 s),
            # which `users add` and `plan` do not need.
            from etl.build import build_database

            click.echo(f"Ingen database i {database}: bygger den med demodata ...")
            build_database(database, log=click.echo)
        else:
            _ensure_current_model(database)
    from dashboard.access import AccessError, access_for
    from dashboard.app import create_app

    try:
        access = access_for(host)
    except AccessError as error:
        raise click.ClickException(str(error)) from None
    app = create_app(database, access)
    click.echo(f"Dashboardet kører på http://{host}:{port}/  (stop med Ctrl+C)")
    if access.demo_password:
        click.echo(f"Demo-login (kun på denne maskine): brugernavn demo, adgangskode "
                   f"{access.demo_password}")
    app.run(host=host, port=port, debug=False)


def _ensure_current_model(database: Path) -> None:
    """Upgrade a demo database made by an older checkout; refuse a real one, saying how."""
    missing = missing_from_model(database)
    if not missing:
        return
    if not is_demo(database):
        raise click.ClickException(outdated_message(database, missing))
    from etl.upgrade import upgrade_database  # start-up cost: pandas, for this case only

    click.echo(f"Demodatabasen i {database} er fra en ældre datamodel (mangler eller har en "
               f"ældre udgave af {', '.join(missing)}): opgraderer den ...")
    upgrade_database(database)


@cli.group()
def users() -> None:
    """Manage the users who may log in (the file in $BORGMESTER_USERS_FILE)."""


@users.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "admin"]), required=True,
              help="viewer: read and export; admin: also import data.")
@click.password_option(help="The password (asked for when not given).")
def users_add(name: str, role: str, password: str) -> None:
    """Add a user (or change a password or role) in `$BORGMESTER_USERS_FILE`; asks for the
    password. The user's logins in progress end.

    A changed password shuts out whoever used the old one.

    Example: python -m dashboard users add anna --role admin
    """
    from dashboard.access import idle_seconds, sessions_path  # start-up cost: Flask
    from dashboard.auth import SessionRegistry, UserStore

    path = setting("BORGMESTER_USERS_FILE")
    if not path:
        raise click.ClickException("sæt BORGMESTER_USERS_FILE til filen med brugere "
                                   "(uden for repositoriet)")
    try:
        UserStore(Path(path)).add(name, password, role)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    ended = SessionRegistry(sessions_path(Path(path)), idle_seconds()).end_user(name)
    click.echo(f"Bruger {name} ({role}) gemt i {path}."
               + (f" {ended} igangværende login afsluttet." if ended else ""))


@cli.command()
@click.option("--format", "formats", multiple=True, required=True, metavar="FMT",
              type=click.Choice(["pdf", "pptx", "png", "svg", "xlsx", "csv"]),
              help="pdf/pptx: the whole report; png/svg: every chart; xlsx/csv: the data "
                   "behind every chart. Repeat for several.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", required=True, help="Folder to write to (made if missing).")
@click.option("--programme", default=None, metavar="ID", help="Programme id [default: the newest].")
@click.option("--region", "regions", multiple=True,
              help="Filter to a region, e.g. 'Region Syddanmark'.")
@click.option("--session-type", "session_types", multiple=True,
              type=click.Choice(["day", "overnight", "online"]),
              help="Filter to a session type.")
@click.option("--audience", "audiences", multiple=True, type=click.Choice(["intro", "all"]),
              help="Filter to an audience.")
@click.option("--year", "years", multiple=True, type=int,
              help="Filter to sessions in a year.")
@database_option
def export(formats: tuple[str, ...], out_dir: Path, programme: str | None,
           regions: tuple[str, ...], session_types: tuple[str, ...],
           audiences: tuple[str, ...], years: tuple[int, ...],
           database: Path) -> None:
    """The report (`pdf`, `pptx`), every chart (`png`, `svg`) or the data behind them
    (`xlsx`, `csv`), written into a folder, for scheduled runs. The filters (each
    repeatable) apply to each chart as on its page (Fastholdelse takes no audience).

    Example: python -m dashboard export --format pdf --format xlsx --out rapporter/
    """
    # Start-up cost: the export brings pandas, plotly and the report writers (0,5 s).
    from dashboard.export import ExportError
    from dashboard.export_files import export_files
    from dashboard.queries import Filters

    if not database.exists():
        raise click.ClickException(f"{database} findes ikke; byg den med `python -m etl build`")
    if missing := missing_from_model(database):
        raise click.ClickException(outdated_message(database, missing))
    filters = Filters(regions=regions, formats=session_types, audiences=audiences, years=years)
    try:
        with refused_sources():
            written = export_files(database, out_dir, formats, programme, filters)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    for path in written:
        click.echo(path)


@cli.command()
@click.argument("session_id")
@database_option
def plan(session_id: str, database: Path) -> None:
    """Print a session's forecast, meals and rooms, and the candidate venues ranked by
    travel (or, when its venue is placed, that venue and the travel to it); a held session
    prints its outcome instead.

    Example: python -m dashboard plan LKS2026-DEMO-04
    """
    from dashboard.session_plan import plan_text  # start-up cost: pandas (0,4 s)

    if not database.exists():
        raise click.ClickException(f"{database} findes ikke; byg den med `python -m etl build`")
    with Database(database).cursor() as con:
        known = [s for (s,) in con.execute("SELECT session_id FROM sessions").fetchall()]
        if session_id not in known:
            raise click.ClickException(f"ukendt session {session_id!r}; kendte: "
                                       + ", ".join(known))
        click.echo(plan_text(con, session_id))


if __name__ == "__main__":
    cli()
