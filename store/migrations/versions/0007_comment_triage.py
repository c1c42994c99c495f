"""Comment triage: stance, its score and the language of each comment.

Existing rows keep NULL here; ``beatpost rescore`` fills them (and the new
``safety`` and ``critical`` flags) from the stored text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_comment_triage"
down_revision = "0006_comment_replies"


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("stance", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("stance_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lang", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("lang")
        batch.drop_column("stance_score")
        batch.drop_column("stance")
