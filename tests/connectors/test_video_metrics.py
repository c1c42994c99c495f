"""Facebook and Instagram video figures (views, completions, average watch time) reach the
snapshot's extras under X's names, from recorded Graph bodies and over the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import responses

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.facebook import FacebookConnector
from connectors.instagram import InstagramConnector
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.graph_api import VIDEO_AVG_WATCH_MS
from tests.connectors._graph_support import API, IG_USER_ID, PAGE_ID, make_client, query_of
from tests.videoclips import make_clip, make_srt

VIDEO_ID = "323790578640877"
REEL_ID = "17920238422030777"
PHOTO_ID = "17920238422030506"


def _metric(object_id: str, edge: str, name: str, value, title: str, description: str) -> dict:
    """One metric as Graph's insights edges spell it (the "Video Insights" reference)."""
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": title,
        "description": description,
        "id": f"{object_id}/{edge}/{name}/lifetime",
    }


FB_VIDEO_INSIGHTS = {
    "data": [
        _metric(
            VIDEO_ID,
            "video_insights",
            "total_video_views",
            89,
            "Lifetime Total Video Views",
            "Lifetime: Total number of times your video was viewed for 3 seconds or viewed "
            "to the end, whichever came first. (Total Count)",
        ),
        _metric(
            VIDEO_ID,
            "video_insights",
            "total_video_complete_views",
            31,
            "Lifetime Total 95% Video Views",
            "Lifetime: Number of times your video was viewed to 95% of its length. (Total Count)",
        ),
        _metric(
            VIDEO_ID,
            "video_insights",
            "total_video_avg_time_watched",
            12_650,
            "Lifetime Average time video viewed",
            "Lifetime: Average time video viewed (Total Count)",
        ),
    ]
}

IG_REEL_INSIGHTS = {
    "data": [
        _metric(REEL_ID, "insights", "views", 3_100, "Views", "views"),
        _metric(
            REEL_ID,
            "insights",
            "ig_reels_avg_watch_time",
            8_420,
            "Average watch time",
            "The average amount of time spent playing the reel.",
        ),
        _metric(
            REEL_ID,
            "insights",
            "ig_reels_video_view_total_time",
            26_102_000,
            "Watch time",
            "The total amount of time the reel was played, including replays.",
        ),
    ]
}


@responses.activate
def test_facebook_video_gets_views_completions_and_watch_time_from_video_insights():
    post_id = f"{PAGE_ID}_555"
    responses.get(
        f"{API}/",
        json={
            VIDEO_ID: {"id": VIDEO_ID, "created_time": "2026-11-24T12:00:00+0000"},
            post_id: {"id": post_id, "created_time": "2026-11-24T12:00:00+0000"},
        },
    )
    responses.get(f"{API}/{VIDEO_ID}/video_insights", json=FB_VIDEO_INSIGHTS)
    conn = FacebookConnector(
        page_id=PAGE_ID, client=make_client("facebook"), insights_metrics=["post_media_view"]
    )

    snaps = {s.platform_id: s for s in conn.fetch_metrics([VIDEO_ID, post_id])}

    video = snaps[VIDEO_ID]
    assert (video.views, video.extras["video_plays"], video.extras["video_completions"]) == (
        89,
        89,
        31,
    )
    assert video.extras["video_avg_watch_seconds"] == pytest.approx(12.65, abs=0.05)
    assert video.extras["total_video_avg_time_watched"] == 12_650  # the raw figure is kept
    assert "video_plays" not in snaps[post_id].extras  # a Page post is not asked
    batches = {
        query_of(c.request.url)["ids"]: query_of(c.request.url)["fields"]
        for c in responses.calls
        if c.request.url.startswith(f"{API}/?")
    }
    assert "insights" in batches[post_id]
    assert "insights" not in batches[VIDEO_ID]  # a Video node has no insights field
    assert video.shares is None  # not read for a video, not a zero
    asked = [c.request.url for c in responses.calls if "video_insights" in c.request.url]
    assert len(asked) == 1
    assert query_of(asked[0])["metric"].split(",") == [
        "total_video_views",
        "total_video_complete_views",
        "total_video_avg_time_watched",
    ]


@responses.activate
def test_facebook_video_without_insights_keeps_its_snapshot():
    responses.get(f"{API}/", json={VIDEO_ID: {"id": VIDEO_ID}})
    responses.get(
        f"{API}/{VIDEO_ID}/video_insights",
        status=400,
        json={
            "error": {"message": "(#10) Not enough viewers", "type": "OAuthException", "code": 10}
        },
    )
    conn = FacebookConnector(page_id=PAGE_ID, client=make_client("facebook"))
    [video] = conn.fetch_metrics([VIDEO_ID])
    assert "video_plays" not in video.extras and video.views is None


@responses.activate
def test_instagram_reel_gets_plays_and_watch_time_but_a_photo_is_not_asked(tmp_path):
    responses.get(
        f"{API}/",
        json={
            REEL_ID: {"id": REEL_ID, "like_count": 40, "media_product_type": "REELS"},
            PHOTO_ID: {"id": PHOTO_ID, "like_count": 12, "media_product_type": "FEED"},
        },
    )
    responses.get(f"{API}/{REEL_ID}/insights", json=IG_REEL_INSIGHTS)
    conn = InstagramConnector(ig_user_id=IG_USER_ID, client=make_client("instagram"))

    snaps = {s.platform_id: s for s in conn.fetch_metrics([REEL_ID, PHOTO_ID])}

    reel = snaps[REEL_ID]
    assert (reel.views, reel.extras["video_plays"]) == (3_100, 3_100)
    assert reel.extras["video_avg_watch_seconds"] == pytest.approx(8.4, abs=0.05)
    assert "video_completions" not in reel.extras  # Instagram does not report completions
    assert "video_plays" not in snaps[PHOTO_ID].extras
    insights_calls = [c.request.url for c in responses.calls if "/insights" in c.request.url]
    assert [query_of(u)["metric"] for u in insights_calls] == [
        "views,ig_reels_avg_watch_time,ig_reels_video_view_total_time"
    ]


# -- over the sandbox ------------------------------------------------------------------------
@pytest.fixture
def sandbox(tmp_path):
    state = SandboxState(seed=5, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, "video-metrics"))
        yield state, settings, tmp_path


def _clip(tmp_path: Path) -> MediaFile:
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), seconds=2, quicktime_atoms=True)
    subs = make_srt(tmp_path / "diaz.srt", [(0, 2, "I joined for my family.")])
    return MediaFile(path=clip, alt_text="Officer Diaz", mime_type="video/quicktime", captions=subs)


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_sandbox_serves_video_figures_for_video_posts_only(sandbox, platform):
    state, settings, tmp_path = sandbox
    conn = connectors.create(platform, settings)
    conn._sleep = lambda _s: None
    video = conn.publish(OutgoingPost(key="v", text="Officer Diaz", media=(_clip(tmp_path),)))
    other = (
        conn.publish(OutgoingPost(key="t", text="Open house Saturday"))
        if platform == "facebook"
        else None
    )
    state.clock.advance(timedelta(hours=30))
    ids = [video.platform_id] + ([other.platform_id] if other else [])

    snaps = {s.platform_id: s for s in conn.fetch_metrics(ids)}

    extras = snaps[video.platform_id].extras
    assert extras["video_plays"] > 0
    assert extras["video_avg_watch_seconds"] == VIDEO_AVG_WATCH_MS / 1000
    if platform == "facebook":
        assert 0 < extras["video_completions"] < extras["video_plays"]
        assert "video_plays" not in snaps[other.platform_id].extras
    else:
        assert "video_completions" not in extras
