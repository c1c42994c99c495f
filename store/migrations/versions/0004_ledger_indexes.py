"""Ledger index for per-platform counts (posting quotas, work in flight)."""

from __future__ import annotations

from alembic import op

revision = "0004_ledger_indexes"
down_revision = "0003_digest"


def upgrade() -> None:
    # Every claim counts a platform's recent and in-flight posts; without this index the
    # count walks all of that platform's rows (thousands once a year is planned).
    op.create_index("ix_deliveries_state_platform", "deliveries", ["state", "platform"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_state_platform", table_name="deliveries")
