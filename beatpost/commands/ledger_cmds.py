"""The ledger and the daemon: ``sync``, ``run``, ``pause``, ``resume``, ``status``, ``retry``,
``skip``. Parse, call ``store`` / ``beatpost.daemon``, format. Nothing else."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

from beatpost.cli import ExitStatus, format_option, pass_ctx
from beatpost.display import machine_json, plain

_DURATION = re.compile(r"^(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def _engine(ctx: Any, *, dry_run: bool = False) -> Any:
    return ctx.open_engine(dry_run=dry_run)


def _ledger(ctx: Any) -> Any:
    from store import Ledger

    return Ledger(_engine(ctx), owner=f"cli ({ctx.settings.actor})")


def _zone(ctx: Any) -> ZoneInfo:
    return ZoneInfo(ctx.settings.default_timezone)


def _local(at: datetime | None, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if at else "-"


def parse_until(value: str, now: datetime, tz: ZoneInfo) -> datetime:
    """``2h`` / ``30m`` / ``1d`` from now, or a date-time (``2026-11-26 08:00``; local to
    the default time zone unless it carries an offset)."""
    match = _DURATION.match(value.strip())
    if match:
        return now + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use a duration (30m, 2h, 1d) or a date-time (2026-11-26 08:00)",
            param_hint="--until",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _platform_choice(value: str | None) -> str | None:
    from connectors import PLATFORMS

    if value is not None and value not in PLATFORMS:
        raise click.BadParameter(
            f"unknown platform {value!r}; known: {', '.join(PLATFORMS)}", param_hint="--platform"
        )
    return value


def _ledger_error(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


def _print_sync(report: Any, tz: ZoneInfo) -> None:
    marks = {"add": "+", "update": "~", "cancel": "-"}
    colors = {"add": "green", "update": "yellow", "cancel": "red"}
    for change in sorted(report.changes, key=lambda c: (c.at, c.key)):
        detail = f"  ({change.detail})" if change.detail else ""
        line = f"{marks[change.action]} {change.action:<6} {_local(change.at, tz)}  {change.key}"
        click.echo(click.style(line, fg=colors[change.action]) + detail)
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
    click.echo(summary)


def _print_status(report: Any, tz: ZoneInfo) -> None:
    def row(d: Any, extra: str = "") -> str:
        # Each delivery in its campaign's own time zone: the wall time the PIO wrote.
        when = d.scheduled_local.strftime("%Y-%m-%d %H:%M %Z")
        return f"  #{d.id:<5} {when}  {d.platform:<9} {d.key}{extra}"

    for pause in report.pauses:
        until = f", until {_local(pause.until, tz)}" if pause.until else ""
        click.secho(
            f"PAUSED ({pause.scope}): {pause.reason} — by {pause.created_by} since "
            f"{_local(pause.created_at, tz)}{until}  [pause {pause.id}]",
            fg="red",
            bold=True,
        )
    if report.pauses:
        click.echo("")
    # Reasons quote what platforms answered: inert, like everything from outside.
    sections = [
        ("Needs a person", report.attention, lambda d: f"\n      {d.state}: {plain(d.reason)}"),
        ("Deferred", report.deferred, lambda d: f"\n      {plain(d.reason)}"),
        ("Next deliveries", report.upcoming, lambda d: ""),
        ("Published recently", report.recent, lambda d: f"\n      {d.url or d.platform_id}"),
    ]
    for title, items, extra in sections:
        if not items:
            continue
        click.secho(f"{title} ({len(items)}):", bold=True)
        for d in items:
            click.echo(row(d, extra(d)))
        click.echo("")
    if report.invalid_files:
        click.secho("Invalid campaign files (last good version kept):", bold=True, fg="red")
        for f in report.invalid_files:
            for d in f.diagnostics[:1]:
                click.echo(
                    f"  {f.path}:{d.get('line')}:{d.get('column')}: {plain(d.get('message'))}"
                )
            if len(f.diagnostics) > 1:
                click.echo(f"    ... {len(f.diagnostics) - 1} more: `beatpost validate {f.path}`")
        click.echo("")
    counts = ", ".join(f"{state} {n}" for state, n in sorted(report.counts.items()))
    click.echo(f"Ledger: {counts or 'empty'}.")


REPLY_DAYS = 7
DIGEST_ROWS = 3  # the latest weekly sends shown by status


def _daemon_state(engine: Any) -> dict[str, Any] | None:
    """Whether a daemon runs on this SQLite database (None: cannot tell, e.g. PostgreSQL)."""
    from beatpost.singleton import DaemonLock
    from store import sqlite_path

    database = sqlite_path(engine)
    if database is None:
        return None
    pid = DaemonLock(database).holder()
    return {"running": pid is not None, "pid": pid}


def _print_daemon(daemon: dict[str, Any] | None) -> None:
    if daemon is None:
        return
    if daemon["running"]:
        click.echo(f"Daemon: running (pid {daemon['pid']}).")
    else:
        click.secho(
            "Daemon: NOT RUNNING — nothing is posted until `beatpost run` is started.",
            fg="red",
            bold=True,
        )
    click.echo("")


def _comments_needing_reply(engine: Any, now: datetime) -> list[Any]:
    """Comments of the last week flagged ``needs_reply`` (a question a recruiter answers)."""
    from store.engine import read_session
    from store.metrics import comments_between

    with read_session(engine) as session:
        recent = comments_between(session, now - timedelta(days=REPLY_DAYS), now)
    return [c for c in recent if "needs_reply" in (c.flags or [])]


def _comment_json(comment: Any) -> dict[str, Any]:
    return {
        "platform": comment.platform,
        "delivery_id": comment.delivery_id,
        "author": comment.author,
        "text": comment.text,
        "url": comment.url,
        "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
    }


def _print_replies(comments: list[Any], tz: ZoneInfo) -> None:
    if not comments:
        return
    click.echo("")
    click.secho(f"Comments needing a reply ({len(comments)}, last {REPLY_DAYS} days):", bold=True)
    for c in comments:
        # Someone else's words: one line, shortened, and inert (no escape sequence or control
        # character reaches the terminal; see beatpost/display.py).
        click.echo(
            f"  {_local(c.created_at, tz)}  {c.platform:<9} {plain(c.author, 60)}: "
            f"{plain(c.text, 100)}"
        )
        if c.url:
            click.echo(f"      {plain(c.url)}")


def _digest_sends(engine: Any) -> list[Any]:
    """The latest weekly digest sends (sent, failed with its error, or in progress)."""
    from analysis.digest.send import digest_sends

    return digest_sends(engine, limit=DIGEST_ROWS)


def _digest_json(row: Any) -> dict[str, Any]:
    from analysis.digest.send import describe_send

    return {
        "week": row.week,
        "status": str(row.status),
        "attempts": row.attempts,
        "recipients": row.recipient_count,
        "last_error": row.last_error,
        "summary": describe_send(row),
    }


def _print_digest_sends(rows: list[Any]) -> None:
    if not rows:
        return
    from analysis.digest.send import describe_send

    click.echo("")
    click.secho("Weekly digest:", bold=True)
    for row in rows:
        failed = str(row.status) == "failed"
        click.secho(f"  {plain(describe_send(row), 200)}", fg="red" if failed else None)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--dry-run", is_flag=True, help="Show what would be added, updated, cancelled.")
    @format_option("text", "json", default="text")
    @pass_ctx
    def sync(ctx: Any, dry_run: bool, fmt: str) -> None:
        """Bring the delivery ledger in line with the campaign files.

        New posts are added, changed unpublished ones updated, removed ones cancelled;
        published posts never change. A file that does not validate keeps its last good
        version. With --dry-run nothing is written: a reviewer sees the effect of a change
        before it merges. Exit status 1 when a campaign file is invalid.
        """
        from beatpost.planning import apply, load_plans

        now = datetime.now(UTC)
        engine = _engine(ctx, dry_run=dry_run)
        plan_set = load_plans(ctx.settings, now)
        report = apply(engine, plan_set, now=now, actor=ctx.settings.actor, dry_run=dry_run)
        for note in plan_set.notes:
            click.echo(note, err=True)
        if fmt == "json":
            payload = {
                "dry_run": dry_run,
                "changes": [c.to_json() for c in report.changes],
                "invalid_files": plan_set.invalid_files,
            }
            click.echo(machine_json(payload))
        else:
            _print_sync(report, _zone(ctx))
            for path, problems in plan_set.invalid_files.items():
                for p in problems:
                    click.echo(
                        f"{path}:{p.get('line')}:{p.get('column')}: error: {p.get('message')}"
                        " (last good version kept)",
                        err=True,
                    )
        if plan_set.invalid_files:
            raise click.exceptions.Exit(ExitStatus.ERROR)

    @cli.command()
    @pass_ctx
    def run(ctx: Any) -> None:
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
        engine = _engine(ctx)
        try:
            status = Daemon(settings, engine=engine).run()
        except AlreadyRunning as exc:
            raise click.ClickException(str(exc)) from None
        raise click.exceptions.Exit(status)

    @cli.command()
    @click.option("--reason", required=True, help="Why (shown in status and the audit log).")
    @click.option("--platform", default=None, help="Pause one platform only.")
    @click.option("--campaign", default=None, help="Pause one campaign (its id) only.")
    @click.option(
        "--until", default=None, metavar="TIME", help="End by itself: 2h, 30m, or a date-time."
    )
    @pass_ctx
    def pause(
        ctx: Any, reason: str, platform: str | None, campaign: str | None, until: str | None
    ) -> None:
        """Stop posting now (the crisis switch). Takes effect for the very next post."""
        from store import LedgerError

        now = datetime.now(UTC)
        platform = _platform_choice(platform)
        end = parse_until(until, now, _zone(ctx)) if until else None
        try:
            view = _ledger(ctx).pause(
                reason=reason,
                actor=ctx.settings.actor,
                now=now,
                platform=platform,
                campaign_id=campaign,
                until=end,
            )
        except LedgerError as exc:
            raise _ledger_error(exc) from None
        until_text = f" until {_local(view.until, _zone(ctx))}" if view.until else ""
        click.echo(f"Paused {view.scope}{until_text} (pause {view.id}): {view.reason}")
        click.echo(
            "Posts whose time passes meanwhile will be skipped on resume "
            "(`beatpost resume --catch-up` posts them instead)."
        )

    @cli.command()
    @click.option("--platform", default=None, help="End the pause of this platform.")
    @click.option("--campaign", default=None, help="End the pause of this campaign.")
    @click.option("--id", "pause_id", type=int, default=None, help="End this pause only.")
    @click.option("--catch-up", is_flag=True, help="Post what passed during the pause, now.")
    @pass_ctx
    def resume(
        ctx: Any, platform: str | None, campaign: str | None, pause_id: int | None, catch_up: bool
    ) -> None:
        """End pauses (all, the one with this scope, or the one with this id)."""
        from store import LedgerError

        try:
            ended, skipped, caught = _ledger(ctx).resume(
                actor=ctx.settings.actor,
                platform=_platform_choice(platform),
                campaign_id=campaign,
                pause_id=pause_id,
                catch_up=catch_up,
            )
        except LedgerError as exc:
            raise _ledger_error(exc) from None
        for view in ended:
            click.echo(f"Resumed {view.scope} (pause {view.id}: {view.reason}).")
        if catch_up:
            click.echo(f"{caught} delivery(ies) that passed during the pause go out now.")
        else:
            click.echo(f"{skipped} delivery(ies) that passed during the pause were skipped.")

    @cli.command()
    @format_option("text", "json", default="text")
    @pass_ctx
    def status(ctx: Any, fmt: str) -> None:
        """Pauses, what needs a person, next deliveries, recent posts with links, invalid
        campaign files, comments of the last week that need a reply, and digest sends."""
        ledger = _ledger(ctx)
        report = ledger.status()
        replies = _comments_needing_reply(ledger.engine, report.now)
        daemon = _daemon_state(ledger.engine)
        digests = _digest_sends(ledger.engine)
        if fmt == "json":
            payload = report.to_json()
            payload["daemon"] = daemon
            payload["needs_reply"] = [_comment_json(c) for c in replies]
            payload["digest"] = [_digest_json(row) for row in digests]
            click.echo(machine_json(payload))
        else:
            _print_daemon(daemon)
            _print_status(report, _zone(ctx))
            _print_replies(replies, _zone(ctx))
            _print_digest_sends(digests)

    @cli.command()
    @click.argument("delivery_id", type=int, metavar="ID")
    @pass_ctx
    def retry(ctx: Any, delivery_id: int) -> None:
        """Plan a failed, unknown or skipped delivery again, to go out now.

        For an unknown one, first check the account: it may have been posted.
        """
        from store import LedgerError

        try:
            view = _ledger(ctx).retry(delivery_id, actor=ctx.settings.actor)
        except LedgerError as exc:
            raise _ledger_error(exc) from None
        click.echo(f"Delivery {view.id} ({view.key}) is planned again and goes out now.")

    @cli.command()
    @click.argument("delivery_id", type=int, metavar="ID")
    @click.option("--reason", default=None, help="Why (kept in the audit log).")
    @pass_ctx
    def skip(ctx: Any, delivery_id: int, reason: str | None) -> None:
        """Give up on a planned, failed or unknown delivery."""
        from store import LedgerError

        try:
            view = _ledger(ctx).skip(delivery_id, actor=ctx.settings.actor, reason=reason)
        except LedgerError as exc:
            raise _ledger_error(exc) from None
        click.echo(f"Delivery {view.id} ({view.key}) skipped.")
