"""When: the clock callers pass in, and when a week's digest is due."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from analysis.timeframe import IsoWeek, week_zone
from config.settings import DigestSettings, Settings

#: A callable returning an aware "now", or an object with ``now()`` (the sandbox's SimClock).
Clock = Callable[[], datetime] | Any

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def now_from(clock: Clock) -> datetime:
    now = clock.now() if hasattr(clock, "now") else clock()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the clock must return aware datetimes")
    return now


def send_time(cfg: DigestSettings) -> time:
    """``digest.send_time`` ("07:00", "7:00"); ValueError naming the setting otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", cfg.send_time)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"digest.send_time {cfg.send_time!r} is not a time of day like 07:00")
    return time(int(match[1]), int(match[2]))


def send_moment(week: IsoWeek, cfg: DigestSettings, zone: ZoneInfo) -> datetime:
    """When ``week``'s digest is due (UTC): the first ``send_day`` after it, at ``send_time``.

    ``send_time`` is a local wall time; on a DST change day zoneinfo resolves it (fold=0).
    """
    day = week.sunday + timedelta(days=1 + _DAYS.index(cfg.send_day))
    local = datetime.combine(day, send_time(cfg), tzinfo=zone)
    return local.astimezone(UTC)


#: How long after its send time a week's digest is still worth sending (or retrying).
CATCH_UP = timedelta(days=3)


def due_week(settings: Settings, now: datetime) -> IsoWeek | None:
    """The week whose digest should go out at ``now``, or None.

    Only the most recent complete week is ever due, from its send time until ``CATCH_UP``
    later: a daemon that was down on Monday morning sends it when it starts on Monday
    afternoon; one started on Sunday night does not mail out a six-day-old digest (a
    ``failed`` row left in the ledger says it never went, and ``beatpost digest --send``
    still can).
    """
    zone = week_zone(settings)
    week = IsoWeek.last_complete(now, zone)
    moment = send_moment(week, settings.digest, zone)
    return week if moment <= now < moment + CATCH_UP else None
