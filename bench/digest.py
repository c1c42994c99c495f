"""Digest build time and peak memory at one-year scale, on SQLite and PostgreSQL.

A fresh store is bulk-loaded with a synthetic year of one busy department: ``--posts``
published deliveries (X, Facebook, Instagram; 2027-01-04 to 2028-01-02), ``--snapshots``
metric snapshots (an equal series per post, ages 10 minutes to 90 days), ``--comments``
comments (hours to days after their post; 5% need a reply, 1% hostile), plus next week's
planned deliveries, a few failures and a pause. Rows go in with executemany (SQLite) or COPY
(PostgreSQL), not through the pull code.

Then the digest of the year's last week (2027-W52, compared with W51) is built from the
store with ``analysis.digest.build.build_digest`` and rendered with
``analysis.digest.render.render`` (HTML, text, charts):

- time: best and first of ``--repeat`` builds, and one render;
- memory: tracemalloc peak of one build (Python allocations), and in a fresh subprocess the
  peak resident set (ru_maxrss) of build + render next to its resident set before.

    .venv/bin/python bench/digest.py [--posts 5000] [--snapshots 1000000]
        [--comments 200000] [--backend sqlite|postgresql|both] [--database-url URL]

PostgreSQL uses ``--database-url`` or ``$BEATPOST_TEST_POSTGRES_URL`` (a scratch database is
created beside the one named, and dropped). ``--backend both`` is the default when a URL is
known, else SQLite alone.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import (
    TEXTS,
    describe_url,
    machine,
    postgres_url,
    print_table,
    scratch_postgres,
)
from sqlalchemy import Engine, Table

from analysis.digest.build import build_digest
from analysis.digest.render import render
from analysis.timeframe import IsoWeek
from config import Settings
from store import make_engine, upgrade
from store.metrics_models import CommentRecord, MetricSnapshotRecord
from store.models import Delivery, Pause

YEAR_START = datetime(2027, 1, 4, tzinfo=UTC)  # a Monday: ISO 2027-W01
WEEKS = 52
WEEK = IsoWeek(2027, 52)
NOW = datetime(2028, 1, 3, 13, 0, tzinfo=UTC)  # Monday 07:00 in Chicago: send time
ZONE = "America/Chicago"
PLATFORMS = ("x", "facebook", "instagram")
KINDS = ("announcement", "testimonial", "event")
PARTNERS = (None, None, "Springfield High School", "Springfield Community College")
COMMENTS = (
    ("positive", "Proud of our officers, thank you for all you do"),
    ("positive", "My cousin joined last year and loves it. Apply!"),
    ("neutral", "What is the age limit to apply?"),
    ("neutral", "Is the fair open to the public or students only?"),
    ("negative", "Fix the response times before recruiting more"),
    ("negative", "Nobody answered when I called the number on the flyer"),
)
CHUNK = 20_000


# -- the synthetic year ------------------------------------------------------------------------


def _published_at(n: int, posts: int, rng: random.Random) -> datetime:
    # Evenly over the year, at a plausible local posting hour (08:00-18:00 Chicago ~ 14-24 UTC).
    day = YEAR_START + timedelta(days=WEEKS * 7 * n / posts)
    return day.replace(hour=14) + timedelta(minutes=rng.randrange(0, 600))


def delivery_row(n: int, *, state: str, at: datetime, published: bool) -> dict[str, Any]:
    platform = PLATFORMS[n % 3]
    campaign = f"campaign-{n % 40:02d}"
    text = f"{TEXTS[n % len(TEXTS)]} ({n})"
    return {
        "id": n + 1,
        "key": f"{campaign}/post-{n:05d}/{platform}/once",
        "campaign_id": campaign,
        "campaign_name": f"Campaign {n % 40}",
        "post_id": f"post-{n:05d}",
        "kind": KINDS[n % 3],
        "platform": platform,
        "occurrence": "once",
        "scheduled_at": at,
        "due_at": at,
        "timezone": ZONE,
        "text": text,
        "media": [],
        "link": f"https://springfieldpd.example.org/careers?utm_source={platform}",
        "partner": PARTNERS[n % len(PARTNERS)],
        "approved_by": "Lt. Bench",
        "source_file": f"campaigns/{campaign}.yaml",
        "source_line": 10 + n % 40,
        "content_hash": f"{n:016x}",
        "state": state,
        "reason": None if state in ("published", "planned") else "token expired (code 89)",
        "attempt_count": 1 if published else 0,
        "transient_errors": 0,
        "current_attempt_id": None,
        "resume": {},
        "platform_id": f"{platform}-{n}" if published else None,
        "url": f"https://{platform}.example/p/{n}" if published else None,
        "published_at": at if published else None,
        "lease_owner": None,
        "lease_expires_at": None,
        "created_at": YEAR_START - timedelta(days=30),
        "updated_at": at,
    }


def deliveries(posts: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[datetime]]:
    """Published posts, then next week's plan and a few problems in the digest week."""
    rows, published = [], []
    for n in range(posts):
        at = _published_at(n, posts, rng)
        rows.append(delivery_row(n, state="published", at=at, published=True))
        published.append(at)
    week_start = YEAR_START + timedelta(weeks=WEEKS - 1)
    extra = posts
    for i in range(100):  # next week
        at = week_start + timedelta(days=7, hours=14 + i % 10, minutes=i)
        rows.append(delivery_row(extra, state="planned", at=at, published=False))
        extra += 1
    for i, state in enumerate(["failed", "skipped", "failed", "skipped", "unknown"]):
        at = week_start + timedelta(days=i, hours=15)
        rows.append(delivery_row(extra, state=state, at=at, published=False))
        extra += 1
    return rows, published


