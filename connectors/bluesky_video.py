"""Bluesky video: the video service's upload and job, then an ``app.bsky.embed.video`` embed.

The path Bluesky's docs recommend (docs.bsky.app, "Uploading video"; lexicons
``app.bsky.video.*``), so the post never shows a video still being processed:

1. ``app.bsky.video.getUploadLimits`` on the video service (``bluesky.video_url``,
   https://video.bsky.app) with a service token for it (``com.atproto.server.getServiceAuth``,
   ``aud`` ``did:web:video.bsky.app``): ``canUpload`` false (the daily 25 videos / 10 GB, or an
   unverified email) stops here with Bluesky's message.
2. ``app.bsky.video.uploadVideo?did=...&name=...`` on the video service, the MP4 as the body,
   with a service token for the account's PDS (``aud`` ``did:web:<PDS host>``, from the DID
   document ``com.atproto.server.getSession`` gives; ``lxm`` ``com.atproto.repo.uploadBlob``;
   30 minutes): answered with a ``jobStatus``. The same video sent again is answered 409
   ``already_exists`` with the job's id, which is used as it is.
3. ``app.bsky.video.getJobStatus?jobId=...`` until ``JOB_STATE_COMPLETED`` names the ``blob``
   (the service stored the processed video on the PDS); ``JOB_STATE_FAILED`` is a failed
   delivery with its ``error``/``message``. Waits 1 s, doubling to 30 s, up to the connector's
   ``processing_deadline``.
4. Captions: the captions file as WebVTT (a SubRip file is converted cue for cue) goes to
   ``com.atproto.repo.uploadBlob`` (``text/vtt``, at most 20,000 bytes: the
   ``app.bsky.embed.video#caption`` limit) and into the embed's ``captions`` with ``lang``.
   Alt text is the embed's ``alt``; ``aspectRatio`` is the copy's shown width and height.

What is uploaded is the metadata-free copy (connectors/video.py), streamed from disk.

At most once: the job id, then the finished blob, then the captions blob go to the daemon as
each exists (``on_resume``) and come back in ``post.resume``; a retry polls the same job or
reuses the blob. The post itself is ``createRecord`` at the delivery's record key, as for
images, so it can never be made twice.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import srt
import webvtt

from connectors.base import MediaFile, OutgoingPost
from connectors.common import json_object, send
from connectors.errors import ConnectorError, Rejected, TransientError
from connectors.video import SOURCE, ResumableUpload, stripped_copy

if TYPE_CHECKING:
    from connectors.bluesky import BlueskyConnector

PLATFORM = "bluesky"
EMBED = "app.bsky.embed.video"
MAX_CAPTIONS_BYTES = 20_000  # app.bsky.embed.video#caption: file maxSize
SERVICE_TOKEN_SECONDS = 30 * 60  # the docs' advice: long enough for a large upload
# Resume keys (connectors.base.OutgoingPost.resume holds strings only).
JOB = "bsky_video_job"  # the video service's job id
BLOB = "bsky_video_blob"  # the processed video's blob, as JSON
SIZE = "bsky_video_bytes"
CAPTIONS = "bsky_video_captions"  # the captions file's blob, as JSON
WIDTH, HEIGHT = "bsky_video_width", "bsky_video_height"  # the copy as shown
DONE, FAILED = "JOB_STATE_COMPLETED", "JOB_STATE_FAILED"


class BlueskyVideoUpload(ResumableUpload):
    """One video's upload for one post; ``run()`` returns the ``app.bsky.embed.video`` embed."""

    connector: BlueskyConnector
    started_key = JOB

    def __init__(self, conn: BlueskyConnector, media: MediaFile, post: OutgoingPost):
        super().__init__(conn, media, post)
        self.video_url = conn.video_url.rstrip("/")

    def _run(self) -> dict[str, Any]:
        if not self.same_source():
            self.save(**{JOB: "", BLOB: "", CAPTIONS: ""})  # replaced: upload it again
        if not self.state.get(BLOB):
            if not self.state.get(JOB):
                self._upload()
            self.wait(self._finished, f"Bluesky is still processing the video {self.name}")
        embed: dict[str, Any] = {"$type": EMBED, "video": json.loads(self.state[BLOB])}
        if self.media.alt_text:
            embed["alt"] = self.media.alt_text
        if self.state.get(WIDTH):
            embed["aspectRatio"] = {
                "width": int(self.state[WIDTH]),
                "height": int(self.state[HEIGHT]),
            }
        if self.media.captions is not None:
            embed["captions"] = [{"lang": "en", "file": self._captions()}]
        return embed

    # -- the video service -------------------------------------------------------------------
    def _upload(self) -> None:
        limits = self._service_get(
            "app.bsky.video.getUploadLimits",
            token=self._service_token(self._video_service_did(), "app.bsky.video.getUploadLimits"),
        )
        if not limits.get("canUpload"):
            reason = limits.get("message") or limits.get("error") or "no reason given"
            raise TransientError(
                f"Bluesky takes no more videos from this account for now ({reason}); "
                "25 videos or 10 GB a day, and the account's email must be verified",
                platform=PLATFORM,
            )
        token = self._service_token(self._pds_did(), "com.atproto.repo.uploadBlob")
        did = self.connector._tokens()["did"]
        with stripped_copy(self.media, PLATFORM) as copy:
            width, height = _shown_size(copy.path)
            self.save(
                **{
                    SIZE: str(copy.size),
                    WIDTH: str(width),
                    HEIGHT: str(height),
                    SOURCE: self.source(),
                }
            )
            with open(copy.path, "rb") as body:
                response = send(
                    self.connector._session,
                    "POST",
                    f"{self.video_url}/xrpc/app.bsky.video.uploadVideo",
                    platform=PLATFORM,
                    publishing=False,
                    shown="app.bsky.video.uploadVideo",
                    params={"did": did, "name": f"{Path(self.media.path).stem}.mp4"},
                    data=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "video/mp4",
                        "Content-Length": str(copy.size),
                    },
                    timeout=self.connector._timeout,
                )
        answer = json_object(response)
        if response.status_code == 409 and answer.get("jobId"):
            job = str(answer["jobId"])  # the service has this video already: its job
        elif response.status_code >= 400:
            raise self._error(response, "app.bsky.video.uploadVideo")
        else:
            job = str(_job_status(answer).get("jobId") or "")
        if not job:
            raise TransientError(
                f"{self.name}: Bluesky's video service answered without a job id",
                platform=PLATFORM,
            )
        self.save(**{JOB: job})

    def _finished(self) -> bool:
        status = _job_status(
            self._service_get("app.bsky.video.getJobStatus", params={"jobId": self.state[JOB]})
        )
        state = str(status.get("state") or "")
        if state == FAILED:
            reason = status.get("error") or status.get("message") or "no reason given"
            self.save(**{JOB: ""})  # a new attempt uploads again
            raise Rejected(
                f"Bluesky could not process the video {self.name}: {reason}",
                platform=PLATFORM,
                code=str(status.get("failureCode") or FAILED),
            )
        blob = status.get("blob")
        if state != DONE or not isinstance(blob, dict):
            return False
        self.save(**{BLOB: json.dumps(blob, sort_keys=True)})
        return True

    def _service_get(
        self, nsid: str, *, token: str | None = None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = send(
            self.connector._session,
            "GET",
            f"{self.video_url}/xrpc/{nsid}",
            platform=PLATFORM,
            publishing=False,
            shown=nsid,
            params=params or {},
            headers=headers,
            timeout=self.connector._timeout,
        )
        if response.status_code >= 400:
            raise self._error(response, nsid)
        return json_object(response)

    def _error(self, response: Any, nsid: str) -> ConnectorError:
        error = self.connector._error(response, nsid, False)
        if type(error).__name__ == "_TokenRefused":
            # A service token lasts 30 minutes; the next attempt asks for a new one.
            return TransientError(f"{nsid}: {error.message}", platform=PLATFORM)
        return error

    # -- tokens ------------------------------------------------------------------------------
    def _service_token(self, audience: str, method: str) -> str:
        body = self.connector._call(
            "GET",
            "com.atproto.server.getServiceAuth",
            params={
                "aud": audience,
                "lxm": method,
                "exp": int(time.time()) + SERVICE_TOKEN_SECONDS,
            },
        )
        return str(body["token"])

    def _video_service_did(self) -> str:
        return "did:web:" + quote(urlsplit(self.video_url).netloc, safe="")

    def _pds_did(self) -> str:
        """``did:web:`` of the account's PDS: from the DID document (bsky.social is only the
        entryway; the account lives on one of its PDS hosts), else from ``base_url``."""
        session = self.connector._call("GET", "com.atproto.server.getSession")
        services = ((session.get("didDoc") or {}).get("service")) or []
        endpoint = next(
            (
                s.get("serviceEndpoint")
                for s in services
                if isinstance(s, dict) and str(s.get("id", "")).endswith("#atproto_pds")
            ),
            None,
        )
        host = urlsplit(str(endpoint or self.connector.base_url)).netloc
        return "did:web:" + quote(host, safe="")

    # -- captions ----------------------------------------------------------------------------
    def _captions(self) -> dict[str, Any]:
        if self.state.get(CAPTIONS):
            return json.loads(self.state[CAPTIONS])
        path = Path(self.media.captions or "")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise Rejected(f"captions {path.name}: {exc}", platform=PLATFORM) from None
        data = (text if path.suffix.lower() == ".vtt" else srt_to_vtt(text)).encode()
        if len(data) > MAX_CAPTIONS_BYTES:
            raise Rejected(
                f"captions {path.name}: {len(data):,} bytes as WebVTT; Bluesky takes caption "
                f"files up to {MAX_CAPTIONS_BYTES:,}",
                platform=PLATFORM,
            )
        blob = self.connector._call(
            "POST",
            "com.atproto.repo.uploadBlob",
            data=data,
            headers={"Content-Type": "text/vtt"},
        )["blob"]
        self.save(**{CAPTIONS: json.dumps(blob, sort_keys=True)})
        return blob


def srt_to_vtt(text: str) -> str:
    """A SubRip file as WebVTT (Bluesky takes WebVTT captions), cue for cue."""
    out = io.StringIO()
    captions = webvtt.WebVTT(
        captions=[
            webvtt.Caption(_stamp(cue.start), _stamp(cue.end), cue.content)
            for cue in srt.parse(text)
        ]
    )
    captions.write(out)
    return out.getvalue()


def _stamp(moment: Any) -> str:
    ms = round(moment.total_seconds() * 1000)
    return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"


def _job_status(body: dict[str, Any]) -> dict[str, Any]:
    """The ``jobStatus`` of an answer: wrapped as the lexicon says, or bare as the video
    service has been seen to answer ``uploadVideo``."""
    wrapped = body.get("jobStatus")
    return wrapped if isinstance(wrapped, dict) else body


def _shown_size(path: Path) -> tuple[int, int]:
    """Width and height as the video is shown (a phone's vertical video is stored on its side
    with a display rotation)."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        rotation = 0
        for frame in container.decode(video=0):
            rotation = int(getattr(frame, "rotation", 0) or 0)
            break
    return (height, width) if rotation % 180 else (width, height)


def video_embed(conn: BlueskyConnector, media: MediaFile, post: OutgoingPost) -> dict[str, Any]:
    return BlueskyVideoUpload(conn, media, post).run()


__all__ = ["BlueskyVideoUpload", "srt_to_vtt", "video_embed"]
