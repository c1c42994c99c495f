"""Engagement: the rate of one delivery and its aggregates, as pure functions of plain rows.

Definitions (docs/engagement.md explains the choices):

- interactions = reactions + shares + replies + quotes + saves + bookmarks + link clicks,
  counting a figure the platform does not give as 0;
- audience = views (impressions) where the platform gives them, else reach;
- engagement rate = interactions / audience, undefined (``None``) without an audience;
- a group's rate is pooled: the sum of its posts' interactions over the sum of their
  audiences, so a post seen by 12 people does not weigh as much as one seen by 12,000.

Each delivery is represented by its latest snapshot taken within ``FIRST_WEEK`` of
publication, so weeks compare like with like: a post from last month is not credited with
three more weeks of views than a post from yesterday.

The functions in the first part take ``PostRow`` / ``CommentRow`` values and never touch a
database; ``week_summary`` at the end reads the store and feeds them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from analysis.flags import CRITICAL, HOSTILE, NEEDS_REPLY, SAFETY
from analysis.timeframe import IsoWeek
from store import metrics as store_metrics
from store.metrics import COUNT_FIELDS

FIRST_WEEK = timedelta(days=7)
#: Posts seen by fewer people than this are not ranked by rate (1 like / 2 views is not news).
MIN_AUDIENCE_FOR_TOP = 100
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class PostRow:
    """One published delivery and its representative snapshot.

    ``counts`` holds the snapshot's figures by the store's names (``store.metrics.COUNT_FIELDS``:
    views, reach, reactions, ...); a figure the platform does not give, or any figure of an
    unmeasured post, is missing or ``None``.
    """

    delivery_id: int
    platform: str
    kind: str
    campaign_id: str
    published_at: datetime
    partner: str | None = None
    text: str = ""
    url: str | None = None
    taken_at: datetime | None = None
    counts: Mapping[str, int | None] = field(default_factory=dict, hash=False)
    video_plays: int | None = None  # video posts: started, and watched to the end
    video_completions: int | None = None
    video_avg_watch_seconds: float | None = None  # Facebook and Instagram report it, X does not

    def __post_init__(self) -> None:
        if unknown := sorted(set(self.counts) - set(COUNT_FIELDS)):
            raise ValueError(f"not a figure the store keeps: {', '.join(unknown)}")

    def count(self, name: str) -> int | None:
        """The figure ``name`` (one of ``COUNT_FIELDS``); None where it was not measured."""
        return self.counts.get(name)

    @property
    def measured(self) -> bool:
        return self.taken_at is not None


@dataclass(frozen=True)
class VideoSummary:
    """The week's video posts on every platform that reports plays (X, Facebook, Instagram).

    The completion rate counts only posts whose platform reports completions (Instagram does
    not); the average watch time only posts whose platform reports it (X does not), weighted
    by plays.
    """

    posts: int
    views: int
    plays: int
    completions: int
    plays_with_completions: int = 0
    avg_watch_seconds: float | None = None

    @property
    def completion_rate(self) -> float | None:
        base = self.plays_with_completions
        return self.completions / base if base else None

    def sentence(self) -> str:
        """``testimonial videos: 12,400 views, 41% watched to the end, 12 s watched on
        average``."""
        rate = self.completion_rate
        text = f"testimonial videos: {self.views:,} views"
        if rate is not None:
            text += f", {rate * 100:.0f}% watched to the end"
        if self.avg_watch_seconds is not None:
            text += f", {self.avg_watch_seconds:.0f} s watched on average"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "views": self.views,
            "plays": self.plays,
            "completions": self.completions,
            "completion_rate": self.completion_rate,
            "avg_watch_seconds": self.avg_watch_seconds,
        }


def video_summary(rows: Iterable[PostRow]) -> VideoSummary | None:
    videos = [r for r in rows if r.video_plays is not None]
    if not videos:
        return None
    completing = [r for r in videos if r.video_completions is not None]
    timed = [r for r in videos if r.video_avg_watch_seconds is not None and r.video_plays]
    timed_plays = sum(r.video_plays or 0 for r in timed)
    watch = (
        sum((r.video_avg_watch_seconds or 0) * (r.video_plays or 0) for r in timed) / timed_plays
        if timed_plays
        else None
    )
    return VideoSummary(
        posts=len(videos),
        views=sum(r.count("views") or 0 for r in videos),
        plays=sum(r.video_plays or 0 for r in videos),
        completions=sum(r.video_completions or 0 for r in completing),
        plays_with_completions=sum(r.video_plays or 0 for r in completing),
        avg_watch_seconds=watch,
    )


@dataclass(frozen=True)
class CommentRow:
    platform: str
    created_at: datetime
    sentiment_label: str | None = None
    flags: frozenset[str] = frozenset()


# -- one delivery ----------------------------------------------------------------------------

INTERACTION_FIELDS = (
    "reactions",
    "shares",
    "replies",
    "quotes",
    "saves",
    "bookmarks",
    "link_clicks",
)


def interactions(row: PostRow) -> int:
    return sum(row.count(name) or 0 for name in INTERACTION_FIELDS)


def audience(row: PostRow) -> tuple[int | None, str | None]:
    """(denominator, basis): views where given and positive, else reach, else (None, None)."""
    for basis in ("views", "reach"):
        if value := row.count(basis):
            return value, basis
    return None, None


def engagement_rate(row: PostRow) -> float | None:
    denominator, _ = audience(row)
    return interactions(row) / denominator if denominator else None


def click_rate(row: PostRow) -> float | None:
    denominator, _ = audience(row)
    clicks = row.count("link_clicks")
    if not denominator or clicks is None:
        return None
    return clicks / denominator


# -- groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """A group of deliveries: counts, sums and the pooled rates.

    ``posts`` counts every delivery in the group; ``rated_posts`` those with an audience,
    which alone enter ``audience``, ``rated_interactions`` and the rates. ``interactions``
    sums every measured post. ``summarize`` builds it (an empty group: ``summarize(key, [])``);
    no figure has a default, so none can be left out by mistake.
    """

    key: str
    posts: int
    rated_posts: int
    audience: int
    interactions: int
    rated_interactions: int
    link_clicks: int
    rated_link_clicks: int
    click_audience: int  # audience of the rated posts whose platform counts link clicks

    @property
    def rate(self) -> float | None:
        return self.rated_interactions / self.audience if self.audience else None

    @property
    def click_rate(self) -> float | None:
        """Link clicks per audience, over the posts whose platform counts link clicks (an
        Instagram caption has no link: its posts would only dilute the figure)."""
        return self.rated_link_clicks / self.click_audience if self.click_audience else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate"] = self.rate
        data["click_rate"] = self.click_rate
        return data


def summarize(key: str, rows: Iterable[PostRow]) -> Aggregate:
    posts = rated = aud = inter = rated_inter = clicks = rated_clicks = click_aud = 0
    for row in rows:
        posts += 1
        n = interactions(row)
        inter += n
        link_clicks = row.count("link_clicks")
        clicks += link_clicks or 0
        denominator, _ = audience(row)
        if denominator:
            rated += 1
            aud += denominator
            rated_inter += n
            if link_clicks is not None:
                rated_clicks += link_clicks
                click_aud += denominator
    return Aggregate(key, posts, rated, aud, inter, rated_inter, clicks, rated_clicks, click_aud)


def aggregate_by(rows: Iterable[PostRow], key: Callable[[PostRow], Hashable]) -> list[Aggregate]:
    """One ``Aggregate`` per distinct key, ordered by key (``None`` last as "(none)")."""
    groups: dict[Hashable, list[PostRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    ordered = sorted(groups, key=lambda k: (k is None, str(k)))
    return [summarize("(none)" if k is None else str(k), groups[k]) for k in ordered]


def by_kind(rows: Iterable[PostRow]) -> list[Aggregate]:
    return aggregate_by(rows, lambda r: r.kind)


def by_platform(rows: Iterable[PostRow]) -> list[Aggregate]:
    return aggregate_by(rows, lambda r: r.platform)


def by_partner(rows: Iterable[PostRow]) -> list[Aggregate]:
    return aggregate_by(rows, lambda r: r.partner)


def by_campaign(rows: Iterable[PostRow]) -> list[Aggregate]:
    return aggregate_by(rows, lambda r: r.campaign_id)


def hour_of_week(instant: datetime, zone: ZoneInfo) -> int:
    """0 = Monday 00:00-00:59 local time ... 167 = Sunday 23:00-23:59."""
    local = instant.astimezone(zone)
    return local.weekday() * 24 + local.hour


def hour_label(index: int) -> str:
    return f"{DAYS[index // 24]} {index % 24:02d}:00"


def by_publish_hour(rows: Iterable[PostRow], zone: ZoneInfo) -> list[Aggregate]:
    """Engagement by the local hour-of-week the post went out (when posting pays off)."""
    groups: dict[int, list[PostRow]] = defaultdict(list)
    for row in rows:
        groups[hour_of_week(row.published_at, zone)].append(row)
    return [summarize(hour_label(h), groups[h]) for h in sorted(groups)]


def response_hours(comments: Iterable[CommentRow], zone: ZoneInfo) -> list[int]:
    """Comments per local hour-of-week (168 counts): when our audience responds."""
    counts = [0] * 168
    for comment in comments:
        counts[hour_of_week(comment.created_at, zone)] += 1
    return counts


def busiest_hours(counts: Sequence[int], n: int = 3) -> list[tuple[str, int]]:
    """The ``n`` hours-of-week with most comments, busiest first (ties: earlier first)."""
    ranked = sorted((c, -h) for h, c in enumerate(counts) if c)
    return [(hour_label(-h), c) for c, h in reversed(ranked[-n:])] if ranked else []


@dataclass(frozen=True)
class Change:
    """This week against the previous one; ``None`` where the previous value was 0 or absent."""

    current: float | None
    previous: float | None

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def ratio(self) -> float | None:
        """Relative change: +0.25 means 25% more than last week."""
        if self.current is None or not self.previous:
            return None
        return self.current / self.previous - 1

    def to_json(self) -> dict[str, float | None]:
        return {
            "current": self.current,
            "previous": self.previous,
            "delta": self.delta,
            "ratio": self.ratio,
        }


def compare(current: Aggregate, previous: Aggregate) -> dict[str, Change]:
    """Week over week for the headline figures."""
    return {
        "posts": Change(current.posts, previous.posts),
        "audience": Change(current.audience, previous.audience),
        "interactions": Change(current.interactions, previous.interactions),
        "rate": Change(current.rate, previous.rate),
        "click_rate": Change(current.click_rate, previous.click_rate),
    }


def top_posts(
    rows: Iterable[PostRow], n: int = 5, min_audience: int = MIN_AUDIENCE_FOR_TOP
) -> list[PostRow]:
    """Best engagement rate among posts seen by at least ``min_audience``; ties: more
    interactions, then earlier."""
    eligible = [r for r in rows if (audience(r)[0] or 0) >= min_audience]
    eligible.sort(key=lambda r: (-(engagement_rate(r) or 0), -interactions(r), r.published_at))
    return eligible[:n]


@dataclass(frozen=True)
class CommentSummary:
    """Comments counted: all, by sentiment label, by flag (``summarize_comments``; no figure
    has a default, so none can be left out by mistake)."""

    total: int
    positive: int
    neutral: int
    negative: int
    needs_reply: int
    hostile: int
    safety: int  # attempts to locate or identify an officer: review now
    critical: int  # critical of the department (the triage's stance)

    def to_json(self) -> dict[str, int]:
        return asdict(self)


def summarize_comments(comments: Iterable[CommentRow]) -> CommentSummary:
    labels: dict[str, int] = defaultdict(int)
    flags: dict[str, int] = defaultdict(int)
    total = 0
    for comment in comments:
        total += 1
        if comment.sentiment_label:
            labels[comment.sentiment_label] += 1
        for flag in comment.flags:
            flags[flag] += 1
    return CommentSummary(
        total=total,
        positive=labels["positive"],
        neutral=labels["neutral"],
        negative=labels["negative"],
        needs_reply=flags[NEEDS_REPLY],
        hostile=flags[HOSTILE],
        safety=flags[SAFETY],
        critical=flags[CRITICAL],
    )


@dataclass(frozen=True)
class WeekEngagement:
    """Everything ``beatpost report`` and the digest show for one ISO week.

    ``posts`` are the deliveries published in the week (local time of ``timezone``), each
    with its latest first-week snapshot; ``comments`` are those written in the week.
    """

    week: IsoWeek
    timezone: str
    start: datetime
    end: datetime
    totals: Aggregate
    previous_totals: Aggregate
    change: dict[str, Change]
    by_kind: list[Aggregate]
    by_platform: list[Aggregate]
    by_partner: list[Aggregate]
    by_campaign: list[Aggregate]
    by_publish_hour: list[Aggregate]
    response_hours: list[int]
    comments: CommentSummary
    previous_comments: CommentSummary
    top_posts: list[PostRow]
    posts: list[PostRow] = field(default_factory=list)
    videos: VideoSummary | None = None

    def to_json(self) -> dict[str, Any]:
        def groups(items: list[Aggregate]) -> list[dict[str, Any]]:
            return [a.to_json() for a in items]

        return {
            "week": str(self.week),
            "timezone": self.timezone,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "totals": self.totals.to_json(),
            "previous_week": str(self.week.previous()),
            "previous_totals": self.previous_totals.to_json(),
            "change": {name: c.to_json() for name, c in self.change.items()},
            "by_kind": groups(self.by_kind),
            "by_platform": groups(self.by_platform),
            "by_partner": groups(self.by_partner),
            "by_campaign": groups(self.by_campaign),
            "by_publish_hour": groups(self.by_publish_hour),
            "response_hours": self.response_hours,
            "videos": self.videos.to_json() if self.videos else None,
            "busiest_hours": [
                {"hour": label, "comments": n} for label, n in busiest_hours(self.response_hours)
            ],
            "comments": self.comments.to_json(),
            "previous_comments": self.previous_comments.to_json(),
            "top_posts": [post_json(p) for p in self.top_posts],
            "posts": [post_json(p) for p in self.posts],
        }


def post_json(row: PostRow) -> dict[str, Any]:
    """The row's fields, every figure of ``COUNT_FIELDS`` among them in its place, then the
    figures worked out from them."""
    data: dict[str, Any] = {}
    for name, value in asdict(row).items():
        if name == "counts":
            data.update((figure, value.get(figure)) for figure in COUNT_FIELDS)
        else:
            data[name] = value
    for name in ("published_at", "taken_at"):
        data[name] = data[name].isoformat() if data[name] else None
    denominator, basis = audience(row)
    data.update(
        interactions=interactions(row),
        audience=denominator,
        audience_basis=basis,
        rate=engagement_rate(row),
        click_rate=click_rate(row),
    )
    return data


def build_week(
    week: IsoWeek,
    zone: ZoneInfo,
    posts: Sequence[PostRow],
    previous_posts: Sequence[PostRow],
    comments: Sequence[CommentRow],
    previous_comments: Sequence[CommentRow],
    top: int = 5,
) -> WeekEngagement:
    """Assemble a week from plain rows (the store-free half of ``week_summary``)."""
    start, end = week.bounds(zone)
    totals = summarize("week", posts)
    previous = summarize("previous week", previous_posts)
    return WeekEngagement(
        week=week,  # shown and written as "2027-W09", whatever the caller typed
        timezone=zone.key,
        start=start,
        end=end,
        totals=totals,
        previous_totals=previous,
        change=compare(totals, previous),
        by_kind=by_kind(posts),
        by_platform=by_platform(posts),
        by_partner=by_partner(posts),
        by_campaign=by_campaign(posts),
        by_publish_hour=by_publish_hour(posts, zone),
        response_hours=response_hours(comments, zone),
        comments=summarize_comments(comments),
        previous_comments=summarize_comments(previous_comments),
        top_posts=top_posts(posts, top),
        posts=sorted(posts, key=lambda r: r.published_at),
        videos=video_summary(posts),
    )


# -- reading the store -----------------------------------------------------------------------


def post_rows(session: Session, start: datetime, end: datetime) -> list[PostRow]:
    """Deliveries published in [start, end), each with its latest first-week snapshot."""
    deliveries = store_metrics.published_between(session, start, end)
    limits = {d.id: d.published_at + FIRST_WEEK for d in deliveries if d.id is not None}
    # Figures a later snapshot lacks (X's link clicks after 30 days) keep their last value.
    latest = store_metrics.latest_figures(session, limits, taken_before=limits)
    rows = []
    for d in deliveries:
        snap = latest.get(d.id)
        rows.append(
            PostRow(
                delivery_id=d.id,
                platform=d.platform,
                kind=d.kind,
                campaign_id=d.campaign_id,
                published_at=d.published_at,
                partner=d.partner,
                text=d.text,
                url=d.url,
                taken_at=snap.taken_at if snap else None,
                counts=dict(snap.counts) if snap else {},
                video_plays=(snap.extras or {}).get("video_plays") if snap else None,
                video_completions=(snap.extras or {}).get("video_completions") if snap else None,
                video_avg_watch_seconds=(
                    (snap.extras or {}).get("video_avg_watch_seconds") if snap else None
                ),
            )
        )
    return rows


def comment_rows(session: Session, start: datetime, end: datetime) -> list[CommentRow]:
    """Comments written in [start, end)."""
    return [
        CommentRow(c.platform, c.created_at, c.sentiment_label, frozenset(c.flags or ()))
        for c in store_metrics.comments_between(session, start, end)
    ]


def week_summary(
    session: Session, week: IsoWeek, tz: str | ZoneInfo, *, top: int = 5
) -> WeekEngagement:
    """The week's engagement from the store, with the previous week for comparison.

    ``tz`` is an IANA zone whose local Monday midnight starts the week.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    start, end = week.bounds(zone)
    prev_start, prev_end = week.previous().bounds(zone)
    return build_week(
        week,
        zone,
        post_rows(session, start, end),
        post_rows(session, prev_start, prev_end),
        comment_rows(session, start, end),
        comment_rows(session, prev_start, prev_end),
        top=top,
    )
