"""``beatpost init DIR``: a workspace where the real CLI validates and plans at once."""

from __future__ import annotations

import json
import re
import stat
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from beatpost.cli import cli
from beatpost.workspace import EXAMPLE_DIR
from config import Settings, SettingsError, load_settings


def init(tmp_path: Path, *args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "spd"), *args])
    return outcome.exit_code, outcome.output


def test_init_creates_a_workspace_that_validates_and_plans(tmp_path, monkeypatch, clean_env):
    code, output = init(tmp_path)
    assert code == 0, output
    ws = tmp_path / "spd"
    for name in ("beatpost validate", "beatpost plan", "beatpost sandbox", "beatpost run",
                 "beatpost status"):
        assert name in output
    images = sorted(p.name for p in (EXAMPLE_DIR / "media").iterdir())
    assert sorted(p.name for p in (ws / "media").iterdir()) == images
    [campaign] = (ws / "campaigns").glob("*.yaml")

    monkeypatch.chdir(ws)  # as the printed next steps say: cd there, then run beatpost
    runner = CliRunner()
    validated = runner.invoke(cli, ["validate"])
    assert validated.exit_code == 0, validated.output
    assert "no problems" in validated.output
    planned = runner.invoke(cli, ["plan", "--format", "json"])
    assert planned.exit_code == 0, planned.output
    rows = json.loads(planned.output)
    rows = rows["deliveries"] if isinstance(rows, dict) else rows
    assert {r["platform"] for r in rows} == {"x", "facebook", "instagram"}
    # the images resolve into the workspace's media folder
    media = {Path(m["path"]).resolve() for r in rows for m in r.get("media") or []}
    assert media and all(p.parent == (ws / "media").resolve() and p.is_file() for p in media)
    assert campaign.name == next(EXAMPLE_DIR.glob("*.yaml")).name


def test_settings_load_and_point_at_the_sandbox(tmp_path, clean_env) -> None:
    init(tmp_path)
    ws = tmp_path / "spd"
    settings = load_settings(ws / "beatpost.toml")
    assert settings.workspace == ws.resolve()
    assert settings.campaigns_path == (ws / "campaigns").resolve()
    assert settings.resolved_database_url.endswith(".beatpost/beatpost.db")
    for section in (settings.x, settings.facebook, settings.instagram):
        assert section.base_url == "http://127.0.0.1:8787"
    assert settings.instagram.media_base_url == "http://127.0.0.1:8787/_sandbox/hosted/"
    # the sandbox's fake credentials came from the secrets file
    assert settings.x.access_token is not None
    assert settings.facebook.page_access_token is not None


def _secret_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        annotation = str(info.annotation)
        if "SecretStr" in annotation:
            names.append(prefix + name)
        elif isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            names += _secret_fields(info.annotation, f"{prefix}{name}.")
    return names


def test_no_secret_in_beatpost_toml_and_the_secrets_file_is_private(tmp_path, clean_env):
    init(tmp_path)
    ws = tmp_path / "spd"
    data = tomllib.loads((ws / "beatpost.toml").read_text())
    secret_fields = _secret_fields(Settings)
    assert "x.access_token" in secret_fields and "digest.smtp_password" in secret_fields
    for dotted in secret_fields:
        section, _, name = dotted.rpartition(".")
        assert name not in (data.get(section, {}) if section else data), dotted
    mode = stat.S_IMODE((ws / "secrets.toml").stat().st_mode)
    assert mode == 0o600
    assert "secrets.toml" in (ws / ".gitignore").read_text()
    text = (ws / "beatpost.toml").read_text()
    assert "BEATPOST_X__ACCESS_TOKEN" in text and "chmod 600" in text


def test_secrets_file_readable_by_others_is_refused(tmp_path, clean_env) -> None:
    init(tmp_path)
    ws = tmp_path / "spd"
    (ws / "secrets.toml").chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        load_settings(ws / "beatpost.toml")


def test_every_setting_is_in_the_commented_file(tmp_path) -> None:
    """A setting added to config must be explained in the file a department starts from."""
    init(tmp_path)
    text = (tmp_path / "spd" / "beatpost.toml").read_text()
    sections = {"": text.split("\n[", 1)[0]}
    for block in re.split(r"(?m)^\[", text)[1:]:
        name, _, body = block.partition("]")
        sections[name] = body
    secrets = set(_secret_fields(Settings))
    for name, info in Settings.model_fields.items():
        if name == "workspace":
            continue  # the folder of beatpost.toml itself
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            assert name in sections, f"[{name}] section missing"
            for field in info.annotation.model_fields:
                if f"{name}.{field}" in secrets:
                    continue
                assert re.search(rf"(?m)^#? ?{field} =", sections[name]), f"{name}.{field}"
        else:
            assert re.search(rf"(?m)^#? ?{name} =", sections[""]), name


def test_existing_settings_are_not_overwritten_without_force(tmp_path, clean_env) -> None:
    init(tmp_path)
    config = tmp_path / "spd" / "beatpost.toml"
    config.write_text("# edited by the department\n")
    code, output = init(tmp_path)
    assert code == 1
    assert "already exists" in output and "--force" in output
    assert "Traceback" not in output
    assert config.read_text() == "# edited by the department\n"
    own = tmp_path / "spd" / "campaigns" / "fall.yaml"
    own.write_text("version: 1\n")
    code, output = init(tmp_path, "--force")
    assert code == 0, output
    assert config.read_text().startswith("# beatpost settings")
    assert own.read_text() == "version: 1\n"  # the department's own campaigns are kept


def test_init_into_a_file_is_a_clean_error(tmp_path) -> None:
    target = tmp_path / "spd"
    target.write_text("not a folder")
    outcome = CliRunner().invoke(cli, ["init", str(target)])
    assert outcome.exit_code != 0
    assert "Traceback" not in outcome.output

