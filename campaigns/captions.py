"""Caption files for videos (SubRip ``.srt`` and WebVTT ``.vtt``), read with ``srt`` and
``webvtt-py`` and checked against the video they belong to.

A public agency's video needs captions (ADA Title II points to WCAG 2.1 AA, whose first
requirement for recorded video is captions), so ``validate`` reads every captions file: it must
parse, reach (close to) the end of the video, and have no cue after the video ends.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import srt
import webvtt
from webvtt.errors import MalformedFileError

# A captions file larger than this is not a captions file (a 15-minute video has ~300 cues,
# some 30 kB); refused before it is parsed.
MAX_CAPTIONS_BYTES = 2 * 1024 * 1024
# Cues may end this long after the last frame (encoders round the duration).
END_SLACK = 0.5
# Captions "cover" the video when the last cue ends no earlier than this before its end
# (the officer stops talking before the fade-out); a quarter of a very short clip.
COVER_SLACK = 3.0
CAPTION_SUFFIXES = (".srt", ".vtt")


@dataclass(frozen=True)
class Cue:
    number: int  # 1-based position in the file
    start: float  # seconds
    end: float
    text: str


@dataclass(frozen=True)
class Captions:
    cues: tuple[Cue, ...] = ()
    problem: str | None = None  # why the file cannot be used at all


def clock(seconds: float) -> str:
    """``83.5`` -> ``1:23.5``: how a person reads a position in a video."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    text = f"{int(minutes)}:{rest:04.1f}"
    return text[:-2] if text.endswith(".0") else text


def read_captions(path: Path) -> Captions:
    """Parse ``path`` (by its suffix); never raises for a bad file."""
    suffix = path.suffix.lower()
    if suffix not in CAPTION_SUFFIXES:
        return Captions(problem="captions must be a SubRip (.srt) or WebVTT (.vtt) file")
    try:
        if path.stat().st_size > MAX_CAPTIONS_BYTES:
            return Captions(problem="is far too large for a captions file (over 2 MB)")
        raw = path.read_bytes()
    except OSError:
        return Captions(problem="file not found")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Captions(problem="is not UTF-8 text; save the captions as UTF-8")
    if suffix == ".srt":
        return _srt(text)
    return _vtt(text)


def _srt(text: str) -> Captions:
    cues: list[Cue] = []
    try:
        for number, sub in enumerate(srt.parse(text, ignore_errors=False), start=1):
            cues.append(
                Cue(number, sub.start.total_seconds(), sub.end.total_seconds(), sub.content.strip())
            )
    except (srt.SRTParseError, ValueError) as exc:
        del exc  # srt's message quotes character offsets; a cue number helps a person more
        where = f"cue {len(cues) + 1}" if cues else "its first cue"
        return Captions(
            problem=f"is not a valid SubRip file: {where} does not read as a "
            "number, then 'HH:MM:SS,mmm --> HH:MM:SS,mmm', then the text"
        )
    return _checked(cues)


def _vtt(text: str) -> Captions:
    try:
        parsed = webvtt.from_buffer(io.StringIO(text))
    except (MalformedFileError, ValueError) as exc:
        return Captions(problem=f"is not a valid WebVTT file ({str(exc)[:120]})")
    cues = [
        Cue(n, _seconds(c.start), _seconds(c.end), c.text.strip())
        for n, c in enumerate(parsed, start=1)
    ]
    return _checked(cues)


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def _checked(cues: list[Cue]) -> Captions:
    if not cues:
        return Captions(problem="has no cues")
    for cue in cues:
        if cue.end <= cue.start:
            return Captions(problem=f"cue {cue.number} ({clock(cue.start)}) ends before it starts")
        if not cue.text:
            return Captions(problem=f"cue {cue.number} ({clock(cue.start)}) has no text")
    return Captions(tuple(cues))


def coverage_problems(captions: Captions, duration: float) -> list[str]:
    """What is wrong with ``captions`` for a video of ``duration`` seconds (each names a cue)."""
    problems: list[str] = []
    for cue in captions.cues:
        if cue.end > duration + END_SLACK:
            problems.append(
                f"cue {cue.number} ({clock(cue.start)} to {clock(cue.end)}) runs "
                f"past the end of the video ({clock(duration)}); fix its times "
                "or export the captions for this cut of the video"
            )
    last = max(captions.cues, key=lambda c: c.end, default=None)
    slack = min(COVER_SLACK, duration / 4)
    if last is not None and last.end < duration - slack:
        problems.append(
            f"the captions stop at {clock(last.end)} (cue {last.number}) but the "
            f"video runs {clock(duration)}; caption the whole video"
        )
    return problems
