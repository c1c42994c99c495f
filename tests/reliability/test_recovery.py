"""Restart recovery of what a killed daemon held, step by step (found by the crash run).

A daemon killed while it asked the platform whether an uncertain post went out leaves the
row ``unknown`` with its check claimed for the whole lease (30 minutes). Restarted, the
daemon must check again at once: waiting out the lease would make a post that did not go
out "too late to retry", handing a person work the daemon could have done.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import ClaimPolicy, Ledger, State, sync_plans
from tests.ledger_fixtures import T0, db_url_engine, engine, plan  # noqa: F401 - fixtures

POLICY = ClaimPolicy(grace=timedelta(minutes=15))
DEAD = "otherhost-is-not-asked:1:dead"


def _uncertain_delivery_being_checked(engine, owner: str) -> Ledger:  # noqa: F811
    """A delivery whose publish ended unknown, and whose check ``owner`` then claimed."""
    sync_plans(
        engine, [plan("p1", at=T0)], valid_files=["campaigns/spring.yaml"], now=T0, actor="test"
    )
    crashed = Ledger(engine, owner=owner)
    claim = crashed.claim_next(T0, POLICY)
    assert crashed.confirm_send(claim.attempt_id, T0)
    crashed.finish(
        claim.attempt_id,
        State.UNKNOWN,
        now=T0,
        outcome="unknown",
        reason="outcome unknown, will check x: 500",
        due_at=T0 + timedelta(seconds=30),
    )
    check = crashed.claim_reconcile(T0 + timedelta(seconds=30), POLICY)
    assert check is not None and check.kind == "reconcile"
    return crashed


@pytest.mark.parametrize("how", ["single daemon restart", "owner found dead"])
def test_a_check_interrupted_by_a_crash_is_due_again_at_restart(engine, how):  # noqa: F811
    owner = DEAD if how == "owner found dead" else "vm:1:crashed"
    _uncertain_delivery_being_checked(engine, owner)
    restart = T0 + timedelta(minutes=1)
    ledger = Ledger(engine, owner="vm:2:restarted")
    assert ledger.claim_reconcile(restart, POLICY) is None  # held for the lease meanwhile

    recovered = ledger.recover_orphans(
        restart,
        all_publishing=how == "single daemon restart",
        owner_is_dead=lambda who: who == DEAD,
    )

    assert recovered == 1
    [row] = ledger.deliveries()
    assert row.state == State.UNKNOWN
    assert row.reason == "outcome unknown, will check x: 500"  # what a person reads is kept
    again = ledger.claim_reconcile(restart, POLICY)
    assert again is not None and again.delivery.id == row.id
    interrupted = [a for a in ledger.attempts(row.id) if a.outcome == "interrupted"]
    assert [a.kind for a in interrupted] == ["reconcile"]
    assert any(
        e.reason == "daemon stopped while checking the platform; checking again"
        for e in ledger.audit_log("delivery", str(row.id))
    )


def test_a_check_held_by_a_live_daemon_is_left_alone(engine):  # noqa: F811
    _uncertain_delivery_being_checked(engine, "otherhost:7:alive")
    ledger = Ledger(engine, owner="vm:2:other")
    later = T0 + timedelta(minutes=1)
    assert ledger.recover_orphans(later, all_publishing=False, owner_is_dead=lambda _: False) == 0
    assert ledger.claim_reconcile(later, POLICY) is None
