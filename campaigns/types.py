"""The plain data that leaves ``campaigns``: diagnostics and planned deliveries.

These are the contract with the rest of beatpost (store.sync, the daemon, the CLI); keep
field names stable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

# error: not planned or posted; warning: posted, but check it; note: what beatpost will do for you
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one campaign file, at a line and column (1-based), under a field path."""

    file: str
    line: int
    column: int
    path: str  # e.g. "posts[2].variants.x.text"
    message: str
    severity: Severity = "error"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if not self.path:  # whole-file problems (YAML syntax) have no field path
            return f"{where}: {self.severity}: {self.message}"
        return f"{where}: {self.severity}: {self.path}: {self.message}"


@dataclass(frozen=True)
class MediaRef:
    """A media file resolved relative to its campaign file, with its alt text."""

    path: Path
    alt_text: str
    mime_type: str
    # videos: the captions file, where the platform shows it, the cover image or moment
    captions: Path | None = None
    placement: str | None = None
    cover: Path | None = None
    cover_at: float | None = None
    burn_captions: bool | None = None  # Instagram and Mastodon only; None unless asked

    def video_fields(self) -> dict[str, object]:
        """The video settings that are set, as plain JSON values (for hashes and the ledger)."""
        values = {
            "captions": self.captions,
            "placement": self.placement,
            "cover": self.cover,
            "cover_at": self.cover_at,
            "burn_captions": self.burn_captions,
        }
        return {
            k: (str(v) if isinstance(v, Path) else v) for k, v in values.items() if v is not None
        }


@dataclass(frozen=True)
class DeliveryPlan:
    """One post x platform x instant, rendered exactly as it will be posted.

    ``key`` is stable across re-reads of unchanged files:
    ``{campaign_id}/{post_id}/{platform}/{occurrence}`` where ``occurrence`` is ``once``,
    the local wall time of a recurrence (``2027-03-01T09:00``) or a reminder offset (``-7d``).
    """

    key: str
    campaign_id: str
    campaign_name: str
    post_id: str
    kind: str  # a name in campaigns.kinds.KINDS
    platform: str
    occurrence: str
    at_utc: datetime
    timezone: str
    text: str
    media: tuple[MediaRef, ...] = ()
    link: str | None = None
    partner: str | None = None  # the partner organization's name
    approved_by: str | None = None
    source_file: str = ""
    source_line: int = 0
    extras: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def at_local(self) -> datetime:
        return self.at_utc.astimezone(ZoneInfo(self.timezone))

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that would be posted (or when) changes."""
        payload = {
            "at": self.at_utc.isoformat(),
            "text": self.text,
            "media": [
                (str(m.path), m.alt_text, *sorted(m.video_fields().items())) for m in self.media
            ],
            "link": self.link,
            "approved_by": self.approved_by,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def to_json(self) -> dict[str, object]:
        return {
            "campaign": self.campaign_id,
            "post": self.post_id,
            "kind": self.kind,
            "platform": self.platform,
            "at_utc": self.at_utc.isoformat().replace("+00:00", "Z"),
            "at_local": self.at_local.isoformat(),
            "timezone": self.timezone,
            "text": self.text,
            "media": [{"path": str(m.path), "alt_text": m.alt_text} for m in self.media],
        }


@dataclass(frozen=True)
class PartnerInfo:
    """A community partner named under ``partners:`` (id local to its campaign file)."""

    id: str
    name: str
    link: str | None


@dataclass(frozen=True)
class CampaignInfo:
    """What a campaign says beyond its deliveries: window, partners and paid boosts (USD)."""

    id: str
    name: str
    file: str
    timezone: str
    window_start: date
    window_end: date | None
    platforms: tuple[str, ...]
    partners: dict[str, PartnerInfo] = field(default_factory=dict)
    boosts_usd: Decimal = Decimal(0)  # paid boosts for the campaign as a whole
    platform_boosts_usd: dict[str, Decimal] = field(default_factory=dict)
