"""Threads videos: a VIDEO container from the public address of a metadata-free copy, read until
FINISHED with pauses that double, reused on retry, a processing error a failure with Threads'
reason, a deadline a retry of the same container.

Bodies: Threads API reference, "Troubleshooting > Publishing Does Not Return a Media ID"
(``{"status": "FINISHED", "id": ...}``; on error ``{"status": "ERROR", "id": ...,
"error_message": "FAILED_DOWNLOADING_VIDEO"}``) and "Posts" (``{"id": ...}`` from
``POST /{threads-user-id}/threads`` and ``/threads_publish``). The reference shows no
``IN_PROGRESS`` body; it is the FINISHED one with that status, as the page lists it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
import responses

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.hosting import MediaHost
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.threads_api import VIDEO_FAILURE_KEY, VIDEO_POLLS_KEY
from tests.connectors._graph_support import form_of
from tests.connectors.test_threads import (
    CONTAINER,
    CONTAINER_BODY,
    CREATE,
    FINISHED_BODY,
    LIMIT,
    LIMIT_BODY,
    MEDIA_BODY,
    MEDIA_ID,
    PUBLISH,
    _calls,
    connector,
)
from tests.connectors.test_x_video import PERSONAL
from tests.videoclips import make_clip

HOSTED = "https://media.springfield.example/public"
STATUS_URL = f"{CREATE.rsplit('/', 2)[0]}/{CONTAINER}"
IN_PROGRESS_BODY = {"status": "IN_PROGRESS", "id": CONTAINER}
ERROR_BODY = {"status": "ERROR", "id": CONTAINER, "error_message": "FAILED_PROCESSING_VIDEO"}


def _clip(tmp_path) -> MediaFile:
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), seconds=2, quicktime_atoms=True)
    return MediaFile(path=clip, alt_text="Officer Diaz speaks", mime_type="video/quicktime")


def _mocked(tmp_path):
    """A connector whose host writes to tmp_path/public and is served by ``responses``."""
    conn = connector()
    folder = tmp_path / "public"
    conn.host = MediaHost(publish_dir=folder, base_url=HOSTED)

    def serve(request):
        name = request.url.rsplit("/", 1)[1]
        return (200, {}, (folder / name).read_bytes())

    responses.add_callback(responses.GET, responses.matchers.re.compile(rf"{HOSTED}/.*"), serve)
    return conn, folder


@responses.activate
def test_video_container_from_the_clean_copy_polled_with_growing_pauses(tmp_path):
    conn, folder = _mocked(tmp_path)
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    for body in (IN_PROGRESS_BODY, IN_PROGRESS_BODY, IN_PROGRESS_BODY, FINISHED_BODY):
        responses.get(STATUS_URL, json=body)
    responses.post(PUBLISH, json=MEDIA_BODY)
    responses.get(f"{STATUS_URL.rsplit('/', 1)[0]}/{MEDIA_ID}", json={"id": MEDIA_ID})
    saved = []
    conn.on_resume = lambda _p, resume: saved.append(resume)

    published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(_clip(tmp_path),)))

    assert published.platform_id == MEDIA_ID
    form = form_of(_calls("POST", CREATE)[0].request.body)
    assert form["media_type"] == "VIDEO" and form["alt_text"] == "Officer Diaz speaks"
    assert form["text"] == "Officer Diaz"
    hosted = list(folder.glob("*.mov"))
    assert len(hosted) == 1 and form["video_url"] == f"{HOSTED}/{hosted[0].name}"
    data = hosted[0].read_bytes()
    assert hosted[0].stem == hashlib.sha256(data).hexdigest()
    assert [m for m in PERSONAL if m in data] == []
    assert b"elst" not in data and data.find(b"moov") < data.find(b"mdat")  # Threads' specs
    assert conn._sleep == [1.0, 2.0, 4.0]  # three IN_PROGRESS reads, pauses doubling
    assert saved == [{"container_id": CONTAINER}]
    assert form_of(_calls("POST", PUBLISH)[0].request.body)["creation_id"] == CONTAINER


@responses.activate
def test_processing_error_is_a_failure_with_threads_reason(tmp_path):
    conn, _folder = _mocked(tmp_path)
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    responses.get(STATUS_URL, json=ERROR_BODY)
    with pytest.raises(Rejected, match="diaz.mov: FAILED_PROCESSING_VIDEO") as caught:
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(_clip(tmp_path),)))
    assert caught.value.resume == {"container_id": CONTAINER}
    assert _calls("POST", PUBLISH) == []


@responses.activate
def test_deadline_keeps_the_container_and_the_retry_reuses_it(tmp_path):
    conn, _folder = _mocked(tmp_path)
    conn.processing_deadline = 10
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    responses.get(STATUS_URL, json=IN_PROGRESS_BODY)
    post = OutgoingPost(key="k", text="Officer Diaz", media=(_clip(tmp_path),))
    with pytest.raises(TransientError, match="still processing the video diaz.mov") as caught:
        conn.publish(post)
    assert sum(conn._sleep) <= 10 and conn._sleep == [1.0, 2.0, 4.0]

    responses.replace(responses.GET, STATUS_URL, json=FINISHED_BODY)
    responses.post(PUBLISH, json=MEDIA_BODY)
    responses.get(f"{STATUS_URL.rsplit('/', 1)[0]}/{MEDIA_ID}", json={"id": MEDIA_ID})
    retried = OutgoingPost(
        key="k", text="Officer Diaz", media=post.media, resume=dict(caught.value.resume)
    )
    assert conn.publish(retried).platform_id == MEDIA_ID
    assert len(_calls("POST", CREATE)) == 1  # the container was never made twice


def test_a_video_goes_out_alone(tmp_path):
    conn = connector()
    clip = _clip(tmp_path)
    with pytest.raises(Rejected, match="a video goes out alone on Threads"):
        conn.publish(OutgoingPost(key="k", text="x", media=(clip, clip)))


# -- over the sandbox, real HTTP ---------------------------------------------------------------
@pytest.fixture
def rig(tmp_path):
    state = SandboxState(seed=3, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, "threads-tok"))
        conn = connectors.create("threads", settings)
        conn._sleep = lambda _s: None
        yield state, conn, tmp_path


def test_sandbox_video_post_is_fetched_clean_processed_and_published(rig):
    state, conn, tmp_path = rig
    state.extras[VIDEO_POLLS_KEY] = 3
    published = conn.publish(
        OutgoingPost(key="k", text="Officer Diaz on why she joined", media=(_clip(tmp_path),))
    )
    live = state.get_post("threads", published.platform_id)
    assert live.extra["media_type"] == "VIDEO"
    item = state.get_media("threads", live.media[0])
    assert item.extra["location_markers"] == [] and len(item.data) > 1000
    assert item.alt_text == "Officer Diaz speaks"
    assert [m for m in PERSONAL if m in item.data] == []
    assert len(state.requests("GET", "/threads/v1.0/18")) >= 4  # read while IN_PROGRESS
    snapshot = conn.fetch_metrics([published.platform_id])[0]
    assert snapshot.views is not None and "video_completions" not in snapshot.extras


def test_sandbox_processing_failure_is_a_failure_and_nothing_is_published(rig):
    state, conn, tmp_path = rig
    state.extras[VIDEO_FAILURE_KEY] = "INVALID_FRAME_RATE"
    with pytest.raises(Rejected, match="INVALID_FRAME_RATE"):
        conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(_clip(tmp_path),)))
    assert state.posts("threads") == []
