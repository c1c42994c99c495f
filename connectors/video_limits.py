"""Video limits per platform and placement (how a platform shows the video), as data.

Read by ``validate`` (campaigns/video.py checks each video against them, with the fix in
the message) through ``PlatformLimits.video`` in the platform table (connectors/platforms.py).
Sources: X developer docs (media best practices); Meta's published Reels and video specs;
Mastodon: the defaults of a stock server (mastodon.social's ``GET /api/v2/instance``,
``configuration.media_attachments``: ``video_size_limit`` 103,809,024 bytes = 99 MiB,
``video_frame_rate_limit`` 120, ``video_matrix_limit`` 8,294,400 pixels = 3840x2160; no length
or shape limit, and the server transcodes what it takes). Another server may differ: the
connector reads that server's own figures before uploading. Bluesky: the ``app.bsky.embed.video``
lexicon (MP4, ``maxSize`` 300,000,000 bytes) and Bluesky's announced 3-minute length.


Meta's Threads API media specifications (video: MOV/MP4, HEVC or H.264, AAC at most 48 kHz mono
or stereo, 23-60 fps, at most 1920 pixels wide, 0.01:1 to 10:1 with 9:16 recommended, 25 Mbit/s,
up to 5 min, 1 GB); LinkedIn's Videos API (MP4, 3 s to 30 min, 75 KB to 500 MB) and its video
specifications (256x144 to 4096x2304, 1:2.4 to 2.4:1, 10-60 fps, up to 30 Mbit/s).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from connectors.base import VideoLimits

_MB = 1024 * 1024
_MBIT = 1_000_000
_VERTICAL = "export a vertical (9:16) version, e.g. 1080x1920"
_NO_LIMIT = 10**9  # pixels a side: no limit documented


def _between(low_words: str, high_words: str, low: float, high: float) -> dict[str, Any]:
    """The shapes (width / height) from ``low`` to ``high``, as a person says them, and the fix
    for a video outside them."""
    return {
        "min_ratio": low,
        "max_ratio": high,
        "ratio_words": f"{low_words} to {high_words}",
        "ratio_fix": f"crop it to between {low_words} and {high_words}",
    }


# Reels take 9:16 alone; Mastodon and Bluesky show a video in its own shape.
_VERTICAL_ONLY = dict(min_ratio=0.55, max_ratio=0.57, ratio_words="9:16", ratio_fix=_VERTICAL)
_ANY_SHAPE = dict(min_ratio=0, max_ratio=float("inf"), ratio_words="any shape", ratio_fix="")

_INSTAGRAM_REELS = VideoLimits(
    label="Instagram Reels",
    min_seconds=3,
    max_seconds=15 * 60,
    **_VERTICAL_ONLY,
    max_bytes=300 * _MB,
    max_height=3600,
    min_fps=23,
    cover_image=True,  # cover_url
    cover_frame=True,  # thumb_offset
)

# Platform -> placement -> limits. The first placement is the one used when a campaign names
# none. A placement is how the platform shows the video (Instagram: Reels tab or feed too).
VIDEO_LIMITS: dict[str, dict[str, VideoLimits]] = {
    "x": {
        "post": VideoLimits(
            label="X videos",
            min_seconds=0.5,
            max_seconds=140,
            **_between("1:3", "3:1", 1 / 3, 3),
            max_bytes=512 * _MB,
            video_codecs=("h264",),
        ),
    },
    "facebook": {
        "video": VideoLimits(
            label="Facebook videos",
            min_seconds=1,
            max_seconds=240 * 60,
            **_between("9:16", "16:9", 9 / 16, 16 / 9),
            max_bytes=10 * 1024 * _MB,
            max_bitrate=50 * _MBIT,
            max_width=4096,
            max_height=4096,
        ),
        "reels": VideoLimits(
            label="Facebook Reels",
            min_seconds=3,
            max_seconds=90,
            **_VERTICAL_ONLY,
            max_bytes=1024 * _MB,
            min_width=540,
            min_height=960,
            min_fps=24,
        ),
    },
    "instagram": {
        "reels": _INSTAGRAM_REELS,
        # Feed videos take what Reels take but a wider range of shapes.
        "feed": replace(
            _INSTAGRAM_REELS,
            label="Instagram feed videos",
            **_between("4:5", "1.91:1", 4 / 5, 1.91),
        ),
    },
    "mastodon": {
        "post": VideoLimits(
            label="Mastodon videos",
            min_seconds=0,
            max_seconds=float("inf"),  # limited by size alone
            **_ANY_SHAPE,
            max_bytes=103_809_024,  # video_size_limit
            max_bitrate=10**12,  # none: the server transcodes
            max_width=3840,  # video_matrix_limit 8,294,400 = 3840x2160, either way round
            max_height=3840,
            max_pixels=8_294_400,
            max_fps=120,  # video_frame_rate_limit
            caption_tracks=False,  # the API takes no captions file
        ),
    },
    "bluesky": {
        "post": VideoLimits(
            label="Bluesky videos",
            min_seconds=0,
            max_seconds=180,
            **_ANY_SHAPE,
            max_bytes=300_000_000,  # app.bsky.embed.video: video maxSize
            max_bitrate=10**12,  # none: Bluesky's video service transcodes
            containers=("mp4",),  # app.bsky.video.uploadVideo takes video/mp4
            # No picture size or frame rate limit is documented: the video service transcodes.
            max_width=_NO_LIMIT,
            max_height=_NO_LIMIT,
            max_fps=float("inf"),
            max_captions_bytes=20_000,  # app.bsky.embed.video#caption: file maxSize
        ),
    },
    "threads": {
        "post": VideoLimits(
            label="Threads videos",
            min_seconds=0.1,  # "longer than 0 seconds"
            max_seconds=5 * 60,
            min_ratio=0.01,
            max_ratio=10,
            ratio_words="0.01:1 to 10:1 (9:16 recommended)",
            ratio_fix=_VERTICAL,
            max_bytes=1024 * _MB,
            max_height=19_200,  # Threads caps the width only; height follows from the ratio
            min_fps=23,
        ),
    },
    "linkedin": {
        "post": VideoLimits(
            label="LinkedIn videos",
            min_seconds=3,
            max_seconds=30 * 60,
            **_between("1:2.4", "2.4:1", 1 / 2.4, 2.4),
            min_bytes=75 * 1024,
            max_bytes=500 * _MB,
            max_bitrate=30 * _MBIT,
            containers=("mp4",),
            video_codecs=("h264",),
            min_width=256,
            min_height=144,
            max_width=4096,
            max_height=2304,
            min_fps=10,
            cover_image=True,  # the Videos API's thumbnail upload; no moment of the video
        ),
    },
}
