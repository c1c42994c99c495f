"""Sending the digest: SMTP with retries, at most once per ISO week and recipient list.

``send_due_digest`` is what the daemon calls on every tick; ``send_weekly_digest`` sends a
given week (``beatpost digest --send``). Both may be called as often as anyone likes, from
any number of processes: nothing happens once the week's digest is out, and nothing before
a failed send's backoff is over.

At most once, with one documented exception: if a sender dies after the SMTP server
accepted the message but before the row says ``sent``, the row stays ``sending``; after
``STALE_CLAIM`` another sender takes it over and sends again. A duplicate email on a crash
is the price of never losing a digest.
"""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import socket
import ssl
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import errors as email_errors
from email import policy as email_policy
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.engine import Engine

from analysis.digest.build import build_digest
from analysis.digest.data import DigestData
from analysis.digest.timing import Clock, due_week, now_from
from analysis.timeframe import IsoWeek, week_zone
from config.settings import DigestSettings, Settings
from store import digest as store_digest
from store.digest_models import DigestSend, DigestStatus

if TYPE_CHECKING:
    from analysis.digest.render import RenderedDigest

__all__ = [  # due_week is re-exported for the daemon's convenience
    "DigestSendError",
    "SendResult",
    "address_problems",
    "deliver",
    "deliver_with_retry",
    "describe_send",
    "digest_sends",
    "due_week",
    "recipients_hash",
    "send_due_digest",
    "send_weekly_digest",
]

log = logging.getLogger(__name__)

TRIES_PER_ROUND = 3  # SMTP conversations per call, ``BACKOFF_BASE`` * 2**n apart
BACKOFF_BASE = timedelta(seconds=5)
ROUND_BACKOFF = timedelta(minutes=5)  # after a failed round: 5 min, 10, 20 ... capped
ROUND_BACKOFF_MAX = timedelta(hours=6)
STALE_CLAIM = timedelta(minutes=30)
SMTP_TIMEOUT = 60.0

Outcome = Literal[
    "sent",
    "already_sent",
    "in_progress",
    "retry_later",
    "failed",
    "disabled",
    "no_recipients",
    "not_configured",
]

#: The settings' default sender: a placeholder no mail client can reply to.
PLACEHOLDER_SENDER = DigestSettings.model_fields["sender"].default


class DigestSendError(Exception):
    """SMTP refused or could not be reached. The message never includes credentials."""

    def __init__(self, message: str, *, permanent: bool = False):
        self.permanent = permanent
        self.attempts = 0  # SMTP conversations tried before giving up
        super().__init__(message)


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    week: IsoWeek
    attempts: int = 0  # SMTP conversations in this call
    message_id: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("sent", "already_sent", "in_progress", "disabled")


# -- addresses ------------------------------------------------------------------------------


def _address_problem(text: str) -> str | None:
    """Why ``text`` is not one email address a mail client shows and can reply to; None if
    it is ("Command Staff <command-staff@springfield.example.gov>" or a bare address)."""
    try:
        header = email_policy.default.header_factory("To", text)
        addresses = header.addresses
        obsolete = email_errors.ObsoleteHeaderDefect
        defects = [d for d in header.defects if not isinstance(d, obsolete)]
    except (IndexError, ValueError, TypeError):  # the stdlib parser trips on some junk
        return "is not an email address"
    if len(addresses) != 1:
        return f"holds {len(addresses)} addresses; give one per entry"
    address = addresses[0]
    if defects or not address.username or not address.domain:
        return "is not an email address (expected name@domain or Name <name@domain>)"
    labels = address.domain.split(".")
    if len(labels) < 2 or not all(labels):
        return f"has no full domain after the @ ({address.domain!r})"
    return None


def address_problems(cfg: DigestSettings) -> list[str]:
    """What keeps the digest from being sent as a proper email, one sentence per setting;
    empty when ``digest.sender`` and ``digest.recipients`` are set and are addresses."""
    problems = []
    if cfg.sender.strip() == PLACEHOLDER_SENDER:
        problems.append(
            f"digest.sender is not set (it is still the placeholder {PLACEHOLDER_SENDER}): "
            "set it to the address the digest comes from, e.g. "
            'sender = "Springfield PD digest <digest@springfield.example.gov>"'
        )
    elif (why := _address_problem(cfg.sender)) is not None:
        problems.append(f"digest.sender {cfg.sender!r} {why}")
    if not cfg.recipients:
        problems.append(
            "digest.recipients is empty: list who gets the digest, e.g. "
            'recipients = ["Command Staff <command-staff@springfield.example.gov>"]'
        )
    for n, recipient in enumerate(cfg.recipients, 1):
        if (why := _address_problem(recipient)) is not None:
            problems.append(f"digest.recipients entry {n} {recipient!r} {why}")
    return problems


# -- SMTP -----------------------------------------------------------------------------------


