"""Command line for the dashboard: `python -m dashboard` serves it."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.settings import setting
from etl.paths import default_database_path


@click.group(invoke_without_command=True)
@click.option("--host", default=lambda: setting("HOST"), show_default="$HOST or 127.0.0.1",
              help="Address to listen on.")
@click.option("--port", type=int, default=lambda: int(setting("PORT")),
              show_default="$PORT or 8050", help="Port to listen on.")
@click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Database file [default: $BORGMESTER_DB or "
                                 "data/borgmester.duckdb].")
@click.pass_context
def cli(ctx: click.Context, host: str, port: int, database: Path | None) -> None:
    """Serve the dashboard (building the demo database first if there is none).

    Example: python -m dashboard --port 8051
    """
    if ctx.invoked_subcommand is not None:
        return
    database = database or default_database_path()
    if not database.exists():
        from etl.build import build_database

        click.echo(f"Ingen database i {database}: bygger den med demodata ...")
        build_database(database, log=click.echo)
    from dashboard.app import create_app

    app = create_app(database)
    click.echo(f"Dashboardet kører på http://{host}:{port}/  (stop med Ctrl+C)")
    app.run(host=host, port=port, debug=False)


@cli.command()
@click.argument("session_id")
@click.option("--db", "database", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Database file [default: $BORGMESTER_DB or "
                                 "data/borgmester.duckdb].")
def plan(session_id: str, database: Path | None) -> None:
    """Print a session's forecast, meals and rooms, and the ranked venue cities.

    Example: python -m dashboard plan LKS2022-09
    """
    from dashboard.db import Database
    from dashboard.session_plan import plan_text

    database = database or default_database_path()
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
