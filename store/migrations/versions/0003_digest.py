"""Weekly digest sends: one row per ISO week and recipient list (the send-once claim)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.timeutil import UTCDateTime

revision = "0003_digest"
down_revision = "0002_metrics"


def upgrade() -> None:
    op.create_table(
        "digest_sends",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("recipients_hash", sa.String(length=64), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.String(length=400), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # The claim: inserting a second row for the same week and recipients fails.
        sa.UniqueConstraint("week", "recipients_hash", name="uq_digest_sends_week"),
    )
    op.create_index("ix_digest_sends_week", "digest_sends", ["week"])


def downgrade() -> None:
    op.drop_index("ix_digest_sends_week", table_name="digest_sends")
    op.drop_table("digest_sends")
