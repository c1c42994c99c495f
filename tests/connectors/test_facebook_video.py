"""Facebook Page videos over the sandbox: chunked upload session, resume after a failed range,
processing failure with Facebook's reason, captions, metadata gone from the uploaded bytes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

import connectors
import connectors.sandbox.graph_api as graph_api
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from tests.connectors.test_x_video import PERSONAL
from tests.videoclips import make_clip, make_srt

TOKEN = "fb-video-token-2b7e"


@pytest.fixture
def rig(tmp_path, monkeypatch):
    monkeypatch.setattr(graph_api, "FB_CHUNK", 8 * 1024)  # several ranges from a small clip
    state = SandboxState(seed=5, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, TOKEN))
        conn = connectors.create("facebook", settings)
        conn._sleep = lambda _s: None
        yield state, conn, tmp_path


def _video(tmp_path, captions: str = "srt") -> MediaFile:
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), seconds=2, quicktime_atoms=True)
    if captions == "srt":
        subs = make_srt(tmp_path / "diaz.srt", [(0, 2, "I joined for my family.")])
    else:
        subs = tmp_path / "diaz.vtt"
        subs.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nI joined for my family.\n")
    return MediaFile(
        path=clip, alt_text="Officer Diaz speaks", mime_type="video/quicktime", captions=subs
    )


@pytest.mark.parametrize("captions", ["srt", "vtt"])
def test_video_post_goes_up_in_ranges_clean_with_captions(rig, captions):
    state, conn, tmp_path = rig
    post = OutgoingPost(
        key="k", text="Officer Diaz on why she joined", media=(_video(tmp_path, captions),)
    )
    published = conn.publish(post)
    video = state.get_media("facebook", published.platform_id)
    assert video.extra["size"] > 3 * 8 * 1024 and len(video.data) == video.extra["size"]
    assert video.extra["location_markers"] == []
    assert [m for m in PERSONAL if m in video.data] == []
    assert video.extra["captions"] == "diaz.en_US.srt"
    assert state.get_post("facebook", published.platform_id).text.startswith("Officer Diaz")


def test_failed_range_resumes_the_same_session(rig):
    state, conn, tmp_path = rig
    saved = []
    conn.on_resume = lambda _post, resume: saved.append(dict(resume))
    real = conn.client.post
    transfers = {"n": 0}

    def flaky(path, data=None, **kwargs):
        if (data or {}).get("upload_phase") == "transfer":
            transfers["n"] += 1
            if transfers["n"] == 2:
                raise TransientError("POST /videos: 503 Service Unavailable", platform="facebook")
        return real(path, data, **kwargs)

    conn.client.post = flaky
    post = OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path),))
    with pytest.raises(TransientError) as caught:
        conn.publish(post)
    assert saved[-1] == caught.value.resume
    resume = caught.value.resume
    assert resume["fb_offset"] == str(8 * 1024), "one range went up before the failure"
    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=post.media, resume=resume))
    sessions = state.extras["graph.video_sessions"]
    assert len(sessions) == 1, "the session is reused, never opened twice"
    assert len(state.posts("facebook")) == 1


def test_processing_failure_is_permanent_with_facebooks_reason(rig):
    state, conn, tmp_path = rig
    state.extras[graph_api.FB_VIDEO_FAILURE_KEY] = "The video file is corrupt"
    with pytest.raises(Rejected, match="could not process the video diaz.mov: The video file"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path),)))


def test_slow_processing_is_retried_on_the_same_video(rig):
    state, conn, tmp_path = rig
    state.extras[graph_api.FB_VIDEO_POLLS_KEY] = 1000
    conn.processing_deadline = 5
    post = OutgoingPost(key="k", text="Officer Diaz", media=(_video(tmp_path),))
    with pytest.raises(TransientError, match="still processing") as caught:
        conn.publish(post)
    for media in state.media("facebook"):
        media.extra["polls_left"] = 0
    published = conn.publish(
        OutgoingPost(key="k", text="Officer Diaz", media=post.media, resume=caught.value.resume)
    )
    assert len(state.posts("facebook")) == 1
    assert published.platform_id == caught.value.resume["fb_video_id"]


def test_reel_placement_goes_through_video_reels_and_resumes(rig):
    import requests

    state, conn, tmp_path = rig
    media = replace(_video(tmp_path), placement="reels")
    real_post = conn.client._session.post
    calls = {"n": 0}

    def dropped(url, *args, **kwargs):
        if "/rupload/" in url:
            calls["n"] += 1
            if calls["n"] == 1:
                raise requests.ConnectionError("connection reset")
        return real_post(url, *args, **kwargs)

    conn.client._session.post = dropped
    post = OutgoingPost(key="k", text="Officer Diaz, Reel", media=(media,))
    with pytest.raises(TransientError, match="uploading the Reel") as caught:
        conn.publish(post)
    published = conn.publish(replace(post, resume=caught.value.resume))

    assert len(state.extras["graph.reels"]) == 1, "the Reel upload is reused, never restarted"
    reel = state.get_media("facebook", published.platform_id)
    assert reel.extra["reel"] is True and reel.extra["location_markers"] == []
    assert [m for m in PERSONAL if m in reel.data] == []
    assert published.url.endswith(f"/reel/{published.platform_id}/")
