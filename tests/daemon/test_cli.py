"""The ledger commands through the real CLI entry point."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
import pytest

import connectors
from beatpost.cli import main
from beatpost.commands.ledger_cmds import parse_until
from beatpost.context import parse_since

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
    assert (
        "campaigns/winter.yaml:6:36: error: '9999-12-31': campaign dates must fall in the years"
        in err
    )
    # A file with several errors shows its first one in status, and how to see the rest.
    (workspace / "campaigns" / "fall.yaml").write_text(
        CAMPAIGN.format(text="ok").replace("kind: announcement", "kind: annoucement")
    )
    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert "  campaigns/winter.yaml:6:36: '9999-12-31': campaign dates must fall" in out
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
        (["pause", "--reason", "r", "--platform", "tiktok"], 2, "no platform 'tiktok'"),
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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7d", NOW - timedelta(days=7)),
        ("36h", NOW - timedelta(hours=36)),
        ("today", datetime(2026, 11, 25, 6, 0, tzinfo=UTC)),  # local midnight, CST
        ("Yesterday", datetime(2026, 11, 24, 6, 0, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
        ("2026-11-20 08:00", datetime(2026, 11, 20, 14, 0, tzinfo=UTC)),
    ],
)
def test_parse_since_takes_what_comments_and_status_both_take(text, expected):
    assert parse_since(text, NOW, CHICAGO) == expected


def test_status_since_takes_an_age_as_comments_since_does(workspace, capsys):
    run(workspace, capsys, "sync")
    code, out, err = run(workspace, capsys, "status", "--since", "7d", "--format", "json")
    assert code == 0, err
    since = datetime.fromisoformat(json.loads(out)["needs_reply_since"])
    assert timedelta(days=6, hours=23) < datetime.now(UTC) - since < timedelta(days=7, hours=1)


def test_parse_until_rejects_nonsense():
    with pytest.raises(click.BadParameter):
        parse_until("tomorrowish", NOW, CHICAGO)


def test_sync_says_when_the_campaigns_folder_is_missing(workspace, capsys):
    (workspace / "campaigns" / "fall.yaml").unlink()
    (workspace / "campaigns").rmdir()
    code, out, err = run(workspace, capsys, "sync")
    assert code == 0
    assert "no such file or folder" in err


def _add_comments(ws, *comments):
    """(text, flags, created_at) rows as the pull stores them, on delivery 1."""
    from store import make_engine
    from store.engine import write_session
    from store.metrics_models import CommentRecord

    engine = make_engine(f"sqlite:///{ws / '.beatpost' / 'beatpost.db'}")
    with write_session(engine) as session:
        for n, (text, flags, at) in enumerate(comments):
            session.add(
                CommentRecord(
                    platform="x",
                    platform_comment_id=f"c{n}",
                    delivery_id=1,
                    post_platform_id="1",
                    author=f"@resident{n}",
                    text=text,
                    created_at=at,
                    flags=flags,
                    url=f"https://x.example/c{n}",
                )
            )
    return engine


def test_status_lists_comments_needing_a_reply(workspace, capsys):
    run(workspace, capsys, "sync")
    now = datetime.now(UTC)
    _add_comments(
        workspace,
        ("How do I apply?\nIs there an age limit?", ["needs_reply"], now - timedelta(hours=1)),
        ("Great post", [], now - timedelta(hours=1)),
    ).dispose()
    code, out, _ = run(workspace, capsys, "status")
    assert "Comments needing a reply (1, since " in out
    assert "@resident0: How do I apply? Is there an age limit?" in out
    assert "@resident1" not in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    [comment] = json.loads(out)["needs_reply"]
    assert (comment["author"], comment["url"]) == ("@resident0", "https://x.example/c0")


def test_status_gives_each_comment_the_number_reply_and_mark_take(workspace, capsys):
    """status listed comments needing a reply or about safety without their number, so a
    PIO could not act on one from there."""
    run(workspace, capsys, "sync")
    now = datetime.now(UTC)
    _add_comments(
        workspace,
        ("How do I apply?", ["needs_reply"], now - timedelta(hours=2)),
        ("Where does the officer on the left live?", ["safety"], now - timedelta(hours=1)),
    ).dispose()
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    data = json.loads(out)
    [lead], [safety] = data["needs_reply"], data["safety"]
    assert lead["answer_url"] == lead["url"] == "https://x.example/c0"
    code, _, err = run(workspace, capsys, "comments", "mark", str(safety["id"]), "escalated")
    assert code == 0, err
    code, out, _ = run(workspace, capsys, "status")
    review = out.split("review now")[1].split("\n\n")[0]
    assert f"comment {safety['id']} " in review and "(escalated by " in review
    replies = out.split("Comments needing a reply")[1]
    assert f"comment {lead['id']} " in replies and "beatpost reply ID --text" in replies


def test_status_lists_the_comments_the_digest_says_need_a_reply(workspace, capsys):
    """The digest's "...and 30 more: run `beatpost status`" must lead to those comments."""
    from analysis.digest.build import build_digest
    from analysis.timeframe import IsoWeek
    from beatpost.status import reply_window_start
    from config import Settings

    run(workspace, capsys, "sync")
    now = datetime.now(UTC)
    settings = Settings()
    start = reply_window_start(settings, now)  # Monday of the latest digest's week
    week = IsoWeek.last_complete(now, CHICAGO)
    assert start == week.bounds(CHICAGO)[0]
    engine = _add_comments(
        workspace,
        ("When is the next written test?", ["needs_reply"], start + timedelta(minutes=1)),
        ("What is the starting salary?", ["needs_reply"], start + timedelta(days=3)),
        ("Nice", [], start + timedelta(days=3)),
        ("Older question?", ["needs_reply"], start - timedelta(days=3)),
    )
    digest = build_digest(engine, week, settings, lambda: now)
    engine.dispose()
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    listed = [c["text"] for c in json.loads(out)["needs_reply"]]
    assert listed == [c.text for c in digest.needs_reply]
    assert listed == ["When is the next written test?", "What is the starting salary?"]
    code, out, _ = run(
        workspace, capsys, "status", "--since", (start - timedelta(days=4)).date().isoformat()
    )
    assert "Comments needing a reply (3, since " in out and "Older question?" in out


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