def _scrub(text: str, cfg: DigestSettings) -> str:
    secret = cfg.smtp_password.get_secret_value() if cfg.smtp_password else ""
    return text.replace(secret, "***") if secret else text


def _describe(exc: BaseException, cfg: DigestSettings) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        text = f"SMTP {exc.smtp_code}: {detail}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "every recipient was refused: " + ", ".join(
            f"{addr} ({code})" for addr, (code, _msg) in exc.recipients.items()
        )
    elif isinstance(exc, ssl.SSLError | ssl.CertificateError):
        text = f"TLS with {cfg.smtp_host}:{cfg.smtp_port} failed: {exc}"
    elif isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(
        exc, smtplib.SMTPException
    ):  # (SMTPException is an OSError too: only connection trouble is "cannot talk")
        text = f"cannot talk to {cfg.smtp_host}:{cfg.smtp_port}: {exc}"
    elif isinstance(exc, smtplib.SMTPNotSupportedError):
        text = f"{cfg.smtp_host}:{cfg.smtp_port}: {exc} (check digest.smtp_security)"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return _scrub(" ".join(text.split()), cfg)


def _is_permanent(exc: BaseException) -> bool:
    # 5xx replies and refused credentials will not fix themselves within a retry round;
    # 4xx replies, timeouts and dropped connections might.
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in exc.recipients.values())
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return True
    return isinstance(exc, smtplib.SMTPNotSupportedError)


def deliver(
    message: EmailMessage,
    cfg: DigestSettings,
    *,
    timeout: float = SMTP_TIMEOUT,
    tls: ssl.SSLContext | None = None,
) -> str:
    """One SMTP conversation. Returns a note on refused recipients ("" when all accepted).

    ``tls``: the context that verifies the server (default: the system's trust store, with
    host name checking); the password is only ever sent after STARTTLS or over SSL unless
    ``smtp_security`` is "none".
    """
    context = tls or ssl.create_default_context()
    smtp: smtplib.SMTP
    try:
        if cfg.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(cfg.smtp_host, cfg.smtp_port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=timeout)
        with smtp:
            smtp.ehlo()
            if cfg.smtp_security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if cfg.smtp_user:
                password = cfg.smtp_password.get_secret_value() if cfg.smtp_password else ""
                smtp.login(cfg.smtp_user, password)
            refused = smtp.send_message(
                message, from_addr=_bare(cfg.sender), to_addrs=[_bare(r) for r in cfg.recipients]
            )
    except (smtplib.SMTPException, OSError) as exc:
        raise DigestSendError(_describe(exc, cfg), permanent=_is_permanent(exc)) from None
    if refused:
        return "refused: " + ", ".join(f"{a} ({code})" for a, (code, _m) in refused.items())
    return ""


def deliver_with_retry(
    message: EmailMessage,
    cfg: DigestSettings,
    *,
    tries: int = TRIES_PER_ROUND,
    sleep: Callable[[float], Any] = time.sleep,
    tls: ssl.SSLContext | None = None,
) -> tuple[int, str]:
    """Try up to ``tries`` times, backing off exponentially; (attempts used, refused note).

    Raises the last ``DigestSendError`` when every try failed or a failure is permanent; its
    ``attempts`` says how many conversations were tried.
    """
    for attempt in range(1, tries + 1):
        try:
            return attempt, deliver(message, cfg, tls=tls)
        except DigestSendError as exc:
            exc.attempts = attempt
            if exc.permanent or attempt == tries:
                raise
            delay = BACKOFF_BASE.total_seconds() * 2 ** (attempt - 1)
            log.warning(
                "digest: SMTP try %d of %d failed (%s); again in %.0f s", attempt, tries, exc, delay
            )
            sleep(delay)
    raise AssertionError("unreachable")


def _bare(address: str) -> str:
    address = address.strip()
    if address.endswith(">") and "<" in address:
        return address[address.rindex("<") + 1 : -1].strip()
    return address


def recipients_hash(recipients: Sequence[str]) -> str:
    normalised = sorted({_bare(r).lower() for r in recipients})
    return hashlib.sha256("\n".join(normalised).encode()).hexdigest()


# -- the claim ------------------------------------------------------------------------------


def _round_backoff(rounds: int) -> timedelta:
    return min(ROUND_BACKOFF * 2 ** max(rounds - 1, 0), ROUND_BACKOFF_MAX)


def digest_sends(engine: Engine, limit: int = 10) -> list[DigestSend]:
    """The latest sends, newest week first, for ``beatpost status``."""
    return store_digest.digest_sends(engine, limit)


# -- the weekly job -------------------------------------------------------------------------


