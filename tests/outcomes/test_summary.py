"""The outcomes section of ``beatpost report --outcomes`` and the digest, against a hand
count of a small fixture (week 2027-W10: Monday 8 to Sunday 14 March, Chicago)."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlmodel import Session

from analysis.digest.build import build_digest
from analysis.digest.render import render
from analysis.outcomes.summary import Funnel, OutcomeGroup, outcomes_week
from beatpost.cli import cli
from store.engine import read_session, write_session
from store.outcomes import ApplicationIn, Attributed, VisitIn, record_applications, record_visits
from tests.analysis.test_digest_build import NOW, WEEK, delivery, settings, snapshot, utc

CHICAGO = ZoneInfo("America/Chicago")
RHS = "Riverton High School"
X_P1 = Attributed("spring", "p1", "testimonial", "x", None, "utm")
FB_P2 = Attributed("spring", "p2", "event", "facebook", RHS, "utm")
X_P10 = Attributed("spring", "p10", "testimonial", "x", None, "utm")
RHS_ANSWER = Attributed("spring", None, None, None, RHS, "answer")
IG_ANSWER = Attributed(None, None, None, "instagram", None, "answer")
UNATTRIBUTED = Attributed()


def _app(key: str, day: date, attribution: Attributed = UNATTRIBUTED, stage: str = "applied"):
    return ApplicationIn("ats", key, day, stage, attribution=attribution)


def _tags(platform: str, post: str) -> dict[str, str]:
    """The tags of a spring campaign's social link to ``post`` on ``platform``."""
    return {
        "utm_source": platform,
        "utm_medium": "social",
        "utm_campaign": "spring",
        "utm_content": post,
    }


@pytest.fixture
def outcomes_db(engine):
    with Session(engine) as session:
        session.add_all(
            [
                delivery(1, "x", "testimonial", utc(9, 15)),
                delivery(2, "facebook", "event", utc(10, 17), partner=RHS),
                delivery(10, "x", "testimonial", utc(3, 15)),  # the week before
            ]
        )
        session.commit()
        session.add_all(
            [
                snapshot(1, "x", utc(10, 15), views=1000, reactions=40, link_clicks=30),
                snapshot(2, "facebook", utc(11, 17), reach=2000, link_clicks=20),
                snapshot(10, "x", utc(4, 15), views=500),
            ]
        )
        session.commit()
    with write_session(engine) as session:
        record_applications(
            session,
            [
                # this week
                _app("a1", date(2027, 3, 9), X_P1),
                _app("a2", date(2027, 3, 10), X_P1, "hired"),
                _app("a3", date(2027, 3, 11), RHS_ANSWER),
                _app("a4", date(2027, 3, 12), FB_P2, "tested"),
                _app("a5", date(2027, 3, 14)),
                # the week before, earlier, and the week after (not counted)
                _app("b1", date(2027, 3, 3), X_P10),
                _app("b2", date(2027, 3, 7), IG_ANSWER),
                _app("c1", date(2027, 2, 20), X_P10, "hired"),
                _app("d1", date(2027, 3, 15), X_P1),
            ],
        )
        record_visits(
            session,
            [
                VisitIn("ga", date(2027, 3, 9), 40, **_tags("x", "p1"), attribution=X_P1),
                VisitIn("ga", date(2027, 3, 10), 25, **_tags("facebook", "p2"), attribution=FB_P2),
                VisitIn("ga", date(2027, 3, 2), 10, **_tags("x", "p10"), attribution=X_P10),
            ],
        )
    return engine


def _table(groups):
    return {
        g.key: (g.applications, g.previous, g.to_date, g.hires_to_date, g.visits, g.reached)
        for g in groups
    }


def test_funnel_and_group_json_carry_the_rate_under_their_own_keys():
    funnel = Funnel(reached=2000, link_clicks=9, visits=4, applications=3)
    assert funnel.to_json() == {
        "reached": 2000,
        "link_clicks": 9,
        "visits": 4,
        "applications": 3,
        "applications_per_1000_reached": 1.5,
    }
    unreached = OutcomeGroup("p", 2, 0, 2, 0, 5, reached=0)
    assert unreached.per_1000 is None and unreached.to_json()["per_1000_reached"] is None
    assert "rate_key" not in unreached.to_json()


