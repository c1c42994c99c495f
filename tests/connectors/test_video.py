"""A video leaves without its metadata: stream copy, checked with PyAV and in the raw bytes."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from connectors.errors import Rejected
from connectors.video import MultipartFile, assert_clean, strip_video
from tests.videoclips import DEVICE_MODEL, GPS, GPS_APPLE, SERIAL, make_clip

PERSONAL = [
    GPS.encode(),
    GPS_APPLE.encode(),
    DEVICE_MODEL.encode(),
    SERIAL.encode(),
    b"\xa9xyz",
    b"ISO6709",
    b"2026-11-02T10:00",
]


@pytest.mark.parametrize("quicktime_atoms", [True, False], ids=["mov-atoms", "mp4-keys"])
def test_stripped_copy_has_no_location_device_or_time(tmp_path, quicktime_atoms):
    suffix = ".mov" if quicktime_atoms else ".mp4"
    source = make_clip(
        tmp_path / f"phone{suffix}", size=(320, 568), quicktime_atoms=quicktime_atoms
    )
    original = source.read_bytes()
    assert [m for m in PERSONAL if m in original], "the test clip carries the phone's tags"

    result = strip_video(source, tmp_path / f"out{suffix}", "x")

    data = result.path.read_bytes()
    assert [m for m in PERSONAL if m in data] == []
    with av.open(str(result.path)) as copy:
        tags = dict(copy.metadata)
        for stream in copy.streams:
            tags.update(stream.metadata)
        assert not {"location", "creation_time", "make", "model"} & {k.lower() for k in tags}
        assert not any("apple" in k.lower() or "location" in k.lower() for k in tags)
        # not re-encoded: same codecs, same length, same number of video packets
        assert [s.codec_context.name for s in copy.streams] == ["h264", "aac"]
        assert copy.duration == pytest.approx(2_005_000, abs=50_000)
        copied = sum(1 for p in copy.demux(video=0) if p.size)
    with av.open(str(source)) as orig:
        assert copied == sum(1 for p in orig.demux(video=0) if p.size)
    assert result.mime_type == ("video/quicktime" if quicktime_atoms else "video/mp4")


def test_leftover_metadata_is_refused_not_uploaded(tmp_path):
    dirty = make_clip(tmp_path / "dirty.mov", quicktime_atoms=True)
    with pytest.raises(Rejected, match="metadata survived"):
        assert_clean(dirty, {GPS.encode()}, "x")


def test_damaged_video_is_rejected_with_its_name(tmp_path):
    bad = tmp_path / "cut.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    with pytest.raises(Rejected, match="cut.mp4"):
        strip_video(bad, tmp_path / "out.mp4", "x")


def test_missing_video_is_rejected(tmp_path):
    with pytest.raises(Rejected, match="not found"):
        strip_video(Path(tmp_path / "nope.mp4"), tmp_path / "out.mp4", "x")


def _box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def test_a_marker_by_chance_in_the_media_data_is_not_metadata(tmp_path):
    """Compressed pictures are random-looking: a 4-byte marker such as ``©xyz`` turns up in a
    200 MB clip's media data by chance (found by bench/video.py). Only the boxes outside
    ``mdat`` can carry metadata."""
    from connectors.video import _search

    clean = tmp_path / "clean.mp4"
    clean.write_bytes(
        _box(b"ftyp", b"isom") + _box(b"mdat", b"\x00\xa9xyz\x01" * 3) + _box(b"moov", b"\x00" * 64)
    )
    assert _search(clean, {b"\xa9xyz"}) == []
    dirty = tmp_path / "dirty.mp4"
    dirty.write_bytes(
        _box(b"ftyp", b"isom")
        + _box(b"mdat", b"\x00" * 32)
        + _box(b"moov", _box(b"udta", _box(b"\xa9xyz", b"+40.7-074.0/")))
    )
    assert _search(dirty, {b"\xa9xyz"}) == [b"\xa9xyz"]


def test_a_phones_vertical_video_stays_vertical(tmp_path):
    """Phones record 1920x1080 and a 90° display rotation; validate reads it as 1080x1920
    (9:16) and the stripped copy keeps the rotation."""
    import numpy as np

    from campaigns.video import probe

    source = tmp_path / "portrait.mp4"
    with av.open(str(source), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = 568, 320, "yuv420p"
        video.set_display_rotation(90)
        for _ in range(25):
            pixels = np.zeros((320, 568, 3), np.uint8)
            out.mux(video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        out.mux(video.encode())
    assert (probe(source).width, probe(source).height) == (320, 568)
    copy = strip_video(source, tmp_path / "out.mp4", "x")
    assert (probe(copy.path).width, probe(copy.path).height) == (320, 568)


def test_multipart_body_is_read_in_pieces_and_parses_as_a_form(tmp_path):
    """The streamed upload body (Mastodon): its length is known before it is read, any piece
    size gives the same bytes, and a standard parser finds the fields and the file."""
    from email.parser import BytesParser
    from email.policy import HTTP

    data = bytes(range(256)) * 40
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)

    def body() -> MultipartFile:
        return MultipartFile({"description": "Officer Diaz"}, "file", path, "diaz.mp4", "video/mp4")

    first = body()
    whole = first.read()
    reader = body()
    pieces = []
    while piece := reader.read(7):
        pieces.append(piece)
    same = whole.replace(first.boundary.encode(), reader.boundary.encode())
    assert b"".join(pieces) == same and len(whole) == reader.len
    assert max(len(p) for p in pieces) == 7
    head = f"Content-Type: {reader.content_type}"
    message = BytesParser(policy=HTTP).parsebytes(head.encode() + b"\r\n\r\n" + b"".join(pieces))
    parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
    assert parts["description"].get_content() == "Officer Diaz"
    assert parts["file"].get_filename() == "diaz.mp4"
    assert parts["file"].get_payload(decode=True) == data
