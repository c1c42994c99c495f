"""Requests per pull, against the floor each platform allows.

Publishes ``--posts`` posts per platform in the sandbox, records them as published deliveries
in a fresh SQLite store, moves the simulated clock past their first slot (+1h) and runs one
pull with the real connectors over HTTP. Requests are counted by the sandbox itself.

The floor for metrics is ceil(n / batch): X looks up 100 posts per request, the Graph API 50
(``?ids=``). Graph comments ride on the same multi-id read (``comments`` expanded on each
post), so their floor is ceil(n / 50) too, plus one request per further page of a busy post;
X's recent search ORs conversations into 512-character queries. Mastodon has no multi-status
read: one ``GET /api/v1/statuses/:id`` per post for metrics and one ``/context`` for replies,
so its floor is n for each. Bluesky reads 25 posts per ``app.bsky.feed.getPosts`` and one
thread per post (``getPostThread``). The sandbox logs paths only,
and Graph metrics and comments share the multi-id path, so Graph requests are told apart by
their ``fields`` as the connectors send them.

A second run gives X a read budget smaller than the work, to show the pull degrading (young
slots first, the rest deferred) instead of failing.

    .venv/bin/python bench/pull.py [--posts 1000]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from beatpost.pull import PullReport, run_pull  # noqa: E402
from beatpost.pull.ingest import Scored, sentiment_scorer  # noqa: E402
from config.settings import Settings  # noqa: E402
from connectors.bluesky import BlueskyConnector  # noqa: E402
from connectors.facebook import FacebookConnector  # noqa: E402
from connectors.graph import GraphClient  # noqa: E402
from connectors.instagram import InstagramConnector  # noqa: E402
from connectors.limits import LIMITS  # noqa: E402
from connectors.linkedin import LinkedInConnector  # noqa: E402
from connectors.mastodon import MastodonConnector  # noqa: E402
from connectors.sandbox import (  # noqa: E402
    FACEBOOK_PAGE_ID,
    INSTAGRAM_USER_ID,
    X_USER_ID,
    X_USERNAME,
    SandboxServer,
    SandboxState,
    SimClock,
)
from connectors.sandbox.bluesky_api import BLUESKY_DID, BLUESKY_HANDLE  # noqa: E402
from connectors.sandbox.linkedin_api import ORGANIZATION, ORGANIZATION_ID  # noqa: E402
from connectors.sandbox.mastodon_api import MASTODON_ACCOUNT_ID  # noqa: E402
from connectors.sandbox.threads_api import THREADS_USER_ID  # noqa: E402
from connectors.threads import API_VERSION as THREADS_VERSION  # noqa: E402
from connectors.threads import ThreadsConnector  # noqa: E402
from connectors.x import XConnector  # noqa: E402
from store.engine import make_engine, write_session  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import Delivery, State  # noqa: E402

START = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
TOKEN = "sandbox-token"
ACCOUNTS = {
    "x": X_USER_ID,
    "facebook": FACEBOOK_PAGE_ID,
    "instagram": INSTAGRAM_USER_ID,
    "mastodon": MASTODON_ACCOUNT_ID,
    "bluesky": BLUESKY_DID,
    "linkedin": ORGANIZATION,
    "threads": THREADS_USER_ID,
}
PATHS = {  # what a metrics request looks like on each platform
    "x": lambda path: path == "/2/tweets",
    "facebook": lambda path: path.rstrip("/").count("/") == 1,  # GET /v25.0/?ids=...
    "instagram": lambda path: path.rstrip("/").count("/") == 1,
    "mastodon": lambda path: re.fullmatch(r"/api/v1/statuses/\d+", path) is not None,
    "bluesky": lambda path: path == "/xrpc/app.bsky.feed.getPosts",
    "linkedin": lambda path: path == "/rest/organizationalEntityShareStatistics",
    "threads": lambda path: path.endswith("/insights"),
}
# Where each platform's requests go in the sandbox log (Graph: every other path).
PREFIXES = {
    "x": "/2/",
    "mastodon": "/api/",
    "bluesky": "/xrpc/",
    "linkedin": "/rest/",
    "threads": "/threads/",
}


def graph_kind(path: str, params: dict[str, Any]) -> str:
    """What a Graph request reads: ``comments`` (batched or an edge page), ``metrics``, other."""
    if path.endswith(("/comments", "/replies")) or str(params.get("fields", "")).startswith(
        "comments."
    ):
        return "comments"
    return "metrics" if "ids" in params else "other"


class CountingSession(requests.Session):
    """Counts the requests a Graph connector sends, by ``graph_kind``."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()

    def request(self, method, url, params=None, **kwargs):  # type: ignore[override]
        self.counts[graph_kind(urlsplit(url).path, dict(params or {}))] += 1
        return super().request(method, url, params=params, **kwargs)


