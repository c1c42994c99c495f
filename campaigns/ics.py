"""Planned deliveries as an RFC 5545 calendar, so a PIO sees the schedule beside meetings.

One calendar event per post occurrence (the platforms it goes to are listed in it), at the
UTC instant, 15 minutes long; Outlook and Google Calendar show it in the viewer's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from campaigns.types import DeliveryPlan

SLOT = timedelta(minutes=15)
PRODID = "-//beatpost//campaign plan//EN"


def deliveries_to_ics(deliveries: Sequence[DeliveryPlan], stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one VEVENT per campaign/post/occurrence."""
    stamp = stamp or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "beatpost plan")
    groups: dict[tuple[str, str, str, datetime], list[DeliveryPlan]] = {}
    for delivery in deliveries:
        key = (delivery.campaign_id, delivery.post_id, delivery.occurrence, delivery.at_utc)
        groups.setdefault(key, []).append(delivery)
    for (campaign_id, post_id, occurrence, at_utc), items in sorted(
        groups.items(), key=lambda kv: (kv[0][3], kv[0][:3])
    ):
        first = items[0]
        platforms = ", ".join(d.platform for d in items)
        label = (
            ""
            if occurrence == "once" or first.extras.get("schedule") == "repeat"
            else f" ({occurrence})"
        )
        event = Event()
        event.add("uid", f"{campaign_id}/{post_id}/{occurrence}@beatpost")
        event.add("dtstamp", stamp)
        event.add("dtstart", at_utc)
        event.add("dtend", at_utc + SLOT)
        event.add("summary", f"Post {post_id}{label} on {platforms}")
        event.add("categories", [first.kind])
        description = [
            f"Campaign: {first.campaign_name} ({campaign_id})",
            f"Local time: {first.at_local:%Y-%m-%d %H:%M %Z} ({first.timezone})",
        ]
        for delivery in items:
            description.append(f"\n--- {delivery.platform} ---\n{delivery.text}")
        event.add("description", "\n".join(description))
        event.add("transp", "TRANSPARENT")  # a scheduled post does not make the PIO busy
        calendar.add_component(event)
    return calendar.to_ical()
