"""A small Graph API client shared by the Facebook and Instagram connectors.

One ``request`` path for every call (tweepy's habit): it paces itself from the usage headers,
sends the access token in the query (GET) or the form body (POST), and turns every Graph error
object, HTTP status and transport failure into a ``connectors.errors`` type. Nothing it raises
carries the token: messages are built from the platform's error text, passed through ``redact``,
and transport exceptions are never chained.

Error families (Graph API "Handling Errors" and "Rate Limiting" reference):

- 1, 2 (unknown / service unavailable), HTTP 5xx: ``TransientError`` -- except on a publishing
  POST, where a 5xx means the post may exist: ``OutcomeUnknown``. The error's own
  ``is_transient`` flag wins over the code: ``false`` is not retried (``Rejected``), ``true`` is.
- 4, 17, 32, 613, 9 and the 80000 range (business use case throttling): ``RateLimited``, reset
  from ``estimated_time_to_regain_access`` in the usage headers or ``Retry-After``.
- 190, 102 (token invalid or expired): ``AuthError``; 10 and 200-299, and a 100 whose message
  says the endpoint "requires the ... permission" (Graph's "Object does not exist, cannot be
  loaded due to missing permission"): ``MissingPermission``, naming it. Both need a person to
  fix credentials, never a retry.
- 368 (blocked for policy): ``Rejected``; 506 (duplicate status): ``DuplicateContent``.
- Anything else the platform answers with an error object: ``Rejected``.
- A body without Graph's ``error`` object but with an OAuth-style error (``error`` /
  ``error_description``, ``error_type`` / ``error_message``, possibly under ``meta``): the
  platform's message is kept, typed by its kind and the HTTP status.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from pydantic import SecretStr

from connectors.base import Clock, Comment, MetricSnapshot, Published, Sleep, utc_now
from connectors.common import given, required
from connectors.errors import (
    AuthError,
    ConnectorError,
    DuplicateContent,
    MissingPermission,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)

log = logging.getLogger(__name__)

# Graph answers ``?ids=`` requests for at most 50 objects.
IDS_BATCH = 50
# The Graph gives no reset time with codes 4/17/32/613 when no usage header says so; its
# windows are rolling, so wait a few minutes rather than retry at once.
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=5)
# Above this share of any usage budget, pause before each call; the pause grows towards 100%.
SLOW_DOWN_AT = 90.0
MAX_PAUSE_SECONDS = 5.0

TRANSIENT_CODES = frozenset({1, 2})
RATE_LIMIT_CODES = frozenset({4, 9, 17, 32, 613})
AUTH_CODES = frozenset({102, 104, 190})  # session invalid, token missing, token invalid
PERMISSION_CODES = frozenset({10}) | frozenset(range(200, 300))
BLOCKED_CODE = 368
DUPLICATE_CODE = 506
INVALID_PARAMETER_CODE = 100
UNKNOWN_ALIAS_CODE = 803

_TOKEN_IN_TEXT = re.compile(r"(access_token=)[^&\s\"'<>]+", re.IGNORECASE)
# "This endpoint requires the 'pages_read_engagement' permission or ...", "(#200) Requires
# pages_manage_posts permission": the permission names have underscores, features do not.
_REQUIRES_PERMISSION = re.compile(r"requires?\s+(?:the\s+)?(.{1,200}?)\s+permission", re.I)
_PERMISSION_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# OAuth error kinds (RFC 6749 codes and Instagram's error_type names) that mean the token.
_OAUTH_TOKEN_ERRORS = frozenset(
    {"invalid_token", "invalid_grant", "invalid_client", "unauthorized_client", "invalid_request"}
)
_USAGE_KEYS = ("call_count", "total_time", "total_cputime")


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every ``access_token=...`` value and every given secret masked."""
    text = _TOKEN_IN_TEXT.sub(r"\1[redacted]", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


class _TokenInUrlFilter(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included, and the Graph API takes
    its token in the query: masked there, ``-vv`` still shows the requests, not the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours to hide
            return True
        masked = _TOKEN_IN_TEXT.sub(r"\1[redacted]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


# Filters apply to records logged on the logger itself, so the module logger is named.
logging.getLogger("urllib3.connectionpool").addFilter(_TokenInUrlFilter())


@dataclass(frozen=True)
class Usage:
    """The highest share (0-100+) of any Graph budget, and how long until access returns."""

    percent: float
    regain_seconds: float
    observed_at: datetime

    @property
    def blocked_until(self) -> datetime | None:
        """When sending again makes sense, if the last reply said we are (about to be) blocked."""
        if self.regain_seconds > 0:
            return self.observed_at + timedelta(seconds=self.regain_seconds)
        if self.percent >= 100:
            return self.observed_at + DEFAULT_RATE_LIMIT_WAIT
        return None


def parse_usage(headers: Mapping[str, str], now: datetime) -> Usage | None:
    """Read ``X-App-Usage``, ``X-Page-Usage`` and ``X-Business-Use-Case-Usage``.

    App and Page usage are one JSON object of percentages; business use case usage maps a
    business object id to a list of such objects, each with ``estimated_time_to_regain_access``
    in minutes. Unreadable headers are ignored: pacing is a courtesy, not a reason to fail.
    """
    entries: list[Mapping[str, Any]] = []
    for name in ("X-App-Usage", "X-Page-Usage", "X-Ad-Account-Usage"):
        parsed = _json_header(headers, name)
        if isinstance(parsed, Mapping):
            entries.append(parsed)
    buc = _json_header(headers, "X-Business-Use-Case-Usage")
    if isinstance(buc, Mapping):
        for items in buc.values():
            if isinstance(items, list):
                entries.extend(item for item in items if isinstance(item, Mapping))
    if not entries:
        return None
    percent = 0.0
    regain_minutes = 0.0
    for entry in entries:
        for key in _USAGE_KEYS:
            percent = max(percent, _number(entry.get(key)))
        regain_minutes = max(regain_minutes, _number(entry.get("estimated_time_to_regain_access")))
    return Usage(percent=percent, regain_seconds=regain_minutes * 60, observed_at=now)


def _json_header(headers: Mapping[str, str], name: str) -> Any:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        log.debug("ignoring unreadable %s header", name)
        return None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def parse_graph_time(value: str) -> datetime:
    """Graph timestamps look like ``2026-11-25T14:03:00+0000``; return an aware UTC datetime."""
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def graph_time_or_none(value: Any) -> datetime | None:
    """``parse_graph_time`` for a field that may be missing or malformed: None then."""
    if not value:
        return None
    try:
        return parse_graph_time(str(value))
    except ValueError:
        return None


def graph_client(
    platform: str,
    section: Any,
    *,
    token_field: str = "access_token",
    purpose: str = "",
    api_version: str | None = None,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> GraphClient:
    """The client a connector's settings section describes: its base URL, API version (the
    section's unless given), token (``token_field``, required: ``connectors.common.required``)
    and timeout. ``clock`` and ``sleep``, when given, replace the wall clock and ``time.sleep``
    (``connectors.create(..., clock=, sleep=)``)."""
    return GraphClient(
        platform=platform,
        base_url=section.base_url,
        api_version=api_version or section.api_version,
        access_token=required(platform, section, token_field, purpose),
        timeout=section.timeout_seconds,
        **given(now=clock, sleep=sleep),
    )


class GraphClient:
    """Calls one Graph API host and version with one access token.

    ``sleep`` and ``now`` are injectable so tests can check pacing without waiting.
    """

    def __init__(
        self,
        *,
        platform: str,
        base_url: str,
        api_version: str,
        access_token: SecretStr | str | None,
        timeout: float = 30.0,
        session: requests.Session | None = None,
        sleep: Sleep = time.sleep,
        now: Clock = utc_now,
        slow_down_at: float = SLOW_DOWN_AT,
    ):
        token = (
            access_token.get_secret_value() if isinstance(access_token, SecretStr) else access_token
        )
        if not token:
            raise AuthError("no access token configured", platform=platform)
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version.strip("/")
        self.timeout = timeout
        self.slow_down_at = slow_down_at
        self._token = token
        self._session = session or requests.Session()
        self._sleep = sleep
        self._now = now
        self._usage: Usage | None = None

    def __repr__(self) -> str:  # the token stays out of every repr
        return (
            f"GraphClient(platform={self.platform!r}, base_url={self.base_url!r}, "
            f"api_version={self.api_version!r})"
        )

    @property
    def usage(self) -> Usage | None:
        """What the last reply's usage headers said (None until a reply carried them)."""
        return self._usage

    def now(self) -> datetime:
        return self._now()

    # -- public calls --------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._request("GET", path, params=params)

    def post(
        self,
        path: str,
        data: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        publishing: bool = False,
    ) -> dict[str, Any]:
        """POST form fields (multipart when ``files`` is given).

        ``publishing=True`` marks a call whose success makes something public: if its outcome
        cannot be known (timeout, 5xx, unreadable reply) it raises ``OutcomeUnknown`` rather than
        an error that invites a retry.
        """
        return self._request("POST", path, data=data, files=files, publishing=publishing)

    def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, max_pages: int = 50
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield the ``data`` list of each page of an edge, following ``paging``.

        Cursors (``paging.cursors.after``) are preferred; otherwise the query of ``paging.next`` is
        reused against our own host, so a ``next`` URL can never send the token elsewhere.
        """
        query = dict(params or {})
        for _ in range(max_pages):
            body = self.get(path, query)
            data = body.get("data")
            if not isinstance(data, list):
                raise TransientError(
                    f"unexpected reply from {self._where(path)}: no data list",
                    platform=self.platform,
                )
            yield [item for item in data if isinstance(item, dict)]
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
            next_url = paging.get("next")
            if not next_url or not data:
                return
            after = (paging.get("cursors") or {}).get("after")
            if after:
                query = {**query, "after": after}
            else:
                next_query = {k: v[-1] for k, v in parse_qs(urlsplit(next_url).query).items()}
                next_query.pop("access_token", None)
                if next_query == {k: str(v) for k, v in query.items()}:
                    return  # a next link that goes nowhere would loop
                query = next_query
        log.warning("%s: stopped paging %s after %d pages", self.platform, path, max_pages)

    # -- the one request path ------------------------------------------------------------
    def _where(self, path: str) -> str:
        return f"/{self.api_version}/{path.lstrip('/')}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        publishing: bool = False,
    ) -> dict[str, Any]:
        self._pace(path)
        url = f"{self.base_url}{self._where(path)}"
        query = {k: _form_value(v) for k, v in (params or {}).items()}
        form = {k: _form_value(v) for k, v in (data or {}).items()}
        if method == "GET":
            query["access_token"] = self._token
        else:
            form["access_token"] = self._token
        call = _Call(method, f"{method} {self._where(path)}", publishing)
        where = call.where
        try:
            response = self._session.request(
                method,
                url,
                params=query or None,
                data=form or None,
                files=files,
                timeout=self.timeout,
            )
        except requests.exceptions.ConnectTimeout:
            raise TransientError(
                f"{where}: could not connect within {self.timeout:g}s", platform=self.platform
            ) from None
        except requests.exceptions.Timeout:
            raise self._unknown_or_transient(
                f"{where}: no reply within {self.timeout:g}s", call
            ) from None
        except requests.exceptions.ConnectionError as exc:
            # Refused connections never reached the platform; a reset mid-reply may have.
            if _never_sent(exc):
                raise TransientError(
                    f"{where}: cannot reach {urlsplit(self.base_url).netloc}",
                    platform=self.platform,
                ) from None
            raise self._unknown_or_transient(
                f"{where}: connection lost before the reply", call
            ) from None
        except requests.exceptions.RequestException as exc:
            raise TransientError(
                f"{where}: request failed: {redact(type(exc).__name__, self._token)}",
                platform=self.platform,
            ) from None

        usage = parse_usage(response.headers, self._now())
        if usage is not None:
            self._usage = usage
        log.debug("%s %s -> %s", self.platform, where, response.status_code)

        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise self._error_for(response, body["error"], call)
        oauth = _oauth_error(body) if response.status_code >= 400 else None
        if oauth is not None:
            raise self._oauth_error_for(response, oauth, call)
        if 200 <= response.status_code < 300 and isinstance(body, dict):
            return body
        raise self._unreadable(response, call)

    def _pace(self, path: str) -> None:
        usage = self._usage
        if usage is None:
            return
        now = self._now()
        blocked_until = usage.blocked_until
        if blocked_until is not None:
            if now < blocked_until:
                raise RateLimited(
                    f"usage at {usage.percent:.0f}% of the Graph budget; not sending "
                    f"{self._where(path)} until access returns",
                    reset_at=blocked_until,
                    platform=self.platform,
                )
            self._usage = None  # stale: let one call through to learn the new usage
            return
        if usage.percent >= self.slow_down_at:
            pause = min(MAX_PAUSE_SECONDS, (usage.percent - self.slow_down_at + 1) * 0.5)
            log.info(
                "%s: Graph usage at %.0f%%; pausing %.1fs before the next call",
                self.platform,
                usage.percent,
                pause,
            )
            self._sleep(pause)

    # -- error mapping -------------------------------------------------------------------
    def _unknown_or_transient(self, message: str, call: _Call) -> ConnectorError:
        if call.may_have_posted:
            return OutcomeUnknown(
                f"{message}; the post may have been created", platform=self.platform
            )
        return TransientError(message, platform=self.platform)

    def _reset_at(self, response: requests.Response) -> datetime:
        now = self._now()
        usage = self._usage
        if usage is not None and usage.regain_seconds > 0:
            return usage.observed_at + timedelta(seconds=usage.regain_seconds)
        retry_after = response.headers.get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            return now + timedelta(seconds=int(retry_after.strip()))
        return now + DEFAULT_RATE_LIMIT_WAIT

    def _error_for(
        self, response: requests.Response, error: Mapping[str, Any], call: _Call
    ) -> ConnectorError:
        status, where = response.status_code, call.where
        code = _code(error.get("code"))
        subcode = _code(error.get("error_subcode"))
        text = str(error.get("message") or "unknown Graph API error")
        if error.get("error_user_msg") and error["error_user_msg"] != text:
            text = f"{text}: {error['error_user_msg']}"  # the person-readable explanation
        detail = redact(text, self._token)
        if subcode is not None:
            detail += f"; subcode {subcode}"
        if error.get("fbtrace_id"):
            detail += f"; fbtrace_id {error['fbtrace_id']}"
        platform = self.platform

        if code in AUTH_CODES:
            return AuthError(f"access token refused: {detail}", platform=platform, code=code)
        permissions = _required_permissions(text)
        if code in PERMISSION_CODES or (code == INVALID_PARAMETER_CODE and permissions):
            return _missing_permission(detail, permissions, platform, code)
        throttled = code is not None and 80000 <= code < 81000  # business use case limits
        if code in RATE_LIMIT_CODES or throttled or status == 429:
            return RateLimited(
                f"rate limited: {detail}",
                reset_at=self._reset_at(response),
                platform=platform,
                code=code,
            )
        if code == BLOCKED_CODE:
            return Rejected(
                f"the account is temporarily blocked from posting: {detail}",
                platform=platform,
                code=code,
            )
        if code == DUPLICATE_CODE:
            return DuplicateContent(f"duplicate post: {detail}", platform=platform, code=code)
        flag = _flag(error.get("is_transient"))
        transient = flag if flag is not None else (status >= 500 or code in TRANSIENT_CODES)
        if status >= 500 and call.may_have_posted:
            return OutcomeUnknown(
                f"{where} answered HTTP {status}: {detail}; the post may have been created",
                platform=platform,
                code=code,
            )
        if transient:
            return TransientError(f"{where}: {detail}", platform=platform, code=code)
        if flag is False and code in TRANSIENT_CODES:
            detail += "; the platform marks it as not temporary, so it is not retried"
        return Rejected(f"{where}: {detail}", platform=platform, code=code)

    def _oauth_error_for(
        self, response: requests.Response, oauth: tuple[str, str], call: _Call
    ) -> ConnectorError:
        """An OAuth-style error body (no Graph ``error`` object): keep the platform's words."""
        status, where = response.status_code, call.where
        kind, text = oauth
        detail = redact(f"{text} ({kind})" if kind and kind not in text else text, self._token)
        platform = self.platform
        lowered = kind.lower()
        permissions = _required_permissions(text)
        if "permission" in lowered or lowered == "insufficient_scope" or permissions:
            return _missing_permission(detail, permissions, platform, None)
        if "token" in lowered or lowered in _OAUTH_TOKEN_ERRORS or status == 401:
            return AuthError(f"access token refused: {detail}", platform=platform)
        if status == 429:
            return RateLimited(
                f"rate limited: {detail}", reset_at=self._reset_at(response), platform=platform
            )
        if status >= 500:
            return self._unknown_or_transient(f"{where} answered HTTP {status}: {detail}", call)
        if "oauth" in lowered or status == 403:
            return AuthError(f"access token refused: {detail}", platform=platform)
        return Rejected(f"{where}: {detail}", platform=platform)

    def _unreadable(self, response: requests.Response, call: _Call) -> ConnectorError:
        status = response.status_code
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        message = f"{call.where}: unreadable reply (HTTP {status}, {kind})"
        if status == 429:
            return RateLimited(message, reset_at=self._reset_at(response), platform=self.platform)
        if 400 <= status < 500:
            # A non-Graph 4xx (proxy page, wrong host) will not fix itself on retry.
            return Rejected(
                f"{message}; check the {self.platform}.base_url setting", platform=self.platform
            )
        # 2xx with a body we cannot read, or a 5xx page from a proxy.
        return self._unknown_or_transient(message, call)


@dataclass(frozen=True)
class _Call:
    """One request, as its errors need it: the method, what messages call it
    (``POST /v21.0/{page}/feed``), and whether it publishes."""

    method: str
    where: str
    publishing: bool

    @property
    def may_have_posted(self) -> bool:
        """A failure after a publishing POST may have reached the platform: the post may exist."""
        return self.publishing and self.method == "POST"


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _flag(value: Any) -> bool | None:
    """A JSON boolean (or its string form) as bool; None when absent or unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _required_permissions(text: str) -> tuple[str, ...]:
    """Permission names a Graph message says the call requires (may be empty)."""
    found: list[str] = []
    for match in _REQUIRES_PERMISSION.finditer(text):
        found += _PERMISSION_NAME.findall(match.group(1))
    return tuple(dict.fromkeys(found))


def _missing_permission(
    detail: str, permissions: tuple[str, ...], platform: str, code: int | None
) -> MissingPermission:
    if permissions:
        names = " or ".join(permissions)
        lead = f"the access token lacks the {names} permission"
    else:
        lead = "the access token lacks a permission this call needs"
    return MissingPermission(
        f"{lead}; grant it to the app and issue a new token: {detail}",
        permissions=permissions,
        platform=platform,
        code=code,
    )


def _oauth_error(body: Any) -> tuple[str, str] | None:
    """(kind, message) of an OAuth-style error body without Graph's ``error`` object.

    Shapes seen: ``{"error": "invalid_token", "error_description": "..."}`` (RFC 6749),
    ``{"error_type": "OAuthException", "code": 400, "error_message": "..."}`` and the same under
    ``"meta"`` (Instagram), ``{"error_code": 190, "error_msg": "..."}`` (the older REST API).
    """
    if not isinstance(body, Mapping):
        return None
    meta = body.get("meta")
    source = meta if isinstance(meta, Mapping) and meta.get("error_message") else body
    kind = source.get("error_type") or (
        source.get("error") if isinstance(source.get("error"), str) else None
    )
    text = source.get("error_description") or source.get("error_message") or source.get("error_msg")
    if not isinstance(text, str) or not text.strip():
        if not isinstance(kind, str) or not kind.strip():
            return None
        text = kind
    return (str(kind or "").strip(), text.strip())


def _code(value: Any) -> int | None:
    """An error's code or subcode (Graph sends numbers, sometimes as text)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection was never established (refused, DNS), so nothing was sent."""
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    name = type(inner).__name__
    return name in {"NewConnectionError", "NameResolutionError"} or "refused" in str(inner).lower()


def chunked(items: list[str], size: int = IDS_BATCH) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count(value: Any) -> int | None:
    """A figure of a media node or its insights: a number, else unknown (None)."""
    return int(value) if isinstance(value, (int, float)) else None


def insight_values(node: Mapping[str, Any]) -> dict[str, Any]:
    """``{metric name: latest value}`` from a node's expanded ``insights`` field.

    Lifetime metrics carry ``values: [{"value": n}]``; newer ones may carry ``total_value``.
    A value can be a number or a breakdown dict (reactions by type), returned as is.
    """
    insights = node.get("insights")
    data = insights.get("data") if isinstance(insights, Mapping) else None
    found: dict[str, Any] = {}
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, Mapping) or not item.get("name"):
            continue
        values = item.get("values")
        if isinstance(values, list) and values and isinstance(values[-1], Mapping):
            found[str(item["name"])] = values[-1].get("value")
        elif isinstance(item.get("total_value"), Mapping):
            found[str(item["name"])] = item["total_value"].get("value")
    return found


def _is_invalid_metric(exc: ConnectorError) -> bool:
    return exc.code == INVALID_PARAMETER_CODE and "metric" in exc.message.lower()


def _is_missing_object(exc: ConnectorError) -> bool:
    text = exc.message.lower()
    if exc.code == UNKNOWN_ALIAS_CODE:  # "Some of the aliases you requested do not exist"
        return True
    return exc.code == INVALID_PARAMETER_CODE and (
        "do not exist" in text or "does not exist" in text or "subcode 33" in text
    )


def _is_no_insights(exc: ConnectorError) -> bool:
    # Instagram answers code 10 "Not enough viewers for the media to show insights".
    return exc.code == 10 and "insight" in exc.message.lower()


class InsightReader:
    """Reads many objects per call (``?ids=``, 50 at most) with their insights expanded.

    Meta retires insights metrics often, and a retired one fails the whole request with error 100
    "must be a valid insights metric" without saying which. The reader then asks for each metric
    alone, drops the rejected ones (logged once per reader), and carries on with the rest, so one
    retired metric never fails a pull.
    """

    def __init__(self, client: GraphClient, metrics: list[str] | tuple[str, ...]):
        self.client = client
        self.metrics = [m for m in dict.fromkeys(metrics) if m]
        self.retired: set[str] = set()

    @property
    def active_metrics(self) -> list[str]:
        return [m for m in self.metrics if m not in self.retired]

    def _fields(self, base: str, with_insights: bool = True) -> str:
        active = self.active_metrics
        if with_insights and active:
            return f"{base},insights.metric({','.join(active)})"
        return base

    def fetch(self, ids: list[str], base_fields: str) -> dict[str, dict[str, Any]]:
        """``{id: node}`` for every id that still exists; missing objects are left out."""
        nodes: dict[str, dict[str, Any]] = {}
        for chunk in chunked(list(dict.fromkeys(ids))):
            nodes.update(self._fetch_chunk(chunk, base_fields))
        return nodes

    def snapshots(
        self,
        ids: Sequence[str],
        base_fields: str,
        build: Callable[[str, dict[str, Any], datetime], MetricSnapshot],
    ) -> list[MetricSnapshot]:
        """One snapshot per distinct id that still exists, in the order asked, all taken now.

        ``build(id, node, taken_at)`` is the platform's mapping of a node's fields and insights
        onto ``MetricSnapshot``.
        """
        nodes = self.fetch(list(ids), base_fields)
        taken_at = self.client.now()
        return [
            build(object_id, nodes[object_id], taken_at)
            for object_id in dict.fromkeys(ids)
            if object_id in nodes
        ]

    def _fetch_chunk(self, chunk: list[str], base_fields: str) -> dict[str, dict[str, Any]]:
        with_insights = True
        for _ in range(len(self.metrics) + 2):
            try:
                body = self.client.get(
                    "", {"ids": ",".join(chunk), "fields": self._fields(base_fields, with_insights)}
                )
            except Rejected as exc:
                if with_insights and self.active_metrics and _is_invalid_metric(exc):
                    if not self._retire_rejected(chunk):
                        with_insights = False  # no single metric is to blame; skip insights
                    continue
                if _is_missing_object(exc) and len(chunk) > 1:
                    return self._fetch_each(chunk, base_fields)
                if _is_missing_object(exc):
                    return {}
                raise
            except AuthError as exc:
                if _is_no_insights(exc):
                    return self._fetch_each(chunk, base_fields)
                raise
            return {key: node for key, node in body.items() if isinstance(node, dict)}
        return {}

    def _fetch_each(self, chunk: list[str], base_fields: str) -> dict[str, dict[str, Any]]:
        nodes: dict[str, dict[str, Any]] = {}
        for object_id in chunk:
            try:
                nodes[object_id] = self.client.get(object_id, {"fields": self._fields(base_fields)})
            except Rejected as exc:
                if _is_missing_object(exc):
                    continue
                if not _is_invalid_metric(exc):
                    raise
                nodes[object_id] = self.client.get(object_id, {"fields": base_fields})
            except AuthError as exc:
                if not _is_no_insights(exc):
                    raise
                nodes[object_id] = self.client.get(object_id, {"fields": base_fields})
        return nodes

    def _retire_rejected(self, chunk: list[str]) -> bool:
        """Ask for each active metric alone on one object of ``chunk``; retire those refused.

        True when at least one metric was retired. An object that no longer exists cannot tell
        a retired metric from a missing post, so the next one is asked instead.
        """
        for probe_id in chunk:
            try:
                return self._probe(probe_id)
            except Rejected as exc:
                if not _is_missing_object(exc):
                    raise
        return False

    def _probe(self, probe_id: str) -> bool:
        retired_now = False
        for metric in self.active_metrics:
            try:
                self.client.get(f"{probe_id}/insights", {"metric": metric})
            except Rejected as exc:
                if not _is_invalid_metric(exc):
                    raise
                self.retired.add(metric)
                retired_now = True
                log.warning(
                    "%s: the Graph API rejects insights metric %r (%s); dropping it from pulls",
                    self.client.platform,
                    metric,
                    exc.message,
                )
            except AuthError as exc:
                if not _is_no_insights(exc):
                    raise
        return retired_now


# -- one edge of many objects ----------------------------------------------------------------


def _is_too_much_data(exc: ConnectorError) -> bool:
    # Code 1 "Please reduce the amount of data you're asking for, then retry your request": a
    # multi-id read with an expanded edge was too heavy; fewer objects per request is the remedy.
    return exc.code == 1 and "reduce the amount of data" in exc.message.lower()


def continuation(paging: Any, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The query that reads the page after ``paging`` (an edge's ``paging`` object), or None.

    ``params`` are the edge's own query parameters; the ``after`` cursor is added to them. A
    ``next`` link without cursors gives its own query instead, without its token, to be sent to
    our own host (never to the link's).
    """
    if not isinstance(paging, Mapping) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, Mapping) else None
    if after:
        return {**params, "after": after}
    query = {k: v[-1] for k, v in parse_qs(urlsplit(str(paging["next"])).query).items()}
    query.pop("access_token", None)
    return query or None


def _edge_page(
    node: Mapping[str, Any], edge: str, where: str, platform: str
) -> tuple[list[dict[str, Any]], Any]:
    """(items, paging) of ``edge`` expanded on ``node``; Graph leaves an empty edge out."""
    value = node.get(edge)
    if value is None:
        return [], None
    data = value.get("data") if isinstance(value, Mapping) else None
    if not isinstance(data, list):
        raise TransientError(
            f"unexpected reply from {where}: {edge} of {node.get('id', 'an object')} has no data "
            "list",
            platform=platform,
        )
    return [item for item in data if isinstance(item, dict)], value.get("paging")


def read_edge_batch(
    client: GraphClient,
    ids: list[str],
    *,
    edge: str,
    expression: str,
    edge_params: Mapping[str, Any],
    want_more: Callable[[str, list[dict[str, Any]]], bool],
    max_pages: int = 50,
) -> dict[str, list[dict[str, Any]]]:
    """``{id: items}`` of one edge of many objects, in ``ceil(len(ids) / 50)`` requests plus paging.

    Each request is a multi-id node read (``GET /{version}/?ids=A,B&fields={expression}``), the
    edge expanded in ``expression`` (``comments.limit(50){...}``), so each object's first page
    arrives with the object. An object's further pages are read from its own edge
    (``/{id}/{edge}`` with ``edge_params`` and its cursor) only while there is a next page, the
    last page was not empty, and ``want_more(id, last page)`` says so: a caller reading newest
    first stops at the page that reaches back past its cursor.

    A multi-id read fails as a whole when one of its ids no longer exists (code 803 or 100/33)
    or when the reply would be too large (code 1, "reduce the amount of data"): that batch is
    read again one object per request, and objects that no longer exist are left out of the
    answer. Every other error is about the request itself (token, permission, rate limit, an
    unknown field) and is raised, typed by ``GraphClient``.
    """
    found: dict[str, list[dict[str, Any]]] = {}
    where = f"/{client.api_version}/?ids="
    for chunk in chunked(list(dict.fromkeys(ids))):
        for object_id, node in _read_nodes(client, chunk, expression).items():
            items, paging = _edge_page(node, edge, where, client.platform)
            collected = list(items)
            query = continuation(paging, edge_params)
            if query is not None and items and want_more(object_id, items):
                for page in client.pages(f"{object_id}/{edge}", query, max_pages=max_pages):
                    collected.extend(page)
                    if not want_more(object_id, page):
                        break
            found[object_id] = collected
    return found


def _read_nodes(client: GraphClient, chunk: list[str], fields: str) -> dict[str, dict[str, Any]]:
    try:
        body = client.get("", {"ids": ",".join(chunk), "fields": fields})
    except (Rejected, TransientError) as exc:
        if len(chunk) == 1 and _is_missing_object(exc):
            log.info("%s: %s no longer exists; nothing read from it", client.platform, chunk[0])
            return {}
        if len(chunk) == 1 or not (_is_missing_object(exc) or _is_too_much_data(exc)):
            raise
        log.info(
            "%s: the batch of %d objects failed as a whole (%s); reading them one by one",
            client.platform,
            len(chunk),
            exc.message,
        )
        return _read_each(client, chunk, fields)
    return {key: node for key, node in body.items() if key in chunk and isinstance(node, dict)}


def _read_each(client: GraphClient, chunk: list[str], fields: str) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for object_id in chunk:
        try:
            nodes[object_id] = client.get(object_id, {"fields": fields})
        except Rejected as exc:
            if not _is_missing_object(exc):
                raise
            log.info("%s: %s no longer exists; nothing read from it", client.platform, object_id)
    return nodes


# -- recognising our own posts and reading comments, for both connectors --------------------


def normalise_text(text: str) -> str:
    """Whitespace-insensitive form used to recognise our own post among an account's posts."""
    return " ".join(text.split())


def text_with_link(text: str, link: str | None) -> str:
    """``text`` with ``link`` at its end, for posts that take no separate link field."""
    if link and link not in text:
        return f"{text}\n\n{link}"
    return text


def find_recent_match(
    client: GraphClient,
    path: str,
    params: Mapping[str, Any],
    *,
    texts: Iterable[str],
    since: datetime,
    text_field: str,
    time_field: str,
    url_field: str,
    fallback_url: Callable[[str], str] = lambda _object_id: "",
    max_pages: int = 50,
) -> Published | None:
    """The newest item on the edge at ``path``, created since ``since``, with one of ``texts``.

    The edge must list newest first (a Page's posts, an account's media): the scan stops at the
    first item older than ``since``. Texts are compared after ``normalise_text``. The field names
    are the platform's (``message``/``created_time``/``permalink_url`` on a Page, ``caption``/
    ``timestamp``/``permalink`` on Instagram); ``fallback_url(id)`` stands in for a missing link.
    """
    wanted = {normalise_text(text) for text in texts}
    for page in client.pages(path, params, max_pages=max_pages):
        for item in page:
            created = graph_time_or_none(item.get(time_field))
            if created is not None and created < since:
                return None  # newest first: everything further is older still
            if normalise_text(str(item.get(text_field) or "")) in wanted and item.get("id"):
                object_id = str(item["id"])
                return Published(
                    platform_id=object_id,
                    url=str(item.get(url_field) or fallback_url(object_id)),
                    published_at=created or client.now(),
                )
    return None


def reply_id_from(body: Mapping[str, Any], platform: str) -> str:
    """The new comment's id from a reply's answer (``{"id": ...}``); a success without one
    leaves the outcome unknown."""
    reply_id = str(body.get("id") or "")
    if not reply_id:
        raise OutcomeUnknown(
            "the reply was accepted but the answer named no comment id", platform=platform
        )
    return reply_id


def find_own_reply(
    client: GraphClient,
    path: str,
    params: Mapping[str, Any],
    *,
    text: str,
    own_id: str | None,
    text_field: str,
    time_field: str,
    since: datetime,
    url: Callable[[str, Mapping[str, Any]], str],
) -> Published | None:
    """The first answer on the edge at ``path`` (a comment's replies) that the account wrote
    with ``text`` since ``since``, its link from ``url(id, item)``; None when there is none.

    An answer is another's when its ``from`` names another id than ``own_id`` or Threads marks
    it ``is_reply_owned_by_me: false``; an item without either (Graph hides ``from`` in some
    cases) is matched on text and time alone.
    """
    wanted = normalise_text(text)
    skew = timedelta(minutes=5)  # our clock and Graph's may disagree a little
    for page in client.pages(path, params):
        for item in page:
            author = item.get("from") if isinstance(item.get("from"), dict) else {}
            if author.get("id") and str(author["id"]) != own_id:
                continue
            if item.get("is_reply_owned_by_me") is False:
                continue
            created = graph_time_or_none(item.get(time_field))
            if created is not None and created < since - skew:
                continue
            if item.get("id") and normalise_text(str(item.get(text_field) or "")) == wanted:
                reply_id = str(item["id"])
                return Published(
                    platform_id=reply_id,
                    url=url(reply_id, item),
                    published_at=created or client.now(),
                )
    return None


def read_comments_batch(
    client: GraphClient,
    cursors: Mapping[str, datetime | None],
    *,
    edge_params: Mapping[str, Any],
    comments_of: Callable[[str, list[dict[str, Any]]], Iterable[Comment]],
    newest_first_by: str | None,
) -> dict[str, list[Comment]]:
    """Comments of many posts: post id -> those at or after that post's cursor, read with
    ``read_edge_batch`` on the ``comments`` edge, asked with ``edge_params`` (expanded in the
    multi-id read as ``edge_expansion`` writes them, and as they are for further pages);
    ``comments_of(post id, items)`` makes them.
    Where the edge lists newest first by the time field ``newest_first_by``, a post's further
    pages are read only while its last page held nothing older than its cursor; otherwise
    every page is read. Posts that no longer exist are left out of the answer."""
    since = {str(post_id): cursor for post_id, cursor in cursors.items()}

    def want_more(post_id: str, page: list[dict[str, Any]]) -> bool:
        cursor = since.get(post_id)
        if cursor is None or newest_first_by is None:
            return True
        times = (graph_time_or_none(item.get(newest_first_by)) for item in page)
        return not any(t is not None and t < cursor for t in times)

    items = read_edge_batch(
        client,
        list(since),
        edge="comments",
        expression=edge_expansion("comments", edge_params),
        edge_params=edge_params,
        want_more=want_more,
    )
    return {
        post_id: comments_since(comments_of(post_id, raw), since.get(post_id))
        for post_id, raw in items.items()
    }


def edge_expansion(edge: str, params: Mapping[str, Any]) -> str:
    """An edge's request parameters as a field expansion, the same request inside a node read:
    ``{"fields": "id,text", "limit": 50}`` -> ``comments.limit(50){id,text}``."""
    modifiers = "".join(f".{name}({value})" for name, value in params.items() if name != "fields")
    return f"{edge}{modifiers}{{{params['fields']}}}"


def comments_since(comments: Iterable[Comment], cursor: datetime | None) -> list[Comment]:
    """One of each comment (the last seen per id) at or after ``cursor``, oldest first.

    Ties in time are ordered by id so a batch answer is stable from one pull to the next.
    """
    found = {c.platform_id: c for c in comments if cursor is None or c.created_at >= cursor}
    return sorted(found.values(), key=lambda c: (c.created_at, c.platform_id))
