"""The ledger: ``sync``, ``pause``, ``resume``, ``status``, ``retry``,
``skip``. Parse, call ``store`` / ``beatpost.daemon``, format. Nothing else."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NoReturn
from zoneinfo import ZoneInfo

import click

from analysis.timeframe import display_zone, system_clock
from beatpost.context import (
    Context,
    ExitStatus,
    RecordNumber,
    format_option,
    one_line,
    parse_since,
    pass_ctx,
)
from beatpost.display import echo, echo_json, local_time, plain, styled

if TYPE_CHECKING:
    from beatpost.status import DaemonState, TokenExpiry
    from config.settings import Settings
    from store import DeliveryView, Ledger, StatusReport, SyncReport
    from store.digest_models import DigestSend
    from store.inbox import InboxComment, ReplyView
    from store.metrics import PullProblem

_DURATION = re.compile(r"^([0-9]+)\s*([mhd])$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
# A pause meant to last longer has no end date: it is resumed by hand.
MAX_PAUSE = timedelta(days=366)


def _ledger(ctx: Context) -> Ledger:
    from store import Ledger

    return Ledger(ctx.open_engine(), owner=f"cli ({ctx.settings.actor})")


def _local_instant(value: str, tz: ZoneInfo, option: str, example: str) -> datetime:
    """A date or date-time typed by a person (local to ``tz`` unless it has an offset)."""
    try:
        parsed = datetime.fromisoformat(value.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed.astimezone(UTC)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use a date-time such as {example}", param_hint=option
        ) from None
    except OverflowError:  # year 1 or 9999 moved across a time zone
        raise click.BadParameter(
            f"{value!r} is out of range (too far in the past or future)", param_hint=option
        ) from None


def parse_until(value: str, now: datetime, tz: ZoneInfo) -> datetime:
    """``2h`` / ``30m`` / ``1d`` from now, or a date-time (``2026-11-26 08:00``; local to
    the default time zone unless it carries an offset), at most ``MAX_PAUSE`` ahead."""
    too_far = (
        f"{value!r} is more than {MAX_PAUSE.days} days ahead; for a pause without a planned "
        "end leave out --until and run `beatpost resume` when it is over"
    )
    match = _DURATION.match(value.strip())
    if match:
        digits, unit = match.groups()
        if len(digits) > 9 or int(digits) * _UNIT_SECONDS[unit] > MAX_PAUSE.total_seconds():
            raise click.BadParameter(too_far, param_hint="--until")
        return now + timedelta(seconds=int(digits) * _UNIT_SECONDS[unit])
    try:
        end = _local_instant(value, tz, "--until", "2026-11-26 08:00")
    except click.BadParameter:
        if re.search(r"[0-9]{4}-", value):  # a date the calendar or the clock cannot hold
            raise
        raise click.BadParameter(
            f"{value!r}: use a duration (30m, 2h, 1d) or a date-time (2026-11-26 08:00)",
            param_hint="--until",
        ) from None
    if end - now > MAX_PAUSE:
        raise click.BadParameter(too_far, param_hint="--until")
    if end <= now:
        raise click.BadParameter(f"{value!r} is not in the future", param_hint="--until")
    return end


def _status_since(value: str, now: datetime, tz: ZoneInfo) -> datetime:
    """``status --since``: as ``comments --since`` takes it, and not in the future."""
    start = parse_since(value, now, tz)
    if start > now:
        raise click.BadParameter(f"{value!r} is in the future", param_hint="--since")
    return start


def _unknown(what: str, value: str, known: Sequence[str], option: str, hint: str = "") -> NoReturn:
    """Refuse a name that matches nothing: list the real ones and the closest match."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    guess = f" Did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(known) if known else "none"
    raise click.BadParameter(
        f"no {what} {value!r}; known: {listed}.{guess}{hint}", param_hint=option
    )


def known_platforms(settings: Settings) -> list[str]:
    """Platforms something can be posted to: those with a connector (built in or configured)."""
    from connectors import REGISTRY

    return sorted(set(REGISTRY) | set(settings.connector_classes))


