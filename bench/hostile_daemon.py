"""The daemon against the worst campaign files: time, peak memory, and SIGTERM meanwhile.

Each hostile file is dropped into a workspace next to a good file; one daemon sync
(``Daemon.resync``: the read in its bounded child process, then the ledger) is timed, with
the peak memory of the daemon process and of its reading children. Then a ``beatpost run``
process is given a file of many posts and sent SIGTERM during its first sync: the time to
exit is what systemd's ``TimeoutStopSec`` (60 s in docs/beatpost.service) must cover.

    .venv/bin/python bench/hostile_daemon.py [--posts 40000]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine  # noqa: E402

from beatpost import isolated_read  # noqa: E402
from beatpost.daemon import Daemon  # noqa: E402
from config import Settings  # noqa: E402
from store import make_engine, upgrade  # noqa: E402
from tests.daemon.test_hostile_files_property import campaign  # noqa: E402
from tests.reliability.test_hostile_files import _posts_file  # noqa: E402

BEATPOST = Path(sys.executable).parent / "beatpost"


def hostile_files(posts: int) -> dict[str, str]:
    return {
        "30,000 nested [": "version: 1\ncampaign: " + "[" * 30_000 + "\n",
        "at: 9999-12-31 23:59": campaign(at="9999-12-31 23:59", end="9999-12-31"),
        "format width 99999999999": campaign(text='"{campaign.name:>99999999999}"'),
        "reminders [-99999999999999999999d]": campaign(
            kind="event",
            event="    event:\n      name: N\n      starts: 2030-01-01 10:00\n"
            "      ends: 2030-01-01 11:00\n      location: HQ\n",
            extra="    reminders: [-99999999999999999999d]\n",
        ),
        "!!python/object tag": campaign(text="!!python/object:os.system x"),
        f"{posts:,} posts ({len(_posts_file(posts)) / 1e6:.0f} MB)": _posts_file(posts),
    }


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def measure_sync(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "campaigns").mkdir()
        (ws / "campaigns" / "good.yaml").write_text(campaign(id="good", name="Good"))
        settings = Settings(workspace=ws)
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        daemon = Daemon(settings, engine=engine, clock=lambda: datetime.now(UTC))
        daemon.resync()
        (ws / "campaigns" / "hostile.yaml").write_text(text)
        started = time.monotonic()
        report = daemon.resync()
        took = time.monotonic() - started
        status = daemon.ledger.status()
        invalid = [f.diagnostics[0]["message"][:70] for f in status.invalid_files]
        rows = sum(status.counts.values())
        engine.dispose()
    print(
        f"{name:38} {took:7.1f} s  synced={report is not None}  rows={rows:7}  "
        f"{'invalid: ' + invalid[0] if invalid else 'valid'}"
    )


def _run(ws: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BEATPOST), "--config", str(ws / "beatpost.toml"), "run"],
            cwd=ws,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def measure_sigterm(posts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "campaigns").mkdir()
        # The file limits (1,000 posts a file) refuse one huge file at once, so the longest
        # legal sync is many full files.
        for n in range(max(1, posts // 1000)):
            (ws / "campaigns" / f"big-{n}.yaml").write_text(_posts_file(1000, f"big-{n}"))
        (ws / "beatpost.toml").write_text('log_level = "INFO"\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
        log = ws / "daemon.log"
        for delay in (5.0, 30.0):
            proc = _run(ws, env, log)
            while b"reading the campaign files" not in log.read_bytes():
                time.sleep(0.1)
            time.sleep(delay)
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=300)
            print(
                f"SIGTERM {delay:4.0f} s into the first sync of {posts:,} posts "
                f"({max(1, posts // 1000)} files): "
                f"exit {code} after {time.monotonic() - sent:.1f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=40_000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for name, text in hostile_files(args.posts).items():
        measure_sync(name, text)
    print(
        f"peak memory: daemon {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest reading child {isolated_read.stats.peak_bytes / 2**20:.0f} MB"
    )
    measure_sigterm(args.posts)


if __name__ == "__main__":
    main()