def prepare(data: DigestData, cfg: DigestSettings) -> tuple[RenderedDigest, EmailMessage]:
    # Imported here: rendering loads matplotlib, which a daemon start need not wait for.
    from analysis.digest.render import build_message, render

    rendered = render(data)
    return rendered, build_message(rendered, data, sender=cfg.sender, recipients=cfg.recipients)


def send_weekly_digest(
    settings: Settings,
    engine: Engine,
    clock: Clock,
    force: bool = False,
    *,
    week: IsoWeek | None = None,
    build: Callable[..., DigestData] | None = None,
    sleep: Callable[[float], Any] = time.sleep,
    owner: str | None = None,
    tls: ssl.SSLContext | None = None,
) -> SendResult:
    """Send ``week``'s digest (default: the last complete week) unless it already went out.

    ``force`` sends again even when it was sent, or before a failed send's backoff is over.
    ``clock`` is a callable or an object with ``now()``, returning aware datetimes.
    """
    cfg = settings.digest
    now = now_from(clock)
    week = week or IsoWeek.last_complete(now, week_zone(settings))
    if not cfg.enabled:
        return SendResult("disabled", week)
    if not cfg.recipients:
        return SendResult(
            "no_recipients", week, error="no digest recipients configured (digest.recipients)"
        )
    problems = address_problems(cfg)
    if problems:
        return SendResult("not_configured", week, error="; ".join(problems))
    owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    rhash = recipients_hash(cfg.recipients)
    # A claim older than STALE_CLAIM is a sender that died: it is taken over.
    claimed, row = store_digest.claim_send(
        engine,
        str(week),
        rhash,
        len(cfg.recipients),
        owner,
        now,
        stale_after=STALE_CLAIM,
        force=force,
    )
    if not claimed:
        if row.status == DigestStatus.SENT:
            return SendResult("already_sent", week, message_id=row.message_id)
        if row.status == DigestStatus.FAILED:
            return SendResult(
                "retry_later", week, error=row.last_error, next_attempt_at=row.next_attempt_at
            )
        return SendResult("in_progress", week)

    assert row.id is not None
    attempts = 0
    try:
        data = (build or build_digest)(engine, week, settings, clock)
        _rendered, message = prepare(data, cfg)
        attempts, refused = deliver_with_retry(message, cfg, sleep=sleep, tls=tls)
    except Exception as exc:
        if isinstance(exc, DigestSendError):
            attempts = exc.attempts
        error = (
            str(exc)
            if isinstance(exc, DigestSendError)
            else _scrub(f"could not build the digest: {type(exc).__name__}: {exc}", cfg)
        )
        rounds = row.rounds + 1
        retry_at = now + _round_backoff(rounds)
        store_digest.mark_failed(
            engine,
            row.id,
            owner,
            error=error,
            attempts=row.attempts + attempts,
            rounds=rounds,
            retry_at=retry_at,
            now=now_from(clock),
        )
        log.error("digest %s not sent: %s (next try after %s)", week, error, retry_at.isoformat())
        return SendResult("failed", week, attempts=attempts, error=error, next_attempt_at=retry_at)

    message_id = str(message["Message-ID"])
    store_digest.mark_sent(
        engine,
        row.id,
        owner,
        attempts=row.attempts + attempts,
        warning=refused or None,
        message_id=message_id,
        sent_at=now_from(clock),
        now=now_from(clock),
    )
    log.info("digest %s sent to %d recipients (%s)", week, len(cfg.recipients), message_id)
    return SendResult("sent", week, attempts=attempts, message_id=message_id, error=refused or None)


def send_due_digest(
    settings: Settings, engine: Engine, clock: Clock, **kwargs: Any
) -> SendResult | None:
    """For the daemon: send the last complete week's digest once it is due; None before.

    Safe to call on every tick (say every 15 minutes) from any number of daemons: after
    the send it answers ``already_sent`` from one indexed read, and a daemon that was down
    at the send time catches up when it starts.
    """
    week = due_week(settings, now_from(clock))
    if week is None:
        return None
    return send_weekly_digest(settings, engine, clock, week=week, **kwargs)


def describe_send(row: DigestSend) -> str:
    """One line for ``beatpost status``: "2027-W10 sent 2027-03-15 12:00 UTC to 2 recipients"."""

    def at(value: datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M} UTC" if value else "?"

    who = f"{row.recipient_count} recipient{'s' if row.recipient_count != 1 else ''}"
    if row.status == DigestStatus.SENT:
        line = f"{row.week} sent {at(row.sent_at)} to {who}"
        return f"{line} ({row.last_error})" if row.last_error else line
    if row.status == DigestStatus.FAILED:
        tries = f"{row.attempts} {'try' if row.attempts == 1 else 'tries'}"
        return (
            f"{row.week} NOT SENT after {tries}: {row.last_error}; "
            f"next try after {at(row.next_attempt_at)}"
        )
    return f"{row.week} sending since {at(row.claimed_at)} ({row.claimed_by})"
