"""The sandbox's Threads API (graph.threads.net), served under ``/threads/v1.0/``.

Endpoints, shaped after Meta's Threads API reference: ``POST /{threads-user-id}/threads``
(a ``TEXT``, ``IMAGE``, ``VIDEO`` or ``CAROUSEL`` container; images and videos fetched from
their public URL, as Threads does, from the sandbox's hosted folder; a video container is
``IN_PROGRESS`` for a few status reads, ``ERROR`` with an ``error_message`` when a rehearsal
asks for a processing failure), ``GET /{container-id}?fields=status``,
``POST /{threads-user-id}/threads_publish`` (``creation_id``; 250 posts per 24 hours), ``GET
/{threads-user-id}/threads_publishing_limit``, ``GET /{threads-user-id}/threads`` (newest first),
``GET /{media-id}`` (``permalink``), ``GET /{media-id}/insights`` (views, likes, replies,
reposts, quotes), ``GET /{media-id}/replies`` and ``/conversation``; a container with
``reply_to_id`` publishes an answer to a reply.

Errors are Graph error objects (the Threads API shares them): 190 for an "expired" token, 100
for an unknown object, code 4 with ``X-Business-Use-Case-Usage`` when throttled, 1/2 for 5xx.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from connectors.sandbox.graph_api import (
    GraphFault,
    _carousel,
    _fetch_image,
    _image_media,
    _missing,
    _paged,
    _published_in_window,
    _text_arg,
    graph_time,
    parse_fields,
)
from connectors.sandbox.graph_api import error_reply as _graph_error_reply
from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import EXPIRED_TOKEN, SandboxComment, SandboxPost, SandboxState
from connectors.threads import counted_length

PLATFORM = "threads"
THREADS_USER_ID = "25200000000000001"
THREADS_USERNAME = "springfieldpd"
PREFIX = "/threads"
MAX_TEXT = 500
QUOTA_TOTAL = 250
DAY = timedelta(hours=24)
ID = r"[0-9A-Za-z_-]+"  # numeric on Threads; the sandbox's own posts may read threads-post-N
V = PREFIX + r"/v1\.0"
CONTAINERS_KEY = "threads.containers"
# A rehearsal sets these in ``state.extras``: the next video container fails processing with
# this ``error_message`` (e.g. FAILED_PROCESSING_VIDEO); status reads before a video is ready.
VIDEO_FAILURE_KEY = "threads.video_processing_failure"
VIDEO_POLLS_KEY = "threads.video_processing_polls"
DEFAULT_VIDEO_POLLS = 2
_LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709", b"com.apple.quicktime.location")

# The request paths this module answers (connectors.sandbox.server routes by it).
PATHS = re.compile(r"^/threads/v\d+\.\d+/")
# Where a post becomes public (the contract suite aims "created but 500" there).
PUBLISH_PATHS = {PLATFORM: r"/threads_publish$"}

# Insights metric -> (the audience model's figure it reports, its title, its description).
METRICS: dict[str, tuple[str, str, str]] = {
    "views": ("views", "Views", "The number of times your post was viewed."),
    "likes": ("likes", "Likes", "The number of likes on your post."),
    "replies": ("replies", "Replies", "The number of replies on your post."),
    "reposts": ("shares", "Reposts", "The number of times your post was reposted."),
    "quotes": ("quotes", "Quotes", "The number of times your post was quoted."),
}


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The threads section pointing at the sandbox: the API under ``/threads`` (the sandbox
    serves Graph at the root) and the fictional profile's id."""
    return {"base_url": f"{url}{PREFIX}", "user_id": THREADS_USER_ID}


# ---- plumbing --------------------------------------------------------------------------------
def _containers(state: SandboxState) -> dict[str, dict[str, Any]]:
    return state.extras.setdefault(CONTAINERS_KEY, {})


def _route(method: str, pattern: str, handler: Callable[..., Any]) -> Route:
    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        token = request.token()
        if not token:
            fault = GraphFault(104, "An access token is required to request this resource.")
            return Reply(fault.status, fault.body(state))
        if token == EXPIRED_TOKEN:
            fault = GraphFault(190, "Error validating access token: Session has expired.")
            return Reply(fault.status, fault.body(state))
        try:
            with state.lock:
                body = handler(state, request, **groups)
        except GraphFault as fault:
            return Reply(fault.status, fault.body(state))
        return Reply(200, body)

    return Route(method, V + pattern, handle)


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """Injected faults in the Graph shapes the Threads API answers with."""
    return _graph_error_reply(kind, state, request)


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    fault = GraphFault(100, f"Unknown path components: {request.path}")
    return Reply(fault.status, fault.body(state))


def _guard(user_id: str) -> None:
    if user_id != THREADS_USER_ID:
        raise _missing(user_id)


def _shortcode(media_id: str) -> str:
    return hashlib.sha256(media_id.encode()).hexdigest()[:11]


