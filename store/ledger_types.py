"""What the ledger and sync hand out: detached copies of ledger rows (deliveries, pauses),
claims and their policy, and the status, resume and sync reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo

from store.models import Delivery


def iso(value: datetime | None) -> str | None:
    """An instant as JSON shows it (``2026-11-30T14:00:00Z``)."""
    return value.isoformat().replace("+00:00", "Z") if value else None


def detached(cls: Any, row: Any, **converted: Any) -> Any:
    """A ``cls`` dataclass filled from ``row``'s attributes of the same names, ``converted``
    taking the place of those that need copying (a row's JSON lists and dicts)."""
    assert row.id is not None
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in converted}
    return cls(**values, **converted)


class RowView:
    """A dataclass copy of a table row with the same field names, read after its session ends."""

    @classmethod
    def of(cls, row: Any) -> Self:
        return detached(cls, row)


@dataclass(frozen=True)
class DeliveryView:
    id: int
    key: str
    campaign_id: str
    campaign_name: str
    post_id: str
    kind: str
    platform: str
    occurrence: str
    scheduled_at: datetime
    due_at: datetime
    timezone: str
    text: str
    media: tuple[dict[str, str], ...]
    link: str | None
    approved_by: str | None
    source_file: str
    state: str
    reason: str | None
    attempt_count: int
    transient_errors: int
    resume: dict[str, str]
    platform_id: str | None
    url: str | None
    published_at: datetime | None

    @classmethod
    def of(cls, row: Delivery) -> DeliveryView:
        return detached(
            cls, row, media=tuple(dict(m) for m in row.media), resume=dict(row.resume or {})
        )

    @property
    def scheduled_local(self) -> datetime:
        return self.scheduled_at.astimezone(ZoneInfo(self.timezone))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "campaign": self.campaign_id,
            "post": self.post_id,
            "platform": self.platform,
            "state": self.state,
            "scheduled_at": iso(self.scheduled_at),
            "scheduled_local": self.scheduled_local.isoformat(),
            "due_at": iso(self.due_at),
            "reason": self.reason,
            "attempts": self.attempt_count,
            "platform_id": self.platform_id,
            "url": self.url,
            "published_at": iso(self.published_at),
        }


@dataclass(frozen=True)
class PauseView(RowView):
    id: int
    platform: str | None
    campaign_id: str | None
    reason: str
    created_by: str
    created_at: datetime
    until: datetime | None
    ended_at: datetime | None
    ended_by: str | None

    @property
    def scope(self) -> str:
        parts = []
        if self.platform:
            parts.append(f"platform {self.platform}")
        if self.campaign_id:
            parts.append(f"campaign {self.campaign_id}")
        return ", ".join(parts) or "everything"

    @property
    def end(self) -> datetime | None:
        """When the pause ended or ends: resumed, or its ``until``, whichever is first."""
        ends = [t for t in (self.ended_at, self.until) if t is not None]
        return min(ends) if ends else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scope": self.scope,
            "platform": self.platform,
            "campaign": self.campaign_id,
            "reason": self.reason,
            "by": self.created_by,
            "since": iso(self.created_at),
            "until": iso(self.until),
        }


@dataclass(frozen=True)
class ClaimPolicy:
    """How the daemon decides at claim time (all from settings)."""

    grace: timedelta = timedelta(minutes=15)
    require_approval: bool = False
    quotas: dict[str, int] = field(default_factory=dict)  # platform -> posts per 24 h
    disabled: frozenset[str] = frozenset()  # platforms switched off in settings
    lease: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class Claim:
    """A delivery held by one daemon: to publish, or to reconcile an uncertain attempt."""

    attempt_id: str
    kind: Literal["publish", "reconcile"]
    delivery: DeliveryView
    since: datetime | None = None  # reconcile: earliest moment a request may have left


@dataclass(frozen=True)
class SyncChange:
    action: Literal["add", "update", "cancel"]
    key: str
    platform: str
    at: datetime
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": iso(self.at)}


@dataclass(frozen=True)
class SyncReport:
    changes: tuple[SyncChange, ...] = ()
    invalid_files: tuple[str, ...] = ()
    dry_run: bool = False

    def of(self, action: str) -> list[SyncChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class InvalidFile:
    path: str
    diagnostics: tuple[dict[str, Any], ...]
    since: datetime

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "since": iso(self.since), "diagnostics": list(self.diagnostics)}


@dataclass(frozen=True)
class ResumeReport:
    """What a resume did: pauses ended now, pauses that had ended by themselves whose skipped
    deliveries were caught up, and the deliveries skipped or made due now."""

    ended: tuple[PauseView, ...]
    ended_before: tuple[PauseView, ...]
    skipped: tuple[DeliveryView, ...]
    caught_up: tuple[DeliveryView, ...]


@dataclass(frozen=True)
class StatusReport:
    now: datetime
    upcoming: tuple[DeliveryView, ...]
    recent: tuple[DeliveryView, ...]
    attention: tuple[DeliveryView, ...]  # failed and unknown: a person must look
    deferred: tuple[DeliveryView, ...]  # planned, waiting past their time with a reason
    pauses: tuple[PauseView, ...]
    invalid_files: tuple[InvalidFile, ...]
    counts: dict[str, int]
    # planned, their time passed under an active pause: skipped on resume unless --catch-up
    held: tuple[DeliveryView, ...] = ()
    skipped: tuple[DeliveryView, ...] = ()  # skipped recently, with the reason

    def to_json(self) -> dict[str, Any]:
        return {
            "now": iso(self.now),
            "counts": self.counts,
            "pauses": [p.to_json() for p in self.pauses],
            "attention": [d.to_json() for d in self.attention],
            "deferred": [d.to_json() for d in self.deferred],
            "upcoming": [d.to_json() for d in self.upcoming],
            "recent": [d.to_json() for d in self.recent],
            "invalid_files": [f.to_json() for f in self.invalid_files],
            "held": [d.to_json() for d in self.held],
            "skipped": [d.to_json() for d in self.skipped],
        }
