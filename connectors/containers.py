"""Meta's two-step publishing, shared by Instagram and Threads: a media container is made,
read until it is ready, then published; the account's publishing quota is read first.

The two APIs differ only in names: the quota edge (``content_publishing_limit`` and
``threads_publishing_limit``), the container's status field (``status_code`` and ``status``),
its error field (``status`` and ``error_message``) and its text field (``caption`` and
``text``). ``ContainerApi`` holds those names; ``ContainerSteps`` does the steps with a
``connectors.graph.GraphClient``: publishing, carousels, reconciling a post with its container.
``ContainerConnector`` is what the two connectors keep alike around the steps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self

from connectors.base import (
    MediaFile,
    OutgoingPost,
    PlatformLimits,
    Published,
    ResumeHook,
    Sleep,
)
from connectors.common import enabled_section, given, required
from connectors.errors import ConnectorError, OutcomeUnknown, RateLimited, Rejected, TransientError
from connectors.graph import (
    GraphClient,
    find_own_reply,
    find_recent_match,
    graph_client,
    graph_time_or_none,
    text_with_link,
)
from connectors.hosting import MediaHost, media_host
from connectors.media import prepare_media
from connectors.platforms import PlatformConnector
from connectors.platforms import platform as platform_row

if TYPE_CHECKING:
    from config import Settings
    from connectors.base import Clock

log = logging.getLogger(__name__)

FINISHED = "FINISHED"
IN_PROGRESS = "IN_PROGRESS"
PUBLISHED = "PUBLISHED"
ERROR = "ERROR"
EXPIRED = "EXPIRED"
# Containers finish in seconds; the loop is bounded when the poll interval is zero (tests).
MAX_POLLS = 30
DEFAULT_QUOTA_SECONDS = 86_400


def text_as_posted(post: OutgoingPost) -> str:
    """The post's text as it goes out: neither platform has a link field, so a link not already
    in the text goes at its end (Threads shows the first link of the text as its preview)."""
    return text_with_link(post.text, post.link)


def with_resume(exc: ConnectorError, resume: dict[str, str]) -> ConnectorError:
    """Attach the state needed to reconcile (``exc.resume``) to an error about to be raised."""
    exc.resume = dict(resume)  # type: ignore[attr-defined]
    return exc


@dataclass(frozen=True)
class ContainerApi:
    """The names one of Meta's container APIs gives to the same things. What a PIO calls the
    platform and its documented posting cap are its row of the platform table (display name,
    ``posts_per_24h``)."""

    quota_edge: str  # content_publishing_limit, threads_publishing_limit
    # POST makes a container there; GET lists the account's posts, newest first: media, threads
    media_edge: str
    status_field: str  # status_code (Instagram), status (Threads)
    error_field: str  # status (Instagram), error_message (Threads)
    text_field: str  # caption (Instagram), text (Threads): the post's text on its container
    image_type: str | None  # the media_type of an image container (Threads: IMAGE; Instagram: none)

    @property
    def publish_edge(self) -> str:
        """media_publish, threads_publish: the call that makes a post public."""
        return f"{self.media_edge}_publish"


@dataclass
class ContainerSteps:
    client: GraphClient
    user_id: str
    api: ContainerApi

    @property
    def platform(self) -> str:
        return self.client.platform

    def publish(
        self,
        post: OutgoingPost,
        *,
        create: Callable[[], str],
        wait: Callable[[str], None],
        on_resume: ResumeHook | None,
    ) -> Published:
        """Publish ``post``: its container from ``post.resume`` when there is one (never a
        second), else one made by ``create`` and handed to ``on_resume`` at once; the quota is
        read first, ``wait`` polls until the container is ready. Any error after the container
        exists carries it as ``resume``; a container found PUBLISHED is the post, found again
        among the account's recent posts."""
        container_id = post.resume.get("container_id")
        status = ""
        if container_id:
            status = self.status(container_id)
            if status == PUBLISHED:
                since = (post.scheduled_at or self.client.now()) - timedelta(days=1)
                return self.found_or_unknown(self.match_recent(post, since), container_id)
            if status in (ERROR, EXPIRED):
                log.info(
                    "%s: container %s is %s; creating a new one",
                    self.platform,
                    container_id,
                    status,
                )
                container_id, status = None, ""
        try:
            self.check_quota()
        except ConnectorError as exc:
            if container_id:  # keep a resumable container across the wait
                raise with_resume(exc, {"container_id": container_id}) from None
            raise
        if not container_id:
            container_id = create()
            if on_resume is not None:
                on_resume(post, {"container_id": container_id})
        resume = {"container_id": container_id}
        try:
            if status != FINISHED:  # a resumed container just read FINISHED needs no poll
                wait(container_id)
            post.check_go_ahead(self.platform)  # the wait may have lasted a minute
            body = self.client.post(
                f"{self.user_id}/{self.api.publish_edge}",
                {"creation_id": container_id},
                publishing=True,
            )
        except ConnectorError as exc:
            raise with_resume(exc, resume) from None
        media_id = body.get("id")
        if not media_id:
            raise with_resume(
                OutcomeUnknown(
                    f"{self.api.publish_edge} named no media id", platform=self.platform
                ),
                resume,
            )
        return Published(
            platform_id=str(media_id),
            url=self.permalink(str(media_id)),
            published_at=self.client.now(),
        )

    def new_container(self, fields: dict[str, Any]) -> str:
        # A container is private until published; a lost one expires after 24 hours, so this
        # call is safe to repeat and is not a publishing call.
        body = self.client.post(f"{self.user_id}/{self.api.media_edge}", fields)
        if not body.get("id"):
            raise TransientError("container creation named no container id", platform=self.platform)
        return str(body["id"])

    def image_fields(self, image: MediaFile, url: str) -> dict[str, Any]:
        """An image container's fields: the image fetched from ``url``, its alt text."""
        fields: dict[str, Any] = {"media_type": self.api.image_type} if self.api.image_type else {}
        fields["image_url"] = url
        if image.alt_text:
            fields["alt_text"] = image.alt_text
        return fields

    def image_items(
        self, images: list[MediaFile], host: MediaHost, limits: PlatformLimits
    ) -> list[dict[str, Any]]:
        """Each image's container fields, its metadata-free copy (``prepare_media``) published
        by ``host`` and checked at its address first: all of them before any container."""
        urls = [host.publish(prepare_media(image, limits)) for image in images]
        return [self.image_fields(image, url) for image, url in zip(images, urls, strict=True)]

    def post_container(self, items: list[dict[str, Any]], text: str) -> str:
        """The container of a post of ``items`` (each a container's fields) and ``text``: the
        one item with the text, or a carousel of item containers with the text."""
        said = {self.api.text_field: text}
        if len(items) == 1:
            return self.new_container(items[0] | said)
        children = [self.new_container(fields | {"is_carousel_item": True}) for fields in items]
        return self.new_container({"media_type": "CAROUSEL", "children": ",".join(children)} | said)

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        """``post`` if it is out: by the container in ``post.resume`` when the platform knows
        it (a container that never went out is no post), else among the recent posts."""
        container_id = post.resume.get("container_id")
        if container_id:
            status = self.fate(container_id)  # "": unknown id, match on the text
            if status == PUBLISHED:
                return self.found_or_unknown(self.match_recent(post, since), container_id)
            if status in (FINISHED, IN_PROGRESS, ERROR, EXPIRED):
                return None  # the container never went out
        return self.match_recent(post, since)

    def match_recent(self, post: OutgoingPost, since: datetime) -> Published | None:
        """The account's post since ``since`` with ``post``'s text (as posted, with its link at
        the end, or as written); the media edge lists newest first."""
        return find_recent_match(
            self.client,
            f"{self.user_id}/{self.api.media_edge}",
            {"fields": f"id,{self.api.text_field},timestamp,permalink", "limit": 50},
            texts=(text_as_posted(post), post.text),
            since=since,
            text_field=self.api.text_field,
            time_field="timestamp",
            url_field="permalink",
            max_pages=10,
        )

    def fate(self, container_id: str) -> str:
        """The container's status for reconciling; "" when the platform knows no such id."""
        try:
            return self.status(container_id)
        except Rejected:
            return ""

    def found_or_unknown(self, found: Published | None, container_id: str) -> Published:
        """A published container's post, found by the caller among the recent posts; when it is
        not there, the outcome stays unknown and the container id stays attached."""
        if found is None:
            raise with_resume(
                OutcomeUnknown(
                    f"container {container_id} is published but its post is not among the "
                    "account's recent posts",
                    platform=self.platform,
                ),
                {"container_id": container_id},
            )
        return found

    def status(self, container_id: str) -> str:
        body = self.client.get(container_id, {"fields": self._status_fields})
        return str(body.get(self.api.status_field) or "")

    @property
    def _status_fields(self) -> str:
        return f"id,{self.api.status_field},{self.api.error_field}"

    def wait_until_finished(
        self, container_id: str, *, interval: float, timeout: float, sleep: Sleep
    ) -> None:
        # Time is counted in requested pauses, not wall time, so tests and the sandbox need
        # not wait.
        waited = 0.0
        status = ""
        for _ in range(MAX_POLLS):
            body = self.client.get(container_id, {"fields": self._status_fields})
            status = str(body.get(self.api.status_field) or "")
            if status == FINISHED:
                return
            if status == PUBLISHED:
                # Only reachable when resuming: the publish call went through earlier.
                raise OutcomeUnknown(
                    f"container {container_id} is already published", platform=self.platform
                )
            if status == ERROR:
                raise Rejected(
                    f"{platform_row(self.platform).display_name} could not process the media: "
                    f"{body.get(self.api.error_field) or 'no detail'}",
                    platform=self.platform,
                )
            if status == EXPIRED:
                raise TransientError(
                    f"container {container_id} expired before publishing", platform=self.platform
                )
            if waited >= timeout:
                break
            sleep(interval)
            waited += interval
        raise TransientError(
            f"container {container_id} still {status or 'unknown'} after {waited:g}s; "
            "the next attempt resumes it",
            platform=self.platform,
        )

    def check_quota(self) -> None:
        """RateLimited (with when the oldest post leaves the window) once the quota is used."""
        body = self.client.get(
            f"{self.user_id}/{self.api.quota_edge}", {"fields": "quota_usage,config"}
        )
        data = body.get("data")
        entry = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        usage = int(entry.get("quota_usage") or 0)
        # The documented cap (the platform table's posts_per_24h) when the answer names none.
        cap = platform_row(self.platform).limits.posts_per_24h or 0
        total = int(config.get("quota_total") or cap)
        window = int(config.get("quota_duration") or DEFAULT_QUOTA_SECONDS)
        if usage < total:
            return
        raise RateLimited(
            f"the account has published {usage} of its {total} posts allowed per "
            f"{window // 3600} hours through the API",
            reset_at=self._quota_reset(window),
            platform=self.platform,
        )

    def _quota_reset(self, window_seconds: int) -> datetime:
        """When the oldest post inside the rolling window leaves it (now + window if unknown)."""
        now = self.client.now()
        window = timedelta(seconds=window_seconds)
        try:
            recent = next(
                self.client.pages(
                    f"{self.user_id}/{self.api.media_edge}", {"fields": "id,timestamp", "limit": 50}
                )
            )
        except (ConnectorError, StopIteration):
            return now + window
        times = [graph_time_or_none(item.get("timestamp")) for item in recent]
        inside = [t for t in times if t is not None and t > now - window]
        return (min(inside) + window) if inside else now + window

    def permalink(self, media_id: str) -> str:
        # The post is out; a failure to read its link must not turn success into an error.
        try:
            body = self.client.get(media_id, {"fields": "id,permalink"})
        except ConnectorError as exc:
            log.warning(
                "%s: published %s but could not read its permalink: %s",
                self.platform,
                media_id,
                exc,
            )
            return ""
        return str(body.get("permalink") or "")


