"""Media preparation shared by every connector: strip metadata, fit the platform's size limit.

An officer's photo can reveal where the officer lives (GPS position), which phone took it
(serial number) and when. So no uploaded image keeps its original container: the pixels are
decoded, the EXIF orientation is applied to them, and a fresh image is encoded from the pixels
alone — no EXIF, GPS, XMP, IPTC, comments or text chunks survive. An embedded colour profile is
converted to sRGB first and then dropped, so colours stay right without carrying the profile
(whose description can name the device).

Images over ``limits.max_image_bytes`` are re-encoded at falling quality, then downscaled, until
they fit. Anything unreadable or unsupported raises ``Rejected``, which the daemon treats as
permanent: a person has to replace the file.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from connectors.base import MediaFile, PlatformLimits
from connectors.errors import Rejected

# Pillow format name -> (mime type, file extension)
_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
    "BMP": ("image/bmp", ".bmp"),
    "TIFF": ("image/tiff", ".tiff"),
}
_MIME_TO_FORMAT = {mime: fmt for fmt, (mime, _ext) in _FORMATS.items()}

# Lossy re-encoding steps, best first. Below 60 recruitment photos visibly suffer, so past that
# point we trade resolution instead.
_QUALITY_STEPS = (90, 85, 80, 75, 70, 60)
_DOWNSCALE_FACTOR = 0.8
# Refuse to shrink below this (longest side, pixels): a smaller picture is not worth posting,
# and a person should pick a better file.
_MIN_LONG_SIDE = 320
# Decompression bombs: checked from the header before anything is decoded, so the memory a
# decode takes stays bounded (about 4 bytes a pixel per copy). The same budget as
# campaigns.bounds, which ``validate`` applies: a validated image is always preparable.
_MAX_SIDE = 16_384
_MAX_PIXELS = 50_000_000  # width x height x frames
_MAX_FRAMES = 300
_ANIMATED = ("GIF", "WEBP")  # every frame is posted; other formats post their first
# A JPEG over this is decoded at half (or a quarter...) scale, straight from its DCT blocks:
# a fraction of the memory, and still more pixels than any platform shows (X 4096 a side,
# Facebook 2048, Instagram 1440, Mastodon 8.3 megapixels).
_FULL_DECODE_PIXELS = 16_000_000
# Pillow's own warning (printed raw, at a higher count) would only repeat the check above.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


@dataclass(frozen=True)
class PreparedMedia:
    """Bytes ready to upload: metadata stripped, orientation applied, within the size limit."""

    data: bytes
    mime_type: str
    filename: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)


def prepare_media(media: MediaFile, limits: PlatformLimits) -> PreparedMedia:
    """Return ``media`` re-encoded from pixels only, fitting ``limits``; raise ``Rejected``."""
    platform = limits.platform
    path = Path(media.path)
    if media.mime_type in limits.video_types or media.mime_type.startswith("video/"):
        # Pillow cannot rewrite video containers, and a video's metadata (location, device) is
        # as revealing as a photo's; refusing is safer than uploading it untouched.
        raise Rejected(
            f"{path.name}: video upload is not supported yet (its metadata cannot be stripped); "
            "use an image",
            platform=platform,
        )
    frames, source_format = _decode(path, platform)
    target = _target_format(source_format, frames, limits, path)
    converted = [_to_mode_for(frame, target) for frame in frames]
    if _better_as_jpeg(converted, target, limits):
        # An opaque photo saved as PNG/BMP/TIFF over the limit: JPEG fits it at full size,
        # where shrinking a lossless encoding step by step would cost resolution and minutes.
        target = "JPEG"
        converted = [_to_mode_for(frame, target) for frame in frames]
    data, converted = _encode_within(converted, target, limits.max_image_bytes, path, platform)
    frames = converted
    mime, ext = _FORMATS[target]
    width, height = frames[0].size
    return PreparedMedia(
        data=data, mime_type=mime, filename=path.stem + ext, width=width, height=height
    )


def _decode(path: Path, platform: str) -> tuple[list[Image.Image], str]:
    """Open ``path`` and return its frames as metadata-free images, orientation applied."""
    try:
        with Image.open(path) as img:
            source_format = img.format or ""
            count = img.n_frames if source_format in _ANIMATED else 1  # headers only
            _check_budget(img.width, img.height, count, path, platform)
            scale = 1
            while img.width * img.height > _FULL_DECODE_PIXELS * scale * scale and scale < 8:
                scale *= 2
            if scale > 1 and source_format == "JPEG":
                img.draft(img.mode, (img.width // scale, img.height // scale))
            frames = [_clean_frame(frame) for frame in _frames(img, count)]
    except FileNotFoundError:
        raise Rejected(f"{path}: media file not found", platform=platform) from None
    except IsADirectoryError:
        raise Rejected(f"{path}: is a folder, not a media file", platform=platform) from None
    except UnidentifiedImageError:
        raise Rejected(
            f"{path.name}: not an image beatpost can read (JPEG, PNG, GIF, WebP, BMP, TIFF)",
            platform=platform,
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Rejected(
            f"{path.name}: image has too many pixels to process safely", platform=platform
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        # Truncated or corrupt files surface as OSError/SyntaxError from the decoders.
        raise Rejected(
            f"{path.name}: image is damaged or unreadable ({exc})", platform=platform
        ) from None
    if source_format not in _FORMATS:
        raise Rejected(f"{path.name}: unsupported image format {source_format}", platform=platform)
    return frames, source_format


def _check_budget(width: int, height: int, frames: int, path: Path, platform: str) -> None:
    if (
        max(width, height) > _MAX_SIDE
        or frames > _MAX_FRAMES
        or (width * height * frames > _MAX_PIXELS)
    ):
        each = f" x {frames} frames" if frames > 1 else ""
        raise Rejected(
            f"{path.name}: image is {width}x{height} pixels{each}, over the "
            f"{_MAX_PIXELS // 1_000_000} megapixels (at most {_MAX_SIDE:,} a side and "
            f"{_MAX_FRAMES} frames) beatpost decodes; resize it",
            platform=platform,
        )


def _frames(img: Image.Image, count: int) -> Iterator[Image.Image]:
    if count > 1:
        yield from ImageSequence.Iterator(img)
    else:
        yield img


def _clean_frame(frame: Image.Image) -> Image.Image:
    """A new image holding only ``frame``'s pixels (orientation applied, colours in sRGB)."""
    oriented = ImageOps.exif_transpose(frame) or frame
    oriented = _to_srgb(oriented)
    if oriented.mode == "P":
        # Keep palette images as palettes (GIF), carrying the palette and transparency index.
        clean = Image.frombytes("P", oriented.size, oriented.tobytes())
        clean.putpalette(oriented.getpalette() or [])
        if "transparency" in oriented.info and isinstance(oriented.info["transparency"], int):
            clean.info["transparency"] = oriented.info["transparency"]
    else:
        if oriented.mode in ("I", "I;16", "I;16B", "I;16L"):
            # 16-bit greyscale (scans, some phone HDR exports): scale to 8 bits, not clip.
            oriented = oriented.convert("I").point(lambda v: v / 256).convert("L")
        if oriented.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            oriented = oriented.convert("RGBA" if _has_alpha(oriented) else "RGB")
        clean = Image.frombytes(oriented.mode, oriented.size, oriented.tobytes())
    if "duration" in frame.info:
        clean.info["duration"] = frame.info["duration"]
    return clean


