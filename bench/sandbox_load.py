"""How fast the sandbox answers: requests per second and latency under concurrent clients.

Prints, for 1/4/8 client threads: throughput and p50/p95 latency of creating posts and of
100-id metrics lookups on the emulated X API, next to the floor (the same server answering an
empty route), so the cost of the emulation itself shows as a ratio. Also times the audience
model alone (metrics and comment threads for many posts).

    .venv/bin/python bench/sandbox_load.py [--requests 300]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import types
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import requests

from connectors.sandbox import Reply, Route, SandboxServer, SandboxState, SimClock
from connectors.sandbox.state import X_USER_ID
from connectors.sandbox.x_api import POSTS_PER_DAY_KEY

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
HEADERS = {"Authorization": "Bearer bench-token"}


def _floor_module() -> types.ModuleType:
    module = types.ModuleType("floor")
    module.ROUTES = [Route("GET", r"/2/ping", lambda state, request: Reply(200, {"ok": True}))]  # type: ignore[attr-defined]
    module.error_reply = lambda kind, state, request: Reply(500, {})  # type: ignore[attr-defined]
    return module


def _run(clients: int, total: int, call: Callable[[requests.Session, int], None]) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // clients

    def worker(n: int) -> None:
        mine = []
        with requests.Session() as session:
            for i in range(per_client):
                t0 = time.perf_counter()
                call(session, n * per_client + i)
                mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    args = parser.parse_args()

    floor_state = SandboxState(seed=7, clock=SimClock(START))
    state = SandboxState(seed=7, clock=SimClock(START))
    state.extras[POSTS_PER_DAY_KEY] = 1_000_000  # lift the plan's daily cap for the bench
    with (
        SandboxServer(floor_state, platforms=[(r"^/2/", _floor_module())]) as floor,
        SandboxServer(state) as server,
    ):
        ids: list[str] = []
        ids_lock = threading.Lock()

        def ping(session: requests.Session, i: int) -> None:
            session.get(f"{floor.url}/2/ping", timeout=10).raise_for_status()

        def create(session: requests.Session, i: int) -> None:
            # Stay inside X's per-user windows (100 posts / 15 min) as a real account must.
            state.clock.advance(timedelta(seconds=10))
            reply = session.post(
                f"{server.url}/2/tweets",
                json={"text": f"Bench post {i}: join us Saturday 10am #JoinSPD"},
                headers=HEADERS,
                timeout=10,
            )
            reply.raise_for_status()
            with ids_lock:
                ids.append(reply.json()["data"]["id"])

        def lookup(session: requests.Session, i: int) -> None:
            batch = ids[(i * 7) % max(1, len(ids) - 100) :][:100]
            session.get(
                f"{server.url}/2/tweets",
                params={"ids": ",".join(batch), "tweet.fields": "public_metrics,created_at"},
                headers=HEADERS,
                timeout=10,
            ).raise_for_status()

        print(f"sandbox load, {args.requests} requests per row")
        print(
            f"{'clients':>7} {'call':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs floor':>9}"
        )
        for clients in (1, 4, 8):
            base = _run(clients, args.requests, ping)
            rows = [("floor (empty)", base)]
            rows.append(("create post", _run(clients, args.requests, create)))
            state.clock.advance(timedelta(days=2))
            rows.append(("metrics x100", _run(clients, args.requests, lookup)))
            for name, row in rows:
                ratio = base["rps"] / row["rps"]
                print(
                    f"{clients:>7} {name:<16} {row['rps']:>8.0f} {row['p50_ms']:>8.2f} "
                    f"{row['p95_ms']:>8.2f} {ratio:>8.1f}x"
                )

    model = SandboxState(seed=7, clock=SimClock(START))
    posts = [model.add_post("x", X_USER_ID, f"Model post {i}") for i in range(500)]
    at = START + timedelta(days=7)
    t0 = time.perf_counter()
    for post in posts:
        model.metrics("x", post.id, at=at)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for post in posts:
        model.metrics("x", post.id, at=at)
    again = time.perf_counter() - t0
    comments = sum(len(model.comments("x", p.id, until=at)) for p in posts)
    print(
        f"audience model: 500 posts, first metrics+threads {1000 * first:.0f} ms "
        f"({1e6 * first / 500:.0f} us/post), cached {1e6 * again / 500:.0f} us/post, "
        f"{comments} comments"
    )


if __name__ == "__main__":
    main()
