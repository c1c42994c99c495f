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


def sample_digest(week: IsoWeek | None = None) -> DigestData:
    week = week or IsoWeek(2027, 10)
    tz = ZoneInfo(ZONE)
    mon = week.monday

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(mon.year, mon.month, mon.day, hour, minute, tzinfo=tz) + timedelta(days=day)

    generated = datetime.combine(week.sunday + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    generated = generated.replace(hour=7).astimezone(UTC)
    return DigestData(
        week=week,
        timezone=ZONE,
        department="Riverton Police Department",
        generated_at=generated,
        this_week=WeekFigures(
            posts_out=14,
            audience=23_480,
            interactions=1_162,
            engagement_rate=1_162 / 23_480,
            comments=87,
            positive=49,
            neutral=27,
            negative=11,
        ),
        last_week=WeekFigures(
            posts_out=11,
            audience=19_020,
            interactions=870,
            engagement_rate=870 / 19_020,
            comments=64,
            positive=31,
            neutral=24,
            negative=9,
        ),
        top_posts=(
            TopPost(
                text='"I joined at 34 after twelve years as a paramedic. Best decision I ever '
                'made." Officer Dana Whitfield on switching careers. Applications for the '
                "spring academy are open: riverton.gov/join",
                platform="facebook",
                kind="testimonial",
                campaign="Spring academy 2027",
                published_local=at(1, 9),
                url="https://www.facebook.com/123_456",
                audience=8_210,
                interactions=512,
                engagement_rate=512 / 8_210,
                comments=31,
            ),
            TopPost(
                text="Career fair this Saturday at Riverton High, 10am-2pm. Meet officers, try "
                "the fitness test, ask anything. #RivertonPD",
                platform="instagram",
                kind="event",
                campaign="Spring academy 2027",
                published_local=at(2, 12),
                url="https://www.instagram.com/p/C4xyz/",
                audience=5_940,
                interactions=301,
                engagement_rate=301 / 5_940,
                comments=18,
                partner="Riverton High School",
            ),
            TopPost(
                text="Questions about applying? Our recruiters answer live every Thursday "
                "at 6pm. Drop yours below.",
                platform="x",
                kind="announcement",
                campaign="Weekly Q&A",
                published_local=at(3, 18),
                url="https://x.com/RivertonPD/status/1765",
                audience=4_120,
                interactions=188,
                engagement_rate=188 / 4_120,
                comments=22,
            ),
        ),
        by_kind=(
            GroupRow("testimonial", 5, 11_900, 702, 702 / 11_900),
            GroupRow("event", 5, 7_100, 330, 330 / 7_100),
            GroupRow("announcement", 4, 4_480, 130, 130 / 4_480),
        ),
        by_platform=(
            GroupRow("facebook", 5, 12_300, 640, 640 / 12_300),
            GroupRow("instagram", 4, 6_900, 390, 390 / 6_900),
            GroupRow("x", 5, 4_280, 132, 132 / 4_280),
        ),
        by_partner=(
            GroupRow("Riverton High School", 3, 6_800, 335, 335 / 6_800),
            GroupRow("Valley Community College", 2, 2_100, 71, 71 / 2_100),
        ),
        sentiment_by_day=tuple(
            DaySentiment(mon + timedelta(days=i), negative=n, neutral=u, positive=p)
            for i, (n, u, p) in enumerate(
                [(1, 3, 5), (2, 6, 12), (3, 5, 11), (1, 4, 8), (2, 4, 6), (1, 3, 4), (1, 2, 3)]
            )
        ),
        needs_reply=(
            ReplyNeeded(
                text="What's the starting pay and is there a sign-on bonus for lateral hires?",
                author="@mkowalski_",
                platform="x",
                url="https://x.com/mkowalski_/status/1766",
                created_local=at(3, 19, 4),
                age=timedelta(days=3, hours=12),
                post_excerpt="Questions about applying?",
            ),
            ReplyNeeded(
                text="Do I need a degree to apply? I have my associate's from VCC.",
                author="Jordan Reyes",
                platform="facebook",
                url="https://www.facebook.com/123_456?comment_id=789",
                created_local=at(1, 11, 30),
                age=timedelta(days=5, hours=20),
                post_excerpt='"I joined at 34 after twelve years as a paramedic..."',
            ),
            ReplyNeeded(
                text="Is the career fair open to people who don't go to Riverton High?",
                author="ana.l.m",
                platform="instagram",
                url="https://www.instagram.com/p/C4xyz/",
                created_local=at(2, 13, 15),
                age=timedelta(days=4, hours=18),
                post_excerpt="Career fair this Saturday at Riverton High",
            ),
        ),
        needs_reply_total=3,
        hostile=(
            ReplyNeeded(
                text="You people are a disgrace. Nobody should join this department.",
                author="@no_more_badges",
                platform="x",
                url="https://x.com/no_more_badges/status/1771",
                created_local=at(2, 22, 40),
                age=timedelta(days=4, hours=8),
                post_excerpt="Career fair this Saturday at Riverton High",
            ),
            ReplyNeeded(
                text="Go back to writing parking tickets, clowns.",
                author="Pat Doyle",
                platform="facebook",
                url="https://www.facebook.com/123_456?comment_id=811",
                created_local=at(4, 23, 5),
                age=timedelta(days=2, hours=8),
                post_excerpt='"I joined at 34 after twelve years as a paramedic..."',
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
                campaign="Spring academy 2027",
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
