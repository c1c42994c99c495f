"""X video: chunked upload (initialize, append, finalize, STATUS), captions, resume, processing
failure and timeout; with ``responses`` (bodies in the shape of X's openapi.json) and over the
sandbox's real HTTP."""

from __future__ import annotations

import json

import pytest
import responses

import connectors.x_video as x_video
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.sandbox import SandboxServer, SandboxState, SimClock
from connectors.sandbox import x_video as sandbox_video
from connectors.video import stripped_copy
from connectors.x import XConnector
from tests.connectors.test_x import BASE, NOW, SECRETS, USER_ID
from tests.videoclips import DEVICE_MODEL, GPS, SERIAL, make_clip, make_srt

MEDIA_ID = "1880028106020515840"
SUBS_ID = "1880028106020515841"
POST_ID = "1880028200000000001"
INIT = {"data": {"id": MEDIA_ID, "media_key": f"7_{MEDIA_ID}", "expires_after_secs": 86400}}
SUBS_INIT = {"data": {"id": SUBS_ID, "media_key": f"7_{SUBS_ID}", "expires_after_secs": 86400}}
APPEND = {"data": {"expires_at": 1767225600}}
FINALIZE_PENDING = {
    "data": {
        "id": MEDIA_ID,
        "media_key": f"7_{MEDIA_ID}",
        "size": 0,
        "expires_after_secs": 86400,
        "processing_info": {"state": "pending", "check_after_secs": 1},
    }
}
STATUS_IN_PROGRESS = {
    "data": {
        "id": MEDIA_ID,
        "media_key": f"7_{MEDIA_ID}",
        "processing_info": {"state": "in_progress", "check_after_secs": 3, "progress_percent": 40},
    }
}
STATUS_SUCCEEDED = {
    "data": {
        "id": MEDIA_ID,
        "media_key": f"7_{MEDIA_ID}",
        "processing_info": {"state": "succeeded", "progress_percent": 100},
    }
}
STATUS_FAILED = {
    "data": {
        "id": MEDIA_ID,
        "media_key": f"7_{MEDIA_ID}",
        "processing_info": {
            "state": "failed",
            "progress_percent": 20,
            "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video codec"},
        },
    }
}
SUBS_FINALIZE = {
    "data": {"id": SUBS_ID, "media_key": f"7_{SUBS_ID}", "size": 10, "expires_after_secs": 86400}
}
SUBTITLES = {
    "data": {
        "id": MEDIA_ID,
        "media_category": "TweetVideo",
        "associated_subtitles": {"id": SUBS_ID, "language_code": "EN", "display_name": "English"},
    }
}
METADATA = {"data": {"id": MEDIA_ID, "associated_metadata": {"alt_text": {"text": "x"}}}}
CREATED = {
    "data": {
        "id": POST_ID,
        "text": "Officer Diaz https://t.co/abc",
        "edit_history_tweet_ids": [POST_ID],
    }
}
PERSONAL = [GPS.encode(), DEVICE_MODEL.encode(), SERIAL.encode(), b"\xa9xyz", b"ISO6709"]


@pytest.fixture
def video(tmp_path, monkeypatch) -> MediaFile:
    monkeypatch.setattr(x_video, "CHUNK_BYTES", 16 * 1024)  # several pieces from a small clip
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), quicktime_atoms=True)
    captions = make_srt(tmp_path / "diaz.srt", [(0, 2, "I joined for my family.")])
    return MediaFile(
        path=clip, alt_text="Officer Diaz speaks", mime_type="video/quicktime", captions=captions
    )


class Saved:
    def __init__(self):
        self.states: list[dict[str, str]] = []

    def __call__(self, _post, state):
        self.states.append(dict(state))


