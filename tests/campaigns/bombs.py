"""Image files that claim far more pixels than their bytes hold: decompression bombs.

Made cheaply: one frame is encoded and repeated, or a small file's header is rewritten.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image


def gif_bomb(path: Path, size: tuple[int, int] = (4000, 4000), frames: int = 60) -> Path:
    """An animated GIF of ``frames`` one-colour frames of ``size`` (60 x 4000x4000: ~0.8 MB)."""
    buffer = io.BytesIO()
    Image.new("P", size, 1).save(buffer, "GIF")
    data = buffer.getvalue()
    flags = data[10]
    start = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    frame = data[start:-1]  # extensions and image block, without the trailer ';'
    path.write_bytes(data[:start] + frame * frames + b";")
    return path


def jpeg_claiming(path: Path, width: int, height: int) -> Path:
    """A tiny JPEG whose header claims ``width`` x ``height`` (8000x9000 in under 1 KB)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header (IHDR, checksum fixed) claims ``width`` x ``height``."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1), 0).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def cut_short(source: Path, path: Path, keep: float = 0.5) -> Path:
    """``source`` with only its first ``keep`` share of bytes."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def jpeg_header_only(source: Path, path: Path) -> Path:
    """``source`` (a JPEG) up to where its compressed pixels start."""
    data = source.read_bytes()
    path.write_bytes(data[: data.index(b"\xff\xda")])
    return path
