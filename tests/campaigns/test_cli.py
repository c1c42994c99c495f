"""The validate and plan commands, run through the real CLI entry point."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime

import pytest
from icalendar import Calendar

from beatpost.cli import main
from tests.campaigns.conftest import DATA, EXAMPLES


@pytest.fixture(autouse=True)
def hermetic(tmp_path, monkeypatch):
    """No beatpost.toml and no BEATPOST_* variables from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    # The example campaign keeps its images beside it, not in a workspace's media/ folder.
    monkeypatch.setenv("BEATPOST_MEDIA_DIR", str(EXAMPLES / "media"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "beatpost.toml"
    path.write_text(
        '[instagram]\nmedia_base_url = "https://springfieldpd.example.org/public-media/"\n'
    )
    return str(path)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_example(capsys, config):
    code, out, _ = run(capsys, "--config", config, "validate", str(EXAMPLES))
    assert code == 0
    lines = out.strip().splitlines()
    assert any(
        line.startswith("Instagram: beatpost writes metadata-free copies of the images to ")
        for line in lines
    )
    assert lines[-1] == "Checked 1 file: no problems."


def test_validate_reports_the_instagram_warning_without_media_url(capsys):
    code, out, _ = run(capsys, "validate", str(EXAMPLES))
    assert code == 0
    lines = out.strip().splitlines()
    assert re.fullmatch(
        r".*spring-recruiting-2027\.yaml:10:28: warning: campaign\.platforms\[2\]: "
        r"Instagram fetches images .*",
        lines[0],
    )
    assert lines[-1] == "Checked 1 file: 0 errors, 1 warning."


def test_validate_errors_exit_1_grouped_by_file(capsys):
    code, out, _ = run(capsys, "validate", str(DATA / "clash"), str(DATA / "broken"))
    assert code == 1
    lines = out.strip().splitlines()
    problems = [line for line in lines if ": error: " in line]
    assert [re.sub(r"^.*/", "", p.split(": error: ")[0]) for p in problems] == [
        "b.yaml:3:7",
        "b.yaml:9:9",
        "bad.yaml:6:14",
    ]
    assert "posts[0].id: post id 'hello' is already used by" in problems[1]
    assert lines[-1] == "Checked 4 files: 3 errors, 0 warnings in 2 files."


def test_validate_usage_error_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "does not exist" in err


def test_validate_json_shape(capsys):
    code, out, _ = run(capsys, "validate", "--format", "json", str(DATA / "clash"))
    assert code == 1
    payload = json.loads(out)
    assert set(payload) == {"files", "errors", "warnings", "notes"}
    assert payload["files"] == 2 and payload["warnings"] == []
    assert [set(e) for e in payload["errors"]] == [
        {"file", "line", "column", "path", "message"}
    ] * 2
    assert payload["errors"][0]["line"] == 3 and payload["errors"][0]["path"] == "campaign.id"


def test_validate_defaults_to_the_settings_campaigns_folder(capsys, tmp_path):
    shutil.copytree(DATA / "broken", tmp_path / "campaigns")
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert "bad.yaml:6:14: error:" in out


PLAN_KEYS = {
    "campaign",
    "post",
    "kind",
    "platform",
    "at_utc",
    "at_local",
    "timezone",
    "text",
    "media",
}


def test_plan_json(capsys, config):
    code, out, err = run(capsys, "--config", config, "plan", str(EXAMPLES), "--format", "json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert len(items) == 84  # 28 postings x 3 platforms (one is the video testimonial)
    assert all(set(item) == PLAN_KEYS for item in items)
    assert [i["at_utc"] for i in items] == sorted(i["at_utc"] for i in items)
    first = items[0]
    assert first["at_utc"] == "2027-03-01T15:00:00Z"
    assert first["at_local"] == "2027-03-01T09:00:00-06:00"
    assert first["timezone"] == "America/Chicago"
    assert first["media"][0]["alt_text"].startswith("Poster with the department badge")


def test_plan_from_to_are_local_days(capsys, config):
    code, out, _ = run(
        capsys,
        "--config",
        config,
        "plan",
        str(EXAMPLES),
        "--format",
        "json",
        "--from",
        "2027-03-02",
        "--to",
        "2027-03-03",
    )
    assert code == 0
    days = {item["at_local"][:10] for item in json.loads(out)}
    assert days == {"2027-03-02", "2027-03-03"}


def test_plan_bad_date_is_a_usage_error(capsys):
    code, _, err = run(capsys, "plan", str(EXAMPLES), "--from", "next tuesday")
    assert code == 2
    assert "is not a date" in err


def test_plan_ics(capsys, config):
    code, out, _ = run(
        capsys, "--config", config, "plan", str(EXAMPLES), "--format", "ics", "--to", "2027-03-07"
    )
    assert code == 0
    calendar = Calendar.from_ical(out)
    events = [c for c in calendar.walk("VEVENT")]
    # seven posts/occurrences in the first week (one a video), each going to three platforms
    assert len(events) == 7
    assert len({str(e["UID"]) for e in events}) == 7
    first = events[0]
    assert first.decoded("DTSTART") == datetime.fromisoformat("2027-03-01T15:00:00+00:00")
    assert "on facebook, instagram, x" in str(first["SUMMARY"])


def test_plan_table_and_errors_on_stderr(capsys, config):
    code, out, err = run(capsys, "--config", config, "plan", str(DATA / "broken"))
    assert code == 1
    assert "bad.yaml:6:14: error:" in err
    assert "1 delivery" in out and "good-post" in out
    # the platform as people read it ("X"), not its key ("x")
    row = next(line for line in out.splitlines() if "good-post" in line)
    assert [cell.strip() for cell in row.split("│")][3] == "X"


def test_validate_names_threads_among_the_platforms_fetching_the_published_copies(
    capsys, config, tmp_path, monkeypatch
):
    (tmp_path / "media").mkdir()
    shutil.copy(EXAMPLES / "media" / "applications-open.jpg", tmp_path / "media")
    monkeypatch.setenv("BEATPOST_MEDIA_DIR", str(tmp_path / "media"))
    campaign = tmp_path / "threads.yaml"
    campaign.write_text(
        "version: 1\n"
        "campaign:\n"
        "  id: threads-test\n"
        "  name: Threads test\n"
        "  timezone: America/Chicago\n"
        "  window: {start: 2027-03-01, end: 2027-05-31}\n"
        "  platforms: [threads]\n"
        "  approved_by: Lt. Test\n"
        "posts:\n"
        "  - id: open\n"
        "    kind: announcement\n"
        "    at: 2027-03-02 10:00\n"
        "    text: Applications are open.\n"
        "    media:\n"
        "      - file: media/applications-open.jpg\n"
        "        alt: Now hiring poster\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--config", config, "validate", str(campaign))
    assert code == 0, out
    assert any(
        line.startswith("Threads: beatpost writes metadata-free copies of the images to ")
        for line in out.splitlines()
    ), out
