"""Ledger operations: claim, finish, pause/resume, retry/skip, status.

Every method is one transaction. State changes go through ``_move``, which checks the
transition against ``TRANSITIONS`` and writes the audit row in the same transaction, so the
audit log cannot disagree with the ledger.

Pause vs claim ordering: a claim (and the last check before a request leaves) first takes the
``ledger_control`` row with ``FOR SHARE`` on PostgreSQL; ``pause`` updates that row, which
takes it exclusively. Either the pause commits first and the claim, reading pauses after the
lock, sees it; or the claim commits first, and then ``confirm_send`` (same lock) sees the
pause before the request leaves. On SQLite every writing transaction is ``BEGIN IMMEDIATE``,
which orders them the same way.
"""

from __future__ import annotations

import difflib
import uuid
import zlib
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, false, func, not_, or_, select, text, true, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from store.engine import read_session, write_session
from store.models import (
    LEDGER_LOCK,
    Attempt,
    AuditEntry,
    CampaignFile,
    Delivery,
    LedgerControl,
    Pause,
    State,
)
from store.timeutil import utc_now
from store.views import (
    Claim,
    ClaimPolicy,
    DeliveryView,
    InvalidFile,
    PauseView,
    ResumeReport,
    StatusReport,
)

TRANSITIONS: dict[State, frozenset[State]] = {
    State.PLANNED: frozenset({State.PLANNED, State.PUBLISHING, State.CANCELLED, State.SKIPPED}),
    State.PUBLISHING: frozenset({State.PUBLISHED, State.PLANNED, State.FAILED, State.UNKNOWN}),
    State.UNKNOWN: frozenset(
        {State.UNKNOWN, State.PUBLISHED, State.PLANNED, State.FAILED, State.SKIPPED}
    ),
    State.FAILED: frozenset({State.PLANNED, State.SKIPPED}),
    State.SKIPPED: frozenset({State.PLANNED}),
    State.CANCELLED: frozenset({State.PLANNED}),
    State.PUBLISHED: frozenset(),
}

IN_FLIGHT = (State.PUBLISHING, State.UNKNOWN)
RETRYABLE = (State.FAILED, State.UNKNOWN, State.SKIPPED)
SKIPPABLE = (State.PLANNED, State.FAILED, State.UNKNOWN)
_CANDIDATES_SHOWN = 10
# How long after a pause ended by itself (--until) `resume --catch-up` can still send what it
# skipped; older posts are better retried one by one (`beatpost retry ID`).
CATCH_UP_WINDOW = timedelta(days=7)
_SKIPPED_BY_PAUSE = "time passed while paused (pause {id}: "
_CANDIDATE_BATCH = 16
QUOTA_WINDOW = timedelta(hours=24)


class LedgerError(Exception):
    """An operation the ledger refuses (unknown id, wrong state); the message says why."""


class TransitionError(LedgerError):
    def __init__(self, delivery_id: int | None, from_state: str, to_state: str):
        super().__init__(f"delivery {delivery_id}: cannot go from {from_state} to {to_state}")


def _no_such_delivery(
    session: Session, delivery_id: int, states: Sequence[State], verb: str
) -> str:
    """ "no delivery with id N", and the ids that could be meant (most recent first)."""
    rows = list(
        session.execute(
            select(Delivery.id, Delivery.key)
            .where(col(Delivery.state).in_([str(s) for s in states]))
            .order_by(col(Delivery.scheduled_at).desc(), col(Delivery.id).desc())
            .limit(_CANDIDATES_SHOWN + 1)
        )
    )
    names = " or ".join(", ".join(str(s) for s in states).rsplit(", ", 1))
    if not rows:
        return f"no delivery with id {delivery_id}; no delivery is {names} now"
    listed = "; ".join(f"#{i} {key}" for i, key in rows[:_CANDIDATES_SHOWN])
    more = " …" if len(rows) > _CANDIDATES_SHOWN else ""
    return (
        f"no delivery with id {delivery_id}; {names} deliveries (the ones that can be {verb}): "
        f"{listed}{more} — `beatpost status` shows them all"
    )


