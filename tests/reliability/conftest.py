"""Fixtures: an isolated PostgreSQL schema that separate processes can reach by URL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from store import make_engine, upgrade
from tests.ledger_fixtures import PG_ENV, postgres_url
from tests.reliability.harness import url_with_schema


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server, dropped afterwards; its URL."""
    url = postgres_url()
    if not url:
        pytest.skip(f"several daemons share a PostgreSQL ledger: set {PG_ENV} to run this")
    schema = f"bp_rel_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url_with_schema(url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    engine.dispose()
