"""The comments inbox: list comments with what was done about them, mark them, and the reply
ledger (a reply goes out at most once and never silently not at all).

Reply states (see ``ReplyState``)::

    (none) --claim--> sending --ok--> sent (platform id, url)
    sending --refused, provably not applied--> failed (the command may be run again)
    sending --timeout / 5xx after the request left--> unknown --reconcile--> sent | failed

A reply is one row per comment; claiming it is inserting that row (or taking a ``failed`` one
back), so two commands cannot both send. ``unknown`` is settled only by finding the reply on the
platform (``connector.find_reply``), never by sending again. Every change is an audit_log row
(entity ``reply``); marks are audit_log rows too (entity ``comment``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from store.engine import chunks, read_session, write_session
from store.inbox_models import HANDLED, CommentMark, CommentReply, Mark, ReplyState
from store.ledger import audit
from store.ledger_types import RowView, detached, iso
from store.metrics_models import CommentRecord
from store.models import Delivery
from store.timeutil import utc_now

REPLY_LEASE = timedelta(minutes=2)


class InboxError(Exception):
    """An inbox operation refused (unknown comment, reply in progress); the message says why."""


class AlreadyReplied(InboxError):
    """The comment has a reply that went out; nothing more is sent."""

    def __init__(self, reply: ReplyView):
        where = f": {reply.url}" if reply.url else ""
        super().__init__(f"comment {reply.comment_id} already has a reply{where}")
        self.reply = reply


@dataclass(frozen=True)
class InboxComment:
    """One comment as the inbox shows it, with its post, mark and reply."""

    id: int
    platform: str
    platform_comment_id: str
    delivery_id: int
    post_platform_id: str
    parent_id: str | None  # the platform's id of the comment this one answers, if any
    post_text: str
    post_url: str | None
    author: str
    text: str
    url: str | None
    created_at: datetime
    flags: tuple[str, ...]
    sentiment: str | None
    mark: str | None
    marked_by: str | None
    marked_at: datetime | None
    note: str | None
    reply_state: str | None
    reply_url: str | None

    @property
    def answer_url(self) -> str | None:
        """Where a person answers it: the comment's own link, else its post's (Instagram gives
        no link to a comment)."""
        return self.url or self.post_url

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "platform_comment_id": self.platform_comment_id,
            "delivery_id": self.delivery_id,
            "post_platform_id": self.post_platform_id,
            "post_text": self.post_text,
            "post_url": self.post_url,
            "author": self.author,
            "text": self.text,
            "url": self.url,
            "answer_url": self.answer_url,
            "created_at": iso(self.created_at),
            "flags": list(self.flags),
            "sentiment": self.sentiment,
            "mark": self.mark,
            "marked_by": self.marked_by,
            "marked_at": iso(self.marked_at),
            "note": self.note,
            "reply_state": self.reply_state,
            "reply_url": self.reply_url,
        }


class InboxList(list[InboxComment]):
    """The comments listed, and how many more matched than ``limit`` let through."""

    def __init__(self, items: Iterable[InboxComment] = (), left_out: int = 0):
        super().__init__(items)
        self.left_out = left_out


@dataclass(frozen=True)
class ReplyView(RowView):
    id: int
    comment_id: int
    platform: str
    target_id: str
    post_platform_id: str
    text: str
    state: str
    reason: str | None
    attempt_count: int
    sent_at: datetime | None
    platform_reply_id: str | None
    url: str | None
    replied_at: datetime | None


@dataclass(frozen=True)
class ReplyClaim:
    """What the caller must do now: ``send`` the reply, or ``reconcile`` it (look for it on
    the platform, created since ``since``; never send it)."""

    kind: str
    reply: ReplyView
    since: datetime


# -- listing ------------------------------------------------------------------------------------


def list_comments(
    engine: Engine,
    *,
    flags: Collection[str] = (),
    platform: str | None = None,
    since: datetime | None = None,
    include_handled: bool = False,
    first: Sequence[str] = (),
    limit: int | None = None,
) -> InboxList:
    """Comments newest first, with their post, mark and reply.

    ``flags``: keep comments carrying any of these flag names (whatever flags the comment row
    holds). ``include_handled``: also those marked replied or dismissed. ``first``: comments
    carrying these flag names come before the others, in this order. ``limit`` cuts the list
    after that order, so a comment put first is never the one left out; ``left_out`` counts
    the rest. The department's own replies sent from here are never listed as comments.
    """
    ours = aliased(CommentReply)
    own_reply = (
        exists()
        .where(
            ours.platform == CommentRecord.platform,
            ours.platform_reply_id == CommentRecord.platform_comment_id,
        )
        .correlate(CommentRecord)
    )
    query = (
        _inbox_query()
        .where(~own_reply)
        .order_by(col(CommentRecord.created_at).desc(), col(CommentRecord.id).desc())
    )
    if platform:
        query = query.where(col(CommentRecord.platform) == platform)
    if since is not None:
        query = query.where(col(CommentRecord.created_at) >= since)
    wanted = set(flags)
    found: list[InboxComment] = []
    with read_session(engine) as session:
        for comment, post_text, post_url, mark, reply in session.execute(query):
            carried = tuple(sorted(str(f) for f in (comment.flags or ())))
            if wanted and not wanted.intersection(carried):
                continue
            if not include_handled and mark is not None and mark.state in HANDLED:
                continue
            found.append(_item(comment, post_text, post_url, mark, reply, carried))

    def rank(item: InboxComment) -> int:
        return next((i for i, flag in enumerate(first) if flag in item.flags), len(first))

    found.sort(key=rank)  # stable: newest first within each rank
    if limit is None or len(found) <= limit:
        return InboxList(found)
    return InboxList(found[:limit], left_out=len(found) - limit)


def get_comment(engine: Engine, comment_id: int) -> InboxComment:
    found = get_comments(engine, [comment_id])
    if not found:
        raise _no_comment(comment_id)
    return found[0]


def get_comments(engine: Engine, comment_ids: Sequence[int]) -> list[InboxComment]:
    """The comments of ``comment_ids`` as the inbox shows them, in that order (ids of no
    comment are left out)."""
    by_id: dict[int, InboxComment] = {}
    with read_session(engine) as session:
        for chunk in chunks(comment_ids):
            query = _inbox_query().where(col(CommentRecord.id).in_(chunk))
            for comment, post_text, post_url, mark, reply in session.execute(query):
                flags = tuple(sorted(comment.flags or ()))
                by_id[comment.id] = _item(comment, post_text, post_url, mark, reply, flags)
    return [by_id[i] for i in comment_ids if i in by_id]


def _inbox_query() -> Any:
    """Comments with their post's text and link, their mark and their reply."""
    return (
        select(CommentRecord, Delivery.text, Delivery.url, CommentMark, CommentReply)
        .join(Delivery, col(Delivery.id) == col(CommentRecord.delivery_id), isouter=True)
        .join(CommentMark, col(CommentMark.comment_id) == col(CommentRecord.id), isouter=True)
        .join(CommentReply, col(CommentReply.comment_id) == col(CommentRecord.id), isouter=True)
    )