def _fmt(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%SZ")


def audit(
    session: Session,
    *,
    at: datetime,
    entity_type: str,
    entity_id: str,
    from_state: str | None,
    to_state: str | None,
    reason: str | None,
    actor: str,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            entity_type=entity_type,
            entity_id=entity_id,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            actor=actor,
        )
    )


def move(
    session: Session,
    row: Delivery,
    to: State,
    *,
    reason: str | None,
    actor: str,
    now: datetime,
    audit_reason: str | None = None,
) -> None:
    """Change a delivery's state (checked), and record it in the audit log.

    ``reason`` is shown with the delivery; ``audit_reason`` (default: the same) is logged."""
    frm = State(row.state)
    if to not in TRANSITIONS[frm]:
        raise TransitionError(row.id, frm, to)
    row.state = to
    row.reason = reason
    row.updated_at = now
    if to not in IN_FLIGHT:
        row.lease_owner = None
        row.lease_expires_at = None
    session.add(row)
    session.flush()
    audit(
        session,
        at=now,
        entity_type="delivery",
        entity_id=str(row.id),
        from_state=frm,
        to_state=to,
        reason=audit_reason or reason,
        actor=actor,
    )


def _make_due_now(
    session: Session, rows: Sequence[Delivery], now: datetime, actor: str, why: str
) -> None:
    for row in rows:
        row.due_at = now
        move(session, row, State.PLANNED, reason=None, audit_reason=why, actor=actor, now=now)


def _audit_pause(
    session: Session, pause: Pause, now: datetime, actor: str, frm: str, note: str
) -> None:
    audit(
        session,
        at=now,
        entity_type="pause",
        entity_id=str(pause.id),
        from_state=frm,
        to_state="ended",
        reason=note,
        actor=actor,
    )


def _skipped_reason(pause: Pause) -> str:
    # The pause's number in the reason is how a later catch-up finds what this pause skipped
    # (``_skipped_by``); any later change of state replaces the reason.
    return f"{_SKIPPED_BY_PAUSE.format(id=pause.id)}{pause.reason})"


def _skipped_by(session: Session, pause: Pause) -> list[Delivery]:
    """Deliveries still skipped because ``pause`` passed their time."""
    return list(
        session.scalars(
            select(Delivery)
            .where(
                col(Delivery.state) == State.SKIPPED,
                col(Delivery.reason).startswith(
                    _SKIPPED_BY_PAUSE.format(id=pause.id), autoescape=True
                ),
            )
            .order_by(col(Delivery.due_at), col(Delivery.id))
            .with_for_update()
        )
    )


def _self_ended_pauses(session: Session, now: datetime) -> list[Pause]:
    """Pauses that ended at their ``until`` (not by a resume) within ``CATCH_UP_WINDOW``."""
    stmt = (
        select(Pause)
        .where(
            col(Pause.ended_at).is_not(None),
            col(Pause.until).is_not(None),
            col(Pause.ended_at) >= col(Pause.until),
            col(Pause.ended_at) >= now - CATCH_UP_WINDOW,
        )
        .order_by(col(Pause.id))
    )
    return list(session.scalars(stmt))


def _choose(
    pauses: Sequence[Pause], platform: str | None, campaign_id: str | None, pause_id: int | None
) -> list[Pause]:
    if pause_id is not None:
        return [p for p in pauses if p.id == pause_id]
    if platform is None and campaign_id is None:
        return list(pauses)
    return [p for p in pauses if p.platform == platform and p.campaign_id == campaign_id]


