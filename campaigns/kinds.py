"""Post kinds: one entry a kind, read by the schema, the planner, the report and the digest.

A kind names the fields only its posts accept and reads them into the ``Post``, gives the
values its texts may name (``{officer.byline}``), the text used when a post gives none, and
the fields that schedule it. Adding a kind: its entry in ``KINDS``, its fields on
``model.Post``, its audience in the sandbox (connectors/sandbox/audience.py) and its section
in docs/campaign-format.md (docs/architecture.md lists the steps).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from campaigns.model import Event, Officer, Post
from campaigns.reader import Reader, Where, lookup, read_field
from campaigns.templates import LocalTime, Namespace, Template, Unset, compile_template

T = TypeVar("T")
Fields = Mapping[str, tuple[object, Where]]  # a post's fields as the reader gives them

EVENT_KEYS = ("name", "starts", "ends", "location", "online", "rsvp", "cancelled")
OFFICER_KEYS = ("name", "rank", "years")


@dataclass(frozen=True)
class PostKind:
    name: str  # as written after kind: in a campaign file
    keys: tuple[str, ...]  # the fields only posts of this kind accept
    read: Callable[[Fields, Where, Reader, Post], None]  # those fields -> the Post
    values: Callable[[Post], dict[str, object]]  # what its texts may name; Unset: unreadable
    default_text: Template | None = None  # None: the post must give text:
    schedules: tuple[str, ...] = ("at", "repeat")  # the fields that give it times
    default_reminder: Template | None = None  # reminders: (when "reminders" schedules it)
    display_name: str = ""  # as people read it (report, digest); "": the name, capitalized

    def __post_init__(self) -> None:
        if not self.display_name:
            object.__setattr__(self, "display_name", self.name.capitalize())

    @property
    def article(self) -> str:
        return "an" if self.name[0] in "aeiou" else "a"


def _read_nothing(fields: Fields, where: Where, reader: Reader, post: Post) -> None:
    """A kind with no fields of its own."""


def _no_values(post: Post) -> dict[str, object]:
    return {}


def _read_testimonial(fields: Fields, where: Where, reader: Reader, post: Post) -> None:
    for key in ("officer", "quote", "consent_expires"):
        if key not in fields:
            why = (
                " (the date the officer's consent to be featured ends)"
                if key == "consent_expires"
                else ""
            )
            reader.error(where, f"a testimonial needs {key}:{why}")
    if (entry := lookup(fields, "officer")) is not None:
        officer_fields = reader.mapping(*entry, OFFICER_KEYS, ("name",), what="officer")
        if officer_fields is not None and "name" in officer_fields:
            name = reader.text(*officer_fields["name"], what="the officer's name")
            rank = read_field(officer_fields, "rank", reader.text, what="rank")
            years = read_field(officer_fields, "years", reader.integer, what="years of service")
            if name:
                post.officer = Officer(name.strip(), rank.strip() if rank else None, years)
    if (entry := lookup(fields, "quote")) is not None:
        quote = reader.text(*entry, what="the quote")
        post.quote = " ".join(quote.split()) if quote else None
    if (entry := lookup(fields, "consent_expires")) is not None:
        post.consent_expires = reader.date(*entry, what="the consent expiry date")
        post.consent_where = entry[1]


def _namespace(name: str, value: T | None, fields: Callable[[T], dict[str, object]]) -> object:
    """``{name.field}`` for templates; Unset when the value could not be read."""
    return Unset if value is None else Namespace(name, fields(value))


def _officer_fields(officer: Officer) -> dict[str, object]:
    return {
        "name": officer.name,
        "rank": officer.rank or Unset,
        "years": Unset if officer.years is None else officer.years,
        "byline": officer.byline,
    }


def _testimonial_values(post: Post) -> dict[str, object]:
    return {
        "officer": _namespace("officer", post.officer, _officer_fields),
        "quote": post.quote or Unset,
    }


def _read_event(fields: Fields, where: Where, reader: Reader, post: Post) -> None:
    if (entry := lookup(fields, "event")) is None:
        reader.error(where, "an event post needs event: (name, starts, and location or online)")
    else:
        post.event = _event(*entry, reader)


def _event(node, where: Where, reader: Reader) -> Event | None:
    fields = reader.mapping(node, where, EVENT_KEYS, ("name", "starts"), what="event")
    if fields is None:
        return None
    get = fields.get
    name = reader.text(*get("name"), what="the event name") if "name" in fields else None
    starts = reader.wall_time(*get("starts"), what="the start") if "starts" in fields else None
    ends = reader.wall_time(*get("ends"), what="the end") if "ends" in fields else None
    location = reader.text(*get("location"), what="the location") if "location" in fields else None
    online = reader.url(*get("online"), what="the online link") if "online" in fields else None
    rsvp = reader.url(*get("rsvp"), what="the RSVP link") if "rsvp" in fields else None
    cancelled = bool(reader.boolean(*get("cancelled"))) if "cancelled" in fields else False
    if "location" not in fields and "online" not in fields:
        reader.error(where, "say where the event is: location: (an address) or online: (a link)")
    if starts is not None and ends is not None and ends <= starts:
        reader.error(
            fields["ends"][1],
            f"the event ends ({ends:%Y-%m-%d %H:%M}) before it starts ({starts:%Y-%m-%d %H:%M})",
        )
        ends = None
    if name is None or starts is None:
        return None
    return Event(
        name.strip(),
        starts,
        ends,
        location.strip() if location else None,
        online,
        rsvp,
        cancelled,
        where,
    )


def _event_fields(event: Event) -> dict[str, object]:
    return {
        "name": event.name,
        "starts": LocalTime(event.starts),
        "ends": LocalTime(event.ends) if event.ends else Unset,
        "location": event.location or Unset,
        "online": event.online or Unset,
        "rsvp": event.rsvp or Unset,
        "where": event.location or "online",
    }


def _event_values(post: Post) -> dict[str, object]:
    return {"event": _namespace("event", post.event, _event_fields)}


KINDS: dict[str, PostKind] = {
    kind.name: kind
    for kind in (
        PostKind(
            name="testimonial",
            keys=("officer", "quote", "consent_expires"),
            read=_read_testimonial,
            values=_testimonial_values,
            default_text=compile_template("“{quote}” — {officer.byline}"),
        ),
        PostKind(
            name="event",
            keys=("event", "reminders", "reminder_text"),
            read=_read_event,
            values=_event_values,
            default_text=compile_template(
                "Join us: {event.name}, {event.starts:%A, %B %-d at %-I:%M %p}, {event.where}."
            ),
            schedules=("at", "repeat", "reminders"),
            default_reminder=compile_template(
                "Reminder: {event.name} is {reminder.when}: "
                "{event.starts:%A, %B %-d at %-I:%M %p}, {event.where}."
            ),
        ),
        PostKind(
            name="announcement",
            keys=(),
            read=_read_nothing,
            values=_no_values,
        ),
    )
}


def display_name(kind: str) -> str:
    """A post kind as people read it (report, digest); a name no longer in ``KINDS`` (a kind
    stored before it was removed) capitalized."""
    known = KINDS.get(kind)
    return known.display_name if known else str(kind).capitalize()
