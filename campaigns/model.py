"""The campaign as read from a file: plain, validated values with their locations.

Built by ``campaigns.schema`` and consumed by ``campaigns.planner``; nothing outside the
package needs these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from campaigns.reader import Where
from campaigns.templates import Template
from campaigns.timing import Offset, Rule


@dataclass(frozen=True)
class Located:
    """A template with where it was written."""

    template: Template
    where: Where


@dataclass(frozen=True)
class FileRef:
    """A file a media item names beside its own (captions, cover), resolved like it."""

    path: Path  # absolute
    written: str
    where: Where


@dataclass(frozen=True)
class MediaSpec:
    path: Path  # absolute
    written: str  # as written in the file, for messages
    alt: str | None
    where: Where
    # Videos only (campaigns/video.py): the captions file, a cover image or a moment to take
    # the cover from, and platform -> placement ("reels", "feed", "video", "post").
    captions: FileRef | None = None
    cover: FileRef | None = None
    cover_at: float | None = None
    cover_at_where: Where | None = None
    placement: dict[str, tuple[str, Where]] = field(default_factory=dict, hash=False)
    burn_captions: bool = False  # Instagram, Mastodon: draw the captions into the picture


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    link: str | None
    handles: dict[str, str]  # platform -> handle without '@'
    where: Where

    def mention(self, platform: str) -> str:
        handle = self.handles.get(platform)
        return f"@{handle}" if handle else self.name


@dataclass(frozen=True)
class Cost:
    """Paid boosts of a campaign, in US dollars: for the campaign as a whole and per platform."""

    boosts_usd: Decimal
    platforms_usd: dict[str, Decimal]
    where: Where


@dataclass(frozen=True)
class Hashtags:
    tags: tuple[str, ...]  # each starting with '#'
    where: Where


@dataclass
class Variant:
    """Per-platform overrides. None means 'as the post says'."""

    where: Where
    text: Located | None = None
    reminder_text: Located | None = None
    hashtags: Hashtags | None = None
    signature: str | None = None
    media: tuple[MediaSpec, ...] | None = None
    link: str | None = None
    link_set: bool = False  # link: given (possibly none: no link on this platform)


@dataclass(frozen=True)
class Officer:
    name: str
    rank: str | None
    years: int | None

    @property
    def byline(self) -> str:
        title = f"{self.rank} {self.name}" if self.rank else self.name
        if self.years is None:
            return title
        unit = "year" if self.years == 1 else "years"
        return f"{title}, {self.years} {unit} on the job"


@dataclass(frozen=True)
class Event:
    name: str
    starts: datetime  # naive local wall time
    ends: datetime | None
    location: str | None
    online: str | None
    rsvp: str | None
    cancelled: bool
    where: Where


@dataclass(frozen=True)
class Reminder:
    offset: Offset
    where: Where
    text: Located | None = None
    variants: dict[str, Variant] = field(default_factory=dict)


@dataclass(frozen=True)
class OneOff:
    wall: datetime
    where: Where


@dataclass(frozen=True)
class Repeat:
    rule: Rule
    time: time
    start: date | None
    where: Where


@dataclass
class Post:
    id: str
    kind: str  # a name in campaigns.kinds.KINDS
    where: Where  # the post's list item
    id_where: Where
    platforms: tuple[str, ...]
    text: Located | None = None
    reminder_text: Located | None = None
    variants: dict[str, Variant] = field(default_factory=dict)
    hashtags: Hashtags | None = None
    signature: str | None = None
    link: str | None = None
    link_set: bool = False  # link: given (possibly as false/none to post without a link)
    media: tuple[MediaSpec, ...] = ()
    media_where: Where | None = None
    partner: str | None = None
    partner_where: Where | None = None
    at: OneOff | None = None
    repeat: Repeat | None = None
    reminders: tuple[Reminder, ...] = ()
    reminders_where: Where | None = None
    # the kinds' own fields (campaigns/kinds.py reads them)
    officer: Officer | None = None
    quote: str | None = None
    consent_expires: date | None = None
    consent_where: Where | None = None
    event: Event | None = None
    # fields given in the file but unreadable (already reported): texts using them are skipped
    unreadable: frozenset[str] = frozenset()


@dataclass
class Campaign:
    file: str  # as given (for diagnostics)
    path: Path  # absolute
    id: str
    id_where: Where
    name: str
    timezone: str
    tz: ZoneInfo
    timezone_where: Where
    window_start: date
    window_end: date | None
    window_where: Where
    platforms: tuple[str, ...]
    platform_where: dict[str, Where]
    approved_by: str | None
    where: Where
    cost: Cost | None = None
    partners: dict[str, Partner] = field(default_factory=dict)
    hashtags: Hashtags | None = None
    link: str | None = None
    signature: str = ""
    posts: list[Post] = field(default_factory=list)
    # False when the window could not be read: texts and media are still checked, but no
    # times are planned (they could not be checked against the window)
    window_known: bool = True
    # the folder every media file must resolve into (absolute)
    media_root: Path | None = None
    # defaults and partners given but unreadable (already reported): {"link", "partners[id]"}
    unreadable: set[str] = field(default_factory=set)
