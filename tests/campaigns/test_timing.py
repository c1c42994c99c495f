"""Wall time -> UTC by the documented DST rule, in five zones; offsets; recurrence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.timing import check_rule, parse_offset, to_utc, wall_times, zone

# (zone, local wall time, expected UTC, why)
DST_CASES = [
    # spring-forward gaps: the first valid instant after the gap
    ("America/Chicago", "2027-03-14 02:30", "2027-03-14 08:00", "gap -> 03:00 CDT"),
    ("America/Chicago", "2027-03-14 02:00", "2027-03-14 08:00", "gap start -> 03:00 CDT"),
    ("America/New_York", "2027-03-14 02:15", "2027-03-14 07:00", "gap -> 03:00 EDT"),
    ("America/Los_Angeles", "2027-03-14 02:59", "2027-03-14 10:00", "gap -> 03:00 PDT"),
    ("Europe/London", "2027-03-28 01:30", "2027-03-28 01:00", "gap -> 02:00 BST"),
    ("Australia/Sydney", "2027-10-03 02:30", "2027-10-02 16:00", "gap -> 03:00 AEDT"),
    # fall-back folds: the first occurrence (still on summer time)
    ("America/Chicago", "2027-11-07 01:30", "2027-11-07 06:30", "fold -> 01:30 CDT"),
    ("America/New_York", "2027-11-07 01:00", "2027-11-07 05:00", "fold -> 01:00 EDT"),
    ("America/Los_Angeles", "2027-11-07 01:45", "2027-11-07 08:45", "fold -> 01:45 PDT"),
    ("Europe/London", "2027-10-31 01:30", "2027-10-31 00:30", "fold -> 01:30 BST"),
    ("Australia/Sydney", "2027-04-04 02:30", "2027-04-03 15:30", "fold -> 02:30 AEDT"),
    # ordinary times on either side
    ("America/Chicago", "2027-03-14 03:00", "2027-03-14 08:00", "just after the gap"),
    ("America/Chicago", "2027-03-14 01:59", "2027-03-14 07:59", "just before the gap"),
    ("America/Chicago", "2027-11-07 02:00", "2027-11-07 08:00", "after the fold, CST"),
    ("Europe/London", "2027-07-01 12:00", "2027-07-01 11:00", "summer"),
    ("Australia/Sydney", "2027-07-01 12:00", "2027-07-01 02:00", "southern winter"),
]


def _wall(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("tz", "wall", "expected", "why"), DST_CASES, ids=[f"{c[0]} {c[1]}" for c in DST_CASES]
)
def test_dst_rule(tz, wall, expected, why):
    got = to_utc(_wall(wall), zone(tz))
    assert got == _wall(expected).replace(tzinfo=UTC), why
    assert got.tzinfo is UTC


def test_weekly_post_keeps_its_wall_time_across_dst(load_text):
    posts = (
        "  - id: weekly\n    kind: announcement\n    text: Questions?\n"
        "    platforms: [x]\n"
        "    repeat: {rule: FREQ=WEEKLY;BYDAY=WE;COUNT=3, time: '12:00', "
        "start: 2027-03-03}\n"
    )
    cs = load_text(posts)
    assert not cs.diagnostics
    got = [
        (d.occurrence, d.at_utc.strftime("%m-%d %H:%M"), d.at_local.strftime("%H:%M %Z"))
        for d in cs.deliveries()
    ]
    assert got == [
        ("2027-03-03T12:00", "03-03 18:00", "12:00 CST"),
        ("2027-03-10T12:00", "03-10 18:00", "12:00 CST"),
        ("2027-03-17T12:00", "03-17 17:00", "12:00 CDT"),
    ]


def test_reminders_count_days_in_wall_time_and_hours_in_elapsed_time(load_text):
    # The event is the day after Chicago springs forward: -1d is 09:00 the day before
    # (same wall time), -8h is eight real hours earlier (02:00 does not exist -> 01:00 CST).
    posts = (
        "  - id: fair\n    kind: event\n    platforms: [x]\n    event:\n"
        "      name: Fair\n      starts: 2027-03-14 09:00\n      location: Gym\n"
        "    reminders: [-1d, -8h]\n"
    )
    cs = load_text(posts)
    assert not cs.diagnostics
    got = {d.occurrence: d.at_local.strftime("%m-%d %H:%M %Z") for d in cs.deliveries()}
    assert got == {"-1d": "03-13 09:00 CST", "-8h": "03-14 00:00 CST"}


def test_spring_forward_post_goes_out_after_the_gap(load_text):
    posts = (
        "  - id: early\n    kind: announcement\n    text: Early bird\n"
        "    platforms: [x]\n    at: 2027-03-14 02:30\n"
    )
    (delivery,) = load_text(posts).deliveries()
    assert delivery.at_local.strftime("%H:%M %Z") == "03:00 CDT"
    assert delivery.occurrence == "once"


OFFSET_CASES = [
    ("-14d", "-14d", "in two weeks"),
    ("-7d", "-7d", "in one week"),
    ("-1w", "-7d", "in one week"),
    ("-3d", "-3d", "in 3 days"),
    ("-1d", "-1d", "tomorrow"),
    ("-2h", "-2h", "in 2 hours"),
    ("-1h", "-1h", "in one hour"),
    ("-90m", "-1h30m", "in 1 hour and 30 minutes"),
    ("-30m", "-30m", "in 30 minutes"),
    ("-1d12h", "-1d12h", "in 36 hours"),
]


@pytest.mark.parametrize(("text", "label", "when"), OFFSET_CASES, ids=[c[0] for c in OFFSET_CASES])
def test_offsets(text, label, when):
    offset = parse_offset(text)
    assert offset.label == label
    assert offset.when == when


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2h", "write -2h"),
        ("+1d", "write -1d"),
        ("-0h", "very start"),
        ("-", "is not a time before the event"),
        ("-2 weeks", "is not a time before the event"),
        ("soon", "is not a time before the event"),
    ],
)
def test_bad_offsets(text, fragment):
    message = parse_offset(text)
    assert isinstance(message, str) and fragment in message


def test_rule_bounded_flags_and_window_clipping():
    assert check_rule("FREQ=WEEKLY;COUNT=3").bounded
    assert check_rule("RRULE:FREQ=WEEKLY;UNTIL=20270526").bounded
    assert not check_rule("FREQ=WEEKLY;BYDAY=WE").bounded
    rule = check_rule("FREQ=WEEKLY;BYDAY=WE")
    walls = wall_times(rule, datetime(2027, 3, 1, 12), datetime(2027, 3, 31, 23, 59), 100)
    assert [w.day for w in walls] == [3, 10, 17, 24, 31]
    # a date-only UNTIL includes its whole day
    until = check_rule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20270317")
    walls = wall_times(until, datetime(2027, 3, 1, 12), None, 100)
    assert [w.day for w in walls] == [3, 10, 17]
