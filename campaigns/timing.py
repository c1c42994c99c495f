"""Local wall times to UTC instants, reminder offsets, and recurrence rules.

The DST rule, applied everywhere a wall time becomes an instant:
- a wall time inside a spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00)
  goes out at the first valid instant after the gap (03:00 local);
- a wall time that happens twice in a fall-back fold (01:30 when clocks go from 02:00 back to
  01:00) goes out at its first occurrence (the earlier instant, still on summer time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrule, rrulestr

from campaigns.bounds import MAX_REMINDER_DAYS


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when there is no such zone."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall time in ``tz``, by the DST rule above."""
    first = wall.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant  # valid wall time; fold=0 is the first of two in a fold
    # In a gap: fold=0 reads the wall time with the offset before the jump, which lands after
    # the transition; fold=1 uses the offset after it, which lands before. The transition
    # (the first valid instant after the gap) lies between; find it to the second.
    late = int(instant.timestamp())
    early = int(wall.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp())
    if early > late:
        early, late = late, early
    before = _offset_at(early, tz)
    while late - early > 1:
        middle = (early + late) // 2
        if _offset_at(middle, tz) == before:
            early = middle
        else:
            late = middle
    return datetime.fromtimestamp(late, UTC)


def _offset_at(timestamp: int, tz: ZoneInfo) -> timedelta | None:
    return datetime.fromtimestamp(timestamp, UTC).astimezone(tz).utcoffset()


def day_start_utc(day: date, tz: ZoneInfo) -> datetime:
    return to_utc(datetime.combine(day, time(0, 0)), tz)


# -- reminder offsets ------------------------------------------------------------------------

