"""Settings: ``beatpost.toml`` (or ``--config PATH``) overridden by ``BEATPOST_*`` variables.

Nested fields use a double underscore in the environment: ``BEATPOST_X__ACCESS_TOKEN``,
``BEATPOST_DIGEST__SMTP_PASSWORD``. Secrets may also come from ``secrets_file`` (TOML with the
same shape as beatpost.toml), which must not be readable by group or others. Secrets are
``SecretStr``: their ``repr`` and ``str`` are masked, so they cannot leak through logging.

Settings are passed down explicitly; no other module reads the environment.
"""

from __future__ import annotations

import getpass
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_CONFIG_NAME = "beatpost.toml"


class SettingsError(Exception):
    """A setting is missing, malformed or unsafe; the message names the file and the field."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class XSettings(_Section):
    """X (Twitter) account. Keys come from the developer portal; keep them in the environment."""

    enabled: bool = True
    base_url: str = "https://api.x.com"
    user_id: str | None = None
    username: str | None = None
    api_key: SecretStr | None = None
    api_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    bearer_token: SecretStr | None = None
    posts_per_24h: int = Field(default=100, ge=1, description="the account's X plan posting cap")
    reads_per_day: int = Field(default=10_000, ge=0, description="cap on post reads (paid)")
    timeout_seconds: float = 30.0


class FacebookSettings(_Section):
    """Facebook Page, reached through the Graph API."""

    enabled: bool = True
    base_url: str = "https://graph.facebook.com"
    api_version: str = "v25.0"
    page_id: str | None = None
    page_access_token: SecretStr | None = None
    insights_metrics: list[str] = Field(
        default_factory=lambda: [
            # Meta retired post_impressions*; a metric the API refuses is dropped at pull time.
            "post_media_view",
            "post_total_media_view_unique",
            "post_clicks_by_type",
        ]
    )
    posts_per_24h: int = Field(default=100, ge=1)
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class InstagramSettings(_Section):
    """Instagram professional account, reached through the Graph API."""

    enabled: bool = True
    base_url: str = "https://graph.facebook.com"
    api_version: str = "v25.0"
    ig_user_id: str | None = None
    access_token: SecretStr | None = None
    media_base_url: str | None = Field(
        default=None,
        description="public URL where the department's web server publishes publish_dir",
    )
    publish_dir: Path = Field(
        default=Path("public-media"),
        description="relative to workspace: beatpost writes metadata-free image copies here",
    )
    posts_per_24h: int = Field(default=50, ge=1, le=50)
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class MastodonSettings(_Section):
    """Mastodon account on any server, with a user access token (write:statuses write:media
    read)."""

    enabled: bool = True
    base_url: str = Field(
        default="https://mastodon.social", description="your server, e.g. https://mastodon.social"
    )
    access_token: SecretStr | None = None
    max_characters: int = Field(
        default=500, ge=1, description="your server's post limit (the server's /api/v2/instance)"
    )
    posts_per_24h: int | None = Field(default=None, ge=1, description="a cap of your own")
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class BlueskySettings(_Section):
    """Bluesky account, signed in with an app password (never the account's own password)."""

    enabled: bool = True
    base_url: str = Field(default="https://bsky.social", description="the account's PDS")
    handle: str | None = Field(default=None, description="e.g. springfieldpd.bsky.social")
    app_password: SecretStr | None = None
    posts_per_24h: int | None = Field(default=None, ge=1, description="a cap of your own")
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class SandboxSettings(_Section):
    """The local rehearsal server that emulates the platform APIs."""

    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535)
    seed: int = 7


class PullSettings(_Section):
    """When engagement and comments are pulled back after a post goes out."""

    ages: list[str] = Field(default_factory=lambda: ["1h", "6h", "24h", "3d", "7d", "30d"])
    interval_minutes: int = Field(default=15, ge=1)


class DigestSettings(_Section):
    """The weekly engagement digest email."""

    enabled: bool = True
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    sender: str = "beatpost@localhost"
    recipients: list[str] = Field(default_factory=list)
    send_day: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    send_time: str = "07:00"
    timezone: str | None = None
    department: str = "Police Department"


