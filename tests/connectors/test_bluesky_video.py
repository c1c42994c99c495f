"""Bluesky video: service tokens, the video service's upload and job, captions as a WebVTT blob,
then the post with an ``app.bsky.embed.video`` embed; resume, processing failure, timeout,
the daily limit; with ``responses`` (bodies as the lexicons and docs.bsky.app show them) and
over the sandbox's real HTTP."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from connectors.base import MediaFile, OutgoingPost
from connectors.bluesky import BlueskyConnector
from connectors.bluesky_video import BLOB, CAPTIONS, JOB, srt_to_vtt
from connectors.errors import Rejected, TransientError
from connectors.sandbox import bluesky_video as sandbox_video
from connectors.video import SOURCE
from tests.connectors import test_bluesky
from tests.connectors.test_bluesky import PASSWORD, delivery, make
from tests.videoclips import DEVICE_MODEL, GPS, SERIAL, make_clip, make_srt

fresh_sessions = test_bluesky.fresh_sessions  # autouse: no login carried between tests
rig = test_bluesky.rig  # a sandbox server and settings pointing at it

PDS = "https://bsky.social"
VIDEO = "https://video.bsky.app"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
PDS_HOST = "https://morel.us-east.host.bsky.network"
PERSONAL = [GPS.encode(), DEVICE_MODEL.encode(), SERIAL.encode(), b"\xa9xyz", b"ISO6709"]
JOB_ID = "b9d2c8a0-54b3-4a0c-9a3e-4b1c6e2f7d10"
VIDEO_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
CAPTIONS_CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"

# com.atproto.server.createSession, getSession (with the DID document naming the PDS),
# getServiceAuth; app.bsky.video.getUploadLimits, uploadVideo, getJobStatus (app.bsky.video.defs
# #jobStatus); com.atproto.repo.uploadBlob, createRecord.
SESSION = {
    "accessJwt": "access-1",
    "refreshJwt": "refresh-1",
    "handle": "pd.bsky.social",
    "did": DID,
}
GET_SESSION = {
    "handle": "pd.bsky.social",
    "did": DID,
    "email": "pio@springfield.example",
    "emailConfirmed": True,
    "didDoc": {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": DID,
        "alsoKnownAs": ["at://pd.bsky.social"],
        "service": [
            {
                "id": "#atproto_pds",
                "type": "AtprotoPersonalDataServer",
                "serviceEndpoint": PDS_HOST,
            }
        ],
    },
    "active": True,
}
LIMITS = {"canUpload": True, "remainingDailyVideos": 25, "remainingDailyBytes": 10_000_000_000}
VIDEO_BLOB = {"$type": "blob", "ref": {"$link": VIDEO_CID}, "mimeType": "video/mp4", "size": 9876}
CAPTIONS_BLOB = {
    "$type": "blob",
    "ref": {"$link": CAPTIONS_CID},
    "mimeType": "text/vtt",
    "size": 120,
}
UPLOADED = {"jobStatus": {"jobId": JOB_ID, "did": DID, "state": "JOB_STATE_CREATED"}}
ENCODING = {
    "jobStatus": {"jobId": JOB_ID, "did": DID, "state": "JOB_STATE_ENCODING", "progress": 40}
}
COMPLETED = {
    "jobStatus": {
        "jobId": JOB_ID,
        "did": DID,
        "state": "JOB_STATE_COMPLETED",
        "progress": 100,
        "blob": VIDEO_BLOB,
    }
}
FAILED = {
    "jobStatus": {
        "jobId": JOB_ID,
        "did": DID,
        "state": "JOB_STATE_FAILED",
        "error": "Video is too long",
        "failureCode": "validation_failure",
    }
}
CREATED = {
    "uri": f"at://{DID}/app.bsky.feed.post/3l2fpx6xnv32c",
    "cid": "bafyreibmfghwtp3wbnnmg5xalb6kbovcbcmfwk7o7w3ogejw3ccjtcqbwm",
    "commit": {"cid": "bafyreie4n6pywbyv2s4avnpgxmkamyutr3jbxswzp6hxhpp4hsgpzrflei", "rev": "3l2"},
    "validationStatus": "valid",
}


@pytest.fixture
def video(tmp_path):
    path = make_clip(tmp_path / "media" / "diaz.mp4", size=(32, 56), seconds=2)
    captions = make_srt(
        tmp_path / "media" / "diaz.srt", [(0, 1.2, "I joined for my family."), (1.2, 2, "Yes.")]
    )
    return MediaFile(
        path=path,
        alt_text="Officer Diaz at the station",
        mime_type="video/mp4",
        captions=captions,
    )


def connector(saved: list[dict[str, str]] | None = None) -> BlueskyConnector:
    waits: list[float] = []
    conn = BlueskyConnector(base_url=PDS, handle="pd.bsky.social", app_password=PASSWORD)
    conn._sleep = waits.append  # type: ignore[method-assign]
    conn.waits = waits  # type: ignore[attr-defined]
    conn.processing_deadline = 60.0
    if saved is not None:
        conn.on_resume = lambda post, state: saved.append(dict(state))
    return conn


def _xrpc(host: str, nsid: str) -> str:
    return f"{host}/xrpc/{nsid}"


def _pds(uploads: list[bytes]) -> None:
    """The PDS's answers (the session, service tokens, the captions blob, the record)."""
    responses.post(_xrpc(PDS, "com.atproto.server.createSession"), json=SESSION)
    responses.get(_xrpc(PDS, "com.atproto.server.getSession"), json=GET_SESSION)
    responses.get(_xrpc(PDS, "com.atproto.server.getServiceAuth"), json={"token": "svc-1"})

    def blob(request):
        uploads.append(request.body)
        return 200, {}, json.dumps({"blob": CAPTIONS_BLOB})

    responses.add_callback(responses.POST, _xrpc(PDS, "com.atproto.repo.uploadBlob"), blob)
    responses.post(_xrpc(PDS, "com.atproto.repo.createRecord"), json=CREATED)


