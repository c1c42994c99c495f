"""The sandbox's Threads API over real HTTP: the answers the reference shows, the quota,
containers that publish once, and replies at every depth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from connectors.sandbox import SandboxServer, SandboxState, SimClock
from connectors.sandbox.threads_api import QUOTA_TOTAL, THREADS_USER_ID

START = datetime.now(UTC).replace(microsecond=0)
TOKEN = "sandbox-token"


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(seed=7, clock=SimClock(START))


@pytest.fixture
def api(state: SandboxState):
    with SandboxServer(state) as server:
        yield f"{server.url}/threads/v1.0"


def _post(url: str, **form: str) -> requests.Response:
    return requests.post(url, data={**form, "access_token": TOKEN}, timeout=5)


def _get(url: str, **query: str) -> requests.Response:
    return requests.get(url, params={**query, "access_token": TOKEN}, timeout=5)


def _publish_text(api: str, text: str) -> str:
    container = _post(f"{api}/{THREADS_USER_ID}/threads", media_type="TEXT", text=text).json()
    answer = _post(f"{api}/{THREADS_USER_ID}/threads_publish", creation_id=container["id"])
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_a_container_publishes_once_and_reads_published(api: str, state: SandboxState) -> None:
    made = _post(f"{api}/{THREADS_USER_ID}/threads", media_type="TEXT", text="Join SPD")
    assert made.status_code == 200 and set(made.json()) == {"id"}
    container = made.json()["id"]
    assert _get(f"{api}/{container}", fields="status").json() == {
        "id": container,
        "status": "FINISHED",
    }
    first = _post(f"{api}/{THREADS_USER_ID}/threads_publish", creation_id=container)
    assert set(first.json()) == {"id"}
    again = _post(f"{api}/{THREADS_USER_ID}/threads_publish", creation_id=container)
    assert again.status_code == 400 and "error" in again.json()
    assert _get(f"{api}/{container}", fields="status").json()["status"] == "PUBLISHED"
    assert [p.text for p in state.posts("threads")] == ["Join SPD"]


def test_publishing_limit_counts_the_last_24_hours(api: str, state: SandboxState) -> None:
    for n in range(3):
        _publish_text(api, f"post {n}")
    body = _get(
        f"{api}/{THREADS_USER_ID}/threads_publishing_limit", fields="quota_usage,config"
    ).json()
    assert body == {
        "data": [
            {"quota_usage": 3, "config": {"quota_total": QUOTA_TOTAL, "quota_duration": 86400}}
        ]
    }
    state.clock.advance(timedelta(hours=25))
    later = _get(f"{api}/{THREADS_USER_ID}/threads_publishing_limit", fields="quota_usage").json()
    assert later == {"data": [{"quota_usage": 0}]}


def test_text_over_500_characters_is_refused(api: str) -> None:
    answer = _post(f"{api}/{THREADS_USER_ID}/threads", media_type="TEXT", text="\U0001f44d" * 126)
    assert answer.status_code == 400  # 126 emoji of 4 bytes count 504


def test_insights_answer_in_the_reference_shape(api: str, state: SandboxState) -> None:
    media_id = _publish_text(api, "Meet Officer Ruiz #JoinSPD")
    state.clock.advance(timedelta(days=1))
    body = _get(f"{api}/{media_id}/insights", metric="views,likes,replies,reposts,quotes").json()
    assert [item["name"] for item in body["data"]] == [
        "views",
        "likes",
        "replies",
        "reposts",
        "quotes",
    ]
    for item in body["data"]:
        assert item["period"] == "lifetime"
        assert item["id"] == f"{media_id}/insights/{item['name']}/lifetime"
        assert isinstance(item["values"][0]["value"], int)
    likes = next(i for i in body["data"] if i["name"] == "likes")["values"][0]["value"]
    assert likes == state.metrics("threads", media_id)["likes"]


def test_replies_are_top_level_and_conversation_is_every_depth(
    api: str, state: SandboxState
) -> None:
    media_id = _publish_text(api, "Meet Officer Ruiz, ask us anything #JoinSPD")
    state.clock.advance(timedelta(days=6))
    truth = state.comments("threads", media_id)
    assert truth
    top = _get(f"{api}/{media_id}/replies", fields="id,replied_to", limit="100").json()["data"]
    assert {r["id"] for r in top} == {c.id for c in truth if c.parent_id is None}
    everything = _get(
        f"{api}/{media_id}/conversation", fields="id,text,timestamp", reverse="false", limit="100"
    ).json()["data"]
    assert [r["id"] for r in everything] == [c.id for c in truth]


def test_a_reply_container_answers_a_reply(api: str, state: SandboxState) -> None:
    media_id = _publish_text(api, "Meet Officer Ruiz, ask us anything #JoinSPD")
    state.clock.advance(timedelta(days=6))
    question = state.comments("threads", media_id)[0]
    container = _post(
        f"{api}/{THREADS_USER_ID}/threads",
        media_type="TEXT",
        text="The next test is on March 3.",
        reply_to_id=question.id,
    ).json()["id"]
    answer = _post(f"{api}/{THREADS_USER_ID}/threads_publish", creation_id=container).json()
    mine = _get(f"{api}/{question.id}/replies", fields="id,text,is_reply_owned_by_me").json()
    assert mine["data"] == [
        {"id": answer["id"], "text": "The next test is on March 3.", "is_reply_owned_by_me": True}
    ]
    assert len(state.posts("threads")) == 1, "an answer is no new post"


def test_an_expired_token_is_graph_error_190(api: str) -> None:
    answer = requests.get(
        f"{api}/{THREADS_USER_ID}/threads", params={"access_token": "expired"}, timeout=5
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 190


def test_the_connector_answers_a_reply_and_finds_its_answer_again(
    state: SandboxState, tmp_path
) -> None:
    from config.settings import Settings
    from connectors import create
    from connectors.base import OutgoingPost, OutgoingReply
    from connectors.sandbox import settings_overrides

    with SandboxServer(state) as server:
        sections = settings_overrides(server.url)
        conn = create("threads", Settings(workspace=tmp_path, **sections))
        published = conn.publish(OutgoingPost(key="threads/q", text="Ask us anything #JoinSPD"))
        state.clock.advance(timedelta(days=6))
        question = conn.fetch_comments(published.platform_id, None)[0]
        reply = OutgoingReply(
            key="r1",
            comment_id=question.platform_id,
            post_id=published.platform_id,
            text="The next written test is on March 3.",
        )
        assert conn.find_reply(reply, state.now() - timedelta(minutes=1)) is None
        answer = conn.reply(reply)
        found = conn.find_reply(reply, state.now() - timedelta(minutes=1))
        assert found is not None and found.platform_id == answer.platform_id
        mine = [
            c
            for c in state.comments("threads", published.platform_id)
            if c.id == answer.platform_id
        ]
        assert [c.parent_id for c in mine] == [question.platform_id]
