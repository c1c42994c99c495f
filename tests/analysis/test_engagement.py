"""Engagement math on hand-computed fixtures. Every expected figure is worked out in comments."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analysis.engagement import (
    Change,
    CommentRow,
    PostRow,
    audience,
    build_week,
    busiest_hours,
    by_campaign,
    by_kind,
    by_partner,
    by_platform,
    by_publish_hour,
    click_rate,
    compare,
    engagement_rate,
    hour_label,
    hour_of_week,
    interactions,
    post_json,
    response_hours,
    summarize,
    summarize_comments,
    top_posts,
)
from analysis.timeframe import IsoWeek, WeekError
from store.metrics import COUNT_FIELDS

CHI = ZoneInfo("America/Chicago")
# Monday 2027-03-01 is in ISO week 2027-W09; times below are UTC (Chicago = UTC-6 then).
MON = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # Mon 09:00 Chicago
TAKEN = MON + timedelta(days=1)


def post(i, platform="x", kind="testimonial", campaign="spring", partner=None, at=MON, **figures):
    return PostRow(i, platform, kind, campaign, at, partner, taken_at=TAKEN, counts=figures)


# Fixture week: four posts.
#   1 x   testimonial spring  views 1000: reactions 40 shares 5 replies 3 quotes 2 clicks 10 -> 60
#   2 fb  event       spring  views 500, reach 400: reactions 20 shares 5 replies 5 -> 30 (views)
#   3 ig  testimonial fair    views None, reach 200: reactions 15 saves 5 -> 20 (reach)
#   4 x   event       fair    unmeasured views 0: reactions 2 -> 2 (no audience: unrated)
P1 = post(
    1,
    "x",
    "testimonial",
    "spring",
    views=1000,
    reactions=40,
    shares=5,
    replies=3,
    quotes=2,
    link_clicks=10,
)
P2 = post(
    2,
    "facebook",
    "event",
    "spring",
    partner="Lincoln High",
    views=500,
    reach=400,
    reactions=20,
    shares=5,
    replies=5,
    at=MON + timedelta(hours=1),
)
P3 = post(
    3,
    "instagram",
    "testimonial",
    "fair",
    partner="Lincoln High",
    reach=200,
    reactions=15,
    saves=5,
    at=MON + timedelta(days=2),
)
P4 = post(4, "x", "event", "fair", views=0, reactions=2, at=MON + timedelta(days=2))
WEEK = [P1, P2, P3, P4]


@pytest.mark.parametrize(
    ("row", "n", "aud", "basis", "rate"),
    [
        (P1, 60, 1000, "views", 0.06),
        (P2, 30, 500, "views", 0.06),
        (P3, 20, 200, "reach", 0.10),
        (P4, 2, None, None, None),
        (PostRow(5, "x", "event", "c", MON), 0, None, None, None),
    ],
)
def test_one_delivery(row, n, aud, basis, rate):
    assert interactions(row) == n
    assert audience(row) == (aud, basis)
    assert engagement_rate(row) == (pytest.approx(rate) if rate is not None else None)


def test_bookmarks_count_as_interactions():
    assert interactions(post(9, views=10, bookmarks=3, reactions=1)) == 4


def test_a_post_row_takes_only_the_figures_the_store_keeps():
    with pytest.raises(ValueError, match="not a figure the store keeps: clicks"):
        post(9, views=10, clicks=3)


def test_post_json_lists_every_figure_flat_unmeasured_as_null():
    data = post_json(P3)
    assert list(data)[9:21] == [
        *COUNT_FIELDS,
        "video_plays",
        "video_completions",
        "video_avg_watch_seconds",
    ]
    assert "counts" not in data
    assert (data["reach"], data["saves"], data["views"], data["link_clicks"]) == (
        200,
        5,
        None,
        None,
    )
    assert (data["interactions"], data["audience"], data["audience_basis"]) == (20, 200, "reach")


def test_click_rate():
    assert click_rate(P1) == pytest.approx(0.01)
    assert click_rate(P3) is None  # Instagram gives no link clicks: unknown, not zero


def test_summarize_pools_the_rate():
    total = summarize("week", WEEK)
    # rated: P1, P2, P3 -> audience 1000 + 500 + 200 = 1700, interactions 60 + 30 + 20 = 110
    assert (total.posts, total.rated_posts, total.audience) == (4, 3, 1700)
    assert (total.interactions, total.rated_interactions) == (112, 110)
    assert total.rate == pytest.approx(110 / 1700)
    # only P1 reports link clicks: 10 over its own audience, not diluted by the others
    assert total.click_audience == 1000
    assert total.click_rate == pytest.approx(10 / 1000)
    assert summarize("ig", [P3]).click_rate is None
    assert summarize("empty", []).rate is None


def _table(aggregates):
    return {a.key: (a.posts, a.audience, a.rated_interactions, a.rate) for a in aggregates}


def test_by_kind():
    assert _table(by_kind(WEEK)) == {
        # P2 (500, 30) and P4 (unrated)
        "event": (2, 500, 30, pytest.approx(0.06)),
        # P1 (1000, 60) and P3 (200, 20): 80 / 1200
        "testimonial": (2, 1200, 80, pytest.approx(80 / 1200)),
    }


def test_by_platform():
    assert _table(by_platform(WEEK)) == {
        "facebook": (1, 500, 30, pytest.approx(0.06)),
        "instagram": (1, 200, 20, pytest.approx(0.10)),
        "x": (2, 1000, 60, pytest.approx(0.06)),
    }


def test_by_partner_puts_no_partner_last():
    groups = by_partner(WEEK)
    assert [g.key for g in groups] == ["Lincoln High", "(none)"]
    assert _table(groups) == {
        "Lincoln High": (2, 700, 50, pytest.approx(50 / 700)),
        "(none)": (2, 1000, 60, pytest.approx(0.06)),
    }


def test_by_campaign():
    assert _table(by_campaign(WEEK)) == {
        "fair": (2, 200, 20, pytest.approx(0.10)),
        "spring": (2, 1500, 90, pytest.approx(0.06)),
    }


@pytest.mark.parametrize(
    ("instant", "zone", "index", "label"),
    [
        (MON, CHI, 9, "Mon 09:00"),  # 15:00 UTC = 09:00 CST
        (MON, ZoneInfo("UTC"), 15, "Mon 15:00"),
        (datetime(2027, 3, 1, 3, 30, tzinfo=UTC), CHI, 6 * 24 + 21, "Sun 21:00"),  # Sun evening
        (datetime(2027, 3, 14, 18, 0, tzinfo=UTC), CHI, 6 * 24 + 13, "Sun 13:00"),  # CDT: UTC-5
    ],
)
def test_hour_of_week(instant, zone, index, label):
    assert hour_of_week(instant, zone) == index
    assert hour_label(index) == label


def test_by_publish_hour():
    groups = by_publish_hour(WEEK, CHI)
    # P1 Mon 09:00, P2 Mon 10:00, P3 and P4 Wed 09:00
    assert _table(groups) == {
        "Mon 09:00": (1, 1000, 60, pytest.approx(0.06)),
        "Mon 10:00": (1, 500, 30, pytest.approx(0.06)),
        "Wed 09:00": (2, 200, 20, pytest.approx(0.10)),
    }
    assert [g.key for g in groups] == ["Mon 09:00", "Mon 10:00", "Wed 09:00"]


COMMENTS = [
    CommentRow("x", MON, "positive", frozenset({"needs_reply"})),
    CommentRow("x", MON + timedelta(minutes=20), "negative", frozenset({"negative", "hostile"})),
    CommentRow("facebook", MON + timedelta(hours=3), "neutral", frozenset({"needs_reply"})),
    CommentRow("facebook", MON + timedelta(days=1), "positive"),
    CommentRow("instagram", MON + timedelta(days=1, minutes=5), None),
]


def test_response_hours_and_busiest():
    counts = response_hours(COMMENTS, CHI)
    assert len(counts) == 168 and sum(counts) == 5
    # Mon 09:00 (two), Mon 12:00 (one), Tue 09:00 (two)
    assert (counts[9], counts[12], counts[24 + 9]) == (2, 1, 2)
    assert busiest_hours(counts, 2) == [("Mon 09:00", 2), ("Tue 09:00", 2)]
    assert busiest_hours([0] * 168) == []


def test_summarize_comments():
    s = summarize_comments(COMMENTS)
    assert (s.total, s.positive, s.neutral, s.negative) == (5, 2, 1, 1)
    assert (s.needs_reply, s.hostile) == (2, 1)


def test_summarize_comments_counts_safety_and_critical():
    rows = [
        CommentRow("x", MON, "neutral", frozenset({"safety"})),
        CommentRow("x", MON, "negative", frozenset({"critical", "hostile", "negative"})),
        CommentRow("x", MON, "negative", frozenset({"critical", "negative"})),
    ]
    s = summarize_comments(rows)
    assert (s.safety, s.critical, s.hostile) == (1, 2, 1)
    assert s.to_json()["safety"] == 1


def test_change():
    assert Change(120, 100).delta == 20 and Change(120, 100).ratio == pytest.approx(0.2)
    assert Change(5, 0).ratio is None and Change(5, 0).delta == 5
    assert Change(None, 0.1).delta is None


def test_compare_week_over_week():
    this = summarize("w", WEEK)  # rate 110/1700
    last = summarize("p", [P1])  # rate 60/1000
    change = compare(this, last)
    assert change["posts"].delta == 3
    assert change["audience"].ratio == pytest.approx(0.7)  # 1700 / 1000 - 1
    assert change["rate"].delta == pytest.approx(110 / 1700 - 0.06)
    assert compare(this, summarize("empty", []))["rate"].previous is None


def test_top_posts_needs_an_audience_and_ranks_by_rate():
    # P3 rate 0.10 (reach 200); P1 and P2 tie at 0.06: P1 has more interactions
    assert [p.delivery_id for p in top_posts(WEEK, n=3)] == [3, 1, 2]
    assert [p.delivery_id for p in top_posts(WEEK, n=5, min_audience=300)] == [1, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2027-W10", (2027, 10)), ("2027W9", (2027, 9)), ("2026-w53", (2026, 53))],
)
def test_parse_iso_week(text, expected):
    assert IsoWeek.parse(text) == IsoWeek(*expected)


@pytest.mark.parametrize("text", ["2027-10", "W10", "2027-W54", "2027-W53", "2027-W00"])
def test_parse_iso_week_rejects(text):
    with pytest.raises(WeekError, match="week"):
        IsoWeek.parse(text)


def test_week_bounds_local_midnight_and_dst():
    start, end = IsoWeek(2027, 10).bounds(CHI)
    assert start == datetime(2027, 3, 8, 6, 0, tzinfo=UTC)  # Mon 00:00 CST
    assert end == datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # Mon 00:00 CDT: a 167 h week
    assert str(IsoWeek(2027, 1).previous()) == "2026-W53"
    assert str(IsoWeek.of(datetime(2027, 3, 8, 5, 59, tzinfo=UTC), CHI)) == "2027-W09"


def test_build_week_assembles_everything():
    week = build_week(IsoWeek(2027, 9), CHI, WEEK, [P1], COMMENTS, COMMENTS[:1], top=2)
    assert str(week.week) == "2027-W09"
    assert week.totals.rate == pytest.approx(110 / 1700)
    assert week.change["interactions"].delta == 112 - 60
    assert [a.key for a in week.by_kind] == ["event", "testimonial"]
    assert [p.delivery_id for p in week.top_posts] == [3, 1]
    assert week.comments.total == 5 and week.previous_comments.total == 1
    data = week.to_json()
    assert data["previous_week"] == "2027-W08"
    assert data["totals"]["rate"] == pytest.approx(110 / 1700)
    assert data["top_posts"][0]["audience_basis"] == "reach"
    assert data["busiest_hours"][0] == {"hour": "Mon 09:00", "comments": 2}
    import json

    json.dumps(data)  # everything serialisable


# -- from the store ----------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path):
    from store.engine import make_engine
    from store.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'beatpost.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _deliver(session, n, platform, kind, published_at, partner=None):
    from store.models import Delivery

    row = Delivery(
        key=f"c/p{n}/{platform}/once",
        campaign_id="spring",
        post_id=f"p{n}",
        kind=kind,
        platform=platform,
        occurrence="once",
        scheduled_at=published_at,
        due_at=published_at,
        timezone="America/Chicago",
        text=f"post {n}",
        partner=partner,
        content_hash=str(n),
        state="published",
        platform_id=f"id{n}",
        url=f"https://x.test/{n}",
        published_at=published_at,
    )
    session.add(row)
    session.flush()
    return row.id


def _snap(session, delivery_id, platform, published_at, age, **counts):
    from store import metrics as store_metrics

    store_metrics.add_snapshot(
        session,
        delivery_id=delivery_id,
        platform=platform,
        slot=f"{int(age.total_seconds())}s",
        taken_at=published_at + age,
        age_seconds=int(age.total_seconds()),
        counts=counts,
        extras={},
    )


def test_week_summary_reads_first_week_snapshots_from_the_store(engine):
    from analysis.engagement import week_summary
    from store.engine import read_session, write_session
    from store.metrics_models import CommentRecord

    w10 = datetime(2027, 3, 9, 15, 0, tzinfo=UTC)  # Tue 09:00 CST, ISO week 2027-W10
    w09 = w10 - timedelta(days=7)
    with write_session(engine) as s:
        a = _deliver(s, 1, "x", "testimonial", w10)
        _snap(s, a, "x", w10, timedelta(hours=24), views=400, reactions=20)
        _snap(s, a, "x", w10, timedelta(days=7), views=1000, reactions=40, link_clicks=10)
        _snap(s, a, "x", w10, timedelta(days=30), views=5000, reactions=90)  # after week one
        b = _deliver(s, 2, "facebook", "event", w10 + timedelta(days=1), partner="Lincoln High")
        _snap(
            s,
            b,
            "facebook",
            w10 + timedelta(days=1),
            timedelta(hours=6),
            reach=200,
            reactions=8,
            shares=2,
        )
        _deliver(s, 3, "instagram", "event", w10 + timedelta(days=2))  # never measured
        p = _deliver(s, 4, "x", "testimonial", w09)
        _snap(s, p, "x", w09, timedelta(days=3), views=500, reactions=10)
        s.add(
            CommentRecord(
                platform="x",
                platform_comment_id="c1",
                delivery_id=a,
                post_platform_id="id1",
                author="ann",
                text="How do I apply?",
                created_at=w10 + timedelta(hours=2),
                sentiment_label="neutral",
                sentiment_score=0.0,
                flags=["needs_reply"],
            )
        )
    with read_session(engine) as s:
        week = week_summary(s, IsoWeek(2027, 10), "America/Chicago")
    # post 1 at its 7d snapshot: 40 + 10 = 50 over 1000 views; post 2: 10 over reach 200
    assert [p.delivery_id for p in week.posts] == [a, b, b + 1]
    assert week.posts[0].count("views") == 1000 and week.posts[2].taken_at is None
    totals = week.totals
    assert (totals.posts, totals.audience, totals.rated_interactions) == (3, 1200, 60)
    assert week.totals.rate == pytest.approx(60 / 1200)
    assert week.previous_totals.rate == pytest.approx(10 / 500)
    assert week.change["posts"].delta == 2
    assert {g.key: g.posts for g in week.by_kind} == {"event": 2, "testimonial": 1}
    assert week.comments.needs_reply == 1 and week.comments.neutral == 1
    assert week.response_hours[24 + 11] == 1  # Tue 11:00 Chicago
    assert [p.delivery_id for p in week.top_posts] == [a, b]  # 5% vs 5%: more interactions


VIDEO_AT = datetime(2027, 3, 9, 16, tzinfo=UTC)


def test_facebook_and_instagram_video_figures_come_back_from_the_store(engine):
    from analysis.engagement import post_rows, video_summary
    from store import metrics as store_metrics
    from store.engine import read_session, write_session

    def snap(session, delivery_id, platform, **extras):
        store_metrics.add_snapshot(
            session,
            delivery_id=delivery_id,
            platform=platform,
            slot="86400s",
            taken_at=VIDEO_AT + timedelta(days=1),
            age_seconds=86400,
            counts={"views": extras["video_plays"]},
            extras=extras,
        )

    with write_session(engine) as s:
        fb = _deliver(s, 1, "facebook", "testimonial", VIDEO_AT)
        snap(
            s,
            fb,
            "facebook",
            video_plays=1_000,
            video_completions=410,
            video_avg_watch_seconds=12.0,
        )
        ig = _deliver(s, 2, "instagram", "testimonial", VIDEO_AT)
        snap(s, ig, "instagram", video_plays=3_000, video_avg_watch_seconds=8.0)
    with read_session(engine) as s:
        rows = post_rows(s, VIDEO_AT - timedelta(days=1), VIDEO_AT + timedelta(days=1))
    assert video_summary(rows).sentence() == (
        "testimonial videos: 4,000 views, 41% watched to the end, 9 s watched on average"
    )


def test_an_empty_group_and_no_comments_count_zero():
    """The figures have no defaults: ``summarize`` and ``summarize_comments`` give each one."""
    empty = summarize("none", [])
    assert (empty.posts, empty.audience, empty.rate, empty.click_rate) == (0, 0, None, None)
    assert set(summarize_comments([]).to_json().values()) == {0}
