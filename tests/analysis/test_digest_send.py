"""Sending the digest to a real SMTP server on loopback (aiosmtpd, with AUTH)."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from sqlmodel import Session, select

from analysis.digest.data import ReplyNeeded
from analysis.digest.sample import sample_digest
from analysis.digest.send import (
    STALE_CLAIM,
    describe_send,
    digest_sends,
    recipients_hash,
    send_due_digest,
    send_weekly_digest,
)
from analysis.digest.timing import due_week, send_moment
from analysis.timeframe import IsoWeek
from config.settings import Settings
from store import upgrade
from store.digest_models import DigestSend, DigestStatus
from tests.ledger_fixtures import db_url_engine  # noqa: F401 - SQLite, and PostgreSQL when set

SMTP_USER = "pio-digest"
SMTP_PASSWORD = "s3cret-smtp-Pa55word"
X_TOKEN = "x-access-token-DO-NOT-LEAK-42"
RECIPIENTS = ["chief@riverton.example", "Lt. Brooks <sbrooks@riverton.example>"]
CHICAGO = ZoneInfo("America/Chicago")
WEEK = IsoWeek(2027, 10)
# Monday 15 March 2027, 07:30 in Chicago: week 10's digest is due.
MONDAY = datetime(2027, 3, 15, 12, 30, tzinfo=UTC)


@pytest.fixture
def db(db_url_engine):  # noqa: F811 - pytest passes the imported fixture by name
    """A migrated database: one SQLite file, or a fresh PostgreSQL schema, per test."""
    upgrade(db_url_engine)
    return db_url_engine


# -- the SMTP server ------------------------------------------------------------------------


@dataclass
class Mailbox:
    """aiosmtpd handler: stores what arrives; refuses DATA ``refuse`` times with ``code``."""

    refuse: int = 0
    code: str = "451 4.3.0 Try again later"
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    data_calls: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        self.data_calls += 1
        if self.refuse:
            self.refuse -= 1
            return self.code
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 OK"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    # handled=False: let aiosmtpd answer 535 itself (handled=True means "I already replied").
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@contextmanager
def running_smtp() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server with AUTH on a free loopback port: (mailbox, port)."""
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,  # loopback only; TLS is smtplib's business, not under test
    )
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    with running_smtp() as server:
        yield server


# -- the ledger ------------------------------------------------------------------------------


def test_model_matches_the_migration(db) -> None:
    wanted = MetaData()
    DigestSend.__table__.to_metadata(wanted)
    with db.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, _parent: (
                    type_ != "table" or name == "digest_sends"
                ),
            },
        )
        assert compare_metadata(ctx, wanted) == []


def make_settings(port: int, **digest) -> Settings:
    values = dict(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
        sender="Beatpost <digest@riverton.example>",
        recipients=RECIPIENTS,
        department="Riverton Police Department",
        timezone="America/Chicago",
    )
    values.update(digest)
    return Settings(digest=values, x={"access_token": X_TOKEN})


def build_sample(db, week, settings, clock):  # noqa: ANN001 - the build_digest signature
    data = sample_digest(week)
    # A comment quoting a secret-looking string must still not make the secret appear:
    # the point is that nothing of the settings is rendered, not that comments are scrubbed.
    extra = ReplyNeeded(
        text="When is the next info session?",
        author="@sam",
        platform="x",
        url="https://x.com/sam/status/9",
        created_local=clock().astimezone(CHICAGO),
        age=timedelta(hours=5),
    )
    return replace(data, needs_reply=(extra, *data.needs_reply), needs_reply_total=4)


class Clock:
    def __init__(self, now: datetime):
        self.current = now

    def __call__(self) -> datetime:
        return self.current


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def send(settings, db, clock, **kwargs):  # noqa: ANN001
    kwargs.setdefault("build", build_sample)
    kwargs.setdefault("sleep", Sleeps())
    kwargs.setdefault("week", WEEK)
    return send_weekly_digest(settings, db, clock, **kwargs)


def all_text(raw: bytes) -> str:
    """The raw message and every decoded part, so an encoded secret cannot hide."""
    parsed = message_from_bytes(raw, policy=policy.default)
    chunks = [raw.decode("utf-8", "replace")]
    for part in parsed.walk():
        if not part.is_multipart():
            content = part.get_content()
            chunks.append(content if isinstance(content, str) else content.decode("latin-1"))
    return "\n".join(chunks)