def _permalink(media_id: str) -> str:
    return f"https://www.threads.net/@{THREADS_USERNAME}/post/{_shortcode(media_id)}"


# ---- publishing ------------------------------------------------------------------------------
def container_create(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _guard(user_id)
    media_type = (request.arg("media_type") or "").upper()
    text = _text_arg(request, "text", MAX_TEXT, counted_length)
    container: dict[str, Any] = {
        "owner": user_id,
        "media_type": media_type,
        "text": text,
        "created_at": state.now(),
        "is_carousel_item": (request.arg("is_carousel_item") or "false").lower() == "true",
        "reply_to_id": request.arg("reply_to_id"),
        "media": [],
        "media_id": None,
    }
    if media_type == "TEXT":
        if not text:
            raise GraphFault(100, "(#100) The parameter text is required for media_type=TEXT")
    elif media_type == "IMAGE":
        container["media"] = [_image_media(state, request, PLATFORM)]
    elif media_type == "VIDEO":
        container["media"] = [_video_media(state, request, container)]
    elif media_type == "CAROUSEL":
        _children, container["media"] = _carousel(request, _containers(state), 20)
    else:
        raise GraphFault(100, "(#100) media_type must be TEXT, IMAGE, VIDEO or CAROUSEL")
    container_id = str(18_100_000_000_000_000 + state.next_number(PLATFORM))
    container["id"] = container_id
    _containers(state)[container_id] = container
    return {"id": container_id}


def _video_media(state: SandboxState, request: Request, container: dict[str, Any]) -> str:
    """Fetch ``video_url`` like Threads does; keep the bytes (a test reads them back) and
    whether any location marker survived."""
    video_url = request.arg("video_url")
    if not video_url:
        raise GraphFault(100, "(#100) The parameter video_url is required for media_type=VIDEO")
    fetched = _fetch_image(video_url)  # None: not on loopback, nothing to fetch
    data = fetched or b""
    if fetched is not None and data[4:8] != b"ftyp":
        container["error"] = "FAILED_DOWNLOADING_VIDEO"
    reason = state.extras.pop(VIDEO_FAILURE_KEY, None)
    if reason:
        container["error"] = str(reason)
    container["reads_left"] = int(state.extras.get(VIDEO_POLLS_KEY, DEFAULT_VIDEO_POLLS))
    media = state.add_media(
        PLATFORM,
        data,
        "video/mp4",
        alt_text=request.arg("alt_text"),
        extra={
            "video_url": video_url,
            "video": True,
            "location_markers": [m.decode("latin-1") for m in _LOCATION_MARKERS if m in data],
        },
    )
    return media.id


def _status(state: SandboxState, container: dict[str, Any], *, reading: bool = False) -> str:
    if container["media_id"]:
        return "PUBLISHED"
    if state.now() >= container["created_at"] + DAY:
        return "EXPIRED"
    if container.get("error"):
        return "ERROR"
    if container.get("reads_left", 0) > 0:
        if reading:  # processing advances as the status is read
            container["reads_left"] -= 1
        return "IN_PROGRESS"
    return "FINISHED"


def threads_publish(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _guard(user_id)
    creation_id = request.arg("creation_id") or ""
    container = _containers(state).get(creation_id)
    if container is None or container["is_carousel_item"]:
        raise GraphFault(100, f"(#100) Param creation_id {creation_id!r} is not a valid container")
    status = _status(state, container)
    if status != "FINISHED":
        raise GraphFault(24, f"The media container is {status.lower()} and cannot be published")
    if container["reply_to_id"]:
        return {"id": _publish_reply(state, container)}
    if len(_published_in_window(state, PLATFORM, THREADS_USER_ID)) >= QUOTA_TOTAL:
        raise GraphFault(4, "Application request limit reached", subcode=2207042)
    post = state.add_post(
        PLATFORM,
        user_id,
        container["text"],
        media=list(container["media"]),
        extra={"container_id": creation_id, "media_type": container["media_type"]},
        post_id=str(18_200_000_000_000_000 + state.next_number(PLATFORM)),
    )
    container["media_id"] = post.id
    return {"id": post.id}


def _publish_reply(state: SandboxState, container: dict[str, Any]) -> str:
    target = container["reply_to_id"]
    found = state.find_comment(PLATFORM, target)
    if found is None:
        raise _missing(target)
    post, _comment = found
    answer = state.add_comment(
        PLATFORM,
        post.id,
        THREADS_USERNAME,
        container["text"],
        author_id=THREADS_USER_ID,
        parent_id=target,
    )
    container["media_id"] = answer.id
    return answer.id


def publishing_limit(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _guard(user_id)
    fields = parse_fields(request.arg("fields"), "quota_usage")
    entry: dict[str, Any] = {}
    if "quota_usage" in fields:
        entry["quota_usage"] = len(_published_in_window(state, PLATFORM, THREADS_USER_ID))
    if "config" in fields:
        entry["config"] = {"quota_total": QUOTA_TOTAL, "quota_duration": int(DAY.total_seconds())}
    return {"data": [entry]}


# ---- reading ---------------------------------------------------------------------------------
def _post_json(post: SandboxPost, fields: dict[str, str]) -> dict[str, Any]:
    values = {
        "id": post.id,
        "text": post.text,
        "timestamp": graph_time(post.created_at),
        "permalink": _permalink(post.id),
        "username": THREADS_USERNAME,
        "media_product_type": "THREADS",
        "media_type": {
            "TEXT": "TEXT_POST",
            "IMAGE": "IMAGE",
            "VIDEO": "VIDEO",
            "CAROUSEL": "CAROUSEL_ALBUM",
        }.get(str(post.extra.get("media_type")), "TEXT_POST"),
        "shortcode": _shortcode(post.id),
        "is_quote_post": False,
    }
    return {name: values[name] for name in fields if name in values}


def user_threads(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _guard(user_id)
    fields = parse_fields(request.arg("fields"), "id")
    posts = list(reversed(state.posts(PLATFORM, THREADS_USER_ID)))
    return _paged(request, [_post_json(p, fields) for p in posts], 25, 100)


def node(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    container = _containers(state).get(object_id)
    if container is not None:
        # Threads API, "Troubleshooting": {"status": ..., "id": ...} and, on ERROR,
        # "error_message" (FAILED_DOWNLOADING_VIDEO, FAILED_PROCESSING_VIDEO, ...).
        status = _status(state, container, reading=True)
        body: dict[str, Any] = {"status": status, "id": object_id}
        if status == "ERROR":
            body["error_message"] = container["error"]
        return body
    post = state.get_post(PLATFORM, object_id)
    if post is None or post.deleted:
        found = state.find_comment(PLATFORM, object_id)
        if found is None:
            raise _missing(object_id)
        return _reply_json(found[0], found[1], parse_fields(request.arg("fields"), "id"))
    return _post_json(post, parse_fields(request.arg("fields"), "id"))


def insights(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    post = state.get_post(PLATFORM, object_id)
    if post is None or post.deleted:
        raise _missing(object_id)
    names = [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]
    for name in names:
        if name not in METRICS:
            raise GraphFault(
                100, f"(#100) metric[0] must be one of the following values: {', '.join(METRICS)}"
            )
    figures = state.metrics(PLATFORM, object_id)
    data = []
    for name in names:
        figure, title, description = METRICS[name]
        data.append(
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": figures[figure]}],
                "title": title,
                "description": description,
                "id": f"{object_id}/insights/{name}/lifetime",
            }
        )
    return {"data": data}


def _reply_json(post: SandboxPost, comment: SandboxComment, fields: dict[str, str]) -> dict:
    values = {
        "id": comment.id,
        "text": comment.text,
        "username": comment.author,
        "timestamp": graph_time(comment.created_at),
        "permalink": f"https://www.threads.net/@{comment.author}/post/{_shortcode(comment.id)}",
        "media_product_type": "THREADS",
        "media_type": "TEXT_POST",
        "shortcode": _shortcode(comment.id),
        "has_replies": False,
        "root_post": {"id": post.id},
        "replied_to": {"id": comment.parent_id or post.id},
        "is_reply": True,
        "is_reply_owned_by_me": comment.author_id == THREADS_USER_ID,
        "hide_status": "NOT_HUSHED",
    }
    return {name: values[name] for name in fields if name in values}


def _replies(state: SandboxState, request: Request, object_id: str, *, nested: bool) -> dict:
    post = state.get_post(PLATFORM, object_id)
    parent: str | None = None
    if post is None:
        found = state.find_comment(PLATFORM, object_id)
        if found is None:
            raise _missing(object_id)
        post, parent = found[0], object_id
    fields = parse_fields(request.arg("fields"), "id")
    comments = state.comments(PLATFORM, post.id)
    if not nested:
        comments = [c for c in comments if c.parent_id == parent]
    if (request.arg("reverse") or "true").lower() != "false":
        comments = list(reversed(comments))
    return _paged(request, [_reply_json(post, c, fields) for c in comments], 25, 100)


def replies(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    return _replies(state, request, object_id, nested=False)


def conversation(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    return _replies(state, request, object_id, nested=True)


ROUTES: list[Route] = [
    _route("POST", rf"/(?P<user_id>{ID})/threads", container_create),
    _route("POST", rf"/(?P<user_id>{ID})/threads_publish", threads_publish),
    _route("GET", rf"/(?P<user_id>{ID})/threads_publishing_limit", publishing_limit),
    _route("GET", rf"/(?P<user_id>{ID})/threads", user_threads),
    _route("GET", rf"/(?P<object_id>{ID})/insights", insights),
    _route("GET", rf"/(?P<object_id>{ID})/replies", replies),
    _route("GET", rf"/(?P<object_id>{ID})/conversation", conversation),
    _route("GET", rf"/(?P<object_id>{ID})", node),
]
