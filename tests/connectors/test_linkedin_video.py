"""LinkedIn videos: the Videos API upload in parts from the metadata-free copy, resumed after a
failed part, finalized with the ETags in order, waited for until AVAILABLE, then posted.

Bodies follow LinkedIn's Community Management reference, "Videos API": the initializeUpload
answer (``value``: ``uploadUrlsExpireAt``, ``video``, ``uploadInstructions`` of ``uploadUrl``,
``lastByte``, ``firstByte``; ``uploadToken``; ``captionsUploadUrl`` when captions were
announced), the finalizeUpload request (``finalizeUploadRequest``: ``video``, ``uploadToken``,
``uploadedPartIds``), the video read back (``owner``, ``id``, ``status`` AVAILABLE /
PROCESSING / PROCESSING_FAILED / WAITING_UPLOAD); the Posts API "Video post" content
(``content.media``: ``title``, ``id``); the Video Analytics API element (``entity``,
``timeRange``, ``value``, ``type``). These are built from the fields the pages document (their
full example bodies were not at hand); the reference shows no body of a failed video, so the
``processingFailureReason`` field is the one place this file assumes a name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.linkedin import LinkedInConnector
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.linkedin_videos import FAIL_PART_KEY, FAILURE_KEY, PART_BYTES_KEY
from tests.connectors.test_linkedin import BASE, NOW, ORG, TOKEN
from tests.connectors.test_x_video import PERSONAL
from tests.videoclips import make_clip, make_srt

VIDEO = "urn:li:video:C5F10AQGKQg_6y2a4sQ"
UPLOAD = "https://www.linkedin.com/dms-uploads/C5F10AQGKQg_6y2a4sQ/uploadedVideo"
CAPTIONS = "https://www.linkedin.com/dms-uploads/C5F10AQGKQg_6y2a4sQ/captions"
INIT = f"{BASE}/rest/videos?action=initializeUpload"
FINALIZE = f"{BASE}/rest/videos?action=finalizeUpload"
STATUS = f"{BASE}/rest/videos/urn%3Ali%3Avideo%3AC5F10AQGKQg_6y2a4sQ"
POSTS = f"{BASE}/rest/posts"
UGC = "urn:li:ugcPost:7300000000000000001"
PART = 64 * 1024  # LinkedIn cuts 4 MB parts; small ones give a small clip several


def _video_body(status: str, **extra) -> dict:
    return {"owner": f"urn:li:organization:{ORG}", "id": VIDEO, "status": status, **extra}


def _initialize(request):
    asked = json.loads(request.body)["initializeUploadRequest"]
    size = asked["fileSizeBytes"]
    value = {
        "uploadUrlsExpireAt": 4102444800000,
        "video": VIDEO,
        "uploadInstructions": [
            {
                "uploadUrl": f"{UPLOAD}/{n}",
                "lastByte": min(first + PART, size) - 1,
                "firstByte": first,
            }
            for n, first in enumerate(range(0, size, PART))
        ],
        "uploadToken": "upload-token-1",
    }
    if asked["uploadCaptions"]:
        value["captionsUploadUrl"] = CAPTIONS
    return (200, {}, json.dumps({"value": value}))


def _put_part(request):
    n = request.url.rsplit("/", 1)[1]
    return (200, {"ETag": f'"/ambry-video/signedId/part-{n}"'}, "")


@pytest.fixture
def clip(tmp_path) -> MediaFile:
    path = make_clip(tmp_path / "diaz.mp4", size=(288, 512), seconds=3.2, noise=True)
    captions = make_srt(tmp_path / "diaz.srt", [(0, 3, "I joined for my family.")])
    return MediaFile(
        path=path, alt_text="Officer Diaz speaks", mime_type="video/mp4", captions=captions
    )


@pytest.fixture
def li():
    sleeps: list[float] = []
    conn = LinkedInConnector(
        base_url=BASE,
        organization_id=ORG,
        access_token=TOKEN,
        clock=lambda: NOW,
        sleep=sleeps.append,
    )
    conn.saved = []
    conn.on_resume = lambda _post, state: conn.saved.append(state)
    return conn, sleeps


def _parts() -> list[responses.Call]:
    return [c for c in responses.calls if c.request.url.startswith(UPLOAD)]


def _mock_upload(put=_put_part):
    responses.add_callback(responses.POST, INIT, callback=_initialize)
    responses.add_callback(
        responses.PUT, responses.matchers.re.compile(rf"{UPLOAD}/\d+"), callback=put
    )
    responses.put(CAPTIONS, status=200)
    responses.post(FINALIZE, status=200)


@responses.activate
def test_parts_then_finalize_then_wait_then_the_post(li, clip):
    conn, sleeps = li
    _mock_upload()
    for status in ("PROCESSING", "PROCESSING", "AVAILABLE"):
        responses.get(STATUS, json=_video_body(status))
    responses.post(POSTS, status=201, headers={"x-restli-id": UGC})

    published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(clip,)))

    assert published.platform_id == UGC
    parts = _parts()
    assert len(parts) >= 2
    sent = b"".join(c.request.body for c in parts)
    asked = json.loads(responses.calls[0].request.body)["initializeUploadRequest"]
    assert asked == {
        "owner": f"urn:li:organization:{ORG}",
        "fileSizeBytes": len(sent),
        "uploadCaptions": True,
        "uploadThumbnail": False,
    }
    assert all(len(c.request.body) <= PART for c in parts)
    assert [m for m in PERSONAL if m in sent] == []  # no GPS, device or serial left
    captions = next(c for c in responses.calls if c.request.url == CAPTIONS).request.body
    assert b"I joined for my family." in captions and b"-->" in captions
    final = json.loads(next(c for c in responses.calls if c.request.url == FINALIZE).request.body)
    assert final == {
        "finalizeUploadRequest": {
            "video": VIDEO,
            "uploadToken": "upload-token-1",
            "uploadedPartIds": [f"/ambry-video/signedId/part-{n}" for n in range(len(parts))],
        }
    }
    body = json.loads(responses.calls[-1].request.body)
    assert body["content"] == {"media": {"title": "Officer Diaz speaks", "id": VIDEO}}
    assert sleeps == [1.0, 2.0]


@responses.activate
def test_a_failed_part_is_resumed_alone_on_the_next_attempt(li, clip):
    conn, _sleeps = li
    failed = {"once": True}

    def put(request):
        if request.url.endswith("/1") and failed.pop("once", False):
            return (500, {}, "")
        return _put_part(request)

    _mock_upload(put)
    responses.get(STATUS, json=_video_body("AVAILABLE"))
    responses.post(POSTS, status=201, headers={"x-restli-id": UGC})
    post = OutgoingPost(key="k", text="Officer Diaz", media=(clip,))
    with pytest.raises(TransientError) as caught:
        conn.publish(post)
    resume = caught.value.resume
    assert resume["li_video"] == VIDEO and json.loads(resume["li_etags"])[0]
    assert json.loads(resume["li_etags"])[1] is None

    retried = OutgoingPost(key="k", text="Officer Diaz", media=(clip,), resume=resume)
    assert conn.publish(retried).platform_id == UGC
    inits = [c for c in responses.calls if c.request.url == INIT]
    assert len(inits) == 1  # one video, never a second
    sent = [c.request.url.rsplit("/", 1)[1] for c in _parts()]
    assert sent.count("0") == 1 and sent.count("1") == 2  # only the failed part again


@responses.activate
def test_processing_failure_is_a_failure_with_linkedins_reason(li, clip):
    conn, _sleeps = li
    _mock_upload()
    responses.get(
        STATUS,
        json=_video_body("PROCESSING_FAILED", processingFailureReason="VIDEO_TOO_SHORT"),
    )
    with pytest.raises(Rejected, match="diaz.mp4: VIDEO_TOO_SHORT"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(clip,)))
    assert not [c for c in responses.calls if c.request.url == POSTS]


@responses.activate
def test_slow_processing_ends_the_attempt_and_the_retry_only_waits(li, clip):
    conn, sleeps = li
    conn.processing_deadline = 20
    _mock_upload()
    responses.get(STATUS, json=_video_body("PROCESSING"))
    with pytest.raises(TransientError, match="still processing the video diaz.mp4") as caught:
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(clip,)))
    assert sleeps == [1.0, 2.0, 4.0, 8.0] and caught.value.resume["li_finalized"] == "1"

    responses.replace(responses.GET, STATUS, json=_video_body("AVAILABLE"))
    responses.post(POSTS, status=201, headers={"x-restli-id": UGC})
    calls_before = len(responses.calls)
    retried = OutgoingPost(
        key="k", text="Officer Diaz", media=(clip,), resume=dict(caught.value.resume)
    )
    assert conn.publish(retried).platform_id == UGC
    urls = [c.request.url for c in responses.calls[calls_before:]]
    assert urls == [STATUS, POSTS]  # nothing uploaded or finalized twice


# Organization Share Statistics for a ugcPost (a video post), as the share example shows it.
UGC_STATISTICS = {
    "paging": {"count": 10, "start": 0, "links": []},
    "elements": [
        {
            "totalShareStatistics": {
                "uniqueImpressionsCount": 310,
                "shareCount": 2,
                "engagement": 0.05,
                "clickCount": 9,
                "likeCount": 11,
                "impressionCount": 420,
                "commentCount": 3,
            },
            "ugcPost": UGC,
            "organizationalEntity": f"urn:li:organization:{ORG}",
        }
    ],
}
# Video Analytics API: GET /rest/videoAnalytics?q=entity&entity=...&type=VIDEO_VIEW.
VIDEO_ANALYTICS = {
    "paging": {"start": 0, "count": 10, "links": []},
    "elements": [
        {
            "entity": UGC,
            "timeRange": {"start": 1646265600000, "end": 1646352000000},
            "value": 137,
            "type": "VIDEO_VIEW",
        }
    ],
}
ANALYTICS = f"{BASE}/rest/videoAnalytics"


@responses.activate
def test_a_video_posts_views_come_from_video_analytics(li):
    conn, _sleeps = li
    responses.get(f"{BASE}/rest/organizationalEntityShareStatistics", json=UGC_STATISTICS)
    responses.get(ANALYTICS, json=VIDEO_ANALYTICS)
    [snapshot] = conn.fetch_metrics([UGC])
    assert snapshot.views == 420  # impressions stay the post's views
    assert snapshot.extras["video_plays"] == 137
    assert "video_completions" not in snapshot.extras  # LinkedIn does not report it
    assert "video_avg_watch_seconds" not in snapshot.extras
    query = responses.calls[-1].request.url.split("?", 1)[1]
    assert query == (
        "q=entity&entity=urn%3Ali%3AugcPost%3A7300000000000000001&type=VIDEO_VIEW&aggregation=ALL"
    )


@responses.activate
def test_no_video_figures_for_a_share_nor_when_linkedin_refuses_them(li):
    conn, _sleeps = li
    share_stats = json.loads(json.dumps(UGC_STATISTICS).replace('"ugcPost"', '"share"'))
    share_stats["elements"][0]["share"] = "urn:li:share:1"
    responses.get(f"{BASE}/rest/organizationalEntityShareStatistics", json=share_stats)
    assert "video_plays" not in conn.fetch_metrics(["urn:li:share:1"])[0].extras
    assert not [c for c in responses.calls if c.request.url.startswith(ANALYTICS)]

    responses.replace(
        responses.GET, f"{BASE}/rest/organizationalEntityShareStatistics", json=UGC_STATISTICS
    )
    responses.get(
        ANALYTICS, status=404, json={"status": 404, "code": "NOT_FOUND", "message": "Not found"}
    )
    [snapshot] = conn.fetch_metrics([UGC])
    assert snapshot.views == 420 and "video_plays" not in snapshot.extras


@responses.activate
def test_cover_goes_up_as_the_thumbnail_without_its_metadata(li, clip, tmp_path):
    from dataclasses import replace

    from PIL import Image

    conn, _sleeps = li
    cover = tmp_path / "cover.jpg"
    exif = Image.Exif()
    exif[0x010F] = "CanonCameraMakeTag"  # Make
    Image.new("RGB", (90, 160), (20, 40, 60)).save(cover, exif=exif)
    assert b"CanonCameraMakeTag" in cover.read_bytes()
    thumbnail = "https://www.linkedin.com/dms-uploads/C5F10AQGKQg_6y2a4sQ/thumbnail"

    def initialize(request):
        status, headers, body = _initialize(request)
        value = json.loads(body)
        assert json.loads(request.body)["initializeUploadRequest"]["uploadThumbnail"] is True
        value["value"]["thumbnailUploadUrl"] = thumbnail
        return status, headers, json.dumps(value)

    responses.add_callback(responses.POST, INIT, callback=initialize)
    responses.add_callback(
        responses.PUT, responses.matchers.re.compile(rf"{UPLOAD}/\d+"), callback=_put_part
    )
    responses.put(CAPTIONS, status=200)
    responses.put(thumbnail, status=200)
    responses.post(FINALIZE, status=200)
    responses.get(STATUS, json=_video_body("AVAILABLE"))
    responses.post(POSTS, status=201, headers={"x-restli-id": UGC})

    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(replace(clip, cover=cover),)))
    sent = next(c for c in responses.calls if c.request.url == thumbnail).request.body
    assert sent.startswith(b"\xff\xd8\xff") and b"CanonCameraMakeTag" not in sent


# -- over the sandbox, real HTTP ---------------------------------------------------------------
@pytest.fixture
def rig(tmp_path):
    state = SandboxState(seed=4, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    state.extras[PART_BYTES_KEY] = 256 * 1024
    with SandboxServer(state) as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, "li-tok"))
        conn = connectors.create("linkedin", settings)
        conn._sleep = lambda _s: None
        yield state, conn


def test_sandbox_video_post_end_to_end_with_a_failed_part(rig, clip):
    state, conn = rig
    state.extras[FAIL_PART_KEY] = 1
    post = OutgoingPost(key="k", text="Officer Diaz on why she joined", media=(clip,))
    with pytest.raises(TransientError) as caught:
        conn.publish(post)
    retried = OutgoingPost(key="k", text=post.text, media=(clip,), resume=caught.value.resume)
    published = conn.publish(retried)

    assert published.platform_id.startswith("urn:li:ugcPost:")
    live = state.get_post("linkedin", published.platform_id)
    item = state.get_media("linkedin", live.media[0])
    assert item.extra["location_markers"] == [] and len(item.data) > 75 * 1024
    assert [m for m in PERSONAL if m in item.data] == []
    assert "I joined for my family." in item.extra["captions"]
    assert len(state.requests("POST", "/rest/videos")) == 2  # one initialize, one finalize
    snapshot = conn.fetch_metrics([published.platform_id])[0]
    assert snapshot.extras["video_plays"] >= 0 and "video_completions" not in snapshot.extras


def test_sandbox_processing_failure_posts_nothing(rig, clip):
    state, conn = rig
    state.extras[FAILURE_KEY] = "The video could not be transcoded"
    with pytest.raises(Rejected, match="could not be transcoded"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(clip,)))
    assert state.posts("linkedin") == []


@responses.activate
def test_upload_ranges_that_miss_bytes_are_refused_before_any_part(li, clip):
    conn, _sleeps = li

    def short(request):
        status, headers, body = _initialize(request)
        value = json.loads(body)
        value["value"]["uploadInstructions"].pop()  # the last range is missing
        return status, headers, json.dumps(value)

    responses.add_callback(responses.POST, INIT, callback=short)
    with pytest.raises(TransientError, match="do not cover"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(clip,)))
    assert _parts() == []


@responses.activate
def test_webvtt_captions_go_up_as_subrip(li, clip, tmp_path):
    from dataclasses import replace

    conn, _sleeps = li
    vtt = tmp_path / "diaz.vtt"
    vtt.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nI joined for my family.\n")
    _mock_upload()
    responses.get(STATUS, json=_video_body("AVAILABLE"))
    responses.post(POSTS, status=201, headers={"x-restli-id": UGC})
    conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(replace(clip, captions=vtt),)))
    sent = next(c for c in responses.calls if c.request.url == CAPTIONS).request.body.decode()
    assert sent.startswith("1\n00:00:00,000 --> 00:00:03,000\nI joined for my family.")
    assert "WEBVTT" not in sent