def _platform_choice(ctx: Context, value: str | None) -> str | None:
    if value is not None:
        known = known_platforms(ctx.settings)
        if value not in known:
            _unknown("platform", value, known, "--platform")
    return value


def _campaign_choice(ledger: Ledger, value: str | None, force: bool) -> str | None:
    """A campaign the ledger holds, or (``--force``) any valid campaign id not yet synced."""
    from campaigns.reader import ID_RE

    if value is None:
        return None
    known = ledger.campaign_ids()
    if value in known:
        return value
    if not force:
        _unknown(
            "campaign",
            value,
            known,
            "--campaign",
            " (A campaign not synced yet: run `beatpost sync` first, or add --force.)",
        )
    if not ID_RE.match(value):
        raise click.BadParameter(
            f"{value!r} cannot be a campaign id (lower-case letters, digits, '-' and '_', "
            "at most 64 characters)",
            param_hint="--campaign",
        )
    return value


@contextmanager
def _ledger_refusal() -> Iterator[None]:
    """A change the ledger refuses (``LedgerError``) ends the command with its message."""
    from store import LedgerError

    try:
        yield
    except LedgerError as exc:
        raise click.ClickException(str(exc)) from None


def _print_sync(report: SyncReport, tz: ZoneInfo) -> None:
    marks = {"add": "+", "update": "~", "cancel": "-"}
    colors = {"add": "green", "update": "yellow", "cancel": "red"}
    for change in sorted(report.changes, key=lambda c: (c.at, c.key)):
        detail = f"  ({change.detail})" if change.detail else ""
        when = local_time(change.at, tz)
        line = f"{marks[change.action]} {change.action:<6} {when}  {change.key}"
        echo(styled(line, fg=colors[change.action]) + detail)
    counts = {a: len(report.of(a)) for a in ("add", "update", "cancel")}
    summary = (
        f"{counts['add']} to add, {counts['update']} to update, {counts['cancel']} to cancel"
        if report.dry_run
        else f"{counts['add']} added, {counts['update']} updated, {counts['cancel']} cancelled"
    )
    if report.dry_run:
        summary += " (dry run: nothing written)"
    if not report.changes:
        summary = "No changes: the ledger already matches the campaign files."
    echo(summary)


def _delivery_line(d: DeliveryView, extra: str = "") -> str:
    """``#id  local time  platform  campaign/post/platform/occurrence``."""
    # Each delivery in its campaign's own time zone: the wall time the PIO wrote.
    when = d.scheduled_local.strftime("%Y-%m-%d %H:%M %Z")
    return f"  #{d.id:<5} {when}  {d.platform:<9} {d.key}{extra}"


def _print_status(report: StatusReport, tz: ZoneInfo) -> None:
    row = _delivery_line

    for pause in report.pauses:
        until = f", until {local_time(pause.until, tz)}" if pause.until else ""
        echo(
            f"PAUSED ({pause.scope}): {plain(pause.reason)} — by {pause.created_by} since "
            f"{local_time(pause.created_at, tz)}{until}  [pause {pause.id}]",
            fg="red",
            bold=True,
        )
    if report.pauses:
        echo("")
    # Reasons quote what platforms answered: inert, like everything from outside.
    sections = [
        ("Needs a person", report.attention, lambda d: f"\n      {d.state}: {plain(d.reason)}"),
        (
            "Held by a pause, their time has passed (skipped on resume unless --catch-up)",
            report.held,
            lambda d: "",
        ),
        ("Skipped in the last 7 days", report.skipped, lambda d: f"\n      {plain(d.reason)}"),
        ("Deferred", report.deferred, lambda d: f"\n      {plain(d.reason)}"),
        ("Next deliveries", report.upcoming, lambda d: ""),
        ("Published recently", report.recent, lambda d: f"\n      {d.url or d.platform_id}"),
    ]
    for title, items, extra in sections:
        if not items:
            continue
        echo(f"{title} ({len(items)}):", bold=True)
        for d in items:
            echo(row(d, extra(d)))
        echo("")
    if report.invalid_files:
        echo("Invalid campaign files (last good version kept):", bold=True, fg="red")
        for f in report.invalid_files:
            for diag in f.diagnostics[:1]:
                where = f"{f.path}:{diag.get('line')}:{diag.get('column')}"
                echo(f"  {where}: {plain(diag.get('message'))}")
            if len(f.diagnostics) > 1:
                echo(f"    ... {len(f.diagnostics) - 1} more: `beatpost validate {f.path}`")
        echo("")
    counts = ", ".join(f"{state} {n}" for state, n in sorted(report.counts.items()))
    if counts:
        echo(f"Posts by state: {counts}.")
    else:
        echo(
            "No posts planned yet: `beatpost sync` (or the daemon, `beatpost run`) plans "
            "the campaign files."
        )


