"""Index attempts by outcome, for the rate-limit check of every claim and wake."""

from __future__ import annotations

from alembic import op

revision = "0005_attempt_outcome_index"
down_revision = "0004_ledger_indexes"


def upgrade() -> None:
    # Every claim and every next_wake looks up the attempts a platform refused with a rate
    # limit (store.ledger._rate_limited). Refusals are few, attempts grow by one per post
    # forever: without this index each look-up reads the whole attempts table.
    op.create_index("ix_attempts_outcome", "attempts", ["outcome"])


def downgrade() -> None:
    op.drop_index("ix_attempts_outcome", table_name="attempts")
