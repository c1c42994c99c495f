"""Store -> DigestData for one ISO week.

Engagement figures come from ``analysis.engagement.week_summary`` (one definition of
audience, interactions and rate for the digest and ``beatpost report``). What it does not
cover is read here: the comments themselves (who needs a reply, sentiment per day),
deliveries that failed or were skipped, pauses, and next week's schedule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from analysis import engagement
from analysis.cost import Boost, Spend, dollars, spend
from analysis.digest.data import (
    CampaignCost,
    DaySentiment,
    DigestData,
    GroupRow,
    PauseWindow,
    Problem,
    PullFailure,
    ReplyNeeded,
    Scheduled,
    TopPost,
    WeekFigures,
)
from analysis.digest.timing import Clock, now_from
from analysis.flags import HOSTILE, SAFETY
from analysis.outcomes.summary import OutcomesWeek, outcomes_week
from analysis.timeframe import IsoWeek, week_zone
from config.settings import Settings
from store import DeliveryView, PauseView
from store import digest as store_digest
from store import metrics as store_metrics
from store.engine import read_session
from store.metrics import needing_reply
from store.metrics_models import CommentRecord

__all__ = ["build_digest", "sentiment_by_day"]

TOP_POSTS = 3  # a phone screen's worth


def build_digest(
    source: Engine | Session,
    week: IsoWeek,
    settings: Settings,
    clock: Clock,
    boosts: Sequence[Boost] = (),
) -> DigestData:
    """Everything the week's digest shows, read in one read-only transaction.

    ``boosts``: the paid boosts of the campaign files, for the week's cost line."""
    scope: AbstractContextManager[Session] = (
        read_session(source) if isinstance(source, Engine) else nullcontext(source)
    )
    with scope as session:
        return _build(session, week, settings, now_from(clock), boosts)


def _build(
    session: Session, week: IsoWeek, settings: Settings, now: datetime, boosts: Sequence[Boost] = ()
) -> DigestData:
    zone = week_zone(settings)
    start, end = week.bounds(zone)
    summary = engagement.week_summary(session, week, zone, top=TOP_POSTS)
    comments = store_metrics.comments_between(session, start, end)
    next_start, next_end = week.next().bounds(zone)
    schedule = _grouped(store_digest.schedule(session, next_start, next_end))
    needs_reply = needing_reply(session, comments)  # the same rule as `beatpost status`
    safety = [c for c in comments if SAFETY in (c.flags or ())]
    hostile = [c for c in comments if HOSTILE in (c.flags or ())]
    replied_posts = store_digest.post_texts(
        session, {c.delivery_id for c in (*needs_reply, *safety, *hostile)}
    )
    top_comments = store_digest.comment_counts(session, (p.delivery_id for p in summary.top_posts))

    notes = []
    unmeasured = sum(1 for p in summary.posts if not p.measured)
    if unmeasured:
        notes.append(
            f"{unmeasured} of {len(summary.posts)} posts have no engagement figures yet; "
            "they count as posts but not in the audience or the rates."
        )

    outcomes = _outcomes(session, week, zone)
    spend_rows = spend(
        session,
        start,
        end,
        boosts,
        start_day=week.monday,
        end_day=week.sunday + timedelta(days=1),
    )
    return DigestData(
        week=week,
        timezone=zone.key,
        department=settings.digest.department,
        generated_at=now,
        this_week=_figures(summary.totals, summary.comments),
        last_week=_previous(summary),
        top_posts=tuple(_top_post(p, zone, top_comments) for p in summary.top_posts),
        by_kind=_rows(summary.by_kind),
        by_platform=_rows(summary.by_platform),
        by_partner=_rows(a for a in summary.by_partner if a.key != "(none)"),
        sentiment_by_day=sentiment_by_day(comments, week, zone),
        needs_reply=tuple(_reply(c, zone, now, replied_posts) for c in needs_reply),
        needs_reply_total=len(needs_reply),
        safety=tuple(_reply(c, zone, now, replied_posts) for c in safety),
        hostile=tuple(_reply(c, zone, now, replied_posts) for c in hostile),
        problems=tuple(
            _problem(group, zone)
            for group in sorted(
                _grouped(store_digest.problems(session, start, end), "state", "reason"),
                # What needs a person first (failed, unknown), then what was skipped; by time.
                key=lambda g: (store_digest.PROBLEM_STATES.index(g[0].state), g[0].scheduled_at),
            )
        ),
        pull_failures=tuple(
            PullFailure(p.platform, p.error, p.at.astimezone(zone))
            for p in store_metrics.pull_problems(session)
        ),
        pauses=tuple(_pause(p, zone) for p in store_digest.pauses(session, start, end)),
        next_week=tuple(_scheduled(group, zone) for group in schedule),
        next_week_total=len(schedule),
        notes=tuple(notes),
        cost=_costs(spend_rows, outcomes),
        outcomes=outcomes,
        videos=summary.videos.sentence() if summary.videos else None,
    )


def _outcomes(session: Session, week: IsoWeek, zone: ZoneInfo) -> OutcomesWeek | None:
    result = outcomes_week(session, week, zone)
    return None if result.empty else result


# -- engagement -> digest rows -----------------------------------------------------------------


