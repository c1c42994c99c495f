"""What the synthetic audience does after clicking: careers-page visits and applications.

For a rehearsal, the sandbox writes the two files a department would export — the web
analytics tool's visits by ``utm_*`` tags and the applicant-tracking system's applicant list
(NEOGOV-shaped, see docs/outcomes.md) — from the link clicks its audience made, so the
numbers agree with the engagement: every link click is one careers-page visit on the day it
happened, and applications are a seeded share of the visits.

Some applicants open the careers page later by typing its address (no tags); they answer
"how did you hear about us" instead — with the platform's everyday name, or a partner's
flyer. Contact columns hold obviously fake values so an import shows them being dropped.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from connectors.sandbox.audience import rng_for
from connectors.sandbox.state import SandboxPost, SandboxState

APPLY_RATE = 0.08  # visits that end in an application
UNTAGGED_SHARE = 0.3  # applicants who come back without the tagged link
TESTED_SHARE = 0.25
PLATFORM_WORDS = {
    "x": ("Twitter", "X"),
    "facebook": ("Facebook", "FB"),
    "instagram": ("Instagram", "IG", "insta"),
}
APPLICANT_COLUMNS = (
    "Application ID",
    "First Name",
    "Last Name",
    "Email Address",
    "Primary Phone",
    "Job Title",
    "Application Date",
    "Status",
    "Referral Source",
    "Referral URL",
)
VISIT_COLUMNS = ("date", "utm_source", "utm_medium", "utm_campaign", "utm_content", "visits")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class OutcomeFiles:
    applicants: Path
    visits: Path
    link_clicks: int  # the audience's link clicks, all platforms, at the end
    total_visits: int
    applications: int


def tagged_link(post: SandboxPost) -> str | None:
    """The post's link carrying ``utm_*`` tags, if it has one."""
    candidates = [*_URL.findall(post.text), str(post.extra.get("link") or "")]
    for url in candidates:
        if "utm_" in urlsplit(url).query:
            return url.rstrip(".,)")
    return None


def _day_clicks(
    state: SandboxState, post: SandboxPost, until: datetime, zone: ZoneInfo
) -> list[tuple[date, int]]:
    """New link clicks per local day from publication to ``until``."""
    out = []
    day = post.created_at.astimezone(zone).date()
    before = 0
    while True:
        day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        at = min(day_end, until)
        total = state.metrics(post.platform, post.id, at).get("link_clicks", 0)
        if total > before:
            out.append((day, total - before))
        before = total
        if at >= until:
            return out
        day += timedelta(days=1)


def write_outcome_files(
    state: SandboxState,
    until: datetime,
    out_dir: Path,
    *,
    seed: int,
    timezone: str,
    partners: Sequence[str] = (),
    measured: Mapping[tuple[str, str], datetime] | None = None,
) -> OutcomeFiles:
    """Write ``visits.csv`` and ``applicants.csv`` for the audience's clicks up to ``until``
    (per post, up to ``measured[(platform, post id)]`` when given: the last time its
    engagement was pulled, so visits equal the link clicks the digest shows)."""
    zone = ZoneInfo(timezone)
    out_dir.mkdir(parents=True, exist_ok=True)
    visit_rows: list[tuple[object, ...]] = []
    applicants: list[tuple[object, ...]] = []
    clicks = 0
    for post in state.posts():
        if post.created_at >= until:
            continue
        post_until = min(until, (measured or {}).get((post.platform, post.id), until))
        link = tagged_link(post)
        tags = dict(parse_qsl(urlsplit(link).query)) if link else {}
        rng = rng_for("outcomes", seed, post.platform, post.id)
        if not link:  # no link in the post (Instagram): the clicks reach the profile's link
            tags = {"utm_source": post.platform, "utm_medium": "social", "utm_content": "profile"}
        for day, n in _day_clicks(state, post, post_until, zone):
            clicks += n
            visit_rows.append(
                (
                    day.isoformat(),
                    tags.get("utm_source", ""),
                    tags.get("utm_medium", ""),
                    tags.get("utm_campaign", ""),
                    tags.get("utm_content", ""),
                    n,
                )
            )
            for _ in range(n):
                if rng.random() >= APPLY_RATE:
                    continue
                untagged = link is None or rng.random() < UNTAGGED_SHARE
                answer = (
                    ""
                    if not untagged
                    else rng.choice(PLATFORM_WORDS.get(post.platform, (post.platform,)))
                )
                applicants.append(
                    _applicant(len(applicants) + 1, day, rng, "" if untagged else link, answer)
                )
    # Applicants who saw a partner's flyer rather than a post.
    rng = rng_for("outcomes-flyers", seed)
    last_day = (until - timedelta(microseconds=1)).astimezone(zone).date()
    for name in partners:
        short = " ".join(w for w in name.split() if w.lower() not in ("school", "college"))
        for _ in range(rng.randint(1, 3)):
            day = last_day - timedelta(days=rng.randint(0, 6))
            applicants.append(_applicant(len(applicants) + 1, day, rng, "", f"a flyer at {short}"))
    visits_path = out_dir / "visits.csv"
    with visits_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(VISIT_COLUMNS)
        writer.writerows(visit_rows)
    applicants_path = out_dir / "applicants.csv"
    with applicants_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(APPLICANT_COLUMNS)
        writer.writerows(applicants)
    return OutcomeFiles(
        applicants_path, visits_path, clicks, sum(int(r[-1]) for r in visit_rows), len(applicants)
    )


def _applicant(n: int, day: date, rng: random.Random, url: str, answer: str) -> tuple[object, ...]:
    status = "Passed Written Exam" if rng.random() < TESTED_SHARE else "Received"
    return (
        f"DEMO-{n:05d}",
        "Demo",
        f"Applicant{n}",
        f"applicant{n}@example.test",
        f"555-01{n % 100:02d}",
        "Police Officer Recruit",
        f"{day:%m/%d/%Y}",
        status,
        answer,
        url,
    )