def _set_due(ws, minutes_ago, *ids):
    """Move deliveries' time into the past, as if the clock had reached them."""
    from sqlalchemy import update

    from store import Delivery, make_engine
    from store.engine import write_session

    engine = make_engine(f"sqlite:///{ws / '.beatpost' / 'beatpost.db'}")
    due = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    with write_session(engine) as session:
        session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(due_at=due))
    engine.dispose()


def test_pause_of_a_campaign_typo_is_refused_with_the_real_ones(workspace, capsys):
    run(workspace, capsys, "sync")
    code, out, err = run(workspace, capsys, "pause", "--reason", "r", "--campaign", "fall-hirng")
    assert code == 2 and not out
    assert "no campaign 'fall-hirng'; known: fall-hiring." in err
    assert "Did you mean 'fall-hiring'?" in err and "--force" in err
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    assert json.loads(out)["pauses"] == []  # nothing was paused
    # A campaign not synced yet: on purpose, with --force (still a valid campaign id).
    code, out, _ = run(
        workspace, capsys, "pause", "--reason", "r", "--campaign", "winter-hiring", "--force"
    )
    assert code == 0 and out.startswith("Paused campaign winter-hiring")
    code, _, err = run(
        workspace, capsys, "pause", "--reason", "r", "--campaign", "Winter Hiring!", "--force"
    )
    assert code == 2 and "cannot be a campaign id" in err


def test_pause_platform_without_a_connector_is_refused(workspace, capsys, monkeypatch):
    monkeypatch.delitem(connectors.REGISTRY, "mastodon")  # known to the table, not built here
    run(workspace, capsys, "sync")
    code, _, err = run(workspace, capsys, "pause", "--reason", "r", "--platform", "mastodon")
    assert code == 2
    known = ", ".join(sorted(connectors.REGISTRY))  # every platform with a connector
    assert f"no platform 'mastodon'; known: {known}." in err
    code, _, err = run(workspace, capsys, "pause", "--reason", "r", "--platform", "instagran")
    assert code == 2 and "Did you mean 'instagram'?" in err
    code, _, err = run(workspace, capsys, "resume", "--platform", "mastodon")
    assert code == 2 and "no platform 'mastodon'" in err


