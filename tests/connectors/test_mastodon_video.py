"""Mastodon video: one upload to /api/v2/media, polled until processed, then the status; resume,
processing failure, timeout, the server's own limits; with ``responses`` (bodies as
docs.joinmastodon.org's methods/media.md shows them) and over the sandbox's real HTTP."""

from __future__ import annotations

import json

import pytest
import responses

from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.mastodon import MastodonConnector
from connectors.mastodon_video import ID, READY
from connectors.sandbox import mastodon_api as sandbox_api
from connectors.video import SOURCE
from tests.connectors import test_mastodon
from tests.connectors.test_mastodon import (
    BASE,
    INSTANCE,
    MEDIA_202,
    NOW,
    STATUS,
    TOKEN,
)
from tests.videoclips import DEVICE_MODEL, GPS, SERIAL, make_clip, make_srt

PERSONAL = [GPS.encode(), DEVICE_MODEL.encode(), SERIAL.encode(), b"\xa9xyz", b"ISO6709"]
# methods/media.md: the 202 answer (url null while processing), for a video.
VIDEO_202 = {**MEDIA_202, "type": "video"}
VIDEO_200 = {
    **VIDEO_202,
    "url": "https://files.mastodon.social/media_attachments/files/022/348/641/original/e96382f26c72a29c.mp4",
}
# methods/media.md, GET /api/v1/media/:id, 422: "There was an error processing the media
# attachment" (the body as the page shows it).
PROCESSING_FAILED = {"error": "Validation failed: File content type is invalid, File is invalid"}
# A stock server's supported_mime_types lists its video types too (the audio ones left out).
SERVER = json.loads(json.dumps(INSTANCE))
SERVER["configuration"]["media_attachments"]["supported_mime_types"] += [
    "video/webm",
    "video/mp4",
    "video/quicktime",
    "video/ogg",
]
MEDIA = f"{BASE}/api/v2/media"
GET_MEDIA = f"{BASE}/api/v1/media/{VIDEO_202['id']}"
STATUSES = f"{BASE}/api/v1/statuses"


@pytest.fixture
def video(tmp_path):
    path = make_clip(
        tmp_path / "media" / "diaz.mp4", size=(32, 56), seconds=2, quicktime_atoms=False
    )
    return MediaFile(path=path, alt_text="Officer Diaz at the station", mime_type="video/mp4")


def connector(saved: list[dict[str, str]] | None = None) -> MastodonConnector:
    waits: list[float] = []
    conn = MastodonConnector(
        base_url=BASE, access_token=TOKEN, clock=lambda: NOW, sleep=waits.append
    )
    conn.waits = waits  # type: ignore[attr-defined]
    conn.processing_deadline = 60.0
    if saved is not None:
        conn.on_resume = lambda post, state: saved.append(dict(state))
    return conn


def delivery(video: MediaFile, resume: dict[str, str] | None = None) -> OutgoingPost:
    return OutgoingPost(
        key="video-test:diaz:mastodon:0",
        text="Officer Diaz on why she joined #JoinSPD",
        media=(video,),
        resume=dict(resume or {}),
    )


def _uploaded(bodies: list[bytes]):
    def callback(request):
        body = request.body
        bodies.append(body.read() if hasattr(body, "read") else bytes(body or b""))
        return 202, {}, json.dumps(VIDEO_202)

    return callback


