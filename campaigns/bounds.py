"""Bounds on what one campaign file may ask for, each checked before the work it bounds.

The reference is the "Limits" section of docs/campaign-format.md; keep the two in step.
"""

from __future__ import annotations

#: A campaign file larger than this is refused before it is read.
MAX_FILE_BYTES = 1024 * 1024
#: Lists and fields nested deeper than this are refused before the YAML is composed (the
#: format itself needs about ten levels).
MAX_DEPTH = 32
#: Posts in one campaign file.
MAX_POSTS = 1000
#: Deliveries (post x platform x time) one campaign may plan.
MAX_DELIVERIES = 10_000
#: Years a date or time in a campaign file may fall in.
MIN_YEAR = 2000
MAX_YEAR = 2100
#: How far before its event a reminder may go out.
MAX_REMINDER_DAYS = 366
#: Width and precision in a template's format (``{campaign.name:>20}``).
MAX_FORMAT_WIDTH = 1000
#: Images: each side, the pixels of all frames together, and the frames of an animation.
#: connectors.media refuses to decode beyond the same budget.
MAX_IMAGE_SIDE = 16_384
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_FRAMES = 300


def size_words(n: int) -> str:
    """A byte count in words: '1 MB', '55.2 MB', '900 KB'."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{n / 1024:.0f} KB"
