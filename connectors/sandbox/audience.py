"""The synthetic audience: how much attention a post draws, when, and what people say.

Every figure is a pure function of (seed, platform, the post's ordinal, its text, kind and age),
so the same seed replays the same week. Engagement follows a rise-and-decay curve: a fast
wave (an Erlang-2 curve whose rate peaks at ``tau`` hours and then decays) plus a small slow
tail, so metrics pulled at 1h, 6h, 24h, 3d and 7d look like a real post's. Cumulative counts
never go down, as on the platforms.

Testimonials and events draw differently: testimonials get more likes and saves on a short
spike; event announcements get more link clicks, shares (people tag friends) and questions over
a longer tail.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from connectors.sandbox import phrases

Kind = Literal["testimonial", "event", "announcement"]
KINDS: tuple[Kind, ...] = ("testimonial", "event", "announcement")

Category = Literal["question", "praise", "hostile", "partner", "neutral"]
CATEGORIES: tuple[Category, ...] = ("question", "praise", "hostile", "partner", "neutral")

# Per platform: followers of the department's account, the share of them an average post
# reaches organically, and the hours at which attention peaks.
_PLATFORM = {
    "x": {"followers": 4_200, "reach_share": 0.30, "tau_hours": 1.5, "views_per_reach": 1.6},
    "facebook": {
        "followers": 12_500,
        "reach_share": 0.09,
        "tau_hours": 5.0,
        "views_per_reach": 1.3,
    },
    "instagram": {
        "followers": 6_800,
        "reach_share": 0.22,
        "tau_hours": 8.0,
        "views_per_reach": 1.4,
    },
}
_DEFAULT_PLATFORM = {
    "followers": 3_000,
    "reach_share": 0.2,
    "tau_hours": 4.0,
    "views_per_reach": 1.4,
}

# Per kind: reach multiplier, attention-span multiplier and rates per reached person.
_KIND = {
    "testimonial": {
        "reach": 1.0,
        "tau": 1.0,
        "likes": 0.060,
        "shares": 0.006,
        "quotes": 0.0010,
        "bookmarks": 0.004,
        "saves": 0.012,
        "clicks": 0.004,
        "comments": 0.0045,
    },
    "event": {
        "reach": 0.85,
        "tau": 1.8,
        "likes": 0.030,
        "shares": 0.014,
        "quotes": 0.0015,
        "bookmarks": 0.008,
        "saves": 0.009,
        "clicks": 0.022,
        "comments": 0.0070,
    },
    "announcement": {
        "reach": 0.7,
        "tau": 1.3,
        "likes": 0.035,
        "shares": 0.007,
        "quotes": 0.0008,
        "bookmarks": 0.003,
        "saves": 0.004,
        "clicks": 0.010,
        "comments": 0.0040,
    },
}
# How each platform's audience behaves relative to the per-kind rates.
_PLATFORM_RATE = {
    "x": {"likes": 0.6, "shares": 1.2, "saves": 0.0, "bookmarks": 1.0, "quotes": 1.0},
    "facebook": {"likes": 1.3, "shares": 1.4, "saves": 0.0, "bookmarks": 0.0, "quotes": 0.0},
    "instagram": {"likes": 1.8, "shares": 0.6, "saves": 1.5, "bookmarks": 0.0, "quotes": 0.0},
}

_COMMENT_MIX: dict[str, dict[Category, float]] = {
    "testimonial": {
        "praise": 0.34,
        "question": 0.24,
        "neutral": 0.16,
        "hostile": 0.15,
        "partner": 0.11,
    },
    "event": {"question": 0.40, "praise": 0.14, "neutral": 0.14, "hostile": 0.12, "partner": 0.20},
    "announcement": {
        "question": 0.28,
        "praise": 0.22,
        "neutral": 0.20,
        "hostile": 0.17,
        "partner": 0.13,
    },
}

_TAIL_SHARE = 0.08  # engagement arriving on the slow tail (days later: shares, search)
_TAIL_FACTOR = 12.0  # the tail's time scale relative to the wave's
_MIN_COMMENTS = 3  # every rehearsal post gets a conversation to analyse
_MAX_COMMENTS = 150

_EVENT_WORDS = re.compile(
    r"\b(join us|info(rmation)? session|open house|career fair|job fair|hiring event|"
    r"ride-?alongs?|test(ing)? day|physical (agility|fitness) test|workshop|meet (and|&) greet|"
    r"register|rsvp|come (by|out|meet)|see you (at|there)|doors open|event|"
    r"(mon|tues|wednes|thurs|fri|satur|sun)day\b.*\b\d{1,2}(:\d{2})?\s*(am|pm))",
    re.IGNORECASE,
)
_TESTIMONIAL_WORDS = re.compile(
    r"(\bmeet (officer|detective|sergeant|sgt|deputy|corporal|lieutenant)\b|\bwhy i serve\b|"
    r"\byears (on the|with the|in the) (force|department|job)\b|\bi joined\b|\bmy (first|best) "
    r"(day|year|call|shift)\b|\bin (her|his|their) (own )?words\b|[\"“].{20,}[\"”])",
    re.IGNORECASE,
)


def infer_kind(text: str) -> Kind:
    """Guess whether ``text`` is a testimonial, an event announcement or a plain announcement."""
    if _TESTIMONIAL_WORDS.search(text):
        return "testimonial"
    if _EVENT_WORDS.search(text):
        return "event"
    return "announcement"


def rng_for(*parts: object) -> random.Random:
    """A generator seeded from ``parts`` alone (stable across runs and Python versions)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def attention_share(age_hours: float, tau_hours: float) -> float:
    """Share (0..1) of a post's eventual engagement that has arrived after ``age_hours``."""
    if age_hours <= 0:
        return 0.0
    x = age_hours / tau_hours
    wave = 1.0 - (1.0 + x) * math.exp(-x)  # Erlang-2 CDF: rises, peaks at tau, decays
    tail = 1.0 - math.exp(-x / _TAIL_FACTOR)
    return (1.0 - _TAIL_SHARE) * wave + _TAIL_SHARE * tail


