"""One Settings object for the whole program: beatpost.toml + BEATPOST_* environment + secrets."""

from config.settings import (
    BlueskySettings,
    DigestSettings,
    FacebookSettings,
    InstagramSettings,
    MastodonSettings,
    PullSettings,
    SandboxSettings,
    Settings,
    SettingsError,
    XSettings,
    load_settings,
)

__all__ = [
    "DigestSettings",
    "FacebookSettings",
    "InstagramSettings",
    "MastodonSettings",
    "BlueskySettings",
    "PullSettings",
    "SandboxSettings",
    "Settings",
    "SettingsError",
    "XSettings",
    "load_settings",
]