def make(**overrides) -> tuple[XConnector, list[float], Saved]:
    conn = XConnector(
        **SECRETS, user_id=USER_ID, username="SpringfieldPD", base_url=BASE, clock=lambda: NOW
    )
    slept: list[float] = []
    clock = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    conn._sleep = sleep  # type: ignore[method-assign]
    conn._monotonic = lambda: clock[0]  # type: ignore[method-assign]
    saved = Saved()
    conn.on_resume = saved
    for key, value in overrides.items():
        setattr(conn, key, value)
    return conn, slept, saved


def _json(body) -> dict:
    return {"json": body, "status": 200}


def _register_upload(pieces_ok: bool = True) -> None:
    responses.post(BASE + "/2/media/upload/initialize", **_json(INIT))
    responses.post(BASE + "/2/media/upload/initialize", **_json(SUBS_INIT))
    responses.post(BASE + f"/2/media/upload/{MEDIA_ID}/append", **_json(APPEND))
    responses.post(BASE + f"/2/media/upload/{SUBS_ID}/append", **_json(APPEND))
    responses.post(BASE + f"/2/media/upload/{MEDIA_ID}/finalize", **_json(FINALIZE_PENDING))
    responses.post(BASE + f"/2/media/upload/{SUBS_ID}/finalize", **_json(SUBS_FINALIZE))
    responses.post(BASE + "/2/media/metadata", **_json(METADATA))
    responses.post(BASE + "/2/media/subtitles", **_json(SUBTITLES))
    responses.post(BASE + "/2/tweets", json=CREATED, status=201)


def _calls(path_part: str) -> list:
    return [c for c in responses.calls if path_part in c.request.url]


def _segment(call) -> int:
    body = call.request.body
    marker = b'name="segment_index"\r\n\r\n'
    return int(body.split(marker, 1)[1].split(b"\r\n", 1)[0])


@responses.activate
def test_video_goes_up_in_order_is_polled_then_posted_with_captions(video):
    _register_upload()
    responses.get(BASE + "/2/media/upload", **_json(STATUS_IN_PROGRESS))
    responses.get(BASE + "/2/media/upload", **_json(STATUS_SUCCEEDED))
    conn, slept, saved = make()

    published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,)))

    assert published.platform_id == POST_ID
    init = json.loads(_calls("/initialize")[0].request.body)
    assert init["media_category"] == "tweet_video" and init["media_type"] == "video/quicktime"
    appends = _calls(f"/{MEDIA_ID}/append")
    assert [_segment(c) for c in appends] == list(range(len(appends))) and len(appends) > 2
    uploaded = b"".join(c.request.body for c in appends)
    assert [m for m in PERSONAL if m in uploaded] == []
    assert sum(len(c.request.body) for c in appends) > init["total_bytes"]  # multipart wrap
    status = _calls("command=STATUS")
    assert len(status) == 2 and f"media_id={MEDIA_ID}" in status[0].request.url
    assert slept == [1.0, 3.0]  # check_after_secs, at least the backoff
    subs = json.loads(_calls("/2/media/subtitles")[0].request.body)
    assert subs == {
        "id": MEDIA_ID,
        "media_category": "TweetVideo",
        "subtitles": {"id": SUBS_ID, "language_code": "EN", "display_name": "English"},
    }
    tweet = json.loads(_calls("/2/tweets")[0].request.body)
    assert tweet["media"] == {"media_ids": [MEDIA_ID]}
    assert saved.states[0]["x_video_id"] == MEDIA_ID
    assert saved.states[-1]["x_video_ready"] == "1"


