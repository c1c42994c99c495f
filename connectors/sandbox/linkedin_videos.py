"""The sandbox's LinkedIn Videos API and video analytics, served by ``linkedin_api``.

``POST /rest/videos?action=initializeUpload`` answers with the video's URN, an upload token and
upload instructions: byte ranges of ``PART_BYTES`` (4 MB, as LinkedIn cuts them; a rehearsal may
set a smaller size in ``state.extras``) each with its own address under ``/dms-uploads/``, and a
captions address when ``uploadCaptions`` is true. Each ``PUT`` must carry exactly its range's
bytes and is answered with an ``ETag``; ``finalizeUpload`` must name the token and every ETag in
order. The video is then ``PROCESSING`` for a few reads of ``GET /rest/videos/{urn}`` and
``AVAILABLE``, or ``PROCESSING_FAILED`` when a rehearsal asks for it; a post may name it only
once it is ``AVAILABLE``. Files outside 75 KB to 500 MB are refused at initialization, as
LinkedIn does.

``GET /rest/videoAnalytics?q=entity&entity={post urn}&type=VIDEO_VIEW&aggregation=ALL`` gives
a video post's views (plays of 3 seconds or more); likes and comments come from elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import SandboxState

PLATFORM = "linkedin"
PART_BYTES = 4 * 1024 * 1024
MIN_BYTES, MAX_BYTES = 75 * 1024, 500 * 1024 * 1024
VIDEOS_KEY = "linkedin.videos"
# A rehearsal sets these in ``state.extras``.
PART_BYTES_KEY = "linkedin.video_part_bytes"  # smaller parts, so a small clip has several
FAIL_PART_KEY = "linkedin.video_fail_part"  # the PUT of this part index answers 500, once
FAILURE_KEY = "linkedin.video_processing_failure"  # the next video fails processing with this
POLLS_KEY = "linkedin.video_processing_polls"  # reads of a video before it is AVAILABLE
DEFAULT_POLLS = 2
VIDEO_VIEW_SHARE = 0.35  # of the people shown a video post, how many watch 3 seconds of it
_LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709", b"com.apple.quicktime.location")

Error = Callable[..., Reply]


def videos(state: SandboxState) -> dict[str, dict[str, Any]]:
    return state.extras.setdefault(VIDEOS_KEY, {})


def video_ready(state: SandboxState, urn: str) -> bool:
    video = videos(state).get(urn)
    return video is not None and video["status"] == "AVAILABLE"


def _millis(state: SandboxState) -> int:
    return int(state.now().timestamp() * 1000)


def _initialize(
    state: SandboxState, request: Request, body: dict[str, Any], owner: str, error: Error
) -> Reply:
    size = body.get("fileSizeBytes")
    if not isinstance(size, int) or not MIN_BYTES <= size <= MAX_BYTES:
        return error(
            400,
            "BAD_REQUEST",
            f"/initializeUploadRequest/fileSizeBytes :: {size} is not between {MIN_BYTES} "
            f"and {MAX_BYTES}",
        )
    key = f"D4E10AQ{state.next_number(PLATFORM):09d}"
    urn = f"urn:li:video:{key}"
    part = int(state.extras.get(PART_BYTES_KEY, PART_BYTES))
    host = request.header("Host") or "127.0.0.1"
    ranges = [(first, min(first + part, size) - 1) for first in range(0, size, part)]
    token = hashlib.sha256(urn.encode()).hexdigest()[:24] if len(ranges) > 1 else ""
    videos(state)[urn] = {
        "key": key,
        "owner": owner,
        "size": size,
        "ranges": ranges,
        "token": token,
        "parts": [None] * len(ranges),
        "etags": [None] * len(ranges),
        "captions": None,
        "thumbnail": None,
        "status": "WAITING_UPLOAD",
        "reads_left": 0,
        "failure": None,
    }
    value: dict[str, Any] = {
        "uploadUrlsExpireAt": _millis(state) + 24 * 3600 * 1000,
        "video": urn,
        "uploadInstructions": [
            {
                "uploadUrl": f"http://{host}/dms-uploads/{key}/uploadedVideo/{i}"
                "?ca=vector_feedshare&cn=uploads&m=AQ&app=1953784&sync=0&v=beta",
                "lastByte": last,
                "firstByte": first,
            }
            for i, (first, last) in enumerate(ranges)
        ],
        "uploadToken": token,
    }
    if body.get("uploadCaptions"):
        value["captionsUploadUrl"] = f"http://{host}/dms-uploads/{key}/captions/0"
    if body.get("uploadThumbnail"):
        value["thumbnailUploadUrl"] = f"http://{host}/dms-uploads/{key}/thumbnail/0"
    return Reply(200, {"value": value})


def _finalize(state: SandboxState, body: dict[str, Any], error: Error) -> Reply:
    urn = str(body.get("video") or "")
    video = videos(state).get(urn)
    if video is None:
        return error(404, "NOT_FOUND", f"Video {urn} not found")
    if str(body.get("uploadToken") or "") != video["token"]:
        return error(400, "BAD_REQUEST", "/finalizeUploadRequest/uploadToken :: does not match")
    if None in video["etags"]:
        missing = [i for i, e in enumerate(video["etags"]) if e is None]
        return error(400, "BAD_REQUEST", f"Parts {missing} of {urn} were never uploaded")
    if list(body.get("uploadedPartIds") or []) != video["etags"]:
        return error(
            400,
            "BAD_REQUEST",
            "/finalizeUploadRequest/uploadedPartIds :: must list every part's ETag in order",
        )
    data = b"".join(video["parts"])
    video["status"] = "PROCESSING"
    video["reads_left"] = int(state.extras.get(POLLS_KEY, DEFAULT_POLLS))
    video["failure"] = state.extras.pop(FAILURE_KEY, None)
    if data[4:8] != b"ftyp":
        video["failure"] = "The file is not an MP4 video"
    state.add_media(
        PLATFORM,
        data,
        "video/mp4",
        media_id=urn,
        extra={
            "video": True,
            "captions": video["captions"],
            "thumbnail": video["thumbnail"],
            "location_markers": [m.decode("latin-1") for m in _LOCATION_MARKERS if m in data],
        },
    )
    return Reply(200, None)


def _videos_action(state: SandboxState, request: Request, owner: str, error: Error) -> Reply:
    body = request.json() or {}
    action = request.arg("action")
    if action == "initializeUpload":
        asked = body.get("initializeUploadRequest") or {}
        if asked.get("owner") != owner:
            return error(
                403,
                "ACCESS_DENIED",
                "Accessing this video resource is forbidden. Please check your permissions "
                "for this resource",
            )
        return _initialize(state, request, asked, owner, error)
    if action == "finalizeUpload":
        return _finalize(state, body.get("finalizeUploadRequest") or {}, error)
    return error(400, "BAD_REQUEST", "Unsupported action")


def _get_video(state: SandboxState, request: Request, urn: str, error: Error) -> Reply:
    urn = unquote(urn)
    video = videos(state).get(urn)
    if video is None:
        return error(404, "NOT_FOUND", f"Video {urn} not found")
    if video["status"] == "PROCESSING":
        if video["failure"]:
            video["status"] = "PROCESSING_FAILED"
        elif video["reads_left"] <= 0:
            video["status"] = "AVAILABLE"
        else:
            video["reads_left"] -= 1  # processing advances as the video is read
    body: dict[str, Any] = {
        "owner": video["owner"],
        "id": urn,
        "status": video["status"],
    }
    if video["status"] == "PROCESSING_FAILED":
        body["processingFailureReason"] = video["failure"]
    if video["status"] == "AVAILABLE":
        body["downloadUrl"] = f"https://www.linkedin.com/dms/{video['key']}/download"
        body["duration"] = 0
    return Reply(200, body)


def _upload_part(state: SandboxState, request: Request, key: str, index: str) -> Reply:
    urn = f"urn:li:video:{key}"
    video = videos(state).get(urn)
    n = int(index)
    if video is None or n >= len(video["ranges"]):
        return Reply(404, None)
    if state.extras.get(FAIL_PART_KEY) == n:
        del state.extras[FAIL_PART_KEY]
        return Reply(500, None)
    first, last = video["ranges"][n]
    if len(request.body) != last - first + 1:
        return Reply(400, {"message": f"part {n} must be {last - first + 1} bytes"})
    video["parts"][n] = bytes(request.body)
    etag = "/ambry-video/signedId/" + hashlib.sha256(request.body).hexdigest()[:32]
    video["etags"][n] = etag
    return Reply(200, None, {"ETag": etag})


def _upload_captions(state: SandboxState, request: Request, key: str) -> Reply:
    video = videos(state).get(f"urn:li:video:{key}")
    if video is None:
        return Reply(404, None)
    text = request.body.decode("utf-8", "replace")
    if "-->" not in text or not re.match(r"\s*1\s*\n", text):
        return Reply(400, {"message": "captions must be a SubRip (SRT) file"})
    video["captions"] = text
    return Reply(200, None)


def _upload_thumbnail(state: SandboxState, request: Request, key: str) -> Reply:
    video = videos(state).get(f"urn:li:video:{key}")
    if video is None:
        return Reply(404, None)
    if not request.body.startswith((b"\xff\xd8\xff", b"\x89PNG")):
        return Reply(400, {"message": "the thumbnail must be a JPEG or PNG image"})
    video["thumbnail"] = bytes(request.body)
    return Reply(200, None)


def _video_analytics(state: SandboxState, request: Request, error: Error) -> Reply:
    if request.arg("q") != "entity" or request.arg("type") not in ("VIDEO_VIEW", "VIEWER"):
        return error(400, "BAD_REQUEST", "Use q=entity with type VIDEO_VIEW or VIEWER")
    urn = unquote(request.arg("entity") or "")
    post = state.get_post(PLATFORM, urn)
    if post is None or post.deleted or not post.extra.get("video"):
        return error(404, "NOT_FOUND", f"Video post {urn} not found")
    figures = state.metrics(PLATFORM, urn)
    share = VIDEO_VIEW_SHARE if request.arg("type") == "VIDEO_VIEW" else VIDEO_VIEW_SHARE * 0.8
    start = int(post.created_at.timestamp() * 1000)
    return Reply(
        200,
        {
            "paging": {"start": 0, "count": 10, "links": []},
            "elements": [
                {
                    "entity": urn,
                    "timeRange": {"start": start, "end": _millis(state)},
                    "value": int(figures["views"] * share),
                    "type": request.arg("type"),
                }
            ],
        },
    )


def video_routes(route: Callable[..., Route], error: Error, owner: str) -> list[Route]:
    """The routes, wrapped by ``route`` (token, version, throttle) where LinkedIn checks them;
    the upload addresses are pre-signed and take the bytes alone."""
    return [
        route(
            "POST",
            r"/rest/videos",
            lambda state, request: _videos_action(state, request, owner, error),
        ),
        route(
            "GET",
            r"/rest/videos/(?P<urn>[^/]+)",
            lambda state, request, urn: _get_video(state, request, urn, error),
        ),
        route(
            "GET",
            r"/rest/videoAnalytics",
            lambda state, request: _video_analytics(state, request, error),
        ),
        Route(
            "PUT",
            r"/dms-uploads/(?P<key>[A-Za-z0-9]+)/uploadedVideo/(?P<index>\d+)",
            _locked(_upload_part),
        ),
        Route("PUT", r"/dms-uploads/(?P<key>[A-Za-z0-9]+)/captions/0", _locked(_upload_captions)),
        Route("PUT", r"/dms-uploads/(?P<key>[A-Za-z0-9]+)/thumbnail/0", _locked(_upload_thumbnail)),
    ]


def _locked(handler: Callable[..., Reply]) -> Callable[..., Reply]:
    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        with state.lock:
            return handler(state, request, **groups)

    return handle
