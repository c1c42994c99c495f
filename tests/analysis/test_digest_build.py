"""Building a week's digest from the store, on a hand-computed ledger (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from analysis.digest.build import build_digest
from analysis.digest.data import DaySentiment
from analysis.digest.render import render
from analysis.timeframe import IsoWeek
from config.settings import Settings
from store import upgrade
from store.metrics_models import CommentRecord, MetricSnapshotRecord
from store.models import Delivery, Pause, State
from tests.ledger_fixtures import db_url_engine  # noqa: F401 - SQLite, and PostgreSQL when set

CHICAGO = ZoneInfo("America/Chicago")
WEEK = IsoWeek(2027, 10)  # Mon 8 - Sun 14 March 2027; DST starts Sunday 14 March
NOW = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)  # Monday 07:00 CDT


@pytest.fixture
def db(db_url_engine):  # noqa: F811 - pytest passes the imported fixture by name
    """A migrated database: one SQLite file, or a fresh PostgreSQL schema, per test."""
    upgrade(db_url_engine)
    return db_url_engine


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=UTC)


def delivery(
    n: int,
    platform: str,
    kind: str,
    at: datetime,
    state: str = State.PUBLISHED,
    post_id: str | None = None,
    **extra,
) -> Delivery:
    published = state == State.PUBLISHED
    return Delivery(
        id=n,
        key=f"spring/p{n}/{platform}/once",
        campaign_id="spring",
        campaign_name="Spring academy",
        post_id=post_id or f"p{n}",
        kind=kind,
        platform=platform,
        occurrence="once",
        scheduled_at=at,
        due_at=at,
        timezone="America/Chicago",
        text=f"Post {n}: join the Riverton PD",
        content_hash=f"h{n}",
        state=state,
        published_at=at if published else None,
        platform_id=f"{platform}-{n}" if published else None,
        url=f"https://example.com/{platform}/{n}" if published else None,
        **extra,
    )


def snapshot(delivery_id: int, platform: str, taken: datetime, **figures) -> MetricSnapshotRecord:
    return MetricSnapshotRecord(
        delivery_id=delivery_id,
        platform=platform,
        slot="24h",
        taken_at=taken,
        age_seconds=86_400,
        **figures,
    )


def comment(
    n: int, delivery_id: int, at: datetime, label: str, *flags: str, text: str = ""
) -> CommentRecord:
    return CommentRecord(
        platform="x",
        platform_comment_id=f"c{n}",
        delivery_id=delivery_id,
        post_platform_id=f"x-{delivery_id}",
        author=f"@user{n}",
        text=text or f"comment {n}",
        created_at=at,
        url=f"https://x.com/user{n}/status/{n}",
        sentiment_label=label,
        sentiment_score=0.0,
        flags=list(flags),
        ingested_at=at,
    )


@pytest.fixture
def ledger(db):
    rows = [
        # This week (Chicago time).
        delivery(1, "x", "testimonial", utc(9, 15)),  # Tue
        delivery(2, "facebook", "event", utc(10, 17), partner="Riverton High School"),
        delivery(3, "instagram", "announcement", utc(15, 4, 30)),  # Sun 23:30 CDT: still W10
        delivery(4, "x", "event", utc(12, 15), State.FAILED, reason="x: duplicate content"),
        delivery(
            5,
            "facebook",
            "testimonial",
            utc(13, 16),
            State.SKIPPED,
            reason="paused at the time it was due",
        ),
        delivery(6, "x", "announcement", utc(11, 15), State.CANCELLED),
        # Next week, and beyond.
        delivery(7, "x", "testimonial", utc(15, 14)),  # Mon 09:00 CDT, already out
        delivery(8, "facebook", "event", utc(17, 23), State.PLANNED),
        delivery(9, "x", "event", utc(24, 15), State.PLANNED),  # the week after: not shown
        # Last week.
        delivery(10, "x", "testimonial", utc(3, 15)),
    ]
    others = [
        snapshot(1, "x", utc(10, 15), views=1000, reactions=40, shares=10, replies=5),
        snapshot(2, "facebook", utc(11, 17), reach=2000, reactions=60, link_clicks=20),
        snapshot(10, "x", utc(4, 15), views=500, reactions=10),
        comment(1, 1, utc(9, 20), "positive"),  # Tue 14:00 CST
        comment(2, 1, utc(9, 21), "neutral", "needs_reply", text="How do I apply?"),
        comment(3, 2, utc(10, 19), "negative", "hostile", "negative"),
        comment(4, 2, utc(14, 5, 30), "positive"),  # Sat 23:30 CST: counts on Saturday
        comment(5, 10, utc(7, 12), "negative"),  # the week before
        Pause(
            id=1,
            reason="Critical incident",
            created_by="Lt. Brooks",
            created_at=utc(13, 22),
            ended_at=utc(14, 2),
            ended_by="Lt. Brooks",
        ),
        Pause(
            id=2,
            platform="x",
            reason="old",
            created_by="pio",
            created_at=utc(1, 12),
            ended_at=utc(2, 12),
        ),
        Pause(
            id=3,
            campaign_id="spring",
            reason="Chief's review",
            created_by="pio",
            created_at=utc(14, 12),
            until=utc(20, 12),
        ),
    ]
    with Session(db) as session:
        session.add_all(rows)
        session.commit()
        session.add_all(others)
        session.commit()
    return db


def settings() -> Settings:
    return Settings(
        digest={"department": "Riverton Police Department", "timezone": "America/Chicago"}
    )


def test_headline_figures_and_comparison(ledger) -> None:
    data = build_digest(ledger, WEEK, settings(), lambda: NOW)
    w = data.this_week
    assert (w.posts_out, w.audience, w.interactions) == (3, 3000, 135)
    assert w.engagement_rate == pytest.approx(135 / 3000)
    assert (w.comments, w.positive, w.neutral, w.negative) == (4, 2, 1, 1)
    assert data.last_week is not None
    assert (
        data.last_week.posts_out,
        data.last_week.audience,
        data.last_week.interactions,
        data.last_week.comments,
    ) == (1, 500, 10, 1)
    assert data.notes == (
        "1 of 3 posts have no engagement figures yet; they count as posts but not in the "
        "audience or the rates.",
    )


def test_top_posts_and_breakdowns(ledger) -> None:
    data = build_digest(ledger, WEEK, settings(), lambda: NOW)
    assert [(t.platform, t.audience, t.interactions, t.comments) for t in data.top_posts] == [
        ("x", 1000, 55, 2),
        ("facebook", 2000, 80, 2),
    ]
    assert data.top_posts[0].published_local == datetime(2027, 3, 9, 9, 0, tzinfo=CHICAGO)
    assert data.top_posts[1].partner == "Riverton High School"
    assert [(r.label, r.posts, r.engagement_rate) for r in data.by_kind] == [
        ("testimonial", 1, pytest.approx(0.055)),
        ("event", 1, pytest.approx(0.04)),
        ("announcement", 1, None),
    ]
    assert [r.label for r in data.by_platform] == ["x", "facebook", "instagram"]
    assert [(r.label, r.posts) for r in data.by_partner] == [("Riverton High School", 1)]


def test_comments_by_local_day_and_the_ones_needing_a_reply(ledger) -> None:
    data = build_digest(ledger, WEEK, settings(), lambda: NOW)
    monday = date(2027, 3, 8)
    expected = [DaySentiment(monday + timedelta(days=i)) for i in range(7)]
    expected[1] = DaySentiment(date(2027, 3, 9), negative=0, neutral=1, positive=1)
    expected[2] = DaySentiment(date(2027, 3, 10), negative=1)
    expected[5] = DaySentiment(date(2027, 3, 13), positive=1)
    assert list(data.sentiment_by_day) == expected
    assert data.hostile_count == 1
    [hostile] = data.hostile  # the count comes with the comment behind it
    assert (hostile.text, hostile.author, hostile.url) == (
        "comment 3",
        "@user3",
        "https://x.com/user3/status/3",
    )
    assert hostile.post_excerpt == "Post 2: join the Riverton PD"
    [reply] = data.needs_reply
    assert (reply.text, reply.author, reply.url) == (
        "How do I apply?",
        "@user2",
        "https://x.com/user2/status/2",
    )
    assert reply.post_excerpt == "Post 1: join the Riverton PD"
    assert reply.age == NOW - utc(9, 21)
    assert data.needs_reply_total == 1


def test_failures_skips_pauses_and_next_week(ledger) -> None:
    data = build_digest(ledger, WEEK, settings(), lambda: NOW)
    assert [(p.state, p.platforms, p.reason) for p in data.problems] == [
        ("failed", ("x",), "x: duplicate content"),
        ("skipped", ("facebook",), "paused at the time it was due"),
    ]
    assert [(p.scope, p.reason, p.ended_local) for p in data.pauses] == [
        ("everything", "Critical incident", utc(14, 2).astimezone(CHICAGO)),
        ("campaign spring", "Chief's review", utc(20, 12).astimezone(CHICAGO)),
    ]
    assert [(s.at_local, s.platforms) for s in data.next_week] == [
        (datetime(2027, 3, 15, 9, 0, tzinfo=CHICAGO), ("x",)),
        (datetime(2027, 3, 17, 18, 0, tzinfo=CHICAGO), ("facebook",)),
    ]
    assert data.next_week_total == 2


def test_one_post_on_several_platforms_is_one_item(db) -> None:
    at, later = utc(12, 22), utc(16, 15)
    rows = [
        delivery(n, platform, "event", at, State.SKIPPED, reason="paused", post_id="fair")
        for n, platform in ((1, "facebook"), (2, "instagram"), (3, "x"))
    ]
    rows.append(delivery(4, "x", "event", at, State.FAILED, reason="x: rejected", post_id="fair"))
    rows += [
        delivery(n, platform, "testimonial", later, State.PLANNED, post_id="kim")
        for n, platform in ((5, "x"), (6, "facebook"))
    ]
    with Session(db) as session:
        session.add_all(rows)
        session.commit()
    data = build_digest(db, WEEK, settings(), lambda: NOW)
    assert [(p.state, p.platforms) for p in data.problems] == [
        ("failed", ("x",)),
        ("skipped", ("facebook", "instagram", "x")),
    ]
    [item] = data.next_week
    assert item.platforms == ("facebook", "x") and data.next_week_total == 1


def test_first_week_has_no_comparison_and_renders(db) -> None:
    data = build_digest(db, WEEK, settings(), lambda: NOW)
    assert data.last_week is None and data.this_week.posts_out == 0
    rendered = render(data)
    assert "No post was published this week." in rendered.text
    assert "vs last week" not in rendered.text


def test_built_digest_renders_every_fact(ledger) -> None:
    rendered = render(build_digest(ledger, WEEK, settings(), lambda: NOW))
    for fact in (
        "How do I apply?",
        "x: duplicate content",
        "Critical incident",
        "Riverton High School",
        "1 flagged hostile",
        "4.5%",
    ):
        assert fact in rendered.text


def test_a_comment_without_its_own_link_is_answered_on_the_post(ledger) -> None:
    with Session(ledger) as session:
        linkless = comment(6, 2, utc(10, 20), "neutral", "needs_reply", text="Pay?")
        linkless.platform, linkless.url = "instagram", None
        session.add(linkless)
        session.commit()
    data = build_digest(ledger, WEEK, settings(), lambda: NOW)
    by_text = {r.text: r.url for r in data.needs_reply}
    assert by_text == {
        "How do I apply?": "https://x.com/user2/status/2",
        "Pay?": "https://example.com/facebook/2",
    }
