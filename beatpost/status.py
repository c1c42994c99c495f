"""What ``beatpost status`` shows, gathered in one place: the ledger's report, the daemon,
failing engagement pulls, comments that need a reply or are about officer safety, and the
latest weekly digest sends. The command only formats a ``Status``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from analysis.flags import SAFETY
from analysis.timeframe import IsoWeek, week_zone

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from config.settings import Settings
    from store import StatusReport
    from store.digest_models import DigestSend
    from store.inbox import InboxComment, ReplyView
    from store.metrics import PullProblem

DIGEST_ROWS = 3  # the latest weekly sends shown by status
TOKEN_WARNING_DAYS = 14  # status warns this many days before an access token expires


@dataclass(frozen=True)
class TokenExpiry:
    """A platform whose access token expires soon (or has), from its ``token_expires``."""

    platform: str  # the name a PIO reads ("Threads")
    section: str  # the settings section ("threads")
    expires: date
    days_left: int  # negative: expired that many days ago


@dataclass(frozen=True)
class DaemonState:
    running: bool
    pid: str | None  # as the lock file holds it ("?" where it cannot be read)


@dataclass(frozen=True)
class Status:
    """Everything ``status`` shows, as of ``now``."""

    now: datetime
    ledger: StatusReport
    #: None where it cannot be told (a PostgreSQL store: the daemon runs elsewhere).
    daemon: DaemonState | None
    pull_problems: list[PullProblem]
    #: Comments written since ``needs_reply_since``: needing a reply, and about safety.
    needs_reply_since: datetime
    needs_reply: list[InboxComment]
    safety: list[InboxComment]
    digests: list[DigestSend]
    tokens: list[TokenExpiry] = field(default_factory=list)
    #: Replies to comments that did not go out (unknown, failed, interrupted), however old.
    replies: list[ReplyView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        from analysis.digest.send import describe_send

        payload = self.ledger.to_json()
        payload["daemon"] = (
            None
            if self.daemon is None
            else {"running": self.daemon.running, "pid": self.daemon.pid}
        )
        payload["pull_problems"] = [
            {"platform": p.platform, "error": p.error, "since": _utc_json(p.at)}
            for p in self.pull_problems
        ]
        payload["needs_reply_since"] = _utc_json(self.needs_reply_since)
        payload["safety"] = [_comment_json(c) for c in self.safety]
        payload["needs_reply"] = [_comment_json(c) for c in self.needs_reply]
        payload["digest"] = [
            {
                "week": row.week,
                "status": str(row.status),
                "attempts": row.attempts,
                "recipients": row.recipient_count,
                "last_error": row.last_error,
                "summary": describe_send(row),
            }
            for row in self.digests
        ]
        payload["unsettled_replies"] = [
            {
                "comment_id": r.comment_id,
                "platform": r.platform,
                "state": r.state,
                "reason": r.reason,
                "text": r.text,
            }
            for r in self.replies
        ]
        payload["token_expiry"] = [
            {"platform": t.section, "expires": t.expires.isoformat(), "days_left": t.days_left}
            for t in self.tokens
        ]
        return payload


def expiring_tokens(settings: Settings, today: date) -> list[TokenExpiry]:
    """Switched-on platforms whose ``token_expires`` is at most ``TOKEN_WARNING_DAYS`` away
    (or past), soonest first. Platforms whose settings carry no expiry are not listed."""
    from connectors.platforms import TABLE

    found = []
    for name, row in TABLE.items():
        section = getattr(settings, name, None)
        expires = getattr(section, "token_expires", None)
        if expires is None or not getattr(section, "enabled", True):
            continue
        days_left = (expires - today).days
        if days_left <= TOKEN_WARNING_DAYS:
            found.append(TokenExpiry(row.display_name, name, expires, days_left))
    return sorted(found, key=lambda t: (t.expires, t.section))


def reply_window_start(settings: Settings, now: datetime) -> datetime:
    """Where ``status`` starts listing comments that need a reply by default: the Monday
    (local midnight) of the week the latest weekly digest covers, so every comment that
    digest counted is listed, plus this week's so far."""
    zone = week_zone(settings)
    return IsoWeek.last_complete(now, zone).bounds(zone)[0]


def gather_status(
    engine: Engine, settings: Settings, now: datetime, since: datetime | None = None
) -> Status:
    """The status as of ``now``; comments since ``since`` (default ``reply_window_start``)."""
    from analysis.digest.send import digest_sends
    from store import Ledger
    from store.engine import read_session
    from store.inbox import get_comments, unsettled_replies
    from store.metrics import comments_between, comments_needing_reply, pull_problems

    start = since if since is not None else reply_window_start(settings, now)
    report = Ledger(engine, owner=f"cli ({settings.actor})").status(now)
    end = now + timedelta(seconds=1)
    with read_session(engine) as session:
        needs_reply = comments_needing_reply(session, start, end)
        recent = comments_between(session, start, end)
        failing = pull_problems(session)
    return Status(
        now=now,
        ledger=report,
        daemon=daemon_state(engine),
        pull_problems=failing,
        needs_reply_since=start,
        # as the inbox shows them: the number `reply` and `comments mark` take, a link to
        # answer each (the post's where the platform gives none), what was done
        needs_reply=get_comments(engine, [c.id for c in needs_reply]),
        safety=get_comments(engine, [c.id for c in recent if SAFETY in (c.flags or [])]),
        digests=digest_sends(engine, limit=DIGEST_ROWS),
        tokens=expiring_tokens(settings, now.astimezone(week_zone(settings)).date()),
        replies=unsettled_replies(engine),
    )


def daemon_state(engine: Engine) -> DaemonState | None:
    """Whether a daemon runs on this SQLite database (None: cannot tell, e.g. PostgreSQL)."""
    from beatpost.singleton import DaemonLock
    from store import sqlite_path

    database = sqlite_path(engine)
    if database is None:
        return None
    pid = DaemonLock(database).holder()
    return DaemonState(running=pid is not None, pid=pid)


def _utc_json(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _comment_json(comment: InboxComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "platform": comment.platform,
        "delivery_id": comment.delivery_id,
        "author": comment.author,
        "text": comment.text,
        "url": comment.url,
        "answer_url": comment.answer_url,
        "mark": comment.mark,
        "marked_by": comment.marked_by,
        "created_at": _utc_json(comment.created_at),
    }
