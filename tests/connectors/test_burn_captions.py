"""Instagram ``burn_captions: true``: the published copy has the captions drawn into the
picture while a cue shows, keeps its sound, and carries none of the phone's metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import av
import numpy as np
import pytest

import connectors
from config.settings import Settings
from connectors.base import MediaFile, OutgoingPost
from connectors.burn_captions import burn_captions, read_cues
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from tests.connectors.test_x_video import PERSONAL
from tests.videoclips import make_clip, make_srt


def _bottom_spread(path: Path) -> list[tuple[float, float]]:
    """(time, spread of the pixels in the lower quarter) per frame: the test clip is one flat
    grey per frame, so any spread there is drawn text."""
    with av.open(str(path)) as container:
        frames = []
        for frame in container.decode(video=0):
            pixels = frame.to_ndarray(format="rgb24")
            frames.append((float(frame.time), float(pixels[-pixels.shape[0] // 4 :].std())))
        return frames


def test_cues_are_drawn_only_while_they_show(tmp_path):
    clip = make_clip(tmp_path / "diaz.mp4", size=(320, 568), seconds=2, tags={})
    subs = make_srt(tmp_path / "diaz.srt", [(0, 1, "I joined for my family.")])

    burned = burn_captions(clip, subs, tmp_path / "burned.mp4")

    frames = _bottom_spread(burned)
    assert len(frames) == len(_bottom_spread(clip))
    during = [spread for at, spread in frames if at < 0.95]
    after = [spread for at, spread in frames if at > 1.05]
    assert min(during) > 10 and max(after) < 2
    with av.open(str(burned)) as container:
        assert [s.codec_context.name for s in container.streams.audio] == ["aac"]


def test_webvtt_cues_are_read_to_the_millisecond(tmp_path):
    path = tmp_path / "diaz.vtt"
    path.write_text("WEBVTT\n\n00:00.500 --> 00:01.250\nI joined for my family.\n")
    [cue] = read_cues(path)
    assert (cue.start, cue.end, cue.text) == (0.5, 1.25, "I joined for my family.")


@pytest.mark.parametrize("burn", [True, False])
def test_instagram_publishes_the_burned_copy_only_when_asked(tmp_path, burn):
    state = SandboxState(seed=5, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    clip = make_clip(tmp_path / "diaz.mov", size=(320, 568), seconds=3.2, quicktime_atoms=True)
    subs = make_srt(tmp_path / "diaz.srt", [(0, 3.2, "I joined for my family.")])
    media = MediaFile(
        path=clip,
        alt_text="Officer Diaz",
        mime_type="video/quicktime",
        captions=subs,
        burn_captions=burn,
    )
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(workspace=tmp_path, **settings_overrides(server.url, "burn-token"))
        conn = connectors.create("instagram", settings)
        conn._sleep = lambda _s: None
        published = conn.publish(OutgoingPost(key="k", text="Officer Diaz", media=(media,)))

    item = state.get_media("instagram", state.get_post("instagram", published.platform_id).media[0])
    assert [m for m in PERSONAL if m in item.data] == []
    copy = tmp_path / "as-published.mp4"
    copy.write_bytes(item.data)
    spreads = np.array([spread for _at, spread in _bottom_spread(copy)])
    assert (spreads.min() > 10) if burn else (spreads.max() < 2)


def test_a_phones_sideways_recording_gets_its_captions_at_the_bottom_as_shown(tmp_path):
    """Phones record vertical video sideways (568x320) with a 90° display rotation: the text
    must sit at the bottom of the picture as shown, which is the left edge as recorded."""
    source = make_clip(tmp_path / "portrait.mp4", size=(568, 320), rotation=90, tags={})
    subs = make_srt(tmp_path / "diaz.srt", [(0, 1, "I joined for my family.")])

    burned = burn_captions(source, subs, tmp_path / "burned.mp4")

    with av.open(str(burned)) as container:
        frame = next(container.decode(video=0))
        assert (frame.width, frame.height, frame.rotation) == (568, 320, 90)
        pixels = frame.to_ndarray(format="rgb24")
    quarter = pixels.shape[1] // 4
    assert pixels[:, :quarter].std() > 10 and pixels[:, -quarter:].std() < 2
