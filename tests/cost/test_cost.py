"""Cost: the ``cost:`` field of campaign files, API fees in ``beatpost plan``, and spend per
campaign and platform for a period, counted by hand on small fixtures."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from analysis.cost import API_PRICES, Boost, by_campaign, planned_fees, spend
from beatpost.cli import cli
from beatpost.spending import boosts_of
from store.engine import read_session, write_session
from store.metrics import add_snapshot, insert_comments
from tests.campaigns.conftest import HEADER, options
from tests.store.test_latest_figures import T0, published

SIXTY_X_POSTS = """\
version: 1
campaign:
  id: daily-x
  name: Daily on X
  timezone: America/Chicago
  window: {start: 2027-03-01, end: 2027-04-29}
  platforms: [x]
  approved_by: Lt. Test
  cost:
    boosts_usd: 100
    platforms_usd: {x: 50.5}
defaults:
  link: https://pd.example.org/careers
posts:
  - id: daily
    kind: announcement
    text: Apply today.
    repeat: {rule: FREQ=DAILY, time: "09:00"}
"""


def test_x_prices_are_the_pay_per_use_rates():
    price = API_PRICES["x"]
    assert (price.post, price.post_with_link, price.read) == (
        Decimal("0.015"),
        Decimal("0.200"),
        Decimal("0.005"),
    )
    assert set(API_PRICES) == {"x"}  # the Graph API charges nothing for these calls


def test_sixty_x_posts_with_links_cost_twelve_dollars_in_plan(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "daily.yaml").write_text(SIXTY_X_POSTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "daily.yaml"])
    assert result.exit_code == 0, result.output
    assert "60 deliveries" in result.output
    assert "Estimated API fees on X: $12.00 for 60 posts (60 with a link)" in result.output
    assert "Paid boosts in the campaign files (cost:): $150.50." in result.output


def test_planned_fees_per_post_with_and_without_link():
    fees = planned_fees([("x", True), ("x", False), ("x", False), ("facebook", True)])
    assert [(f.platform, f.posts, f.posts_with_link, f.fees) for f in fees] == [
        ("x", 3, 1, Decimal("0.230"))
    ]


def test_cost_field_is_read_into_boosts(write):
    from campaigns import load_campaigns

    cs = load_campaigns([write(SIXTY_X_POSTS)], options())
    assert cs.ok, cs.diagnostics
    boosts = boosts_of(cs)
    assert [(b.campaign_id, b.platform, b.usd, b.first_day, b.last_day) for b in boosts] == [
        ("daily-x", None, Decimal("100"), date(2027, 3, 1), date(2027, 4, 29)),
        ("daily-x", "x", Decimal("50.5"), date(2027, 3, 1), date(2027, 4, 29)),
    ]


COST_HEADER = HEADER.replace("  approved_by: Lt. Test\n", "  approved_by: Lt. Test\n{cost}")


# (what follows "cost:" on line 9, line, column, part of the message)
COST_ERRORS = [
    ("boosts_usd: lots", 10, 17, "like 150 or 149.99, found 'lots'"),
    ("boosts_usd: -5", 10, 17, "must be 0 or more"),
    ("boosts_usd: 10.505", 10, 17, "more than two decimals"),
    ("platforms_usd: {instagram: 20}", 10, 21, "this campaign posts to x, facebook"),
    ("platforms_usd: {facebok: 20}", 10, 21, "did you mean 'facebook'?"),
    ("boost_usd: 20", 10, 5, "boosts_usd"),
]


@pytest.mark.parametrize(("cost", "line", "column", "message"), COST_ERRORS)
def test_cost_field_errors_name_line_and_column(load_text, cost, line, column, message):
    header = COST_HEADER.replace("{cost}", f"  cost:\n    {cost}\n")
    cs = load_text("", header=header + "  []\n")
    found = [(d.line, d.column, d.message) for d in cs.errors]
    assert any(d[0] == line and d[1] == column and message in d[2] for d in found), found


def test_boost_is_spread_over_the_campaign_window():
    boost = Boost("c", "C", Decimal("70"), date(2027, 3, 1), date(2027, 3, 14))
    assert boost.share(date(2027, 3, 1), date(2027, 3, 8)) == Decimal("35")
    assert boost.share(date(2027, 2, 22), date(2027, 3, 1)) == 0
    assert boost.share(date(2027, 3, 8), date(2027, 3, 29)) == Decimal("35")
    open_ended = Boost("c", "C", Decimal("70"), date(2027, 3, 3), None)
    assert open_ended.share(date(2027, 3, 1), date(2027, 3, 8)) == Decimal("70")


def test_spend_counts_posts_reads_once_a_day_comments_and_boosts(engine):
    with write_session(engine) as session:
        a = published(session, 1, "x", link=True)
        published(session, 2, "x", at=T0 + timedelta(days=1))
        published(session, 3, "facebook", link=True)  # the Graph API is free
        published(session, 4, "x", at=T0 + timedelta(days=8), link=True)  # next week
        published(session, 5, "x", campaign="fall", link=True)
        for hours, slot in ((1, "1h"), (6, "6h"), (30, "24h")):  # 2 UTC days: 2 reads
            add_snapshot(
                session,
                delivery_id=a,
                platform="x",
                slot=slot,
                taken_at=T0 + timedelta(hours=hours),
                age_seconds=hours * 3600,
                counts={"views": 1},
                extras={},
            )
        insert_comments(
            session,
            [
                {
                    "platform": "x",
                    "platform_comment_id": f"c{i}",
                    "delivery_id": a,
                    "post_platform_id": "id1",
                    "author": "someone",
                    "text": "hi",
                    "created_at": T0 + timedelta(hours=2),
                    "ingested_at": T0 + timedelta(hours=3),
                    "flags": [],
                }
                for i in range(3)
            ],
        )
    boosts = [
        Boost("spring", "Spring", Decimal("70"), date(2027, 3, 1), date(2027, 3, 14), "facebook")
    ]
    start = T0.replace(hour=0)
    with read_session(engine) as session:
        rows = spend(session, start, start + timedelta(days=7), boosts)
    got = {(r.campaign_id, r.platform): (r.posts, r.reads, r.api_usd, r.boost_usd) for r in rows}
    assert got == {
        # 0.20 + 0.015 for two posts, (2 + 3) reads x 0.005
        ("fall", "x"): (1, 0, Decimal("0.200"), Decimal(0)),
        ("spring", "facebook"): (0, 0, Decimal(0), Decimal("35")),
        ("spring", "x"): (2, 5, Decimal("0.240"), Decimal(0)),
    }
    assert by_campaign(rows) == [("Spring", Decimal("35.240")), ("Fall", Decimal("0.200"))]


def test_digest_shows_the_week_cost_per_campaign(ledger):
    """Week 2027-W10 of the digest fixture (tests/analysis/test_digest_build.py), by hand: on
    X, post 1 (Tue, no link: $0.015), one read of its metrics (one snapshot: $0.005) and two
    comments read ($0.010); post 7 is next week, post 10 the week before, post 4 failed.
    Instagram and Facebook charge nothing. A $140 Facebook boost spread over March 1-14 spends
    $70 in the week. Total $70.03."""
    from analysis.digest.build import build_digest
    from analysis.digest.render import render
    from analysis.timeframe import IsoWeek
    from tests.analysis.test_digest_build import NOW, WEEK, settings

    boosts = [
        Boost(
            "spring",
            "Spring academy",
            Decimal("140"),
            date(2027, 3, 1),
            date(2027, 3, 14),
            "facebook",
        )
    ]
    data = build_digest(ledger, WEEK, settings(), lambda: NOW, boosts)
    assert [(c.campaign, c.dollars) for c in data.cost] == [("Spring academy", "$70.03")]
    rendered = render(data)
    assert "Cost             Spring academy $70.03 (API fees and paid boosts)" in rendered.text
    assert "Cost this week: Spring academy $70.03" in rendered.html
    assert not build_digest(ledger, IsoWeek(2027, 20), settings(), lambda: NOW).cost


def test_daemon_digest_reads_the_boosts_of_the_campaign_files(ledger, tmp_path):
    """What the daemon's weekly send builds (``digest_builder``) includes the boosts of the
    files in the campaigns folder: $140 on Facebook over March 1-14 is $70 of week 10."""
    from beatpost.spending import digest_builder
    from config.settings import Settings
    from tests.analysis.test_digest_build import NOW, WEEK

    campaign = SIXTY_X_POSTS.replace("id: daily-x", "id: spring")
    campaign = (
        campaign.replace("name: Daily on X", "name: Spring academy")
        .replace(
            "window: {start: 2027-03-01, end: 2027-04-29}",
            "window: {start: 2027-03-01, end: 2027-03-14}",
        )
        .replace("platforms: [x]", "platforms: [x, facebook]")
        .replace(
            "    boosts_usd: 100\n    platforms_usd: {x: 50.5}\n",
            "    platforms_usd: {facebook: 140}\n",
        )
    )
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "spring.yaml").write_text(campaign, encoding="utf-8")
    settings = Settings(
        workspace=tmp_path,
        campaigns_dir="campaigns",
        digest={"department": "Riverton Police Department"},
    )
    data = digest_builder()(ledger, WEEK, settings, lambda: NOW)
    assert [(c.campaign, c.dollars) for c in data.cost] == [("Spring academy", "$70.03")]


def test_digest_shows_what_one_application_cost(ledger):
    """The week's $70.03 for Spring academy (the hand count above) over the two applications
    attributed to it that week is $35.015, shown rounded to the cent; an application of
    another week does not count."""
    from analysis.digest.build import build_digest
    from analysis.digest.render import render
    from store.engine import write_session
    from store.outcomes import ApplicationIn, Attributed, record_applications
    from tests.analysis.test_digest_build import NOW, WEEK, settings

    spring = Attributed("spring", "p1", "testimonial", "x", None, "utm")
    with write_session(ledger) as session:
        record_applications(
            session,
            [
                ApplicationIn("ats", "a1", date(2027, 3, 9), "applied", attribution=spring),
                ApplicationIn("ats", "a2", date(2027, 3, 12), "applied", attribution=spring),
                ApplicationIn("ats", "a3", date(2027, 3, 16), "applied", attribution=spring),
            ],
        )
    boosts = [
        Boost(
            "spring",
            "Spring academy",
            Decimal("140"),
            date(2027, 3, 1),
            date(2027, 3, 14),
            "facebook",
        )
    ]
    data = build_digest(ledger, WEEK, settings(), lambda: NOW, boosts)
    assert [(c.campaign, c.dollars, c.per_applicant) for c in data.cost] == [
        ("Spring academy", "$70.03", "$35.02")
    ]
    rendered = render(data)
    assert "Spring academy $70.03 ($35.02 per applicant)" in rendered.text
    assert "Spring academy $70.03 ($35.02 per applicant)" in rendered.html