@responses.activate
def test_video_is_uploaded_clean_polled_with_backoff_then_attached(video):
    bodies: list[bytes] = []
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.add_callback(responses.POST, MEDIA, callback=_uploaded(bodies))
    responses.get(GET_MEDIA, status=206, body="")
    responses.get(GET_MEDIA, status=206, body="")
    responses.get(GET_MEDIA, json=VIDEO_200)
    responses.post(STATUSES, json=STATUS)
    saved: list[dict[str, str]] = []
    conn = connector(saved)

    published = conn.publish(delivery(video))

    assert published.platform_id == "1"
    calls = [(c.request.method, c.request.url.split("?")[0]) for c in responses.calls]
    assert calls == [
        ("GET", f"{BASE}/api/v2/instance"),
        ("POST", MEDIA),
        ("GET", GET_MEDIA),
        ("GET", GET_MEDIA),
        ("GET", GET_MEDIA),
        ("POST", STATUSES),
    ]
    assert conn.waits == [1.0, 2.0]  # type: ignore[attr-defined]
    [body] = bodies
    assert b'name="description"\r\n\r\nOfficer Diaz at the station' in body
    assert b'filename="diaz.mp4"' in body and b"Content-Type: video/mp4" in body
    assert b"ftyp" in body  # the video itself went up
    for needle in PERSONAL:
        assert needle not in body, needle
    status = json.loads(responses.calls[-1].request.body)
    assert status["media_ids"] == [VIDEO_202["id"]]
    assert saved[0][ID] == VIDEO_202["id"] and saved[-1][READY] == "1"


@responses.activate
def test_a_failed_poll_resumes_the_same_upload_without_a_second_one(video):
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.post(MEDIA, status=202, json=VIDEO_202)
    responses.get(GET_MEDIA, status=503, json={"error": "Service Unavailable"})
    saved: list[dict[str, str]] = []
    with pytest.raises(TransientError) as failed:
        connector(saved).publish(delivery(video))
    assert failed.value.resume[ID] == VIDEO_202["id"]  # type: ignore[attr-defined]

    responses.reset()
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.get(GET_MEDIA, json=VIDEO_200)
    responses.post(STATUSES, json=STATUS)
    published = connector().publish(delivery(video, failed.value.resume))  # type: ignore[attr-defined]
    assert published.platform_id == "1"
    assert not [c for c in responses.calls if c.request.url == MEDIA]  # never uploaded twice


@responses.activate
def test_a_video_replaced_since_the_last_attempt_is_uploaded_again(video):
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.post(MEDIA, status=202, json={**VIDEO_202, "id": "22348642"})
    responses.get(f"{BASE}/api/v1/media/22348642", json={**VIDEO_200, "id": "22348642"})
    responses.post(STATUSES, json=STATUS)
    earlier = {ID: VIDEO_202["id"], READY: "1", SOURCE: "123:456"}  # another file then
    connector().publish(delivery(video, earlier))
    assert json.loads(responses.calls[-1].request.body)["media_ids"] == ["22348642"]


@responses.activate
def test_an_upload_the_server_removed_is_made_again(video):
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.get(GET_MEDIA, status=404, json={"error": "Record not found"})
    responses.post(MEDIA, status=202, json={**VIDEO_202, "id": "22348642"})
    responses.get(f"{BASE}/api/v1/media/22348642", json={**VIDEO_200, "id": "22348642"})
    responses.post(STATUSES, json=STATUS)
    connector().publish(delivery(video, {ID: VIDEO_202["id"]}))
    assert json.loads(responses.calls[-1].request.body)["media_ids"] == ["22348642"]


@responses.activate
def test_processing_failure_is_a_failed_delivery_with_the_servers_reason(video):
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.post(MEDIA, status=202, json=VIDEO_202)
    responses.get(GET_MEDIA, status=422, json=PROCESSING_FAILED)
    saved: list[dict[str, str]] = []
    with pytest.raises(Rejected) as failed:
        connector(saved).publish(delivery(video))
    assert "could not process the video diaz.mp4" in str(failed.value)
    assert str(failed.value) == (
        "mastodon: the server could not process the video diaz.mp4: Validation failed: File "
        "content type is invalid, File is invalid (code 422)"
    )
    assert saved[-1][ID] == ""  # a person's retry uploads again
    assert not [c for c in responses.calls if c.request.url == STATUSES]