def connectors_for(server: SandboxServer, clock: SimClock, sessions: dict[str, CountingSession]):
    def graph(platform: str) -> GraphClient:
        return GraphClient(
            platform=platform,
            base_url=server.url,
            api_version="v25.0",
            access_token=TOKEN,
            timeout=10,
            sleep=lambda _s: None,
            now=clock.now,
            session=sessions.setdefault(platform, CountingSession()),
        )

    def make(platform: str):
        if platform == "x":
            return XConnector(
                api_key=TOKEN,
                api_secret=TOKEN,
                access_token=TOKEN,
                access_token_secret=TOKEN,
                user_id=X_USER_ID,
                username=X_USERNAME,
                base_url=server.url,
                clock=clock.now,
            )
        if platform == "mastodon":
            return MastodonConnector(
                base_url=server.url, access_token=TOKEN, clock=clock.now, sleep=lambda _s: None
            )
        if platform == "bluesky":
            return BlueskyConnector(
                base_url=server.url, handle=BLUESKY_HANDLE, app_password=TOKEN, clock=clock.now
            )
        if platform == "linkedin":
            return LinkedInConnector(
                base_url=server.url,
                organization_id=ORGANIZATION_ID,
                access_token=TOKEN,
                clock=clock.now,
            )
        if platform == "threads":
            client = GraphClient(
                platform="threads",
                base_url=f"{server.url}/threads",
                api_version=THREADS_VERSION,
                access_token=TOKEN,
                timeout=10,
                sleep=lambda _s: None,
                now=clock.now,
            )
            return ThreadsConnector(user_id=THREADS_USER_ID, client=client)
        if platform == "facebook":
            return FacebookConnector(
                page_id=FACEBOOK_PAGE_ID,
                client=graph("facebook"),
                insights_metrics=[
                    "post_media_view",
                    "post_total_media_view_unique",
                    "post_clicks_by_type",
                ],
            )
        return InstagramConnector(ig_user_id=INSTAGRAM_USER_ID, client=graph("instagram"))

    return make


def scorer():
    try:
        return sentiment_scorer("default")
    except ImportError:  # pragma: no cover - before the sentiment model is installed
        return lambda texts: [Scored(None, None, frozenset()) for _ in texts]


def setup(posts: int, platforms: list[str], workdir: Path):
    clock = SimClock(START)
    state = SandboxState(seed=3, clock=clock)
    engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
    upgrade(engine)
    with write_session(engine) as session:
        for platform in platforms:
            for n in range(posts):
                post = state.add_post(
                    platform,
                    ACCOUNTS[platform],
                    f"Join us, post {n}: why I serve. #JoinRPD",
                    media=["m"] if platform == "instagram" else [],
                    # LinkedIn's statistics are asked for by share URN.
                    post_id=f"urn:li:share:{7_000_000 + n}" if platform == "linkedin" else None,
                )
                session.add(
                    Delivery(
                        key=f"bench/p{n}/{platform}/once",
                        campaign_id="bench",
                        post_id=f"p{n}",
                        kind="testimonial",
                        platform=platform,
                        occurrence="once",
                        scheduled_at=post.created_at,
                        due_at=post.created_at,
                        timezone="America/Chicago",
                        text=post.text,
                        content_hash=f"{n}",
                        state=State.PUBLISHED,
                        platform_id=post.id,
                        published_at=post.created_at,
                    )
                )
    clock.advance(timedelta(hours=1, minutes=5))
    return clock, state, engine