_OFFSET_RE = re.compile(r"^([+-]?)(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


@dataclass(frozen=True, slots=True)
class Offset:
    """Time before an event. Days and weeks are calendar days (same wall time, DST or not);
    hours and minutes are elapsed time."""

    days: int
    seconds: int

    @property
    def label(self) -> str:
        """Canonical spelling, used in delivery keys (``-14d``, ``-2h``, ``-1d12h``)."""
        hours, rest = divmod(self.seconds, 3600)
        minutes = rest // 60
        parts = [
            f"{self.days}d" if self.days else "",
            f"{hours}h" if hours else "",
            f"{minutes}m" if minutes else "",
        ]
        return "-" + "".join(parts)

    @property
    def when(self) -> str:
        """How far ahead, in words, for reminder texts: 'tomorrow', 'in two weeks'."""
        hours, rest = divmod(self.seconds, 3600)
        minutes = rest // 60
        if self.days and not self.seconds:
            if self.days == 1:
                return "tomorrow"
            if self.days % 7 == 0:
                weeks = self.days // 7
                return "in one week" if weeks == 1 else f"in {_words(weeks)} weeks"
            return f"in {self.days} days"
        if not self.days and self.seconds:
            if not minutes:
                return "in one hour" if hours == 1 else f"in {hours} hours"
            if not hours:
                return f"in {_unit(minutes, 'minute')}"
            return f"in {_unit(hours, 'hour')} and {_unit(minutes, 'minute')}"
        total_hours = self.days * 24 + hours
        tail = f" and {_unit(minutes, 'minute')}" if minutes else ""
        return f"in {_unit(total_hours, 'hour')}{tail}"

    def before(self, event_wall: datetime, tz: ZoneInfo) -> datetime:
        """The UTC instant of this reminder for an event starting at ``event_wall`` in ``tz``."""
        calendar_day = to_utc(event_wall - timedelta(days=self.days), tz)
        return calendar_day - timedelta(seconds=self.seconds)


def _unit(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _words(n: int) -> str:
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return names[n] if n < len(names) else str(n)


def parse_offset(text: str) -> Offset | str:
    """An Offset, or a message saying what is wrong with ``text``."""
    raw = text.strip().replace(" ", "")
    match = _OFFSET_RE.match(raw)
    if not match or not any(match.group(i) for i in range(2, 6)):
        return (
            f"{text!r} is not a time before the event; write it like -14d, -7d, -1d, -2h "
            "or -30m (w = weeks, d = days, h = hours, m = minutes)"
        )
    sign = match.group(1)
    too_far = f"{text!r}: a reminder goes out at most {MAX_REMINDER_DAYS} days before the event"
    if any(len(match.group(i) or "") > 6 for i in range(2, 6)):
        return too_far  # before int(): a number of thousands of digits is itself a cost
    weeks, days, hours, minutes = (int(match.group(i) or 0) for i in range(2, 6))
    if (weeks * 7 + days) * 1440 + hours * 60 + minutes > MAX_REMINDER_DAYS * 1440:
        return too_far
    offset = Offset(weeks * 7 + days, hours * 3600 + minutes * 60)
    if sign != "-":
        return (
            f"reminders go out before the event starts; write -{raw.lstrip('+')} "
            f"for {raw.lstrip('+')} before the start"
        )
    if offset.days == 0 and offset.seconds == 0:
        return "a reminder at the very start of the event is not a reminder; use -1h or earlier"
    return offset


# -- recurrence ------------------------------------------------------------------------------

_SUB_DAILY = {"HOURLY", "MINUTELY", "SECONDLY"}
_TIME_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND"}
_FREQS = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY"} | _SUB_DAILY


@dataclass(frozen=True)
class Rule:
    """A checked RRULE: the rule text without prefix, and whether it ends on its own."""

    text: str
    bounded: bool


def check_rule(text: str) -> Rule | str:
    """Check an RFC 5545 RRULE as far as it can be checked without a start; else a message."""
    raw = text.strip()
    if raw.upper().startswith("RRULE:"):
        raw = raw[6:]
    if "\n" in raw or "DTSTART" in raw.upper():
        return "give only the RRULE (FREQ=...;...) here; the start goes in start: and time:"
    parts: dict[str, str] = {}
    for piece in filter(None, raw.split(";")):
        name, sep, value = piece.partition("=")
        if not sep:
            return f"{piece!r} in the rule is not NAME=VALUE (e.g. FREQ=WEEKLY;BYDAY=WE)"
        parts[name.strip().upper()] = value.strip()
    freq = parts.get("FREQ", "").upper()
    if not freq:
        return "the rule needs a FREQ, e.g. FREQ=WEEKLY;BYDAY=WE"
    if freq not in _FREQS:
        return f"unknown FREQ {freq!r}; use DAILY, WEEKLY, MONTHLY or YEARLY"
    if freq in _SUB_DAILY:
        return "campaign posts repeat at most daily; use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"
    if _TIME_PARTS & parts.keys():
        return 'put the time of day in time: (e.g. time: "12:00"), not BYHOUR/BYMINUTE'
    until = parts.get("UNTIL", "")
    if until.upper().endswith("Z"):
        return (
            "write UNTIL as a local date (UNTIL=20270526), without the Z; the campaign's "
            "timezone applies"
        )
    if re.fullmatch(r"\d{8}", until):
        # A date-only UNTIL includes that whole day (dateutil would stop at its midnight,
        # silently dropping a post scheduled later on the last day).
        parts["UNTIL"] = until + "T235959"
        raw = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        rrulestr(raw, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        return f"not a valid RRULE: {exc}"
    return Rule(raw, bounded="UNTIL" in parts or "COUNT" in parts)


@lru_cache(maxsize=4096)
def _compiled(rule_text: str, dtstart: datetime) -> rrule:
    return rrulestr(rule_text, dtstart=dtstart)  # type: ignore[return-value]


def wall_times(rule: Rule, dtstart: datetime, until: datetime | None, limit: int) -> list[datetime]:
    """Naive local wall times of ``rule`` from ``dtstart`` up to ``until`` (inclusive).

    At most ``limit + 1`` are returned, so the caller can tell that a rule produced too many.
    """
    out: list[datetime] = []
    try:
        for wall in _compiled(rule.text, dtstart):
            if until is not None and wall > until:
                break
            out.append(wall)
            if len(out) > limit:
                break
    except (ValueError, OverflowError):
        pass  # the rule ran past year 9999: nothing after that can be posted anyway
    return out
