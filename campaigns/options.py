"""How campaign files are checked: passed in by the caller (the CLI builds it from Settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol


class PlatformRules(Protocol):
    """The part of ``connectors.PlatformLimits`` the validator reads.

    ``campaigns`` does not import ``connectors``; the caller passes the limits in.
    """

    platform: str
    max_length: int
    length_rule: str
    url_length: int | None
    max_hashtags: int | None
    requires_media: bool
    max_images: int
    image_types: tuple[str, ...]
    video_types: tuple[str, ...]
    max_image_bytes: int
    min_aspect_ratio: float | None
    max_aspect_ratio: float | None
    max_alt_text: int | None
    fetches_media_by_url: bool
    clickable_links: bool


@dataclass(frozen=True)
class ValidationOptions:
    default_timezone: str = "America/Chicago"
    require_approval: bool = False
    # platform name -> limits; the known platforms are exactly these keys
    limits: Mapping[str, PlatformRules] = field(default_factory=dict)
    # the platforms beatpost can post to (those with a connector); None: every known platform.
    # A campaign naming a known platform outside this set is an error, not a failure at
    # posting time.
    connected: frozenset[str] | None = None
    # platforms switched off in settings: their deliveries are skipped when due (a warning)
    disabled: frozenset[str] = frozenset()
    # platform name -> the name a PIO reads ("X"), from the platform table; others as written
    platform_names: Mapping[str, str] = field(default_factory=dict)
    # "already past" warnings are given relative to this aware instant; None: no such check
    now: datetime | None = None
    # False: Instagram posts get a warning (Instagram fetches images from a public URL)
    media_base_url_set: bool = True
    # a repeat: rule producing more posts than this is an error (a FREQ mistake, usually)
    max_occurrences_per_post: int = 1000
    # media files must resolve (symbolic links followed) inside this folder; None: inside the
    # folder holding the campaign file
    media_root: Path | None = None

    def __post_init__(self) -> None:
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("ValidationOptions.now must be an aware datetime")
