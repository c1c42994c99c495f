"""Waiting for a platform to process an uploaded video: ask, pause, ask again, with pauses that
double (1 s, 2 s, 4 s ... up to 30 s) and a deadline, after which the attempt ends as a
``TransientError`` and the next attempt asks about the same upload again (never a new one).

Time is counted in requested pauses, not wall time, so tests and the sandbox need not wait.
"""

from __future__ import annotations

from collections.abc import Callable

from connectors.errors import TransientError

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


def wait_until_processed(
    ready: Callable[[], bool],
    *,
    what: str,
    platform: str,
    deadline: float,
    sleep: Callable[[float], None],
    first: float = FIRST_PAUSE,
    longest: float = LONGEST_PAUSE,
) -> None:
    """Call ``ready`` until it answers True (it raises for a processing failure itself).

    ``what`` names the upload for a PIO ("Threads is still processing the video diaz.mov").
    """
    pause, waited = first, 0.0
    while not ready():
        if waited + pause > deadline:
            raise TransientError(
                f"{what} after {waited:.0f} s; the next attempt checks the same upload again",
                platform=platform,
            )
        sleep(pause)
        waited += pause
        pause = min(pause * 2, longest)
