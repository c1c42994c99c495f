"""Platform limits as data, one entry per platform beatpost knows how to write for.

Sources: X developer docs (counting characters, media best practices, rate limits);
Meta Graph API docs (Page feed, Instagram content publishing); Mastodon docs.

Video (checked December 2026): X media best practices (docs.x.com, "Best practices" for
``POST /2/media/upload``: MP4/MOV, H.264 + AAC, 0.5-140 s, 1:3 to 3:1, at most 1920x1200,
60 fps, 512 MB); Meta's Reels publishing specifications for Instagram (MP4/MOV, H.264 or HEVC,
AAC at most 48 kHz mono/stereo, 3 s-15 min, 23-60 fps, at most 1920 wide, 9:16 recommended,
25 Mbit/s, 300 MB) and for Facebook Page Reels (9:16, 3-90 s, at least 540x960, 24-60 fps) and
Page videos (10 GB, 240 min through upload sessions).
"""

from __future__ import annotations

from connectors.base import PlatformLimits, VideoLimits

_MB = 1024 * 1024
_MBIT = 1_000_000
_VERTICAL = "export a vertical (9:16) version, e.g. 1080x1920"

# Platform -> placement -> limits. The first placement is the one used when a campaign names
# none. A placement is how the platform shows the video (Instagram: Reels tab or feed too).
VIDEO_LIMITS: dict[str, dict[str, VideoLimits]] = {
    "x": {
        "post": VideoLimits(
            label="X videos", min_seconds=0.5, max_seconds=140, min_ratio=1 / 3, max_ratio=3,
            ratio_words="1:3 to 3:1", ratio_fix="crop it to between 1:3 and 3:1",
            max_bytes=512 * _MB, max_bitrate=25 * _MBIT, video_codecs=("h264",),
            max_width=1920, max_height=1920, max_fps=60,
        ),
    },
    "facebook": {
        "video": VideoLimits(
            label="Facebook videos", min_seconds=1, max_seconds=240 * 60, min_ratio=9 / 16,
            max_ratio=16 / 9, ratio_words="9:16 to 16:9",
            ratio_fix="crop it to between 9:16 and 16:9", max_bytes=10 * 1024 * _MB,
            max_bitrate=50 * _MBIT, max_width=4096, max_height=4096, max_fps=60,
        ),
        "reels": VideoLimits(
            label="Facebook Reels", min_seconds=3, max_seconds=90, min_ratio=0.55,
            max_ratio=0.57, ratio_words="9:16", ratio_fix=_VERTICAL, max_bytes=1024 * _MB,
            max_bitrate=25 * _MBIT, min_width=540, min_height=960, min_fps=24, max_fps=60,
        ),
    },
    "instagram": {
        "reels": VideoLimits(
            label="Instagram Reels", min_seconds=3, max_seconds=15 * 60, min_ratio=0.55,
            max_ratio=0.57, ratio_words="9:16", ratio_fix=_VERTICAL, max_bytes=300 * _MB,
            max_bitrate=25 * _MBIT, max_width=1920, max_height=3600, min_fps=23, max_fps=60,
        ),
        "feed": VideoLimits(
            label="Instagram feed videos", min_seconds=3, max_seconds=15 * 60, min_ratio=4 / 5,
            max_ratio=1.91, ratio_words="4:5 to 1.91:1",
            ratio_fix="crop it to between 4:5 and 1.91:1", max_bytes=300 * _MB,
            max_bitrate=25 * _MBIT, max_width=1920, max_height=3600, min_fps=23, max_fps=60,
        ),
    },
}

LIMITS: dict[str, PlatformLimits] = {
    "x": PlatformLimits(
        platform="x",
        max_length=280,
        length_rule="x_weighted",
        url_length=23,
        max_images=4,
        image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
        video_types=("video/mp4",),
        max_image_bytes=5 * 1024 * 1024,
        max_alt_text=1000,
        metrics_batch=100,
        comments_window_days=7,
        private_metrics_days=30,
        video=VIDEO_LIMITS["x"],
    ),
    "facebook": PlatformLimits(
        platform="facebook",
        max_length=63_206,
        image_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
        video_types=("video/mp4", "video/quicktime"),
        max_images=10,
        max_image_bytes=10 * 1024 * 1024,
        metrics_batch=50,
        video=VIDEO_LIMITS["facebook"],
    ),
    "instagram": PlatformLimits(
        platform="instagram",
        max_length=2_200,
        max_hashtags=30,
        requires_media=True,
        max_images=10,
        image_types=("image/jpeg",),
        video_types=("video/mp4", "video/quicktime"),
        max_image_bytes=8 * 1024 * 1024,
        min_aspect_ratio=4 / 5,
        max_aspect_ratio=1.91,
        fetches_media_by_url=True,
        clickable_links=False,
        metrics_batch=50,
        posts_per_24h=50,
        video=VIDEO_LIMITS["instagram"],
    ),
    "mastodon": PlatformLimits(
        platform="mastodon",
        max_length=500,
        length_rule="mastodon",
        url_length=23,
        max_images=4,
        image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
        max_image_bytes=16 * 1024 * 1024,
        max_alt_text=1500,
        metrics_batch=1,
    ),
}

PLATFORMS: tuple[str, ...] = tuple(LIMITS)


def limits_for(platform: str) -> PlatformLimits:
    try:
        return LIMITS[platform]
    except KeyError:
        raise KeyError(f"unknown platform {platform!r}; known: {', '.join(PLATFORMS)}") from None
