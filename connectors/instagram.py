"""Instagram professional account connector (Graph API content publishing).

Publishing is three steps: create a media container from an image at a public URL
(``POST /{ig-user-id}/media``; several images make carousel items plus one ``CAROUSEL``
container), wait until the container's ``status_code`` is ``FINISHED``, then
``POST /{ig-user-id}/media_publish``. Only the last step makes anything public.

Instagram fetches each image itself, from a web address. The address is never the original
photo's: each image is prepared (``connectors.media.prepare_media``: pixels only, no GPS position,
camera serial or capture time), written content-addressed into the publish folder
(``instagram.publish_dir``) and its address under ``instagram.media_base_url`` fetched and
compared byte for byte before the container is created (``connectors.hosting``).

Reconciliation: the container id is handed to ``on_resume`` (when the caller set one) as soon as
it exists, and attached as ``resume`` to any error raised after that. Given back in
``post.resume["container_id"]``, a ``PUBLISHED`` container proves the post is out, a ``FINISHED``
one is published without creating another. Without it, ``find_published`` matches the account's
recent media on the caption.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.base import Comment, MetricSnapshot, Published
from connectors.containers import ContainerApi, ContainerConnector, text_as_posted
from connectors.errors import Rejected
from connectors.graph import (
    GraphClient,
    InsightReader,
    continuation,
    count,
    graph_time_or_none,
    insight_values,
    read_comments_batch,
    reply_id_from,
)
from connectors.instagram_video import reels_fields
from connectors.video_metrics import INSTAGRAM_REEL, video_figures, with_video_figures

if TYPE_CHECKING:
    from connectors.base import MediaFile, OutgoingPost, OutgoingReply

log = logging.getLogger(__name__)

INSIGHTS_METRICS = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
MEDIA_FIELDS = "id,timestamp,like_count,comments_count,media_product_type"
REPLY_FIELDS = "id,text,username,timestamp"
COMMENT_FIELDS = f"id,text,username,timestamp,replies{{{REPLY_FIELDS}}}"
# Comments per media per page when many media are read at once (the edge's largest page).
COMMENTS_PAGE = 50
COMMENT_EDGE_PARAMS = {"fields": COMMENT_FIELDS, "limit": COMMENTS_PAGE}


INSTAGRAM_API = ContainerApi(
    quota_edge="content_publishing_limit",
    media_edge="media",
    status_field="status_code",
    error_field="status",
    text_field="caption",
    image_type=None,
)


class InstagramConnector(ContainerConnector, platform="instagram"):
    api = INSTAGRAM_API
    account_setting = ("ig_user_id", "to the Instagram professional account id")
    carousel = "an Instagram carousel"
    one_video = ": an Instagram Reel is one video"
    fetched = "images"

    def __init__(self, *, ig_user_id: str, client: GraphClient, **options: Any):
        """``options``: the host, polling, sleep and resume hook ``ContainerConnector`` takes."""
        super().__init__(user_id=ig_user_id, client=client, **options)
        self.ig_user_id = ig_user_id
        self.insights = InsightReader(client, list(INSIGHTS_METRICS))

    # -- publishing ----------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        images = self._images(post)
        caption = text_as_posted(post)
        return self.steps.publish(
            post,
            create=lambda: self._create_container(images, caption),
            wait=self._wait_until_finished,
            on_resume=self.on_resume,
        )

    def _images(self, post: OutgoingPost) -> list[MediaFile]:
        if not post.media:
            raise Rejected("an Instagram post needs at least one image", platform=self.platform)
        return self._media(post)

    def _create_container(self, images: list[MediaFile], caption: str) -> str:
        if images[0].is_video:
            assert self.host is not None  # _images refused the post otherwise
            return self.steps.new_container(reels_fields(images[0], self.host, caption))
        assert self.host is not None  # _images refused the post otherwise
        items = self.steps.image_items(images, self.host, self.limits)
        return self.steps.post_container(items, caption)

    # -- replies -------------------------------------------------------------------------
    def reply(self, reply: OutgoingReply) -> Published:
        """Answer a comment: ``POST /{ig-comment-id}/replies`` with ``message``. Instagram
        attaches an answer to a reply to its top-level comment. Instagram gives no link to a
        comment, so the link is the post's."""
        body = self.client.post(
            f"{reply.thread_id or reply.comment_id}/replies",
            {"message": reply.text},
            publishing=True,
        )
        reply_id = reply_id_from(body, self.platform)
        return Published(
            platform_id=reply_id,
            url=self.steps.permalink(reply.post_id),
            published_at=self.client.now(),
        )

    def find_reply(self, reply: OutgoingReply, since: datetime) -> Published | None:
        """The account's answer with ``reply``'s text among the comment's replies, if any."""
        return self._own_reply(
            reply.thread_id or reply.comment_id,
            reply.text,
            since,
            fields="id,text,from,timestamp",
            own_id=self.ig_user_id,
            url=lambda _reply_id, _item: self.steps.permalink(reply.post_id),
        )

    # -- engagement ----------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        reels: set[str] = set()

        def build(media_id: str, node: dict[str, Any], taken_at: datetime) -> MetricSnapshot:
            if node.get("media_product_type") == "REELS":
                reels.add(media_id)
            return snapshot_from_node(media_id, node, taken_at)

        snapshots = self.insights.snapshots(platform_ids, MEDIA_FIELDS, build)
        # Reels carry their own metrics (average watch time); asked only of Reels, since a
        # photo post answers them with an error.
        return [
            with_video_figures(s, video_figures(self.client, s.platform_id, INSTAGRAM_REEL))
            if s.platform_id in reels
            else s
            for s in snapshots
        ]

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        """Comments and their replies on one media object, created at or after ``since``.

        Instagram documents no ordering option for this edge, so every page is read (the
        edge is small: recruitment posts draw tens of comments, not thousands).
        """
        found: list[Comment] = []
        params = {"fields": COMMENT_FIELDS, "limit": 50}
        for page in self.client.pages(f"{platform_id}/comments", params):
            for item in page:
                found.extend(_comments_from_item(platform_id, item))
        if since is not None:
            found = [c for c in found if c.created_at >= since]
        found.sort(key=lambda c: c.created_at)
        return found

    # -- beyond the protocol -----------------------------------------------------------------
    def fetch_comments_batch(
        self, cursors: Mapping[str, datetime | None]
    ) -> dict[str, list[Comment]]:
        """Comments and replies of many media: media id -> those at or after that one's cursor.

        One multi-id read per 50 media, each one's first ``COMMENTS_PAGE`` comments expanded in
        it with their replies. Instagram documents no order for comments, and a new reply can
        sit under an old comment, so a media's further pages are read whenever there are any,
        whatever its cursor (recruitment posts draw tens of comments: this is rarely more than
        the one batched request). A thread whose replies run past their first page is read on
        from ``/{comment-id}/replies``. A comment in the cursor's own second comes back again
        (Graph times are whole seconds); the store keeps one of each. Media that no longer
        exist are left out.
        """
        return read_comments_batch(
            self.client,
            cursors,
            edge_params=COMMENT_EDGE_PARAMS,
            comments_of=lambda media_id, raw: (
                c for item in raw for c in _comments_from_item(media_id, self._all_replies(item))
            ),
            newest_first_by=None,  # Instagram documents no order for comments
        )

    def _all_replies(self, item: dict[str, Any]) -> dict[str, Any]:
        """``item`` with every page of its ``replies``, read on where the first page stops."""
        replies = item.get("replies")
        if not isinstance(replies, dict) or not item.get("id"):
            return item
        data = [r for r in replies.get("data") or [] if isinstance(r, dict)]
        query = continuation(replies.get("paging"), {"fields": REPLY_FIELDS})
        if query is None or not data:
            return item
        for page in self.client.pages(f"{item['id']}/replies", query):
            data.extend(page)
        return {**item, "replies": {"data": data}}