def _print_daemon(daemon: DaemonState | None) -> None:
    if daemon is None:
        return
    if daemon.running:
        echo(f"Daemon: running (pid {daemon.pid}).")
    else:
        echo(
            "Daemon: NOT RUNNING — nothing is posted until `beatpost run` is started.",
            fg="red",
            bold=True,
        )
    echo("")


def _print_tokens(tokens: list[TokenExpiry]) -> None:
    for t in tokens:
        when = (
            f"expired on {t.expires:%Y-%m-%d}"
            if t.days_left < 0
            else f"expires on {t.expires:%Y-%m-%d} (in {t.days_left} days)"
        )
        echo(
            f"{t.platform} access token {when}: make a new one, put it in the secrets file "
            f"and set {t.section}.token_expires to its new expiry.",
            fg="red" if t.days_left < 0 else "yellow",
            bold=True,
        )
    if tokens:
        echo("")


def _print_unsettled_replies(replies: list[ReplyView]) -> None:
    """Replies to comments that did not go out: a person settles each (never silently lost)."""
    if not replies:
        return
    from beatpost.replying import unsettled_line

    echo(f"Replies to comments that did not go out ({len(replies)}):", bold=True)
    for r in replies:
        echo(f"  {unsettled_line(r)}", fg="yellow")
    echo("")


def _print_pull_problems(problems: list[PullProblem], tz: ZoneInfo) -> None:
    if not problems:
        return
    echo("")
    echo("Engagement pulls failing (no figures or comments until fixed):", bold=True)
    for p in problems:
        since = local_time(p.at, tz)
        echo(f"  {p.platform:<9} since {since}: {plain(p.error, 300)}", fg="red")


def _print_safety(comments: list[InboxComment], since: datetime, tz: ZoneInfo) -> None:
    """Attempts to locate or identify an officer: first thing on the screen."""
    if not comments:
        return
    echo(
        f"Officer safety — review now ({len(comments)}, since {local_time(since, tz)}):",
        fg="red",
        bold=True,
    )
    _print_comments(comments, tz)
    echo("")


def _print_replies(comments: list[InboxComment], since: datetime, tz: ZoneInfo) -> None:
    if not comments:
        return
    echo("")
    echo(f"Comments needing a reply ({len(comments)}, since {local_time(since, tz)}):", bold=True)
    _print_comments(comments, tz)


def _print_comments(comments: list[InboxComment], tz: ZoneInfo) -> None:
    for c in comments:
        # Someone else's words: one line, shortened, and inert (no escape sequence or control
        # character reaches the terminal; see beatpost/display.py).
        done = f"  ({c.mark} by {plain(c.marked_by, 40)})" if c.mark else ""
        echo(
            f"  comment {c.id:<5} {local_time(c.created_at, tz)}  {c.platform:<9} "
            f"{plain(c.author, 60)}: {plain(c.text, 100)}{done}"
        )
        if c.answer_url:
            echo(f"      {plain(c.answer_url)}")
    echo(
        "  Answer one: `beatpost reply ID --text ...`; record what was done: "
        "`beatpost comments mark ID replied|dismissed|escalated` (ID: the comment's number)."
    )


