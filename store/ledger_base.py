"""What the parts of the ledger share: states and their transitions, the audited move, the
pause helpers and the locks. ``store.ledger.Ledger`` puts the parts together.
"""

from __future__ import annotations

import difflib
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, false, not_, or_, select, text, true, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from store.ledger_types import (
    DeliveryView,
    PauseView,
)
from store.models import (
    LEDGER_LOCK,
    Attempt,
    AuditEntry,
    Delivery,
    LedgerControl,
    Pause,
    State,
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
    entity: tuple[str, object],
    states: tuple[str | None, str | None],
    reason: str | None,
    *,
    actor: str,
    at: datetime,
) -> None:
    """Add an audit_log row: ``entity`` (type, id) went ``states`` (from, to)."""
    (entity_type, entity_id), (from_state, to_state) = entity, states
    session.add(
        AuditEntry(
            at=at,
            entity_type=entity_type,
            entity_id=str(entity_id),
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
    audit(session, ("delivery", row.id), (frm, to), audit_reason or reason, actor=actor, at=now)


def _make_due_now(
    session: Session, rows: Sequence[Delivery], now: datetime, actor: str, why: str
) -> None:
    for row in rows:
        row.due_at = now
        move(session, row, State.PLANNED, reason=None, audit_reason=why, actor=actor, now=now)


def _audit_pause(
    session: Session, pause: Pause, now: datetime, actor: str, frm: str, note: str
) -> None:
    audit(session, ("pause", pause.id), (frm, "ended"), note, actor=actor, at=now)


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


class LedgerBase:
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

    def _get(
        self, session: Session, delivery_id: int, states: Sequence[State], verb: str
    ) -> Delivery:
        """The delivery, locked, when it is in one of ``states``; else why it cannot be ``verb``."""
        row = session.get(Delivery, delivery_id, with_for_update=True)
        if row is None:
            raise LedgerError(_no_such_delivery(session, delivery_id, states, verb))
        if row.state not in states:
            allowed = ", ".join(states[:-1]) + f" or {states[-1]}"
            raise LedgerError(
                f"delivery {delivery_id} is {row.state}; only {allowed} deliveries can be {verb}"
            )
        return row

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
