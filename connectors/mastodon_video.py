"""Mastodon video: one upload to ``POST /api/v2/media``, processed by the server, then attached.

Docs (docs.joinmastodon.org, methods/media): the file goes up as multipart form data with its
alt text as ``description``; a video is answered ``202 Accepted`` with ``url: null`` while the
server transcodes it. ``GET /api/v1/media/:id`` answers ``206 Partial content`` until it is done
and ``200`` with the ``url`` set after; ``422`` when processing failed (a failed delivery, with
the server's reason). Polling waits 1 s, doubling to 30 s, up to the connector's
``processing_deadline``.

Before anything is sent, the metadata-free copy (connectors/video.py) is checked against this
server's own limits (``GET /api/v2/instance``, ``configuration.media_attachments``:
``video_size_limit``, ``video_frame_rate_limit``, ``video_matrix_limit``), so a server smaller
than mastodon.social refuses nothing after minutes of uploading. The body is streamed from the
copy on disk.

Captions: Mastodon takes no captions file. With ``burn_captions: true`` the captions are drawn
into the picture (connectors/burn_captions.py) and that copy is uploaded; otherwise ``validate``
warns that viewers there see none.

At most once: the media id (and whether the server finished it) goes to the daemon as soon as
it exists (``on_resume``) and comes back in ``post.resume``; a retry asks for that same media
and reuses it, and uploads again only when the server no longer has it (404: unattached uploads
are removed after a day). An upload whose answer was lost leaves an unattached media item,
which the server removes the same way; nothing is ever posted twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from connectors.base import MediaFile, OutgoingPost
from connectors.burn_captions import burn_captions
from connectors.common import json_object
from connectors.errors import Rejected, TransientError
from connectors.video import SOURCE, MultipartFile, ResumableUpload, stripped_copy

if TYPE_CHECKING:
    from connectors.mastodon import MastodonConnector

PLATFORM = "mastodon"
ID, SIZE, READY = "mastodon_video_id", "mastodon_video_bytes", "mastodon_video_ready"


class MastodonVideoUpload(ResumableUpload):
    """One video's upload for one status; ``run()`` returns the media id to attach."""

    connector: MastodonConnector
    started_key = ID

    def _run(self) -> str:
        media_id = self._reusable()
        if media_id is None:
            with self._copy() as (path, size, mime):
                self._check(path, size, mime)
                media_id = self._create(path, mime)
        if not self.state.get(READY):
            self.wait(
                lambda: self._processed(media_id),
                f"the server is still processing the video {self.name}",
            )
            self.save(**{READY: "1"})
        return media_id

    @contextlib.contextmanager
    def _copy(self) -> Iterator[tuple[Path, int, str]]:
        """The file to upload: the metadata-free copy, with the captions burned in if asked."""
        with stripped_copy(self.media, PLATFORM) as copy:
            if self.media.burn_captions and self.media.captions is not None:
                burned = copy.path.with_name("captioned.mp4")
                burn_captions(copy.path, Path(self.media.captions), burned)
                yield burned, burned.stat().st_size, "video/mp4"
            else:
                yield copy.path, copy.size, copy.mime_type

    def _reusable(self) -> str | None:
        """The media id of an earlier attempt, if the server still has it."""
        media_id = self.state.get(ID)
        if not media_id or not self.same_source():
            return None
        if self.state.get(READY):
            return media_id
        try:
            if self._processed(media_id):
                self.save(**{READY: "1"})
        except Rejected as exc:
            if exc.code == 404:
                self.save(**{ID: "", READY: ""})
                return None  # removed (unattached for a day): only now is a new upload right
            raise  # 422: processing failed, with the server's reason
        return media_id

    def _check(self, path: Path, size: int, mime: str) -> None:
        """The copy against this server's own video limits (``/api/v2/instance``)."""
        config = self.connector.media_config()
        supported = config.get("supported_mime_types")
        if isinstance(supported, list) and mime not in supported:
            raise Rejected(
                f"{self.name}: this server takes no {mime} files — export it as MP4",
                platform=PLATFORM,
            )
        frame_rate, pixels = _frame_rate_and_pixels(path)
        mb = 1_048_576
        # (setting, this video's figure, slack, the message (figure, limit), unit shown)
        checks = (
            (
                "video_size_limit",
                size,
                0.0,
                "the video is {:.0f} MB; this server takes videos "
                "up to {:.0f} MB — export it at a lower bitrate or cut it shorter",
                mb,
            ),
            (
                "video_frame_rate_limit",
                frame_rate,
                0.5,
                "{:.3g} frames a second; this server "
                "takes at most {:g} — export it at 30 frames a second",
                1,
            ),
            (
                "video_matrix_limit",
                pixels,
                0.0,
                "{:,.0f} pixels a frame; this server takes at most {:,.0f} — export it at 1080p",
                1,
            ),
        )
        for setting, figure, slack, words, unit in checks:
            limit = float(config.get(setting) or 0)
            if limit and figure > limit + slack:
                raise Rejected(
                    f"{self.name}: " + words.format(figure / unit, limit / unit),
                    platform=PLATFORM,
                )

    def _create(self, path: Path, mime: str) -> str:
        fields = {"description": self.media.alt_text} if self.media.alt_text else {}
        body = MultipartFile(fields, "file", path, Path(self.media.path).stem + path.suffix, mime)
        response = self.connector._request(
            "POST",
            "/api/v2/media",
            data=body,
            headers={"Content-Type": body.content_type},
        )
        attachment = json_object(response)
        media_id = str(attachment.get("id") or "")
        if not media_id:
            raise TransientError(
                f"{self.name}: the server answered the upload without a media id",
                platform=PLATFORM,
            )
        ready = response.status_code == 200 and bool(attachment.get("url"))
        self.save(
            **{
                ID: media_id,
                SIZE: str(path.stat().st_size),
                READY: "1" if ready else "",
                SOURCE: self.source(),
            }
        )
        return media_id

    def _processed(self, media_id: str) -> bool:
        try:
            response = self.connector._request("GET", f"/api/v1/media/{media_id}")
        except Rejected as exc:
            if exc.code == 422:
                self.save(**{ID: "", READY: ""})  # a new attempt uploads again
                raise Rejected(
                    f"the server could not process the video {self.name}: {exc.message}",
                    platform=PLATFORM,
                    code=422,
                ) from None
            raise
        return response.status_code == 200 and bool(json_object(response).get("url"))


def _frame_rate_and_pixels(path: Path) -> tuple[float, int]:
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = stream.average_rate or stream.guessed_rate
        context = stream.codec_context
        return (float(rate) if rate else 0.0), context.width * context.height


def upload_video(conn: MastodonConnector, media: MediaFile, post: OutgoingPost) -> str:
    return MastodonVideoUpload(conn, media, post).run()


__all__ = ["MastodonVideoUpload", "upload_video"]
