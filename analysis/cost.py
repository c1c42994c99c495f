"""What a campaign costs: the platforms' API fees and the paid boosts in its file.

``API_PRICES`` is the one price table. Only X charges for its API (pay-per-use, billed per
request and per item read); Facebook, Instagram and Mastodon charge nothing for the calls
beatpost makes, so they have no row. Paid boosts come from the campaign files (``cost:``);
the caller hands them in as ``Boost`` values, so this module reads nothing but the store.

A boost is spread evenly over the days of its campaign's window (a campaign with no end date
counts it all on its first day): a week's spend is the share of its days in that week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from store.usage import api_usage

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ApiPrice:
    """A platform's pay-per-use fees in US dollars."""

    post: Decimal  # creating a post
    post_with_link: Decimal  # creating a post that contains a URL
    read: Decimal  # each post (metrics) or reply read, once per UTC day


#: The date the prices below were read from their source; check it when a bill disagrees.
PRICES_AS_OF = date(2026, 12, 2)
#: X API pay-per-use ("Content: Create", "Content: Create (with URL)", "Posts: Read").
PRICES_SOURCE = "https://docs.x.com/x-api/getting-started/pricing"
API_PRICES: dict[str, ApiPrice] = {
    "x": ApiPrice(post=Decimal("0.015"), post_with_link=Decimal("0.200"), read=Decimal("0.005")),
}


def posting_fee(platform: str, has_link: bool) -> Decimal:
    """What publishing one post costs in API fees (0 on a platform that does not charge)."""
    price = API_PRICES.get(platform)
    if price is None:
        return Decimal(0)
    return price.post_with_link if has_link else price.post


def read_fee(platform: str, reads: int) -> Decimal:
    price = API_PRICES.get(platform)
    return price.read * reads if price is not None else Decimal(0)


def dollars(amount: Decimal) -> str:
    """``$1,234.50``: rounded to the cent."""
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True)
class PlannedFees:
    """API fees of planned posts on one platform, before they go out."""

    platform: str
    posts: int
    posts_with_link: int
    fees: Decimal


def planned_fees(posts: Iterable[tuple[str, bool]]) -> list[PlannedFees]:
    """Fees of ``(platform, has_link)`` posts, per platform that charges, sorted by platform.

    Reads for pulling engagement later are not included: they depend on how long and how
    often posts are measured (see ``spend`` for what was actually read)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fees: dict[str, Decimal] = defaultdict(Decimal)
    for platform, has_link in posts:
        if platform not in API_PRICES:
            continue
        counts[platform][0] += 1
        counts[platform][1] += has_link
        fees[platform] += posting_fee(platform, has_link)
    return [PlannedFees(p, counts[p][0], counts[p][1], fees[p]) for p in sorted(counts)]


@dataclass(frozen=True)
class Boost:
    """Paid promotion of one campaign (from its file's ``cost:``), on one platform or none."""

    campaign_id: str
    campaign_name: str
    usd: Decimal
    first_day: date
    last_day: date | None  # None: the campaign has no end date
    platform: str | None = None  # None: not tied to one platform

    def share(self, start: date, end: date) -> Decimal:
        """The part of the boost spent on the days ``start <= day < end``."""
        last = self.last_day or self.first_day
        days = (last - self.first_day).days + 1
        overlap = (min(end, last + timedelta(days=1)) - max(start, self.first_day)).days
        if overlap <= 0 or days <= 0:
            return Decimal(0)
        return self.usd * overlap / days


@dataclass(frozen=True)
class Spend:
    """One campaign on one platform (``platform`` None: boosts not tied to a platform)."""

    campaign_id: str
    campaign_name: str
    platform: str | None
    api_usd: Decimal = Decimal(0)
    boost_usd: Decimal = Decimal(0)
    posts: int = 0
    reads: int = 0

    @property
    def total(self) -> Decimal:
        return self.api_usd + self.boost_usd


def spend(
    session: Session,
    start: datetime,
    end: datetime,
    boosts: Sequence[Boost] = (),
    *,
    start_day: date | None = None,
    end_day: date | None = None,
) -> list[Spend]:
    """Spend per campaign and platform with ``start <= instant < end``: the API fees of what
    was posted and read then, and the boosts' share of the days ``start_day`` (default:
    ``start``'s date) to ``end_day`` (excluded; default ``end``'s date). Rows with nothing
    spent are left out; sorted by campaign, then platform (boosts on no platform last)."""
    rows: dict[tuple[str, str | None], dict] = {}

    def row(campaign: str, name: str, platform: str | None) -> dict:
        return rows.setdefault(
            (campaign, platform),
            {
                "campaign_id": campaign,
                "campaign_name": name,
                "platform": platform,
                "api_usd": Decimal(0),
                "boost_usd": Decimal(0),
                "posts": 0,
                "reads": 0,
            },
        )

    for use in api_usage(session, start, end, platforms=sorted(API_PRICES)):
        fees = (
            posting_fee(use.platform, True) * use.posts_with_link
            + posting_fee(use.platform, False) * (use.posts - use.posts_with_link)
            + read_fee(use.platform, use.reads)
        )
        r = row(use.campaign_id, use.campaign_name, use.platform)
        r["api_usd"] += fees
        r["posts"] += use.posts
        r["reads"] += use.reads
    first = start_day or start.date()
    last = end_day or end.date()
    for boost in boosts:
        share = boost.share(first, last)
        if share:
            row(boost.campaign_id, boost.campaign_name, boost.platform)["boost_usd"] += share
    out = [Spend(**r) for r in rows.values() if r["api_usd"] or r["boost_usd"]]
    out.sort(key=lambda s: (s.campaign_id, s.platform is None, s.platform or ""))
    return out


def by_campaign(rows: Iterable[Spend]) -> list[tuple[str, Decimal]]:
    """Total spend per campaign (by id, shown by name), largest first."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for r in rows:
        totals[r.campaign_id] += r.total
        names.setdefault(r.campaign_id, r.campaign_name or r.campaign_id)
    return sorted(((names[c], usd) for c, usd in totals.items()), key=lambda i: (-i[1], i[0]))
