"""kill -9 the daemon hundreds of times during a busy schedule; count posts per delivery.

The daemon (``beatpost run`` with its retry delays shortened to seconds) publishes to the
sandbox, which answers a share of requests "500, but the post was created" and adds latency
so a request is usually in flight. It is killed with SIGKILL at a random moment of each life
and restarted; at the end it is left to settle, then every delivery's posts are counted in
the sandbox. The promise is 0 duplicates and 0 silent losses (a delivery not posted is
failed/unknown with its reason, for a person).

    .venv/bin/python bench/crash.py [--kills 300] [--deliveries 4000]
    .venv/bin/python bench/crash.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

Exit status 1 when a duplicate or a silent loss was found.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ledger_fixtures import scratch_schema  # noqa: E402
from tests.reliability.crashrun import CrashFigures, run_crash  # noqa: E402
from tests.reliability.harness import url_with_schema  # noqa: E402


@contextmanager
def own_schema(url: str | None) -> Iterator[str | None]:
    """On PostgreSQL, a schema of the run's own (dropped afterwards): the database may be
    shared, and the run must neither see nor leave other tables."""
    if not url or make_url(url).get_backend_name() != "postgresql":
        yield url
        return
    with scratch_schema(url, "bp_crash_") as schema:
        yield url_with_schema(url, schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="SIGKILLs (default 300)")
    parser.add_argument(
        "--deliveries", type=int, default=None, help="deliveries (default 25 per kill)"
    )
    parser.add_argument(
        "--database-url", default=None, help="ledger URL (default: SQLite in a temp folder)"
    )
    parser.add_argument("--created-but-500-rate", type=float, default=0.15)
    parser.add_argument("--latency", type=float, default=0.04, help="seconds per platform reply")
    parser.add_argument("--life-min", type=float, default=0.2, help="shortest life after start")
    parser.add_argument("--life-max", type=float, default=2.5, help="longest life after start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--settle",
        type=float,
        default=None,
        help="seconds the last daemon gets to settle everything (default: deliveries / 10)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args(argv)
    deliveries = args.deliveries or 25 * args.kills

    def progress(done: int, figures: CrashFigures) -> None:
        if not args.json and (done % 25 == 0 or done == args.kills):
            print(
                f"  {done}/{args.kills} kills, {figures.kills_after_send} with a request sent",
                file=sys.stderr,
                flush=True,
            )

    with (
        tempfile.TemporaryDirectory(prefix="beatpost-crash-") as folder,
        own_schema(args.database_url) as database_url,
    ):
        started = time.monotonic()
        figures = run_crash(
            Path(folder),
            kills=args.kills,
            deliveries=deliveries,
            database_url=database_url,
            created_but_500_rate=args.created_but_500_rate,
            latency=args.latency,
            life=(args.life_min, args.life_max),
            seed_value=args.seed,
            settle_timeout=args.settle or max(120.0, deliveries / 10),
            progress=progress,
        )
        elapsed = time.monotonic() - started
    data = figures.to_json()
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        backend = "PostgreSQL" if args.database_url else "SQLite"
        print(f"crash run on {backend}, {elapsed:.0f} s")
        width = max(len(k) for k in data)
        for key, value in data.items():
            print(f"  {key:<{width}}  {value}")
    t = figures.tally
    return 1 if t.duplicates or t.lost or t.mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
