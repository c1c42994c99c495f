"""The platform table is the one place per-platform facts live; everything else reads it."""

from __future__ import annotations

import importlib
import inspect
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

import connectors
from beatpost.validation import unconnected_sections, validation_options
from beatpost.workspace import secrets_toml, settings_toml
from config.settings import Settings
from connectors.base import NO_CAPABILITIES, Replies, capabilities_of
from connectors.platforms import DISPLAY_NAMES, LIMITS, REGISTRY, TABLE
from connectors.sandbox import settings_env, settings_overrides

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def _class(platform: str) -> type:
    module, _, name = REGISTRY[platform].partition(":")
    return getattr(importlib.import_module(module), name)


def _init_keywords(cls: type) -> set[str]:
    """The keywords the constructor takes, with those its ``**options`` pass on to a base's."""
    found: set[str] = set()
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None:
            continue
        if not inspect.isfunction(init):
            break
        parameters = inspect.signature(init).parameters.values()
        found |= {p.name for p in parameters if p.kind is p.KEYWORD_ONLY}
        if not any(p.kind is p.VAR_KEYWORD for p in parameters):
            break
    return found


def test_registry_limits_and_names_are_read_from_the_table() -> None:
    assert connectors.REGISTRY == {n: p.connector for n, p in TABLE.items() if p.connector}
    assert connectors.LIMITS == {n: p.limits for n, p in TABLE.items()}
    assert DISPLAY_NAMES == {n: p.display_name for n, p in TABLE.items()}
    for name, row in TABLE.items():
        assert row.limits.platform == name
        assert LIMITS[name] is row.limits


@pytest.mark.parametrize("platform", list(REGISTRY))
def test_connector_class_declares_the_row_it_is_built_from(platform: str) -> None:
    cls = _class(platform)
    row = TABLE[platform]
    assert cls.platform == platform
    assert cls.limits is row.limits
    assert cls.capabilities == row.capabilities


@pytest.mark.parametrize("platform", list(REGISTRY))
def test_declared_capabilities_match_what_the_connector_does(platform: str) -> None:
    # The daemon, the pull and `comments reply` read the flags and never probe; a flag that
    # promises a method the class lacks would fail at run time, so the two are held together.
    cls = _class(platform)
    caps = cls.capabilities
    assert caps.batch_comments == callable(getattr(cls, "fetch_comments_batch", None))
    assert caps.replies == (callable(getattr(cls, "reply", None)) and callable(cls.find_reply))
    assert caps.delete == callable(getattr(cls, "delete", None))
    assert caps.batch_metrics == (cls.limits.metrics_batch > 1)
    assert caps.video == bool(cls.limits.video_types) or platform in ("facebook", "instagram")
    assert caps.resume_hook == ("on_resume" in _init_keywords(cls))


def test_replies_capability_agrees_with_the_replies_protocol() -> None:
    for platform in REGISTRY:
        cls = _class(platform)
        if cls.capabilities.replies:
            assert issubclass(cls, Replies)


@pytest.mark.parametrize("platform", list(REGISTRY))
def test_create_runs_any_connector_on_the_given_clock(platform: str, tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, **settings_overrides("http://127.0.0.1:9"))
    slept: list[float] = []
    conn = connectors.create(platform, settings, clock=lambda: NOW, sleep=slept.append)
    assert type(conn).platform == platform
    client = getattr(conn, "client", None)
    if client is not None:  # Graph API connectors wait and time through their client
        assert client._now() == NOW
        client._sleep(2.5)
        assert slept == [2.5]
    else:
        assert conn._clock() == NOW


def test_sandbox_credentials_are_the_settings_secret_fields() -> None:
    expected = {
        f"BEATPOST_{name.upper()}__{field.upper()}"
        for name, row in TABLE.items()
        if row.sandbox
        for field in row.secret_fields
    }
    assert set(settings_env()) == expected
    assert "BEATPOST_X__BEARER_TOKEN" in expected
    assert "BEATPOST_FACEBOOK__PAGE_ACCESS_TOKEN" in expected


def test_init_writes_a_section_per_platform_of_the_table(tmp_path: Path) -> None:
    parsed = tomllib.loads(settings_toml("http://127.0.0.1:8787"))
    secrets = tomllib.loads(secrets_toml("tok-123456"))
    for name, row in TABLE.items():
        if not row.sandbox:
            continue
        # The sandbox's own address, or a path under it (Threads: /threads, beside Graph's).
        assert parsed[name]["base_url"].startswith("http://127.0.0.1:8787")
        assert not set(row.secret_fields) & set(parsed[name]), "no credentials in beatpost.toml"
        assert secrets[name] == {field: "tok-123456" for field in row.secret_fields}
    merged = {k: v for k, v in parsed.items() if k != "secrets_file"}
    for name in secrets:
        merged.setdefault(name, {}).update(secrets[name])
    settings = Settings(workspace=tmp_path, **merged)  # the template is valid settings
    assert settings.instagram.media_base_url == "http://127.0.0.1:8787/_sandbox/hosted/"


def test_validation_uses_the_table_display_names(tmp_path: Path) -> None:
    opts = validation_options(Settings(workspace=tmp_path), NOW)
    assert opts.platform_names["x"] == "X"
    assert opts.connected >= frozenset(REGISTRY)


def test_enabled_section_without_connector_is_a_validate_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "beatpost.toml"
    config.write_text('log_level = "INFO"\n\n[x]\nenabled = true\n\n  [facebook]\nenabled = true\n')
    settings = Settings(workspace=tmp_path)
    assert unconnected_sections(settings, config) == []
    # Facebook's connector missing from this build: its switched-on section is an error now,
    # located at its header, not a failure when the first post is due.
    monkeypatch.setattr(
        "beatpost.validation.REGISTRY", {k: v for k, v in REGISTRY.items() if k != "facebook"}
    )
    [problem] = unconnected_sections(settings, config)
    assert problem.startswith(f"{config}:6:3: error: [facebook]: beatpost cannot post to Facebook")
    off = Settings(workspace=tmp_path, facebook={"enabled": False})
    assert unconnected_sections(off, config) == []


def test_a_connector_that_declares_nothing_offers_only_the_protocol() -> None:
    # A site's own connector (connector_classes) may predate declared capabilities: it must
    # not break the daemon, the pull or `comments reply`; it simply gets none.
    class Bare:
        def fetch_comments_batch(self, cursors):  # present, but not declared: never used
            raise AssertionError("undeclared capability used")

    assert capabilities_of(Bare()) == NO_CAPABILITIES
    assert capabilities_of(_class("x")) == TABLE["x"].capabilities
