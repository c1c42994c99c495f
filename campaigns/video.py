"""What a video file is, read from the file itself with PyAV (FFmpeg's demuxers), and how it
measures up to each platform's video limits (``connectors/limits.py``, passed in).

Only headers are read, plus the first frame (for the rotation a phone records vertical video
with): probing a 500 MB clip costs a few megabytes and milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaigns.captions import clock, coverage_problems, read_captions
from campaigns.media import inspect
from campaigns.model import MediaSpec
from campaigns.reader import Reader
from campaigns.types import MediaRef

_PLATFORM_NAMES = {"x": "X", "linkedin": "LinkedIn"}

# What burns captions into an Instagram copy (connectors/burn_captions.py) re-encodes with.
BURN_ENCODER = "libx264"

_CONTAINERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov"}
# Metadata keys that place the camera (QuickTime ``©xyz`` reads back as ``location``; Apple
# phones also write ``com.apple.quicktime.location.ISO6709``; Android ``location``).
_LOCATION_MARKS = ("location", "iso6709", "xyz", "gps")
_DEVICE_MARKS = ("make", "model", "serial", "software")


@dataclass(frozen=True)
class VideoProbe:
    path: Path
    problem: str | None = None  # why the file cannot be used at all
    container: str = ""  # "mp4" | "mov"
    video_codec: str = ""  # FFmpeg's names: "h264", "hevc", "vp9", ...
    audio_codec: str | None = None  # None: no sound track
    audio_channels: int = 0
    duration: float = 0.0  # seconds
    width: int = 0  # as shown (rotation applied)
    height: int = 0
    fps: float = 0.0
    bitrate: int = 0  # bits per second, whole file
    size: int = 0
    has_location: bool = False
    has_device: bool = False

    @property
    def ratio(self) -> float:
        return self.width / self.height if self.height else 0.0

    @property
    def ratio_words(self) -> str:
        return ratio_words(self.width, self.height)


def ratio_words(width: int, height: int) -> str:
    """``1080x1920`` -> ``9:16``; an odd size -> ``0.61:1``."""
    known = {
        (9, 16),
        (16, 9),
        (1, 1),
        (4, 5),
        (5, 4),
        (4, 3),
        (3, 4),
        (3, 1),
        (1, 3),
        (191, 100),
        (2, 3),
        (3, 2),
    }
    if not width or not height:
        return "unknown"
    for w, h in known:
        if abs(width / height - w / h) < 0.01:
            return "1.91:1" if (w, h) == (191, 100) else f"{w}:{h}"
    divisor = math.gcd(width, height)
    if width // divisor <= 32 and height // divisor <= 32:
        return f"{width // divisor}:{height // divisor}"
    return f"{width / height:.2f}:1"


def probe(path: Path) -> VideoProbe:
    """Read ``path``'s streams and tags; never raises for a damaged file."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    try:
        size = path.stat().st_size
        container = av.open(str(path), metadata_errors="ignore")
    except (OSError, av.FFmpegError) as exc:
        del exc
        return VideoProbe(
            path,
            "the file is damaged or not really a video; export it again "
            "as MP4 (H.264 video, AAC sound)",
        )
    with container:
        return _describe(path, container, size)


def _describe(path: Path, container: Any, size: int) -> VideoProbe:
    if not container.streams.video:
        return VideoProbe(path, "the file has no video track", size=size)
    video = container.streams.video[0]
    audio = container.streams.audio[0] if container.streams.audio else None
    tags = {k.lower(): v for k, v in container.metadata.items()}
    for stream in container.streams:
        tags.update({k.lower(): v for k, v in stream.metadata.items()})
    duration = (container.duration or 0) / 1_000_000
    if not duration and video.duration and video.time_base:
        duration = float(video.duration * video.time_base)
    rate = video.average_rate or video.guessed_rate
    width, height = video.codec_context.width, video.codec_context.height
    if _rotation(container) in (90, -90, 270, -270):
        width, height = height, width
    kind = _CONTAINERS.get(path.suffix.lower(), "")
    if tags.get("major_brand", "").strip() == "qt":
        kind = "mov"
    return VideoProbe(
        path,
        container=kind or (container.format.name.split(",")[0]),
        video_codec=video.codec_context.name,
        audio_codec=audio.codec_context.name if audio is not None else None,
        audio_channels=(audio.codec_context.channels if audio is not None else 0),
        duration=duration,
        width=width,
        height=height,
        fps=float(rate) if rate else 0.0,
        bitrate=int(container.bit_rate or (size * 8 / duration if duration else 0)),
        size=size,
        has_location=any(mark in key for key in tags for mark in _LOCATION_MARKS),
        has_device=any(
            key.endswith(mark) or f"{mark}." in key for key in tags for mark in _DEVICE_MARKS
        ),
    )


