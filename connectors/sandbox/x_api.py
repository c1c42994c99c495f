"""The X API v2 subset the X connector calls, emulated over ``SandboxState``.

Shapes, status codes and headers follow X's documentation (openapi.json and the fundamentals
pages in github.com/xdevplatform/docs):

- every answer carries ``x-rate-limit-limit/remaining/reset`` for its endpoint's 15-minute
  window (per user under OAuth 1.0a, per app under a bearer token); ``POST /2/tweets`` also
  carries the 24-hour ``x-user-limit-24hour-*`` and ``x-app-limit-24hour-*`` headers, and a
  spent window answers 429;
- errors are Problem objects (``title``, ``detail``, ``type``, ``status``); a missing token or
  the token ``"expired"`` gets 401; the same text posted twice within 24 hours gets X's 403
  "duplicate content";
- post text comes back as X shows it: ``&``, ``<`` and ``>`` escaped, every link rewritten to a
  ``t.co`` link (with ``entities.urls`` giving the original), one ``t.co`` link appended per
  post carrying media;
- ``non_public_metrics``/``organic_metrics`` exist only for posts under 30 days old; older
  posts asked for them come back as field-authorization errors, as on X;
- recent search answers ``conversation_id:`` queries (OR'ed, up to 512 characters) over the
  last 7 days of simulated time; other operators are accepted and ignored.

Times are the sandbox's simulated clock; reset headers are epoch seconds of that clock.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.sandbox.server import Reply, Request, Route
from connectors.sandbox.state import (
    EXPIRED_TOKEN,
    X_USER_ID,
    X_USERNAME,
    SandboxComment,
    SandboxPost,
    SandboxState,
)

# The request paths this module answers (connectors.sandbox.server routes by it).
PATHS = re.compile(r"^/2/")
# Where a post becomes public (the contract suite aims "created but 500" there).
PUBLISH_PATHS = {"x": r"^/2/tweets$"}


def sandbox_settings(platform: str, url: str) -> dict[str, Any]:
    """The non-secret settings of ``platform``'s section pointing at the sandbox at ``url``
    (base_url aside): the fictional account."""
    return {"user_id": X_USER_ID, "username": X_USERNAME}


PLATFORM = "x"
PROBLEMS = "https://api.x.com/2/problems"
DISPLAY_NAME = "Springfield Police Department"

WINDOW = timedelta(minutes=15)
DAY = timedelta(hours=24)
SEARCH_WINDOW = timedelta(days=7)
PRIVATE_METRICS_DAYS = 30
MAX_QUERY_LENGTH = 512
MAX_TEXT_WEIGHT = 280
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_GIF_BYTES = 15 * 1024 * 1024
MAX_ALT_TEXT = 1000

# endpoint -> (per user, per app) requests per 15 minutes (X rate-limit table).
LIMITS: dict[str, tuple[int, int]] = {
    "POST /2/tweets": (100, 10_000),
    "DELETE /2/tweets/:id": (50, 50),
    "GET /2/tweets": (5_000, 3_500),
    "GET /2/users/:id/tweets": (900, 10_000),
    "GET /2/tweets/search/recent": (300, 450),
    "POST /2/media/upload": (500, 500),
    "POST /2/media/metadata": (500, 500),
    "POST /2/media/upload/initialize": (500, 500),
    "POST /2/media/upload/:id/append": (2_000, 2_000),
    "POST /2/media/upload/:id/finalize": (500, 500),
    "GET /2/media/upload": (2_000, 2_000),
    "POST /2/media/subtitles": (500, 500),
    "GET /2/users/me": (75, 75),
}
# 24-hour posting windows on POST /2/tweets: per user (the plan's cap) and per app. A rehearsal
# can set the account's own cap with ``state.extras[POSTS_PER_DAY_KEY]`` (X's plans differ).
POSTS_PER_DAY_USER = 100
POSTS_PER_DAY_APP = 10_000
POSTS_PER_DAY_KEY = "x.posts_per_24h"

_TWEET_FIELDS = {
    "attachments",
    "author_id",
    "conversation_id",
    "created_at",
    "edit_history_tweet_ids",
    "entities",
    "id",
    "in_reply_to_user_id",
    "lang",
    "non_public_metrics",
    "organic_metrics",
    "public_metrics",
    "referenced_tweets",
    "text",
}
_PRIVATE_FIELDS = ("non_public_metrics", "organic_metrics")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_CONVERSATION = re.compile(r"conversation_id:(\d{1,19})")


# ---- answers ---------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def _problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any):
    body: dict[str, Any] = {"title": title, "detail": detail, "type": kind, "status": status}
    body.update(extra)
    return body


def _invalid(
    detail: str, parameters: dict[str, list[str]] | None = None
) -> tuple[int, dict[str, Any]]:
    """X's 400: a generic invalid-request problem whose ``errors`` say what was wrong."""
    return 400, {
        "errors": [{"parameters": parameters or {}, "message": detail}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": f"{PROBLEMS}/invalid-request",
    }


def _not_found(resource_id: str, parameter: str = "id") -> dict[str, Any]:
    return {
        "value": resource_id,
        "detail": f"Could not find tweet with {parameter}: [{resource_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": resource_id,
        "type": f"{PROBLEMS}/resource-not-found",
    }


def _auth_kind(request: Request) -> str:
    auth = (request.header("Authorization") or "").lower()
    return "app" if auth.startswith("bearer ") else "user"


def _rate_headers(
    state: SandboxState,
    request: Request,
    endpoint: str,
    *,
    consume: bool,
    posted: bool = False,
) -> tuple[dict[str, str], bool]:
    """The endpoint's rate-limit headers and whether a window is spent.

    ``consume`` counts this request in the 15-minute window. The 24-hour posting windows count
    posts, not attempts: only ``posted`` (a post was created) counts there.
    """
    kind = _auth_kind(request)
    user_limit, app_limit = LIMITS[endpoint]
    status = state.rate_window(
        f"x:{endpoint}:{kind}",
        user_limit if kind == "user" else app_limit,
        WINDOW,
        consume=consume,
    )
    headers = {
        "x-rate-limit-limit": str(status.limit),
        "x-rate-limit-remaining": str(status.remaining),
        "x-rate-limit-reset": str(int(status.reset_at.timestamp())),
    }
    exceeded = status.exceeded
    if endpoint == "POST /2/tweets":
        user_cap = int(state.extras.get(POSTS_PER_DAY_KEY, POSTS_PER_DAY_USER))
        for scope, limit in (("user", user_cap), ("app", POSTS_PER_DAY_APP)):
            day = state.rate_window(f"x:{endpoint}:24h:{scope}", limit, DAY, consume=posted)
            headers[f"x-{scope}-limit-24hour-limit"] = str(day.limit)
            headers[f"x-{scope}-limit-24hour-remaining"] = str(day.remaining)
            headers[f"x-{scope}-limit-24hour-reset"] = str(int(day.reset_at.timestamp()))
            exceeded = exceeded or day.exceeded
    return headers, exceeded


def _endpoint(request: Request) -> str:
    path = request.path
    if request.method == "DELETE" and path.startswith("/2/tweets/"):
        return "DELETE /2/tweets/:id"
    if re.fullmatch(r"/2/users/\d+/tweets", path):
        return "GET /2/users/:id/tweets"
    key = f"{request.method} {path}"
    return key if key in LIMITS else "GET /2/tweets"


Handler = Callable[..., tuple[int, Any]]


def _route(method: str, pattern: str, endpoint: str, handler: Handler) -> Route:
    """Wrap ``handler`` with what every X endpoint does: auth, rate windows, headers."""

    def handle(state: SandboxState, request: Request, **groups: str) -> Reply:
        token = request.token()
        if not token or token == EXPIRED_TOKEN:
            headers, _ = _rate_headers(state, request, endpoint, consume=False)
            return Reply(401, _problem(401, "Unauthorized", "Unauthorized"), headers)
        # Held across check, work and count, so concurrent posts cannot overrun a daily cap.
        with state.lock:
            headers, exceeded = _rate_headers(state, request, endpoint, consume=True)
            if exceeded:
                return Reply(429, _problem(429, "Too Many Requests", "Too Many Requests"), headers)
            status, body = handler(state, request, **groups)
            if endpoint == "POST /2/tweets" and status == 201:
                headers, _ = _rate_headers(state, request, endpoint, consume=False, posted=True)
        return Reply(status, body, headers)

    return Route(method, pattern, handle)


def error_reply(kind: str, state: SandboxState, request: Request) -> Reply:
    """X's answer for an injected fault: 503 (transient), 429 with reset headers, 500."""
    endpoint = _endpoint(request)
    headers, _ = _rate_headers(state, request, endpoint, consume=False)
    if kind == "rate_limited":
        reset = state.injected_reset_at()
        headers["x-rate-limit-remaining"] = "0"
        headers["x-rate-limit-reset"] = str(int(reset.timestamp()))
        return Reply(429, _problem(429, "Too Many Requests", "Too Many Requests"), headers)
    if kind == "transient":
        return Reply(503, _problem(503, "Service Unavailable", "Service Unavailable"), headers)
    return Reply(
        500,
        _problem(
            500,
            "Internal Server Error",
            "Something went wrong. Please try again later.",
            f"{PROBLEMS}/internal-error",
        ),
        headers,
    )


def not_found_reply(state: SandboxState, request: Request) -> Reply:
    return Reply(404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]})


