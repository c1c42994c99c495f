"""A person's actions on the ledger: pause and resume, retry and skip, each audited."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from store.engine import write_session
from store.ledger_base import (
    RETRYABLE,
    SKIPPABLE,
    LedgerBase,
    LedgerError,
    _active_pauses,
    _audit_pause,
    _choose,
    _fmt,
    _make_due_now,
    _nothing_to_resume,
    _self_ended_pauses,
    _skipped_by,
    audit,
    move,
)
from store.ledger_types import (
    DeliveryView,
    PauseView,
    ResumeReport,
)
from store.models import (
    Delivery,
    Pause,
    State,
)
from store.timeutil import utc_now


class OperatorActions(LedgerBase):
    # -- pause / resume ------------------------------------------------------------------
    def pause(
        self,
        *,
        reason: str,
        actor: str,
        now: datetime | None = None,
        platform: str | None = None,
        campaign_id: str | None = None,
        until: datetime | None = None,
    ) -> PauseView:
        now = now or utc_now()
        if not reason.strip():
            raise LedgerError("a pause needs a reason (--reason)")
        if until is not None and until <= now:
            raise LedgerError(f"--until {_fmt(until)} is not in the future")
        with write_session(self.engine) as session:
            self._exclusive_control_lock(session, now)
            pause = Pause(
                platform=platform,
                campaign_id=campaign_id,
                reason=reason.strip(),
                created_by=actor,
                created_at=now,
                until=until,
            )
            session.add(pause)
            session.flush()
            view = PauseView.of(pause)
            until_text = f" (until {_fmt(until)})" if until else ""
            reason_text = f"{view.scope}: {pause.reason}{until_text}"
            audit(session, ("pause", pause.id), (None, "active"), reason_text, actor=actor, at=now)
            return view

    def resume(
        self,
        *,
        actor: str,
        now: datetime | None = None,
        platform: str | None = None,
        campaign_id: str | None = None,
        pause_id: int | None = None,
        catch_up: bool = False,
    ) -> ResumeReport:
        """End active pauses (all, or those with exactly this scope, or one by id).

        Deliveries whose time passed while paused are skipped, or, with ``catch_up``, made due
        now. With ``catch_up`` and no active pause chosen, pauses that ended by themselves
        (``until``) within ``CATCH_UP_WINDOW`` are chosen instead: the deliveries they
        skipped, and nobody planned again since, are made due now. Nothing matching raises
        ``LedgerError`` naming the pauses there are.
        """
        now = now or utc_now()
        with write_session(self.engine) as session:
            self._exclusive_control_lock(session, now)
            # A pause whose --until passed while no daemon ran ends here, as the daemon would.
            self._expire_pauses(session, now)
            active = _active_pauses(session, now)
            chosen = _choose(active, platform, campaign_id, pause_id)
            ended_before: list[Pause] = []
            if not chosen and catch_up:
                ended = _self_ended_pauses(session, now)
                ended_before = [
                    p
                    for p in _choose(ended, platform, campaign_id, pause_id)
                    if _skipped_by(session, p)
                ]
            if not chosen and not ended_before:
                raise LedgerError(
                    _nothing_to_resume(session, now, active, platform, campaign_id, pause_id)
                )
            skipped: list[DeliveryView] = []
            caught: list[DeliveryView] = []
            for pause in chosen:
                rows = self._end_pause(session, pause, now, actor, catch_up, "resumed")
                (caught if catch_up else skipped).extend(DeliveryView.of(r) for r in rows)
            for pause in ended_before:
                rows = self._catch_up_ended(session, pause, now, actor)
                caught.extend(DeliveryView.of(r) for r in rows)
            return ResumeReport(
                ended=tuple(PauseView.of(p) for p in chosen),
                ended_before=tuple(PauseView.of(p) for p in ended_before),
                skipped=tuple(skipped),
                caught_up=tuple(caught),
            )

    def _catch_up_ended(
        self, session: Session, pause: Pause, now: datetime, actor: str
    ) -> list[Delivery]:
        """Make due now what a pause that ended by itself skipped (and nobody touched since)."""
        rows = _skipped_by(session, pause)
        why = f"catching up after pause {pause.id} (it ended by itself)"
        _make_due_now(session, rows, now, actor, why)
        note = f"catch-up after it ended; {len(rows)} skipped deliveries made due now"
        _audit_pause(session, pause, now, actor, "ended", note)
        return rows

    # -- person's actions ----------------------------------------------------------------
    def retry(self, delivery_id: int, *, actor: str, now: datetime | None = None) -> DeliveryView:
        """Plan a failed, unknown or skipped delivery again, due now."""
        now = now or utc_now()
        with write_session(self.engine) as session:
            row = self._get(session, delivery_id, RETRYABLE, "retried")
            row.due_at = now
            row.transient_errors = 0
            move(
                session,
                row,
                State.PLANNED,
                reason=None,
                audit_reason=f"retry requested by {actor}",
                actor=actor,
                now=now,
            )
            return DeliveryView.of(row)

    def skip(
        self,
        delivery_id: int,
        *,
        actor: str,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> DeliveryView:
        """Give up on a planned, failed or unknown delivery, on purpose."""
        now = now or utc_now()
        with write_session(self.engine) as session:
            row = self._get(session, delivery_id, SKIPPABLE, "skipped")
            text_reason = f"skipped by {actor}" + (f": {reason}" if reason else "")
            move(session, row, State.SKIPPED, reason=text_reason, actor=actor, now=now)
            return DeliveryView.of(row)
