"""Time, said once: the ISO week, the zones dates are shown and counted in, and the clock.

Every report, digest and status line counts weeks with ``IsoWeek`` and reads its zone from
``week_zone`` or ``display_zone``; code that needs "now" takes a clock and defaults to
``system_clock`` so a test or the sandbox can pass its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.settings import Settings

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


#: What code that needs "now" takes, so a test or the sandbox can pass its own.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current aware UTC instant: the one clock of analysis and beatpost (the store stamps
    its rows with ``store.timeutil.utc_now``, as it imports nothing of theirs)."""
    return datetime.now(UTC)


def week_zone(settings: Settings) -> ZoneInfo:
    """The zone whose weeks reports and the digest count: ``digest.timezone``, else
    ``default_timezone``."""
    return ZoneInfo(settings.digest.timezone or settings.default_timezone)


def display_zone(settings: Settings) -> ZoneInfo:
    """The zone the ledger's dates and times are shown in: ``default_timezone``."""
    return ZoneInfo(settings.default_timezone)


class WeekError(ValueError):
    """A week label could not be read; the message says what was expected."""

    def __init__(self, text: str, reason: str = "expected an ISO week like 2027-W10"):
        self.text = text
        super().__init__(f"week {text!r}: {reason}")


def _check_week(text: str, year: int, week: int) -> None:
    # 28 December always falls in the last ISO week of its year.
    last = date(year, 12, 28).isocalendar().week
    if not 1 <= week <= last:
        raise WeekError(text, f"{year} has ISO weeks 1 to {last}")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week: Monday to Sunday, numbered 1..52 or 53 within its ISO year."""

    year: int
    week: int

    def __post_init__(self) -> None:
        _check_week(f"{self.year}-W{self.week:02d}", self.year, self.week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2027-W10``, ``2027W9`` or ``2026-w53``; ``WeekError`` otherwise."""
        match = _ISO_WEEK.match(text.strip())
        if not match:
            raise WeekError(text)
        year, week = int(match.group(1)), int(match.group(2))
        _check_week(text, year, week)
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def of(cls, instant: datetime, zone: ZoneInfo) -> IsoWeek:
        """The week ``instant`` falls in, as a reader in ``zone`` counts it."""
        return cls.containing(instant.astimezone(zone).date())

    @classmethod
    def last_complete(cls, now: datetime, zone: ZoneInfo) -> IsoWeek:
        """The most recent week that has fully ended in ``zone`` at ``now``.

        A digest sent on Monday morning reports on the week that ended at midnight.
        """
        return cls.of(now, zone).previous()

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday - timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.monday + timedelta(days=7))

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight Monday to local midnight the next Monday.

        Local midnight is resolved by ``zoneinfo`` (fold=0); a week spanning a DST change is
        167 or 169 hours long, which is what a reader in that zone means by "last week".
        """
        start = datetime.combine(self.monday, time(0), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def local_dates(self, zone: ZoneInfo) -> tuple[date, date]:
        """[Monday, next Monday) as local dates in ``zone``."""
        start, end = self.bounds(zone)
        return start.astimezone(zone).date(), end.astimezone(zone).date()

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"
