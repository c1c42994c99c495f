"""``beatpost demo``, shortened: the example campaign through the daemon, the real connectors
over HTTP against the sandbox, pulls with sentiment, and the digest files."""

from __future__ import annotations

import email
import html as html_lib
import importlib.util
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from beatpost.campaign_sync import validation_options
from beatpost.cli import cli
from beatpost.demo import DemoError, DemoOptions, DemoResult, rehearsal_settings, run_demo
from beatpost.workspace import Workspace
from campaigns import load_campaigns
from store import State, make_engine
from store.engine import read_session
from store.metrics_models import CommentRecord, MetricSnapshotRecord
from store.models import Delivery

SCORING = importlib.util.find_spec("analysis.flags") and importlib.util.find_spec(
    "analysis.sentiment"
)


def _planned(result: DemoResult, root: Path) -> list:
    """What the example campaign plans in the rehearsed span, read straight from the files."""
    ws = Workspace(root / "ws")
    settings = rehearsal_settings(ws, {})
    found = load_campaigns([ws.campaigns], validation_options(settings, result.start))
    return found.deliveries(result.start, result.end)


def _rows(root: Path) -> tuple[list[Delivery], list[CommentRecord], list[MetricSnapshotRecord]]:
    engine = make_engine(f"sqlite:///{root / 'ws' / '.beatpost' / 'beatpost.db'}")
    try:
        with read_session(engine) as session:
            return (
                list(session.scalars(select(Delivery))),
                list(session.scalars(select(CommentRecord))),
                list(session.scalars(select(MetricSnapshotRecord))),
            )
    finally:
        engine.dispose()


def test_rehearsal_starts_at_the_campaign_and_posts_everything_due_once(rehearsal) -> None:
    result, root = rehearsal
    assert result.start == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)  # midnight in Chicago
    assert result.end - result.start == timedelta(days=3)
    planned = _planned(result, root)
    expected = Counter(p.platform for p in planned)
    assert set(expected) == {"x", "facebook", "instagram"}
    assert result.published == expected
    assert result.states == Counter({State.PUBLISHED.value: len(planned)})
    assert result.problems == []
    # What reached the platforms (the sandbox over HTTP): each delivery exactly once.
    assert result.sandbox_posts == expected
    assert result.duplicates == 0
    deliveries, _comments, _snapshots = _rows(root)
    published = {d.key: d for d in deliveries if d.state == State.PUBLISHED}
    assert {p.key for p in planned} == set(published)
    for plan in planned:
        row = published[plan.key]
        assert row.text == plan.text
        assert row.platform_id and row.published_at is not None
        # on time: the daemon woke at the instant (the sandbox clock is simulated)
        assert row.published_at - plan.at_utc < timedelta(seconds=5)


def test_rehearsal_pulls_engagement_and_comments_back(rehearsal) -> None:
    result, root = rehearsal
    assert result.pulls == 3 * 24 * 4  # every 15 simulated minutes
    assert result.pull_errors == 0
    deliveries, comments, snapshots = _rows(root)
    assert len(snapshots) == result.snapshots > 0
    assert len(comments) == result.new_comments > 0
    measured = {s.delivery_id for s in snapshots}
    cutoff = result.end - timedelta(hours=2)
    early = [d for d in deliveries if d.published_at and d.published_at < cutoff]
    assert {d.id for d in early} <= measured  # every post out for an hour and more was measured
    if SCORING:
        assert all(c.sentiment_label in {"positive", "neutral", "negative"} for c in comments)


def test_digest_shows_the_campaigns_posts(rehearsal) -> None:
    result, root = rehearsal
    data = result.digest
    out = root / "out"
    assert {p.name for p in result.files} >= {"digest.html", "digest.txt", "digest.eml"}
    text = (out / "digest.txt").read_text(encoding="utf-8")
    html = (out / "digest.html").read_text(encoding="utf-8")
    assert str(data.week) == "2027-W09"
    assert data.this_week.posts_out == sum(result.published.values())
    assert data.this_week.audience > 0 and data.this_week.interactions > 0
    planned_texts = {p.text for p in _planned(result, root)}
    assert data.top_posts
    for top in data.top_posts:
        assert top.text in planned_texts
        opening = top.text.split("#")[0].strip()[:60]
        assert opening in " ".join(text.split())
        assert opening in " ".join(html_lib.unescape(html).split())
    assert "Springfield Police Department" in text and "Springfield Police Department" in html
    message = email.message_from_bytes((out / "digest.eml").read_bytes())
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html", "image/png"} <= kinds


