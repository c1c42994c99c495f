"""``beatpost pull`` and ``beatpost report``: engagement in, engagement out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.progress import MofNCompleteColumn, TextColumn
from rich.table import Table
from rich.text import Text

from analysis.timeframe import IsoWeek, WeekError, system_clock, week_zone
from beatpost import display
from beatpost.commands.progress import progress_bar
from beatpost.context import Context, format_option, pass_ctx
from beatpost.display import cell, echo_json, plain
from campaigns.kinds import display_name as kind_display_name
from connectors.limits import PLATFORMS
from connectors.platforms import display_name as platform_display_name

if TYPE_CHECKING:
    from rich.console import Console

    from beatpost.pull import PullReport


def register(cli: click.Group) -> None:
    cli.add_command(pull)
    cli.add_command(report)


# Dates a command takes are range-checked: a week's comparisons reach the week before and
# the Monday after, and a local date becomes a UTC instant; years 1 and 9999 overflow.
FIRST_YEAR, LAST_YEAR = 1971, 9998


def check_year(year: int, value: str, option: str) -> None:
    """A clear error for ``option`` when ``year`` is outside what beatpost handles."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise click.BadParameter(
            f"{value!r} is out of range: give a date in the years {FIRST_YEAR} to {LAST_YEAR}",
            param_hint=option,
        )


def check_week(value: str, option: str = "--week") -> None:
    """``check_year`` for an ISO week label, before it is read (year 0 cannot be)."""
    match = re.match(r"\s*(\d+)-W", value)
    if match:
        check_year(int(match[1]), value, option)


def read_week(value: str, option: str = "--week") -> IsoWeek:
    """The ISO week a person typed for ``option``; a clear error naming it otherwise."""
    check_week(value, option)
    try:
        return IsoWeek.parse(value)
    except WeekError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> IsoWeek | None:
    return None if value is None else read_week(value)


