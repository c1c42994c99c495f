import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, insert, inspect, select, text
from sqlmodel import SQLModel

from store import UTCDateTime, current_revision, head_revision, make_engine, upgrade
from store.migrate import MIGRATIONS_DIR, alembic_config
from store.models import LEDGER_LOCK

LEDGER_TABLES = {
    "deliveries",
    "attempts",
    "pauses",
    "audit_log",
    "campaign_files",
    "ledger_control",
}


def test_upgrade_creates_the_ledger_and_is_idempotent(db_url_engine):
    assert current_revision(db_url_engine) is None
    upgrade(db_url_engine)
    upgrade(db_url_engine)
    assert current_revision(db_url_engine) == head_revision()
    assert LEDGER_TABLES <= set(inspect(db_url_engine).get_table_names())
    with db_url_engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM ledger_control")).scalars().all()
    assert names == [LEDGER_LOCK]


def test_models_match_the_migration(engine):
    ledger_tables = MetaData()
    for name in LEDGER_TABLES:
        SQLModel.metadata.tables[name].to_metadata(ledger_tables)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parent: (
                    type_ != "table" or name in LEDGER_TABLES
                ),
            },
        )
        diff = compare_metadata(ctx, ledger_tables)
    assert diff == []


@pytest.fixture
def stamps(engine):
    meta = MetaData()
    table = Table(
        "t_stamps", meta, Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
    )
    meta.create_all(engine)
    yield table
    meta.drop_all(engine)


def test_utc_datetime_round_trips_instants_as_utc(engine, stamps):
    chicago = timezone(timedelta(hours=-6))
    values = [
        datetime(2027, 3, 14, 3, 30, tzinfo=chicago),
        datetime(2027, 3, 14, 8, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    ]
    with engine.begin() as conn:
        conn.execute(insert(stamps), [{"id": i, "at": v} for i, v in enumerate(values)])
        back = conn.execute(select(stamps.c.at).order_by(stamps.c.id)).scalars().all()
        ordered = conn.execute(select(stamps.c.id).order_by(stamps.c.at)).scalars().all()
    assert back == values
    assert all(v.tzinfo is UTC for v in back)
    assert ordered == [2, 1, 0]  # ordering follows instants, not wall clocks


def test_utc_datetime_refuses_naive_values(engine, stamps):
    with pytest.raises(Exception, match="naive datetime"):
        with engine.begin() as conn:
            conn.execute(insert(stamps), [{"id": 1, "at": datetime(2027, 1, 1, 9, 0)}])


def test_sqlite_is_wal_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'b.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert (tmp_path / "sub").is_dir()


def test_unsupported_url_is_a_clear_error():
    from store import StoreError

    with pytest.raises(StoreError, match="unsupported database URL"):
        make_engine("mysql://localhost/x")


def test_every_table_model_matches_the_migrations(engine):
    """All store/*models.py modules against the full migration chain: autogenerate would
    propose nothing (the migrations env registers the same modules)."""
    import importlib
    import pkgutil

    import store

    for module in pkgutil.iter_modules(store.__path__):
        if module.name.endswith("models"):
            importlib.import_module(f"store.{module.name}")
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []


def test_rate_limit_lookup_uses_the_outcome_index(engine):
    # Every claim and wake looks up "rate_limited" attempts; the attempts table grows by one
    # row per post, so the look-up must not read all of it.
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner scans small tables whatever the indexes")
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id, delivery_id FROM attempts WHERE outcome = 'rate_limited'"
        ).all()
    assert any("ix_attempts_outcome" in row[-1] for row in plan), plan


def test_a_new_migration_from_the_template_is_short_and_chains_after_head(tmp_path):
    config = alembic_config()
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations", os.pathsep.join([str(MIGRATIONS_DIR / "versions"), str(tmp_path)])
    )
    head = head_revision()
    command.revision(config, message="A new table", rev_id="9999_new", version_path=str(tmp_path))
    (written,) = tmp_path.glob("9999_new*.py")
    source = written.read_text()
    assert source.startswith('"""A new table"""\n')
    assert "branch_labels" not in source and "depends_on" not in source
    script = ScriptDirectory.from_config(config).get_revision("9999_new")
    assert script.down_revision == head
    assert script.branch_labels == set() and script.dependencies is None
