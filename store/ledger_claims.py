"""Ledger claims: take the next due delivery, confirm and finish a send, recover orphans and
reconcile deliveries whose outcome is unknown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import func, select, true
from sqlmodel import Session, col

from store.engine import read_session, write_session
from store.ledger_base import (
    _CANDIDATE_BATCH,
    IN_FLIGHT,
    QUOTA_WINDOW,
    LedgerBase,
    LedgerError,
    _active_pauses,
    _fmt,
    _matches,
    _not_paused,
    _rate_limited,
    move,
)
from store.ledger_types import (
    Claim,
    ClaimPolicy,
    DeliveryView,
)
from store.models import (
    Attempt,
    Delivery,
    State,
)


class Claims(LedgerBase):
    # -- claims --------------------------------------------------------------------------
    def claim_next(
        self, now: datetime, policy: ClaimPolicy, *, skip_platforms: Collection[str] = ()
    ) -> Claim | None:
        """Claim the most overdue publishable delivery, or return None.

        ``skip_platforms``: platforms this daemon is busy posting to (one request at a time
        per platform).

        In the same transaction: pauses that reached their ``until`` end (their passed
        deliveries are skipped); due deliveries under an active pause are left alone; late
        beyond the grace, or unapproved when approval is required, are skipped with the
        reason; over a platform's quota, deferred to the next free slot with the reason.
        A platform that refused a post with a rate limit gets nothing before its reset.
        """
        with write_session(self.engine) as session:
            self._shared_control_lock(session)
            self._expire_pauses(session, now)
            pauses = _active_pauses(session, now)
            held = list(_rate_limited(session, now)) + list(skip_platforms)
            while True:
                stmt = (
                    select(Delivery)
                    .where(
                        col(Delivery.state) == State.PLANNED,
                        col(Delivery.due_at) <= now,
                        _not_paused(pauses),
                        col(Delivery.platform).not_in(held) if held else true(),
                    )
                    .order_by(col(Delivery.due_at), col(Delivery.id))
                    .limit(_CANDIDATE_BATCH)
                    .with_for_update(skip_locked=True)
                )
                rows = list(session.scalars(stmt))
                if not rows:
                    return None
                for row in rows:
                    claim = self._decide(session, row, now, policy)
                    if claim is not None:
                        return claim

    def _decide(
        self, session: Session, row: Delivery, now: datetime, policy: ClaimPolicy
    ) -> Claim | None:
        actor = self.owner
        if now - row.due_at > policy.grace:
            late = int((now - row.due_at).total_seconds() // 60)
            move(
                session,
                row,
                State.SKIPPED,
                reason=(
                    f"too late (daemon was down): due {_fmt(row.due_at)}, "
                    f"{late} min late, grace is {int(policy.grace.total_seconds() // 60)} min"
                ),
                actor=actor,
                now=now,
            )
            return None
        if row.platform in policy.disabled:
            move(
                session,
                row,
                State.SKIPPED,
                reason=f"{row.platform} is disabled in settings ({row.platform}.enabled = false)",
                actor=actor,
                now=now,
            )
            return None
        if policy.require_approval and not row.approved_by:
            move(
                session,
                row,
                State.SKIPPED,
                reason="not approved (require_approval is on; add approved_by to the post)",
                actor=actor,
                now=now,
            )
            return None
        quota = policy.quotas.get(row.platform)
        if quota is not None:
            self._platform_lock(session, row.platform)
            slot = self._quota_slot(session, row, quota, now)
            if slot is not None:
                reason = (
                    f"deferred: {row.platform} quota of {quota} posts per 24 h reached; "
                    f"next slot {_fmt(slot)}"
                )
                row.due_at = slot
                move(session, row, State.PLANNED, reason=reason, actor=actor, now=now)
                return None
        attempt = Attempt(
            id=str(uuid.uuid4()),
            delivery_id=row.id,  # type: ignore[arg-type]
            kind="publish",
            number=row.attempt_count + row.transient_errors + 1,
            owner=self.owner,
            claimed_at=now,
        )
        session.add(attempt)
        row.current_attempt_id = attempt.id
        row.lease_owner = self.owner
        row.lease_expires_at = now + policy.lease
        move(session, row, State.PUBLISHING, reason=None, actor=actor, now=now)
        return Claim(attempt_id=attempt.id, kind="publish", delivery=DeliveryView.of(row))

    def _quota_slot(
        self, session: Session, row: Delivery, quota: int, now: datetime
    ) -> datetime | None:
        """None when a post fits in the platform's rolling 24 h quota, else the next slot."""
        recent = list(
            session.scalars(
                select(Delivery.published_at)
                .where(
                    col(Delivery.platform) == row.platform,
                    col(Delivery.state) == State.PUBLISHED,
                    col(Delivery.published_at) > now - QUOTA_WINDOW,
                )
                .order_by(col(Delivery.published_at))
            )
        )
        in_flight = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                col(Delivery.platform) == row.platform,
                col(Delivery.state).in_(list(IN_FLIGHT)),
            )
        )
        used = len(recent) + int(in_flight or 0)
        if used < quota:
            return None
        # The slot frees when enough published posts age out of the window.
        index = used - quota
        if index < len(recent) and recent[index] is not None:
            return recent[index] + QUOTA_WINDOW
        return now + timedelta(minutes=5)  # held by in-flight posts; look again soon

    def confirm_send(self, attempt_id: str, now: datetime) -> bool:
        """The last check before a request leaves: still ours, not paused. Records ``sent_at``.

        Returns False (and puts the delivery back to planned) when a pause arrived since the
        claim; nothing has been sent then.
        """
        with write_session(self.engine) as session:
            self._shared_control_lock(session)
            row, attempt = self._held(session, attempt_id, State.PUBLISHING)
            for pause in _active_pauses(session, now):
                if _matches(pause, row):
                    attempt.outcome = "released"
                    attempt.finished_at = now
                    attempt.message = f"paused before sending (pause {pause.id})"
                    session.add(attempt)
                    move(
                        session,
                        row,
                        State.PLANNED,
                        reason=f"paused: {pause.reason}",
                        actor=self.owner,
                        now=now,
                    )
                    return False
            attempt.sent_at = now
            row.attempt_count += 1
            row.updated_at = now
            session.add_all([attempt, row])
            return True

    def pause_over(self, platform: str, campaign_id: str, now: datetime) -> str | None:
        """The active pause that covers this platform and campaign, as "pause N: reason",
        or None. Read right before a request that makes a post public (a connector's
        go-ahead): a pause committed before this read is seen."""
        with read_session(self.engine) as session:
            for pause in _active_pauses(session, now):
                if pause.platform in (None, platform) and pause.campaign_id in (None, campaign_id):
                    return f"paused (pause {pause.id}: {pause.reason})"
        return None

    def hold(self, attempt_id: str, *, now: datetime, reason: str) -> DeliveryView:
        """The connector stopped right before the request that makes the post public (a pause
        arrived after ``confirm_send``): nothing was published, so the delivery waits,
        ``planned``, under the pause, and this attempt does not count as a sent one."""
        with write_session(self.engine) as session:
            row, attempt = self._held(session, attempt_id, State.PUBLISHING)
            attempt.finished_at = now
            attempt.outcome = "held"
            attempt.message = reason
            session.add(attempt)
            row.attempt_count = max(row.attempt_count - 1, 0)
            move(session, row, State.PLANNED, reason=reason, actor=self.owner, now=now)
            return DeliveryView.of(row)

    def save_resume(self, attempt_id: str, resume: dict[str, str]) -> None:
        """Persist connector step state (e.g. an Instagram container id) at once."""
        with write_session(self.engine) as session:
            attempt = session.get(Attempt, attempt_id)
            if attempt is None:
                raise LedgerError(f"no attempt {attempt_id}")
            row = session.get(Delivery, attempt.delivery_id)
            assert row is not None
            row.resume = dict(resume)
            session.add(row)

    def _held(self, session: Session, attempt_id: str, *states: State) -> tuple[Delivery, Attempt]:
        attempt = session.get(Attempt, attempt_id)
        if attempt is None:
            raise LedgerError(f"no attempt {attempt_id}")
        row = session.get(Delivery, attempt.delivery_id, with_for_update=True)
        assert row is not None
        if row.current_attempt_id != attempt_id or row.state not in states:
            raise LedgerError(
                f"delivery {row.id} is no longer held by attempt {attempt_id} (state {row.state})"
            )
        return row, attempt

    def finish(
        self,
        attempt_id: str,
        to: State,
        *,
        now: datetime,
        reason: str | None = None,
        outcome: str,
        due_at: datetime | None = None,
        published: tuple[str, str, datetime] | None = None,
        transient: bool = False,
    ) -> DeliveryView:
        """Record how an attempt ended and move its delivery to ``to``.

        ``published`` is (platform id, url, published_at). A publication is a fact: it is
        recorded even if the row was meanwhile taken over for reconciliation.
        """
        with write_session(self.engine) as session:
            attempt = session.get(Attempt, attempt_id)
            if attempt is None:
                raise LedgerError(f"no attempt {attempt_id}")
            row = session.get(Delivery, attempt.delivery_id, with_for_update=True)
            assert row is not None
            attempt.finished_at = now
            attempt.outcome = outcome
            attempt.message = reason
            session.add(attempt)
            if published is not None:
                if row.state == State.PUBLISHED:
                    raise LedgerError(
                        f"delivery {row.id} was already published as {row.platform_id}; "
                        f"attempt {attempt_id} also published {published[0]}"
                    )
                if row.state == State.PLANNED:
                    # Our lease expired and the row was recovered meanwhile; the post is out
                    # all the same, and must not be sent again.
                    move(
                        session,
                        row,
                        State.PUBLISHING,
                        reason=None,
                        actor=self.owner,
                        now=now,
                        audit_reason=f"late result of attempt {attempt_id}",
                    )
                row.platform_id, row.url, row.published_at = published
                row.current_attempt_id = attempt_id
            elif row.current_attempt_id != attempt_id or row.state not in IN_FLIGHT:
                raise LedgerError(
                    f"delivery {row.id} is no longer held by attempt {attempt_id} "
                    f"(state {row.state})"
                )
            if due_at is not None:
                row.due_at = due_at
            if transient:
                row.transient_errors += 1
            move(session, row, to, reason=reason, actor=self.owner, now=now)
            return DeliveryView.of(row)

    # -- reconciliation ------------------------------------------------------------------
    def recover_orphans(
        self,
        now: datetime,
        *,
        all_publishing: bool,
        owner_is_dead: Callable[[str], bool] | None = None,
    ) -> int:
        """Rows left ``publishing`` by a daemon that stopped: back to planned when the request
        provably never left (no ``sent_at``), otherwise ``unknown`` to be reconciled. And
        ``unknown`` rows whose check that daemon had claimed: due for checking again now
        (otherwise they would wait for the whole lease, and a post not found then would be
        too late to retry).

        ``all_publishing`` (single daemon on SQLite: every such row is an orphan); otherwise
        rows whose lease expired, or whose owner ``owner_is_dead`` says is gone. Returns how
        many rows were recovered.
        """
        with write_session(self.engine) as session:
            stmt = select(Delivery).where(col(Delivery.state) == State.PUBLISHING)
            rows = list(session.scalars(stmt.with_for_update(skip_locked=True)))
            if not all_publishing:
                rows = [
                    r
                    for r in rows
                    if (r.lease_expires_at is not None and r.lease_expires_at <= now)
                    or (
                        owner_is_dead is not None and r.lease_owner and owner_is_dead(r.lease_owner)
                    )
                ]
            for row in rows:
                attempt = (
                    session.get(Attempt, row.current_attempt_id) if row.current_attempt_id else None
                )
                if attempt is not None:
                    attempt.finished_at = now
                    session.add(attempt)
                if attempt is None or attempt.sent_at is None:
                    if attempt is not None:
                        attempt.outcome = "not_sent"
                    move(
                        session,
                        row,
                        State.PLANNED,
                        reason="daemon stopped before sending; planned again",
                        actor=self.owner,
                        now=now,
                    )
                else:
                    attempt.outcome = "interrupted"
                    row.due_at = now
                    move(
                        session,
                        row,
                        State.UNKNOWN,
                        reason="daemon stopped while publishing; will check the platform",
                        actor=self.owner,
                        now=now,
                    )
            return len(rows) + self._recover_checks(session, now, all_publishing, owner_is_dead)

    def _recover_checks(
        self,
        session: Session,
        now: datetime,
        everything: bool,
        owner_is_dead: Callable[[str], bool] | None,
    ) -> int:
        """``unknown`` rows whose reconciliation was claimed and never finished."""
        open_checks = select(Attempt.id).where(
            col(Attempt.kind) == "reconcile", col(Attempt.finished_at).is_(None)
        )
        rows = list(
            session.scalars(
                select(Delivery)
                .where(
                    col(Delivery.state) == State.UNKNOWN,
                    col(Delivery.current_attempt_id).in_(open_checks),
                )
                .with_for_update(skip_locked=True)
            )
        )
        if not everything:
            rows = [
                r
                for r in rows
                if (r.lease_expires_at is not None and r.lease_expires_at <= now)
                or (owner_is_dead is not None and r.lease_owner and owner_is_dead(r.lease_owner))
            ]
        for row in rows:
            attempt = session.get(Attempt, row.current_attempt_id)
            assert attempt is not None
            attempt.finished_at = now
            attempt.outcome = "interrupted"
            session.add(attempt)
            row.due_at = now
            row.lease_owner = None
            row.lease_expires_at = None
            move(
                session,
                row,
                State.UNKNOWN,
                reason=row.reason,
                actor=self.owner,
                now=now,
                audit_reason="daemon stopped while checking the platform; checking again",
            )
        return len(rows)

    def claim_reconcile(
        self, now: datetime, policy: ClaimPolicy, *, skip_platforms: Collection[str] = ()
    ) -> Claim | None:
        """Claim one ``unknown`` delivery whose check is due. It stays ``unknown``; its
        ``due_at`` moves past the lease so no other daemon takes it meanwhile."""
        with write_session(self.engine) as session:
            stmt = (
                select(Delivery)
                .where(
                    col(Delivery.state) == State.UNKNOWN,
                    col(Delivery.due_at) <= now,
                    col(Delivery.platform).not_in(list(skip_platforms))
                    if skip_platforms
                    else true(),
                )
                .order_by(col(Delivery.due_at), col(Delivery.id))
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            row = session.scalars(stmt).first()
            if row is None:
                return None
            since = session.scalar(
                select(func.min(Attempt.sent_at)).where(
                    col(Attempt.delivery_id) == row.id, col(Attempt.kind) == "publish"
                )
            )
            attempt = Attempt(
                id=str(uuid.uuid4()),
                delivery_id=row.id,  # type: ignore[arg-type]
                kind="reconcile",
                number=row.attempt_count,
                owner=self.owner,
                claimed_at=now,
                sent_at=now,
            )
            session.add(attempt)
            row.current_attempt_id = attempt.id
            row.lease_owner = self.owner
            row.lease_expires_at = now + policy.lease
            row.due_at = now + policy.lease
            row.updated_at = now
            session.add(row)
            return Claim(
                attempt_id=attempt.id,
                kind="reconcile",
                delivery=DeliveryView.of(row),
                since=since or row.scheduled_at,
            )
