import threading
from datetime import timedelta

import pytest
from sqlalchemy import event

from store import ClaimPolicy, Ledger, LedgerError, State, TransitionError, sync_plans
from store.engine import write_session
from store.ledger import TRANSITIONS, move
from store.models import Delivery
from tests.ledger_fixtures import T0, minutes, plan

POLICY = ClaimPolicy(grace=minutes(15))


def _load(engine, *plans):
    sync_plans(
        engine,
        plans,
        valid_files=["campaigns/spring.yaml"],
        now=T0 - timedelta(days=1),
        actor="tester",
    )
    return Ledger(engine, owner="daemon-1")


def _state(ledger, key):
    return next(d for d in ledger.deliveries() if d.key == key)


def test_nothing_is_claimed_before_its_instant(engine):
    ledger = _load(engine, plan("p1"))
    assert ledger.claim_next(T0 - timedelta(microseconds=1), POLICY) is None
    claim = ledger.claim_next(T0, POLICY)
    assert claim is not None and claim.kind == "publish"
    assert claim.delivery.key == "spring/p1/x/once"
    assert claim.delivery.state == State.PUBLISHING
    assert ledger.claim_next(T0, POLICY) is None  # held, not claimable twice


def test_most_overdue_is_claimed_first(engine):
    ledger = _load(engine, plan("late", at=T0 - minutes(5)), plan("now", at=T0))
    assert ledger.claim_next(T0, POLICY).delivery.post_id == "late"
    assert ledger.claim_next(T0, POLICY).delivery.post_id == "now"


def test_published_flow_records_attempt_and_audit(engine):
    ledger = _load(engine, plan("p1"))
    claim = ledger.claim_next(T0, POLICY)
    assert ledger.confirm_send(claim.attempt_id, T0)
    view = ledger.finish(
        claim.attempt_id,
        State.PUBLISHED,
        now=T0 + timedelta(seconds=1),
        outcome="published",
        published=("1790", "https://x.com/pd/status/1790", T0),
    )
    assert (view.state, view.platform_id, view.url, view.attempt_count) == (
        State.PUBLISHED,
        "1790",
        "https://x.com/pd/status/1790",
        1,
    )
    [attempt] = ledger.attempts(view.id)
    assert (attempt.outcome, attempt.sent_at, attempt.owner) == ("published", T0, "daemon-1")
    trail = [(e.from_state, e.to_state) for e in ledger.audit_log("delivery", str(view.id))]
    assert trail == [(None, "planned"), ("planned", "publishing"), ("publishing", "published")]


@pytest.mark.parametrize(
    "found_late_by, expected_state",
    [
        (minutes(14), State.PUBLISHING),
        (minutes(15), State.PUBLISHING),
        (minutes(16), State.SKIPPED),
    ],
)
def test_grace_period(engine, found_late_by, expected_state):
    ledger = _load(engine, plan("p1"))
    ledger.claim_next(T0 + found_late_by, POLICY)
    row = _state(ledger, "spring/p1/x/once")
    assert row.state == expected_state
    if expected_state == State.SKIPPED:
        assert row.reason.startswith("too late (daemon was down)")


def test_unapproved_is_skipped_when_approval_is_required(engine):
    ledger = _load(engine, plan("ok"), plan("unapproved", approved_by=None))
    strict = ClaimPolicy(require_approval=True)
    assert ledger.claim_next(T0, strict).delivery.post_id == "ok"
    assert ledger.claim_next(T0, strict) is None
    row = _state(ledger, "spring/unapproved/x/once")
    assert row.state == State.SKIPPED and "not approved" in row.reason
    # Without the setting, an unapproved post goes out.
    ledger2 = _load(engine, plan("p9", approved_by=None))
    assert ledger2.claim_next(T0, POLICY).delivery.post_id == "p9"