def snapshot_from_node(media_id: str, node: dict[str, Any], taken_at: datetime) -> MetricSnapshot:
    insights = insight_values(node)
    # Insights are the organic figures; the media fields fill in when insights are unavailable
    # (too few viewers, or a metric retired).
    likes = count(insights.get("likes"))
    comments = count(insights.get("comments"))
    return MetricSnapshot(
        platform_id=media_id,
        taken_at=taken_at,
        views=count(insights.get("views")),
        reach=count(insights.get("reach")),
        reactions=likes if likes is not None else count(node.get("like_count")),
        replies=comments if comments is not None else count(node.get("comments_count")),
        shares=count(insights.get("shares")),
        saves=count(insights.get("saved")),
        extras=insights,
    )


def _comments_from_item(
    media_id: str, item: dict[str, Any], parent: str | None = None
) -> list[Comment]:
    created = graph_time_or_none(item.get("timestamp"))
    if not item.get("id") or created is None:
        return []
    comment = Comment(
        platform_id=str(item["id"]),
        post_platform_id=media_id,
        author=str(item.get("username") or ""),
        text=str(item.get("text") or ""),
        created_at=created,
        parent_id=parent,
    )
    found = [comment]
    replies = item.get("replies")
    for reply in (replies.get("data") if isinstance(replies, dict) else None) or []:
        if isinstance(reply, dict):
            found.extend(_comments_from_item(media_id, reply, parent=comment.platform_id))
    return found
