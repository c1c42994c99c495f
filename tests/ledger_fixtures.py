"""Database fixtures shared by the store and daemon tests: one SQLite file per test, and the
same tests on PostgreSQL (a fresh schema per test) when BEATPOST_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from campaigns.types import DeliveryPlan, MediaRef
from store import make_engine, sqlite_path, upgrade

PG_ENV = "BEATPOST_TEST_POSTGRES_URL"


def postgres_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("BEATPOST_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"BEATPOST_TEST_REQUIRE_POSTGRES=1 but {PG_ENV} is not set")
    return url


@contextmanager
def scratch_schema(url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL schema (``prefix`` and random hex), dropped with all in it afterwards."""
    schema = f"{prefix}{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _pg_engine(url: str) -> Iterator[Engine]:
    with scratch_schema(url, "bp_") as schema:
        # Test data need not survive a power cut: skip the commit fsync for speed.
        engine = make_engine(
            url, connect_args={"options": f"-csearch_path={schema} -csynchronous_commit=off"}
        )
        try:
            yield engine
        finally:
            engine.dispose()


_TEMPLATE: list[Path] = []


def _sqlite_template(factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database made once per session; tests get a copy (migrating each
    test's database costs more than the test)."""
    if not _TEMPLATE:
        path = factory.mktemp("template") / "ledger.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()  # the last connection to close checkpoints the WAL into the file
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, not yet migrated engine on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
        yield engine
        engine.dispose()
        return
    url = postgres_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://...)")
    yield from _pg_engine(url)


@pytest.fixture
def engine(db_url_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A migrated engine on each backend."""
    database = sqlite_path(db_url_engine)
    if database is not None and not database.exists():
        shutil.copyfile(_sqlite_template(tmp_path_factory), database)
    upgrade(db_url_engine)  # a no-op on the copy; the real thing on PostgreSQL
    return db_url_engine


T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def plan(
    post: str = "p1",
    *,
    platform: str = "x",
    at: datetime = T0,
    campaign: str = "spring",
    text_: str | None = None,
    approved_by: str | None = "Lt. Ortiz",
    source_file: str = "campaigns/spring.yaml",
    occurrence: str = "once",
    timezone: str = "America/Chicago",
    media: tuple[MediaRef, ...] = (),
) -> DeliveryPlan:
    return DeliveryPlan(
        key=f"{campaign}/{post}/{platform}/{occurrence}",
        campaign_id=campaign,
        campaign_name=campaign.title(),
        post_id=post,
        kind="announcement",
        platform=platform,
        occurrence=occurrence,
        at_utc=at,
        timezone=timezone,
        text=text_ if text_ is not None else f"Join us: {post}",
        media=media,
        link="https://example.gov/jobs?utm_source=x",
        approved_by=approved_by,
        source_file=source_file,
        source_line=3,
    )


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)
