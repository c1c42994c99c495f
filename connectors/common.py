"""Small helpers the connectors share: reading their settings, times, the HTTP call."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

import requests

from connectors.base import utc_now
from connectors.errors import (
    ConnectorError,
    ConnectorUnavailable,
    OutcomeUnknown,
    Rejected,
    TransientError,
)
from connectors.platforms import platform as platform_row

if TYPE_CHECKING:
    from config import Settings
    from connectors.base import Clock, ResumeHook, Sleep


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


def answer_message(response: requests.Response, key: str, token: str) -> str:
    """What an error answer says: its JSON body's ``key``, else the HTTP reason; ``token``
    masked."""
    try:
        message = str(response.json().get(key) or response.reason)
    except (ValueError, AttributeError):
        message = response.reason or f"HTTP {response.status_code}"
    return message.replace(token, "***") if token else message


def answer_error(
    platform: str, who: str, status: int, message: str, *, publishing: bool, code: Any = None
) -> ConnectorError:
    """The error for an answer (400 or more) that no rule of the platform's own claimed: a
    4xx is ``Rejected``; a 5xx is ``OutcomeUnknown`` for a publishing request (the post may
    exist), else ``TransientError``. ``who`` names the answering side in the message."""
    code = code or status
    if 400 <= status < 500:
        return Rejected(message, platform=platform, code=code)
    if publishing:
        return OutcomeUnknown(
            f"{who} answered {status} ({message}): the post may exist", platform=platform, code=code
        )
    return TransientError(f"{who} answered {status} ({message})", platform=platform, code=code)


class HttpConnection:
    """What the REST connectors (Mastodon, Bluesky, LinkedIn) keep alike: how they are built
    from their settings section (``from_settings``, reading what the class declares), and for
    HTTP the base URL, (connect, read) timeouts, the clock, the session, the sleep and resume
    hook for video uploads, which its constructor takes."""

    platform: ClassVar[str]
    # The settings the connector cannot work without, in the order they are checked -> what
    # each should be set to (the end of ``required``'s message: "to the page's numeric id").
    needed_settings: ClassVar[dict[str, str]] = {}
    base_url_hint: ClassVar[str] = ""  # what base_url should be: " (https://api.linkedin.com)"
    passed_settings: ClassVar[tuple[str, ...]] = ()  # more fields passed on as they are

    _sleep = staticmethod(time.sleep)
    base_url: str
    _timeout: tuple[float, float]
    _clock: Clock
    _session: requests.Session

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Clock | None = None, sleep: Sleep | None = None
    ) -> Self:
        """The connector the platform's section describes: ``ConnectorUnavailable`` when it is
        switched off, lacks a needed setting (``required``) or its base URL is not http(s)
        (``require_http_url``). ``clock`` and ``sleep`` replace the wall clock and
        ``time.sleep`` when given (``connectors.create``)."""
        section = enabled_section(settings, cls.platform)
        needed = {
            field: required(cls.platform, section, field, purpose)
            for field, purpose in cls.needed_settings.items()
        }
        require_http_url(cls.platform, section.base_url, cls.base_url_hint)
        return cls(
            **needed,
            base_url=section.base_url,
            timeout_seconds=section.timeout_seconds,
            clock=clock,
            **{field: getattr(section, field) for field in cls.passed_settings},
            **given(sleep=sleep),
        )

    def __init__(
        self,
        *,
        base_url: str,
        timeout_seconds: float = 30.0,
        clock: Clock | None = None,
        session: requests.Session | None = None,
        sleep: Sleep | None = None,
        on_resume: ResumeHook | None = None,
    ) -> None:
        """``sleep`` replaces ``time.sleep`` for waits (a video's processing) when given;
        ``on_resume``, set by the daemon (``connectors.base.ResumeHook``), receives each step
        of a video upload."""
        self.base_url = base_url.rstrip("/")
        self._timeout = (min(10.0, timeout_seconds), timeout_seconds)
        self._clock = clock or utc_now
        self._session = session or requests.Session()
        if sleep is not None:
            self._sleep = sleep  # type: ignore[method-assign]
        self.on_resume = on_resume


class BearerJsonCalls(HttpConnection):
    """``_request`` and ``_json`` for a connector that calls one JSON API with a bearer token
    (Mastodon, LinkedIn). The connector sets ``_token``, may add
    ``extra_headers``, and maps an error answer in ``_error``."""

    platform: ClassVar[str]
    extra_headers: ClassVar[dict[str, str]] = {}
    _token: str

    def _error(self, response: requests.Response, publishing: bool) -> ConnectorError:
        raise NotImplementedError

    def _request(
        self,
        method: str,
        url: str,
        *,
        publishing: bool = False,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """One request; errors mapped. ``url`` is a path under ``base_url``, or a full URL (an
        upload address the platform gave). ``publishing``: a failure after the request may
        have reached the platform is ``OutcomeUnknown``, not ``TransientError``."""
        relative = not url.startswith(("http://", "https://"))
        response = send(
            self._session,
            method,
            self.base_url + url if relative else url,
            platform=self.platform,
            publishing=publishing,
            shown=url.split("?")[0] if relative else "the upload URL",
            headers={
                "Authorization": f"Bearer {self._token}",
                **self.extra_headers,
                **(headers or {}),
            },
            timeout=self._timeout,
            **kwargs,
        )
        if response.status_code < 400:
            return response
        raise self._error(response, publishing)

    def _json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self._request(method, url, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise TransientError(
                f"{method} {url.split('?')[0]} answered {response.status_code} without JSON",
                platform=self.platform,
            ) from None


def json_object(response: requests.Response) -> dict[str, Any]:
    """The response's JSON object; {} when it has none (an empty 206, an HTML error page)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
