"""The store: SQLModel tables, engine/session helpers, migrations and ledger operations.

Public API::

    engine = store.open_engine(settings.resolved_database_url)   # make_engine + upgrade
    ledger = store.Ledger(engine, owner="daemon@host:1234")
    store.sync_plans(engine, plans, valid_files=..., invalid_files=..., now=..., actor=...)
"""

from sqlalchemy import Engine

from store.engine import (
    StoreError,
    is_sqlite,
    make_engine,
    read_session,
    sqlite_path,
    write_session,
)
from store.ledger import TRANSITIONS, Ledger, LedgerError, TransitionError
from store.ledger_types import (
    Claim,
    ClaimPolicy,
    DeliveryView,
    InvalidFile,
    PauseView,
    ResumeReport,
    StatusReport,
    SyncChange,
    SyncReport,
)
from store.migrate import current_revision, head_revision, upgrade
from store.models import Attempt, AuditEntry, CampaignFile, Delivery, Pause, State
from store.sync import PlannedDelivery, SyncError, SyncStopped, Window, sync_plans
from store.timeutil import UTCDateTime, utc_now


def open_engine(url: str) -> Engine:
    """An engine on ``url`` with the schema upgraded to the newest revision."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


__all__ = [
    "Attempt",
    "AuditEntry",
    "CampaignFile",
    "Claim",
    "ClaimPolicy",
    "Delivery",
    "DeliveryView",
    "InvalidFile",
    "Ledger",
    "LedgerError",
    "Pause",
    "PauseView",
    "PlannedDelivery",
    "ResumeReport",
    "State",
    "StatusReport",
    "StoreError",
    "SyncChange",
    "SyncError",
    "SyncStopped",
    "SyncReport",
    "TRANSITIONS",
    "TransitionError",
    "UTCDateTime",
    "Window",
    "current_revision",
    "head_revision",
    "is_sqlite",
    "make_engine",
    "open_engine",
    "read_session",
    "sqlite_path",
    "sync_plans",
    "upgrade",
    "utc_now",
    "write_session",
]