def snapshots(published: list[datetime], total: int, rng: random.Random) -> Iterator[dict]:
    per_post = max(1, total // len(published))
    # Ages from 10 minutes to 90 days, geometric: dense early, as a pull schedule is.
    ages = [600 * (12_960 ** (k / max(per_post - 1, 1))) for k in range(per_post)]
    emitted = 0
    for index, at in enumerate(published):
        platform = PLATFORMS[index % 3]
        reach_only = platform == "facebook"
        final = rng.randint(300, 20_000)
        for k, age in enumerate(ages):
            if emitted >= total:
                return
            grown = final * (1 - math.exp(-age / 86_400))
            seen = int(grown) + 1
            yield {
                "delivery_id": index + 1,
                "platform": platform,
                "slot": f"a{k}",
                "taken_at": at + timedelta(seconds=age),
                "age_seconds": int(age),
                "views": None if reach_only else seen,
                "reach": int(seen * 0.7),
                "reactions": int(seen * 0.03),
                "shares": int(seen * 0.004),
                "replies": int(seen * 0.002),
                "link_clicks": int(seen * 0.006),
                "saves": int(seen * 0.001) if platform == "instagram" else None,
                "quotes": int(seen * 0.0005) if platform == "x" else None,
                "bookmarks": int(seen * 0.0007) if platform == "x" else None,
                "extras": {},
            }
            emitted += 1


def comments(published: list[datetime], total: int, rng: random.Random) -> Iterator[dict]:
    for i in range(total):
        index = i % len(published)
        platform = PLATFORMS[index % 3]
        label, text = COMMENTS[rng.randrange(len(COMMENTS))]
        roll = rng.random()
        flags = ["needs_reply"] if roll < 0.05 else ["hostile"] if roll < 0.06 else []
        created = published[index] + timedelta(seconds=rng.expovariate(1 / 14_400))
        yield {
            "platform": platform,
            "platform_comment_id": f"c{i}",
            "delivery_id": index + 1,
            "post_platform_id": f"{platform}-{index}",
            "parent_id": None,
            "author": f"resident{i % 9_000}",
            "text": text,
            "created_at": created,
            "url": f"https://{platform}.example/c/{i}",
            "sentiment_label": label,
            "sentiment_score": {"positive": 0.8, "neutral": 0.1, "negative": -0.7}[label],
            "flags": flags,
            "ingested_at": created + timedelta(hours=1),
        }


# -- bulk loading ------------------------------------------------------------------------------


def _chunks(rows, size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def bulk_insert(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys): COPY on PostgreSQL, executemany on SQLite."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    columns = list(first)
    rows = itertools.chain([first], rows)
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            return _copy(raw.driver_connection, table, columns, rows)
        return _executemany(raw.driver_connection, engine, table, columns, rows)
    finally:
        raw.close()


def _copy(pg: Any, table: Table, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with pg.cursor() as cur:
        with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_copy_value(row[c]) for c in columns])
                count += 1
        if "id" in columns:  # the next id the application inserts must be free
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
    pg.commit()
    return count


def _executemany(
    db: Any, engine: Engine, table: Table, columns: list[str], rows: Iterable[dict[str, Any]]
) -> int:
    # Values go through the columns' own bind processors, so instants and JSON are stored
    # exactly as the application stores them; one transaction for the whole table.
    processors = [
        table.c[c].type.dialect_impl(engine.dialect).bind_processor(engine.dialect) for c in columns
    ]
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    count = 0
    cur = db.cursor()
    cur.execute("BEGIN")
    for chunk in _chunks(rows):
        cur.executemany(
            sql,
            [
                tuple(p(row[c]) if p else row[c] for c, p in zip(columns, processors, strict=True))
                for row in chunk
            ],
        )
        count += len(chunk)
    cur.execute("COMMIT")
    cur.close()
    return count


def load(engine: Engine, args: argparse.Namespace) -> list[tuple[str, str]]:
    rng = random.Random(args.seed)
    delivery_rows, published = deliveries(args.posts, rng)
    steps = []
    for name, table, rows in (
        ("deliveries", Delivery.__table__, delivery_rows),
        (
            "metric snapshots",
            MetricSnapshotRecord.__table__,
            snapshots(published, args.snapshots, rng),
        ),
        ("comments", CommentRecord.__table__, comments(published, args.comments, rng)),
    ):
        start = time.perf_counter()
        n = bulk_insert(engine, table, rows)
        steps.append((f"load {n:,} {name}", f"{time.perf_counter() - start:.1f} s"))
    week_start = YEAR_START + timedelta(weeks=WEEKS - 1)
    bulk_insert(
        engine,
        Pause.__table__,
        [
            {
                "platform": "facebook",
                "campaign_id": None,
                "reason": "incident on Main St",
                "created_by": "pio@bench",
                "created_at": week_start + timedelta(days=2, hours=15),
                "until": None,
                "ended_at": week_start + timedelta(days=3, hours=1),
                "ended_by": "pio@bench",
            }
        ],
    )
    # Fresh planner statistics, as autovacuum would have after a year.
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return steps


# -- measuring ---------------------------------------------------------------------------------


def settings_for(url: str, workspace: Path) -> Settings:
    return Settings(
        workspace=workspace,
        database_url=url,
        default_timezone=ZONE,
        digest={"department": "Springfield Police Department"},
    )


def measure_in_process(engine: Engine, settings: Settings, repeat: int) -> dict[str, Any]:
    times = []
    data = None
    for _ in range(repeat):
        start = time.perf_counter()
        data = build_digest(engine, WEEK, settings, lambda: NOW)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    rendered = render(data)
    render_time = time.perf_counter() - start

    gc.collect()
    tracemalloc.start()
    build_digest(engine, WEEK, settings, lambda: NOW)
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "first": times[0],
        "best": min(times),
        "render": render_time,
        "build_peak": build_peak,
        "posts": data.this_week.posts_out,
        "comments": data.this_week.comments,
        "html": len(rendered.html),
    }


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(url: str, workspace: str) -> None:
    """Run in a fresh interpreter: build + render once; print RSS before and the peak (KiB)."""
    settings = settings_for(url, Path(workspace))
    engine = make_engine(url)
    with engine.connect():
        pass
    before = _rss_kb()
    data = build_digest(engine, WEEK, settings, lambda: NOW)
    render(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"before_kb": before, "peak_kb": peak}))