def _item(
    comment: CommentRecord,
    post_text: str | None,
    post_url: str | None,
    mark: CommentMark | None,
    reply: CommentReply | None,
    flags: tuple[str, ...],
) -> InboxComment:
    assert comment.id is not None
    return detached(  # the comment's own fields by name, then the rest
        InboxComment,
        comment,
        post_text=post_text or "",
        post_url=post_url,
        flags=flags,
        sentiment=comment.sentiment_label,
        mark=mark.state if mark else None,
        marked_by=mark.marked_by if mark else None,
        marked_at=mark.marked_at if mark else None,
        note=mark.note if mark else None,
        reply_state=reply.state if reply else None,
        reply_url=reply.url if reply else None,
    )


def _no_comment(comment_id: int) -> InboxError:
    return InboxError(f"no comment with id {comment_id}; `beatpost comments --all` lists them")


def answered_comment_ids(session: Session, comment_ids: Iterable[int]) -> set[int]:
    """Those of ``comment_ids`` marked replied or dismissed: off every "needs a reply" list."""
    answered: set[int] = set()
    for chunk in chunks(comment_ids):
        answered.update(
            session.execute(
                select(CommentMark.comment_id).where(
                    col(CommentMark.comment_id).in_(chunk),
                    col(CommentMark.state).in_([str(m) for m in HANDLED]),
                )
            ).scalars()
        )
    return answered


