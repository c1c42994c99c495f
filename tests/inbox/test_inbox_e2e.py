"""``comments``, ``comments mark`` and ``reply`` through the real CLI, against the sandbox over
real HTTP."""

from __future__ import annotations

import json
import re

import pytest

from connectors.sandbox.faults import FaultPlan
from store import Ledger
from store.inbox import reply_of

from .conftest import OPERATOR

PLATFORMS = ("x", "facebook", "instagram")
# The request that creates a reply, per platform (fault injection aims at it).
REPLY_PATHS = {"x": r"^/2/tweets$", "facebook": r"/comments$", "instagram": r"/replies$"}


def _listed(rig, *args: str) -> list[dict]:
    result = rig.run("comments", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_comments_lists_each_comment_with_a_link_to_answer_it(rig):
    rows = _listed(rig)
    assert len(rows) == 9
    by_id = {row["id"]: row for row in rows}
    lead = by_id[rig.comment_ids[("x", "lead")]]
    assert lead["flags"] == ["needs_reply"]
    assert lead["answer_url"] == lead["url"]
    assert lead["post_text"] == "Applications are open (x)"
    # Instagram gives no link to a comment: the post's link is where it is answered.
    ig = by_id[rig.comment_ids[("instagram", "lead")]]
    assert ig["url"] is None and ig["answer_url"] == ig["post_url"]
    # Hostile comments come first: they need someone now.
    assert "hostile" in rows[0]["flags"]


def test_comments_filters_on_flag_names_and_platform(rig):
    leads = _listed(rig, "--needs-reply")
    assert sorted(r["platform"] for r in leads) == sorted(PLATFORMS)
    assert all("needs_reply" in r["flags"] for r in leads)
    # the table names it "Facebook": typed that way it is the same platform
    assert _listed(rig, "--platform", "Facebook") == _listed(rig, "--platform", "facebook")
    both = _listed(rig, "--needs-reply", "--hostile", "--platform", "facebook")
    assert sorted(tuple(r["flags"]) for r in both) == [("hostile", "negative"), ("needs_reply",)]
    # Flags the comment rows do not carry yet filter to nothing, without an error.
    assert _listed(rig, "--safety") == []
    assert _listed(rig, "--critical") == []


def test_comments_table_shows_text_inert(rig):
    rig.state  # noqa: B018 - the rig's sandbox is up
    from sqlalchemy import text as sql

    with rig.engine.begin() as conn:
        conn.execute(
            sql("UPDATE comments SET text = :t WHERE id = :i"),
            {"t": "\x1b[2Jwhen is the [bold red]test[/]?", "i": rig.comment_ids[("x", "lead")]},
        )
    result = rig.run("comments", "--needs-reply", "--platform", "x")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "[bold red]test[/]" in result.output
    assert "Applications are open (x)" in result.output
    assert "(s)" not in result.output  # the title said "1 comment(s), newest first"
    assert re.search(r"\b1 comment, newest first|\b\d+ comments, newest first", result.output)


def test_an_empty_inbox_says_since_when_and_how_to_see_more(rig):
    """ "No comments match." did not say the list starts 7 days back, nor how to see older."""
    result = rig.run("comments", "--safety", "--since", "2d")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"No comments written since \d{4}-\d\d-\d\d \d\d:\d\d \w+ match", result.output
    )
    assert "--since 30d goes further back; --all adds" in result.output


