"""Mastodon, on any server, with a user access token (``write:statuses write:media read``).

Publishing: each image goes to ``POST /api/v2/media`` with its alt text as ``description``; a
202 means the server is still processing it, so ``GET /api/v1/media/:id`` is polled until 200.
Then ``POST /api/v1/statuses`` carries an ``Idempotency-Key`` derived from the delivery's key:
Mastodon keeps keys for an hour and answers a repeat with the status it already made, so a
retry after a lost response cannot post twice.

The server's own limits (characters, images per post, image size, alt text length) come from
``GET /api/v2/instance``, read once per connector and cached; a text over the server's limit is
refused before anything is uploaded.

Reconciliation: ``find_published`` reads the account's own recent statuses
(``/api/v1/accounts/:id/statuses``) and matches the text. Metrics come from the status itself
(``favourites_count``, ``reblogs_count``, ``replies_count``), one request per status; replies
from ``/api/v1/statuses/:id/context``.

Errors: 401/403 ``AuthError``, 404 and 422 ``Rejected``, 429 ``RateLimited`` until
``X-RateLimit-Reset``, other 5xx and connection failures ``TransientError`` before the status
request and ``OutcomeUnknown`` for it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar

import requests

from connectors.base import Comment, MetricSnapshot, Published
from connectors.common import (
    BearerJsonCalls,
    answer_error,
    answer_message,
    iso_time,
)
from connectors.errors import (
    AuthError,
    ConnectorError,
    RateLimited,
    Rejected,
    TransientError,
)
from connectors.graph import text_with_link
from connectors.mastodon_video import upload_video
from connectors.media import prepare_media
from connectors.platforms import PlatformConnector

if TYPE_CHECKING:
    from connectors.base import MediaFile, OutgoingPost, PlatformLimits

PLATFORM = "mastodon"
PAGE_SIZE = 40  # the most /accounts/:id/statuses returns per page
MAX_PAGES = 10  # reconciliation reads at most this many pages of the account's statuses


_URL = re.compile(r"https?://[^\s<>\"]+")
_REMOTE_MENTION = re.compile(r"(?<![\w/])(@\w+)@[\w.-]+\w")


def counted_length(text: str, url_length: int = 23) -> int:
    """Characters as Mastodon counts them: a URL is ``url_length``, a remote mention only its
    ``@user`` part."""
    text = _URL.sub("x" * url_length, text)
    return len(_REMOTE_MENTION.sub(r"\1", text))


def idempotency_key(delivery_key: str) -> str:
    """The ``Idempotency-Key`` for a delivery: stable across retries and restarts."""
    return "beatpost-" + hashlib.sha256(delivery_key.encode()).hexdigest()[:40]


class _Text(HTMLParser):
    """Plain text of a status's ``content`` HTML: paragraphs become blank lines, ``<br>`` line
    breaks, link spans are joined (Mastodon hides part of long URLs in invisible spans)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            if self._paragraphs:
                self.parts.append("\n\n")
            self._paragraphs += 1
        elif tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def content_text(content: str) -> str:
    parser = _Text()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts)


def same_text(shown: str, posted: str) -> bool:
    """Whether a status's text (from its HTML) is the text posted: whitespace aside, and with
    remote mentions as Mastodon shows them (``@user@server`` appears as ``@user``)."""

    def norm(text: str) -> str:
        return " ".join(_REMOTE_MENTION.sub(r"\1", text).split())

    return norm(shown) == norm(posted)


