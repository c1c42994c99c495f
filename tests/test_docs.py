"""The README's command table and the CLI agree, and every command explains itself."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from beatpost.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _documented_commands() -> set[str]:
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`beatpost ([a-z-]+)", text, flags=re.MULTILINE))


def test_every_command_is_in_the_readme_table():
    missing = set(cli.commands) - _documented_commands()
    assert not missing, f"commands missing from the README command table: {sorted(missing)}"


def test_readme_table_names_only_real_commands():
    unknown = _documented_commands() - set(cli.commands)
    assert not unknown, f"README documents commands that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_has_help(name: str):
    command = cli.commands[name]
    assert command.help and command.help.strip(), f"beatpost {name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"beatpost {name} {param.opts[0]} has no help text"
