"""How campaign files are checked, from settings: the one place campaigns meet connectors.

Kept apart from ``beatpost.planning`` so ``beatpost validate`` does not load the store.
"""

from __future__ import annotations

from datetime import datetime

import connectors
from campaigns import ValidationOptions
from config import Settings


def connected_platforms(settings: Settings) -> frozenset[str]:
    """The platforms beatpost can post to: a built-in connector, or one named in settings."""
    return frozenset(connectors.REGISTRY) | frozenset(settings.connector_classes)


def disabled_platforms(settings: Settings) -> frozenset[str]:
    """The platforms switched off in settings (``x.enabled = false``)."""
    return frozenset(
        p for p in connectors.LIMITS if not getattr(getattr(settings, p, None), "enabled", True)
    )


def validation_options(settings: Settings, now: datetime | None) -> ValidationOptions:
    """How campaign files are checked, from ``settings`` (``now``: None for no 'already past'
    warnings)."""
    return ValidationOptions(
        default_timezone=settings.default_timezone,
        require_approval=settings.require_approval,
        limits=connectors.LIMITS,
        connected=connected_platforms(settings),
        disabled=disabled_platforms(settings),
        now=now,
        media_base_url_set=bool(settings.instagram.media_base_url),
        media_root=settings.media_path,
    )
