"""Campaign files: YAML -> validated campaigns -> planned deliveries.

Pure: reads files, no database, no network. The caller passes everything else in
(``ValidationOptions``, including the platform limits).

    from campaigns import load_campaigns, ValidationOptions
    campaign_set = load_campaigns([Path("campaigns")], ValidationOptions(limits=connectors.LIMITS))
    for d in campaign_set.errors: print(d)
    plans = campaign_set.deliveries(start, end)
"""

from campaigns.ics import deliveries_to_ics
from campaigns.loader import CampaignSet, FileResult, find_files, load_campaigns
from campaigns.options import PlatformRules, ValidationOptions
from campaigns.schema import FORMAT_VERSION
from campaigns.timing import to_utc
from campaigns.types import CampaignInfo, DeliveryPlan, Diagnostic, MediaRef, PartnerInfo

__all__ = [
    "FORMAT_VERSION",
    "CampaignInfo",
    "CampaignSet",
    "DeliveryPlan",
    "Diagnostic",
    "FileResult",
    "MediaRef",
    "PartnerInfo",
    "PlatformRules",
    "ValidationOptions",
    "deliveries_to_ics",
    "find_files",
    "load_campaigns",
    "to_utc",
]
