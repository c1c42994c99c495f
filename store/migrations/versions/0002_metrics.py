"""Engagement: metric snapshots, comments, pull cursors, per-platform pull state."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.timeutil import UTCDateTime

revision = "0002_metrics"
down_revision = "0001_ledger"

_COUNTS = (
    "views",
    "reach",
    "reactions",
    "shares",
    "replies",
    "link_clicks",
    "saves",
    "quotes",
    "bookmarks",
)


def upgrade() -> None:
    op.create_table(
        "metric_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("deliveries.id"), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.String(length=16), nullable=True),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("age_seconds", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in _COUNTS),
        sa.Column("extras", sa.JSON(), nullable=False),
        sa.UniqueConstraint("delivery_id", "slot", name="uq_metric_snapshots_slot"),
    )
    op.create_index(
        "ix_metric_snapshots_delivery_taken", "metric_snapshots", ["delivery_id", "taken_at"]
    )

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("platform_comment_id", sa.String(length=200), nullable=False),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("deliveries.id"), nullable=False),
        sa.Column("post_platform_id", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("sentiment_label", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("ingested_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("platform", "platform_comment_id", name="uq_comments_platform_id"),
    )
    op.create_index("ix_comments_delivery_id", "comments", ["delivery_id"])
    op.create_index("ix_comments_created_at", "comments", ["created_at"])

    op.create_table(
        "pull_cursors",
        sa.Column(
            "delivery_id",
            sa.Integer(),
            sa.ForeignKey("deliveries.id"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("next_metrics_slot", sa.String(length=16), nullable=True),
        sa.Column("next_metrics_at", UTCDateTime(), nullable=True),
        sa.Column("next_comments_slot", sa.String(length=16), nullable=True),
        sa.Column("next_comments_at", UTCDateTime(), nullable=True),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("comments_since", UTCDateTime(), nullable=True),
        sa.Column("last_comment_id", sa.String(length=200), nullable=True),
        sa.Column("last_metrics_at", UTCDateTime(), nullable=True),
        sa.Column("last_comments_at", UTCDateTime(), nullable=True),
        sa.Column("missed_slots", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_pull_cursors_next_due_at", "pull_cursors", ["next_due_at"])

    op.create_table(
        "pull_platform_state",
        sa.Column("platform", sa.String(length=40), primary_key=True),
        sa.Column("budget_day", sa.Date(), nullable=False),
        sa.Column("reads_used", sa.Integer(), nullable=False),
        sa.Column("requests_used", sa.Integer(), nullable=False),
        sa.Column("blocked_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pull_platform_state")
    op.drop_index("ix_pull_cursors_next_due_at", table_name="pull_cursors")
    op.drop_table("pull_cursors")
    op.drop_index("ix_comments_created_at", table_name="comments")
    op.drop_index("ix_comments_delivery_id", table_name="comments")
    op.drop_table("comments")
    op.drop_index("ix_metric_snapshots_delivery_taken", table_name="metric_snapshots")
    op.drop_table("metric_snapshots")
