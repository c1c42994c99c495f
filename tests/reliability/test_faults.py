"""A daemon against a flaky platform: errors, 429s with reset headers, timeouts.

The daemon and the sandbox share one simulated clock, so backoffs and rate-limit resets of
minutes pass in no wall time, and the sandbox's request log (simulated instants) shows
exactly when each request reached the platform. The real connectors talk HTTP to it.

Promises checked: every delivery is published in the end, none twice, and after a 429 no
request reaches that endpoint before the reset instant the platform announced.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import connectors
from beatpost.campaign_sync import PlanSet
from beatpost.daemon import Daemon
from config import Settings
from connectors.sandbox import (
    FaultPlan,
    RequestRecord,
    SandboxServer,
    SimClock,
)
from connectors.sandbox.server import settings_overrides
from store import State, make_engine, upgrade
from tests.reliability.harness import PLATFORMS, make_plans, roomy_sandbox, state_counts, tally

pytestmark = pytest.mark.slow

RESET_SECONDS = 60
TIMEOUT = 0.25  # the connectors' read timeout (real seconds)
# Publishing endpoints and how a rate-limit refusal shows in the request log there.
PUBLISH = {
    "x": (lambda r: r.method == "POST" and r.path == "/2/tweets", {429}),
    "facebook": (lambda r: r.method == "POST" and r.path.endswith("/feed"), {400, 429}),
}


def connectors_for(server: SandboxServer, clock: SimClock, tmp_path: Path):
    """The real connectors of every platform the run uses, built as production builds them
    (``connectors.create``), on the sandbox and its simulated clock."""
    sections = settings_overrides(server.url)
    for values in sections.values():
        values["timeout_seconds"] = TIMEOUT
    settings = Settings(workspace=tmp_path, **sections)
    made = {
        platform: connectors.create(platform, settings, clock=clock.now, sleep=lambda _s: None)
        for platform in PLATFORMS
    }
    return made.__getitem__


def run_daemon_until_settled(daemon: Daemon, clock: SimClock, limit: int = 20_000) -> int:
    """Tick, then move the shared clock to the daemon's next wake (a second when idle and
    something is overdue, as the real scheduler does). Returns the rounds it took."""
    for rounds in range(1, limit):
        handled = daemon.tick()
        counts = state_counts(daemon.engine)
        if not any(counts[s] for s in (State.PLANNED, State.PUBLISHING, State.UNKNOWN)):
            return rounds
        now = clock.now()
        wake = daemon.ledger.next_wake(now)
        assert wake is not None, counts
        step = wake - now
        if step <= timedelta(0):
            step = timedelta(0) if handled else timedelta(seconds=1)
        clock.advance(step)
    raise AssertionError(f"not settled after {limit} rounds: {state_counts(daemon.engine)}")


def early_requests(log: list[RequestRecord]) -> list[str]:
    """Requests that reached a publishing endpoint after it answered "rate limited" and
    before the reset instant it announced (X's reset header is whole epoch seconds)."""
    found = []
    for platform, (is_publish, limited) in PUBLISH.items():
        calls = [r for r in log if is_publish(r)]
        for i, refused in enumerate(calls):
            if refused.status not in limited:
                continue
            reset = refused.time.replace(microsecond=0) + timedelta(seconds=RESET_SECONDS)
            for later in calls[i + 1 :]:
                if later.time < reset:
                    found.append(
                        f"{platform}: {later.method} {later.path} at {later.time:%H:%M:%S.%f}, "
                        f"refused at {refused.time:%H:%M:%S.%f} until {reset:%H:%M:%S}"
                    )
    return found


def test_flaky_platform_every_delivery_out_once_and_rate_limits_honoured(tmp_path: Path):
    start = datetime.now(UTC).replace(microsecond=0)
    clock = SimClock(start)
    faults = FaultPlan(
        error_rate=0.20,
        rate_limit_rate=0.05,
        rate_limit_reset_seconds=RESET_SECONDS,
        timeout_rate=0.03,
        timeout_seconds=TIMEOUT * 2,
        seed=5,
    )
    plans = make_plans(80, start + timedelta(minutes=1), spread=timedelta(minutes=10))
    with roomy_sandbox(clock=clock, faults=faults) as sandbox:
        settings = Settings(
            workspace=tmp_path,
            grace_minutes=60,
            max_attempts=8,
            **settings_overrides(sandbox.url),
        )
        engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
        upgrade(engine)
        daemon = Daemon(
            settings,
            engine=engine,
            connector_factory=connectors_for(sandbox, clock, tmp_path),
            clock=clock.now,
            planner=lambda now: PlanSet(list(plans), ["campaigns/spring.yaml"]),
            rng=random.Random(3),
        )
        daemon.prepare()
        rounds = run_daemon_until_settled(daemon, clock)
        result = tally(engine, sandbox.url)
        log = list(sandbox.state.request_log)
        injected = sandbox.state.faults.injected
    statuses: dict[int, int] = {}
    for record in log:
        statuses[record.status] = statuses.get(record.status, 0) + 1
    print(
        f"\nfault run: {injected} faults in {len(log)} requests {dict(sorted(statuses.items()))}, "
        f"{rounds} rounds, {clock.now() - start} simulated; {result.to_json()}"
    )
    assert injected >= 0.2 * len(plans), "the platform must really have been flaky"
    assert statuses.get(429, 0) > 0 and statuses.get(503, 0) > 0
    assert result.duplicates == []
    assert result.lost == [] and result.mismatched == []
    assert result.published_once == len(plans), result.to_json()
    assert early_requests(log) == []