# ---- rendering posts as X shows them ---------------------------------------------------------


def _tco(seed: str) -> str:
    digest = base64.b32encode(hashlib.sha1(seed.encode()).digest()).decode().lower()
    return "https://t.co/" + re.sub(r"[^a-z0-9]", "", digest)[:10]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_text(post: SandboxPost) -> tuple[str, list[dict[str, Any]]]:
    """(text as X returns it, ``entities.urls``): escaped, links on t.co, media link appended."""
    pieces: list[str] = []
    urls: list[dict[str, Any]] = []
    position = 0
    cursor = 0
    for match in _URL.finditer(post.text):
        before = _escape(post.text[cursor : match.start()])
        pieces.append(before)
        position += len(before)
        original = match.group(0)
        short = _tco(f"{post.id}:{original}")
        urls.append(
            {
                "start": position,
                "end": position + len(short),
                "url": short,
                "expanded_url": original,
                "display_url": re.sub(r"^https?://", "", original)[:26],
            }
        )
        pieces.append(short)
        position += len(short)
        cursor = match.end()
    pieces.append(_escape(post.text[cursor:]))
    text = "".join(pieces)
    if post.media:
        short = _tco(f"{post.id}:media")
        start = len(text) + 1
        text = f"{text} {short}"
        urls.append(
            {
                "start": start,
                "end": start + len(short),
                "url": short,
                "expanded_url": f"https://x.com/{X_USERNAME}/status/{post.id}/photo/1",
                "display_url": f"pic.x.com/{short.rsplit('/', 1)[1]}",
                "media_key": f"3_{post.media[0]}",
            }
        )
    return text, urls


