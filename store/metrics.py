"""Queries and writes for engagement: what is due, snapshots, comments, cursors, budgets.

The pull job calls the engine-level functions (``pull_targets``, ``schedule_cursors``,
``record_snapshots``, ``record_comments``, ``record_failure``...): each is one transaction
that stores what was fetched together with the cursor and read-budget updates. Readers
(digest, status) use the functions over a ``Session`` they open themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, case, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from store.engine import chunks, read_session, write_session
from store.inbox import answered_comment_ids
from store.metrics_models import (
    CommentRecord,
    MetricSnapshotRecord,
    PlatformPullState,
    PullCursor,
    SnapshotCounts,
)
from store.models import Delivery, State

# Any constant: one pull at a time across daemons sharing a PostgreSQL database.
_PG_PULL_LOCK = 4_862_502

COUNT_FIELDS = tuple(SnapshotCounts.model_fields)


@dataclass(frozen=True)
class CursorState:
    """Where a delivery's pull schedule stood when the pull began."""

    next_metrics_slot: str | None
    next_comments_slot: str | None
    comments_since: datetime | None  # newest comment seen: ask the platform only for newer


@dataclass(frozen=True)
class PullTarget:
    """A published delivery the pull may measure, with its cursor (``None``: never seen)."""

    delivery_id: int
    platform: str
    platform_id: str
    published_at: datetime
    cursor: CursorState | None


def pull_targets(
    engine: Engine,
    now: datetime,
    *,
    horizon_start: datetime | None,
    since: datetime | None = None,
    platforms: Sequence[str] | None = None,
    everything: bool = False,
) -> list[PullTarget]:
    """Published deliveries with work due at ``now``.

    Due means: a cursor whose next slot is due, or no cursor yet and published after
    ``horizon_start`` (older uncursored deliveries are left to ``everything``, the backfill).
    ``everything`` returns every published delivery (after ``since``) whatever its cursor.
    """
    query = (
        select(Delivery, PullCursor)
        .join(PullCursor, PullCursor.delivery_id == Delivery.id, isouter=True)
        .where(
            Delivery.state == State.PUBLISHED,
            Delivery.platform_id.is_not(None),
            Delivery.published_at.is_not(None),
        )
    )
    if not everything:
        fresh = PullCursor.delivery_id.is_(None)
        if horizon_start is not None:
            fresh = and_(fresh, Delivery.published_at >= horizon_start)
        query = query.where(or_(fresh, PullCursor.next_due_at <= now))
    if since is not None:
        query = query.where(Delivery.published_at >= since)
    if platforms:
        query = query.where(Delivery.platform.in_(list(platforms)))
    query = query.order_by(Delivery.platform, Delivery.published_at, Delivery.id)
    with read_session(engine) as session:
        return [
            PullTarget(d.id, d.platform, d.platform_id, d.published_at, _cursor_state(c))
            for d, c in session.execute(query).all()
        ]


def _cursor_state(cursor: PullCursor | None) -> CursorState | None:
    if cursor is None:
        return None
    return CursorState(cursor.next_metrics_slot, cursor.next_comments_slot, cursor.comments_since)


def load_cursors(session: Session, delivery_ids: Iterable[int]) -> dict[int, PullCursor]:
    """Cursors of many deliveries in a few queries (they stay in the session for ``get_cursor``)."""
    found: dict[int, PullCursor] = {}
    for chunk in chunks(delivery_ids):
        for cursor in session.execute(
            select(PullCursor).where(PullCursor.delivery_id.in_(chunk))
        ).scalars():
            found[cursor.delivery_id] = cursor
    return found


def get_cursor(session: Session, delivery_id: int, platform: str) -> PullCursor:
    """The delivery's cursor, created (not yet flushed) when it has none."""
    cursor = session.get(PullCursor, delivery_id)
    if cursor is None:
        cursor = PullCursor(delivery_id=delivery_id, platform=platform)
        session.add(cursor)
    return cursor


def add_snapshot(
    session: Session,
    *,
    delivery_id: int,
    platform: str,
    slot: str | None,
    taken_at: datetime,
    age_seconds: int,
    counts: dict[str, int | None],
    extras: dict[str, Any],
) -> bool:
    """Insert one snapshot; ``False`` when that scheduled slot is already stored."""
    values = {
        "delivery_id": delivery_id,
        "platform": platform,
        "slot": slot,
        "taken_at": taken_at,
        "age_seconds": age_seconds,
        "extras": extras,
        **{name: counts.get(name) for name in COUNT_FIELDS},
    }
    return _insert_new(session, MetricSnapshotRecord.__table__, values, ["delivery_id", "slot"])


