"""What a media file is (type, size, dimensions, GPS metadata), read once per file per run."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

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

# Decompression-bomb guard: campaign images are a few megapixels; refuse absurd ones politely.
Image.MAX_IMAGE_PIXELS = 100_000_000


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
            gps = False
            try:
                gps = bool(image.getexif().get_ifd(_GPS_IFD))
            except Exception:  # noqa: BLE001 - malformed EXIF is common and harmless to us
                gps = False
            return MediaInfo(path, None, mime or "application/octet-stream", size,
                             image.width, image.height, gps)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        pass
    ext = os.path.splitext(path.name)[1].lower()
    if ext in _VIDEO_TYPES:
        return MediaInfo(path, None, _VIDEO_TYPES[ext], size)
    guess = mimetypes.guess_type(path.name)[0] or ""
    if guess.startswith("image/"):
        return MediaInfo(path, "the file is damaged or not really an image", guess, size)
    return MediaInfo(path, "not an image or video beatpost can post (use JPEG or PNG)",
                     guess or "application/octet-stream", size)
