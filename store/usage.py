"""What beatpost used of the platforms' APIs in a period: posts published and items read.

Read by ``analysis.cost`` to turn usage into the platform's fees. Reads are counted the way
X bills them: each post read once per UTC day (X deduplicates within a day), each comment once
(ingested comments are stored once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from store.metrics_models import CommentRecord, MetricSnapshotRecord
from store.models import Delivery, State


@dataclass(frozen=True)
class Usage:
    """One campaign on one platform in a period."""

    campaign_id: str
    campaign_name: str
    platform: str
    posts: int = 0
    posts_with_link: int = 0
    reads: int = 0


def api_usage(
    session: Session, start: datetime, end: datetime, platforms: Sequence[str] | None = None
) -> list[Usage]:
    """Posts published and items read with ``start <= instant < end``, per campaign and
    platform (only ``platforms`` when given), sorted by campaign then platform."""
    names: dict[str, str] = {}
    posts: Counter[tuple[str, str]] = Counter()
    linked: Counter[tuple[str, str]] = Counter()
    reads: Counter[tuple[str, str]] = Counter()

    published = select(
        Delivery.campaign_id, Delivery.campaign_name, Delivery.platform, Delivery.link
    ).where(
        Delivery.state == State.PUBLISHED,
        Delivery.published_at >= start,
        Delivery.published_at < end,
    )
    snaps = (
        select(
            Delivery.campaign_id,
            Delivery.campaign_name,
            Delivery.platform,
            MetricSnapshotRecord.delivery_id,
            MetricSnapshotRecord.taken_at,
        )
        .join(Delivery, Delivery.id == MetricSnapshotRecord.delivery_id)
        .where(MetricSnapshotRecord.taken_at >= start, MetricSnapshotRecord.taken_at < end)
    )
    comments = (
        select(
            Delivery.campaign_id,
            Delivery.campaign_name,
            Delivery.platform,
            func.count(CommentRecord.id),
        )
        .join(Delivery, Delivery.id == CommentRecord.delivery_id)
        .where(CommentRecord.ingested_at >= start, CommentRecord.ingested_at < end)
        .group_by(Delivery.campaign_id, Delivery.campaign_name, Delivery.platform)
    )
    if platforms is not None:
        published = published.where(Delivery.platform.in_(list(platforms)))
        snaps = snaps.where(Delivery.platform.in_(list(platforms)))
        comments = comments.where(Delivery.platform.in_(list(platforms)))

    for campaign, name, platform, link in session.execute(published):
        names[campaign] = name
        posts[campaign, platform] += 1
        linked[campaign, platform] += bool(link)
    days: set[tuple[str, str, int, object]] = set()
    for campaign, name, platform, delivery_id, taken_at in session.execute(snaps):
        names[campaign] = name
        days.add((campaign, platform, delivery_id, taken_at.date()))
    for campaign, platform, _delivery, _day in days:
        reads[campaign, platform] += 1
    for campaign, name, platform, count in session.execute(comments):
        names[campaign] = name
        reads[campaign, platform] += count
    keys = sorted(set(posts) | set(reads))
    return [Usage(c, names.get(c, c), p, posts[c, p], linked[c, p], reads[c, p]) for c, p in keys]