@pytest.mark.skipif(not SCORING, reason="comments are flagged by analysis.sentiment/flags")
def test_digest_lists_the_comments_flagged_for_a_reply(rehearsal) -> None:
    result, root = rehearsal
    data = result.digest
    _deliveries, comments, _snapshots = _rows(root)
    flagged = [c for c in comments if "needs_reply" in (c.flags or [])]
    assert flagged, "the sandbox audience asks questions; some must be flagged"
    assert data.needs_reply_total == len(flagged)
    text = " ".join((root / "out" / "digest.txt").read_text(encoding="utf-8").split())
    first = data.needs_reply[0]
    assert " ".join(first.text.split())[:80] in text
    assert {r.text for r in data.needs_reply} <= {c.text for c in flagged}


def test_injected_errors_are_recovered_without_duplicates(tmp_path) -> None:
    result = run_demo(DemoOptions(out_dir=tmp_path / "out", days=2, error_rate=0.15, seed=3))
    assert result.faults > 0
    assert result.recovered > 0  # some posts needed a second attempt
    assert result.problems == []
    assert result.sandbox_posts == result.published  # every delivery out, once
    assert result.duplicates == 0


def test_demo_summary_names_the_flagged_comments_in_local_time(tmp_path, clean_env) -> None:
    """Each count of flagged comments comes with the comments (hostile ones in the summary,
    every one in flagged-comments.txt), in the department's local time and plain words."""
    out = tmp_path / "demo-out"
    outcome = CliRunner().invoke(cli, ["demo", "--days", "3", "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    summary = outcome.stdout
    ours = "\n".join(line for line in summary.splitlines() if not line.startswith("    - "))
    for jargon in ("pulls", "at most once", "UTC", "audience "):
        assert jargon not in ours, jargon  # (comment texts aside: they are the public's)
    assert "Rehearsed 1–3 Mar 2027 (America/Chicago time)" in summary
    flagged = (out / "flagged-comments.txt").read_text(encoding="utf-8")
    assert str(out / "flagged-comments.txt") in summary
    safety = re.search(r"Officer safety:\s+(\d+)", summary)
    hostile = re.search(r"Flagged hostile:\s+(\d+)", summary)
    waiting = re.search(r"Need a reply:\s+(\d+)", summary)
    assert safety and hostile and waiting
    # the safety comments were named in the summary but left out of the file
    assert f"review now: {safety[1]}\n" in flagged
    assert f"moderation tools: {hostile[1]}\n" in flagged
    assert f"Waiting for a reply: {waiting[1]}" in flagged
    listed = [line for line in flagged.splitlines() if line.startswith("- ")]
    assert len(listed) == int(safety[1]) + int(hostile[1]) + int(waiting[1])
    # The safety and hostile ones are named in the summary itself, with their local time.
    for line in listed[: min(int(safety[1]) + int(hostile[1]), 5)]:
        assert line[2:] in summary
        assert re.search(r", (Mon|Tue|Wed) \d Mar \d\d:\d\d: ", line)


def test_demo_rehearsal_across_daylight_saving_ends_at_local_midnight() -> None:
    """14 days from Monday 1 March end at midnight on Monday 15 March in Chicago (DST began on
    the 14th), so the digest is week 10's, not the empty week 11."""
    from zoneinfo import ZoneInfo

    from beatpost.demo import rehearsal_end

    start = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)  # midnight CST
    end = rehearsal_end(start, 14, ZoneInfo("America/Chicago"))
    assert end == datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # midnight CDT
    assert rehearsal_end(start, 3, ZoneInfo("America/Chicago")) - start == timedelta(days=3)


def test_demo_same_seed_same_week(tmp_path) -> None:
    """The help promises it: two rehearsals with one seed give the same figures, comments and
    digest, although the daemon publishes to the platforms in parallel and fails requests on
    purpose."""
    runs = [
        run_demo(DemoOptions(out_dir=tmp_path / f"out{n}", days=2, error_rate=0.15, seed=5))
        for n in (1, 2)
    ]
    first, second = (r.digest for r in runs)
    assert runs[0].faults > 0
    assert first.this_week == second.this_week
    assert first.top_posts == second.top_posts
    assert first.needs_reply == second.needs_reply and first.hostile == second.hostile
    assert (runs[0].published, runs[0].recovered, runs[0].new_comments, runs[0].faults) == (
        runs[1].published,
        runs[1].recovered,
        runs[1].new_comments,
        runs[1].faults,
    )
    for name in ("digest.txt", "digest.html"):
        assert (tmp_path / "out1" / name).read_text() == (tmp_path / "out2" / name).read_text()


def test_demo_ignores_the_environment(tmp_path, monkeypatch) -> None:
    """A rehearsal on a production machine must not reach its database or accounts."""
    production = tmp_path / "production.db"
    monkeypatch.setenv("BEATPOST_DATABASE_URL", f"sqlite:///{production}")
    monkeypatch.setenv("BEATPOST_X__BASE_URL", "https://api.x.com")
    monkeypatch.setenv("BEATPOST_X__ACCESS_TOKEN", "a-real-looking-token")
    result = run_demo(DemoOptions(out_dir=tmp_path / "out", days=1))
    assert not production.exists()
    assert sum(result.sandbox_posts.values()) == sum(result.published.values()) > 0
    assert result.workspace is None  # temporary, removed


def test_demo_keeps_its_hands_off_a_folder_it_did_not_make(tmp_path) -> None:
    mine = tmp_path / "department"
    mine.mkdir()
    (mine / "beatpost.toml").write_text("# the department's real settings\n")
    with pytest.raises(DemoError, match="not a demo workspace"):
        run_demo(DemoOptions(out_dir=tmp_path / "out", days=1, workspace=mine))
    assert (mine / "beatpost.toml").read_text() == "# the department's real settings\n"


@pytest.mark.parametrize("days", [0, 61])
def test_days_out_of_range_is_a_usage_error(days: int, tmp_path) -> None:
    outcome = CliRunner().invoke(cli, ["demo", "--days", str(days), "--out", str(tmp_path)])
    assert outcome.exit_code == 2
    assert "--days" in outcome.output


def test_demo_command_prints_a_summary_and_writes_the_files(tmp_path, clean_env) -> None:
    out = tmp_path / "demo-out"
    outcome = CliRunner().invoke(
        cli, ["demo", "--days", "1", "--out", str(out), "--error-rate", "0.1"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Posts published:" in outcome.output
    assert "Practice errors:" in outcome.output
    for name in ("digest.html", "digest.txt", "digest.eml", "demo.log", "flagged-comments.txt"):
        assert (out / name).is_file(), name
        assert str(out / name) in outcome.output
    log = (out / "demo.log").read_text(encoding="utf-8")
    assert "published as" in log  # the daemon's own account of the day


def test_the_examples_video_testimonial_goes_out_on_every_platform(tmp_path) -> None:
    """The example's video (Thursday of the first week) through the real connectors and the
    sandbox's chunked, session and container uploads, practice errors included."""
    result = run_demo(DemoOptions(out_dir=tmp_path / "out", days=4, workspace=tmp_path / "ws"))
    assert result.problems == []
    assert result.sandbox_posts == result.published
    assert result.duplicates == 0
    deliveries, _comments, _snapshots = _rows(tmp_path)
    video = {d.platform: d.state for d in deliveries if d.post_id == "testimonial-diaz-video"}
    assert video == {p: State.PUBLISHED for p in ("x", "facebook", "instagram")}


@pytest.mark.parametrize("days, said", [(1, "Rehearsing 1 day of"), (3, "Rehearsing 3 days of")])
def test_demo_counts_its_days_in_words(tmp_path, monkeypatch, days, said) -> None:
    """It said "Rehearsing 1 day(s)" (and "3 warning(s) or error(s)")."""
    import beatpost.demo

    def stop(options, progress=None):
        raise DemoError("stopped by the test")

    monkeypatch.setattr(beatpost.demo, "run_demo", stop)
    outcome = CliRunner().invoke(cli, ["demo", "--days", str(days), "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 1 and "stopped by the test" in outcome.output
    assert said in outcome.output and "(s)" not in outcome.output


def test_demo_plural_words() -> None:
    from beatpost.display import plural

    assert plural(1, "warning or error", "warnings or errors") == "1 warning or error"
    assert plural(14, "warning or error", "warnings or errors") == "14 warnings or errors"
    assert plural(1_200, "comment") == "1,200 comments"
