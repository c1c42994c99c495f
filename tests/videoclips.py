"""Small real video clips made in the test with PyAV: H.264 + AAC, with the metadata a phone
writes (a GPS position, the device, the moment it was filmed)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

GPS = "+40.7128-074.0060/"
GPS_APPLE = "+40.7128-074.0060+010.000/"
DEVICE_MODEL = "iPhone 15 Pro"
SERIAL = "F2LXK9QWJ1"
PHONE_TAGS = {
    "location": GPS,
    "com.apple.quicktime.location.ISO6709": GPS_APPLE,
    "make": "Apple",
    "model": DEVICE_MODEL,
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": DEVICE_MODEL,
    "com.apple.quicktime.serial": SERIAL,
    "creation_time": "2026-11-02T10:00:00.000000Z",
}


def make_clip(
    path: Path,
    *,
    size: tuple[int, int] = (16, 16),
    seconds: float = 2.0,
    fps: int = 25,
    tags: dict[str, str] | None = None,
    audio: bool = True,
    quicktime_atoms: bool = False,
    noise: bool = False,
    rotation: int = 0,
) -> Path:
    """Write a clip. ``quicktime_atoms``: write tags the way QuickTime does (``©xyz`` and
    friends, .mov) rather than as MP4 ``mdta`` keys. ``noise``: random pixels (large files).
    ``rotation``: a display rotation (degrees counterclockwise), as phones record vertical video."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {} if quicktime_atoms else {"movflags": "use_metadata_tags"}
    fmt = "mov" if quicktime_atoms or path.suffix.lower() == ".mov" else "mp4"
    width, height = size
    rng = np.random.default_rng(7)
    with av.open(str(path), "w", format=fmt, options=options) as out:
        out.metadata.update(PHONE_TAGS if tags is None else tags)
        video = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
        if noise:
            video.bit_rate = 20_000_000
        sound = out.add_stream("aac", rate=48000) if audio else None
        for i in range(round(seconds * fps)):
            if noise:
                pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            else:
                pixels = np.full((height, width, 3), (i * 5) % 255, np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            out.mux(video.encode(frame))
        out.mux(video.encode())
        if sound is not None:
            pts = 0
            while pts < seconds * 48000:
                chunk = av.AudioFrame.from_ndarray(
                    np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
                )
                chunk.sample_rate, chunk.pts = 48000, pts
                pts += 1024
                out.mux(sound.encode(chunk))
            out.mux(sound.encode())
    return path


def make_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    def stamp(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"

    blocks = [
        f"{n}\n{stamp(a)} --> {stamp(b)}\n{text}\n" for n, (a, b, text) in enumerate(cues, start=1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path