def _fields(request: Request) -> set[str]:
    raw = request.arg("tweet.fields") or ""
    return {f for f in raw.split(",") if f}


def _post_json(state: SandboxState, post: SandboxPost, fields: set[str]) -> dict[str, Any]:
    text, urls = render_text(post)
    tweet: dict[str, Any] = {"id": post.id, "text": text, "edit_history_tweet_ids": [post.id]}
    if "created_at" in fields:
        tweet["created_at"] = _iso(post.created_at)
    if "author_id" in fields:
        tweet["author_id"] = X_USER_ID
    if "conversation_id" in fields:
        tweet["conversation_id"] = post.id
    if "entities" in fields and urls:
        tweet["entities"] = {"urls": urls}
    if "attachments" in fields and post.media:
        tweet["attachments"] = {"media_keys": [f"3_{m}" for m in post.media]}
    wanted_metrics = fields & {"public_metrics", *_PRIVATE_FIELDS}
    if wanted_metrics:
        m = state.metrics(PLATFORM, post.id)
        if "public_metrics" in fields:
            tweet["public_metrics"] = {
                "retweet_count": m["reposts"],
                "reply_count": m["replies"],
                "like_count": m["likes"],
                "quote_count": m["quotes"],
                "bookmark_count": m["bookmarks"],
                "impression_count": m["views"],
            }
        profile_clicks = m["reach"] // 150
        from connectors.sandbox.x_video import playback_metrics

        playback = playback_metrics(state, post, m["views"])
        if "non_public_metrics" in fields:
            tweet["non_public_metrics"] = {
                "impression_count": m["views"],
                "url_link_clicks": m["link_clicks"],
                "user_profile_clicks": profile_clicks,
                "engagements": m["likes"]
                + m["reposts"]
                + m["replies"]
                + m["quotes"]
                + m["bookmarks"]
                + m["link_clicks"]
                + profile_clicks,
                **playback,
            }
        if "organic_metrics" in fields:
            tweet["organic_metrics"] = {
                "impression_count": m["views"],
                "like_count": m["likes"],
                "reply_count": m["replies"],
                "retweet_count": m["reposts"],
                "url_link_clicks": m["link_clicks"],
                "user_profile_clicks": profile_clicks,
                **playback,
            }
    return tweet


