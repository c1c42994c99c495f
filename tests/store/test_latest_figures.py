"""X gives ``url_link_clicks`` (and its other non-public metrics) for 30 days after a post; a
later pull stores them as null. Rows are never overwritten, and readers keep the last value
measured: ``store.metrics.latest_figures`` and the engagement rows built on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from analysis.engagement import post_rows
from store.engine import read_session, write_session
from store.metrics import add_snapshot, latest_figures
from store.models import Delivery

T0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def published(
    session,
    n: int,
    platform: str = "x",
    *,
    at: datetime = T0,
    campaign: str = "spring",
    link: bool = False,
) -> int:
    """A delivery published at ``at``; returns its id (also used by tests/cost)."""
    row = Delivery(
        key=f"{campaign}/p{n}/{platform}/once",
        campaign_id=campaign,
        campaign_name=campaign.title(),
        post_id=f"p{n}",
        kind="announcement",
        platform=platform,
        occurrence="once",
        scheduled_at=at,
        due_at=at,
        timezone="America/Chicago",
        text=f"post {n}",
        content_hash=str(n),
        state="published",
        platform_id=f"id{n}",
        url=f"https://x.test/{n}",
        published_at=at,
        link="https://pd.example.org/careers?utm_source=x" if link else None,
    )
    session.add(row)
    session.flush()
    return row.id


def _snap(session, delivery_id: int, age: timedelta, slot: str | None, **counts) -> None:
    add_snapshot(
        session,
        delivery_id=delivery_id,
        platform="x",
        slot=slot,
        taken_at=T0 + age,
        age_seconds=int(age.total_seconds()),
        counts=counts,
        extras={},
    )


def test_link_clicks_survive_a_pull_after_x_stops_giving_them(engine):
    with write_session(engine) as session:
        d = published(session, 1)
        _snap(session, d, timedelta(hours=24), "24h", views=1000, link_clicks=40)
        _snap(
            session, d, timedelta(days=30) - timedelta(hours=1), "30d", views=3000, link_clicks=55
        )
        # a backfill after the 30-day window: public figures only, link clicks null
        _snap(session, d, timedelta(days=31), None, views=3100, reactions=90)
    with read_session(engine) as session:
        figures = latest_figures(session, [d])[d]
    assert figures.taken_at == T0 + timedelta(days=31)
    assert figures.counts["views"] == 3100 and figures.counts["reactions"] == 90
    assert figures.counts["link_clicks"] == 55  # the last value X gave, not null
    assert figures.counts["saves"] is None  # never given: stays unknown, not 0


def test_last_value_is_taken_within_the_limit_only(engine):
    with write_session(engine) as session:
        d = published(session, 1)
        _snap(session, d, timedelta(hours=1), "1h", views=10, link_clicks=2)
        _snap(session, d, timedelta(hours=24), "24h", views=100)
        _snap(session, d, timedelta(days=3), "3d", views=300, link_clicks=9)
    with read_session(engine) as session:
        found = latest_figures(session, [d], taken_before={d: T0 + timedelta(days=2)})
    assert found[d].counts["views"] == 100 and found[d].counts["link_clicks"] == 2


def test_first_week_link_clicks_kept_when_a_later_pull_lacks_them(engine):
    """The digest and ``beatpost report`` read each post's first-week figures: a private
    request X refused at +7d (public figures stored alone) must not blank the link clicks."""
    with write_session(engine) as session:
        d = published(session, 1)
        _snap(session, d, timedelta(hours=24), "24h", views=800, link_clicks=31)
        _snap(session, d, timedelta(days=7) - timedelta(minutes=5), "7d", views=1500)
        other = published(session, 2, platform="facebook")
        _snap(session, other, timedelta(hours=24), "24h", reach=500)
    with read_session(engine) as session:
        rows = {r.delivery_id: r for r in post_rows(session, T0, T0 + timedelta(days=1))}
    assert (rows[d].count("views"), rows[d].count("link_clicks")) == (1500, 31)
    assert rows[d].taken_at == T0 + timedelta(days=7) - timedelta(minutes=5)
    figures = ("reach", "views", "link_clicks")
    assert tuple(rows[other].count(name) for name in figures) == (500, None, None)