def _figures(totals: engagement.Aggregate, comments: engagement.CommentSummary) -> WeekFigures:
    return WeekFigures(
        posts_out=totals.posts,
        audience=totals.audience,
        interactions=totals.interactions,
        engagement_rate=totals.rate,
        comments=comments.total,
        positive=comments.positive,
        neutral=comments.neutral,
        negative=comments.negative,
    )


def _previous(summary: engagement.WeekEngagement) -> WeekFigures | None:
    # A first week has nothing to compare with; "+100%" against nothing would mislead.
    if summary.previous_totals.posts == 0 and summary.previous_comments.total == 0:
        return None
    return _figures(summary.previous_totals, summary.previous_comments)


def _rows(aggregates: Iterable[engagement.Aggregate]) -> tuple[GroupRow, ...]:
    return tuple(
        GroupRow(a.key, a.posts, a.audience, a.interactions, a.rate)
        for a in sorted(aggregates, key=lambda a: (-(a.rate or 0), -a.posts, a.key))
    )


def _top_post(row: engagement.PostRow, zone: ZoneInfo, counts: dict[int, int]) -> TopPost:
    return TopPost(
        text=row.text,
        platform=row.platform,
        kind=row.kind,
        campaign=row.campaign_id,
        published_local=row.published_at.astimezone(zone),
        url=row.url,
        audience=engagement.audience(row)[0] or 0,
        interactions=engagement.interactions(row),
        engagement_rate=engagement.engagement_rate(row),
        comments=counts.get(row.delivery_id, 0),
        partner=row.partner,
    )


# -- comments ------------------------------------------------------------------------------


def sentiment_by_day(
    comments: Iterable[CommentRecord], week: IsoWeek, zone: ZoneInfo
) -> tuple[DaySentiment, ...]:
    """Scored comments per local day of ``week``, Monday to Sunday (empty days included)."""
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    for comment in comments:
        if comment.sentiment_label:
            counts[comment.created_at.astimezone(zone).date()][comment.sentiment_label] += 1
    return tuple(
        DaySentiment(day, counts[day]["negative"], counts[day]["neutral"], counts[day]["positive"])
        for day in week.days()
    )


def _reply(
    comment: CommentRecord,
    zone: ZoneInfo,
    now: datetime,
    posts: dict[int, tuple[str, str | None]],
) -> ReplyNeeded:
    post_text, post_url = posts.get(comment.delivery_id, ("", None))
    return ReplyNeeded(
        text=comment.text,
        author=comment.author,
        platform=comment.platform,
        # Some platforms give no link to a comment (Instagram); it is answered on the post.
        url=comment.url or post_url,
        created_local=comment.created_at.astimezone(zone),
        age=max(now - comment.created_at, timedelta(0)),
        post_excerpt=post_text,
    )


# -- the ledger ----------------------------------------------------------------------------


def _grouped(rows: Sequence[DeliveryView], *extra: str) -> list[list[DeliveryView]]:
    """Rows of one post at one instant (and equal ``extra`` fields) together, in order."""
    groups: dict[tuple[Any, ...], list[DeliveryView]] = {}
    for row in rows:
        key = (
            row.campaign_id,
            row.post_id,
            row.scheduled_at,
            *(getattr(row, name) for name in extra),
        )
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _problem(rows: Sequence[DeliveryView], zone: ZoneInfo) -> Problem:
    first = rows[0]
    return Problem(
        state=first.state,
        platforms=tuple(r.platform for r in rows),
        kind=first.kind,
        excerpt=first.text,
        when_local=first.scheduled_at.astimezone(zone),
        reason=first.reason or "",
    )


def pause_scope(pause: PauseView) -> str:
    parts = []
    if pause.platform:
        parts.append(pause.platform)
    if pause.campaign_id:
        parts.append(f"campaign {pause.campaign_id}")
    return ", ".join(parts) or "everything"


def _pause(pause: PauseView, zone: ZoneInfo) -> PauseWindow:
    ended = pause.end
    return PauseWindow(
        scope=pause_scope(pause),
        started_local=pause.created_at.astimezone(zone),
        ended_local=ended.astimezone(zone) if ended else None,
        reason=pause.reason,
        by=pause.created_by,
    )


def _scheduled(rows: Sequence[DeliveryView], zone: ZoneInfo) -> Scheduled:
    first = rows[0]
    return Scheduled(
        at_local=first.scheduled_at.astimezone(zone),
        platforms=tuple(r.platform for r in rows),
        kind=first.kind,
        excerpt=first.text,
        campaign=first.campaign_name or first.campaign_id,
    )


def _costs(rows: list[Spend], outcomes: OutcomesWeek | None) -> tuple[CampaignCost, ...]:
    """Each campaign's spend this week, largest first, and what one application cost where
    the week brought any (applications attributed to the campaign, from the imports)."""
    applications = {g.key: g.applications for g in outcomes.by_campaign} if outcomes else {}
    totals: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for r in rows:
        totals[r.campaign_id] = totals.get(r.campaign_id, Decimal(0)) + r.total
        names.setdefault(r.campaign_id, r.campaign_name or r.campaign_id)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], names[item[0]]))
    return tuple(
        CampaignCost(
            names[campaign],
            dollars(usd),
            dollars(usd / applications[campaign]) if applications.get(campaign) else None,
        )
        for campaign, usd in ranked
    )
