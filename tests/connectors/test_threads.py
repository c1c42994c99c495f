"""Threads connector against mocked Threads API replies (bodies as Meta's reference shows
them): container then publish, the publishing quota, at most once, insights and replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import responses

from connectors.base import OutgoingPost
from connectors.errors import OutcomeUnknown, RateLimited, Rejected
from connectors.graph import GraphClient
from connectors.threads import API_VERSION, BASE_URL, ThreadsConnector
from tests.connectors._graph_support import Clock, Sleeps, form_of, query_of

USER = "1234567890"
API = f"{BASE_URL}/{API_VERSION}"
CREATE = f"{API}/{USER}/threads"
PUBLISH = f"{API}/{USER}/threads_publish"
LIMIT = f"{API}/{USER}/threads_publishing_limit"
CONTAINER = "17889615691921648"
MEDIA_ID = "1234567"
NOW = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
TEXT = "Meet Officer Ruiz: applications open https://springfield.example/jobs #JoinSPD"

# Threads API reference, Overview > Posts: GET /{threads-user-id}/threads_publishing_limit.
LIMIT_BODY = {"data": [{"quota_usage": 4, "config": {"quota_total": 250, "quota_duration": 86400}}]}
# Troubleshooting > Publishing Does Not Return a Media ID: GET /{container}?fields=status.
FINISHED_BODY = {"status": "FINISHED", "id": CONTAINER}
PUBLISHED_BODY = {"status": "PUBLISHED", "id": CONTAINER}
# Posts: POST /{threads-user-id}/threads and /threads_publish answer with the new id.
CONTAINER_BODY = {"id": CONTAINER}
MEDIA_BODY = {"id": MEDIA_ID}


def _insight(name: str, value: int, title: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": title,
        "description": description,
        "id": f"{MEDIA_ID}/insights/{name}/lifetime",
    }


def connector() -> ThreadsConnector:
    client = GraphClient(
        platform="threads",
        base_url=BASE_URL,
        api_version=API_VERSION,
        access_token="THREADS-TOKEN-1",
        sleep=Sleeps(),
        now=Clock(NOW),
    )
    return ThreadsConnector(user_id=USER, client=client, sleep=Sleeps())


def _calls(method: str, url: str) -> list[responses.Call]:
    return [
        c
        for c in responses.calls
        if c.request.method == method and c.request.url.split("?")[0] == url
    ]


@responses.activate
def test_text_post_is_a_text_container_then_threads_publish() -> None:
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    responses.get(f"{API}/{CONTAINER}", json=FINISHED_BODY)
    responses.post(PUBLISH, json=MEDIA_BODY)
    responses.get(
        f"{API}/{MEDIA_ID}",
        json={"id": MEDIA_ID, "permalink": "https://www.threads.net/@springfieldpd/post/abc"},
    )
    published = connector().publish(OutgoingPost(key="threads/a", text=TEXT))
    assert published.platform_id == MEDIA_ID
    assert published.url == "https://www.threads.net/@springfieldpd/post/abc"
    [create] = _calls("POST", CREATE)
    assert form_of(create.request.body) == {
        "media_type": "TEXT",
        "text": TEXT,
        "access_token": "THREADS-TOKEN-1",
    }
    [publish] = _calls("POST", PUBLISH)
    assert form_of(publish.request.body)["creation_id"] == CONTAINER
    assert query_of(_calls("GET", LIMIT)[0].request.url)["fields"] == "quota_usage,config"


@responses.activate
def test_publish_response_lost_after_threads_made_the_post_posts_once() -> None:
    """At most once: threads_publish goes through, its answer is lost; the retry reuses the
    container, finds it PUBLISHED and the post by its text, and creates nothing."""
    saved: dict[str, str] = {}
    conn = connector()
    conn.on_resume = lambda _post, resume: saved.update(resume)
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    responses.get(f"{API}/{CONTAINER}", json=FINISHED_BODY)
    responses.post(PUBLISH, body=requests.exceptions.ReadTimeout("read timed out"))
    post = OutgoingPost(key="threads/lost", text=TEXT)
    with pytest.raises(OutcomeUnknown) as info:
        conn.publish(post)
    assert saved == {"container_id": CONTAINER}
    assert info.value.resume == {"container_id": CONTAINER}  # type: ignore[attr-defined]

    responses.replace(responses.GET, f"{API}/{CONTAINER}", json=PUBLISHED_BODY)
    responses.get(
        f"{API}/{USER}/threads",
        json={
            "data": [
                {
                    "id": MEDIA_ID,
                    "text": TEXT,
                    "timestamp": "2026-11-25T12:29:58+0000",
                    "permalink": "https://www.threads.net/@springfieldpd/post/abc",
                }
            ],
            "paging": {"cursors": {"before": "BEFORE_CURSOR", "after": "AFTER_CURSOR"}},
        },
    )
    retried = OutgoingPost(key="threads/lost", text=TEXT, resume=dict(saved))
    again = conn.publish(retried)
    assert again.platform_id == MEDIA_ID
    assert len(_calls("POST", CREATE)) == 1, "the container is reused, never created twice"
    assert len(_calls("POST", PUBLISH)) == 1, "the post is never published a second time"
    found = conn.find_published(retried, NOW - timedelta(minutes=5))
    assert found is not None and found.platform_id == MEDIA_ID


@responses.activate
def test_quota_used_up_is_rate_limited_before_any_container() -> None:
    full = {"data": [{"quota_usage": 250, "config": {"quota_total": 250, "quota_duration": 86400}}]}
    responses.get(LIMIT, json=full)
    responses.get(f"{API}/{USER}/threads", json={"data": []})
    with pytest.raises(RateLimited) as info:
        connector().publish(OutgoingPost(key="threads/q", text=TEXT))
    assert "250 posts allowed per 24 hours" in str(info.value)
    assert info.value.reset_at == NOW + timedelta(days=1)
    assert _calls("POST", CREATE) == []


@responses.activate
def test_text_over_500_characters_as_posted_is_rejected_before_any_request() -> None:
    link = "https://springfield.example/jobs/2027"
    body = "x" * (500 - len(link) - 2)  # the link goes after a blank line: exactly 500
    conn = connector()
    responses.get(LIMIT, json=LIMIT_BODY)
    responses.post(CREATE, json=CONTAINER_BODY)
    responses.get(f"{API}/{CONTAINER}", json=FINISHED_BODY)
    responses.post(PUBLISH, json=MEDIA_BODY)
    responses.get(f"{API}/{MEDIA_ID}", json={"id": MEDIA_ID, "permalink": "https://t.example"})
    conn.publish(OutgoingPost(key="threads/500", text=body, link=link))
    [create] = _calls("POST", CREATE)
    assert len(form_of(create.request.body)["text"]) == 500
    with pytest.raises(Rejected, match="counts 501 characters .*Threads takes at most 500"):
        conn.publish(OutgoingPost(key="threads/501", text=body + "y", link=link))
    assert len(_calls("POST", CREATE)) == 1


@responses.activate
def test_insights_give_views_likes_replies_reposts_and_quotes() -> None:
    responses.get(
        f"{API}/{MEDIA_ID}/insights",
        json={
            "data": [
                _insight("views", 1520, "Views", "The number of times your post was viewed."),
                _insight("likes", 100, "Likes", "The number of likes on your post."),
                _insight("replies", 12, "Replies", "The number of replies on your post."),
                _insight("reposts", 7, "Reposts", "The number of reposts of your post."),
                _insight("quotes", 3, "Quotes", "The number of quotes of your post."),
            ]
        },
    )
    [snap] = connector().fetch_metrics([MEDIA_ID])
    assert (
        query_of(responses.calls[0].request.url)["metric"] == "views,likes,replies,reposts,quotes"
    )
    assert (snap.views, snap.reactions, snap.replies, snap.shares, snap.quotes) == (
        1520,
        100,
        12,
        7,
        3,
    )
    assert snap.taken_at == NOW


@responses.activate
def test_conversation_gives_every_reply_with_its_parent() -> None:
    responses.get(
        f"{API}/{MEDIA_ID}/conversation",
        json={
            "data": [
                {
                    "id": "1111",
                    "text": "When is the next test date?",
                    "username": "jess.k",
                    "timestamp": "2026-11-25T13:00:00+0000",
                    "replied_to": {"id": MEDIA_ID},
                },
                {
                    "id": "2222",
                    "text": "Same question!",
                    "username": "mo_r",
                    "timestamp": "2026-11-25T13:05:00+0000",
                    "replied_to": {"id": "1111"},
                },
            ],
            "paging": {"cursors": {"before": "BEFORE_CURSOR", "after": "AFTER_CURSOR"}},
        },
    )
    comments = connector().fetch_comments(MEDIA_ID, datetime(2026, 11, 25, 13, 1, tzinfo=UTC))
    assert [(c.platform_id, c.author, c.parent_id) for c in comments] == [("2222", "mo_r", "1111")]
    assert query_of(responses.calls[0].request.url)["reverse"] == "false"
