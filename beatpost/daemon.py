"""``beatpost run``: the posting daemon, APScheduler 3 in the foreground.

Start-up: take the one-daemon lock (SQLite), upgrade the schema, recover rows a previous run
left ``publishing`` (provably unsent -> planned; maybe sent -> unknown), sync the campaign
files, then wake at each delivery's instant.

Timing: one date job (``wake``) is set for the next instant the ledger needs attention
(``Ledger.next_wake``), at most ``rescan`` ahead so that changes the CLI makes from another
process are seen within seconds. Each wake claims and publishes everything due
(``Daemon.tick``), then sets the next one: a post leaves at its instant, not on a polling
tick. Periodic work (``Daemon.add_job``, ``JOB_MODULES``) and stopping: docs/operations.md.
"""

from __future__ import annotations

import importlib
import logging
import os
import random
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

import connectors
from analysis.timeframe import Clock, system_clock
from beatpost.campaign_sync import Fingerprint, Planner, fingerprint, sync_plan_set
from beatpost.isolated_read import ReadFailed, ReadStopped, read_plans
from beatpost.publisher import ConnectorFactory, Publisher, RetryPolicy
from beatpost.redaction import redactor
from beatpost.singleton import DaemonLock
from config import Settings
from connectors.base import Connector
from store import (
    Claim,
    ClaimPolicy,
    Ledger,
    SyncReport,
    SyncStopped,
    make_engine,
    sqlite_path,
    upgrade,
)

log = logging.getLogger("beatpost.daemon")

# Modules with ``schedule(daemon: Daemon) -> None``, imported when the daemon starts; the way
# periodic work (engagement pulls, the weekly digest) joins the daemon.
JOB_MODULES: list[str] = ["beatpost.daemon_jobs"]


def posting_quotas(settings: Settings) -> dict[str, int]:
    """Per-platform posts per rolling 24 h: the account's setting, capped by the platform's."""
    quotas: dict[str, int] = {}
    for platform, limits in connectors.LIMITS.items():
        section = getattr(settings, platform, None)
        caps = [getattr(section, "posts_per_24h", None), limits.posts_per_24h]
        known = [c for c in caps if c is not None]
        if known:
            quotas[platform] = min(known)
    return quotas


def claim_policy(settings: Settings) -> ClaimPolicy:
    return ClaimPolicy(
        grace=timedelta(minutes=settings.grace_minutes),
        require_approval=settings.require_approval,
        quotas=posting_quotas(settings),
        disabled=frozenset(
            p for p in connectors.LIMITS if not getattr(getattr(settings, p, None), "enabled", True)
        ),
    )


