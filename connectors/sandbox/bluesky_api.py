"""The sandbox's Bluesky PDS and AppView (XRPC), shaped after the atproto lexicons.

Video: ``connectors/sandbox/bluesky_video.py`` (the video service and service tokens).

Endpoints: ``com.atproto.server.createSession`` (logins limited to 30 per 5 minutes and 300
a day per account, as Bluesky does) and ``refreshSession``; ``com.atproto.repo.uploadBlob``,
``createRecord``, ``getRecord``; ``app.bsky.feed.getPosts`` (25 URIs) and ``getPostThread``;
``com.atproto.identity.resolveHandle``.

``createRecord`` with an ``rkey`` already used in the collection fails as the PDS does (its
repository tree refuses a second value at the key; the PDS answers 500 InternalServerError):
a repeat can never create a second post, and the client finds the first with ``getRecord``.

Access tokens last two hours of simulated time (then 400 ``ExpiredToken``); the app password
``expired`` is refused (401 ``AuthenticationRequired``).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import regex

from connectors.sandbox import bluesky_video as video
from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import (
    EXPIRED_TOKEN,
    RateStatus,
    SandboxComment,
    SandboxPost,
    SandboxState,
    atproto_tid,
)

PLATFORM = "bluesky"
BLUESKY_HANDLE = "springfieldpd.bsky.social"
BLUESKY_DID = "did:plc:springfieldpd0000000000a"
POST = "app.bsky.feed.post"
MAX_GRAPHEMES = 300
MAX_BLOB_BYTES = 2_000_000  # app.bsky.embed.images#image: maxSize
MAX_IMAGES = 4
ACCESS_LIFETIME = timedelta(hours=2)
LOGINS_PER_5_MINUTES = 30
LOGINS_PER_DAY = 300
REQUESTS_PER_5_MINUTES = 3000
WINDOW = timedelta(minutes=5)  # of the logins and requests counts above

PATHS = re.compile(r"^/xrpc/")
PUBLISH_PATHS = {PLATFORM: r"^/xrpc/com\.atproto\.repo\.createRecord$"}


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The non-secret settings of the bluesky section pointing at the sandbox (base_url
    aside): the account's handle, and the video service (the sandbox plays it too)."""
    return {"handle": BLUESKY_HANDLE, "video_url": url}


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _cid(seed: str) -> str:
    return "bafyrei" + hashlib.sha256(seed.encode()).hexdigest()[:52]


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": error, "message": message}, headers)


# ---- sessions ----------------------------------------------------------------------------------
_serial = itertools.count(1)


def _sessions(state: SandboxState) -> dict[str, tuple[str, datetime]]:
    """token -> (kind "access"/"refresh", expiry)."""
    return state.extras.setdefault("bluesky.sessions", {})


def _issue(state: SandboxState) -> dict[str, Any]:
    n = next(_serial)
    access, refresh = f"bsky-access-{n}", f"bsky-refresh-{n}"
    tokens = _sessions(state)
    tokens[access] = ("access", state.now() + ACCESS_LIFETIME)
    tokens[refresh] = ("refresh", state.now() + timedelta(days=60))
    return {
        "accessJwt": access,
        "refreshJwt": refresh,
        "handle": BLUESKY_HANDLE,
        "did": BLUESKY_DID,
        "active": True,
    }


def _login(state: SandboxState, request: Request) -> Reply:
    body = request.json() or {}
    for key, limit, window in (
        ("5m", LOGINS_PER_5_MINUTES, WINDOW),
        ("day", LOGINS_PER_DAY, timedelta(days=1)),
    ):
        status = state.rate_window(f"bluesky:login:{key}", limit, window)
        if status.exceeded:
            return _error(
                429, "RateLimitExceeded", "Rate Limit Exceeded", _rate_headers(status, window)
            )
    state.extras["bluesky.logins"] = state.extras.get("bluesky.logins", 0) + 1
    if body.get("identifier") not in (BLUESKY_HANDLE, BLUESKY_DID) or not body.get("password"):
        return _error(401, "AuthenticationRequired", "Invalid identifier or password")
    if body.get("password") == EXPIRED_TOKEN:
        return _error(401, "AuthenticationRequired", "Invalid identifier or password")
    return Reply(200, _issue(state))