def test_quota_defers_with_a_visible_reason(engine):
    ledger = _load(
        engine,
        plan("a", platform="instagram", at=T0 - minutes(2)),
        plan("b", platform="instagram", at=T0 - minutes(1)),
        plan("c", platform="instagram", at=T0),
        plan("d", platform="x", at=T0),
    )
    policy = ClaimPolicy(quotas={"instagram": 2})
    for _ in range(2):
        claim = ledger.claim_next(T0, policy)
        ledger.confirm_send(claim.attempt_id, T0)
        ledger.finish(
            claim.attempt_id,
            State.PUBLISHED,
            now=T0,
            outcome="published",
            published=(claim.delivery.post_id, "u", claim.delivery.scheduled_at),
        )
    claim = ledger.claim_next(T0, policy)
    assert claim.delivery.platform == "x"  # instagram is full; other platforms go on
    deferred = _state(ledger, "spring/c/instagram/once")
    assert deferred.state == State.PLANNED
    # The oldest of the two posts (a, published at T0-2min) ages out first.
    assert deferred.due_at == T0 - minutes(2) + timedelta(hours=24)
    assert "instagram quota of 2 posts per 24 h reached" in deferred.reason
    assert [d.key for d in ledger.status(T0).deferred] == ["spring/c/instagram/once"]
    assert ledger.claim_next(deferred.due_at, policy).delivery.post_id == "c"


def test_pause_recorded_in_the_same_second_stops_the_claim(engine):
    ledger = _load(engine, plan("p1"))
    ledger.pause(reason="critical incident", actor="sgt.kim", now=T0)
    assert ledger.claim_next(T0, POLICY) is None
    assert _state(ledger, "spring/p1/x/once").state == State.PLANNED


@pytest.mark.parametrize(
    "scope, claimed",
    [
        ({}, set()),
        ({"platform": "x"}, {"fb"}),
        ({"campaign_id": "spring"}, {"fall"}),
        ({"platform": "x", "campaign_id": "spring"}, {"fb", "fall"}),
    ],
)
def test_pause_scopes(engine, scope, claimed):
    ledger = _load(
        engine,
        plan("x1"),
        plan("fb", platform="facebook"),
        plan("fall", campaign="fall"),
    )
    ledger.pause(reason="incident", actor="pio", now=T0 - minutes(1), **scope)
    got = set()
    while (claim := ledger.claim_next(T0, POLICY)) is not None:
        got.add(claim.delivery.post_id)
    assert got == claimed


def test_pause_after_the_claim_is_caught_before_sending(engine):
    ledger = _load(engine, plan("p1"))
    claim = ledger.claim_next(T0, POLICY)
    ledger.pause(reason="incident", actor="pio", now=T0)
    assert ledger.confirm_send(claim.attempt_id, T0) is False
    row = _state(ledger, "spring/p1/x/once")
    assert (row.state, row.reason, row.attempt_count) == (State.PLANNED, "paused: incident", 0)
    assert ledger.attempts(row.id)[0].sent_at is None


def test_pause_racing_an_open_claim_waits_and_is_then_caught(engine):
    """The pause arrives while the claim transaction is open: it cannot slip in between the
    claim's pause check and its commit, and the check before sending sees it."""
    ledger = _load(engine, plan("p1"))
    in_claim, paused = threading.Event(), threading.Event()
    pause_thread_done = []

    def pause_now():
        in_claim.wait(5)
        ledger.pause(reason="racing", actor="pio", now=T0)
        pause_thread_done.append(True)
        paused.set()

    def hold_commit(conn):
        if not in_claim.is_set():
            in_claim.set()
            # The pause must block on our lock; if it could commit now, we would see it.
            assert not paused.wait(0.5), "pause committed while a claim held the ledger"

    event.listen(engine, "commit", hold_commit)
    thread = threading.Thread(target=pause_now)
    thread.start()
    try:
        claim = ledger.claim_next(T0, POLICY)
    finally:
        event.remove(engine, "commit", hold_commit)
    thread.join(10)
    assert pause_thread_done
    assert claim is not None  # the claim won the race...
    assert ledger.confirm_send(claim.attempt_id, T0) is False  # ...but nothing is sent