# -- tests ----------------------------------------------------------------------------------


def test_digest_arrives_complete_and_without_secrets(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    result = send(settings, db, Clock(MONDAY))
    assert result.outcome == "sent", result.error
    assert result.attempts == 1

    [(mail_from, rcpt_tos, raw)] = mailbox.received
    assert mail_from == "digest@riverton.example"
    assert rcpt_tos == ["chief@riverton.example", "sbrooks@riverton.example"]
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == (
        "Weekly digest, week 10 (8-14 Mar 2027): Riverton Police Department"
    )
    assert parsed["Message-ID"] == result.message_id
    types = [p.get_content_type() for p in parsed.walk()]
    assert types == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "image/png",
    ]
    assert "When is the next info session?" in parsed.get_body(("plain",)).get_content()
    assert "When is the next info session?" in parsed.get_body(("html",)).get_content()

    everything = all_text(raw)
    for secret in (SMTP_PASSWORD, X_TOKEN, SMTP_USER):
        assert secret not in everything

    with Session(db) as session:
        row = session.exec(select(DigestSend)).one()
    assert (row.week, row.status, row.attempts) == ("2027-W10", DigestStatus.SENT, 1)
    assert row.message_id == result.message_id
    assert row.recipients_hash == recipients_hash(RECIPIENTS)


