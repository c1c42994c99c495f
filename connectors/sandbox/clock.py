"""The sandbox's simulated clock: frozen unless told otherwise, so runs are repeatable.

Every time the sandbox hands out (post creation, comment times, rate-limit resets, engagement
age) comes from one ``SimClock``. Tests and the demo advance it explicitly (a week in one
call), for the daemon and the sandbox alike; the standalone server (``beatpost sandbox``) runs
it on real time, the daemon's clock, and speeds up the audience instead
(``SandboxState.audience_speed``).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


def _aware_utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


class SimClock:
    """Thread-safe simulated time.

    ``running=False`` (the default): time stands still until ``advance`` or ``set``.
    ``running=True``: time follows the wall clock from ``start``, ``speed`` times faster
    (``speed=3600`` runs an hour per second); ``advance``/``set`` still jump it.
    """

    def __init__(
        self, start: datetime | None = None, *, running: bool = False, speed: float = 1.0
    ) -> None:
        if speed <= 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        if start is None:
            start = datetime.now(UTC).replace(microsecond=0)
        self._lock = threading.Lock()
        self._base = _aware_utc(start, "clock start")
        self._anchor = time.monotonic()
        self._running = running
        self._speed = float(speed)

    @property
    def running(self) -> bool:
        return self._running

    def now(self) -> datetime:
        """The current simulated instant, aware UTC."""
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        if not self._running:
            return self._base
        elapsed = (time.monotonic() - self._anchor) * self._speed
        return self._base + timedelta(seconds=elapsed)

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward by ``delta`` (never backwards) and return the new instant."""
        if delta < timedelta(0):
            raise ValueError(f"the clock only moves forward; got {delta}")
        with self._lock:
            self._base = self._now_locked() + delta
            self._anchor = time.monotonic()
            return self._base

    def set(self, when: datetime) -> datetime:
        """Jump to ``when`` (aware). Going backwards is allowed: it is how a run is replayed."""
        when = _aware_utc(when, "clock time")
        with self._lock:
            self._base = when
            self._anchor = time.monotonic()
            return self._base

    def run(self, running: bool = True, speed: float | None = None) -> None:
        """Start or stop following the wall clock, keeping the current instant."""
        if speed is not None and speed <= 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        with self._lock:
            self._base = self._now_locked()
            self._anchor = time.monotonic()
            self._running = running
            if speed is not None:
                self._speed = float(speed)

    def __repr__(self) -> str:
        mode = f"running x{self._speed:g}" if self._running else "frozen"
        return f"SimClock({self.now().isoformat()}, {mode})"
