"""Outcomes of one week: applications (and hires) by campaign, post kind, platform and
partner, this week, the week before and to date; the funnel reach -> link clicks and
careers-page visits -> applications; applications per 1,000 people reached.

Definitions (docs/outcomes.md):

- an application counts in the week of its application date (the department's local date);
- "to date" counts every application dated before the end of the week ("campaign to date"
  in the by-campaign rows);
- reached = the audience of the week's posts as ``analysis.engagement`` defines it (views
  where the platform gives them, else reach); link clicks as the platforms count them;
  visits = careers-page visits imported from the analytics tool;
- applications per 1,000 reached = the week's attributed applications of a group over its
  posts' audience that week, x 1,000 (undefined without an audience).

The first part is pure; ``outcomes_week`` at the end reads the store and feeds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from analysis import engagement
from analysis.timeframe import IsoWeek
from store import outcomes as store_outcomes
from store.outcomes import OutcomeRow

NONE_LABEL = "(unknown)"
DIMENSIONS = ("campaign", "kind", "platform", "partner")


class _PerThousandReached:
    """Applications per 1,000 people reached (None without an audience), and the JSON
    that carries it under ``rate_key``."""

    applications: int
    reached: int
    rate_key: ClassVar[str]

    @property
    def per_1000(self) -> float | None:
        return self.applications * 1000 / self.reached if self.reached else None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), self.rate_key: self.per_1000}  # type: ignore[call-overload]


@dataclass(frozen=True)
class OutcomeGroup(_PerThousandReached):
    key: str
    applications: int  # this week
    previous: int  # the week before
    to_date: int
    hires_to_date: int
    visits: int  # this week
    reached: int  # this week's audience of the group's posts (0: none or not a post group)
    rate_key: ClassVar[str] = "per_1000_reached"


@dataclass(frozen=True)
class Funnel(_PerThousandReached):
    reached: int
    link_clicks: int
    visits: int
    applications: int
    rate_key: ClassVar[str] = "applications_per_1000_reached"


@dataclass(frozen=True)
class OutcomesWeek:
    week: str
    timezone: str
    funnel: Funnel
    previous_funnel: Funnel
    applications_to_date: int
    tested_to_date: int
    hires_to_date: int
    unattributed: int  # of this week's applications
    by_campaign: tuple[OutcomeGroup, ...]
    by_kind: tuple[OutcomeGroup, ...]
    by_platform: tuple[OutcomeGroup, ...]
    by_partner: tuple[OutcomeGroup, ...]

    @property
    def empty(self) -> bool:
        return self.applications_to_date == 0 and self.funnel.visits == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "timezone": self.timezone,
            "funnel": self.funnel.to_json(),
            "previous_funnel": self.previous_funnel.to_json(),
            "applications_to_date": self.applications_to_date,
            "tested_to_date": self.tested_to_date,
            "hires_to_date": self.hires_to_date,
            "unattributed": self.unattributed,
            **{f"by_{d}": [g.to_json() for g in getattr(self, f"by_{d}")] for d in DIMENSIONS},
        }


_OUTCOME_KEY: dict[str, Callable[[OutcomeRow], str | None]] = {
    "campaign": lambda r: r.campaign_id,
    "kind": lambda r: r.kind,
    "platform": lambda r: r.platform,
    "partner": lambda r: r.partner,
}
_POST_KEY: dict[str, Callable[[engagement.PostRow], str | None]] = {
    "campaign": lambda p: p.campaign_id,
    "kind": lambda p: p.kind,
    "platform": lambda p: p.platform,
    "partner": lambda p: p.partner,
}


def _count(rows: Iterable[OutcomeRow], key: Callable[[OutcomeRow], str | None]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts[key(row) or NONE_LABEL] += row.count
    return counts


def funnel(
    posts: Sequence[engagement.PostRow],
    visits: Sequence[OutcomeRow],
    applications: Sequence[OutcomeRow],
) -> Funnel:
    return Funnel(
        reached=sum(engagement.audience(p)[0] or 0 for p in posts),
        link_clicks=sum(p.count("link_clicks") or 0 for p in posts),
        visits=sum(v.count for v in visits),
        applications=len(applications),
    )


def groups(
    dimension: str,
    week: Sequence[OutcomeRow],
    previous: Sequence[OutcomeRow],
    to_date: Sequence[OutcomeRow],
    visits: Sequence[OutcomeRow],
    posts: Sequence[engagement.PostRow],
) -> tuple[OutcomeGroup, ...]:
    key = _OUTCOME_KEY[dimension]
    now, before, total = _count(week, key), _count(previous, key), _count(to_date, key)
    hires = _count((r for r in to_date if r.stage == "hired"), key)
    seen = _count(visits, key)
    reached: Counter[str] = Counter()
    for post in posts:
        reached[_POST_KEY[dimension](post) or NONE_LABEL] += engagement.audience(post)[0] or 0
    names = set(now) | set(before) | set(total) | set(seen)
    rows = [
        OutcomeGroup(
            name,
            now[name],
            before[name],
            total[name],
            hires[name],
            seen[name],
            reached[name] if name != NONE_LABEL else 0,
        )
        for name in names
    ]
    rows.sort(key=lambda g: (g.key == NONE_LABEL, -g.applications, -g.to_date, g.key))
    return tuple(rows)


def build_outcomes(
    week: str,
    zone: ZoneInfo,
    applications: Sequence[OutcomeRow],
    previous_applications: Sequence[OutcomeRow],
    to_date: Sequence[OutcomeRow],
    visits: Sequence[OutcomeRow],
    previous_visits: Sequence[OutcomeRow],
    posts: Sequence[engagement.PostRow],
    previous_posts: Sequence[engagement.PostRow],
) -> OutcomesWeek:
    """Assemble a week's outcomes from plain rows (the store-free half of ``outcomes_week``)."""
    per = {
        d: groups(d, applications, previous_applications, to_date, visits, posts)
        for d in DIMENSIONS
    }
    return OutcomesWeek(
        week=week,
        timezone=zone.key,
        funnel=funnel(posts, visits, applications),
        previous_funnel=funnel(previous_posts, previous_visits, previous_applications),
        applications_to_date=len(to_date),
        tested_to_date=sum(1 for r in to_date if r.stage in ("tested", "hired")),
        hires_to_date=sum(1 for r in to_date if r.stage == "hired"),
        unattributed=sum(1 for r in applications if r.method == "none"),
        by_campaign=per["campaign"],
        by_kind=per["kind"],
        by_platform=per["platform"],
        by_partner=per["partner"],
    )


# -- reading the store -----------------------------------------------------------------------


def outcomes_week(session: Session, week: IsoWeek, zone: ZoneInfo) -> OutcomesWeek:
    """The week's outcomes from the store."""
    previous = week.previous()
    start, end = week.local_dates(zone)
    prev_start, prev_end = previous.local_dates(zone)
    bounds = week.bounds(zone)
    prev_bounds = previous.bounds(zone)
    to_date = store_outcomes.applications_between(session, None, end)
    return build_outcomes(
        str(week),
        zone,
        [r for r in to_date if r.day >= start],
        [r for r in to_date if prev_start <= r.day < prev_end],
        to_date,
        store_outcomes.visits_between(session, start, end),
        store_outcomes.visits_between(session, prev_start, prev_end),
        engagement.post_rows(session, *bounds),
        engagement.post_rows(session, *prev_bounds),
    )