def test_outcomes_equal_a_hand_count(outcomes_db):
    with read_session(outcomes_db) as session:
        o = outcomes_week(session, WEEK, CHICAGO)
    f = o.funnel
    assert (f.reached, f.link_clicks, f.visits, f.applications) == (3000, 50, 65, 5)
    assert f.per_1000 == pytest.approx(5 / 3000 * 1000)
    p = o.previous_funnel
    assert (p.reached, p.link_clicks, p.visits, p.applications) == (500, 0, 10, 2)
    assert (o.applications_to_date, o.tested_to_date, o.hires_to_date, o.unattributed) == (
        8,
        3,
        2,
        1,
    )
    assert _table(o.by_platform) == {
        "x": (2, 1, 4, 2, 40, 1000),
        "facebook": (1, 0, 1, 0, 25, 2000),
        "instagram": (0, 1, 1, 0, 0, 0),
        "(unknown)": (2, 0, 2, 0, 0, 0),
    }
    assert _table(o.by_partner) == {
        RHS: (2, 0, 2, 0, 25, 2000),
        "(unknown)": (3, 2, 6, 2, 40, 0),
    }
    assert _table(o.by_campaign) == {
        "spring": (4, 1, 6, 2, 65, 3000),
        "(unknown)": (1, 1, 2, 0, 0, 0),
    }
    assert _table(o.by_kind) == {
        "testimonial": (2, 1, 4, 2, 40, 1000),
        "event": (1, 0, 1, 0, 25, 2000),
        "(unknown)": (2, 1, 3, 0, 0, 0),
    }
    x = next(g for g in o.by_platform if g.key == "x")
    assert x.per_1000 == pytest.approx(2.0)
    assert [g.key for g in o.by_platform][-1] == "(unknown)"


def test_the_digest_shows_the_same_numbers(outcomes_db):
    data = build_digest(outcomes_db, WEEK, settings(), lambda: NOW)
    assert data.outcomes is not None
    assert data.outcomes.funnel.applications == 5
    text = render(data).text
    assert "APPLICANTS" in text
    assert (
        "Reached 3,000 -> 50 link clicks, 65 careers-page visits -> 5 applications "
        "(1.67 per 1,000 reached); the week before: 2."
    ) in text
    assert "To date: 8 applications, 3 tested, 2 hired." in text
    assert "Riverton High School" in text.split("APPLICANTS")[1]
    assert "Applicants" in render(data).html


def test_a_digest_without_imports_has_no_applicants_section(engine):
    data = build_digest(engine, WEEK, settings(), lambda: NOW)
    assert data.outcomes is None
    assert "APPLICANTS" not in render(data).text


def test_report_outcomes_json_and_table(outcomes_db, tmp_path):
    if outcomes_db.dialect.name != "sqlite":
        pytest.skip("the CLI opens its own engine, not the test's PostgreSQL schema")
    url = outcomes_db.url.render_as_string(hide_password=False)
    config = tmp_path / "beatpost.toml"
    config.write_text(f'database_url = "{url}"\n[digest]\ntimezone = "America/Chicago"\n')
    result = CliRunner().invoke(
        cli,
        ["--config", str(config), "report", "--outcomes", "--week", str(WEEK), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert got["funnel"]["applications"] == 5
    assert got["by_partner"][0] == {
        "key": RHS,
        "applications": 2,
        "previous": 0,
        "to_date": 2,
        "hires_to_date": 0,
        "visits": 25,
        "reached": 2000,
        "per_1000_reached": 1.0,
    }
    table = CliRunner().invoke(
        cli, ["--config", str(config), "report", "--outcomes", "--week", str(WEEK)]
    )
    assert table.exit_code == 0, table.output
    assert "Applications by partner" in table.output
