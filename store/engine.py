"""Engines and sessions: SQLite in the data folder by default, PostgreSQL by URL.

SQLite is opened in WAL mode with a busy timeout, and every writing transaction starts with
``BEGIN IMMEDIATE``: it takes the write lock up front, so a claim reads and updates the ledger
with no other writer in between (PostgreSQL gets the same from row locks instead).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be opened or used as asked; the message says what to do."""


def make_engine(url: str, **engine_kwargs: Any) -> Engine:
    """Create an engine for ``url``; creates the folder of a SQLite file if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **engine_kwargs)
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        engine_kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **engine_kwargs)
    raise StoreError(
        f"unsupported database URL scheme {parsed.drivername!r}; "
        "use sqlite:///PATH or postgresql+psycopg://..."
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL or an in-memory database)."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database
    if database and database.startswith("file:") and engine.url.query.get("uri") == "true":
        # sqlite:///file:PATH?uri=true: the same file as sqlite:///PATH, unless in memory.
        if engine.url.query.get("mode") == "memory":
            return None
        database = unquote(urlsplit(database).path)
    if not database or database == ":memory:":
        return None
    return Path(database).expanduser().resolve()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is DEFERRED).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


# SQLite has one writer at a time. Threads of one process queue on a lock of their own
# rather than in SQLite's busy handler, which sleeps in steps of up to 100 ms and made
# parallel publishing lanes slower than one. Other processes still meet the busy timeout.
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def _writer(engine: Engine) -> AbstractContextManager[object]:
    if not is_sqlite(engine):
        return nullcontext()
    lock = _WRITE_LOCKS.get(engine)
    if lock is None:
        lock = _WRITE_LOCKS.setdefault(engine, threading.RLock())
    return lock


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A transaction that will write: committed on success, rolled back on any error."""
    with _writer(engine), Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only transaction (on SQLite it does not take the write lock)."""
    reader = engine.execution_options(sqlite_begin="DEFERRED") if is_sqlite(engine) else engine
    with Session(reader, expire_on_commit=False) as session:
        with session.begin():
            yield session


_T = TypeVar("_T")
IN_CHUNK = 500  # values in one SQL ``IN (...)``: well under every backend's parameter limit


def chunks(values: Iterable[_T], size: int = IN_CHUNK) -> Iterator[list[_T]]:
    """``values`` without repeats, in lists of at most ``size`` (one ``IN (...)`` query each)."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]
