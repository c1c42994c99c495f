from datetime import UTC, datetime, timedelta

import pytest

from beatpost.pull.schedule import (
    ScheduleError,
    batches,
    build_schedule,
    first_label,
    next_due,
    parse_age,
    step,
)
from connectors.base import PlatformLimits
from connectors.limits import LIMITS

AGES = ["1h", "6h", "24h", "3d", "7d", "30d"]
P = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1h", H), ("30d", 30 * D), ("90m", timedelta(minutes=90)), (" 2w ", 14 * D), ("6H", 6 * H)],
)
def test_parse_age(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["", "h", "0h", "-1h", "1y", "1.5h", "six hours"])
def test_parse_age_rejects_with_the_value_named(text):
    with pytest.raises(ScheduleError, match="pull.ages"):
        parse_age(text)


def test_platform_without_windows_keeps_every_age():
    schedule = build_schedule(AGES, LIMITS["facebook"])
    assert [s.label for s in schedule.metrics] == AGES
    assert [s.label for s in schedule.comments] == AGES
    assert all(s.offset == s.age for s in schedule.metrics)


def test_x_windows_pull_last_slots_inside_and_drop_beyond():
    schedule = build_schedule(AGES, LIMITS["x"])
    # non-public metrics: 30 days, so the 30d slot is taken an hour before they vanish
    assert [(s.label, s.offset) for s in schedule.metrics][-1] == ("30d", 30 * D - H)
    assert [s.label for s in schedule.metrics] == AGES
    # replies search: 7 days; the 7d slot moves inside the window and 30d is gone
    assert [s.label for s in schedule.comments] == ["1h", "6h", "24h", "3d", "7d"]
    assert schedule.comments[-1].offset == 7 * D - H
    assert schedule.comments_window == 7 * D


def test_ages_sorted_and_deduplicated():
    schedule = build_schedule(["24h", "1h", "1d", "6h"], LIMITS["facebook"])
    assert [s.age for s in schedule.metrics] == [H, 6 * H, D]


def test_slots_that_collapse_inside_a_short_window_are_dropped():
    limits = PlatformLimits(platform="t", max_length=10, comments_window_days=1)
    schedule = build_schedule(["1h", "23h", "24h", "2d"], limits)
    assert [(s.label, s.offset) for s in schedule.comments] == [("1h", H), ("23h", 23 * H)]


def test_empty_ages_rejected():
    with pytest.raises(ScheduleError):
        build_schedule([], LIMITS["x"])


def _run(track, label, now, window=None):
    return step(track, label, P, now, window)


def test_step_nothing_due_reports_next_slot():
    track = build_schedule(AGES, LIMITS["facebook"]).metrics
    s = _run(track, first_label(track), P + timedelta(minutes=30))
    assert (s.take, s.missed, s.next_label, s.next_at) == (None, (), "1h", P + H)


def test_step_takes_due_slot_and_advances():
    track = build_schedule(AGES, LIMITS["facebook"]).metrics
    s = _run(track, "1h", P + H + timedelta(minutes=5))
    assert s.take.label == "1h"
    assert s.missed == ()
    assert (s.next_label, s.next_at) == ("6h", P + 6 * H)


def test_step_after_downtime_takes_latest_due_and_reports_missed():
    track = build_schedule(AGES, LIMITS["facebook"]).metrics
    s = _run(track, "1h", P + 2 * D)
    assert s.take.label == "24h"
    assert [m.label for m in s.missed] == ["1h", "6h"]
    assert s.next_label == "3d"


def test_step_last_slot_finishes_track():
    track = build_schedule(AGES, LIMITS["facebook"]).metrics
    s = _run(track, "30d", P + 31 * D)
    assert s.take.label == "30d" and s.finished


def test_step_window_closed_misses_everything_pending():
    schedule = build_schedule(AGES, LIMITS["x"])
    s = _run(schedule.comments, "3d", P + 8 * D, schedule.comments_window)
    assert s.take is None
    assert [m.label for m in s.missed] == ["3d", "7d"]
    assert s.finished


def test_step_inside_window_just_before_it_closes():
    schedule = build_schedule(AGES, LIMITS["x"])
    s = _run(schedule.comments, "7d", P + 7 * D - timedelta(minutes=30), schedule.comments_window)
    assert s.take.label == "7d" and s.finished


def test_step_finished_track_does_nothing():
    track = build_schedule(AGES, LIMITS["facebook"]).metrics
    assert _run(track, None, P + 100 * D) == step(track, None, P, P, None)
    assert _run(track, None, P).finished


def test_cursor_label_survives_edited_ages():
    track = build_schedule(["2h", "12h", "48h"], LIMITS["facebook"]).metrics
    # cursor written when "6h" was configured: resumes at the first slot not younger
    s = _run(track, "6h", P + 13 * H)
    assert s.take.label == "12h"


def test_next_due():
    track = build_schedule(AGES, LIMITS["x"]).metrics
    assert next_due(P, track, "30d") == P + 30 * D - H
    assert next_due(P, track, None) is None


@pytest.mark.parametrize(
    ("n", "size", "expected"),
    [(0, 100, []), (1, 100, [1]), (100, 100, [100]), (250, 100, [100, 100, 50])],
)
def test_batches_are_the_floor(n, size, expected):
    ids = [str(i) for i in range(n)]
    got = batches(ids, size)
    assert [len(b) for b in got] == expected
    assert [i for b in got for i in b] == ids


def test_batches_rejects_zero():
    with pytest.raises(ValueError):
        batches(["a"], 0)