def _video_upload(bodies: list[bytes], status: int = 200, answer=None):
    def callback(request):
        body = request.body
        bodies.append(body.read() if hasattr(body, "read") else bytes(body or b""))
        return status, {}, json.dumps(UPLOADED if answer is None else answer)

    return callback


def _uploaded_then(status: dict) -> None:
    """A video the service took, whose job then answers ``status``."""
    _pds([])
    responses.get(_xrpc(VIDEO, "app.bsky.video.getUploadLimits"), json=LIMITS)
    responses.post(_xrpc(VIDEO, "app.bsky.video.uploadVideo"), json=UPLOADED)
    responses.get(_xrpc(VIDEO, "app.bsky.video.getJobStatus"), json=status)


def _calls() -> list[str]:
    return [urlsplit(c.request.url).path.rsplit("/", 1)[1] for c in responses.calls]


@responses.activate
def test_video_goes_through_the_video_service_then_embeds_with_captions_and_alt(video):
    uploads: list[bytes] = []
    bodies: list[bytes] = []
    _pds(uploads)
    responses.get(_xrpc(VIDEO, "app.bsky.video.getUploadLimits"), json=LIMITS)
    responses.add_callback(
        responses.POST, _xrpc(VIDEO, "app.bsky.video.uploadVideo"), _video_upload(bodies)
    )
    responses.get(_xrpc(VIDEO, "app.bsky.video.getJobStatus"), json=ENCODING)
    responses.get(_xrpc(VIDEO, "app.bsky.video.getJobStatus"), json=COMPLETED)
    saved: list[dict[str, str]] = []
    conn = connector(saved)

    published = conn.publish(delivery("Officer Diaz on why she joined", media=[video]))

    assert published.platform_id == CREATED["uri"]
    assert _calls() == [
        "com.atproto.server.createSession",
        "com.atproto.server.getServiceAuth",
        "app.bsky.video.getUploadLimits",
        "com.atproto.server.getSession",
        "com.atproto.server.getServiceAuth",
        "app.bsky.video.uploadVideo",
        "app.bsky.video.getJobStatus",
        "app.bsky.video.getJobStatus",
        "com.atproto.repo.uploadBlob",
        "com.atproto.repo.createRecord",
    ]
    auths = [
        parse_qs(urlsplit(c.request.url).query)
        for c in responses.calls
        if "getServiceAuth" in c.request.url
    ]
    assert [(a["aud"], a["lxm"]) for a in auths] == [
        (["did:web:video.bsky.app"], ["app.bsky.video.getUploadLimits"]),
        (["did:web:morel.us-east.host.bsky.network"], ["com.atproto.repo.uploadBlob"]),
    ]
    upload = next(c.request for c in responses.calls if "uploadVideo" in c.request.url)
    assert parse_qs(urlsplit(upload.url).query) == {"did": [DID], "name": ["diaz.mp4"]}
    assert upload.headers["Authorization"] == "Bearer svc-1"
    assert upload.headers["Content-Type"] == "video/mp4"
    [body] = bodies
    assert body[4:8] == b"ftyp" and int(upload.headers["Content-Length"]) == len(body)
    for needle in PERSONAL:
        assert needle not in body, needle
    assert conn.waits == [1.0]  # type: ignore[attr-defined]
    [vtt] = uploads
    assert vtt.startswith(b"WEBVTT") and b"00:00:01.200 --> 00:00:02.000" in vtt
    record = json.loads(responses.calls[-1].request.body)["record"]
    assert record["embed"] == {
        "$type": "app.bsky.embed.video",
        "video": VIDEO_BLOB,
        "alt": "Officer Diaz at the station",
        "aspectRatio": {"width": 32, "height": 56},
        "captions": [{"lang": "en", "file": CAPTIONS_BLOB}],
    }
    # the job is handed over before the first poll, the blob once it is done
    steps = [(bool(s.get(JOB)), bool(s.get(BLOB))) for s in saved]
    assert steps.index((True, False)) < steps.index((True, True))
    assert saved[-1][JOB] == JOB_ID
    assert json.loads(saved[-1][BLOB]) == VIDEO_BLOB and json.loads(saved[-1][CAPTIONS])


