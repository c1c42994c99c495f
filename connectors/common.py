"""Small helpers the REST connectors share (Mastodon, Bluesky)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from connectors.errors import ConnectorUnavailable, OutcomeUnknown, TransientError


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


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    platform: str,
    publishing: bool,
    shown: str,
    **kwargs: Any,
) -> requests.Response:
    """One HTTP request with transport failures mapped: ``TransientError`` when it provably
    never left (or was not ``publishing``), ``OutcomeUnknown`` when a publishing request may
    have reached the platform. ``shown`` names the request in messages (never a token)."""
    try:
        return session.request(method, url, **kwargs)
    except requests.ConnectionError as exc:
        if publishing and not never_sent(exc):
            raise OutcomeUnknown(
                f"no answer to {method} {shown}: the post may exist", platform=platform
            ) from None
        raise TransientError(f"cannot reach {shown}", platform=platform) from None
    except requests.Timeout:
        if publishing:
            raise OutcomeUnknown(
                f"{method} {shown} timed out: the post may exist", platform=platform
            ) from None
        raise TransientError(f"{method} {shown} timed out", platform=platform) from None


def never_sent(exc: requests.ConnectionError) -> bool:
    """True when the connection failed before the request could leave (refused, no route)."""
    text = str(exc).lower()
    return any(s in text for s in ("connection refused", "name or service not known", "no route"))


def json_object(response: requests.Response) -> dict[str, Any]:
    """The response's JSON object; {} when it has none (an empty 206, an HTML error page)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