def _insert_new(session: Session, table: Any, values: dict[str, Any], unique: list[str]) -> bool:
    """Insert a row unless one with the same ``unique`` columns is stored; whether it went in."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # RETURNING says whether a row went in; rowcount is not reliable across drivers here.
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
    return session.execute(statement.returning(table.c.id)).first() is not None


def latest_snapshots(
    session: Session,
    delivery_ids: Iterable[int],
    *,
    taken_before: dict[int, datetime] | None = None,
) -> dict[int, MetricSnapshotRecord]:
    """The newest snapshot per delivery (optionally taken no later than a per-delivery instant).

    The database picks the newest row of each series (a window function over the
    ``(delivery_id, taken_at)`` index), so one row per delivery is loaded however long its
    series is: a year of deliveries with 200 snapshots each stays a small read.
    """
    snap = MetricSnapshotRecord
    found: dict[int, MetricSnapshotRecord] = {}
    for chunk in chunks(delivery_ids):
        ranked = (
            select(snap.id, _newest_first_rank())
            .where(_series(chunk, taken_before or {}))
            .subquery()
        )
        rows = session.execute(
            select(snap).join(ranked, ranked.c.id == snap.id).where(ranked.c.rank == 1)
        ).scalars()
        found.update({row.delivery_id: row for row in rows})
    return found


def _series(chunk: Sequence[int], limits: dict[int, datetime]) -> Any:
    """One index range per delivery: (delivery_id = d AND taken_at <= its limit)."""
    snap = MetricSnapshotRecord
    return or_(
        *(
            and_(snap.delivery_id == d, snap.taken_at <= limits[d])
            if limits.get(d) is not None
            else snap.delivery_id == d
            for d in chunk
        )
    )


def _newest_first_rank() -> Any:
    snap = MetricSnapshotRecord
    newest_first = (snap.taken_at.desc(), snap.id.desc())
    return (
        func.row_number().over(partition_by=snap.delivery_id, order_by=newest_first).label("rank")
    )


@dataclass(frozen=True)
class LatestFigures:
    """A delivery's newest figures: its newest snapshot, each gap filled from an older one."""

    delivery_id: int
    taken_at: datetime  # of the newest snapshot
    counts: dict[str, int | None]
    extras: dict[str, Any]  # of the newest snapshot (video plays and completions, ...)


def latest_figures(
    session: Session,
    delivery_ids: Iterable[int],
    *,
    taken_before: dict[int, datetime] | None = None,
) -> dict[int, LatestFigures]:
    """Per delivery, the figures of its newest snapshot (as ``latest_snapshots``), where each
    figure that snapshot lacks is the newest earlier value of it that is not null.

    Platforms stop giving some figures after a while: X gives ``url_link_clicks`` and its
    other non-public metrics for 30 days only, so a pull after that (a backfill) stores them
    as null, and a refused private request stores public figures alone. Rows are never
    overwritten, and this is how readers keep the last value measured before the gap.
    """
    limits = taken_before or {}
    snap = MetricSnapshotRecord
    # One pass over each series: the newest row's instant, and per figure the first value in
    # the order "has a value, then newest first".
    figures = [
        func.first_value(getattr(snap, name))
        .over(
            partition_by=snap.delivery_id,
            order_by=(
                case((getattr(snap, name).is_(None), 1), else_=0),
                snap.taken_at.desc(),
                snap.id.desc(),
            ),
        )
        .label(name)
        for name in COUNT_FIELDS
    ]
    out: dict[int, LatestFigures] = {}
    for chunk in chunks(delivery_ids):
        ranked = (
            select(snap.delivery_id, snap.taken_at, snap.extras, _newest_first_rank(), *figures)
            .where(_series(chunk, limits))
            .subquery()
        )
        columns = [ranked.c[name] for name in COUNT_FIELDS]
        for row in session.execute(
            select(ranked.c.delivery_id, ranked.c.taken_at, ranked.c.extras, *columns).where(
                ranked.c.rank == 1
            )
        ):
            out[row[0]] = LatestFigures(
                row[0], row[1], dict(zip(COUNT_FIELDS, row[3:], strict=True)), row[2] or {}
            )
    return out


def _of_delivery(session: Session, model: Any, delivery_id: int, at: Any) -> list[Any]:
    """``model``'s rows of one delivery, oldest first by ``at``."""
    query = select(model).where(model.delivery_id == delivery_id).order_by(at, model.id)
    return list(session.execute(query).scalars())


