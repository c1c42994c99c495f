"""The periodic jobs when several beatpost processes share one PostgreSQL database.

- One weekly digest per recipient list: three processes send the same week at once; one
  message reaches the SMTP server, one send is recorded.
- One pull per delivery per slot: three processes pull at once; one metric snapshot per
  delivery and slot, and one process does the pulling.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlmodel import Session, col

from analysis.timeframe import IsoWeek
from connectors.sandbox import FACEBOOK_PAGE_ID, X_USER_ID
from store import Delivery, State, write_session
from store.digest_models import DigestSend, DigestStatus
from store.metrics_models import MetricSnapshotRecord
from tests.reliability.harness import BEATPOST, daemon_env, roomy_sandbox, write_config

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RACERS = 3


def _race(config: Path, *args: str) -> list[subprocess.CompletedProcess[str]]:
    """Start RACERS ``beatpost`` processes with ``args`` at once; wait for all."""
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    procs = [
        subprocess.Popen(
            [str(BEATPOST), "--config", str(config), *args],
            cwd=config.parent,
            env=daemon_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(RACERS)
    ]
    done = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out))
    return done


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_three_processes_send_one_weekly_digest(tmp_path, pg_url, pg_engine):
    mailbox = Mailbox()
    port = _free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with roomy_sandbox() as sandbox:
            config = write_config(
                tmp_path,
                sandbox_url=sandbox.url,
                database_url=pg_url,
                extra=(
                    '\n[digest]\nsmtp_host = "127.0.0.1"\n'
                    f'smtp_port = {port}\nsmtp_security = "none"\n'
                    'sender = "digest@pd.example"\n'
                    'recipients = ["chief@pd.example", "pio@pd.example"]\n'
                ),
            )
            week = IsoWeek.last_complete(datetime.now(UTC), _zone())
            results = _race(config, "digest", "--send", "--week", str(week))
    finally:
        smtp.stop()
    outputs = "\n".join(r.stdout for r in results)
    print(outputs)
    assert all(r.returncode == 0 for r in results), outputs
    assert len(mailbox.messages) == 1, outputs
    with Session(pg_engine) as session:
        sends = list(session.scalars(select(DigestSend)))
    assert [(s.week, s.status) for s in sends] == [(str(week), DigestStatus.SENT)]


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Chicago")


def test_three_processes_pull_each_slot_once(tmp_path, pg_url, pg_engine):
    now = datetime.now(UTC).replace(microsecond=0)
    published = now - timedelta(hours=2)  # the 1-hour slot is due, the 6-hour one is not
    with roomy_sandbox() as sandbox:
        state = sandbox.state
        rows = []
        for n in range(120):
            platform = "x" if n % 2 else "facebook"
            account = X_USER_ID if platform == "x" else FACEBOOK_PAGE_ID
            post = state.add_post(platform, account, f"Pulled post {n}: join us")
            rows.append(
                Delivery(
                    key=f"spring/p{n}/{platform}/once",
                    campaign_id="spring",
                    post_id=f"p{n}",
                    kind="announcement",
                    platform=platform,
                    occurrence="once",
                    scheduled_at=published,
                    due_at=published,
                    timezone="America/Chicago",
                    text=post.text,
                    content_hash="h",
                    state=State.PUBLISHED,
                    platform_id=post.id,
                    url=f"https://example/{post.id}",
                    published_at=published,
                )
            )
        with write_session(pg_engine) as session:
            session.add_all(rows)
        config = write_config(tmp_path, sandbox_url=sandbox.url, database_url=pg_url)
        results = _race(config, "pull")
    outputs = "\n".join(r.stdout for r in results)
    print(outputs)
    assert all(r.returncode == 0 for r in results), outputs
    with Session(pg_engine) as session:
        per_slot = list(
            session.execute(
                select(
                    MetricSnapshotRecord.delivery_id, MetricSnapshotRecord.slot, func.count()
                ).group_by(col(MetricSnapshotRecord.delivery_id), col(MetricSnapshotRecord.slot))
            )
        )
    assert len(per_slot) == len(rows), outputs  # every delivery measured for its due slot
    assert {n for _d, _s, n in per_slot} == {1}, "a slot stored more than once"
    assert {slot for _d, slot, _n in per_slot} == {"1h"}
    # One process did the pull; the others found it running, or found nothing left due.
    pulled = [r.stdout for r in results if "Pull at" in r.stdout]
    assert len(pulled) == 1, outputs
    assert all(
        "another pull is running" in r.stdout or "Nothing due" in r.stdout
        for r in results
        if "Pull at" not in r.stdout
    ), outputs
