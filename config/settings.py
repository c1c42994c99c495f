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
import re
import stat
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

DEFAULT_CONFIG_NAME = "beatpost.toml"


class SettingsError(Exception):
    """A setting is missing, malformed or unsafe; the message names the file and the field."""


def _check_api_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed host, say an unclosed bracket
        ok = False
    if not ok:
        raise ValueError(f"{value!r} is not an http(s) address like https://api.x.com")
    return value


# A platform's API address: checked at start, not at the first post.
ApiUrl = Annotated[str, AfterValidator(_check_api_url)]
# The day a platform's access token stops working, for status's warning.
TokenExpiry = Annotated[
    date | None,
    Field(description="the day the access token expires (YYYY-MM-DD); status warns 14 days before"),
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class XSettings(_Section):
    """X (Twitter) account. Keys come from the developer portal; keep them in the environment."""

    enabled: bool = True
    base_url: ApiUrl = "https://api.x.com"
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


class _GraphSection(_Section):
    """A platform reached through Meta's Graph API: one address and one version for all."""

    enabled: bool = True
    base_url: ApiUrl = "https://graph.facebook.com"
    api_version: str = "v25.0"


class FacebookSettings(_GraphSection):
    """Facebook Page, reached through the Graph API."""

    page_id: str | None = None
    page_access_token: SecretStr | None = None
    token_expires: TokenExpiry = None
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


class InstagramSettings(_GraphSection):
    """Instagram professional account, reached through the Graph API."""

    ig_user_id: str | None = None
    access_token: SecretStr | None = None
    token_expires: TokenExpiry = None
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


class ThreadsSettings(_Section):
    """Threads profile (Meta), reached through the Threads API at graph.threads.net."""

    enabled: bool = True
    base_url: ApiUrl = "https://graph.threads.net"
    user_id: str | None = Field(default=None, description="the Threads user id (numeric)")
    access_token: SecretStr | None = None
    token_expires: TokenExpiry = None
    posts_per_24h: int | None = Field(
        default=None, ge=1, le=250, description="a cap of your own (Threads allows 250)"
    )
    timeout_seconds: float = 30.0


class BlueskySettings(_Section):
    """Bluesky account, signed in with an app password (never the account's own password)."""

    enabled: bool = True
    base_url: str = Field(default="https://bsky.social", description="the account's PDS")
    video_url: str = Field(
        default="https://video.bsky.app", description="Bluesky's video service (video uploads)"
    )
    handle: str | None = Field(default=None, description="e.g. springfieldpd.bsky.social")
    app_password: SecretStr | None = None
    posts_per_24h: int | None = Field(default=None, ge=1, description="a cap of your own")
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class LinkedInSettings(_Section):
    """LinkedIn organization (company) page, with a page admin's token (w_organization_social,
    r_organization_social)."""

    enabled: bool = True
    base_url: str = Field(default="https://api.linkedin.com", description="the API's address")
    organization_id: str | None = Field(
        default=None, description="the page's numeric id (linkedin.com/company/<id>/admin)"
    )
    access_token: SecretStr | None = None
    token_expires: date | None = Field(
        default=None,
        description="the day the token stops working, e.g. 2027-01-31 (60 days after it was made); "
        "status warns two weeks before",
    )
    posts_per_24h: int | None = Field(default=None, ge=1, description="a cap of your own")
    reads_per_day: int = Field(default=50_000, ge=0)
    timeout_seconds: float = 30.0


class SandboxSettings(_Section):
    """The local rehearsal server that emulates the platform APIs."""

    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535)
    seed: int = 7


# What ``pull.ages`` and ``digest.send_time`` accept (read by beatpost.pull.schedule and
# analysis.digest.timing): checked here so that every command and the daemon refuse a bad
# value when they start, not when they first need it.
_AGE = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_TIME_OF_DAY = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


