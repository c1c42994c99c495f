"""X (Twitter) connector: API v2 through tweepy, media through ``POST /2/media/upload``.

Why each call is made the way it is (the base-URL rewrite that signs for the sandbox, media,
private metrics, reply search, ``find_published``) and how every error maps onto
``connectors.errors``: docs/connector-x.md.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partialmethod
from typing import TYPE_CHECKING, Any

import requests
import tweepy
from requests_oauthlib import OAuth1

from connectors.base import Comment, MetricSnapshot, Published, utc_now
from connectors.common import enabled_section, require_http_url
from connectors.errors import (
    AuthError,
    ConnectorError,
    ConnectorUnavailable,
    DuplicateContent,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.media import prepare_media
from connectors.platforms import PlatformConnector
from connectors.x_video import upload_video

if TYPE_CHECKING:
    from config import Settings
    from connectors.base import Clock, MediaFile, OutgoingPost, OutgoingReply, ResumeHook, Sleep

log = logging.getLogger(__name__)

PLATFORM = "x"
TWEEPY_HOST = "https://api.twitter.com"

# Search query length on the basic/pay-per-use recent search (X rate-limit table).
MAX_QUERY_LENGTH = 512
SEARCH_WINDOW = timedelta(days=7)
# Recent search rejects a start_time at the edge of its window; stay a little inside it.
_SEARCH_WINDOW_MARGIN = timedelta(minutes=5)
PAGE_SIZE = 100
_CLOCK_SKEW = timedelta(minutes=5)
# A safety stop for paging; 50 pages of 100 is far beyond one department's week.
MAX_PAGES = 50

_TWEET_FIELDS_METRICS = ["public_metrics", "non_public_metrics", "organic_metrics", "created_at"]
_TWEET_FIELDS_PUBLIC = ["public_metrics", "created_at"]
_PRIVATE_FIELDS = ("non_public_metrics", "organic_metrics")

# X snowflake ids carry their creation time: milliseconds since this epoch, shifted by 22 bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_START = datetime(2010, 11, 5, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# Secrets never reach the logs
# --------------------------------------------------------------------------------------------


class _SecretRedactor(logging.Filter):
    """Replaces known credential values, bearer tokens and OAuth header values in log records.

    tweepy logs request headers at DEBUG (a bearer token in clear); requests-oauthlib logs the
    signed ``Authorization`` header and oauthlib the signature base string (consumer key and
    access token). The filter sits on those loggers, so a developer running with ``-vv`` still
    sees the requests, without the keys.
    """

    _PATTERNS = (
        re.compile(r"(Bearer\s+)[^\s'\",}]+"),
        re.compile(r"(OAuth\s+)[^'\"}]+"),
        re.compile(r"((?:oauth_(?:consumer_key|token|signature|nonce))=)[^&\s'\",]+"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        with self._lock:
            # Very short values would blank out unrelated text; real keys are long.
            self._secrets.update(v for v in values if v and len(v) >= 6)

    def redact(self, text: str) -> str:
        for pattern in self._PATTERNS:
            text = pattern.sub(r"\1***", text)
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours to hide
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_REDACTOR = _SecretRedactor()
# Filters apply to records logged on the logger itself, so each module logger is named.
_CHATTY_LOGGERS = (
    "tweepy.client",
    "requests_oauthlib.oauth1_auth",
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
)
for _name in _CHATTY_LOGGERS:
    logging.getLogger(_name).addFilter(_REDACTOR)


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _BaseUrlSession(requests.Session):
    """A session that sends tweepy's ``https://api.twitter.com`` calls to ``base_url``.

    The rewrite happens in ``request()``, before the request is prepared and signed, so the
    OAuth 1.0a signature matches the URL on the wire (a transport adapter rewriting after
    signing would send a signature computed for another host). It also supplies the timeout
    tweepy never passes.
    """

    def __init__(self, base_url: str, timeout: float):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = (min(10.0, timeout), timeout)
        self._last = threading.local()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any):  # type: ignore[override]
        if isinstance(url, str) and url.startswith(TWEEPY_HOST):
            url = self.base_url + url[len(TWEEPY_HOST) :]
        kwargs.setdefault("timeout", self.timeout)
        self._last.response = None
        response = super().request(method, url, *args, **kwargs)
        self._last.response = response
        return response

    def last_response(self) -> requests.Response | None:
        """This thread's latest answer: tweepy's error classes read an error body that is not
        a JSON object (``null``, a list) with ``.get`` and fail on it; the answer is then
        mapped from here instead."""
        return getattr(self._last, "response", None)


def _parse_json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _body_kind(response: requests.Response) -> str:
    ctype = response.headers.get("content-type", "")
    if "html" in ctype or response.text.lstrip()[:1] == "<":
        return "an HTML page"
    return "a body that is not JSON"


def _problem_text(body: Any) -> tuple[str, str, str]:
    """(title, detail, type) from an X error body: a Problem or ``{"errors": [...]}``."""
    if not isinstance(body, dict):
        return "", "", ""
    title = str(body.get("title") or "")
    detail = str(body.get("detail") or "")
    kind = str(body.get("type") or "")
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    if errors:
        first = errors[0]
        title = title or str(first.get("title") or "")
        kind = kind or str(first.get("type") or "")
        if not kind and first.get("code") is not None:
            kind = f"code {first['code']}"
        # A 400's detail is generic ("One or more parameters ... invalid"); the entries say which.
        said = [str(e.get("message") or e.get("detail") or "") for e in errors[:3]]
        said = [m for m in said if m and m != detail]
        if said:
            detail = f"{detail} ({'; '.join(said)})" if detail else "; ".join(said)
    return title, detail, kind


_RATE_WINDOWS = (
    ("x-rate-limit-remaining", "x-rate-limit-reset"),  # the endpoint's 15-minute window
    ("x-user-limit-24hour-remaining", "x-user-limit-24hour-reset"),
    ("x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"),
)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def rate_limit_reset(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """When to try again after a 429, from X's rate-limit headers.

    Rule: of the windows reporting ``remaining: 0``, the latest reset (all of them must have
    reset before a request can pass: a spent 24-hour window outranks a 15-minute one). When no
    window says it is spent, the earliest reset given: trying then is cheap and the next answer
    says more. No reset header at all: ``None`` (the daemon backs off on its own).
    """
    spent: list[int] = []
    known: list[int] = []
    for remaining_name, reset_name in _RATE_WINDOWS:
        reset = _header_int(headers, reset_name)
        if reset is None:
            continue
        known.append(reset)
        if _header_int(headers, remaining_name) == 0:
            spent.append(reset)
    chosen = max(spent) if spent else (min(known) if known else None)
    if chosen is None:
        return None
    try:
        return max(datetime.fromtimestamp(chosen, UTC), now)
    except (OverflowError, OSError, ValueError):  # a reset no clock can reach: not a time
        return None


_CREDITS_MESSAGE = (
    "the X account's API credits ran out ({why}); X refuses requests until credits are added "
    "or the usage period renews (developer console: console.x.com)"
)


def _error_from_response(
    response: requests.Response, *, mutating: bool, now: datetime, action: str
) -> ConnectorError:
    """Map an X error response onto the connector error types (see module docstring)."""
    status = response.status_code
    body = _parse_json(response)
    title, detail, kind = _problem_text(body)
    said = detail or title or (f"X answered with {_body_kind(response)}" if body is None else "")
    where = f"{action}: {status} {response.reason or ''}".rstrip()
    message = f"{where}: {said}" if said else where
    lowered = f"{title} {detail} {kind}".lower()

    if status == 401:
        return AuthError(
            f"{message}; check the x.api_key/api_secret/access_token/access_token_secret "
            "settings (tokens may have been regenerated)",
            platform=PLATFORM,
            code=status,
        )
    if status == 402 or "usage-capped" in lowered or "usagecapexceeded" in lowered:
        return Rejected(
            _CREDITS_MESSAGE.format(why=f"{status}: {detail or title or 'payment required'}"),
            platform=PLATFORM,
            code=status,
        )
    if status == 429:
        return RateLimited(
            message,
            reset_at=rate_limit_reset(response.headers, now),
            platform=PLATFORM,
            code=status,
        )
    if status == 403:
        if "duplicate" in lowered or "code 187" in lowered:
            return DuplicateContent(message, platform=PLATFORM, code=status)
        if any(
            marker in lowered
            for marker in ("client-forbidden", "oauth1-permissions", "unsupported-authentication")
        ):
            return AuthError(
                f"{message}; the X app lacks the access or permissions this needs "
                "(read and write, attached to a project)",
                platform=PLATFORM,
                code=status,
            )
        return Rejected(message, platform=PLATFORM, code=status)
    if status == 503 and isinstance(body, dict):
        # X itself answering 503 (JSON: "Service Unavailable", v1.1 code 130 "Over capacity")
        # refuses the request at the door. A 503 page from a proxy, or any other 5xx, may come
        # after the request reached the service, so a write stays unknown (below).
        return TransientError(
            f"{message}; X is over capacity, nothing was applied", platform=PLATFORM, code=status
        )
    if status >= 500 or status in (408, 425):
        if mutating:
            return OutcomeUnknown(
                f"{message}; the request reached X and may have been applied",
                platform=PLATFORM,
                code=status,
            )
        return TransientError(message, platform=PLATFORM, code=status)
    if 400 <= status < 500:
        return Rejected(message, platform=PLATFORM, code=status)
    # 1xx/3xx where an answer was expected: nothing usable came back.
    if mutating:
        return OutcomeUnknown(message, platform=PLATFORM, code=status)
    return TransientError(message, platform=PLATFORM, code=status)


def _never_sent(exc: BaseException) -> bool:
    """True when the connection failed before any byte of the request left (refused, DNS)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectionRefusedError"):
            return True
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return False


