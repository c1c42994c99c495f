"""Media checks: existence, type per platform, size, Instagram aspect ratio, alt text, GPS."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from PIL import Image

from campaigns import load_campaigns
from campaigns.bounds import MAX_IMAGE_FRAMES, MAX_IMAGE_SIDE
from campaigns.media import inspect
from connectors.limits import LIMITS
from tests.campaigns.bombs import (
    cut_short,
    gif_bomb,
    jpeg_claiming,
    jpeg_header_only,
    png_claiming,
)
from tests.campaigns.conftest import make_image, options

DOC = """\
version: 1
campaign:
  id: media-test
  name: Media
  window: {start: 2027-03-01, end: 2027-03-31}
  platforms: PLATFORMS
  approved_by: Lt. Test
posts:
  - id: a
    kind: announcement
    at: 2027-03-02 10:00
    text: Hello
    media:
      - file: FILE
        alt: ALT
"""
MEDIA_LINE = 14


def _load(write, file, platforms="[x, facebook, instagram]", alt="A poster", **opts):
    doc = DOC.replace("PLATFORMS", platforms).replace("FILE", file).replace("ALT", alt)
    return load_campaigns([write(doc)], options(**opts))


# (id, image maker args or None for "no file", file name, platforms, expected errors/warnings)
CASES = [
    ("square jpeg everywhere", {"size": (800, 800)}, "img.jpg", "[x, facebook, instagram]", []),
    ("portrait 4:5 is fine on instagram", {"size": (800, 1000)}, "img.jpg", "[instagram]", []),
    ("landscape 1.91:1 is fine on instagram", {"size": (955, 500)}, "img.jpg", "[instagram]", []),
    (
        "too tall for instagram",
        {"size": (600, 1000)},
        "img.jpg",
        "[x, instagram]",
        [("error", "Instagram needs a width:height ratio between 0.80 and 1.91")],
    ),
    (
        "too wide for instagram",
        {"size": (1000, 500)},
        "img.jpg",
        "[instagram]",
        [("error", "this image is 1000x500 (2.00)")],
    ),
    (
        "png is refused by instagram only",
        {"size": (800, 800), "fmt": "PNG"},
        "img.png",
        "[x, facebook, instagram]",
        [("error", "Instagram does not accept image/png")],
    ),
    (
        "webp is refused by facebook",
        {"size": (800, 800), "fmt": "WEBP"},
        "img.webp",
        "[x, facebook]",
        [("error", "Facebook does not accept image/webp")],
    ),
    ("missing file", None, "nope.jpg", "[x, facebook]", [("error", "nope.jpg: file not found")]),
    (
        "gps position",
        {"size": (800, 800), "gps": True},
        "img.jpg",
        "[x]",
        [("warning", "carries a GPS position in its metadata")],
    ),
]


@pytest.mark.parametrize(
    ("image", "name", "platforms", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_media_checks(write, tmp_path, image, name, platforms, expected):
    if image is not None:
        make_image(tmp_path / name, **image)
    cs = _load(write, name, platforms)
    got = [(d.severity, d.message) for d in cs.diagnostics]
    assert len(got) == len(expected), got
    for severity, fragment in expected:
        assert any(s == severity and fragment in m for s, m in got), got
    for d in cs.diagnostics:
        assert d.line == MEDIA_LINE and d.path == "posts[0].media[0].file"


def test_media_paths_are_relative_to_the_campaign_file(write, tmp_path):
    make_image(tmp_path / "media" / "a.jpg")
    cs = _load(write, "media/a.jpg", "[x]")
    (delivery,) = cs.deliveries()
    (media,) = delivery.media
    assert media.path == (tmp_path / "media" / "a.jpg").resolve() and media.path.is_absolute()
    assert media.alt_text == "A poster" and media.mime_type == "image/jpeg"


def test_alt_text_is_required(write, tmp_path):
    make_image(tmp_path / "a.jpg")
    cs = _load(write, "a.jpg", "[x]", alt='""')
    assert [e.message for e in cs.errors] == [
        "a.jpg: alt text is missing; add alt: describing the image for people using screen readers"
    ]


def test_alt_text_length_per_platform(write, tmp_path):
    make_image(tmp_path / "a.jpg")
    (error,) = _load(write, "a.jpg", "[x]", alt="a" * 1001).errors
    assert error.message == "a.jpg: alt text is 1001 characters; X allows 1000"


def test_image_over_an_upload_limit_is_a_note_as_the_connector_reencodes_it(write, tmp_path):
    from connectors.base import MediaFile
    from connectors.media import prepare_media

    make_image(tmp_path / "a.jpg", size=(1200, 1200))
    small = dict(LIMITS)
    small["x"] = replace(LIMITS["x"], max_image_bytes=8 * 1024)
    size = (tmp_path / "a.jpg").stat().st_size
    assert size > 8 * 1024
    cs = _load(write, "a.jpg", "[x]", limits=small)
    assert cs.ok
    [note] = cs.notes
    assert note.message == (
        f"a.jpg: {size / 1024:.0f} KB is over X's 8 KB limit; beatpost "
        "re-encodes it to fit when posting (lower quality first, then fewer "
        "pixels)"
    )
    # what the note promises is what the X connector does with the file
    prepared = prepare_media(MediaFile(tmp_path / "a.jpg"), small["x"])
    assert prepared.size <= 8 * 1024


def test_image_over_instagram_limit_is_an_error_as_instagram_downloads_it(write, tmp_path):
    make_image(tmp_path / "a.jpg", size=(1200, 1200))
    small = dict(LIMITS)
    small["instagram"] = replace(LIMITS["instagram"], max_image_bytes=8 * 1024)
    size = (tmp_path / "a.jpg").stat().st_size
    (error,) = _load(write, "a.jpg", "[instagram]", limits=small, media_base_url_set=True).errors
    assert error.message.startswith(
        f"a.jpg: {size / 1024:.0f} KB is over Instagram's 8 KB "
        "limit; Instagram downloads the file as it is hosted, so "
        "beatpost cannot shrink it"
    )


def test_too_many_images(write, tmp_path):
    for i in range(5):
        make_image(tmp_path / f"{i}.jpg")
    media = "".join(f"\n      - file: {i}.jpg\n        alt: Poster {i}" for i in range(5))
    doc = DOC.replace("PLATFORMS", "[x, facebook]").replace(
        "\n      - file: FILE\n        alt: ALT", media
    )
    cs = load_campaigns([write(doc)], options())
    assert [e.message for e in cs.errors] == ["X takes at most 4 images per post; this post has 5"]


def test_not_an_image(write, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8 not really")
    assert "not an image or video" in _load(write, "notes.txt", "[x]").errors[0].message
    assert "damaged" in _load(write, "broken.jpg", "[x]").errors[0].message


def test_inspect_is_cached_per_file_version(tmp_path):
    path = make_image(tmp_path / "a.jpg", size=(100, 50))
    first = inspect(path)
    assert (first.width, first.height, first.mime_type) == (100, 50, "image/jpeg")
    assert inspect(path) is first
    make_image(path, size=(60, 60))
    assert inspect(path).width == 60


# -- decompression bombs and damaged files: found by validate, from the header ---------------

BOMBS = [
    (
        "60-frame 4000x4000 gif",
        lambda p: gif_bomb(p / "bomb.gif"),
        "bomb.gif",
        "the image is 4000x4000 pixels x 60 frames (960 megapixels); beatpost takes at most 50",
    ),
    (
        "825-byte jpeg claiming 8000x9000",
        lambda p: jpeg_claiming(p / "bomb.jpg", 8000, 9000),
        "bomb.jpg",
        "the image is 8000x9000 pixels (72 megapixels); beatpost takes at most 50",
    ),
    (
        "150-megapixel png",
        lambda p: png_claiming(p / "bomb.png", 12500, 12000),
        "bomb.png",
        "the image is 12500x12000 pixels (150 megapixels)",
    ),
    (
        "300-megapixel png (over Pillow's own limit)",
        lambda p: png_claiming(p / "bomb.png", 15000, 20000),
        "bomb.png",
        "pixels",
    ),
    (
        "20000 pixels wide",
        lambda p: png_claiming(p / "wide.png", 20000, 10),
        "wide.png",
        f"at most {MAX_IMAGE_SIDE:,} pixels a side",
    ),
    (
        "400 frames",
        lambda p: gif_bomb(p / "long.gif", (10, 10), 400),
        "long.gif",
        f"the animation has 400 frames; beatpost takes at most {MAX_IMAGE_FRAMES}",
    ),
]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # see the next test
@pytest.mark.parametrize(
    ("make", "name", "message"), [pytest.param(*b[1:], id=b[0]) for b in BOMBS]
)
def test_decompression_bombs_are_refused_from_the_header(write, tmp_path, make, name, message):
    make(tmp_path)
    started = time.monotonic()
    cs = _load(write, name, "[x]")
    assert time.monotonic() - started < 3
    (error,) = cs.errors
    assert (error.line, error.path) == (MEDIA_LINE, "posts[0].media[0].file")
    assert error.message.startswith(f"{name}: ") and message in error.message


def test_pillows_bomb_warning_never_reaches_the_terminal(tmp_path):
    png_claiming(tmp_path / "bomb.png", 12500, 12000)
    path = tmp_path / "c.yaml"
    path.write_text(
        DOC.replace("PLATFORMS", "[x]").replace("FILE", "bomb.png").replace("ALT", "A poster"),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEATPOST_")}
    env["BEATPOST_MEDIA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from beatpost.cli import main; raise SystemExit(main())",
            "validate",
            str(path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"c.yaml:{MEDIA_LINE}:" in done.stdout and "150 megapixels" in done.stdout
    assert "Warning" not in done.stderr + done.stdout, done.stderr


@pytest.mark.parametrize("damage", ["cut in half", "header only"])
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_damaged_images_are_found_by_validate(write, tmp_path, damage, fmt):
    whole = tmp_path / f"whole.{fmt.lower()}"
    image = Image.effect_noise((400, 300), 64).convert("RGB")  # incompressible: a real cut
    image.save(whole, fmt)
    name = f"damaged.{fmt.lower()}"
    if damage == "cut in half":
        cut_short(whole, tmp_path / name)
    elif fmt == "JPEG":
        jpeg_header_only(whole, tmp_path / name)
    else:
        cut_short(whole, tmp_path / name, keep=0.02)  # the IHDR chunk and no pixels
    assert not _load(write, whole.name, "[x]").errors
    (error,) = _load(write, name, "[x]").errors
    assert error.line == MEDIA_LINE and "damaged or cut short" in error.message


def test_threads_images_without_media_base_url_are_a_warning_naming_the_setting(write, tmp_path):
    make_image(tmp_path / "a.jpg", size=(800, 800))
    unset = _load(write, "a.jpg", "[threads]", media_base_url_set=False)
    [warning] = [w for w in unset.warnings if "media_base_url" in w.message]
    assert warning.message.startswith("Threads fetches images and videos from a public web address")
    assert "instagram.media_base_url" in warning.message
    assert (warning.line, warning.column) == (6, 15)  # where threads is named
    assert not [
        w for w in _load(write, "a.jpg", "[threads]").warnings if "media_base_url" in w.message
    ]
