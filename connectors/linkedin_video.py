"""LinkedIn videos through the Videos API: parts uploaded from the file, resumable, at most once.

``POST /rest/videos?action=initializeUpload`` (owner, ``fileSizeBytes``, ``uploadCaptions``)
answers with the video's URN, an ``uploadToken`` and ``uploadInstructions``: byte ranges
(``firstByte``, ``lastByte``, 4 MB each but the last) with the address each goes to, and a
``captionsUploadUrl`` when captions were announced. Each range is read from the metadata-free
copy (connectors/video.py) and PUT on its own; LinkedIn answers each with an ``ETag``.
``POST /rest/videos?action=finalizeUpload`` then names the video, the token and the ETags in
order (``uploadedPartIds``). ``GET /rest/videos/{urn}`` is read with doubling pauses up to a
deadline until the video's ``status`` is ``AVAILABLE`` (``PROCESSING_FAILED`` is a failed
delivery with LinkedIn's reason). The post that follows (``POST /rest/posts``) names the video
in ``content.media.id``, with its title.

Figures: ``GET /rest/videoAnalytics?q=entity&entity={post urn}&type=VIDEO_VIEW&aggregation=ALL``
(Video Analytics API: views with play-pause cycles of at least 3 seconds) becomes
``video_plays``. LinkedIn reports no completions nor average watch time for a page's video, so
those keys are left out and the digest does not claim them.

Captions: LinkedIn takes SubRip; a WebVTT file is rewritten cue for cue, and PUT to the
captions address before the upload is finalized. A ``cover:`` image goes to the thumbnail
address (``uploadThumbnail``) as a copy without metadata; LinkedIn takes no ``cover_at`` moment.

Resuming: the video URN, the ranges and the ETags of the parts already sent go to the daemon as
they change (``on_resume``) and come back in ``post.resume``; a retry sends only the parts that
have no ETag yet, never initializes a second video (unless its upload addresses have expired
and nothing was finalized: an unfinished video is never shown to anyone), and a finalized,
processed video goes straight to the post.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.base import MediaFile
from connectors.errors import ConnectorError, Rejected, TransientError
from connectors.media import prepare_media
from connectors.video import ResumableUpload, stripped_copy
from connectors.video_upload import captions_srt
from connectors.video_wait import wait_until_processed

if TYPE_CHECKING:
    from connectors.linkedin import LinkedInConnector

log = logging.getLogger(__name__)

# Resume keys (connectors.base.OutgoingPost.resume holds strings only).
VIDEO = "li_video"  # the video's URN, from initializeUpload
SIZE = "li_size"  # the bytes of the copy it was initialized for
PARTS = "li_parts"  # the byte ranges and their upload addresses, as JSON
ETAGS = "li_etags"  # each part's ETag once sent (null before), as JSON
TOKEN = "li_token"  # the uploadToken finalizeUpload names
EXPIRES = "li_expires"  # when the upload addresses expire (epoch milliseconds)
CAPTIONS_URL = "li_captions_url"
CAPTIONS_SENT = "li_captions"
THUMBNAIL_URL = "li_thumbnail_url"
THUMBNAIL_SENT = "li_thumbnail"
FINALIZED = "li_finalized"
READY = "li_ready"  # LinkedIn has processed the video

PROCESSING_DEADLINE = 600.0


class LinkedInVideoUpload(ResumableUpload):
    """One video's upload for one post; ``run()`` returns its URN once LinkedIn has processed
    it."""

    started_key = VIDEO
    state_prefix = "li_"

    @property
    def li(self) -> LinkedInConnector:
        return self.connector

    def _run(self) -> str:
        if not self.state.get(FINALIZED):
            with stripped_copy(self.media, self.li.platform) as copy:
                if self._needs_new_upload(copy.size):
                    self._initialize(copy.size)
                self._send_parts(copy.path)
            if self.media.captions is not None and not self.state.get(CAPTIONS_SENT):
                self._send_captions(Path(self.media.captions))
            if self.media.cover is not None and not self.state.get(THUMBNAIL_SENT):
                self._send_thumbnail(Path(self.media.cover))
            self._finalize()
        if not self.state.get(READY):
            self._wait()
            self.save(**{READY: "1"})
        return self.state[VIDEO]

    def _needs_new_upload(self, size: int) -> bool:
        if not self.state.get(VIDEO) or self.state.get(SIZE) != str(size):
            return True
        expires = int(self.state.get(EXPIRES) or 0)
        now_ms = int(self.li._clock().timestamp() * 1000)
        return bool(expires) and now_ms >= expires

    def _initialize(self, size: int) -> None:
        body = self.li._json(
            "POST",
            "/rest/videos?action=initializeUpload",
            json={
                "initializeUploadRequest": {
                    "owner": self.li.organization,
                    "fileSizeBytes": size,
                    "uploadCaptions": self.media.captions is not None,
                    "uploadThumbnail": self.media.cover is not None,
                }
            },
        )
        value = body.get("value") or {}
        video = value.get("video")
        try:
            parts = [
                [int(p["firstByte"]), int(p["lastByte"]), str(p["uploadUrl"])]
                for p in value.get("uploadInstructions") or []
                if isinstance(p, dict) and p.get("uploadUrl")
            ]
        except (KeyError, TypeError, ValueError):
            parts = []
        if not video or not _covers(parts, size):
            raise TransientError(
                "LinkedIn's initializeUpload answer named no video or upload ranges that do "
                f"not cover the {size:,} bytes",
                platform=self.li.platform,
            )
        self.state = {}
        self.save(
            **{
                VIDEO: str(video),
                SIZE: str(size),
                PARTS: json.dumps(parts),
                ETAGS: json.dumps([None] * len(parts)),
                TOKEN: str(value.get("uploadToken") or ""),
                EXPIRES: str(value.get("uploadUrlsExpireAt") or ""),
                CAPTIONS_URL: str(value.get("captionsUploadUrl") or ""),
                THUMBNAIL_URL: str(value.get("thumbnailUploadUrl") or ""),
            }
        )

    def _send_parts(self, path: Path) -> None:
        parts = json.loads(self.state[PARTS])
        etags: list[str | None] = json.loads(self.state[ETAGS])
        with open(path, "rb") as handle:
            for index, (first, last, url) in enumerate(parts):
                if etags[index]:
                    continue  # sent by an earlier attempt
                handle.seek(first)
                piece = handle.read(last - first + 1)  # one part (4 MB), never the whole file
                response = self.li._request(
                    "PUT", url, data=piece, headers={"Content-Type": "application/octet-stream"}
                )
                etag = response.headers.get("ETag") or response.headers.get("etag")
                if not etag:
                    raise TransientError(
                        f"LinkedIn took part {index + 1} of {self.name} without an ETag",
                        platform=self.li.platform,
                    )
                etags[index] = etag.strip('"')
                self.save(**{ETAGS: json.dumps(etags)})

    def _send_captions(self, path: Path) -> None:
        url = self.state.get(CAPTIONS_URL)
        if not url:
            return  # announced too late (a resumed upload initialized without them)
        text = captions_srt(path, self.li.platform)
        self.li._request(
            "PUT", url, data=text.encode("utf-8"), headers={"Content-Type": "application/x-subrip"}
        )
        self.save(**{CAPTIONS_SENT: "1"})

    def _send_thumbnail(self, path: Path) -> None:
        """The cover image, as a copy without its metadata (connectors/media.py)."""
        url = self.state.get(THUMBNAIL_URL)
        if not url:
            return
        cover = prepare_media(MediaFile(path=path, mime_type="image/jpeg"), self.li.limits)
        self.li._request(
            "PUT", url, data=cover.data, headers={"Content-Type": "application/octet-stream"}
        )
        self.save(**{THUMBNAIL_SENT: "1"})

    def _finalize(self) -> None:
        self.li._request(
            "POST",
            "/rest/videos?action=finalizeUpload",
            json={
                "finalizeUploadRequest": {
                    "video": self.state[VIDEO],
                    "uploadToken": self.state.get(TOKEN, ""),
                    "uploadedPartIds": json.loads(self.state[ETAGS]),
                }
            },
        )
        self.save(**{FINALIZED: "1"})

    def _wait(self) -> None:
        from connectors.linkedin import _urn  # the connector imports this module

        video = self.state[VIDEO]

        def ready() -> bool:
            body = self.li._json("GET", f"/rest/videos/{_urn(video)}")
            status = str(body.get("status") or "")
            if status == "AVAILABLE":
                return True
            if status == "PROCESSING_FAILED":
                reason = body.get("processingFailureReason") or "no reason given"
                raise Rejected(
                    f"LinkedIn could not process the video {self.name}: {reason}",
                    platform=self.li.platform,
                )
            return False

        wait_until_processed(
            ready,
            what=f"LinkedIn is still processing the video {self.name}",
            platform=self.li.platform,
            deadline=self.li.processing_deadline,
            sleep=self.li._sleep,
        )


def _covers(parts: list[list[Any]], size: int) -> bool:
    """The ranges follow one another from byte 0 to the last byte of the file."""
    expected = 0
    for first, last, _url in parts:
        if first != expected or last < first:
            return False
        expected = last + 1
    return expected == size and bool(parts)


def video_content(urn: str, media: MediaFile) -> dict[str, Any]:
    """The post's ``content`` for a video (Posts API, "Video post")."""
    return {"media": {"title": media.alt_text[:255] or Path(media.path).stem, "id": urn}}


def video_views(li: LinkedInConnector, post_urn: str) -> dict[str, Any]:
    """A video post's views under the common key ``video_plays`` (and raw); {} when LinkedIn
    gives none (not a video post, or the figures cannot be read: the pull never fails for it)."""
    from connectors.linkedin import _urn  # the connector imports this module

    try:
        body = li._json(
            "GET",
            f"/rest/videoAnalytics?q=entity&entity={_urn(post_urn)}&type=VIDEO_VIEW"
            "&aggregation=ALL",
        )
    except ConnectorError as exc:
        log.info("linkedin: video views unavailable for %s: %s", post_urn, exc)
        return {}
    values = [e.get("value") for e in body.get("elements") or [] if isinstance(e, dict)]
    counts = [int(v) for v in values if isinstance(v, (int, float))]
    if not counts:
        return {}
    return {"video_plays": sum(counts), "VIDEO_VIEW": sum(counts)}
