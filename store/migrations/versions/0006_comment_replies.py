"""The comments inbox: marks (replied, dismissed, escalated) and replies sent at most once."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.timeutil import UTCDateTime

revision = "0006_comment_replies"
down_revision = "0005_attempt_outcome_index"


def upgrade() -> None:
    op.create_table(
        "comment_marks",
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("comments.id"), primary_key=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "comment_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("comments.id"), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("post_platform_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("platform_reply_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("replied_at", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # The claim: a second reply to the same comment cannot be inserted.
        sa.UniqueConstraint("comment_id", name="uq_comment_replies_comment"),
    )


def downgrade() -> None:
    op.drop_table("comment_replies")
    op.drop_table("comment_marks")
