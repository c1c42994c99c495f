"""Fixtures: an isolated PostgreSQL schema that separate processes can reach by URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from store import make_engine, upgrade
from tests.ledger_fixtures import PG_ENV, postgres_url, scratch_schema
from tests.reliability.harness import url_with_schema


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server, dropped afterwards; its URL."""
    url = postgres_url()
    if not url:
        pytest.skip(f"several daemons share a PostgreSQL ledger: set {PG_ENV} to run this")
    with scratch_schema(url, "bp_rel_") as schema:
        yield url_with_schema(url, schema)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    engine.dispose()
