"""Settings: beatpost.toml, BEATPOST_* overrides, the secrets file, and clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray ./beatpost.toml


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_defaults_need_no_file(tmp_path):
    settings = load_settings()
    assert settings.default_timezone == "America/Chicago"
    assert settings.require_approval is False
    assert settings.campaigns_path == (tmp_path / "campaigns").resolve()
    database = tmp_path.resolve() / ".beatpost" / "beatpost.db"
    assert settings.resolved_database_url == f"sqlite:///{database}"


def test_file_values_and_workspace_relative_to_the_file(tmp_path):
    ws = tmp_path / "dept"
    ws.mkdir()
    cfg = write(
        ws / "beatpost.toml",
        'campaigns_dir = "plans"\nrequire_approval = true\n[x]\nposts_per_24h = 17\n',
    )
    settings = load_settings(cfg)
    assert settings.campaigns_path == (ws / "plans").resolve()
    assert settings.require_approval is True
    assert settings.x.posts_per_24h == 17


def test_environment_wins_over_the_file(tmp_path, monkeypatch):
    cfg = write(tmp_path / "beatpost.toml", "[x]\nposts_per_24h = 17\n[digest]\nsmtp_port = 25\n")
    monkeypatch.setenv("BEATPOST_X__POSTS_PER_24H", "40")
    monkeypatch.setenv("BEATPOST_REQUIRE_APPROVAL", "true")
    settings = load_settings(cfg)
    assert settings.x.posts_per_24h == 40
    assert settings.require_approval is True
    assert settings.digest.smtp_port == 25


def test_secrets_file_is_merged_and_masked(tmp_path):
    secrets = write(tmp_path / "secrets.toml", '[x]\naccess_token = "tok-123-secret"\n', 0o600)
    cfg = write(tmp_path / "beatpost.toml", f'secrets_file = "{secrets.name}"\n')
    settings = load_settings(cfg)
    assert settings.x.access_token.get_secret_value() == "tok-123-secret"
    assert "tok-123-secret" not in repr(settings)
    assert "tok-123-secret" not in str(settings.x)


def test_secrets_file_readable_by_others_is_refused(tmp_path):
    secrets = write(tmp_path / "secrets.toml", '[x]\naccess_token = "t"\n', 0o644)
    cfg = write(tmp_path / "beatpost.toml", f'secrets_file = "{secrets.name}"\n')
    with pytest.raises(SettingsError, match=r"readable by other users; run: chmod 600"):
        load_settings(cfg)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("campaign_dir = 'x'\n", "campaign_dir: unknown setting"),
        ("[x]\nposts_per_day = 3\n", "x.posts_per_day: unknown setting"),
        ("default_timezone = 'Mars/Olympus'\n", "unknown time zone 'Mars/Olympus'"),
        ("grace_minutes = -1\n", "grace_minutes:"),
        ("[digest]\nsmtp_security = 'tls'\n", "digest.smtp_security:"),
        ("require_approval = \n", "not valid TOML"),
        # Values the daemon would meet only later are refused at once, by every command:
        ('[digest]\nsend_time = "99:99"\n', "digest.send_time: '99:99' is not a time of day"),
        ('[digest]\nsend_time = "7 am"\n', "digest.send_time: '7 am' is not a time of day"),
        ('[pull]\nages = ["banana"]\n', "pull.ages: 'banana' is not an age"),
        ('[pull]\nages = ["0h"]\n', "pull.ages: '0h' is not an age"),
        ("[pull]\nages = []\n", "pull.ages:"),
        ('[digest]\ntimezone = "Mars/Olympus"\n', "digest.timezone: unknown time zone"),
        ('[x]\nbase_url = "htps://api.x.com"\n', "x.base_url: 'htps://api.x.com' is not an"),
        ('[facebook]\nbase_url = "graph.facebook.com"\n', "facebook.base_url: 'graph.facebook"),
        ('[instagram]\nbase_url = "http://[::1"\n', "instagram.base_url: 'http://[::1' is not"),
        # Every setting naming a choice lists the valid ones:
        (
            'sentiment_model = "vadr"\n',
            "sentiment_model: 'vadr' is not one of: 'default', 'textblob' or 'vader'",
        ),
        ('log_level = "LOUD"\n', "log_level: 'LOUD' is not one of: 'DEBUG', 'INFO'"),
        ('[digest]\nsend_day = "funday"\n', "digest.send_day: 'funday' is not one of: 'monday'"),
    ],
)
def test_bad_settings_name_the_file_and_the_field(tmp_path, text, message):
    cfg = write(tmp_path / "beatpost.toml", text)
    with pytest.raises(SettingsError) as info:
        load_settings(cfg)
    assert str(cfg) in str(info.value)
    assert message in str(info.value)


def test_missing_named_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "nope.toml")


def test_settings_object_rejects_unknown_fields_directly():
    with pytest.raises(ValueError):
        Settings(not_a_setting=1)


def test_actor_is_the_operator_setting_or_the_account(tmp_path):
    import getpass

    assert load_settings().actor == getpass.getuser()
    cfg = write(tmp_path / "beatpost.toml", 'operator = "Sgt. Kim"\n')
    assert load_settings(cfg).actor == "Sgt. Kim"


def test_error_in_the_secrets_file_names_the_secrets_file(tmp_path):
    secrets = write(tmp_path / "secrets.toml", '[x]\nacces_token = "t"\n', 0o600)
    cfg = write(tmp_path / "r.toml", f'secrets_file = "{secrets.name}"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(cfg)
    assert str(info.value) == f"{secrets}: x.acces_token: unknown setting"


def test_error_in_an_environment_variable_names_the_variable(tmp_path, monkeypatch):
    cfg = write(tmp_path / "r.toml", "[x]\nposts_per_24h = 17\n")
    monkeypatch.setenv("BEATPOST_X__ACCES_TOKEN", "t")
    monkeypatch.setenv("BEATPOST_GRACE_MINUTES", "-3")
    with pytest.raises(SettingsError) as info:
        load_settings(cfg)
    lines = str(info.value).splitlines()
    assert "environment variable BEATPOST_X__ACCES_TOKEN: x.acces_token: unknown setting" in lines
    assert any(
        line.startswith("environment variable BEATPOST_GRACE_MINUTES: grace_minutes:")
        for line in lines
    )
    assert str(cfg) not in str(info.value)


@pytest.mark.parametrize("value", ["foo", "{not json"])
def test_environment_variable_for_a_whole_section_is_a_clear_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("BEATPOST_X", value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith("environment variable BEATPOST_X: cannot be read as settings")
    assert "BEATPOST_X__ENABLED=false" in message


def test_environment_variable_for_a_whole_section_through_the_cli(tmp_path, monkeypatch, capsys):
    from beatpost.cli import main

    monkeypatch.setenv("BEATPOST_X", "foo")
    assert main(["status"]) == 1
    err = capsys.readouterr().err
    assert "This is a bug" not in err
    assert "environment variable BEATPOST_X: cannot be read as settings" in err


@pytest.mark.parametrize(
    ("section", "name"),
    [("x", "access_token"), ("facebook", "page_access_token"), ("digest", "smtp_password")],
)
def test_a_secret_in_the_settings_file_is_refused_saying_where_it_belongs(tmp_path, section, name):
    cfg = write(tmp_path / "beatpost.toml", f'[{section}]\n{name} = "tok-in-the-open"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(cfg)
    message = str(info.value)
    assert message.startswith(f"{cfg}: {section}.{name}: a secret does not belong")
    assert "secrets file" in message
    assert f"BEATPOST_{section.upper()}__{name.upper()}" in message
    assert "tok-in-the-open" not in message


def test_sentiment_model_choices_are_the_models_analysis_has():
    from typing import get_args

    from analysis.sentiment import MODELS

    assert set(get_args(Settings.model_fields["sentiment_model"].annotation)) == set(MODELS)


def test_log_level_in_any_case(tmp_path):
    cfg = write(tmp_path / "beatpost.toml", 'log_level = "debug"\n')
    assert load_settings(cfg).log_level == "DEBUG"


def test_connector_classes_naming_an_unknown_platform_is_refused_at_start(tmp_path, capsys):
    from beatpost.cli import main

    cfg = write(tmp_path / "beatpost.toml", '[connector_classes]\ntwiter = "m:C"\n')
    assert main(["--config", str(cfg), "status"]) == 1
    err = capsys.readouterr().err
    assert f"{cfg}: connector_classes: unknown platform 'twiter'; choose one of: x, facebook" in err
