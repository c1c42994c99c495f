"""Platform limits as data, one entry per platform beatpost knows how to write for; the
values live in the platform table (connectors/platforms.py).

Sources: X developer docs (counting characters, media best practices, rate limits);
Meta Graph API docs (Page feed, Instagram content publishing); Mastodon docs.
"""

from __future__ import annotations

from connectors.base import PlatformLimits
from connectors.platforms import LIMITS
from connectors.platforms import platform as row

PLATFORMS: tuple[str, ...] = tuple(LIMITS)


def limits_for(platform: str) -> PlatformLimits:
    """The limits of ``platform``; KeyError naming the known platforms otherwise."""
    return row(platform).limits


__all__ = ["LIMITS", "PLATFORMS", "limits_for"]
