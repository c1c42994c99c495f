"""The Graph API subset the Facebook and Instagram connectors call, emulated over ``SandboxState``.

Paths live under ``/v{N}.{M}/`` (any version). Shapes, codes and headers follow Meta's Graph API
reference (Page feed and photos, Page post fields and insights, Instagram content publishing,
media insights and comments, "Handling Errors", "Rate Limiting"):

- errors are ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``; a missing
  token gets code 104, the token ``"expired"`` code 190 (subcode 463);
- every answer carries ``X-Business-Use-Case-Usage`` (Page or Instagram account: ``call_count``,
  ``total_time``, ``total_cputime`` in percent of an hourly budget of simulated time, and
  ``estimated_time_to_regain_access`` in minutes); a spent budget answers code 80001 (Page) or
  80002 (Instagram);
- the same message posted on the Page twice within 24 hours gets code 506 "Duplicate status
  message";
- retired insights metrics (``post_impressions*``, Instagram ``impressions``/``plays``...) answer
  code 100 "must be a valid insights metric", as Meta's API does after a deprecation;
- ``?ids=`` reads up to 50 objects at once; an unknown alias answers code 803;
- a node's ``comments`` field expands like the edge (field expansion): ``.limit(n)``,
  ``.filter(stream)``, ``.order(reverse_chronological)``, ``.summary(true)`` and ``{subfields}``,
  with ``paging`` whose ``next`` continues on the ``/{id}/comments`` edge; Instagram comments
  nest ``replies``, and a reply to a reply is served under its top-level comment, as Instagram
  attaches it there;
- Instagram containers are ``IN_PROGRESS`` for ``state.extras["graph.container_reads_in_progress"]``
  status reads (default 0: ready at once) or until ``graph.container_processing_seconds`` of
  simulated time pass, then ``FINISHED``; ``PUBLISHED`` once published; ``EXPIRED`` after 24 h.
  ``media_publish`` counts against 50 posts per rolling 24 hours (code 9, subcode 2207042), and
  ``content_publishing_limit`` reports that count.

Images Instagram would fetch from ``image_url`` are fetched when the URL is on loopback (the
sandbox's own ``/_sandbox/hosted/`` folder), so tests can check what would have been published;
other hosts cannot be reached from here and are recorded without bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from typing import Any
from urllib.parse import urlencode, urlsplit

from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import (
    EXPIRED_TOKEN,
    FACEBOOK_PAGE_ID,
    FACEBOOK_PAGE_NAME,
    INSTAGRAM_USER_ID,
    INSTAGRAM_USERNAME,
    SandboxComment,
    SandboxPost,
    SandboxState,
)

# The request paths this module answers (connectors.sandbox.server routes by it).
PATHS = re.compile(r"^/v\d+\.\d+/")
# Where a post becomes public (the contract suite aims "created but 500" there).
PUBLISH_PATHS = {"facebook": r"/(feed|photos)$", "instagram": r"/media_publish$"}


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The non-secret settings of ``platform``'s section pointing at the sandbox at ``url``
    (base_url aside): the fictional Page or account."""
    if platform == "facebook":
        return {"page_id": FACEBOOK_PAGE_ID}
    return {"ig_user_id": INSTAGRAM_USER_ID, "media_base_url": f"{url}/_sandbox/hosted/"}


V = r"/v\d+\.\d+"
ID = r"[0-9A-Za-z_]+"
MAX_IDS = 50
DAY = timedelta(hours=24)
HOUR = timedelta(hours=1)
DEFAULT_CALLS_PER_HOUR = 1000
IG_QUOTA_TOTAL = 50
CONTAINER_LIFETIME = DAY
MAX_CAPTION = 2200
MAX_HASHTAGS = 30
MIN_ASPECT, MAX_ASPECT = 4 / 5, 1.91

# Insights metric -> how the sandbox computes it from the audience model's figures.
FACEBOOK_METRICS: dict[str, Callable[[dict[str, int]], Any]] = {
    "post_media_view": lambda m: m["views"],
    "post_total_media_view_unique": lambda m: m["reach"],
    "post_clicks": lambda m: m["link_clicks"] + m["saves"],
    "post_clicks_by_type": lambda m: {
        "link clicks": m["link_clicks"],
        "other clicks": m["saves"],
    },
    "post_reactions_by_type_total": lambda m: {"like": m["likes"]} if m["likes"] else {},
}
INSTAGRAM_METRICS: dict[str, Callable[[dict[str, int]], Any]] = {
    "views": lambda m: m["views"],
    "reach": lambda m: m["reach"],
    "likes": lambda m: m["likes"],
    "comments": lambda m: m["replies"],
    "shares": lambda m: m["shares"],
    "saved": lambda m: m["saves"],
    "total_interactions": lambda m: m["likes"] + m["replies"] + m["shares"] + m["saves"],
}


# ---- errors and headers --------------------------------------------------------------------