@responses.activate
def test_failed_piece_resumes_the_same_upload_without_a_second_initialize(video):
    _register_upload()
    responses.replace(
        responses.POST, BASE + f"/2/media/upload/{MEDIA_ID}/append", json=APPEND, status=200
    )
    responses.get(BASE + "/2/media/upload", **_json(STATUS_SUCCEEDED))
    conn, _slept, saved = make()
    post = OutgoingPost(key="k", text="Officer Diaz", media=(video,))
    failing = {"n": 0}
    real = conn._raw_post

    def flaky(action, path, **kwargs):
        if path.endswith("/append") and MEDIA_ID in path:
            failing["n"] += 1
            if failing["n"] == 2:
                raise TransientError("upload video piece 2: 503", platform="x")
        return real(action, path, **kwargs)

    conn._raw_post = flaky  # type: ignore[method-assign]
    with pytest.raises(TransientError) as caught:
        conn.publish(post)
    resume = caught.value.resume  # type: ignore[attr-defined]
    assert resume["x_video_id"] == MEDIA_ID and resume["x_video_next"] == "1"
    assert saved.states[-1] == resume

    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,), resume=resume))

    video_inits = [
        c
        for c in _calls("/initialize")
        if json.loads(c.request.body)["media_category"] == "tweet_video"
    ]
    assert len(video_inits) == 1, "the upload session is reused, never created twice"
    segments = [_segment(c) for c in _calls(f"/{MEDIA_ID}/append")]
    # piece 0 went up before the failure; the retry starts at piece 1: each piece sent once
    assert segments == list(range(len(segments))) and len(segments) > 2


@responses.activate
def test_processing_failure_is_permanent_with_xs_reason(video):
    _register_upload()
    responses.get(BASE + "/2/media/upload", **_json(STATUS_FAILED))
    conn, _slept, _saved = make()
    with pytest.raises(
        Rejected, match="could not process the video diaz.mov: Unsupported video codec"
    ):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,)))
    assert _calls("/2/tweets") == []


@responses.activate
def test_processing_timeout_is_transient_and_the_retry_polls_the_same_upload(video):
    _register_upload()
    responses.get(BASE + "/2/media/upload", **_json(STATUS_IN_PROGRESS))
    conn, slept, _saved = make(processing_deadline=20.0)
    with pytest.raises(TransientError, match="still processing") as caught:
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,)))
    assert sum(slept) <= 20.0 and slept == sorted(slept), "backs off up to the deadline"
    resume = caught.value.resume  # type: ignore[attr-defined]
    assert resume["x_video_finalized"] == "1"

    responses.replace(responses.GET, BASE + "/2/media/upload", json=STATUS_SUCCEEDED)
    appended = len(_calls(f"/{MEDIA_ID}/append"))
    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,), resume=resume))
    assert len(_calls(f"/{MEDIA_ID}/append")) == appended, "nothing uploaded again"
    assert (
        len(
            [
                c
                for c in _calls("/initialize")
                if json.loads(c.request.body)["media_category"] == "tweet_video"
            ]
        )
        == 1
    )


# -- over the sandbox ---------------------------------------------------------------------------
@pytest.fixture
def sandbox(tmp_path):
    from datetime import UTC, datetime

    state = SandboxState(seed=3, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state, media_dir=tmp_path / "hosted") as server:
        yield state, server


def _sandbox_connector(server) -> XConnector:
    conn = XConnector(**SECRETS, user_id=None, base_url=server.url)
    conn._sleep = lambda _s: None  # type: ignore[method-assign]
    return conn


def test_sandbox_receives_the_video_clean_with_captions(sandbox, video):
    state, server = sandbox
    conn = _sandbox_connector(server)
    published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,)))
    post = state.get_post("x", published.platform_id)
    item = state.get_media("x", post.media[0])
    assert item.mime_type == "video/quicktime"
    assert item.extra["location_markers"] == []
    assert [m for m in PERSONAL if m in item.data] == [] and len(item.data) > 1000
    assert item.extra["subtitles"]["language_code"] == "EN"
    assert item.alt_text == "Officer Diaz speaks"


def test_sandbox_processing_failure_reaches_the_connector(sandbox, video):
    state, server = sandbox
    state.extras[sandbox_video.FAIL_KEY] = "Video too long"
    with pytest.raises(Rejected, match="Video too long"):
        _sandbox_connector(server).publish(
            OutgoingPost(key="k", text="Officer Diaz", media=(video,))
        )
    assert state.posts("x") == []


