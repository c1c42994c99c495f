"""Recruitment outcomes: applications and careers-page visits, attributed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.timeutil import UTCDateTime

revision = "0008_outcomes"
down_revision = "0007_comment_triage"


def _attribution() -> list[sa.Column]:
    return [
        sa.Column("campaign_id", sa.String(length=200), nullable=True),
        sa.Column("post_id", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("platform", sa.String(length=40), nullable=True),
        sa.Column("partner", sa.String(length=400), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "outcome_applications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("applicant_key", sa.String(length=64), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("utm_source", sa.String(length=200), nullable=True),
        sa.Column("utm_medium", sa.String(length=200), nullable=True),
        sa.Column("utm_campaign", sa.String(length=200), nullable=True),
        sa.Column("utm_content", sa.String(length=200), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        *_attribution(),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # A re-import of the same export finds its rows instead of adding them again.
        sa.UniqueConstraint("source", "applicant_key", name="uq_outcome_applications_key"),
    )
    op.create_index("ix_outcome_applications_applied_on", "outcome_applications", ["applied_on"])
    op.create_table(
        "outcome_visits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("utm_source", sa.String(length=200), nullable=False),
        sa.Column("utm_medium", sa.String(length=200), nullable=False),
        sa.Column("utm_campaign", sa.String(length=200), nullable=False),
        sa.Column("utm_content", sa.String(length=200), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        *_attribution(),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint(
            "source",
            "day",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            name="uq_outcome_visits_day_tags",
        ),
    )
    op.create_index("ix_outcome_visits_day", "outcome_visits", ["day"])


def downgrade() -> None:
    op.drop_index("ix_outcome_visits_day", table_name="outcome_visits")
    op.drop_table("outcome_visits")
    op.drop_index("ix_outcome_applications_applied_on", table_name="outcome_applications")
    op.drop_table("outcome_applications")
