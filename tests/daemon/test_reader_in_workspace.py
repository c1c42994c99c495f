"""The daemon's campaign reader, run from inside a workspace as ``beatpost run`` is."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

WHEN = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)

CAMPAIGN = f"""\
version: 1
campaign:
  id: walk
  name: Walk
  timezone: UTC
  window: {{start: {WHEN.date()}, end: {WHEN.date() + timedelta(days=5)}}}
  platforms: [x, facebook]
  approved_by: Lt. Ortiz
posts:
  - id: hello
    kind: announcement
    at: {WHEN:%Y-%m-%d %H:%M}
    text: Riverton PD is hiring.
"""

SCRIPT = textwrap.dedent("""\
    from datetime import UTC, datetime
    from beatpost.isolated_read import read_plans
    from config import load_settings

    if __name__ == "__main__":
        read = read_plans(load_settings(), datetime.now(UTC))
        print(len(read.plans), sorted(read.invalid_files))
""")


def test_reader_works_when_the_workspace_campaigns_folder_shadows_the_package(tmp_path):
    """``beatpost run`` in a workspace made by ``init`` read no file at all: the reader's
    server process (``python -c``) put the working directory first on its import path, so
    the workspace's ``campaigns/`` folder was imported in place of beatpost's ``campaigns``
    package (ImportError, then "campaign sync failed ... more than 2048 MB of memory?")."""
    workspace = tmp_path / "riverton-pd"
    (workspace / "campaigns").mkdir(parents=True)
    (workspace / "campaigns" / "walk.yaml").write_text(CAMPAIGN)
    (workspace / "beatpost.toml").write_text('default_timezone = "UTC"\n')
    script = tmp_path / "read.py"  # a script, as the console script is: its folder, not cwd
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEATPOST_", "PYTHON"))}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ImportError" not in done.stderr
    assert done.stdout.split()[0] == "2", done.stdout  # hello on x and on facebook
    assert done.stdout.strip().endswith("[]"), done.stdout  # no file invalid
    assert Path(workspace / "campaigns").is_dir()
