"""Everything the sandbox remembers: posts, media, containers, comments, requests, faults.

Platform route modules (``x_api``, ``graph_api``) read and write it through the methods here;
tests inspect it directly to prove what reached the "platform" and how many times. All methods
take ``lock`` (re-entrant), so a route may also hold it across several calls to make a
multi-step change atomic.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from connectors.sandbox.audience import KINDS, Audience, Kind, PostProfile, infer_kind
from connectors.sandbox.clock import SimClock
from connectors.sandbox.faults import FaultInjector, FaultPlan

# The sandbox's own accounts (any non-empty token other than "expired" acts as them).
X_USER_ID = "1500000000000000001"
X_USERNAME = "SpringfieldPD"
FACEBOOK_PAGE_ID = "100000000000001"
FACEBOOK_PAGE_NAME = "Springfield Police Department"
INSTAGRAM_USER_ID = "17841400000000001"
INSTAGRAM_USERNAME = "springfieldpd"
EXPIRED_TOKEN = "expired"

_X_EPOCH_MS = 1288834974657  # X snowflake epoch (2010-11-04)
MAX_REQUEST_LOG = 200_000
# Comments added through add_comment number from here, clear of the audience's
# (post ordinal * 1000 + index), so the two never share an id.
_ADDED_COMMENTS = 1_000_000_000


_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"


def atproto_tid(at: datetime, clock_id: int) -> str:
    """A record key in atproto's TID shape: 13 base32-sortable characters of microseconds
    since the epoch (53 bits) and a 10-bit clock id."""
    value = (int(at.timestamp() * 1_000_000) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_CHARS[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def bluesky_uri(did: str, at: datetime, n: int) -> str:
    return f"at://{did}/app.bsky.feed.post/{atproto_tid(at, n)}"


class RequestRecord(NamedTuple):
    """One request the sandbox answered (path without query string: tokens stay out), at
    the simulated time it arrived."""

    time: datetime
    method: str
    path: str
    status: int


class RateStatus(NamedTuple):
    limit: int
    remaining: int
    reset_at: datetime
    exceeded: bool


@dataclass
class SandboxPost:
    id: str
    platform: str
    account: str
    text: str
    media: list[str]
    created_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    kind: Kind = "announcement"
    ordinal: int = 0  # 1-based position among this platform's posts (seeds the audience)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "account": self.account,
            "text": self.text,
            "media": list(self.media),
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
            "deleted": self.deleted,
            "extra": self.extra,
        }


@dataclass
class SandboxMedia:
    id: str
    platform: str
    data: bytes
    mime_type: str
    created_at: datetime
    alt_text: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "mime_type": self.mime_type,
            "size": len(self.data),
            "alt_text": self.alt_text,
            "created_at": self.created_at.isoformat(),
            "extra": self.extra,
        }


@dataclass(frozen=True)
class SandboxComment:
    id: str
    post_id: str
    author: str
    text: str
    created_at: datetime
    author_id: str = ""
    parent_id: str | None = None
    category: str = "neutral"  # ground truth for sentiment tests: question/praise/hostile/...
    topic: str = ""  # for questions: pay, requirements, age, event, process, benefits

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "post_id": self.post_id,
            "author": self.author,
            "author_id": self.author_id,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
            "parent_id": self.parent_id,
            "category": self.category,
            "topic": self.topic,
        }


class SandboxState:
    """The sandbox's memory, seeded so the same seed replays the same audience."""

    def __init__(
        self,
        seed: int = 7,
        clock: SimClock | None = None,
        *,
        faults: FaultPlan | None = None,
        unsafe_comment_rate: float = 0.0,
        timezone: str = "America/Chicago",
        audience_speed: float = 1.0,
    ) -> None:
        """``timezone`` is where the audience lives: it sets their daily rhythm.

        ``audience_speed`` lets the audience live that many times faster than ``clock``
        (``beatpost sandbox --speed``): a post's engagement after an hour of the clock is what
        it would be after ``audience_speed`` hours, and a comment written that far into the
        post's life appears, stamped with the clock's time, after an hour. Every time the
        sandbox hands out still comes from ``clock``, so a daemon on the same clock (real
        time) never sees a post or comment from its future.
        """
        if audience_speed <= 0:
            raise ValueError(f"audience speed must be positive, got {audience_speed}")
        self.lock = threading.RLock()
        self.seed = seed
        self.audience_speed = float(audience_speed)
        self.clock = clock or SimClock()
        self.audience = Audience(seed, unsafe_comment_rate=unsafe_comment_rate, timezone=timezone)
        self.faults = FaultInjector(faults)
        self._init_memory()

    def _init_memory(self) -> None:
        self._posts: dict[str, dict[str, SandboxPost]] = {}
        self._media: dict[str, dict[str, SandboxMedia]] = {}
        self._profiles: dict[tuple[str, str], PostProfile] = {}
        self._comments: dict[tuple[str, str], tuple[list[SandboxComment], list[datetime]]] = {}
        self._extra_comments: dict[tuple[str, str], list[SandboxComment]] = {}
        self._rate_windows: dict[str, tuple[datetime, int]] = {}
        self._kind_hints: list[tuple[str, Kind]] = []
        self._counter = itertools.count(1)
        # Ids count per platform: the platforms are published to in parallel (one lane each),
        # and a shared counter would number one platform's posts by how the lanes interleave.
        self._platform_counters: dict[str, itertools.count[int]] = {}
        # Instagram media containers (and any other keyed extras a platform module needs).
        self.containers: dict[str, dict[str, Any]] = {}
        self.extras: dict[str, Any] = {}
        self.request_log: list[RequestRecord] = []  # in the order the requests arrived
        self._arrivals = itertools.count()
        self._request_arrivals: list[int] = []  # request_log's arrival numbers

    def reset(self) -> None:
        """Forget everything posted and logged; keep seed, clock and fault plan."""
        with self.lock:
            self._init_memory()

    def now(self) -> datetime:
        return self.clock.now()

    # ---- ids -----------------------------------------------------------------------------
    def next_number(self, platform: str | None = None) -> int:
        """An increasing number, sandbox-wide or (``platform``) within one platform: unique ids
        in a stable order, the same for the same seed whatever the other platforms do."""
        with self.lock:
            if platform is None:
                return next(self._counter)
            return next(self._platform_counters.setdefault(platform, itertools.count(1)))

    def new_id(self, platform: str, what: str = "post", *, account: str | None = None) -> str:
        """A platform-shaped id: X snowflakes, Facebook ``{page}_{n}`` posts, numeric Graph ids."""
        n = self.next_number(platform)
        if platform == "x":
            ms = int(self.now().timestamp() * 1000) - _X_EPOCH_MS
            return str((ms << 22) | (n & 0x3FFFFF))
        if platform == "facebook" and what == "post":
            return f"{account or FACEBOOK_PAGE_ID}_{122_100_000_000_000_000 + n}"
        if platform == "facebook":
            return str(122_100_000_000_000_000 + n)
        if platform == "bluesky":  # AT URIs
            return bluesky_uri(account or "did:plc:springfieldpd0000000000a", self.now(), n)
        if platform == "mastodon":  # Mastodon's ids are numeric strings
            return str(111_000_000_000_000_000 + n)
        if platform == "instagram":
            prefix = {"post": 17_900_000_000_000_000, "container": 17_800_000_000_000_000}
            return str(prefix.get(what, 18_000_000_000_000_000) + n)
        return f"{platform}-{what}-{n}"

    # ---- posts ---------------------------------------------------------------------------
    def hint_kind(self, text_contains: str, kind: Kind) -> None:
        """Posts whose text contains ``text_contains`` are of ``kind`` (a rehearsal driver knows
        what each planned post is; the platforms' requests do not say)."""
        if kind not in KINDS:
            raise ValueError(f"unknown post kind {kind!r}; one of {', '.join(KINDS)}")
        if not text_contains:
            raise ValueError("a kind hint needs a non-empty text fragment")
        with self.lock:
            self._kind_hints.append((text_contains, kind))

    def _kind_for(self, text: str) -> Kind:
        for fragment, kind in reversed(self._kind_hints):  # the latest hint wins
            if fragment in text:
                return kind
        return infer_kind(text)

    def add_post(
        self,
        platform: str,
        account: str,
        text: str,
        *,
        media: Iterable[str] = (),
        extra: dict[str, Any] | None = None,
        kind: Kind | None = None,
        post_id: str | None = None,
    ) -> SandboxPost:
        """Record a published post. ``kind`` shapes its audience; when not given it comes from a
        ``hint_kind`` matching the text, else it is inferred from the text."""
        with self.lock:
            by_id = self._posts.setdefault(platform, {})
            pid = post_id or self.new_id(platform, "post", account=account)
            if pid in by_id:
                raise ValueError(f"{platform} post id {pid} already exists")
            post = SandboxPost(
                id=pid,
                platform=platform,
                account=account,
                text=text,
                media=list(media),
                created_at=self.now(),
                extra=dict(extra or {}),
                kind=kind or self._kind_for(text),
                ordinal=len(by_id) + 1,
            )
            by_id[pid] = post
            return post

    def posts(
        self, platform: str | None = None, account: str | None = None, include_deleted: bool = False
    ) -> list[SandboxPost]:
        """Posts in the order they were created."""
        with self.lock:
            platforms = [platform] if platform else list(self._posts)
            found = [
                post
                for name in platforms
                for post in self._posts.get(name, {}).values()
                if (account is None or post.account == account)
                and (include_deleted or not post.deleted)
            ]
        return sorted(found, key=lambda p: (p.created_at, p.ordinal))

    def get_post(self, platform: str, post_id: str) -> SandboxPost | None:
        with self.lock:
            return self._posts.get(platform, {}).get(post_id)

    def delete_post(self, platform: str, post_id: str) -> bool:
        """Mark a post deleted; False when there is no such live post."""
        with self.lock:
            post = self.get_post(platform, post_id)
            if post is None or post.deleted:
                return False
            post.deleted = True
            return True

    def times_posted(self, platform: str, text: str) -> int:
        """How many live posts on ``platform`` carry exactly ``text`` (at-most-once checks)."""
        return sum(1 for p in self.posts(platform) if p.text == text)

    def duplicates(self, platform: str | None = None) -> dict[tuple[str, str], int]:
        """(platform, text) of every text live more than once, with its count: at-most-once
        means this stays empty."""
        counts: dict[tuple[str, str], int] = {}
        for post in self.posts(platform):
            key = (post.platform, post.text)
            counts[key] = counts.get(key, 0) + 1
        return {key: n for key, n in counts.items() if n > 1}

    # ---- media ---------------------------------------------------------------------------
    def add_media(
        self,
        platform: str,
        data: bytes,
        mime_type: str,
        alt_text: str | None = None,
        *,
        extra: dict[str, Any] | None = None,
        media_id: str | None = None,
    ) -> SandboxMedia:
        with self.lock:
            mid = media_id or self.new_id(platform, "media")
            item = SandboxMedia(
                id=mid,
                platform=platform,
                data=bytes(data),
                mime_type=mime_type,
                created_at=self.now(),
                alt_text=alt_text,
                extra=dict(extra or {}),
            )
            self._media.setdefault(platform, {})[mid] = item
            return item

    def get_media(self, platform: str, media_id: str) -> SandboxMedia | None:
        with self.lock:
            return self._media.get(platform, {}).get(media_id)

    def media(self, platform: str | None = None) -> list[SandboxMedia]:
        with self.lock:
            platforms = [platform] if platform else list(self._media)
            return [m for name in platforms for m in self._media.get(name, {}).values()]

    def set_alt_text(self, platform: str, media_id: str, alt_text: str) -> bool:
        with self.lock:
            item = self.get_media(platform, media_id)
            if item is None:
                return False
            item.alt_text = alt_text
            return True

    # ---- audience ------------------------------------------------------------------------
    def _profile(self, post: SandboxPost) -> PostProfile:
        key = (post.platform, post.id)
        profile = self._profiles.get(key)
        if profile is None:
            has_link = (
                "http://" in post.text or "https://" in post.text or bool(post.extra.get("link"))
            )
            profile = self.audience.profile(
                post.platform,
                post.ordinal,
                post.text,
                post.kind,
                has_media=bool(post.media),
                has_link=has_link,
            )
            self._profiles[key] = profile
        return profile

    def metrics(self, platform: str, post_id: str, at: datetime | None = None) -> dict[str, int]:
        """Cumulative engagement of a post at ``at`` (default now); KeyError if unknown."""
        with self.lock:
            post = self._require(platform, post_id)
            at = at or self.now()
            key = (platform, post_id)
            drafted, times = self._drafted(post)
            replies = bisect.bisect_right(times, at)
            replies += sum(1 for c in self._extra_comments.get(key, ()) if c.created_at <= at)
            lived = post.created_at + (at - post.created_at) * self.audience_speed
            return self.audience.metrics(self._profile(post), post.created_at, lived, replies)

    def comments(
        self, platform: str, post_id: str, until: datetime | None = None
    ) -> list[SandboxComment]:
        """Comments written on a post by ``until`` (default now), oldest first."""
        with self.lock:
            post = self._require(platform, post_id)
            until = until or self.now()
            drafted, times = self._drafted(post)
            visible = drafted[: bisect.bisect_right(times, until)]
            extra = [
                c
                for c in self._extra_comments.get((platform, post_id), ())
                if c.created_at <= until
            ]
        if not extra:
            return visible
        return sorted(visible + extra, key=lambda c: (c.created_at, c.id))

    def _drafted(self, post: SandboxPost) -> tuple[list[SandboxComment], list[datetime]]:
        """The audience's comments on ``post`` (oldest first) and their times, made once."""
        key = (post.platform, post.id)
        cached = self._comments.get(key)
        if cached is None:
            drafted = sorted(self._draft_comments(post), key=lambda c: (c.created_at, c.id))
            cached = self._comments[key] = (drafted, [c.created_at for c in drafted])
        return cached

    def add_comment(
        self,
        platform: str,
        post_id: str,
        author: str,
        text: str,
        *,
        author_id: str = "",
        parent_id: str | None = None,
    ) -> SandboxComment:
        """A comment written now (the department answering, a test adding one)."""
        with self.lock:
            self._require(platform, post_id)
            created = self.now()
            comment = SandboxComment(
                id=self._comment_id(
                    platform, post_id, created, _ADDED_COMMENTS + self.next_number(platform)
                ),
                post_id=post_id,
                author=author,
                author_id=author_id,
                text=text,
                created_at=created,
                parent_id=parent_id,
                category="own"
                if author_id in (X_USER_ID, FACEBOOK_PAGE_ID, INSTAGRAM_USER_ID)
                else "neutral",
            )
            self._extra_comments.setdefault((platform, post_id), []).append(comment)
            return comment

    def find_comment(
        self, platform: str, comment_id: str
    ) -> tuple[SandboxPost, SandboxComment] | None:
        """The live post a comment written by now is on, and the comment (replies to comments)."""
        with self.lock:
            for post in self.posts(platform):
                for comment in self.comments(platform, post.id):
                    if comment.id == comment_id:
                        return post, comment
        return None

    def own_replies(
        self, platform: str, author_id: str
    ) -> list[tuple[SandboxPost, SandboxComment]]:
        """Comments the account ``author_id`` wrote (its answers), oldest first."""
        with self.lock:
            found = [
                (self._require(name, post_id), comment)
                for (name, post_id), comments in self._extra_comments.items()
                if name == platform
                for comment in comments
                if comment.author_id == author_id and comment.created_at <= self.now()
            ]
        return sorted(found, key=lambda pair: (pair[1].created_at, pair[1].id))

    def _draft_comments(self, post: SandboxPost) -> list[SandboxComment]:
        drafts = self.audience.comment_drafts(
            post.platform, post.ordinal, post.text, self._profile(post), post.created_at
        )
        made: list[SandboxComment] = []
        for index, draft in enumerate(drafts):
            # Whole seconds, as the platforms report them, at any audience speed.
            created = post.created_at + timedelta(
                seconds=int(draft.offset.total_seconds() / self.audience_speed)
            )
            made.append(
                SandboxComment(
                    id=self._comment_id(
                        post.platform, post.id, created, post.ordinal * 1000 + index
                    ),
                    post_id=post.id,
                    author=draft.author,
                    author_id=draft.author_id,
                    text=draft.text,
                    created_at=created,
                    parent_id=made[draft.reply_to].id if draft.reply_to is not None else None,
                    category=draft.category,
                    topic=draft.topic,
                )
            )
        return made

    @staticmethod
    def _comment_id(platform: str, post_id: str, created: datetime, n: int) -> str:
        if platform == "bluesky":  # an audience member's reply, in their own repository
            return bluesky_uri(f"did:plc:audience{n % 997:05d}zz", created, n)
        if platform == "x":
            ms = int(created.timestamp() * 1000) - _X_EPOCH_MS
            return str((ms << 22) | (n & 0x3FFFFF))
        if platform == "facebook":
            return f"{post_id.split('_')[-1]}_{900_000_000_000_000 + n}"
        return str(18_050_000_000_000_000 + n * 10 + int(created.timestamp()) % 10)

    def _require(self, platform: str, post_id: str) -> SandboxPost:
        post = self.get_post(platform, post_id)
        if post is None:
            raise KeyError(f"no {platform} post {post_id}")
        return post

    # ---- rate windows --------------------------------------------------------------------
    def rate_window(
        self, key: str, limit: int, window: timedelta, *, consume: bool = True
    ) -> RateStatus:
        """Count one request against a fixed window (simulated time), as platforms do."""
        with self.lock:
            now = self.now()
            start, used = self._rate_windows.get(key, (now, 0))
            if now >= start + window:
                start, used = now, 0
            exceeded = used >= limit
            if consume and not exceeded:
                used += 1
            self._rate_windows[key] = (start, used)
            return RateStatus(limit, max(0, limit - used), start + window, exceeded)

    def injected_reset_at(self) -> datetime:
        """When an injected 429 says its window lifts: the fault plan's
        ``rate_limit_reset_seconds`` of simulated time from now."""
        return self.now() + timedelta(seconds=self.faults.plan.rate_limit_reset_seconds)

    # ---- request log ---------------------------------------------------------------------
    def request_arrived(self) -> tuple[int, datetime]:
        """A request's place in the log and its time, taken when it arrives (for
        ``log_request``, once it is answered)."""
        with self.lock:
            return next(self._arrivals), self.now()

    def log_request(
        self, method: str, path: str, status: int, arrival: tuple[int, datetime] | None = None
    ) -> None:
        """Log an answered request where it arrived (``request_arrived``): a request answered
        late (a timeout fault) is not logged after the requests that came meanwhile."""
        with self.lock:
            number, at = arrival or (next(self._arrivals), self.now())
            place = bisect.bisect(self._request_arrivals, number)
            self._request_arrivals.insert(place, number)
            self.request_log.insert(place, RequestRecord(at, method, path, status))
            if len(self.request_log) > MAX_REQUEST_LOG:
                # A sandbox left running for days keeps the recent half, not every request.
                del self.request_log[: MAX_REQUEST_LOG // 2]
                del self._request_arrivals[: MAX_REQUEST_LOG // 2]

    def requests(self, method: str | None = None, path_contains: str = "") -> list[RequestRecord]:
        with self.lock:
            return [
                r
                for r in self.request_log
                if (method is None or r.method == method) and path_contains in r.path
            ]
