"""The ledger tables. The schema is owned by the Alembic migrations in ``store/migrations``;
these classes must match them (a test compares the two).

Every instant is an aware UTC datetime (``UTCDateTime``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from store.timeutil import UTCDateTime, utc_now


class State(StrEnum):
    """Where a delivery is in its life. See docs/operations.md, "The ledger in one paragraph"."""

    PLANNED = "planned"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    UNKNOWN = "unknown"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class Delivery(SQLModel, table=True):
    """One post x platform x scheduled instant: the unit that goes out at most once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_state_due", "state", "due_at"),
        Index("ix_deliveries_state_platform", "state", "platform"),  # 0004_ledger_indexes
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=400, unique=True)
    campaign_id: str = Field(max_length=200, index=True)
    campaign_name: str = Field(default="", max_length=400)
    post_id: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    platform: str = Field(max_length=40, index=True)
    occurrence: str = Field(max_length=100)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # When the daemon should next act: the scheduled instant, or later after a deferral
    # (quota, rate limit, backoff), or the time to reconcile an unknown outcome.
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    timezone: str = Field(max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    media: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    link: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    partner: str | None = Field(default=None, max_length=400)
    approved_by: str | None = Field(default=None, max_length=200)
    source_file: str = Field(default="", sa_column=Column(Text, nullable=False))
    source_line: int = 0
    content_hash: str = Field(max_length=64)

    state: str = Field(default=State.PLANNED, max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attempt_count: int = 0  # requests that left (or may have left) for the platform
    transient_errors: int = 0  # failures that provably did not apply; bounded by max_attempts
    current_attempt_id: str | None = Field(default=None, max_length=36)
    resume: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

    platform_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    # Who holds the row while it is publishing or being reconciled, and until when. A lease
    # that expires (its daemon died) makes the row eligible for reconciliation by another.
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)


class Attempt(SQLModel, table=True):
    """One try at a delivery: a publish (``kind="publish"``) or a reconciliation."""

    __tablename__ = "attempts"
    # 0005_attempt_outcome_index: the rate-limit check of every claim finds the few
    # "rate_limited" attempts without reading all of them.
    __table_args__ = (Index("ix_attempts_outcome", "outcome"),)

    id: str = Field(primary_key=True, max_length=36)  # uuid4, also given to the connector log
    delivery_id: int = Field(foreign_key="deliveries.id", index=True)
    kind: str = Field(default="publish", max_length=16)
    number: int = 1
    owner: str = Field(max_length=200)
    claimed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Set, and committed, immediately before the request leaves. A row left "publishing"
    # without it provably never reached the platform.
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    outcome: str | None = Field(default=None, max_length=32)
    message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Pause(SQLModel, table=True):
    """The crisis switch. No scope = everything; else one platform and/or one campaign."""

    __tablename__ = "pauses"

    id: int | None = Field(default=None, primary_key=True)
    platform: str | None = Field(default=None, max_length=40)
    campaign_id: str | None = Field(default=None, max_length=200)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True, index=True)
    ended_by: str | None = Field(default=None, max_length=200)


class AuditEntry(SQLModel, table=True):
    """Every state change of a delivery, pause or campaign file: when, what, why, who."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    entity_type: str = Field(max_length=32)
    entity_id: str = Field(max_length=400)
    from_state: str | None = Field(default=None, max_length=32)
    to_state: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor: str = Field(max_length=200)


class CampaignFile(SQLModel, table=True):
    """The last validation result of each campaign file, so ``status`` can show invalid ones."""

    __tablename__ = "campaign_files"

    path: str = Field(primary_key=True, max_length=1000)
    ok: bool
    diagnostics: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    checked_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_good_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class LedgerControl(SQLModel, table=True):
    """One row per lock name. Claims hold it shared, ``pause`` exclusively (PostgreSQL), so a
    pause and a claim are strictly ordered: a claim either sees the pause or finishes first."""

    __tablename__ = "ledger_control"

    name: str = Field(primary_key=True, max_length=40)
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


LEDGER_LOCK = "ledger"
