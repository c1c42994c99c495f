"""Helpers for campaign tests: write a campaign file, load it, make small images."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from campaigns import CampaignSet, ValidationOptions, load_campaigns
from connectors.limits import LIMITS

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "campaigns" / "examples"
DATA = REPO / "tests" / "data" / "campaigns"

# Line numbers in check tables count from this header: the first post item is on line 16.
HEADER = """\
version: 1
campaign:
  id: test-campaign
  name: Test Campaign
  timezone: America/Chicago
  window: {start: 2027-03-01, end: 2027-05-31}
  platforms: [x, facebook]
  approved_by: Lt. Test
partners:
  shs:
    name: Springfield High School
    handles: {x: SpringfieldHS}
defaults:
  hashtags: [JoinSPD]
  link: https://springfieldpd.example.org/careers
posts:
"""
FIRST_POST_LINE = HEADER.count("\n") + 1


def options(**overrides) -> ValidationOptions:
    base = {"limits": LIMITS, "default_timezone": "America/Chicago"}
    base.update(overrides)
    return ValidationOptions(**base)


def make_image(
    path: Path, size: tuple[int, int] = (800, 800), fmt: str = "JPEG", gps: bool = False
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (20, 40, 80))
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (39.0, 47.0, 0.0), 3: "W", 4: (89.0, 39.0, 0.0)}
        kwargs["exif"] = exif
    image.save(path, fmt, **kwargs)
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(text, name="c.yaml") -> path; text is dedented."""

    def _write(text: str, name: str = "campaign.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load_text(write) -> Callable[..., CampaignSet]:
    """load_text(posts_yaml, **options) with the standard HEADER in front."""

    def _load(posts: str, header: str = HEADER, **overrides) -> CampaignSet:
        path = write(header + textwrap.dedent(posts))
        return load_campaigns([path], options(**overrides))

    return _load
