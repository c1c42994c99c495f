"""When each published delivery is measured: pure functions of its publication time.

A delivery is measured at fixed ages after publication (``settings.pull.ages``: 1h, 6h,
24h, 3d, 7d, 30d). Two tracks share those ages: *metrics* (``fetch_metrics``) and
*comments* (``fetch_comments``). Each track stops where the platform stops giving data,
as declared in its ``PlatformLimits``: X searches replies for 7 days only
(``comments_window_days``) and gives non-public metrics for 30 days
(``private_metrics_days``).

A slot that falls at or beyond such a window is pulled in to ``margin`` before the window
closes, so the last measurement the platform allows is still taken by a pull that runs every
few minutes; a slot that would then land on or before an earlier slot is dropped.

Progress along a track is one value kept in the pull cursor: the label of the next pending
slot (``None`` once the track is finished). Labels rather than indexes are stored so that
editing ``settings.pull.ages`` later does not shift what a cursor means.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.base import PlatformLimits

#: How long before a data window closes its last slot is taken (see module docstring).
WINDOW_MARGIN = timedelta(hours=1)

_AGE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNIT = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ScheduleError(ValueError):
    """``settings.pull.ages`` holds something that is not an age; the message names it."""


def parse_age(text: str) -> timedelta:
    """``"6h"`` -> 6 hours. Units: m (minutes), h, d, w."""
    match = _AGE.match(text)
    if not match or int(match.group(1)) == 0:
        raise ScheduleError(
            f"pull.ages: {text!r} is not an age; use a positive number and a unit, like 6h or 3d"
        )
    return timedelta(**{_UNIT[match.group(2).lower()]: int(match.group(1))})


@dataclass(frozen=True)
class Slot:
    """One measurement: ``label`` as configured, ``offset`` after publication when it is due.

    ``offset`` equals the nominal age except for a slot pulled inside a data window.
    """

    label: str
    age: timedelta
    offset: timedelta


@dataclass(frozen=True)
class Schedule:
    """The metrics and comments slots of one platform, and how long each track has data."""

    metrics: tuple[Slot, ...]
    comments: tuple[Slot, ...]
    metrics_window: timedelta | None = None
    comments_window: timedelta | None = None


def _days(value: int | None) -> timedelta | None:
    return timedelta(days=value) if value else None


def _fit(slots: Sequence[Slot], window: timedelta | None, margin: timedelta) -> tuple[Slot, ...]:
    if window is None:
        return tuple(slots)
    cutoff = window - margin
    fitted: list[Slot] = []
    for slot in slots:
        offset = min(slot.offset, cutoff)
        if fitted and offset <= fitted[-1].offset:
            continue  # pulled in onto an earlier slot: nothing new to measure
        if offset <= timedelta(0):
            continue
        fitted.append(Slot(slot.label, slot.age, offset))
    return tuple(fitted)


def build_schedule(
    ages: Sequence[str], limits: PlatformLimits, margin: timedelta = WINDOW_MARGIN
) -> Schedule:
    """The slots of one platform for the configured ``ages`` (any order; duplicates merged)."""
    parsed = sorted({parse_age(text): text.strip() for text in ages}.items())
    if not parsed:
        raise ScheduleError('pull.ages: at least one age is needed, like ["1h", "24h"]')
    slots = [Slot(label, age, age) for age, label in parsed]
    metrics_window = _days(limits.private_metrics_days)
    comments_window = _days(limits.comments_window_days)
    return Schedule(
        metrics=_fit(slots, metrics_window, margin),
        comments=_fit(slots, comments_window, margin),
        metrics_window=metrics_window,
        comments_window=comments_window,
    )


def first_label(track: Sequence[Slot]) -> str | None:
    """The cursor value of a track not yet started."""
    return track[0].label if track else None


@dataclass(frozen=True)
class Step:
    """What one pull does on one track of one delivery.

    ``take``: fetch now, fulfilling this slot (the latest one due). ``missed``: slots that
    came due but will not be measured (overtaken by a later slot, or the window closed).
    ``next_label``/``next_at``: the pending slot afterwards, ``None`` when the track is done.
    """

    take: Slot | None
    missed: tuple[Slot, ...]
    next_label: str | None
    next_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.next_label is None


def pending(track: Sequence[Slot], next_label: str | None) -> list[Slot]:
    """Slots at or after the cursor's ``next_label`` (by nominal age; robust to edited ages)."""
    if next_label is None:
        return []
    try:
        start = parse_age(next_label)
    except ScheduleError:
        return list(track)  # a label from an older configuration we cannot read: start over
    return [slot for slot in track if slot.age >= start]


def step(
    track: Sequence[Slot],
    next_label: str | None,
    published_at: datetime,
    now: datetime,
    window: timedelta | None,
) -> Step:
    """Decide what to do on a track at ``now``. Pure; the caller stores the result."""
    todo = pending(track, next_label)
    if not todo:
        return Step(None, (), None, None)
    if window is not None and now > published_at + window:
        return Step(None, tuple(todo), None, None)  # the platform no longer gives this data
    due = [slot for slot in todo if published_at + slot.offset <= now]
    rest = todo[len(due) :]
    nxt = rest[0] if rest else None
    return Step(
        take=due[-1] if due else None,
        missed=tuple(due[:-1]),
        next_label=nxt.label if nxt else None,
        next_at=published_at + nxt.offset if nxt else None,
    )


def next_due(
    published_at: datetime, track: Sequence[Slot], next_label: str | None
) -> datetime | None:
    """When the pending slot of a track is due, or ``None`` when the track is finished."""
    todo = pending(track, next_label)
    return published_at + todo[0].offset if todo else None


def batches(items: Sequence[str], size: int) -> list[list[str]]:
    """Split ``items`` into requests of at most ``size`` ids: ceil(n / size) of them."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
