"""The real ``beatpost run`` process against a scripted connector, stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store import ClaimPolicy, Ledger, State, make_engine, sync_plans, upgrade
from tests.ledger_fixtures import plan

REPO = Path(__file__).resolve().parents[2]
BEATPOST = Path(sys.executable).parent / "beatpost"


def _calls(journal: Path) -> list[dict]:
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]


def _wait_for(predicate, timeout: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    output, _ = proc.communicate()
    raise AssertionError(f"timed out waiting for {what}; daemon output:\n{output}")


@pytest.mark.slow
def test_run_publishes_on_time_and_stops_cleanly_on_sigterm(tmp_path):
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    (tmp_path / "beatpost.toml").write_text(
        'grace_minutes = 15\nlog_level = "INFO"\n\n'
        '[connector_classes]\nx = "tests.daemon.scripted:ScriptedConnector"\n'
    )
    data = tmp_path / ".beatpost"
    data.mkdir()
    # p2 stays in flight until the test releases it; everything else publishes at once.
    (data / "script.json").write_text(json.dumps({"spring/p2/x/once": ["ok+hold"]}))

    now = datetime.now(UTC)
    engine = make_engine(f"sqlite:///{data / 'beatpost.db'}")
    upgrade(engine)
    leftover = plan("leftover", at=now - timedelta(minutes=1))
    later = plan("later", at=now + timedelta(hours=1))
    sync_plans(
        engine, [leftover, later], valid_files=["campaigns/spring.yaml"], now=now, actor="test"
    )
    # A previous daemon crashed after sending "leftover" (it never reached the platform).
    crashed = Ledger(engine, owner="crashed")
    claim = crashed.claim_next(now, ClaimPolicy())
    assert claim.delivery.post_id == "leftover"
    assert crashed.confirm_send(claim.attempt_id, now)

    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.Popen(
        [str(BEATPOST), "--config", str(tmp_path / "beatpost.toml"), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    journal = data / "calls.jsonl"
    try:
        # Start-up (two interpreters: the daemon and its campaign reader) takes seconds, and
        # many more on a busy machine; it ends with reconciling "leftover".
        _wait_for(
            lambda: any(c["key"].startswith("spring/leftover/") for c in _calls(journal)),
            timeout=90,
            what="the daemon to start",
            proc=proc,
        )
        # A second daemon on the same database is refused with a clear message.
        second = subprocess.run(
            [str(BEATPOST), "--config", str(tmp_path / "beatpost.toml"), "run"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert second.returncode == 1
        assert "another beatpost daemon" in second.stderr
        # Planned while the daemon runs (as `beatpost retry` would), timed from now, so that
        # however long the steps above took, p2 is in flight when SIGTERM comes, and p3 falls
        # due meanwhile. The daemon looks at the ledger again within 5 s (its rescan).
        now = datetime.now(UTC)
        sync_plans(
            engine,
            [
                leftover,
                plan("p1", at=now + timedelta(seconds=8)),
                plan("p2", at=now + timedelta(seconds=8.5)),
                plan("p3", at=now + timedelta(seconds=9)),  # due while p2 is in flight
                later,
            ],
            valid_files=["campaigns/spring.yaml"],
            now=now,
            actor="test",
        )
        engine.dispose()
        _wait_for(
            lambda: any(c["key"].startswith("spring/p2/") for c in _calls(journal)),
            timeout=60,
            what="p2 to be in flight",
            proc=proc,
        )
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # p3 is due by now; the daemon must not claim it
        (data / "release").touch()  # let p2's request finish
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, output
    assert "SIGTERM received" in output

    engine = make_engine(f"sqlite:///{data / 'beatpost.db'}")
    states = {d.post_id: d for d in Ledger(engine).deliveries()}
    assert states["leftover"].state == State.PUBLISHED  # reconciled: not found, so sent
    assert states["p1"].state == State.PUBLISHED
    assert states["p2"].state == State.PUBLISHED  # in flight at SIGTERM: finished
    assert states["p3"].state == State.PLANNED  # no new claim after SIGTERM
    assert states["later"].state == State.PLANNED
    calls = _calls(journal)
    seen = [(c["method"], c["key"].split("/")[1]) for c in calls]
    assert sorted(seen) == [
        ("find_published", "leftover"),
        ("publish", "leftover"),
        ("publish", "p1"),
        ("publish", "p2"),
    ]
    assert seen.index(("find_published", "leftover")) < seen.index(("publish", "leftover"))
    assert seen.index(("publish", "p1")) < seen.index(("publish", "p2"))
    for call in (c for c in calls if c["key"].split("/")[1] in ("p1", "p2")):
        due = states[call["key"].split("/")[1]].scheduled_at
        lateness = (datetime.fromisoformat(call["at"]) - due).total_seconds()
        # Never early. (Sub-second punctuality is measured in-process, on an idle clock;
        # here the bound only has to survive a busy CI machine.)
        assert 0 <= lateness < 3.0, f"{call['key']} lateness {lateness:.3f}s"
    engine.dispose()
