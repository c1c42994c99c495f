"""Text length as each platform counts it, and hashtags.

X counts with its own weighting (URLs 23, most CJK and emoji 2), implemented by
twitter-text-parser, the maintained port of X's twitter-text. Mastodon counts characters with
every URL as 23 and a remote mention by its local part. Bluesky counts graphemes (an emoji
with its modifiers is one). Threads counts characters, an emoji as its UTF-8 bytes. Everyone
else counts code points.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache

import regex

# twitter-text-parser imports pkg_resources, which setuptools 80 announces as deprecated
# with a warning on every command's terminal; the import works (setuptools < 81 is pinned).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    from twitter_text import parse_tweet
    from twitter_text.config import config as _twitter_config
    from twitter_text.extract_urls import extract_urls_with_indices
    from twitter_text.get_character_weight import get_character_weight
    from twitter_text.has_invalid_characters import has_invalid_characters

HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
_URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)
_REMOTE_MENTION_RE = re.compile(r"(@\w+)@[\w.-]+\w")
_LINE_ENDINGS = re.compile(r"\r\n|\r|\n")
_GRAPHEME_RE = regex.compile(r"\X")
_EMOJI_RE = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
X_URL_LENGTH = 23
_X_OPTIONS = _twitter_config["defaults"]
# Characters that are no part of any emoji sequence: ASCII, Latin-1 without (C) and (R),
# Latin Extended-A/B, and the dashes, quotes, bullets and ellipsis of General Punctuation.
NO_EMOJI_CHARS = "\x00-\x7f\u00a0-\u00a8\u00aa-\u00ad\u00af-\u024f\u2010-\u2027"
_NO_EMOJI_RE = re.compile(f"[{NO_EMOJI_CHARS}]*")


@dataclass(frozen=True)
class Length:
    count: int
    valid_characters: bool = True  # False when X would refuse a character in the text


@lru_cache(maxsize=8192)
def measure(text: str, rule: str, url_length: int | None = None) -> Length:
    """Length of ``text`` under ``rule`` (``x_weighted``, ``mastodon``, ``graphemes`` or
    ``characters``)."""
    if rule == "x_weighted":
        return _x_length(text)
    if rule == "graphemes":  # Bluesky: user-perceived characters, URLs in full
        return Length(len(_GRAPHEME_RE.findall(text)))
    if rule == "threads":  # Threads Posts: "Emojis are counted as the number of UTF-8 bytes"
        return Length(sum(_threads_weight(g) for g in _GRAPHEME_RE.findall(text)))
    if rule == "mastodon":
        counted = _REMOTE_MENTION_RE.sub(r"\1", text)
        if url_length is not None:
            counted = _URL_RE.sub("x" * url_length, counted)
        return Length(len(counted))
    if url_length is not None:
        text = _URL_RE.sub("x" * url_length, text)
    return Length(len(text))


def _threads_weight(grapheme: str) -> int:
    return len(grapheme.encode("utf-8")) if _EMOJI_RE.search(grapheme) else len(grapheme)


def hashtags_in(text: str) -> list[str]:
    """Hashtags in ``text`` (with '#'), in order, without duplicates (case-insensitive)."""
    seen: dict[str, str] = {}
    for match in HASHTAG_RE.finditer(text):
        tag = match.group(1)
        if tag.isdigit():
            continue  # '#1' is a number, not a hashtag, on every platform
        seen.setdefault(tag.lower(), "#" + tag)
    return list(seen.values())


def _x_length(text: str) -> Length:
    """X's weighted length, as twitter-text's ``parse_tweet`` computes it.

    ``parse_tweet`` spends nearly all its time looking for emoji with a regular expression of
    some 90,000 characters. Text made only of characters that cannot be part of an emoji
    (ASCII, accented Latin letters, typographic quotes and dashes) is counted the same way
    without that search; tests/campaigns/test_lengths.py checks the result against
    ``parse_tweet``.
    """
    normalized = _LINE_ENDINGS.sub("\n", unicodedata.normalize("NFC", text))
    if not _NO_EMOJI_RE.fullmatch(normalized):
        parsed = parse_tweet(text)
        # valid=False means over-length or a forbidden character; the length check is ours.
        return Length(parsed.weightedLength, not has_invalid_characters(normalized))
    urls = extract_urls_with_indices(normalized)
    spans = sorted(tuple(u["indices"]) for u in urls)
    weight, position = 0, 0
    for start, end in spans:
        weight += _weights(normalized[position:start])
        weight += X_URL_LENGTH * _X_OPTIONS["scale"]
        position = end
    weight += _weights(normalized[position:])
    return Length(weight // _X_OPTIONS["scale"], not has_invalid_characters(normalized))


def _weights(chunk: str) -> int:
    if chunk.isascii():
        return len(chunk) * _X_OPTIONS["scale"]  # every ASCII character weighs 1
    return sum(get_character_weight(char, _X_OPTIONS) for char in chunk)
