"""One ``--format`` vocabulary: every command offers table and json; ``text`` reads as table."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from beatpost.cli import cli


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


FORMATTED = [
    (name, param)
    for name, command in _commands(cli)
    for param in command.params
    if isinstance(param, click.Option) and "--format" in param.opts
]


def test_the_commands_with_a_format_are_found():
    assert {"validate", "plan", "sync", "status", "report", "comments"} <= {n for n, _ in FORMATTED}


@pytest.mark.parametrize(("name", "option"), FORMATTED, ids=[n for n, _ in FORMATTED])
def test_every_format_option_offers_table_and_json_and_reads_text_as_table(name, option):
    assert option.default == "table"
    assert list(option.type.choices)[:2] == ["table", "json"]
    with click.Context(cli) as ctx:
        assert option.type.convert("text", option, ctx) == "table"
        with pytest.raises(click.BadParameter, match="'table', 'json'"):
            option.type.convert("xml", option, ctx)
