"""The database goes away for a while under a running daemon: it waits, then carries on.

SQLite: another process holds an exclusive lock longer than the daemon's busy timeout, taken
while a post is in flight (its result cannot be written when it comes back). PostgreSQL: every
connection of the daemon is terminated (``pg_terminate_backend``) while a post is in flight,
twice. In both, every delivery must end up published exactly once, with the daemon alive.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from connectors.sandbox import FaultPlan
from store import State, make_engine, upgrade
from store.engine import SQLITE_BUSY_TIMEOUT_MS
from tests.reliability.harness import (
    BEATPOST,
    DaemonProcess,
    make_plans,
    roomy_sandbox,
    seed,
    state_counts,
    tally,
    wait_until,
    write_config,
)

pytestmark = pytest.mark.slow

LATENCY = 1.0  # seconds each platform request is in flight


def _publishing_lines(daemon: DaemonProcess) -> int:
    return len(re.findall(r": publishing ", daemon.output()))


def _run(tmp_path, database_url: str | None, outage) -> None:
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    with roomy_sandbox(faults=FaultPlan(latency_seconds=LATENCY)) as sandbox:
        config = write_config(tmp_path, sandbox_url=sandbox.url, database_url=database_url)
        url = database_url or f"sqlite:///{tmp_path / '.beatpost' / 'beatpost.db'}"
        engine = make_engine(url)
        upgrade(engine)
        now = datetime.now(UTC)
        plans = make_plans(6, now + timedelta(seconds=5), spread=timedelta(seconds=6))
        seed(engine, plans, now)
        daemon = DaemonProcess.start(config, tmp_path / "daemon.log")
        try:
            wait_until(daemon.started, 60, "the daemon to start")
            outage(daemon)
            wait_until(
                lambda: state_counts(engine)[State.PUBLISHED] == len(plans),
                60,
                "every delivery to be published after the outage",
                every=0.3,
            )
            assert daemon.alive(), daemon.output()
        finally:
            code = daemon.stop()
        assert code == 0, daemon.output()
        result = tally(engine, sandbox.url)
        engine.dispose()
    print(
        "\n"
        + "\n".join(
            line for line in daemon.output().splitlines() if "WARNING" in line or "ERROR" in line
        )
    )
    assert result.duplicates == [] and result.lost == [] and result.mismatched == []
    assert result.published_once == len(plans), result.to_json()


def test_sqlite_locked_longer_than_the_busy_timeout(tmp_path):
    database = tmp_path / ".beatpost" / "beatpost.db"
    hold = SQLITE_BUSY_TIMEOUT_MS / 1000 + 1.5

    def lock_while_a_post_is_in_flight(daemon: DaemonProcess) -> None:
        wait_until(lambda: _publishing_lines(daemon) >= 1, 30, "a post in flight", every=0.02)
        other = sqlite3.connect(database, isolation_level=None, timeout=30)
        try:
            other.execute("BEGIN EXCLUSIVE")
            time.sleep(hold)
        finally:
            other.execute("ROLLBACK")
            other.close()

    _run(tmp_path, None, lock_while_a_post_is_in_flight)


def application_name(url: str) -> str:
    """The test's own name for its connections: only those are cut, never a neighbour's."""
    return str(make_url(url).query["application_name"])


@pytest.mark.postgres
def test_postgresql_connections_cut_while_posts_are_in_flight(tmp_path, pg_url):
    admin = create_engine(pg_url)

    def terminate_backends(daemon: DaemonProcess) -> None:
        for n in (1, 4):
            wait_until(
                lambda n=n: _publishing_lines(daemon) >= n, 30, "a post in flight", every=0.02
            )
            with admin.begin() as conn:
                cut = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": application_name(pg_url)},
                ).scalar()
            assert cut, "the daemon must have had connections to cut"

    try:
        _run(tmp_path, pg_url, terminate_backends)
    finally:
        admin.dispose()
