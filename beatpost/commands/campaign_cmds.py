"""``beatpost validate`` and ``beatpost plan``: campaign files in, diagnostics or a schedule out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from analysis.timeframe import display_zone, system_clock
from beatpost import display
from beatpost.context import Context, ExitStatus, format_option, pass_ctx
from beatpost.display import echo, echo_json, plural, styled
from connectors.platforms import display_name as platform_display_name

if TYPE_CHECKING:
    from campaigns import CampaignSet, DeliveryPlan
    from config.settings import Settings

PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)


def load_campaign_set(ctx: Context, paths: Sequence[Path], now: datetime | None) -> CampaignSet:
    """The campaign files at ``paths`` (default: the campaigns folder), read and planned."""
    from beatpost.validation import validation_options
    from campaigns import load_campaigns

    settings = ctx.settings
    targets = list(paths) or [settings.campaigns_path]
    try:
        return load_campaigns(targets, validation_options(settings, now))
    except Exception as exc:  # a bug, not a user error: one line unless --traceback
        if ctx.traceback:
            raise
        raise click.ClickException(
            f"internal error while checking campaign files: {exc!r} (run with --traceback)"
        ) from None


def _severity_word(severity: str) -> str:
    color = {"error": "red", "warning": "yellow"}.get(severity, "cyan")
    return styled(severity, fg=color, bold=severity == "error")


def _echo_diagnostics(campaign_set: CampaignSet, err: bool = False, notes: bool = True) -> None:
    first = True
    for result in campaign_set.files:
        shown = [d for d in result.diagnostics if notes or d.severity != "note"]
        if not shown:
            continue
        if not first:
            echo("", err=err)
        first = False
        for d in shown:
            where = f"{d.file}:{d.line}:{d.column}"
            path = f"{d.path}: " if d.path else ""
            echo(f"{where}: {_severity_word(d.severity)}: {path}{d.message}", err=err)


def _summary(campaign_set: CampaignSet) -> str:
    files = plural(campaign_set.file_count, "file")
    errors, warnings, notes = (
        len(campaign_set.errors),
        len(campaign_set.warnings),
        len(campaign_set.notes),
    )
    noted = f", {plural(notes, 'note')}" if notes else ""
    if not errors and not warnings:
        return f"Checked {files}: no problems{noted}."
    bad = sum(1 for f in campaign_set.files if not f.ok)
    parts = [plural(errors, "error"), plural(warnings, "warning")]
    tail = f" in {plural(bad, 'file')}" if errors else ""
    return f"Checked {files}: {', '.join(parts)}{tail}{noted}."


def _hosting_notes(settings: Settings, campaign_set: CampaignSet) -> tuple[str | None, str | None]:
    """(which folder to publish, why the address may serve original photos) for Instagram and
    Threads, which fetch images from it."""
    from connectors.hosting import publish_folder, serves_originals

    deliveries = [
        d
        for d in campaign_set.deliveries()
        if d.platform == "instagram" or (d.platform == "threads" and d.media)
    ]
    base = settings.instagram.media_base_url
    if not deliveries or not base:
        return None, None
    fetching = " and ".join(
        name
        for name in ("Instagram", "Threads")
        if any(d.platform == name.lower() for d in deliveries)
    )
    note = (
        f"{fetching}: beatpost writes metadata-free copies of the images to "
        f"{publish_folder(settings)}; the web server must publish that folder at {base} "
        "(instagram.media_base_url)."
    )
    return note, serves_originals(settings, (m.path.parent for d in deliveries for m in d.media))


def register(cli: click.Group) -> None:
    cli.add_command(validate)
    cli.add_command(plan)


@click.command()
@PATHS
@format_option()
@pass_ctx
def validate(ctx: Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check campaign files (or folders of them) and report every problem.

    Each problem is reported as FILE:LINE:COLUMN: error|warning|note: FIELD: message. Without
    PATH, the campaigns folder from the settings is checked. Exit status: 0 no errors,
    1 errors, 2 usage.
    """
    from beatpost.validation import unconnected_sections

    campaign_set = load_campaign_set(ctx, paths, system_clock())
    hosting, originals = _hosting_notes(ctx.settings, campaign_set)
    config_file = ctx.config_path or Path("beatpost.toml")
    unconnected = unconnected_sections(ctx.settings, config_file)
    if fmt == "json":
        payload = {
            "files": campaign_set.file_count,
            "errors": [d.to_json() for d in campaign_set.errors],
            "warnings": [d.to_json() for d in campaign_set.warnings],
            "notes": [d.to_json() for d in campaign_set.notes],
        }
        if hosting:
            payload["settings_notes"] = [hosting]
        if originals:
            payload["settings_warnings"] = [originals]
        if unconnected:
            payload["settings_errors"] = unconnected
        echo_json(payload)
    else:
        _echo_diagnostics(campaign_set)
        if campaign_set.diagnostics:
            echo("")
        if hosting:
            echo(hosting)
        if originals:
            echo(f"{_severity_word('warning')}: {originals}")
        for problem in unconnected:
            echo(problem)
        echo(_summary(campaign_set))
    if campaign_set.errors or unconnected:
        raise click.exceptions.Exit(ExitStatus.ERROR)