class ContainerConnector(PlatformConnector):
    """What the Instagram and Threads connectors keep alike: the account, its Graph client, the
    host serving the media copies the platform fetches (None: ``instagram.media_base_url``
    unset), how containers are polled, the daemon's resume hook, and the steps (``api`` names
    the platform's edges and fields)."""

    api: ClassVar[ContainerApi]
    # The setting naming the account (also the constructor's keyword for it) and what it
    # should be set to; the Graph API version when not the section's.
    account_setting: ClassVar[tuple[str, str]]
    api_version: ClassVar[str | None] = None
    # How refusals name the platform's carousel ("an Instagram carousel"), why a video goes
    # out alone (": an Instagram Reel is one video") and what it fetches from the web.
    carousel: ClassVar[str]
    one_video: ClassVar[str]
    fetched: ClassVar[str] = "images and videos"

    def __init__(
        self,
        *,
        user_id: str,
        client: GraphClient,
        host: MediaHost | None = None,
        poll_interval: float = 3.0,
        poll_timeout: float = 60.0,
        sleep: Sleep = time.sleep,
        on_resume: ResumeHook | None = None,
    ):
        self.user_id = user_id
        self.client = client
        self.host = host
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self._sleep = sleep
        # Set by the daemon (connectors.base.ResumeHook) to keep the container id before the
        # publishing call.
        self.on_resume = on_resume
        self.steps = ContainerSteps(client=client, user_id=user_id, api=self.api)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Clock | None = None, sleep: Sleep | None = None
    ) -> Self:
        """The connector the platform's section describes, its media served by the host of
        ``instagram.media_base_url``; ``ConnectorUnavailable`` names a missing setting or says
        it is switched off. ``clock`` and ``sleep`` replace the wall clock and ``time.sleep``
        when given."""
        section = enabled_section(settings, cls.platform)
        field, purpose = cls.account_setting
        account = required(cls.platform, section, field, purpose)
        client = graph_client(
            cls.platform, section, api_version=cls.api_version, clock=clock, sleep=sleep
        )
        return cls(
            **{field: account}, client=client, host=media_host(settings), **given(sleep=sleep)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.account_setting[0]}={self.user_id!r})"

    def _media(self, post: OutgoingPost) -> list[MediaFile]:
        """``post``'s images, or its one video: ``Rejected`` before any call when the platform
        would refuse them, or could not fetch them (no host)."""
        media = list(post.media)
        if len(media) > self.limits.max_images:
            raise Rejected(
                f"{len(media)} images; {self.carousel} takes at most {self.limits.max_images}",
                platform=self.platform,
            )
        if len(media) > 1 and any(m.is_video for m in media):
            raise Rejected(f"a video goes out alone{self.one_video}", platform=self.platform)
        if media and self.host is None:
            raise Rejected(
                f"{platform_row(self.platform).display_name} fetches {self.fetched} from the "
                "web: set instagram.media_base_url to the address where the department's web "
                "server publishes instagram.publish_dir",
                platform=self.platform,
            )
        return media

    def _own_reply(
        self,
        comment_id: str,
        text: str,
        since: datetime,
        *,
        fields: str,
        own_id: str | None,
        url: Callable[[str, dict[str, Any]], str],
    ) -> Published | None:
        """The account's answer with ``text`` among the replies to ``comment_id`` since
        ``since`` (both APIs list them at ``/{id}/replies``, with ``text`` and ``timestamp``)."""
        return find_own_reply(
            self.client,
            f"{comment_id}/replies",
            {"fields": fields},
            text=text,
            own_id=own_id,
            text_field="text",
            time_field="timestamp",
            since=since,
            url=url,
        )

    def _wait_until_finished(self, container_id: str) -> None:
        self.steps.wait_until_finished(
            container_id, interval=self.poll_interval, timeout=self.poll_timeout, sleep=self._sleep
        )

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        return self.steps.find_published(post, since)