def _comment_json(comment: SandboxComment, post: SandboxPost, fields: set[str]) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "id": comment.id,
        "text": _escape(comment.text),
        "edit_history_tweet_ids": [comment.id],
    }
    if "author_id" in fields:
        tweet["author_id"] = comment.author_id or comment.author
    if "conversation_id" in fields:
        tweet["conversation_id"] = post.id
    if "created_at" in fields:
        tweet["created_at"] = _iso(comment.created_at)
    if "in_reply_to_user_id" in fields:
        tweet["in_reply_to_user_id"] = X_USER_ID
    if "referenced_tweets" in fields:
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": comment.parent_id or post.id}]
    return tweet


# ---- parameters ------------------------------------------------------------------------------


class _BadParameter(ValueError):
    def __init__(self, name: str, value: str, detail: str):
        super().__init__(detail)
        self.name, self.value = name, value


def _time_arg(request: Request, name: str) -> datetime | None:
    raw = request.arg(name)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _BadParameter(name, raw, f"Invalid '{name}':'{raw}'.") from None
    if parsed.tzinfo is None:
        raise _BadParameter(name, raw, f"Invalid '{name}':'{raw}'. It must carry a time zone.")
    return parsed.astimezone(UTC)


def _int_arg(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.arg(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise _BadParameter(
            name, raw, f"The `{name}` query parameter value [{raw}] is not between {low} and {high}"
        )
    return value


def _page_token(offset: int) -> str:
    return base64.b32hexencode(f"p{offset}".encode()).decode().rstrip("=").lower()


def _page_offset(request: Request, name: str) -> int:
    raw = request.arg(name)
    if not raw:
        return 0
    try:
        padded = raw.upper() + "=" * (-len(raw) % 8)
        decoded = base64.b32hexdecode(padded).decode()
        if not decoded.startswith("p"):
            raise ValueError
        return int(decoded[1:])
    except ValueError:
        raise _BadParameter(
            name, raw, f"The `{name}` query parameter value [{raw}] is not valid"
        ) from None


def _guarded(handler: Handler) -> Handler:
    """Turn parameter errors into X's 400 invalid-request answers."""

    def run(state: SandboxState, request: Request, **groups: str) -> tuple[int, Any]:
        try:
            return handler(state, request, **groups)
        except _BadParameter as exc:
            return _invalid(str(exc), parameters={exc.name: [exc.value]})

    return run


def _paged(items: list[dict[str, Any]], offset: int, size: int, token_name: str):
    page = items[offset : offset + size]
    meta: dict[str, Any] = {"result_count": len(page)}
    if page:
        meta["newest_id"] = page[0]["id"]
        meta["oldest_id"] = page[-1]["id"]
    if offset + size < len(items):
        meta[token_name] = _page_token(offset + size)
    return page, meta


# ---- endpoints -------------------------------------------------------------------------------


def _weighted_length(text: str) -> int:
    try:
        from twitter_text import parse_tweet
    except ImportError:  # count URLs as 23 characters, everything else as one
        return len(_URL.sub("x" * 23, text))
    return parse_tweet(text).weightedLength


def create_post(state: SandboxState, request: Request) -> tuple[int, Any]:
    try:
        body = request.json_object("Request body must be a JSON object.")
    except ValueError as exc:
        return _invalid(str(exc))
    text = body.get("text", "")
    media_ids = ((body.get("media") or {}).get("media_ids")) or []
    if not isinstance(text, str) or (not text and not media_ids):
        return _invalid("Post text is required unless media is attached.")
    if _weighted_length(text) > MAX_TEXT_WEIGHT:
        return _invalid("Tweet text is too long.", parameters={"text": [text[:50]]})
    if not isinstance(media_ids, list) or len(media_ids) > 4:
        return _invalid("At most 4 media ids may be attached.")
    for media_id in media_ids:
        if state.get_media(PLATFORM, str(media_id)) is None:
            return _invalid(
                "Your media IDs are invalid.", parameters={"media.media_ids": [str(media_id)]}
            )
    reply = body.get("reply")
    if reply is not None:
        return _create_reply(state, text, reply)
    with state.lock:
        since = state.now() - DAY
        for earlier in state.posts(PLATFORM, X_USER_ID):
            if earlier.text == text and earlier.created_at >= since:
                return 403, _problem(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                )
        post = state.add_post(PLATFORM, X_USER_ID, text, media=[str(m) for m in media_ids])
    rendered, _urls = render_text(post)
    return 201, {"data": {"id": post.id, "text": rendered, "edit_history_tweet_ids": [post.id]}}


def _create_reply(state: SandboxState, text: str, reply: Any) -> tuple[int, Any]:
    """``POST /2/tweets`` with ``reply.in_reply_to_tweet_id``: the account answers a reply
    (or its own post); the answer joins the conversation and the account's timeline."""
    target = str((reply or {}).get("in_reply_to_tweet_id") or "") if isinstance(reply, dict) else ""
    if not target.isdigit():
        return _invalid(
            "reply.in_reply_to_tweet_id must be a post id.",
            parameters={"reply.in_reply_to_tweet_id": [target]},
        )
    with state.lock:
        found = state.find_comment(PLATFORM, target)
        post = found[0] if found else state.get_post(PLATFORM, target)
        if post is None or post.deleted:
            return 403, _problem(
                403,
                "Forbidden",
                "You attempted to reply to a Tweet that is deleted or not visible to you.",
            )
        answer = state.add_comment(
            PLATFORM,
            post.id,
            X_USERNAME,
            text,
            author_id=X_USER_ID,
            parent_id=target if found else None,
        )
    return 201, {
        "data": {"id": answer.id, "text": _escape(text), "edit_history_tweet_ids": [answer.id]}
    }


def delete_post(state: SandboxState, request: Request, post_id: str) -> tuple[int, Any]:
    post = state.get_post(PLATFORM, post_id)
    if post is None or post.deleted:
        return 404, {
            "errors": [_not_found(post_id)],
            "title": "Not Found Error",
            "detail": f"Could not find tweet with id: [{post_id}].",
            "type": f"{PROBLEMS}/resource-not-found",
        }
    if post.account != X_USER_ID:
        return 403, _problem(403, "Forbidden", "You are not allowed to delete this Tweet.")
    state.delete_post(PLATFORM, post_id)
    return 200, {"data": {"deleted": True}}


@_guarded
def lookup_posts(state: SandboxState, request: Request) -> tuple[int, Any]:
    raw_ids = request.arg("ids") or ""
    ids = [i for i in raw_ids.split(",") if i]
    if not ids or len(ids) > 100 or not all(i.isdigit() for i in ids):
        raise _BadParameter("ids", raw_ids, "The `ids` query parameter takes 1 to 100 post ids")
    fields = _fields(request)
    unknown = fields - _TWEET_FIELDS
    if unknown:
        raise _BadParameter("tweet.fields", ",".join(sorted(unknown)), "Unknown tweet.fields")
    private = [f for f in _PRIVATE_FIELDS if f in fields]
    cutoff = state.now() - timedelta(days=PRIVATE_METRICS_DAYS)
    data, errors = [], []
    for post_id in ids:
        post = state.get_post(PLATFORM, post_id)
        if post is None or post.deleted:
            errors.append(_not_found(post_id, "ids"))
            continue
        too_old = post.created_at < cutoff or _auth_kind(request) == "app"
        if private and too_old:
            errors.append(
                {
                    "value": post_id,
                    "field": private[0],
                    "resource_type": "tweet",
                    "resource_id": post_id,
                    "section": "data",
                    "title": "Field Authorization Error",
                    "detail": f"Sorry, you are not authorized to access '{private[0]}' on the "
                    f"Tweet with ids [{post_id}].",
                    "type": f"{PROBLEMS}/not-authorized-for-field",
                }
            )
            continue
        data.append(_post_json(state, post, fields))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data
    if errors:
        body["errors"] = errors
    return 200, body


def _id_arg(request: Request, name: str) -> int | None:
    raw = request.arg(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 19:
        raise _BadParameter(name, raw, f"The `{name}` query parameter value [{raw}] is not valid")
    return int(raw)


def _id_bounds(tweet_id: str, request: Request) -> bool:
    """``since_id`` < id < ``until_id`` when given (X ids grow with time)."""
    since_id, until_id = _id_arg(request, "since_id"), _id_arg(request, "until_id")
    if since_id is not None and int(tweet_id) <= since_id:
        return False
    return not (until_id is not None and int(tweet_id) >= until_id)


@_guarded
def user_posts(state: SandboxState, request: Request, user_id: str) -> tuple[int, Any]:
    if user_id != X_USER_ID:
        return 200, {
            "errors": [
                {
                    "value": user_id,
                    "detail": f"Could not find user with id: [{user_id}].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "id",
                    "resource_id": user_id,
                    "type": f"{PROBLEMS}/resource-not-found",
                }
            ]
        }
    start, end = _time_arg(request, "start_time"), _time_arg(request, "end_time")
    size = _int_arg(request, "max_results", 10, 5, 100)
    offset = _page_offset(request, "pagination_token")
    fields = _fields(request)
    posts = [
        p
        for p in reversed(state.posts(PLATFORM, X_USER_ID))
        if (start is None or p.created_at >= start)
        and (end is None or p.created_at <= end)
        and _id_bounds(p.id, request)
    ]
    timeline: list[tuple[datetime, str, dict[str, Any]]] = [
        (p.created_at, p.id, _post_json(state, p, fields)) for p in posts
    ]
    # The account's replies are on its timeline too, unless ``exclude=replies``.
    if "replies" not in (request.arg("exclude") or "").split(","):
        timeline += [
            (c.created_at, c.id, _comment_json(c, post, fields))
            for post, c in state.own_replies(PLATFORM, X_USER_ID)
            if (start is None or c.created_at >= start)
            and (end is None or c.created_at <= end)
            and _id_bounds(c.id, request)
        ]
    timeline.sort(key=lambda entry: (entry[0], int(entry[1])), reverse=True)
    items = [tweet for _at, _id, tweet in timeline]
    page, meta = _paged(items, offset, size, "next_token")
    return 200, ({"data": page, "meta": meta} if page else {"meta": meta})


@_guarded
def search_recent(state: SandboxState, request: Request) -> tuple[int, Any]:
    query = request.arg("query") or ""
    if not query:
        raise _BadParameter("query", "", "The `query` parameter can not be empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise _BadParameter(
            "query", query[:40], f"Query is {len(query)} characters long; the limit is 512"
        )
    now = state.now()
    earliest = now - SEARCH_WINDOW
    start = _time_arg(request, "start_time")
    end = _time_arg(request, "end_time")
    if start is not None and start < earliest:
        raise _BadParameter(
            "start_time",
            request.arg("start_time") or "",
            f"Invalid 'start_time':'{request.arg('start_time')}'. 'start_time' must be on or "
            f"after {_iso(earliest)}",
        )
    start = start or earliest
    size = _int_arg(request, "max_results", 10, 10, 100)
    offset = _page_offset(request, "next_token")
    fields = _fields(request)
    found: list[tuple[SandboxComment, SandboxPost]] = []
    for conversation in dict.fromkeys(_CONVERSATION.findall(query)):
        post = state.get_post(PLATFORM, conversation)
        if post is None or post.deleted:
            continue
        for comment in state.comments(PLATFORM, conversation, until=now):
            if comment.created_at < start or (end is not None and comment.created_at > end):
                continue
            if _id_bounds(comment.id, request):
                found.append((comment, post))
    found.sort(key=lambda pair: (pair[0].created_at, pair[0].id), reverse=True)
    items = [_comment_json(c, p, fields) for c, p in found]
    page, meta = _paged(items, offset, size, "next_token")
    if not page:
        return 200, {"meta": meta}
    body: dict[str, Any] = {"data": page, "meta": meta}
    if "author_id" in (request.arg("expansions") or "").split(","):
        authors = {c.id: c for c, _p in found}
        users: dict[str, dict[str, str]] = {}
        for tweet in page:
            comment = authors[tweet["id"]]
            uid = comment.author_id or comment.author
            users[uid] = {"id": uid, "name": comment.author, "username": comment.author}
        body["includes"] = {"users": list(users.values())}
    return 200, body


def _sniff_image(data: bytes) -> tuple[str, int, int] | None:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            mime = Image.MIME.get(img.format or "", "")
            return mime, img.width, img.height
    except (UnidentifiedImageError, OSError):
        return None


def upload_media(state: SandboxState, request: Request) -> tuple[int, Any]:
    if request.arg("command"):
        return _invalid("Chunked upload commands are not emulated; use the simple upload.")
    files = request.files()
    if "media" in files:  # multipart: raw bytes
        data = files["media"].data
        category = request.form().get("media_category", "")
    else:  # JSON: base64 in `media`
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("media"):
            return _invalid("The `media` field is required.")
        try:
            data = base64.b64decode(str(body["media"]), validate=True)
        except ValueError:
            return _invalid("The `media` field is not valid base64.")
        category = str(body.get("media_category") or "")
    if category not in ("tweet_image", "tweet_gif"):
        return _invalid(
            f"media_category '{category}' is not one of tweet_image, tweet_gif "
            "(video is not emulated)",
            parameters={"media_category": [category]},
        )
    sniffed = _sniff_image(data)
    if sniffed is None:
        return _invalid("media type unrecognized.")
    mime, width, height = sniffed
    limit = MAX_GIF_BYTES if mime == "image/gif" else MAX_IMAGE_BYTES
    if len(data) > limit:
        return _invalid(f"File size exceeds {limit} bytes.")
    media = state.add_media(PLATFORM, data, mime, extra={"media_category": category})
    return 200, {
        "data": {
            "id": media.id,
            "media_key": f"3_{media.id}",
            "size": len(data),
            "expires_after_secs": 86400,
            "image": {"image_type": mime, "w": width, "h": height},
        }
    }


def media_metadata(state: SandboxState, request: Request) -> tuple[int, Any]:
    try:
        body = request.json()
    except ValueError as exc:
        return _invalid(str(exc))
    if not isinstance(body, dict) or not str(body.get("id") or "").isdigit():
        return _invalid("The `id` field (a media id) is required.")
    media_id = str(body["id"])
    alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text")
    if not isinstance(alt, str):
        return _invalid("metadata.alt_text.text is required.")
    if len(alt) > MAX_ALT_TEXT:
        return _invalid(f"Alt text must be at most {MAX_ALT_TEXT} characters.")
    if not state.set_alt_text(PLATFORM, media_id, alt):
        return 404, _problem(
            404,
            "Not Found Error",
            f"Could not find media with id: [{media_id}].",
            f"{PROBLEMS}/resource-not-found",
        )
    return 200, {"data": {"id": media_id, "associated_metadata": {"alt_text": {"text": alt}}}}


def users_me(state: SandboxState, request: Request) -> tuple[int, Any]:
    return 200, {"data": {"id": X_USER_ID, "name": DISPLAY_NAME, "username": X_USERNAME}}


ROUTES: list[Route] = [
    _route("POST", r"/2/tweets", "POST /2/tweets", create_post),
    _route("DELETE", r"/2/tweets/(?P<post_id>\d{1,19})", "DELETE /2/tweets/:id", delete_post),
    _route("GET", r"/2/tweets", "GET /2/tweets", lookup_posts),
    _route("GET", r"/2/tweets/search/recent", "GET /2/tweets/search/recent", search_recent),
    _route("GET", r"/2/users/me", "GET /2/users/me", users_me),
    _route("GET", r"/2/users/(?P<user_id>\d{1,19})/tweets", "GET /2/users/:id/tweets", user_posts),
    _route("POST", r"/2/media/upload", "POST /2/media/upload", upload_media),
    _route("POST", r"/2/media/metadata", "POST /2/media/metadata", media_metadata),
]


def _video_routes() -> list[Route]:
    """The chunked upload (connectors/sandbox/x_video.py), behind the same auth and windows."""
    from connectors.sandbox import x_video as v

    def not_found(media_id: str, parameter: str = "id"):
        return 404, _problem(
            404,
            "Not Found Error",
            f"Could not find media with id: [{media_id}].",
            f"{PROBLEMS}/resource-not-found",
        )

    upload = r"/2/media/upload/(?P<media_id>\d{1,19})"
    return [
        _route(
            "POST",
            r"/2/media/upload/initialize",
            "POST /2/media/upload/initialize",
            lambda s, r: v.initialize(s, r, _invalid),
        ),
        _route(
            "POST",
            upload + "/append",
            "POST /2/media/upload/:id/append",
            lambda s, r, media_id: v.append(s, r, _invalid, not_found, media_id),
        ),
        _route(
            "POST",
            upload + "/finalize",
            "POST /2/media/upload/:id/finalize",
            lambda s, r, media_id: v.finalize(s, _invalid, not_found, media_id),
        ),
        _route(
            "GET",
            r"/2/media/upload",
            "GET /2/media/upload",
            lambda s, r: v.status(s, r, _invalid, not_found),
        ),
        _route(
            "POST",
            r"/2/media/subtitles",
            "POST /2/media/subtitles",
            lambda s, r: v.subtitles(s, r, _invalid, not_found),
        ),
    ]


# before the simple upload: "/2/media/upload/initialize" must not reach it
ROUTES[:0] = _video_routes()

__all__ = ["ROUTES", "error_reply", "not_found_reply", "render_text"]
