"""Videos leave without their metadata: a stream copy (no re-encoding) into a fresh container.

A phone writes where a clip was filmed (QuickTime ``©xyz`` and
``com.apple.quicktime.location.ISO6709``, Android ``location``), the device (make, model,
serial number) and when, both as container tags and in timed metadata tracks. ``strip_video``
copies only the first video and the first sound track, packet by packet, through PyAV (FFmpeg's
own demuxer and muxer), into a new MP4/MOV whose container and track tags are empty; every other
track (metadata, chapters, timecode) is left behind. The pictures and sound are not touched, so
nothing is lost and it takes seconds, not minutes. Memory stays flat: packets are read and
written one at a time, and the check afterwards reads the result in 1 MB chunks.

Then ``assert_clean`` reads the copy back twice, with PyAV (no tag) and as raw bytes (none of the
location atoms, nor any value the original's tags had, in any box but the media data), and
refuses to upload if anything is left (``Rejected``).
"""

from __future__ import annotations

import contextlib
import os
import secrets as _random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from connectors.base import MediaFile, OutgoingPost
from connectors.errors import ConnectorError, Rejected
from connectors.video_wait import wait_until_processed

CHUNK = 1024 * 1024
# Markers of location metadata in any MP4/MOV, whatever the value.
_MARKERS = (
    b"\xa9xyz",
    b"ISO6709",
    b"com.apple.quicktime.location",
    b"com.apple.quicktime.make",
    b"com.apple.quicktime.model",
    b"com.apple.quicktime.serial",
    b"\xa9mak",
    b"\xa9mod",
)
# Tags FFmpeg sets itself from the file's structure: not personal, not worth searching for.
_HARMLESS = {
    "major_brand",
    "minor_version",
    "compatible_brands",
    "handler_name",
    "vendor_id",
    "language",
    "encoder",
    "duration",
}


@dataclass(frozen=True)
class StrippedVideo:
    path: Path
    mime_type: str
    filename: str
    size: int


def strip_video(
    source: Path, target: Path, platform: str, *, edit_lists: bool = True
) -> StrippedVideo:
    """Copy the first video and sound track of ``source`` into ``target`` with no metadata.

    ``edit_lists=False``: no edit list (``elst``), for platforms whose specifications forbid
    them (Threads); the sound's encoder delay then plays as a few milliseconds of silence."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    fmt = "mov" if source.suffix.lower() == ".mov" else "mp4"
    try:
        src = av.open(str(source), metadata_errors="ignore")
    except FileNotFoundError:
        raise Rejected(f"{source}: video file not found", platform=platform) from None
    except (OSError, av.FFmpegError) as exc:
        raise Rejected(
            f"{source.name}: the video is damaged or unreadable ({exc})", platform=platform
        ) from None
    secrets = _tag_values(src)
    with src:
        if not src.streams.video:
            raise Rejected(f"{source.name}: the file has no video track", platform=platform)
        keep = [src.streams.video[0]] + list(src.streams.audio[:1])
        # faststart: the index goes first, as Instagram and streaming players need
        options = {"movflags": "faststart", "fflags": "+bitexact"}
        if not edit_lists:
            options["use_editlist"] = "0"
        with av.open(str(target), "w", format=fmt, options=options) as out:
            copies = {}
            for stream in keep:
                copy = out.add_stream_from_template(stream)
                copy.metadata.clear()
                copies[stream.index] = copy
            out.metadata.clear()
            try:
                for packet in src.demux(keep):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    packet.stream = copies[packet.stream.index]
                    out.mux(packet)
            except av.FFmpegError as exc:
                raise Rejected(
                    f"{source.name}: the video is damaged partway through ({exc}); export it again",
                    platform=platform,
                ) from None
    assert_clean(target, secrets, platform)
    mime = "video/quicktime" if fmt == "mov" else "video/mp4"
    return StrippedVideo(target, mime, source.stem + target.suffix, target.stat().st_size)


def _tag_values(container) -> set[bytes]:
    """The values of the original's personal tags, to be sure none reaches the copy."""
    values: set[bytes] = set()
    for tags in [container.metadata] + [s.metadata for s in container.streams]:
        for key, value in tags.items():
            if key.lower() in _HARMLESS or not isinstance(value, str) or len(value) < 4:
                continue
            values.add(value.encode())
    return values


def assert_clean(path: Path, secrets: set[bytes], platform: str) -> None:
    """Raise ``Rejected`` unless ``path`` has no tags (PyAV) and none of the location atoms nor
    ``secrets`` anywhere in its bytes (read in chunks)."""
    import av  # PyAV loads FFmpeg: only when a video is read, not at start-up

    with av.open(str(path), metadata_errors="ignore") as copy:
        left = [
            k
            for tags in [copy.metadata] + [s.metadata for s in copy.streams]
            for k in tags
            if k.lower() not in _HARMLESS
        ]
    needles = set(_MARKERS) | secrets
    found = _search(path, needles)
    if left or found:
        raise Rejected(
            f"{path.name}: metadata survived the copy ({', '.join(left) or 'bytes'}); not uploaded",
            platform=platform,
        )