def _token_problem(state: SandboxState, request: Request, kind: str) -> Reply | None:
    token = request.token()
    if not token:
        return _error(401, "AuthenticationRequired", "Authentication Required")
    found = _sessions(state).get(token)
    if found is None or found[0] != kind:
        return _error(400, "InvalidToken", "Token could not be verified")
    if state.now() >= found[1]:
        return _error(400, "ExpiredToken", "Token has expired")
    return None


def _refresh(state: SandboxState, request: Request) -> Reply:
    problem = _token_problem(state, request, "refresh")
    if problem is not None:
        return problem
    del _sessions(state)[request.token() or ""]  # a refresh token is used once
    return Reply(200, _issue(state))


# ---- rendering ---------------------------------------------------------------------------------
def _author(did: str, handle: str, name: str = "") -> dict[str, Any]:
    return {"did": did, "handle": handle, "displayName": name or handle.split(".")[0]}


def post_view(state: SandboxState, post: SandboxPost) -> dict[str, Any]:
    figures = state.metrics(PLATFORM, post.id)
    return {
        "uri": post.id,
        "cid": _cid(post.id),
        "author": _author(BLUESKY_DID, BLUESKY_HANDLE, "Springfield Police Department"),
        "record": post.extra.get("record") or {"$type": POST, "text": post.text},
        "replyCount": figures["replies"],
        "repostCount": figures["shares"],
        "likeCount": figures["likes"],
        "quoteCount": figures["quotes"],
        "indexedAt": _iso(post.created_at),
        "labels": [],
    }


def _reply_view(comment: SandboxComment, parent_uri: str) -> dict[str, Any]:
    handle = f"{re.sub(r'[^a-z0-9-]', '', comment.author.lower()) or 'user'}.bsky.social"
    did = comment.id.split("/")[2]
    return {
        "uri": comment.id,
        "cid": _cid(comment.id),
        "author": _author(did, handle, comment.author),
        "record": {
            "$type": POST,
            "text": comment.text,
            "createdAt": _iso(comment.created_at),
            "reply": {
                "root": {"uri": comment.post_id, "cid": _cid(comment.post_id)},
                "parent": {"uri": parent_uri, "cid": _cid(parent_uri)},
            },
        },
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": _iso(comment.created_at),
        "labels": [],
    }


# ---- records -----------------------------------------------------------------------------------
def _graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _upload_blob(state: SandboxState, request: Request) -> Reply:
    if not request.body:
        return _error(400, "InvalidRequest", "Request body is empty")
    mime = request.header("Content-Type") or "application/octet-stream"
    cid = "bafkrei" + hashlib.sha256(request.body).hexdigest()[:52]
    state.add_media(PLATFORM, request.body, mime, extra={"cid": cid}, media_id=cid)
    return Reply(
        200,
        {
            "blob": {
                "$type": "blob",
                "ref": {"$link": cid},
                "mimeType": mime,
                "size": len(request.body),
            }
        },
    )