def _nothing_to_resume(
    session: Session,
    now: datetime,
    active: Sequence[Pause],
    platform: str | None,
    campaign_id: str | None,
    pause_id: int | None,
) -> str:
    """Why a resume matched nothing, with the pauses there are and the closest name."""
    asked = (
        f"pause {pause_id}"
        if pause_id is not None
        else ", ".join(
            part
            for part in (
                f"platform {platform}" if platform else "",
                f"campaign {campaign_id}" if campaign_id else "",
            )
            if part
        )
        or "any scope"
    )
    lines = [f"no active pause matches {asked}"]
    if active:
        listed = "; ".join(f"pause {p.id}: {PauseView.of(p).scope}" for p in active)
        lines.append(f"active pauses: {listed}")
        names = [p.campaign_id for p in active if p.campaign_id] + [
            p.platform for p in active if p.platform
        ]
        wanted = campaign_id or platform
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6) if wanted else []
        if close:
            lines.append(f"did you mean {close[0]!r}?")
    else:
        lines.append("no pause is active (`beatpost status` shows them)")
    for pause in _self_ended_pauses(session, now):
        waiting = len(_skipped_by(session, pause))
        if waiting:
            lines.append(
                f"pause {pause.id} ({PauseView.of(pause).scope}) ended by itself at "
                f"{_fmt(_aware(pause.ended_at))} and skipped {waiting} delivery(ies); "
                f"`beatpost resume --catch-up --id {pause.id}` sends them now"
            )
    return "; ".join(lines)


def _pause_scope(pause: Pause) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if pause.platform:
        parts.append(col(Delivery.platform) == pause.platform)
    if pause.campaign_id:
        parts.append(col(Delivery.campaign_id) == pause.campaign_id)
    return and_(*parts) if parts else true()


def _not_paused(pauses: Sequence[Pause]) -> ColumnElement[bool]:
    if any(not p.platform and not p.campaign_id for p in pauses):
        return false()
    if not pauses:
        return true()
    return not_(or_(*(_pause_scope(p) for p in pauses)))


def _matches(pause: Pause, row: Delivery) -> bool:
    return (pause.platform in (None, row.platform)) and (
        pause.campaign_id in (None, row.campaign_id)
    )


def _active_pauses(session: Session, now: datetime) -> list[Pause]:
    stmt = select(Pause).where(
        col(Pause.ended_at).is_(None),
        or_(col(Pause.until).is_(None), col(Pause.until) > now),
    )
    return list(session.scalars(stmt))


def _rate_limited(session: Session, now: datetime) -> dict[str, datetime]:
    """Platforms that answered a post with a rate limit whose reset is still ahead -> reset.

    The limit is the account's (X counts posts per user and endpoint, Graph per account),
    not the post's: sending another post before the reset only spends a request to be
    refused again. The refused post itself waits, ``planned``, due at the reset the platform
    announced, so the ledger already holds the answer; no table of its own is needed.
    """
    # Two small queries rather than one join: refusals are few, planned deliveries many, and
    # the join made SQLite walk every planned row on every claim.
    refused = {
        delivery_id: attempt_id
        for attempt_id, delivery_id in session.execute(
            select(Attempt.id, Attempt.delivery_id).where(col(Attempt.outcome) == "rate_limited")
        )
    }
    if not refused:
        return {}
    held: dict[str, datetime] = {}
    for start in range(0, len(refused), 500):
        chunk = list(refused)[start : start + 500]
        rows = session.execute(
            select(
                Delivery.id, Delivery.platform, Delivery.due_at, Delivery.current_attempt_id
            ).where(
                col(Delivery.id).in_(chunk),
                col(Delivery.state) == State.PLANNED,
                col(Delivery.due_at) > now,
            )
        )
        for delivery_id, platform, due_at, current in rows:
            if refused[delivery_id] == current:
                held[platform] = max(held.get(platform, due_at), due_at)
    return held


