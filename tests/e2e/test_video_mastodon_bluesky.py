"""A video testimonial on Mastodon and Bluesky, end to end: the campaign file validated, the
daemon on a simulated clock, the real connectors, the sandbox over real HTTP. The first poll of
each platform's processing fails; the retry goes on with the same upload (never a second one),
the videos arrive without the phone's metadata, Bluesky's with its captions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from beatpost.campaign_sync import PlanSet
from beatpost.daemon import Daemon
from campaigns import load_campaigns
from config import Settings
from connectors.sandbox import (
    FaultPlan,
    SandboxServer,
    SandboxState,
    SimClock,
    bluesky_video,
    mastodon_api,
    settings_overrides,
)
from store import State
from tests.campaigns.conftest import options
from tests.campaigns.test_video import DOC
from tests.daemon.rig import FakeClock
from tests.ledger_fixtures import db_url_engine, engine  # noqa: F401 - fixtures
from tests.videoclips import DEVICE_MODEL, GPS, SERIAL, make_clip, make_srt

CAMPAIGN = DOC.replace("PLATFORMS", "[mastodon, bluesky]").replace(
    "EXTRA", "        captions: media/diaz.srt\n        burn_captions: true\n"
)
PERSONAL = [GPS.encode(), DEVICE_MODEL.encode(), SERIAL.encode(), b"\xa9xyz", b"ISO6709"]


def test_video_goes_out_once_on_mastodon_and_bluesky_after_a_failed_poll(engine, tmp_path):  # noqa: F811
    make_clip(tmp_path / "media" / "diaz.mp4", size=(320, 568), seconds=2)  # a phone's tags
    make_srt(tmp_path / "media" / "diaz.srt", [(0, 1, "I joined for my family."), (1, 2, "Yes.")])
    (tmp_path / "video.yaml").write_text(CAMPAIGN)
    loaded = load_campaigns([tmp_path / "video.yaml"], options())
    assert [d for d in loaded.diagnostics if d.severity == "error"] == []
    plans = loaded.deliveries()
    assert sorted(p.platform for p in plans) == ["bluesky", "mastodon"]
    due = plans[0].at_utc

    state = SandboxState(seed=7, clock=SimClock(datetime.now(UTC).replace(microsecond=0)))
    state.extras[mastodon_api.VIDEO_POLLS_KEY] = 1
    state.extras[bluesky_video.POLLS_KEY] = 1
    # Each platform's first look at its processing fails (a 503 / 502 from a busy server).
    state.faults.configure(
        FaultPlan(
            error_rate=1.0,
            methods=("GET",),
            path_pattern=r"/api/v1/media/|getJobStatus",
            max_faults=2,
        )
    )
    with SandboxServer(state) as server:
        settings = Settings(
            workspace=tmp_path, max_attempts=5, **settings_overrides(server.url, "token-1")
        )
        clock = FakeClock(due - timedelta(minutes=1))
        daemon = Daemon(
            settings,
            engine=engine,
            clock=clock,
            planner=lambda now: PlanSet(list(plans), ["video.yaml"]),
            rng=random.Random(7),
        )
        daemon.prepare()
        try:
            clock.set(due)
            daemon.tick()
            rows = {d.platform: d for d in daemon.ledger.deliveries()}
            assert {p: r.state for p, r in rows.items()} == {
                "mastodon": State.PLANNED,
                "bluesky": State.PLANNED,
            }  # to be tried again, each keeping how far its upload got
            assert rows["mastodon"].resume.get("mastodon_video_id")
            assert rows["bluesky"].resume.get("bsky_video_job")
            for minutes in range(1, 31):
                clock.set(due + timedelta(minutes=minutes))
                daemon.tick()
            rows = {d.platform: d for d in daemon.ledger.deliveries()}
            assert {p: r.state for p, r in rows.items()} == {
                "mastodon": State.PUBLISHED,
                "bluesky": State.PUBLISHED,
            }
        finally:
            daemon.stop()

    assert len(state.requests("POST", "/api/v2/media")) == 1  # never uploaded twice
    assert len(state.requests("POST", "app.bsky.video.uploadVideo")) == 1
    [toot] = state.posts("mastodon")
    [skeet] = state.posts("bluesky")
    videos = [
        state.get_media("mastodon", toot.media[0]),
        state.get_media("bluesky", skeet.media[0]),
    ]
    for item in videos:
        assert item is not None and item.mime_type == "video/mp4"
        assert item.alt_text == "Officer Diaz speaks in front of the station"
        for needle in PERSONAL:
            assert needle not in item.data, needle
    embed = skeet.extra["record"]["embed"]
    assert embed["aspectRatio"] == {"width": 320, "height": 568}
    assert len(skeet.media) == 2  # the video and its WebVTT captions
