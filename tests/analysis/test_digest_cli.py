"""``beatpost digest`` end to end: files, sending once to a real SMTP server, user errors."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from beatpost.cli import main
from tests.analysis.test_digest_send import SMTP_PASSWORD, SMTP_USER, running_smtp

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def smtp_server():
    with running_smtp() as server:
        yield server


def workspace(tmp_path: Path, port: int = 25) -> Path:
    config = tmp_path / "beatpost.toml"
    config.write_text(
        f"""
database_url = "sqlite:///{tmp_path / "beatpost.db"}"
[digest]
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_security = "none"
smtp_user = "{SMTP_USER}"
sender = "digest@riverton.example"
recipients = ["chief@riverton.example"]
department = "Riverton Police Department"
timezone = "America/Chicago"
"""
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[digest]\nsmtp_password = "{SMTP_PASSWORD}"\n')
    secrets.chmod(0o600)
    return config


def run(config: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("BEATPOST_SECRETS_FILE", str(config.parent / "secrets.toml"))
    return main(["--config", str(config), "digest", *args])


def test_out_writes_the_three_files(tmp_path, monkeypatch, capsys) -> None:
    config = workspace(tmp_path)
    out = tmp_path / "out"
    assert run(config, "--week", "2026-W40", "--out", str(out), monkeypatch=monkeypatch) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Week 2026-W40 (28 Sep - 04 Oct 2026, America/Chicago): 0 posts")
    assert {p.name for p in out.iterdir()} == {"digest.html", "digest.txt", "digest.eml"}
    assert "No post was published this week." in (out / "digest.txt").read_text()
    eml = message_from_bytes((out / "digest.eml").read_bytes(), policy=policy.default)
    assert eml["To"] == "chief@riverton.example"


def test_send_once_then_already_sent_then_force(tmp_path, monkeypatch, capsys, smtp_server):
    mailbox, port = smtp_server
    config = workspace(tmp_path, port)
    monkeypatch.chdir(tmp_path)
    assert run(config, "--week", "2026-W40", "--send", monkeypatch=monkeypatch) == 0
    assert "Sent week 2026-W40 to 1 recipient (" in capsys.readouterr().out
    assert run(config, "--week", "2026-W40", "--send", monkeypatch=monkeypatch) == 0
    assert "was already sent" in capsys.readouterr().out
    assert len(mailbox.received) == 1
    assert run(config, "--week", "2026-W40", "--send", "--force", monkeypatch=monkeypatch) == 0
    assert len(mailbox.received) == 2
    assert not (tmp_path / "digest").exists()  # --send alone writes no files


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--week", "2027-W99"], 2, "2027 has ISO weeks 1 to 52"),
        (["--week", "March"], 2, "expected an ISO week like 2027-W10"),
        (["--force"], 2, "--force only makes sense with --send"),
    ],
)
def test_user_errors_are_one_clean_line(tmp_path, monkeypatch, capsys, args, status, message):
    config = workspace(tmp_path)
    assert run(config, *args, monkeypatch=monkeypatch) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_refused_send_exits_nonzero_without_the_password(
    tmp_path, monkeypatch, capsys, smtp_server
):
    mailbox, port = smtp_server
    mailbox.refuse, mailbox.code = 9, "554 5.7.1 Rejected"
    config = workspace(tmp_path, port)
    assert run(config, "--week", "2026-W40", "--send", monkeypatch=monkeypatch) == 1
    captured = capsys.readouterr()
    assert "week 2026-W40 not sent: SMTP 554" in captured.err
    assert SMTP_PASSWORD not in captured.out + captured.err


@pytest.mark.parametrize(
    ("remove", "named"),
    [
        ('sender = "digest@riverton.example"\n', "digest.sender is not set"),
        ('recipients = ["chief@riverton.example"]\n', "digest.recipients is empty"),
    ],
)
def test_digest_send_requires_a_sender_and_recipients(
    tmp_path, monkeypatch, capsys, smtp_server, remove, named
):
    mailbox, port = smtp_server
    config = workspace(tmp_path, port)
    config.write_text(config.read_text().replace(remove, ""))
    assert run(config, "--week", "2026-W40", "--send", monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    assert named in err and "beatpost.toml [digest]" in err and "Traceback" not in err
    assert mailbox.received == []
    # Without --send the preview is still written, with a note on what to set.
    assert (
        run(config, "--week", "2026-W40", "--out", str(tmp_path / "out"), monkeypatch=monkeypatch)
        == 0
    )
    assert named in capsys.readouterr().err


def test_default_week_is_the_last_complete_one(tmp_path, monkeypatch, capsys) -> None:
    import beatpost.commands.digest_cmds as cmds

    monkeypatch.setattr(cmds, "system_clock", lambda: datetime(2027, 3, 15, 13, 0, tzinfo=UTC))
    config = workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run(config, monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.startswith("Week 2027-W10 ")
    assert (tmp_path / "digest" / "digest.html").exists()


def test_unwritable_out_is_one_clean_line(tmp_path, monkeypatch, capsys) -> None:
    config = workspace(tmp_path)
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    assert (
        run(config, "--week", "2026-W40", "--out", str(blocker / "sub"), monkeypatch=monkeypatch)
        == 1
    )
    err = capsys.readouterr().err
    assert f"{blocker / 'sub'}: cannot write the digest" in err and "Traceback" not in err
