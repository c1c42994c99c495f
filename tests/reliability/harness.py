"""What the reliability tests share: a roomy sandbox, daemon processes, seeding and counting.

The daemons under test are real processes (``beatpost run``, or ``python -m
tests.reliability.shortdelays`` which is the same command with the retry delays shortened),
talking to a sandbox served over HTTP from the test process. What reached the "platform" is
read back over ``GET /_sandbox/posts``, never from the daemon's own account of it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import requests
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session, col

from campaigns.types import DeliveryPlan
from connectors.platforms import TABLE
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock, x_api
from connectors.sandbox.server import settings_env, settings_overrides
from store import Attempt, Delivery, State, sync_plans
from tests.ledger_fixtures import plan

REPO = Path(__file__).resolve().parents[2]
BEATPOST = Path(sys.executable).parent / "beatpost"
PLATFORMS = ("x", "facebook", "mastodon", "bluesky", "linkedin", "threads")


def url_with_schema(url: str, schema: str) -> str:
    """``url`` whose connections (in any process) use ``schema``: libpq's ``options``."""
    parsed = make_url(url)
    return parsed.update_query_dict(
        {
            "options": f"-csearch_path={schema} -csynchronous_commit=off",
            # Names this test's connections, so a test cutting them touches no one else's.
            "application_name": schema,
        }
    ).render_as_string(hide_password=False)


# -- the sandbox ------------------------------------------------------------------------------


@contextmanager
def roomy_sandbox(
    clock: SimClock | None = None, faults: FaultPlan | None = None, seed: int = 7
) -> Iterator[SandboxServer]:
    """A sandbox whose own quotas do not get in the way of a thousand posts an hour.

    X allows an account 100 posts per 15 minutes and per 24 hours (and 900 reads of its own
    posts) and the Graph API a budget of calls per hour; these tests are about the daemon, not
    about those caps (which the connector and sandbox tests cover), so they are lifted here.
    """
    state = SandboxState(seed=seed, clock=clock or SimClock(running=True), faults=faults)
    state.extras[x_api.POSTS_PER_DAY_KEY] = 1_000_000
    state.extras["graph.calls_per_hour"] = 1_000_000
    # Reconciliation reads the account's recent posts; with thousands posted in minutes
    # (the crash run) that spends X's 900 reads per 15 minutes. Lifted as well.
    lifted = ("POST /2/tweets", "GET /2/users/:id/tweets")
    saved = {name: x_api.LIMITS[name] for name in lifted}
    x_api.LIMITS.update({name: (1_000_000, 1_000_000) for name in lifted})
    try:
        with SandboxServer(state) as server:
            _quiet_when_clients_vanish(server)
            yield server
    finally:
        x_api.LIMITS.update(saved)


