"""Every transition of the delivery state machine, driven by a scripted connector."""

from datetime import timedelta

import pytest

from connectors.errors import ConnectorUnavailable
from store import State
from tests.daemon.rig import make_rig
from tests.ledger_fixtures import T0, minutes, plan

KEY = "spring/p1/x/once"


@pytest.fixture
def rig(engine, tmp_path):
    rig = make_rig(engine, tmp_path, T0 - minutes(10), [plan("p1")])
    rig.daemon.prepare()
    yield rig
    rig.daemon.stop()


def script(rig, *steps, find=()):
    rig.platforms.scripts["x"] = list(steps)
    rig.platforms.find_scripts["x"] = list(find)


@pytest.mark.parametrize(
    "step, state, reason",
    [
        ("ok", State.PUBLISHED, None),
        ("auth", State.FAILED, "x: token expired (code 89)"),
        ("rejected", State.FAILED, "x: media type not allowed (code 324)"),
        ("duplicate", State.FAILED, "x: status is a duplicate (code 187)"),
        ("rate_limited:120", State.PLANNED, "rate limited by x; retry at 2026-12-01 15:02:00Z"),
        ("transient", State.PLANNED, "temporary error, retry 2 at"),
        ("unknown", State.UNKNOWN, "outcome unknown, will check x: x: 502 Bad Gateway"),
        ("lost", State.UNKNOWN, "outcome unknown, will check x: x: read timed out"),
        ("crash", State.UNKNOWN, "RuntimeError: connection reset by peer"),
    ],
)
def test_first_attempt_outcomes(rig, step, state, reason):
    script(rig, step)
    assert rig.at(T0 - timedelta(seconds=1)) == 0  # never early
    rig.at(T0)
    delivery = rig.only()
    assert delivery.state == state
    if reason is None:
        assert delivery.reason is None
        assert delivery.url == "https://x.example/p/1"
    else:
        assert reason in delivery.reason
    assert len(rig.platforms.published()) == 1
    assert delivery.attempt_count == 1


def test_rate_limited_waits_for_the_reset(rig):
    script(rig, "rate_limited:120", "ok")
    rig.at(T0)
    assert rig.at(T0 + timedelta(seconds=119)) == 0
    rig.at(T0 + timedelta(seconds=120))
    assert rig.only().state == State.PUBLISHED
    assert len(rig.platforms.published()) == 2


def test_transient_errors_back_off_then_fail_after_max_attempts(rig):
    script(rig, "transient", "transient", "transient")
    rig.at(T0)
    first_retry = rig.only().due_at - T0
    assert timedelta(seconds=15) <= first_retry <= timedelta(seconds=30)  # base 30 s, jittered
    rig.at(rig.only().due_at)
    second_retry = rig.only().due_at - rig.clock.now
    assert timedelta(seconds=30) <= second_retry <= timedelta(seconds=60)  # doubled
    rig.at(rig.only().due_at)
    delivery = rig.only()
    assert delivery.state == State.FAILED
    assert delivery.reason.startswith("gave up after 3 attempts: x: 503 service unavailable")
    assert len(rig.platforms.published()) == 3


def test_lost_reply_is_found_by_reconciliation_and_not_posted_twice(rig):
    script(rig, "lost")
    rig.at(T0)
    assert rig.only().due_at == T0 + timedelta(seconds=30)  # the platform settles first
    assert rig.at(T0 + timedelta(seconds=29)) == 0
    rig.at(T0 + timedelta(seconds=30))
    delivery = rig.only()
    assert (delivery.state, delivery.reason) == (
        State.PUBLISHED,
        "found on the platform by reconciliation",
    )
    assert len(rig.platforms.published()) == 1
    assert len(rig.platforms.published("find_published")) == 1
    outcomes = [(a.kind, a.outcome) for a in rig.daemon.ledger.attempts(delivery.id)]
    assert outcomes == [("publish", "unknown"), ("reconcile", "found")]


def test_unknown_not_found_is_retried_then_published(rig):
    script(rig, "unknown", "ok")
    rig.at(T0)
    rig.at(T0 + timedelta(seconds=30))
    delivery = rig.only()
    assert delivery.state == State.PUBLISHED
    calls = [c.method for c in rig.platforms.calls]
    assert calls == ["publish", "find_published", "publish"]


def test_failing_check_keeps_it_unknown_and_asks_again_later(rig):
    script(rig, "crash", find=["find-error"])
    rig.at(T0)
    rig.at(T0 + timedelta(seconds=30))
    delivery = rig.only()
    assert delivery.state == State.UNKNOWN
    assert "could not check x" in delivery.reason
    assert delivery.due_at > rig.clock.now
    rig.at(delivery.due_at)
    # The second check answered "not there"; only then was it sent again.
    assert [c.method for c in rig.platforms.calls] == [
        "publish",
        "find_published",
        "find_published",
        "publish",
    ]
    assert rig.only().state == State.PUBLISHED


def test_unknown_found_too_late_is_handed_to_a_person(rig):
    script(rig, "unknown")
    rig.at(T0)
    rig.at(T0 + minutes(45))  # the daemon was down in between
    delivery = rig.only()
    assert delivery.state == State.FAILED
    assert f"beatpost retry {delivery.id}" in delivery.reason
    assert len(rig.platforms.published()) == 1


def test_resume_state_is_saved_and_handed_back(rig):
    script(rig, "resume-then-unknown")
    rig.at(T0)
    assert rig.only().resume == {"container_id": "c-77", "step": "publish"}
    rig.at(T0 + timedelta(seconds=30))
    find = rig.platforms.published("find_published")[0]
    assert find.resume == {"container_id": "c-77", "step": "publish"}


def test_unavailable_connector_fails_without_sending(engine, tmp_path):
    rig = make_rig(engine, tmp_path, T0, [plan("p1")], x={"access_token": "s3cr3t-token"})

    def factory(platform):
        raise ConnectorUnavailable(
            "set x.user_id; token s3cr3t-token was refused", platform=platform
        )

    rig.daemon.publisher.connector_for = factory
    rig.daemon.prepare()
    try:
        rig.at(T0)
        delivery = rig.only()
        assert delivery.state == State.FAILED
        assert delivery.reason == "x: set x.user_id; token *** was refused"
        [attempt] = rig.daemon.ledger.attempts(delivery.id)
        assert attempt.sent_at is None
    finally:
        rig.daemon.stop()


def test_retry_and_skip_after_failure(rig):
    script(rig, "rejected", "ok")
    rig.at(T0)
    failed = rig.only()
    rig.daemon.ledger.retry(failed.id, actor="pio", now=T0 + minutes(60))
    rig.at(T0 + minutes(60))
    assert rig.only().state == State.PUBLISHED


def test_disabled_platform_is_skipped_with_the_reason(engine, tmp_path):
    rig = make_rig(engine, tmp_path, T0, [plan("p1")], x={"enabled": False})
    rig.daemon.prepare()
    try:
        rig.at(T0)
        delivery = rig.only()
        assert delivery.state == State.SKIPPED
        assert delivery.reason == "x is disabled in settings (x.enabled = false)"
        assert rig.platforms.calls == []
    finally:
        rig.daemon.stop()
