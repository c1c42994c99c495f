"""The ledger commands through the real CLI entry point."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
import pytest

from beatpost.cli import main
from beatpost.commands.ledger_cmds import parse_until

CAMPAIGN = """\
version: 1
campaign:
  id: fall-hiring
  name: Fall Hiring
  timezone: America/Chicago
  window: {{start: 2027-01-01, end: 2027-02-28}}
  platforms: [x, facebook]
  approved_by: Lt. Ortiz
posts:
  - id: open-house
    kind: announcement
    at: 2027-01-12 09:00
    text: {text}
  - id: ride-along
    kind: announcement
    at: 2027-01-19 09:00
    text: Ride along with a patrol officer this month.
"""


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "beatpost.toml").write_text('operator = "Sgt. Kim"\n')
    write_campaign(tmp_path, "Open house at headquarters, Saturday 10 AM.")
    return tmp_path


def write_campaign(ws, text):
    (ws / "campaigns" / "fall.yaml").write_text(CAMPAIGN.format(text=text))


def run(ws, capsys, *args):
    code = main(["--config", str(ws / "beatpost.toml"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_sync_dry_run_then_sync_then_nothing(workspace, capsys):
    code, out, _ = run(workspace, capsys, "sync", "--dry-run")
    assert code == 0
    assert "+ add    2027-01-12 09:00 CST  fall-hiring/open-house/x/once" in out
    assert "4 to add, 0 to update, 0 to cancel (dry run: nothing written)" in out
    assert not (workspace / ".beatpost" / "beatpost.db").exists()

    code, out, _ = run(workspace, capsys, "sync")
    assert (code, out.splitlines()[-1]) == (0, "4 added, 0 updated, 0 cancelled")
    code, out, _ = run(workspace, capsys, "sync")
    assert out.strip() == "No changes: the ledger already matches the campaign files."


def test_dry_run_shows_the_effect_of_an_edit(workspace, capsys):
    run(workspace, capsys, "sync")
    text = (workspace / "campaigns" / "fall.yaml").read_text()
    text = text.replace("Saturday 10 AM", "Saturday 11 AM")
    text = text[: text.index("  - id: ride-along")]
    (workspace / "campaigns" / "fall.yaml").write_text(text)
    code, out, _ = run(workspace, capsys, "sync", "--dry-run", "--format", "json")
    changes = {(c["action"], c["key"]) for c in json.loads(out)["changes"]}
    assert changes == {
        ("update", "fall-hiring/open-house/x/once"),
        ("update", "fall-hiring/open-house/facebook/once"),
        ("cancel", "fall-hiring/ride-along/x/once"),
        ("cancel", "fall-hiring/ride-along/facebook/once"),
    }


def test_invalid_file_keeps_last_good_version_and_shows_in_status(workspace, capsys):
    run(workspace, capsys, "sync")
    (workspace / "campaigns" / "fall.yaml").write_text(
        CAMPAIGN.format(text="ok").replace("kind: announcement", "kind: annoucement", 1)
    )
    code, out, err = run(workspace, capsys, "sync")
    assert code == 1
    assert "campaigns/fall.yaml:" in err and "last good version kept" in err
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    status = json.loads(out)
    assert status["counts"] == {"planned": 4}
    [bad] = status["invalid_files"]
    assert bad["path"] == "campaigns/fall.yaml"
    assert bad["diagnostics"][0]["line"] > 1
    code, out, _ = run(workspace, capsys, "status")
    assert "Invalid campaign files (last good version kept):" in out


def test_overflow_in_one_file_does_not_abort_the_sync_and_status_lists_it(workspace, capsys):
    overflow = (
        CAMPAIGN.format(text="ok")
        .replace("fall-hiring", "winter")
        .replace("end: 2027-02-28", "end: 9999-12-31")
    )
    overflow = overflow.replace("open-house", "w1").replace("ride-along", "w2")
    overflow = overflow.replace("at: 2027-01-12 09:00", "at: 9999-12-31 23:59")
    (workspace / "campaigns" / "winter.yaml").write_text(overflow)
    code, out, err = run(workspace, capsys, "sync")
    assert code == 1, err
    assert "This is a bug" not in out + err
    assert out.splitlines()[-1] == "4 added, 0 updated, 0 cancelled"  # fall.yaml synced
    assert "campaigns/winter.yaml:1:1: error: this file could not be read because a number" in err
    # A file with several errors shows its first one in status, and how to see the rest.
    (workspace / "campaigns" / "fall.yaml").write_text(
        CAMPAIGN.format(text="ok").replace("kind: announcement", "kind: annoucement")
    )
    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert "  campaigns/winter.yaml:1:1: this file could not be read because" in out
    assert "... 1 more: `beatpost validate campaigns/fall.yaml`" in out


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('[digest]\nsend_time = "99:99"\n', "digest.send_time: '99:99' is not a time of day"),
        ('[pull]\nages = ["banana"]\n', "pull.ages: 'banana' is not an age"),
        ('sentiment_model = "vadr"\n', "sentiment_model: 'vadr' is not one of: 'default'"),
    ],
)
@pytest.mark.parametrize("command", [("run",), ("status",), ("sync", "--dry-run")])
def test_a_bad_setting_stops_the_daemon_and_every_command_at_start(
    workspace, capsys, setting, message, command
):
    (workspace / "beatpost.toml").write_text(setting)
    code, out, err = run(workspace, capsys, *command)
    assert code == 1
    assert f"{workspace / 'beatpost.toml'}: {message}" in err
    assert not (workspace / ".beatpost" / "beatpost.db").exists()  # nothing was started


def test_pause_status_resume(workspace, capsys):
    run(workspace, capsys, "sync")
    code, out, _ = run(
        workspace,
        capsys,
        "pause",
        "--reason",
        "critical incident",
        "--platform",
        "x",
        "--until",
        "2h",
    )
    assert code == 0 and out.startswith("Paused platform x until ")
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    [pause] = json.loads(out)["pauses"]
    assert (pause["scope"], pause["reason"], pause["by"]) == (
        "platform x",
        "critical incident",
        "Sgt. Kim",
    )
    code, out, _ = run(workspace, capsys, "status")
    assert "PAUSED (platform x): critical incident — by Sgt. Kim" in out
    run(workspace, capsys, "pause", "--reason", "vigil", "--campaign", "fall-hiring")
    code, out, _ = run(workspace, capsys, "resume", "--id", "2")
    assert code == 0 and out.startswith("Resumed campaign fall-hiring (pause 2: vigil).")
    code, out, _ = run(workspace, capsys, "resume")
    assert code == 0 and "Resumed platform x (pause 1: critical incident)." in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    assert json.loads(out)["pauses"] == []


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["pause", "--reason", "r", "--platform", "tiktok"], 2, "unknown platform 'tiktok'"),
        (["pause", "--reason", "r", "--until", "soonish"], 2, "use a duration (30m, 2h, 1d)"),
        (["pause", "--reason", "   "], 1, "a pause needs a reason"),
        (["resume"], 1, "no active pause matches"),
        (["retry", "999"], 1, "no delivery with id 999"),
        (["skip", "999"], 1, "no delivery with id 999"),
    ],
)
def test_user_errors_are_one_clean_line(workspace, capsys, args, code, message):
    got, out, err = run(workspace, capsys, *args)
    assert got == code
    assert message in err
    assert "Traceback" not in err


def test_retry_refuses_a_planned_delivery(workspace, capsys):
    run(workspace, capsys, "sync")
    code, _, err = run(workspace, capsys, "retry", "1")
    assert code == 1 and "only failed, unknown or skipped" in err
    code, out, _ = run(workspace, capsys, "skip", "1", "--reason", "event moved")
    assert code == 0 and "skipped" in out
    code, out, _ = run(workspace, capsys, "retry", "1")
    assert code == 0 and "planned again" in out


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30m", NOW + timedelta(minutes=30)),
        ("2h", NOW + timedelta(hours=2)),
        ("1d", NOW + timedelta(days=1)),
        ("2026-11-26 08:00", datetime(2026, 11, 26, 14, 0, tzinfo=UTC)),  # CST
        ("2026-11-26T08:00:00+00:00", datetime(2026, 11, 26, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse_until(text, expected):
    assert parse_until(text, NOW, CHICAGO) == expected


def test_parse_until_rejects_nonsense():
    with pytest.raises(click.BadParameter):
        parse_until("tomorrowish", NOW, CHICAGO)


def test_sync_says_when_the_campaigns_folder_is_missing(workspace, capsys):
    (workspace / "campaigns" / "fall.yaml").unlink()
    (workspace / "campaigns").rmdir()
    code, out, err = run(workspace, capsys, "sync")
    assert code == 0
    assert "no such file or folder" in err


def test_status_lists_comments_needing_a_reply(workspace, capsys):
    from store import make_engine
    from store.engine import write_session
    from store.metrics_models import CommentRecord

    run(workspace, capsys, "sync")
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    now = datetime.now(UTC)
    with write_session(engine) as session:
        for n, (text, flags) in enumerate(
            [("How do I apply?\nIs there an age limit?", ["needs_reply"]), ("Great post", [])]
        ):
            session.add(
                CommentRecord(
                    platform="x",
                    platform_comment_id=f"c{n}",
                    delivery_id=1,
                    post_platform_id="1",
                    author=f"@resident{n}",
                    text=text,
                    created_at=now - timedelta(hours=1),
                    flags=flags,
                    url=f"https://x.example/c{n}",
                )
            )
    engine.dispose()
    code, out, _ = run(workspace, capsys, "status")
    assert "Comments needing a reply (1, last 7 days):" in out
    assert "@resident0: How do I apply? Is there an age limit?" in out
    assert "@resident1" not in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    [comment] = json.loads(out)["needs_reply"]
    assert (comment["author"], comment["url"]) == ("@resident0", "https://x.example/c0")


def test_status_says_whether_the_daemon_runs(workspace, capsys):
    from beatpost.singleton import DaemonLock

    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert out.startswith("Daemon: NOT RUNNING")
    with DaemonLock(workspace / ".beatpost" / "beatpost.db"):
        code, out, _ = run(workspace, capsys, "status", "--format", "json")
        daemon = json.loads(out)["daemon"]
        assert daemon == {"running": True, "pid": str(__import__("os").getpid())}
        code, out, _ = run(workspace, capsys, "status")
        assert out.startswith("Daemon: running (pid ")


def test_status_shows_weekly_digest_sends(workspace, capsys):
    from store import make_engine
    from store.digest_models import DigestSend, DigestStatus
    from store.engine import write_session

    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert "Weekly digest:" not in out  # nothing sent yet, nothing to say
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    sent = datetime(2027, 1, 18, 13, 0, tzinfo=UTC)
    with write_session(engine) as session:
        session.add(
            DigestSend(
                week="2027-W02",
                recipients_hash="a" * 64,
                recipient_count=2,
                status=DigestStatus.SENT,
                attempts=1,
                sent_at=sent,
            )
        )
        session.add(
            DigestSend(
                week="2027-W03",
                recipients_hash="a" * 64,
                recipient_count=2,
                status=DigestStatus.FAILED,
                attempts=3,
                last_error="SMTP 554 relay refused",
                next_attempt_at=sent + timedelta(days=7),
            )
        )
    engine.dispose()
    code, out, _ = run(workspace, capsys, "status")
    assert code == 0
    assert "Weekly digest:" in out
    assert "2027-W02 sent 2027-01-18 13:00 UTC to 2 recipients" in out
    assert "2027-W03 NOT SENT after 3 tries: SMTP 554 relay refused" in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    weeks = {row["week"]: row for row in json.loads(out)["digest"]}
    assert weeks["2027-W03"]["status"] == "failed"
    assert weeks["2027-W03"]["last_error"] == "SMTP 554 relay refused"
    assert weeks["2027-W02"]["attempts"] == 1