def _error_from_transport(exc: requests.RequestException, *, mutating: bool, action: str):
    """Map a requests transport failure (no HTTP answer) onto the connector error types."""
    if _never_sent(exc):
        return TransientError(
            f"{action}: X could not be reached; nothing was sent",
            platform=PLATFORM,
        )
    # In words, not the exception's class name ("ConnectionError" means nothing to a PIO).
    if isinstance(exc, requests.Timeout):
        what = "no answer in time"
    elif isinstance(exc, requests.ConnectionError):
        what = "the connection to X broke"
    else:
        what = "the request to X failed"
    if mutating:
        return OutcomeUnknown(
            f"{action}: {what} after the request was sent; X may have applied it "
            "(it is checked on X before anything is sent again)",
            platform=PLATFORM,
        )
    return TransientError(f"{action}: {what}", platform=PLATFORM)


# --------------------------------------------------------------------------------------------
# Text matching and helpers
# --------------------------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_LEADING_MENTIONS = re.compile(r"^\s*(?:@\w+\s+)+")
_LINK = "\u27e8link\u27e9"  # placeholder that cannot occur in campaign text by accident
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form two renderings of one post share on X.

    X returns post text HTML-escaped (``&amp;``), rewrites every link to a ``t.co`` short link
    and may differ in whitespace and Unicode composition. So: unescape, NFC, every URL replaced
    by one placeholder, whitespace runs collapsed, ends stripped.
    """
    text = unicodedata.normalize("NFC", html.unescape(text))
    text = _URL.sub(_LINK, text)
    return _SPACES.sub(" ", text).strip()


def _matches(ours: str, theirs: str, media_count: int) -> bool:
    """Does X's ``theirs`` show our rendered ``ours``?

    Equal after ``normalise_text``; X also appends one ``t.co`` link per attached media item at
    the end of the text, so up to ``media_count`` extra trailing links are ignored.
    """
    mine, seen = normalise_text(ours), normalise_text(theirs)
    if mine == seen:
        return True
    for _ in range(media_count):
        if not seen.endswith(_LINK):
            return False
        seen = seen[: -len(_LINK)].rstrip()
        if mine == seen:
            return True
    return False


def _expanded_urls(tweet: Mapping[str, Any]) -> set[str]:
    urls = (tweet.get("entities") or {}).get("urls") or []
    return {
        u["expanded_url"]
        for u in urls
        if isinstance(u, dict) and u.get("expanded_url") and not u.get("media_key")
    }


def snowflake_time(post_id: str, now: datetime | None = None) -> datetime | None:
    """Creation time encoded in an X id, or None when the id is not a plausible snowflake
    (before snowflakes existed, or, when ``now`` is given, more than a day after it)."""
    try:
        value = int(post_id)
        created = datetime.fromtimestamp(((value >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, UTC)
    except (ValueError, OverflowError, OSError):  # not a number, or far beyond any real time
        return None
    # Pre-snowflake ids (and small test ids) decode to the epoch itself: not a time.
    if created < _SNOWFLAKE_START or (now is not None and created > now + timedelta(days=1)):
        return None
    return created


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def build_conversation_queries(
    post_ids: Sequence[str], max_length: int = MAX_QUERY_LENGTH
) -> list[tuple[str, list[str]]]:
    """Group conversations into as few recent-search queries as the query length allows.

    Each query is ``(conversation_id:A OR conversation_id:B ...) -is:retweet``: retweets of a
    reply repeat it and are not comments.
    """
    suffix = " -is:retweet"
    queries: list[tuple[str, list[str]]] = []
    group: list[str] = []

    def render(ids: list[str]) -> str:
        terms = " OR ".join(f"conversation_id:{i}" for i in ids)
        return (f"({terms})" if len(ids) > 1 else terms) + suffix

    for post_id in post_ids:
        candidate = [*group, post_id]
        if group and len(render(candidate)) > max_length:
            queries.append((render(group), group))
            group = [post_id]
        else:
            group = candidate
    if group:
        queries.append((render(group), group))
    return queries


@dataclass(frozen=True)
class _Account:
    user_id: str
    username: str | None


# --------------------------------------------------------------------------------------------
# The connector
# --------------------------------------------------------------------------------------------


class XConnector(PlatformConnector, platform="x"):
    """Posts, metrics and replies for one X account. Build with ``from_settings``."""

    # Video (connectors/x_video.py): the daemon's resume hook, how long to wait for X to
    # process an upload, and the clock and sleep used while waiting (tests replace them).
    on_resume: ResumeHook | None = None
    processing_deadline: float = 600.0
    _sleep = staticmethod(time.sleep)
    _monotonic = staticmethod(time.monotonic)

    def __init__(
        self,
        *,
        api_key: str,
        api_secret: str,
        access_token: str,
        access_token_secret: str,
        bearer_token: str | None = None,
        user_id: str | None = None,
        username: str | None = None,
        base_url: str = "https://api.x.com",
        timeout_seconds: float = 30.0,
        clock: Clock | None = None,
    ):
        _REDACTOR.add(api_key, api_secret, access_token, access_token_secret, bearer_token)
        self._clock = clock or utc_now
        self.base_url = base_url.rstrip("/")
        self._session = _BaseUrlSession(self.base_url, timeout_seconds)
        self._oauth = OAuth1(api_key, api_secret, access_token, access_token_secret)
        self._client = tweepy.Client(
            bearer_token=bearer_token,
            consumer_key=api_key,
            consumer_secret=api_secret,
            access_token=access_token,
            access_token_secret=access_token_secret,
            return_type=requests.Response,  # we parse JSON ourselves, so errors stay typed
            wait_on_rate_limit=False,
        )
        self._client.session = self._session
        # Recent search has a separate, larger app-level pool under the bearer token.
        self._search_user_auth = bearer_token is None
        self._account = _Account(user_id, username) if user_id else None
        self._username = username

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Clock | None = None, sleep: Sleep | None = None
    ) -> XConnector:
        # X never waits in-process: ``sleep`` is not used.
        x = enabled_section(settings, PLATFORM)
        keys = {
            "api_key": x.api_key,
            "api_secret": x.api_secret,
            "access_token": x.access_token,
            "access_token_secret": x.access_token_secret,
        }
        missing = [
            name for name, value in keys.items() if not value or not value.get_secret_value()
        ]
        if missing:
            env = ", ".join(f"BEATPOST_X__{name.upper()}" for name in missing)
            raise ConnectorUnavailable(
                f"X needs the account's OAuth 1.0a keys; missing: {', '.join(missing)} "
                f"(set {env} or put them in the secrets file)",
                platform=PLATFORM,
            )
        require_http_url(PLATFORM, x.base_url)
        return cls(
            api_key=keys["api_key"].get_secret_value(),  # type: ignore[union-attr]
            api_secret=keys["api_secret"].get_secret_value(),  # type: ignore[union-attr]
            access_token=keys["access_token"].get_secret_value(),  # type: ignore[union-attr]
            access_token_secret=keys["access_token_secret"].get_secret_value(),  # type: ignore[union-attr]
            bearer_token=x.bearer_token.get_secret_value() if x.bearer_token else None,
            user_id=x.user_id,
            username=x.username,
            base_url=x.base_url,
            timeout_seconds=x.timeout_seconds,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"XConnector(base_url={self.base_url!r}, user_id={self._user_id_or_none()!r})"

    # -- protocol ----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> Published:
        """Upload media (metadata stripped, alt text set), then create the post.

        Failures before the create call never leave a post behind, so they are retryable or
        permanent; from the create call on, a lost answer is ``OutcomeUnknown``.
        """
        media_ids = [
            upload_video(self, item, post) if item.is_video else self._upload_media(item)
            for item in post.media
        ]
        payload: dict[str, Any] = {"text": post.text, "user_auth": True}
        if media_ids:
            payload["media_ids"] = media_ids
        post.check_go_ahead(PLATFORM)  # uploads take time; a pause may have arrived
        body = self._call("create post", self._client.create_tweet, mutating=True, **payload)
        data = body.get("data") if isinstance(body, dict) else None
        post_id = str(data.get("id", "")) if isinstance(data, dict) else ""
        if not post_id:
            _title, detail, _kind = _problem_text(body)
            raise OutcomeUnknown(
                f"create post: X answered without a post id ({detail or 'no data'}); "
                "the post may exist",
                platform=PLATFORM,
            )
        # The id encodes the creation time on X's clock; ours is only the fallback.
        published_at = snowflake_time(post_id) or self._clock()
        log.info("x: published %s (%d media)", post_id, len(media_ids))
        return Published(
            platform_id=post_id, url=self._post_url(post_id), published_at=published_at
        )

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The account's own post since ``since`` showing ``post``'s text, if there is one.

        Match rule (``_matches``): equal after unescaping, Unicode NFC, whitespace collapsed and
        every link (X shows them as t.co) replaced by one placeholder; trailing media links are
        ignored. When several posts match, one whose expanded links equal the post's link wins,
        else the earliest: at most once means a lookalike counts as published.
        """
        # Our clock and X's may disagree by a little; a wider window only adds candidates.
        start = since.astimezone(UTC) - _CLOCK_SKEW
        candidates = [
            tweet
            for tweet in self._own_posts(
                "read own posts", start, ["retweets", "replies"], "entities"
            )
            if _matches(post.text, str(tweet.get("text", "")), len(post.media))
        ]
        if not candidates:
            return None
        wanted = set(_URL.findall(post.text)) | ({post.link} if post.link else set())
        exact = [t for t in candidates if wanted and wanted <= _expanded_urls(t)]
        chosen = min(exact or candidates, key=lambda t: _parse_time(t.get("created_at")) or start)
        published_at = _parse_time(chosen.get("created_at")) or snowflake_time(str(chosen["id"]))
        return Published(
            platform_id=str(chosen["id"]),
            url=self._post_url(str(chosen["id"])),
            published_at=published_at or self._clock(),
        )

    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        """Engagement of ``platform_ids``, 100 per request; private metrics where X gives them."""
        ids = list(dict.fromkeys(str(i) for i in platform_ids))
        if not ids:
            return []
        now = self._clock()
        cutoff = now - timedelta(days=self.limits.private_metrics_days or 30)
        young = [i for i in ids if (snowflake_time(i, now) or now) > cutoff]
        young_set = set(young)
        old = [i for i in ids if i not in young_set]
        found: dict[str, dict[str, Any]] = {}
        retry_public: list[str] = []
        batch = self.limits.metrics_batch
        for chunk in _chunks(young, batch):
            tweets, refused = self._lookup(chunk, _TWEET_FIELDS_METRICS)
            found.update(tweets)
            retry_public.extend(refused)
        for chunk in _chunks(old + retry_public, batch):
            tweets, _refused = self._lookup(chunk, _TWEET_FIELDS_PUBLIC)
            found.update(tweets)
        taken_at = self._clock()
        return [_snapshot(found[i], taken_at) for i in ids if i in found]

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        """Replies to one post newer than ``since`` (X searches the last 7 days only)."""
        return self.fetch_comments_batch({platform_id: since}).get(platform_id, [])

    # -- beyond the protocol -----------------------------------------------------------------

    def fetch_comments_batch(
        self, cursors: Mapping[str, datetime | None]
    ) -> dict[str, list[Comment]]:
        """Replies for several posts at once: post id -> replies newer than that post's cursor.

        Conversations are OR'ed into queries of at most 512 characters. A query's window
        starts at its earliest cursor; with a post that has no cursor yet, or a cursor older
        than the 7-day search window, no ``start_time`` is sent and X searches its whole
        window. Each post's replies are then cut at its own cursor.
        """
        now = self._clock()
        window_start = now - SEARCH_WINDOW + _SEARCH_WINDOW_MARGIN
        result: dict[str, list[Comment]] = {str(pid): [] for pid in cursors}
        own_id = self._user_id_or_none()
        for query, group in build_conversation_queries(list(result)):
            starts = [cursors[pid] for pid in group]
            start = None if None in starts else min(s for s in starts if s is not None)
            if start is not None and start < window_start:
                start = None
            users: dict[str, str] = {}
            for page, includes in self._search(query, start):
                for user in includes.get("users", []) or []:
                    if isinstance(user, dict) and user.get("id"):
                        users[str(user["id"])] = str(user.get("username") or user["id"])
                for tweet in page:
                    comment = self._comment(tweet, users, own_id)
                    if comment is None or comment.post_platform_id not in result:
                        continue
                    cursor = cursors.get(comment.post_platform_id)
                    if cursor is not None and comment.created_at <= cursor:
                        continue
                    result[comment.post_platform_id].append(comment)
        for comments in result.values():
            comments.sort(key=lambda c: (c.created_at, c.platform_id))
        return result

    def delete(self, platform_id: str) -> bool:
        """Delete one of the account's posts (sandbox clean-up, mistaken posts)."""
        body = self._call(
            "delete post", self._client.delete_tweet, platform_id, mutating=True, user_auth=True
        )
        data = body.get("data") if isinstance(body, dict) else None
        return bool(isinstance(data, dict) and data.get("deleted"))

    def reply(self, reply: OutgoingReply) -> Published:
        """Answer one comment: ``POST /2/tweets`` with ``reply.in_reply_to_tweet_id``.

        A lost answer is ``OutcomeUnknown``: the reply may exist (``find_reply`` decides)."""
        body = self._call(
            "reply",
            self._client.create_tweet,
            mutating=True,
            text=reply.text,
            in_reply_to_tweet_id=reply.comment_id,
            user_auth=True,
        )
        data = body.get("data") if isinstance(body, dict) else None
        reply_id = str(data.get("id", "")) if isinstance(data, dict) else ""
        if not reply_id:
            raise OutcomeUnknown(
                "reply: X answered without a post id; the reply may exist", platform=PLATFORM
            )
        return Published(
            platform_id=reply_id,
            url=self._post_url(reply_id),
            published_at=snowflake_time(reply_id) or self._clock(),
        )

    def find_reply(self, reply: OutgoingReply, since: datetime) -> Published | None:
        """The account's own post since ``since`` that replies to ``reply.comment_id`` with
        ``reply``'s text (the account's timeline includes its replies)."""
        start = since.astimezone(UTC) - _CLOCK_SKEW
        for tweet in self._own_posts("read own replies", start, ["retweets"], "referenced_tweets"):
            answers = {
                str(ref.get("id"))
                for ref in tweet.get("referenced_tweets") or []
                if isinstance(ref, dict) and ref.get("type") == "replied_to"
            }
            # X may show a reply with the @handles it answers in front of its text.
            shown = _LEADING_MENTIONS.sub("", str(tweet.get("text", "")))
            if reply.comment_id in answers and _matches(
                _LEADING_MENTIONS.sub("", reply.text), shown, 0
            ):
                found = str(tweet["id"])
                return Published(
                    platform_id=found,
                    url=self._post_url(found),
                    published_at=_parse_time(tweet.get("created_at"))
                    or snowflake_time(found)
                    or self._clock(),
                )
        return None

    # -- internals ---------------------------------------------------------------------------

    def _own_posts(
        self, action: str, start: datetime, exclude: list[str], field: str
    ) -> Iterator[dict[str, Any]]:
        """The account's own posts from ``start`` on, newest first, with ``created_at`` and
        ``field``; ``exclude`` names the kinds left out ("retweets", "replies")."""
        account = self._resolve_account()
        for page, _includes in self._pages(
            action,
            self._client.get_users_tweets,
            account.user_id,
            "pagination_token",
            start_time=start,
            max_results=PAGE_SIZE,
            exclude=exclude,
            tweet_fields=["created_at", field],
            user_auth=True,
        ):
            yield from page

    def _call(
        self,
        action: str,
        method: Callable[..., Any],
        *args: Any,
        mutating: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Run one tweepy call and return its parsed JSON; every failure becomes a typed error."""
        try:
            response = method(*args, **kwargs)
        except tweepy.HTTPException as exc:
            raise _error_from_response(
                exc.response, mutating=mutating, now=self._clock(), action=action
            ) from None
        except requests.RequestException as exc:
            raise _error_from_transport(exc, mutating=mutating, action=action) from None
        except tweepy.TweepyException as exc:
            # tweepy's own checks (missing arguments) mean our request was wrong: permanent.
            raise Rejected(f"{action}: {exc}", platform=PLATFORM) from None
        except (AttributeError, TypeError, KeyError, ValueError):
            # tweepy choked on a malformed error answer (an error body that is not a JSON
            # object, a non-numeric x-rate-limit-reset on a 429; see
            # _BaseUrlSession.last_response): map the answer itself.
            answered = self._session.last_response()
            if answered is None or answered.ok:
                raise
            raise _error_from_response(
                answered, mutating=mutating, now=self._clock(), action=action
            ) from None
        return self._json(response, action=action, mutating=mutating)

    def _json(self, response: requests.Response, *, action: str, mutating: bool) -> Any:
        body = _parse_json(response)
        if not isinstance(body, dict):  # every X API v2 answer is a JSON object
            what = _body_kind(response) if body is None else "JSON that is not an object"
            message = f"{action}: X answered {response.status_code} with {what}"
            if mutating:
                raise OutcomeUnknown(
                    f"{message}; the request may have been applied", platform=PLATFORM
                )
            raise TransientError(message, platform=PLATFORM)
        return body

    def _pages(
        self,
        action: str,
        method: Callable[..., Any],
        first_arg: Any,
        token_param: str,
        **params: Any,
    ) -> Iterator[tuple[list[dict[str, Any]], dict[str, Any]]]:
        """One pager for every list endpoint: follows ``meta.next_token`` until it ends."""
        token: str | None = None
        for _ in range(MAX_PAGES):
            call_params = dict(params)
            if token:
                call_params[token_param] = token
            body = self._call(action, method, first_arg, **call_params)
            data = body.get("data") or []
            yield [t for t in data if isinstance(t, dict)], body.get("includes") or {}
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return
        log.warning("%s: stopped after %d pages", action, MAX_PAGES)

    def _search(
        self, query: str, start: datetime | None
    ) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
        """All result pages of one recent search.

        X refuses a ``start_time`` outside its 7-day window with a 400. Our clock and the
        platform's can disagree (skew; the sandbox's simulated time), so that refusal is met
        once by searching X's default window instead; the cursor filter keeps the result exact.
        """
        try:
            return list(self._search_pages(query, start))
        except Rejected as exc:
            if start is None or exc.code != 400 or "start_time" not in exc.message:
                raise
            log.info("x: search window refused start_time %s; using X's default", start)
            return list(self._search_pages(query, None))

    def _search_pages(
        self, query: str, start: datetime | None
    ) -> Iterator[tuple[list[dict[str, Any]], dict[str, Any]]]:
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "tweet_fields": ["author_id", "conversation_id", "created_at", "referenced_tweets"],
            "expansions": ["author_id"],
            "user_fields": ["username"],
            "user_auth": self._search_user_auth,
        }
        if start is not None:
            params["start_time"] = start.astimezone(UTC)
        yield from self._pages(
            "search replies", self._client.search_recent_tweets, query, "next_token", **params
        )

    def _lookup(
        self, ids: list[str], fields: list[str]
    ) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """Look ``ids`` up; return found posts and the ids X refused private fields for."""
        body = self._call(
            "read metrics", self._client.get_tweets, ids, tweet_fields=fields, user_auth=True
        )
        found = {
            str(t["id"]): t for t in body.get("data") or [] if isinstance(t, dict) and "id" in t
        }
        refused: list[str] = []
        private = any(f in fields for f in _PRIVATE_FIELDS)
        for problem in body.get("errors") or []:
            if not isinstance(problem, dict):
                continue
            resource = str(problem.get("resource_id") or problem.get("value") or "")
            kind = str(problem.get("type") or "")
            if private and "authorized" in kind and resource and resource not in found:
                refused.append(resource)
            elif resource and resource not in found:
                log.info(
                    "x: post %s not available for metrics: %s",
                    resource,
                    problem.get("detail") or kind,
                )
        return found, list(dict.fromkeys(refused))

    def _comment(
        self, tweet: Mapping[str, Any], users: Mapping[str, str], own_id: str | None
    ) -> Comment | None:
        tweet_id = str(tweet.get("id") or "")
        conversation = str(tweet.get("conversation_id") or "")
        created = _parse_time(tweet.get("created_at"))
        if not tweet_id or not conversation or created is None or tweet_id == conversation:
            return None
        author_id = str(tweet.get("author_id") or "")
        if own_id and author_id == own_id:
            return None  # the department's own answers in the thread are not audience comments
        author = users.get(author_id, author_id or "unknown")
        parent = next(
            (
                str(ref.get("id"))
                for ref in tweet.get("referenced_tweets") or []
                if isinstance(ref, dict) and ref.get("type") == "replied_to"
            ),
            None,
        )
        return Comment(
            platform_id=tweet_id,
            post_platform_id=conversation,
            author=author,
            text=html.unescape(str(tweet.get("text") or "")),
            created_at=created,
            url=f"https://x.com/{author}/status/{tweet_id}",
            parent_id=parent if parent and parent != conversation else None,
        )

    def _upload_media(self, media: MediaFile) -> str:
        """Prepared image -> ``POST /2/media/upload``; alt text -> ``POST /2/media/metadata``.

        Nothing is posted yet, so every failure here is safe to retry (an orphan upload expires
        on its own); a lost answer is therefore transient, never ``OutcomeUnknown``.
        """
        prepared = prepare_media(media, self.limits)
        category = "tweet_gif" if prepared.mime_type == "image/gif" else "tweet_image"
        body = self._raw_post(
            "upload media",
            "/2/media/upload",
            files={"media": (prepared.filename, prepared.data, prepared.mime_type)},
            data={"media_category": category},
        )
        data = body.get("data") if isinstance(body, dict) else None
        media_id = str(data.get("id") or "") if isinstance(data, dict) else ""
        if not media_id:
            raise TransientError("upload media: X answered without a media id", platform=PLATFORM)
        processing = (data or {}).get("processing_info") or {}
        if processing.get("state") == "failed":
            raise Rejected(
                f"upload media: X could not process {prepared.filename}", platform=PLATFORM
            )
        alt_text = (media.alt_text or "").strip()
        if alt_text:
            limit = self.limits.max_alt_text or 1000
            self._raw_post(
                "set alt text",
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": alt_text[:limit]}}},
            )
        return media_id

    def _raw(self, method: str, action: str, path: str, **kwargs: Any) -> Any:
        """A v2 call outside tweepy (media upload and its metadata), OAuth 1.0a signed; errors
        mapped as not publishing: these steps make nothing public."""
        try:
            response = self._session.request(
                method, self.base_url + path, auth=self._oauth, **kwargs
            )
        except requests.RequestException as exc:
            raise _error_from_transport(exc, mutating=False, action=action) from None
        if not response.ok:
            raise _error_from_response(response, mutating=False, now=self._clock(), action=action)
        return self._json(response, action=action, mutating=False)

    _raw_post = partialmethod(_raw, "POST")
    _raw_get = partialmethod(_raw, "GET")

    def _user_id_or_none(self) -> str | None:
        return self._account.user_id if self._account else None

    def _resolve_account(self) -> _Account:
        """The account's id (and handle): from settings, else asked once of ``/2/users/me``."""
        if self._account is None:
            body = self._call("read account", self._client.get_me, user_auth=True)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, dict) or not data.get("id"):
                raise TransientError(
                    "read account: X answered without a user id", platform=PLATFORM
                )
            self._account = _Account(str(data["id"]), data.get("username"))
            self._username = self._username or data.get("username")
        return self._account

    def _post_url(self, post_id: str) -> str:
        if self._username:
            return f"https://x.com/{self._username}/status/{post_id}"
        return f"https://x.com/i/web/status/{post_id}"


