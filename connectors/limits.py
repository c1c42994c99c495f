"""Platform limits as data, one entry per platform beatpost knows how to write for.

Sources: X developer docs (counting characters, media best practices, rate limits);
Meta Graph API docs (Page feed, Instagram content publishing); Mastodon docs.
"""

from __future__ import annotations

from connectors.base import PlatformLimits

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
    ),
    "facebook": PlatformLimits(
        platform="facebook",
        max_length=63_206,
        image_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
        video_types=("video/mp4", "video/quicktime"),
        max_images=10,
        max_image_bytes=10 * 1024 * 1024,
        metrics_batch=50,
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
