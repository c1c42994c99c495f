"""Video plays and completions reach the week's summary, `report` and the digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from analysis.digest.render import render_text
from analysis.digest.sample import sample_digest
from analysis.engagement import PostRow, build_week, video_summary
from analysis.timeframe import IsoWeek

WHEN = datetime(2027, 3, 9, 16, tzinfo=UTC)


def _row(i: int, video_plays=None, video_completions=None, **counts) -> PostRow:
    return PostRow(
        delivery_id=i,
        platform="x",
        kind="testimonial",
        campaign_id="c",
        published_at=WHEN,
        taken_at=WHEN,
        counts=counts,
        video_plays=video_plays,
        video_completions=video_completions,
    )


def test_video_summary_adds_up_only_video_posts():
    rows = [
        _row(1, views=10_000, video_plays=4_000, video_completions=1_640),
        _row(2, views=2_400, video_plays=1_000, video_completions=410),
        _row(3, views=50_000),
    ]
    summary = video_summary(rows)
    assert (summary.posts, summary.views, summary.plays, summary.completions) == (
        2,
        12_400,
        5_000,
        2_050,
    )
    assert summary.sentence() == "testimonial videos: 12,400 views, 41 % watched to the end"
    assert video_summary([_row(3, views=5)]) is None


def test_week_carries_the_video_summary_into_its_json():
    week = build_week(
        IsoWeek.parse("2027-W10"),
        ZoneInfo("America/Chicago"),
        [_row(1, views=100, video_plays=50, video_completions=20)],
        [],
        [],
        [],
    )
    assert week.to_json()["videos"]["completion_rate"] == 0.4


def test_digest_text_shows_the_video_line():
    data = replace(
        sample_digest(), videos="testimonial videos: 12,400 views, 41 % watched to the end"
    )
    assert "Video            testimonial videos: 12,400 views, 41 % watched to the end" in (
        render_text(data)
    )


def test_completion_rate_counts_only_platforms_that_report_completions():
    """Instagram Reels report plays and watch time but no completions; X reports no watch time."""
    rows = [
        _row(1, views=10_000, video_plays=4_000, video_completions=1_640),  # X
        replace(
            _row(2, views=2_400, video_plays=1_000, video_completions=410),
            platform="facebook",
            video_avg_watch_seconds=12.0,
        ),
        replace(
            _row(3, views=3_000, video_plays=3_000),
            platform="instagram",
            video_avg_watch_seconds=8.0,
        ),
    ]
    summary = video_summary(rows)
    assert summary.views == 15_400 and summary.plays == 8_000
    assert summary.completion_rate == pytest.approx(2_050 / 5_000)
    assert summary.avg_watch_seconds == pytest.approx((12.0 * 1_000 + 8.0 * 3_000) / 4_000)
    assert summary.sentence() == (
        "testimonial videos: 15,400 views, 41 % watched to the end, 9 s watched on average"
    )


def test_only_instagram_reels_give_no_completion_share():
    summary = video_summary(
        [replace(_row(1, views=900, video_plays=900), video_avg_watch_seconds=7.6)]
    )
    assert summary.completion_rate is None
    assert summary.sentence() == "testimonial videos: 900 views, 8 s watched on average"


def test_mastodon_and_bluesky_videos_add_no_views_to_the_video_line():
    """Neither reports views or plays (favourites, boosts, likes, reposts, replies only): their
    video posts are not counted, so the line claims no views for them."""
    rows = [
        _row(1, views=4_000, video_plays=2_000, video_completions=800),  # X
        replace(_row(2, reactions=40, shares=12, replies=3), platform="mastodon"),
        replace(_row(3, reactions=55, shares=9, replies=4, quotes=1), platform="bluesky"),
    ]
    summary = video_summary(rows)
    assert (summary.posts, summary.views, summary.plays) == (1, 4_000, 2_000)
    assert video_summary(rows[1:]) is None
