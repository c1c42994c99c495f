"""Fixtures for pull tests: a migrated SQLite store, published deliveries, a scripted connector."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest

from beatpost.pull.ingest import Scored
from config.settings import Settings
from connectors.base import NO_CAPABILITIES, Capabilities, Comment, MetricSnapshot, PlatformLimits
from connectors.limits import LIMITS
from connectors.sandbox import SimClock
from store.engine import make_engine, write_session
from store.migrate import upgrade
from store.models import Delivery, State

T0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'beatpost.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock():
    return SimClock(T0)


def settings(**overrides: Any) -> Settings:
    return Settings(**overrides)


def add_delivery(
    engine,
    *,
    platform: str,
    platform_id: str,
    published_at: datetime,
    kind: str = "testimonial",
    campaign_id: str = "spring",
    partner: str | None = None,
    text: str = "Officer Diaz on why she joined",
    state: str = State.PUBLISHED,
) -> int:
    n = next(_ids)
    with write_session(engine) as session:
        row = Delivery(
            key=f"{campaign_id}/p{n}/{platform}/once",
            campaign_id=campaign_id,
            campaign_name=campaign_id.title(),
            post_id=f"p{n}",
            kind=kind,
            platform=platform,
            occurrence="once",
            scheduled_at=published_at,
            due_at=published_at,
            timezone="America/Chicago",
            text=text,
            partner=partner,
            content_hash=f"{n:064d}",
            state=state,
            platform_id=platform_id if state == State.PUBLISHED else None,
            url=f"https://example.test/{platform_id}",
            published_at=published_at if state == State.PUBLISHED else None,
        )
        session.add(row)
        session.flush()
        return row.id


def simple_scorer(texts: Sequence[str]) -> list[Scored]:
    """Deterministic stand-in for the sentiment model: enough to see labels and flags stored."""
    out = []
    for text in texts:
        negative = "bad" in text.lower()
        flags = {"needs_reply"} if "?" in text else set()
        if negative:
            flags.add("negative")
        out.append(
            Scored(
                "negative" if negative else "positive", -0.5 if negative else 0.5, frozenset(flags)
            )
        )
    return out


@dataclass
class FakeConnector:
    """An in-memory platform: figures grow with age, comments appear at set times.

    ``failures`` maps (method, call number starting at 1) to an exception raised instead.
    ``ignore_since`` makes fetch_comments return everything, as a sloppy API might.
    """

    platform: str
    clock: SimClock
    limits: PlatformLimits = None  # type: ignore[assignment]
    capabilities: ClassVar[Capabilities] = NO_CAPABILITIES
    posts: dict[str, datetime] = field(default_factory=dict)
    comments: dict[str, list[Comment]] = field(default_factory=dict)
    failures: dict[tuple[str, int], Exception] = field(default_factory=dict)
    drop_fields: set[str] = field(default_factory=set)
    ignore_since: bool = False
    metric_calls: list[list[str]] = field(default_factory=list)
    comment_calls: list[tuple[str, datetime | None]] = field(default_factory=list)
    comment_call_times: list[datetime] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.limits is None:
            self.limits = LIMITS[self.platform]

    def with_batch(self, size: int) -> FakeConnector:
        self.limits = replace(self.limits, metrics_batch=size)
        return self

    def publish(self, *args: Any) -> Any:
        raise NotImplementedError

    def find_published(self, *args: Any) -> Any:
        raise NotImplementedError

    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        self.metric_calls.append(list(platform_ids))
        failure = self.failures.get(("metrics", len(self.metric_calls)))
        if failure is not None:
            raise failure
        assert len(platform_ids) <= self.limits.metrics_batch
        now = self.clock.now()
        out = []
        for pid in platform_ids:
            if pid not in self.posts:
                continue
            hours = int((now - self.posts[pid]).total_seconds() // 3600)
            figures = {
                "views": 100 * hours,
                "reactions": 3 * hours,
                "shares": hours,
                "replies": len(self.comments.get(pid, [])),
                "link_clicks": hours // 2,
            }
            for name in self.drop_fields:
                figures.pop(name, None)
            out.append(MetricSnapshot(pid, now, **figures))
        return out

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        self.comment_calls.append((platform_id, since))
        self.comment_call_times.append(self.clock.now())
        failure = self.failures.get(("comments", len(self.comment_calls)))
        if failure is not None:
            raise failure
        now = self.clock.now()
        visible = [c for c in self.comments.get(platform_id, []) if c.created_at <= now]
        if since is not None and not self.ignore_since:
            visible = [c for c in visible if c.created_at > since]
        return visible

    def add_comment(self, post_id: str, at: datetime, text: str) -> Comment:
        n = sum(len(v) for v in self.comments.values()) + 1
        comment = Comment(f"c{n}", post_id, f"user{n}", text, at, url=None)
        self.comments.setdefault(post_id, []).append(comment)
        return comment


def factory(*connectors: FakeConnector):
    by_name = {c.platform: c for c in connectors}

    def make(platform: str) -> FakeConnector:
        return by_name[platform]

    return make


def run_every(run, clock: SimClock, until: datetime, step: timedelta = timedelta(minutes=15)):
    """Call ``run()`` every ``step`` of simulated time up to ``until``; returns the reports."""
    reports = []
    while clock.now() <= until:
        reports.append(run())
        clock.advance(step)
    return reports