def test_comments_says_how_many_the_limit_left_out(rig):
    result = rig.run("comments", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "6 more comments matched but not shown (--limit 3)" in result.output
    as_json = rig.run("comments", "--format", "json", "--limit", "3")
    listed = json.loads(as_json.stdout)  # the hostile ones, whatever their age
    assert len(listed) == 3 and all("hostile" in r["flags"] for r in listed)
    assert "6 more comments" in as_json.stderr  # the JSON itself stays a list


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--since", "last tuesday"], "--since"),
        (["--platform", "myspace"], "--platform"),
        (["--format", "csv"], "--format"),
        (["mark", "1", "answered"], "answered"),
        (["mark", "999", "replied"], "no comment with id 999"),
    ],
)
def test_comments_bad_arguments_give_a_clear_error(rig, args, named):
    result = rig.run("comments", *args)
    assert result.exit_code != 0
    assert named in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["comments", "mark", "99999999999999999999999", "replied"], "too large"),
        (["comments", "mark", "0", "replied"], "numbers start at 1"),
        (["reply", "99999999999999999999999", "--text", "Hi"], "too large"),
        (["comments", "mark", "{lead}", "dismissed", "--note", "ok\x1b[2J"], "--note"),
        (["reply", "{lead}", "--text", "Yes!\x1b[31m"], "control characters"),
        (["reply", "{lead}", "--text", "Apply \u202ehere\u202c today"], "control characters"),
        (["reply", "{lead}", "--text", "  "], "the reply is empty"),
    ],
)
def test_bad_ids_and_words_are_bad_usage_and_change_nothing(rig, args, named):
    """A number no row can have was a database overflow ("a bug in beatpost"); a note or a
    reply with an escape sequence was stored, the reply sent to the platform with it."""
    lead = rig.comment_ids[("x", "lead")]
    result = rig.run(*(a.format(lead=lead) for a in args))
    assert result.exit_code == 2, result.output
    assert named in result.output and "bug in beatpost" not in result.output
    assert Ledger(rig.engine).audit_log("comment", str(lead)) == []
    assert reply_of(rig.engine, lead) is None
    assert rig.state.requests("POST") == []


def test_reply_to_an_unknown_comment_is_a_clear_error(rig):
    result = rig.run("reply", "424242", "--text", "Hello")
    assert result.exit_code == 1
    assert "no comment with id 424242" in result.output


def test_reply_too_long_for_x_is_refused_before_anything_is_sent(rig):
    lead = rig.comment_ids[("x", "lead")]
    result = rig.run("reply", str(lead), "--text", "Yes! " * 60)
    assert result.exit_code == 2
    assert "--text" in result.output and "at most 280" in result.output
    assert reply_of(rig.engine, lead) is None
    assert rig.state.requests("POST") == []


def test_mark_records_who_and_when_and_leaves_the_needs_reply_lists(rig):
    lead = rig.comment_ids[("facebook", "lead")]
    result = rig.run("comments", "mark", str(lead), "dismissed", "--note", "answered by phone")
    assert result.exit_code == 0, result.output
    assert f"marked dismissed by {OPERATOR}" in result.output
    entries = Ledger(rig.engine).audit_log("comment", str(lead))
    assert [(e.to_state, e.reason, e.actor) for e in entries] == [
        ("dismissed", "answered by phone", OPERATOR)
    ]
    assert entries[0].at is not None
    assert lead not in {r["id"] for r in _listed(rig, "--needs-reply")}
    assert lead in {r["id"] for r in _listed(rig, "--needs-reply", "--all")}
    # status's "needs a reply" list leaves it out too.
    status = rig.run("status", "--format", "json")
    assert status.exit_code == 0, status.output
    waiting = json.loads(status.output)["needs_reply"]
    assert len(waiting) == 2 and all(c["platform"] != "facebook" for c in waiting)
    # escalated keeps it in the inbox (someone still has to act), with who did it.
    hostile = rig.comment_ids[("x", "hostile")]
    assert rig.run("comments", "mark", str(hostile), "escalated").exit_code == 0
    row = next(r for r in _listed(rig, "--hostile") if r["id"] == hostile)
    assert (row["mark"], row["marked_by"]) == ("escalated", OPERATOR)


def test_reply_on_a_platform_beatpost_cannot_answer_says_where_to_answer_it(rig):
    """The refusal ("replying is not available on mastodon") left the PIO without the link
    or the way to record an answer given on the platform itself."""
    from store import write_session
    from store.metrics import insert_comments

    from .conftest import _publish

    delivery = _publish(rig.engine, "mastodon", "m1", "Applications are open", rig.state.now())
    with write_session(rig.engine) as session:
        insert_comments(
            session,
            [
                {
                    "platform": "mastodon",
                    "platform_comment_id": "m1-c1",
                    "delivery_id": delivery,
                    "post_platform_id": "m1",
                    "author": "resident",
                    "text": "Is the academy paid?",
                    "created_at": rig.state.now(),
                    "url": "https://social.example/@resident/m1-c1",
                    "flags": ["needs_reply"],
                }
            ],
        )
    comment = next(r for r in _listed(rig, "--platform", "mastodon"))["id"]
    result = rig.run("reply", str(comment), "--text", "Yes, the academy is paid.")
    assert result.exit_code == 1
    assert "beatpost cannot reply on Mastodon; nothing was sent" in result.output
    assert "https://social.example/@resident/m1-c1" in result.output
    assert f"`beatpost comments mark {comment} replied`" in result.output
    assert reply_of(rig.engine, comment) is None and rig.state.requests("POST") == []