class Settings(BaseSettings):
    """Everything beatpost can be told. Field docs double as the commented beatpost.toml."""

    model_config = SettingsConfigDict(
        env_prefix="BEATPOST_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    workspace: Path = Field(default=Path("."), description="folder holding campaigns and data")
    campaigns_dir: Path = Field(default=Path("campaigns"), description="relative to workspace")
    media_dir: Path = Field(
        default=Path("media"), description="images campaign files may use; relative to workspace"
    )
    data_dir: Path = Field(default=Path(".beatpost"), description="relative to workspace")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite in data_dir"
    )
    default_timezone: str = "America/Chicago"
    require_approval: bool = False
    grace_minutes: int = Field(
        default=15, ge=0, description="a delivery later than this (daemon was down) is skipped"
    )
    max_attempts: int = Field(default=5, ge=1)
    operator: str | None = Field(default=None, description="name recorded in the audit log")
    secrets_file: Path | None = None
    log_level: str = "INFO"
    sentiment_model: str = "default"
    connector_classes: dict[str, str] = Field(
        default_factory=dict,
        description='platform -> "module:Class" (with from_settings) replacing the built-in one',
    )

    x: XSettings = Field(default_factory=XSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)
    instagram: InstagramSettings = Field(default_factory=InstagramSettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    bluesky: BlueskySettings = Field(default_factory=BlueskySettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    pull: PullSettings = Field(default_factory=PullSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        _check_zone(value)
        return value

    # -- derived paths -------------------------------------------------------------------
    @property
    def campaigns_path(self) -> Path:
        return (self.workspace / self.campaigns_dir).resolve()

    @property
    def media_path(self) -> Path:
        return (self.workspace / self.media_dir).resolve()

    @property
    def data_path(self) -> Path:
        return (self.workspace / self.data_dir).resolve()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_path / 'beatpost.db'}"

    @property
    def actor(self) -> str:
        """Who is acting, for the audit log."""
        if self.operator:
            return self.operator
        try:
            # The account's name from the password database; works without a terminal too.
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    # The environment outranks the file; init kwargs (from the TOML) rank lowest but one.
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings, init_settings)


def _check_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name like America/Chicago)"
        ) from exc


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror}") from None


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SettingsError(
            f"{path}: secrets file is readable by other users; run: chmod 600 {path}"
        )


def load_settings(
    config_path: Path | str | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings from ``config_path`` (or ./beatpost.toml when present) and the environment.

    ``overrides`` (a nested mapping) win over the file; the environment wins over both.
    Relative ``workspace`` is taken relative to the config file's folder.
    """
    environ = os.environ
    path: Path | None
    if config_path is not None:
        path = Path(config_path)
        if not path.exists():
            raise SettingsError(f"{path}: no such settings file")
    else:
        candidate = Path(environ.get("BEATPOST_CONFIG", DEFAULT_CONFIG_NAME))
        path = candidate if candidate.exists() else None

    data: dict[str, Any] = _read_toml(path) if path else {}
    if path and "workspace" not in data:
        data["workspace"] = str(path.resolve().parent)
    elif path and not Path(data["workspace"]).is_absolute():
        data["workspace"] = str((path.resolve().parent / data["workspace"]).resolve())

    secrets_ref = environ.get("BEATPOST_SECRETS_FILE") or data.get("secrets_file")
    if secrets_ref:
        secrets_path = Path(secrets_ref)
        if not secrets_path.is_absolute() and path:
            secrets_path = path.resolve().parent / secrets_path
        if not secrets_path.exists():
            raise SettingsError(f"{secrets_path}: secrets file named in settings does not exist")
        _check_private(secrets_path)
        data = _deep_merge(data, _read_toml(secrets_path))
    if overrides:
        data = _deep_merge(data, overrides)

    try:
        return Settings(**data)
    except ValidationError as exc:
        where = str(path) if path else "settings"
        lines = []
        for err in exc.errors():
            loc = ".".join(str(part) for part in err["loc"]) or "(top level)"
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown setting"
            lines.append(f"{where}: {loc}: {msg}")
        raise SettingsError("\n".join(lines)) from None