def test_resume_skips_what_passed_during_the_pause(engine):
    ledger = _load(engine, plan("during", at=T0), plan("after", at=T0 + minutes(60)))
    ledger.pause(reason="incident", actor="pio", now=T0 - minutes(1))
    assert ledger.claim_next(T0 + minutes(5), POLICY) is None
    report = ledger.resume(actor="pio", now=T0 + minutes(30))
    assert len(report.ended) == 1 and report.caught_up == ()
    assert [d.key for d in report.skipped] == ["spring/during/x/once"]
    during = _state(ledger, "spring/during/x/once")
    assert during.state == State.SKIPPED
    assert "passed while paused (pause 1: incident)" in during.reason
    assert ledger.claim_next(T0 + minutes(60), POLICY).delivery.post_id == "after"
    trail = [(e.from_state, e.to_state, e.actor) for e in ledger.audit_log("pause")]
    assert trail == [(None, "active", "pio"), ("active", "ended", "pio")]


def test_resume_with_catch_up_posts_what_passed_even_beyond_grace(engine):
    ledger = _load(engine, plan("during", at=T0))
    ledger.pause(reason="incident", actor="pio", now=T0 - minutes(1))
    report = ledger.resume(actor="pio", now=T0 + minutes(90), catch_up=True)
    assert report.skipped == () and [d.post_id for d in report.caught_up] == ["during"]
    claim = ledger.claim_next(T0 + minutes(90), POLICY)
    assert claim is not None and claim.delivery.post_id == "during"


def test_pause_until_expires_by_itself_and_skips_what_passed(engine):
    ledger = _load(engine, plan("during", at=T0), plan("after", at=T0 + minutes(20)))
    ledger.pause(reason="vigil", actor="pio", now=T0 - minutes(1), until=T0 + minutes(10))
    assert ledger.next_wake(T0) == T0 + minutes(10)  # wakes when the pause ends
    assert ledger.claim_next(T0 + minutes(5), POLICY) is None
    assert ledger.claim_next(T0 + minutes(10), POLICY) is None
    assert _state(ledger, "spring/during/x/once").state == State.SKIPPED
    assert ledger.active_pauses(T0 + minutes(10)) == []
    assert ledger.claim_next(T0 + minutes(20), POLICY).delivery.post_id == "after"


def test_until_pause_that_ended_by_itself_can_be_caught_up(engine):
    ledger = _load(engine, plan("during", at=T0), plan("after", at=T0 + minutes(20)))
    ledger.pause(reason="vigil", actor="pio", now=T0 - minutes(1), until=T0 + minutes(10))
    # The daemon was down when the pause ended: it ends at its --until all the same, and
    # only what was due before then counts as passed during the pause.
    assert ledger.claim_next(T0 + minutes(25), POLICY).delivery.post_id == "after"
    assert _state(ledger, "spring/during/x/once").state == State.SKIPPED
    with pytest.raises(LedgerError, match=r"resume --catch-up --id 1"):
        ledger.resume(actor="pio", now=T0 + minutes(30))
    report = ledger.resume(actor="pio", now=T0 + minutes(30), catch_up=True)
    assert report.ended == () and [p.id for p in report.ended_before] == [1]
    assert report.ended_before[0].ended_at == T0 + minutes(10)
    assert [d.post_id for d in report.caught_up] == ["during"]
    assert ledger.claim_next(T0 + minutes(30), POLICY).delivery.post_id == "during"
    with pytest.raises(LedgerError, match="no pause is active"):
        ledger.resume(actor="pio", now=T0 + minutes(31), catch_up=True)


