"""The real XConnector against the sandbox's X API over HTTP: same code path as production,
only the base URL differs. The sandbox's state is inspected to prove what reached "X"."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image

from connectors.base import MediaFile, OutgoingPost
from connectors.errors import (
    AuthError,
    DuplicateContent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.sandbox import (
    X_USER_ID,
    X_USERNAME,
    FaultPlan,
    SandboxServer,
    SandboxState,
    SimClock,
)
from connectors.sandbox.x_api import POSTS_PER_DAY_KEY
from connectors.x import XConnector

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@pytest.fixture()
def sandbox():
    state = SandboxState(seed=7, clock=SimClock(START))
    with SandboxServer(state) as server:
        yield state, server


def make_connector(server: SandboxServer, state: SandboxState, **overrides) -> XConnector:
    options = {
        "api_key": "sandbox-key",
        "api_secret": "sandbox-secret",
        "access_token": "sandbox-token",
        "access_token_secret": "sandbox-token-secret",
        "bearer_token": "sandbox-bearer",
        "user_id": X_USER_ID,
        "username": X_USERNAME,
        "base_url": server.url,
        "timeout_seconds": 5.0,
        "clock": state.now,
    }
    options.update(overrides)
    return XConnector(**options)


def _photo(path: Path) -> Path:
    exif = Image.Exif()
    exif[0xA431] = "SERIAL-123456"
    exif.get_ifd(0x8825)[2] = (41.0, 52.0, 3.5)
    Image.new("RGB", (800, 600), (200, 40, 40)).save(path, "JPEG", exif=exif)
    return path


def _to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


TEXT = "Info night & Q&A Thursday 6pm: apply at https://springfield.gov/jobs?utm_source=x #JoinSPD"


def test_publish_with_media_lands_once_without_metadata(sandbox, tmp_path):
    state, server = sandbox
    x = make_connector(server, state)
    post = OutgoingPost(
        key="k1",
        text=TEXT,
        media=(MediaFile(path=_photo(tmp_path / "booth.jpg"), alt_text="Recruiting booth"),),
        link="https://springfield.gov/jobs?utm_source=x",
    )
    published = x.publish(post)

    (stored,) = state.posts("x")
    assert stored.id == published.platform_id and stored.text == TEXT
    assert published.url == f"https://x.com/{X_USERNAME}/status/{stored.id}"
    assert published.published_at == START
    (media,) = state.media("x")
    assert stored.media == [media.id] and media.alt_text == "Recruiting booth"
    assert b"SERIAL-123456" not in media.data
    assert not Image.open(io.BytesIO(media.data)).getexif()


def test_same_text_within_a_day_is_duplicate_content(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    post = OutgoingPost(key="k2", text="Testing day is Saturday at the academy")
    x.publish(post)
    with pytest.raises(DuplicateContent):
        x.publish(post)
    assert state.times_posted("x", post.text) == 1
    state.clock.advance(timedelta(hours=25))
    x.publish(post)
    assert state.times_posted("x", post.text) == 2


def test_500_after_create_then_find_published_reconciles(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    state.faults.configure(
        FaultPlan(
            created_but_500_rate=1.0, methods=("POST",), path_pattern=r"^/2/tweets$", max_faults=1
        )
    )
    post = OutgoingPost(key="k3", text=TEXT, link="https://springfield.gov/jobs?utm_source=x")
    since = state.now() - timedelta(minutes=1)
    with pytest.raises(OutcomeUnknown):
        x.publish(post)
    (stored,) = state.posts("x")  # it went out despite the 500
    state.clock.advance(timedelta(minutes=3))
    found = x.find_published(post, since)
    assert found is not None and found.platform_id == stored.id
    assert found.published_at == stored.created_at
    assert x.find_published(OutgoingPost(key="k4", text="Something never posted"), since) is None


def test_timeout_after_create_is_outcome_unknown_and_post_exists_once(sandbox):
    state, server = sandbox
    x = make_connector(server, state, timeout_seconds=0.5)
    state.faults.configure(
        FaultPlan(timeout_rate=1.0, timeout_seconds=1.5, methods=("POST",), max_faults=1)
    )
    post = OutgoingPost(key="k5", text="Ride-along program opens in December")
    with pytest.raises(OutcomeUnknown):
        x.publish(post)
    assert state.times_posted("x", post.text) == 1
    assert x.find_published(post, START - timedelta(minutes=1)) is not None


def test_rate_limit_and_transient_faults_are_typed(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    state.faults.configure(FaultPlan(rate_limit_rate=1.0, rate_limit_reset_seconds=600))
    with pytest.raises(RateLimited) as caught:
        x.publish(OutgoingPost(key="k6", text="Community picnic this weekend"))
    assert caught.value.reset_at == START + timedelta(seconds=600)
    assert state.posts("x") == []
    state.faults.configure(FaultPlan(error_rate=1.0, methods=("GET",)))
    with pytest.raises(TransientError):
        x.fetch_metrics(["1"])


def test_expired_token_is_an_auth_error(sandbox):
    state, server = sandbox
    x = make_connector(server, state, access_token="expired")
    with pytest.raises(AuthError):
        x.publish(OutgoingPost(key="k7", text="hello"))


def test_rate_limit_headers_on_every_answer_and_24h_window_on_posting(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    x.publish(OutgoingPost(key="k8", text="Headers check"))
    answer = requests.get(
        f"{server.url}/2/users/me", headers={"Authorization": "Bearer sandbox-bearer"}, timeout=5
    )
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(
        k.lower() for k in answer.headers
    )
    unauthorised = requests.post(f"{server.url}/2/tweets", json={"text": "no token"}, timeout=5)
    assert unauthorised.status_code == 401 and "x-rate-limit-reset" in unauthorised.headers


def test_metrics_match_the_audience_and_private_figures_age_out(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    young = x.publish(OutgoingPost(key="k9", text="Meet Officer Diaz: why I serve Springfield"))
    state.clock.advance(timedelta(hours=6))
    (snapshot,) = x.fetch_metrics([young.platform_id])
    truth = state.metrics("x", young.platform_id)
    assert snapshot.views == truth["views"] > 0
    assert (snapshot.reactions, snapshot.shares, snapshot.replies) == (
        truth["likes"],
        truth["reposts"],
        truth["replies"],
    )
    assert snapshot.link_clicks == truth["link_clicks"]
    assert snapshot.taken_at == state.now()

    state.clock.advance(timedelta(days=31))
    (aged,) = x.fetch_metrics([young.platform_id])
    assert aged.link_clicks is None and aged.views == state.metrics("x", young.platform_id)["views"]


def test_metrics_for_250_posts_take_three_lookups(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    ids = [state.add_post("x", X_USER_ID, f"Post number {n}").id for n in range(250)]
    state.clock.advance(timedelta(hours=2))
    snapshots = x.fetch_metrics(ids)
    assert [s.platform_id for s in snapshots] == ids
    assert len(state.requests("GET", "/2/tweets")) == 3


def test_comments_incremental_and_batched(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    posts = [
        x.publish(OutgoingPost(key=f"c{n}", text=f"Hiring event {n}: career fair at city hall"))
        for n in range(12)
    ]
    state.clock.advance(timedelta(days=2))
    first = posts[0].platform_id
    state.add_comment(
        "x", first, X_USERNAME, "Thanks for asking! Details in the link.", author_id=X_USER_ID
    )
    expected = [c for c in state.comments("x", first) if c.author_id != X_USER_ID]
    assert expected, "the seeded audience should have replied within two days"

    got = x.fetch_comments(first, None)
    assert [c.platform_id for c in got] == [c.id for c in expected]
    assert all(c.post_platform_id == first for c in got)
    assert got[0].author == expected[0].author and got[0].text == expected[0].text

    cursor = got[len(got) // 2].created_at
    newer = x.fetch_comments(first, cursor)
    # X gives times to the millisecond; the sandbox keeps finer ones.
    assert [c.platform_id for c in newer] == [
        c.id for c in expected if _to_ms(c.created_at) > cursor
    ]

    before = len(state.requests("GET", "/2/tweets/search/recent"))
    batch = x.fetch_comments_batch({p.platform_id: None for p in posts})
    searches = len(state.requests("GET", "/2/tweets/search/recent")) - before
    assert searches < len(posts)
    for p in posts:
        truth = [c.id for c in state.comments("x", p.platform_id) if c.author_id != X_USER_ID]
        assert [c.platform_id for c in batch[p.platform_id]] == truth


def test_search_window_and_query_length_are_enforced(sandbox):
    state, server = sandbox
    headers = {"Authorization": "Bearer sandbox-bearer"}
    too_old = (state.now() - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = requests.get(
        f"{server.url}/2/tweets/search/recent",
        params={"query": "conversation_id:1", "start_time": too_old},
        headers=headers,
        timeout=5,
    )
    assert answer.status_code == 400
    assert "start_time" in answer.json()["errors"][0]["message"]
    long = " OR ".join(["conversation_id:1500000000000000001"] * 20)
    answer = requests.get(
        f"{server.url}/2/tweets/search/recent", params={"query": long}, headers=headers, timeout=5
    )
    assert answer.status_code == 400


def test_delete_and_bad_media_are_rejected_typed(sandbox, tmp_path):
    state, server = sandbox
    x = make_connector(server, state)
    published = x.publish(OutgoingPost(key="d1", text="Posted by mistake"))
    assert x.delete(published.platform_id) is True
    assert state.posts("x") == [] and len(state.posts("x", include_deleted=True)) == 1
    with pytest.raises(Rejected):
        x.delete(published.platform_id)
    # A post pointing at media X never received is refused, nothing is created.
    answer = requests.post(
        f"{server.url}/2/tweets",
        json={"text": "ghost media", "media": {"media_ids": ["999"]}},
        headers={"Authorization": 'OAuth oauth_token="sandbox-token"'},
        timeout=5,
    )
    assert answer.status_code == 400 and state.times_posted("x", "ghost media") == 0


def test_connector_built_from_sandbox_settings_runs_on_its_own_clock(
    sandbox, tmp_path, monkeypatch
):
    """How the CLI and the demo build it: settings file + environment, real wall clock, while
    the sandbox runs simulated time days away from it."""
    from config import load_settings
    from connectors import create
    from connectors.sandbox.server import settings_env

    state, server = sandbox
    config = tmp_path / "beatpost.toml"
    config.write_text(server.settings_toml() + "\n")
    for name, value in settings_env().items():
        monkeypatch.setenv(name, value)
    x = create("x", load_settings(config))

    published = x.publish(OutgoingPost(key="e1", text="Academy class 42 graduates Friday"))
    assert published.published_at == START  # read from the id: the platform's clock
    state.clock.advance(timedelta(days=2))
    got = x.fetch_comments(published.platform_id, None)
    truth = [c.id for c in state.comments("x", published.platform_id) if c.author_id != X_USER_ID]
    assert [c.platform_id for c in got] == truth and truth
    later = x.fetch_comments(published.platform_id, got[0].created_at)
    assert [c.platform_id for c in later] == truth[1:]
    (snapshot,) = x.fetch_metrics([published.platform_id])
    assert snapshot.views == state.metrics("x", published.platform_id)["views"]


def test_posting_cap_spends_the_24_hour_window_and_reset_follows_it(sandbox):
    state, server = sandbox
    state.extras[POSTS_PER_DAY_KEY] = 3  # a small plan: three posts a day
    x = make_connector(server, state)
    for n in range(3):
        x.publish(OutgoingPost(key=f"cap{n}", text=f"Shift report {n}"))
        if n == 0:  # a refused attempt is not a post: it does not count against the cap
            with pytest.raises(DuplicateContent):
                x.publish(OutgoingPost(key="again", text="Shift report 0"))
    with pytest.raises(RateLimited) as caught:
        x.publish(OutgoingPost(key="cap3", text="One too many"))
    assert caught.value.reset_at == START + timedelta(hours=24)  # not the 15-minute reset
    state.clock.advance(timedelta(hours=23))
    with pytest.raises(RateLimited):
        x.publish(OutgoingPost(key="cap4", text="Still too many"))
    assert len(state.posts("x")) == 3
    answer = requests.post(
        f"{server.url}/2/tweets",
        json={"text": "raw"},
        headers={"Authorization": 'OAuth oauth_token="sandbox-token"'},
        timeout=5,
    )
    assert answer.status_code == 429
    assert answer.headers["x-user-limit-24hour-remaining"] == "0"
    assert int(answer.headers["x-user-limit-24hour-reset"]) == int(
        (START + timedelta(hours=24)).timestamp()
    )
    state.clock.advance(timedelta(hours=1, seconds=1))
    x.publish(OutgoingPost(key="cap5", text="A new day"))
    assert len(state.posts("x")) == 4


def test_find_published_pages_through_a_busy_timeline(sandbox):
    state, server = sandbox
    x = make_connector(server, state)
    target = state.add_post("x", X_USER_ID, "Cadet orientation starts Monday")
    for n in range(150):  # newer posts push the target onto the second page
        state.clock.advance(timedelta(seconds=20))
        state.add_post("x", X_USER_ID, f"Traffic advisory {n}")
    post = OutgoingPost(key="p1", text="Cadet  orientation starts Monday\n")
    found = x.find_published(post, START)
    assert found is not None and found.platform_id == target.id
    assert len(state.requests("GET", f"/2/users/{X_USER_ID}/tweets")) == 2
