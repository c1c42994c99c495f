"""The one vocabulary of time: weeks, the zones they are counted and shown in."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from analysis.timeframe import IsoWeek, WeekError, display_zone, week_zone
from config.settings import Settings


def test_weeks_are_counted_in_the_digest_zone_and_the_ledger_shown_in_the_default_zone():
    settings = Settings(default_timezone="America/Denver", digest={"timezone": "Europe/Madrid"})
    assert week_zone(settings) == ZoneInfo("Europe/Madrid")
    assert display_zone(settings) == ZoneInfo("America/Denver")
    assert week_zone(Settings(default_timezone="America/Denver")) == ZoneInfo("America/Denver")


def test_last_complete_week_turns_at_local_monday_midnight():
    chicago = ZoneInfo("America/Chicago")
    # Monday 15 March 2027 00:30 in Chicago (05:30 UTC): week 10 has just ended.
    assert IsoWeek.last_complete(datetime(2027, 3, 15, 5, 30, tzinfo=UTC), chicago) == IsoWeek(
        2027, 10
    )
    # Sunday 14 March 23:30 in Chicago: week 10 is still running, week 9 is the last complete.
    assert IsoWeek.last_complete(datetime(2027, 3, 15, 4, 30, tzinfo=UTC), chicago) == IsoWeek(
        2027, 9
    )


def test_a_lower_case_week_is_named_as_typed_in_its_error():
    with pytest.raises(WeekError, match=re.escape("week '2027w53': 2027 has ISO weeks 1 to 52")):
        IsoWeek.parse("2027w53")
