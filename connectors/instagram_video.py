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
kept with the campaign; Instagram's own automatic captions show on the Reel. When the campaign
asks (``burn_captions: true`` on the media item), the copy is re-encoded with the captions
drawn into the picture (connectors/burn_captions.py) and that copy is the one published.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connectors.base import MediaFile
from connectors.burn_captions import burn_captions
from connectors.hosting import MediaHost
from connectors.limits import LIMITS
from connectors.media import prepare_media
from connectors.video import stripped_copy


def reels_fields(media: MediaFile, host: MediaHost, caption: str) -> dict[str, Any]:
    with stripped_copy(media, "instagram") as copy:
        if media.burn_captions and media.captions is not None:
            burned = copy.path.with_name("captioned.mp4")
            burn_captions(copy.path, Path(media.captions), burned)
            url = host.publish_file(burned, ".mp4")
        else:
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
