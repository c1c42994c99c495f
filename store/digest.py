"""Queries of the weekly digest and the claims on its sends (``digest_sends``).

The read functions take the ``Session`` the digest is built in (one read-only transaction for
the whole digest); the claim functions open their own transactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from store.digest_models import DigestSend, DigestStatus
from store.ledger_types import DeliveryView, PauseView
from store.metrics_models import CommentRecord
from store.models import Delivery, Pause, State

#: Deliveries the digest lists as problems, in the order a person should look at them.
PROBLEM_STATES = (State.FAILED, State.UNKNOWN, State.SKIPPED)
#: Next week's schedule: everything still meant to happen or already done early on Monday.
SCHEDULE_STATES = (State.PLANNED, State.PUBLISHING, State.PUBLISHED, State.UNKNOWN)


# -- what the digest reads ------------------------------------------------------------------


def comment_counts(session: Session, delivery_ids: Iterable[int]) -> dict[int, int]:
    """Stored comments per delivery (deliveries without comments are left out)."""
    ids = list(dict.fromkeys(delivery_ids))
    if not ids:
        return {}
    stmt = (
        select(CommentRecord.delivery_id, func.count())
        .where(CommentRecord.delivery_id.in_(ids))
        .group_by(CommentRecord.delivery_id)
    )
    return {delivery_id: n for delivery_id, n in session.execute(stmt)}


def post_texts(session: Session, delivery_ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """(text, url) of each delivery."""
    ids = list(dict.fromkeys(delivery_ids))
    if not ids:
        return {}
    stmt = select(Delivery.id, Delivery.text, Delivery.url).where(Delivery.id.in_(ids))
    return {delivery_id: (text, url) for delivery_id, text, url in session.execute(stmt)}


def _scheduled_between(
    session: Session, states: Iterable[State], start: datetime, end: datetime
) -> list[DeliveryView]:
    stmt = (
        select(Delivery)
        .where(
            Delivery.state.in_(list(states)),
            Delivery.scheduled_at >= start,
            Delivery.scheduled_at < end,
        )
        .order_by(Delivery.scheduled_at, Delivery.campaign_id, Delivery.post_id, Delivery.platform)
    )
    return [DeliveryView.of(row) for row in session.execute(stmt).scalars()]


def problems(session: Session, start: datetime, end: datetime) -> list[DeliveryView]:
    """Deliveries scheduled in [start, end) that failed, ended unknown or were skipped."""
    return _scheduled_between(session, PROBLEM_STATES, start, end)


def schedule(session: Session, start: datetime, end: datetime) -> list[DeliveryView]:
    """Deliveries scheduled in [start, end) still meant to happen or already published."""
    return _scheduled_between(session, SCHEDULE_STATES, start, end)


def pauses(session: Session, start: datetime, end: datetime) -> list[PauseView]:
    """Pauses in force at any moment of [start, end)."""
    stmt = (
        select(Pause)
        .where(Pause.created_at < end, or_(Pause.ended_at.is_(None), Pause.ended_at > start))
        .order_by(Pause.created_at, Pause.id)
    )
    in_force = (PauseView.of(p) for p in session.execute(stmt).scalars())
    return [p for p in in_force if p.end is None or p.end > start]


# -- the claim on a week's send -------------------------------------------------------------


def claim_send(
    engine: Engine,
    week: str,
    rhash: str,
    count: int,
    owner: str,
    now: datetime,
    *,
    stale_after: timedelta,
    force: bool = False,
) -> tuple[bool, DigestSend]:
    """Take the right to send ``week`` to this recipient list. (claimed, the row as it is now).

    Race-free across processes and hosts: a new week is claimed by the insert that the unique
    constraint lets through; an existing row only by a conditional UPDATE that one writer wins.
    A "sending" claim older than ``stale_after`` is taken to be abandoned by a dead sender.
    """
    with Session(engine) as session:
        session.add(
            DigestSend(
                week=week,
                recipients_hash=rhash,
                recipient_count=count,
                status=DigestStatus.SENDING,
                claimed_by=owner,
                claimed_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        try:
            session.commit()
            claimed = True
        except IntegrityError:
            session.rollback()
            # Claimable: a failed send whose backoff is over (or forced), a "sending" claim
            # abandoned by a dead sender, or (forced) one that was sent.
            failed = DigestSend.status == DigestStatus.FAILED
            if not force:
                failed = failed & or_(
                    DigestSend.next_attempt_at.is_(None), DigestSend.next_attempt_at <= now
                )
            conditions = [
                failed,
                (DigestSend.status == DigestStatus.SENDING)
                & (DigestSend.claimed_at < now - stale_after),
            ]
            if force:
                conditions.append(DigestSend.status == DigestStatus.SENT)
            result = session.execute(
                update(DigestSend)
                .where(
                    DigestSend.week == week, DigestSend.recipients_hash == rhash, or_(*conditions)
                )
                .values(
                    status=DigestStatus.SENDING,
                    claimed_by=owner,
                    claimed_at=now,
                    recipient_count=count,
                    updated_at=now,
                )
            )
            session.commit()
            claimed = result.rowcount == 1
        row = session.execute(
            select(DigestSend).where(DigestSend.week == week, DigestSend.recipients_hash == rhash)
        ).scalar_one()
        return claimed, row


def _finish(
    engine: Engine,
    row_id: int,
    owner: str,
    status: DigestStatus,
    attempts: int,
    now: datetime,
    **values: object,
) -> None:
    values.update(status=status, attempts=attempts, updated_at=now)
    with Session(engine) as session:
        # Only the holder of the claim writes the outcome: a stale sender that woke up after
        # being taken over must not overwrite the new holder's result.
        session.execute(
            update(DigestSend)
            .where(DigestSend.id == row_id, DigestSend.claimed_by == owner)
            .values(**values)
        )
        session.commit()


def mark_sent(
    engine: Engine,
    row_id: int,
    owner: str,
    *,
    attempts: int,
    warning: str | None,
    message_id: str,
    sent_at: datetime,
    now: datetime,
) -> None:
    """The claimed send went out (``warning``: recipients the server refused, if any)."""
    values = {"last_error": warning, "sent_at": sent_at, "message_id": message_id}
    _finish(engine, row_id, owner, DigestStatus.SENT, attempts, now, next_attempt_at=None, **values)


def mark_failed(
    engine: Engine,
    row_id: int,
    owner: str,
    *,
    error: str,
    attempts: int,
    rounds: int,
    retry_at: datetime,
    now: datetime,
) -> None:
    """The claimed send failed; another claim may take it after ``retry_at``."""
    values = {"last_error": error, "rounds": rounds, "next_attempt_at": retry_at}
    _finish(engine, row_id, owner, DigestStatus.FAILED, attempts, now, **values)


def digest_sends(engine: Engine, limit: int = 10) -> list[DigestSend]:
    """The latest sends, newest week first."""
    with Session(engine) as session:
        rows = session.execute(
            select(DigestSend)
            .order_by(DigestSend.week.desc(), DigestSend.updated_at.desc())
            .limit(limit)
        ).scalars()
        return list(rows)
