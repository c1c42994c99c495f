"""``beatpost sandbox`` serves in the foreground, prints the settings to use, stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]

# The real entry point, as the console script calls it.
RUNNER = """
import sys
from beatpost.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    # Run from an empty folder (no beatpost.toml) yet import this checkout.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, "sandbox", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(proc: subprocess.Popen[str], marker: str, limit: float = 15.0) -> str:
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return "".join(lines)
    raise AssertionError(f"no {marker!r} in output: {''.join(lines)}")


def test_sandbox_speed_keeps_one_clock_for_all(tmp_path: Path) -> None:
    """--speed makes the audience live faster, not the clock: what the sandbox stamps on posts
    and comments is real time, the time the daemon and the other connectors read."""
    proc = _start(tmp_path, "--port", "0", "--seed", "11", "--speed", "3600")
    try:
        head = _read_until(proc, "# inspect:")
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+) \(seed 11\)", head)
        assert url, head
        base = url.group(1)
        assert f'base_url = "{base}"' in head
        assert "export BEATPOST_X__ACCESS_TOKEN=" in head
        assert "clock: real time" in head and "audience lives x3600 faster" in head
        summary = requests.get(f"{base}/_sandbox", timeout=5).json()
        assert summary["seed"] == 11
        first = datetime.fromisoformat(summary["now"])
        assert abs(first - datetime.now(UTC)) < timedelta(seconds=5)
        time.sleep(0.3)
        later = datetime.fromisoformat(requests.get(f"{base}/_sandbox", timeout=5).json()["now"])
        assert later - first < timedelta(seconds=5)  # real time, not an hour per second
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "sandbox stopped; 0 posts, " in out
    assert "Traceback" not in err


def test_port_in_use_is_one_clean_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _start(tmp_path, "--port", str(port))
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in err
    assert "Traceback" not in err


def test_sandbox_in_a_workspace_serves_the_publish_folder_not_the_originals(tmp_path: Path) -> None:
    from beatpost.workspace import create_workspace

    ws = create_workspace(tmp_path / "springfield")
    [original] = sorted(ws.media.glob("*.jpg"))[:1]
    proc = _start(ws.root, "--port", "0")
    try:
        head = _read_until(proc, "# inspect:")
        base = re.search(r"listening on (http://127\.0\.0\.1:\d+)", head).group(1)
        assert f"serving {ws.root.resolve() / 'public-media'} under {base}/_sandbox/hosted/" in head
        copy = ws.root / "public-media" / "0123abcd.jpg"
        copy.parent.mkdir()
        copy.write_bytes(b"\xff\xd8 metadata-free copy")
        served = requests.get(f"{base}/_sandbox/hosted/0123abcd.jpg", timeout=5)
        assert served.status_code == 200 and served.content == copy.read_bytes()
        hidden = requests.get(f"{base}/_sandbox/hosted/{original.name}", timeout=5)
        assert hidden.status_code == 404  # the media/ originals are never served
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
