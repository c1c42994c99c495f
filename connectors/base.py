"""The connector protocol and the plain dataclasses that cross it.

Connectors know nothing of the store or of campaign files: plain data in, plain data out.
Times are aware datetimes in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from connectors.errors import Held

# What connectors are given for "now" (an aware UTC datetime) and for pausing; the rehearsal
# gives the sandbox's simulated ones.
Clock = Callable[[], datetime]
Sleep = Callable[[float], None]


def utc_now() -> datetime:
    """The real clock of every connector: the current aware UTC instant."""
    return datetime.now(UTC)


LengthRule = Literal["x_weighted", "characters", "mastodon", "graphemes", "threads"]


@dataclass(frozen=True)
class VideoLimits:
    """What one video placement of a platform takes (connectors/limits.py holds the figures)."""

    label: str  # as a person says it: "Instagram Reels"
    min_seconds: float
    max_seconds: float
    min_ratio: float  # width / height
    max_ratio: float
    ratio_words: str  # "9:16", "1:3 to 3:1"
    ratio_fix: str  # what to do about a wrong shape
    max_bytes: int
    max_bitrate: int = 25_000_000  # bits a second (X and Meta's specifications: 25 Mbit/s)
    containers: tuple[str, ...] = ("mp4", "mov")
    video_codecs: tuple[str, ...] = ("h264", "hevc")
    audio_codecs: tuple[str, ...] = ("aac",)
    max_audio_channels: int = 2
    min_width: int = 32
    min_height: int = 32
    max_width: int = 1920
    max_height: int = 1920
    min_fps: float = 1
    max_fps: float = 60
    max_pixels: int | None = None  # width x height (Mastodon's video_matrix_limit)
    # The captions file as the platform stores it, in bytes (Bluesky: 20,000); None: no limit.
    max_captions_bytes: int | None = None
    # False: the platform takes no captions file, so captions show only when burned in.
    caption_tracks: bool = True

    min_bytes: int = 0  # LinkedIn refuses files under 75 KB
    # The cover the platform takes for this placement: an image (``cover:``) and a moment of the
    # video (``cover_at:``). False: the connector sends none, the platform picks its own, and
    # validate warns that the campaign's cover will not be used there.
    cover_image: bool = False
    cover_frame: bool = False


@dataclass(frozen=True)
class PlatformLimits:
    """What a platform accepts and how fast; read by the validator and the daemon."""

    platform: str
    max_length: int
    length_rule: LengthRule = "characters"
    url_length: int | None = None  # a URL counts this many characters (X, Mastodon: 23)
    max_hashtags: int | None = None
    requires_media: bool = False
    max_images: int = 4
    image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/webp")
    video_types: tuple[str, ...] = ()
    max_image_bytes: int = 5 * 1024 * 1024
    min_aspect_ratio: float | None = None  # width / height
    max_aspect_ratio: float | None = None
    max_alt_text: int | None = None
    # The platform downloads images from a public URL (Instagram) instead of taking an upload,
    # so beatpost cannot re-encode an image over max_image_bytes to fit.
    fetches_media_by_url: bool = False
    clickable_links: bool = True  # False: a link in the text shows as plain text (Instagram)
    metrics_batch: int = 1  # ids per metrics request
    posts_per_24h: int | None = None  # the platform's own posting cap, where it has one
    comments_window_days: int | None = None  # how far back replies can be searched
    private_metrics_days: int | None = None  # how long non-public metrics are available
    # Video placement ("post", "reels", "feed", "video") -> its limits; the first is the
    # default. Empty: the platform takes no video through beatpost.
    video: Mapping[str, VideoLimits] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Capabilities:
    """What a connector offers beyond the four protocol methods, declared in its row of the
    platform table and read by its class (``connectors.platforms.PlatformConnector``).
    Callers read these flags; they never probe for methods."""

    batch_metrics: bool = False  # fetch_metrics reads limits.metrics_batch ids per request
    batch_comments: bool = False  # fetch_comments_batch({post id: since}) exists
    replies: bool = False  # reply() and find_reply() exist (the Replies protocol)
    video: bool = False  # publish() takes video files (limits.video_types)
    edit: bool = False  # a published post can be edited in place
    delete: bool = False  # delete(platform_id) exists
    resume_hook: bool = False  # publishes in steps and reports them through on_resume


NO_CAPABILITIES = Capabilities()


def capabilities_of(connector: object) -> Capabilities:
    """What ``connector`` declares; a connector that declares nothing (a site's own, named in
    ``connector_classes``) offers the four protocol methods and nothing more."""
    declared = getattr(connector, "capabilities", None)
    return declared if isinstance(declared, Capabilities) else NO_CAPABILITIES


@dataclass(frozen=True)
class MediaFile:
    """An image or video to attach: the original file; connectors upload a prepared copy."""

    path: Path
    alt_text: str = ""
    mime_type: str = "image/jpeg"
    # videos (connectors/video.py): captions file (.srt/.vtt), where the platform shows it
    # (a key of ``PlatformLimits.video``; None: the first), a cover image or moment
    captions: Path | None = None
    placement: str | None = None
    cover: Path | None = None
    cover_at: float | None = None
    burn_captions: bool = False  # Instagram, Mastodon: captions drawn into the picture

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


# The daemon's last word before a post goes public: None to go ahead, else why not (a pause
# recorded since the post was claimed). A plain callable, so connectors need not know where the
# answer comes from. Instagram's publish call follows a container wait of up to a minute, in
# which a pause may arrive; this is how the connector learns of it.
GoAhead = Callable[[], str | None]


@dataclass(frozen=True)
class OutgoingPost:
    """One delivery, rendered for one platform. ``key`` is the ledger's stable key."""

    key: str
    text: str
    media: tuple[MediaFile, ...] = ()
    link: str | None = None
    scheduled_at: datetime | None = None
    # Connector state that must survive a crash between steps (Instagram container id).
    # The daemon stores it with the delivery and passes it back on the next attempt and on
    # reconciliation. How a connector hands it over: see ``ResumeHook``.
    resume: dict[str, str] = field(default_factory=dict)
    # Asked right before every request that makes the post public (see ``GoAhead``).
    go_ahead: GoAhead | None = field(default=None, compare=False, repr=False)

    def check_go_ahead(self, platform: str) -> None:
        """Call immediately before a request that makes this post (or a part of it) public:
        raises ``Held`` when the daemon withdraws its go-ahead, so the request is never sent."""
        if self.go_ahead is None:
            return
        reason = self.go_ahead()
        if reason:
            raise Held(f"not published: {reason}", platform=platform)


