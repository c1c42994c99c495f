"""One contract, every connector: the real connectors against the sandbox over real HTTP.

Each connector in ``connectors.REGISTRY`` (the platform table's rows with a connector) is built
the production way
(``connectors.create(name, settings)``) with only its base URL pointing at an in-process
sandbox. The sandbox's state is the witness: what reached the "platform", and how many times.
Platform quirks are tested per connector; this suite holds what the daemon relies on from all.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

import connectors
from config.settings import Settings
from connectors.base import Connector, MediaFile, OutgoingPost, Published
from connectors.errors import (
    AuthError,
    ConnectorError,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.platforms import TABLE
from connectors.sandbox import (
    FaultPlan,
    SandboxServer,
    SandboxState,
    SimClock,
    settings_overrides,
)

TOKEN = "contract-token-5f1e9a"  # must never show up in an error message
SERIAL = "CAM-SERIAL-4471"


@pytest.fixture(params=list(connectors.REGISTRY))
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass
class Rig:
    platform: str
    state: SandboxState
    server: SandboxServer
    hosted: Path
    tmp_path: Path
    start: datetime  # the sandbox's frozen clock starts here

    @property
    def since(self) -> datetime:
        """A reconciliation window opening just before the test began."""
        return self.start - timedelta(minutes=5)

    def connector(self, token: str = TOKEN, timeout: float = 5.0) -> Connector:
        return connectors.create(
            self.platform, _settings(self.server.url, self.tmp_path, token, timeout)
        )

    def post(self, text: str, *, media: bool = False, key: str = "k") -> OutgoingPost:
        files = (self.photo(),) if media else ()
        return OutgoingPost(key=f"{self.platform}/{key}", text=text, media=files)

    def photo(self) -> MediaFile:
        """A photo carrying GPS and a camera serial (Instagram fetches the hosted copy)."""
        path = self.tmp_path / "officer.jpg"
        if not path.exists():
            exif = Image.Exif()
            exif[0xA431] = SERIAL
            exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 52.0, 12.5)})
            Image.new("RGB", (1080, 1080), (30, 60, 150)).save(path, "JPEG", exif=exif)
        return MediaFile(
            path=path,
            alt_text="Officer Ruiz in front of the training academy",
            mime_type="image/jpeg",
        )

    def live_posts(self) -> list:
        return self.state.posts(self.platform)

    def aim(self, **plan: object) -> None:
        """Inject faults on the publishing step only, once."""
        path = publish_path(self.platform)
        self.state.faults.configure(
            FaultPlan(methods=("POST",), path_pattern=path, max_faults=1, **plan)
        )

    @property
    def needs_media(self) -> bool:
        return TABLE[self.platform].limits.requires_media


def publish_path(platform: str) -> str | None:
    """Where the platform's post becomes public, from its sandbox module's ``PUBLISH_PATHS``:
    faults aimed there hit the publishing step itself."""
    module = TABLE[platform].sandbox_module()
    return getattr(module, "PUBLISH_PATHS", {}).get(platform)


def _settings(url: str, workspace: Path, token: str, timeout: float) -> Settings:
    sections = settings_overrides(url, token)
    for values in sections.values():
        values["timeout_seconds"] = timeout
    return Settings(workspace=workspace, **sections)


@pytest.fixture
def rig(platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    for name in list(os.environ):  # the suite's settings, not the developer's
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    if publish_path(platform) is None:
        pytest.fail(f"{platform}: its sandbox module needs PUBLISH_PATHS[{platform!r}]")
    hosted = tmp_path / "public-media"  # instagram.publish_dir, as the web server publishes it
    # Close to the wall clock: connectors built from settings use real time, and the X 7-day
    # search window is checked against both clocks. The sandbox stays frozen from there.
    start = datetime.now(UTC).replace(microsecond=0)
    state = SandboxState(seed=7, clock=SimClock(start))
    with SandboxServer(state, media_dir=hosted) as server:
        yield Rig(platform, state, server, hosted, tmp_path, start)


def _text(rig: Rig, label: str) -> str:
    return (
        f'Meet Officer Dana Ruiz ({label}, {rig.platform}): "I joined because my grandfather '
        'walked this beat." Applications open: https://springfield.example/jobs #JoinSPD'
    )


def _publish_ok(rig: Rig, conn: Connector, post: OutgoingPost) -> Published:
    published = conn.publish(post)
    matching = [p for p in rig.live_posts() if p.id == published.platform_id]
    assert len(matching) == 1, "the platform id names the post that went out"
    assert published.url.startswith("https://")
    assert published.published_at.utcoffset() == timedelta(0)
    return published


# ---- publishing ------------------------------------------------------------------------------
def test_publish_without_media(rig: Rig) -> None:
    conn = rig.connector()
    post = rig.post(_text(rig, "text only"))
    if conn.limits.requires_media:
        with pytest.raises(Rejected):
            conn.publish(post)
        assert rig.live_posts() == []
        return
    published = _publish_ok(rig, conn, post)
    (stored,) = rig.live_posts()
    assert stored.id == published.platform_id
    assert stored.media == []
    assert post.text in stored.text or stored.text in post.text


def test_publish_with_media_strips_metadata(rig: Rig) -> None:
    conn = rig.connector()
    published = _publish_ok(rig, conn, rig.post(_text(rig, "photo"), media=True))
    (stored,) = rig.live_posts()
    assert stored.id == published.platform_id
    assert stored.media, "the post should carry its photo"
    uploaded = rig.state.media(rig.platform)
    for item in uploaded:
        assert SERIAL.encode() not in item.data
        if item.data:
            assert not Image.open(io.BytesIO(item.data)).getexif()


# ---- reconciliation --------------------------------------------------------------------------
def _reconcile(
    rig: Rig, conn: Connector, post: OutgoingPost, exc: ConnectorError
) -> Published | None:
    # The daemon hands back whatever the connector attached to the error (Instagram's container).
    return conn.find_published(replace(post, resume=getattr(exc, "resume", {})), rig.since)


def test_find_published_after_500_but_created(rig: Rig) -> None:
    conn = rig.connector()
    post = rig.post(_text(rig, "created but 500"), media=rig.needs_media)
    rig.aim(created_but_500_rate=1.0)
    with pytest.raises(OutcomeUnknown) as info:
        conn.publish(post)
    (stored,) = rig.live_posts()  # the platform has it, exactly once

    found = _reconcile(rig, conn, post, info.value)
    assert found is not None and found.platform_id == stored.id
    plain = conn.find_published(post, rig.since)  # without resume state: match on the text
    assert plain is not None and plain.platform_id == stored.id
    assert len(rig.live_posts()) == 1, "reconciling must never post again"


def test_find_published_after_timeout(rig: Rig) -> None:
    conn = rig.connector(timeout=0.5)
    post = rig.post(_text(rig, "timeout"), media=rig.needs_media)
    rig.aim(timeout_rate=1.0, timeout_seconds=1.5)
    with pytest.raises(OutcomeUnknown) as info:
        conn.publish(post)
    (stored,) = rig.live_posts()
    found = _reconcile(rig, conn, post, info.value)
    assert found is not None and found.platform_id == stored.id


def test_find_published_is_none_for_a_post_never_sent(rig: Rig) -> None:
    conn = rig.connector()
    _publish_ok(rig, conn, rig.post(_text(rig, "another post"), media=True, key="other"))
    assert conn.find_published(rig.post(_text(rig, "never sent"), media=True), rig.since) is None


# ---- engagement ------------------------------------------------------------------------------
def test_metrics_batch_and_grow_with_time(rig: Rig) -> None:
    conn = rig.connector()
    ids = [
        _publish_ok(
            rig, conn, rig.post(_text(rig, f"metrics {i}"), media=True, key=str(i))
        ).platform_id
        for i in range(3)
    ]
    rig.state.clock.advance(timedelta(hours=2))
    early = {s.platform_id: s for s in conn.fetch_metrics(ids)}
    rig.state.clock.advance(timedelta(days=2))
    late = {s.platform_id: s for s in conn.fetch_metrics(ids)}
    assert set(early) == set(late) == set(ids)
    for pid in ids:
        truth = rig.state.metrics(rig.platform, pid)
        snap = late[pid]
        assert snap.taken_at.utcoffset() == timedelta(0)
        # Likes exist everywhere; views/reach depend on which insights the platform still serves.
        assert (snap.reactions or 0) > 0
        if snap.replies is not None:
            assert snap.replies == truth["replies"]
        for field in ("views", "reach", "reactions", "shares", "replies"):
            before, after = getattr(early[pid], field), getattr(snap, field)
            if before is not None and after is not None:
                assert after >= before, (pid, field)
        grew = [
            field
            for field in ("views", "reach", "reactions")
            if (getattr(snap, field) or 0) > (getattr(early[pid], field) or 0)
        ]
        assert grew, f"{pid}: nothing grew over two days"


def test_comments_since_a_cursor(rig: Rig) -> None:
    conn = rig.connector()
    pid = _publish_ok(rig, conn, rig.post(_text(rig, "comments"), media=True)).platform_id
    # Read first when about half of the week's comments have been written.
    week = rig.state.comments(rig.platform, pid, until=rig.start + timedelta(days=6))
    assert len(week) >= 3, "the sandbox audience always comments"
    rig.state.clock.set(week[len(week) // 2].created_at)

    first = conn.fetch_comments(pid, None)
    truth = rig.state.comments(rig.platform, pid)
    assert truth
    assert {c.platform_id for c in first} == {t.id for t in truth}
    by_id = {t.id: t for t in truth}
    for comment in first:
        assert comment.post_platform_id == pid
        assert comment.text == by_id[comment.platform_id].text
        assert comment.created_at == by_id[comment.platform_id].created_at

    cursor = max(c.created_at for c in first)
    rig.state.clock.set(rig.start + timedelta(days=6))
    newer = conn.fetch_comments(pid, cursor)
    truth_after = {t.id for t in rig.state.comments(rig.platform, pid) if t.created_at > cursor}
    assert truth_after, "more comments arrive over the following days"
    got = {c.platform_id for c in newer}
    assert truth_after <= got, "nothing newer than the cursor is missed"
    assert all(c.created_at >= cursor for c in newer), "nothing older than the cursor returns"


def test_comments_of_several_posts_at_once(rig: Rig) -> None:
    conn = rig.connector()
    if not conn.capabilities.batch_comments:
        pytest.skip(f"{rig.platform} reads comments one post per request (declared)")
    batch = conn.fetch_comments_batch
    pids = [
        _publish_ok(rig, conn, rig.post(_text(rig, f"batch {n}"), media=True, key=f"b{n}"))
        for n in range(3)
    ]
    ids = [p.platform_id for p in pids]
    rig.state.clock.set(rig.start + timedelta(days=3))

    first = batch({pid: None for pid in ids})
    for pid in ids:
        truth = {t.id: t for t in rig.state.comments(rig.platform, pid)}
        assert {c.platform_id for c in first[pid]} == set(truth), pid
        for comment in first[pid]:
            assert comment.post_platform_id == pid
            assert comment.text == truth[comment.platform_id].text

    # Each post is cut at its own cursor; one read for the first time rides along with None.
    cursors = {pid: max((c.created_at for c in first[pid]), default=None) for pid in ids}
    cursors[ids[-1]] = None
    rig.state.clock.set(rig.start + timedelta(days=6))
    newer = batch(cursors)
    for pid, cursor in cursors.items():
        truth_after = {
            t.id
            for t in rig.state.comments(rig.platform, pid)
            if cursor is None or t.created_at > cursor
        }
        got = {c.platform_id for c in newer[pid]}
        assert truth_after <= got, "nothing newer than a post's cursor is missed"
        assert all(cursor is None or c.created_at >= cursor for c in newer[pid])
    assert any(cursors[pid] is not None for pid in ids), "the audience commented by day 3"


# ---- errors ----------------------------------------------------------------------------------
def test_expired_token_is_an_auth_error(rig: Rig) -> None:
    conn = rig.connector(token="expired")
    with pytest.raises(AuthError):
        conn.publish(rig.post(_text(rig, "expired"), media=True))
    assert rig.live_posts() == []


def test_rate_limit_applies_nothing_and_says_when_to_retry(rig: Rig) -> None:
    conn = rig.connector()
    rig.aim(rate_limit_rate=1.0, rate_limit_reset_seconds=900)
    with pytest.raises(RateLimited) as info:
        conn.publish(rig.post(_text(rig, "rate limited"), media=True))
    assert rig.live_posts() == []
    reset_at = info.value.reset_at
    assert reset_at is not None and reset_at.utcoffset() == timedelta(0)
    # The platform said "15 minutes"; the connector must not invent its own wait.
    assert abs(reset_at - (rig.start + timedelta(seconds=900))) < timedelta(minutes=2)
    assert TOKEN not in str(info.value)


def test_transient_error_on_publish_is_safe_to_retry(rig: Rig) -> None:
    """A 5xx to a publishing call may be reported as either; both must leave a safe state."""
    conn = rig.connector()
    post = rig.post(_text(rig, "transient"), media=True)
    rig.aim(error_rate=1.0)
    with pytest.raises((TransientError, OutcomeUnknown)) as info:
        conn.publish(post)
    assert rig.live_posts() == []
    assert TOKEN not in str(info.value)
    if isinstance(info.value, OutcomeUnknown):
        assert _reconcile(rig, conn, post, info.value) is None  # so the daemon may send it again
    again = conn.publish(post)
    assert [p.id for p in rig.live_posts()] == [again.platform_id]


def test_one_connector_publishes_from_several_threads(rig: Rig) -> None:
    """The daemon may run deliveries in parallel through one connector instance."""
    conn = rig.connector()
    posts = [rig.post(_text(rig, f"parallel {i}"), media=True, key=f"p{i}") for i in range(4)]
    results: dict[str, Published] = {}
    errors: list[BaseException] = []

    def deliver(post: OutgoingPost) -> None:
        try:
            results[post.key] = conn.publish(post)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(post,)) for post in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = {p.id: p for p in rig.live_posts()}
    assert len(stored) == len(posts)
    for post in posts:
        assert rig.state.times_posted(rig.platform, stored[results[post.key].platform_id].text) == 1
        assert post.text in stored[results[post.key].platform_id].text
