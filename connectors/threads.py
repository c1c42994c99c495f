"""Threads (Meta) connector: the Threads API at graph.threads.net.

Publishing is two steps, as on Instagram: create a media container (``POST
/{threads-user-id}/threads`` with ``media_type`` ``TEXT``, ``IMAGE`` or ``CAROUSEL``), wait until
its ``status`` is ``FINISHED``, then ``POST /{threads-user-id}/threads_publish`` with
``creation_id``. Only the last step makes anything public. Before a container is made, the
account's quota (250 API-published posts per 24 hours) is read from ``GET
/{threads-user-id}/threads_publishing_limit``.

Video: one ``VIDEO`` container per post (connectors/threads_video.py), made from the public
address of a metadata-free copy and read until Threads has processed it.

Images: Threads fetches each image from a public address, like Instagram. The address is that
of a metadata-free copy (``connectors.media.prepare_media``) written into Instagram's publish
folder and served under ``instagram.media_base_url`` (``connectors.hosting``), checked byte for
byte before the container is created.

At most once: the container id goes to ``on_resume`` as soon as it exists and is attached as
``resume`` to any error raised after that. Given back in ``post.resume["container_id"]``, the
container is reused, never created twice: ``PUBLISHED`` proves the post is out (found again on
the account's recent threads by its text), ``FINISHED`` is published without a new container.

Errors are Graph's error objects, mapped by ``connectors.graph.GraphClient``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import regex

from connectors.base import Comment, MetricSnapshot, Published
from connectors.containers import ContainerApi, ContainerConnector, text_as_posted
from connectors.errors import Rejected
from connectors.graph import (
    graph_time_or_none,
    reply_id_from,
)
from connectors.threads_video import PROCESSING_DEADLINE, video_fields, wait_for_video

if TYPE_CHECKING:
    from connectors.base import MediaFile, OutgoingPost, OutgoingReply

log = logging.getLogger(__name__)

# The one place the Threads API version is kept (graph.threads.net/v1.0/...).
API_VERSION = "v1.0"
BASE_URL = "https://graph.threads.net"

INSIGHTS_METRICS = ("views", "likes", "replies", "reposts", "quotes")
REPLY_FIELDS = "id,text,username,timestamp,replied_to"


_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def counted_length(text: str) -> int:
    """Characters as Threads counts them: each emoji by its UTF-8 bytes (Threads Posts,
    Limitations), everything else one per character."""
    return sum(
        len(g.encode("utf-8")) if _EMOJI.search(g) else len(g) for g in _GRAPHEME.findall(text)
    )


THREADS_API = ContainerApi(
    quota_edge="threads_publishing_limit",
    media_edge="threads",
    status_field="status",
    error_field="error_message",
    text_field="text",
    image_type="IMAGE",
)


class ThreadsConnector(ContainerConnector, platform="threads"):
    api = THREADS_API
    account_setting = ("user_id", "to the Threads user id")
    carousel = "a Threads carousel"
    one_video = " on Threads"
    api_version = API_VERSION
    processing_deadline = PROCESSING_DEADLINE  # a video container's processing, in seconds

    # -- publishing ----------------------------------------------------------------------
    def publish(self, post: OutgoingPost) -> Published:
        text = text_as_posted(post)
        self._check_text(text)
        images = self._media(post)
        video = images[0] if images and images[0].is_video else None
        return self.steps.publish(
            post,
            create=lambda: self._create_container(images, text),
            wait=self._wait_until_finished if video is None else lambda c: self._wait(c, video),
            on_resume=self.on_resume,
        )

    def _check_text(self, text: str) -> None:
        length = counted_length(text)
        if length > self.limits.max_length:
            raise Rejected(
                f"the text as posted counts {length} characters (an emoji counts its UTF-8 "
                f"bytes); Threads takes at most "
                f"{self.limits.max_length}",
                platform=self.platform,
            )

    def _create_container(self, images: list[MediaFile], text: str) -> str:
        if not images:
            return self.steps.new_container({"media_type": "TEXT", "text": text})
        assert self.host is not None  # _media refused the post otherwise
        if images[0].is_video:
            return self.steps.new_container(video_fields(images[0], self.host, text))
        items = self.steps.image_items(images, self.host, self.limits)
        return self.steps.post_container(items, text)

    def _wait(self, container_id: str, video: MediaFile) -> None:
        wait_for_video(
            self.steps,
            container_id,
            video,
            deadline=self.processing_deadline,
            sleep=self._sleep,
        )

    # -- engagement ----------------------------------------------------------------------
    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        """One ``GET /{threads-media-id}/insights`` per post (Threads reads no batch)."""
        snapshots: list[MetricSnapshot] = []
        for media_id in dict.fromkeys(platform_ids):
            try:
                body = self.client.get(
                    f"{media_id}/insights", {"metric": ",".join(INSIGHTS_METRICS)}
                )
            except Rejected as exc:
                if exc.code == 100:  # deleted or never ours: nothing to read
                    log.info("threads: %s no longer exists; nothing read from it", media_id)
                    continue
                raise
            snapshots.append(snapshot_from_insights(media_id, body, self.client.now()))
        return snapshots

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        """Every reply at any depth (``GET /{media-id}/conversation``, oldest first)."""
        found: list[Comment] = []
        params = {"fields": REPLY_FIELDS, "reverse": "false"}
        for page in self.client.pages(f"{platform_id}/conversation", params):
            for item in page:
                comment = _comment_from(platform_id, item)
                if comment is not None and (since is None or comment.created_at >= since):
                    found.append(comment)
        found.sort(key=lambda c: (c.created_at, c.platform_id))
        return found

    # -- replies -------------------------------------------------------------------------
    def reply(self, reply: OutgoingReply) -> Published:
        """Answer a reply: a ``TEXT`` container with ``reply_to_id``, then ``threads_publish``."""
        container = self.steps.new_container(
            {"media_type": "TEXT", "text": reply.text, "reply_to_id": reply.comment_id}
        )
        self._wait_until_finished(container)
        body = self.client.post(
            f"{self.user_id}/threads_publish", {"creation_id": container}, publishing=True
        )
        reply_id = reply_id_from(body, self.platform)
        return Published(
            platform_id=reply_id, url=self.steps.permalink(reply_id), published_at=self.client.now()
        )

    def find_reply(self, reply: OutgoingReply, since: datetime) -> Published | None:
        """The account's own answer with ``reply``'s text among the reply's replies."""
        # is_reply_owned_by_me: Threads says which replies are the account's own
        return self._own_reply(
            reply.comment_id,
            reply.text,
            since,
            fields="id,text,timestamp,permalink,is_reply_owned_by_me",
            own_id=None,
            url=lambda _reply_id, item: str(item.get("permalink") or ""),
        )


