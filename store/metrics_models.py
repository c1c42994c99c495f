"""Engagement tables: metric snapshots, comments, pull cursors and per-platform pull state.

The schema is owned by the Alembic migration ``0002_metrics``; these classes must match it.
Every instant is an aware UTC datetime (``UTCDateTime``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.timeutil import UTCDateTime, utc_now


class SnapshotCounts(SQLModel):
    """A snapshot's figures, each NULL where the platform does not give it; their names are
    ``store.metrics.COUNT_FIELDS`` (and ``connectors.base.MetricSnapshot``'s, which a test
    holds equal)."""

    views: int | None = None  # impressions, plays
    reach: int | None = None  # distinct accounts reached
    reactions: int | None = None  # likes, reactions, favourites
    shares: int | None = None  # shares, reposts, boosts
    replies: int | None = None  # replies, comments
    link_clicks: int | None = None
    saves: int | None = None
    quotes: int | None = None
    bookmarks: int | None = None


class MetricSnapshotRecord(SnapshotCounts, table=True):
    """Engagement of one published delivery at one moment: a time series per delivery.

    ``slot`` is the scheduled age this snapshot fulfils (``"6h"``), or ``None`` for one taken
    off schedule (``beatpost pull --backfill``). ``age_seconds`` is the real age when taken,
    which differs from the slot after downtime. A figure the platform does not give is NULL.
    """

    __tablename__ = "metric_snapshots"
    __table_args__ = (
        # One snapshot per scheduled slot, even with two daemons pulling (NULL slots repeat).
        UniqueConstraint("delivery_id", "slot", name="uq_metric_snapshots_slot"),
        Index("ix_metric_snapshots_delivery_taken", "delivery_id", "taken_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="deliveries.id")
    platform: str = Field(max_length=40)
    slot: str | None = Field(default=None, max_length=16)
    taken_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    age_seconds: int
    extras: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CommentRecord(SQLModel, table=True):
    """A public reply or comment on one of our deliveries, scored and flagged on ingest.

    ``(platform, platform_comment_id)`` is unique: a comment seen by two pulls is stored once.
    """

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("platform", "platform_comment_id", name="uq_comments_platform_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=40)
    platform_comment_id: str = Field(max_length=200)
    delivery_id: int = Field(foreign_key="deliveries.id", index=True)
    post_platform_id: str = Field(max_length=200)
    parent_id: str | None = Field(default=None, max_length=200)
    author: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    sentiment_label: str | None = Field(default=None, max_length=16)
    sentiment_score: float | None = None
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ingested_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
    # The triage result (analysis.triage): stance toward the department, its signed score,
    # and the comment's language (ISO 639-1). None until the comment is scored.
    stance: str | None = Field(default=None, max_length=16)
    stance_score: float | None = None
    lang: str | None = Field(default=None, max_length=8)


class PullCursor(SQLModel, table=True):
    """Where the pull schedule stands for one delivery.

    ``next_metrics_slot`` / ``next_comments_slot`` name the pending slot of each track
    (``None``: finished); ``next_due_at`` is the earlier of their due instants, so a pull
    finds its work with one indexed comparison. ``comments_since`` is the newest comment
    time seen, passed to ``fetch_comments`` so each pull asks only for what is new.
    """

    __tablename__ = "pull_cursors"

    delivery_id: int = Field(foreign_key="deliveries.id", primary_key=True)
    platform: str = Field(max_length=40)
    next_metrics_slot: str | None = Field(default=None, max_length=16)
    next_metrics_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    next_comments_slot: str | None = Field(default=None, max_length=16)
    next_comments_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    next_due_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, nullable=True, index=True
    )
    comments_since: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_comment_id: str | None = Field(default=None, max_length=200)
    last_metrics_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_comments_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    missed_slots: int = 0  # came due but not measured (downtime, budget, window closed)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)


class PlatformPullState(SQLModel, table=True):
    """Per platform: reads spent today (UTC) against its budget, and a rate-limit block."""

    __tablename__ = "pull_platform_state"

    platform: str = Field(primary_key=True, max_length=40)
    budget_day: date
    reads_used: int = 0
    requests_used: int = 0
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