def measure_rss(url: str, workspace: Path) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, str(workspace)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(url: str, workspace: Path, args: argparse.Namespace) -> tuple[list, list]:
    engine = make_engine(url)
    upgrade(engine)
    steps = load(engine, args)
    settings = settings_for(url, workspace)
    result = measure_in_process(engine, settings, args.repeat)
    engine.dispose()
    rss = measure_rss(url, workspace)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    row = (
        backend,
        f"{result['first']:.2f}",
        f"{result['best']:.2f}",
        f"{result['render']:.2f}",
        f"{result['build_peak'] / 2**20:.1f}",
        f"{rss['peak_kb'] / 1024:.0f}",
        f"{rss['before_kb'] / 1024:.0f}",
    )
    steps.append(
        (
            "digest week",
            f"{WEEK}: {result['posts']} posts, "
            f"{result['comments']} comments, {result['html'] // 1024} KiB of HTML",
        )
    )
    return [row], [(f"{backend}: {name}", value) for name, value in steps]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--snapshots", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default=None)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL (a scratch database is made beside it)",
    )
    args = parser.parse_args()
    server = postgres_url(args.database_url)
    backend = args.backend or ("both" if server else "sqlite")
    if backend != "sqlite" and not server:
        parser.error(f"--backend {backend} needs --database-url or BEATPOST_TEST_POSTGRES_URL")

    table, steps = [], []
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp)
        if backend in ("sqlite", "both"):
            url = f"sqlite:///{workspace / 'beatpost.db'}"
            rows, notes = run(url, workspace, args)
            table += rows
            steps += notes + [
                (
                    "SQLite: database file",
                    f"{(workspace / 'beatpost.db').stat().st_size / 2**20:.0f} MiB",
                )
            ]
        if backend in ("postgresql", "both"):
            with scratch_postgres(server) as url:
                rows, notes = run(url, workspace, args)
                table += rows
                steps += notes
    print(
        f"data: synthetic year (seed {args.seed}): {args.posts:,} published posts, "
        f"{args.snapshots:,} metric snapshots, {args.comments:,} comments; digest of {WEEK}"
    )
    if server and backend != "sqlite":
        print(f"PostgreSQL server: {describe_url(server)}")
    print(f"machine: {machine()}")
    print()
    print_table(
        table,
        [
            "backend",
            "build s (first)",
            "build s (best)",
            "render s",
            "build peak MiB (tracemalloc)",
            "peak RSS MiB",
            "RSS before MiB",
        ],
    )
    print()
    print_table(steps, ["step", "figure"])


if __name__ == "__main__":
    main()
