"""The sandbox's LinkedIn (versioned REST API, ``/rest/``), shaped after LinkedIn's Community
Management reference (learn.microsoft.com/linkedin/marketing/community-management).

Endpoints: ``POST /rest/posts`` (201, empty body, the post's URN in ``x-restli-id``), ``GET
/rest/posts?q=author`` (the organization's posts, newest first, ``start``/``count`` paging),
``POST /rest/images?action=initializeUpload`` and the ``PUT`` of the bytes to its
``uploadUrl`` (``/dms-uploads/...``), the Videos API and video analytics
(``linkedin_videos``), ``GET /rest/organizationalEntityShareStatistics
?q=organizationalEntity`` with ``shares=List(...)`` or ``ugcPosts=List(...)``, and ``GET
/rest/socialActions/{urn}/comments``.

Every ``/rest/`` request needs ``Linkedin-Version`` (400 ``VERSION_MISSING`` without) and a
token (401 ``INVALID_ACCESS_TOKEN`` when missing or "expired"). Errors are LinkedIn's
``{"status", "serviceErrorCode", "code", "message"}``; 429 is the daily throttle. LinkedIn has
no idempotency key: a repeated create makes a second post, as the real one does.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from connectors.sandbox.linkedin_videos import video_ready, video_routes
from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import EXPIRED_TOKEN, SandboxPost, SandboxState

PLATFORM = "linkedin"
ORGANIZATION_ID = "2414183"
ORGANIZATION = f"urn:li:organization:{ORGANIZATION_ID}"
MAX_COMMENTARY = 3000
REQUESTS_PER_DAY = 100_000  # the application's daily throttle, per resource
DAY = timedelta(days=1)
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png", b"GIF8": "image/gif"}

# The request paths this module answers (connectors.sandbox.server routes by it).
PATHS = re.compile(r"^/(rest|dms-uploads)/")
# Where a post becomes public (the contract suite aims "created but 500" there).
PUBLISH_PATHS = {PLATFORM: r"^/rest/posts$"}

_ESCAPED = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The linkedin section's non-secret settings pointing at the sandbox (base_url aside)."""
    return {"organization_id": ORGANIZATION_ID}


def _error(status: int, code: str, message: str, service_code: int = 100) -> Reply:
    return Reply(
        status,
        {"status": status, "serviceErrorCode": service_code, "code": code, "message": message},
    )


def _millis(state: SandboxState, at: Any = None) -> int:
    return int((at or state.now()).timestamp() * 1000)


def post_json(state: SandboxState, post: SandboxPost) -> dict[str, Any]:
    """A post as ``GET /rest/posts`` answers it."""
    created = _millis(state, post.created_at)
    body: dict[str, Any] = {
        "isReshareDisabledByAuthor": False,
        "createdAt": created,
        "lifecycleState": "PUBLISHED",
        "lastModifiedAt": created,
        "visibility": "PUBLIC",
        "publishedAt": created,
        "author": post.account,
        "id": post.id,
        "distribution": {"feedDistribution": "MAIN_FEED", "thirdPartyDistributionChannels": []},
        "commentary": _RESERVED.sub(r"\\\1", post.text),
        "lifecycleStateInfo": {"isEditedByAuthor": False},
    }
    if post.extra.get("content"):
        body["content"] = post.extra["content"]
    return body


def _route(method: str, pattern: str, handler: Any) -> Route:
    """Wrap ``handler`` with what every /rest/ endpoint checks: token, version, throttle."""

    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        token = request.token()
        if not token or token == EXPIRED_TOKEN:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
        if not re.fullmatch(r"\d{6}", request.header("Linkedin-Version") or ""):
            return _error(
                400,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
            )
        with state.lock:
            window = state.rate_window(f"linkedin:{method}:{pattern}", REQUESTS_PER_DAY, DAY)
            if window.exceeded:
                return _throttled()
            return handler(state, request, **groups)

    return Route(method, pattern, handle)


def _throttled() -> Reply:
    return _error(
        429,
        "TOO_MANY_REQUESTS",
        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        101,
    )


