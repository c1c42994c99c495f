"""What every command shares: the ``Context`` it is passed, exit statuses and ``--format``.

Kept apart from ``beatpost.cli`` so that command modules import it without importing the
command line that imports them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

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
        _check_workspace(settings)
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


def _check_workspace(settings: Any) -> None:
    """A command run outside any workspace stops with where to go instead of creating an
    empty store there: `beatpost pause` in the wrong folder would otherwise say "Paused
    everything" while the daemon in the real workspace goes on posting.

    A workspace is known from a settings file (./beatpost.toml, --config or
    BEATPOST_CONFIG), a workspace or database URL set in the environment, a store
    already in .beatpost/, or a campaigns folder here."""
    if settings.database_url is not None or settings.workspace != Path("."):
        return
    if (settings.data_path / "beatpost.db").exists() or settings.campaigns_path.is_dir():
        return
    raise click.ClickException(
        f"no beatpost workspace in {Path.cwd()}: no beatpost.toml, no campaigns folder and "
        "no data here. Run beatpost in your workspace folder (where beatpost.toml is), "
        "pass --config PATH, or start one with `beatpost init DIR`. Nothing was done."
    )


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


# The largest id a database column holds (SQLite INTEGER, PostgreSQL BIGINT).
MAX_ID = 2**63 - 1
MAX_REASON = 500


class RecordNumber(click.ParamType):
    """A delivery, pause or comment number as ``shown_by`` lists it (``12`` or ``#12``), in
    range: a number no row can have is bad usage, never a database error."""

    name = "ID"

    def __init__(self, what: str, shown_by: str = "beatpost status"):
        self.what = what
        self.shown_by = shown_by

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            text = str(value)
        else:
            text = str(value).strip().removeprefix("#")
        if not re.fullmatch(r"[0-9]+", text):
            self.fail(
                f"{value!r} is not a {self.what} number: use the number `{self.shown_by}` "
                "shows, such as 12",
                param,
                ctx,
            )
        number = int(text) if len(text) <= 20 else MAX_ID + 1
        if number < 1:
            self.fail(f"{value}: {self.what} numbers start at 1", param, ctx)
        if number > MAX_ID:
            self.fail(f"{value}: no {self.what} has this number (too large)", param, ctx)
        return number


def one_line(value: str | None, option: str = "--reason") -> str | None:
    """A reason or note as one line of plain text (status, the digest and the audit log show
    it); control characters are refused."""
    if value is None:
        return None
    text = " ".join(value.split())
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise click.BadParameter(
            "contains control characters; write it as plain text", param_hint=option
        )
    if len(text) > MAX_REASON:
        raise click.BadParameter(
            f"is {len(text)} characters long; keep it under {MAX_REASON}", param_hint=option
        )
    return text


_AGO = re.compile(r"^(\d+)\s*([hdw])$")
_AGO_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_DAYS_BACK = {"today": 0, "yesterday": 1}


def parse_since(value: str, now: datetime, tz: ZoneInfo, option: str = "--since") -> datetime:
    """A ``--since`` as a person types it -> an aware UTC instant: ``7d`` / ``24h`` / ``2w``
    ago, ``today`` or ``yesterday`` (local midnight), a date (its local midnight) or a
    date-time (local unless it carries an offset)."""
    text = value.strip()
    match = _AGO.match(text)
    try:
        if match:
            return now - timedelta(**{_AGO_UNITS[match.group(2)]: int(match.group(1))})
        if text.lower() in _DAYS_BACK:
            day = now.astimezone(tz).date() - timedelta(days=_DAYS_BACK[text.lower()])
            return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a date (2026-11-30, today, yesterday), a date-time "
                "(2026-11-30 08:00) or an age (24h, 7d, 2w)",
                param_hint=option,
            ) from None
        if len(text) <= 10:  # a bare date: from the start of that local day
            parsed = datetime.combine(parsed.date(), time(0))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed.astimezone(UTC)
    except OverflowError:  # 99999999d ago, or year 1 moved across a time zone
        raise click.BadParameter(
            f"{value!r} is out of range (too far in the past or future)", param_hint=option
        ) from None