def insight_figures(body: dict[str, Any]) -> dict[str, int]:
    """``{metric: value}`` from an insights answer: ``data`` items with ``name`` and
    ``values: [{"value": n}]`` (or ``total_value``)."""
    figures: dict[str, int] = {}
    for item in body.get("data") or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        values = item.get("values")
        value: Any = None
        if isinstance(values, list) and values and isinstance(values[-1], dict):
            value = values[-1].get("value")
        elif isinstance(item.get("total_value"), dict):
            value = item["total_value"].get("value")
        if isinstance(value, (int, float)):
            figures[str(item["name"])] = int(value)
    return figures


def snapshot_from_insights(
    media_id: str, body: dict[str, Any], taken_at: datetime
) -> MetricSnapshot:
    figures = insight_figures(body)
    return MetricSnapshot(
        platform_id=media_id,
        taken_at=taken_at,
        views=figures.get("views"),
        reactions=figures.get("likes"),
        replies=figures.get("replies"),
        shares=figures.get("reposts"),
        quotes=figures.get("quotes"),
        extras=dict(figures),
    )


def _comment_from(media_id: str, item: dict[str, Any]) -> Comment | None:
    created = graph_time_or_none(item.get("timestamp"))
    if not item.get("id") or created is None:
        return None
    replied_to = item.get("replied_to")
    parent = str(replied_to.get("id") or "") if isinstance(replied_to, dict) else ""
    return Comment(
        platform_id=str(item["id"]),
        post_platform_id=media_id,
        author=str(item.get("username") or ""),
        text=str(item.get("text") or ""),
        created_at=created,
        parent_id=parent if parent and parent != media_id else None,
    )