def test_catch_up_does_not_reach_pauses_ended_long_ago_or_by_hand(engine):
    ledger = _load(engine, plan("old", at=T0), plan("manual", at=T0 + minutes(60 * 24 * 9)))
    ledger.pause(reason="vigil", actor="pio", now=T0 - minutes(1), until=T0 + minutes(10))
    assert ledger.claim_next(T0 + minutes(10), POLICY) is None  # expires, skips "old"
    later = T0 + minutes(60 * 24 * 9)
    ledger.pause(reason="storm", actor="pio", now=later - minutes(5))
    ledger.resume(actor="pio", now=later + minutes(1))  # by hand: "manual" skipped
    with pytest.raises(LedgerError, match="no pause is active"):
        ledger.resume(actor="pio", now=later + minutes(2), catch_up=True)
    assert _state(ledger, "spring/old/x/once").state == State.SKIPPED
    assert _state(ledger, "spring/manual/x/once").state == State.SKIPPED


def test_overlapping_pauses_keep_deliveries_held(engine):
    ledger = _load(engine, plan("p1"))
    ledger.pause(reason="all", actor="pio", now=T0 - minutes(2))
    ledger.pause(reason="x only", actor="pio", platform="x", now=T0 - minutes(1))
    ledger.resume(actor="pio", now=T0 + minutes(1), platform=None, pause_id=1)
    # Still under the x pause: neither skipped nor claimed.
    assert _state(ledger, "spring/p1/x/once").state == State.PLANNED
    assert ledger.claim_next(T0 + minutes(1), POLICY) is None


def test_pause_input_errors(engine):
    ledger = _load(engine)
    with pytest.raises(LedgerError, match="needs a reason"):
        ledger.pause(reason="  ", actor="pio", now=T0)
    with pytest.raises(LedgerError, match="not in the future"):
        ledger.pause(reason="r", actor="pio", now=T0, until=T0)
    with pytest.raises(LedgerError, match="no active pause"):
        ledger.resume(actor="pio", now=T0)


def test_retry_and_skip_act_on_the_right_states(engine):
    ledger = _load(engine, plan("p1"), plan("p2"))
    claim = ledger.claim_next(T0, POLICY)
    ledger.confirm_send(claim.attempt_id, T0)
    failed = ledger.finish(
        claim.attempt_id,
        State.FAILED,
        now=T0,
        outcome="rejected",
        reason="x: duplicate content (code 187)",
    )
    with pytest.raises(LedgerError, match="only failed, unknown or skipped"):
        ledger.retry(_state(ledger, "spring/p2/x/once").id, actor="pio", now=T0)
    skipped = ledger.skip(_state(ledger, "spring/p2/x/once").id, actor="pio", reason="dup", now=T0)
    assert skipped.reason == "skipped by pio: dup"
    refused = f"delivery {skipped.id} is skipped; only planned, failed or unknown deliveries can"
    with pytest.raises(LedgerError, match=refused + " be skipped"):
        ledger.skip(skipped.id, actor="pio", now=T0)
    again = ledger.retry(failed.id, actor="pio", now=T0 + minutes(40))
    assert (again.state, again.due_at) == (State.PLANNED, T0 + minutes(40))
    assert ledger.claim_next(T0 + minutes(40), POLICY).delivery.id == failed.id  # not "too late"
    with pytest.raises(LedgerError, match="no delivery with id 999"):
        ledger.skip(999, actor="pio")


def test_transitions_outside_the_state_machine_are_refused(engine):
    ledger = _load(engine, plan("p1"))
    row_id = _state(ledger, "spring/p1/x/once").id
    for target in (State.PUBLISHED, State.UNKNOWN, State.FAILED):
        assert target not in TRANSITIONS[State.PLANNED]
        with pytest.raises(TransitionError):
            with write_session(engine) as s:
                move(s, s.get(Delivery, row_id), target, reason=None, actor="t", now=T0)
    assert TRANSITIONS[State.PUBLISHED] == frozenset()


def test_orphans_are_recovered_by_whether_the_request_left(engine):
    ledger = _load(engine, plan("unsent"), plan("sent"))
    first = ledger.claim_next(T0, POLICY)
    second = ledger.claim_next(T0, POLICY)
    ledger.confirm_send(second.attempt_id, T0)
    restarted = Ledger(engine, owner="daemon-2")
    assert restarted.recover_orphans(T0 + minutes(1), all_publishing=True) == 2
    unsent = _state(ledger, first.delivery.key)
    sent = _state(ledger, second.delivery.key)
    assert unsent.state == State.PLANNED
    assert sent.state == State.UNKNOWN
    reconcile = restarted.claim_reconcile(T0 + minutes(1), POLICY)
    assert reconcile.delivery.id == sent.id and reconcile.since == T0
    assert restarted.claim_reconcile(T0 + minutes(1), POLICY) is None  # held meanwhile


