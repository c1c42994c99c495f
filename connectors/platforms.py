"""The platform table: one row per platform beatpost knows. Everything per-platform is read
from here: ``connectors.REGISTRY`` and ``connectors.LIMITS``, display names, the settings
section and its secret fields, the sandbox module that plays the platform, the commented
section ``beatpost init`` writes, and the contract suite's list.

Adding a platform: docs/adding-a-platform.md (one connector module, one sandbox module, one
row here, its tests).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any, ClassVar

from pydantic import BaseModel, SecretStr

from config.settings import Settings
from connectors.base import NO_CAPABILITIES, Capabilities, PlatformLimits
from connectors.video_limits import VIDEO_LIMITS


@dataclass(frozen=True)
class Platform:
    """One platform: what it is called, what it accepts, and the code that speaks to it."""

    name: str  # the name campaign files and settings use ("x"), also the settings section
    display_name: str  # what a PIO reads ("X")
    limits: PlatformLimits
    # The [name] section of beatpost.toml (the Settings field of the same name); None only for
    # a platform whose limits are known but that has no connector yet.
    settings_class: type[BaseModel] | None
    # "module:Class" of the connector, imported only when a connector is built (a missing
    # optional package disables this platform alone); None: limits known, no connector yet.
    connector: str | None = None
    capabilities: Capabilities = NO_CAPABILITIES  # the connector class reads them from here
    sandbox: str | None = None  # the module of connectors.sandbox that plays this platform
    # The comment above the section ``beatpost init`` writes: how to go live.
    guide: str = ""

    @cached_property
    def secret_fields(self) -> tuple[str, ...]:
        """The settings fields that hold credentials (kept in the secrets file or the
        environment, never in beatpost.toml)."""
        if self.settings_class is None:
            return ()
        return tuple(
            name
            for name, info in self.settings_class.model_fields.items()
            if _is_secret(info.annotation)
        )

    @property
    def media_types(self) -> tuple[str, ...]:
        return self.limits.image_types + self.limits.video_types

    def sandbox_module(self) -> ModuleType | None:
        return importlib.import_module(self.sandbox) if self.sandbox else None


class PlatformConnector:
    """A connector's declared data, read from its platform's row: a class defined as
    ``class XConnector(PlatformConnector, platform="x")`` has ``platform``, ``limits`` and
    ``capabilities`` as class data (``connectors.base.Connector``). A base class shared by
    several platforms' connectors names no platform."""

    platform: ClassVar[str]
    limits: ClassVar[PlatformLimits]
    capabilities: ClassVar[Capabilities]

    def __init_subclass__(cls, *, platform: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if platform is None:  # a base several platforms' connectors share
            return
        row = TABLE[platform]
        cls.platform, cls.limits, cls.capabilities = platform, row.limits, row.capabilities


def _is_secret(annotation: Any) -> bool:
    return annotation is SecretStr or SecretStr in getattr(annotation, "__args__", ())


_MIB = 1024 * 1024
_MP4 = ("video/mp4",)
_MP4_MOV = ("video/mp4", "video/quicktime")


def _row(
    name: str,
    display_name: str,
    *,
    connector: str | None,
    capabilities: Capabilities = NO_CAPABILITIES,
    guide: str = "",
    sandbox: str | None = None,
    **limits: Any,
) -> Platform:
    """A platform's row, what it shares with the others filled in: its settings section is the
    ``Settings`` field ``name`` (if there is one), the module of the sandbox that plays it
    ``connectors.sandbox.<name>_api`` unless named (none without a connector), its video
    limits those of ``connectors.video_limits``; ``limits``: the ``PlatformLimits`` that differ
    from the defaults."""
    section = Settings.model_fields.get(name)
    if connector and sandbox is None:
        sandbox = f"connectors.sandbox.{name}_api"
    return Platform(
        name=name,
        display_name=display_name,
        limits=PlatformLimits(platform=name, video=VIDEO_LIMITS.get(name, {}), **limits),
        settings_class=section.annotation if section else None,
        connector=connector,
        capabilities=capabilities,
        sandbox=sandbox,
        guide=guide,
    )


_X = _row(
    "x",
    "X",
    connector="connectors.x:XConnector",
    capabilities=Capabilities(
        batch_metrics=True, batch_comments=True, replies=True, video=True, delete=True
    ),
    guide=(
        'Real account: base_url = "https://api.x.com", and the account\'s numeric user id and\n'
        "@handle (without the @). Keys: developer portal > your app > Keys and tokens."
    ),
    max_length=280,
    length_rule="x_weighted",
    url_length=23,
    video_types=_MP4,
    max_alt_text=1000,
    metrics_batch=100,
    comments_window_days=7,
    private_metrics_days=30,
)

_FACEBOOK = _row(
    "facebook",
    "Facebook",
    connector="connectors.facebook:FacebookConnector",
    capabilities=Capabilities(batch_metrics=True, batch_comments=True, replies=True),
    sandbox="connectors.sandbox.graph_api",
    guide=(
        'Real Page: base_url = "https://graph.facebook.com", the Page\'s numeric id, and a Page\n'
        "access token in the secrets file."
    ),
    max_length=63_206,
    image_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
    video_types=_MP4_MOV,
    max_images=10,
    max_image_bytes=10 * _MIB,
    metrics_batch=50,
)

_INSTAGRAM = _row(
    "instagram",
    "Instagram",
    connector="connectors.instagram:InstagramConnector",
    capabilities=Capabilities(
        batch_metrics=True, batch_comments=True, replies=True, resume_hook=True
    ),
    sandbox="connectors.sandbox.graph_api",
    guide=(
        'Real account: base_url = "https://graph.facebook.com", the Instagram professional '
        "account\nid linked to the Page, and media_base_url = the public address where the "
        "department's web\nserver publishes the publish_dir folder. Instagram fetches images "
        "from there; beatpost writes\nonly metadata-free copies into it (never publish media/: "
        "its photos carry GPS positions)."
    ),
    max_length=2_200,
    max_hashtags=30,
    requires_media=True,
    max_images=10,
    image_types=("image/jpeg",),
    video_types=_MP4_MOV,
    max_image_bytes=8 * _MIB,
    min_aspect_ratio=4 / 5,
    max_aspect_ratio=1.91,
    fetches_media_by_url=True,
    clickable_links=False,
    metrics_batch=50,
    posts_per_24h=50,  # "50 API-published posts per rolling 24 hours"
)

_MASTODON = _row(
    "mastodon",
    "Mastodon",
    connector="connectors.mastodon:MastodonConnector",
    capabilities=Capabilities(video=True, resume_hook=True),
    guide=(
        'Real account: base_url = "https://<your server>", and max_characters = your server\'s\n'
        "post limit. Token: Preferences > Development > New application, scopes write:statuses\n"
        "write:media read; its access token goes in the secrets file."
    ),
    max_length=500,
    length_rule="mastodon",
    url_length=23,
    video_types=_MP4_MOV,
    max_image_bytes=16 * _MIB,
    max_alt_text=1500,
)

_BLUESKY = _row(
    "bluesky",
    "Bluesky",
    connector="connectors.bluesky:BlueskyConnector",
    capabilities=Capabilities(batch_metrics=True, video=True, resume_hook=True),
    guide=(
        'Real account: base_url = "https://bsky.social" (or your PDS), handle = the account\'s\n'
        'handle, video_url = "https://video.bsky.app". Password: Settings > Privacy and\n'
        "security > App passwords (never the account's own password); it goes in the secrets\n"
        "file as app_password."
    ),
    max_length=300,  # app.bsky.feed.post: text maxGraphemes
    length_rule="graphemes",
    image_types=("image/jpeg", "image/png", "image/webp"),
    video_types=_MP4,  # app.bsky.embed.video: accept
    max_image_bytes=2_000_000,  # app.bsky.embed.images#image: maxSize
    metrics_batch=25,  # app.bsky.feed.getPosts: uris maxLength
)

_LINKEDIN = _row(
    "linkedin",
    "LinkedIn",
    connector="connectors.linkedin:LinkedInConnector",
    capabilities=Capabilities(batch_metrics=True, video=True, resume_hook=True),
    guide=(
        'Real page: base_url = "https://api.linkedin.com" and organization_id = the page\'s\n'
        "number (linkedin.com/company/<id>/admin). Token: a page administrator's, from an app\n"
        "with the Community Management API (w_organization_social r_organization_social\n"
        "rw_organization_admin). It lasts 60 days: set token_expires to the day it ends."
    ),
    max_length=3_000,  # Posts API commentary
    max_images=20,  # multiImage: 2 to 20 images
    image_types=("image/jpeg", "image/png", "image/gif"),  # Images API
    max_image_bytes=8 * _MIB,  # beatpost's own cap (LinkedIn limits pixels)
    max_alt_text=4086,  # Posts API: altText
    metrics_batch=50,  # shares=List(...) per organizationalEntityShareStatistics call
    video_types=_MP4,  # Videos API: MP4 only
)

_THREADS = _row(
    "threads",
    "Threads",
    connector="connectors.threads:ThreadsConnector",
    capabilities=Capabilities(replies=True, video=True, resume_hook=True),
    guide=(
        'Real profile: base_url = "https://graph.threads.net" and user_id = the Threads user id.\n'
        "Token: a Threads user access token (Meta app with the Threads use case; permissions\n"
        "threads_basic, threads_content_publish, threads_manage_insights, threads_read_replies)\n"
        "in the secrets file. Images are fetched from instagram.media_base_url."
    ),
    max_length=500,  # Threads Posts: "Text posts are limited to 500 characters"
    length_rule="threads",  # ... and "Emojis are counted as the number of UTF-8 bytes"
    max_images=20,  # a carousel takes 2 to 20 items
    image_types=("image/jpeg", "image/png"),
    max_image_bytes=8 * _MIB,
    fetches_media_by_url=True,
    posts_per_24h=250,  # GET /{threads-user-id}/threads_publishing_limit
    video_types=_MP4_MOV,
)

TABLE: Mapping[str, Platform] = {
    p.name: p for p in (_X, _FACEBOOK, _INSTAGRAM, _MASTODON, _BLUESKY, _LINKEDIN, _THREADS)
}

# Derived views, for callers that need one column.
LIMITS: dict[str, PlatformLimits] = {name: p.limits for name, p in TABLE.items()}
REGISTRY: dict[str, str] = {name: p.connector for name, p in TABLE.items() if p.connector}
DISPLAY_NAMES: dict[str, str] = {name: p.display_name for name, p in TABLE.items()}
CONNECTED: tuple[str, ...] = tuple(REGISTRY)


def platform(name: str) -> Platform:
    """The row for ``name``; KeyError naming the known platforms otherwise."""
    try:
        return TABLE[name]
    except KeyError:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(TABLE)}") from None


def display_name(name: str) -> str:
    return DISPLAY_NAMES.get(name, name)