def test_marking_twice_says_it_already_was_and_by_whom(rig):
    """The second mark printed the same line as the first: nothing said someone had already
    marked it, nor who, nor when."""
    lead = rig.comment_ids[("x", "lead")]
    assert rig.run("comments", "mark", str(lead), "dismissed").exit_code == 0
    again = rig.run("comments", "mark", str(lead), "dismissed")
    assert again.exit_code == 0, again.output
    assert f"(it already was, by {OPERATOR} on " in again.output
    assert "; recorded again)." in again.output
    changed = rig.run("comments", "mark", str(lead), "escalated")
    assert f"marked escalated by {OPERATOR} (was dismissed by {OPERATOR} on " in changed.output
    log = Ledger(rig.engine).audit_log("comment", str(lead))
    assert [e.to_state for e in log] == ["dismissed", "dismissed", "escalated"]


def test_reply_to_a_comment_marked_replied_asks_for_again(rig):
    """A comment a PIO marked replied (answered by hand on the platform) got a second
    answer from `reply` without a word."""
    lead = rig.comment_ids[("x", "lead")]
    assert rig.run("comments", "mark", str(lead), "replied").exit_code == 0
    refused = rig.run("reply", str(lead), "--text", "Yes, apply online.")
    assert refused.exit_code == 0, refused.output
    assert f"was marked replied by {OPERATOR} on " in refused.output
    assert "Nothing was sent; add --again" in refused.output
    assert reply_of(rig.engine, lead) is None and rig.state.requests("POST") == []
    sent = rig.run("reply", str(lead), "--text", "Yes, apply online.", "--again")
    assert sent.exit_code == 0, sent.output
    assert reply_of(rig.engine, lead) is not None
    assert len(rig.state.requests("POST")) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_reply_on_a_platform_switched_off_in_settings_is_refused(rig, platform, monkeypatch):
    """facebook.enabled = false (or instagram's) still let a reply out: the Graph connectors
    did not check the switch that X's and the posting path do."""
    lead = rig.comment_ids[(platform, "lead")]
    monkeypatch.setenv(f"BEATPOST_{platform.upper()}__ENABLED", "false")
    result = rig.run("reply", str(lead), "--text", "Thanks for asking!")
    assert result.exit_code == 1
    assert f"{platform}.enabled = false); nothing was sent" in result.output
    assert reply_of(rig.engine, lead) is None and rig.state.requests("POST") == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_reply_answers_on_the_platform_once(rig, platform):
    lead = rig.comment_ids[(platform, "lead")]
    post_id = _listed(rig, "--platform", platform)[0]["post_platform_id"]
    text = "Hi! An associate degree or 60 college credits. Details: https://example.test/join"
    result = rig.run("reply", str(lead), "--text", text)
    assert result.exit_code == 0, result.output
    assert "Replied on" in result.output
    answers = rig.answers(platform, post_id)
    assert [a.text for a in answers] == [text]
    target = next(r for r in _listed(rig, "--all") if r["id"] == lead)["platform_comment_id"]
    assert answers[0].parent_id == target
    view = reply_of(rig.engine, lead)
    assert view is not None and view.state == "sent" and view.platform_reply_id == answers[0].id
    # Answered: off the inbox's open list, and our own answer is never listed as a comment.
    assert lead not in {r["id"] for r in _listed(rig, "--needs-reply")}
    assert answers[0].id not in {r["platform_comment_id"] for r in _listed(rig, "--all")}

    again = rig.run("reply", str(lead), "--text", text)
    assert again.exit_code == 0, again.output
    assert "already has a reply" in again.output and "Nothing was sent" in again.output
    assert len(rig.answers(platform, post_id)) == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_reply_whose_answer_is_lost_is_reconciled_not_sent_again(rig, platform):
    lead = rig.comment_ids[(platform, "lead")]
    post_id = _listed(rig, "--platform", platform)[0]["post_platform_id"]
    rig.state.faults.configure(
        FaultPlan(
            created_but_500_rate=1.0,
            methods=("POST",),
            path_pattern=REPLY_PATHS[platform],
            max_faults=1,
        )
    )
    result = rig.run("reply", str(lead), "--text", "Yes: apply at https://example.test/join")
    assert result.exit_code == 0, result.output
    assert rig.state.faults.injected == 1
    assert "not sent again" in result.output
    assert len(rig.answers(platform, post_id)) == 1
    view = reply_of(rig.engine, lead)
    assert view is not None and view.state == "sent" and view.attempt_count == 1
    states = [e.to_state for e in Ledger(rig.engine).audit_log("reply", str(view.id))]
    assert states == ["sending", "unknown", "sent"]


