"""The synthetic audience: how much attention a post draws, when, and what people say.

Every figure is a pure function of (seed, platform, the post's ordinal, its text and kind, when
it went out and when we look), so the same seed replays the same week. Engagement follows a
rise-and-decay curve: a fast wave (an Erlang-2 curve whose rate peaks at ``tau`` hours and then
decays) plus a small slow tail, so metrics pulled at 1h, 6h, 24h, 3d and 7d look like a real
post's. The curve runs on *active* hours: the audience keeps a daily rhythm in its time zone, so
a post at 2 am waits for the morning. Cumulative counts never go down, as on the platforms.

Testimonials and events draw differently: testimonials get more likes and saves on a short
spike; event announcements get more link clicks, shares (people tag friends) and questions over
a longer tail.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

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


# How active the audience is at each local hour (midnight first), relative to the daily mean:
# quiet overnight, a lunch bump, the evening scroll after work. Normalised below to mean 1.
_HOURLY_ACTIVITY = (
    0.30, 0.18, 0.10, 0.07, 0.08, 0.15, 0.40, 0.80, 1.05, 1.05, 1.05, 1.20,
    1.45, 1.30, 1.10, 1.05, 1.15, 1.40, 1.65, 1.80, 1.70, 1.45, 1.00, 0.60,
)  # fmt: skip
_CYCLE_DAYS = 45  # beyond this the daily rhythm no longer matters; count at the mean


class ActivityCycle:
    """The audience's daily rhythm in the department's time zone.

    ``active_hours(start, end)`` is the integral of activity over the interval: an hour at 7 pm
    counts for about 1.8, an hour at 3 am for about 0.1. Engagement curves run on active hours,
    so a post at 2 am sits quiet until people wake up.
    """

    def __init__(self, timezone: str = "America/Chicago") -> None:
        self.zone = ZoneInfo(timezone)
        mean = sum(_HOURLY_ACTIVITY) / len(_HOURLY_ACTIVITY)
        self._weights = tuple(w / mean for w in _HOURLY_ACTIVITY)
        self._by_hour: dict[int, float] = {}  # UTC hour number -> weight (zone lookups are slow)
        # _prefix[i]: active hours from UTC hour ``_origin`` to hour ``_origin + i``.
        self._prefix_lock = threading.Lock()
        self._origin = 0
        self._prefix: list[float] = []

    def weight(self, moment: datetime) -> float:
        return self._hour_weight(int(moment.timestamp() // 3600))

    def _hour_weight(self, hour: int) -> float:
        weight = self._by_hour.get(hour)
        if weight is None:
            local = datetime.fromtimestamp(hour * 3600, self.zone)
            weight = self._by_hour[hour] = self._weights[local.hour]
        return weight

    def active_hours(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        t0, t1 = start.timestamp() / 3600.0, end.timestamp() / 3600.0
        limit = t0 + _CYCLE_DAYS * 24
        upto = min(t1, limit)
        with self._prefix_lock:
            self._cover(math.floor(t0), math.floor(upto))
            total = self._cumulative(upto) - self._cumulative(t0)
        if t1 > limit:
            total += t1 - limit  # past the cycle window every hour counts at the mean
        return total

    def _cover(self, first: int, last: int) -> None:
        """Extend the prefix sums to cover UTC hours ``first``..``last`` (lock held)."""
        if not self._prefix or first < self._origin:
            # Restart a day earlier than asked, so nearby earlier posts do not restart it again.
            self._origin = first - 24
            self._prefix = [0.0]
        while last - self._origin + 1 >= len(self._prefix):
            hour = self._origin + len(self._prefix) - 1
            self._prefix.append(self._prefix[-1] + self._hour_weight(hour))

    def _cumulative(self, t: float) -> float:
        """Active hours from ``_origin`` to ``t`` (hours since the epoch; covered, lock held)."""
        hour = math.floor(t)
        return self._prefix[hour - self._origin] + (t - hour) * self._hour_weight(hour)

    def after(self, start: datetime, active: float) -> datetime:
        """The instant at which ``active`` active hours have passed since ``start``."""
        t = start.timestamp() / 3600.0
        limit = t + _CYCLE_DAYS * 24
        while t < limit:
            hour = math.floor(t)
            weight = self._hour_weight(hour)
            room = (hour + 1 - t) * weight
            if room >= active:
                t += active / weight
                active = 0.0
                break
            active -= room
            t = hour + 1
        t += active
        return start + timedelta(hours=t - start.timestamp() / 3600.0)


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

    def __init__(
        self,
        seed: int = 7,
        *,
        unsafe_comment_rate: float = 0.0,
        timezone: str = "America/Chicago",
    ) -> None:
        if not 0.0 <= unsafe_comment_rate <= 1.0:
            raise ValueError("unsafe_comment_rate must be between 0 and 1")
        self.seed = seed
        self.cycle = ActivityCycle(timezone)
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

    def metrics(
        self, profile: PostProfile, created_at: datetime, at: datetime, replies: int
    ) -> dict[str, int]:
        """Cumulative engagement at ``at``; ``replies`` is the count of comments visible then."""
        hours = self.cycle.active_hours(created_at, at)
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
        self, platform: str, ordinal: int, text: str, profile: PostProfile, created_at: datetime
    ) -> list[CommentDraft]:
        """Every comment this post will get, earliest first, with its delay after posting."""
        rng = rng_for(self.seed, "comments", platform, ordinal, text)
        mix = _COMMENT_MIX[profile.kind]
        categories = list(mix)
        weights = [mix[c] for c in categories]
        # Waits are drawn in active hours, then laid onto the clock through the daily rhythm.
        # Nobody replies within the first half minute.
        # Whole seconds, as the platforms report them.
        offsets = sorted(
            timedelta(seconds=30 + int(wait.total_seconds()))
            for wait in (
                self.cycle.after(created_at, self._active_wait(rng, profile.tau_hours)) - created_at
                for _ in range(profile.comments)
            )
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
    def _active_wait(rng: random.Random, tau_hours: float) -> float:
        """Active hours until one comment: the same wave-plus-tail shape as engagement."""
        if rng.random() < _TAIL_SHARE:
            return rng.expovariate(1.0 / (tau_hours * _TAIL_FACTOR))
        # Erlang-2: the sum of two exponential waits
        return rng.expovariate(1.0 / tau_hours) + rng.expovariate(1.0 / tau_hours)
