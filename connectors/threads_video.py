"""Threads videos: a ``VIDEO`` container made from the public address of a metadata-free copy.

Threads fetches a video from a web address, as Instagram does: the copy without GPS position,
device or time (connectors/video.py, a stream copy) is written to the publish folder and checked
byte for byte at its public address (connectors/hosting.py, streamed; the moov box first and no
edit list, as Threads' media specifications ask), and the container names
it: ``media_type=VIDEO``, ``video_url``, ``text`` and ``alt_text``. The container is then read
(``GET /{container-id}?fields=id,status,error_message``) with pauses that double up to a
deadline until it is ``FINISHED`` (Threads API, "Troubleshooting": ``IN_PROGRESS``,
``FINISHED``, ``ERROR`` with an ``error_message`` such as ``FAILED_PROCESSING_VIDEO``,
``EXPIRED``, ``PUBLISHED``), and published by ``threads_publish`` like any other container. The
container id is kept for the retry (connectors/containers.py), so it is never made twice.

Threads takes no captions file through the API: the captions are checked by ``validate`` and
kept with the campaign; Threads shows its own automatic captions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from connectors.base import MediaFile
from connectors.containers import ERROR, EXPIRED, FINISHED, PUBLISHED, ContainerSteps
from connectors.errors import OutcomeUnknown, Rejected, TransientError
from connectors.hosting import MediaHost
from connectors.video import stripped_copy
from connectors.video_wait import wait_until_processed

# Threads asks for status reads "once per minute, for no more than 5 minutes"; the pauses
# start shorter, since a short testimonial is often ready in seconds.
PROCESSING_DEADLINE = 300.0


def video_fields(media: MediaFile, host: MediaHost, text: str) -> dict[str, Any]:
    """The fields of a ``VIDEO`` container for ``media``, its clean copy published first."""
    with stripped_copy(media, "threads", edit_lists=False) as copy:  # "no edit lists"
        url = host.publish_file(copy.path, copy.path.suffix)
    fields: dict[str, Any] = {"media_type": "VIDEO", "video_url": url, "text": text}
    if media.alt_text:
        fields["alt_text"] = media.alt_text
    return fields


def wait_for_video(
    steps: ContainerSteps,
    container_id: str,
    media: MediaFile,
    *,
    deadline: float,
    sleep: Callable[[float], None],
) -> None:
    """Read the container until it is ``FINISHED``; ``ERROR`` is ``Rejected`` with Threads'
    reason, a deadline passed is a ``TransientError`` (the next attempt reads it again)."""
    name = Path(media.path).name

    def ready() -> bool:
        body = steps.client.get(container_id, {"fields": "id,status,error_message"})
        status = str(body.get("status") or "")
        if status == FINISHED:
            return True
        if status == ERROR:
            raise Rejected(
                f"Threads could not process the video {name}: "
                f"{body.get('error_message') or 'no reason given'}",
                platform=steps.platform,
            )
        if status == PUBLISHED:  # only when resuming: the publish call went through earlier
            raise OutcomeUnknown(
                f"container {container_id} is already published", platform=steps.platform
            )
        if status == EXPIRED:
            raise TransientError(
                f"container {container_id} expired before publishing", platform=steps.platform
            )
        return False

    wait_until_processed(
        ready,
        what=f"Threads is still processing the video {name}",
        platform=steps.platform,
        deadline=deadline,
        sleep=sleep,
    )
