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

DEPARTMENT = ["--department", "Riverton Police Department", "--timezone", "America/New_York"]


def init(tmp_path: Path, *args: str, who: list[str] = DEPARTMENT) -> tuple[int, str]:
    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "spd"), *who, *args])
    return outcome.exit_code, outcome.output


def _validate_and_plan(runner: CliRunner) -> tuple[str, list[dict]]:
    """What ``validate`` says and the rows ``plan --format json`` prints, both exiting 0."""
    validated = runner.invoke(cli, ["validate"])
    assert validated.exit_code == 0, validated.output
    planned = runner.invoke(cli, ["plan", "--format", "json"])
    assert planned.exit_code == 0, planned.output
    rows = json.loads(planned.stdout)
    return validated.output, rows["deliveries"] if isinstance(rows, dict) else rows


def test_init_creates_a_workspace_that_validates_and_plans(tmp_path, monkeypatch, clean_env):
    code, output = init(tmp_path)
    assert code == 0, output
    ws = tmp_path / "spd"
    for name in (
        "beatpost validate",
        "beatpost plan",
        "beatpost sandbox",
        "beatpost run",
        "beatpost status",
    ):
        assert name in output
    images = sorted(p.name for p in (EXAMPLE_DIR / "media").iterdir())
    assert sorted(p.name for p in (ws / "media").iterdir()) == images
    assert list((ws / "campaigns").glob("*.yaml")) == []  # nothing live
    [example] = (ws / "campaigns" / "examples").glob("*.yaml")

    monkeypatch.chdir(ws)  # as the printed next steps say: cd there, then run beatpost
    runner = CliRunner()
    checked = runner.invoke(cli, ["validate", "campaigns/examples"])
    assert checked.exit_code == 0, checked.output
    assert "no problems" in checked.output
    # The daemon's view: the example is skipped, and validate says so.
    said, rows = _validate_and_plan(runner)
    assert "1 example campaign file here is not read, so never posted" in said
    assert rows == []

    # Moved into campaigns/ as its header says, the example is live.
    campaign = ws / "campaigns" / example.name
    campaign.write_text(example.read_text().replace("../../media/", "../media/"))
    example.unlink()
    said, rows = _validate_and_plan(runner)
    assert "no problems" in said
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


def test_daemon_does_not_post_the_example_campaign(tmp_path, clean_env) -> None:
    """What the daemon reads (``load_plans``) leaves campaigns/examples/ out, and says so."""
    from datetime import UTC, datetime

    from beatpost.campaign_sync import load_plans

    init(tmp_path)
    settings = load_settings(tmp_path / "spd" / "beatpost.toml")
    found = load_plans(settings, datetime(2027, 3, 1, tzinfo=UTC))
    assert found.plans == [] and found.valid_files == []
    assert any("never posted" in note for note in found.notes)


def test_init_asks_for_the_department_and_time_zone(tmp_path, monkeypatch, clean_env):
    """Not Springfield's name and zone: the department's own, asked at the terminal (a wrong
    zone is asked again) or given as options, and written where the digest reads them."""
    import beatpost.commands.demo_cmds as cmds

    monkeypatch.setattr(cmds, "_interactive", lambda: True)
    outcome = CliRunner().invoke(
        cli,
        ["init", str(tmp_path / "spd")],
        input="Riverton Police Department\nEastern\nAmerica/Detroit\n",
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Department name" in outcome.output and "Time zone" in outcome.output
    assert "not an IANA time zone name" in outcome.output  # "Eastern", then asked again
    settings = load_settings(tmp_path / "spd" / "beatpost.toml")
    assert settings.digest.department == "Riverton Police Department"
    assert settings.default_timezone == "America/Detroit"
    assert "Springfield Police" not in (tmp_path / "spd" / "beatpost.toml").read_text()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ([], "--department and --timezone are needed when beatpost init cannot ask"),
        (["--department", "Riverton PD"], "--timezone is needed"),
        (["--department", " ", "--timezone", "America/Chicago"], "--department: give"),
        (
            ["--department", "Riverton PD", "--timezone", "America/Chicgo"],
            "did you mean America/Chicago",
        ),
        (["--department", "Riverton PD", "--timezone", "EST"], "give a region name"),
    ],
)
def test_init_without_a_terminal_needs_valid_department_and_timezone(tmp_path, who, message):
    code, output = init(tmp_path, who=who)
    assert code == 2 and message in output and "Traceback" not in output
    assert not (tmp_path / "spd").exists()


def test_init_into_a_file_is_a_clean_error(tmp_path) -> None:
    target = tmp_path / "spd"
    target.write_text("not a folder")
    outcome = CliRunner().invoke(cli, ["init", str(target), *DEPARTMENT])
    assert outcome.exit_code != 0
    assert "Traceback" not in outcome.output


def test_init_never_tells_to_publish_the_media_folder_of_originals(tmp_path) -> None:
    """``init`` said "media/ images; publish this folder on your web server for Instagram",
    the folder of originals with their GPS positions: it names public-media/ instead."""
    code, output = init(tmp_path)
    assert code == 0, output
    [media_line] = [line for line in output.splitlines() if line.lstrip().startswith("media/")]
    assert "never publish" in media_line
    assert "publish this folder on your web server" not in output
    assert "public-media/" in output
    # the department and zone are described with the settings file, not the secrets file
    [settings_line] = [line for line in output.splitlines() if "beatpost.toml" in line]
    assert "Riverton Police Department" in settings_line and "America/New_York" in settings_line
