"""Resident memory and CPU of an idle ``beatpost run`` with 10,000 pending deliveries.

A temporary workspace gets the campaign files of ``bench/validate.py`` (``--files`` of
them, 50 deliveries each: about 10,000 deliveries in March-May 2027, all in the future),
and the real ``beatpost run`` console script is started on it. It plans and syncs them all
(start-up), then waits for the first instant. Once the log says the daemon started, and
``--settle`` seconds more, ``/proc/PID/stat`` (utime + stime) and ``/proc/PID/status``
(VmRSS) are sampled every second for ``--duration`` seconds. SIGTERM ends it; the ledger is
then read to report how many deliveries were pending.

    .venv/bin/python bench/daemon_idle.py [--files 200] [--duration 30] [--settle 5]
        [--database-url postgresql+psycopg://...]

Idle work in that time: the campaign-folder watcher (every 2 s, stats every file) and the
wake at most every 5 s (``next_wake`` and an empty claim).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, describe_url, machine, postgres_url, print_table, scratch_postgres
from validate import generate

from store import Ledger, make_engine

TICKS = os.sysconf("SC_CLK_TCK")
BEATPOST = Path(sys.executable).parent / "beatpost"


def cpu_seconds(pid: int) -> float:
    # Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def status_kb(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def threads(pid: int) -> int:
    return status_kb(pid, "Threads")


def wait_for_start(proc: subprocess.Popen, log: Path, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"beatpost run exited with {proc.returncode}:\n{log.read_text()}")
        if "started on" in log.read_text(errors="replace"):
            return time.monotonic() - start
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"beatpost run did not start within {timeout} s:\n{log.read_text()}")


def run(workspace: Path, database_url: str | None, args: argparse.Namespace) -> None:
    generate(workspace, args.files)
    config = workspace / "beatpost.toml"
    lines = [
        'log_level = "INFO"',
        *([f'database_url = "{database_url}"'] if database_url else []),
        "",
        "[instagram]",
        'media_base_url = "https://springfieldpd.example.org/media"',
    ]
    config.write_text("\n".join(lines) + "\n")
    log = workspace / "daemon.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    env["PYTHONPATH"] = str(REPO)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(BEATPOST), "--config", str(config), "run"],
            cwd=workspace,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        startup = wait_for_start(proc, log, args.timeout)
        startup_cpu = cpu_seconds(proc.pid)
        startup_rss = status_kb(proc.pid, "VmRSS")
        time.sleep(args.settle)

        samples = []
        cpu0, wall0 = cpu_seconds(proc.pid), time.monotonic()
        while time.monotonic() - wall0 < args.duration:
            time.sleep(1.0)
            samples.append(status_kb(proc.pid, "VmRSS"))
        cpu1, wall1 = cpu_seconds(proc.pid), time.monotonic()
        peak = status_kb(proc.pid, "VmHWM")
        thread_count = threads(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    url = database_url or f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}"
    engine = make_engine(url)
    counts = Ledger(engine).status().counts
    engine.dispose()
    cpu_percent = (cpu1 - cpu0) / (wall1 - wall0) * 100
    rss_mb = sum(samples) / len(samples) / 1024

    print(
        f"data: {args.files} generated campaign files (bench/validate.py), "
        f"{counts.get('planned', 0):,} pending deliveries "
        f"(ledger: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); "
        f"{describe_url(url)}"
    )
    print(f"machine: {machine()}")
    print()
    print_table(
        [
            ("idle RSS (mean of samples)", f"{rss_mb:.1f} MiB"),
            ("idle RSS min / max", f"{min(samples) / 1024:.1f} / {max(samples) / 1024:.1f} MiB"),
            (f"idle CPU over {wall1 - wall0:.0f} s", f"{cpu_percent:.2f} % of one core"),
            ("peak RSS (VmHWM, start-up included)", f"{peak / 1024:.1f} MiB"),
            ("start-up: launch to 'started' (plan + sync)", f"{startup:.1f} s"),
            ("start-up CPU", f"{startup_cpu:.1f} s"),
            ("RSS right after start-up", f"{startup_rss / 1024:.1f} MiB"),
            ("threads", str(thread_count)),
            ("exit status after SIGTERM", str(proc.returncode)),
        ],
        ["figure", "value"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="50 deliveries per file")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds sampled")
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds to wait after start-up before sampling"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="start-up limit, seconds")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL (a scratch database is made beside it)",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="use $BEATPOST_TEST_POSTGRES_URL as --database-url"
    )
    args = parser.parse_args()
    if not BEATPOST.exists():
        raise SystemExit(f"the beatpost console script is not installed next to {sys.executable}")
    server = args.database_url or (postgres_url(None) if args.postgres else None)
    if args.postgres and not server:
        parser.error("--postgres needs BEATPOST_TEST_POSTGRES_URL to be set")
    with tempfile.TemporaryDirectory() as tmp:
        if server:
            with scratch_postgres(server) as url:
                run(Path(tmp), url, args)
        else:
            run(Path(tmp), None, args)


if __name__ == "__main__":
    main()