# -- marks --------------------------------------------------------------------------------------


def mark_comment(
    engine: Engine,
    comment_id: int,
    mark: Mark | str,
    *,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
) -> tuple[str | None, InboxComment]:
    """Record what a person did about a comment; returns (previous mark, the comment now)."""
    try:
        state = Mark(mark)
    except ValueError:
        raise InboxError(
            f"unknown mark {mark!r}; use one of: {', '.join(m.value for m in Mark)}"
        ) from None
    now = now or utc_now()
    with write_session(engine) as session:
        if session.get(CommentRecord, comment_id) is None:
            raise _no_comment(comment_id)
        previous = _set_mark(session, comment_id, state, actor=actor, note=note, now=now)
    return previous, get_comment(engine, comment_id)


def _set_mark(
    session: Session, comment_id: int, state: Mark, *, actor: str, note: str | None, now: datetime
) -> str | None:
    row = session.get(CommentMark, comment_id, with_for_update=True)
    previous = row.state if row else None
    if row is None:
        row = CommentMark(comment_id=comment_id, state=state, marked_by=actor, marked_at=now)
    row.state, row.note, row.marked_by, row.marked_at = state, note, actor, now
    session.add(row)
    audit(session, ("comment", comment_id), (previous, state), note, actor=actor, at=now)
    return previous


# -- the reply ledger ---------------------------------------------------------------------------


