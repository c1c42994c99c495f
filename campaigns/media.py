"""What a media file is (type, size, dimensions, GPS metadata), read once per file per run."""

from __future__ import annotations

import mimetypes
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from campaigns.bounds import MAX_IMAGE_FRAMES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE

_PIL_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # multi-picture JPEG from phones; a JPEG to every platform
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "HEIF": "image/heic",
}
_VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime"}
_GPS_IFD = 0x8825

# Decompression bombs: the budget in campaigns.bounds is checked from the header, before any
# pixel is decoded. Pillow's own warning (printed raw, at a higher count) would only repeat it.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
_ANIMATED = ("GIF", "WEBP")  # formats whose every frame is posted (connectors.media)
_MEGA = 1_000_000


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    problem: str | None = None  # why the file cannot be used at all
    mime_type: str = "application/octet-stream"
    size: int = 0
    width: int | None = None
    height: int | None = None
    has_gps: bool = False

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def aspect_ratio(self) -> float | None:
        if self.width and self.height:
            return self.width / self.height
        return None


_cache: dict[tuple[str, int, int], MediaInfo] = {}


def inspect(path: Path) -> MediaInfo:
    """Inspect ``path``; never raises for a missing or unreadable file."""
    try:
        stat = path.stat()
    except OSError:
        return MediaInfo(path, problem="file not found")
    if not path.is_file():
        return MediaInfo(path, problem="not a file")
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    info = _cache.get(key)
    if info is None:
        info = _read(path, stat.st_size)
        _cache[key] = info
    return info


def _read(path: Path, size: int) -> MediaInfo:
    try:
        with Image.open(path) as image:
            mime = _PIL_TYPES.get(image.format or "", Image.MIME.get(image.format or "", ""))
            mime = mime or "application/octet-stream"
            width, height = image.size
            frames = image.n_frames if image.format in _ANIMATED else 1  # headers only
            problem = _over_budget(width, height, frames) or _damage(image, frames)
            if problem is not None:
                return MediaInfo(path, problem, mime, size, width, height)
            gps = False
            try:
                gps = bool(image.getexif().get_ifd(_GPS_IFD))
            except Exception:  # noqa: BLE001 - malformed EXIF is common and harmless to us
                gps = False
            return MediaInfo(path, None, mime, size, width, height, gps)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return MediaInfo(
            path,
            f"the image has far more than {MAX_IMAGE_PIXELS // _MEGA} "
            "megapixels, the most beatpost takes; resize it",
            "image/*",
            size,
        )
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        pass
    except Exception:  # noqa: BLE001 - a decoder's own bug in a hostile file: still "damaged"
        pass
    ext = os.path.splitext(path.name)[1].lower()
    if ext in _VIDEO_TYPES:
        return MediaInfo(path, None, _VIDEO_TYPES[ext], size)
    guess = mimetypes.guess_type(path.name)[0] or ""
    if guess.startswith("image/"):
        return MediaInfo(path, "the file is damaged or not really an image", guess, size)
    return MediaInfo(
        path,
        "not an image or video beatpost can post (use JPEG or PNG)",
        guess or "application/octet-stream",
        size,
    )


def _over_budget(width: int, height: int, frames: int) -> str | None:
    """Why an image is too large to decode safely, read from its header alone."""
    if max(width, height) > MAX_IMAGE_SIDE:
        return (
            f"the image is {width}x{height} pixels; beatpost takes at most "
            f"{MAX_IMAGE_SIDE:,} pixels a side (resize it)"
        )
    if frames > MAX_IMAGE_FRAMES:
        return f"the animation has {frames:,} frames; beatpost takes at most {MAX_IMAGE_FRAMES}"
    if width * height * frames > MAX_IMAGE_PIXELS:
        each = f" x {frames} frames" if frames > 1 else ""
        return (
            f"the image is {width}x{height} pixels{each} "
            f"({width * height * frames / _MEGA:.0f} megapixels); beatpost takes at most "
            f"{MAX_IMAGE_PIXELS // _MEGA} (resize it)"
        )
    return None


def _damage(image: Image.Image, frames: int) -> str | None:
    """Decode every frame (within the budget) to find a file cut short or corrupt, which would
    otherwise fail only when it is published. A JPEG is decoded at 1/8 scale: every block is
    still read, in 1/64 of the memory."""
    try:
        if image.format in ("JPEG", "MPO"):
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        for frame in ImageSequence.Iterator(image) if frames > 1 else (image,):
            frame.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        detail = str(exc).split(" (")[0] or type(exc).__name__
        return f"the file is damaged or cut short ({detail}); export the image again"
    return None
