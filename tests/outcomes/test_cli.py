"""``beatpost outcomes import`` / ``import-visits`` at the edge: messages a person reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from beatpost.cli import cli

DATA = Path(__file__).parent / "data"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "campaigns").mkdir()
    path = tmp_path / "beatpost.toml"
    path.write_text("")
    return path


def _run(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), "outcomes", *args])


def test_import_says_what_was_kept_and_dropped_and_reimport_changes_nothing(config):
    first = _run(config, "import", str(DATA / "neogov_applicants.csv"))
    assert first.exit_code == 0, first.output
    assert "5 applications read; 5 added, 0 updated, 0 already there" in first.output
    assert "Mapping: neogov (date <- 'Application Date'" in first.output
    assert (
        "Not kept (personal or unused): Person ID, First Name, Last Name, Email Address, "
        "Primary Phone, Job Title."
    ) in first.output
    again = _run(config, "import", str(DATA / "neogov_applicants.csv"), "--format", "json")
    assert again.exit_code == 0, again.output
    got = json.loads(again.output)
    assert (got["added"], got["updated"], got["unchanged"]) == (0, 0, 5)


def test_a_bad_row_is_a_warning_with_its_line(config, tmp_path):
    # The bad-row file, with its columns named in settings.
    config.write_text(
        '[outcomes.columns]\ndate = "Application Date"\nid = "Application ID"\n'
        'answer = "Referral Source"\nstage = "Status"\n'
    )
    result = _run(config, "import", str(DATA / "bad_row.csv"))
    assert result.exit_code == 0, result.output
    assert f"warning: {DATA / 'bad_row.csv'}:3: application date 'next tuesday'" in result.output
    assert "2 applications read; 2 added" in result.output


def test_a_file_in_the_wrong_format_imports_nothing(config, tmp_path):
    result = _run(config, "import", str(DATA / "wrong_format.csv"))
    assert result.exit_code == 1
    assert "no application-date column" in result.output
    assert "Nothing was imported." in result.output
    assert "Traceback" not in result.output
    empty = _run(config, "import", str(DATA / "neogov_applicants.csv"), "--format", "json")
    assert json.loads(empty.output)["added"] == 5  # nothing was left behind by the failure


def test_import_visits(config, tmp_path):
    shutil.copy(DATA / "ga4_sessions.csv", tmp_path / "ga4.csv")
    result = _run(config, "import-visits", str(tmp_path / "ga4.csv"), "--source", "ga4")
    assert result.exit_code == 0, result.output
    assert "3 visit rows read; 3 added" in result.output
    rebuilt = _run(config, "attribute")
    assert rebuilt.exit_code == 0
    assert "Attribution rebuilt: 0 applications and 0 visit rows changed." in rebuilt.output


def test_an_emptied_key_file_is_a_clear_error(config, tmp_path):
    key = tmp_path / ".beatpost" / "outcomes.key"
    key.parent.mkdir()
    key.write_text("")
    result = _run(config, "import", str(DATA / "neogov_applicants.csv"))
    assert result.exit_code == 1
    assert f"{key}: the key of the applicant keys is empty; restore it" in result.output
