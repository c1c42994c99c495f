"""Facebook Page connector (Graph API, through ``connectors.graph``).

Publishing:
- text and link posts: ``POST /{page-id}/feed`` (``message``, ``link``);
- one photo: ``POST /{page-id}/photos`` with the image as multipart ``source``;
- several photos: each uploaded with ``published=false``, then one ``/{page-id}/feed`` post
  naming them in ``attached_media``. Unpublished uploads are invisible, so a failure among
  them is safe to retry; only the final post is a publishing call.

Every image goes through ``prepare_media`` first, so no EXIF or GPS data leaves the machine.

Metrics: post fields (reactions, comments and shares totals) plus the insights metrics named in
``facebook.insights_metrics``, up to 50 posts per request with ``?ids=``; metrics the API has
retired are dropped by ``InsightReader`` without failing the pull.

Comments: ``fetch_comments`` reads one post's ``/comments`` edge; ``fetch_comments_batch`` reads
the comments of up to 50 posts per request (``connectors.graph.read_edge_batch``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.base import Comment, MetricSnapshot, Published
from connectors.common import enabled_section, required
from connectors.errors import OutcomeUnknown, Rejected, TransientError
from connectors.facebook_video import publish_video
from connectors.graph import (
    GraphClient,
    InsightReader,
    find_own_reply,
    find_recent_match,
    graph_client,
    graph_time_or_none,
    insight_values,
    read_comments_batch,
    reply_id_from,
    text_with_link,
)
from connectors.media import PreparedMedia, prepare_media
from connectors.platforms import PlatformConnector
from connectors.video_metrics import FACEBOOK_VIDEO, video_figures, with_video_figures

if TYPE_CHECKING:
    from config import Settings
    from connectors.base import Clock, MediaFile, OutgoingPost, OutgoingReply, ResumeHook, Sleep

log = logging.getLogger(__name__)

POST_FIELDS = (
    "id,created_time,reactions.summary(total_count).limit(0),comments.summary(true).limit(0),shares"
)
# A Video node: its reactions and comments (no ``shares``, no ``insights`` field).
VIDEO_FIELDS = (
    "id,created_time,reactions.summary(total_count).limit(0),comments.summary(true).limit(0)"
)
COMMENT_FIELDS = "id,message,from,created_time,parent{id},permalink_url"
# Comments per post per page when many posts are read at once. Graph's default page is 25; the
# larger page spares a paging request on a busy post without making a 50-post reply heavy.
COMMENTS_PAGE = 50
# filter=stream: replies too, flattened, each naming its parent; newest first, so paging can stop
# at the cursor. The same request expanded in a batch and as edge parameters (paging).
COMMENT_EDGE_PARAMS = {
    "fields": COMMENT_FIELDS,
    "filter": "stream",
    "order": "reverse_chronological",
    "limit": COMMENTS_PAGE,
}
# Insights metric -> MetricSnapshot field. Old and new names of the same figure map to the same
# field (Meta replaced impressions with media views in 2025); every value also lands in extras.
INSIGHT_FIELDS: dict[str, str] = {
    "post_media_view": "views",
    "post_impressions": "views",
    "post_total_media_view_unique": "reach",
    "post_impressions_unique": "reach",
}
# ``post_clicks`` counts clicks anywhere on the post; only the by-type breakdown says which were
# link clicks, so only that fills ``link_clicks``.
LINK_CLICKS_METRIC = "post_clicks_by_type"
LINK_CLICKS_KEY = "link clicks"


class FacebookConnector(PlatformConnector, platform="facebook"):
    def __init__(
        self,
        *,
        page_id: str,
        client: GraphClient,
        insights_metrics: Sequence[str] = (),
    ):
        self.page_id = page_id
        self.client = client
        # Video (connectors/facebook_video.py): the daemon's resume hook, the processing wait.
        self.on_resume: ResumeHook | None = None
        self.processing_deadline = 600.0
        self._sleep: Sleep = time.sleep
        self.insights = InsightReader(client, list(insights_metrics))
        self.video_fields = InsightReader(client, [])  # videos: fields only (no insights)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Clock | None = None, sleep: Sleep | None = None
    ) -> FacebookConnector:
        fb = enabled_section(settings, cls.platform)
        page_id = required(cls.platform, fb, "page_id", "to the Page's numeric id")
        client = graph_client(
            cls.platform,
            fb,
            token_field="page_access_token",
            purpose="to a Page access token",
            clock=clock,
            sleep=sleep,
        )
        return cls(page_id=page_id, client=client, insights_metrics=fb.insights_metrics)

    def __repr__(self) -> str:
        return f"FacebookConnector(page_id={self.page_id!r})"

    # -- publishing ----------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        if len(post.media) == 1 and post.media[0].is_video:
            return publish_video(self, post.media[0], post, photo_message(post))
        # Every image is prepared before the first call, so a bad file fails before any upload.
        images = [(m, prepare_media(m, self.limits)) for m in self._check_media(post.media)]
        if not images:
            data: dict[str, Any] = {"message": post.text}
            if post.link:
                data["link"] = post.link
            post.check_go_ahead(self.platform)
            body = self.client.post(f"{self.page_id}/feed", data, publishing=True)
            post_id = body.get("id")
        elif len(images) == 1:
            post.check_go_ahead(self.platform)  # this upload is the publishing request
            body = self._upload_photo(*images[0], message=photo_message(post), published=True)
            post_id = body.get("post_id") or (
                f"{self.page_id}_{body['id']}" if body.get("id") else None
            )
        else:
            photo_ids = [self._upload_photo(*image, published=False).get("id") for image in images]
            if not all(photo_ids):
                # Unpublished uploads are invisible: nothing is out, so a retry is safe.
                raise TransientError("a photo upload returned no id", platform=self.platform)
            data = {"message": photo_message(post)}
            for index, photo_id in enumerate(photo_ids):
                data[f"attached_media[{index}]"] = {"media_fbid": photo_id}
            post.check_go_ahead(self.platform)  # after the unpublished uploads
            body = self.client.post(f"{self.page_id}/feed", data, publishing=True)
            post_id = body.get("id")
        if not post_id:
            raise OutcomeUnknown(
                "the Page accepted the post but its reply named no post id", platform=self.platform
            )
        return Published(
            platform_id=str(post_id), url=post_url(str(post_id)), published_at=self.client.now()
        )

    def _check_media(self, media: Sequence[MediaFile]) -> list[MediaFile]:
        if len(media) > self.limits.max_images:
            raise Rejected(
                f"{len(media)} images; a Facebook post takes at most {self.limits.max_images}",
                platform=self.platform,
            )
        videos = [m for m in media if m.is_video]
        if videos:
            raise Rejected(
                f"{videos[0].path.name}: a video goes out alone: a Facebook video post is one "
                "video",
                platform=self.platform,
            )
        return list(media)

    def _upload_photo(
        self,
        image: MediaFile,
        prepared: PreparedMedia,
        *,
        message: str | None = None,
        published: bool,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"published": published}
        if message:
            data["message"] = message
        if image.alt_text:
            data["alt_text_custom"] = image.alt_text
        return self.client.post(
            f"{self.page_id}/photos",
            data,
            files={"source": (prepared.filename, prepared.data, prepared.mime_type)},
            publishing=published,
        )

    # -- replies -------------------------------------------------------------------------
    def reply(self, reply: OutgoingReply) -> Published:
        """Answer a comment as the Page: ``POST /{comment-id}/comments`` with ``message``."""
        body = self.client.post(
            f"{reply.comment_id}/comments", {"message": reply.text}, publishing=True
        )
        reply_id = reply_id_from(body, self.platform)
        return Published(
            platform_id=reply_id,
            url=reply_url(reply.post_id, reply_id),
            published_at=self.client.now(),
        )

    def find_reply(self, reply: OutgoingReply, since: datetime) -> Published | None:
        """The Page's answer with ``reply``'s text among the comment's replies, if any."""
        return find_own_reply(
            self.client,
            f"{reply.comment_id}/comments",
            {"fields": "id,message,from,created_time,permalink_url", "filter": "stream"},
            text=reply.text,
            own_id=self.page_id,
            text_field="message",
            time_field="created_time",
            since=since,
            url=lambda reply_id, item: str(
                item.get("permalink_url") or reply_url(reply.post_id, reply_id)
            ),
        )

    # -- reconciliation ------------------------------------------------------------------
    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The Page's own post since ``since`` whose message is this post's, if any."""
        params = {
            "fields": "id,message,created_time,permalink_url",
            "since": int(since.timestamp()),
            "limit": 100,
        }
        return find_recent_match(
            self.client,
            f"{self.page_id}/posts",
            params,
            texts=(post.text, photo_message(post)),
            since=since,
            text_field="message",
            time_field="created_time",
            url_field="permalink_url",
            fallback_url=post_url,
        )

    # -- engagement ----------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        # A video delivery is known by its video id (a Page post id is ``{page}_{story}``). A
        # Video node has no ``insights`` field (asking for it fails the whole request), so
        # videos are read apart: their reactions and comments, then views, completions and
        # watch time from their own ``video_insights``.
        videos = [i for i in platform_ids if "_" not in i]
        posts = [i for i in platform_ids if "_" in i]
        found = {
            s.platform_id: s
            for s in self.insights.snapshots(posts, POST_FIELDS, snapshot_from_node)
        }
        for s in self.video_fields.snapshots(videos, VIDEO_FIELDS, snapshot_from_node):
            found[s.platform_id] = with_video_figures(
                replace(s, shares=None),  # not read for a video
                video_figures(self.client, s.platform_id, FACEBOOK_VIDEO),
            )
        return [found[i] for i in dict.fromkeys(platform_ids) if i in found]

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        """Comments and replies on one post, newest first, stopping at ``since``."""
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",  # replies too, flattened, each naming its parent
            "order": "reverse_chronological",
            "limit": 100,
        }
        found: list[Comment] = []
        for page in self.client.pages(f"{platform_id}/comments", params):
            older_seen = False
            for item in page:
                comment = comment_from_item(platform_id, item)
                if comment is None:
                    continue
                if since is not None and comment.created_at < since:
                    older_seen = True
                    continue
                found.append(comment)
            if older_seen:
                break
        found.sort(key=lambda c: c.created_at)
        return found

    # -- beyond the protocol -----------------------------------------------------------------
    def fetch_comments_batch(
        self, cursors: Mapping[str, datetime | None]
    ) -> dict[str, list[Comment]]:
        """Comments and replies of many posts: post id -> those at or after that post's cursor.

        One multi-id read per 50 posts, each post's newest ``COMMENTS_PAGE`` comments expanded
        in it; a post's older pages are read from its own edge only while its last page held
        nothing older than its cursor. The comments edge has no ``since`` (it pages by cursor),
        and one request shares one field expression across its posts, so each post is cut at
        its own cursor here. A comment in the cursor's own second comes back again (Graph
        times are whole seconds, and one written later in that second must not be lost); the
        store keeps one of each. Posts that no longer exist are left out (``read_edge_batch``
        says what happens to a batch that Graph fails as a whole).
        """
        return read_comments_batch(
            self.client,
            cursors,
            edge_params=COMMENT_EDGE_PARAMS,
            comments_of=lambda post_id, raw: (
                c for c in (comment_from_item(post_id, item) for item in raw) if c is not None
            ),
            newest_first_by="created_time",
        )


def photo_message(post: OutgoingPost) -> str:
    """Photo posts take no ``link`` parameter, so the link goes at the end of the message."""
    return text_with_link(post.text, post.link)


def post_url(post_id: str) -> str:
    page, _, story = post_id.partition("_")
    if story:
        return f"https://www.facebook.com/{page}/posts/{story}"
    return f"https://www.facebook.com/{post_id}"


def reply_url(post_id: str, reply_id: str) -> str:
    """A link to a reply: its post, opened at the comment (Graph's ``?comment_id=`` form)."""
    return f"{post_url(post_id)}?comment_id={reply_id.rpartition('_')[2]}"


def _summary_count(node: dict[str, Any], edge: str) -> int | None:
    summary = (node.get(edge) or {}).get("summary") if isinstance(node.get(edge), dict) else None
    if isinstance(summary, dict) and summary.get("total_count") is not None:
        return int(summary["total_count"])
    return None


def snapshot_from_node(post_id: str, node: dict[str, Any], taken_at: datetime) -> MetricSnapshot:
    insights = insight_values(node)
    fields: dict[str, int | None] = {"views": None, "reach": None}
    for metric, target in INSIGHT_FIELDS.items():
        value = insights.get(metric)
        if isinstance(value, (int, float)) and fields[target] is None:
            fields[target] = int(value)
    link_clicks = None
    by_type = insights.get(LINK_CLICKS_METRIC)
    if isinstance(by_type, dict) and by_type.get(LINK_CLICKS_KEY) is not None:
        link_clicks = int(by_type[LINK_CLICKS_KEY])
    shares = node.get("shares")
    # Graph leaves ``shares`` out entirely while a post has none.
    share_count = int(shares.get("count", 0)) if isinstance(shares, dict) else 0
    return MetricSnapshot(
        platform_id=post_id,
        taken_at=taken_at,
        views=fields["views"],
        reach=fields["reach"],
        reactions=_summary_count(node, "reactions"),
        replies=_summary_count(node, "comments"),
        shares=share_count,
        link_clicks=link_clicks,
        extras=insights,
    )


def comment_from_item(post_id: str, item: dict[str, Any]) -> Comment | None:
    created = graph_time_or_none(item.get("created_time"))
    if not item.get("id") or created is None:
        return None
    author = item.get("from") if isinstance(item.get("from"), dict) else {}
    parent = item.get("parent") if isinstance(item.get("parent"), dict) else {}
    return Comment(
        platform_id=str(item["id"]),
        post_platform_id=post_id,
        # Graph omits ``from`` for people who have not allowed apps to see them.
        author=str(author.get("name") or author.get("id") or ""),
        text=str(item.get("message") or ""),
        created_at=created,
        url=item.get("permalink_url"),
        parent_id=str(parent["id"]) if parent.get("id") else None,
    )