@responses.activate
def test_processing_past_the_deadline_is_transient_and_the_retry_polls_the_same_media(video):
    responses.get(f"{BASE}/api/v2/instance", json=SERVER)
    responses.post(MEDIA, status=202, json=VIDEO_202)
    responses.get(GET_MEDIA, status=206, body="")
    conn = connector()
    conn.processing_deadline = 5.0
    with pytest.raises(TransientError, match="still processing the video diaz.mp4 after 3 s"):
        conn.publish(delivery(video))
    assert conn.waits == [1.0, 2.0]  # type: ignore[attr-defined]
    assert len([c for c in responses.calls if c.request.url == MEDIA]) == 1


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("video_size_limit", 1000, "this server takes videos up to 0 MB"),
        ("video_frame_rate_limit", 15, "25 frames a second; this server takes at most 15"),
        ("video_matrix_limit", 1000, "1,792 pixels a frame; this server takes at most 1,000"),
        ("supported_mime_types", ["image/jpeg"], "this server takes no video/mp4 files"),
    ],
)
@responses.activate
def test_a_smaller_server_refuses_the_video_before_anything_is_uploaded(
    video, limit, value, message
):
    small = json.loads(json.dumps(SERVER))
    small["configuration"]["media_attachments"][limit] = value
    responses.get(f"{BASE}/api/v2/instance", json=small)
    with pytest.raises(Rejected, match=message):
        connector().publish(delivery(video))
    assert len(responses.calls) == 1


def test_a_video_with_images_is_refused(video, tmp_path):
    photo = MediaFile(path=tmp_path / "p.jpg", alt_text="x")
    conn = connector()
    conn._server_limits = conn.limits
    with pytest.raises(Rejected, match="a video goes out alone"):
        conn.publish(OutgoingPost(key="k", text="t", media=(video, photo)))


# -- over the sandbox ---------------------------------------------------------------------------
sandbox = test_mastodon.sandbox  # the fixture: a sandbox server and a connector to it


def test_sandbox_takes_the_video_clean_and_serves_no_views(sandbox, video):
    state, conn = sandbox
    published = conn.publish(delivery(video))
    [item] = [m for m in state.media("mastodon") if m.mime_type == "video/mp4"]
    assert item.alt_text == "Officer Diaz at the station"
    assert item.extra["location_markers"] == []
    for needle in PERSONAL:
        assert needle not in item.data
    assert len(state.requests("POST", "/api/v2/media")) == 1
    assert len(state.requests("GET", "/api/v1/media/")) == sandbox_api.VIDEO_POLLS + 1
    [snapshot] = conn.fetch_metrics([published.platform_id])
    assert snapshot.views is None  # Mastodon reports favourites, boosts and replies only
    assert "video_plays" not in snapshot.extras
    assert snapshot.reactions is not None


def test_sandbox_processing_failure_reaches_the_connector(sandbox, video):
    state, conn = sandbox
    state.extras[sandbox_api.VIDEO_FAIL_KEY] = "Error processing video: unsupported codec"
    with pytest.raises(Rejected, match="unsupported codec"):
        conn.publish(delivery(video))
    assert state.posts("mastodon") == []


def test_sandbox_burns_captions_in_when_asked(sandbox, video, tmp_path):
    state, conn = sandbox
    captions = make_srt(tmp_path / "diaz.srt", [(0, 1.9, "I joined for my family.")])
    burned = MediaFile(
        path=video.path,
        alt_text=video.alt_text,
        mime_type="video/mp4",
        captions=captions,
        burn_captions=True,
    )
    conn.publish(delivery(burned))
    [item] = [m for m in state.media("mastodon") if m.mime_type == "video/mp4"]
    plain = MediaFile(path=video.path, alt_text="x", mime_type="video/mp4")
    conn.publish(OutgoingPost(key="other", text="plain one", media=(plain,)))
    [_, other] = [m for m in state.media("mastodon") if m.mime_type == "video/mp4"]
    assert item.data != other.data  # re-encoded with the captions drawn in
    for needle in PERSONAL:
        assert needle not in item.data