def _to_srgb(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            img, source, ImageCms.createProfile("sRGB"), outputMode=out_mode
        )
        return converted if converted is not None else img
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken profile is dropped and the pixels taken as they are.
        return img


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info


def _target_format(
    source_format: str, frames: list[Image.Image], limits: PlatformLimits, path: Path
) -> str:
    """Keep the file's format when the platform takes it; otherwise the best accepted one."""
    accepted = [_MIME_TO_FORMAT[m] for m in limits.image_types if m in _MIME_TO_FORMAT]
    if not accepted:
        raise Rejected(
            f"{path.name}: {limits.platform} accepts no images", platform=limits.platform
        )
    if source_format in accepted:
        return source_format
    wants_alpha = any(_has_alpha(f) for f in frames)
    preference = ("PNG", "WEBP", "JPEG") if wants_alpha else ("JPEG", "PNG", "WEBP")
    for fmt in preference:
        if fmt in accepted:
            return fmt
    return accepted[0]


def _better_as_jpeg(frames: list[Image.Image], fmt: str, limits: PlatformLimits) -> bool:
    if fmt in ("JPEG", "WEBP") or len(frames) > 1 or "image/jpeg" not in limits.image_types:
        return False
    if _has_alpha(frames[0]) or frames[0].mode in ("1", "P"):
        return False  # transparency, line art and palettes are what lossless formats are for
    return len(_encode(frames, fmt, 0)) > limits.max_image_bytes