def test_sandbox_checks_piece_order_and_size(sandbox):
    import requests
    from requests_oauthlib import OAuth1

    _state, server = sandbox
    auth = OAuth1("k", "s", "t", "ts")
    start = requests.post(
        server.url + "/2/media/upload/initialize",
        auth=auth,
        json={"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_video"},
    ).json()
    media_id = start["data"]["id"]

    def piece(index: int, data: bytes):
        return requests.post(
            server.url + f"/2/media/upload/{media_id}/append",
            auth=auth,
            files={"media": ("b", data)},
            data={"segment_index": str(index)},
        )

    assert piece(1, b"12345").status_code == 400
    assert "out of order" in piece(1, b"12345").text
    assert piece(0, b"12345").ok and piece(1, b"12345").ok
    short = requests.post(server.url + f"/2/media/upload/{media_id}/finalize", auth=auth)
    assert short.ok
    over = requests.post(
        server.url + "/2/media/upload/initialize",
        auth=auth,
        json={"media_type": "video/mp4", "total_bytes": 4, "media_category": "tweet_video"},
    ).json()
    bad = requests.post(
        server.url + f"/2/media/upload/{over['data']['id']}/append",
        auth=auth,
        files={"media": ("b", b"123456")},
        data={"segment_index": "0"},
    )
    assert bad.status_code == 400 and "past total_bytes" in bad.text
    early = requests.post(server.url + f"/2/media/upload/{over['data']['id']}/finalize", auth=auth)
    assert early.status_code == 400 and "size mismatch" in early.text


def test_sandbox_serves_video_plays_and_completions(sandbox, video):
    from datetime import timedelta

    state, server = sandbox
    conn = _sandbox_connector(server)
    published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,)))
    photo_free = conn.publish(OutgoingPost(key="t", text="Text only, no video"))
    state.clock.advance(timedelta(hours=30))
    snaps = {
        s.platform_id: s
        for s in conn.fetch_metrics([published.platform_id, photo_free.platform_id])
    }
    video_snap = snaps[published.platform_id]
    assert video_snap.views and video_snap.extras["video_plays"] > 0
    assert 0 < video_snap.extras["video_completions"] < video_snap.extras["video_plays"]
    assert "video_plays" not in snaps[photo_free.platform_id].extras


@responses.activate
def test_resumed_after_finalize_waits_for_processing_before_the_alt_text(video):
    """The demo's X video failed with 'Could not find media' on alt text: an attempt resumed
    after FINALIZE took the video as processed without asking X."""
    _register_upload()
    responses.get(BASE + "/2/media/upload", **_json(STATUS_IN_PROGRESS))  # the reuse check
    responses.get(BASE + "/2/media/upload", **_json(STATUS_IN_PROGRESS))  # still processing
    responses.get(BASE + "/2/media/upload", **_json(STATUS_SUCCEEDED))
    conn, slept, _saved = make()
    with stripped_copy(video, "x") as copy:
        size = copy.size
    resume = {
        "x_video_id": MEDIA_ID,
        "x_video_bytes": str(size),
        "x_video_finalized": "1",
        "x_video_ready": "",
    }
    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(video,), resume=resume))

    urls = [c.request.url for c in responses.calls]
    metadata = next(i for i, u in enumerate(urls) if u.endswith("/2/media/metadata"))
    polls = [i for i, u in enumerate(urls) if "command=STATUS" in u]
    assert len(polls) == 3 and polls[-1] < metadata, "alt text only once X says succeeded"
    assert slept, "it waited for X to finish processing"
    video_inits = [
        c
        for c in _calls("/initialize")
        if json.loads(c.request.body)["media_category"] == "tweet_video"
    ]
    assert video_inits == [], "the finished upload is not started again"
