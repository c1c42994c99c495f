"""Bluesky connector against the sandbox's PDS (lexicon-shaped), and its pure parts."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from PIL import Image

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.bluesky import _SESSIONS, BlueskyConnector, facets, graphemes, record_key
from connectors.errors import AuthError, OutcomeUnknown, RateLimited, Rejected
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock, settings_overrides

PASSWORD = "app-pass-abcd-efgh"
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def fresh_sessions():
    _SESSIONS.clear()
    yield
    _SESSIONS.clear()


@pytest.fixture
def rig(tmp_path):
    state = SandboxState(seed=7, clock=SimClock(START))
    with SandboxServer(state) as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, PASSWORD))
        yield state, settings


def make(settings: Settings) -> BlueskyConnector:
    return connectors.create("bluesky", settings)


def delivery(text: str, key: str = "spring/ruiz/bluesky/once", media=()) -> OutgoingPost:
    at = datetime(2027, 3, 2, 16, 0, tzinfo=UTC)
    return OutgoingPost(key=key, text=text, media=tuple(media), scheduled_at=at)


def logins(state: SandboxState) -> int:
    return len(state.requests("POST", "createSession"))


# ---- facets ----------------------------------------------------------------------------------
def test_facet_offsets_are_utf8_bytes_after_emoji_and_accents():
    text = (
        "Café de l'académie 👮‍♀️🎉 ñ: https://springfield.example/jobs #JoinSPD @dana.bsky.social!"
    )
    found = facets(text, lambda handle: "did:plc:dana" if handle == "dana.bsky.social" else None)
    data = text.encode("utf-8")
    spans = [
        (
            f["features"][0]["$type"].rsplit("#", 1)[1],
            data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(),
        )
        for f in found
    ]
    assert spans == [
        ("link", "https://springfield.example/jobs"),
        ("tag", "#JoinSPD"),
        ("mention", "@dana.bsky.social"),
    ]
    link = found[0]
    # Character offsets would be wrong: 'é' is 2 bytes, the officer emoji sequence 13.
    assert link["index"]["byteStart"] == len(text[: text.index("https")].encode())
    assert link["index"]["byteStart"] != text.index("https")
    assert found[1]["features"][0]["tag"] == "JoinSPD"
    assert found[2]["features"][0]["did"] == "did:plc:dana"


def test_unknown_handle_stays_text_and_numbers_are_not_tags():
    found = facets("Call @nobody.example.org about #1 priority", lambda handle: None)
    assert found == []


def test_graphemes_count_an_emoji_sequence_once():
    assert graphemes("👮‍♀️") == 1 and graphemes("é") == 1 and graphemes("e\u0301") == 1


def test_record_key_is_a_tid_stable_per_delivery():
    a, again = record_key(delivery("x")), record_key(delivery("y"))
    other = record_key(delivery("x", key="spring/ruiz/bluesky/-7d"))
    assert a == again != other
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", a)


# ---- against the sandbox ---------------------------------------------------------------------
def test_post_with_facets_and_an_image_with_alt_text(rig, tmp_path):
    state, settings = rig
    path = tmp_path / "big.png"
    noise = Image.effect_noise((1800, 1800), 100).convert("RGB")  # far over 2,000,000 bytes
    noise.save(path, "PNG")
    assert path.stat().st_size > 2_000_000
    text = "Académie 👮‍♀️ open day: https://springfield.example/jobs #JoinSPD"
    photo = MediaFile(path=path, alt_text="Recruits at the académie", mime_type="image/png")
    published = make(settings).publish(delivery(text, media=[photo]))

    [stored] = state.posts("bluesky")
    assert stored.id == published.platform_id
    assert published.url.startswith("https://bsky.app/profile/springfieldpd.bsky.social/post/")
    record = stored.extra["record"]
    assert record["text"] == text
    link = next(f for f in record["facets"] if "link" in f["features"][0]["$type"])
    data = text.encode()
    assert data[link["index"]["byteStart"] : link["index"]["byteEnd"]] == (
        b"https://springfield.example/jobs"
    )
    [image] = record["embed"]["images"]
    assert image["alt"] == "Recruits at the académie"
    [blob] = state.media("bluesky")
    assert len(blob.data) <= 2_000_000  # re-encoded to the lexicon's maxSize
    assert image["image"]["ref"]["$link"] == blob.id
    Image.open(io.BytesIO(blob.data)).verify()


def test_over_300_graphemes_is_refused_before_any_request(rig):
    state, settings = rig
    conn = make(settings)
    fits = "👍🏽" * 300  # 300 graphemes, 600 code points, 2,400 bytes
    conn.publish(delivery(fits))
    before = len(state.request_log)
    with pytest.raises(Rejected, match="301 characters"):
        conn.publish(delivery(fits + "!", key="other"))
    assert len(state.request_log) == before


def test_one_login_for_many_posts_and_connectors_then_refresh_not_login(rig):
    state, settings = rig
    for n in range(3):
        make(settings).publish(delivery(f"Post {n}", key=f"k{n}"))
    assert logins(state) == 1
    state.clock.advance(timedelta(hours=3))  # the access token has expired
    make(settings).publish(delivery("After lunch", key="k9"))
    assert logins(state) == 1
    assert len(state.requests("POST", "refreshSession")) == 1
    assert len(state.posts("bluesky")) == 4


def test_refresh_token_expired_or_unknown_logs_in_again(rig):
    """A refresh token the server refuses (expired after 60 days, or unknown to a server that
    restarted) was raised as a token error and never replaced: every later call failed the
    same way until the daemon was restarted."""
    state, settings = rig
    make(settings).publish(delivery("Before", key="k1"))
    assert logins(state) == 1
    state.clock.advance(timedelta(days=61))  # access and refresh tokens both expired
    make(settings).publish(delivery("Two months on", key="k2"))
    assert logins(state) == 2
    assert len(state.requests("POST", "refreshSession")) == 1
    assert len(state.posts("bluesky")) == 2


def test_wrong_app_password_is_an_auth_error(rig):
    state, settings = rig
    settings = settings.model_copy(
        update={"bluesky": settings.bluesky.model_copy(update={"app_password": None})}
    )
    with pytest.raises(connectors.errors.ConnectorUnavailable, match="app_password"):
        make(settings)


def test_lost_response_then_repeat_cannot_post_twice_and_get_record_reconciles(rig):
    state, settings = rig
    conn = make(settings)
    post = delivery("Recruiting day Saturday https://springfield.example/jobs #JoinSPD")
    state.faults.configure(
        FaultPlan(
            methods=("POST",), path_pattern=r"createRecord$", max_faults=1, created_but_500_rate=1.0
        )
    )
    with pytest.raises(OutcomeUnknown):
        conn.publish(post)
    [created] = state.posts("bluesky")  # made; the answer was lost
    assert created.id.endswith("/" + record_key(post))

    # A blind repeat with the same rkey is refused by the PDS (500), never a second post.
    with pytest.raises(OutcomeUnknown, match="InternalServerError"):
        conn.publish(post)
    assert len(state.posts("bluesky")) == 1

    found = conn.find_published(post, START - timedelta(minutes=5))
    assert found is not None and found.platform_id == created.id
    assert conn.find_published(delivery("never", key="never"), START) is None


def test_metrics_in_batches_of_25_and_replies_with_their_parents(rig):
    state, settings = rig
    conn = make(settings)
    ids = [conn.publish(delivery(f"Post {n}", key=f"m{n}")).platform_id for n in range(30)]
    state.clock.advance(timedelta(days=2))
    snaps = conn.fetch_metrics(ids)
    # Two days on, the access token has expired: one refused read, a refresh, then 2 reads.
    assert [r.status for r in state.requests("GET", "getPosts")] == [400, 200, 200]
    assert {s.platform_id for s in snaps} == set(ids)
    for snap in snaps:
        truth = state.metrics("bluesky", snap.platform_id)
        assert (snap.reactions, snap.shares, snap.replies, snap.quotes) == (
            truth["likes"],
            truth["shares"],
            truth["replies"],
            truth["quotes"],
        )
    truth = {c.id: c for c in state.comments("bluesky", ids[0])}
    got = conn.fetch_comments(ids[0], None)
    assert {c.platform_id for c in got} == set(truth)
    for comment in got:
        assert comment.text == truth[comment.platform_id].text
        assert comment.parent_id == truth[comment.platform_id].parent_id


# ---- error mapping (recorded XRPC errors) ----------------------------------------------------
BASE = "https://pds.example"


@responses.activate
def test_rate_limit_reads_ratelimit_reset():
    responses.post(
        f"{BASE}/xrpc/com.atproto.server.createSession",
        json={
            "accessJwt": "a1",
            "refreshJwt": "r1",
            "handle": "pd.bsky.social",
            "did": "did:plc:pd",
        },
    )
    responses.post(
        f"{BASE}/xrpc/com.atproto.repo.createRecord",
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        status=429,
        headers={
            "ratelimit-limit": "5000",
            "ratelimit-remaining": "0",
            "ratelimit-reset": "1804003200",
            "ratelimit-policy": "5000;w=3600",
        },
    )
    conn = BlueskyConnector(base_url=BASE, handle="pd.bsky.social", app_password=PASSWORD)
    with pytest.raises(RateLimited) as info:
        conn.publish(delivery("hello"))
    assert info.value.reset_at == datetime.fromtimestamp(1804003200, UTC)
    assert PASSWORD not in str(info.value)


@responses.activate
def test_refused_login_is_an_auth_error_naming_the_setting():
    responses.post(
        f"{BASE}/xrpc/com.atproto.server.createSession",
        json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        status=401,
    )
    conn = BlueskyConnector(base_url=BASE, handle="pd.bsky.social", app_password=PASSWORD)
    with pytest.raises(AuthError, match="app password"):
        conn.publish(delivery("hello"))


def test_sandbox_limits_logins_as_bluesky_does(rig):
    state, settings = rig
    for _ in range(30):
        _SESSIONS.clear()  # as if every post logged in: what beatpost must never do
        make(settings).find_published(delivery("x"), START)
    _SESSIONS.clear()
    with pytest.raises(RateLimited) as info:
        make(settings).find_published(delivery("x"), START)
    assert info.value.reset_at is not None
    assert info.value.reset_at <= START + timedelta(minutes=5, seconds=1)
    assert logins(state) == 31
