"""After a platform answers a post with a rate limit, nothing goes to it before the reset.

Found by the fault run (test_faults.py): the refused post waited for the reset, but the
next post to the same platform was sent at once, into the same spent window.
"""

from __future__ import annotations

from datetime import timedelta

from store import ClaimPolicy, Ledger, State, sync_plans
from tests.ledger_fixtures import T0, db_url_engine, engine, plan  # noqa: F401 - fixtures

POLICY = ClaimPolicy(grace=timedelta(minutes=15))
RESET = T0 + timedelta(minutes=1)


def _rate_limited_x(ledger: Ledger) -> None:
    claim = ledger.claim_next(T0, POLICY)
    assert claim is not None and claim.delivery.post_id == "a"
    assert ledger.confirm_send(claim.attempt_id, T0)
    ledger.finish(
        claim.attempt_id,
        State.PLANNED,
        now=T0,
        outcome="rate_limited",
        reason="rate limited by x; retry at ...",
        due_at=RESET,
    )


def test_a_rate_limited_platform_waits_for_its_reset(engine):  # noqa: F811
    sync_plans(
        engine,
        [
            plan("a", at=T0),
            plan("b", at=T0 + timedelta(seconds=1)),
            plan("c", platform="facebook", at=T0 + timedelta(seconds=2)),
        ],
        valid_files=["campaigns/spring.yaml"],
        now=T0,
        actor="test",
    )
    ledger = Ledger(engine, owner="d1")
    _rate_limited_x(ledger)
    soon = T0 + timedelta(seconds=30)

    other = ledger.claim_next(soon, POLICY)  # facebook is not held back
    assert other is not None and other.delivery.post_id == "c"
    ledger.finish(
        other.attempt_id,
        State.PLANNED,
        now=soon,
        outcome="not_sent",
        reason=None,
        due_at=T0 + timedelta(hours=1),
    )
    assert ledger.claim_next(soon, POLICY) is None  # "b" is due, but x is spent until RESET
    assert ledger.next_wake(soon) == RESET  # not "now": an overdue "b" must not spin the daemon

    first = ledger.claim_next(RESET, POLICY)
    second = ledger.claim_next(RESET, POLICY)
    assert {first.delivery.post_id, second.delivery.post_id} == {"a", "b"}


def test_the_hold_ends_when_the_refused_post_goes_elsewhere(engine):  # noqa: F811
    sync_plans(
        engine,
        [plan("a", at=T0), plan("b", at=T0)],
        valid_files=["campaigns/spring.yaml"],
        now=T0,
        actor="test",
    )
    ledger = Ledger(engine, owner="d1")
    _rate_limited_x(ledger)
    [refused] = [d for d in ledger.deliveries() if d.post_id == "a"]
    ledger.skip(refused.id, actor="pio", now=T0 + timedelta(seconds=5))
    later = ledger.claim_next(T0 + timedelta(seconds=6), POLICY)
    assert later is not None and later.delivery.post_id == "b"


def test_a_rate_limited_check_waits_for_the_reset(tmp_path, engine):  # noqa: F811
    """Reconciliation reads the account's posts, which is rate limited too (the crash run
    spent X's reads): the next check is at the announced reset, not after a short backoff."""
    from connectors.errors import RateLimited
    from tests.daemon.rig import make_rig

    rig = make_rig(engine, tmp_path, T0, [plan("a", at=T0)])
    rig.platforms.scripts["x"] = ["unknown"]
    rig.daemon.prepare()
    rig.at(T0)
    assert rig.only().state == State.UNKNOWN
    reset = T0 + timedelta(minutes=12)

    class ReadsSpent:
        platform = "x"

        def find_published(self, post, since):
            raise RateLimited("read own posts: 429", reset_at=reset, platform="x", code=429)

    rig.daemon.publisher.connector_for = lambda platform: ReadsSpent()
    rig.at(T0 + timedelta(minutes=1))
    delivery = rig.only()
    assert delivery.state == State.UNKNOWN
    assert delivery.due_at == reset, delivery.reason
