"""The inbox's store: schema, marks, the "needs a reply" lists and the reply claim."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from sqlmodel import Session, SQLModel

from analysis.digest.build import build_digest
from store import Ledger, upgrade
from store.inbox import (
    AlreadyReplied,
    InboxError,
    ReplyState,
    claim_reply,
    confirm_reply_send,
    finish_reply,
    mark_comment,
)
from tests.analysis.test_digest_build import NOW, WEEK, comment, delivery, settings, utc
from tests.ledger_fixtures import db_url_engine  # noqa: F401 - SQLite, and PostgreSQL when set

INBOX_TABLES = {"comment_marks", "comment_replies"}


@pytest.fixture
def db(db_url_engine):  # noqa: F811 - pytest passes the imported fixture by name
    upgrade(db_url_engine)
    with Session(db_url_engine) as session:
        session.add(delivery(1, "x", "event", utc(9, 15)))
        session.commit()
        session.add_all(
            [
                comment(1, 1, utc(9, 20), "neutral", "needs_reply", text="How do I apply?"),
                comment(2, 1, utc(9, 21), "neutral", "needs_reply", text="Is there an age limit?"),
                comment(3, 1, utc(9, 22), "neutral", "needs_reply", text="When is the test?"),
            ]
        )
        session.commit()
    return db_url_engine


def test_inbox_models_match_the_migration(db):
    import store.inbox_models  # noqa: F401 - registers the tables

    tables = MetaData()
    for name in INBOX_TABLES:
        SQLModel.metadata.tables[name].to_metadata(tables)
    for name in ("comments", "deliveries"):  # the foreign keys' targets
        SQLModel.metadata.tables[name].to_metadata(tables)
    with db.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, reflected, other: (
                    type_ != "table" or name in INBOX_TABLES
                ),
            },
        )
        assert compare_metadata(ctx, tables) == []


def test_digest_needs_reply_leaves_out_comments_marked_replied_or_dismissed(db):
    before = build_digest(db, WEEK, settings(), lambda: NOW)
    assert before.needs_reply_total == 3
    mark_comment(db, 1, "replied", actor="pio")
    mark_comment(db, 2, "dismissed", actor="pio", note="spam")
    mark_comment(db, 3, "escalated", actor="pio")
    after = build_digest(db, WEEK, settings(), lambda: NOW)
    assert [r.text for r in after.needs_reply] == ["When is the test?"]
    assert after.needs_reply_total == 1


def test_the_digest_counts_officer_safety_first_and_says_when_each_was_written(db):
    """The week in one line (the email's preview) counted replies and hostile comments, not
    the comments about officer safety that the digest lists first with "review now"."""
    from analysis.digest.render import headline, render

    with Session(db) as session:
        session.add(comment(4, 1, utc(9, 23), "neutral", "safety", text="Where does he live?"))
        session.commit()
    data = build_digest(db, WEEK, settings(), lambda: NOW)
    line = headline(data)
    assert "; 1 about officer safety (review now), 3 need a reply." in line
    rendered = render(data)
    assert line in rendered.text
    assert '<a href="#safety">1 about officer safety</a>' in rendered.html
    assert 'id="safety"' in rendered.html
    # each safety comment says when it was written, in local time, as the other lists do
    # (it said only "6 days ago")
    review = rendered.text.split("OFFICER SAFETY - REVIEW NOW")[1].split("COMMENTS THAT")[0]
    assert "- @user4 on X, Tue 9 Mar 17:00, " in review and "Review: https://x.com/" in review
    safety_html = rendered.html.split('id="safety"')[1].split("</td>")[0]
    assert "Tue 9 Mar 17:00" in safety_html


def test_marking_again_keeps_every_mark_in_the_audit_log(db):
    mark_comment(db, 1, "escalated", actor="pio", note="to the chief")
    previous, item = mark_comment(db, 1, "dismissed", actor="chief")
    assert previous == "escalated" and item.mark == "dismissed" and item.marked_by == "chief"
    log = Ledger(db).audit_log("comment", "1")
    assert [(e.from_state, e.to_state, e.actor) for e in log] == [
        (None, "escalated", "pio"),
        ("escalated", "dismissed", "chief"),
    ]
    with pytest.raises(InboxError, match="unknown mark 'done'"):
        mark_comment(db, 1, "done", actor="pio")


def test_a_reply_being_sent_cannot_be_claimed_a_second_time(db):
    first = claim_reply(db, 1, "Apply at example.test", actor="pio", now=NOW)
    assert first.kind == "send"
    with pytest.raises(InboxError, match="being sent by pio right now"):
        claim_reply(db, 1, "Apply at example.test", actor="deputy", now=NOW)


def test_a_reply_left_sending_after_the_request_left_is_reconciled_not_resent(db):
    claim = claim_reply(db, 1, "Apply at example.test", actor="pio", now=NOW)
    confirm_reply_send(db, claim.reply.id, now=NOW)
    # The command died here. After the lease, the next run must look, not send.
    later = NOW + timedelta(minutes=5)
    again = claim_reply(db, 1, "Other words", actor="pio", now=later)
    assert again.kind == "reconcile"
    assert again.reply.text == "Apply at example.test" and again.reply.state == "unknown"
    finish_reply(db, claim.reply.id, ReplyState.SENT, actor="pio", platform_reply_id="r1")
    with pytest.raises(AlreadyReplied):
        claim_reply(db, 1, "Apply at example.test", actor="pio", now=later)


def test_a_reply_left_sending_before_the_request_left_is_sent_again(db):
    claim_reply(db, 1, "Apply at example.test", actor="pio", now=NOW)
    # The command died before the request left (no sent_at): sending is safe.
    again = claim_reply(db, 1, None, actor="pio", now=NOW + timedelta(minutes=5))
    assert again.kind == "send" and again.reply.text == "Apply at example.test"


def test_list_comments_filters_on_flags_and_leaves_out_the_accounts_own_replies(db):
    from store.inbox import list_comments

    everything = list_comments(db, since=utc(1, 0))
    assert [c.id for c in everything] == [3, 2, 1]  # newest first
    claim = claim_reply(db, 1, "Apply at example.test", actor="pio", now=NOW)
    finish_reply(db, claim.reply.id, ReplyState.SENT, actor="pio", platform_reply_id="c3")
    # c3 is the account's answer as the pull stored it; comment 1 is answered (marked replied).
    assert [c.id for c in list_comments(db, flags=["needs_reply"])] == [2]
    listed = list_comments(db, include_handled=True, platform="x")
    assert [(c.id, c.mark, c.reply_state) for c in listed] == [
        (2, None, None),
        (1, "replied", "sent"),
    ]
    assert list_comments(db, flags=["safety"]) == []
    assert list_comments(db, platform="facebook") == []


def test_list_comments_puts_flagged_first_before_the_limit_cuts(db):
    """A safety comment older than the newest ``limit`` comments was cut off, then the rest
    sorted: the inbox silently lost what needs someone now."""
    from store.inbox import list_comments

    with Session(db) as session:
        session.add(comment(4, 1, utc(9, 10), "negative", "safety", text="Where does he live?"))
        session.add(comment(5, 1, utc(9, 11), "negative", "hostile", text="You clowns."))
        session.commit()
    # 4 and 5 are the oldest of five comments; the two newest are 3 and 2.
    listed = list_comments(db, first=("safety", "hostile"), limit=2)
    assert [c.text for c in listed] == ["Where does he live?", "You clowns."]
    assert listed.left_out == 3
    everything = list_comments(db, first=("safety", "hostile"))
    assert [c.id for c in everything][2:] == [3, 2, 1] and everything.left_out == 0