def _print_digest_sends(rows: list[DigestSend]) -> None:
    if not rows:
        return
    from analysis.digest.send import describe_send

    echo("")
    echo("Weekly digest:", bold=True)
    for row in rows:
        failed = str(row.status) == "failed"
        echo(f"  {plain(describe_send(row), 200)}", fg="red" if failed else None)


def register(cli: click.Group) -> None:
    cli.add_command(sync)
    cli.add_command(pause)
    cli.add_command(resume)
    cli.add_command(status)
    cli.add_command(retry)
    cli.add_command(skip)


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be added, updated, cancelled.")
@format_option()
@pass_ctx
def sync(ctx: Context, dry_run: bool, fmt: str) -> None:
    """Bring the delivery ledger in line with the campaign files.

    New posts are added, changed unpublished ones updated, removed ones cancelled;
    published posts never change. A file that does not validate keeps its last good
    version. With --dry-run nothing is written: a reviewer sees the effect of a change
    before it merges. Exit status 1 when a campaign file is invalid.
    """
    from beatpost.campaign_sync import load_plans, sync_plan_set

    now = system_clock()
    engine = ctx.open_engine(dry_run=dry_run)
    plan_set = load_plans(ctx.settings, now)
    report = sync_plan_set(engine, plan_set, now=now, actor=ctx.settings.actor, dry_run=dry_run)
    for note in plan_set.notes:
        echo(note, err=True)
    if fmt == "json":
        payload = {
            "dry_run": dry_run,
            "changes": [c.to_json() for c in report.changes],
            "invalid_files": plan_set.invalid_files,
        }
        echo_json(payload)
    else:
        _print_sync(report, display_zone(ctx.settings))
        for path, problems in plan_set.invalid_files.items():
            for p in problems:
                echo(
                    f"{path}:{p.get('line')}:{p.get('column')}: error: {p.get('message')}"
                    " (last good version kept)",
                    err=True,
                )
    if plan_set.invalid_files:
        raise click.exceptions.Exit(ExitStatus.ERROR)


@click.command()
@click.option("--reason", required=True, help="Why (shown in status and the audit log).")
@click.option("--platform", default=None, help="Pause one platform only.")
@click.option("--campaign", default=None, help="Pause one campaign (its id) only.")
@click.option(
    "--until", default=None, metavar="TIME", help="End by itself: 2h, 30m, or a date-time."
)
@click.option("--force", is_flag=True, help="Accept a --campaign the ledger does not hold yet.")
@pass_ctx
def pause(
    ctx: Context,
    reason: str,
    platform: str | None,
    campaign: str | None,
    until: str | None,
    force: bool,
) -> None:
    """Stop posting now (the crisis switch). Takes effect for the very next post.

    A --platform or --campaign that matches nothing is refused with the known ones; a
    campaign not synced yet needs --force."""
    now = system_clock()
    zone = display_zone(ctx.settings)
    reason = one_line(reason) or ""
    platform = _platform_choice(ctx, platform)
    end = parse_until(until, now, zone) if until else None
    ledger = _ledger(ctx)
    campaign = _campaign_choice(ledger, campaign, force)
    with _ledger_refusal():
        view = ledger.pause(
            reason=reason,
            actor=ctx.settings.actor,
            now=now,
            platform=platform,
            campaign_id=campaign,
            until=end,
        )
    until_text = f" until {local_time(view.until, zone)}" if view.until else ""
    echo(f"Paused {view.scope}{until_text} (pause {view.id}): {view.reason}")
    if view.until:
        echo(
            "Posts whose time passes meanwhile are skipped when the pause ends "
            f"(`beatpost resume --catch-up --id {view.id}` posts them after all)."
        )
    else:
        echo(
            "Posts whose time passes meanwhile will be skipped on resume "
            "(`beatpost resume --catch-up` posts them instead)."
        )


