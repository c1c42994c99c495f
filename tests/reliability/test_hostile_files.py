"""Hostile campaign files against the real daemon process: one bad file stays one bad file.

A file that cannot be read (a date out of range, a structure nested deep enough to crash the
C YAML parser) is reported as that file's error; the deliveries it already had stay as they
were, and every other file syncs: a cancelled event next to it is not posted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store import Ledger, State, make_engine
from tests.reliability.harness import BEATPOST, REPO, wait_until

ZONE = ZoneInfo("America/Chicago")

EVENT = """\
version: 1
campaign:
  id: info-night
  name: Info Night
  timezone: America/Chicago
  window: {{start: {start}, end: {end}}}
  platforms: [x]
  approved_by: Lt. Ortiz
posts:
  - id: info-night-post
    kind: event
    event:
      name: Info Night
      starts: {starts}
      ends: {ends}
      location: Headquarters, 100 Main St
      cancelled: {cancelled}
    at: {at}
    text: Come to the {{event.name}}.
"""

OTHER = """\
version: 1
campaign:
  id: ride-along
  name: Ride Along
  timezone: America/Chicago
  window: {{start: {start}, end: 9999-12-31}}
  platforms: [x]
  approved_by: Lt. Ortiz
posts:
  - id: ride-along-post
    kind: announcement
    at: {at}
    text: Ride along with a patrol officer.
"""


def _minute(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def _workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    (tmp_path / "campaigns").mkdir()
    config = tmp_path / "beatpost.toml"
    config.write_text(
        'log_level = "INFO"\ngrace_minutes = 60\n\n'
        '[connector_classes]\nx = "tests.daemon.scripted:ScriptedConnector"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    env["PYTHONPATH"] = str(REPO)
    return config, env


def _write(tmp_path: Path, *, cancelled: bool, other_at: str) -> None:
    now = datetime.now(ZONE)
    days = {"start": (now - timedelta(days=2)).date(), "end": (now + timedelta(days=30)).date()}
    (tmp_path / "campaigns" / "event.yaml").write_text(
        EVENT.format(
            **days,
            starts=_minute(now + timedelta(days=3)),
            ends=_minute(now + timedelta(days=3, hours=2)),
            cancelled=str(cancelled).lower(),
            # Due already (within grace): the daemon would post it at its first wake.
            at=_minute(now - timedelta(minutes=1)),
        )
    )
    (tmp_path / "campaigns" / "other.yaml").write_text(OTHER.format(**days, at=other_at))


def _beatpost(config: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BEATPOST), "--config", str(config), *args],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_bad_file_next_to_a_cancelled_event(tmp_path):
    """The event is cancelled while another file turns bad (a date out of range): the daemon
    honours the cancellation (nothing posted), keeps the bad file's deliveries, and `status`
    names the bad file with its error."""
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    config, env = _workspace(tmp_path)
    later = _minute(datetime.now(ZONE) + timedelta(days=5))
    _write(tmp_path, cancelled=False, other_at=later)
    synced = _beatpost(config, env, "sync")
    assert synced.returncode == 0, synced.stderr
    # Both at once, as one commit of the campaigns repository would do it.
    _write(tmp_path, cancelled=True, other_at="9999-12-31 23:59")

    log = tmp_path / "daemon.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BEATPOST), "--config", str(config), "run"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: b" started on " in log.read_bytes(), 60, "the daemon to start")
        time.sleep(2)  # a first wake: a post still planned and due would go now
        assert proc.poll() is None, log.read_text()
        status = _beatpost(config, env, "status", "--format", "json")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    output = log.read_text()
    assert code == 0, output
    assert "campaign sync failed" not in output, output

    engine = make_engine(f"sqlite:///{tmp_path / '.beatpost' / 'beatpost.db'}")
    states = {d.post_id: d.state for d in Ledger(engine).deliveries()}
    engine.dispose()
    assert states == {"info-night-post": State.CANCELLED, "ride-along-post": State.PLANNED}
    journal = tmp_path / ".beatpost" / "calls.jsonl"
    assert not journal.exists() or "info-night" not in journal.read_text()

    invalid = json.loads(status.stdout)["invalid_files"]
    assert [f["path"] for f in invalid] == ["campaigns/other.yaml"]
    first = invalid[0]["diagnostics"][0]
    assert first["file"] == "campaigns/other.yaml" and first["line"] >= 1
    assert "too large" in first["message"] and "kept" in first["message"]
    assert "campaigns/other.yaml:" in output  # the daemon's log names it too