def snapshots_of(session: Session, delivery_id: int) -> list[MetricSnapshotRecord]:
    return _of_delivery(session, MetricSnapshotRecord, delivery_id, MetricSnapshotRecord.taken_at)


def known_comment_ids(session: Session, platform: str, ids: Iterable[str]) -> set[str]:
    known: set[str] = set()
    for chunk in chunks(ids):
        known.update(
            session.execute(
                select(CommentRecord.platform_comment_id).where(
                    CommentRecord.platform == platform,
                    CommentRecord.platform_comment_id.in_(chunk),
                )
            ).scalars()
        )
    return known


def insert_comments(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert comments not yet stored (by platform and platform comment id); returns how many."""
    if not rows:
        return 0
    table, unique = CommentRecord.__table__, ["platform", "platform_comment_id"]
    return sum(_insert_new(session, table, row, unique) for row in rows)


def comments_of(session: Session, delivery_id: int) -> list[CommentRecord]:
    return _of_delivery(session, CommentRecord, delivery_id, CommentRecord.created_at)


def platform_state(session: Session, platform: str, today: date) -> PlatformPullState:
    """The platform's pull state, its read count reset when a new UTC day has begun."""
    state = session.get(PlatformPullState, platform)
    if state is None:
        state = PlatformPullState(platform=platform, budget_day=today)
        session.add(state)
    elif state.budget_day != today:
        state.budget_day = today
        state.reads_used = 0
        state.requests_used = 0
    return state


@dataclass(frozen=True)
class PullProblem:
    """A platform whose last engagement pull failed, with no successful request since."""

    platform: str
    error: str
    at: datetime


def pull_problems(session: Session) -> list[PullProblem]:
    """Each platform's unresolved pull error (a missing permission, an expired token...)."""
    rows = session.execute(
        select(PlatformPullState)
        .where(PlatformPullState.last_error.is_not(None))
        .order_by(PlatformPullState.platform)
    ).scalars()
    return [
        PullProblem(r.platform, str(r.last_error), r.last_error_at or r.updated_at) for r in rows
    ]


def published_between(session: Session, start: datetime, end: datetime) -> list[Delivery]:
    """Published deliveries with ``start <= published_at < end``."""
    return list(
        session.execute(
            select(Delivery)
            .where(
                Delivery.state == State.PUBLISHED,
                Delivery.published_at >= start,
                Delivery.published_at < end,
            )
            .order_by(Delivery.published_at, Delivery.id)
        ).scalars()
    )


def comments_between(session: Session, start: datetime, end: datetime) -> list[CommentRecord]:
    """Comments written with ``start <= created_at < end``."""
    return list(
        session.execute(
            select(CommentRecord)
            .where(CommentRecord.created_at >= start, CommentRecord.created_at < end)
            .order_by(CommentRecord.created_at, CommentRecord.id)
        ).scalars()
    )


NEEDS_REPLY = "needs_reply"  # the triage flag of a comment a recruiter should answer


def needing_reply(session: Session, comments: Iterable[CommentRecord]) -> list[CommentRecord]:
    """The comments flagged as needing a reply and not yet marked replied or dismissed in the
    inbox, in the given order.

    The one definition the digest and ``beatpost status`` share, so both count the same
    comments over the same period."""
    flagged = [c for c in comments if NEEDS_REPLY in (c.flags or ())]
    answered = answered_comment_ids(session, (c.id for c in flagged))
    return [c for c in flagged if c.id not in answered]


def comments_needing_reply(session: Session, start: datetime, end: datetime) -> list[CommentRecord]:
    """Comments written with ``start <= created_at < end`` that need a reply, oldest first."""
    return needing_reply(session, comments_between(session, start, end))


@contextmanager
def pull_lock(engine: Engine) -> Iterator[bool]:
    """Hold the pull lock while the block runs; yields False when another pull holds it.

    On PostgreSQL (several daemons may share one database) this is a session advisory lock,
    so two daemons never spend the same read budget twice. On SQLite one daemon owns the
    file; a ``beatpost pull`` beside it can at worst repeat a few reads, never store twice.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = bool(
            conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_PULL_LOCK}).scalar()
        )
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_PULL_LOCK})
                conn.commit()


def comment_texts_after(session: Session, after_id: int, limit: int) -> list[tuple[int, str]]:
    """(id, text) of up to ``limit`` comments with ``id > after_id``, in id order."""
    rows = session.execute(
        select(CommentRecord.id, CommentRecord.text)
        .where(CommentRecord.id > after_id)
        .order_by(CommentRecord.id)
        .limit(limit)
    ).all()
    return [(int(i), str(t)) for i, t in rows]


def count_comments(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(CommentRecord)).scalar_one())


def update_comment_scores(session: Session, scores: Sequence[tuple[int, CommentScores]]) -> None:
    """Overwrite the scores of stored comments, given by comment id."""
    for comment_id, scored in scores:
        record = session.get(CommentRecord, comment_id)
        if record is None:
            continue
        for name, value in scored.columns().items():
            setattr(record, name, value)


# -- the pull job's writes: what was fetched, with the cursor and budget, in one transaction --


@dataclass(frozen=True)
class CommentScores:
    """A comment's scores (``analysis.triage`` and the sentiment view); all ``None`` unscored."""

    sentiment_label: str | None = None
    sentiment_score: float | None = None
    flags: frozenset[str] = frozenset()
    stance: str | None = None
    stance_score: float | None = None
    lang: str | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "sentiment_label": self.sentiment_label,
            "sentiment_score": self.sentiment_score,
            "flags": sorted(self.flags),
            "stance": self.stance,
            "stance_score": self.stance_score,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class TrackStep:
    """One move of a delivery's metrics or comments track: its next slot and due instant
    (``None``: finished) and how many slots it passed without measuring."""

    track: str  # "metrics" | "comments"
    next_label: str | None
    next_at: datetime | None
    missed: int = 0


@dataclass(frozen=True)
class CursorPlan:
    """What planning decided for one delivery: its first slots (a delivery seen for the first
    time) and the steps of tracks with nothing to fetch."""

    delivery_id: int
    first: tuple[TrackStep, TrackStep] | None = None  # metrics, comments
    steps: tuple[TrackStep, ...] = ()


@dataclass(frozen=True)
class Measured:
    """One delivery's answer in a metrics batch: its figures, or ``None`` when the platform
    returned nothing for it."""

    delivery_id: int
    slot: str | None
    age_seconds: int
    counts: dict[str, int | None] | None
    extras: dict[str, Any]
    step: TrackStep | None


@dataclass(frozen=True)
class NewComment:
    platform_comment_id: str
    post_platform_id: str
    parent_id: str | None
    author: str
    text: str
    created_at: datetime
    url: str | None
    scores: CommentScores


@dataclass(frozen=True)
class PostComments:
    """The comments fetched for one delivery (``comments``: all of them, ``new``: those not
    stored before, scored) and the step of its comments track."""

    delivery_id: int
    comments: Sequence[NewComment]
    newest: tuple[datetime, str] | None  # (created_at, platform id) of the newest fetched
    step: TrackStep | None


NO_METRICS = "the platform returned no metrics (post deleted or hidden?)"


def _apply_step(cursor: PullCursor, step: TrackStep) -> None:
    setattr(cursor, f"next_{step.track}_slot", step.next_label)
    setattr(cursor, f"next_{step.track}_at", step.next_at)
    cursor.missed_slots += step.missed


def _refresh_due(cursor: PullCursor, now: datetime) -> None:
    pending = [t for t in (cursor.next_metrics_at, cursor.next_comments_at) if t is not None]
    cursor.next_due_at = min(pending) if pending else None
    cursor.updated_at = now


def _count_request(session: Session, platform: str, reads: int, now: datetime) -> None:
    state = platform_state(session, platform, now.date())
    state.reads_used += reads
    state.requests_used += 1
    state.updated_at = now
    state.last_error = state.last_error_at = None  # answered: an earlier failure is over


def blocked_until(engine: Engine, platform: str) -> datetime | None:
    """Until when the platform is rate limited (remembered across pulls), if it is."""
    with read_session(engine) as session:
        state = session.get(PlatformPullState, platform)
        return state.blocked_until if state else None


def schedule_cursors(
    engine: Engine, platform: str, now: datetime, plans: Sequence[CursorPlan]
) -> int:
    """Store the planning of a pull on one platform; returns the reads the platform used today."""
    with write_session(engine) as session:
        state = platform_state(session, platform, now.date())
        reads_used = state.reads_used
        load_cursors(session, [p.delivery_id for p in plans])
        for plan in plans:
            cursor = get_cursor(session, plan.delivery_id, platform)
            if plan.first is not None:
                for first in plan.first:
                    _apply_step(cursor, first)
            for track_step in plan.steps:
                _apply_step(cursor, track_step)
            _refresh_due(cursor, now)
    return reads_used


def record_failure(
    engine: Engine,
    platform: str,
    now: datetime,
    message: str,
    delivery_ids: Sequence[int] = (),
    blocked_until: datetime | None = None,
) -> None:
    """A failed request: counted, its error kept on the platform and on each delivery asked
    about, and the platform blocked until ``blocked_until`` (a rate limit)."""
    with write_session(engine) as session:
        state = platform_state(session, platform, now.date())
        state.requests_used += 1
        state.last_error, state.last_error_at = message, now
        for delivery_id in delivery_ids:
            cursor = get_cursor(session, delivery_id, platform)
            cursor.last_error, cursor.last_error_at = message, now
        if blocked_until is not None:
            state.blocked_until = blocked_until


def record_snapshots(
    engine: Engine, platform: str, now: datetime, reads: int, batch: Sequence[Measured]
) -> tuple[int, dict[int, dict[str, int | None]]]:
    """Store one metrics batch with its cursor and budget updates.

    Returns how many snapshots went in (a slot already stored is not stored twice) and, per
    delivery, the figures of its previous snapshot (to notice figures no longer given)."""
    added = 0
    with write_session(engine) as session:
        _count_request(session, platform, reads, now)
        delivery_ids = [m.delivery_id for m in batch]
        load_cursors(session, delivery_ids)
        previous = latest_snapshots(session, delivery_ids)
        for m in batch:
            cursor = get_cursor(session, m.delivery_id, platform)
            if m.counts is None:
                cursor.last_error, cursor.last_error_at = NO_METRICS, now
            else:
                added += add_snapshot(
                    session,
                    delivery_id=m.delivery_id,
                    platform=platform,
                    slot=m.slot,
                    taken_at=now,
                    age_seconds=m.age_seconds,
                    counts=m.counts,
                    extras=m.extras,
                )
                cursor.last_metrics_at = now
                cursor.last_error = cursor.last_error_at = None  # measured: old news
            if m.step is not None:
                _apply_step(cursor, m.step)
            _refresh_due(cursor, now)
    before = {
        d: {name: getattr(snap, name) for name in COUNT_FIELDS} for d, snap in previous.items()
    }
    return added, before


def known_comments(engine: Engine, platform: str, ids: Iterable[str]) -> set[str]:
    """``known_comment_ids`` in a transaction of its own."""
    with read_session(engine) as session:
        return known_comment_ids(session, platform, ids)


def record_comments(
    engine: Engine, platform: str, now: datetime, reads: int, posts: Sequence[PostComments]
) -> list[int]:
    """Store one comments request (new comments, cursors, budget) in one transaction;
    returns, per post in order, how many comments were stored new."""
    added: list[int] = []
    with write_session(engine) as session:
        _count_request(session, platform, reads, now)
        load_cursors(session, [p.delivery_id for p in posts])
        for post in posts:
            rows = [_comment_values(platform, post.delivery_id, c, now) for c in post.comments]
            added.append(insert_comments(session, rows))
            cursor = get_cursor(session, post.delivery_id, platform)
            if post.newest is not None:
                created_at, platform_id = post.newest
                if cursor.comments_since is None or created_at >= cursor.comments_since:
                    cursor.comments_since = created_at
                    cursor.last_comment_id = platform_id
            cursor.last_comments_at = now
            if cursor.last_error and cursor.last_error.startswith("comments"):
                cursor.last_error = cursor.last_error_at = None
            if post.step is not None:
                _apply_step(cursor, post.step)
            _refresh_due(cursor, now)
    return added


def _comment_values(
    platform: str, delivery_id: int, comment: NewComment, now: datetime
) -> dict[str, Any]:
    return {
        "platform": platform,
        "platform_comment_id": comment.platform_comment_id,
        "delivery_id": delivery_id,
        "post_platform_id": comment.post_platform_id,
        "parent_id": comment.parent_id,
        "author": comment.author[:200],
        "text": comment.text,
        "created_at": comment.created_at,
        "url": comment.url,
        **comment.scores.columns(),
        "ingested_at": now,
    }


def pass_track(
    engine: Engine, platform: str, delivery_id: int, now: datetime, step: TrackStep
) -> None:
    """Move one delivery's track on without measuring (the platform refuses it for good)."""
    with write_session(engine) as session:
        cursor = get_cursor(session, delivery_id, platform)
        _apply_step(cursor, step)
        _refresh_due(cursor, now)