def claim_reply(
    engine: Engine,
    comment_id: int,
    text: str | None,
    *,
    actor: str,
    now: datetime | None = None,
    lease: timedelta = REPLY_LEASE,
) -> ReplyClaim:
    """Take the comment's reply for sending or reconciling, in one transaction.

    Raises ``AlreadyReplied`` when it went out, ``InboxError`` when another command holds it
    or there is no text to send.
    """
    now = now or utc_now()
    if text is not None and not text.strip():
        raise InboxError("the reply text is empty (--text)")
    with write_session(engine) as session:
        comment = session.get(CommentRecord, comment_id, with_for_update=True)
        if comment is None:
            raise _no_comment(comment_id)
        row = session.execute(
            select(CommentReply).where(col(CommentReply.comment_id) == comment_id).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            if text is None:
                raise InboxError(f"comment {comment_id} has no reply yet; give one with --text")
            row = CommentReply(
                comment_id=comment_id,
                platform=comment.platform,
                target_id=comment.platform_comment_id,
                post_platform_id=comment.post_platform_id,
                text=text.strip(),
                created_by=actor,
                created_at=now,
            )
            _hold(row, actor, now, lease)
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                raise InboxError(
                    f"another beatpost command is replying to comment {comment_id}; "
                    "run `beatpost reply` again in a minute"
                ) from None
            _audit(session, row, None, "claimed to send", actor, now)
            return ReplyClaim("send", ReplyView.of(row), now)
        state = ReplyState(row.state)
        if state is ReplyState.SENT:
            raise AlreadyReplied(ReplyView.of(row))
        held = row.lease_expires_at is not None and row.lease_expires_at > now
        if state is ReplyState.SENDING and held:
            raise InboxError(
                f"the reply to comment {comment_id} is being sent by {row.lease_owner} right "
                "now; run `beatpost reply` again in a minute"
            )
        if state is ReplyState.UNKNOWN or (state is ReplyState.SENDING and row.sent_at):
            if state is ReplyState.SENDING:
                _move(
                    session,
                    row,
                    ReplyState.UNKNOWN,
                    actor,
                    now,
                    "the command stopped after the request left; checking the platform",
                )
            _hold(row, actor, now, lease)
            since = row.sent_at or row.created_at
            return ReplyClaim("reconcile", ReplyView.of(row), since)
        # failed, or sending that provably never left: safe to send (again).
        if text is not None:
            row.text = text.strip()
        _hold(row, actor, now, lease)
        row.sent_at = None
        _move(session, row, ReplyState.SENDING, actor, now, "claimed to send")
        return ReplyClaim("send", ReplyView.of(row), now)


def confirm_reply_send(engine: Engine, reply_id: int, *, now: datetime | None = None) -> None:
    """The last write before the request leaves: from here on a lost answer is ``unknown``."""
    now = now or utc_now()
    with write_session(engine) as session:
        row = _reply_row(session, reply_id)
        if row.state != ReplyState.SENDING:
            raise InboxError(f"reply {reply_id} is {row.state}, not sending; nothing was sent")
        row.sent_at = now
        row.attempt_count += 1
        row.updated_at = now
        session.add(row)


def finish_reply(
    engine: Engine,
    reply_id: int,
    state: ReplyState,
    *,
    actor: str,
    now: datetime | None = None,
    reason: str | None = None,
    platform_reply_id: str | None = None,
    url: str | None = None,
    replied_at: datetime | None = None,
) -> ReplyView:
    """Record how a send or a reconciliation ended. A reply that went out also marks its
    comment ``replied`` (it leaves the "needs a reply" lists)."""
    now = now or utc_now()
    with write_session(engine) as session:
        row = _reply_row(session, reply_id)
        if row.state == ReplyState.SENT:
            return ReplyView.of(row)
        if state is ReplyState.SENT:
            row.platform_reply_id = platform_reply_id
            row.url = url
            row.replied_at = replied_at or now
        row.lease_owner = None
        row.lease_expires_at = None
        _move(session, row, state, actor, now, reason)
        if state is ReplyState.SENT:
            _set_mark(
                session,
                row.comment_id,
                Mark.REPLIED,
                actor=actor,
                now=now,
                note=f"answered from beatpost ({url or platform_reply_id})",
            )
        return ReplyView.of(row)


def reply_of(engine: Engine, comment_id: int) -> ReplyView | None:
    with read_session(engine) as session:
        row = session.execute(
            select(CommentReply).where(col(CommentReply.comment_id) == comment_id)
        ).scalar_one_or_none()
        return ReplyView.of(row) if row else None


def unsettled_replies(engine: Engine) -> list[ReplyView]:
    """Replies a person must look at: unknown, failed, or left sending."""
    with read_session(engine) as session:
        rows = session.execute(
            select(CommentReply)
            .where(col(CommentReply.state) != ReplyState.SENT)
            .order_by(col(CommentReply.created_at))
        ).scalars()
        return [ReplyView.of(r) for r in rows]


def _reply_row(session: Session, reply_id: int) -> CommentReply:
    row = session.get(CommentReply, reply_id, with_for_update=True)
    if row is None:
        raise InboxError(f"no reply with id {reply_id}")
    return row


def _hold(row: CommentReply, actor: str, now: datetime, lease: timedelta) -> None:
    row.lease_owner = actor
    row.lease_expires_at = now + lease
    row.updated_at = now


def _move(
    session: Session,
    row: CommentReply,
    to: ReplyState,
    actor: str,
    now: datetime,
    reason: str | None,
) -> None:
    frm = row.state
    row.state = to
    row.reason = reason
    row.updated_at = now
    session.add(row)
    session.flush()
    _audit(session, row, frm, reason, actor, now)


def _audit(
    session: Session,
    row: CommentReply,
    frm: str | None,
    reason: str | None,
    actor: str,
    now: datetime,
) -> None:
    note = f"comment {row.comment_id}" + (f": {reason}" if reason else "")
    audit(session, ("reply", row.id), (frm, row.state), note, actor=actor, at=now)


__all__ = [
    "AlreadyReplied",
    "InboxComment",
    "InboxError",
    "InboxList",
    "Mark",
    "REPLY_LEASE",
    "ReplyClaim",
    "ReplyState",
    "ReplyView",
    "answered_comment_ids",
    "claim_reply",
    "confirm_reply_send",
    "finish_reply",
    "get_comment",
    "get_comments",
    "list_comments",
    "mark_comment",
    "reply_of",
    "unsettled_replies",
]