def _rotation(container: Any) -> int:
    """The display rotation phones record vertical video with (read from the first frame)."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    try:
        for frame in container.decode(video=0):
            return int(round(getattr(frame, "rotation", 0) or 0))
    except (av.FFmpegError, ValueError):
        return 0
    return 0


def _mb(size: float) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"


def limit_problems(info: VideoProbe, rules: Any) -> list[str]:
    """Each way ``info`` breaks ``rules`` (a ``connectors.VideoLimits``), with the fix."""
    name = rules.label
    out: list[str] = []
    if info.container not in rules.containers:
        out.append(
            f"{name} take {' or '.join(c.upper() for c in rules.containers)} files; "
            f"this is {info.container.upper() or 'another format'} — export it as MP4"
        )
    if info.video_codec not in rules.video_codecs:
        out.append(
            f"{name} need {' or '.join(_codec(c) for c in rules.video_codecs)} video; "
            f"this is {_codec(info.video_codec)} — export it as MP4 with H.264 video"
        )
    if info.audio_codec is not None and info.audio_codec not in rules.audio_codecs:
        out.append(
            f"{name} need {' or '.join(_codec(c) for c in rules.audio_codecs)} sound; "
            f"this is {_codec(info.audio_codec)} — export the sound as AAC"
        )
    if info.audio_channels > rules.max_audio_channels:
        out.append(
            f"{name} take mono or stereo sound; this has {info.audio_channels} "
            "channels — export it as stereo"
        )
    ratio_ok = rules.min_ratio - 0.01 <= info.ratio <= rules.max_ratio + 0.01
    length_ok = rules.min_seconds <= info.duration <= rules.max_seconds + 0.05
    if not ratio_ok or not length_ok:
        fixes = [] if ratio_ok else [rules.ratio_fix]
        if not length_ok:
            fixes.append(
                "cut it shorter" if info.duration > rules.max_seconds else "use a longer clip"
            )
        any_shape = rules.min_ratio <= 0 and rules.max_ratio == float("inf")
        shape, shown = ("", "") if any_shape else (f"{rules.ratio_words} ", f"{info.ratio_words}, ")
        out.append(
            f"{name} need {shape}between {_span(rules.min_seconds)} and "
            f"{_span(rules.max_seconds)}; this is {shown}"
            f"{_span(info.duration)} — {'; '.join(fixes)}"
        )
    if info.width > rules.max_width or info.height > rules.max_height:
        out.append(
            f"{name} take at most {rules.max_width}x{rules.max_height} pixels; this is "
            f"{info.width}x{info.height} — export it at 1080p"
        )
    max_pixels = getattr(rules, "max_pixels", None)
    if max_pixels and info.width * info.height > max_pixels:
        out.append(
            f"{name} take at most {max_pixels:,} pixels a frame; this is {info.width}x"
            f"{info.height} ({info.width * info.height:,}) — export it at 1080p"
        )
    if info.width < rules.min_width or info.height < rules.min_height:
        out.append(
            f"{name} need at least {rules.min_width}x{rules.min_height} pixels; this is "
            f"{info.width}x{info.height} — export it at 1080p"
        )
    if info.fps and not rules.min_fps - 0.5 <= info.fps <= rules.max_fps + 0.5:
        out.append(
            f"{name} take {rules.min_fps:g} to {rules.max_fps:g} frames a second; this "
            f"is {info.fps:.3g} — export it at 30 frames a second"
        )
    if info.bitrate > rules.max_bitrate:
        out.append(
            f"{name} take at most {rules.max_bitrate / 1_000_000:g} Mbit/s; this is "
            f"{info.bitrate / 1_000_000:.1f} — export it at a lower bitrate (8 Mbit/s "
            "is plenty for 1080p)"
        )
    if info.size < getattr(rules, "min_bytes", 0):
        out.append(
            f"{name} take files of at least {rules.min_bytes // 1024} KB; this is "
            f"{info.size / 1024:.0f} KB — export it at a higher quality"
        )
    if info.size > rules.max_bytes:
        out.append(
            f"{name} take files up to {_mb(rules.max_bytes)}; this is {_mb(info.size)} "
            "— export it at a lower bitrate or cut it shorter"
        )
    return out


def _span(seconds: float) -> str:
    if seconds == float("inf"):
        return "any length"
    if seconds >= 60 and abs(seconds / 60 - round(seconds / 60)) < 1e-6:
        return f"{round(seconds / 60)} min"
    if seconds > 300:
        return clock(seconds)
    return f"{round(seconds, 1):g} s"


def _codec(name: str) -> str:
    return {
        "h264": "H.264",
        "hevc": "HEVC (H.265)",
        "aac": "AAC",
        "mp3": "MP3",
        "prores": "ProRes",
        "vp9": "VP9",
        "av1": "AV1",
        "opus": "Opus",
        "pcm_s16le": "uncompressed PCM",
    }.get(name, name or "unknown")


_probes: dict[tuple[str, int, int], VideoProbe] = {}


def probe_cached(path: Path) -> VideoProbe:
    """``probe`` once per file version per run (a post checks its video for every platform)."""
    try:
        stat = path.stat()
    except OSError:
        return VideoProbe(path, "file not found")
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _probes:
        _probes[key] = probe(path)
    return _probes[key]


def check_video(
    spec: MediaSpec,
    post_id: str,
    platform: str,
    rules: Any,
    reader: Reader,
    first_time: bool,
    seen: bool,
) -> MediaRef:
    """Check the video ``spec`` of post ``post_id`` for ``platform`` (``rules``: its
    PlatformLimits); report on ``reader``. The platform-free checks (captions, alt text,
    location) run once per file."""
    info = probe_cached(spec.path)
    placements = dict(getattr(rules, "video", None) or {})
    chosen = spec.placement.get(platform)
    placement = chosen[0] if chosen else next(iter(placements), None)
    mime = "video/quicktime" if spec.path.suffix.lower() == ".mov" else "video/mp4"
    limits = placements.get(placement) if placement is not None else None
    # Captions are burned in where the platform takes no captions file (Instagram, Mastodon).
    burnable = platform == "instagram" or (limits is not None and not limits.caption_tracks)
    ref = MediaRef(
        spec.path,
        spec.alt or "",
        mime,
        captions=spec.captions.path if spec.captions else None,
        placement=placement,
        cover=spec.cover.path if spec.cover else None,
        cover_at=spec.cover_at,
        burn_captions=True if spec.burn_captions and burnable else None,
    )
    if info.problem is not None:
        if first_time:
            reader.error(spec.where, f"{spec.written}: {info.problem}")
        return ref
    if first_time:
        _check_once(spec, info, reader)
    if seen:
        return ref
    name = _PLATFORM_NAMES.get(platform, platform.capitalize())
    if not placements:
        # The platform takes video itself, but beatpost does not upload it there yet.
        reader.error(
            spec.where,
            f"{spec.written}: {name} videos are not supported by beatpost yet; "
            f"leave {platform} out of this post's platforms",
        )
        return ref
    if placement not in placements:
        where = chosen[1] if chosen else spec.where
        reader.error(
            where, f"unknown {name} placement {placement!r}; choose from {', '.join(placements)}"
        )
        return ref
    for problem in limit_problems(info, placements[placement]):
        reader.error(spec.where, f"{spec.written}: {problem}")
    _check_caption_track(spec, placements[placement], reader)
    _check_cover(spec, post_id, name, placements[placement], reader)
    if ref.burn_captions and not _can_burn():
        reader.error(
            spec.where,
            f"{spec.written}: burn_captions: true needs the {BURN_ENCODER} video encoder, which "
            "this installation of PyAV lacks; reinstall it with `make` (PyAV's wheels bundle "
            "it) or remove burn_captions",
        )
    return ref


def _check_caption_track(spec: MediaSpec, rules: Any, reader: Reader) -> None:
    """What the platform does with the captions file: none taken (Mastodon) is a warning
    unless they are burned in; a file over the platform's size (Bluesky) is an error."""
    if spec.captions is None:
        return
    if not rules.caption_tracks and not spec.burn_captions:
        reader.warning(
            spec.where,
            f"{spec.written}: {rules.label} have no captions track (the API takes no captions "
            "file), so viewers there see no captions; add burn_captions: true to draw them "
            "into the picture",
        )
    limit = rules.max_captions_bytes
    try:
        size = spec.captions.path.stat().st_size
    except OSError:
        return  # reported once, where the captions file is read
    if limit and size > limit:
        reader.error(
            spec.captions.where,
            f"{spec.captions.written}: {rules.label} take caption files up to {limit:,} bytes; "
            f"this is {size:,} — split the video or shorten the cues",
        )


