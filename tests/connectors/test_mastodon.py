"""Mastodon connector: recorded replies shaped exactly like docs.joinmastodon.org's, and the
sandbox's server for at most once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import responses
from PIL import Image

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import (
    AuthError,
    ConnectorUnavailable,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.mastodon import (
    MastodonConnector,
    content_text,
    counted_length,
    idempotency_key,
    same_text,
)
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.mastodon_api import MAX_CHARACTERS_KEY, render_content

BASE = "https://mastodon.example"
TOKEN = "user-token-8a7b6c5d"
NOW = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)

# docs.joinmastodon.org, methods/instance.md (View server information, V2): configuration.
INSTANCE = {
    "domain": "mastodon.social",
    "configuration": {
        "statuses": {
            "max_characters": 500,
            "max_media_attachments": 4,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "description_limit": 1500,
            "image_matrix_limit": 33177600,
            "image_size_limit": 16777216,
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp"],
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8294400,
            "video_size_limit": 103809024,
        },
    },
}
# methods/statuses.md, "View a single status", 200 (account trimmed to the fields read).
STATUS = {
    "id": "1",
    "created_at": "2016-03-16T14:44:31.580Z",
    "in_reply_to_id": None,
    "in_reply_to_account_id": None,
    "sensitive": False,
    "spoiler_text": "",
    "visibility": "public",
    "language": "en",
    "uri": "https://mastodon.social/users/Gargron/statuses/1",
    "url": "https://mastodon.social/@Gargron/1",
    "replies_count": 7,
    "reblogs_count": 98,
    "favourites_count": 112,
    "favourited": False,
    "reblogged": False,
    "muted": False,
    "bookmarked": False,
    "content": "<p>Hello world</p>",
    "reblog": None,
    "application": None,
    "account": {"id": "1", "username": "Gargron", "acct": "Gargron", "display_name": "Eugen"},
    "media_attachments": [],
    "mentions": [],
    "tags": [],
    "emojis": [],
    "card": None,
    "poll": None,
}
# methods/media.md, "Upload media as an attachment (async)", 202: url null while processing.
MEDIA_202 = {
    "id": "22348641",
    "type": "image",
    "url": None,
    "preview_url": "https://files.mastodon.social/media_attachments/files/022/348/641/small/cebc6d51be03e509.jpeg",
    "remote_url": None,
    "text_url": "https://mastodon.social/media/4Zj6ewxzzzDi0g8JnZQ",
    "meta": {
        "focus": {"x": -0.69, "y": 0.42},
        "original": {"width": 640, "height": 480, "size": "640x480", "aspect": 1.3333333333333333},
        "small": {"width": 461, "height": 346, "size": "461x346", "aspect": 1.3323699421965318},
    },
    "description": "test uploaded via api",
    "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
}
MEDIA_200 = {
    **MEDIA_202,
    "url": "https://files.mastodon.social/media_attachments/files/022/348/641/original/e96382f26c72a29c.jpeg",
}


def connector(**kwargs) -> MastodonConnector:
    return MastodonConnector(
        base_url=BASE,
        access_token=TOKEN,
        clock=lambda: NOW,
        sleep=lambda s: None,
        poll_interval=1.0,
        poll_timeout=5.0,
        **kwargs,
    )


def photo(tmp_path: Path, alt: str = "Officer Ruiz at the academy") -> MediaFile:
    path = tmp_path / "ruiz.jpg"
    Image.new("RGB", (64, 48), (20, 40, 160)).save(path, "JPEG")
    return MediaFile(path=path, alt_text=alt, mime_type="image/jpeg")


def post(text: str = "Hello world", media: tuple[MediaFile, ...] = ()) -> OutgoingPost:
    return OutgoingPost(key="spring/ruiz/mastodon/once", text=text, media=media)


@responses.activate
def test_publish_uploads_with_description_polls_202_and_sends_an_idempotency_key(tmp_path):
    responses.get(f"{BASE}/api/v2/instance", json=INSTANCE)
    responses.post(f"{BASE}/api/v2/media", json=MEDIA_202, status=202)
    responses.get(f"{BASE}/api/v1/media/22348641", status=206)
    responses.get(f"{BASE}/api/v1/media/22348641", json=MEDIA_200)
    responses.post(f"{BASE}/api/v1/statuses", json=STATUS)
    published = connector().publish(post(media=(photo(tmp_path),)))

    assert published.platform_id == "1"
    assert published.url == "https://mastodon.social/@Gargron/1"
    assert published.published_at == datetime(2016, 3, 16, 14, 44, 31, 580000, tzinfo=UTC)
    upload = responses.calls[1].request
    assert b'name="description"' in upload.body and b"Officer Ruiz at the academy" in upload.body
    assert [c.request.method for c in responses.calls].count("GET") == 3  # instance + 2 polls
    status = responses.calls[-1].request
    assert status.headers["Idempotency-Key"] == idempotency_key("spring/ruiz/mastodon/once")
    assert status.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(status.body) == {
        "status": "Hello world",
        "media_ids": ["22348641"],
        "visibility": "public",
    }


def test_idempotency_key_is_stable_per_delivery_and_differs_between_deliveries():
    assert idempotency_key("a/b/mastodon/1") == idempotency_key("a/b/mastodon/1")
    assert idempotency_key("a/b/mastodon/1") != idempotency_key("a/b/mastodon/2")


@responses.activate
def test_server_limits_are_read_once_and_cached():
    responses.get(
        f"{BASE}/api/v2/instance",
        json={
            **INSTANCE,
            "configuration": {
                **INSTANCE["configuration"],
                "statuses": {
                    "max_characters": 5000,
                    "max_media_attachments": 6,
                    "characters_reserved_per_url": 23,
                },
            },
        },
    )
    conn = connector()
    first, again = conn.server_limits(), conn.server_limits()
    assert first.max_length == 5000 and first.max_images == 6
    assert first.max_image_bytes == 16777216 and first.max_alt_text == 1500
    assert again is first
    assert len(responses.calls) == 1


@responses.activate
def test_text_over_the_servers_limit_is_refused_before_any_upload(tmp_path):
    responses.get(f"{BASE}/api/v2/instance", json=INSTANCE)
    text = "Apply now " + "x" * 491  # 501 characters
    with pytest.raises(Rejected, match="501 characters; this server allows 500"):
        connector().publish(post(text, (photo(tmp_path),)))
    assert len(responses.calls) == 1  # only the instance


def test_urls_count_23_and_remote_mentions_their_user_part():
    text = "Join us https://springfield.example/jobs/" + "a" * 80 + " @pio@mastodon.social"
    assert counted_length(text) == len("Join us ") + 23 + len(" @pio")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"error": "The access token is invalid"}, AuthError),
        (403, {"error": "This action is outside the authorized scopes"}, AuthError),
        (404, {"error": "Record not found"}, Rejected),
        (422, {"error": "Validation failed: Text can't be blank"}, Rejected),
        (503, {"error": "Service Unavailable"}, OutcomeUnknown),
    ],
)
@responses.activate
def test_status_errors_are_mapped(status, body, error):
    responses.get(f"{BASE}/api/v2/instance", json=INSTANCE)
    responses.post(f"{BASE}/api/v1/statuses", json=body, status=status)
    with pytest.raises(error) as info:
        connector().publish(post())
    assert body["error"] in str(info.value)
    assert TOKEN not in str(info.value)


@responses.activate
def test_rate_limit_waits_until_x_ratelimit_reset():
    responses.get(f"{BASE}/api/v2/instance", json=INSTANCE)
    responses.post(
        f"{BASE}/api/v1/statuses",
        json={"error": "Too many requests"},
        status=429,
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "2027-03-01T15:05:00.000Z",
        },
    )
    with pytest.raises(RateLimited) as info:
        connector().publish(post())
    assert info.value.reset_at == datetime(2027, 3, 1, 15, 5, tzinfo=UTC)


@responses.activate
def test_server_error_on_a_read_is_transient():
    responses.get(f"{BASE}/api/v1/statuses/1", json={"error": "oops"}, status=502)
    with pytest.raises(TransientError):
        connector().fetch_metrics(["1"])


@responses.activate
def test_metrics_come_from_the_status():
    responses.get(f"{BASE}/api/v1/statuses/1", json=STATUS)
    [snap] = connector().fetch_metrics(["1"])
    assert (snap.reactions, snap.shares, snap.replies) == (112, 98, 7)
    assert snap.taken_at == NOW


@responses.activate
def test_replies_come_from_the_context_descendants():
    reply = {
        **STATUS,
        "id": "103188971072973252",
        "created_at": "2019-11-23T19:52:23.398Z",
        "in_reply_to_id": "1",
        "content": '<p>When is the next <a href="https://m.example/tags/'
        'academy" class="mention hashtag" rel="tag">#<span>academy</span></a> class?</p>',
        "account": {"id": "634458", "username": "dana", "acct": "dana@city.social"},
    }
    nested = {
        **reply,
        "id": "103188982235527758",
        "in_reply_to_id": "103188971072973252",
        "created_at": "2019-11-23T19:55:08.208Z",
        "content": "<p>Same question</p>",
    }
    responses.get(
        f"{BASE}/api/v1/statuses/1/context", json={"ancestors": [], "descendants": [reply, nested]}
    )
    got = connector().fetch_comments("1", datetime(2019, 11, 23, 19, 53, tzinfo=UTC))
    assert [(c.platform_id, c.text, c.parent_id) for c in got] == [
        ("103188982235527758", "Same question", "103188971072973252")
    ]
    every = connector().fetch_comments("1", None)
    assert every[0].text == "When is the next #academy class?"
    assert every[0].author == "dana@city.social" and every[0].parent_id is None


def test_content_html_back_to_the_text_posted():
    text = (
        'Meet Officer Ruiz: "I joined because" &\nmore\n\nApply https://springfield.example/'
        "careers/police-officer-recruitment-2027 #JoinSPD @chief@city.social"
    )
    shown = content_text(render_content(text))
    assert shown == text.replace("@chief@city.social", "@chief")  # as Mastodon shows it
    assert same_text(shown, text)
    assert not same_text(shown, text.replace("2027", "2028"))


def test_from_settings_names_the_missing_token(tmp_path):
    settings = Settings(workspace=tmp_path, mastodon={"base_url": BASE})
    with pytest.raises(ConnectorUnavailable, match="BEATPOST_MASTODON__ACCESS_TOKEN"):
        connectors.create("mastodon", settings)


# ---- at most once, against the sandbox's server ---------------------------------------------
@pytest.fixture
def sandbox(tmp_path):
    state = SandboxState(seed=7, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    with SandboxServer(state) as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, TOKEN))
        yield state, connectors.create("mastodon", settings, sleep=lambda s: None)


def test_lost_response_then_retry_with_the_same_key_returns_the_same_status(sandbox, tmp_path):
    state, conn = sandbox
    delivery = post(
        "Recruiting day Saturday https://springfield.example/jobs #JoinSPD", (photo(tmp_path),)
    )
    state.faults.configure(
        FaultPlan(
            methods=("POST",),
            path_pattern=r"^/api/v1/statuses$",
            max_faults=1,
            created_but_500_rate=1.0,
        )
    )
    with pytest.raises(OutcomeUnknown):
        conn.publish(delivery)
    [created] = state.posts("mastodon")  # the server made it; the answer was lost

    found = conn.find_published(delivery, datetime.now(UTC) - timedelta(minutes=5))
    assert found is not None and found.platform_id == created.id
    again = conn.publish(delivery)  # a retry inside the hour: the key returns the same status
    assert again.platform_id == created.id
    assert len(state.posts("mastodon")) == 1
    assert state.times_posted("mastodon", delivery.text) == 1


def test_sandbox_server_with_a_smaller_limit_is_obeyed(sandbox):
    state, conn = sandbox
    state.extras[MAX_CHARACTERS_KEY] = 100
    with pytest.raises(Rejected, match="this server allows 100"):
        conn.publish(post("x" * 101))
    assert state.posts("mastodon") == []
    assert not state.requests("POST")
