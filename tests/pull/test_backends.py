"""The store writes of a pull on each backend: SQLite, and PostgreSQL when
BEATPOST_TEST_POSTGRES_URL is set (each test in a fresh schema)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from beatpost.pull import run_pull
from store import metrics as store_metrics
from store.engine import read_session, write_session
from store.migrate import upgrade
from tests.ledger_fixtures import db_url_engine  # noqa: F401  (the parametrised backend)

from .conftest import T0, FakeConnector, add_delivery, factory, settings, simple_scorer


@pytest.fixture
def backend(db_url_engine):  # noqa: F811
    upgrade(db_url_engine)
    return db_url_engine


def test_pull_dedups_comments_and_snapshots_on_each_backend(backend, clock):
    fb = FakeConnector("facebook", clock, ignore_since=True)
    fb.posts["p"] = T0
    did = add_delivery(backend, platform="facebook", platform_id="p", published_at=T0)
    fb.add_comment("p", T0 + timedelta(minutes=5), "When is the next academy class?")
    clock.advance(timedelta(hours=1))
    first = run_pull(settings(), backend, factory(fb), clock.now, scorer=simple_scorer)
    clock.advance(timedelta(hours=5))
    second = run_pull(settings(), backend, factory(fb), clock.now, scorer=simple_scorer)
    assert first.platforms["facebook"].new_comments == 1
    assert second.platforms["facebook"].new_comments == 0
    assert second.platforms["facebook"].duplicate_comments == 1
    with read_session(backend) as session:
        comments = store_metrics.comments_of(session, did)
        snaps = store_metrics.snapshots_of(session, did)
    assert [c.flags for c in comments] == [["needs_reply"]]
    assert [s.slot for s in snaps] == ["1h", "6h"]
    assert snaps[0].taken_at == T0 + timedelta(hours=1)  # aware UTC back from either backend


def test_scheduled_slot_is_stored_once(backend):
    did = add_delivery(backend, platform="x", platform_id="1", published_at=T0)
    values = dict(
        delivery_id=did,
        platform="x",
        taken_at=T0,
        age_seconds=3600,
        counts={"views": 5},
        extras={"raw": 1},
    )
    with write_session(backend) as session:
        assert store_metrics.add_snapshot(session, slot="1h", **values)
        assert not store_metrics.add_snapshot(session, slot="1h", **values)
        assert store_metrics.add_snapshot(session, slot=None, **values)
        assert store_metrics.add_snapshot(session, slot=None, **values)  # off schedule: repeats
    with read_session(backend) as session:
        snaps = store_metrics.snapshots_of(session, did)
    assert [s.slot for s in snaps] == ["1h", None, None] and snaps[0].extras == {"raw": 1}


METRICS_TABLES = {"metric_snapshots", "comments", "pull_cursors", "pull_platform_state"}


def test_models_match_migration_0002(backend):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import MetaData
    from sqlmodel import SQLModel

    import store.metrics_models  # noqa: F401  (registers the tables)

    ours = MetaData()
    for name in ("deliveries", *sorted(METRICS_TABLES)):  # deliveries: the foreign keys' target
        SQLModel.metadata.tables[name].to_metadata(ours)
    with backend.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parent: (
                    type_ != "table" or name in METRICS_TABLES
                ),
                "include_object": lambda obj, name, type_, reflected, other: (
                    type_ != "table" or name in METRICS_TABLES
                ),
            },
        )
        assert compare_metadata(ctx, ours) == []


def test_one_pull_at_a_time(backend, clock):
    from store.metrics import pull_lock

    fb = FakeConnector("facebook", clock)
    fb.posts["p"] = T0
    add_delivery(backend, platform="facebook", platform_id="p", published_at=T0)
    clock.advance(timedelta(hours=1))
    with pull_lock(backend) as held:
        assert held
        report = run_pull(settings(), backend, factory(fb), clock.now, scorer=simple_scorer)
    if backend.dialect.name == "postgresql":
        assert report.skipped == "another pull is running on this database"
        assert fb.metric_calls == [] and report.ok
        report = run_pull(settings(), backend, factory(fb), clock.now, scorer=simple_scorer)
    assert report.skipped is None and report.platforms["facebook"].snapshots == 1