_MAPPED = {
    ("public_metrics", "impression_count"),
    ("public_metrics", "like_count"),
    ("public_metrics", "retweet_count"),
    ("public_metrics", "repost_count"),
    ("public_metrics", "reply_count"),
    ("public_metrics", "quote_count"),
    ("public_metrics", "bookmark_count"),
    ("non_public_metrics", "url_link_clicks"),
}


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _snapshot(tweet: Mapping[str, Any], taken_at: datetime) -> MetricSnapshot:
    """One post's metrics. X spells reposts ``retweet_count`` in older responses and
    ``repost_count`` in newer ones; either is read. Unmapped figures go to ``extras`` as
    ``group.name`` keys, raw."""
    public = tweet.get("public_metrics") or {}
    private = tweet.get("non_public_metrics") or {}
    organic = tweet.get("organic_metrics") or {}
    shares = public.get("repost_count", public.get("retweet_count"))
    link_clicks = private.get("url_link_clicks", organic.get("url_link_clicks"))
    extras: dict[str, Any] = {}
    for group in ("public_metrics", "non_public_metrics", "organic_metrics"):
        values = tweet.get(group) or {}
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if (group, key) not in _MAPPED:
                extras[f"{group}.{key}"] = value
    # Video posts: plays (started) and completions (watched to the end), named alike on every
    # platform so reports can add them up.
    plays = private.get("playback_0_count", organic.get("playback_0_count"))
    if plays is not None:
        extras["video_plays"] = _int_or_none(plays)
        extras["video_completions"] = _int_or_none(
            private.get("playback_100_count", organic.get("playback_100_count"))
        )
    return MetricSnapshot(
        platform_id=str(tweet["id"]),
        taken_at=taken_at,
        views=_int_or_none(public.get("impression_count")),
        reactions=_int_or_none(public.get("like_count")),
        shares=_int_or_none(shares),
        replies=_int_or_none(public.get("reply_count")),
        quotes=_int_or_none(public.get("quote_count")),
        bookmarks=_int_or_none(public.get("bookmark_count")),
        link_clicks=_int_or_none(link_clicks),
        extras=extras,
    )


__all__ = ["XConnector", "build_conversation_queries", "normalise_text", "rate_limit_reset"]
