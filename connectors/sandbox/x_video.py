"""X's chunked media upload in the sandbox: INITIALIZE, APPEND, FINALIZE, STATUS, subtitles.

Checks what X checks: the declared type and size, segments in order (a segment may be sent
again, as a client retrying a lost answer does), each at most 5 MB, the bytes received equal to
``total_bytes`` at FINALIZE. Processing takes ``PROCESSING_POLLS`` STATUS calls (the state goes
``pending`` -> ``in_progress`` -> ``succeeded``); a rehearsal makes it fail with
``state.extras[FAIL_KEY] = "reason"``. Only small uploads (16 MB) are kept byte for byte (tests
read them back); larger ones keep their size, a SHA-256 and whether location atoms were seen, so
a 200 MB benchmark does not fill the sandbox's memory.

Registered by ``x_api`` (its routes, auth and rate windows).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from connectors.sandbox.state import SandboxState

SESSIONS_KEY = "x_video_uploads"
FAIL_KEY = "x_video_processing_failure"  # a reason: the next FINALIZE ends in "failed"
POLLS_KEY = "x_video_processing_polls"
PROCESSING_POLLS = 2
MAX_SEGMENT_BYTES = 5 * 1024 * 1024
MAX_SEGMENTS = 1000
KEEP_BYTES = 16 * 1024 * 1024
VIDEO_TYPES = ("video/mp4", "video/quicktime")
SUBTITLE_TYPES = ("text/srt", "text/vtt")
# Location metadata an upload should never carry (connectors/video.py strips it).
LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709")


@dataclass
class UploadSession:
    id: str
    media_type: str
    category: str
    total_bytes: int
    next_segment: int = 0
    received: int = 0
    last_size: int = 0
    digest: Any = field(default_factory=hashlib.sha256)
    data: bytearray | None = field(default_factory=bytearray)
    tail: bytes = b""
    markers: set[bytes] = field(default_factory=set)
    state: str = "uploading"  # -> pending -> in_progress -> succeeded | failed
    polls: int = 0
    failure: str | None = None
    subtitles: dict[str, Any] | None = None


def sessions(state: SandboxState) -> dict[str, UploadSession]:
    return state.extras.setdefault(SESSIONS_KEY, {})


def initialize(state: SandboxState, request, invalid) -> tuple[int, Any]:
    try:
        body = request.json_object("A JSON body is required.")
    except ValueError as exc:
        return invalid(str(exc))
    media_type = str(body.get("media_type") or "")
    category = str(body.get("media_category") or "")
    total = body.get("total_bytes")
    if media_type not in VIDEO_TYPES + SUBTITLE_TYPES:
        return invalid(f"media_type '{media_type}' is not supported.", {"media_type": [media_type]})
    wanted = "subtitles" if media_type in SUBTITLE_TYPES else "tweet_video"
    if category != wanted:
        return invalid(
            f"media_category must be {wanted} for {media_type}.", {"media_category": [category]}
        )
    if not isinstance(total, int) or total <= 0 or total > 512 * 1024 * 1024:
        return invalid(
            "total_bytes must be between 1 and 536870912.", {"total_bytes": [str(total)]}
        )
    media_id = state.new_id("x", "media")
    session = UploadSession(media_id, media_type, category, total)
    if total > KEEP_BYTES:
        session.data = None
    sessions(state)[media_id] = session
    return 200, {
        "data": {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}
    }


def append(state: SandboxState, request, invalid, not_found, media_id: str) -> tuple[int, Any]:
    session = sessions(state).get(media_id)
    if session is None:
        return not_found(media_id)
    if session.state != "uploading":
        return invalid(f"Media {media_id} is already finalized.")
    files = request.files()
    raw_index = request.form().get("segment_index")
    if "media" not in files or raw_index is None or not raw_index.isdigit():
        return invalid("media and segment_index are required.")
    index, chunk = int(raw_index), files["media"].data
    if len(chunk) > MAX_SEGMENT_BYTES:
        return invalid(f"Segment {index} is {len(chunk)} bytes; at most {MAX_SEGMENT_BYTES}.")
    if index >= MAX_SEGMENTS:
        return invalid(f"segment_index must be below {MAX_SEGMENTS}.")
    if index == session.next_segment - 1 and len(chunk) == session.last_size:
        return 200, {"data": {"expires_at": _expires(state)}}  # a retried segment: no-op
    if index != session.next_segment:
        return invalid(
            f"Segment {index} is out of order; expected segment {session.next_segment}.",
            {"segment_index": [raw_index]},
        )
    if session.received + len(chunk) > session.total_bytes:
        return invalid(f"Segment {index} goes past total_bytes ({session.total_bytes}).")
    session.digest.update(chunk)
    window = session.tail + chunk
    session.markers.update(m for m in LOCATION_MARKERS if m in window)
    session.tail = window[-16:]
    if session.data is not None:
        session.data.extend(chunk)
    session.received += len(chunk)
    session.last_size = len(chunk)
    session.next_segment += 1
    return 200, {"data": {"expires_at": _expires(state)}}


def _expires(state: SandboxState) -> int:
    return int(state.now().timestamp()) + 86400


def finalize(state: SandboxState, invalid, not_found, media_id: str) -> tuple[int, Any]:
    session = sessions(state).get(media_id)
    if session is None:
        return not_found(media_id)
    if session.state == "uploading":
        if session.received != session.total_bytes:
            return invalid(
                f"File size mismatch: received {session.received} bytes of {session.total_bytes}."
            )
        if session.category == "subtitles":
            session.state = "succeeded"
            _store(state, session)
        else:
            session.state = "pending"
            session.failure = state.extras.pop(FAIL_KEY, None)
    return 200, {"data": _describe(session)}


def status(state: SandboxState, request, invalid, not_found) -> tuple[int, Any]:
    media_id = request.arg("media_id") or ""
    if request.arg("command") not in (None, "STATUS"):
        return invalid("command must be STATUS.")
    session = sessions(state).get(media_id)
    if session is None:
        return not_found(media_id, "media_id")
    if session.state in ("pending", "in_progress"):
        session.polls += 1
        needed = int(state.extras.get(POLLS_KEY, PROCESSING_POLLS))
        if session.polls >= needed:
            session.state = "failed" if session.failure else "succeeded"
            if session.state == "succeeded":
                _store(state, session)
        else:
            session.state = "in_progress"
    return 200, {"data": _describe(session)}


def _describe(session: UploadSession) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": session.id,
        "media_key": f"7_{session.id}",
        "size": session.received,
        "expires_after_secs": 86400,
    }
    if session.category != "subtitles" and session.state != "uploading":
        info: dict[str, Any] = {"state": session.state}
        if session.state in ("pending", "in_progress"):
            info["check_after_secs"] = 1
            info["progress_percent"] = 0 if session.state == "pending" else 50
        elif session.state == "succeeded":
            info["progress_percent"] = 100
        else:
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": session.failure}
        data["processing_info"] = info
        data["video"] = {"video_type": session.media_type}
    return data


def _store(state: SandboxState, session: UploadSession) -> None:
    """The finished upload becomes a media item a post can attach."""
    state.add_media(
        "x",
        bytes(session.data or b""),
        session.media_type,
        media_id=session.id,
        extra={
            "media_category": session.category,
            "size": session.received,
            "sha256": session.digest.hexdigest(),
            "location_markers": sorted(m.decode("latin-1") for m in session.markers),
        },
    )


def subtitles(state: SandboxState, request, invalid, not_found) -> tuple[int, Any]:
    try:
        body = request.json_object("A JSON body is required.")
    except ValueError as exc:
        return invalid(str(exc))
    video = sessions(state).get(str(body.get("id") or ""))
    sub = body.get("subtitles") or {}
    track = sessions(state).get(str(sub.get("id") or ""))
    if video is None or video.category != "tweet_video":
        return not_found(str(body.get("id")))
    if track is None or track.category != "subtitles" or track.state != "succeeded":
        return not_found(str(sub.get("id")), "subtitles.id")
    if body.get("media_category") != "TweetVideo":
        return invalid("media_category must be TweetVideo.")
    code = str(sub.get("language_code") or "")
    if len(code) != 2 or not code.isupper():
        return invalid("subtitles.language_code must be two capital letters.")
    video.subtitles = {
        "id": track.id,
        "language_code": code,
        "display_name": str(sub.get("display_name") or ""),
    }
    item = state.get_media("x", video.id)
    if item is not None:
        item.extra["subtitles"] = dict(video.subtitles)
    return 200, {
        "data": {
            "id": video.id,
            "media_category": "TweetVideo",
            "associated_subtitles": dict(video.subtitles),
        }
    }


# Of the people shown a video post, how many start it and how many reach 25/50/75/100 %.
PLAY_SHARE = 0.45
_QUARTILES = {
    "playback_0_count": 1.0,
    "playback_25_count": 0.74,
    "playback_50_count": 0.58,
    "playback_75_count": 0.47,
    "playback_100_count": 0.41,
}


def playback_metrics(state: SandboxState, post, views: int) -> dict[str, int]:
    """X's video figures (``playback_N_count``) for a post carrying a video; {} otherwise."""
    media = state.get_media("x", post.media[0]) if post.media else None
    if media is None or not media.mime_type.startswith("video/"):
        return {}
    plays = int(views * PLAY_SHARE)
    return {key: int(plays * share) for key, share in _QUARTILES.items()}