def _quiet_when_clients_vanish(server: SandboxServer) -> None:
    """A daemon killed mid-request leaves its connection to reset; the standard library's
    server prints a traceback for each. Those are the point of a crash run, not news."""
    httpd = server._httpd  # noqa: SLF001 - test harness, standard-library hook
    report = httpd.handle_error

    def handle_error(request: Any, address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            report(request, address)

    httpd.handle_error = handle_error  # type: ignore[method-assign]


def sandbox_posts(url: str) -> list[dict[str, Any]]:
    """Every live post on every platform, as the sandbox's inspection endpoint lists them."""
    reply = requests.get(f"{url}/_sandbox/posts", timeout=30)
    reply.raise_for_status()
    return reply.json()


# -- the ledger -------------------------------------------------------------------------------


def make_plans(
    count: int,
    start: datetime,
    *,
    spread: timedelta,
    platforms: Sequence[str] = PLATFORMS,
    campaigns: Sequence[str] = ("spring", "lateral", "cadets", "dispatch"),
) -> list[DeliveryPlan]:
    """``count`` deliveries round-robin over campaigns and platforms, due evenly over
    ``spread`` from ``start``; every text is unique (so the platforms' duplicate checks never
    hide a double post, and a post counts back to exactly one delivery)."""
    step = spread / max(count - 1, 1)
    plans = []
    for i in range(count):
        campaign = campaigns[i % len(campaigns)]
        platform = platforms[(i // len(campaigns)) % len(platforms)]
        plans.append(
            plan(
                f"p{i:05d}",
                platform=platform,
                campaign=campaign,
                at=start + step * i,
                text_=f"Recruiting update {i:05d} from {campaign}: apply today",
            )
        )
    return plans


def seed(engine: Engine, plans: Sequence[DeliveryPlan], now: datetime) -> None:
    sync_plans(engine, plans, valid_files=["campaigns/spring.yaml"], now=now, actor="test")


def state_counts(engine: Engine) -> Counter[str]:
    with Session(engine) as session:
        rows = session.execute(select(Delivery.state, func.count()).group_by(col(Delivery.state)))
        return Counter({state: int(n) for state, n in rows})


def deliveries(engine: Engine) -> list[Delivery]:
    with Session(engine) as session:
        return list(session.scalars(select(Delivery).order_by(col(Delivery.id))))


def publishers(engine: Engine) -> Counter[str]:
    """Owner of the attempt that published each delivery -> how many it published."""
    with Session(engine) as session:
        rows = session.execute(
            select(Attempt.owner, func.count())
            .where(col(Attempt.outcome).in_(["published", "found"]))
            .group_by(col(Attempt.owner))
        )
        return Counter({owner: int(n) for owner, n in rows})


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# -- what reached the platform, per delivery ---------------------------------------------------


@dataclass
class Tally:
    """Each delivery's posts on the platform, and what the ledger says about it."""

    deliveries: int = 0
    published_once: int = 0
    duplicates: list[str] = field(default_factory=list)  # keys posted more than once
    lost: list[str] = field(default_factory=list)  # not posted, and no visible reason
    needs_person: list[str] = field(default_factory=list)  # failed/unknown, with reason
    mismatched: list[str] = field(default_factory=list)  # ledger and platform disagree
    states: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            "deliveries": self.deliveries,
            "published_once": self.published_once,
            "duplicates": len(self.duplicates),
            "silent_losses": len(self.lost),
            "needs_a_person": len(self.needs_person),
            "ledger_platform_mismatches": len(self.mismatched),
            "states": dict(sorted(self.states.items())),
        }


def tally(engine: Engine, sandbox_url: str) -> Tally:
    """Count posts per delivery text in the sandbox and hold them against the ledger.

    A delivery is *lost* when it is not on the platform and the ledger does not show a
    person a reason (failed/unknown with a reason, or deliberately skipped/cancelled); it
    is *mismatched* when the ledger says published but the platform has no such post (or
    the ledger holds a different post id).
    """
    posts = sandbox_posts(sandbox_url)
    by_text: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for post in posts:
        by_text.setdefault((post["platform"], post["text"]), []).append(post)
    result = Tally()
    for row in deliveries(engine):
        result.deliveries += 1
        result.states[row.state] += 1
        # Platforms without a link field (Mastodon, Bluesky) carry the link at the text's end.
        found = by_text.get((row.platform, row.text), []) or [
            p
            for (platform, text), same in by_text.items()
            if platform == row.platform and text.startswith(row.text + "\n\n")
            for p in same
        ]
        if len(found) > 1:
            result.duplicates.append(row.key)
        if row.state == State.PUBLISHED:
            ids = {p["id"] for p in found}
            if row.platform_id not in ids:
                result.mismatched.append(row.key)
            elif len(found) == 1:
                result.published_once += 1
        elif found:
            # On the platform but not recorded as published: acceptable only while a person
            # is told the outcome is uncertain (unknown/failed with its reason).
            if not (row.state in (State.UNKNOWN, State.FAILED) and row.reason):
                result.mismatched.append(row.key)
            else:
                result.needs_person.append(row.key)
        elif row.state in (State.FAILED, State.UNKNOWN) and row.reason:
            result.needs_person.append(row.key)
        elif row.state in (State.SKIPPED, State.CANCELLED) and row.reason:
            result.needs_person.append(row.key)
        else:
            result.lost.append(f"{row.key} ({row.state}: {row.reason})")
    return result


# -- daemon processes -------------------------------------------------------------------------


def write_config(
    workspace: Path, *, sandbox_url: str, database_url: str | None = None, extra: str = ""
) -> Path:
    """A beatpost.toml pointing every connector at the sandbox (credentials go in the env)."""
    lines = ['log_level = "INFO"', "grace_minutes = 60"]
    if database_url:
        lines.append(f"database_url = {json.dumps(database_url)}")
    lines.append(extra)
    for section, values in settings_overrides(sandbox_url).items():
        lines.append(f"\n[{section}]")
        secret = set(TABLE[section].secret_fields)
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items() if k not in secret]
        cap = {"instagram": 50, "threads": 250}.get(section, 100000)  # the platforms' own caps
        lines.append(f"posts_per_24h = {cap}")
        lines.append("timeout_seconds = 2.0")
    path = workspace / "beatpost.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def daemon_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    env.update(settings_env())
    env["PYTHONPATH"] = str(REPO)
    return env


@dataclass
class DaemonProcess:
    """One daemon process; its output goes to a file (a full pipe would stall it)."""

    proc: subprocess.Popen[bytes]
    log: Path
    _out: IO[bytes]

    @classmethod
    def start(cls, config: Path, log: Path, *, short_delays: bool = False) -> DaemonProcess:
        if short_delays:
            argv = [sys.executable, "-m", "tests.reliability.shortdelays"]
        else:
            argv = [str(BEATPOST)]
        out = log.open("ab")
        proc = subprocess.Popen(
            [*argv, "--config", str(config), "run"],
            cwd=config.parent,
            env=daemon_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        return cls(proc, log, out)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def started(self) -> bool:
        return b" started on " in self.log.read_bytes()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no signal handler runs, nothing is flushed or released by the daemon."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._out.close()

    def stop(self, timeout: float = 60) -> int:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._out.close()
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace")
