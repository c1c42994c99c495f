"""``python -m beatpost`` runs the command line, as ``beatpost`` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _python_m_beatpost(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "beatpost", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)


def test_python_m_beatpost_runs_the_command_line():
    help_run = _python_m_beatpost("--help")
    assert help_run.returncode == 0, help_run.stderr
    assert help_run.stdout.startswith("Usage: beatpost") and "comments" in help_run.stdout
    bad = _python_m_beatpost("no-such-command")
    assert bad.returncode == 2 and "no-such-command" in bad.stderr
