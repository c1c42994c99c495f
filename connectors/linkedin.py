"""LinkedIn, as an organization (company) page, through the versioned REST API
(``https://api.linkedin.com/rest/``) with a member token holding ``w_organization_social``
(``r_organization_social`` to read back posts and comments, ``rw_organization_admin`` for
share statistics).

Every request carries ``Linkedin-Version`` (``LINKEDIN_VERSION``, kept here alone with its
sunset date) and ``X-Restli-Protocol-Version: 2.0.0``.

Publishing: each image is registered with ``POST /rest/images?action=initializeUpload`` (owner
the organization), its bytes PUT to the ``uploadUrl`` answered, and its ``urn:li:image:...``
referenced from the post with its alt text. A video (one per post) goes up in parts through the
Videos API and is waited for until LinkedIn has processed it (connectors/linkedin_video.py).
Then ``POST /rest/posts`` with author
``urn:li:organization:{id}``; LinkedIn answers 201 with the new post's URN in the
``x-restli-id`` header and an empty body.

At most once: LinkedIn has no idempotency key. A failure of the post request after it may have
reached LinkedIn is ``OutcomeUnknown``; ``find_published`` then reads the organization's recent
posts (``GET /rest/posts?q=author``) and matches the text, so the daemon never posts twice.

Commentary is LinkedIn's "little text": its reserved characters are escaped with a backslash
on the way out and unescaped when read back.

Metrics: ``/rest/organizationalEntityShareStatistics`` for the posts in one request
(impressions, unique impressions, clicks, likes, comments, shares). Comments:
``/rest/socialActions/{urn}/comments``.

Errors: 401 ``AuthError`` (expired: tokens last 60 days), 403 ``MissingPermission``
(w_organization_social), 404 and 422 ``Rejected`` (``DuplicateContent`` for LinkedIn's "Content
is a duplicate of ..."), 426 (the API version is sunset) ``Rejected``, 429 ``RateLimited``
(``Retry-After`` when given, else midnight UTC, when LinkedIn's daily limits reset), 5xx
``TransientError`` except on the post request, where it is ``OutcomeUnknown``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

import requests

from connectors.base import Comment, MetricSnapshot, Published
from connectors.common import (
    BearerJsonCalls,
    answer_error,
    answer_message,
)
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
from connectors.graph import text_with_link
from connectors.linkedin_video import (
    PROCESSING_DEADLINE,
    LinkedInVideoUpload,
    video_content,
    video_views,
)
from connectors.media import prepare_media
from connectors.platforms import PlatformConnector
from connectors.video_metrics import with_video_figures

if TYPE_CHECKING:
    from connectors.base import OutgoingPost

PLATFORM = "linkedin"
# The one place the API version lives. LinkedIn supports each monthly version for a year;
# after VERSION_SUNSET it answers 426 and nothing posts. Move both together (the migrations
# table: learn.microsoft.com/linkedin/marketing/integrations/migrations).
LINKEDIN_VERSION = "202603"
VERSION_SUNSET = date(2027, 3, 16)
PAGE_SIZE = 50  # posts per page when reconciling
MAX_PAGES = 4
PERMISSION = "w_organization_social"

_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_ESCAPED = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")


def escape_commentary(text: str) -> str:
    """``text`` in LinkedIn's little text format: reserved characters backslash-escaped, so a
    hashtag or parenthesis is shown as typed."""
    return _RESERVED.sub(r"\\\1", text)


def unescape_commentary(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _same_text(shown: str, posted: str) -> bool:
    return " ".join(unescape_commentary(shown).split()) == " ".join(posted.split())


def _millis(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _urn(value: str) -> str:
    """A URN as a path segment or List() item: Rest.li 2.0 wants it URL-encoded."""
    return quote(value, safe="")


class LinkedInConnector(BearerJsonCalls, PlatformConnector, platform="linkedin"):
    """Posts, statistics and comments for one LinkedIn organization page."""

    extra_headers: ClassVar[dict[str, str]] = {
        "Linkedin-Version": LINKEDIN_VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }
    needed_settings: ClassVar[dict[str, str]] = {
        "organization_id": "to the page's numeric id (the number in "
        "linkedin.com/company/<id>/admin)",
        "access_token": f"to a page admin's token with {PERMISSION}",
    }
    base_url_hint = " (https://api.linkedin.com)"

    def __init__(self, *, organization_id: str, access_token: str, **connection: Any):
        """``connection``: what ``HttpConnection`` takes (base URL, timeout, clock, session,
        sleep, resume hook)."""
        super().__init__(**connection)
        self.organization = f"urn:li:organization:{organization_id}"
        self._token = access_token
        self.processing_deadline = PROCESSING_DEADLINE  # a video's processing, in seconds

    def __repr__(self) -> str:
        return f"LinkedInConnector(organization={self.organization!r})"

    # -- HTTP --------------------------------------------------------------------------------
    def _error(self, response: requests.Response, publishing: bool) -> ConnectorError:
        status = response.status_code
        message = answer_message(response, "message", self._token)
        if status == 401:
            return AuthError(
                f"{message}; the access token was refused (LinkedIn tokens last 60 days: make "
                "a new one and update linkedin.token_expires)",
                platform=PLATFORM,
                code=status,
            )
        if status == 403:
            return MissingPermission(
                f"{message}; the token needs {PERMISSION} and its member must be an "
                "administrator of the page",
                permissions=(PERMISSION,),
                platform=PLATFORM,
                code=status,
            )
        if status == 426:
            return Rejected(
                f"{message}; API version {LINKEDIN_VERSION} is no longer served (sunset "
                f"{VERSION_SUNSET:%d %B %Y}): beatpost needs an update",
                platform=PLATFORM,
                code=status,
            )
        if status == 429:
            return RateLimited(
                f"rate limited: {message}",
                reset_at=self._reset_at(response),
                platform=PLATFORM,
                code=status,
            )
        if status == 422 and "duplicate" in message.lower():
            # "Content is a duplicate of urn:li:share:...": that text is already on the page.
            return DuplicateContent(message, platform=PLATFORM, code=status)
        return answer_error(PLATFORM, "LinkedIn", status, message, publishing=publishing)

    def _reset_at(self, response: requests.Response) -> datetime:
        """``Retry-After`` when sent; else midnight UTC, when LinkedIn's daily limits reset."""
        now = self._clock()
        retry = response.headers.get("Retry-After")
        if retry and retry.strip().isdigit():
            return now + timedelta(seconds=int(retry))
        return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)

    # -- publishing --------------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        text = text_with_link(post.text, post.link)
        if len(text) > self.limits.max_length:
            raise Rejected(
                f"the text has {len(text)} characters; LinkedIn allows {self.limits.max_length}",
                platform=PLATFORM,
            )
        videos = [m for m in post.media if m.is_video]
        if videos and len(post.media) > 1:
            raise Rejected("a video goes out alone on LinkedIn", platform=PLATFORM)
        upload = LinkedInVideoUpload(self, videos[0], post) if videos else None
        video = upload.run() if upload is not None else None
        images = [
            (self._upload(prepare_media(m, self.limits)), m.alt_text or "")
            for m in post.media
            if not m.is_video
        ]
        body: dict[str, Any] = {
            "author": self.organization,
            "commentary": escape_commentary(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if upload is not None and video is not None:
            body["content"] = video_content(video, upload.media)
        elif len(images) == 1:
            body["content"] = {"media": {"id": images[0][0], "altText": images[0][1]}}
        elif images:
            body["content"] = {
                "multiImage": {"images": [{"id": i, "altText": alt} for i, alt in images]}
            }
        try:
            post.check_go_ahead(PLATFORM)
            response = self._request("POST", "/rest/posts", publishing=True, json=body)
            urn = response.headers.get("x-restli-id")
            if not urn:
                raise OutcomeUnknown(
                    f"LinkedIn answered {response.status_code} without the post's id "
                    "(x-restli-id): the post may exist",
                    platform=PLATFORM,
                )
        except ConnectorError as exc:
            if upload is not None:  # the processed video is reused by the next attempt
                exc.resume = dict(upload.state)  # type: ignore[attr-defined]
            raise
        return Published(platform_id=urn, url=_post_url(urn), published_at=self._clock())

    def _upload(self, prepared: Any) -> str:
        answer = self._json(
            "POST",
            "/rest/images?action=initializeUpload",
            json={"initializeUploadRequest": {"owner": self.organization}},
        )
        value = answer.get("value") or {}
        upload_url, image = value.get("uploadUrl"), value.get("image")
        if not upload_url or not image:
            raise TransientError(
                "LinkedIn's initializeUpload answer had no uploadUrl or image", platform=PLATFORM
            )
        self._request(
            "PUT",
            str(upload_url),
            data=prepared.data,
            headers={"Content-Type": "application/octet-stream"},
        )
        return str(image)

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The organization's own post carrying this post's text, created since ``since``."""
        text = text_with_link(post.text, post.link)
        start = 0
        for _ in range(MAX_PAGES):
            page = self._json(
                "GET",
                f"/rest/posts?q=author&author={_urn(self.organization)}"
                f"&count={PAGE_SIZE}&start={start}&sortBy=CREATED",
            )
            elements = page.get("elements") or []
            for element in elements:
                created = _millis(element.get("createdAt") or element.get("publishedAt") or 0)
                if created < since - timedelta(minutes=1):
                    return None
                if _same_text(str(element.get("commentary") or ""), text):
                    urn = str(element["id"])
                    published = element.get("publishedAt") or element.get("createdAt")
                    return Published(
                        platform_id=urn, url=_post_url(urn), published_at=_millis(published)
                    )
            if len(elements) < PAGE_SIZE:
                return None
            start += PAGE_SIZE
        return None

    # -- engagement --------------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        """Share statistics of the posts, in one request per kind of URN (share, ugcPost)."""
        snapshots = []
        for param, kind in (("shares", "urn:li:share:"), ("ugcPosts", "urn:li:ugcPost:")):
            urns = [u for u in platform_ids if u.startswith(kind)]
            if not urns:
                continue
            listed = ",".join(_urn(u) for u in urns)
            page = self._json(
                "GET",
                "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
                f"&organizationalEntity={_urn(self.organization)}&{param}=List({listed})",
            )
            taken_at = self._clock()
            for element in page.get("elements") or []:
                urn = element.get("share") or element.get("ugcPost")
                if urn not in urns:
                    continue
                figures = element.get("totalShareStatistics") or {}
                snapshots.append(
                    MetricSnapshot(
                        platform_id=str(urn),
                        taken_at=taken_at,
                        views=_int(figures.get("impressionCount")),
                        reach=_int(figures.get("uniqueImpressionsCount")),
                        reactions=_int(figures.get("likeCount")),
                        shares=_int(figures.get("shareCount")),
                        replies=_int(figures.get("commentCount")),
                        link_clicks=_int(figures.get("clickCount")),
                        extras={"engagement": figures.get("engagement")},
                    )
                )
        # Video posts are ugcPosts; their views (plays of 3 s or more) come from videoAnalytics.
        return [
            with_video_figures(s, video_views(self, s.platform_id))
            if s.platform_id.startswith("urn:li:ugcPost:")
            else s
            for s in snapshots
        ]

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        comments = []
        start = 0
        while True:
            page = self._json(
                "GET", f"/rest/socialActions/{_urn(platform_id)}/comments?start={start}&count=100"
            )
            elements = page.get("elements") or []
            for element in elements:
                created = _millis((element.get("created") or {}).get("time") or 0)
                if since is not None and created < since:
                    continue
                parent = _comment_id(element.get("parentComment"))
                comments.append(
                    Comment(
                        platform_id=str(element.get("id") or _comment_id(element["commentUrn"])),
                        post_platform_id=platform_id,
                        author=str(element.get("actor") or ""),
                        text=str((element.get("message") or {}).get("text") or ""),
                        created_at=created,
                        url=_post_url(platform_id),
                        parent_id=parent,
                    )
                )
            total = (page.get("paging") or {}).get("total")
            start += len(elements)
            if not elements or total is None or start >= int(total):
                return comments


def _comment_id(urn: Any) -> str | None:
    """The comment's own id from ``urn:li:comment:(urn:li:activity:1,2)``: ``2``."""
    if not urn:
        return None
    return str(urn).rstrip(")").rsplit(",", 1)[-1]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"
