"""A realistic, fixed digest: for previewing the templates and for rendering tests.

``python -m analysis.digest.sample OUT_DIR`` writes it as digest.html/.txt/.eml with its PNGs.
A phone-width picture of it (docs/digest.png)::

    chromium --headless --no-sandbox --hide-scrollbars --window-size=420,4750 \
        --screenshot=docs/digest.png file://$PWD/OUT_DIR/digest.html
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from analysis.digest.data import (
    DaySentiment,
    DigestData,
    GroupRow,
    PauseWindow,
    Problem,
    ReplyNeeded,
    Scheduled,
    TopPost,
    WeekFigures,
)
from analysis.timeframe import IsoWeek

ZONE = "America/Chicago"
SPRING = "Spring academy 2027"


def sample_digest(week: IsoWeek | None = None) -> DigestData:
    week = week or IsoWeek(2027, 10)
    tz = ZoneInfo(ZONE)
    mon = week.monday

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(mon.year, mon.month, mon.day, hour, minute, tzinfo=tz) + timedelta(days=day)

    generated = datetime.combine(week.sunday + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    generated = generated.replace(hour=7).astimezone(UTC)

    # Rates, comment counts and ages follow from the other figures, as build derives them.
    def figures(posts: int, audience: int, interactions: int, *sentiment: int) -> WeekFigures:
        rate = interactions / audience
        return WeekFigures(posts, audience, interactions, rate, sum(sentiment), *sentiment)

    def group(label: str, posts: int, audience: int, interactions: int) -> GroupRow:
        return GroupRow(label, posts, audience, interactions, interactions / audience)

    def comment(
        created: datetime, platform: str, author: str, url: str, text: str, on_post: str
    ) -> ReplyNeeded:
        return ReplyNeeded(text, author, platform, url, created, generated - created, on_post)

    def top(
        text: str,
        platform: str,
        kind: str,
        campaign: str,
        published: datetime,
        url: str,
        *,
        audience: int,
        interactions: int,
        comments: int,
        partner: str | None = None,
    ) -> TopPost:
        measured = (audience, interactions, interactions / audience, comments)
        return TopPost(text, platform, kind, campaign, published, url, *measured, partner)

    return DigestData(
        week=week,
        timezone=ZONE,
        department="Riverton Police Department",
        generated_at=generated,
        # positive, neutral, negative comments last
        this_week=figures(14, 23_480, 1_162, 49, 27, 11),
        last_week=figures(11, 19_020, 870, 31, 24, 9),
        top_posts=(
            top(
                '"I joined at 34 after twelve years as a paramedic. Best decision I ever '
                'made." Officer Dana Whitfield on switching careers. Applications for the '
                "spring academy are open: riverton.gov/join",
                "facebook",
                "testimonial",
                SPRING,
                at(1, 9),
                "https://www.facebook.com/123_456",
                audience=8_210,
                interactions=512,
                comments=31,
            ),
            top(
                "Career fair this Saturday at Riverton High, 10am-2pm. Meet officers, try "
                "the fitness test, ask anything. #RivertonPD",
                "instagram",
                "event",
                SPRING,
                at(2, 12),
                "https://www.instagram.com/p/C4xyz/",
                audience=5_940,
                interactions=301,
                comments=18,
                partner="Riverton High School",
            ),
            top(
                "Questions about applying? Our recruiters answer live every Thursday "
                "at 6pm. Drop yours below.",
                "x",
                "announcement",
                "Weekly Q&A",
                at(3, 18),
                "https://x.com/RivertonPD/status/1765",
                audience=4_120,
                interactions=188,
                comments=22,
            ),
        ),
        by_kind=(
            group("testimonial", 5, 11_900, 702),
            group("event", 5, 7_100, 330),
            group("announcement", 4, 4_480, 130),
        ),
        by_platform=(
            group("facebook", 5, 12_300, 640),
            group("instagram", 4, 6_900, 390),
            group("x", 5, 4_280, 132),
        ),
        by_partner=(
            group("Riverton High School", 3, 6_800, 335),
            group("Valley Community College", 2, 2_100, 71),
        ),
        sentiment_by_day=tuple(
            DaySentiment(mon + timedelta(days=i), negative=n, neutral=u, positive=p)
            for i, (n, u, p) in enumerate(
                [(1, 3, 5), (2, 6, 12), (3, 5, 11), (1, 4, 8), (2, 4, 6), (1, 3, 4), (1, 2, 3)]
            )
        ),
        # comment(written, platform, author, url, text, the post it answers)
        needs_reply=(
            comment(
                at(3, 19, 4),
                "x",
                "@mkowalski_",
                "https://x.com/mkowalski_/status/1766",
                "What's the starting pay and is there a sign-on bonus for lateral hires?",
                "Questions about applying?",
            ),
            comment(
                at(1, 11, 30),
                "facebook",
                "Jordan Reyes",
                "https://www.facebook.com/123_456?comment_id=789",
                "Do I need a degree to apply? I have my associate's from VCC.",
                '"I joined at 34 after twelve years as a paramedic..."',
            ),
            comment(
                at(2, 13, 15),
                "instagram",
                "ana.l.m",
                "https://www.instagram.com/p/C4xyz/",
                "Is the career fair open to people who don't go to Riverton High?",
                "Career fair this Saturday at Riverton High",
            ),
        ),
        needs_reply_total=3,
        hostile=(
            comment(
                at(2, 22, 40),
                "x",
                "@no_more_badges",
                "https://x.com/no_more_badges/status/1771",
                "You people are a disgrace. Nobody should join this department.",
                "Career fair this Saturday at Riverton High",
            ),
            comment(
                at(4, 23, 5),
                "facebook",
                "Pat Doyle",
                "https://www.facebook.com/123_456?comment_id=811",
                "Go back to writing parking tickets, clowns.",
                '"I joined at 34 after twelve years as a paramedic..."',
            ),
        ),
        problems=(
            Problem(
                state="failed",
                platforms=("instagram",),
                kind="testimonial",
                excerpt="Meet Sgt. Luis Ortega, 18 years on patrol and a field training officer...",
                when_local=at(4, 9),
                reason="instagram: the image is wider than 1.91:1 (code 36003)",
            ),
            Problem(
                state="skipped",
                platforms=("x", "facebook"),
                kind="announcement",
                excerpt="Reminder: virtual info session tonight at 7pm.",
                when_local=at(5, 17),
                reason="paused at the time it was due",
            ),
        ),
        pauses=(
            PauseWindow(
                scope="everything",
                started_local=at(5, 16, 40),
                ended_local=at(5, 21, 5),
                reason="Critical incident downtown",
                by="Lt. Sarah Brooks",
            ),
        ),
        next_week=tuple(
            Scheduled(
                at_local=at(7 + d, h),
                platforms=pl,
                kind=k,
                excerpt=t,
                campaign=SPRING,
            )
            for d, h, pl, k, t in [
                (
                    0,
                    9,
                    ("facebook", "instagram"),
                    "testimonial",
                    '"My daughter was six when I started..." Officer Kim Tran on family and '
                    "shift work.",
                ),
                (
                    0,
                    12,
                    ("x",),
                    "testimonial",
                    "Officer Kim Tran on family and shift work. "
                    "https://riverton.gov/join?utm_source=x&utm_campaign=spring",
                ),
                (
                    1,
                    12,
                    ("instagram",),
                    "event",
                    "Fitness test practice night, Valley CC gym, Thursday 6pm.",
                ),
                (
                    3,
                    18,
                    ("x", "facebook"),
                    "announcement",
                    "Questions about applying? Recruiters answer live at 6pm.",
                ),
                (
                    4,
                    9,
                    ("facebook",),
                    "event",
                    "Last call: spring academy applications close Sunday at midnight.",
                ),
            ]
        ),
        next_week_total=5,
    )


def main(argv: list[str]) -> int:
    from analysis.digest.render import build_message, render, write_files

    out = Path(argv[0] if argv else "digest-sample")
    data = sample_digest()
    rendered = render(data)
    message = build_message(
        rendered,
        data,
        sender="Beatpost <digest@riverton.example>",
        recipients=["command-staff@riverton.example"],
    )
    for path in write_files(rendered, message, out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