def week_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--week YYYY-Www``, given to the command as an ``IsoWeek`` (None: not given)."""
    return click.option(
        "--week",
        callback=_week,
        metavar="YYYY-Www",
        help="ISO week to report on, like 2027-W10 [default: the last complete week].",
    )


# -- pull ------------------------------------------------------------------------------------


def _pull_table(result: PullReport, zone: ZoneInfo) -> Table:
    """The pull's figures per platform, titled with its time in the department's zone."""
    table = Table(title=f"Pull at {result.started_at.astimezone(zone):%a %Y-%m-%d %H:%M %Z}")
    for name in (
        "platform",
        "tracked",
        "requests",
        "snapshots",
        "new comments",
        "skipped (budget)",
        "missed slots",
        "status",
    ):
        table.add_column(name, justify="left" if name in ("platform", "status") else "right")
    for name, rep in sorted(result.platforms.items()):
        status = rep.stopped or ("errors" if rep.errors else "ok")
        table.add_row(
            name,
            str(rep.tracked),
            f"{rep.requests} ({rep.metrics_requests} metrics)",
            str(rep.snapshots),
            str(rep.new_comments),
            str(rep.skipped_for_budget),
            str(rep.missed_slots),
            status,
        )
    return table


def _since(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    check_year(value.year, value.isoformat(sep=" ", timespec="minutes"), "--since")
    return value.replace(tzinfo=zone).astimezone(UTC)


@click.command()
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    metavar="DATE",
    help="Only posts published from this date (YYYY-MM-DD[THH:MM], department time zone).",
)
@click.option(
    "--backfill",
    is_flag=True,
    help="Also measure, off schedule, every published delivery the platforms still give "
    "data for (including ones from before pulls began).",
)
@click.option(
    "--platform",
    "platforms",
    type=click.Choice(list(PLATFORMS)),
    multiple=True,
    help="Only this platform (repeatable).",
)
@format_option()
@pass_ctx
def pull(
    ctx: Context,
    since: datetime | None,
    backfill: bool,
    platforms: tuple[str, ...],
    fmt: str,
) -> None:
    """Pull engagement and new comments of published posts now (what is due, batched)."""
    # Imported here: the pull loads the store and every connector, which `beatpost --help`
    # and the other commands need not wait for.
    from beatpost.pull import connector_factory_for, run_pull
    from beatpost.pull.schedule import ScheduleError

    settings = ctx.settings
    engine = ctx.open_engine()

    show_bar = fmt == "table" and display.progress_console().is_terminal
    counter = MofNCompleteColumn(), TextColumn("requests")
    try:
        with progress_bar(show_bar, "pull", *counter) as progress:
            result = run_pull(
                settings,
                engine,
                connector_factory_for(settings),
                system_clock,
                progress,
                since=_since(since, week_zone(ctx.settings)),
                backfill=backfill,
                platforms=list(platforms) or None,
            )
    except ScheduleError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        echo_json(result.to_json())
    else:
        console = display.console()
        if result.skipped:
            console.print(f"Not pulled: {result.skipped}.")
        elif not result.platforms:
            console.print("Nothing due: no published post has a measurement scheduled now.")
        else:
            console.print(_pull_table(result, week_zone(ctx.settings)))
        for name, rep in sorted(result.platforms.items()):
            # The lines quote what the platform answered: printed as Text, never as markup.
            for line in rep.errors:
                console.print(Text.assemble((f"{name}: error:", "red"), " ", plain(line)))
            for line in rep.warnings:
                console.print(Text.assemble((f"{name}: warning:", "yellow"), " ", plain(line)))
    if not result.ok:
        raise click.exceptions.Exit(1)


# -- report ----------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def _signed(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:+.2f} pt" if percent else f"{value:+,.0f}"


def _group_table(title: str, groups: list[Any], name: Callable[[str], str] = str) -> Table:
    """One breakdown; ``name`` turns a group's machine key ("event") into the word a person
    reads ("Event"). JSON keeps the keys."""
    table = Table(title=title, title_justify="left")
    table.add_column(title.split(" by ")[-1])
    for column in ("posts", "audience", "interactions", "rate", "click rate"):
        table.add_column(column, justify="right")
    for g in groups:
        table.add_row(
            cell(name(g.key)),
            str(g.posts),
            f"{g.audience:,}",
            f"{g.interactions:,}",
            _pct(g.rate),
            _pct(g.click_rate),
        )
    return table


def _print_week(console: Console, week: Any) -> None:
    from analysis.engagement import audience, busiest_hours, engagement_rate, interactions

    head = Table(title=f"Engagement {week.week} ({week.timezone})", title_justify="left")
    for name in ("", "this week", "previous week", "change"):
        head.add_column(name, justify="left" if not name else "right")
    t, p, c = week.totals, week.previous_totals, week.change
    head.add_row("posts", str(t.posts), str(p.posts), _signed(c["posts"].delta))
    head.add_row("audience", f"{t.audience:,}", f"{p.audience:,}", _signed(c["audience"].delta))
    head.add_row(
        "interactions",
        f"{t.interactions:,}",
        f"{p.interactions:,}",
        _signed(c["interactions"].delta),
    )
    head.add_row("engagement rate", _pct(t.rate), _pct(p.rate), _signed(c["rate"].delta, True))
    head.add_row(
        "click rate", _pct(t.click_rate), _pct(p.click_rate), _signed(c["click_rate"].delta, True)
    )
    cm, pc = week.comments, week.previous_comments
    head.add_row("comments", str(cm.total), str(pc.total), _signed(cm.total - pc.total))
    head.add_row("  needing a reply", str(cm.needs_reply), str(pc.needs_reply), "")
    head.add_row("  hostile", str(cm.hostile), str(pc.hostile), "")
    if cm.safety or pc.safety:
        head.add_row("  officer safety (review now)", str(cm.safety), str(pc.safety), "")
    head.add_row("  critical of the department", str(cm.critical), str(pc.critical), "")
    head.add_row(
        "  positive / neutral / negative",
        f"{cm.positive} / {cm.neutral} / {cm.negative}",
        f"{pc.positive} / {pc.neutral} / {pc.negative}",
        "",
    )
    console.print(head)
    if getattr(week, "videos", None) is not None:
        console.print(week.videos.sentence())
    if not week.posts:
        console.print("No posts were published this week.")
        return
    for title, groups, name in (
        ("Engagement by kind of post", week.by_kind, kind_display_name),
        ("Engagement by platform", week.by_platform, platform_display_name),
        ("Engagement by partner", week.by_partner, str),
        ("Engagement by campaign", week.by_campaign, str),
        ("Engagement by hour posted", week.by_publish_hour, str),
    ):
        console.print(_group_table(title, groups, name))
    busiest = busiest_hours(week.response_hours, 5)
    if busiest:
        hours = Table(title="When the audience comments (local time)", title_justify="left")
        hours.add_column("hour of week")
        hours.add_column("comments", justify="right")
        for label, n in busiest:
            hours.add_row(label, str(n))
        console.print(hours)
    if week.top_posts:
        top = Table(title="Top posts by engagement rate", title_justify="left")
        for name in ("published", "platform", "audience", "interactions", "rate", "text"):
            if name == "text":  # the one column that gives way on a narrow terminal
                room = max(12, min(60, console.width - 74))
                top.add_column(name, no_wrap=True, overflow="ellipsis", width=room)
            else:
                numeric = name in ("audience", "interactions", "rate")
                top.add_column(
                    name,
                    justify="right" if numeric else "left",
                    no_wrap=True,
                    min_width=len(name),
                )
        zone = ZoneInfo(week.timezone)
        for row in week.top_posts:
            top.add_row(
                f"{row.published_at.astimezone(zone):%a %H:%M}",
                platform_display_name(row.platform),
                f"{audience(row)[0]:,}",
                str(interactions(row)),
                _pct(engagement_rate(row)),
                cell(row.text),  # one line, inert, brackets kept: posts may quote the public
            )
        console.print(top)


@click.command()
@week_option()
@click.option("--top", type=click.IntRange(0, 50), default=5, help="How many top posts to list.")
@click.option(
    "--outcomes",
    "with_outcomes",
    is_flag=True,
    help="Applications instead: by campaign, kind, platform and partner; the funnel "
    "from reach to applications (docs/outcomes.md).",
)
@format_option()
@pass_ctx
def report(ctx: Context, week: IsoWeek | None, top: int, fmt: str, with_outcomes: bool) -> None:
    """Engagement of one week: rates by kind, platform, partner, campaign and hour; comments.
    With --outcomes: the week's applications and where they came from."""
    from analysis.engagement import week_summary
    from store.engine import read_session

    zone = week_zone(ctx.settings)
    week = week or IsoWeek.last_complete(system_clock(), zone)
    engine = ctx.open_engine()
    if with_outcomes:
        from beatpost.commands.outcome_cmds import print_outcomes

        print_outcomes(engine, week, zone, fmt)
        return
    with read_session(engine) as session:
        summary = week_summary(session, week, zone, top=top)
    if fmt == "json":
        echo_json(summary.to_json())
        return
    _print_week(display.console(), summary)


__all__ = ["pull", "register", "report"]
