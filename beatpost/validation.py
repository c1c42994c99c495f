"""How campaign files are checked, from settings: the one place campaigns meet connectors.

Kept apart from ``beatpost.campaign_sync`` so ``beatpost validate`` does not load the store.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import connectors
from campaigns import ValidationOptions
from config import Settings
from connectors.base import PlatformLimits
from connectors.platforms import DISPLAY_NAMES, REGISTRY, TABLE


def connected_platforms(settings: Settings) -> frozenset[str]:
    """The platforms beatpost can post to: a row of the platform table with a connector, or
    one named in settings (``connector_classes``)."""
    return frozenset(REGISTRY) | frozenset(settings.connector_classes)


def settings_limits(settings: Settings) -> dict[str, PlatformLimits]:
    """The platform table's limits, with a server-specific text limit where the settings give
    one (``mastodon.max_characters``: each Mastodon server sets its own)."""
    limits = dict(connectors.LIMITS)
    for name, rules in limits.items():
        own = getattr(getattr(settings, name, None), "max_characters", None)
        if isinstance(own, int) and own != rules.max_length:
            limits[name] = replace(rules, max_length=own)
    return limits


def unconnected_sections(settings: Settings, config_file: Path | None) -> list[str]:
    """``file:line:column: error: ...`` for each platform section switched on in the settings
    (``enabled = true``, the default) whose platform beatpost has no connector for: found by
    ``validate``, never at posting time."""
    connected = connected_platforms(settings)
    problems = []
    for name in TABLE:
        section = getattr(settings, name, None)
        if section is None or not getattr(section, "enabled", False) or name in connected:
            continue
        where = _section_position(config_file, name)
        problems.append(
            f"{where}: error: [{name}]: beatpost cannot post to {DISPLAY_NAMES[name]} yet (no "
            f"connector for {name!r}); set enabled = false in this section, or remove it"
        )
    return problems


def _section_position(config_file: Path | None, section: str) -> str:
    """``file:line:column`` of the ``[section]`` header (line 1 column 1 when not written)."""
    if config_file is None:
        return "settings:1:1"
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError:
        return f"{config_file}:1:1"
    header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(section)}[ \t]*\]", re.MULTILINE)
    found = header.search(text)
    if found is None:
        return f"{config_file}:1:1"
    at = text.index("[", found.start())
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f"{config_file}:{line}:{column}"


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
        limits=settings_limits(settings),
        platform_names=DISPLAY_NAMES,
        connected=connected_platforms(settings),
        disabled=disabled_platforms(settings),
        now=now,
        media_base_url_set=bool(settings.instagram.media_base_url),
        media_root=settings.media_path,
    )
