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

from connectors.base import VideoLimits

_MB = 1024 * 1024
_MBIT = 1_000_000
_VERTICAL = "export a vertical (9:16) version, e.g. 1080x1920"
_ANY_SHAPE = "any shape"  # Mastodon and Bluesky show a video in its own shape
_NO_LIMIT = 10**9  # pixels a side: no limit documented

_INSTAGRAM_REELS = VideoLimits(
    label="Instagram Reels",
    min_seconds=3,
    max_seconds=15 * 60,
    min_ratio=0.55,
    max_ratio=0.57,
    ratio_words="9:16",
    ratio_fix=_VERTICAL,
    max_bytes=300 * _MB,
    max_bitrate=25 * _MBIT,
    max_width=1920,
    max_height=3600,
    min_fps=23,
    max_fps=60,
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
            min_ratio=1 / 3,
            max_ratio=3,
            ratio_words="1:3 to 3:1",
            ratio_fix="crop it to between 1:3 and 3:1",
            max_bytes=512 * _MB,
            max_bitrate=25 * _MBIT,
            video_codecs=("h264",),
            max_width=1920,
            max_height=1920,
            max_fps=60,
        ),
    },
    "facebook": {
        "video": VideoLimits(
            label="Facebook videos",
            min_seconds=1,
            max_seconds=240 * 60,
            min_ratio=9 / 16,
            max_ratio=16 / 9,
            ratio_words="9:16 to 16:9",
            ratio_fix="crop it to between 9:16 and 16:9",
            max_bytes=10 * 1024 * _MB,
            max_bitrate=50 * _MBIT,
            max_width=4096,
            max_height=4096,
            max_fps=60,
        ),
        "reels": VideoLimits(
            label="Facebook Reels",
            min_seconds=3,
            max_seconds=90,
            min_ratio=0.55,
            max_ratio=0.57,
            ratio_words="9:16",
            ratio_fix=_VERTICAL,
            max_bytes=1024 * _MB,
            max_bitrate=25 * _MBIT,
            min_width=540,
            min_height=960,
            min_fps=24,
            max_fps=60,
        ),
    },
    "instagram": {
        "reels": _INSTAGRAM_REELS,
        # Feed videos take what Reels take but a wider range of shapes.
        "feed": replace(
            _INSTAGRAM_REELS,
            label="Instagram feed videos",
            min_ratio=4 / 5,
            max_ratio=1.91,
            ratio_words="4:5 to 1.91:1",
            ratio_fix="crop it to between 4:5 and 1.91:1",
        ),
    },
    "mastodon": {
        "post": VideoLimits(
            label="Mastodon videos",
            min_seconds=0,
            max_seconds=float("inf"),  # limited by size alone
            min_ratio=0,
            max_ratio=float("inf"),
            ratio_words=_ANY_SHAPE,
            ratio_fix="",
            max_bytes=103_809_024,  # video_size_limit
            max_bitrate=10**12,  # none: the server transcodes
            containers=("mp4", "mov"),
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
            min_ratio=0,
            max_ratio=float("inf"),
            ratio_words=_ANY_SHAPE,
            ratio_fix="",
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
            max_bitrate=25 * _MBIT,
            max_width=1920,  # Threads caps the columns only; height follows from the ratio
            max_height=19_200,
            min_fps=23,
            max_fps=60,
        ),
    },
    "linkedin": {
        "post": VideoLimits(
            label="LinkedIn videos",
            min_seconds=3,
            max_seconds=30 * 60,
            min_ratio=1 / 2.4,
            max_ratio=2.4,
            ratio_words="1:2.4 to 2.4:1",
            ratio_fix="crop it to between 1:2.4 and 2.4:1",
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
            max_fps=60,
            cover_image=True,  # the Videos API's thumbnail upload; no moment of the video
        ),
    },
}
