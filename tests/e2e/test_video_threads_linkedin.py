"""End to end over the sandbox: a video testimonial through the daemon to Threads and LinkedIn,
with the real connectors over HTTP. A LinkedIn part fails once; the ledger keeps the upload's
progress and the next attempt sends only that part, to the same video. What reached the
"platforms" is read back from the sandbox: one post each, no location in the bytes."""

from __future__ import annotations

import random
from datetime import timedelta

from beatpost.campaign_sync import PlanSet
from beatpost.daemon import Daemon
from beatpost.demo import RehearsalConnectors
from campaigns.types import MediaRef
from config import Settings
from connectors.sandbox import SandboxServer, SandboxState, SimClock, settings_overrides
from connectors.sandbox.linkedin_videos import FAIL_PART_KEY, PART_BYTES_KEY
from connectors.sandbox.threads_api import VIDEO_POLLS_KEY
from store import State
from tests.connectors.test_x_video import PERSONAL
from tests.ledger_fixtures import T0, db_url_engine, engine, plan  # noqa: F401
from tests.videoclips import make_clip, make_srt


def test_video_testimonial_goes_out_on_threads_and_linkedin(engine, tmp_path):  # noqa: F811
    clip = make_clip(tmp_path / "media" / "diaz.mp4", size=(288, 512), seconds=3.2, noise=True)
    captions = make_srt(tmp_path / "media" / "diaz.srt", [(0, 3, "I joined for my family.")])
    video = MediaRef(clip, "Officer Diaz speaks", "video/mp4", captions=captions, placement="post")
    plans = [
        plan("diaz", platform=p, at=T0, text_="Officer Diaz on why she joined", media=(video,))
        for p in ("threads", "linkedin")
    ]
    clock = SimClock(T0 - timedelta(minutes=1))
    state = SandboxState(seed=9, clock=clock)
    state.extras[PART_BYTES_KEY] = 256 * 1024  # several parts from a small clip
    state.extras[FAIL_PART_KEY] = 1  # LinkedIn's second part fails once
    state.extras[VIDEO_POLLS_KEY] = 3
    with SandboxServer(state, media_dir=tmp_path / "public-media") as server:
        settings = Settings(
            workspace=tmp_path, max_attempts=5, **settings_overrides(server.url, "e2e-token")
        )
        daemon = Daemon(
            settings,
            engine=engine,
            connector_factory=RehearsalConnectors(settings, clock),
            clock=clock.now,
            planner=lambda _now: PlanSet(list(plans), ["campaigns/spring.yaml"]),
            rng=random.Random(3),
        )
        daemon.resync()  # the plans into the ledger
        clock.set(T0)
        for _ in range(30):
            daemon.tick()
            states = {d.platform: d.state for d in daemon.ledger.deliveries()}
            if states and all(s == State.PUBLISHED for s in states.values()):
                break
            clock.advance(timedelta(minutes=2))

        assert states == {"threads": State.PUBLISHED, "linkedin": State.PUBLISHED}
        for platform in ("threads", "linkedin"):
            [post] = state.posts(platform)
            data = state.get_media(platform, post.media[0]).data
            assert len(data) > 75 * 1024 and [m for m in PERSONAL if m in data] == []
        assert len(state.requests("POST", "/rest/videos")) == 2  # one video initialized, finalized
        parts = [r.path.rsplit("/", 1)[1] for r in state.requests("PUT", "/uploadedVideo/")]
        assert parts.count("1") == 2  # the failed part, then again
        assert all(parts.count(n) == 1 for n in set(parts) - {"1"})  # the others sent once
        assert len(parts) > 3
        created = [r for r in state.requests("POST", "/threads/") if r.path.endswith("/threads")]
        assert len(created) == 1  # one container
