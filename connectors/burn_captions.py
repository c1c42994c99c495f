"""Captions burned into the picture, for Instagram and Mastodon when a department asks
(``burn_captions: true``): neither takes a captions file through its API.

FFmpeg's ``subtitles`` filter would do this, but the FFmpeg bundled with PyAV is built without
libass (``av.filter.filters_available`` has no ``subtitles``, ``ass`` or ``drawtext``), so each
frame is decoded, the cue showing at that moment is drawn with Pillow (white text, black
outline, near the bottom) and the frame is re-encoded as H.264 (libx264, bundled with PyAV).
The sound is copied as it is. The input is the metadata-free copy (connectors/video.py) and
the output takes none of its tags, so the burned copy carries no metadata either. Frames are
handled one at a time: memory stays flat however long the video.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import srt
import webvtt
from PIL import Image, ImageDraw, ImageFont

ENCODER = "libx264"


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def read_cues(path: Path) -> list[Cue]:
    """The cues of a SubRip or WebVTT file (already checked by ``validate``)."""
    if path.suffix.lower() == ".vtt":
        return [
            Cue(c.start_in_seconds + c.start_time.milliseconds / 1000, _vtt_end(c), c.text)
            for c in webvtt.read(str(path))
        ]
    text = path.read_text(encoding="utf-8-sig")
    return [Cue(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in srt.parse(text)]


def _vtt_end(caption) -> float:
    return caption.end_in_seconds + caption.end_time.milliseconds / 1000


def _draw(image: Image.Image, text: str) -> Image.Image:
    width, height = image.size
    size = max(10, height // 22)
    font = ImageFont.load_default(size=size)
    draw = ImageDraw.Draw(image)
    lines = _wrap(draw, text, font, int(width * 0.9))
    stroke = max(1, size // 12)
    y = height - int(height * 0.12) - len(lines) * int(size * 1.25)
    for line in lines:
        line_width = draw.textlength(line, font=font)
        draw.text(
            ((width - line_width) / 2, y),
            line,
            font=font,
            fill="white",
            stroke_width=stroke,
            stroke_fill="black",
        )
        y += int(size * 1.25)
    return image


def _draw_shown(image: Image.Image, text: str, rotation: int) -> Image.Image:
    """Draw on the picture as it is shown: a phone's vertical video is recorded sideways with a
    display rotation (degrees counterclockwise), so the text goes at the bottom of what the
    viewer sees, then the picture turns back to the way it was recorded."""
    if not rotation:
        return _draw(image, text)
    return _draw(image.rotate(rotation, expand=True), text).rotate(-rotation, expand=True)


def _rotation(source: Path) -> int:
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    with av.open(str(source)) as container:
        for frame in container.decode(video=0):
            return int(round(getattr(frame, "rotation", 0) or 0)) % 360
    return 0


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and draw.textlength(candidate, font=font) > max_width:
                lines.append(line)
                line = word
            else:
                line = candidate
        if line:
            lines.append(line)
    return lines


def burn_captions(source: Path, captions: Path, target: Path) -> Path:
    """Write ``source`` to ``target`` with the cues of ``captions`` drawn into the picture."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    cues = read_cues(captions)
    rotation = _rotation(source)
    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        vin = inp.streams.video[0]
        rate = vin.average_rate or Fraction(30)
        vout = out.add_stream(ENCODER, rate=rate, options={"crf": "20", "preset": "veryfast"})
        vout.width, vout.height = vin.codec_context.width, vin.codec_context.height
        vout.pix_fmt = "yuv420p"
        vout.time_base = vin.time_base
        if rotation:
            vout.set_display_rotation(rotation)  # pictures stay as recorded, shown as before
        ain = inp.streams.audio[0] if inp.streams.audio else None
        aout = out.add_stream_from_template(ain) if ain is not None else None
        streams = [s for s in (vin, ain) if s is not None]
        for packet in inp.demux(*streams):
            if packet.stream is ain:
                if packet.dts is not None:
                    packet.stream = aout
                    out.mux(packet)
                continue
            for frame in packet.decode():
                at = float(frame.time or 0.0)
                text = next((c.text for c in cues if c.start <= at < c.end), None)
                if text is not None:
                    drawn = av.VideoFrame.from_image(_draw_shown(frame.to_image(), text, rotation))
                    drawn.pts, drawn.time_base = frame.pts, frame.time_base
                    frame = drawn
                for encoded in vout.encode(frame):
                    out.mux(encoded)
        for encoded in vout.encode():
            out.mux(encoded)
    return target