def _create_record(state: SandboxState, request: Request) -> Reply:
    body = request.json() or {}
    if body.get("repo") not in (BLUESKY_DID, BLUESKY_HANDLE):
        return _error(400, "InvalidRequest", "Could not find repo")
    if body.get("collection") != POST:
        return _error(400, "InvalidRequest", "The sandbox stores app.bsky.feed.post only")
    record = body.get("record") or {}
    text = str(record.get("text") or "")
    if _graphemes(text) > MAX_GRAPHEMES:
        return _error(
            400,
            "InvalidRequest",
            f"Invalid app.bsky.feed.post record: Record/text must not be longer than "
            f"{MAX_GRAPHEMES} graphemes",
        )
    if len(text.encode()) > 3000:
        return _error(
            400,
            "InvalidRequest",
            "Invalid app.bsky.feed.post record: Record/text "
            "must not be longer than 3000 characters",
        )
    embed = record.get("embed") or {}
    images = embed.get("images") or []
    if len(images) > MAX_IMAGES:
        return _error(
            400,
            "InvalidRequest",
            "Invalid app.bsky.feed.post record: "
            "Record/embed/images must not have more than 4 elements",
        )
    media = []
    for image in images:
        cid = ((image.get("image") or {}).get("ref") or {}).get("$link")
        item = state.get_media(PLATFORM, str(cid))
        if item is None:
            return _error(400, "InvalidRequest", f"Could not find blob: {cid}")
        if len(item.data) > MAX_BLOB_BYTES:
            return _error(
                400,
                "BlobTooLarge",
                f"This file is too large. It is "
                f"{len(item.data)} bytes but the maximum size is {MAX_BLOB_BYTES}.",
            )
        state.set_alt_text(PLATFORM, item.id, str(image.get("alt", "")))
        media.append(item.id)
    if embed.get("$type") == "app.bsky.embed.video":
        media, refused = video.check_embed(state, embed)
        if refused is not None:
            return refused
    rkey = str(body.get("rkey") or atproto_tid(state.now(), state.next_number()))
    if not re.fullmatch(r"[A-Za-z0-9._:~-]{1,512}", rkey) or rkey in (".", ".."):
        return _error(400, "InvalidRequest", f"Invalid record key: {rkey}")
    uri = f"at://{BLUESKY_DID}/{POST}/{rkey}"
    if state.get_post(PLATFORM, uri) is not None:
        # The PDS's repository tree refuses a second value at the key (a plain error there).
        return _error(500, "InternalServerError", "Internal Server Error")
    state.add_post(PLATFORM, BLUESKY_DID, text, media=media, extra={"record": record}, post_id=uri)
    return Reply(
        200,
        {
            "uri": uri,
            "cid": _cid(uri),
            "commit": {"cid": _cid("commit" + uri), "rev": atproto_tid(state.now(), 1)},
            "validationStatus": "valid",
        },
    )


def _get_record(state: SandboxState, request: Request) -> Reply:
    uri = f"at://{BLUESKY_DID}/{request.arg('collection')}/{request.arg('rkey')}"
    post = state.get_post(PLATFORM, uri)
    if request.arg("repo") not in (BLUESKY_DID, BLUESKY_HANDLE) or post is None or post.deleted:
        return _error(400, "RecordNotFound", f"Could not locate record: {uri}")
    return Reply(200, {"uri": uri, "cid": _cid(uri), "value": post.extra.get("record")})


def _get_posts(state: SandboxState, request: Request) -> Reply:
    uris = request.query.get("uris", [])
    if len(uris) > 25:
        return _error(400, "InvalidRequest", "uris must not have more than 25 elements")
    found = [state.get_post(PLATFORM, uri) for uri in uris]
    return Reply(200, {"posts": [post_view(state, p) for p in found if p and not p.deleted]})


def _thread(state: SandboxState, request: Request) -> Reply:
    uri = request.arg("uri") or ""
    post = state.get_post(PLATFORM, uri)
    if post is None or post.deleted:
        return _error(400, "NotFound", f"Post not found: {uri}")
    comments = state.comments(PLATFORM, uri)
    children: dict[str, list[SandboxComment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id or uri, []).append(comment)

    def node(comment: SandboxComment, parent: str) -> dict[str, Any]:
        return {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": _reply_view(comment, parent),
            "replies": [node(c, comment.id) for c in children.get(comment.id, [])],
        }

    return Reply(
        200,
        {
            "thread": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": post_view(state, post),
                "replies": [node(c, uri) for c in children.get(uri, [])],
            }
        },
    )