@responses.activate
def test_a_failed_poll_resumes_the_same_job_without_a_second_upload(video):
    _pds([])
    responses.get(_xrpc(VIDEO, "app.bsky.video.getUploadLimits"), json=LIMITS)
    responses.post(_xrpc(VIDEO, "app.bsky.video.uploadVideo"), json=UPLOADED)
    responses.get(
        _xrpc(VIDEO, "app.bsky.video.getJobStatus"),
        status=502,
        json={"error": "UpstreamFailure", "message": "Upstream Failure"},
    )
    with pytest.raises(TransientError) as failed:
        connector().publish(delivery("Officer Diaz", media=[video]))
    resume = failed.value.resume  # type: ignore[attr-defined]
    assert resume[JOB] == JOB_ID

    responses.reset()
    _pds([])
    responses.get(_xrpc(VIDEO, "app.bsky.video.getJobStatus"), json=COMPLETED)
    post = OutgoingPost(
        key="spring/ruiz/bluesky/once", text="Officer Diaz", media=(video,), resume=resume
    )
    connector().publish(post)
    assert "app.bsky.video.uploadVideo" not in _calls()
    assert "app.bsky.video.getUploadLimits" not in _calls()


@responses.activate
def test_a_video_replaced_since_the_last_attempt_is_uploaded_again(video):
    _uploaded_then(COMPLETED)
    earlier = {JOB: "old-job", BLOB: '{"ref": {"$link": "old"}}', SOURCE: "123:456"}
    post = OutgoingPost(key="k", text="Officer Diaz", media=(video,), resume=earlier)
    connector().publish(post)
    assert _calls().count("app.bsky.video.uploadVideo") == 1
    record = json.loads(responses.calls[-1].request.body)["record"]
    assert record["embed"]["video"] == VIDEO_BLOB


