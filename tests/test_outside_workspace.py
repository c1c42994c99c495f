"""A command run outside any workspace says so and does nothing: `beatpost pause` in the
wrong folder used to say "Paused everything" into a new, empty store while the daemon in the
real workspace went on posting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _beatpost(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    command = [sys.executable, "-m", "beatpost", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


@pytest.mark.parametrize(
    "args",
    [
        ("pause", "--reason", "crisis"),
        ("status",),
        ("comments",),
    ],
)
def test_outside_a_workspace_nothing_is_done(tmp_path: Path, args: tuple[str, ...]) -> None:
    run = _beatpost(tmp_path, *args)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"no beatpost workspace in {tmp_path}" in run.stderr
    assert "beatpost init DIR" in run.stderr
    assert "Paused" not in run.stdout
    assert list(tmp_path.iterdir()) == []  # no .beatpost/ left behind


def test_a_workspace_made_by_init_is_one(tmp_path: Path) -> None:
    made = _beatpost(
        tmp_path, "init", "dept", "--department", "Springfield PD", "--timezone", "America/Chicago"
    )
    assert made.returncode == 0, made.stderr
    run = _beatpost(tmp_path / "dept", "pause", "--reason", "crisis")
    assert run.returncode == 0, run.stderr
    assert "Paused everything" in run.stdout