@click.command()
@click.option("--platform", default=None, help="End the pause of this platform.")
@click.option("--campaign", default=None, help="End the pause of this campaign.")
@click.option(
    "--id", "pause_id", type=RecordNumber("pause"), default=None, help="End this pause only."
)
@click.option("--catch-up", is_flag=True, help="Post what passed during the pause, now.")
@pass_ctx
def resume(
    ctx: Context,
    platform: str | None,
    campaign: str | None,
    pause_id: int | None,
    catch_up: bool,
) -> None:
    """End pauses (all, the one with this scope, or the one with this id)."""
    zone = display_zone(ctx.settings)
    platform = _platform_choice(ctx, platform)
    with _ledger_refusal():
        report = _ledger(ctx).resume(
            actor=ctx.settings.actor,
            platform=platform,
            campaign_id=campaign,
            pause_id=pause_id,
            catch_up=catch_up,
        )
    for view in report.ended:
        echo(f"Resumed {view.scope} (pause {view.id}: {view.reason}).")
    for view in report.ended_before:
        echo(
            f"Pause {view.id} ({view.scope}: {view.reason}) ended by itself at "
            f"{local_time(view.ended_at, zone)}; catching up what it skipped."
        )
    if not (report.caught_up if catch_up else report.skipped):
        echo("No post was due during the pause: nothing was skipped.")
    elif catch_up:
        posts = (
            "post due during the pause goes"
            if len(report.caught_up) == 1
            else ("posts due during the pause go")
        )
        echo(f"{len(report.caught_up)} {posts} out now:")
        for d in report.caught_up:
            echo(_delivery_line(d))
    else:
        posts = "post was" if len(report.skipped) == 1 else "posts were"
        echo(f"{len(report.skipped)} {posts} due during the pause and skipped:")
        for d in report.skipped:
            echo(_delivery_line(d))
        if report.skipped:
            echo("To send one after all: `beatpost retry ID`.")


@click.command()
@click.option(
    "--since",
    default=None,
    metavar="WHEN",
    help="List comments needing a reply written since WHEN: a date (2026-11-23, today, "
    "yesterday), a date-time or an age (7d), as `beatpost comments` takes it. "
    "Default: the Monday of the week the latest weekly digest covers.",
)
@format_option()
@pass_ctx
def status(ctx: Context, since: str | None, fmt: str) -> None:
    """Pauses, what needs a person, posts held or skipped, next deliveries, recent posts
    with links, invalid campaign files, comments that need a reply, and digest sends."""
    from beatpost.status import gather_status

    now = system_clock()
    zone = display_zone(ctx.settings)
    since_at = _status_since(since, now, zone) if since else None
    status = gather_status(ctx.open_engine(), ctx.settings, now, since_at)
    if fmt == "json":
        echo_json(status.to_json())
    else:
        _print_safety(status.safety, status.needs_reply_since, zone)
        _print_daemon(status.daemon)
        _print_tokens(status.tokens)
        _print_unsettled_replies(status.replies)
        _print_status(status.ledger, zone)
        _print_pull_problems(status.pull_problems, zone)
        _print_replies(status.needs_reply, status.needs_reply_since, zone)
        _print_digest_sends(status.digests)


@click.command()
@click.argument("delivery_id", type=RecordNumber("delivery"), metavar="ID")
@pass_ctx
def retry(ctx: Context, delivery_id: int) -> None:
    """Plan a failed, unknown or skipped delivery again, to go out now.

    For an unknown one, first check the account: it may have been posted.
    """
    with _ledger_refusal():
        view = _ledger(ctx).retry(delivery_id, actor=ctx.settings.actor)
    echo(f"Delivery {view.id} ({view.key}) is planned again and goes out now.")


@click.command()
@click.argument("delivery_id", type=RecordNumber("delivery"), metavar="ID")
@click.option("--reason", default=None, help="Why (kept in the audit log).")
@pass_ctx
def skip(ctx: Context, delivery_id: int, reason: str | None) -> None:
    """Give up on a planned, failed or unknown delivery."""
    reason = one_line(reason)
    with _ledger_refusal():
        view = _ledger(ctx).skip(delivery_id, actor=ctx.settings.actor, reason=reason)
    echo(f"Delivery {view.id} ({view.key}) skipped.")
