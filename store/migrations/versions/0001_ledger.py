"""The delivery ledger: deliveries, attempts, pauses, audit log, campaign file status."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.timeutil import UTCDateTime

revision = "0001_ledger"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("campaign_id", sa.String(length=200), nullable=False),
        sa.Column("campaign_name", sa.String(length=400), nullable=False),
        sa.Column("post_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("occurrence", sa.String(length=100), nullable=False),
        sa.Column("scheduled_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("partner", sa.String(length=400), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempt_count", sa.Integer(), nullable=False),
        sa.Column("transient_errors", sa.Integer(), nullable=False),
        sa.Column("current_attempt_id", sa.String(length=36), nullable=True),
        sa.Column("resume", sa.JSON(), nullable=False),
        sa.Column("platform_id", sa.String(length=200), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_deliveries_campaign_id", "deliveries", ["campaign_id"])
    op.create_index("ix_deliveries_platform", "deliveries", ["platform"])
    op.create_index("ix_deliveries_state_due", "deliveries", ["state", "due_at"])

    op.create_table(
        "attempts",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("deliveries.id"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
    )
    op.create_index("ix_attempts_delivery_id", "attempts", ["delivery_id"])

    op.create_table(
        "pauses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(length=40), nullable=True),
        sa.Column("campaign_id", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_pauses_ended_at", "pauses", ["ended_at"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=400), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_type", "entity_id"])

    op.create_table(
        "campaign_files",
        sa.Column("path", sa.String(length=1000), primary_key=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("diagnostics", sa.JSON(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
        sa.Column("last_good_at", UTCDateTime(), nullable=True),
    )

    control = op.create_table(
        "ledger_control",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("changed_at", UTCDateTime(), nullable=True),
    )
    op.bulk_insert(control, [{"name": "ledger", "changed_at": None}])


def downgrade() -> None:
    op.drop_table("ledger_control")
    op.drop_table("campaign_files")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_pauses_ended_at", table_name="pauses")
    op.drop_table("pauses")
    op.drop_index("ix_attempts_delivery_id", table_name="attempts")
    op.drop_table("attempts")
    op.drop_index("ix_deliveries_state_due", table_name="deliveries")
    op.drop_index("ix_deliveries_platform", table_name="deliveries")
    op.drop_index("ix_deliveries_campaign_id", table_name="deliveries")
    op.drop_table("deliveries")
