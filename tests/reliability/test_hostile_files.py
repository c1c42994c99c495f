"""Hostile campaign files against the real daemon process: one bad file stays one bad file.

A file that cannot be read (a date out of range, a structure nested deep enough to crash the
C YAML parser) is reported as that file's error, located; the deliveries it already had stay as they
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
  window: {{start: {start}, end: {end}}}
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
    # Located at the date itself (line 12: the post's `at`), in words, not a fallback.
    assert (first["file"], first["line"]) == ("campaigns/other.yaml", 12), first
    assert "9999-12-31 23:59" in first["message"], first
    assert "years 2000 to 2100" in first["message"], first
    # The daemon's log names it too, and says the deliveries it had are kept.
    assert "campaigns/other.yaml:12:" in output and "last good version kept" in output, output


def _posts_file(count: int, name: str = "big") -> str:
    """A valid campaign ``name`` with ``count`` posts (at most 1,000 in one file): long to
    read and to plan."""
    start = datetime.now(ZONE).date() + timedelta(days=2)
    head = OTHER.split("posts:")[0].format(start=start, end=start + timedelta(days=300), at="")
    posts = [
        f"  - id: {name}-p{n}\n    kind: announcement\n"
        f"    at: {start + timedelta(days=n % 300)} {n % 24:02d}:{n % 60:02d}\n"
        f"    text: Post number {n} about the job.\n"
        for n in range(count)
    ]
    return head.replace("id: ride-along", f"id: {name}") + "posts:\n" + "".join(posts)


def _start_daemon(config: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BEATPOST), "--config", str(config), "run"],
            cwd=config.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.slow
def test_file_that_crashes_the_yaml_parser_does_not_kill_the_daemon(tmp_path):
    """30,000 nested ``[`` would segfault the C YAML parser: they are refused before it
    runs, at the line and column where the nesting passes the limit; the daemon lives on,
    the file is reported invalid, and the other files' posts are synced. (A reader that does
    crash: tests/daemon/test_isolated_read.py.)"""
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    config, env = _workspace(tmp_path)
    _write(tmp_path, cancelled=False, other_at=_minute(datetime.now(ZONE) + timedelta(days=5)))
    (tmp_path / "campaigns" / "deep.yaml").write_text("version: 1\nposts: " + "[" * 30_000)
    log = tmp_path / "daemon.log"
    proc = _start_daemon(config, env, log)
    try:
        wait_until(
            lambda: b" started on " in log.read_bytes() or proc.poll() is not None,
            90,
            "the daemon to start",
        )
        assert proc.poll() is None, log.read_text()
        status = _beatpost(config, env, "status", "--format", "json")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    output = log.read_text()
    assert code == 0, output
    invalid = json.loads(status.stdout)["invalid_files"]
    assert [f["path"] for f in invalid] == ["campaigns/deep.yaml"], status.stdout
    first = invalid[0]["diagnostics"][0]
    assert (first["line"], first["column"]) == (2, 39), first
    assert "nested more than 32 levels deep" in first["message"], first
    engine = make_engine(f"sqlite:///{tmp_path / '.beatpost' / 'beatpost.db'}")
    posts = {d.post_id for d in Ledger(engine).deliveries()}
    engine.dispose()
    assert posts == {"info-night-post", "ride-along-post"}


@pytest.mark.slow
def test_sigterm_during_a_long_sync_stops_within_the_unit_timeout(tmp_path):
    """40 files of 1,000 posts (each within the limits) take long to read and to sync;
    SIGTERM meanwhile ends the daemon in seconds (docs/beatpost.service allows 60), having
    written nothing partial."""
    if not BEATPOST.exists():
        pytest.skip(f"the beatpost console script is not installed next to {sys.executable}")
    config, env = _workspace(tmp_path)
    for n in range(40):
        (tmp_path / "campaigns" / f"big{n}.yaml").write_text(_posts_file(1000, f"big{n}"))
    log = tmp_path / "daemon.log"
    proc = _start_daemon(config, env, log)
    try:
        wait_until(
            lambda: b"reading the campaign files" in log.read_bytes(),
            60,
            "the daemon to begin reading",
        )
        time.sleep(3)  # well into the read
        assert proc.poll() is None and b" started on " not in log.read_bytes()
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 0, log.read_text()
    assert took < 15, f"SIGTERM took {took:.1f} s"
    database = tmp_path / ".beatpost" / "beatpost.db"
    if database.exists():  # a sync is one transaction: all 40,000 deliveries or none
        engine = make_engine(f"sqlite:///{database}")
        synced = len(Ledger(engine).deliveries())
        engine.dispose()
        assert synced in (0, 40_000), synced
