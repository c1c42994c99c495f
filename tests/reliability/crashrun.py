"""kill -9 the daemon at random moments of a busy schedule, restart it, count what went out.

The daemon is a real process (``tests.reliability.shortdelays``: ``beatpost run`` with its
retry delays shortened) publishing to the sandbox, which answers a share of requests with
"500, but the post was created". It is killed with SIGKILL at a random moment of each life,
restarted, and finally left to settle. Then the sandbox's posts are counted per delivery:

- duplicates: a delivery's text on the platform more than once (the promise: 0);
- silent losses: a delivery not on the platform and not in a state that tells a person
  why (the promise: 0);
- needs a person: failed or unknown with a reason (allowed, and counted).

Used by ``tests/reliability/test_crash.py`` (a short run) and ``bench/crash.py`` (hundreds of
kills).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from connectors.sandbox import FaultPlan
from store import Attempt, Delivery, State, make_engine, upgrade
from tests.reliability.harness import (
    DaemonProcess,
    Tally,
    make_plans,
    roomy_sandbox,
    seed,
    state_counts,
    tally,
    wait_until,
    write_config,
)

UNSETTLED = (State.PLANNED, State.PUBLISHING, State.UNKNOWN)


@dataclass
class CrashFigures:
    kills: int = 0
    kills_mid_publish: int = 0  # a row was left publishing (request maybe in flight)
    kills_after_send: int = 0  # ... with the request already sent (sent_at recorded)
    deliveries: int = 0
    sandbox_posts: int = 0
    faults_injected: int = 0
    reconciliations: int = 0
    seconds: float = 0.0
    tally: Tally = field(default_factory=Tally)
    unsettled: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kills": self.kills,
            "kills_mid_publish": self.kills_mid_publish,
            "kills_after_send": self.kills_after_send,
            "deliveries": self.deliveries,
            "sandbox_posts": self.sandbox_posts,
            "faults_injected": self.faults_injected,
            "reconciliations": self.reconciliations,
            "seconds": round(self.seconds, 1),
            "unsettled_at_end": self.unsettled,
            **self.tally.to_json(),
        }


def _in_flight(engine) -> tuple[int, int]:
    """Rows left ``publishing`` and, of those, how many had their request sent."""
    with Session(engine) as session:
        rows = list(
            session.execute(
                select(Delivery.id, Attempt.sent_at)
                .join(Attempt, col(Attempt.id) == col(Delivery.current_attempt_id))
                .where(col(Delivery.state) == State.PUBLISHING)
            )
        )
    return len(rows), sum(1 for _, sent in rows if sent is not None)


def run_crash(
    workdir: Path,
    *,
    kills: int,
    deliveries: int,
    database_url: str | None = None,
    created_but_500_rate: float = 0.15,
    latency: float = 0.04,
    life: tuple[float, float] = (0.2, 2.5),
    seed_value: int = 1,
    settle_timeout: float = 120.0,
    progress: Callable[[int, CrashFigures], None] | None = None,
) -> CrashFigures:
    """Run the crash scenario in ``workdir``; ``life`` bounds each life after start-up (s);
    ``latency`` (s) is added to every platform reply."""
    rng = random.Random(seed_value)
    figures = CrashFigures(deliveries=deliveries)
    started = time.monotonic()
    # Platform latency keeps a request in flight most of the time: the moment a kill hurts.
    # "500 but created" is a fault of requests that create something: POSTs. (On the reads
    # of a reconciliation it would only be a plain 500, retried with backoff.)
    faults = FaultPlan(
        created_but_500_rate=created_but_500_rate,
        latency_seconds=latency,
        methods=("POST",),
        seed=seed_value,
    )
    with roomy_sandbox(faults=faults) as sandbox:
        config = write_config(workdir, sandbox_url=sandbox.url, database_url=database_url)
        url = database_url or f"sqlite:///{workdir / '.beatpost' / 'beatpost.db'}"
        engine = make_engine(url)
        upgrade(engine)
        now = datetime.now(UTC)
        # Due over the whole run (each life also spends ~3 s starting), and faster than one
        # daemon publishes while alive: each life starts with a backlog and is killed with
        # work in hand, usually with a request in flight.
        span = timedelta(seconds=max(5.0, kills * (sum(life) / 2 + 3.0)))
        seed(engine, make_plans(deliveries, now + timedelta(seconds=3), spread=span), now)

        for n in range(kills):
            daemon = DaemonProcess.start(config, workdir / f"life{n:04d}.log", short_delays=True)
            try:
                wait_until(daemon.started, 60, f"daemon life {n} to start", every=0.05)
                time.sleep(rng.uniform(*life))
            finally:
                daemon.kill()  # also when it never started: no process is left behind
            figures.kills += 1
            publishing, sent = _in_flight(engine)
            figures.kills_mid_publish += int(publishing > 0)
            figures.kills_after_send += int(sent > 0)
            if progress is not None:
                progress(n + 1, figures)

        final = DaemonProcess.start(config, workdir / "final.log", short_delays=True)
        try:
            wait_until(
                lambda: not any(state_counts(engine)[s] for s in UNSETTLED),
                settle_timeout,
                "every delivery to settle after the last restart",
                every=0.5,
            )
        except AssertionError:
            pass  # reported as unsettled below; the caller decides
        finally:
            final.stop()

        counts = state_counts(engine)
        figures.unsettled = {str(s): counts[s] for s in UNSETTLED if counts[s]}
        figures.tally = tally(engine, sandbox.url)
        figures.sandbox_posts = len(sandbox.state.posts())
        figures.faults_injected = sandbox.state.faults.injected
        with Session(engine) as session:
            figures.reconciliations = len(
                list(session.scalars(select(Attempt.id).where(col(Attempt.kind) == "reconcile")))
            )
        engine.dispose()
    figures.seconds = time.monotonic() - started
    return figures