def test_resume_of_a_scope_with_no_pause_lists_the_active_pauses(workspace, capsys):
    run(workspace, capsys, "sync")
    run(workspace, capsys, "pause", "--reason", "vigil", "--campaign", "fall-hiring")
    code, out, err = run(workspace, capsys, "resume", "--campaign", "fall-hirng")
    assert code == 1 and not out
    assert "no active pause matches campaign fall-hirng" in err
    assert "active pauses: pause 1: campaign fall-hiring" in err
    assert "did you mean 'fall-hiring'?" in err
    code, out, err = run(workspace, capsys, "resume", "--id", "7")
    assert code == 1 and "no active pause matches pause 7" in err


def test_retry_and_skip_of_an_unknown_id_list_the_real_ones(workspace, capsys):
    run(workspace, capsys, "sync")
    code, _, err = run(workspace, capsys, "skip", "12")
    assert code == 1
    assert "no delivery with id 12; planned, failed or unknown deliveries" in err
    assert "#1 fall-hiring/open-house/facebook/once" in err
    run(workspace, capsys, "skip", "3")
    code, _, err = run(workspace, capsys, "retry", "12")
    assert code == 1 and "failed, unknown or skipped deliveries" in err
    assert "#3 fall-hiring/ride-along/facebook/once" in err and "#1 " not in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["skip", "99999999999999999999999"], "no delivery has this number (too large)"),
        (["retry", "9" * 5000], "no delivery has this number (too large)"),
        (["skip", "0"], "delivery numbers start at 1"),
        (["skip", "abc"], "'abc' is not a delivery number"),
        (["resume", "--id", "99999999999999999999999"], "no pause has this number"),
        (["pause", "--reason", "r", "--until", "9999-12-31 23:59"], "out of range"),
        (["pause", "--reason", "r", "--until", "2030-01-01 00:00"], "more than 366 days ahead"),
        (["pause", "--reason", "r", "--until", "99999999999d"], "more than 366 days ahead"),
        (["pause", "--reason", "r", "--until", "0001-01-01 00:00"], "is not in the future"),
        (["pause", "--reason", "r", "--until", "2020-01-01 00:00"], "is not in the future"),
        (["pause", "--reason", "r", "--until", "2026-02-30 08:00"], "use a date-time"),
        (["pause", "--reason", "a\x1b[2Jb"], "control characters"),
        (["pause", "--reason", "x" * 501], "keep it under 500"),
        (["status", "--since", "9999-12-31"], "is in the future"),
        (["status", "--since", "0001-01-01T00:00+05:00"], "out of range"),
        (["status", "--since", "last week"], "is not a date (2026-11-30, today, yesterday)"),
        (["comments", "--since", "99999999d"], "out of range"),
        (["comments", "--since", "0001-01-01T00:00+05:00"], "out of range"),
        (["comments", "mark", "99999999999999999999999", "replied"], "too large"),
    ],
)
def test_out_of_range_arguments_are_clean_errors_not_bugs(workspace, capsys, args, message):
    run(workspace, capsys, "sync")
    code, out, err = run(workspace, capsys, *args)
    assert code == 2, err
    assert message in err
    assert "This is a bug" not in err and "Traceback" not in err


def test_resume_lists_which_deliveries_were_skipped(workspace, capsys):
    run(workspace, capsys, "sync")
    run(workspace, capsys, "pause", "--reason", "incident", "--platform", "x")
    _set_due(workspace, 5, 2, 1)  # #2 is on x (paused), #1 on facebook
    code, out, _ = run(workspace, capsys, "status")
    held = out.split("Held by a pause")[1].split("\n\n")[0]
    assert "#2 " in held and "fall-hiring/open-house/x/once" in held
    assert "#2 " not in out.split("Next deliveries")[1].split("\n\n")[0]
    assert "#1 " in out.split("Next deliveries")[1]  # due, not paused: goes out now
    code, out, _ = run(workspace, capsys, "resume")
    assert code == 0
    assert "1 post was due during the pause and skipped:" in out
    assert "  #2     2027-01-12 09:00 CST  x         fall-hiring/open-house/x/once" in out
    assert "`beatpost retry ID`" in out
    code, out, _ = run(workspace, capsys, "status")
    skipped = out.split("Skipped in the last 7 days")[1].split("\n\n")[0]
    assert "#2 " in skipped and "time passed while paused (pause 1: incident)" in skipped
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    assert [d["id"] for d in json.loads(out)["skipped"]] == [2]


