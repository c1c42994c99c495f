"""Campaign files -> the paid boosts ``analysis.cost`` counts, and the fee estimate of a plan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from analysis.cost import API_PRICES, PRICES_AS_OF, Boost, dollars, planned_fees
from campaigns import CampaignSet, DeliveryPlan
from config import Settings
from connectors.platforms import DISPLAY_NAMES as PLATFORM_NAMES


def boosts_of(campaign_set: CampaignSet) -> list[Boost]:
    """The ``cost:`` of every campaign file without errors, one ``Boost`` per amount."""
    out: list[Boost] = []
    for info in campaign_set.campaigns.values():
        amounts = [(None, info.boosts_usd), *sorted(info.platform_boosts_usd.items())]
        out.extend(
            Boost(info.id, info.name, usd, info.window_start, info.window_end, platform)
            for platform, usd in amounts
            if usd
        )
    return out


def cost_lines(campaign_set: CampaignSet, deliveries: Sequence[DeliveryPlan]) -> list[str]:
    """What ``beatpost plan`` says about cost: API fees of these deliveries, and boosts."""
    lines = []
    for fees in planned_fees((d.platform, bool(d.link)) for d in deliveries):
        lines.append(
            f"Estimated API fees on {PLATFORM_NAMES.get(fees.platform, fees.platform)}: "
            f"{dollars(fees.fees)} for {fees.posts} "
            f"post{'' if fees.posts == 1 else 's'} ({fees.posts_with_link} with a link), "
            f"at the prices of {PRICES_AS_OF:%B %-d, %Y}; reads for engagement are extra."
        )
    if deliveries and not lines:
        free = ", ".join(
            sorted(
                PLATFORM_NAMES.get(d.platform, d.platform) for d in {d.platform for d in deliveries}
            )
        )
        charging = ", ".join(PLATFORM_NAMES.get(p, p) for p in sorted(API_PRICES))
        lines.append(f"No API fees: {free} charge nothing for posting (only {charging} does).")
    campaigns = {d.campaign_id for d in deliveries}
    boosts = [b for b in boosts_of(campaign_set) if b.campaign_id in campaigns]
    if boosts:
        total = sum((b.usd for b in boosts), Decimal(0))
        lines.append(f"Paid boosts in the campaign files (cost:): {dollars(total)}.")
    return lines


def load_boosts(settings: Settings, now: datetime) -> list[Boost]:
    """The paid boosts of the campaign files in ``settings.campaigns_path`` (files with
    errors are left out; reading never raises for a bad file)."""
    from beatpost.validation import validation_options
    from campaigns import load_campaigns

    return boosts_of(load_campaigns([settings.campaigns_path], validation_options(settings, now)))


def digest_builder() -> Callable[..., Any]:
    """``build_digest`` with the campaign files' boosts, read when a digest is built."""
    from analysis.digest.build import build_digest
    from analysis.digest.timing import now_from

    def build(engine: Any, week: Any, settings: Settings, clock: Any) -> Any:
        return build_digest(engine, week, settings, clock, load_boosts(settings, now_from(clock)))

    return build
