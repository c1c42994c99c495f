"""A pause that arrives while a connector works (Instagram's container wait of up to a minute,
X's and Facebook's photo uploads) stops the request that would make the post public: the
delivery is held under the pause, never ``unknown``, and nothing is published.

Real connectors against mocked platform replies (``responses``), the real publisher and a
real ledger; the pause is recorded from inside the slow step, as a PIO's `beatpost pause`
would land there.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import responses
from PIL import Image

from beatpost.publisher import Publisher, RetryPolicy
from campaigns.types import MediaRef
from connectors.base import MediaFile, OutgoingPost
from connectors.errors import Held
from connectors.facebook import FacebookConnector
from connectors.hosting import MediaHost
from connectors.instagram import InstagramConnector
from store import ClaimPolicy, Ledger, State, sync_plans
from tests.connectors import test_x as x_support
from tests.connectors._graph_support import API, IG_USER_ID, PAGE_ID, load, make_client
from tests.ledger_fixtures import T0, plan

POLICY = ClaimPolicy()
PUBLISH = f"{API}/{IG_USER_ID}/media_publish"
IG_MEDIA = f"{API}/{IG_USER_ID}/media"
IG_LIMIT = f"{API}/{IG_USER_ID}/content_publishing_limit"
CONTAINER_URL = f"{API}/17889455560051444"
FB_PHOTOS = f"{API}/{PAGE_ID}/photos"
FB_FEED = f"{API}/{PAGE_ID}/feed"
HOSTED = "https://media.example.gov/recruiting"


def _photo(tmp_path: Path, name: str = "reyes.jpg") -> MediaRef:
    path = tmp_path / name
    Image.new("RGB", (64, 48), (30, 60, 90)).save(path, "JPEG")
    return MediaRef(path=path, alt_text="Officer Reyes", mime_type="image/jpeg")


def _claimed(engine, platform: str, media: tuple[MediaRef, ...]):
    sync_plans(
        engine,
        [plan("p1", platform=platform, media=media)],
        valid_files=["campaigns/spring.yaml"],
        now=T0 - timedelta(days=1),
        actor="tester",
    )
    ledger = Ledger(engine, owner="daemon-1")
    claim = ledger.claim_next(T0, POLICY)
    assert claim is not None
    return ledger, claim


def _publisher(ledger: Ledger, connector) -> Publisher:
    return Publisher(
        ledger,
        lambda platform: connector,
        clock=lambda: T0 + timedelta(seconds=2),
        policy=RetryPolicy(),
    )


def _pause_now(engine) -> None:
    """`beatpost pause` from another shell, one second after the post was claimed."""
    Ledger(engine, owner="cli").pause(
        reason="officer-involved shooting", actor="Sgt. Kim", now=T0 + timedelta(seconds=1)
    )


def _assert_held_then_skipped(ledger: Ledger, state: str) -> None:
    assert state == State.PLANNED
    [held] = ledger.deliveries()
    assert held.state == State.PLANNED
    assert "paused (pause 1: officer-involved shooting)" in held.reason
    assert held.attempt_count == 0  # no publishing request left
    assert ledger.attempts(held.id)[-1].outcome == "held"
    report = ledger.resume(actor="Sgt. Kim", now=T0 + timedelta(minutes=5))
    assert [d.id for d in report.skipped] == [held.id]


@responses.activate
def test_instagram_pause_during_the_container_wait_means_no_media_publish(engine, tmp_path):
    ledger, claim = _claimed(engine, "instagram", (_photo(tmp_path),))
    responses.get(IG_LIMIT, json=load("ig_publishing_limit.json"))
    responses.post(IG_MEDIA, json=load("ig_container_created.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_in_progress.json"))
    responses.get(CONTAINER_URL, json=load("ig_container_finished.json"))
    responses.post(PUBLISH, json=load("ig_media_published.json"))
    published = tmp_path / "public-media"
    responses.add_callback(  # the department's web server, serving the publish folder
        responses.GET,
        re.compile(re.escape(HOSTED) + "/"),
        callback=lambda request: (
            200,
            {},
            (published / request.url.rpartition("/")[2]).read_bytes(),
        ),
    )
    connector = InstagramConnector(
        ig_user_id=IG_USER_ID,
        client=make_client("instagram"),
        poll_interval=3,
        sleep=lambda seconds: _pause_now(engine),  # the pause lands during the wait
        host=MediaHost(publish_dir=published, base_url=HOSTED),
    )
    state = _publisher(ledger, connector).publish(claim)
    assert not any(c.request.url.startswith(PUBLISH) for c in responses.calls)
    [held] = ledger.deliveries()
    assert held.resume == {"container_id": "17889455560051444"}  # resumable, not lost
    _assert_held_then_skipped(ledger, state)


@responses.activate
def test_x_pause_during_the_media_upload_means_no_create_post(engine, tmp_path):
    ledger, claim = _claimed(engine, "x", (_photo(tmp_path),))
    upload = x_support.fixture("media_upload_200.json")

    def upload_then_pause(request):
        _pause_now(engine)
        return 200, {"Content-Type": "application/json"}, upload

    base = x_support.BASE
    responses.add_callback(responses.POST, f"{base}/2/media/upload", callback=upload_then_pause)
    x_support.answer("POST", "/2/media/metadata", 200, None, "media_metadata_200.json")
    x_support.answer("POST", "/2/tweets", 201, None, "create_post_201.json")
    state = _publisher(ledger, x_support.connector()).publish(claim)
    assert [c.request.url for c in responses.calls] == [
        f"{base}/2/media/upload",
        f"{base}/2/media/metadata",
    ]
    _assert_held_then_skipped(ledger, state)


@responses.activate
def test_facebook_pause_during_the_photo_uploads_means_no_feed_post(engine, tmp_path):
    ledger, claim = _claimed(engine, "facebook", (_photo(tmp_path, "a.jpg"), _photo(tmp_path)))
    responses.post(FB_PHOTOS, json={"id": "9001"})

    def upload_then_pause(request):
        _pause_now(engine)
        return 200, {"Content-Type": "application/json"}, '{"id": "9002"}'

    responses.add_callback(responses.POST, FB_PHOTOS, callback=upload_then_pause)
    responses.post(FB_FEED, json=load("fb_feed_created.json"))
    connector = FacebookConnector(page_id=PAGE_ID, client=make_client("facebook"))
    state = _publisher(ledger, connector).publish(claim)
    assert [c.request.url for c in responses.calls] == [FB_PHOTOS, FB_PHOTOS]
    _assert_held_then_skipped(ledger, state)


@pytest.mark.parametrize("media", [0, 1], ids=["text", "one photo"])
@responses.activate
def test_facebook_checks_the_pause_before_a_post_that_is_public_at_once(media, tmp_path):
    """A text post and a single photo are public with their first request: asked first."""
    connector = FacebookConnector(page_id=PAGE_ID, client=make_client("facebook"))
    images = (MediaFile(path=_photo(tmp_path).path),) if media else ()
    post = OutgoingPost(key="k", text="Ride-along night", media=images, go_ahead=lambda: "paused")
    with pytest.raises(Held, match="not published: paused"):
        connector.publish(post)
    assert len(responses.calls) == 0


def test_a_post_with_no_go_ahead_is_published_as_before():
    post = OutgoingPost(key="k", text="t")
    post.check_go_ahead("x")  # no daemon asking: nothing to hold
    assert OutgoingPost(key="k", text="t", go_ahead=lambda: None) == post


@responses.activate
def test_pauses_that_cannot_be_read_hold_the_post(engine, tmp_path, monkeypatch):
    """The crisis switch fails closed: a database that cannot answer is not a go-ahead."""
    from sqlalchemy.exc import OperationalError

    ledger, claim = _claimed(engine, "facebook", ())
    responses.post(FB_FEED, json=load("fb_feed_created.json"))

    def locked(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(ledger, "pause_over", locked)
    connector = FacebookConnector(page_id=PAGE_ID, client=make_client("facebook"))
    assert _publisher(ledger, connector).publish(claim) == State.PLANNED
    assert len(responses.calls) == 0
    [held] = ledger.deliveries()
    assert "could not read the pauses from the database (database is locked)" in held.reason
