"""Everything one weekly digest shows, as plain frozen data.

``build`` fills these from the store; ``render`` turns them into HTML, text and charts.
Nothing here touches a database, a template or the network, so a digest can be built by
hand in a test and rendered exactly as production would render it.

Instants are aware datetimes; ``*_local`` fields are already in the digest's time zone.
Text that came from the public (comment text, author handles) is stored as received:
making it inert is the renderer's job, done in one place for every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from analysis.timeframe import IsoWeek

if TYPE_CHECKING:
    from analysis.outcomes.summary import OutcomesWeek

PostKind = str  # a name in campaigns.kinds.KINDS


@dataclass(frozen=True)
class WeekFigures:
    """The headline numbers of one week, as ``analysis.engagement`` defines them.

    ``audience`` sums each post's views (its reach where a platform gives no views);
    ``interactions`` sums reactions, shares, replies, quotes, saves, bookmarks and link
    clicks; ``engagement_rate`` is pooled interactions over audience (None without one).
    """

    posts_out: int = 0
    audience: int = 0
    interactions: int = 0
    engagement_rate: float | None = None
    comments: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def net_sentiment(self) -> float | None:
        """(positive - negative) / scored comments, in [-1, 1]; None without comments."""
        scored = self.positive + self.neutral + self.negative
        return (self.positive - self.negative) / scored if scored else None


@dataclass(frozen=True)
class TopPost:
    text: str
    platform: str
    kind: PostKind
    campaign: str
    published_local: datetime
    url: str | None
    audience: int
    interactions: int
    engagement_rate: float | None
    comments: int
    partner: str | None = None


@dataclass(frozen=True)
class GroupRow:
    """One line of a breakdown (by kind, by platform, by partner)."""

    label: str
    posts: int
    audience: int
    interactions: int
    engagement_rate: float | None


@dataclass(frozen=True)
class DaySentiment:
    day: date
    negative: int = 0
    neutral: int = 0
    positive: int = 0

    @property
    def total(self) -> int:
        return self.negative + self.neutral + self.positive


@dataclass(frozen=True)
class ReplyNeeded:
    """A comment a person should see (to answer it, or to review a flagged one); ``url``
    opens it where a reply can be written or the comment moderated."""

    text: str
    author: str
    platform: str
    url: str | None
    created_local: datetime
    age: timedelta
    post_excerpt: str = ""


@dataclass(frozen=True)
class PostGroup:
    """One post at one instant, with every platform it goes to: the digest lists such a post
    once, not once per platform."""

    platforms: tuple[str, ...]
    kind: PostKind
    excerpt: str


@dataclass(frozen=True)
class Problem(PostGroup):
    """A post that did not go out as planned this week (on every platform named: one post
    skipped on three platforms for the same reason is one item)."""

    state: str  # "failed" | "skipped" | "unknown"
    when_local: datetime
    reason: str = ""


@dataclass(frozen=True)
class PullFailure:
    """A platform whose engagement cannot be pulled (a missing permission, an expired token)."""

    platform: str
    error: str
    since_local: datetime


@dataclass(frozen=True)
class PauseWindow:
    scope: str  # "everything", a platform or a campaign
    started_local: datetime
    ended_local: datetime | None
    reason: str = ""
    by: str = ""


@dataclass(frozen=True)
class Scheduled(PostGroup):
    """One post of next week."""

    at_local: datetime
    campaign: str = ""


@dataclass(frozen=True)
class CampaignCost:
    """What one campaign cost this week: API fees plus its share of paid boosts."""

    campaign: str
    dollars: str  # "$12.40"
    per_applicant: str | None = None  # "$1.55": this week's spend / its applications


@dataclass(frozen=True)
class DigestData:
    """One week's digest, complete: the renderer needs nothing else."""

    week: IsoWeek
    timezone: str
    department: str
    generated_at: datetime
    this_week: WeekFigures
    last_week: WeekFigures | None = None
    top_posts: tuple[TopPost, ...] = ()
    by_kind: tuple[GroupRow, ...] = ()
    by_platform: tuple[GroupRow, ...] = ()
    by_partner: tuple[GroupRow, ...] = ()
    sentiment_by_day: tuple[DaySentiment, ...] = ()
    needs_reply: tuple[ReplyNeeded, ...] = ()
    needs_reply_total: int = 0  # may exceed len(needs_reply): the email lists the oldest first
    # Comments that try to locate or identify an officer ("review now", first in the email).
    safety: tuple[ReplyNeeded, ...] = ()
    #: Every comment of the week flagged hostile, oldest first: the count the digest shows is
    #: the length of this list, so no count of flagged comments comes without the comments.
    hostile: tuple[ReplyNeeded, ...] = ()
    problems: tuple[Problem, ...] = ()
    pull_failures: tuple[PullFailure, ...] = ()  # figures and comments that are not coming in
    pauses: tuple[PauseWindow, ...] = ()  # the email lists the first few and counts the rest
    next_week: tuple[Scheduled, ...] = ()
    next_week_total: int = 0
    notes: tuple[str, ...] = field(default=())  # e.g. "engagement figures not yet pulled"
    cost: tuple[CampaignCost, ...] = ()  # spend this week per campaign, largest first
    outcomes: OutcomesWeek | None = None  # applications and visits; None: none imported
    # "testimonial videos: 12,400 views, 41 % watched to the end"; None: no video measured
    videos: str | None = None

    @property
    def hostile_count(self) -> int:
        return len(self.hostile)

    @property
    def generated_local(self) -> datetime:
        return self.generated_at.astimezone(ZoneInfo(self.timezone))

    @property
    def start(self) -> date:
        return self.week.monday

    @property
    def end(self) -> date:
        return self.week.sunday

    @property
    def failed(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.state in ("failed", "unknown"))

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.state == "skipped")
