"""``beatpost partner-kit`` end to end through the CLI: texts, cleaned images, tagged links,
QR codes and the index."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from click.testing import CliRunner
from PIL import Image

from beatpost.cli import cli
from beatpost.partner_kit import QR_BORDER, QR_SCALE
from campaigns.compose import partner_link, tag_link
from tests.campaigns.conftest import make_image

CAMPAIGN = """\
version: 1
campaign:
  id: fall-hiring
  name: Fall Hiring <2027>
  timezone: America/Chicago
  window: {start: 2027-09-01, end: 2027-10-31}
  platforms: [x, facebook]
partners:
  lincoln-high:
    name: Lincoln High <School>
    handles: {x: LincolnHS}
  first-church:
    name: First Church
defaults:
  link: https://pd.example.org/careers?ref=flyer
posts:
  - id: open-house
    kind: announcement
    at: 2027-09-10 09:00
    text: "Open house at {partner.handle}: <script>alert(1)</script>"
    partner: lincoln-high
    media:
      - file: media/open-house.jpg
        alt: Officers at the station's open house
  - id: no-link
    kind: announcement
    at: 2027-09-12 09:00
    link: false
    platforms: [facebook]
    text: Thank you to everyone who came.
  - id: already-past
    kind: announcement
    at: 2027-09-01 09:00
    text: This one went out before the kit was made.
"""


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "fall.yaml").write_text(CAMPAIGN, encoding="utf-8")
    make_image(tmp_path / "campaigns" / "media" / "open-house.jpg", gps=True)
    (tmp_path / "beatpost.toml").write_text(
        'campaigns_dir = "campaigns"\nmedia_dir = "campaigns/media"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def kit(*args: str):
    from datetime import UTC, datetime

    import beatpost.commands.partner_cmds as cmds

    original = cmds.system_clock
    # The kit is made on 2027-09-05: already-past is gone.
    cmds.system_clock = lambda: datetime(2027, 9, 5, 12, 0, tzinfo=UTC)
    try:
        return CliRunner().invoke(cli, ["partner-kit", *args])
    finally:
        cmds.system_clock = original


def test_kit_holds_upcoming_posts_with_partner_links_cleaned_images_and_qr(workspace):
    result = kit("lincoln-high", "--out", "kit")
    assert result.exit_code == 0, result.output
    out = workspace / "kit"
    assert sorted(p.name for p in out.iterdir()) == [
        "01-open-house",
        "02-no-link",
        "README.txt",
        "index.html",
    ]
    post = out / "01-open-house"
    link = (post / "link.txt").read_text(encoding="utf-8").strip()
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "ref": ["flyer"],
        "utm_source": ["lincoln-high"],
        "utm_medium": ["partner"],
        "utm_campaign": ["fall-hiring"],
        "utm_content": ["open-house"],
    }
    # the platform's link in each text is replaced by the partner's, nothing else changes
    x_text = (post / "text-x.txt").read_text(encoding="utf-8")
    assert link in x_text and "utm_source=x" not in x_text
    assert x_text.startswith("Open house at @LincolnHS: <script>alert(1)</script>")
    assert "utm_source=facebook" not in (post / "text-facebook.txt").read_text(encoding="utf-8")

    # a copy made from pixels only: the GPS position of the original is gone
    original = workspace / "campaigns" / "media" / "open-house.jpg"
    assert Image.open(original).getexif().get(0x8825) is not None
    with Image.open(post / "image-1.jpg") as image:
        assert not image.getexif() and image.size == (800, 800)

    # the QR code: a PNG of the expected size whose modules are those of the tagged link
    expected = segno.make(link, error="m", micro=False)
    with Image.open(post / "qr-code.png") as png:
        assert png.format == "PNG"
        assert png.size == expected.symbol_size(scale=QR_SCALE, border=QR_BORDER)
        assert round(png.info["dpi"][0]) == 300
        pixels = png.convert("L")
        modules = [
            tuple(
                pixels.getpixel(
                    (
                        (QR_BORDER + col) * QR_SCALE + QR_SCALE // 2,
                        (QR_BORDER + row) * QR_SCALE + QR_SCALE // 2,
                    )
                )
                < 128
                for col in range(len(expected.matrix[0]))
            )
            for row in range(len(expected.matrix))
        ]
    assert modules == [tuple(bool(m) for m in row) for row in expected.matrix]

    # a post without a link has its text, but no link and no QR code
    assert sorted(p.name for p in (out / "02-no-link").iterdir()) == ["text-facebook.txt"]

    html = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Lincoln High &lt;School&gt;" in html
    assert "01-open-house/qr-code.png" in html and "How to use this kit" in html
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert link in readme and "Officers at the station's open house" in readme
    assert "2 upcoming posts" in result.output


def test_partner_link_tags_source_and_medium_and_keeps_campaign_tags():
    planned = tag_link("https://pd.example.org/jobs?utm_campaign=hand-made", "x", "c", "p")
    shared = partner_link(planned, "lincoln-high", "c", "p")
    assert parse_qs(urlsplit(shared).query) == {
        "utm_campaign": ["hand-made"],
        "utm_content": ["p"],
        "utm_source": ["lincoln-high"],
        "utm_medium": ["partner"],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["lincon-high"],
            "no partner 'lincon-high' in the campaign files; did you mean 'lincoln-high'?",
        ),
        (["nobody"], "partners in the campaign files: first-church, lincoln-high"),
        (
            ["lincoln-high", "--campaign", "fall-hirin"],
            "--campaign: no campaign 'fall-hirin'; did you mean 'fall-hiring'?",
        ),
    ],
)
def test_unknown_partner_or_campaign_is_a_clear_error(workspace, args, message):
    result = kit(*args, "--out", "kit")
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (workspace / "kit").exists()


def test_kit_refuses_a_folder_that_is_not_empty(workspace):
    (workspace / "kit").mkdir()
    (workspace / "kit" / "notes.txt").write_text("mine", encoding="utf-8")
    result = kit("first-church", "--out", "kit")
    assert result.exit_code == 1
    assert "--out: kit is not an empty folder" in result.output
    assert [p.name for p in (workspace / "kit").iterdir()] == ["notes.txt"]


def test_kit_leaves_out_a_campaign_file_with_errors(workspace):
    broken = textwrap.dedent(CAMPAIGN).replace(
        "kind: announcement\n    at: 2027-09-10", "kind: anouncement\n    at: 2027-09-10"
    )
    (workspace / "campaigns" / "fall.yaml").write_text(broken, encoding="utf-8")
    result = kit("lincoln-high", "--out", "kit")
    assert result.exit_code == 1
    assert "no campaign file without errors was found" in result.output
    assert not (workspace / "kit").exists()
