"""The sandbox's Mastodon server (REST API v1/v2), shaped after docs.joinmastodon.org.

Endpoints: ``GET /api/v2/instance`` (the server's limits), ``GET
/api/v1/accounts/verify_credentials``, ``GET /api/v1/accounts/:id/statuses``, ``POST
/api/v2/media`` (202: still processing) and ``GET /api/v1/media/:id`` (206 until processed),
``POST /api/v1/statuses`` honouring ``Idempotency-Key`` as Mastodon does (the same key from the
same account within an hour returns the status it made, and creates nothing), ``GET
/api/v1/statuses/:id`` and ``GET /api/v1/statuses/:id/context``.

Errors are Mastodon's ``{"error": "..."}``: 401 for a missing or "expired" token, 404
``Record not found``, 422 ``Validation failed: ...``, 429 with ``X-RateLimit-Reset`` (an ISO
timestamp), 5xx. Every account may call 300 times per 5 minutes, media uploads 30 per 30
minutes.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import (
    EXPIRED_TOKEN,
    RateStatus,
    SandboxComment,
    SandboxPost,
    SandboxState,
)

PLATFORM = "mastodon"
DOMAIN = "social.springfield.example"
MASTODON_ACCOUNT_ID = "109000000000000001"
MASTODON_USERNAME = "springfieldpd"
MAX_CHARACTERS = 500  # state.extras[MAX_CHARACTERS_KEY] plays a server with another limit
MAX_CHARACTERS_KEY = "mastodon.max_characters"
MAX_MEDIA = 4
IMAGE_SIZE_LIMIT = 16_777_216
DESCRIPTION_LIMIT = 1500
CHARACTERS_PER_URL = 23
IDEMPOTENCY_WINDOW = timedelta(hours=1)
WINDOW = timedelta(minutes=5)
REQUESTS_PER_WINDOW = 300
MEDIA_WINDOW = timedelta(minutes=30)
MEDIA_PER_WINDOW = 30
SUPPORTED_MIME_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
]
VIDEO_SIZE_LIMIT = 103_809_024  # mastodon.social's video_size_limit (99 MiB)
# Videos are processed after VIDEO_POLLS_KEY looks at GET /api/v1/media/:id (2); a rehearsal
# makes the next one fail with state.extras[VIDEO_FAIL_KEY] = "reason" (then 422).
VIDEO_POLLS_KEY = "mastodon_video_processing_polls"
VIDEO_FAIL_KEY = "mastodon_video_processing_failure"
VIDEO_POLLS = 2
LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709")

# The request paths this module answers (connectors.sandbox.server routes by it).
PATHS = re.compile(r"^/api/v[12]/")
# Where a post becomes public (the contract suite aims "created but 500" there).
PUBLISH_PATHS = {PLATFORM: r"^/api/v1/statuses$"}


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The non-secret settings of the mastodon section pointing at the sandbox (base_url
    aside): none, the token names the account."""
    return {}


# ---- rendering -------------------------------------------------------------------------------
_URL = re.compile(r"https?://[^\s<>\"]+")
_TAG = re.compile(r"(?<![\w/])#(\w+)")
_MENTION = re.compile(r"(?<![\w/])@(\w+)(?:@([\w.-]+\w))?")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _link(url: str) -> str:
    scheme, _, rest = url.partition("://")
    shown, hidden = rest[:30], rest[30:]
    ellipsis = " ellipsis" if hidden else ""
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{html.escape(scheme)}://</span>'
        f'<span class="{ellipsis.strip()}">{html.escape(shown)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def _line(text: str) -> str:
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(_tags(text[pos : match.start()]))
        out.append(_link(match.group()))
        pos = match.end()
    out.append(_tags(text[pos:]))
    return "".join(out)


