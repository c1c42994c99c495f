"""The daemon's periodic jobs (beatpost.daemon_jobs): what is scheduled, when, and the digest job's
send-once behaviour against a real SMTP server on loopback."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from beatpost.daemon import JOB_MODULES
from beatpost.daemon_jobs import digest_trigger, schedule, send_digest_if_due
from tests.analysis.test_digest_send import SMTP_PASSWORD, SMTP_USER, running_smtp
from tests.daemon.rig import make_rig

T0 = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)  # a Wednesday
RECIPIENTS = ["chief@springfield.example.gov"]
SENDER = "digest@springfield.example.gov"

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def jobs_of(rig) -> dict[str, Any]:
    return {job.id: job for job in rig.daemon.scheduler.get_jobs()}


def test_the_daemon_loads_the_jobs_module() -> None:
    assert "beatpost.daemon_jobs" in JOB_MODULES


def test_start_schedules_the_pull_at_its_interval(engine, tmp_path) -> None:
    rig = make_rig(
        engine,
        tmp_path,
        T0,
        pull={"interval_minutes": 20},
        digest={"recipients": RECIPIENTS, "sender": SENDER},
    )
    rig.daemon.start()
    try:
        jobs = jobs_of(rig)
        assert jobs["engagement-pull"].trigger.interval == timedelta(minutes=20)
        assert "weekly-digest" in jobs
    finally:
        rig.daemon.stop()


@pytest.mark.parametrize(
    ("digest", "scheduled", "logged"),
    [
        ({"recipients": RECIPIENTS, "sender": SENDER}, True, None),
        ({"recipients": []}, False, "no digest.recipients"),
        ({"recipients": RECIPIENTS}, False, "digest.sender is not set"),
        ({"recipients": RECIPIENTS, "enabled": False}, False, "disabled"),
    ],
)
def test_digest_is_scheduled_only_when_it_can_be_sent(
    engine, tmp_path, caplog, digest, scheduled, logged
) -> None:
    rig = make_rig(engine, tmp_path, T0, digest=digest)
    caplog.set_level(logging.INFO, logger="beatpost.daemon_jobs")
    schedule(rig.daemon)  # never raises: a digest setting must not stop the posting
    jobs = jobs_of(rig)
    assert "engagement-pull" in jobs
    assert ("weekly-digest" in jobs) is scheduled
    if logged:
        assert logged in caplog.text


@pytest.mark.parametrize(
    ("digest", "after", "expected"),
    [
        # Monday 07:00 in the default zone (America/Chicago, CST in March before the 14th)
        ({}, T0, datetime(2027, 3, 15, 7, 0, tzinfo=UTC) + timedelta(hours=5)),
        # its own day, time and zone
        (
            {"send_day": "friday", "send_time": "16:30", "timezone": "America/Denver"},
            T0,
            datetime(2027, 3, 12, 23, 30, tzinfo=UTC),
        ),
        # the moment itself has passed this week: next week's
        (
            {"send_day": "wednesday", "send_time": "08:00"},
            T0,
            datetime(2027, 3, 17, 13, 0, tzinfo=UTC),
        ),
    ],
)
def test_digest_fires_at_its_day_time_and_zone(engine, tmp_path, digest, after, expected) -> None:
    rig = make_rig(engine, tmp_path, T0, digest={"recipients": RECIPIENTS, **digest})
    at_send_time = digest_trigger(rig.daemon).triggers[0]
    assert at_send_time.get_next_fire_time(None, after) == expected


def test_digest_job_sends_last_week_once_after_its_moment(engine, tmp_path) -> None:
    with running_smtp() as (mailbox, port):
        rig = make_rig(
            engine,
            tmp_path,
            datetime(2027, 3, 14, 18, 0, tzinfo=UTC),
            digest={
                "recipients": RECIPIENTS,
                "sender": SENDER,
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_security": "none",
                "smtp_user": SMTP_USER,
                "smtp_password": SMTP_PASSWORD,
            },
        )
        assert send_digest_if_due(rig.daemon) is None  # Sunday: the week is not over
        rig.clock.set(datetime(2027, 3, 15, 12, 1, tzinfo=UTC))  # Monday 07:01 Chicago
        first = send_digest_if_due(rig.daemon)
        assert first is not None and first.outcome == "sent"
        assert str(first.week) == "2027-W10"
        rig.clock.advance(timedelta(minutes=15))  # the next check, or a second daemon
        again = send_digest_if_due(rig.daemon)
        assert again is not None and again.outcome == "already_sent"
        assert len(mailbox.received) == 1
        _sender, recipients, _raw = mailbox.received[0]
        assert recipients == RECIPIENTS


def test_a_stopping_daemon_ends_a_long_pull_between_requests(engine, tmp_path, monkeypatch):
    """SIGTERM during a pull of many posts: the pull ends after the request in hand."""
    from beatpost.daemon_jobs import pull_engagement
    from tests.daemon.scripted import ScriptedConnector
    from tests.pull.conftest import add_delivery

    rig = make_rig(engine, tmp_path, T0)
    for n in range(5):
        add_delivery(engine, platform="x", platform_id=f"{n}", published_at=T0 - timedelta(hours=2))
    calls = []
    sigterm = [True]

    def fetch_comments(self, platform_id, since):
        calls.append(platform_id)
        if sigterm[0]:
            rig.daemon._stopping.set()  # SIGTERM arrives while this request is in flight
        return []

    monkeypatch.setattr(ScriptedConnector, "fetch_comments", fetch_comments)
    report = pull_engagement(rig.daemon)
    assert report.skipped == "the daemon is stopping"
    assert len(calls) == 1  # not one request more after the stop
    first = calls[0]

    rig.daemon._stopping.clear()
    calls.clear()
    sigterm[0] = False
    report = pull_engagement(rig.daemon)
    # The next pull does the rest; what the stopped one pulled is kept.
    assert report.skipped is None
    assert sorted(calls) == sorted({"0", "1", "2", "3", "4"} - {first})
