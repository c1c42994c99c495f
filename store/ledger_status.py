"""Reading the ledger: deliveries, attempts, the audit log, pauses and the status report."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import false, func, not_, or_, select, true
from sqlmodel import col

from store.engine import read_session
from store.ledger_base import (
    LedgerBase,
    LedgerError,
    _active_pauses,
    _aware,
    _not_paused,
    _rate_limited,
    _views,
)
from store.ledger_types import (
    DeliveryView,
    InvalidFile,
    PauseView,
    StatusReport,
)
from store.models import (
    Attempt,
    AuditEntry,
    CampaignFile,
    Delivery,
    Pause,
    State,
)
from store.timeutil import utc_now


class StatusQueries(LedgerBase):
    # -- reading -------------------------------------------------------------------------
    def get(self, delivery_id: int) -> DeliveryView:
        with read_session(self.engine) as session:
            row = session.get(Delivery, delivery_id)
            if row is None:
                raise LedgerError(f"no delivery with id {delivery_id}")
            return DeliveryView.of(row)

    def campaign_ids(self) -> list[str]:
        """The campaigns the ledger holds deliveries of (synced at least once)."""
        with read_session(self.engine) as session:
            stmt = select(Delivery.campaign_id).distinct().order_by(col(Delivery.campaign_id))
            return list(session.scalars(stmt))

    def deliveries(self, *states: State) -> list[DeliveryView]:
        with read_session(self.engine) as session:
            stmt = select(Delivery).order_by(col(Delivery.scheduled_at), col(Delivery.id))
            if states:
                stmt = stmt.where(col(Delivery.state).in_([str(s) for s in states]))
            return [DeliveryView.of(r) for r in session.scalars(stmt)]

    def audit_log(
        self, entity_type: str | None = None, entity_id: str | None = None
    ) -> list[AuditEntry]:
        with read_session(self.engine) as session:
            stmt = select(AuditEntry).order_by(col(AuditEntry.id))
            if entity_type:
                stmt = stmt.where(col(AuditEntry.entity_type) == entity_type)
            if entity_id:
                stmt = stmt.where(col(AuditEntry.entity_id) == entity_id)
            return list(session.scalars(stmt))

    def attempts(self, delivery_id: int) -> list[Attempt]:
        with read_session(self.engine) as session:
            stmt = (
                select(Attempt)
                .where(col(Attempt.delivery_id) == delivery_id)
                .order_by(col(Attempt.claimed_at))
            )
            return list(session.scalars(stmt))

    def active_pauses(self, now: datetime | None = None) -> list[PauseView]:
        with read_session(self.engine) as session:
            return [PauseView.of(p) for p in _active_pauses(session, now or utc_now())]

    def next_wake(self, now: datetime, *, skip_platforms: Collection[str] = ()) -> datetime | None:
        """The next instant the daemon has something to do (None: nothing planned).

        ``skip_platforms``: platforms whose work waits for something else (a request in
        flight); their deliveries do not count."""
        with read_session(self.engine) as session:
            pauses = _active_pauses(session, now)
            held = _rate_limited(session, now)
            busy = set(held) | set(skip_platforms)
            not_busy = col(Delivery.platform).not_in(list(busy)) if busy else true()
            candidates: list[datetime | None] = [
                # ORDER BY ... LIMIT 1 rather than min(): the index on (state, due_at) is
                # walked in order and stops at the first row that passes the filters.
                session.scalar(
                    select(Delivery.due_at)
                    .where(col(Delivery.state) == State.PLANNED, _not_paused(pauses), not_busy)
                    .order_by(col(Delivery.due_at))
                    .limit(1)
                ),
                # A rate-limited platform's deliveries wait for its reset (the refused
                # delivery is due then; others may be overdue already).
                *(at for platform, at in held.items() if platform not in skip_platforms),
                session.scalar(
                    select(func.min(Delivery.due_at)).where(
                        col(Delivery.state) == State.UNKNOWN,
                        col(Delivery.platform).not_in(list(skip_platforms))
                        if skip_platforms
                        else true(),
                    )
                ),
                session.scalar(
                    select(func.min(Delivery.lease_expires_at)).where(
                        col(Delivery.state) == State.PUBLISHING
                    )
                ),
                session.scalar(select(func.min(Pause.until)).where(col(Pause.ended_at).is_(None))),
            ]
        # func.min bypasses the column type on some backends; normalise.
        found = [_aware(c) for c in candidates if c is not None]
        return min(found) if found else None

    def status(
        self, now: datetime | None = None, *, upcoming: int = 10, recent_days: int = 7
    ) -> StatusReport:
        now = now or utc_now()
        with read_session(self.engine) as session:
            pauses = _active_pauses(session, now)
            up = session.scalars(
                select(Delivery)
                .where(
                    col(Delivery.state) == State.PLANNED,
                    or_(col(Delivery.due_at) > now, _not_paused(pauses)),
                )
                .order_by(col(Delivery.due_at), col(Delivery.id))
                .limit(upcoming)
            )
            overdue = (col(Delivery.state) == State.PLANNED, col(Delivery.due_at) <= now)
            held = _views(session, *overdue, not_(_not_paused(pauses)), by=Delivery.due_at)
            since = now - timedelta(days=recent_days)
            skipped_lately = (
                col(Delivery.state) == State.SKIPPED,
                col(Delivery.updated_at) >= since,
            )
            skipped = _views(session, *skipped_lately, by=Delivery.scheduled_at)
            recent = session.scalars(
                select(Delivery)
                .where(
                    col(Delivery.state) == State.PUBLISHED,
                    col(Delivery.published_at) >= now - timedelta(days=recent_days),
                )
                .order_by(col(Delivery.published_at).desc())
                .limit(50)
            )
            attention = session.scalars(
                select(Delivery)
                .where(col(Delivery.state).in_([State.FAILED, State.UNKNOWN]))
                .order_by(col(Delivery.scheduled_at))
            )
            deferred = session.scalars(
                select(Delivery)
                .where(
                    col(Delivery.state) == State.PLANNED,
                    col(Delivery.reason).is_not(None),
                )
                .order_by(col(Delivery.due_at))
                .limit(50)
            )
            files = session.scalars(
                select(CampaignFile)
                .where(col(CampaignFile.ok) == false())
                .order_by(col(CampaignFile.path))
            )
            counts = {
                state: int(n)
                for state, n in session.execute(
                    select(Delivery.state, func.count()).group_by(col(Delivery.state))
                )
            }
            return StatusReport(
                now=now,
                upcoming=tuple(DeliveryView.of(r) for r in up),
                recent=tuple(DeliveryView.of(r) for r in recent),
                attention=tuple(DeliveryView.of(r) for r in attention),
                deferred=tuple(DeliveryView.of(r) for r in deferred),
                pauses=tuple(PauseView.of(p) for p in pauses),
                invalid_files=tuple(
                    InvalidFile(f.path, tuple(f.diagnostics), f.checked_at) for f in files
                ),
                counts=counts,
                held=held,
                skipped=skipped,
            )
