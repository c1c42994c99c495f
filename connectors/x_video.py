"""X video: the v2 chunked media upload, resumable and at most once.

``POST /2/media/upload/initialize`` (type, category ``tweet_video``, size) -> a media id;
``POST /2/media/upload/{id}/append`` (multipart ``media`` + ``segment_index``) once per 4 MB
piece; ``POST /2/media/upload/{id}/finalize``; then ``GET /2/media/upload?command=STATUS``
until ``processing_info.state`` is ``succeeded`` (waiting ``check_after_secs``, backing off, up
to ``processing_deadline``). Captions go up the same way (category ``subtitles``) and are
attached with ``POST /2/media/subtitles``; alt text with ``POST /2/media/metadata``.

What is uploaded is the metadata-free copy (connectors/video.py), read piece by piece: memory
does not grow with the file.

Resumable: the media id, how many pieces X has, and whether the upload was finalized are handed
to the daemon (``on_resume``) as each becomes true and come back in ``post.resume``; a retry
continues the same upload (the copy is made the same way each time, byte for byte, which the
size confirms) instead of starting a second one. Only when X says the media id is gone (expired
after 24 hours, or its processing failed) does a new upload start.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Rejected, TransientError
from connectors.video import ResumableUpload, read_chunks, stripped_copy

if TYPE_CHECKING:
    from connectors.x import XConnector

log = logging.getLogger(__name__)

PLATFORM = "x"
CHUNK_BYTES = 4 * 1024 * 1024  # X takes at most 5 MB per APPEND
# resume keys
ID, SIZE, NEXT, FINAL, READY, CAPTIONS = (
    "x_video_id",
    "x_video_bytes",
    "x_video_next",
    "x_video_finalized",
    "x_video_ready",
    "x_video_captions",
)


class XVideoUpload(ResumableUpload):
    """One video's upload for one post; ``run()`` returns the media id to attach."""

    started_key = ID

    def __init__(self, x: XConnector, media: MediaFile, post: OutgoingPost):
        super().__init__(x, media, post)
        self.x = x

    def _run(self) -> str:
        with stripped_copy(self.media, PLATFORM) as copy:
            media_id = self._reusable(copy.size)
            if media_id is None:
                media_id = self._initialize(copy.mime_type, copy.size, "tweet_video")
                self.save(
                    **{
                        ID: media_id,
                        SIZE: str(copy.size),
                        NEXT: "0",
                        FINAL: "",
                        READY: "",
                        CAPTIONS: "",
                    }
                )
            if not self.state.get(FINAL):
                start = int(self.state.get(NEXT) or 0)
                for index, chunk in enumerate(read_chunks(copy.path, CHUNK_BYTES)):
                    if index < start:
                        continue
                    self._append(media_id, index, chunk)
                    self.save(**{NEXT: str(index + 1)})
                info = self._finalize(media_id)
                self.save(**{FINAL: "1"})
            else:
                # Resumed after FINALIZE: X may still be processing, so ask before going on
                # (alt text and the post need a processed video).
                info = self._status(media_id) or {}
        if not self.state.get(READY):
            self._wait(media_id, info)
            self.save(**{READY: "1"})
        self._describe(media_id)
        return media_id

    # -- steps -------------------------------------------------------------------------------
    def _reusable(self, size: int) -> str | None:
        """The media id of an earlier attempt, if X still has it and it is this same copy."""
        media_id = self.state.get(ID)
        if not media_id:
            return None
        if self.state.get(SIZE) != str(size):
            log.warning("x: %s changed since upload %s began; starting again", self.name, media_id)
            return None
        if self.state.get(FINAL):
            processing = self._status(media_id, missing_ok=True)
            if processing is None or processing.get("state") == "failed":
                return None  # expired, or X gave up on it: only now is a new upload right
        return media_id

    def _initialize(self, mime: str, size: int, category: str) -> str:
        body = self.x._raw_post(
            "start video upload",
            "/2/media/upload/initialize",
            json={"media_type": mime, "total_bytes": size, "media_category": category},
        )
        media_id = str(((body or {}).get("data") or {}).get("id") or "")
        if not media_id:
            raise TransientError(
                "start video upload: X answered without a media id", platform=PLATFORM
            )
        return media_id

    def _append(self, media_id: str, index: int, chunk: bytes) -> None:
        self.x._raw_post(
            f"upload video piece {index + 1}",
            f"/2/media/upload/{media_id}/append",
            files={"media": ("blob", chunk, "application/octet-stream")},
            data={"segment_index": str(index)},
        )

    def _finalize(self, media_id: str) -> dict[str, Any]:
        body = self.x._raw_post("finish video upload", f"/2/media/upload/{media_id}/finalize")
        return ((body or {}).get("data") or {}).get("processing_info") or {}

    def _status(self, media_id: str, *, missing_ok: bool = False) -> dict[str, Any] | None:
        try:
            body = self.x._raw_get(
                "check video processing",
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
            )
        except Rejected as exc:
            if missing_ok and exc.code == 404:
                return None
            raise
        return ((body or {}).get("data") or {}).get("processing_info") or {"state": "succeeded"}

    def _wait(self, media_id: str, info: dict[str, Any]) -> None:
        """Poll STATUS until X has processed the video: waits ``check_after_secs`` (at least
        1 s, doubling to 30 s), up to the connector's ``processing_deadline``."""
        deadline = self.x._monotonic() + self.x.processing_deadline
        delay = 1.0
        while True:
            state = str(info.get("state") or "succeeded")
            if state == "succeeded":
                return
            if state == "failed":
                error = info.get("error") or {}
                reason = error.get("message") or error.get("name") or "no reason given"
                self.state.update({FINAL: "", READY: ""})
                raise Rejected(
                    f"X could not process the video {self.name}: {reason}", platform=PLATFORM
                )
            wait = max(float(info.get("check_after_secs") or 0), delay)
            if self.x._monotonic() + wait > deadline:
                raise TransientError(
                    f"X is still processing the video {self.name} after "
                    f"{self.x.processing_deadline:.0f} s; the next attempt checks the same "
                    "upload again",
                    platform=PLATFORM,
                )
            self.x._sleep(wait)
            delay = min(delay * 2, 30.0)
            info = self._status(media_id) or {}

    def _describe(self, media_id: str) -> None:
        alt = (self.media.alt_text or "").strip()
        if alt:
            self.x._raw_post(
                "set alt text",
                "/2/media/metadata",
                json={
                    "id": media_id,
                    "metadata": {"alt_text": {"text": alt[: self.x.limits.max_alt_text or 1000]}},
                },
            )
        captions = self.media.captions
        if captions is None or self.state.get(CAPTIONS):
            return
        path = Path(captions)
        mime = "text/vtt" if path.suffix.lower() == ".vtt" else "text/srt"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise Rejected(
                f"captions {path.name}: {exc.strerror or exc}", platform=PLATFORM
            ) from None
        track = self._initialize(mime, len(data), "subtitles")
        self._append(track, 0, data)
        self._finalize(track)
        self.x._raw_post(
            "attach captions",
            "/2/media/subtitles",
            json={
                "id": media_id,
                "media_category": "TweetVideo",
                "subtitles": {"id": track, "language_code": "EN", "display_name": "English"},
            },
        )
        self.save(**{CAPTIONS: track})


def upload_video(x: XConnector, media: MediaFile, post: OutgoingPost) -> str:
    return XVideoUpload(x, media, post).run()


__all__ = ["CHUNK_BYTES", "XVideoUpload", "upload_video"]
