"""Recruitment outcomes: applications from the applicant-tracking system and careers-page
visits from the web analytics tool, each attributed to a campaign, post, platform and partner.

The schema is owned by the Alembic migration ``0008_outcomes``; these classes must match it.
No applicant's name, email or phone number is ever stored: an application is a date, a
stage, what it was attributed from, and an opaque key (a keyed hash) that makes a re-import
of the same export change nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.timeutil import UTCDateTime, utc_now


class ApplicationRecord(SQLModel, table=True):
    """One application, as exported by the applicant-tracking system ``source``.

    ``(source, applicant_key)`` is unique: importing the same export again updates the stage
    (an applicant hired since) and nothing else. The ``utm_*`` values come from the referral
    URL, ``answer`` is the "how did you hear about us" text with contact details blanked;
    ``campaign_id`` to ``method`` are the attribution drawn from them (rebuildable).
    """

    __tablename__ = "outcome_applications"
    __table_args__ = (
        UniqueConstraint("source", "applicant_key", name="uq_outcome_applications_key"),
        Index("ix_outcome_applications_applied_on", "applied_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=80)
    applicant_key: str = Field(max_length=64)
    applied_on: date
    stage: str = Field(default="applied", max_length=16)  # applied | tested | hired
    utm_source: str | None = Field(default=None, max_length=200)
    utm_medium: str | None = Field(default=None, max_length=200)
    utm_campaign: str | None = Field(default=None, max_length=200)
    utm_content: str | None = Field(default=None, max_length=200)
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    campaign_id: str | None = Field(default=None, max_length=200)
    post_id: str | None = Field(default=None, max_length=200)
    kind: str | None = Field(default=None, max_length=40)
    platform: str | None = Field(default=None, max_length=40)
    partner: str | None = Field(default=None, max_length=400)
    method: str = Field(default="none", max_length=16)  # utm | answer | none
    imported_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)


class VisitRecord(SQLModel, table=True):
    """Careers-page visits on one day from one tagged link (one ``utm_*`` combination).

    ``(source, day, utm_source, utm_medium, utm_campaign, utm_content)`` is unique (missing
    tags are stored as ``""``): a re-import replaces the count rather than adding to it.
    """

    __tablename__ = "outcome_visits"
    __table_args__ = (
        UniqueConstraint(
            "source",
            "day",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            name="uq_outcome_visits_day_tags",
        ),
        Index("ix_outcome_visits_day", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=80)
    day: date
    utm_source: str = Field(default="", max_length=200)
    utm_medium: str = Field(default="", max_length=200)
    utm_campaign: str = Field(default="", max_length=200)
    utm_content: str = Field(default="", max_length=200)
    visits: int = 0
    campaign_id: str | None = Field(default=None, max_length=200)
    post_id: str | None = Field(default=None, max_length=200)
    kind: str | None = Field(default=None, max_length=40)
    platform: str | None = Field(default=None, max_length=40)
    partner: str | None = Field(default=None, max_length=400)
    imported_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)
