"""Instagram Reels over the sandbox: the hosted copy has no metadata, the container is polled
until FINISHED and reused on retry, a processing error is a permanent failure with its reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.graph_api import REELS_FAILURE_KEY
from tests.connectors.test_x_video import PERSONAL
from tests.videoclips import make_clip

TOKEN = "reels-token-8c1d"


@pytest.fixture
def rig(tmp_path):
    state = SandboxState(seed=5, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, TOKEN))
        conn = connectors.create("instagram", settings)
        conn._sleep = lambda _s: None
        yield state, conn, tmp_path


def _video(tmp_path, **extra) -> MediaFile:
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), seconds=3.2, quicktime_atoms=True)
    return MediaFile(path=clip, alt_text="Officer Diaz", mime_type="video/quicktime", **extra)


def test_reel_goes_out_from_the_clean_hosted_copy(rig):
    state, conn, tmp_path = rig
    state.extras["graph.container_reads_in_progress"] = 2  # processing takes a while
    saved = []
    conn.on_resume = lambda _post, resume: saved.append(resume)
    post = OutgoingPost(
        key="k", text="Officer Diaz on why she joined", media=(_video(tmp_path, cover_at=1.5),)
    )

    published = conn.publish(post)

    live = state.get_post("instagram", published.platform_id)
    assert live.extra["media_type"] == "VIDEO" and live.extra["media_product_type"] == "REELS"
    item = state.get_media("instagram", live.media[0])
    assert item.extra["share_to_feed"] is False and item.extra["thumb_offset"] == "1500"
    assert item.extra["location_markers"] == [] and len(item.data) > 1000
    assert [m for m in PERSONAL if m in item.data] == []
    hosted = list((tmp_path / "public-media").glob("*.mov"))
    assert len(hosted) == 1 and hosted[0].read_bytes() == item.data
    assert saved and saved[0]["container_id"] == live.extra["container_id"]


def test_feed_placement_shares_the_reel_to_the_feed(rig):
    state, conn, tmp_path = rig
    post = OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path, placement="feed"),))
    live = state.get_post("instagram", conn.publish(post).platform_id)
    assert state.get_media("instagram", live.media[0]).extra["share_to_feed"] is True


def test_processing_error_is_permanent_with_instagrams_reason(rig):
    state, conn, tmp_path = rig
    state.extras[REELS_FAILURE_KEY] = "The video is too short"
    with pytest.raises(Rejected, match="The video is too short"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path),)))
    assert state.posts("instagram") == []


def test_slow_processing_keeps_the_container_for_the_retry(rig):
    state, conn, tmp_path = rig
    state.extras["graph.container_reads_in_progress"] = 1000
    post = OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path),))
    with pytest.raises(TransientError, match="still IN_PROGRESS") as caught:
        conn.publish(post)
    resume = caught.value.resume
    containers = len(state.containers)
    state.extras["graph.container_reads_in_progress"] = 0
    for container in state.containers.values():
        container["reads_left"] = 0
    published = conn.publish(
        OutgoingPost(key="k", text="Officer Diaz", media=post.media, resume=resume)
    )
    assert len(state.containers) == containers, "no second container"
    assert state.get_post("instagram", published.platform_id) is not None


def test_a_video_with_other_media_is_refused(rig):
    _state, conn, tmp_path = rig
    photo = MediaFile(path=tmp_path / "p.jpg")
    with pytest.raises(Rejected, match="a video goes out alone"):
        conn.publish(OutgoingPost(key="k", text="x", media=(_video(tmp_path), photo)))