def _create_post(state: SandboxState, request: Request) -> Reply:
    body = request.json()
    if not isinstance(body, dict):
        return _error(400, "BAD_REQUEST", "Request body is not a post")
    author = str(body.get("author") or "")
    if author != ORGANIZATION:
        return _error(
            403,
            "ACCESS_DENIED",
            f"Not enough permissions to access: partnerApiPostsExternal.CREATE.{author}",
        )
    text = _ESCAPED.sub(r"\1", str(body.get("commentary") or ""))
    if len(text) > MAX_COMMENTARY:
        return _error(
            422,
            "UNPROCESSABLE_ENTITY",
            f"/commentary :: length of commentary {len(text)} exceeds {MAX_COMMENTARY}",
        )
    content = body.get("content") or {}
    images = [content["media"]] if "media" in content else []
    images += (content.get("multiImage") or {}).get("images") or []
    is_video = str((content.get("media") or {}).get("id") or "").startswith("urn:li:video:")
    if is_video and not video_ready(state, content["media"]["id"]):
        return _error(
            422, "UNPROCESSABLE_ENTITY", f"/content :: video {content['media']['id']} is not ready"
        )
    for image in images:
        item = state.get_media(PLATFORM, str(image.get("id")))
        if item is None or not item.data:
            return _error(
                422, "UNPROCESSABLE_ENTITY", f"/content :: image {image.get('id')} is not available"
            )
        if not is_video:
            item.alt_text = image.get("altText")
    # The Posts API names a video post urn:li:ugcPost, the others urn:li:share.
    kind = "ugcPost" if is_video else "share"
    urn = f"urn:li:{kind}:{7_300_000_000_000_000_000 + state.next_number(PLATFORM)}"
    state.add_post(
        PLATFORM,
        author,
        text,
        media=[str(i.get("id")) for i in images],
        extra=({"content": content, "video": is_video} if content else None),
        post_id=urn,
    )
    return Reply(201, None, {"x-restli-id": urn, "x-linkedin-id": urn})


def _posts_by_author(state: SandboxState, request: Request) -> Reply:
    if request.arg("q") != "author":
        return _error(400, "BAD_REQUEST", "Unsupported finder, use q=author")
    author = request.arg("author")
    start = int(request.arg("start") or 0)
    count = min(int(request.arg("count") or 10), 100)
    posts = [p for p in state.posts(PLATFORM) if p.account == author]
    posts.sort(key=lambda p: (p.created_at, p.ordinal), reverse=True)
    page = posts[start : start + count]
    return Reply(
        200,
        {
            "paging": {"start": start, "count": count, "links": [], "total": len(posts)},
            "elements": [post_json(state, p) for p in page],
        },
    )


def _initialize_upload(state: SandboxState, request: Request) -> Reply:
    if request.arg("action") != "initializeUpload":
        return _error(400, "BAD_REQUEST", "Unsupported action")
    body = request.json() or {}
    owner = (body.get("initializeUploadRequest") or {}).get("owner")
    if owner != ORGANIZATION:
        return _error(403, "ACCESS_DENIED", "Not enough permissions to access: images.ACTION")
    key = f"C4E10AQ{state.next_number(PLATFORM):09d}"
    urn = f"urn:li:image:{key}"
    state.add_media(PLATFORM, b"", "application/octet-stream", media_id=urn)
    host = request.header("Host") or "127.0.0.1"
    return Reply(
        200,
        {
            "value": {
                "uploadUrlExpiresAt": _millis(state) + 24 * 3600 * 1000,
                "uploadUrl": f"http://{host}/dms-uploads/{key}/uploadedImage/0"
                "?ca=vector_ads&cn=uploads&sync=0&v=beta",
                "image": urn,
            }
        },
    )


def _upload_bytes(state: SandboxState, request: Request, key: str) -> Reply:
    if not request.token():
        return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
    item = state.get_media(PLATFORM, f"urn:li:image:{key}")
    if item is None:
        return Reply(404, None)
    mime = next((t for magic, t in IMAGE_TYPES.items() if request.body.startswith(magic)), None)
    if mime is None:
        return Reply(400, None)
    item.data, item.mime_type = bytes(request.body), mime
    return Reply(201, None)