def _to_mode_for(frame: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        if _has_alpha(frame):
            # Flatten onto white: JPEG has no transparency and black fringes look broken.
            rgba = frame.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return frame if frame.mode in ("L", "RGB") else frame.convert("RGB")
    if fmt == "GIF":
        return frame if frame.mode in ("P", "L") else frame.convert("P", palette=Image.ADAPTIVE)
    if fmt in ("BMP", "TIFF") and frame.mode in ("LA", "P"):
        return frame.convert("RGBA" if _has_alpha(frame) else "RGB")
    return frame


def _encode(frames: list[Image.Image], fmt: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    first = frames[0]
    options: dict[str, object] = {}
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = quality
    if fmt == "JPEG":
        options.update(optimize=True, progressive=True)
    if fmt == "PNG":
        options["optimize"] = True
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], loop=0)
        if "duration" in first.info:
            options["duration"] = [f.info.get("duration", 100) for f in frames]
    if fmt == "GIF" and "transparency" in first.info:
        options["transparency"] = first.info["transparency"]
    first.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _encode_within(
    frames: list[Image.Image], fmt: str, max_bytes: int, path: Path, platform: str
) -> tuple[bytes, list[Image.Image]]:
    """Encode at falling quality, then at falling size, until the result fits ``max_bytes``."""
    lossy = fmt in ("JPEG", "WEBP")
    qualities = _QUALITY_STEPS if lossy else (0,)
    for quality in qualities:
        data = _encode(frames, fmt, quality)
        if len(data) <= max_bytes:
            return data, frames
    quality = qualities[1] if lossy else 0
    while True:
        width, height = frames[0].size
        new_size = (max(1, int(width * _DOWNSCALE_FACTOR)), max(1, int(height * _DOWNSCALE_FACTOR)))
        if max(new_size) < _MIN_LONG_SIDE:
            raise Rejected(
                f"{path.name}: cannot fit within {max_bytes:,} bytes without shrinking below "
                f"{_MIN_LONG_SIDE} pixels; use a smaller or simpler image",
                platform=platform,
            )
        frames = [_resized(f, new_size) for f in frames]
        data = _encode(frames, fmt, quality)
        if len(data) <= max_bytes:
            return data, frames


def _resized(frame: Image.Image, size: tuple[int, int]) -> Image.Image:
    if frame.mode == "P":
        # Resampling a palette image needs full colour; quantise again afterwards.
        resized = frame.convert("RGBA").resize(size, Image.Resampling.LANCZOS)
        result = resized.convert("P", palette=Image.ADAPTIVE)
    else:
        result = frame.resize(size, Image.Resampling.LANCZOS)
    if "duration" in frame.info:
        result.info["duration"] = frame.info["duration"]
    return result


__all__ = ["PreparedMedia", "prepare_media"]
