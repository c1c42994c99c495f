"""Answer one comment on its platform, at most once: the reply ledger (``store.inbox``) around
a connector's ``reply`` and ``find_reply``.

The order is the delivery ledger's: claim (a committed row), confirm (``sent_at`` committed)
immediately before the request leaves, then record the outcome. A lost answer is ``unknown``
and is settled by looking for the reply on the platform, here at once and on any later run;
nothing is ever sent a second time on a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from connectors.base import OutgoingReply, Published
from connectors.errors import ConnectorError, OutcomeUnknown
from connectors.platforms import display_name
from store.inbox import (
    AlreadyReplied,
    InboxComment,
    ReplyClaim,
    ReplyState,
    ReplyView,
    claim_reply,
    confirm_reply_send,
    finish_reply,
    reply_of,
)


@dataclass(frozen=True)
class ReplyOutcome:
    ok: bool
    reply: ReplyView
    message: str


def send_reply(
    engine: Engine,
    comment: InboxComment,
    text: str | None,
    *,
    connector: Callable[[], Any],
    actor: str,
) -> ReplyOutcome:
    """Send (or settle) the reply to ``comment``. Raises ``AlreadyReplied`` when it went out
    before; ``connector`` builds the platform's connector (only called when it is needed)."""
    existing = reply_of(engine, comment.id)
    if existing is not None and existing.state == ReplyState.SENT:
        raise AlreadyReplied(existing)
    conn = connector()  # before the claim: a platform that cannot be reached holds nothing
    claim = claim_reply(engine, comment.id, text, actor=actor)
    if text is not None and claim.kind == "reconcile" and text.strip() != claim.reply.text:
        note = " (your new --text was not used: the first reply may already be out)"
    else:
        note = ""
    outgoing = OutgoingReply(
        key=f"reply-{claim.reply.id}",
        comment_id=claim.reply.target_id,
        post_id=claim.reply.post_platform_id,
        text=claim.reply.text,
        thread_id=comment.parent_id,
    )
    if claim.kind == "reconcile":
        outcome = _reconcile(engine, conn, outgoing, claim, actor)
        return ReplyOutcome(outcome.ok, outcome.reply, outcome.message + note)
    confirm_reply_send(engine, claim.reply.id)
    try:
        published = conn.reply(outgoing)
    except OutcomeUnknown as exc:
        finish_reply(
            engine,
            claim.reply.id,
            ReplyState.UNKNOWN,
            actor=actor,
            reason=f"the platform's answer was lost: {exc.message}",
        )
        return _reconcile(engine, conn, outgoing, claim, actor)
    except ConnectorError as exc:
        view = finish_reply(
            engine, claim.reply.id, ReplyState.FAILED, actor=actor, reason=exc.message
        )
        return ReplyOutcome(
            False,
            view,
            f"The reply to comment {comment.id} was not sent: {exc.message}. Nothing is on "
            f"{display_name(comment.platform)}; run `beatpost reply {comment.id} --text ...` "
            "again to retry.",
        )
    return _sent(engine, claim, published, actor, f"Replied on {display_name(comment.platform)}")


def _reconcile(
    engine: Engine, conn: Any, outgoing: OutgoingReply, claim: ReplyClaim, actor: str
) -> ReplyOutcome:
    comment_id = claim.reply.comment_id
    try:
        found = conn.find_reply(outgoing, claim.since)
    except ConnectorError as exc:
        view = finish_reply(
            engine,
            claim.reply.id,
            ReplyState.UNKNOWN,
            actor=actor,
            reason=f"could not check the platform: {exc.message}",
        )
        return ReplyOutcome(
            False,
            view,
            f"The reply to comment {comment_id} may or may not be out (unknown), and the "
            f"platform could not be checked: {exc.message}. Run `beatpost reply {comment_id}` "
            "again later: it is looked for, never sent twice.",
        )
    if found is not None:
        return _sent(
            engine,
            claim,
            found,
            actor,
            "The platform's answer was lost, but the reply is there (not sent again)",
        )
    view = finish_reply(
        engine,
        claim.reply.id,
        ReplyState.FAILED,
        actor=actor,
        reason="not found on the platform after its answer was lost; not sent again",
    )
    return ReplyOutcome(
        False,
        view,
        f"The reply to comment {comment_id} is not on {display_name(claim.reply.platform)}: "
        "the request failed without a clear answer and nothing was sent again. Check the "
        f"comment on the platform; to send it, run `beatpost reply {comment_id}` again.",
    )


def _sent(
    engine: Engine, claim: ReplyClaim, published: Published, actor: str, what: str
) -> ReplyOutcome:
    view = finish_reply(
        engine,
        claim.reply.id,
        ReplyState.SENT,
        actor=actor,
        platform_reply_id=published.platform_id,
        url=published.url,
        replied_at=published.published_at,
    )
    where = f": {published.url}" if published.url else ""
    return ReplyOutcome(
        True, view, f"{what}{where}. Comment {claim.reply.comment_id} is marked replied."
    )


_UNSETTLED = {
    "unknown": "may or may not be out (unknown); run `beatpost reply {id}` to check",
    "failed": "was not sent ({reason}); run `beatpost reply {id}` to send it",
    "sending": "was interrupted; run `beatpost reply {id}` to settle it",
}


def unsettled_line(reply: ReplyView) -> str:
    """What a person reads about a reply that did not go out, and the command that settles it;
    the platform's reason is shortened and inert."""
    from beatpost.display import plain

    reason = plain(reply.reason or "", 120)
    what = _UNSETTLED[reply.state].format(id=reply.comment_id, reason=reason)
    return f"Reply to comment {reply.comment_id} on {display_name(reply.platform)} {what}."
