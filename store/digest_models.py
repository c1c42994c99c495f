"""Weekly digest sends: one row per ISO week and recipient list, so a digest goes out once.

The unique key ``(week, recipients_hash)`` is the claim: whoever inserts the row (or flips a
failed or abandoned one back to ``sending`` with a conditional UPDATE) sends; everyone else
sees the row and stands down. Changing the recipient list makes a new key, so new
recipients are not silently left without that week's digest.

The schema is owned by the Alembic migration ``0003_digest``; this class must match it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.timeutil import UTCDateTime, utc_now


class DigestStatus(StrEnum):
    SENDING = "sending"  # claimed; SMTP in progress (or its sender died: see claimed_at)
    SENT = "sent"
    FAILED = "failed"  # every try failed; retried after next_attempt_at


class DigestSend(SQLModel, table=True):
    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("week", "recipients_hash", name="uq_digest_sends_week"),)

    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=8, index=True)  # "2027-W10"
    recipients_hash: str = Field(max_length=64)
    recipient_count: int = 0
    status: str = Field(default=DigestStatus.SENDING, max_length=16)
    attempts: int = 0  # SMTP conversations tried, over all rounds
    rounds: int = 0  # claims that ended in failure; drives the backoff between rounds
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    claimed_by: str | None = Field(default=None, max_length=200)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    message_id: str | None = Field(default=None, max_length=400)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