def _resolve_handle(state: SandboxState, request: Request) -> Reply:
    handle = request.arg("handle") or ""
    if handle == BLUESKY_HANDLE:
        return Reply(200, {"did": BLUESKY_DID})
    if handle.endswith(".bsky.social"):
        digest = hashlib.sha256(handle.encode()).hexdigest()[:24]
        return Reply(200, {"did": f"did:plc:{digest}"})
    return _error(400, "InvalidRequest", "Unable to resolve handle")


def _rate_headers(status: RateStatus, window: timedelta | None = None) -> dict[str, str]:
    """Bluesky's ``ratelimit-*`` headers for a window (``ratelimit-policy`` where it is named)."""
    headers = {
        "ratelimit-limit": str(status.limit),
        "ratelimit-remaining": str(status.remaining),
        "ratelimit-reset": str(int(status.reset_at.timestamp())),
    }
    if window is not None:
        headers["ratelimit-policy"] = f"{status.limit};w={int(window.total_seconds())}"
    return headers


def _route(method: str, nsid: str, handler: Any, *, auth: bool = True) -> Route:
    def handle(state: SandboxState, request: Request) -> Reply:
        with state.lock:
            status = state.rate_window("bluesky:all", REQUESTS_PER_5_MINUTES, WINDOW)
            headers = _rate_headers(status, WINDOW)
            if status.exceeded:
                return _error(429, "RateLimitExceeded", "Rate Limit Exceeded", headers)
            if auth:
                problem = _token_problem(state, request, "access")
                if problem is not None:
                    return problem
            reply = handler(state, request)
        reply.headers = {**headers, **(reply.headers or {})}
        return reply

    return Route(method, "/xrpc/" + re.escape(nsid), handle)


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """Bluesky's answer for an injected fault: 429 with ratelimit-reset, 502, 500."""
    if kind == "rate_limited":
        spent = RateStatus(REQUESTS_PER_5_MINUTES, 0, state.injected_reset_at(), True)
        return _error(429, "RateLimitExceeded", "Rate Limit Exceeded", _rate_headers(spent))
    if kind == "transient":
        return _error(502, "UpstreamFailure", "Upstream Failure")
    return _error(500, "InternalServerError", "Internal Server Error")


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    return _error(501, "MethodNotImplemented", "Method Not Implemented")


ROUTES: list[Route] = [
    _route("POST", "com.atproto.server.createSession", _login, auth=False),
    _route("POST", "com.atproto.server.refreshSession", _refresh, auth=False),
    _route("GET", "com.atproto.identity.resolveHandle", _resolve_handle, auth=False),
    _route("POST", "com.atproto.repo.uploadBlob", _upload_blob),
    _route("POST", "com.atproto.repo.createRecord", _create_record),
    _route("GET", "com.atproto.repo.getRecord", _get_record),
    _route("GET", "app.bsky.feed.getPosts", _get_posts),
    _route("GET", "app.bsky.feed.getPostThread", _thread),
    _route(
        "GET",
        "com.atproto.server.getServiceAuth",
        lambda state, request: video.service_auth(state, request, BLUESKY_DID),
    ),
    _route(
        "GET",
        "com.atproto.server.getSession",
        lambda state, request: video.session(state, request, BLUESKY_DID, BLUESKY_HANDLE),
    ),
    # The video service (its own service tokens, checked by each handler)
    _route("GET", "app.bsky.video.getUploadLimits", video.upload_limits, auth=False),
    _route("POST", "app.bsky.video.uploadVideo", video.upload_video, auth=False),
    _route("GET", "app.bsky.video.getJobStatus", video.job_status, auth=False),
]

__all__ = ["ROUTES", "error_reply", "not_found_reply", "post_view"]
