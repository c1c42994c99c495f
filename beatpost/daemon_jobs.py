"""The daemon's periodic work besides posting: engagement pulls and the weekly digest.

Listed in ``beatpost.daemon.JOB_MODULES``; ``schedule(daemon)`` adds the jobs when the daemon
starts. The job bodies (``pull_engagement``, ``send_digest_if_due``) are plain functions of
the daemon, so ``beatpost demo`` and tests run the very same code on a simulated clock.

Both use the daemon's clock, engine and connector factory: the connectors that post are the
ones that measure, and a simulated clock moves everything together.
"""

from __future__ import annotations

import logging
from datetime import UTC
from typing import TYPE_CHECKING

from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from analysis.digest.timing import send_time
from analysis.timeframe import week_zone
from beatpost.pull import PullReport, run_pull

if TYPE_CHECKING:
    from analysis.digest.send import SendResult
    from beatpost.daemon import Daemon

log = logging.getLogger("beatpost.daemon_jobs")

_DAY_ABBREVIATIONS = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
#: How often the digest job looks whether last week's digest is due and not yet sent: after
#: a daemon was down at the send moment, or to retry a failed send once its backoff is over.
DIGEST_CHECK_MINUTES = 15


class _Stopping(Exception):
    """The daemon is stopping: the pull ends between two requests."""


def pull_engagement(daemon: Daemon) -> PullReport:
    """Pull what is due now (metrics and comments) with the daemon's connectors and clock.

    A stopping daemon ends the pull between two requests (what was pulled is kept; the rest
    is pulled by the next run), so a long pull never holds up a shutdown."""

    def stop_between_requests(_done: int, _total: int, _platform: str) -> None:
        if daemon.stopping:
            raise _Stopping

    started = daemon.clock()
    try:
        report = run_pull(
            daemon.settings,
            daemon.engine,
            daemon.publisher.connector_for,
            daemon.clock,
            stop_between_requests,
        )
    except _Stopping:
        log.info("pull stopped: the daemon is stopping")
        return PullReport(started_at=started, skipped="the daemon is stopping")
    snapshots, comments = report.total("snapshots"), report.total("new_comments")
    if snapshots or comments:
        log.info("pull: %d snapshot(s), %d new comment(s)", snapshots, comments)
    return report


def digest_wanted(daemon: Daemon) -> bool:
    cfg = daemon.settings.digest
    return cfg.enabled and bool(cfg.recipients)


def send_digest_if_due(daemon: Daemon) -> SendResult | None:
    """Send last week's digest once its send moment has passed; ``None`` when not yet due.

    The digest records each week's send, so calling this often is harmless: a week goes out
    once, however many daemons ask, and a failed send is retried after its backoff.
    """
    # Imported here: rendering loads matplotlib, which a daemon start should not wait for.
    from analysis.digest.send import send_due_digest
    from beatpost.spending import digest_builder

    clock = daemon.clock
    result = send_due_digest(
        daemon.settings, daemon.engine, lambda: clock(), build=digest_builder()
    )
    if result is None:
        return None
    if result.outcome == "sent":
        log.info("digest %s sent", result.week)
    elif result.outcome in ("failed", "retry_later", "no_recipients", "not_configured"):
        log.warning("digest %s not sent (%s): %s", result.week, result.outcome, result.error)
    return result


def digest_trigger(daemon: Daemon) -> OrTrigger:
    """At the configured moment, and every ``DIGEST_CHECK_MINUTES`` in between.

    ValueError (naming the setting) when ``digest.send_time`` is not a time of day.
    """
    settings = daemon.settings
    at = send_time(settings.digest)
    at_send_time = CronTrigger(
        day_of_week=_DAY_ABBREVIATIONS[settings.digest.send_day],
        hour=at.hour,
        minute=at.minute,
        timezone=week_zone(settings),
    )
    return OrTrigger([at_send_time, IntervalTrigger(minutes=DIGEST_CHECK_MINUTES, timezone=UTC)])


def schedule(daemon: Daemon) -> None:
    settings = daemon.settings
    daemon.add_job(
        "engagement-pull",
        lambda: pull_engagement(daemon),
        IntervalTrigger(minutes=settings.pull.interval_minutes, timezone=UTC),
    )
    if not digest_wanted(daemon):
        reason = "disabled" if not settings.digest.enabled else "no digest.recipients set"
        log.info("weekly digest not scheduled: %s", reason)
        return
    from analysis.digest.send import address_problems

    unaddressed = address_problems(settings.digest)
    if unaddressed:
        log.warning("weekly digest not scheduled: %s", "; ".join(unaddressed))
        return
    try:
        trigger = digest_trigger(daemon)
    except ValueError as exc:  # a digest setting is wrong: posting must go on regardless
        log.error("weekly digest not scheduled: %s", exc)
        return
    daemon.add_job("weekly-digest", lambda: send_digest_if_due(daemon), trigger)