class MastodonConnector(BearerJsonCalls, PlatformConnector, platform="mastodon"):
    """Posts, metrics and replies for one Mastodon account. Build with ``from_settings``."""

    needed_settings: ClassVar[dict[str, str]] = {
        "access_token": "to a user token with write:statuses write:media read"
    }
    base_url_hint = " (your server, e.g. https://mastodon.social)"
    # Video (connectors/mastodon_video.py): how long to wait for the server to process an upload
    # (``on_resume``, set by the daemon, receives each step).
    processing_deadline: float = 600.0

    def __init__(
        self,
        *,
        access_token: str,
        poll_interval: float = 1.0,
        poll_timeout: float = 60.0,
        **connection: Any,
    ):
        """``connection``: what ``HttpConnection`` takes (base URL, timeout, clock, session,
        sleep, resume hook)."""
        super().__init__(**connection)
        self._token = access_token
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self._lock = threading.Lock()
        self._server_limits: PlatformLimits | None = None
        self._media_config: dict[str, Any] = {}
        self._account_id: str | None = None

    def __repr__(self) -> str:
        return f"MastodonConnector(base_url={self.base_url!r})"

    # -- HTTP --------------------------------------------------------------------------------
    def _error(self, response: requests.Response, publishing: bool) -> ConnectorError:
        status = response.status_code
        message = answer_message(response, "error", self._token)
        if status in (401, 403):
            return AuthError(
                f"{message}; the access token was refused (it needs write:statuses "
                "write:media read; make a new one under Preferences > Development)",
                platform=PLATFORM,
                code=status,
            )
        if status == 429:
            reset = response.headers.get("X-RateLimit-Reset")
            reset_at = None
            if reset:
                try:
                    reset_at = iso_time(reset)
                except ValueError:
                    reset_at = None
            return RateLimited(
                f"rate limited: {message}", reset_at=reset_at, platform=PLATFORM, code=status
            )
        return answer_error(PLATFORM, "the server", status, message, publishing=publishing)

    # -- the server's limits -----------------------------------------------------------------
    def server_limits(self) -> PlatformLimits:
        """This server's limits from ``/api/v2/instance``, read once and cached."""
        with self._lock:
            if self._server_limits is not None:
                return self._server_limits
        data = self._json("GET", "/api/v2/instance")
        config = data.get("configuration") or {}
        statuses = config.get("statuses") or {}
        media = config.get("media_attachments") or {}
        base = self.limits
        supported = media.get("supported_mime_types")
        limits = replace(
            base,
            max_length=int(statuses.get("max_characters") or base.max_length),
            max_images=int(statuses.get("max_media_attachments") or base.max_images),
            url_length=int(statuses.get("characters_reserved_per_url") or base.url_length or 23),
            max_image_bytes=int(media.get("image_size_limit") or base.max_image_bytes),
            max_alt_text=int(media.get("description_limit") or base.max_alt_text or 1500),
            image_types=tuple(t for t in base.image_types if supported is None or t in supported),
        )
        with self._lock:
            self._server_limits = limits
            self._media_config = dict(media)
        return limits

    def media_config(self) -> dict[str, Any]:
        """This server's ``configuration.media_attachments`` (video limits among them)."""
        self.server_limits()
        with self._lock:
            return dict(self._media_config)

    def _account(self) -> str:
        with self._lock:
            if self._account_id is not None:
                return self._account_id
        account = self._json("GET", "/api/v1/accounts/verify_credentials")
        with self._lock:
            self._account_id = str(account["id"])
            return self._account_id

    # -- publishing --------------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        limits = self.server_limits()
        text = text_with_link(post.text, post.link)
        self._check(text, post.media, limits)
        prepared = [None if m.is_video else prepare_media(m, limits) for m in post.media]
        media_ids = [
            upload_video(self, m, post) if p is None else self._upload(m, p)
            for m, p in zip(post.media, prepared, strict=True)
        ]
        post.check_go_ahead(PLATFORM)
        status = self._json(
            "POST",
            "/api/v1/statuses",
            publishing=True,
            headers={"Idempotency-Key": idempotency_key(post.key)},
            json={"status": text, "media_ids": media_ids, "visibility": "public"},
        )
        return self._published(status)

    def _check(self, text: str, media: Sequence[MediaFile], limits: PlatformLimits) -> None:
        count = counted_length(text, limits.url_length or 23)
        if count > limits.max_length:
            raise Rejected(
                f"the text counts {count} characters; this server allows {limits.max_length} "
                "(set mastodon.max_characters to it so validate catches this)",
                platform=PLATFORM,
            )
        if len(media) > limits.max_images:
            raise Rejected(
                f"{len(media)} images; this server takes at most {limits.max_images} per post",
                platform=PLATFORM,
            )
        if len(media) > 1 and any(m.is_video for m in media):
            raise Rejected(
                "a video goes out alone: a Mastodon post carries one video and no images",
                platform=PLATFORM,
            )
        for item in media:
            if limits.max_alt_text and len(item.alt_text) > limits.max_alt_text:
                raise Rejected(
                    f"{item.path.name}: alt text of {len(item.alt_text)} characters; this server "
                    f"takes at most {limits.max_alt_text}",
                    platform=PLATFORM,
                )

    def _upload(self, media: MediaFile, prepared: Any) -> str:
        files = {"file": (prepared.filename, prepared.data, prepared.mime_type)}
        data = {"description": media.alt_text} if media.alt_text else {}
        response = self._request("POST", "/api/v2/media", files=files, data=data)
        body = response.json()
        media_id = str(body["id"])
        if response.status_code == 200 and body.get("url"):
            return media_id
        waited = 0.0
        while waited <= self.poll_timeout:  # 202: still processing
            self._sleep(self.poll_interval)
            waited += self.poll_interval
            check = self._request("GET", f"/api/v1/media/{media_id}")
            if check.status_code == 200:
                return media_id
        raise TransientError(
            f"{media.path.name}: the server was still processing the image after "
            f"{self.poll_timeout:g} s",
            platform=PLATFORM,
        )

    def _published(self, status: dict[str, Any]) -> Published:
        return Published(
            platform_id=str(status["id"]),
            url=str(status.get("url") or status.get("uri")),
            published_at=iso_time(status["created_at"]),
        )

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The account's own status carrying this post's text, created since ``since``."""
        text = text_with_link(post.text, post.link)
        account = self._account()
        max_id: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE, "exclude_reblogs": "true"}
            if max_id:
                params["max_id"] = max_id
            page = self._json("GET", f"/api/v1/accounts/{account}/statuses", params=params)
            if not page:
                return None
            for status in page:
                if iso_time(status["created_at"]) < since - timedelta(minutes=1):
                    return None
                if same_text(content_text(status.get("content", "")), text):
                    return self._published(status)
            max_id = str(page[-1]["id"])
        return None

    # -- engagement --------------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        snapshots = []
        for platform_id in platform_ids:
            try:
                status = self._json("GET", f"/api/v1/statuses/{platform_id}")
            except Rejected as exc:
                if exc.code == 404:
                    continue  # deleted: no figures, the rest of the batch still counts
                raise
            snapshots.append(
                MetricSnapshot(
                    platform_id=str(status["id"]),
                    taken_at=self._clock(),
                    reactions=int(status.get("favourites_count") or 0),
                    shares=int(status.get("reblogs_count") or 0),
                    replies=int(status.get("replies_count") or 0),
                )
            )
        return snapshots

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        context = self._json("GET", f"/api/v1/statuses/{platform_id}/context")
        comments = []
        for status in context.get("descendants") or []:
            created = iso_time(status["created_at"])
            if since is not None and created < since:
                continue
            account = status.get("account") or {}
            parent = status.get("in_reply_to_id")
            comments.append(
                Comment(
                    platform_id=str(status["id"]),
                    post_platform_id=platform_id,
                    author=str(account.get("acct") or account.get("username") or ""),
                    text=content_text(status.get("content", "")),
                    created_at=created,
                    url=status.get("url"),
                    parent_id=None if parent in (None, platform_id) else str(parent),
                )
            )
        return comments
