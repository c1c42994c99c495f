"""The comments inbox: what a person decided about a comment, and the replies sent from here.

The schema is owned by the Alembic migration ``0006_comment_replies``; these classes must
match it. Every instant is an aware UTC datetime (``UTCDateTime``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.timeutil import UTCDateTime, utc_now


class Mark(StrEnum):
    """What a person did about a comment (``beatpost comments mark``)."""

    REPLIED = "replied"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


# Marks that take a comment off the "needs a reply" lists (status, digest, the inbox).
HANDLED = (Mark.REPLIED, Mark.DISMISSED)


class ReplyState(StrEnum):
    """Where a reply is. ``sending`` -> ``sent`` | ``failed`` | ``unknown``;
    ``unknown`` -> ``sent`` | ``failed`` (by reconciliation, never by sending again)."""

    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"
    FAILED = "failed"


class CommentMark(SQLModel, table=True):
    """The latest mark of a comment; every mark is also an audit_log row (entity "comment")."""

    __tablename__ = "comment_marks"

    comment_id: int = Field(foreign_key="comments.id", primary_key=True)
    state: str = Field(max_length=16)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    marked_by: str = Field(max_length=200)
    marked_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class CommentReply(SQLModel, table=True):
    """A reply to one comment: goes out at most once, like a delivery.

    One row per comment (the unique constraint is the claim). ``sent_at`` is set, and
    committed, immediately before the request leaves; a row left ``sending`` without it
    provably never reached the platform.
    """

    __tablename__ = "comment_replies"
    __table_args__ = (UniqueConstraint("comment_id", name="uq_comment_replies_comment"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comments.id")
    platform: str = Field(max_length=40)
    target_id: str = Field(max_length=200)  # the platform's id of the comment answered
    post_platform_id: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default=ReplyState.SENDING, max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attempt_count: int = 0  # requests that left (or may have left) for the platform
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    platform_reply_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
