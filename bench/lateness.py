"""Publish lateness with 10,000 pending deliveries: a real Daemon on the wall clock.

The ledger is filled through ``store.sync_plans`` (the path campaign files take) with
``--pending`` planned deliveries spread over the coming year. Once the daemon has started,
some of them are re-timed, as an edited campaign file would be, and synced through the
daemon's own ``resync``:

- ``spread``: ``--due`` deliveries at random instants over the next ``--window`` seconds;
- ``burst``: then ``--burst`` deliveries due at one and the same instant;
- ``sparse``: then ``--sparse`` deliveries 2-10 s apart (the daemon idles in between);
- ``resync``: then ``--resyncs`` deliveries, each due 0.2 s after a campaign sync of the
  whole ledger starts (as the daemon's hourly ``campaign-resync`` job does; nothing changed).

The connector is an in-process fake whose ``publish`` returns at once, so the figures are
the daemon's own delay: lateness = the moment of the claim (``attempts.claimed_at``) or of
the connector call, minus the scheduled instant. Everything else stays planned.

    .venv/bin/python bench/lateness.py [--pending 10000] [--due 200] [--window 45]
        [--burst 50] [--sparse 8] [--resyncs 3] [--database-url postgresql+psycopg://...]

With ``--database-url`` a fresh database is created beside the one named (and dropped).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import (
    delivery_plan,
    describe_url,
    machine,
    percentile,
    postgres_url,
    print_table,
    scratch_postgres,
)
from sqlalchemy import select

from beatpost.campaign_sync import PlanSet
from beatpost.daemon import Daemon, claim_policy
from campaigns.types import DeliveryPlan
from config import Settings
from connectors.base import NO_CAPABILITIES, Comment, MetricSnapshot, OutgoingPost, Published
from connectors.limits import LIMITS
from store import Attempt, Delivery, Ledger, make_engine, read_session, sync_plans, upgrade

# Instagram's 50 posts per 24 h cannot be raised; X's and Facebook's account caps are (below),
# so no delivery of the batch is deferred by a quota.
PLATFORMS = ("x", "facebook")


class FastConnector:
    """Publishes instantly and remembers when each delivery reached it (wall clock)."""

    def __init__(self, platform: str, calls: dict[str, datetime]):
        self.platform = platform
        self.limits = LIMITS[platform]
        self.capabilities = NO_CAPABILITIES
        self.calls = calls

    def publish(self, post: OutgoingPost) -> Published:
        now = datetime.now(UTC)
        self.calls[post.key] = now
        n = uuid.uuid4().hex[:12]
        return Published(
            platform_id=n, url=f"https://{self.platform}.example/{n}", published_at=now
        )

    def find_published(self, post: OutgoingPost, since: datetime) -> Published | None:
        return None

    def fetch_metrics(self, platform_ids: Sequence[str]) -> list[MetricSnapshot]:
        return []

    def fetch_comments(self, platform_id: str, since: datetime | None) -> list[Comment]:
        return []


def pending_plans(count: int, now: datetime) -> list[DeliveryPlan]:
    """``count`` deliveries from tomorrow to a year ahead, spread evenly."""
    start = now + timedelta(days=1)
    step = timedelta(days=364) / count
    return [
        delivery_plan(n, start + step * n, platform=PLATFORMS[n % len(PLATFORMS)])
        for n in range(count)
    ]


def pick(count: int, among: int, rng: random.Random) -> list[int]:
    return sorted(rng.sample(range(among), count))


def resync_at_times(daemon: Daemon, moments: list[datetime]) -> None:
    """Run the daemon's campaign sync (a no-op: nothing changed) at each moment, as its
    hourly ``campaign-resync`` job would."""
    for moment in moments:
        time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))
        daemon.resync()


def lateness_rows(engine, batches: dict[str, set[str]], calls: dict[str, datetime]):
    with read_session(engine) as session:
        rows = session.execute(
            select(Delivery.key, Delivery.scheduled_at, Delivery.state, Attempt.claimed_at)
            .join(Attempt, Attempt.delivery_id == Delivery.id, isouter=True)
            .where(Delivery.key.in_(set().union(*batches.values())))
        ).all()
    by_key = {r.key: r for r in rows}
    table, worst = [], []
    for name, keys in batches.items():
        if not keys:
            continue
        claimed = [
            (by_key[k].claimed_at - by_key[k].scheduled_at).total_seconds()
            for k in keys
            if by_key[k].claimed_at is not None
        ]
        sent = [(calls[k] - by_key[k].scheduled_at).total_seconds() for k in keys if k in calls]
        published = sum(1 for k in keys if by_key[k].state == "published")
        others = Counter(by_key[k].state for k in keys if by_key[k].state != "published")
        if others:
            print(f"warning: {name}: not published: {dict(others)}")
        for label, values in (("claim", claimed), ("connector call", sent)):
            if not values:
                table.append((name, label, f"{published}/{len(keys)}", "-", "-", "-", "-"))
                continue
            table.append(
                (
                    name,
                    label,
                    f"{published}/{len(keys)}",
                    f"{percentile(values, 50) * 1000:.0f}",
                    f"{percentile(values, 99) * 1000:.0f}",
                    f"{max(values) * 1000:.0f}",
                    f"{min(values) * 1000:.0f}",
                )
            )
        worst += [(sent_at, k) for k in keys if (sent_at := _late(calls, by_key, k)) is not None]
    worst.sort(reverse=True)
    return table, worst[:3]


def _late(calls, by_key, key):
    return (calls[key] - by_key[key].scheduled_at).total_seconds() if key in calls else None


def query_timings(engine, settings: Settings) -> list[tuple[str, str]]:
    """The two ledger reads every wake makes, timed on the loaded ledger (nothing due)."""
    ledger = Ledger(engine, owner="bench-probe")
    policy = claim_policy(settings)
    out = []
    for label, call in (
        ("next_wake", lambda: ledger.next_wake(datetime.now(UTC))),
        ("claim_next (nothing due)", lambda: ledger.claim_next(datetime.now(UTC), policy)),
    ):
        times = []
        for _ in range(30):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        out.append((label, f"{statistics.median(times) * 1000:.2f} ms median of 30"))
    return out


def run(url: str, workspace: Path, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    plans = pending_plans(args.pending, now)
    files = sorted({p.source_file for p in plans})

    start = time.perf_counter()
    sync_plans(engine, plans, valid_files=files, now=now, actor="bench")
    load_time = time.perf_counter() - start

    # Quotas far above the batch: deferral is not what is measured (the quota query still runs).
    quota = {"posts_per_24h": 1_000_000}
    settings = Settings(
        workspace=workspace,
        database_url=url,
        grace_minutes=15,
        log_level="WARNING",
        x=quota,
        facebook=quota,
    )
    probes = query_timings(engine, settings)

    calls: dict[str, datetime] = {}
    made: dict[str, FastConnector] = {}
    lock = threading.Lock()

    def factory(platform: str) -> FastConnector:
        with lock:
            return made.setdefault(platform, FastConnector(platform, calls))

    current = list(plans)
    daemon = Daemon(
        settings,
        engine=engine,
        connector_factory=factory,
        planner=lambda _now: PlanSet(list(current), files),
    )
    start = time.perf_counter()
    daemon.start()
    start_time = time.perf_counter() - start
    try:
        total = args.due + args.sparse + args.burst + args.resyncs
        chosen = pick(total, args.pending, rng)
        rng.shuffle(chosen)
        spread_ix = chosen[: args.due]
        sparse_ix = chosen[args.due : args.due + args.sparse]
        burst_ix = chosen[args.due + args.sparse : args.due + args.sparse + args.burst]
        resync_ix = chosen[args.due + args.sparse + args.burst :]

        # One after the other, so that each batch measures one thing: spread (the daemon
        # mostly waiting for the next instant), burst (throughput), sparse (waking from idle,
        # with the periodic rescans in between), resync (due while the hourly campaign sync
        # of all pending deliveries runs).
        # The re-timing sync must finish before the first instant; it costs about what the
        # start-up's no-op sync did (seconds on PostgreSQL), so lead by twice that.
        lead = args.lead if args.lead is not None else max(5.0, 2 * start_time)
        t0 = datetime.now(UTC) + timedelta(seconds=lead)
        window = timedelta(seconds=args.window)
        at: dict[int, datetime] = {}
        for i in spread_ix:
            at[i] = t0 + window * rng.random()
        burst_at = t0 + window + timedelta(seconds=2)
        for i in burst_ix:
            at[i] = burst_at
        moment = burst_at + timedelta(seconds=3)
        for i in sparse_ix:
            moment += timedelta(seconds=rng.uniform(2.0, 10.0))
            at[i] = moment
        gap = timedelta(seconds=max(6.0, 2 * start_time))  # a no-op sync takes ~start_time
        resync_at = []
        for i in resync_ix:
            moment += gap
            at[i] = moment
            resync_at.append(moment - timedelta(seconds=0.2))
        for i, when in at.items():
            current[i] = dataclasses.replace(current[i], at_utc=when)
        end = max(at.values()) if at else t0

        start = time.perf_counter()
        daemon.resync()  # what the campaign-file watcher does after an edit
        daemon.schedule_wake()
        resync_time = time.perf_counter() - start
        if datetime.now(UTC) > t0:
            print(
                f"warning: re-timing took {resync_time:.1f} s, longer than the lead of "
                f"{lead:.1f} s; the first deliveries start late (raise --lead)"
            )

        batches = {
            f"spread ({len(spread_ix)} over {args.window:.0f} s)": {
                current[i].key for i in spread_ix
            },
            f"burst ({len(burst_ix)} at one instant)": {current[i].key for i in burst_ix},
            f"sparse ({len(sparse_ix)}, 2-10 s apart)": {current[i].key for i in sparse_ix},
            f"resync ({len(resync_ix)}, due 0.2 s into a sync)": {
                current[i].key for i in resync_ix
            },
        }
        syncer = threading.Thread(target=resync_at_times, args=(daemon, resync_at), daemon=True)
        syncer.start()
        wanted = set().union(*batches.values())
        deadline = end + timedelta(seconds=args.timeout)
        while datetime.now(UTC) < deadline and not wanted <= calls.keys():
            time.sleep(0.2)
        syncer.join()
    finally:
        daemon.stop()

    extra = set(calls) - wanted
    table, worst = lateness_rows(engine, batches, calls)
    engine.dispose()

    print(
        f"data: {args.pending} pending deliveries on {', '.join(PLATFORMS)} "
        f"(synthetic, seed {args.seed}), {describe_url(url)}"
    )
    print(f"machine: {machine()}")
    print()
    print_table(
        table, ["batch", "measured at", "published", "p50 ms", "p99 ms", "max ms", "min ms"]
    )
    print()
    print_table(
        [
            ("initial sync of the pending deliveries", f"{load_time:.1f} s"),
            ("daemon start-up (schema, recovery, no-op resync)", f"{start_time:.2f} s"),
            ("re-timing resync (edited campaign)", f"{resync_time:.2f} s"),
            *probes,
            ("published outside the batch (must be 0)", str(len(extra))),
        ],
        ["step", "time"],
    )
    if worst:
        print("\nlatest connector calls: " + "; ".join(f"{k} {s * 1000:.0f} ms" for s, k in worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=200, help="spread over --window seconds")
    parser.add_argument("--window", type=float, default=45.0)
    parser.add_argument("--sparse", type=int, default=8)
    parser.add_argument(
        "--resyncs", type=int, default=3, help="deliveries due while a campaign sync runs"
    )
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument(
        "--lead",
        type=float,
        default=None,
        help="seconds between re-timing and the first due instant "
        "(default: 5, or twice the start-up time if longer)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait after the last due instant"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL (a scratch database is made beside it)",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="use $BEATPOST_TEST_POSTGRES_URL as --database-url"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.due + args.sparse + args.burst + args.resyncs > args.pending:
        parser.error("--due + --sparse + --burst + --resyncs must not exceed --pending")
    server = args.database_url or (postgres_url(None) if args.postgres else None)
    if args.postgres and not server:
        parser.error("--postgres needs BEATPOST_TEST_POSTGRES_URL to be set")
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp)
        if server:
            with scratch_postgres(server) as url:
                run(url, workspace, args)
        else:
            run(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}", workspace, args)


if __name__ == "__main__":
    main()
