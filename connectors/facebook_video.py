"""Facebook Page videos: the Graph API's chunked upload session, resumable and at most once.

``POST /{page-id}/videos`` with ``upload_phase=start`` (``file_size``) opens a session and names
the first byte range; ``upload_phase=transfer`` sends each range (``video_file_chunk``) and is
answered with the next; ``upload_phase=finish`` (``description``, ``title``) publishes the video:
the one publishing call. Then ``GET /{video-id}?fields=status`` is polled until the video is
``ready`` (an ``error`` is a failed delivery with Facebook's reason), and the captions file goes
to ``POST /{video-id}/captions`` (SubRip; a WebVTT file is converted).

The session (video id, session id, the offset Facebook asked for next) is handed to the daemon
as it changes (``on_resume``) and comes back in ``post.resume``: a retry continues the same
session from that offset, never opens a second one. What is uploaded is the metadata-free copy
(connectors/video.py), read one range at a time.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import srt
import webvtt

from connectors.base import MediaFile, OutgoingPost, Published
from connectors.errors import OutcomeUnknown, Rejected, TransientError
from connectors.video import ResumableUpload, stripped_copy

if TYPE_CHECKING:
    from connectors.facebook import FacebookConnector

VIDEO, SESSION, OFFSET, FINISHED, READY, CAPTIONS = (
    "fb_video_id",
    "fb_upload_session",
    "fb_offset",
    "fb_finished",
    "fb_ready",
    "fb_captions",
)


class FacebookVideoUpload(ResumableUpload):
    started_key = VIDEO

    def __init__(self, fb: FacebookConnector, media: MediaFile, post: OutgoingPost, text: str):
        super().__init__(fb, media, post)
        self.fb = fb
        self.text = text

    def _run(self) -> Published:
        if self.media.placement == "reels":
            return self._reel()
        page = self.fb.page_id
        if not self.state.get(FINISHED):
            with stripped_copy(self.media, self.fb.platform) as copy:
                if not self.state.get(SESSION) or self.state.get("fb_size") != str(copy.size):
                    body = self.fb.client.post(
                        f"{page}/videos", {"upload_phase": "start", "file_size": copy.size}
                    )
                    if not body.get("upload_session_id") or not body.get("video_id"):
                        raise TransientError(
                            "the video upload session named no id", platform=self.fb.platform
                        )
                    self.save(
                        **{
                            VIDEO: str(body["video_id"]),
                            SESSION: str(body["upload_session_id"]),
                            OFFSET: str(body.get("start_offset") or 0),
                            "fb_end": str(body.get("end_offset") or 0),
                            "fb_size": str(copy.size),
                            FINISHED: "",
                            READY: "",
                            CAPTIONS: "",
                        }
                    )
                self._transfer(copy.path, copy.size)
            self._finish(
                "videos",
                {
                    "upload_session_id": self.state[SESSION],
                    "description": self.text,
                    "title": self.media.alt_text[:255] or self.name,
                },
                "finishing the video upload",
            )
        video_id = self._ready()
        if self.media.captions is not None and not self.state.get(CAPTIONS):
            self._captions(video_id, Path(self.media.captions))
            self.save(**{CAPTIONS: "1"})
        return Published(
            platform_id=video_id,
            url=f"https://www.facebook.com/{page}/videos/{video_id}/",
            published_at=self.fb.client.now(),
        )

    def _reel(self) -> Published:
        """A Page Reel: ``POST /{page-id}/video_reels`` ``upload_phase=start`` names a video id
        and an upload address; the file goes there in one streamed request (headers
        ``offset`` and ``file_size``; a retry sends the rest from the offset the address
        reports); ``upload_phase=finish`` with ``video_state=PUBLISHED`` publishes it."""
        page = self.fb.page_id
        if not self.state.get(FINISHED):
            with stripped_copy(self.media, self.fb.platform) as copy:
                if not self.state.get("fb_reel_url") or self.state.get("fb_size") != str(copy.size):
                    body = self.fb.client.post(f"{page}/video_reels", {"upload_phase": "start"})
                    if not body.get("video_id") or not body.get("upload_url"):
                        raise TransientError(
                            "starting the Reel upload named no video id", platform=self.fb.platform
                        )
                    self.save(
                        **{
                            VIDEO: str(body["video_id"]),
                            "fb_reel_url": str(body["upload_url"]),
                            "fb_size": str(copy.size),
                            FINISHED: "",
                            READY: "",
                            CAPTIONS: "",
                        }
                    )
                self._rupload(self.state["fb_reel_url"], copy.path, copy.size)
            self._finish(
                "video_reels",
                {
                    "video_id": self.state[VIDEO],
                    "video_state": "PUBLISHED",
                    "description": self.text,
                },
                "publishing the Reel",
            )
        video_id = self._ready()
        return Published(
            platform_id=video_id,
            url=f"https://www.facebook.com/reel/{video_id}/",
            published_at=self.fb.client.now(),
        )

    def _finish(self, edge: str, fields: dict[str, Any], what: str) -> None:
        """``upload_phase=finish`` on ``edge``: the call that makes the video public. Without
        Facebook's ``success`` its outcome is unknown; once confirmed, it is saved as done."""
        self.post.check_go_ahead(self.fb.platform)
        body = self.fb.client.post(
            f"{self.fb.page_id}/{edge}", {"upload_phase": "finish", **fields}, publishing=True
        )
        if not body.get("success"):
            raise OutcomeUnknown(f"{what} was not confirmed", platform=self.fb.platform)
        self.save(**{FINISHED: "1"})

    def _ready(self) -> str:
        """The video's id, once Facebook has processed it (waited for once, then saved)."""
        video_id = self.state[VIDEO]
        if not self.state.get(READY):
            self._wait(video_id)
            self.save(**{READY: "1"})
        return video_id

    def _rupload(self, url: str, path: Path, size: int) -> None:
        import requests

        headers = {"Authorization": f"OAuth {self.fb.client._token}"}
        session = self.fb.client._session
        try:
            done = session.get(url, headers=headers, timeout=self.fb.client.timeout)
            offset = int((done.json() or {}).get("offset", 0)) if done.ok else 0
            if offset >= size:
                return
            with open(path, "rb") as handle:
                handle.seek(offset)
                answer = session.post(
                    url,
                    data=handle,
                    timeout=self.fb.client.timeout,
                    headers=headers
                    | {
                        "offset": str(offset),
                        "file_size": str(size),
                        "Content-Length": str(size - offset),
                    },
                )
        except (requests.RequestException, ValueError) as exc:
            raise TransientError(
                f"uploading the Reel: {type(exc).__name__}", platform=self.fb.platform
            ) from None
        if not answer.ok:
            raise TransientError(
                f"uploading the Reel: HTTP {answer.status_code}", platform=self.fb.platform
            )

    def _transfer(self, path: Path, size: int) -> None:
        start, end = int(self.state[OFFSET]), int(self.state.get("fb_end") or size)
        with open(path, "rb") as handle:
            while start < size:
                handle.seek(start)
                chunk = handle.read(max(end - start, 1))
                body = self.fb.client.post(
                    f"{self.fb.page_id}/videos",
                    {
                        "upload_phase": "transfer",
                        "upload_session_id": self.state[SESSION],
                        "start_offset": start,
                    },
                    files={"video_file_chunk": ("chunk", chunk, "application/octet-stream")},
                )
                start, end = int(body.get("start_offset", size)), int(body.get("end_offset", size))
                self.save(**{OFFSET: str(start), "fb_end": str(end)})

    def _wait(self, video_id: str) -> None:
        delay, waited = 1.0, 0.0
        while True:
            body = self.fb.client.get(video_id, {"fields": "status"})
            status = body.get("status") or {}
            state = str(status.get("video_status") or "")
            if state in ("ready", "published"):
                return
            if state == "error":
                phase = status.get("processing_phase") or {}
                error = phase.get("error") or {}
                reason = error.get("message") or "no reason given"
                raise Rejected(
                    f"Facebook could not process the video {self.name}: {reason}",
                    platform=self.fb.platform,
                )
            if waited + delay > self.fb.processing_deadline:
                raise TransientError(
                    f"Facebook is still processing the video {self.name} after {waited:.0f} s; "
                    "the next attempt checks the same video again",
                    platform=self.fb.platform,
                )
            self.fb._sleep(delay)
            waited += delay
            delay = min(delay * 2, 30.0)

    def _captions(self, video_id: str, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise Rejected(f"captions {path.name}: {exc}", platform=self.fb.platform) from None
        if path.suffix.lower() == ".vtt":
            text = _vtt_to_srt(text)
        self.fb.client.post(
            f"{video_id}/captions",
            {"default_locale": "en_US"},
            files={"captions_file": (f"{path.stem}.en_US.srt", text.encode(), "text/plain")},
        )


def _vtt_to_srt(text: str) -> str:
    """Facebook takes SubRip captions; a WebVTT file is rewritten cue for cue."""
    cues = webvtt.from_buffer(io.StringIO(text))
    subs = [
        srt.Subtitle(
            n,
            srt.srt_timestamp_to_timedelta(c.start.replace(".", ",")),
            srt.srt_timestamp_to_timedelta(c.end.replace(".", ",")),
            c.text,
        )
        for n, c in enumerate(cues, start=1)
    ]
    return srt.compose(subs)


def publish_video(
    fb: FacebookConnector, media: MediaFile, post: OutgoingPost, text: str
) -> Published:
    return FacebookVideoUpload(fb, media, post, text).run()