def test_second_send_in_the_same_week_does_nothing(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    first = send(settings, db, Clock(MONDAY))
    again = send(settings, db, Clock(MONDAY + timedelta(hours=3)))
    assert (first.outcome, again.outcome) == ("sent", "already_sent")
    assert again.message_id == first.message_id
    assert len(mailbox.received) == 1


def test_force_sends_again(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    send(settings, db, Clock(MONDAY))
    forced = send(settings, db, Clock(MONDAY + timedelta(minutes=5)), force=True)
    assert forced.outcome == "sent"
    assert len(mailbox.received) == 2


def test_new_recipient_list_gets_its_own_digest(smtp_server, db) -> None:
    mailbox, port = smtp_server
    send(make_settings(port), db, Clock(MONDAY))
    widened = make_settings(port, recipients=[*RECIPIENTS, "mayor@riverton.example"])
    assert send(widened, db, Clock(MONDAY)).outcome == "sent"
    assert send(widened, db, Clock(MONDAY)).outcome == "already_sent"
    assert [len(r[1]) for r in mailbox.received] == [2, 3]


def test_server_that_refuses_once_gets_the_digest_on_retry(smtp_server, db) -> None:
    mailbox, port = smtp_server
    mailbox.refuse = 1
    sleeps = Sleeps()
    result = send(make_settings(port), db, Clock(MONDAY), sleep=sleeps)
    assert result.outcome == "sent", result.error
    assert result.attempts == 2
    assert sleeps == [5.0]
    assert mailbox.data_calls == 2 and len(mailbox.received) == 1


def test_backoff_doubles_within_a_round(smtp_server, db) -> None:
    mailbox, port = smtp_server
    mailbox.refuse = 2
    sleeps = Sleeps()
    assert send(make_settings(port), db, Clock(MONDAY), sleep=sleeps).outcome == "sent"
    assert sleeps == [5.0, 10.0]


def test_failed_round_is_recorded_and_retried_after_backoff(smtp_server, db) -> None:
    mailbox, port = smtp_server
    mailbox.refuse = 3  # a whole round of 451s
    settings = make_settings(port)
    clock = Clock(MONDAY)
    failed = send(settings, db, clock)
    assert failed.outcome == "failed"
    assert "451" in failed.error and SMTP_PASSWORD not in failed.error
    assert failed.next_attempt_at == MONDAY + timedelta(minutes=5)

    clock.current = MONDAY + timedelta(minutes=2)  # a daemon tick during the backoff
    waiting = send(settings, db, clock)
    assert waiting.outcome == "retry_later" and mailbox.data_calls == 3

    clock.current = MONDAY + timedelta(minutes=6)
    assert send(settings, db, clock).outcome == "sent"
    assert len(mailbox.received) == 1
    with Session(db) as session:
        row = session.exec(select(DigestSend)).one()
    assert (row.status, row.attempts, row.rounds) == (DigestStatus.SENT, 4, 1)


def test_permanent_refusal_is_not_retried_within_the_round(smtp_server, db) -> None:
    mailbox, port = smtp_server
    mailbox.refuse, mailbox.code = 5, "554 5.7.1 Message rejected as spam"
    sleeps = Sleeps()
    result = send(make_settings(port), db, Clock(MONDAY), sleep=sleeps)
    assert result.outcome == "failed" and result.attempts == 1 and sleeps == []
    assert "554" in result.error


def test_wrong_password_fails_without_echoing_it(smtp_server, db) -> None:
    _mailbox, port = smtp_server
    wrong = "wrong-Pa55-" + SMTP_PASSWORD[::-1]
    result = send(make_settings(port, smtp_password=wrong), db, Clock(MONDAY))
    assert result.outcome == "failed"
    assert "535" in result.error
    assert wrong not in result.error
    with Session(db) as session:
        row = session.exec(select(DigestSend)).one()
    assert row.status == DigestStatus.FAILED and wrong not in (row.last_error or "")


def test_unreachable_server_is_a_failed_round_not_a_crash(db) -> None:
    port = free_port()  # nobody listens
    sleeps = Sleeps()
    result = send(make_settings(port), db, Clock(MONDAY), sleep=sleeps)
    assert result.outcome == "failed" and result.attempts == 3
    assert f"cannot talk to 127.0.0.1:{port}" in result.error


def test_abandoned_claim_is_taken_over_after_it_goes_stale(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    with Session(db) as session:
        session.add(
            DigestSend(
                week=str(WEEK),
                recipients_hash=recipients_hash(RECIPIENTS),
                status=DigestStatus.SENDING,
                claimed_by="dead-daemon",
                claimed_at=MONDAY,
            )
        )
        session.commit()
    assert send(settings, db, Clock(MONDAY + timedelta(minutes=1))).outcome == "in_progress"
    later = Clock(MONDAY + STALE_CLAIM + timedelta(seconds=1))
    assert send(settings, db, later).outcome == "sent"
    assert len(mailbox.received) == 1


def test_concurrent_daemons_send_once(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def daemon(n: int) -> None:
        start.wait()
        outcomes.append(send(settings, db, Clock(MONDAY), owner=f"daemon-{n}").outcome)

    threads = [threading.Thread(target=daemon, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes).count("sent") == 1
    assert set(outcomes) <= {"sent", "in_progress", "already_sent"}
    assert len(mailbox.received) == 1


@pytest.mark.parametrize(
    ("enabled", "recipients", "outcome"),
    [(False, RECIPIENTS, "disabled"), (True, [], "no_recipients")],
)
def test_nothing_to_send(db, enabled, recipients, outcome) -> None:  # noqa: ANN001
    settings = make_settings(free_port(), enabled=enabled, recipients=recipients)
    assert send(settings, db, Clock(MONDAY)).outcome == outcome


@pytest.mark.parametrize(
    ("digest", "named"),
    [
        ({"sender": "beatpost@localhost"}, "digest.sender is not set"),
        ({"sender": "digest"}, "digest.sender 'digest' is not an email address"),
        ({"sender": "digest@riverton"}, "digest.sender 'digest@riverton' has no full domain"),
        (
            {"recipients": ["chief@riverton.example", "Lt. Brooks <sbrooks@riverton.example"]},
            "digest.recipients entry 2 'Lt. Brooks <sbrooks@riverton.example' is not an email",
        ),
        (
            {"recipients": ["chief@riverton.example, mayor@riverton.example"]},
            "digest.recipients entry 1 'chief@riverton.example, mayor@riverton.example' holds 2",
        ),
    ],
)
def test_digest_placeholder_sender_or_bad_address_is_never_sent(
    smtp_server,
    db,
    digest,
    named,  # noqa: ANN001
) -> None:
    mailbox, port = smtp_server
    result = send(make_settings(port, **digest), db, Clock(MONDAY))
    assert result.outcome == "not_configured"
    assert named in (result.error or "")
    assert mailbox.received == [] and mailbox.data_calls == 0


LONG_DEPARTMENT = "Service de police de la Ville de Montréal, Section du recrutement policier"


def _headers_as_shown(raw: bytes) -> dict[str, str]:
    """Subject, From and To as a strict (default policy) and a legacy (compat32) reader of
    the email package see them: no line breaks, no stray leading spaces."""
    modern = message_from_bytes(raw, policy=policy.default)
    legacy = message_from_bytes(raw)
    for name in ("Subject", "From", "To"):
        assert "\n" not in legacy[name] and not legacy[name].startswith(" "), (name, legacy[name])
    return {name: str(modern[name]) for name in ("Subject", "From", "To")}


def test_digest_headers_unfolded_and_decoded_right_over_smtp(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(
        port, department=LONG_DEPARTMENT, sender="Recrutement SPVM <digest@riverton.example>"
    )

    def build(*args):  # noqa: ANN002 - the build_digest signature
        return replace(build_sample(*args), department=LONG_DEPARTMENT)

    assert send(settings, db, Clock(MONDAY), build=build).outcome == "sent"
    [(_from, _to, raw)] = mailbox.received
    shown = _headers_as_shown(raw)
    assert shown["Subject"] == f"Weekly digest, week 10 (8-14 Mar 2027): {LONG_DEPARTMENT}"
    assert shown["From"] == "Recrutement SPVM <digest@riverton.example>"
    to = message_from_bytes(raw, policy=policy.default)["To"]
    assert [(a.display_name, a.addr_spec) for a in to.addresses] == [
        ("", "chief@riverton.example"),
        ("Lt. Brooks", "sbrooks@riverton.example"),
    ]


def test_digest_preview_without_recipients_has_no_empty_to_header() -> None:
    from analysis.digest.render import build_message, render

    data = replace(sample_digest(WEEK), department=LONG_DEPARTMENT)
    message = build_message(render(data), data, sender="digest@riverton.example", recipients=[])
    raw = message.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["To"] == "undisclosed-recipients:;"
    assert parsed["To"].groups[0].display_name == "undisclosed-recipients"
    assert _headers_as_shown(raw)["Subject"].endswith(LONG_DEPARTMENT)


# -- when a week is due ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local_now", "send_day", "send_time", "expected"),
    [
        (datetime(2027, 3, 15, 6, 59), "monday", "07:00", None),
        (datetime(2027, 3, 15, 7, 0), "monday", "07:00", WEEK),
        (datetime(2027, 3, 18, 6, 59), "monday", "07:00", WEEK),  # catching up
        (datetime(2027, 3, 18, 7, 0), "monday", "07:00", None),  # too late to be news
        (datetime(2027, 3, 21, 23, 0), "monday", "07:00", None),
        (datetime(2027, 3, 16, 8, 0), "tuesday", "08:30", None),
        (datetime(2027, 3, 16, 8, 30), "tuesday", "08:30", WEEK),
    ],
)
def test_due_week(local_now, send_day, send_time, expected) -> None:  # noqa: ANN001
    settings = make_settings(25, send_day=send_day, send_time=send_time)
    assert due_week(settings, local_now.replace(tzinfo=CHICAGO).astimezone(UTC)) == expected


def test_send_moment_is_local_wall_time() -> None:
    settings = make_settings(25)
    # 15 March 2027 is after the DST change: 07:00 CDT is 12:00 UTC.
    assert send_moment(WEEK, settings.digest, CHICAGO) == datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


def test_daemon_tick_sends_only_once_due(smtp_server, db) -> None:
    mailbox, port = smtp_server
    settings = make_settings(port)
    sunday_night = Clock(datetime(2027, 3, 15, 4, 0, tzinfo=UTC))  # Sun 23:00: W09 too old
    early = Clock(datetime(2027, 3, 15, 11, 59, tzinfo=UTC))  # Mon 06:59 CDT
    assert send_due_digest(settings, db, sunday_night, build=build_sample) is None
    assert send_due_digest(settings, db, early, build=build_sample) is None
    ticks = [
        send_due_digest(
            settings,
            db,
            Clock(MONDAY + timedelta(minutes=15 * n)),
            build=build_sample,
            sleep=Sleeps(),
        )
        for n in range(3)
    ]
    assert [t.outcome for t in ticks] == ["sent", "already_sent", "already_sent"]
    assert {t.week for t in ticks} == {WEEK}
    assert len(mailbox.received) == 1


def test_status_lines(smtp_server, db) -> None:
    mailbox, port = smtp_server
    send(make_settings(port), db, Clock(MONDAY))
    mailbox.refuse, mailbox.code = 9, "554 5.7.1 Rejected"
    send(make_settings(port), db, Clock(MONDAY), week=WEEK.next())
    lines = [describe_send(row) for row in digest_sends(db)]
    assert lines == [
        "2027-W11 NOT SENT after 1 try: SMTP 554: 5.7.1 Rejected; "
        "next try after 2027-03-15 12:35 UTC",
        "2027-W10 sent 2027-03-15 12:30 UTC to 2 recipients",
    ]
    assert all(SMTP_PASSWORD not in line for line in lines)


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ("starttls", "STARTTLS extension not supported by server. (check digest.smtp_security)"),
        ("ssl", "TLS with 127.0.0.1:"),
    ],
)
def test_tls_mismatch_fails_at_once_with_a_clear_message(smtp_server, db, security, expected):
    mailbox, port = smtp_server
    sleeps = Sleeps()
    result = send(make_settings(port, smtp_security=security), db, Clock(MONDAY), sleep=sleeps)
    assert result.outcome == "failed" and result.attempts == 1 and sleeps == []
    assert expected in result.error
    assert mailbox.received == []


@pytest.mark.parametrize("value", ["7am", "24:00", "07:60", "", "7"])
def test_bad_send_time_names_the_setting(value: str) -> None:
    # Refused when the settings load (every command and the daemon), not at send time.
    with pytest.raises(ValueError, match=r"digest.send_time\n.* is not a time of day like 07:00"):
        make_settings(25, send_time=value)


# -- TLS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl), as (cert, key) files."""
    if shutil.which("openssl") is None:
        pytest.skip("the TLS tests make their certificate with the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_server_gets_the_digest_and_the_password_only_encrypted(
    certificate, db, security
) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    mailbox = Mailbox()
    if security == "starttls":
        # The server refuses AUTH before STARTTLS: a password sent in clear would fail.
        tls_args = {"tls_context": server_tls, "require_starttls": True, "auth_require_tls": True}
    else:
        # Implicit TLS; aiosmtpd only counts STARTTLS as TLS for auth_require_tls.
        tls_args = {"ssl_context": server_tls, "auth_require_tls": False}
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_required=True,
        **tls_args,
    )
    controller.start()
    try:
        client_tls = ssl.create_default_context(cafile=str(cert))
        settings = make_settings(controller.port, smtp_security=security)
        result = send(settings, db, Clock(MONDAY), tls=client_tls)
        assert result.outcome == "sent", result.error
        assert len(mailbox.received) == 1

        # The system trust store does not know this certificate: refused, not retried.
        untrusted = send(settings, db, Clock(MONDAY), week=WEEK.next())
        assert untrusted.outcome == "failed" and untrusted.attempts == 1
        assert "certificate verify failed" in untrusted.error
    finally:
        controller.stop()


def test_a_sender_taken_over_cannot_overwrite_the_new_result(db) -> None:
    from store.digest import claim_send, mark_failed, mark_sent

    rhash = recipients_hash(RECIPIENTS)
    claimed, row = claim_send(
        db, str(WEEK), rhash, 2, "slow-daemon", MONDAY, stale_after=STALE_CLAIM
    )
    assert claimed
    later = MONDAY + STALE_CLAIM + timedelta(minutes=1)
    taken, _ = claim_send(db, str(WEEK), rhash, 2, "second-daemon", later, stale_after=STALE_CLAIM)
    assert taken
    mark_sent(
        db,
        row.id,
        "second-daemon",
        attempts=1,
        warning=None,
        message_id="<m@x>",
        sent_at=later,
        now=later,
    )
    mark_failed(
        db,
        row.id,
        "slow-daemon",
        error="woke up late",
        attempts=1,
        rounds=1,
        retry_at=later,
        now=later,
    )
    [final] = digest_sends(db)
    assert (final.status, final.claimed_by, final.last_error) == (
        DigestStatus.SENT,
        "second-daemon",
        None,
    )
