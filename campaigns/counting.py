"""Text length as each platform counts it, and hashtags.

X counts with its own weighting (URLs 23, most CJK and emoji 2), implemented by
twitter-text-parser, the maintained port of X's twitter-text. Mastodon counts characters with
every URL as 23 and a remote mention by its local part. Everyone else counts code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from twitter_text import parse_tweet

HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
_URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)
_REMOTE_MENTION_RE = re.compile(r"(@\w+)@[\w.-]+\w")


@dataclass(frozen=True)
class Length:
    count: int
    valid_characters: bool = True  # False when X would refuse a character in the text


@lru_cache(maxsize=8192)
def measure(text: str, rule: str, url_length: int | None = None) -> Length:
    """Length of ``text`` under ``rule`` (``x_weighted``, ``mastodon`` or ``characters``)."""
    if rule == "x_weighted":
        parsed = parse_tweet(text)
        # parse_tweet reports valid=False both for over-length and for forbidden characters;
        # the length check is ours, so only the character part is taken from it.
        invalid_chars = not parsed.valid and parsed.weightedLength <= 280
        return Length(parsed.weightedLength, not invalid_chars)
    if rule == "mastodon":
        counted = _REMOTE_MENTION_RE.sub(r"\1", text)
        if url_length is not None:
            counted = _URL_RE.sub("x" * url_length, counted)
        return Length(len(counted))
    if url_length is not None:
        text = _URL_RE.sub("x" * url_length, text)
    return Length(len(text))


def hashtags_in(text: str) -> list[str]:
    """Hashtags in ``text`` (with '#'), in order, without duplicates (case-insensitive)."""
    seen: dict[str, str] = {}
    for match in HASHTAG_RE.finditer(text):
        tag = match.group(1)
        if tag.isdigit():
            continue  # '#1' is a number, not a hashtag, on every platform
        seen.setdefault(tag.lower(), "#" + tag)
    return list(seen.values())
