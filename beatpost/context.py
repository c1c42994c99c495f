"""What every command shares: the ``Context`` it is passed, exit statuses and ``--format``.

Kept apart from ``beatpost.cli`` so that command modules import it without importing the
command line that imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from config.settings import Settings


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2


class Context:
    """What every command gets: the --config path, loaded settings on demand."""

    def __init__(self, config_path: Path | None, traceback: bool):
        self.config_path = config_path
        self.traceback = traceback
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from config import SettingsError, load_settings

            try:
                settings = load_settings(self.config_path)
            except SettingsError as exc:
                raise click.ClickException(str(exc)) from None
            check_platform_names(settings, self.config_path)
            self._settings = settings
        return self._settings

    def open_engine(self, *, dry_run: bool = False) -> Engine:
        """The store's engine, schema upgraded; a database that cannot be opened is one clean
        line. A dry run never creates a SQLite file: with none yet, it compares against an
        empty in-memory store."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import SQLAlchemyError

        from store import StoreError, make_engine, upgrade

        settings = self.settings
        url = settings.resolved_database_url
        if dry_run and settings.database_url is None:
            if not (settings.data_path / "beatpost.db").exists():
                url = "sqlite://"
        try:
            engine = make_engine(url)
            upgrade(engine)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        except SQLAlchemyError as exc:
            if self.traceback:
                raise
            where = make_url(url).render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise click.ClickException(f"cannot open the database {where}: {reason}") from None
        return engine


def check_platform_names(settings: Any, config_path: Path | None) -> None:
    """Settings that name a platform name one beatpost knows (config cannot know them)."""
    from connectors.limits import PLATFORMS

    unknown = sorted(set(settings.connector_classes) - set(PLATFORMS))
    if unknown:
        where = config_path or "settings"
        raise click.ClickException(
            f"{where}: connector_classes: unknown platform {unknown[0]!r}; "
            f"choose one of: {', '.join(PLATFORMS)}"
        )


pass_ctx = click.make_pass_decorator(Context)


class _FormatChoice(click.Choice):
    """``table``, ``json`` and a command's own formats; ``text`` is read as ``table``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert("table" if value == "text" else value, param, ctx)


def format_option(*extra: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The one ``--format`` option: ``table`` (the default, for people), ``json`` (for
    scripts) and any ``extra`` formats the command has. ``text``, the older name of
    ``table`` for some commands, is still accepted."""
    return click.option(
        "--format",
        "fmt",
        type=_FormatChoice(["table", "json", *extra]),
        default="table",
        help="Output format (text: the same as table).",
    )
