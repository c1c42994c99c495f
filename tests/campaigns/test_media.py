"""Media checks: existence, type per platform, size, Instagram aspect ratio, alt text, GPS."""

from __future__ import annotations

from dataclasses import replace

import pytest

from campaigns import load_campaigns
from campaigns.media import inspect
from connectors.limits import LIMITS
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
    ("too tall for instagram", {"size": (600, 1000)}, "img.jpg", "[x, instagram]",
     [("error", "Instagram needs a width:height ratio between 0.80 and 1.91")]),
    ("too wide for instagram", {"size": (1000, 500)}, "img.jpg", "[instagram]",
     [("error", "this image is 1000x500 (2.00)")]),
    ("png is refused by instagram only", {"size": (800, 800), "fmt": "PNG"}, "img.png",
     "[x, facebook, instagram]", [("error", "Instagram does not accept image/png")]),
    ("webp is refused by facebook", {"size": (800, 800), "fmt": "WEBP"}, "img.webp",
     "[x, facebook]", [("error", "Facebook does not accept image/webp")]),
    ("missing file", None, "nope.jpg", "[x, facebook]",
     [("error", "nope.jpg: file not found")]),
    ("gps position", {"size": (800, 800), "gps": True}, "img.jpg", "[x]",
     [("warning", "carries a GPS position in its metadata")]),
]


@pytest.mark.parametrize(("image", "name", "platforms", "expected"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
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
        "a.jpg: alt text is missing; add alt: describing the image for people using "
        "screen readers"]


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
    assert note.message == (f"a.jpg: {size / 1024:.0f} KB is over X's 8 KB limit; beatpost "
                            "re-encodes it to fit when posting (lower quality first, then fewer "
                            "pixels)")
    # what the note promises is what the X connector does with the file
    prepared = prepare_media(MediaFile(tmp_path / "a.jpg"), small["x"])
    assert prepared.size <= 8 * 1024


def test_image_over_instagram_limit_is_an_error_as_instagram_downloads_it(write, tmp_path):
    make_image(tmp_path / "a.jpg", size=(1200, 1200))
    small = dict(LIMITS)
    small["instagram"] = replace(LIMITS["instagram"], max_image_bytes=8 * 1024)
    size = (tmp_path / "a.jpg").stat().st_size
    (error,) = _load(write, "a.jpg", "[instagram]", limits=small,
                     media_base_url_set=True).errors
    assert error.message.startswith(f"a.jpg: {size / 1024:.0f} KB is over Instagram's 8 KB "
                                    "limit; Instagram downloads the file as it is hosted, so "
                                    "beatpost cannot shrink it")


def test_too_many_images(write, tmp_path):
    for i in range(5):
        make_image(tmp_path / f"{i}.jpg")
    media = "".join(f"\n      - file: {i}.jpg\n        alt: Poster {i}" for i in range(5))
    doc = DOC.replace("PLATFORMS", "[x, facebook]").replace(
        "\n      - file: FILE\n        alt: ALT", media)
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