def _search(path: Path, needles: set[bytes]) -> list[bytes]:
    """The needles found in ``path`` outside its media data: every top-level box is read
    (in pieces) except ``mdat``, whose compressed pictures and sound are random-looking bytes
    in which a short needle turns up by chance (a 4-byte one about once per 4 GB)."""
    overlap = max((len(n) for n in needles), default=1)
    found: set[bytes] = set()
    size = path.stat().st_size
    with open(path, "rb") as handle:
        offset = 0
        while offset + 8 <= size:
            handle.seek(offset)
            header = handle.read(16)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if length == 1 and len(header) == 16:
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:
                length = size - offset
            if length < 8:  # not a box structure: search everything
                return _search_range(handle, 0, size, needles, overlap)
            if kind != b"mdat":
                found.update(
                    _search_range(handle, offset, min(length, size - offset), needles, overlap)
                )
            offset += length
    return sorted(found)


def _search_range(
    handle, start: int, length: int, needles: set[bytes], overlap: int
) -> list[bytes]:
    found: set[bytes] = set()
    tail = b""
    handle.seek(start)
    left = length
    while left > 0 and (chunk := handle.read(min(CHUNK, left))):
        left -= len(chunk)
        window = tail + chunk
        found.update(n for n in needles if n in window)
        tail = window[-overlap:]
    return sorted(found)


@contextlib.contextmanager
def stripped_copy(
    media: MediaFile, platform: str, *, edit_lists: bool = True
) -> Iterator[StrippedVideo]:
    """A metadata-free copy of the video ``media`` in a private temporary folder, removed
    afterwards."""
    source = Path(media.path)
    with tempfile.TemporaryDirectory(prefix="beatpost-video-") as folder:
        target = Path(folder) / ("clip" + (".mov" if source.suffix.lower() == ".mov" else ".mp4"))
        yield strip_video(source, target, platform, edit_lists=edit_lists)
        with contextlib.suppress(OSError):
            os.remove(target)


def read_chunks(path: Path, size: int) -> Iterator[bytes]:
    """``path`` in pieces of ``size`` bytes (the last may be shorter)."""
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


class ResumableUpload:
    """One video's upload for one post, in steps that a later attempt resumes: the progress is
    ``state`` (the keys of ``post.resume`` this upload owns, ``state_prefix``), handed to the
    connector's ``on_resume`` hook after each step (``save``), and attached as ``resume`` to an
    error raised once ``state`` names the upload (its ``started_key``). Subclasses do the steps
    in ``_run``; ``same_source`` tells whether the state's upload is of the file as it is now,
    and ``wait`` waits for the platform to process it."""

    started_key: ClassVar[str]  # present in the state once the platform knows the upload
    state_prefix: ClassVar[str] = ""  # the resume keys this upload owns ("": all)

    def __init__(self, connector: Any, media: MediaFile, post: OutgoingPost):
        self.connector = connector
        self.media = media
        self.post = post
        self.state = {k: v for k, v in post.resume.items() if k.startswith(self.state_prefix)}
        self.name = Path(media.path).name

    def save(self, **changes: str) -> None:
        """Record progress and hand the whole state to the daemon at once."""
        self.state.update(changes)
        hook = getattr(self.connector, "on_resume", None)
        if hook is not None:
            hook(self.post, dict(self.state))

    def run(self) -> Any:
        try:
            return self._run()
        except ConnectorError as exc:
            if self.state.get(self.started_key) and not getattr(exc, "resume", None):
                exc.resume = dict(self.state)  # type: ignore[attr-defined]
            raise

    def _run(self) -> Any:
        raise NotImplementedError

    def source(self) -> str:
        """The original file as it is now (size and modification time; "" if unreadable)."""
        try:
            stat = Path(self.media.path).stat()
        except OSError:
            return ""
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    def same_source(self) -> bool:
        """Whether an earlier attempt's upload (its ``SOURCE`` in the state) was of the file as
        it is now: a video replaced since is uploaded again, never posted as the old one."""
        return (self.state.get(SOURCE) or "") in ("", self.source())

    def wait(self, ready: Callable[[], bool], still: str) -> None:
        """``connectors.video_wait.wait_until_processed`` with the connector's
        ``processing_deadline`` (seconds) and ``_sleep``; ``still`` names what is awaited."""
        wait_until_processed(
            ready,
            what=still,
            platform=self.connector.platform,
            deadline=self.connector.processing_deadline,
            sleep=self.connector._sleep,
        )


SOURCE = "video_source"  # resume key: the original file's size and modification time


class MultipartFile:
    """A ``multipart/form-data`` body of text fields and one file, read piece by piece as
    ``requests`` sends it (its ``len`` gives the Content-Length): the file is never read whole
    into memory, as ``requests``' own ``files=`` would."""

    def __init__(
        self, fields: dict[str, str], name: str, path: Path, filename: str, mime: str
    ) -> None:
        self.boundary = _random.token_hex(16)
        head = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
            for key, value in fields.items()
        )
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'
        ).encode()
        self._parts = [head, path, f"\r\n--{self.boundary}--\r\n".encode()]
        self.len = len(head) + path.stat().st_size + len(self._parts[2])
        self._handle: Any = None
        self._index = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self._index < len(self._parts) and (size < 0 or len(out) < size):
            part = self._parts[self._index]
            want = -1 if size < 0 else size - len(out)
            if isinstance(part, bytes):
                piece, rest = (part, b"") if want < 0 else (part[:want], part[want:])
                out += piece
                if rest:
                    self._parts[self._index] = rest
                    break
                self._index += 1
                continue
            if self._handle is None:
                self._handle = open(part, "rb")  # noqa: SIM115 - closed when read to the end
            piece = self._handle.read(want if want >= 0 else -1)
            out += piece
            if not piece or want < 0 or len(piece) < want:
                self._handle.close()
                self._index += 1
        return out
