"""Ledger operations: claim, finish, pause/resume, retry/skip, status.

Every method is one transaction. State changes go through ``move``, which checks the
transition against ``TRANSITIONS`` and writes the audit row in the same transaction, so the
audit log cannot disagree with the ledger.

Pause vs claim ordering: a claim (and the last check before a request leaves) first takes the
``ledger_control`` row with ``FOR SHARE`` on PostgreSQL; ``pause`` updates that row, which
takes it exclusively. Either the pause commits first and the claim, reading pauses after the
lock, sees it; or the claim commits first, and then ``confirm_send`` (same lock) sees the
pause before the request leaves. On SQLite every writing transaction is ``BEGIN IMMEDIATE``,
which orders them the same way.
"""

from store.ledger_base import (
    _CANDIDATE_BATCH,
    _CANDIDATES_SHOWN,
    _SKIPPED_BY_PAUSE,
    CATCH_UP_WINDOW,
    IN_FLIGHT,
    QUOTA_WINDOW,
    RETRYABLE,
    SKIPPABLE,
    TRANSITIONS,
    LedgerError,
    TransitionError,
    _active_pauses,
    _audit_pause,
    _aware,
    _choose,
    _fmt,
    _make_due_now,
    _matches,
    _no_such_delivery,
    _not_paused,
    _nothing_to_resume,
    _pause_scope,
    _rate_limited,
    _self_ended_pauses,
    _skipped_by,
    _skipped_reason,
    _views,
    audit,
    move,
)
from store.ledger_claims import Claims
from store.ledger_operator import OperatorActions
from store.ledger_status import StatusQueries


class Ledger(Claims, OperatorActions, StatusQueries):
    """The delivery ledger on one engine. ``owner`` identifies this process in leases.

    Claims (``store.ledger_claims``), a person's actions (``store.ledger_operator``) and
    reading (``store.ledger_status``) in one object; every method is one transaction.
    """


__all__ = [
    "Ledger",
    "TRANSITIONS",
    "IN_FLIGHT",
    "RETRYABLE",
    "SKIPPABLE",
    "_CANDIDATES_SHOWN",
    "CATCH_UP_WINDOW",
    "_SKIPPED_BY_PAUSE",
    "_CANDIDATE_BATCH",
    "QUOTA_WINDOW",
    "LedgerError",
    "TransitionError",
    "_no_such_delivery",
    "_fmt",
    "audit",
    "move",
    "_make_due_now",
    "_audit_pause",
    "_skipped_reason",
    "_skipped_by",
    "_self_ended_pauses",
    "_choose",
    "_nothing_to_resume",
    "_pause_scope",
    "_not_paused",
    "_matches",
    "_active_pauses",
    "_rate_limited",
    "_views",
    "_aware",
]
