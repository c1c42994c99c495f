"""Instagram Reels: the container fields for a video post.

Instagram fetches the video from a public address, like an image: the metadata-free copy
(connectors/video.py) is written to the publish folder and checked (connectors/hosting.py,
streamed), and the container names it: ``media_type=REELS``, ``video_url``, ``share_to_feed``
(``true`` when the campaign places the video in the feed too, else Reels tab only), and the
cover: ``cover_url`` (a cover image, itself stripped of metadata) or ``thumb_offset`` (the
moment, in milliseconds). The container is then polled until ``FINISHED`` and published by the
connector, exactly as an image container; its id is kept for the retry, so a container is never
created twice.

Instagram takes no captions file through the API: the captions are checked by ``validate`` and
kept with the campaign; Instagram's own automatic captions show on the Reel.
"""

from __future__ import annotations

from typing import Any

from connectors.base import MediaFile
from connectors.hosting import MediaHost
from connectors.limits import LIMITS
from connectors.media import prepare_media
from connectors.video import stripped_copy


def reels_fields(media: MediaFile, host: MediaHost, caption: str) -> dict[str, Any]:
    with stripped_copy(media, "instagram") as copy:
        url = host.publish_file(copy.path, copy.path.suffix)
    fields: dict[str, Any] = {
        "media_type": "REELS",
        "video_url": url,
        "caption": caption,
        "share_to_feed": "true" if media.placement == "feed" else "false",
    }
    if media.cover is not None:
        cover = MediaFile(path=media.cover, mime_type="image/jpeg")
        fields["cover_url"] = host.publish(prepare_media(cover, LIMITS["instagram"]))
    elif media.cover_at is not None:
        fields["thumb_offset"] = int(media.cover_at * 1000)
    return fields