def test_reply_left_unknown_is_checked_on_the_next_run_never_resent(rig):
    lead = rig.comment_ids[("x", "lead")]
    post_id = _listed(rig, "--platform", "x")[0]["post_platform_id"]
    # The reply is created but its answer is a 500; the check that follows fails too.
    rig.state.faults.configure(
        FaultPlan(created_but_500_rate=1.0, path_pattern=r"^/2/(tweets$|users/)", max_faults=2)
    )
    first = rig.run("reply", str(lead), "--text", "See you at the info session!")
    assert first.exit_code == 1
    assert "unknown" in first.output and "never sent twice" in first.output
    assert reply_of(rig.engine, lead).state == "unknown"
    assert len(rig.answers("x", post_id)) == 1
    # The inbox says so under its table, whatever the filters.
    shown = rig.run("comments", "--hostile")
    assert f"Reply to comment {lead} on X may or may not be out (unknown)" in shown.output
    # and so does status, what needs a person (it said nothing of replies)
    status = rig.run("status")
    assert "Replies to comments that did not go out (1):" in status.output
    assert f"Reply to comment {lead} on X may or may not be out (unknown)" in status.output
    [unsettled] = json.loads(rig.run("status", "--format", "json").stdout)["unsettled_replies"]
    assert (unsettled["comment_id"], unsettled["state"]) == (lead, "unknown")

    rig.state.faults.configure(FaultPlan())
    # Re-run, even with other words: it is looked for, not sent.
    second = rig.run("reply", str(lead), "--text", "Different words")
    assert second.exit_code == 0, second.output
    assert "not sent again" in second.output
    assert [a.text for a in rig.answers("x", post_id)] == ["See you at the info session!"]
    assert reply_of(rig.engine, lead).state == "sent"
    assert not any(
        r.method == "POST" and r.path == "/2/tweets" and r.status == 201
        for r in rig.state.requests()
    )


def test_reply_refused_by_a_rate_limit_fails_visibly_and_can_be_sent_again(rig):
    lead = rig.comment_ids[("instagram", "lead")]
    post_id = _listed(rig, "--platform", "instagram")[0]["post_platform_id"]
    rig.state.faults.configure(
        FaultPlan(rate_limit_rate=1.0, methods=("POST",), path_pattern=r"/replies$", max_faults=1)
    )
    first = rig.run("reply", str(lead), "--text", "Thanks for asking!")
    assert first.exit_code == 1
    assert "was not sent" in first.output
    assert reply_of(rig.engine, lead).state == "failed"
    assert rig.answers("instagram", post_id) == []
    second = rig.run("reply", str(lead))  # the stored text is used
    assert second.exit_code == 0, second.output
    assert [a.text for a in rig.answers("instagram", post_id)] == ["Thanks for asking!"]


def test_reply_that_times_out_is_unknown_then_found_not_sent_again(rig, monkeypatch):
    lead = rig.comment_ids[("x", "lead")]
    post_id = _listed(rig, "--platform", "x")[0]["post_platform_id"]
    monkeypatch.setenv("BEATPOST_X__TIMEOUT_SECONDS", "1")
    # The reply is created, but its answer comes after the client gave up.
    rig.state.faults.configure(
        FaultPlan(
            timeout_rate=1.0,
            timeout_seconds=2.5,
            methods=("POST",),
            path_pattern=r"^/2/tweets$",
            max_faults=1,
        )
    )
    result = rig.run("reply", str(lead), "--text", "Academy starts in March.")
    assert result.exit_code == 0, result.output
    assert "not sent again" in result.output
    assert [a.text for a in rig.answers("x", post_id)] == ["Academy starts in March."]
    view = reply_of(rig.engine, lead)
    assert view.state == "sent" and view.attempt_count == 1
    states = [e.to_state for e in Ledger(rig.engine).audit_log("reply", str(view.id))]
    assert states == ["sending", "unknown", "sent"]