def test_lease_expiry_recovery_leaves_live_claims_alone(engine):
    ledger = _load(engine, plan("p1"))
    ledger.claim_next(T0, ClaimPolicy(lease=minutes(30)))
    other = Ledger(engine, owner="daemon-2")
    assert other.recover_orphans(T0 + minutes(29), all_publishing=False) == 0
    assert other.recover_orphans(T0 + minutes(31), all_publishing=False) == 1


def test_next_wake_ignores_paused_deliveries(engine):
    ledger = _load(engine, plan("x1", at=T0), plan("fb", platform="facebook", at=T0 + minutes(5)))
    assert ledger.next_wake(T0 - minutes(10)) == T0
    ledger.pause(reason="r", actor="pio", platform="x", now=T0 - minutes(10))
    assert ledger.next_wake(T0 - minutes(9)) == T0 + minutes(5)


def test_status_lists_what_a_person_needs(engine):
    ledger = _load(engine, plan("ok"), plan("bad"), plan("later", at=T0 + minutes(60)))
    for _ in range(2):
        claim = ledger.claim_next(T0, POLICY)
        ledger.confirm_send(claim.attempt_id, T0)
        if claim.delivery.post_id == "ok":
            ledger.finish(
                claim.attempt_id,
                State.PUBLISHED,
                now=T0,
                outcome="published",
                published=("1", "https://x.com/pd/status/1", T0),
            )
        else:
            ledger.finish(
                claim.attempt_id,
                State.UNKNOWN,
                now=T0,
                outcome="unknown",
                reason="timeout",
                due_at=T0 + minutes(1),
            )
    ledger.pause(reason="incident", actor="pio", platform="facebook", now=T0)
    status = ledger.status(T0 + minutes(1))
    assert [d.post_id for d in status.upcoming] == ["later"]
    assert [(d.post_id, d.url) for d in status.recent] == [("ok", "https://x.com/pd/status/1")]
    assert [(d.post_id, d.state) for d in status.attention] == [("bad", "unknown")]
    assert [p.scope for p in status.pauses] == ["platform facebook"]
    assert status.counts == {"planned": 1, "published": 1, "unknown": 1}
    data = status.to_json()
    assert data["recent"][0]["url"] == "https://x.com/pd/status/1"
    assert data["pauses"][0]["reason"] == "incident"


def test_concurrent_claims_take_each_delivery_once(engine):
    ledger = _load(engine, *(plan(f"p{i}", at=T0 - timedelta(seconds=i)) for i in range(24)))
    claimed: list[str] = []
    errors: list[BaseException] = []

    def worker(n):
        mine = Ledger(engine, owner=f"daemon-{n}")
        try:
            while (claim := mine.claim_next(T0, POLICY)) is not None:
                claimed.append(claim.delivery.key)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(claimed) == sorted(d.key for d in ledger.deliveries())
    assert len(set(claimed)) == 24


def test_a_late_success_after_the_lease_was_recovered_is_still_recorded(engine):
    ledger = _load(engine, plan("p1"))
    claim = ledger.claim_next(T0, POLICY)
    # Recovered as unsent (the claim's sent_at was never recorded)...
    Ledger(engine, owner="other").recover_orphans(T0 + minutes(31), all_publishing=False)
    assert _state(ledger, "spring/p1/x/once").state == State.PLANNED
    # ...but the first daemon's request did go out: that is recorded, not lost.
    view = ledger.finish(
        claim.attempt_id,
        State.PUBLISHED,
        now=T0 + minutes(31),
        outcome="published",
        published=("1", "u", T0),
    )
    assert view.state == State.PUBLISHED
