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

from store.ledger_base import TRANSITIONS, LedgerError, TransitionError, audit, move
from store.ledger_claims import Claims
from store.ledger_operator import OperatorActions
from store.ledger_status import StatusQueries


class Ledger(Claims, OperatorActions, StatusQueries):
    """The delivery ledger on one engine. ``owner`` identifies this process in leases.

    Claims (``store.ledger_claims``), a person's actions (``store.ledger_operator``) and
    reading (``store.ledger_status``) in one object; every method is one transaction.
    """


__all__ = ["Ledger", "TRANSITIONS", "LedgerError", "TransitionError", "audit", "move"]