class Ledger:
    """The delivery ledger on one engine. ``owner`` identifies this process in leases."""

    def __init__(self, engine: Engine, *, owner: str = "cli"):
        self.engine = engine
        self.owner = owner
        self._pg = engine.dialect.name == "postgresql"

    # -- locking -------------------------------------------------------------------------
    def _shared_control_lock(self, session: Session) -> None:
        if self._pg:
            session.execute(
                select(LedgerControl.name)
                .where(col(LedgerControl.name) == LEDGER_LOCK)
                .with_for_update(read=True)
            )

    def _exclusive_control_lock(self, session: Session, now: datetime) -> None:
        # An UPDATE takes the row exclusively on PostgreSQL; on SQLite the transaction
        # already holds the database's write lock (BEGIN IMMEDIATE).
        session.execute(
            update(LedgerControl)
            .where(col(LedgerControl.name) == LEDGER_LOCK)
            .values(changed_at=now)
        )

    def _platform_lock(self, session: Session, platform: str) -> None:
        # Serialises the quota count per platform between daemons sharing PostgreSQL.
        if self._pg:
            key = zlib.crc32(f"beatpost-quota:{platform}".encode())
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

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

    # -- pause / resume ------------------------------------------------------------------
    def pause(
        self,
        *,
        reason: str,
        actor: str,
        now: datetime | None = None,
        platform: str | None = None,
        campaign_id: str | None = None,
        until: datetime | None = None,
    ) -> PauseView:
        now = now or utc_now()
        if not reason.strip():
            raise LedgerError("a pause needs a reason (--reason)")
        if until is not None and until <= now:
            raise LedgerError(f"--until {_fmt(until)} is not in the future")
        with write_session(self.engine) as session:
            self._exclusive_control_lock(session, now)
            pause = Pause(
                platform=platform,
                campaign_id=campaign_id,
                reason=reason.strip(),
                created_by=actor,
                created_at=now,
                until=until,
            )
            session.add(pause)
            session.flush()
            view = PauseView.of(pause)
            audit(
                session,
                at=now,
                entity_type="pause",
                entity_id=str(pause.id),
                from_state=None,
                to_state="active",
                reason=f"{view.scope}: {pause.reason}"
                + (f" (until {_fmt(until)})" if until else ""),
                actor=actor,
            )
            return view

    def resume(
        self,
        *,
        actor: str,
        now: datetime | None = None,
        platform: str | None = None,
        campaign_id: str | None = None,
        pause_id: int | None = None,
        catch_up: bool = False,
    ) -> ResumeReport:
        """End active pauses (all, or those with exactly this scope, or one by id).

        Deliveries whose time passed while paused are skipped, or, with ``catch_up``, made due
        now. With ``catch_up`` and no active pause chosen, pauses that ended by themselves
        (``until``) within ``CATCH_UP_WINDOW`` are chosen instead: the deliveries they
        skipped, and nobody planned again since, are made due now. Nothing matching raises
        ``LedgerError`` naming the pauses there are.
        """
        now = now or utc_now()
        with write_session(self.engine) as session:
            self._exclusive_control_lock(session, now)
            # A pause whose --until passed while no daemon ran ends here, as the daemon would.
            self._expire_pauses(session, now)
            active = _active_pauses(session, now)
            chosen = _choose(active, platform, campaign_id, pause_id)
            ended_before: list[Pause] = []
            if not chosen and catch_up:
                ended = _self_ended_pauses(session, now)
                ended_before = [
                    p
                    for p in _choose(ended, platform, campaign_id, pause_id)
                    if _skipped_by(session, p)
                ]
            if not chosen and not ended_before:
                raise LedgerError(
                    _nothing_to_resume(session, now, active, platform, campaign_id, pause_id)
                )
            skipped: list[DeliveryView] = []
            caught: list[DeliveryView] = []
            for pause in chosen:
                rows = self._end_pause(session, pause, now, actor, catch_up, "resumed")
                (caught if catch_up else skipped).extend(DeliveryView.of(r) for r in rows)
            for pause in ended_before:
                rows = self._catch_up_ended(session, pause, now, actor)
                caught.extend(DeliveryView.of(r) for r in rows)
            return ResumeReport(
                ended=tuple(PauseView.of(p) for p in chosen),
                ended_before=tuple(PauseView.of(p) for p in ended_before),
                skipped=tuple(skipped),
                caught_up=tuple(caught),
            )

    def _expire_pauses(self, session: Session, now: datetime) -> None:
        expired = session.scalars(
            select(Pause)
            .where(col(Pause.ended_at).is_(None), col(Pause.until) <= now)
            .with_for_update(skip_locked=True)
        )
        for pause in list(expired):
            assert pause.until is not None
            # It ends at its --until, not when a daemon happened to notice.
            self._end_pause(session, pause, now, self.owner, False, "expired", at=pause.until)

    def _end_pause(
        self,
        session: Session,
        pause: Pause,
        now: datetime,
        actor: str,
        catch_up: bool,
        how: str,
        *,
        at: datetime | None = None,
    ) -> list[Delivery]:
        """End ``pause`` (at ``at``, default now); returns the deliveries whose time passed
        under it: made due now (``catch_up``) or skipped."""
        end = at or now
        pause.ended_at = end
        pause.ended_by = actor
        session.add(pause)
        session.flush()
        still = [p for p in _active_pauses(session, now) if p.id != pause.id]
        passed = list(
            session.scalars(
                select(Delivery)
                .where(
                    col(Delivery.state) == State.PLANNED,
                    col(Delivery.due_at) <= end,
                    _pause_scope(pause),
                    _not_paused(still),
                )
                .order_by(col(Delivery.due_at), col(Delivery.id))
                .with_for_update()
            )
        )
        if catch_up:
            _make_due_now(session, passed, now, actor, f"catching up after pause {pause.id}")
        else:
            for row in passed:
                move(
                    session, row, State.SKIPPED, reason=_skipped_reason(pause), actor=actor, now=now
                )
        outcome = "made due now (catch-up)" if catch_up else "skipped"
        _audit_pause(
            session,
            pause,
            now,
            actor,
            "active",
            f"{how}; {len(passed)} passed deliveries {outcome}",
        )
        return passed

    def _catch_up_ended(
        self, session: Session, pause: Pause, now: datetime, actor: str
    ) -> list[Delivery]:
        """Make due now what a pause that ended by itself skipped (and nobody touched since)."""
        rows = _skipped_by(session, pause)
        why = f"catching up after pause {pause.id} (it ended by itself)"
        _make_due_now(session, rows, now, actor, why)
        note = f"catch-up after it ended; {len(rows)} skipped deliveries made due now"
        _audit_pause(session, pause, now, actor, "ended", note)
        return rows

    # -- person's actions ----------------------------------------------------------------
    def retry(self, delivery_id: int, *, actor: str, now: datetime | None = None) -> DeliveryView:
        """Plan a failed, unknown or skipped delivery again, due now."""
        now = now or utc_now()
        with write_session(self.engine) as session:
            row = self._get(session, delivery_id, RETRYABLE, "retried")
            if row.state not in RETRYABLE:
                raise LedgerError(
                    f"delivery {delivery_id} is {row.state}; only failed, unknown or skipped "
                    "deliveries can be retried"
                )
            row.due_at = now
            row.transient_errors = 0
            move(
                session,
                row,
                State.PLANNED,
                reason=None,
                audit_reason=f"retry requested by {actor}",
                actor=actor,
                now=now,
            )
            return DeliveryView.of(row)

    def skip(
        self,
        delivery_id: int,
        *,
        actor: str,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> DeliveryView:
        """Give up on a planned, failed or unknown delivery, on purpose."""
        now = now or utc_now()
        with write_session(self.engine) as session:
            row = self._get(session, delivery_id, SKIPPABLE, "skipped")
            if row.state not in SKIPPABLE:
                raise LedgerError(
                    f"delivery {delivery_id} is {row.state}; only planned, failed or unknown "
                    "deliveries can be skipped"
                )
            text_reason = f"skipped by {actor}" + (f": {reason}" if reason else "")
            move(session, row, State.SKIPPED, reason=text_reason, actor=actor, now=now)
            return DeliveryView.of(row)

    def _get(
        self, session: Session, delivery_id: int, states: Sequence[State], verb: str
    ) -> Delivery:
        row = session.get(Delivery, delivery_id, with_for_update=True)
        if row is None:
            raise LedgerError(_no_such_delivery(session, delivery_id, states, verb))
        return row

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


def _views(
    session: Session, *where: ColumnElement[bool], by: Any, limit: int = 50
) -> tuple[DeliveryView, ...]:
    """Deliveries matching ``where``, ordered by ``by`` then id, as views."""
    stmt = select(Delivery).where(*where).order_by(col(by), col(Delivery.id)).limit(limit)
    return tuple(DeliveryView.of(r) for r in session.scalars(stmt))


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