def _check_cover(spec: MediaSpec, post_id: str, name: str, rules: Any, reader: Reader) -> None:
    """A cover the platform takes no such thing for (its ``cover_image`` and ``cover_frame``
    in connectors/video_limits.py) is a warning: it is not sent, the platform picks its own."""
    if spec.cover_at is not None and not rules.cover_frame:
        instead = "; give a cover: image instead" if rules.cover_image else ""
        reader.warning(
            spec.cover_at_where or spec.where,
            f"post {post_id!r}: {rules.label} take no cover_at moment, so this cover will "
            f"not be used on {name} ({name} picks its own){instead}",
        )
    if spec.cover is not None and not rules.cover_image:
        reader.warning(
            spec.cover.where,
            f"post {post_id!r}: {rules.label} take no cover image, so {spec.cover.written} "
            f"will not be used on {name} ({name} picks its own)",
        )


def _can_burn() -> bool:
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    return BURN_ENCODER in av.codecs_available


def _check_once(spec: MediaSpec, info: VideoProbe, reader: Reader) -> None:
    if not spec.alt:
        reader.error(
            spec.where,
            f"{spec.written}: alt text is missing; add alt: describing "
            "the video (who speaks, where) for people using screen readers",
        )
    if spec.captions is None:
        reader.error(
            spec.where,
            f"{spec.written}: a video needs captions; add captions: naming "
            "its .srt or .vtt file (ADA Title II: WCAG 2.1 AA asks for "
            "captions on every recorded video a public agency posts)",
        )
    else:
        captions = read_captions(spec.captions.path)
        where, written = spec.captions.where, spec.captions.written
        if captions.problem is not None:
            reader.error(where, f"{written}: {captions.problem}")
        else:
            for problem in coverage_problems(captions, info.duration):
                reader.error(where, f"{written}: {problem}")
    if info.has_location:
        reader.warning(
            spec.where,
            f"{spec.written} carries a location (GPS position) in its "
            "metadata, which tells anyone where it was filmed; beatpost "
            "removes it from the copy it uploads, but not from this file",
        )
    if spec.cover is not None:
        cover = inspect(spec.cover.path)
        if cover.problem is not None or not cover.is_image:
            reader.error(
                spec.cover.where,
                f"{spec.cover.written}: {cover.problem or 'the cover must be an image'}",
            )
    if spec.cover_at is not None and spec.cover_at > info.duration:
        reader.error(
            spec.where,
            f"{spec.written}: cover_at {spec.cover_at:g}s is after the end "
            f"of the video ({clock(info.duration)})",
        )
