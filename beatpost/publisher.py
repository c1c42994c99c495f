"""One claimed delivery -> the connector -> the ledger: the at-most-once policy in one place.

The type of the connector's error alone decides the delivery's next state (the table is in
docs/reliability.md). Nothing is sent before ``Ledger.confirm_send`` commits ``sent_at``;
from then on any surprise is ``unknown``, which only ``find_published`` may turn into a
retry. A pause is read again at ``OutgoingPost.go_ahead``, just before each request that
makes a post public.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError

from connectors.base import Connector, MediaFile, OutgoingPost, capabilities_of
from connectors.errors import (
    AuthError,
    ConnectorError,
    Held,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from store import Claim, DeliveryView, Ledger, State

log = logging.getLogger("beatpost.publisher")

T = TypeVar("T")

ConnectorFactory = Callable[[str], Connector]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base: timedelta = timedelta(seconds=30)
    backoff_cap: timedelta = timedelta(minutes=30)
    # Let the platform settle before asking whether an uncertain post went out.
    reconcile_delay: timedelta = timedelta(seconds=30)
    rate_limit_fallback: timedelta = timedelta(minutes=1)
    # An uncertain post not found this long after it may have left is handed to a person.
    grace: timedelta = timedelta(minutes=15)
    # How long an outcome waits for a locked or unreachable database before the daemon gives
    # up on writing it (the row is then recovered like a crashed daemon's).
    record_patience: timedelta = timedelta(minutes=10)

    def backoff(self, failures: int, rng: random.Random) -> timedelta:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** max(failures - 1, 0)))
        return ceiling / 2 + ceiling / 2 * rng.random()


def _fmt(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%SZ")


class Publisher:
    """Publishes and reconciles claims. ``clock`` returns aware UTC now."""

    def __init__(
        self,
        ledger: Ledger,
        connector_for: ConnectorFactory,
        *,
        clock: Callable[[], datetime],
        policy: RetryPolicy,
        redact: Callable[[str], str] = lambda text: text,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.ledger = ledger
        self.connector_for = connector_for
        self.clock = clock
        self.policy = policy
        self.redact = redact
        self.rng = rng or random.Random()
        self.sleep = sleep
        # attempt id -> the daemon's "stopping?" for that publish (lanes run in parallel)
        self._stop_checks: dict[str, Callable[[], bool]] = {}

    # -- building the request ------------------------------------------------------------
    def outgoing(self, delivery: DeliveryView) -> OutgoingPost:
        media = []
        for item in delivery.media:
            media.append(
                MediaFile(
                    path=Path(item["path"]),
                    alt_text=item.get("alt_text", ""),
                    mime_type=item.get("mime_type", "image/jpeg"),
                    captions=Path(item["captions"]) if item.get("captions") else None,
                    placement=item.get("placement"),
                    cover=Path(item["cover"]) if item.get("cover") else None,
                    cover_at=item.get("cover_at"),
                    burn_captions=bool(item.get("burn_captions")),
                )
            )
        return OutgoingPost(
            key=delivery.key,
            text=delivery.text,
            media=tuple(media),
            link=delivery.link,
            scheduled_at=delivery.scheduled_at,
            resume=dict(delivery.resume),
        )

    def _pause_over(self, d: DeliveryView) -> str | None:
        """The connector's go-ahead: None, or the pause that now covers this delivery.

        Closed when the pauses cannot be read: a crisis switch that fails open would not be one.
        """
        try:
            return self.ledger.pause_over(d.platform, d.campaign_id, self.clock())
        except (OperationalError, InterfaceError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            return f"could not read the pauses from the database ({reason})"

    def _connector(self, claim: Claim) -> Connector:
        connector = self.connector_for(claim.delivery.platform)

        def save(_post: OutgoingPost, state: dict[str, str]) -> None:
            self.ledger.save_resume(claim.attempt_id, state)

        # See connectors.base.ResumeHook. Connectors are cached per platform and a daemon
        # works one delivery at a time, so the hook always belongs to the current claim.
        if capabilities_of(connector).resume_hook:
            connector.on_resume = save  # type: ignore[attr-defined]
        return connector

    def _keep_resume(self, claim: Claim, exc: BaseException) -> None:
        state = getattr(exc, "resume", None)
        if isinstance(state, dict) and state:
            resume = {str(k): str(v) for k, v in state.items()}
            self._record(claim, lambda: self.ledger.save_resume(claim.attempt_id, resume))

    def _record(self, claim: Claim, write: Callable[[], T]) -> T:
        """Run a ledger write, waiting out a locked or unreachable database (backoff from
        0.5 s to 10 s) for up to ``policy.record_patience``, or until the daemon stops."""
        delay = 0.5
        deadline = time.monotonic() + self.policy.record_patience.total_seconds()
        while True:
            try:
                return write()
            except (OperationalError, InterfaceError) as exc:
                stopping = self._stop_checks.get(claim.attempt_id, lambda: False)
                if stopping() or time.monotonic() + delay > deadline:
                    raise
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                log.warning(
                    "delivery %s: cannot write its outcome to the database (%s); "
                    "trying again in %.1f s",
                    claim.delivery.id,
                    reason,
                    delay,
                )
                self.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _message(self, exc: BaseException) -> str:
        text = str(exc) if isinstance(exc, ConnectorError) else f"{type(exc).__name__}: {exc}"
        return self.redact(text)

    # -- publishing ----------------------------------------------------------------------
    def publish(self, claim: Claim, *, stopping: Callable[[], bool] = lambda: False) -> str:
        """Send one claimed delivery. Returns the state it ended in."""
        self._stop_checks[claim.attempt_id] = stopping
        try:
            return self._publish(claim, stopping)
        finally:
            self._stop_checks.pop(claim.attempt_id, None)

    def _publish(self, claim: Claim, stopping: Callable[[], bool]) -> str:
        d = claim.delivery
        try:
            connector = self._connector(claim)
        except Exception as exc:  # noqa: BLE001 - nothing was sent; a person must fix settings
            return self._finish(claim, State.FAILED, "unavailable", self._message(exc))
        if stopping():
            return self._finish(
                claim, State.PLANNED, "not_sent", "daemon stopping; not sent", due_at=d.due_at
            )
        if not self.ledger.confirm_send(claim.attempt_id, self.clock()):
            log.warning("delivery %s: paused between claim and send; not sent", d.id)
            return State.PLANNED
        post = replace(self.outgoing(d), go_ahead=lambda: self._pause_over(d))
        late = (self.clock() - d.due_at).total_seconds()
        log.info(
            "delivery %s: publishing %s to %s (%.3f s after due)", d.id, d.key, d.platform, late
        )
        try:
            result = connector.publish(post)
        except Held as exc:
            self._keep_resume(claim, exc)
            log.warning("delivery %s: %s", d.id, self._message(exc))
            reason = self.redact(exc.message)
            self._record(
                claim, lambda: self.ledger.hold(claim.attempt_id, now=self.clock(), reason=reason)
            )
            return State.PLANNED
        except RateLimited as exc:
            self._keep_resume(claim, exc)
            reset = exc.reset_at or self.clock() + self.policy.rate_limit_fallback
            return self._finish(
                claim,
                State.PLANNED,
                "rate_limited",
                f"rate limited by {d.platform}; retry at {_fmt(reset)}",
                due_at=reset,
            )
        except (AuthError, Rejected) as exc:  # DuplicateContent is a Rejected
            self._keep_resume(claim, exc)
            return self._finish(claim, State.FAILED, type(exc).__name__, self._message(exc))
        except TransientError as exc:
            self._keep_resume(claim, exc)
            failures = d.transient_errors + 1
            if failures >= self.policy.max_attempts:
                return self._finish(
                    claim,
                    State.FAILED,
                    "transient",
                    f"gave up after {failures} attempts: {self._message(exc)}",
                    transient=True,
                )
            retry_at = self.clock() + self.policy.backoff(failures, self.rng)
            return self._finish(
                claim,
                State.PLANNED,
                "transient",
                f"temporary error, retry {failures + 1} at {_fmt(retry_at)}: {self._message(exc)}",
                due_at=retry_at,
                transient=True,
            )
        except Exception as exc:  # noqa: BLE001 - OutcomeUnknown, timeouts, anything after send
            self._keep_resume(claim, exc)
            kind = "unknown" if isinstance(exc, OutcomeUnknown) else "unexpected"
            return self._finish(
                claim,
                State.UNKNOWN,
                kind,
                f"outcome unknown, will check {d.platform}: {self._message(exc)}",
                due_at=self.clock() + self.policy.reconcile_delay,
            )
        return self._published(claim, result, "published", None)

    # -- reconciliation ------------------------------------------------------------------
    def reconcile(self, claim: Claim) -> str:
        """Ask the platform whether an uncertain delivery went out, then decide."""
        d = claim.delivery
        now = self.clock()
        since = (claim.since or d.scheduled_at) - timedelta(minutes=5)  # clock skew margin
        try:
            connector = self._connector(claim)
            found = connector.find_published(self.outgoing(d), since)
        except Exception as exc:  # noqa: BLE001 - stay unknown; never guess
            self._keep_resume(claim, exc)
            checks = sum(1 for a in self.ledger.attempts(d.id) if a.kind == "reconcile")
            again = now + self.policy.backoff(checks, self.rng)
            if isinstance(exc, RateLimited) and exc.reset_at is not None:
                # Reading the account's posts is rate limited too: asking again before the
                # reset only spends requests on refusals.
                again = max(exc.reset_at, now)
            return self._finish(
                claim,
                State.UNKNOWN,
                "check_failed",
                f"could not check {d.platform} ({self._message(exc)}); "
                f"will check again at {_fmt(again)}",
                due_at=again,
            )
        if found is not None:
            return self._published(claim, found, "found", "found on the platform by reconciliation")
        sent = claim.since or d.scheduled_at
        if d.attempt_count >= self.policy.max_attempts or now - sent > self.policy.grace:
            return self._finish(
                claim,
                State.FAILED,
                "not_found",
                f"outcome unknown and not found on {d.platform}; too late to retry "
                f"automatically. Check the account, then `beatpost retry {d.id}` or "
                f"`beatpost skip {d.id}`",
            )
        return self._finish(
            claim,
            State.PLANNED,
            "not_found",
            f"not found on {d.platform} after an uncertain attempt; retrying",
            due_at=now,
        )

    # -- recording -----------------------------------------------------------------------
    def _published(self, claim: Claim, result, outcome: str, reason: str | None) -> str:
        self._record(
            claim,
            lambda: self.ledger.finish(
                claim.attempt_id,
                State.PUBLISHED,
                now=self.clock(),
                outcome=outcome,
                reason=reason,
                published=(result.platform_id, result.url, result.published_at),
            ),
        )
        log.info(
            "delivery %s: published as %s %s", claim.delivery.id, result.platform_id, result.url
        )
        return State.PUBLISHED

    def _finish(
        self,
        claim: Claim,
        to: State,
        outcome: str,
        reason: str,
        *,
        due_at: datetime | None = None,
        transient: bool = False,
    ) -> str:
        level = logging.ERROR if to in (State.FAILED, State.UNKNOWN) else logging.WARNING
        log.log(
            level,
            "delivery %s (%s): %s -> %s: %s",
            claim.delivery.id,
            claim.delivery.key,
            claim.kind,
            to,
            reason,
        )
        self._record(
            claim,
            lambda: self.ledger.finish(
                claim.attempt_id,
                to,
                now=self.clock(),
                outcome=outcome,
                reason=reason,
                due_at=due_at,
                transient=transient,
            ),
        )
        return to
