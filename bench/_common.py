"""Helpers shared by the benchmarks: tables, percentiles, the machine line, scratch databases,
synthetic delivery plans. Not part of the application."""

from __future__ import annotations

import os
import platform
import signal
import sqlite3
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from campaigns.types import DeliveryPlan  # noqa: E402

POSTGRES_ENV = "BEATPOST_TEST_POSTGRES_URL"


def print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    """A plain, aligned text table (first column left, the others right)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        rest = zip(row[1:], widths[1:], strict=True)
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in rest]
        return "  ".join(parts).rstrip()

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least 1
    return ordered[int(rank) - 1]


def machine() -> str:
    """One line naming the machine, so a figure is never read without its context."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M}Z, {os.cpu_count()} cores ({model}), "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load average {load}"
    )


def postgres_url(given: str | None) -> str | None:
    """``--database-url`` if given, else the test server's URL from the environment."""
    return given or os.environ.get(POSTGRES_ENV) or None


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A fresh, empty database on the server of ``server_url``, dropped afterwards.

    The benchmarks never write into the database named in the URL itself: they create
    ``beatpost_bench_<random>`` beside it, so nothing of anyone else's is touched.
    """
    url = make_url(server_url)
    name = f"beatpost_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(f"stopped by signal {signum}")  # so the database is still dropped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        signal.signal(signal.SIGTERM, previous)
        admin.dispose()


def describe_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}"
    return f"PostgreSQL {parsed.render_as_string(hide_password=True)}"


TEXTS = (
    "Join Springfield PD: our recruiters answer your questions live today. #JoinSPD",
    "Officer Reyes grew up four blocks from the station she works out of now. #JoinSPD",
    "Career fair at Springfield High School gym, Saturday 10 AM to 2 PM. #SpringfieldPD",
    "Applications for the spring academy close Friday. Details and the form at the link.",
)


def delivery_plan(
    n: int,
    at: datetime,
    *,
    platform: str = "x",
    campaigns: int = 50,
) -> DeliveryPlan:
    """The ``n``-th synthetic delivery: realistic text and link, no media (nothing to upload)."""
    campaign = f"bench-{n % campaigns:03d}"
    return DeliveryPlan(
        key=f"{campaign}/post-{n:05d}/{platform}/once",
        campaign_id=campaign,
        campaign_name=f"Bench campaign {n % campaigns}",
        post_id=f"post-{n:05d}",
        kind=("announcement", "testimonial", "event")[n % 3],
        platform=platform,
        occurrence="once",
        at_utc=at,
        timezone="America/Chicago",
        text=f"{TEXTS[n % len(TEXTS)]} ({n})",
        link=f"https://springfieldpd.example.org/careers?utm_source={platform}&utm_campaign={campaign}",
        approved_by="Lt. Bench",
        source_file=f"campaigns/{campaign}.yaml",
        source_line=10 + n % 40,
    )
