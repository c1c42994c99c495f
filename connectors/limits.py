"""Platform limits as data, one entry per platform beatpost knows how to write for; the
values live in the platform table (connectors/platforms.py).

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

from connectors.base import PlatformLimits
from connectors.platforms import LIMITS
from connectors.platforms import platform as row
from connectors.video_limits import VIDEO_LIMITS

PLATFORMS: tuple[str, ...] = tuple(LIMITS)


def limits_for(platform: str) -> PlatformLimits:
    """The limits of ``platform``; KeyError naming the known platforms otherwise."""
    return row(platform).limits


__all__ = ["LIMITS", "PLATFORMS", "VIDEO_LIMITS", "limits_for"]
