"""Bluesky (AT Protocol), with the account's handle and an app password.

Sessions: ``com.atproto.server.createSession`` is called once and its tokens are kept (for
the process, per server and handle); an expired access token is renewed with
``refreshSession``, and only a refused refresh logs in again. Bluesky allows 30 logins per
5 minutes and 300 a day per account, so beatpost never logs in per post.

Publishing: images go to ``com.atproto.repo.uploadBlob`` (at most 2,000,000 bytes each, the
``app.bsky.embed.images`` limit; beatpost re-encodes to fit) and are embedded with their alt
text; links, hashtags and mentions become facets whose offsets count UTF-8 bytes. The post is
``com.atproto.repo.createRecord`` of ``app.bsky.feed.post`` with a record key (``rkey``)
derived from the delivery: a TID built from the scheduled time and a hash of the delivery's
key. A repeat with the same key cannot create a second post (the PDS refuses a second record
at a key, with a 500), so a lost response is settled by ``find_published``:
``com.atproto.repo.getRecord`` at that key.

Metrics: ``app.bsky.feed.getPosts`` (25 posts per request: likes, reposts, replies, quotes).
Replies: ``app.bsky.feed.getPostThread``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import regex
import requests

from connectors.base import Comment, MetricSnapshot, Published
from connectors.bluesky_video import video_embed
from connectors.common import (
    HttpConnection,
    answer_error,
    iso_time,
    send,
)
from connectors.errors import (
    AuthError,
    ConnectorError,
    RateLimited,
    Rejected,
)
from connectors.graph import text_with_link
from connectors.media import prepare_media
from connectors.platforms import PlatformConnector

if TYPE_CHECKING:
    from connectors.base import OutgoingPost

PLATFORM = "bluesky"
POST = "app.bsky.feed.post"
POSTS_PER_REQUEST = 25  # app.bsky.feed.getPosts: uris maxLength
THREAD_DEPTH = 10
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post: text maxLength (UTF-8 bytes)
_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"
_TID_FALLBACK = datetime(2025, 1, 1, tzinfo=UTC)  # a delivery without a scheduled time

_URL = re.compile(r"https?://[^\s]+")
_TAG = re.compile(r"(?<![\w#&])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z]{2,})")
_TRAILING = ".,;:!?)]}'\""

# Sessions by (server, handle), shared by every connector of the process (the daemon, the pull
# and the reply command each build one): a new connector must not mean a new login.
_SESSIONS: dict[tuple[str, str], dict[str, str]] = {}
_SESSIONS_LOCK = threading.Lock()


def graphemes(text: str) -> int:
    """User-perceived characters, as Bluesky counts its 300."""
    return len(regex.findall(r"\X", text))


def record_key(post: OutgoingPost) -> str:
    """The post's ``rkey``: a TID (13 base32-sortable characters: microseconds and a clock id)
    from the scheduled time and a hash of the delivery key, the same on every attempt."""
    digest = hashlib.sha256(post.key.encode()).digest()
    base = post.scheduled_at or _TID_FALLBACK
    micros = int(base.timestamp()) * 1_000_000 + int.from_bytes(digest[:4], "big") % 1_000_000
    value = (micros << 10) | (int.from_bytes(digest[4:6], "big") & 0x3FF)
    return "".join(_TID_CHARS[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def _span(text: str, start: int, end: int) -> dict[str, int]:
    """Character positions to the UTF-8 byte offsets facets use."""
    before = len(text[:start].encode("utf-8"))
    return {"byteStart": before, "byteEnd": before + len(text[start:end].encode("utf-8"))}


def facets(text: str, resolve: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """Links, hashtags and mentions of ``text`` as ``app.bsky.richtext.facet`` objects.
    ``resolve`` turns a handle into its DID (None: not a Bluesky account, left as text)."""
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        end = match.start() + len(url)
        taken.append((match.start(), end))
        found.append(
            {
                "index": _span(text, match.start(), end),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )

    def inside_link(position: int) -> bool:
        return any(a <= position < b for a, b in taken)

    for match in _TAG.finditer(text):
        tag = match.group(1)
        if tag.isdigit() or inside_link(match.start()) or graphemes(tag) > 64:
            continue
        found.append(
            {
                "index": _span(text, match.start(), match.end()),
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
            }
        )
    for match in _MENTION.finditer(text):
        handle = match.group(1).rstrip(_TRAILING)
        if inside_link(match.start()):
            continue
        did = resolve(handle)
        if did:
            found.append(
                {
                    "index": _span(text, match.start(), match.start() + 1 + len(handle)),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    return sorted(found, key=lambda f: f["index"]["byteStart"])


class BlueskyConnector(HttpConnection, PlatformConnector, platform="bluesky"):
    """Posts, metrics and replies for one Bluesky account. Build with ``from_settings``."""

    # Video (connectors/bluesky_video.py): how long to wait for the video service to process an
    # upload.
    processing_deadline: float = 600.0
    needed_settings: ClassVar[dict[str, str]] = {
        "handle": "to the account's handle, e.g. springfieldpd.bsky.social",
        "app_password": "to an app password (Settings > Privacy and security > App passwords)",
    }
    passed_settings = ("video_url",)

    def __init__(
        self,
        *,
        handle: str,
        app_password: str,
        video_url: str = "https://video.bsky.app",
        **connection: Any,
    ):
        """``connection``: what ``HttpConnection`` takes (base URL, timeout, clock, session,
        sleep, resume hook)."""
        super().__init__(**connection)
        self.video_url = video_url.rstrip("/")
        self.handle = handle.lstrip("@")
        self._password = app_password
        self._handles: dict[str, str | None] = {}

    def __repr__(self) -> str:
        return f"BlueskyConnector(base_url={self.base_url!r}, handle={self.handle!r})"

    # -- sessions ----------------------------------------------------------------------------
    @property
    def _key(self) -> tuple[str, str]:
        return (self.base_url, self.handle)

    def _tokens(self) -> dict[str, str]:
        with _SESSIONS_LOCK:
            tokens = _SESSIONS.get(self._key)
        return tokens if tokens is not None else self._login()

    def _login(self) -> dict[str, str]:
        body = self._send(
            "POST",
            "com.atproto.server.createSession",
            token=None,
            json={"identifier": self.handle, "password": self._password},
        ).json()
        return self._keep(body)

    def _keep(self, body: dict[str, Any]) -> dict[str, str]:
        tokens = {
            "access": str(body["accessJwt"]),
            "refresh": str(body["refreshJwt"]),
            "did": str(body["did"]),
            "handle": str(body.get("handle") or self.handle),
        }
        with _SESSIONS_LOCK:
            _SESSIONS[self._key] = tokens
        return tokens

    def _renew(self, stale: dict[str, str]) -> dict[str, str]:
        """New tokens after the access token was refused: refresh, else log in again."""
        with _SESSIONS_LOCK:
            current = _SESSIONS.get(self._key)
        if current is not None and current["access"] != stale["access"]:
            return current  # another thread renewed it already
        try:
            response = self._send(
                "POST", "com.atproto.server.refreshSession", token=stale["refresh"]
            )
            return self._keep(response.json())
        except (AuthError, Rejected, _TokenRefused):
            # The refresh token too is refused (expired after 60 days, or unknown to a
            # server that lost its sessions): log in again rather than fail for good.
            with _SESSIONS_LOCK:
                _SESSIONS.pop(self._key, None)
            return self._login()

    # -- HTTP --------------------------------------------------------------------------------
    def _send(
        self,
        method: str,
        nsid: str,
        *,
        token: str | None,
        publishing: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = f"{self.base_url}/xrpc/{nsid}"
        response = send(
            self._session,
            method,
            url,
            platform=PLATFORM,
            publishing=publishing,
            shown=nsid,
            headers=headers,
            timeout=self._timeout,
            **kwargs,
        )
        if response.status_code < 400:
            return response
        raise self._error(response, nsid, publishing)

    def _error(self, response: requests.Response, nsid: str, publishing: bool) -> ConnectorError:
        status = response.status_code
        try:
            body = response.json()
            name, message = str(body.get("error") or ""), str(body.get("message") or "")
        except (ValueError, AttributeError):
            name, message = "", response.reason or f"HTTP {status}"
        text = f"{name}: {message}" if name else message
        if self._password:
            text = text.replace(self._password, "***")
        if name in ("ExpiredToken", "InvalidToken"):
            return _TokenRefused(text, platform=PLATFORM, code=name)
        if status == 401 or name in ("AuthenticationRequired", "AccountTakedown"):
            return AuthError(
                f"{text} (check bluesky.handle and the app password)",
                platform=PLATFORM,
                code=name or status,
            )
        if status == 429:
            reset = response.headers.get("ratelimit-reset")
            reset_at = (
                datetime.fromtimestamp(int(reset), UTC) if reset and reset.isdigit() else None
            )
            return RateLimited(text, reset_at=reset_at, platform=PLATFORM, code=name or status)
        return answer_error(PLATFORM, nsid, status, text, publishing=publishing, code=name)

    def _call(self, method: str, nsid: str, **kwargs: Any) -> Any:
        """An authenticated call; a refused access token is renewed once and the call sent
        again (the server did nothing with a request it refused for its token)."""
        tokens = self._tokens()
        try:
            return self._send(method, nsid, token=tokens["access"], **kwargs).json()
        except _TokenRefused:
            tokens = self._renew(tokens)
        try:
            return self._send(method, nsid, token=tokens["access"], **kwargs).json()
        except _TokenRefused as exc:
            raise AuthError(str(exc), platform=PLATFORM) from None

    def _resolve(self, handle: str) -> str | None:
        if handle not in self._handles:
            try:
                body = self._send(
                    "GET",
                    "com.atproto.identity.resolveHandle",
                    token=None,
                    params={"handle": handle},
                ).json()
                self._handles[handle] = str(body["did"])
            except Rejected:
                self._handles[handle] = None
        return self._handles[handle]

    # -- publishing --------------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        text = text_with_link(post.text, post.link)
        count = graphemes(text)
        if count > self.limits.max_length:
            raise Rejected(
                f"the text is {count} characters (graphemes); Bluesky allows "
                f"{self.limits.max_length}",
                platform=PLATFORM,
            )
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise Rejected(
                f"the text is {len(text.encode('utf-8'))} bytes; Bluesky stores at most "
                f"{MAX_TEXT_BYTES} (emoji take 4 or more each)",
                platform=PLATFORM,
            )
        videos = [m for m in post.media if m.is_video]
        if videos and len(post.media) > 1:
            raise Rejected(
                "a video goes out alone: a Bluesky post carries one video and no images",
                platform=PLATFORM,
            )
        prepared = [(m, prepare_media(m, self.limits)) for m in post.media if not m.is_video]
        if len(prepared) > self.limits.max_images:
            raise Rejected(
                f"{len(prepared)} images; Bluesky takes {self.limits.max_images}",
                platform=PLATFORM,
            )
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": self._created_at(),
            "langs": ["en"],
        }
        found = facets(text, self._resolve)
        if found:
            record["facets"] = found
        if prepared:
            images = []
            for media, ready in prepared:
                blob = self._call(
                    "POST",
                    "com.atproto.repo.uploadBlob",
                    data=ready.data,
                    headers={"Content-Type": ready.mime_type},
                )["blob"]
                images.append(
                    {
                        "alt": media.alt_text,
                        "image": blob,
                        "aspectRatio": {"width": ready.width, "height": ready.height},
                    }
                )
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        if videos:
            record["embed"] = video_embed(self, videos[0], post)
            # processing may have taken minutes: the post is made now
            record["createdAt"] = self._created_at()
        tokens = self._tokens()
        rkey = record_key(post)
        post.check_go_ahead(PLATFORM)
        created = self._call(
            "POST",
            "com.atproto.repo.createRecord",
            publishing=True,
            json={"repo": tokens["did"], "collection": POST, "rkey": rkey, "record": record},
        )
        return self._published(str(created["uri"]), record["createdAt"])

    def _created_at(self) -> str:
        return self._clock().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def _published(self, uri: str, created_at: Any) -> Published:
        rkey = uri.rsplit("/", 1)[-1]
        handle = self._tokens()["handle"]
        return Published(
            platform_id=uri,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}",
            published_at=iso_time(created_at),
        )

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The record at this delivery's key, if it exists (``getRecord``)."""
        tokens = self._tokens()
        try:
            found = self._call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": tokens["did"], "collection": POST, "rkey": record_key(post)},
            )
        except Rejected as exc:
            if exc.code == "RecordNotFound":
                return None
            raise
        value = found.get("value") or {}
        return self._published(str(found["uri"]), value.get("createdAt") or self._clock())

    # -- engagement --------------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        snapshots = []
        ids = list(platform_ids)
        for start in range(0, len(ids), POSTS_PER_REQUEST):
            body = self._call(
                "GET",
                "app.bsky.feed.getPosts",
                params={"uris": ids[start : start + POSTS_PER_REQUEST]},
            )
            taken = self._clock()
            for view in body.get("posts") or []:
                snapshots.append(
                    MetricSnapshot(
                        platform_id=str(view["uri"]),
                        taken_at=taken,
                        reactions=int(view.get("likeCount") or 0),
                        shares=int(view.get("repostCount") or 0),
                        replies=int(view.get("replyCount") or 0),
                        quotes=int(view.get("quoteCount") or 0),
                    )
                )
        return snapshots

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        body = self._call(
            "GET",
            "app.bsky.feed.getPostThread",
            params={"uri": platform_id, "depth": THREAD_DEPTH, "parentHeight": 0},
        )
        comments = []
        for view, parent in _replies(body.get("thread") or {}, platform_id):
            record = view.get("record") or {}
            created = iso_time(record.get("createdAt") or view.get("indexedAt"))
            if since is not None and created < since:
                continue
            author = view.get("author") or {}
            rkey = str(view["uri"]).rsplit("/", 1)[-1]
            comments.append(
                Comment(
                    platform_id=str(view["uri"]),
                    post_platform_id=platform_id,
                    author=str(author.get("handle") or author.get("did") or ""),
                    text=str(record.get("text") or ""),
                    created_at=created,
                    url=f"https://bsky.app/profile/{author.get('handle')}/post/{rkey}",
                    parent_id=None if parent == platform_id else parent,
                )
            )
        return comments


def _replies(node: dict[str, Any], parent: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every reply under a thread node (depth first), with the URI of what it answers."""
    for child in node.get("replies") or []:
        view = child.get("post")
        if child.get("$type") != "app.bsky.feed.defs#threadViewPost" or not view:
            continue  # blocked or deleted replies carry no post
        yield view, parent
        yield from _replies(child, str(view["uri"]))


class _TokenRefused(ConnectorError):
    """The access token expired or is unknown: renew it and send again."""