def _tags(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _TAG.sub(
        lambda m: (
            f'<a href="https://{DOMAIN}/tags/{m.group(1).lower()}" class="mention hashtag" '
            f'rel="tag">#<span>{m.group(1)}</span></a>'
        ),
        escaped,
    )
    return _MENTION.sub(
        lambda m: (
            f'<span class="h-card" translate="no"><a href="https://{m.group(2) or DOMAIN}/@'
            f'{m.group(1)}" class="u-url mention">@<span>{m.group(1)}</span></a></span>'
        ),
        escaped,
    )


def render_content(text: str) -> str:
    """A status's ``content`` HTML as Mastodon renders plain text: paragraphs, ``<br />``,
    links split into visible and invisible spans, hashtags and mentions as links."""
    paragraphs = [p for p in text.split("\n\n")]
    return "".join(
        "<p>" + "<br />".join(_line(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def _account(account_id: str, username: str, display_name: str = "") -> dict[str, Any]:
    local = "@" not in username
    acct = username
    name = username if local else username.split("@")[0]
    return {
        "id": account_id,
        "username": name,
        "acct": acct,
        "display_name": display_name or name,
        "locked": False,
        "bot": False,
        "url": f"https://{DOMAIN}/@{acct}",
    }


def _own_account() -> dict[str, Any]:
    return _account(MASTODON_ACCOUNT_ID, MASTODON_USERNAME, "Springfield Police Department")


def _media_json(state: SandboxState, media_id: str) -> dict[str, Any]:
    item = state.get_media(PLATFORM, media_id)
    assert item is not None
    processed = item.extra.get("polls_left", 0) <= 0
    ext = "jpeg" if item.mime_type.startswith("image/") else "mp4"
    base = f"https://files.{DOMAIN}/media_attachments/files/{media_id}"
    return {
        "id": item.id,
        "type": "image" if item.mime_type.startswith("image/") else "video",
        "url": f"{base}/original/{media_id}.{ext}" if processed else None,
        "preview_url": f"{base}/small/{media_id}.jpeg",
        "remote_url": None,
        "text_url": f"https://{DOMAIN}/media/{media_id}",
        "meta": {},
        "description": item.alt_text,
        "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
    }


def status_json(state: SandboxState, post: SandboxPost) -> dict[str, Any]:
    figures = state.metrics(PLATFORM, post.id)
    return {
        "id": post.id,
        "created_at": _iso(post.created_at),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": post.extra.get("visibility", "public"),
        "language": "en",
        "uri": f"https://{DOMAIN}/users/{MASTODON_USERNAME}/statuses/{post.id}",
        "url": f"https://{DOMAIN}/@{MASTODON_USERNAME}/{post.id}",
        "replies_count": figures["replies"],
        "reblogs_count": figures["shares"],
        "favourites_count": figures["likes"],
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "content": render_content(post.text),
        "reblog": None,
        "application": {"name": "beatpost", "website": None},
        "account": _own_account(),
        "media_attachments": [_media_json(state, m) for m in post.media],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }


def _comment_json(comment: SandboxComment, post: SandboxPost) -> dict[str, Any]:
    username = comment.author.lstrip("@")
    return {
        "id": comment.id,
        "created_at": _iso(comment.created_at),
        "in_reply_to_id": comment.parent_id or post.id,
        "in_reply_to_account_id": MASTODON_ACCOUNT_ID,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://{DOMAIN}/users/{username}/statuses/{comment.id}",
        "url": f"https://{DOMAIN}/@{username}/{comment.id}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "content": render_content(comment.text),
        "reblog": None,
        "account": _account(comment.author_id or f"1{comment.id[-12:]}", username),
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }


# ---- text rules --------------------------------------------------------------------------------
def counted_length(text: str) -> int:
    """Mastodon's count: every URL 23 characters, a remote mention only its @user part."""
    text = _URL.sub("x" * CHARACTERS_PER_URL, text)
    text = _MENTION.sub(lambda m: "@" + m.group(1), text)
    return len(text)


# ---- handlers ----------------------------------------------------------------------------------
def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": message}, headers)


def _headers(status: RateStatus) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(status.limit),
        "X-RateLimit-Remaining": str(status.remaining),
        "X-RateLimit-Reset": _iso(status.reset_at),
    }


def _rate_headers(state: SandboxState, key: str, limit: int, window: timedelta) -> tuple:
    status = state.rate_window(f"mastodon:{key}", limit, window)
    return _headers(status), status.exceeded


def _route(method: str, pattern: str, handler: Any, *, media: bool = False) -> Route:
    """Wrap ``handler`` with what every endpoint does: the token, the rate windows."""

    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        token = request.token()
        if not token or token == EXPIRED_TOKEN:
            return _error(401, "The access token is invalid")
        with state.lock:
            headers, exceeded = _rate_headers(state, "all", REQUESTS_PER_WINDOW, WINDOW)
            if media and not exceeded:
                headers, exceeded = _rate_headers(state, "media", MEDIA_PER_WINDOW, MEDIA_WINDOW)
            if exceeded:
                return _error(429, "Too many requests", headers)
            reply = handler(state, request, **groups)
        reply.headers = {**headers, **(reply.headers or {})}
        return reply

    return Route(method, pattern, handle)


def _instance(state: SandboxState, request: Request) -> Reply:
    max_characters = int(state.extras.get(MAX_CHARACTERS_KEY, MAX_CHARACTERS))
    return Reply(
        200,
        {
            "domain": DOMAIN,
            "title": "Springfield Social",
            "version": "4.3.0",
            "source_url": "https://github.com/mastodon/mastodon",
            "configuration": {
                "urls": {"streaming": f"wss://streaming.{DOMAIN}"},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                "statuses": {
                    "max_characters": max_characters,
                    "max_media_attachments": MAX_MEDIA,
                    "characters_reserved_per_url": CHARACTERS_PER_URL,
                },
                "media_attachments": {
                    "description_limit": DESCRIPTION_LIMIT,
                    "image_matrix_limit": 33177600,
                    "image_size_limit": IMAGE_SIZE_LIMIT,
                    "supported_mime_types": SUPPORTED_MIME_TYPES,
                    "video_frame_rate_limit": 120,
                    "video_matrix_limit": 8294400,
                    "video_size_limit": VIDEO_SIZE_LIMIT,
                },
                "polls": {
                    "max_options": 4,
                    "max_characters_per_option": 50,
                    "min_expiration": 300,
                    "max_expiration": 2629746,
                },
            },
        },
    )


def _verify_credentials(state: SandboxState, request: Request) -> Reply:
    return Reply(200, _own_account())


def _upload(state: SandboxState, request: Request) -> Reply:
    upload = request.files().get("file")
    if upload is None or not upload.data:
        return _error(422, "Validation failed: File can't be blank")
    if upload.content_type not in SUPPORTED_MIME_TYPES:
        return _error(422, "Validation failed: File content type is invalid, File is invalid")
    video = upload.content_type.startswith("video/")
    if len(upload.data) > (VIDEO_SIZE_LIMIT if video else IMAGE_SIZE_LIMIT):
        limit = "99 MB" if video else "16 MB"
        return _error(422, f"Validation failed: File file size must be less than {limit}")
    description = request.form().get("description")
    if description and len(description) > DESCRIPTION_LIMIT:
        return _error(422, "Validation failed: Description is too long")
    media_id = str(110_000_000_000_000_000 + state.next_number())
    extra: dict[str, Any] = {"polls_left": 1}  # processed after one look, as a large upload is
    if video:
        extra = {
            "polls_left": int(state.extras.get(VIDEO_POLLS_KEY, VIDEO_POLLS)),
            "failure": state.extras.pop(VIDEO_FAIL_KEY, None),
            "location_markers": sorted(
                m.decode("latin-1") for m in LOCATION_MARKERS if m in upload.data
            ),
        }
    state.add_media(
        PLATFORM, upload.data, upload.content_type, description, extra=extra, media_id=media_id
    )
    return Reply(202, _media_json(state, media_id))


def _get_media(state: SandboxState, request: Request, media_id: str) -> Reply:
    item = state.get_media(PLATFORM, media_id)
    if item is None:
        return _error(404, "Record not found")
    if item.extra.get("polls_left", 0) > 0:
        item.extra["polls_left"] -= 1
        return Reply(206, None)
    if item.extra.get("failure"):
        return _error(422, str(item.extra["failure"]))
    return Reply(200, _media_json(state, media_id))


def _idempotent(state: SandboxState) -> dict[tuple[str, str], tuple[str, datetime]]:
    return state.extras.setdefault("mastodon.idempotency", {})


def _post_status(state: SandboxState, request: Request) -> Reply:
    body = request.json() if "json" in (request.header("Content-Type") or "") else None
    fields = body if isinstance(body, dict) else request.form()
    text = str(fields.get("status") or "")
    media_ids = fields.get("media_ids") or fields.get("media_ids[]") or []
    if isinstance(media_ids, str):
        media_ids = [media_ids]
    key = request.header("Idempotency-Key")
    seen = _idempotent(state)
    token = request.token() or ""
    if key:
        earlier = seen.get((token, key))
        if earlier is not None and state.now() - earlier[1] < IDEMPOTENCY_WINDOW:
            post = state.get_post(PLATFORM, earlier[0])
            if post is not None:
                return Reply(200, status_json(state, post))
    if not text.strip() and not media_ids:
        return _error(422, "Validation failed: Text can't be blank")
    limit = int(state.extras.get(MAX_CHARACTERS_KEY, MAX_CHARACTERS))
    if counted_length(text) > limit:
        return _error(422, f"Validation failed: Text character limit of {limit} exceeded")
    if len(media_ids) > MAX_MEDIA:
        return _error(422, f"Validation failed: Media attachments exceed {MAX_MEDIA}")
    for media_id in media_ids:
        item = state.get_media(PLATFORM, str(media_id))
        if item is None:
            return _error(422, "Validation failed: Media attachments are invalid")
        if item.extra.get("polls_left", 0) > 0 or item.extra.get("failure"):
            return _error(
                422, "Cannot attach files that have not finished processing. Try again in a moment!"
            )
    if len(media_ids) > 1 and any(
        (state.get_media(PLATFORM, str(m)) or item).mime_type.startswith("video/")
        for m in media_ids
    ):
        return _error(
            422, "Validation failed: Cannot attach a video to a post that already contains images"
        )
    post = state.add_post(
        PLATFORM,
        MASTODON_ACCOUNT_ID,
        text,
        media=[str(m) for m in media_ids],
        extra={"visibility": str(fields.get("visibility") or "public")},
    )
    if key:
        seen[(token, key)] = (post.id, state.now())
    return Reply(200, status_json(state, post))


def _live(state: SandboxState, status_id: str) -> SandboxPost | None:
    post = state.get_post(PLATFORM, status_id)
    return None if post is None or post.deleted else post


def _get_status(state: SandboxState, request: Request, status_id: str) -> Reply:
    post = _live(state, status_id)
    if post is None:
        return _error(404, "Record not found")
    return Reply(200, status_json(state, post))


def _context(state: SandboxState, request: Request, status_id: str) -> Reply:
    post = _live(state, status_id)
    if post is None:
        return _error(404, "Record not found")
    comments = state.comments(PLATFORM, post.id)
    return Reply(200, {"ancestors": [], "descendants": [_comment_json(c, post) for c in comments]})


def _account_statuses(state: SandboxState, request: Request, account_id: str) -> Reply:
    if account_id != MASTODON_ACCOUNT_ID:
        return _error(404, "Record not found")
    limit = min(int(request.arg("limit") or 20), 40)
    max_id = request.arg("max_id")
    posts = sorted(state.posts(PLATFORM), key=lambda p: int(p.id), reverse=True)
    if max_id:
        posts = [p for p in posts if int(p.id) < int(max_id)]
    page = posts[:limit]
    headers = {}
    if len(posts) > limit:
        url = f"/api/v1/accounts/{account_id}/statuses?limit={limit}&max_id={page[-1].id}"
        headers["Link"] = f'<{url}>; rel="next"'
    return Reply(200, [status_json(state, p) for p in page], headers)


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """Mastodon's answer for an injected fault: 429 with its reset time, 503, 500."""
    if kind == "rate_limited":
        spent = RateStatus(REQUESTS_PER_WINDOW, 0, state.injected_reset_at(), True)
        return _error(429, "Too many requests", _headers(spent))
    if kind == "transient":
        return _error(503, "Service Unavailable")
    return _error(500, "We're sorry, but something went wrong on our end.")


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    return _error(404, "Record not found")


ID = r"[0-9]+"
ROUTES: list[Route] = [
    _route("GET", r"/api/v2/instance", _instance),
    _route("GET", r"/api/v1/accounts/verify_credentials", _verify_credentials),
    _route("GET", rf"/api/v1/accounts/(?P<account_id>{ID})/statuses", _account_statuses),
    _route("POST", r"/api/v2/media", _upload, media=True),
    _route("GET", rf"/api/v1/media/(?P<media_id>{ID})", _get_media),
    _route("POST", r"/api/v1/statuses", _post_status),
    _route("GET", rf"/api/v1/statuses/(?P<status_id>{ID})", _get_status),
    _route("GET", rf"/api/v1/statuses/(?P<status_id>{ID})/context", _context),
]

__all__ = ["ROUTES", "error_reply", "not_found_reply", "render_content", "status_json"]
