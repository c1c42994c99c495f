"""The campaign shown in the README validates as it stands, in a workspace ``init`` made."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from beatpost.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_campaign_example_validates_in_an_init_workspace(tmp_path, monkeypatch, clean_env):
    """The README's example had `alt: Poster reading "Questions about applying?"` inside a
    flow mapping (YAML ends a plain value at '?' there: "fields opened with '{' are not
    closed") and named images as media/..., which from campaigns/ is outside the media
    folder; copied into campaigns/, it failed validation."""
    [example] = re.findall(r"```yaml\n(version: 1\n.*?)```", README.read_text(), re.S)
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "init",
            str(tmp_path / "ws"),
            "--department",
            "Riverton PD",
            "--timezone",
            "America/Chicago",
        ],
    )
    assert made.exit_code == 0, made.output
    monkeypatch.chdir(tmp_path / "ws")
    Path("campaigns/readme.yaml").write_text(example)
    checked = runner.invoke(cli, ["validate"])
    assert checked.exit_code == 0, checked.output
    assert " 0 errors" in checked.output or "no problems" in checked.output
