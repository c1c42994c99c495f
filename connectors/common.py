"""Small helpers the REST connectors share (Mastodon, Bluesky)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from connectors.errors import ConnectorUnavailable


def iso_time(value: Any) -> datetime:
    """An ISO 8601 timestamp (``Z`` or an offset) as an aware UTC datetime."""
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def require_http_url(platform: str, url: str, hint: str = "") -> None:
    """``ConnectorUnavailable`` naming ``<platform>.base_url`` unless ``url`` is http(s)."""
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConnectorUnavailable(
            f"{platform}.base_url {url!r} is not an http(s) URL{hint}", platform=platform
        )