def count_requests(state: SandboxState, platform: str, since: int) -> tuple[int, int]:
    """(metrics requests, other requests) logged by the sandbox for ``platform``."""
    metrics = other = 0
    for record in state.request_log[since:]:
        # Facebook and Instagram share the Graph path space: the bench pulls one platform at
        # a time, so the slice of the log since ``since`` belongs to ``platform``.
        prefix = PREFIXES.get(platform)
        mine = (
            record.path.startswith(prefix)
            if prefix
            else not any(record.path.startswith(p) for p in PREFIXES.values())
        )
        if not mine:
            continue
        if PATHS[platform](record.path):
            metrics += 1
        else:
            other += 1
    return metrics, other


def run(posts: int, platforms: list[str], settings: Settings) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock, state, engine = setup(posts, platforms, Path(tmp))
        sessions: dict[str, CountingSession] = {}
        with SandboxServer(state) as server:
            make = connectors_for(server, clock, sessions)
            rows = []
            for platform in platforms:  # one platform at a time, so the log is attributable
                mark = len(state.request_log)
                began = time.perf_counter()
                report: PullReport = run_pull(
                    settings, engine, make, clock.now, platforms=[platform], scorer=scorer()
                )
                seconds = time.perf_counter() - began
                rep = report.platforms[platform]
                if platform == "x":
                    metrics, other = count_requests(state, platform, mark)
                    comment_floor = "-"  # bounded by query length, not a fixed batch
                elif platform in ("mastodon", "bluesky", "linkedin", "threads"):
                    metrics, other = count_requests(state, platform, mark)
                    comment_floor = str(posts)  # one thread read per post: no multi-post read
                else:
                    counts = sessions[platform].counts
                    metrics, other = counts["metrics"], counts["comments"]
                    comment_floor = str(math.ceil(posts / 50))
                batch = LIMITS[platform].metrics_batch
                asked = rep.snapshots + rep.missing_posts  # posts whose metrics were requested
                rows.append(
                    (
                        platform,
                        rep,
                        metrics,
                        math.ceil(asked / batch),
                        other,
                        comment_floor,
                        seconds,
                    )
                )
    print(
        f"{'platform':10} {'posts':>6} {'metrics req':>11} {'floor':>6} {'ratio':>6} "
        f"{'comment req':>11} {'floor':>6} {'snapshots':>9} {'comments':>8} {'deferred':>8} "
        f"{'s':>6}  status"
    )
    for platform, rep, metrics, floor, other, comment_floor, seconds in rows:
        per_1000 = metrics * 1000 / max(rep.snapshots + rep.missing_posts, 1)
        ratio = metrics / floor if floor else float("nan")
        status = rep.stopped or ("errors: " + "; ".join(rep.errors) if rep.errors else "ok")
        print(
            f"{platform:10} {posts:>6} {metrics:>11} {floor:>6} {ratio:>6.2f} {other:>11} "
            f"{comment_floor:>6} {rep.snapshots:>9} {rep.new_comments:>8} "
            f"{rep.skipped_for_budget:>8} {seconds:>6.2f}  {status}"
        )
        print(
            f"{'':10} metrics requests per 1,000 measured posts per pull: {per_1000:.1f} "
            f"(floor {math.ceil(1000 / LIMITS[platform].metrics_batch)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="posts per platform")
    parser.add_argument(
        "--platforms", default="x,facebook,instagram,mastodon,bluesky,linkedin,threads"
    )
    args = parser.parse_args()
    platforms = [p for p in args.platforms.split(",") if p]
    print(f"# one pull, {args.posts} posts per platform all at their +1h slot")
    run(args.posts, platforms, Settings())
    budget = args.posts  # fewer reads than posts x (metrics + comments)
    print(f"\n# the same with x.reads_per_day = {budget} (less than the work: degrade, not fail)")
    run(args.posts, ["x"], Settings(x={"reads_per_day": budget}))


if __name__ == "__main__":
    main()
