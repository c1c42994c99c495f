"""``beatpost run``: the posting daemon in the foreground."""

from __future__ import annotations

import logging

import click

from beatpost.context import Context, pass_ctx


def register(cli: click.Group) -> None:
    cli.add_command(run)


@click.command()
@pass_ctx
def run(ctx: Context) -> None:
    """Run the posting daemon in the foreground until SIGTERM or Ctrl-C.

    Upgrades the schema, syncs the campaign files (and again whenever they change), and
    publishes each delivery at its instant. One daemon per SQLite database.
    """
    from beatpost.daemon import Daemon
    from beatpost.singleton import AlreadyRunning

    settings = ctx.settings
    wanted = logging.getLevelName(settings.log_level.upper())
    if not isinstance(wanted, int):
        raise click.ClickException(
            f"log_level {settings.log_level!r} is not one of DEBUG, INFO, WARNING, ERROR"
        )
    # The daemon's own lines at the configured level (more with -v), for the journal.
    logging.getLogger("beatpost").setLevel(min(logging.getLogger().level, wanted))
    try:
        status = Daemon(settings, engine=ctx.open_engine()).run()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    raise click.exceptions.Exit(status)
