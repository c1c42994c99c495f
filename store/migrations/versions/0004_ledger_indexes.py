"""Ledger index for per-platform counts (posting quotas, work in flight).

Revision ID: 0004_ledger_indexes
Revises: 0003_digest
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0004_ledger_indexes"
down_revision = "0003_digest"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every claim counts a platform's recent and in-flight posts; without this index the
    # count walks all of that platform's rows (thousands once a year is planned).
    op.create_index("ix_deliveries_state_platform", "deliveries", ["state", "platform"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_state_platform", table_name="deliveries")