class PullSettings(_Section):
    """When engagement and comments are pulled back after a post goes out."""

    ages: list[str] = Field(
        default_factory=lambda: ["1h", "6h", "24h", "3d", "7d", "30d"], min_length=1
    )
    interval_minutes: int = Field(default=15, ge=1)

    @field_validator("ages")
    @classmethod
    def _ages(cls, value: list[str]) -> list[str]:
        for age in value:
            match = _AGE.match(age)
            if not match or int(match.group(1)) == 0 or len(match.group(1)) > 6:
                raise ValueError(
                    f"{age!r} is not an age; use a positive number and a unit "
                    "(m, h, d or w), like 6h or 3d"
                )
        return value


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

    @field_validator("send_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        match = _TIME_OF_DAY.fullmatch(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueError(f"{value!r} is not a time of day like 07:00 (00:00 to 23:59)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            _check_zone(value)
        return value


class OutcomesSettings(_Section):
    """Importing applications and careers-page visits (docs/outcomes.md)."""

    # beatpost field -> the column header in your export, for an export none of the ready
    # mappings fits: date, url, answer, stage, id (date and url or answer are required).
    columns: dict[str, str] = Field(default_factory=dict)
    # The key of the opaque applicant keys. Without it, a random key is kept in the data
    # folder (outcomes.key); set it when several machines import into one database.
    hash_key: SecretStr | None = None


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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The models of analysis.sentiment.MODELS (a test keeps the two lists equal).
    sentiment_model: Literal["default", "textblob", "vader"] = "default"
    connector_classes: dict[str, str] = Field(
        default_factory=dict,
        description='platform -> "module:Class" (with from_settings) replacing the built-in one',
    )

    x: XSettings = Field(default_factory=XSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)
    instagram: InstagramSettings = Field(default_factory=InstagramSettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    bluesky: BlueskySettings = Field(default_factory=BlueskySettings)
    linkedin: LinkedInSettings = Field(default_factory=LinkedInSettings)
    threads: ThreadsSettings = Field(default_factory=ThreadsSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    pull: PullSettings = Field(default_factory=PullSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    outcomes: OutcomesSettings = Field(default_factory=OutcomesSettings)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        _check_zone(value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_any_case(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

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


def deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` laid over it, tables merged key by key (TOML files, overrides)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SettingsError(
            f"{path}: secrets file is readable by other users; run: chmod 600 {path}"
        )


def secret_fields() -> list[tuple[str, ...]]:
    """Where secrets are, as paths into the settings (``("x", "access_token")``)."""
    found: list[tuple[str, ...]] = []
    for name, info in Settings.model_fields.items():
        section = info.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            for field, sub in section.model_fields.items():
                if SecretStr in (sub.annotation, *getattr(sub.annotation, "__args__", ())):
                    found.append((name, field))
    return found


def env_name(loc: tuple[str | int, ...]) -> str:
    """The ``BEATPOST_*`` variable that sets the setting at ``loc``."""
    return "BEATPOST_" + "__".join(str(part).upper() for part in loc)


def _refuse_secrets(data: Mapping[str, Any], path: Path) -> None:
    """Secrets belong in the secrets file (private) or the environment, never in the
    settings file, which is usually readable by others and often kept in version control."""
    found = [
        loc
        for loc in secret_fields()
        if isinstance(data.get(loc[0]), Mapping) and loc[1] in data[loc[0]]
    ]
    if found:
        raise SettingsError(
            "\n".join(
                f"{path}: {'.'.join(loc)}: a secret does not belong in the settings file; "
                "move it to the secrets file (secrets_file, readable by its owner alone) or "
                f"set the environment variable {env_name(loc)}"
                for loc in found
            )
        )


def _has(data: Any, loc: tuple[str | int, ...]) -> bool:
    node = data
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return True


def _source(
    loc: tuple[str | int, ...],
    environ: Mapping[str, str],
    layers: list[tuple[str, Mapping[str, Any] | None]],
) -> str:
    """Where the value at ``loc`` came from: a variable, or the first layer that has it."""
    names = {k.upper() for k in environ if k.upper().startswith("BEATPOST_")}
    for depth in range(len(loc), 0, -1):
        if env_name(loc[:depth]) in names:
            return f"environment variable {env_name(loc[:depth])}"
    return next((where for where, data in layers if _has(data, loc)), layers[-1][0])


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown setting"
    if err["type"] == "literal_error":
        return f"{err['input']!r} is not one of: {err['ctx']['expected']}"
    return str(err["msg"]).removeprefix("Value error, ")


def load_settings(
    config_path: Path | str | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings from ``config_path`` (or ./beatpost.toml when present) and the environment.

    ``overrides`` (a nested mapping) win over the file; the environment wins over both.
    Relative ``workspace`` is taken relative to the config file's folder. Every setting is
    checked here; an error names the file or the ``BEATPOST_*`` variable it comes from.
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
    if path:
        _refuse_secrets(data, path)
    file_data = dict(data)
    if path and "workspace" not in data:
        data["workspace"] = str(path.resolve().parent)
    elif path and not Path(data["workspace"]).is_absolute():
        data["workspace"] = str((path.resolve().parent / data["workspace"]).resolve())

    secrets: dict[str, Any] = {}
    secrets_path: Path | None = None
    secrets_ref = environ.get("BEATPOST_SECRETS_FILE") or data.get("secrets_file")
    if secrets_ref:
        secrets_path = Path(secrets_ref)
        if not secrets_path.is_absolute() and path:
            secrets_path = path.resolve().parent / secrets_path
        if not secrets_path.exists():
            raise SettingsError(f"{secrets_path}: secrets file named in settings does not exist")
        _check_private(secrets_path)
        secrets = _read_toml(secrets_path)
        data = deep_merge(data, secrets)
    if overrides:
        data = deep_merge(data, overrides)

    layers: list[tuple[str, Mapping[str, Any] | None]] = [
        ("settings given by the program", overrides),
        (str(secrets_path), secrets),
        (str(path) if path else "settings", file_data),
    ]
    try:
        return Settings(**data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = _source(loc, environ, layers)
            lines.append(f"{where}: {'.'.join(map(str, loc)) or '(top level)'}: {_message(err)}")
        raise SettingsError("\n".join(lines)) from None
    except SourceError as exc:
        # pydantic-settings names the top-level field only: name the variables under it.
        field = re.search(r'field "([^"]+)"', str(exc))
        prefix = env_name((field[1],)) if field else "BEATPOST_"
        names = sorted(
            k.upper() for k in environ if k.upper() == prefix or k.upper().startswith(prefix + "_")
        )
        raise SettingsError(
            f"environment variable {' or '.join(names) or prefix}: cannot be read as settings: "
            """write a list as JSON (BEATPOST_PULL__AGES='["1h", "24h"]') and set the """
            "settings of a section one by one (BEATPOST_X__ENABLED=false)"
        ) from None
