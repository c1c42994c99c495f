"""prepare_media: metadata never survives, orientation is applied, size limits are met."""

from __future__ import annotations

import io
import random
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from campaigns import bounds
from connectors import media
from connectors.base import MediaFile
from connectors.errors import Rejected
from connectors.limits import limits_for
from connectors.media import PreparedMedia, prepare_media
from tests.campaigns.bombs import gif_bomb, jpeg_claiming, png_claiming

SERIAL = "CAMSERIAL-99881"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b"<rdf:Description>home-address-hint</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = SERIAL  # BodySerialNumber
    exif[0x0132] = "2026:11:01 07:45:00"  # DateTime
    gps = {1: "N", 2: (41.0, 52.0, 12.5), 3: "W", 4: (87.0, 37.0, 40.1)}
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


def _photo(width: int = 60, height: int = 40) -> Image.Image:
    # Left half red, right half blue: lets a test see which way the pixels were rotated.
    img = Image.new("RGB", (width, height), (220, 20, 20))
    img.paste((20, 20, 220), (width // 2, 0, width, height))
    return img


def _noise(width: int, height: int, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))


def _write_jpeg(path: Path, img: Image.Image, *, orientation: int = 1) -> Path:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    img.save(
        path,
        "JPEG",
        exif=_exif(orientation),
        icc_profile=icc,
        comment=b"shot at 12 Elm St",
        xmp=XMP,
        quality=95,
    )
    return path


def _metadata_markers(data: bytes) -> list[bytes]:
    markers = [
        b"Exif",
        SERIAL.encode(),
        b"PhoneMaker",
        b"xmpmeta",
        b"Elm St",
        b"ICC_PROFILE",
        b"home-address-hint",
        b"tEXt",
        b"iTXt",
        b"zTXt",
        b"eXIf",
    ]
    return [m for m in markers if m in data]


def test_jpeg_loses_exif_gps_xmp_icc_and_comment(tmp_path: Path) -> None:
    source = _write_jpeg(tmp_path / "officer.jpg", _photo())
    raw = source.read_bytes()
    assert set(_metadata_markers(raw)) >= {b"Exif", SERIAL.encode(), b"xmpmeta", b"ICC_PROFILE"}

    prepared = prepare_media(MediaFile(path=source), limits_for("x"))

    assert isinstance(prepared, PreparedMedia)
    assert _metadata_markers(prepared.data) == []
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.format == "JPEG"
        assert not out.getexif()
        assert "icc_profile" not in out.info and "comment" not in out.info
        assert (out.width, out.height) == (prepared.width, prepared.height) == (60, 40)
    assert prepared.mime_type == "image/jpeg" and prepared.filename == "officer.jpg"


@pytest.mark.parametrize(
    ("orientation", "size", "left_colour_is_red"),
    [
        (1, (60, 40), True),  # as stored
        (3, (60, 40), False),  # rotated 180: blue now on the left
        (6, (40, 60), None),  # rotated 90 cw: width and height swap
        (8, (40, 60), None),
    ],
)
def test_exif_orientation_is_applied_to_pixels(
    tmp_path: Path, orientation: int, size: tuple[int, int], left_colour_is_red: bool | None
) -> None:
    source = _write_jpeg(tmp_path / "p.jpg", _photo(), orientation=orientation)
    prepared = prepare_media(MediaFile(path=source), limits_for("facebook"))
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.size == size
        assert 0x0112 not in out.getexif()  # a viewer must not rotate it a second time
        if left_colour_is_red is not None:
            r, _g, b = out.convert("RGB").getpixel((2, size[1] // 2))
            assert (r > b) is left_colour_is_red


def test_png_text_chunks_are_dropped_and_format_kept(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "shot at 12 Elm St")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    path = tmp_path / "flyer.png"
    img = _photo().convert("RGBA")
    img.save(path, "PNG", pnginfo=info, exif=_exif())
    prepared = prepare_media(MediaFile(path=path, mime_type="image/png"), limits_for("x"))
    assert prepared.mime_type == "image/png" and prepared.filename == "flyer.png"
    assert _metadata_markers(prepared.data) == []
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.mode == "RGBA" and out.text == {}


def test_format_the_platform_refuses_becomes_jpeg_flattened_on_white(tmp_path: Path) -> None:
    path = tmp_path / "badge.png"
    img = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    img.paste((10, 120, 10, 255), (0, 0, 25, 50))
    img.save(path, "PNG")
    prepared = prepare_media(MediaFile(path=path, mime_type="image/png"), limits_for("instagram"))
    assert prepared.mime_type == "image/jpeg" and prepared.filename == "badge.jpg"
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.mode == "RGB"
        assert min(out.getpixel((45, 25))) > 240  # transparent area became white, not black


@pytest.mark.parametrize("max_bytes", [900_000, 150_000])  # quality step alone; downscale too
def test_oversized_image_is_reencoded_to_fit(tmp_path: Path, max_bytes: int) -> None:
    source = _write_jpeg(tmp_path / "big.jpg", _noise(1000, 800))
    assert source.stat().st_size > max_bytes
    limits = replace(limits_for("x"), max_image_bytes=max_bytes)
    prepared = prepare_media(MediaFile(path=source), limits)
    assert prepared.size <= max_bytes
    with Image.open(io.BytesIO(prepared.data)) as out:
        out.load()
        assert out.size == (prepared.width, prepared.height)
        # aspect ratio survives any downscale
        assert abs(out.width / out.height - 1000 / 800) < 0.02


def test_image_that_cannot_fit_is_rejected(tmp_path: Path) -> None:
    source = _write_jpeg(tmp_path / "huge.jpg", _noise(400, 400))
    limits = replace(limits_for("x"), max_image_bytes=500)
    with pytest.raises(Rejected, match="huge.jpg: cannot fit within 500 bytes"):
        prepare_media(MediaFile(path=source), limits)


def test_animated_gif_keeps_its_frames(tmp_path: Path) -> None:
    path = tmp_path / "wave.gif"
    frames = [Image.new("P", (30, 30), i) for i in range(3)]
    for f in frames:
        f.putpalette([c for i in range(256) for c in (i, 255 - i, 128)])
    frames[0].save(
        path,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=120,
        loop=0,
        comment=b"Elm St",
    )
    prepared = prepare_media(MediaFile(path=path, mime_type="image/gif"), limits_for("x"))
    assert b"Elm St" not in prepared.data
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.format == "GIF" and out.n_frames == 3


@pytest.mark.parametrize(
    ("name", "content", "mime", "message"),
    [
        ("notes.jpg", b"this is not an image", "image/jpeg", "not an image beatpost can read"),
        ("cut.jpg", None, "image/jpeg", "damaged or unreadable"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4", "video upload is not supported"),
        ("missing.jpg", "absent", "image/jpeg", "media file not found"),
    ],
)
def test_unreadable_or_unsupported_files_are_rejected(
    tmp_path: Path, name: str, content: bytes | str | None, mime: str, message: str
) -> None:
    path = tmp_path / name
    if content is None:  # a JPEG truncated half way
        buffer = io.BytesIO()
        _noise(200, 200).save(buffer, "JPEG")
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(Rejected, match=message) as info:
        prepare_media(MediaFile(path=path, mime_type=mime), limits_for("x"))
    assert info.value.platform == "x"


@pytest.mark.parametrize(
    ("mode", "colour", "fmt", "platform", "mime", "expected_pixel"),
    [
        ("CMYK", (0, 255, 255, 0), "JPEG", "x", "image/jpeg", (255, 0, 0)),  # red ink
        ("L", 128, "PNG", "instagram", "image/jpeg", (128, 128, 128)),
        ("I;16", 30000, "PNG", "x", "image/png", 117),  # scaled to 8 bits, not clipped
        ("RGBA", (0, 0, 255, 128), "WEBP", "facebook", "image/png", (0, 0, 255, 128)),
        ("RGB", (10, 200, 30), "BMP", "x", "image/jpeg", (10, 200, 30)),
    ],
)
def test_colour_modes_and_formats_convert_faithfully(
    tmp_path: Path, mode, colour, fmt, platform, mime, expected_pixel
) -> None:
    path = tmp_path / f"img.{fmt.lower()}"
    Image.new(mode, (40, 30), colour).save(
        path, fmt, **({"lossless": True} if fmt == "WEBP" else {})
    )
    prepared = prepare_media(MediaFile(path=path), limits_for(platform))
    assert prepared.mime_type == mime
    with Image.open(io.BytesIO(prepared.data)) as out:
        pixel = out.getpixel((20, 15))
        if isinstance(expected_pixel, int):
            pixel = pixel if isinstance(pixel, int) else pixel[0]
            assert abs(pixel - expected_pixel) <= 2
        else:
            got = pixel if isinstance(pixel, tuple) else (pixel,) * 3
            assert all(abs(a - b) <= 12 for a, b in zip(got, expected_pixel, strict=False))


def test_oversized_opaque_png_photo_becomes_a_full_size_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    _noise(600, 500).save(path, "PNG")
    limits = replace(limits_for("x"), max_image_bytes=400_000)
    assert path.stat().st_size > limits.max_image_bytes
    prepared = prepare_media(MediaFile(path=path, mime_type="image/png"), limits)
    assert prepared.mime_type == "image/jpeg" and prepared.filename == "scan.jpg"
    assert prepared.size <= 400_000


def test_oversized_png_with_transparency_stays_png_and_shrinks(tmp_path: Path) -> None:
    path = tmp_path / "badge.png"
    img = _noise(600, 500).convert("RGBA")
    img.putalpha(200)
    img.save(path, "PNG")
    limits = replace(limits_for("x"), max_image_bytes=600_000)
    prepared = prepare_media(MediaFile(path=path, mime_type="image/png"), limits)
    assert prepared.mime_type == "image/png"
    assert prepared.size <= 600_000 and prepared.width < 600


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda p: gif_bomb(p / "bomb.gif"),
            "image is 4000x4000 pixels x 60 frames, over the 50 megapixels",
            id="776 KB gif of 60 frames at 4000x4000",
        ),
        pytest.param(
            lambda p: jpeg_claiming(p / "bomb.jpg", 8000, 9000),
            "image is 8000x9000 pixels, over the 50 megapixels",
            id="tiny jpeg claiming 8000x9000",
        ),
        pytest.param(
            lambda p: png_claiming(p / "bomb.png", 12500, 12000),
            "image is 12500x12000 pixels, over the 50 megapixels",
            id="150-megapixel png",
        ),
        pytest.param(
            lambda p: gif_bomb(p / "long.gif", (10, 10), 400),
            "x 400 frames, over .* 300 frames",
            id="400 frames",
        ),
    ],
)
# Pillow warns from 89 megapixels; beatpost silences it process-wide (its own check follows),
# as pytest's per-test filters cannot show (tests/campaigns/test_media.py runs a process).
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bombs_are_refused_before_decoding(tmp_path: Path, make, message) -> None:
    path = make(tmp_path)
    started = time.monotonic()
    with pytest.raises(Rejected, match=message):
        prepare_media(MediaFile(path=path, mime_type="image/gif"), limits_for("x"))
    assert time.monotonic() - started < 2


def test_the_decode_budget_is_the_one_validate_applies() -> None:
    assert (media._MAX_PIXELS, media._MAX_SIDE, media._MAX_FRAMES) == (
        bounds.MAX_IMAGE_PIXELS,
        bounds.MAX_IMAGE_SIDE,
        bounds.MAX_IMAGE_FRAMES,
    )


def test_large_jpeg_is_decoded_at_reduced_scale(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(media, "_FULL_DECODE_PIXELS", 10_000)
    jpeg = tmp_path / "big.jpg"
    _photo(400, 300).save(jpeg, "JPEG")
    png = tmp_path / "big.png"
    _photo(400, 300).save(png, "PNG")
    out = prepare_media(MediaFile(path=jpeg, mime_type="image/jpeg"), limits_for("x"))
    assert (out.width, out.height) == (100, 75)  # a quarter: 7,500 pixels, under 10,000
    with Image.open(io.BytesIO(out.data)) as img:
        assert img.getpixel((10, 40))[0] > 200 and img.getpixel((90, 40))[2] > 200
    out = prepare_media(MediaFile(path=png, mime_type="image/png"), limits_for("x"))
    assert (out.width, out.height) == (400, 300)  # only JPEG decodes at a smaller scale