# A connector that publishes in steps reports the state it must not lose as soon as it exists,
# by calling ``self.on_resume(post, state)`` when that attribute is set (the daemon sets it on
# every connector whose capabilities declare ``resume_hook``), and it
# attaches the same dict as ``resume`` to any ConnectorError raised afterwards
# (``exc.resume``). The daemon saves both, committed before the next step runs.
ResumeHook = Callable[[OutgoingPost, dict[str, str]], None]


@dataclass(frozen=True)
class Published:
    platform_id: str
    url: str
    published_at: datetime


@dataclass(frozen=True)
class OutgoingReply:
    """An answer to one comment. ``key`` is the reply ledger's id for it; ``comment_id`` and
    ``post_id`` are the platform's ids of the comment answered and of the post it is on."""

    key: str
    comment_id: str
    post_id: str
    text: str
    # The top-level comment of the thread when the comment answered is itself a reply
    # (Instagram files answers to replies under it).
    thread_id: str | None = None


@dataclass(frozen=True)
class MetricSnapshot:
    """Engagement of one post at one moment; None where the platform does not give a figure."""

    platform_id: str
    taken_at: datetime
    views: int | None = None  # impressions / views
    reach: int | None = None
    reactions: int | None = None  # likes, reactions
    shares: int | None = None  # shares, reposts
    replies: int | None = None  # replies, comments
    link_clicks: int | None = None
    saves: int | None = None
    quotes: int | None = None
    bookmarks: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Comment:
    """A public reply or comment on one of our posts."""

    platform_id: str
    post_platform_id: str
    author: str
    text: str
    created_at: datetime
    url: str | None = None
    parent_id: str | None = None


@runtime_checkable
class Connector(Protocol):
    platform: ClassVar[str]
    limits: ClassVar[PlatformLimits]
    capabilities: ClassVar[Capabilities]

    def publish(self, post: OutgoingPost) -> Published: ...

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None: ...

    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]: ...

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]: ...


@runtime_checkable
class Replies(Protocol):
    """The reply capability (X, Facebook, Instagram): answer a comment, and find an answer whose
    response was lost, so that it is never sent twice."""

    def reply(self, reply: OutgoingReply) -> Published: ...

    def find_reply(self, reply: OutgoingReply, since: datetime) -> Published | None: ...
