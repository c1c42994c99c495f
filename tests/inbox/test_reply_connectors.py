"""The reply capability of each connector against the platforms' documented shapes
(``responses``).

Sources: X API v2 "Create or Edit Post" (``POST /2/tweets``; the request's ``reply`` object with
``in_reply_to_tweet_id``, the response ``{"data": {"id", "text"}}``); Graph API "Comments"
edge (``POST /{object-id}/comments`` with ``message`` on a comment creates a reply, answering
``{"id": ...}``); Instagram "IG Comment Replies" (``POST /{ig-comment-id}/replies?message=``,
sample request ``/17870913679156914/replies?message=*sniff*``, sample response
``{"id": "17873440459141021"}``; replies to a reply are added to the top-level comment).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import responses

from connectors.base import OutgoingReply
from connectors.errors import OutcomeUnknown, RateLimited, Rejected
from connectors.facebook import FacebookConnector
from connectors.instagram import InstagramConnector
from tests.connectors._graph_support import (
    API,
    IG_USER_ID,
    NOW,
    PAGE_ID,
    error_body,
    form_of,
    make_client,
    query_of,
)
from tests.connectors.test_x import BASE, USER_ID, connector, make_id

# X ------------------------------------------------------------------------------------------

COMMENT = make_id(NOW - timedelta(hours=1), 7)
X_REPLY = OutgoingReply(key="reply-1", comment_id=COMMENT, post_id="1", text="Yes! Apply online.")


@responses.activate
def test_x_reply_posts_the_documented_reply_object():
    new_id = make_id(NOW, 3)
    responses.add(
        "POST", f"{BASE}/2/tweets", status=201, json={"data": {"id": new_id, "text": X_REPLY.text}}
    )
    published = connector().reply(X_REPLY)
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"text": "Yes! Apply online.", "reply": {"in_reply_to_tweet_id": COMMENT}}
    assert published.platform_id == new_id
    assert published.url == f"https://x.com/SpringfieldPD/status/{new_id}"


@responses.activate
def test_x_reply_answered_500_is_unknown_not_failed():
    responses.add(
        "POST",
        f"{BASE}/2/tweets",
        status=500,
        json={"title": "Internal Server Error", "detail": "Internal Server Error", "status": 500},
    )
    with pytest.raises(OutcomeUnknown):
        connector().reply(X_REPLY)


@responses.activate
def test_x_find_reply_matches_the_accounts_answer_to_that_comment_only():
    ours, lookalike = make_id(NOW, 5), make_id(NOW, 6)
    timeline = {
        "data": [
            {
                "id": lookalike,  # the same words, answering another comment
                "text": "Yes! Apply online.",
                "created_at": "2026-11-25T12:00:01.000Z",
                "referenced_tweets": [{"type": "replied_to", "id": "99"}],
                "edit_history_tweet_ids": [lookalike],
            },
            {
                "id": ours,
                "text": "@jdoe Yes! Apply online.",  # X shows the handle answered
                "created_at": "2026-11-25T12:00:00.000Z",
                "referenced_tweets": [{"type": "replied_to", "id": COMMENT}],
                "edit_history_tweet_ids": [ours],
            },
        ],
        "meta": {"result_count": 2, "newest_id": lookalike, "oldest_id": ours},
    }
    responses.add("GET", f"{BASE}/2/users/{USER_ID}/tweets", json=timeline)
    found = connector().find_reply(X_REPLY, NOW - timedelta(minutes=1))
    assert found is not None and found.platform_id == ours
    asked = query_of(responses.calls[0].request.url)
    assert "replies" not in asked.get("exclude", "")  # the account's replies are wanted
    assert "referenced_tweets" in asked["tweet.fields"]


# Facebook -----------------------------------------------------------------------------------

FB_COMMENT = "1234567890_900000000000001"
FB_REPLY = OutgoingReply(
    key="reply-2", comment_id=FB_COMMENT, post_id=f"{PAGE_ID}_1234567890", text="See you there!"
)


def facebook() -> FacebookConnector:
    return FacebookConnector(page_id=PAGE_ID, client=make_client("facebook"))


@responses.activate
def test_facebook_reply_posts_a_message_on_the_comments_comments_edge():
    responses.add("POST", f"{API}/{FB_COMMENT}/comments", json={"id": "1234567890_900000000000777"})
    published = facebook().reply(FB_REPLY)
    assert form_of(responses.calls[0].request.body)["message"] == "See you there!"
    assert published.platform_id == "1234567890_900000000000777"
    assert published.url.endswith("?comment_id=900000000000777")


@responses.activate
def test_facebook_reply_refused_by_a_rate_limit_is_not_unknown():
    responses.add("POST", f"{API}/{FB_COMMENT}/comments", status=400, json=error_body("page_limit"))
    with pytest.raises(RateLimited):
        facebook().reply(FB_REPLY)


@responses.activate
def test_facebook_find_reply_takes_the_pages_answer_not_a_lookalike():
    page = {
        "data": [
            {
                "id": "1234567890_5",
                "message": "See you there!",
                "from": {"name": "Someone", "id": "42"},
                "created_time": "2026-11-25T12:30:00+0000",
            },
            {
                "id": "1234567890_6",
                "message": "See you there!",
                "from": {"name": "Springfield Police Department", "id": PAGE_ID},
                "created_time": "2026-11-25T12:30:01+0000",
            },
        ]
    }
    responses.add("GET", f"{API}/{FB_COMMENT}/comments", json=page)
    found = facebook().find_reply(FB_REPLY, NOW)
    assert found is not None and found.platform_id == "1234567890_6"


# Instagram ----------------------------------------------------------------------------------

IG_REPLY = OutgoingReply(
    key="reply-3", comment_id="17870913679156914", post_id="17895695668004550", text="*sniff*"
)


def instagram() -> InstagramConnector:
    return InstagramConnector(ig_user_id=IG_USER_ID, client=make_client("instagram"))


@responses.activate
def test_instagram_reply_posts_the_documented_sample():
    responses.add("POST", f"{API}/17870913679156914/replies", json={"id": "17873440459141021"})
    responses.add(
        "GET",
        f"{API}/17895695668004550",
        json={"id": "17895695668004550", "permalink": "https://www.instagram.com/p/abc/"},
    )
    published = instagram().reply(IG_REPLY)
    assert form_of(responses.calls[0].request.body)["message"] == "*sniff*"
    assert published.platform_id == "17873440459141021"
    assert published.url == "https://www.instagram.com/p/abc/"


@responses.activate
def test_instagram_reply_to_a_reply_goes_to_its_top_level_comment():
    responses.add("POST", f"{API}/17870913679156914/replies", json={"id": "17873440459141021"})
    responses.add("GET", f"{API}/17895695668004550", json={"id": "17895695668004550"})
    answer = OutgoingReply(
        key="reply-4",
        comment_id="17870000000000001",  # itself a reply under 17870913679156914
        post_id="17895695668004550",
        text="*sniff*",
        thread_id="17870913679156914",
    )
    assert instagram().reply(answer).platform_id == "17873440459141021"


@responses.activate
def test_instagram_reply_answered_500_is_unknown():
    responses.add(
        "POST", f"{API}/17870913679156914/replies", status=500, json=error_body("unknown")
    )
    with pytest.raises(OutcomeUnknown):
        instagram().reply(IG_REPLY)


@responses.activate
def test_instagram_find_reply_reads_the_comments_replies():
    responses.add(
        "GET",
        f"{API}/17870913679156914/replies",
        json={
            "data": [
                {
                    "id": "17873440459141021",
                    "text": "*sniff*",
                    "from": {"id": IG_USER_ID, "username": "springfieldpd"},
                    "timestamp": "2026-11-25T12:30:00+0000",
                }
            ]
        },
    )
    responses.add("GET", f"{API}/17895695668004550", json={"id": "17895695668004550"})
    found = instagram().find_reply(IG_REPLY, NOW)
    assert found is not None and found.platform_id == "17873440459141021"
    assert "from" in query_of(responses.calls[0].request.url)["fields"]


def test_sandbox_refuses_a_reply_to_a_post_that_does_not_exist():
    from connectors.sandbox.server import SandboxServer
    from connectors.sandbox.state import SandboxState

    with SandboxServer(SandboxState(seed=1)) as server:
        x = connector(base_url=server.url)
        with pytest.raises(Rejected) as refused:
            x.reply(X_REPLY)
        assert refused.value.code == 403
        assert server.state.requests("POST", "/2/tweets")[0].status == 403