def daemon_owner() -> str:
    """``host:pid:nonce``: names this daemon in leases and the audit log."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def owner_is_dead(owner: str) -> bool:
    """True when ``owner`` is a daemon on this host whose process is gone (a restart on
    PostgreSQL then recovers its rows at once, without waiting for the lease to expire)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class CachedConnectors:
    """``connectors.create`` once per platform. A failure is not cached: every delivery
    to that platform fails with the same clear message until settings are fixed."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._made: dict[str, Connector] = {}

    def __call__(self, platform: str) -> Connector:
        if platform not in self._made:
            self._made[platform] = connectors.create(platform, self.settings)
        return self._made[platform]


class _Scheduler(BackgroundScheduler):
    """APScheduler's background scheduler, ending quietly when stopped in the middle of a pass.

    ``shutdown()`` marks the scheduler stopped before it takes the job-store lock. A pass of
    its loop that is firing a one-shot job (the daemon's ``wake``) at that instant then looks
    for the job among those waiting for a start, cannot remove it, and its thread dies with a
    JobLookupError traceback in the log. Once stopped nothing is left to run or remove, so the
    pass just ends.
    """

    def _process_jobs(self):  # noqa: ANN202 - APScheduler's own signature
        try:
            return super()._process_jobs()
        except JobLookupError:
            if self.state != STATE_STOPPED:
                raise
            return None


class Daemon:
    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        connector_factory: ConnectorFactory | None = None,
        clock: Clock = system_clock,
        planner: Planner | None = None,
        rng: random.Random | None = None,
        watch_interval: float = 2.0,
        rescan: timedelta = timedelta(seconds=5),
        resync_every: timedelta = timedelta(hours=1),
    ):
        self.settings = settings
        self.engine = engine or make_engine(settings.resolved_database_url)
        self.clock = clock
        self.owner = daemon_owner()
        self.ledger = Ledger(self.engine, owner=self.owner)
        self.policy = claim_policy(settings)
        self.publisher = Publisher(
            self.ledger,
            connector_factory or CachedConnectors(settings),
            clock=clock,
            policy=RetryPolicy(
                max_attempts=settings.max_attempts,
                grace=timedelta(minutes=settings.grace_minutes),
            ),
            redact=redactor(settings),
            rng=rng,
        )
        # In a bounded child process: no campaign file can crash or exhaust the daemon.
        self.planner: Planner = planner or (
            lambda now: read_plans(settings, now, lambda: self.stopping)
        )
        self.watch_interval = watch_interval
        self.rescan = rescan
        self.resync_every = resync_every
        self.scheduler = _Scheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.scheduler.add_listener(self._job_failed, EVENT_JOB_ERROR)
        # One lane per platform at most; see tick().
        self._lanes = ThreadPoolExecutor(
            max_workers=max(len(connectors.LIMITS), 4), thread_name_prefix="beatpost-publish"
        )
        self._stopping = threading.Event()
        self._tick_lock = threading.Lock()
        self._wake_lock = threading.Lock()
        self._wake_job_id: str | None = None
        self._fingerprint: Fingerprint | None = None
        self._lock: DaemonLock | None = None
        self._started = False

    # -- extension point -----------------------------------------------------------------
    def add_job(
        self, name: str, func: Callable[[], Any], trigger: BaseTrigger | str, **trigger_args: Any
    ) -> None:
        """Run ``func()`` on ``trigger`` (an APScheduler trigger, or its alias plus arguments:
        ``add_job("pull", run_pull, "interval", minutes=15)``). One instance at a time; a
        run missed while busy is coalesced; skipped once the daemon is stopping."""

        def guarded() -> None:
            if self._stopping.is_set():
                return
            func()

        guarded.__name__ = name
        self.scheduler.add_job(
            guarded, trigger, id=name, name=name, replace_existing=True, **trigger_args
        )

    def _job_failed(self, event: JobExecutionEvent) -> None:
        log.error("job %s failed: %r", event.job_id, event.exception, exc_info=event.exception)

    # -- life cycle ----------------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def prepare(self) -> None:
        """Everything before the first wake: the one-daemon lock (SQLite), the schema,
        recovery of rows a previous run left ``publishing``, and a first campaign sync."""
        database = sqlite_path(self.engine)
        if database is not None and self._lock is None:
            self._lock = DaemonLock(database)
            self._lock.acquire()
        try:
            upgrade(self.engine)
            recovered = self.ledger.recover_orphans(
                self.clock(), all_publishing=database is not None, owner_is_dead=owner_is_dead
            )
            if recovered:
                log.warning(
                    "recovered %d delivery(ies) left publishing by a previous run", recovered
                )
            self._fingerprint = fingerprint(self.settings.campaigns_path)
            log.info("reading the campaign files in %s", self.settings.campaigns_path)
            self.resync()
        except BaseException:
            self._release_lock()
            raise

    def start(self) -> None:
        """``prepare`` and start the scheduler thread (returns at once)."""
        self.prepare()
        try:
            self.add_job(
                "campaign-watch",
                self._watch,
                IntervalTrigger(seconds=self.watch_interval, timezone=UTC),
            )
            self.add_job(
                "campaign-resync",
                self._resync_and_wake,
                IntervalTrigger(seconds=self.resync_every.total_seconds(), timezone=UTC),
            )
            for module in JOB_MODULES:
                importlib.import_module(module).schedule(self)
            self.scheduler.start()
            self._started = True
            self.schedule_wake()
        except BaseException:
            self._release_lock()
            raise
        log.info(
            "beatpost daemon %s started on %s",
            self.owner,
            self.engine.url.render_as_string(hide_password=True),
        )

    def stop(self) -> None:
        """No new claims; wait for the delivery in hand; stop the scheduler; release the lock."""
        # Under the wake lock: a wake that finishes while the scheduler shuts down must not
        # schedule the next one, since APScheduler's shutdown holds its job-store lock while
        # it waits for running jobs, and remove_job/add_job would wait for it in turn.
        with self._wake_lock:
            self._stopping.set()
        was_running = self._started
        if self._started:
            self.scheduler.shutdown(wait=True)  # waits for a round, which waits for its lanes
            self._started = False
        self._lanes.shutdown(wait=True)
        self._release_lock()
        if was_running:
            log.info("beatpost daemon %s stopped", self.owner)

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def run(self) -> int:
        """Run in the foreground until SIGTERM or SIGINT. Returns the exit status (0)."""

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            # The flag first: no claim may start while the log line is being written (a
            # full pipe or a slow journal can hold the write up).
            first = not self._stopping.is_set()
            self._stopping.set()
            if first:
                log.warning(
                    "%s received: finishing the delivery in hand, then stopping",
                    signal.Signals(signum).name,
                )

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not self._stopping.wait(1.0):
                pass
        finally:
            self.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return 0

    # -- the work ------------------------------------------------------------------------
    def tick(self) -> int:
        """Publish everything due, and reconcile what is due; returns how many were handled.

        Platforms are lanes: one request at a time per platform, the platforms in parallel,
        so a slow platform (Instagram waits for its media container) does not make the post
        due on another platform at the same instant late. The round lasts while a request is
        in flight, claiming what falls due meanwhile on the free platforms, and returns when
        nothing is in flight (so a simulated clock can drive it call by call).

        An error in the ledger ends the round (logged); a claim it held is recovered when its
        lease expires, like a crashed daemon's.
        """
        if not self._tick_lock.acquire(blocking=False):
            return 0  # another round is running; it sets the next wake when done
        inflight: dict[str, Future[None]] = {}
        handled = 0
        try:
            # Rows whose lease expired: a daemon that died (PostgreSQL), or a claim of ours
            # abandoned by an error.
            self.ledger.recover_orphans(
                self.clock(), all_publishing=False, owner_is_dead=owner_is_dead
            )
            while True:
                started = 0 if self.stopping else self._dispatch(inflight)
                handled += started
                if not inflight:
                    return handled
                wait(
                    list(inflight.values()),
                    timeout=self._lane_wait(inflight, idle=started == 0),
                    return_when=FIRST_COMPLETED,
                )
                for platform in [p for p, f in inflight.items() if f.done()]:
                    del inflight[platform]
        except Exception:  # noqa: BLE001 - the daemon must keep running; next wake retries
            log.exception("delivery round failed; will try again at the next wake")
            return handled
        finally:
            wait(list(inflight.values()))  # never leave a request in flight behind
            self._tick_lock.release()

    def _dispatch(self, inflight: dict[str, Future[None]]) -> int:
        """Claim what is due on every platform without a request in flight."""
        started = 0
        while not self.stopping:
            busy = set(inflight)
            claim = self.ledger.claim_next(self.clock(), self.policy, skip_platforms=busy)
            if claim is None:
                claim = self.ledger.claim_reconcile(self.clock(), self.policy, skip_platforms=busy)
                if claim is None:
                    return started
            inflight[claim.delivery.platform] = self._lanes.submit(self._work, claim)
            started += 1
        return started

    def _work(self, claim: Claim) -> None:
        try:
            if claim.kind == "reconcile":
                self.publisher.reconcile(claim)
            else:
                self.publisher.publish(claim, stopping=lambda: self.stopping)
        except Exception:  # noqa: BLE001 - recorded by lease expiry; keep the lane alive
            log.exception(
                "delivery %s: %s failed unexpectedly; it is recovered when its lease expires",
                claim.delivery.id,
                claim.kind,
            )

    def _lane_wait(self, inflight: dict[str, Future[None]], *, idle: bool) -> float:
        """Seconds to wait for a request in flight before looking for newly due work.

        ``idle``: the last look claimed nothing, so work that is already overdue cannot be
        claimed yet (another daemon holds it); look again in half a second, not at once."""
        now = self.clock()
        upcoming = self.ledger.next_wake(now, skip_platforms=set(inflight))
        if upcoming is None:
            return self.rescan.total_seconds()
        floor = 0.5 if idle and upcoming <= now else 0.001
        return min(max((upcoming - now).total_seconds(), floor), self.rescan.total_seconds())

    def schedule_wake(self, *, idle: bool = False) -> datetime | None:
        """Set the single ``wake`` job to the next instant that needs attention.

        ``idle``: the last round handled nothing, so something overdue cannot be handled
        now (say the database was locked); wait a second rather than spin.
        """
        if self.stopping or not self._started:
            return None
        now = self.clock()
        try:
            upcoming = self.ledger.next_wake(now)
        except Exception:  # noqa: BLE001 - look again after the rescan interval
            log.exception("cannot read the ledger; looking again in %s", self.rescan)
            upcoming = None
        at = now + self.rescan if upcoming is None else min(upcoming, now + self.rescan)
        if at <= now and idle:
            at = now + timedelta(seconds=1)
        at = max(at, now)
        with self._wake_lock:
            if self._stopping.is_set():
                return None  # stopped since the check above; see stop()
            if self._wake_job_id is not None:
                try:
                    self.scheduler.remove_job(self._wake_job_id)
                except JobLookupError:
                    pass  # it is the one running now, or already gone
            self._wake_job_id = f"wake-{uuid.uuid4().hex[:8]}"
            self.scheduler.add_job(
                self._wake,
                DateTrigger(run_date=at, timezone=UTC),
                id=self._wake_job_id,
                name="wake",
            )
        return at

    def _wake(self) -> None:
        handled = 0
        try:
            handled = self.tick()
        finally:
            self.schedule_wake(idle=handled == 0)

    def resync(self) -> SyncReport | None:
        """Read the campaign files and bring the ledger in line. Never raises.

        Each file stands alone: one that cannot be read is reported invalid and keeps its
        deliveries already in the ledger, and the others sync. Stopping the daemon abandons
        a sync in progress (nothing of it written)."""
        now = self.clock()
        try:
            plan_set = self.planner(now)
            report = sync_plan_set(
                self.engine,
                plan_set,
                now=now,
                actor=f"sync ({self.owner})",
                should_stop=lambda: self.stopping,
            )
        except (ReadStopped, SyncStopped):
            log.info("campaign sync abandoned: the daemon is stopping")
            return None
        except ReadFailed as exc:
            log.error("campaign sync failed: %s; the ledger keeps its current plan", exc)
            return None
        except Exception:  # noqa: BLE001 - keep posting what the ledger already has
            log.exception("campaign sync failed; the ledger keeps its current plan")
            return None
        for change in report.changes:
            log.info(
                "sync: %s %s (%s) %s",
                change.action,
                change.key,
                change.at.isoformat(),
                change.detail,
            )
        for note in plan_set.notes:
            log.warning("campaigns: %s", note)
        for path, problems in plan_set.invalid_files.items():
            for problem in problems:
                log.error(
                    "%s:%s:%s: %s (last good version kept)",
                    path,
                    problem.get("line"),
                    problem.get("column"),
                    problem.get("message"),
                )
        return report

    def _watch(self) -> None:
        current = fingerprint(self.settings.campaigns_path)
        if current != self._fingerprint:
            self._fingerprint = current
            log.info("campaign files changed; syncing")
            self._resync_and_wake()

    def _resync_and_wake(self) -> None:
        self.resync()
        self.schedule_wake()