@responses.activate
def test_the_same_video_sent_again_takes_the_existing_job(video):
    _pds([])
    responses.get(_xrpc(VIDEO, "app.bsky.video.getUploadLimits"), json=LIMITS)
    responses.post(
        _xrpc(VIDEO, "app.bsky.video.uploadVideo"),
        status=409,
        json={"error": "already_exists", "message": "Video already processed", "jobId": JOB_ID},
    )
    responses.get(_xrpc(VIDEO, "app.bsky.video.getJobStatus"), json=COMPLETED)
    connector().publish(delivery("Officer Diaz", media=[video]))
    job = next(c.request.url for c in responses.calls if "getJobStatus" in c.request.url)
    assert parse_qs(urlsplit(job).query) == {"jobId": [JOB_ID]}


@responses.activate
def test_processing_failure_is_a_failed_delivery_with_blueskys_reason(video):
    _uploaded_then(FAILED)
    saved: list[dict[str, str]] = []
    with pytest.raises(Rejected, match="could not process the video diaz.mp4: Video is too long"):
        connector(saved).publish(delivery("Officer Diaz", media=[video]))
    assert saved[-1][JOB] == ""  # a person's retry uploads again
    assert "com.atproto.repo.createRecord" not in _calls()


@responses.activate
def test_processing_past_the_deadline_is_transient_and_keeps_the_job(video):
    _uploaded_then(ENCODING)
    conn = connector()
    conn.processing_deadline = 2.5
    with pytest.raises(TransientError, match="still processing the video diaz.mp4 after 1 s") as e:
        conn.publish(delivery("Officer Diaz", media=[video]))
    assert e.value.resume[JOB] == JOB_ID  # type: ignore[attr-defined]
    assert conn.waits == [1.0]  # type: ignore[attr-defined]


@responses.activate
def test_the_daily_limit_stops_before_the_upload_with_blueskys_message(video):
    _pds([])
    responses.get(
        _xrpc(VIDEO, "app.bsky.video.getUploadLimits"),
        json={"canUpload": False, "message": "You have reached your daily upload limit"},
    )
    with pytest.raises(TransientError, match="reached your daily upload limit"):
        connector().publish(delivery("Officer Diaz", media=[video]))
    assert "app.bsky.video.uploadVideo" not in _calls()


def test_srt_captions_become_webvtt_cue_for_cue():
    text = "1\n00:00:00,000 --> 00:00:01,500\nHello\n\n2\n00:00:01,500 --> 00:00:03,000\nWorld\n"
    assert srt_to_vtt(text) == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello\n\n00:00:01.500 --> 00:00:03.000\nWorld\n"
    )


# -- over the sandbox ---------------------------------------------------------------------------
def _sandbox_connector(settings) -> BlueskyConnector:
    conn = make(settings)
    conn._sleep = lambda _s: None  # type: ignore[method-assign]
    return conn


def test_sandbox_takes_the_video_clean_with_captions_and_serves_no_views(rig, video):
    state, settings = rig
    conn = _sandbox_connector(settings)
    published = conn.publish(delivery("Officer Diaz on why she joined", media=[video]))
    [post] = state.posts("bluesky")
    embed = post.extra["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.video" and embed["captions"][0]["lang"] == "en"
    item = state.get_media("bluesky", embed["video"]["ref"]["$link"])
    assert item is not None and item.alt_text == "Officer Diaz at the station"
    assert item.extra["location_markers"] == []
    for needle in PERSONAL:
        assert needle not in item.data
    track = state.get_media("bluesky", embed["captions"][0]["file"]["ref"]["$link"])
    assert track is not None and track.data.startswith(b"WEBVTT")
    polls = state.requests("GET", "getJobStatus")
    assert len(polls) == sandbox_video.PROCESSING_POLLS
    [snapshot] = conn.fetch_metrics([published.platform_id])
    assert snapshot.views is None  # Bluesky reports likes, reposts, replies and quotes only
    assert "video_plays" not in snapshot.extras
    assert snapshot.reactions is not None and snapshot.shares is not None


def test_sandbox_processing_failure_reaches_the_connector(rig, video):
    state, settings = rig
    state.extras[sandbox_video.FAIL_KEY] = "Video is too long"
    with pytest.raises(Rejected, match="Video is too long"):
        _sandbox_connector(settings).publish(delivery("Officer Diaz", media=[video]))
    assert state.posts("bluesky") == []