class GraphFault(Exception):
    """Raised inside handlers; becomes a Graph error object."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: int = 400,
        subcode: int | None = None,
        kind: str = "OAuthException",
        user_msg: str | None = None,
        transient: bool = False,
    ):
        super().__init__(message)
        self.code, self.message, self.status, self.subcode = code, message, status, subcode
        self.kind, self.user_msg, self.transient = kind, user_msg, transient

    def body(self, state: SandboxState) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.kind, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.user_msg:
            error["error_user_msg"] = self.user_msg
        if self.transient:
            error["is_transient"] = True
        error["fbtrace_id"] = _trace_id(state)
        return {"error": error}


def _trace_id(state: SandboxState) -> str:
    digest = hashlib.sha256(f"{state.seed}:{state.next_number()}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _invalid_metric(metric: str) -> GraphFault:
    return GraphFault(
        100,
        f"(#100) The value must be a valid insights metric (got {metric})",
        kind="OAuthException",
    )


def _missing(object_id: str) -> GraphFault:
    return GraphFault(
        100,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph "
        "API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
        kind="GraphMethodException",
    )


def _budget(state: SandboxState) -> int:
    return int(state.extras.get("graph.calls_per_hour", DEFAULT_CALLS_PER_HOUR))


def _usage_headers(
    state: SandboxState, account: str, kind: str, *, consume: bool
) -> tuple[dict[str, str], bool]:
    """Count one call against the account's hourly budget; BUC usage header for the reply."""
    status = state.rate_window(f"graph:{account}", _budget(state), HOUR, consume=consume)
    used = status.limit - status.remaining
    percent = min(100, round(100 * used / status.limit)) if status.limit else 100
    regain = 0
    if status.exceeded:
        remaining = max(0.0, (status.reset_at - state.now()).total_seconds())
        regain = max(1, int(-(-remaining // 60)))
    usage = {
        account: [
            {
                "type": kind,
                "call_count": percent,
                "total_cputime": max(1, percent // 4),
                "total_time": max(1, percent // 3),
                "estimated_time_to_regain_access": regain,
            }
        ]
    }
    return {"X-Business-Use-Case-Usage": json.dumps(usage, separators=(",", ":"))}, status.exceeded


def _throttled(kind: str) -> GraphFault:
    if kind == "instagram":
        return GraphFault(
            80002,
            "There have been too many calls to this Instagram account. Wait a bit and try again.",
        )
    return GraphFault(
        80001, "There have been too many calls to this Page account. Wait a bit and try again."
    )


def _account_for(state: SandboxState, request: Request) -> tuple[str, str]:
    """(business object id, usage type) a request counts against."""
    path = request.path
    ids = request.arg("ids") or ""
    probe = path.split("/")[2] if path.count("/") >= 2 else ""
    candidates = [probe] + [i.strip() for i in ids.split(",") if i.strip()]
    for candidate in candidates:
        if candidate == INSTAGRAM_USER_ID or candidate in state.containers:
            return INSTAGRAM_USER_ID, "instagram"
        if state.get_post("instagram", candidate) is not None:
            return INSTAGRAM_USER_ID, "instagram"
        if candidate == FACEBOOK_PAGE_ID or candidate.startswith(f"{FACEBOOK_PAGE_ID}_"):
            return FACEBOOK_PAGE_ID, "pages"
        if state.get_post("facebook", candidate) is not None:
            return FACEBOOK_PAGE_ID, "pages"
    return FACEBOOK_PAGE_ID, "pages"


Handler = Callable[..., Any]


def _route(method: str, pattern: str, handler: Handler) -> Route:
    """Wrap ``handler`` with what every Graph call does: token check, usage budget, errors."""

    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        account, kind = _account_for(state, request)
        token = request.token()
        if not token:
            headers, _ = _usage_headers(state, account, kind, consume=False)
            fault = GraphFault(104, "An access token is required to request this resource.")
            return Reply(fault.status, fault.body(state), headers)
        if token == EXPIRED_TOKEN:
            headers, _ = _usage_headers(state, account, kind, consume=False)
            fault = GraphFault(
                190,
                "Error validating access token: Session has expired.",
                subcode=463,
            )
            return Reply(fault.status, fault.body(state), headers)
        headers, exceeded = _usage_headers(state, account, kind, consume=True)
        if exceeded:
            return Reply(400, _throttled(kind).body(state), headers)
        try:
            with state.lock:
                body = handler(state, request, **groups)
        except GraphFault as fault:
            return Reply(fault.status, fault.body(state), headers)
        return Reply(200, body, headers)

    return Route(method, V + pattern, handle)


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """Injected faults in Graph's shapes: code 2 (transient), BUC throttling, code 1 (500)."""
    account, usage_kind = _account_for(state, request)
    headers, _ = _usage_headers(state, account, usage_kind, consume=False)
    if kind == "rate_limited":
        seconds = state.faults.plan.rate_limit_reset_seconds
        minutes = max(1, int(-(-seconds // 60)))
        headers["X-Business-Use-Case-Usage"] = json.dumps(
            {
                account: [
                    {
                        "type": usage_kind,
                        "call_count": 100,
                        "total_cputime": 40,
                        "total_time": 45,
                        "estimated_time_to_regain_access": minutes,
                    }
                ]
            },
            separators=(",", ":"),
        )
        return Reply(400, _throttled(usage_kind).body(state), headers)
    if kind == "transient":
        fault = GraphFault(
            2,
            "An unexpected error has occurred. Please retry your request later.",
            status=503,
            transient=True,
        )
        return Reply(fault.status, fault.body(state), headers)
    fault = GraphFault(1, "An unknown error occurred", status=500, subcode=99, transient=True)
    return Reply(fault.status, fault.body(state), headers)


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    fault = GraphFault(
        2500 if request.method == "GET" else 100,
        f"Unknown path components: {request.path}",
    )
    return Reply(fault.status, fault.body(state))


# ---- field expressions, times, paging ------------------------------------------------------


def split_fields(expression: str) -> list[str]:
    """Top-level items of a fields list: commas inside ``(...)`` and ``{...}`` do not split."""
    items: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(expression):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(expression[start:index].strip())
            start = index + 1
    items.append(expression[start:].strip())
    return [item for item in items if item]


def parse_fields(expression: str | None, default: str) -> dict[str, str]:
    """``{field name: the rest of its expression}`` (``insights`` -> ``.metric(a,b)``)."""
    found: dict[str, str] = {}
    for item in split_fields(expression or default):
        match = re.match(r"[A-Za-z_]+", item)
        if match:
            found[match.group(0)] = item[match.end() :]
    return found


def _metric_list(rest: str) -> list[str]:
    match = re.search(r"\.metric\(([^)]*)\)", rest)
    return [m.strip() for m in match.group(1).split(",") if m.strip()] if match else []


def _subfields(rest: str) -> str | None:
    match = re.search(r"\{(.*)\}", rest)
    return match.group(1) if match else None


def _modifiers(rest: str) -> dict[str, str]:
    """``.name(value)`` modifiers of a field, before its ``{subfields}`` (``.limit(5)`` -> 5)."""
    head = rest.split("{", 1)[0]
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"\.([a-z_]+)\(([^)]*)\)", head)}


def _int_modifier(modifiers: dict[str, str], name: str, default: int, high: int) -> int:
    raw = modifiers.get(name)
    if raw is None:
        return default
    try:
        return max(0, min(high, int(raw)))
    except ValueError:
        raise GraphFault(100, f"(#100) The modifier {name} must be an integer") from None


def _expanded_edge(
    request: Request | None,
    object_id: str,
    items: list[dict[str, Any]],
    limit: int,
    edge_query: dict[str, str],
) -> dict[str, Any]:
    """The first page of an edge expanded inside a node read, shaped like the edge's own reply.

    ``paging.next`` continues on ``/{object_id}/{edge}`` with the same modifiers as query
    parameters, the way the Graph API hands out links for expanded edges.
    """
    page = items[:limit]
    body: dict[str, Any] = {"data": page}
    if page:
        paging: dict[str, Any] = {"cursors": {"before": _cursor(0), "after": _cursor(len(page))}}
        if len(items) > limit and request is not None:
            version = re.match(V, request.path)
            query = dict(edge_query, limit=str(limit), after=_cursor(len(page)))
            token = request.arg("access_token")
            if token:
                query["access_token"] = token
            host = request.header("Host") or "127.0.0.1"
            prefix = version.group(0) if version else "/v25.0"
            paging["next"] = f"http://{host}{prefix}/{object_id}/comments?{urlencode(query)}"
        body["paging"] = paging
    return body


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _unix_arg(request: Request, name: str) -> datetime | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise GraphFault(100, f"(#100) The parameter {name} is not a valid time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _limit_arg(request: Request, default: int, high: int) -> int:
    raw = request.arg("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise GraphFault(100, "(#100) The parameter limit must be an integer") from None
    return max(1, min(high, value))


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(request: Request) -> int:
    raw = request.arg("after")
    if not raw:
        return 0
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        return max(0, int(text.removeprefix("offset:")))
    except (ValueError, UnicodeDecodeError):
        raise GraphFault(100, "(#100) Invalid cursor (after)") from None


def _paged(
    request: Request, items: list[dict[str, Any]], default: int, high: int
) -> dict[str, Any]:
    """One page with ``paging.cursors`` and, when more remain, a ``paging.next`` URL."""
    size = _limit_arg(request, default, high)
    offset = _offset(request)
    page = items[offset : offset + size]
    body: dict[str, Any] = {"data": page}
    if page:
        paging: dict[str, Any] = {
            "cursors": {"before": _cursor(offset), "after": _cursor(offset + len(page))}
        }
        if offset + size < len(items):
            query = {k: v[-1] for k, v in request.query.items()}
            query["after"] = _cursor(offset + len(page))
            host = request.header("Host") or "127.0.0.1"
            paging["next"] = f"http://{host}{request.path}?{urlencode(query)}"
        body["paging"] = paging
    return body


# ---- Facebook Page -----------------------------------------------------------------------


def _page_guard(page_id: str) -> None:
    if page_id != FACEBOOK_PAGE_ID:
        raise _missing(page_id)


def _fb_post_url(post_id: str) -> str:
    page, _, story = post_id.partition("_")
    return f"https://www.facebook.com/{page}/posts/{story}"


def _check_duplicate(state: SandboxState, message: str) -> None:
    if not message.strip():
        return
    since = state.now() - DAY
    for post in state.posts("facebook", FACEBOOK_PAGE_ID):
        if post.created_at >= since and post.text.strip() == message.strip():
            raise GraphFault(506, "(#506) Duplicate status message", subcode=1455006)


def _sniff(data: bytes) -> tuple[str, int, int] | None:
    try:
        from PIL import Image, UnidentifiedImageError

        with Image.open(io.BytesIO(data)) as img:
            fmt = (img.format or "").upper()
            return fmt, img.width, img.height
    except (UnidentifiedImageError, OSError, ValueError):
        return None


_FB_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}


def _bool_arg(request: Request, name: str, default: bool) -> bool:
    raw = request.arg(name)
    if raw is None:
        return default
    return raw.strip().lower() not in ("false", "0", "no")


def page_feed_create(state: SandboxState, request: Request, page_id: str) -> dict[str, Any]:
    _page_guard(page_id)
    message = request.arg("message") or ""
    link = request.arg("link")
    attached: list[str] = []
    for key, value in sorted(request.form().items()):
        if key.startswith("attached_media["):
            try:
                fbid = str(json.loads(value)["media_fbid"])
            except (ValueError, KeyError, TypeError):
                raise GraphFault(100, f"(#100) Invalid attached_media: {value}") from None
            media = state.get_media("facebook", fbid)
            if media is None or media.extra.get("published") or media.extra.get("attached_to"):
                raise GraphFault(
                    100, f"(#100) attached_media {fbid} is not an unpublished photo of this Page"
                )
            attached.append(fbid)
    if not message and not link and not attached:
        raise GraphFault(100, "(#100) Missing message or attachment")
    _check_duplicate(state, message)
    post = state.add_post(
        "facebook",
        FACEBOOK_PAGE_ID,
        message,
        media=attached,
        extra={"link": link, "via": "feed"},
    )
    for fbid in attached:
        media = state.get_media("facebook", fbid)
        if media is not None:
            media.extra["attached_to"] = post.id
    return {"id": post.id}


def page_photo_create(state: SandboxState, request: Request, page_id: str) -> dict[str, Any]:
    _page_guard(page_id)
    upload = request.files().get("source")
    if upload is None or not upload.data:
        raise GraphFault(324, "(#324) Requires upload file", subcode=2069019)
    sniffed = _sniff(upload.data)
    if sniffed is None or sniffed[0] not in _FB_FORMATS:
        raise GraphFault(324, "(#324) Missing or invalid image file")
    published = _bool_arg(request, "published", True)
    message = request.arg("message") or ""
    if published:
        _check_duplicate(state, message)
    media = state.add_media(
        "facebook",
        upload.data,
        _FB_FORMATS[sniffed[0]],
        alt_text=request.arg("alt_text_custom"),
        extra={"published": published, "width": sniffed[1], "height": sniffed[2]},
    )
    if not published:
        return {"id": media.id}
    post = state.add_post(
        "facebook", FACEBOOK_PAGE_ID, message, media=[media.id], extra={"via": "photos"}
    )
    media.extra["attached_to"] = post.id
    return {"id": media.id, "post_id": post.id}


# Page videos: chunked upload sessions (start / transfer / finish), processing, captions.
FB_CHUNK = 1024 * 1024  # the byte range Facebook asks for per transfer
FB_VIDEO_FAILURE_KEY = "graph.video_processing_failure"  # the next video fails with this reason
FB_VIDEO_POLLS_KEY = "graph.video_processing_polls"  # status reads before a video is ready
_KEEP_VIDEO = 16 * 1024 * 1024


def page_video_upload(state: SandboxState, request: Request, page_id: str) -> dict[str, Any]:
    _page_guard(page_id)
    phase = request.arg("upload_phase")
    sessions = state.extras.setdefault("graph.video_sessions", {})
    if phase == "start":
        size = int(request.arg("file_size") or 0)
        if size <= 0:
            raise GraphFault(100, "(#100) file_size must be a positive number")
        video_id = state.new_id("facebook", "media")
        session_id = state.new_id("facebook", "upload")
        sessions[session_id] = {
            "video_id": video_id,
            "size": size,
            "received": 0,
            "data": bytearray() if size <= _KEEP_VIDEO else None,
            "markers": set(),
            "finished": False,
        }
        return {
            "video_id": video_id,
            "upload_session_id": session_id,
            "start_offset": "0",
            "end_offset": str(min(FB_CHUNK, size)),
        }
    session = sessions.get(request.arg("upload_session_id") or "")
    if session is None:
        raise GraphFault(
            6000,
            "There was a problem uploading your video file. Please try again with another file.",
            subcode=1363019,
        )
    if phase == "transfer":
        offset = int(request.arg("start_offset") or -1)
        chunk = request.files().get("video_file_chunk")
        if chunk is None or offset != session["received"]:
            raise GraphFault(
                6001,
                f"(#6001) Expected start_offset {session['received']}, got {offset}",
                subcode=1363037,
            )
        expected = min(FB_CHUNK, session["size"] - offset)
        if len(chunk.data) != expected:
            raise GraphFault(
                6001,
                f"(#6001) The chunk must be {expected} bytes, not {len(chunk.data)}",
                subcode=1363037,
            )
        session["received"] += len(chunk.data)
        session["markers"].update(m for m in _LOCATION_MARKERS if m in chunk.data)
        if session["data"] is not None:
            session["data"].extend(chunk.data)
        start = session["received"]
        return {
            "start_offset": str(start),
            "end_offset": str(min(start + FB_CHUNK, session["size"])),
        }
    if phase == "finish":
        if session["received"] != session["size"]:
            raise GraphFault(6001, "(#6001) The upload is not complete", subcode=1363037)
        if not session["finished"]:
            description = request.arg("description") or ""
            _check_duplicate(state, description)
            _post_video(
                state,
                bytes(session["data"] or b""),
                session["video_id"],
                description,
                via="videos",
                alt_text=request.arg("title"),
                size=session["size"],
                markers=sorted(m.decode("latin-1") for m in session["markers"]),
            )
            session["finished"] = True
        return {"success": True}
    raise GraphFault(100, f"(#100) upload_phase must be start, transfer or finish, not {phase}")


def _post_video(
    state: SandboxState,
    data: bytes,
    video_id: str,
    description: str,
    *,
    via: str,
    size: int,
    markers: list[str],
    alt_text: str | None = None,
    reel: bool = False,
) -> None:
    """A finished upload becomes the Page's published video and its post (same id)."""
    media = state.add_media(
        "facebook",
        data,
        "video/mp4",
        alt_text=alt_text,
        media_id=video_id,
        extra={
            "published": True,
            "video": True,
            **({"reel": True} if reel else {}),
            "size": size,
            "location_markers": markers,
            "failure": state.extras.pop(FB_VIDEO_FAILURE_KEY, None),
            "polls_left": int(state.extras.get(FB_VIDEO_POLLS_KEY, 1)),
        },
    )
    state.add_post(
        "facebook",
        FACEBOOK_PAGE_ID,
        description,
        media=[media.id],
        extra={"via": via, "video": True},
        post_id=media.id,
    )


def page_reels(state: SandboxState, request: Request, page_id: str) -> dict[str, Any]:
    """``/{page-id}/video_reels``: start (a video id and the address to upload to), finish."""
    _page_guard(page_id)
    reels = state.extras.setdefault("graph.reels", {})
    phase = request.arg("upload_phase")
    if phase == "start":
        video_id = state.new_id("facebook", "media")
        reels[video_id] = {"data": bytearray(), "size": None, "finished": False}
        version = request.path.split("/")[1]
        host = request.header("Host") or "127.0.0.1"
        return {"video_id": video_id, "upload_url": f"http://{host}/{version}/rupload/{video_id}"}
    reel = reels.get(request.arg("video_id") or "")
    if reel is None:
        raise GraphFault(100, "(#100) Invalid video_id")
    if phase == "finish":
        if reel["size"] is None or len(reel["data"]) != reel["size"]:
            raise GraphFault(
                6001, "(#6001) The video has not been uploaded completely", subcode=1363037
            )
        if request.arg("video_state") != "PUBLISHED":
            raise GraphFault(100, "(#100) video_state must be PUBLISHED, DRAFT or SCHEDULED")
        if not reel["finished"]:
            data = bytes(reel["data"])
            _post_video(
                state,
                data,
                request.arg("video_id") or "",
                request.arg("description") or "",
                via="video_reels",
                size=len(data),
                markers=[m.decode("latin-1") for m in _LOCATION_MARKERS if m in data],
                reel=True,
            )
            reel["finished"] = True
        return {"success": True}
    raise GraphFault(100, f"(#100) upload_phase must be start or finish, not {phase}")


def reel_upload(state: SandboxState, request: Request, video_id: str) -> dict[str, Any]:
    """The upload address: GET says how many bytes arrived; POST appends at ``offset``."""
    reel = state.extras.setdefault("graph.reels", {}).get(video_id)
    if reel is None:
        raise _missing(video_id)
    if request.method == "GET":
        return {"offset": len(reel["data"])}
    try:
        offset, size = int(request.header("offset") or ""), int(request.header("file_size") or "")
    except ValueError:
        raise GraphFault(100, "(#100) offset and file_size headers are required") from None
    if offset != len(reel["data"]):
        raise GraphFault(100, f"(#100) offset must be {len(reel['data'])}, not {offset}")
    reel["size"] = size
    reel["data"].extend(request.body)
    return {"success": True}


def video_captions(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    media = state.get_media("facebook", object_id)
    upload = request.files().get("captions_file")
    if media is None or not media.extra.get("video"):
        raise _missing(object_id)
    if upload is None or not (upload.filename or "").endswith(".srt") or b"-->" not in upload.data:
        raise GraphFault(100, "(#100) captions_file must be a SubRip file named NAME.LOCALE.srt")
    media.extra["captions"] = upload.filename
    return {"success": True}


def _video_status(media: Any) -> dict[str, Any]:
    if media.extra["polls_left"] > 0:
        media.extra["polls_left"] -= 1
        return {"video_status": "processing", "processing_phase": {"status": "in_progress"}}
    if media.extra.get("failure"):
        return {
            "video_status": "error",
            "processing_phase": {"status": "error", "error": {"message": media.extra["failure"]}},
        }
    return {"video_status": "ready", "processing_phase": {"status": "complete"}}


def page_posts(state: SandboxState, request: Request, page_id: str) -> dict[str, Any]:
    _page_guard(page_id)
    since, until = _unix_arg(request, "since"), _unix_arg(request, "until")
    fields = parse_fields(request.arg("fields"), "created_time,message,id")
    posts = [
        p
        for p in reversed(state.posts("facebook", FACEBOOK_PAGE_ID))
        if (since is None or p.created_at >= since) and (until is None or p.created_at <= until)
    ]
    items = [_fb_post_json(_Shown(state, p), fields) for p in posts]
    return _paged(request, items, 25, 100)


def _insights_json(
    object_id: str,
    metrics: list[str],
    known: dict[str, Callable[[dict[str, int]], Any]],
    figures: dict[str, int],
) -> dict[str, Any]:
    if not metrics:
        raise GraphFault(100, "(#100) The parameter metric is required")
    data = []
    for metric in metrics:
        if metric not in known:
            raise _invalid_metric(metric)
        data.append(
            {
                "name": metric,
                "period": "lifetime",
                "values": [{"value": known[metric](figures)}],
                "title": metric.replace("_", " ").capitalize(),
                "description": f"Lifetime: {metric.replace('_', ' ')}",
                "id": f"{object_id}/insights/{metric}/lifetime",
            }
        )
    return {"data": data}


@dataclass
class _Shown:
    """A Page post or Instagram media being shown, field by field: ``request`` is the node
    read's (None in an edge's list, where an expanded ``comments`` gets no ``paging.next``)."""

    state: SandboxState
    post: SandboxPost
    request: Request | None = None

    @cached_property
    def figures(self) -> dict[str, int]:
        """The post's engagement, read once, and only when a field asked for shows it."""
        return self.state.metrics(self.post.platform, self.post.id)


# A post's field worked out from the field's modifiers and subfields (``rest``).
_Computed = Callable[[_Shown, str], Any]


def _post_fields_json(
    shown: _Shown, fields: dict[str, str], plain: dict[str, Any], computed: dict[str, _Computed]
) -> dict[str, Any]:
    """The ``fields`` of a post asked for, in the order asked: ``plain`` values as they are,
    ``computed`` ones worked out. A field valued None, or one the post does not have, is left
    out (Graph leaves out an empty message or caption, and shares while a post has none)."""
    out: dict[str, Any] = {}
    for name, rest in fields.items():
        value = computed[name](shown, rest) if name in computed else plain.get(name)
        if value is not None:
            out[name] = value
    return out


def _post_insights(
    shown: _Shown, rest: str, known: dict[str, Callable[[dict[str, int]], Any]]
) -> dict[str, Any]:
    """``insights`` expanded on a post: the ``.metric(...)`` named, from ``known``."""
    return _insights_json(shown.post.id, _metric_list(rest), known, shown.figures)


def _fb_post_json(shown: _Shown, fields: dict[str, str]) -> dict[str, Any]:
    post = shown.post
    plain = {
        "id": post.id,
        "message": post.text or None,
        "created_time": graph_time(post.created_at),
        "permalink_url": _fb_post_url(post.id),
        "from": {"name": FACEBOOK_PAGE_NAME, "id": FACEBOOK_PAGE_ID},
    }
    out = _post_fields_json(shown, fields, plain, _FB_POST_COMPUTED)
    out.setdefault("id", post.id)
    return out


def _fb_likes(shown: _Shown, rest: str) -> dict[str, Any]:
    summary = {"total_count": shown.figures["likes"], "viewer_reaction": "NONE"}
    return {"data": [], "summary": summary}


def _fb_shares(shown: _Shown, rest: str) -> dict[str, int] | None:
    shares = shown.figures["shares"]
    return {"count": shares} if shares else None


def _fb_comments_field(shown: _Shown, rest: str) -> dict[str, Any]:
    """``comments`` expanded on a Page post: the edge's first page, its summary on request."""
    state, post, request = shown.state, shown.post, shown.request
    modifiers = _modifiers(rest)
    found = state.comments("facebook", post.id)
    limit = _int_modifier(modifiers, "limit", 25, 100)
    body: dict[str, Any] = {"data": []}
    if limit:
        by_id = {c.id: c for c in found}
        stream = modifiers.get("filter", "toplevel") == "stream"
        listed = found if stream else [c for c in found if c.parent_id is None]
        order = modifiers.get("order", "chronological")
        if order == "reverse_chronological":
            listed = list(reversed(listed))
        sub = _subfields(rest) or "created_time,message,id"
        items = [_fb_comment_json(c, post, parse_fields(sub, sub), by_id) for c in listed]
        edge_query = {"fields": sub, "filter": "stream" if stream else "toplevel", "order": order}
        body = _expanded_edge(request, post.id, items, limit, edge_query)
    if modifiers.get("summary") == "true":
        body["summary"] = {"order": "ranked", "total_count": len(found), "can_comment": True}
    return body


_FB_POST_COMPUTED: dict[str, _Computed] = {
    "reactions": _fb_likes,
    "likes": _fb_likes,
    "comments": _fb_comments_field,
    "shares": _fb_shares,
    "insights": partial(_post_insights, known=FACEBOOK_METRICS),
}


def _fb_comment_json(
    comment: SandboxComment,
    post: SandboxPost,
    fields: dict[str, str],
    by_id: dict[str, SandboxComment],
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": comment.id}
    for name in fields:
        if name == "message":
            out["message"] = comment.text
        elif name == "created_time":
            out["created_time"] = graph_time(comment.created_at)
        elif name == "from" and comment.author_id:
            out["from"] = {"name": comment.author, "id": comment.author_id}
        elif name == "permalink_url":
            # a page post's id is "{page}_{story}"; a page video's is the video's own
            story = post.id.partition("_")[2]
            where = f"posts/{story}" if story else f"videos/{post.id}/"
            out["permalink_url"] = (
                f"https://www.facebook.com/{FACEBOOK_PAGE_ID}/{where}"
                f"?comment_id={comment.id.rpartition('_')[2]}"
            )
        elif name == "parent" and comment.parent_id and comment.parent_id in by_id:
            parent = by_id[comment.parent_id]
            out["parent"] = {
                "id": parent.id,
                "created_time": graph_time(parent.created_at),
                "message": parent.text,
            }
    return out


# ---- Instagram -----------------------------------------------------------------------------


def _ig_guard(user_id: str) -> None:
    if user_id != INSTAGRAM_USER_ID:
        raise _missing(user_id)


def _shortcode(media_id: str) -> str:
    digest = hashlib.sha256(media_id.encode()).digest()
    return base64.urlsafe_b64encode(digest[:8]).decode().rstrip("=").replace("-", "A")


def _ig_permalink(media_id: str) -> str:
    return f"https://www.instagram.com/p/{_shortcode(media_id)}/"


def _fetch_image(url: str) -> bytes | None:
    """Fetch ``url`` if it is on loopback (the sandbox's hosted folder); None for other hosts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise GraphFault(
            9004,
            "The media could not be fetched from this URI",
            subcode=2207052,
            user_msg=f"The media could not be fetched from this URI: {url}",
        )
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.read()
    except (urllib.error.URLError, OSError):
        raise GraphFault(
            9004,
            "The media could not be fetched from this URI",
            subcode=2207052,
            user_msg=f"The media could not be fetched from this URI: {url}",
        ) from None


def _container_status(state: SandboxState, container: dict[str, Any], *, reading: bool) -> str:
    if container.get("media_id"):
        return "PUBLISHED"
    now = state.now()
    if now >= container["created_at"] + CONTAINER_LIFETIME:
        return "EXPIRED"
    if container.get("error"):
        return "ERROR"
    if reading and container["reads_left"] > 0:
        container["reads_left"] -= 1
        return "IN_PROGRESS"
    if container["reads_left"] > 0 or now < container["ready_at"]:
        return "IN_PROGRESS"
    return "FINISHED"


def _carousel(
    request: Request, containers: dict[str, dict[str, Any]], most: int
) -> tuple[list[str], list[str]]:
    """A carousel container's ``children`` (2 to ``most`` carousel item containers, as Instagram
    and Threads check them) and their media, in order."""
    children = [c.strip() for c in (request.arg("children") or "").split(",") if c.strip()]
    if not 2 <= len(children) <= most:
        raise GraphFault(100, f"(#100) A carousel takes between 2 and {most} children")
    for child in children:
        item = containers.get(child)
        if item is None or not item["is_carousel_item"]:
            raise GraphFault(100, f"(#100) Invalid carousel child container: {child}")
    return children, [m for c in children for m in containers[c]["media"]]


def _text_arg(request: Request, name: str, most: int, length: Callable[[str], int] = len) -> str:
    """A container's text parameter (Instagram's ``caption``, Threads' ``text``), "" when not
    given; (#100) when it is longer than ``most`` as the platform counts it (``length``)."""
    text = request.arg(name) or ""
    if length(text) > most:
        raise GraphFault(100, f"(#100) The {name} is longer than {most} characters")
    return text


def _image_media(
    state: SandboxState,
    request: Request,
    platform: str,
    check: Callable[[str, bytes], None] | None = None,
) -> str:
    """An IMAGE container's media: ``image_url`` fetched (loopback) as Instagram and Threads
    do, its bytes passed to ``check`` when fetched, kept as a JPEG with its alt text."""
    image_url = request.arg("image_url")
    if not image_url:
        raise GraphFault(100, "(#100) The parameter image_url is required")
    data = _fetch_image(image_url)
    if data is not None and check is not None:
        check(image_url, data)
    media = state.add_media(
        platform,
        data or b"",
        "image/jpeg",
        alt_text=request.arg("alt_text"),
        extra={"image_url": image_url},
    )
    return media.id


def _ig_check_image(image_url: str, data: bytes) -> None:
    """Instagram takes JPEGs only, from 4:5 to 1.91:1."""
    sniffed = _sniff(data)
    if sniffed is None or sniffed[0] != "JPEG":
        raise GraphFault(
            9004,
            "Only JPEG images are supported",
            subcode=2207083,
            user_msg=f"The image at {image_url} is not a JPEG.",
        )
    ratio = sniffed[1] / sniffed[2]
    if not MIN_ASPECT - 0.005 <= ratio <= MAX_ASPECT + 0.005:
        raise GraphFault(
            36003,
            "The aspect ratio is not supported.",
            subcode=2207009,
            user_msg=f"Aspect ratio {ratio:.2f} is outside 4:5 to 1.91:1.",
        )


def ig_container_create(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _ig_guard(user_id)
    media_type = (request.arg("media_type") or "IMAGE").upper()
    caption = _text_arg(request, "caption", MAX_CAPTION)
    if caption.count("#") > MAX_HASHTAGS:
        raise GraphFault(100, f"(#100) The caption has more than {MAX_HASHTAGS} hashtags")
    now = state.now()
    container: dict[str, Any] = {
        "owner": user_id,
        "media_type": media_type,
        "caption": caption,
        "created_at": now,
        "ready_at": now
        + timedelta(seconds=float(state.extras.get("graph.container_processing_seconds", 0))),
        "reads_left": int(state.extras.get("graph.container_reads_in_progress", 0)),
        "is_carousel_item": _bool_arg(request, "is_carousel_item", False),
        "children": [],
        "media": [],
        "media_id": None,
        "error": None,
    }
    if media_type == "CAROUSEL":
        container["children"], container["media"] = _carousel(request, state.containers, 10)
    elif media_type == "IMAGE":
        container["media"] = [_image_media(state, request, "instagram", _ig_check_image)]
    elif media_type == "REELS":
        container["media"] = [_reels_media(state, request, container)]
    else:
        raise GraphFault(
            100, f"(#100) The sandbox emulates image posts and Reels, not {media_type}"
        )
    container_id = state.new_id("instagram", "container")
    container["id"] = container_id
    state.containers[container_id] = container
    return {"id": container_id}


# Reels: a rehearsal makes the next video fail processing with this reason (status ERROR).
REELS_FAILURE_KEY = "graph.reels_processing_failure"
_LOCATION_MARKERS = (b"\xa9xyz", b"ISO6709")


def _reels_media(state: SandboxState, request: Request, container: dict[str, Any]) -> str:
    """Fetch ``video_url`` (loopback) like Instagram does and keep what a test reads back."""
    video_url = request.arg("video_url")
    if not video_url:
        raise GraphFault(100, "(#100) The parameter video_url is required")
    share = (request.arg("share_to_feed") or "true").lower()
    if share not in ("true", "false"):
        raise GraphFault(100, "(#100) share_to_feed must be true or false")
    data = _fetch_image(video_url)
    if data is not None and data[4:8] != b"ftyp":
        raise GraphFault(
            9004,
            "The video format is not supported",
            subcode=2207026,
            user_msg=f"The video at {video_url} is not an MP4 or MOV file.",
        )
    reason = state.extras.pop(REELS_FAILURE_KEY, None)
    if reason:
        container["error"] = f"ERROR: {reason}"
    extra = {
        "video_url": video_url,
        "share_to_feed": share == "true",
        "cover_url": request.arg("cover_url"),
        "thumb_offset": request.arg("thumb_offset"),
        "location_markers": [m.decode("latin-1") for m in _LOCATION_MARKERS if m in (data or b"")],
    }
    media = state.add_media("instagram", data or b"", "video/mp4", extra=extra)
    return media.id


def _published_in_window(
    state: SandboxState, platform: str, user_id: str, since: datetime | None = None
) -> list[SandboxPost]:
    """The account's posts of the last 24 hours (since ``since`` when later), deleted ones
    too: what Instagram's and Threads' publishing quotas count."""
    start = state.now() - DAY
    return [
        p
        for p in state.posts(platform, user_id, include_deleted=True)
        if p.created_at > max(start, since or start)
    ]


def ig_media_publish(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _ig_guard(user_id)
    creation_id = request.arg("creation_id") or ""
    container = state.containers.get(creation_id)
    if container is None or container["owner"] != user_id or container["is_carousel_item"]:
        raise GraphFault(
            100, f"(#100) Param creation_id {creation_id!r} is not a valid container id"
        )
    status = _container_status(state, container, reading=False)
    if status == "PUBLISHED":
        raise GraphFault(
            9007,
            "The media has already been published",
            subcode=2207008,
            user_msg="This container was already published.",
        )
    if status == "EXPIRED":
        raise GraphFault(
            9007,
            "The media container has expired",
            subcode=2207008,
            user_msg="Containers must be published within 24 hours.",
        )
    if status != "FINISHED":
        raise GraphFault(
            9007,
            "Media ID is not available",
            subcode=2207027,
            user_msg="The media is not ready for publishing, please wait for a moment",
        )
    if len(_published_in_window(state, "instagram", user_id)) >= IG_QUOTA_TOTAL:
        raise GraphFault(
            9,
            "Application request limit reached",
            subcode=2207042,
            user_msg="The account has reached the maximum number of published posts "
            "(50 per 24 hours).",
        )
    post = state.add_post(
        "instagram",
        user_id,
        container["caption"],
        media=list(container["media"]),
        extra={
            "container_id": creation_id,
            "media_type": "CAROUSEL_ALBUM"
            if container["children"]
            else ("VIDEO" if container["media_type"] == "REELS" else "IMAGE"),
            "media_product_type": "REELS" if container["media_type"] == "REELS" else "FEED",
        },
        post_id=state.new_id("instagram", "post"),
    )
    container["media_id"] = post.id
    return {"id": post.id}


def ig_publishing_limit(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _ig_guard(user_id)
    fields = parse_fields(request.arg("fields"), "quota_usage")
    entry: dict[str, Any] = {}
    if "quota_usage" in fields:
        since = _unix_arg(request, "since")
        entry["quota_usage"] = len(_published_in_window(state, "instagram", user_id, since))
    if "config" in fields:
        entry["config"] = {
            "quota_total": IG_QUOTA_TOTAL,
            "quota_duration": int(DAY.total_seconds()),
        }
    return {"data": [entry]}


def ig_media_list(state: SandboxState, request: Request, user_id: str) -> dict[str, Any]:
    _ig_guard(user_id)
    fields = parse_fields(request.arg("fields"), "id")
    since, until = _unix_arg(request, "since"), _unix_arg(request, "until")
    posts = [
        p
        for p in reversed(state.posts("instagram", INSTAGRAM_USER_ID))
        if (since is None or p.created_at >= since) and (until is None or p.created_at <= until)
    ]
    return _paged(request, [_ig_media_json(_Shown(state, p), fields) for p in posts], 25, 100)


def _ig_media_json(shown: _Shown, fields: dict[str, str]) -> dict[str, Any]:
    post = shown.post
    plain = {
        "caption": post.text or None,
        "timestamp": graph_time(post.created_at),
        "permalink": _ig_permalink(post.id),
        "media_type": post.extra.get("media_type", "IMAGE"),
        "media_product_type": post.extra.get("media_product_type", "FEED"),
        "username": INSTAGRAM_USERNAME,
    }
    return {"id": post.id, **_post_fields_json(shown, fields, plain, _IG_MEDIA_COMPUTED)}


def _ig_threads(
    state: SandboxState, media_id: str
) -> tuple[list[SandboxComment], dict[str, list[SandboxComment]]]:
    """Top-level comments newest first, and each one's replies oldest first.

    Instagram takes replies to top-level comments only: a reply to a reply is added to the
    top-level comment (IG Comment Replies reference), so it is listed under its thread's root.
    """
    found = state.comments("instagram", media_id)
    by_id = {c.id: c for c in found}
    replies: dict[str, list[SandboxComment]] = {}
    for comment in found:
        root, hops = comment, 0
        while root.parent_id and root.parent_id in by_id and hops < len(found):
            root, hops = by_id[root.parent_id], hops + 1
        if root is not comment and root.parent_id is None:
            replies.setdefault(root.id, []).append(comment)
    top = [c for c in reversed(found) if c.parent_id is None]
    return top, replies


def _ig_comments_field(shown: _Shown, rest: str) -> dict[str, Any]:
    """``comments`` expanded on a media object: the edge's first page, replies nested."""
    modifiers = _modifiers(rest)
    limit = _int_modifier(modifiers, "limit", 25, 50)
    if not limit:
        return {"data": []}
    media_id = shown.post.id
    top, replies = _ig_threads(shown.state, media_id)
    sub = _subfields(rest) or "id,timestamp,text"
    fields = parse_fields(sub, sub)
    items = [_ig_comment_json(c, fields, replies.get(c.id, [])) for c in top]
    return _expanded_edge(shown.request, media_id, items, limit, {"fields": sub})


_IG_MEDIA_COMPUTED: dict[str, _Computed] = {
    "like_count": lambda shown, rest: shown.figures["likes"],
    "comments_count": lambda shown, rest: len(shown.state.comments("instagram", shown.post.id)),
    "comments": _ig_comments_field,
    "insights": partial(_post_insights, known=INSTAGRAM_METRICS),
}


def _ig_comment_json(
    comment: SandboxComment,
    fields: dict[str, str],
    replies: list[SandboxComment],
    root_id: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": comment.id}
    for name, rest in fields.items():
        if name == "parent_id" and root_id:
            out["parent_id"] = root_id
        elif name == "text":
            out["text"] = comment.text
        elif name == "username":
            out["username"] = comment.author
        elif name == "from" and comment.author_id:
            out["from"] = {"id": comment.author_id, "username": comment.author}
        elif name == "timestamp":
            out["timestamp"] = graph_time(comment.created_at)
        elif name == "like_count":
            out["like_count"] = 0
        elif name == "replies" and replies:
            sub = parse_fields(_subfields(rest), "id,timestamp,text")
            out["replies"] = {
                "data": [_ig_comment_json(r, sub, [], root_id=comment.id) for r in replies]
            }
    return out


# ---- generic nodes -------------------------------------------------------------------------


def _node(
    state: SandboxState, object_id: str, fields_arg: str | None, request: Request | None = None
) -> dict[str, Any]:
    video = state.get_media("facebook", object_id)
    if video is not None and video.extra.get("video") and fields_arg == "status":
        return {"id": object_id, "status": _video_status(video)}
    post = state.get_post("facebook", object_id)
    if post is not None and not post.deleted:
        fields = parse_fields(fields_arg, "created_time,message,id")
        return _fb_post_json(_Shown(state, post, request), fields)
    post = state.get_post("instagram", object_id)
    if post is not None and not post.deleted:
        return _ig_media_json(_Shown(state, post, request), parse_fields(fields_arg, "id"))
    container = state.containers.get(object_id)
    if container is not None:
        fields = parse_fields(fields_arg, "id")
        out: dict[str, Any] = {"id": object_id}
        status = _container_status(state, container, reading=True)
        if "status_code" in fields:
            out["status_code"] = status
        if "status" in fields:
            out["status"] = (
                "Finished: Media has been uploaded and it is ready to be published."
                if status in ("FINISHED", "PUBLISHED")
                else container["error"]
                if status == "ERROR" and isinstance(container.get("error"), str)
                else status.replace("_", " ").capitalize()
            )
        return out
    if object_id == FACEBOOK_PAGE_ID:
        return {"id": FACEBOOK_PAGE_ID, "name": FACEBOOK_PAGE_NAME}
    if object_id == INSTAGRAM_USER_ID:
        return {"id": INSTAGRAM_USER_ID, "username": INSTAGRAM_USERNAME}
    media = state.get_media("facebook", object_id)
    if media is not None:
        return {"id": media.id, "created_time": graph_time(media.created_at)}
    raise _missing(object_id)


def node(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    return _node(state, object_id, request.arg("fields"), request)


def ids_batch(state: SandboxState, request: Request) -> dict[str, Any]:
    ids = [i.strip() for i in (request.arg("ids") or "").split(",") if i.strip()]
    if not ids:
        raise GraphFault(100, "(#100) Missing ids parameter")
    if len(ids) > MAX_IDS:
        raise GraphFault(100, f"(#100) Too many IDs. Maximum: {MAX_IDS}. Provided: {len(ids)}.")
    result: dict[str, Any] = {}
    missing: list[str] = []
    for object_id in ids:
        try:
            result[object_id] = _node(state, object_id, request.arg("fields"), request)
        except GraphFault as fault:
            if fault.code == 100 and fault.subcode == 33:
                missing.append(object_id)
            else:
                raise
    if missing:
        raise GraphFault(
            803, f"(#803) Some of the aliases you requested do not exist: {','.join(missing)}"
        )
    return result


def insights(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    metrics = _metric_arg(request)
    post = state.get_post("facebook", object_id)
    if post is not None:
        return _insights_json(
            object_id, metrics, FACEBOOK_METRICS, state.metrics("facebook", object_id)
        )
    post = state.get_post("instagram", object_id)
    if post is not None:
        reel = post.extra.get("media_product_type") == "REELS"
        known = {**INSTAGRAM_METRICS, **INSTAGRAM_REEL_METRICS} if reel else INSTAGRAM_METRICS
        return _insights_json(object_id, metrics, known, state.metrics("instagram", object_id))
    raise _missing(object_id)


def _metric_arg(request: Request) -> list[str]:
    return [m.strip() for m in (request.arg("metric") or "").split(",") if m.strip()]


# Video figures: of the people shown a video post, how many watch it (3 s or to the end), how
# many to the end, and for how long on average (milliseconds, as Meta reports them).
VIDEO_VIEW_SHARE, VIDEO_COMPLETE_SHARE, VIDEO_AVG_WATCH_MS = 0.45, 0.41, 11_800
FACEBOOK_VIDEO_METRICS: dict[str, Callable[[dict[str, int]], Any]] = {
    "total_video_views": lambda m: int(m["views"] * VIDEO_VIEW_SHARE),
    "total_video_complete_views": lambda m: int(
        int(m["views"] * VIDEO_VIEW_SHARE) * VIDEO_COMPLETE_SHARE
    ),
    "total_video_avg_time_watched": lambda m: VIDEO_AVG_WATCH_MS if m["views"] else 0,
}
INSTAGRAM_REEL_METRICS: dict[str, Callable[[dict[str, int]], Any]] = {
    "ig_reels_avg_watch_time": lambda m: VIDEO_AVG_WATCH_MS if m["views"] else 0,
    "ig_reels_video_view_total_time": lambda m: m["views"] * VIDEO_AVG_WATCH_MS,
}


def video_insights(state: SandboxState, request: Request, video_id: str) -> dict[str, Any]:
    """``/{video-id}/video_insights``: lifetime views, complete views and average watch time."""
    media = state.get_media("facebook", video_id)
    post = state.get_post("facebook", video_id)
    if media is None or not media.extra.get("video") or post is None:
        raise _missing(video_id)
    figures = state.metrics("facebook", video_id)
    body = _insights_json(video_id, _metric_arg(request), FACEBOOK_VIDEO_METRICS, figures)
    for item in body["data"]:
        item["id"] = f"{video_id}/video_insights/{item['name']}/lifetime"
    return body


def comments(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    fb_post = state.get_post("facebook", object_id)
    if fb_post is not None:
        found = state.comments("facebook", object_id)
        by_id = {c.id: c for c in found}
        if (request.arg("filter") or "toplevel") != "stream":
            found = [c for c in found if c.parent_id is None]
        if (request.arg("order") or "chronological") == "reverse_chronological":
            found = list(reversed(found))
        fields = parse_fields(request.arg("fields"), "created_time,message,id")
        items = [_fb_comment_json(c, fb_post, fields, by_id) for c in found]
        return _paged(request, items, 25, 100)
    ig_post = state.get_post("instagram", object_id)
    if ig_post is not None:
        top, replies = _ig_threads(state, object_id)  # newest first
        fields = parse_fields(request.arg("fields"), "id,timestamp,text")
        items = [_ig_comment_json(c, fields, replies.get(c.id, [])) for c in top]
        return _paged(request, items, 25, 50)
    found = state.find_comment("facebook", object_id)
    if found is not None:  # a comment's replies (Graph's "comment replies")
        post, parent = found
        every = state.comments("facebook", post.id)
        by_id = {c.id: c for c in every}
        fields = parse_fields(request.arg("fields"), "created_time,message,id")
        items = [
            _fb_comment_json(c, post, fields, by_id) for c in every if c.parent_id == parent.id
        ]
        return _paged(request, items, 25, 100)
    raise _missing(object_id)


def _message_arg(request: Request) -> str:
    message = request.arg("message") or request.form().get("message") or ""
    if not message.strip():
        raise GraphFault(100, "(#100) The parameter message is required")
    return message


# Who answers on each platform: the account's name and id.
_ANSWERING = {
    "facebook": (FACEBOOK_PAGE_NAME, FACEBOOK_PAGE_ID),
    "instagram": (INSTAGRAM_USERNAME, INSTAGRAM_USER_ID),
}


def _answer(
    state: SandboxState, request: Request, post: SandboxPost, parent: SandboxComment
) -> dict[str, Any]:
    """The account's answer under ``parent``; Graph answers with the new comment's id."""
    name, account = _ANSWERING[post.platform]
    answer = state.add_comment(
        post.platform,
        post.id,
        name,
        _message_arg(request),
        author_id=account,
        parent_id=parent.id,
    )
    return {"id": answer.id}


def fb_comment_reply(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    """``POST /{comment-id}/comments``: the Page answers a comment on one of its posts."""
    found = state.find_comment("facebook", object_id)
    if found is None:
        raise _missing(object_id)
    return _answer(state, request, *found)


def _ig_root(state: SandboxState, object_id: str) -> tuple[SandboxPost, SandboxComment]:
    """The IG comment and its post; a reply stands for its top-level comment, where Instagram
    files answers to replies (IG Comment Replies reference, "Limitations")."""
    found = state.find_comment("instagram", object_id)
    if found is None:
        raise _missing(object_id)
    post, comment = found
    if comment.parent_id:
        root = state.find_comment("instagram", comment.parent_id)
        if root is not None:
            comment = root[1]
    return post, comment


def ig_replies_create(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    """``POST /{ig-comment-id}/replies?message=``: the account answers a comment."""
    return _answer(state, request, *_ig_root(state, object_id))


def ig_replies(state: SandboxState, request: Request, object_id: str) -> dict[str, Any]:
    """``GET /{ig-comment-id}/replies``: the answers under a top-level comment, oldest first."""
    post, root = _ig_root(state, object_id)
    _top, replies = _ig_threads(state, post.id)
    fields = parse_fields(request.arg("fields"), "id,timestamp,text")
    items = [_ig_comment_json(r, fields, [], root_id=root.id) for r in replies.get(root.id, [])]
    return _paged(request, items, 25, 50)


ROUTES: list[Route] = [
    _route("GET", r"/?", ids_batch),
    _route("POST", rf"/(?P<page_id>{ID})/feed", page_feed_create),
    _route("POST", rf"/(?P<page_id>{ID})/photos", page_photo_create),
    _route("POST", rf"/(?P<page_id>{ID})/videos", page_video_upload),
    _route("POST", rf"/(?P<page_id>{ID})/video_reels", page_reels),
    _route("GET", rf"/rupload/(?P<video_id>{ID})", reel_upload),
    _route("POST", rf"/rupload/(?P<video_id>{ID})", reel_upload),
    _route("POST", rf"/(?P<object_id>{ID})/captions", video_captions),
    _route("GET", rf"/(?P<page_id>{ID})/(?:posts|feed|published_posts)", page_posts),
    _route("POST", rf"/(?P<user_id>{ID})/media", ig_container_create),
    _route("POST", rf"/(?P<user_id>{ID})/media_publish", ig_media_publish),
    _route("GET", rf"/(?P<user_id>{ID})/content_publishing_limit", ig_publishing_limit),
    _route("GET", rf"/(?P<user_id>{ID})/media", ig_media_list),
    _route("GET", rf"/(?P<object_id>{ID})/insights", insights),
    _route("GET", rf"/(?P<video_id>{ID})/video_insights", video_insights),
    _route("GET", rf"/(?P<object_id>{ID})/comments", comments),
    _route("POST", rf"/(?P<object_id>{ID})/comments", fb_comment_reply),
    _route("GET", rf"/(?P<object_id>{ID})/replies", ig_replies),
    _route("POST", rf"/(?P<object_id>{ID})/replies", ig_replies_create),
    _route("GET", rf"/(?P<object_id>{ID})", node),
]
