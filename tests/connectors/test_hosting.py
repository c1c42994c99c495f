"""The publish folder for Instagram, as `beatpost validate` explains and checks it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from beatpost.cli import main
from beatpost.workspace import create_workspace
from connectors.hosting import hosted_name


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `beatpost init` workspace whose example campaign (with Instagram photo posts)
    was moved into campaigns/ to be posted, no BEATPOST_* variables from the machine."""
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    create_workspace(tmp_path / "springfield")
    campaigns = tmp_path / "springfield" / "campaigns"
    for example in (campaigns / "examples").glob("*.yaml"):  # as the example itself says
        text = example.read_text().replace("../../media/", "../media/")
        (campaigns / example.name).write_text(text)
        example.unlink()
    monkeypatch.chdir(tmp_path / "springfield")
    return tmp_path / "springfield"


def set_instagram(workspace: Path, **values: str) -> None:
    config = workspace / "beatpost.toml"
    text = config.read_text()
    for name, value in values.items():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"{name} ="))
        text = text.replace(line, f'{name} = "{value}"')
    config.write_text(text)


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def test_validate_names_the_folder_to_publish_for_instagram(workspace, capsys):
    code, out = validate(capsys)
    assert code == 0
    publish = workspace.resolve() / "public-media"
    assert (
        f"Instagram: beatpost writes metadata-free copies of the images to {publish}; the web "
        "server must publish that folder at http://127.0.0.1:8787/_sandbox/hosted/" in out
    )
    assert "warning" not in out


def test_validate_warns_when_media_base_url_serves_the_originals_folder(workspace, capsys):
    set_instagram(workspace, media_base_url="https://springfieldpd.example.org/media/")
    code, out = validate(capsys)
    assert code == 0  # a warning: the post itself is refused if the address serves originals
    [warning] = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert "ends in /media/, the name of the folder holding the original photos" in warning
    assert str(workspace.resolve() / "public-media") in warning


def test_validate_warns_when_publish_dir_is_the_photo_folder(workspace, capsys):
    set_instagram(workspace, publish_dir="media")
    code, out = validate(capsys, "--format", "json")
    payload = json.loads(out)
    [warning] = payload["settings_warnings"]
    assert "overlaps the campaign photo folder" in warning and "GPS position" in warning


def test_validate_warns_when_the_publish_folder_holds_originals(workspace, capsys):
    publish = workspace / "public-media"
    publish.mkdir()
    copy = b"prepared bytes"
    (publish / hosted_name(copy, ".jpg")).write_bytes(copy)
    code, out = validate(capsys)
    assert "warning" not in out  # beatpost's own copies are fine
    (publish / "reyes.jpg").write_bytes(next((workspace / "media").glob("*.jpg")).read_bytes())
    code, out = validate(capsys)
    [warning] = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert "holds reyes.jpg, which beatpost did not write" in warning
