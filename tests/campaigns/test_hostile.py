"""Hostile and extreme campaign files: each ends in the file's own located error, quickly.

Nesting, size, numbers past what dates and memory can hold, YAML tags, and media paths that
leave the media folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import campaigns.loader
from campaigns import load_campaigns
from campaigns.bounds import (
    MAX_DELIVERIES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_FORMAT_WIDTH,
    MAX_POSTS,
    MAX_REMINDER_DAYS,
    MAX_YEAR,
    MIN_YEAR,
)
from tests.campaigns.conftest import FIRST_POST_LINE, HEADER, make_image, options

VALIDATE = "from beatpost.cli import main; raise SystemExit(main())"


def _validate_in_subprocess(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    return subprocess.run(
        [sys.executable, "-c", VALIDATE, "validate", str(path)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _block_nesting(levels: int) -> str:
    return "".join(f"{'  ' * i}a:\n" for i in range(levels)) + f"{'  ' * levels}b\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("version: 1\nposts: " + "[" * 30_000 + "\n", 2, id="30000 ["),
        pytest.param("version: 1\nposts: " + "{" * 30_000 + "\n", 2, id="30000 {"),
        pytest.param("version: 1\nposts: " + "[{a: " * 15_000 + "\n", 2, id="[{ alternating"),
        pytest.param(_block_nesting(600), MAX_DEPTH + 1, id="600 indented levels"),
    ],
)
def test_deep_nesting_is_a_located_error_not_a_segfault(tmp_path, text, line):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = _validate_in_subprocess(path, tmp_path)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert f"deep.yaml:{line}:" in done.stdout
    assert f"nested more than {MAX_DEPTH} levels deep" in done.stdout
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 20


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    post = "  - {id: p%d, kind: announcement, at: 2027-03-02 10:00, text: Hello}\n"
    lines = [HEADER]
    while sum(map(len, lines)) <= MAX_FILE_BYTES:
        lines.append(post % len(lines))
    path.write_text("".join(lines), encoding="utf-8")
    started = time.monotonic()
    cs = load_campaigns([path], options())
    assert time.monotonic() - started < 1
    (error,) = cs.errors
    assert (error.line, error.column) == (1, 1)
    assert "a campaign file may be at most 1 MB" in error.message


# -- numbers past what dates, durations and memory can hold ---------------------------------


ANNOUNCEMENT = '- id: a\n  kind: announcement\n  at: {at}\n  text: "{text}"\n'
EVENT = (
    "- id: fair\n  kind: event\n  event:\n    name: Fair\n    starts: 2027-04-10 10:00\n"
    "    location: Gym\n  reminders: [{offset}]\n"
)
AT, TEXT, REMINDER = (FIRST_POST_LINE + 2, 7), (FIRST_POST_LINE + 3, 9), (FIRST_POST_LINE + 6, 15)
YEARS = f"campaign dates must fall in the years {MIN_YEAR} to {MAX_YEAR}"
REMINDERS = f"a reminder goes out at most {MAX_REMINDER_DAYS} days before"
WIDTH = f"the width in a format can be at most {MAX_FORMAT_WIDTH}"

# (id, campaign file posts, where the error is, what it says)
OUT_OF_RANGE = [
    ("at year 9999", ANNOUNCEMENT.format(at="9999-12-31 23:59", text="Hi"), AT, YEARS),
    ("at year 1", ANNOUNCEMENT.format(at="0001-01-01 00:00", text="Hi"), AT, YEARS),
    ("reminder 1e9 days", EVENT.format(offset="-999999999d"), REMINDER, REMINDERS),
    ("reminder 1e20 days", EVENT.format(offset="-99999999999999999999d"), REMINDER, REMINDERS),
    ("reminder 53 weeks", EVENT.format(offset="-53w"), REMINDER, REMINDERS),
    (
        "format width 1e11",
        ANNOUNCEMENT.format(at="2027-03-02 10:00", text="{campaign.name:>99999999999}"),
        TEXT,
        WIDTH,
    ),
    (
        "format fill width 5000",
        ANNOUNCEMENT.format(at="2027-03-02 10:00", text="{campaign.name:x^5000}"),
        TEXT,
        WIDTH,
    ),
    (
        "format precision 1e11",
        ANNOUNCEMENT.format(at="2027-03-02 10:00", text="{campaign.name:.99999999999}"),
        TEXT,
        f"the precision in a format can be at most {MAX_FORMAT_WIDTH}",
    ),
]


@pytest.mark.parametrize(
    ("posts", "where", "message"), [pytest.param(*case[1:], id=case[0]) for case in OUT_OF_RANGE]
)
def test_numbers_out_of_range_are_located_errors(load_text, posts, where, message):
    cs = load_text(posts)
    assert [(e.line, e.column) for e in cs.errors] == [where], cs.errors
    assert message in cs.errors[0].message


def test_repeat_running_past_year_9999_is_not_an_exception(load_text):
    header = HEADER.replace(
        "window: {start: 2027-03-01, end: 2027-05-31}", "window: {start: 2027-03-01}"
    )
    cs = load_text(
        """\
      - id: century
        kind: announcement
        text: Hello
        repeat: {rule: "FREQ=YEARLY;INTERVAL=100;COUNT=200", time: "10:00"}
    """,
        header=header,
    )
    assert not cs.errors
    assert all(d.at_utc.year <= MAX_YEAR for d in cs.deliveries())


def test_an_unexpected_failure_is_that_files_error_and_the_others_still_plan(write, monkeypatch):
    good = write(
        HEADER + "  - {id: a, kind: announcement, at: '2027-03-02 10:00', text: Hi}\n", "good.yaml"
    )
    bad = write(
        HEADER.replace("test-campaign", "other")
        + "  - {id: b, kind: announcement, at: '2027-03-02 10:00', text: Hi}\n",
        "bad.yaml",
    )
    real = campaigns.loader.plan_campaign

    def plan(campaign, reader, opts):
        if campaign.id == "other":
            raise MemoryError
        return real(campaign, reader, opts)

    monkeypatch.setattr(campaigns.loader, "plan_campaign", plan)
    cs = load_campaigns([good, bad], options())
    assert len(cs.errors) == 1, cs.errors
    error = cs.errors[0]
    assert error.file == str(bad) and (error.line, error.column) == (1, 1)
    assert "could not check this file (it needs too much memory)" in error.message
    assert [d.post_id for d in cs.deliveries()] == ["a", "a"]


# -- how much one file may ask for ----------------------------------------------------------


def test_too_many_posts_is_an_error_at_posts(load_text):
    posts = "".join(
        f"- id: p{i}\n  kind: announcement\n  at: 2027-03-02 10:00\n  text: Hi\n"
        for i in range(MAX_POSTS + 1)
    )
    started = time.monotonic()
    cs = load_text(posts)
    assert time.monotonic() - started < 5
    (error,) = cs.errors
    assert (error.line, error.column) == (FIRST_POST_LINE - 1, 1)
    assert f"a campaign file may have at most {MAX_POSTS:,}" in error.message


def test_too_many_deliveries_is_an_error_at_the_campaign(load_text):
    header = HEADER.replace(
        "window: {start: 2027-03-01, end: 2027-05-31}",
        "window: {start: 2027-01-01, end: 2029-12-31}",
    )
    posts = "".join(
        f"- id: daily-{i}\n  kind: announcement\n  text: Hello {i}\n"
        f"  repeat: {{rule: 'FREQ=DAILY;COUNT=1000', time: '1{i}:00'}}\n"
        for i in range(MAX_DELIVERIES // 2000 + 1)
    )
    cs = load_text(posts, header=header)
    assert len(cs.errors) == 1, cs.errors
    error = cs.errors[0]
    assert (error.line, error.column) == (2, 1)
    assert f"more than {MAX_DELIVERIES:,} deliveries" in error.message
    assert cs.deliveries() == []


# -- YAML tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ("!!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!local Hello", "!local"),
        ("! Hello", "!"),
    ],
)
def test_only_plain_yaml_tags_are_accepted(load_text, value, shown):
    cs = load_text(f"""\
      - id: tagged
        kind: announcement
        at: 2027-03-02 10:00
        text: {value}
    """)
    (error,) = cs.errors
    assert (error.line, error.column) == (FIRST_POST_LINE + 3, 9)
    assert f"YAML tags like {shown!r} are not allowed" in error.message


def test_plain_type_tags_are_accepted(load_text):
    cs = load_text("""\
      - id: !!str tagged
        kind: announcement
        at: !!str 2027-03-02 10:00
        text: !!str Hello
    """)
    assert not cs.errors
    assert [d.text for d in cs.deliveries()][0].startswith("Hello")


# -- media stays inside the media folder ----------------------------------------------------


def _media_doc(file: str) -> str:
    return HEADER + textwrap.indent(
        textwrap.dedent(f"""\
        - id: pic
          kind: announcement
          at: 2027-03-02 10:00
          text: Hello
          media: [{{file: "{file}", alt: A poster}}]
    """),
        "  ",
    )


@pytest.fixture
def workspace(tmp_path) -> Path:
    """campaigns/ and media/ side by side, and a secret image outside both."""
    (tmp_path / "campaigns").mkdir()
    make_image(tmp_path / "media" / "poster.jpg")
    make_image(tmp_path / "elsewhere" / "private.jpg")
    return tmp_path


def _load_media(workspace: Path, file: str):
    path = workspace / "campaigns" / "c.yaml"
    path.write_text(_media_doc(file), encoding="utf-8")
    return load_campaigns([path], options(media_root=workspace / "media"))


def test_media_in_the_media_folder_named_from_campaigns_is_accepted(workspace):
    cs = _load_media(workspace, "../media/poster.jpg")
    assert not cs.errors
    assert {m.path for d in cs.deliveries() for m in d.media} == {
        (workspace / "media" / "poster.jpg").resolve()
    }


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../elsewhere/private.jpg", "is outside the media folder"),
        ("../../../../../../etc/passwd", "is outside the media folder"),
        ("../media/../elsewhere/private.jpg", "is outside the media folder"),
        ("/etc/passwd", "not from the top of the disk"),
        ("ABSOLUTE", "not from the top of the disk"),
        ("../media/link.jpg", "is outside the media folder"),
        ("../media/a\\0b.jpg", "is not a usable file name"),
    ],
)
def test_media_leaving_the_media_folder_is_refused(workspace, file, message):
    (workspace / "media" / "link.jpg").symlink_to(workspace / "elsewhere" / "private.jpg")
    file = file.replace("ABSOLUTE", str(workspace / "media" / "poster.jpg"))
    cs = _load_media(workspace, file)
    media_errors = [e for e in cs.errors if e.path.endswith("media[0].file")]
    assert len(media_errors) == 1, cs.errors
    assert (media_errors[0].line, media_errors[0].column) == (FIRST_POST_LINE + 4, 20)
    assert message in media_errors[0].message
    assert cs.deliveries() == []


def test_symbolic_link_inside_the_media_folder_is_accepted(workspace):
    (workspace / "media" / "alias.jpg").symlink_to(workspace / "media" / "poster.jpg")
    assert not _load_media(workspace, "../media/alias.jpg").errors


# -- the daemon's view: planning.load_plans ----------------------------------------------------


def test_daemon_planning_reports_each_hostile_file_and_plans_the_others(tmp_path):
    from datetime import UTC, datetime

    from beatpost.campaign_sync import load_plans
    from config import Settings

    folder = tmp_path / "campaigns"
    folder.mkdir()
    make_image(tmp_path / "media" / "poster.jpg")
    good = HEADER + ANNOUNCEMENT.format(at="2027-03-02 10:00", text="Hi")
    (folder / "good.yaml").write_text(good)
    hostile = {
        "deep.yaml": "version: 1\nposts: " + "[" * 30_000 + "\n",
        "far.yaml": ANNOUNCEMENT.format(at="9999-12-31 23:59", text="Hi"),
        "wide.yaml": ANNOUNCEMENT.format(
            at="2027-03-02 10:00", text="{campaign.name:>99999999999}"
        ),
        "reminder.yaml": EVENT.format(offset="-99999999999999999999d"),
        "outside.yaml": ANNOUNCEMENT.format(at="2027-03-02 10:00", text="Hi")
        + "  media: [{file: /etc/hostname, alt: A poster}]\n",
    }
    for i, (name, posts) in enumerate(hostile.items()):
        header = HEADER.replace("test-campaign", f"other-{i}")
        (folder / name).write_text(
            posts if name == "deep.yaml" else header + posts.replace("id: a", f"id: a{i}")
        )
    settings = Settings(workspace=tmp_path)
    plan_set = load_plans(settings, datetime(2027, 3, 1, tzinfo=UTC))
    assert plan_set.valid_files == ["campaigns/good.yaml"]
    assert sorted(plan_set.invalid_files) == sorted(f"campaigns/{n}" for n in hostile)
    for errors in plan_set.invalid_files.values():
        assert errors and all(e["line"] >= 1 and e["column"] >= 1 for e in errors)
        assert not any("could not check" in e["message"] for e in errors), errors
    assert {p.post_id for p in plan_set.plans} == {"a"}


def test_nesting_and_tags_are_found_without_libyaml_too(monkeypatch):
    from campaigns import yamlsource

    monkeypatch.setattr(yamlsource, "_CLoader", None)  # the pure-Python parser
    _, deep = yamlsource.parse("version: 1\nposts: " + "[" * 30_000 + "\n")
    assert deep is not None and (deep.line, deep.column) == (2, 39)
    assert f"nested more than {MAX_DEPTH} levels" in deep.message
    _, tag = yamlsource.parse("a: !!python/object:os.system {}\n")
    assert tag is not None and "'!!python/object:os.system' are not allowed" in tag.message
    node, problem = yamlsource.parse("a: !!str 1\n")
    assert problem is None and node is not None