def _share_statistics(state: SandboxState, request: Request) -> Reply:
    if request.arg("q") != "organizationalEntity":
        return _error(400, "BAD_REQUEST", "Unsupported finder, use q=organizationalEntity")
    organization = request.arg("organizationalEntity")
    elements = []
    for param, field in (("shares", "share"), ("ugcPosts", "ugcPost")):
        listed = request.arg(param)
        if not listed:
            continue
        match = re.fullmatch(r"List\((.*)\)", listed)
        if match is None:
            return _error(400, "BAD_REQUEST", f"{param} must be List(...)")
        for urn in filter(None, (unquote(u) for u in match.group(1).split(","))):
            post = state.get_post(PLATFORM, urn)
            if post is None or post.deleted or post.account != organization:
                continue
            figures = state.metrics(PLATFORM, urn)
            likes, comments = figures["likes"], figures["replies"]
            shares, clicks = figures["shares"], figures["link_clicks"]
            impressions = figures["views"]
            engagement = (likes + comments + shares + clicks) / impressions if impressions else 0
            elements.append(
                {
                    "totalShareStatistics": {
                        "uniqueImpressionsCount": figures["reach"],
                        "shareCount": shares,
                        "engagement": engagement,
                        "clickCount": clicks,
                        "likeCount": likes,
                        "impressionCount": impressions,
                        "commentCount": comments,
                    },
                    field: urn,
                    "organizationalEntity": organization,
                }
            )
    return Reply(200, {"paging": {"count": 10, "start": 0, "links": []}, "elements": elements})


def _comments(state: SandboxState, request: Request, urn: str) -> Reply:
    post = state.get_post(PLATFORM, unquote(urn))
    if post is None or post.deleted:
        return _error(404, "NOT_FOUND", f"Not Found: {unquote(urn)}")
    start = int(request.arg("start") or 0)
    count = min(int(request.arg("count") or 10), 100)
    every = state.comments(PLATFORM, post.id)
    activity = f"urn:li:activity:{post.id.rsplit(':', 1)[-1]}"
    elements = []
    for comment in every[start : start + count]:
        actor = f"urn:li:person:{comment.author_id or comment.author.lstrip('@')}"
        stamp = {"actor": actor, "time": _millis(state, comment.created_at)}
        urn_of = f"urn:li:comment:({activity},{comment.id})"
        element: dict[str, Any] = {
            "actor": actor,
            "commentUrn": urn_of,
            "created": stamp,
            "lastModified": stamp,
            "id": comment.id,
            "message": {"attributes": [], "text": comment.text},
            "object": activity,
            "$URN": urn_of,
        }
        if comment.parent_id:
            element["parentComment"] = f"urn:li:comment:({activity},{comment.parent_id})"
        elements.append(element)
    return Reply(
        200,
        {
            "paging": {"start": start, "count": count, "total": len(every), "links": []},
            "elements": elements,
        },
    )


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """LinkedIn's answer for an injected fault: the daily throttle, 503, 500."""
    if kind == "rate_limited":  # a fault plan names its wait: sent as Retry-After
        reply = _throttled()
        reply.headers = {"Retry-After": str(state.faults.plan.rate_limit_reset_seconds)}
        return reply
    if kind == "transient":
        return _error(503, "SERVICE_UNAVAILABLE", "Service Unavailable")
    return _error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    return _error(404, "NOT_FOUND", f"No virtual resource found for {request.path}")


ROUTES: list[Route] = [
    _route("POST", r"/rest/posts", _create_post),
    _route("GET", r"/rest/posts", _posts_by_author),
    _route("POST", r"/rest/images", _initialize_upload),
    Route("PUT", r"/dms-uploads/(?P<key>[A-Za-z0-9]+)/uploadedImage/0", _upload_bytes),
    _route("GET", r"/rest/organizationalEntityShareStatistics", _share_statistics),
    _route("GET", r"/rest/socialActions/(?P<urn>[^/]+)/comments", _comments),
    *video_routes(_route, _error, ORGANIZATION),
]

__all__ = ["ROUTES", "error_reply", "not_found_reply", "post_json"]
