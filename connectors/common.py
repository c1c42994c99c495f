"""Small helpers the connectors share: reading their settings, times, the HTTP call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from connectors.errors import ConnectorUnavailable, OutcomeUnknown, TransientError
from connectors.platforms import platform as platform_row

if TYPE_CHECKING:
    from config import Settings


def iso_time(value: Any) -> datetime:
    """An ISO 8601 timestamp (``Z`` or an offset) as an aware UTC datetime."""
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def enabled_section(settings: Settings, platform: str) -> Any:
    """The platform's settings section; ``ConnectorUnavailable`` when it is switched off."""
    section = getattr(settings, platform)
    if not section.enabled:
        raise ConnectorUnavailable(
            f"{platform_row(platform).display_name} is disabled in settings "
            f"({platform}.enabled = false)",
            platform=platform,
        )
    return section


def required(platform: str, section: Any, field: str, purpose: str = "") -> str:
    """A setting the connector cannot work without (a secret unwrapped), or
    ``ConnectorUnavailable`` naming it, its environment variable and, for a secret field of
    the platform's row, the secrets file; ``purpose`` ends the message ("to the Page's id")."""
    value = getattr(section, field)
    if field in platform_row(platform).secret_fields:
        value = value.get_secret_value() if value is not None else ""
        where = f"BEATPOST_{platform.upper()}__{field.upper()} or the secrets file"
    else:
        where = f"or BEATPOST_{platform.upper()}__{field.upper()}"
    if not value:
        raise ConnectorUnavailable(
            f"set {platform}.{field} ({where})" + (f" {purpose}" if purpose else ""),
            platform=platform,
        )
    return str(value)


def given(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that are not None: a connector's defaults stand for the rest (a
    ``clock`` or ``sleep`` passed on only when ``connectors.create`` was given one)."""
    return {name: value for name, value in kwargs.items() if value is not None}


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
