"""Both command lines take `--db` and end a refused source the same way, declared once in
etl.cli_common."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dashboard.__main__ import cli as dashboard_cli
from dashboard.command_table import commands_of
from etl import cli_common
from etl.__main__ import cli as etl_cli
from etl.errors import SourceError, SourceProblem

# The same walk over the CLIs as the README's command table (a group without its own action,
# `etl`, takes no --db and is left out there).
COMMANDS = commands_of(etl_cli, "etl") + commands_of(dashboard_cli, "dashboard")
WITH_DB = [(name, command) for name, command in COMMANDS
           if any("--db" in p.opts for p in command.params)]


def test_every_database_command_takes_the_one_db_option():
    """Every command that reads or writes the database takes --db, and each one is the
    option etl.cli_common declares (same help, same default), not a copy."""
    names = {name for name, _ in WITH_DB}
    assert names == {"etl build", "etl demo", "etl import", "etl boundaries", "etl upgrade",
                     "etl history", "etl undo", "etl restore", "etl backup", "dashboard",
                     "dashboard export", "dashboard plan"}
    for name, command in WITH_DB:
        (option,) = [p for p in command.params if "--db" in p.opts]
        assert option.callback is cli_common._database_path, name
        assert option.name == "database", name


@pytest.fixture
def refusing_command():
    @click.command()
    @cli_common.database_option
    def refuse(database: Path) -> None:
        click.echo(f"database {database}")
        with cli_common.refused_sources():
            raise SourceError([SourceProblem("tilmeldinger.csv", 7, "Kommune",
                                             "database_outdated",
                                             {"missing": "x", "database": str(database)})])
    return refuse


def test_a_refused_source_is_a_red_message_and_exit_code_2(refusing_command, monkeypatch):
    monkeypatch.setenv("BORGMESTER_DB", "/tmp/from-the-environment.duckdb")
    result = CliRunner().invoke(refusing_command, [], color=True)
    assert result.exit_code == 2
    assert "database /tmp/from-the-environment.duckdb" in result.stdout   # the default
    assert "\x1b[31m1 fejl; intet er ændret:" in result.stderr              # red, on stderr
    assert "tilmeldinger.csv" in result.stderr and "7" in result.stderr


def test_db_given_wins_over_the_environment(refusing_command, monkeypatch):
    monkeypatch.setenv("BORGMESTER_DB", "/tmp/from-the-environment.duckdb")
    result = CliRunner().invoke(refusing_command, ["--db", "/tmp/given.duckdb"])
    assert "database /tmp/given.duckdb" in result.stdout
