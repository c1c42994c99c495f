"""One output path: commands write through beatpost.display, which ends in click.echo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.table import Table

from beatpost import display

COMMANDS = sorted((Path(__file__).resolve().parents[1] / "beatpost" / "commands").glob("*.py"))


@pytest.mark.parametrize("path", COMMANDS, ids=[p.stem for p in COMMANDS])
def test_command_modules_write_only_through_display(path: Path):
    source = path.read_text(encoding="utf-8")
    for writer in ("click.echo(", "click.secho(", "print(", "Console(", "json.dumps("):
        assert not re.search(rf"(?<![\w.]){re.escape(writer)}", source), (path.name, writer)


@click.command()
@click.option("--fail", is_flag=True)
def _sample(fail: bool) -> None:
    display.echo("before", bold=True)
    table = Table(title="Figures")
    table.add_column("platform")
    table.add_column("posts", justify="right")
    table.add_row("[bold]x[/]", "3")  # through cell(): brackets stay brackets
    table.add_row(display.cell("[red]facebook"), "4")
    console = display.console(width=40)
    console.print(table)
    console.print("[green]after[/]")
    display.echo("a warning", err=True, fg="yellow")
    display.echo_json({"text": "caf\u00e9 \u202e"})


def test_lines_tables_and_json_come_out_in_order_without_colour_off_a_terminal():
    result = CliRunner().invoke(_sample, [])
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b[" not in out and "\x1b[" not in result.stderr
    assert out.index("before") < out.index("Figures") < out.index("after") < out.index("{")
    assert "[red]facebook" in out  # a cell is never read as markup
    assert max(len(line) for line in out.splitlines()) <= 40
    assert result.stderr == "a warning\n"
    payload = out[out.index("{") :]
    assert "\\u202e" in payload and "café" in payload  # machine_json: controls escaped
    assert json.loads(payload) == {"text": "caf\u00e9 \u202e"}


def test_colour_reaches_a_terminal():
    result = CliRunner().invoke(_sample, [], color=True)
    assert "\x1b[1mbefore" in result.stdout