@click.command()
@PATHS
@click.option(
    "--from",
    "start",
    metavar="DATE",
    help="First day (YYYY-MM-DD, or YYYY-MM-DD HH:MM), in the default time zone.",
)
@click.option(
    "--to",
    "end",
    metavar="DATE",
    help="Last day, included (YYYY-MM-DD); or an end time YYYY-MM-DD HH:MM (excluded).",
)
@format_option("ics")
@pass_ctx
def plan(
    ctx: Context, paths: tuple[Path, ...], start: str | None, end: str | None, fmt: str
) -> None:
    """Show every planned delivery: one per post, platform and time.

    The table ends with the estimated API fees (X charges per post) and the paid boosts
    of the campaigns shown. --format json gives a list sorted by time; --format ics an
    iCalendar file to import into Outlook or Google Calendar. Files with errors are left
    out (and reported on stderr, with exit status 1).
    """
    tz = display_zone(ctx.settings)
    lower = _parse_bound(start, tz, "--from", inclusive_end=False)
    upper = _parse_bound(end, tz, "--to", inclusive_end=True)
    campaign_set = load_campaign_set(ctx, paths, None)
    if (
        campaign_set.errors or campaign_set.warnings
    ):  # notes are for validate; plan's stdout stays clean
        _echo_diagnostics(campaign_set, err=True, notes=False)
        echo(_summary(campaign_set), err=True)
    deliveries = campaign_set.deliveries(lower, upper)
    if fmt == "json":
        echo_json([d.to_json() for d in deliveries])
    elif fmt == "ics":
        from campaigns import deliveries_to_ics

        echo(deliveries_to_ics(deliveries), nl=False)  # bytes: CRLF lines kept as is
    else:
        _print_table(deliveries)
        from beatpost.spending import cost_lines

        for line in cost_lines(campaign_set, deliveries):
            echo(line)
    if campaign_set.errors:
        raise click.exceptions.Exit(ExitStatus.ERROR)


def _parse_bound(
    value: str | None, tz: ZoneInfo, option: str, inclusive_end: bool
) -> datetime | None:
    """A --from/--to value as an aware instant. A bare --to date includes that whole day."""
    if value is None:
        return None
    from campaigns import to_utc

    raw = value.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if inclusive_end:
                day += timedelta(days=1)
            return to_utc(datetime.combine(day, time(0, 0)), tz)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)", param_hint=option
        ) from None
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return to_utc(moment, tz)


def _print_table(deliveries: Sequence[DeliveryPlan]) -> None:
    from rich.table import Table

    console = display.console()  # piped: display.PIPED_WIDTH, each row readable in a file
    if not deliveries:
        console.print("No deliveries planned in this range.")
        return
    noun = "delivery" if len(deliveries) == 1 else "deliveries"
    table = Table(title=f"{len(deliveries)} {noun}", title_justify="left")
    table.add_column("Local time", no_wrap=True, min_width=24)
    table.add_column("UTC", no_wrap=True, style="dim", min_width=12)
    table.add_column("Platform", no_wrap=True, min_width=9)
    table.add_column("Post", no_wrap=True, min_width=12)
    table.add_column("Text", no_wrap=True, overflow="ellipsis", max_width=72)
    for d in deliveries:
        post = (
            d.post_id
            if d.occurrence == "once" or d.extras.get("schedule") == "repeat"
            else f"{d.post_id} {d.occurrence}"
        )
        first_line = d.text.splitlines()[0] if d.text else ""
        table.add_row(
            f"{d.at_local:%a %Y-%m-%d %H:%M %Z}",
            f"{d.at_utc:%m-%d %H:%MZ}",
            platform_display_name(d.platform),
            post,
            first_line,
        )
    console.print(table)
