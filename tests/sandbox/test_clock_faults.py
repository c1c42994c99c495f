"""SimClock and FaultPlan/FaultInjector: the sandbox's time and its failures on demand."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

import pytest

from connectors.sandbox.clock import SimClock
from connectors.sandbox.faults import Fault, FaultInjector, FaultPlan

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_frozen_clock_moves_only_when_told() -> None:
    clock = SimClock(START)
    time.sleep(0.02)
    assert clock.now() == START
    assert clock.advance(timedelta(days=7)) == START + timedelta(days=7)
    assert clock.now() == START + timedelta(days=7)
    clock.set(START)  # replaying a run may go backwards on purpose
    assert clock.now() == START


def test_clock_reports_utc_even_when_started_in_another_zone() -> None:
    chicago_winter = timezone(timedelta(hours=-6))
    clock = SimClock(datetime(2026, 11, 2, 3, 0, tzinfo=chicago_winter))
    assert clock.now() == START
    assert clock.now().utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda c: SimClock(datetime(2026, 1, 1)), "aware"),
        (lambda c: c.set(datetime(2026, 1, 1)), "aware"),
        (lambda c: c.advance(timedelta(seconds=-1)), "only moves forward"),
        (lambda c: SimClock(START, speed=0), "positive"),
    ],
)
def test_clock_refuses_naive_times_and_going_back(action, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        action(SimClock(START))


def test_running_clock_follows_wall_time_at_speed() -> None:
    clock = SimClock(START, running=True, speed=3600)  # an hour per second
    time.sleep(0.05)
    elapsed = clock.now() - START
    assert timedelta(minutes=2) < elapsed < timedelta(minutes=30)
    clock.run(False)
    frozen = clock.now()
    time.sleep(0.02)
    assert clock.now() == frozen


def test_concurrent_advances_are_all_counted() -> None:
    clock = SimClock(START)

    def tick() -> None:
        for _ in range(200):
            clock.advance(timedelta(seconds=1))

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert clock.now() == START + timedelta(seconds=1600)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"error_rate": 1.5}, "between 0 and 1"),
        ({"error_rate": 0.6, "created_but_500_rate": 0.6}, "add up to 1.2"),
        ({"latency_seconds": -1}, "must not be negative"),
        ({"path_pattern": "("}, "not a regex"),
    ],
)
def test_fault_plan_validation(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultPlan(**kwargs)


def test_fault_plan_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="unknown fault setting.*eror_rate"):
        FaultPlan.from_dict({"eror_rate": 0.1})
    plan = FaultPlan.from_dict({"error_rate": 0.2, "methods": ["post"]})
    assert plan.methods == ("POST",)
    assert FaultPlan.from_dict(plan.to_dict()) == plan


def test_fault_draws_follow_rates_and_seed() -> None:
    plan = FaultPlan(error_rate=0.2, rate_limit_rate=0.1, created_but_500_rate=0.1, seed=3)
    first = FaultInjector(plan)
    draws = [first.draw("POST", "/2/tweets") for _ in range(2000)]
    counts = Counter(draws)
    assert 320 < counts[Fault.ERROR] < 480
    assert 140 < counts[Fault.RATE_LIMITED] < 260
    assert 140 < counts[Fault.CREATED_BUT_500] < 260
    assert counts[Fault.TIMEOUT] == 0
    again = FaultInjector(plan)
    assert [again.draw("POST", "/2/tweets") for _ in range(2000)] == draws


def test_fault_draws_do_not_depend_on_how_parallel_requests_interleave() -> None:
    """Lanes post to X and Facebook at once; which request fails must not depend on which
    thread the sandbox happened to answer first."""
    plan = FaultPlan(error_rate=0.3, seed=11)
    x_first, fb_first = FaultInjector(plan), FaultInjector(plan)
    a = [
        (x_first.draw("POST", "/2/tweets"), x_first.draw("POST", "/v25.0/1/feed"))
        for _ in range(200)
    ]
    b = [
        (fb_first.draw("POST", "/v25.0/1/feed"), fb_first.draw("POST", "/2/tweets"))
        for _ in range(200)
    ]
    assert [x for x, _ in a] == [x for _, x in b]
    assert [fb for _, fb in a] == [fb for fb, _ in b]


def test_faults_aim_at_methods_paths_and_stop_after_max() -> None:
    plan = FaultPlan(
        created_but_500_rate=1.0, methods=("POST",), path_pattern=r"/feed$", max_faults=2
    )
    injector = FaultInjector(plan)
    assert injector.draw("GET", "/v25.0/1_2/feed") is Fault.NONE
    assert injector.draw("POST", "/v25.0/1/photos") is Fault.NONE
    assert injector.draw("POST", "/v25.0/1/feed") is Fault.CREATED_BUT_500
    assert injector.draw("POST", "/v25.0/1/feed") is Fault.CREATED_BUT_500
    assert injector.draw("POST", "/v25.0/1/feed") is Fault.NONE
    assert injector.injected == 2
    injector.configure(FaultPlan())
    assert injector.injected == 0 and injector.draw("POST", "/v25.0/1/feed") is Fault.NONE