def test_resume_catch_up_after_an_until_pause_ended_by_itself(workspace, capsys):
    from store import Ledger, make_engine

    run(workspace, capsys, "sync")
    engine = make_engine(f"sqlite:///{workspace / '.beatpost' / 'beatpost.db'}")
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=2), now - timedelta(minutes=1)
    Ledger(engine).pause(reason="vigil", actor="pio", platform="x", now=start, until=end)
    engine.dispose()
    _set_due(workspace, 30, 2)
    code, _, err = run(workspace, capsys, "resume")  # it ended by itself; nothing to end
    assert code == 1
    assert "pause 1 (platform x) ended by itself" in err and "skipped 1 delivery(ies)" in err
    assert "`beatpost resume --catch-up --id 1`" in err
    code, out, _ = run(workspace, capsys, "resume", "--catch-up")
    assert code == 0
    assert "Pause 1 (platform x: vigil) ended by itself at " in out
    assert "1 post due during the pause goes out now:" in out
    assert "fall-hiring/open-house/x/once" in out
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    [due] = [d for d in json.loads(out)["upcoming"] if d["id"] == 2]
    assert due["state"] == "planned"
    code, _, err = run(workspace, capsys, "resume", "--catch-up")  # nothing left to catch up
    assert code == 1 and "no pause is active" in err


def test_digest_more_comments_points_to_status_since_its_week():
    from dataclasses import replace

    from analysis.digest.render import render
    from analysis.digest.sample import sample_digest

    data = sample_digest()
    many = tuple(replace(data.needs_reply[0], text=f"question {i}") for i in range(14))
    rendered = render(replace(data, needs_reply=many, needs_reply_total=40))
    command = f"beatpost status --since {data.week.monday.isoformat()}"
    assert f"and 30 more: run `{command}`." in rendered.text
    assert f"run <code>{command}</code>." in rendered.html


def test_status_warns_two_weeks_before_a_token_expires(workspace, capsys):
    from analysis.timeframe import week_zone
    from config import Settings

    today = datetime.now(week_zone(Settings(workspace=workspace))).date()  # status's own day
    soon, later = today + timedelta(days=14), today + timedelta(days=15)
    (workspace / "beatpost.toml").write_text(
        'operator = "Sgt. Kim"\n'
        f"[threads]\ntoken_expires = {soon.isoformat()}\n"
        f"[instagram]\ntoken_expires = {later.isoformat()}\n"
        f"[facebook]\ntoken_expires = {(today - timedelta(days=1)).isoformat()}\n"
    )
    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert code == 0
    assert f"Threads access token expires on {soon.isoformat()} (in 14 days)" in out
    assert "threads.token_expires" in out
    assert "Facebook access token expired on" in out
    assert "Instagram access token" not in out, "15 days away: not yet"
    code, out, _ = run(workspace, capsys, "status", "--format", "json")
    assert json.loads(out)["token_expiry"] == [
        {
            "platform": "facebook",
            "expires": (today - timedelta(days=1)).isoformat(),
            "days_left": -1,
        },
        {"platform": "threads", "expires": soon.isoformat(), "days_left": 14},
    ]


def test_status_counts_posts_in_words_and_says_how_to_plan_them(workspace, capsys):
    """It ended with "Ledger: empty." (a word from the code) and nothing to do next."""
    code, out, _ = run(workspace, capsys, "status")
    assert code == 0 and "Ledger" not in out
    assert out.rstrip().endswith("plans the campaign files.")
    assert "`beatpost sync`" in out
    run(workspace, capsys, "sync")
    code, out, _ = run(workspace, capsys, "status")
    assert "Posts by state: planned 4." in out
