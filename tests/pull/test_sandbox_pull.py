"""Pulls end to end: the real X and Facebook connectors over HTTP against the sandbox, through a
simulated week, into a real store, with the real sentiment model on ingest."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from beatpost.pull import run_pull
from beatpost.pull.ingest import sentiment_scorer
from config.settings import Settings
from connectors.base import OutgoingPost
from connectors.facebook import FacebookConnector
from connectors.graph import GraphClient
from connectors.instagram import InstagramConnector
from connectors.sandbox import (
    EXPIRED_TOKEN,
    FACEBOOK_PAGE_ID,
    INSTAGRAM_USER_ID,
    X_USER_ID,
    X_USERNAME,
    SandboxServer,
    SandboxState,
    SimClock,
    graph_api,
)
from connectors.x import XConnector
from store import metrics as store_metrics
from store.engine import read_session

from .conftest import add_delivery, run_every

pytest.importorskip("analysis.sentiment", reason="comments are scored by analysis.sentiment")
pytest.importorskip("analysis.flags", reason="comments are flagged by analysis.flags")

START = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
TOKEN = "sandbox-token"
H = timedelta(hours=1)
D = timedelta(days=1)
FB_METRICS = ["post_media_view", "post_total_media_view_unique", "post_clicks_by_type"]
TEXTS = [
    "Officer Diaz: why I joined the Riverside Police. Apply by March 20! #JoinRPD",
    "Career fair at Lincoln High, Saturday 10am. Talk to our recruiters about the academy.",
    "Ride-along evenings are open for applicants. Sign up at the link. #JoinRPD",
]


class Spy:
    """Delegates to a real connector; records calls; ``hooks[n]`` runs before metrics call n."""

    def __init__(self, inner: Any, batch: int | None = None):
        self.inner = inner
        self.platform = inner.platform
        self.limits = replace(inner.limits, metrics_batch=batch) if batch else inner.limits
        self.metric_calls: list[list[str]] = []
        self.comment_calls: list[tuple[str, datetime | None, list[Any]]] = []
        self.comment_requests = 0
        self.hooks: dict[int, Callable[[Spy], None]] = {}
        self.capabilities = inner.capabilities
        if inner.capabilities.batch_comments:  # many posts per request
            self.fetch_comments_batch = self._fetch_comments_batch

    def fetch_metrics(self, ids):
        hook = self.hooks.get(len(self.metric_calls) + 1)
        if hook:
            hook(self)
        self.metric_calls.append(list(ids))
        return self.inner.fetch_metrics(ids)

    def fetch_comments(self, platform_id, since):
        found = self.inner.fetch_comments(platform_id, since)
        self.comment_calls.append((platform_id, since, found))
        return found

    def _fetch_comments_batch(self, cursors):
        self.comment_requests += 1
        result = self.inner.fetch_comments_batch(cursors)
        for platform_id, since in cursors.items():
            self.comment_calls.append((platform_id, since, result.get(platform_id, [])))
        return result


@pytest.fixture
def clock():
    return SimClock(START)


@pytest.fixture
def sandbox(clock):
    state = SandboxState(seed=11, clock=clock)
    with SandboxServer(state) as server:
        yield server


def x_connector(server: SandboxServer, clock: SimClock, token: str = TOKEN) -> XConnector:
    return XConnector(
        api_key=TOKEN,
        api_secret=TOKEN,
        access_token=token,
        access_token_secret=TOKEN,
        user_id=X_USER_ID,
        username=X_USERNAME,
        base_url=server.url,
        timeout_seconds=5,
        clock=clock.now,
    )


def ig_connector(server: SandboxServer, clock: SimClock) -> InstagramConnector:
    client = GraphClient(
        platform="instagram",
        base_url=server.url,
        api_version="v25.0",
        access_token=TOKEN,
        timeout=5,
        sleep=lambda _s: None,
        now=clock.now,
    )
    return InstagramConnector(ig_user_id=INSTAGRAM_USER_ID, client=client)


def fb_connector(server: SandboxServer, clock: SimClock) -> FacebookConnector:
    client = GraphClient(
        platform="facebook",
        base_url=server.url,
        api_version="v25.0",
        access_token=TOKEN,
        timeout=5,
        sleep=lambda _s: None,
        now=clock.now,
    )
    return FacebookConnector(page_id=FACEBOOK_PAGE_ID, client=client, insights_metrics=FB_METRICS)


def publish_all(
    engine, server, clock, platforms=("x", "facebook"), spacing=timedelta(0), between=None
):
    """Publish each text on each platform through the real connectors; record deliveries.

    ``between()`` runs after each text is out (pulls while the campaign unfolds); then the
    clock moves on by ``spacing``."""
    made = {"x": x_connector(server, clock), "facebook": fb_connector(server, clock)}
    out = []
    for n, text in enumerate(TEXTS):
        for platform in platforms:
            if platform == "instagram":  # publishing needs hosted media: placed directly
                post = server.state.add_post("instagram", INSTAGRAM_USER_ID, text, media=["m"])
                platform_id, published_at = post.id, post.created_at
            else:
                published = made[platform].publish(OutgoingPost(key=f"k{n}/{platform}", text=text))
                platform_id, published_at = published.platform_id, published.published_at
            did = add_delivery(
                engine,
                platform=platform,
                platform_id=platform_id,
                published_at=published_at,
                text=text,
                kind="event" if "fair" in text else "testimonial",
            )
            out.append((did, platform, platform_id, published_at))
        if between is not None:
            between()
        clock.advance(spacing)
    return out


def test_simulated_week_over_http(engine, sandbox, clock):
    all_comment_calls: dict[str, list] = {}

    def factory(platform: str) -> Spy:
        make = {"x": x_connector, "facebook": fb_connector, "instagram": ig_connector}[platform]
        spy = Spy(make(sandbox, clock))
        spy.comment_calls = all_comment_calls.setdefault(platform, [])
        return spy

    settings = Settings()
    scorer = sentiment_scorer(settings.sentiment_model)
    reports = []

    def pull_once():
        return run_pull(settings, engine, factory, clock.now, scorer=scorer)

    def pulls_for(span):  # the daemon's 15-minute job, running while posts go out
        reports.extend(run_every(pull_once, clock, clock.now() + span - timedelta(minutes=15)))

    # three posts per platform, 2 h 37 min apart, so their slots fall on different pulls
    deliveries = publish_all(
        engine,
        sandbox,
        clock,
        ("x", "facebook", "instagram"),
        between=lambda: pulls_for(timedelta(hours=2, minutes=37)),
    )
    reports.extend(run_every(pull_once, clock, START + 8 * D))
    assert all(r.ok for r in reports), [r.errors for r in reports if not r.ok]

    # Snapshots at the scheduled ages, each on the first pull at or after its slot
    nominal = {"1h": H, "6h": 6 * H, "24h": D, "3d": 3 * D, "7d": 7 * D}
    with read_session(engine) as session:
        for did, platform, _pid, published_at in deliveries:
            snaps = store_metrics.snapshots_of(session, did)
            assert [s.slot for s in snaps] == list(nominal), (platform, did)
            for s in snaps:
                age = s.taken_at - published_at
                assert nominal[s.slot] <= age < nominal[s.slot] + timedelta(minutes=15)
                assert s.reactions is not None and s.views is not None
            assert snaps[-1].views >= snaps[0].views  # cumulative figures grow

    # Metrics requests per pull are the floor: ceil(due posts / batch)
    for report in reports:
        for rep in report.platforms.values():
            batch = 100 if rep.platform == "x" else 50
            assert rep.metrics_requests == math.ceil(rep.snapshots / batch)

    # Every platform reads the comments of all due posts (at most 3 here) in one request
    for report in reports:
        assert all(rep.comments_requests <= 1 for rep in report.platforms.values())

    # Cursors honoured: each fetch asks from the newest comment already seen
    for calls in all_comment_calls.values():
        newest: dict[str, datetime] = {}
        for pid, since, found in calls:
            assert since == newest.get(pid)
            for comment in found:
                assert since is None or comment.created_at >= since
                newest[pid] = max(newest.get(pid, comment.created_at), comment.created_at)

    # No duplicates, nothing missed up to the last fetch, and every comment scored
    state = sandbox.state
    flagged: set[str] = set()
    with read_session(engine) as session:
        for did, platform, pid, _at in deliveries:
            stored = store_metrics.comments_of(session, did)
            ids = [c.platform_comment_id for c in stored]
            assert len(ids) == len(set(ids))
            last_fetch = max(
                (
                    c.created_at
                    for _p, _s, found in all_comment_calls[platform]
                    if _p == pid
                    for c in found
                ),
                default=None,
            )
            if last_fetch is None:
                continue
            # the APIs give times to the millisecond (X) or second (Graph); the sandbox keeps
            # microseconds
            until = last_fetch + timedelta(seconds=1)
            visible = [c for c in state.comments(platform, pid, until=until) if c.category != "own"]
            expected = {c.id for c in visible}
            # Instagram nests one level of replies and files a reply to a reply under the
            # top-level comment, so every comment is reached there too.
            assert set(ids) == expected, (platform, pid)
            assert all(c.sentiment_label in {"negative", "neutral", "positive"} for c in stored)
            assert all(-1 <= c.sentiment_score <= 1 for c in stored)
            known = {"needs_reply", "hostile", "safety", "critical", "negative"}
            assert all(set(c.flags) <= known for c in stored)
            assert all(c.stance in {"supportive", "neutral", "critical"} for c in stored)
            assert all(c.lang for c in stored)
            flagged.update(flag for c in stored for flag in c.flags)
    assert sum(r.total("new_comments") for r in reports) > 0
    assert "needs_reply" in flagged  # the sandbox audience asks how to apply


def test_expired_token_mid_pull_keeps_what_was_fetched(engine, sandbox, clock):
    deliveries = publish_all(engine, sandbox, clock, platforms=("x",), spacing=timedelta(0))
    clock.advance(H)

    def expire(spy: Spy) -> None:
        spy.inner = x_connector(sandbox, clock, token=EXPIRED_TOKEN)

    def factory(platform: str) -> Spy:
        spy = Spy(x_connector(sandbox, clock), batch=2)
        spy.hooks[2] = expire  # the token expires between the first and second request
        return spy

    settings = Settings()
    report = run_pull(settings, engine, factory, clock.now, scorer=sentiment_scorer("default"))
    rep = report.platforms["x"]
    assert rep.snapshots == 2 and rep.metrics_requests == 2
    assert len(rep.errors) == 1 and rep.errors[0].startswith("metrics: x:")
    assert "expired" in rep.stopped
    assert rep.not_attempted == 1 + 3  # the second batch's post, and every comment fetch
    assert EXPIRED_TOKEN not in " ".join(rep.errors)
    with read_session(engine) as session:
        kept = [len(store_metrics.snapshots_of(session, d)) for d, *_ in deliveries]
    assert sorted(kept) == [0, 1, 1]

    # Once the token is fixed the remaining post is measured on the next pull, nothing twice
    clock.advance(timedelta(minutes=15))
    fixed = run_pull(
        settings,
        engine,
        lambda p: Spy(x_connector(sandbox, clock)),
        clock.now,
        scorer=sentiment_scorer("default"),
    )
    assert fixed.ok and fixed.platforms["x"].snapshots == 1
    with read_session(engine) as session:
        assert [len(store_metrics.snapshots_of(session, d)) for d, *_ in deliveries] == [1, 1, 1]


def test_metric_retired_mid_pull_keeps_the_rest(engine, sandbox, clock, monkeypatch):
    deliveries = publish_all(engine, sandbox, clock, platforms=("facebook",), spacing=timedelta(0))
    clock.advance(H)

    def retire(_spy: Spy) -> None:  # Meta retires the metric between the two requests
        monkeypatch.delitem(graph_api.FACEBOOK_METRICS, "post_media_view")

    def factory(platform: str) -> Spy:
        spy = Spy(fb_connector(sandbox, clock), batch=2)
        spy.hooks[2] = retire
        return spy

    report = run_pull(Settings(), engine, factory, clock.now, scorer=sentiment_scorer("default"))
    rep = report.platforms["facebook"]
    assert report.ok and rep.snapshots == 3
    assert any(
        "'views' given by earlier requests of this pull but for none of the 1 post(s)" in w
        for w in rep.warnings
    ), rep.warnings
    with read_session(engine) as session:
        snaps = [store_metrics.snapshots_of(session, d)[0] for d, *_ in deliveries]
    assert [s.views is None for s in snaps] == [False, False, True]
    assert all(s.reactions is not None and s.reach is not None for s in snaps)

    # The next pull says what happened: a figure the posts had is no longer given
    clock.advance(5 * H)
    later = run_pull(Settings(), engine, factory, clock.now, scorer=sentiment_scorer("default"))
    warnings = later.platforms["facebook"].warnings
    assert any("'views' no longer given for 2 post(s)" in w for w in warnings), warnings
    with read_session(engine) as session:
        first = store_metrics.snapshots_of(session, deliveries[0][0])
    assert first[0].views is not None and first[1].views is None  # earlier data intact