@dataclass(frozen=True)
class PostProfile:
    """What one post will eventually draw; fixed when the post is created."""

    kind: Kind
    tau_hours: float
    reach: int
    views: int
    likes: int
    reposts: int
    quotes: int
    bookmarks: int
    link_clicks: int
    saves: int
    shares: int
    comments: int


@dataclass(frozen=True)
class CommentDraft:
    """A comment the audience will write, ``offset`` after the post goes out."""

    offset: timedelta
    author: str
    author_id: str
    text: str
    category: Category
    topic: str
    reply_to: int | None = None  # index of an earlier draft this one answers


class Audience:
    """Seeded model of the department's followers on each platform."""

    def __init__(self, seed: int = 7, *, unsafe_comment_rate: float = 0.0) -> None:
        if not 0.0 <= unsafe_comment_rate <= 1.0:
            raise ValueError("unsafe_comment_rate must be between 0 and 1")
        self.seed = seed
        # Share of hostile comments that carry markup or terminal escapes (rendering tests).
        self.unsafe_comment_rate = unsafe_comment_rate

    def profile(
        self,
        platform: str,
        ordinal: int,
        text: str,
        kind: Kind,
        *,
        has_media: bool,
        has_link: bool,
    ) -> PostProfile:
        rng = rng_for(self.seed, "profile", platform, ordinal, text)
        base = _PLATFORM.get(platform, _DEFAULT_PLATFORM)
        rates = _KIND[kind]
        platform_rates = _PLATFORM_RATE.get(platform, {})
        # Lognormal appeal: most posts near the mean, now and then one that travels.
        appeal = rng.lognormvariate(0.0, 0.55)
        reach = base["followers"] * base["reach_share"] * rates["reach"] * appeal
        if has_media:
            reach *= 1.35
        reach_i = max(20, int(reach))
        views = int(reach_i * base["views_per_reach"] * rng.uniform(0.9, 1.15))

        def count(rate_name: str, platform_factor: float = 1.0) -> int:
            rate = rates[rate_name] * platform_factor * rng.uniform(0.7, 1.3)
            return int(reach_i * rate)

        clicks = count("clicks") if has_link else int(count("clicks") * 0.1)
        comments = int(reach_i * rates["comments"] * rng.uniform(0.6, 1.5))
        return PostProfile(
            kind=kind,
            tau_hours=base["tau_hours"] * rates["tau"] * rng.uniform(0.75, 1.3),
            reach=reach_i,
            views=views,
            likes=count("likes", platform_rates.get("likes", 1.0)),
            reposts=count("shares", platform_rates.get("shares", 1.0)) if platform == "x" else 0,
            quotes=count("quotes", platform_rates.get("quotes", 1.0)),
            bookmarks=count("bookmarks", platform_rates.get("bookmarks", 1.0)),
            link_clicks=clicks,
            saves=count("saves", platform_rates.get("saves", 1.0)),
            shares=count("shares", platform_rates.get("shares", 1.0)) if platform != "x" else 0,
            comments=min(_MAX_COMMENTS, max(_MIN_COMMENTS, comments)),
        )

    def metrics(self, profile: PostProfile, age: timedelta, replies: int) -> dict[str, int]:
        """Cumulative engagement ``age`` after posting; ``replies`` is the visible comment count."""
        hours = age.total_seconds() / 3600.0
        share = attention_share(hours, profile.tau_hours)
        # Clicks and saves trail views a little: people come back to the link later.
        late = attention_share(hours, profile.tau_hours * 1.4)
        return {
            "views": int(profile.views * share),
            "reach": int(profile.reach * share),
            "likes": int(profile.likes * share),
            "reposts": int(profile.reposts * share),
            "replies": replies,
            "quotes": int(profile.quotes * share),
            "bookmarks": int(profile.bookmarks * late),
            "link_clicks": int(profile.link_clicks * late),
            "saves": int(profile.saves * late),
            "shares": int(profile.shares * share),
        }

    def comment_drafts(
        self, platform: str, ordinal: int, text: str, profile: PostProfile
    ) -> list[CommentDraft]:
        """Every comment this post will get, earliest first, with its delay after posting."""
        rng = rng_for(self.seed, "comments", platform, ordinal, text)
        mix = _COMMENT_MIX[profile.kind]
        categories = list(mix)
        weights = [mix[c] for c in categories]
        offsets = sorted(
            self._comment_offset(rng, profile.tau_hours) for _ in range(profile.comments)
        )
        drafts: list[CommentDraft] = []
        for offset in offsets:
            category = rng.choices(categories, weights)[0]
            reply_to = None
            if drafts and rng.random() < 0.15:
                reply_to = rng.randrange(len(drafts))
            author, author_id = phrases.author(rng, platform, partner=(category == "partner"))
            topic, body = phrases.comment(rng, category, profile.kind, platform)
            if category == "hostile" and rng.random() < self.unsafe_comment_rate:
                body = phrases.with_unsafe_payload(rng, body)
            if reply_to is not None and platform in ("x", "instagram"):
                body = f"@{drafts[reply_to].author} {body}"
            drafts.append(
                CommentDraft(
                    offset=offset,
                    author=author,
                    author_id=author_id,
                    text=body,
                    category=category,
                    topic=topic,
                    reply_to=reply_to,
                )
            )
        return drafts

    @staticmethod
    def _comment_offset(rng: random.Random, tau_hours: float) -> timedelta:
        if rng.random() < _TAIL_SHARE:
            hours = rng.expovariate(1.0 / (tau_hours * _TAIL_FACTOR))
        else:  # Erlang-2: the sum of two exponential waits
            hours = rng.expovariate(1.0 / tau_hours) + rng.expovariate(1.0 / tau_hours)
        # Nobody replies within the first half minute.
        return timedelta(seconds=30 + int(hours * 3600))


def post_time_ok(created_at: datetime, at: datetime) -> timedelta:
    """Age of a post at ``at`` (zero before it existed)."""
    return max(timedelta(0), at - created_at)
