"""The README's command table and the CLI agree, and every command explains itself."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

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


def _commands(group: click.Group = cli, prefix: str = "") -> dict[str, click.Command]:
    """Every command by its full name ("comments mark"), groups included."""
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        out[full] = command
        if isinstance(command, click.Group):
            out.update(_commands(command, f"{full} "))
    return out


ALL_COMMANDS = sorted(_commands())


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_and_option_has_help(name: str):
    """Subcommands too (`comments mark`, `outcomes import`): `beatpost NAME --help` says what
    the command does and what each option means."""
    command = _commands()[name]
    assert command.help and command.help.strip(), f"beatpost {name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"beatpost {name} {param.opts[0]} has no help text"
    result = CliRunner().invoke(cli, [*name.split(), "--help"], prog_name="beatpost")
    assert result.exit_code == 0, result.output
    assert f"Usage: beatpost {name}" in result.output
    assert command.help.split()[0] in result.output


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_help_shows_every_option_default(name: str):
    """The group shows defaults for every command (one setting, not one per option): an
    option with a default value names it in ``--help``."""
    command = _commands()[name]
    ctx = click.Context(command, parent=click.Context(cli, **cli.context_settings))
    for param in command.params:
        default = param.to_info_dict()["default"]  # None where the option has none
        if not isinstance(param, click.Option) or param.is_flag or default in (None, ()):
            continue
        record = param.get_help_record(ctx)
        assert record and "[default: " in record[1], f"beatpost {name} {param.opts[0]}"


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_is_defined_at_module_level(name: str):
    """A command module's register() only adds its commands; none is nested inside it."""
    callback = _commands()[name].callback
    assert callback is not None and "<locals>" not in callback.__qualname__, name


def _readme_rows() -> dict[str, str]:
    """README command-table rows by the longest command name they start with."""
    names = _commands()
    rows: dict[str, str] = {}
    for row in re.findall(r"^\|\s*`beatpost .*$", README.read_text(encoding="utf-8"), re.M):
        words = row.split("`")[1].split()[1:]
        for n in range(len(words), 0, -1):
            if " ".join(words[:n]) in names:
                key = " ".join(words[:n])
                rows[key] = rows.get(key, "") + row
                break
    return rows


def test_readme_table_names_every_option_of_every_command():
    """The table left out options a PIO needs (`pull --platform`, `report --top`, ...)."""
    rows = _readme_rows()
    missing = []
    for name, command in _commands().items():
        if name not in rows:
            continue  # a group documented through its subcommands
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            if isinstance(param, click.Option) and longs and not param.hidden:
                if not any(re.search(rf"{re.escape(o)}\b", rows[name]) for o in longs):
                    missing.append(f"beatpost {name} {longs[0]}")
    assert not missing, f"options missing from the README command table: {missing}"


@pytest.mark.parametrize("args", [["comments", "--help"], ["sandbox", "--help"]])
def test_help_does_not_name_a_subset_of_the_platforms(args: list[str]):
    """`comments --platform` said "(x, facebook, instagram)" and `sandbox` "X / Facebook /
    Instagram emulator" after Mastodon, Bluesky, LinkedIn and Threads had joined."""
    from connectors.limits import PLATFORMS

    out = CliRunner().invoke(cli, args, terminal_width=200).output
    assert "X / Facebook / Instagram" not in out and "(x, facebook, instagram)" not in out
    if args[0] == "comments":
        assert f"Only this platform ({', '.join(PLATFORMS)})." in out
