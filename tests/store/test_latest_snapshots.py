"""``store.metrics.latest_snapshots``: the newest snapshot of each series, chosen in the
database, on SQLite and PostgreSQL; checked by hand on small cases and against a plain Python
reduction over every row on a seeded random store."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store.engine import read_session, write_session
from store.metrics import add_snapshot, latest_snapshots
from store.metrics_models import MetricSnapshotRecord
from store.models import Delivery

T0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)


def _deliver(session, n: int) -> int:
    row = Delivery(
        key=f"spring/p{n}/x/once",
        campaign_id="spring",
        post_id=f"p{n}",
        kind="announcement",
        platform="x",
        occurrence="once",
        scheduled_at=T0,
        due_at=T0,
        timezone="America/Chicago",
        text=f"post {n}",
        content_hash=str(n),
        state="published",
        platform_id=f"id{n}",
        url=f"https://x.test/{n}",
        published_at=T0,
    )
    session.add(row)
    session.flush()
    return row.id


def _snap(session, delivery_id: int, hours: float, views: int, slot: str | None = None) -> None:
    taken = T0 + timedelta(hours=hours)
    add_snapshot(
        session,
        delivery_id=delivery_id,
        platform="x",
        slot=slot or f"{hours}h-{views}",
        taken_at=taken,
        age_seconds=int(hours * 3600),
        counts={"views": views},
        extras={},
    )


def _views(found: dict[int, MetricSnapshotRecord]) -> dict[int, int | None]:
    return {delivery_id: snap.views for delivery_id, snap in found.items()}


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# (case, each delivery's series as (hours after T0, views), limits by delivery index, expected
# views by delivery index; a delivery absent from expected has no qualifying snapshot)
CASES = [
    ("newest of a series", [[(1, 10), (24, 50), (6, 30)]], {}, {0: 50}),
    (
        "limit keeps the newest at or before it",
        [[(1, 10), (24, 50), (6, 30)]],
        {0: _at(6)},
        {0: 30},
    ),
    ("limit before every snapshot", [[(1, 10), (24, 50)]], {0: _at(0.5)}, {}),
    ("a None limit is no limit", [[(1, 10), (24, 50)]], {0: None}, {0: 50}),
    ("same instant: the row stored last", [[(6, 30), (6, 31)]], {}, {0: 31}),
    ("no snapshots at all", [[], [(2, 7)]], {}, {1: 7}),
    (
        "limits per delivery",
        [[(1, 10), (24, 50)], [(1, 11), (24, 51)]],
        {1: _at(2)},
        {0: 50, 1: 11},
    ),
]


@pytest.mark.parametrize(
    ("series", "limits", "expected"),
    [pytest.param(s, lim, e, id=name) for name, s, lim, e in CASES],
)
def test_latest_snapshot_per_delivery(engine, series, limits, expected):
    with write_session(engine) as session:
        ids = [_deliver(session, n) for n in range(len(series))]
        for delivery_id, points in zip(ids, series, strict=True):
            for hours, views in points:
                _snap(session, delivery_id, hours, views)
    with read_session(engine) as session:
        found = latest_snapshots(
            session, ids, taken_before={ids[i]: at for i, at in limits.items()} or None
        )
        assert _views(found) == {ids[i]: views for i, views in expected.items()}


def test_agrees_with_a_full_scan_across_chunks(engine):
    """More deliveries than one query takes (500), random series, ties and limits."""
    rng = random.Random(11)
    with write_session(engine) as session:
        ids = [_deliver(session, n) for n in range(520)]
        for delivery_id in ids:
            for k in range(rng.randint(0, 4)):
                # Whole hours from a small range: equal instants happen.
                _snap(session, delivery_id, rng.randint(1, 6), rng.randint(1, 1000), f"s{k}")
    limits = {d: _at(rng.randint(0, 7)) for d in ids if rng.random() < 0.7}
    with read_session(engine) as session:
        rows = session.execute(
            select(MetricSnapshotRecord).order_by(
                MetricSnapshotRecord.taken_at, MetricSnapshotRecord.id
            )
        ).scalars()
        expected: dict[int, int] = {}
        for row in rows:  # the newest qualifying row wins: last in (taken_at, id) order
            limit = limits.get(row.delivery_id)
            if limit is None or row.taken_at <= limit:
                expected[row.delivery_id] = row.id
        found = latest_snapshots(session, ids, taken_before=limits)
    assert {d: snap.id for d, snap in found.items()} == expected
    assert len(expected) > 300  # the random store exercised the query
