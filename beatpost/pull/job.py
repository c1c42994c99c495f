"""The pull job: engagement and comments of published deliveries, back into the store.

``run_pull`` is what the daemon schedules every ``settings.pull.interval_minutes`` and what
``beatpost pull`` runs once: per platform it plans the due work (``pull.schedule``,
``pull.budget``), fetches it in batches and stores each batch with its cursor updates in one
transaction (``store.metrics``). Errors never escape; each lands in its platform's
``PullReport``. The steps and what each error does are in docs/engagement.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from analysis.timeframe import Clock
from beatpost.pull.budget import ReadBudget, WorkItem, allocate
from beatpost.pull.ingest import Scored, Scorer, sentiment_scorer
from beatpost.pull.schedule import (
    WINDOW_MARGIN,
    Schedule,
    Slot,
    Step,
    build_schedule,
    first_label,
    next_due,
    parse_age,
    step,
)
from config import Settings
from connectors.base import Comment, Connector, MetricSnapshot, capabilities_of
from connectors.errors import (
    AuthError,
    ConnectorError,
    RateLimited,
    Rejected,
)
from store import metrics as store_metrics

log = logging.getLogger(__name__)

#: Transient failures tolerated on one platform in one pull before it is left for the next.
MAX_TRANSIENT = 3
#: How long a platform is left alone after a 429 that named no reset time.
DEFAULT_RATE_LIMIT_PAUSE = timedelta(minutes=15)
#: Posts per comments request for connectors that can fetch replies of many posts at once.
COMMENTS_BATCH = 100
#: Deliveries first seen by a pull more than this after their last slot are left to backfill.
HORIZON_GRACE = timedelta(days=2)


def connector_factory_for(settings: Settings) -> Callable[[str], Connector]:
    """Connectors by platform name, built from ``settings`` (``connectors.create``)."""
    import connectors

    def make(platform: str) -> Connector:
        return connectors.create(platform, settings)

    return make


ConnectorFactory = Callable[[str], Connector]
#: Optional connector extension: {post id: since} -> {post id: comments newer than since}.
BatchComments = Callable[[Mapping[str, datetime | None]], Mapping[str, list[Comment]]]
#: Called after each request: (requests done, requests planned, platform).
Progress = Callable[[int, int, str], None]


@dataclass
class PlatformReport:
    """What one pull did on one platform."""

    platform: str
    tracked: int = 0  # deliveries looked at
    requests: int = 0
    metrics_requests: int = 0
    comments_requests: int = 0
    reads: int = 0  # items returned: posts measured + comments fetched
    snapshots: int = 0
    new_comments: int = 0
    duplicate_comments: int = 0
    missing_posts: int = 0  # asked for, not returned (deleted or hidden)
    missed_slots: int = 0  # came due but will never be measured (overtaken, window closed)
    skipped_for_budget: int = 0  # deferred to a later pull by the read budget
    not_attempted: int = 0  # due but not tried: the platform stopped or is rate limited
    rate_limited_until: datetime | None = None
    stopped: str | None = None  # why the platform stopped before finishing, if it did
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items()}
        data["rate_limited_until"] = (
            self.rate_limited_until.isoformat() if self.rate_limited_until else None
        )
        return data


@dataclass
class PullReport:
    started_at: datetime
    finished_at: datetime | None = None
    platforms: dict[str, PlatformReport] = field(default_factory=dict)
    skipped: str | None = None  # why the whole pull did nothing, if it did not run

    def platform(self, name: str) -> PlatformReport:
        if name not in self.platforms:
            self.platforms[name] = PlatformReport(name)
        return self.platforms[name]

    @property
    def ok(self) -> bool:
        return not any(p.errors for p in self.platforms.values())

    @property
    def errors(self) -> list[str]:
        return [e for p in self.platforms.values() for e in p.errors]

    def total(self, name: str) -> int:
        return sum(getattr(p, name) for p in self.platforms.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "ok": self.ok,
            "skipped": self.skipped,
            "platforms": {name: p.to_json() for name, p in sorted(self.platforms.items())},
        }


# -- planning --------------------------------------------------------------------------------


@dataclass
class _Fetch:
    """One request's worth of intent for one delivery on one track."""

    target: store_metrics.PullTarget
    track: str  # "metrics" | "comments"
    slot: Slot | None  # None: off schedule (backfill)
    step: Step | None  # applied to the cursor once the work is done


@dataclass
class _PlatformPlan:
    platform: str
    connector: Connector
    budget: ReadBudget
    metrics: list[list[_Fetch]]
    comments: list[list[_Fetch]]  # one group per request
    skipped_for_budget: int

    @property
    def requests(self) -> int:
        return len(self.metrics) + len(self.comments)


def _labels(target: store_metrics.PullTarget, schedule: Schedule) -> tuple[str | None, str | None]:
    cursor = target.cursor
    if cursor is None:
        return first_label(schedule.metrics), first_label(schedule.comments)
    return cursor.next_metrics_slot, cursor.next_comments_slot


def _window_open(published_at: datetime, now: datetime, window: timedelta | None) -> bool:
    return window is None or now <= published_at + window


def _track_step(track: str, result: Step) -> store_metrics.TrackStep:
    return store_metrics.TrackStep(track, result.next_label, result.next_at, len(result.missed))


def margin_for(settings: Settings) -> timedelta:
    """Take a window's last slot early enough that two pulls get a chance at it."""
    return max(WINDOW_MARGIN, 2 * timedelta(minutes=settings.pull.interval_minutes))


def _platform_settings(settings: Settings, platform: str) -> Any:
    return getattr(settings, platform, None)


def _plan_platform(
    platform: str,
    targets: list[store_metrics.PullTarget],
    connector: Connector,
    settings: Settings,
    engine: Engine,
    now: datetime,
    backfill: bool,
    report: PlatformReport,
) -> _PlatformPlan:
    schedule = build_schedule(settings.pull.ages, connector.limits, margin_for(settings))
    offschedule_index = len(settings.pull.ages)
    items: list[WorkItem[_Fetch]] = []
    cursor_plans: list[store_metrics.CursorPlan] = []
    for target in targets:
        m_label, c_label = _labels(target, schedule)
        first = None
        if target.cursor is None:
            first = (
                store_metrics.TrackStep(
                    "metrics", m_label, next_due(target.published_at, schedule.metrics, m_label)
                ),
                store_metrics.TrackStep(
                    "comments", c_label, next_due(target.published_at, schedule.comments, c_label)
                ),
            )
        steps: list[store_metrics.TrackStep] = []
        for track, label, slots, window in (
            ("metrics", m_label, schedule.metrics, schedule.metrics_window),
            ("comments", c_label, schedule.comments, schedule.comments_window),
        ):
            result = step(slots, label, target.published_at, now, window)
            if result.take is not None:
                index = slots.index(result.take)
                due_at = target.published_at + result.take.offset
                items.append(WorkItem(_Fetch(target, track, result.take, result), index, due_at))
                continue
            # Nothing to fetch on schedule: record what the step says (a closed window
            # finishes the track), and in a backfill still measure while data exists.
            report.missed_slots += len(result.missed)
            steps.append(_track_step(track, result))
            if backfill and _window_open(target.published_at, now, window):
                items.append(WorkItem(_Fetch(target, track, None, None), offschedule_index, now))
        cursor_plans.append(store_metrics.CursorPlan(target.delivery_id, first, tuple(steps)))
    used = store_metrics.schedule_cursors(engine, platform, now, cursor_plans)
    cap = getattr(_platform_settings(settings, platform), "reads_per_day", None)
    budget = ReadBudget(cap=cap, used=used)
    allocation = allocate(items, budget)
    granted = [item.payload for item in allocation.granted]
    metric_work = [w for w in granted if w.track == "metrics"]
    size = max(connector.limits.metrics_batch, 1)
    metric_batches = [metric_work[i : i + size] for i in range(0, len(metric_work), size)]
    comment_work = [w for w in granted if w.track == "comments"]
    per_request = COMMENTS_BATCH if _batch_comments(connector) is not None else 1
    return _PlatformPlan(
        platform=platform,
        connector=connector,
        budget=budget,
        metrics=metric_batches,
        comments=[
            comment_work[i : i + per_request] for i in range(0, len(comment_work), per_request)
        ],
        skipped_for_budget=len(allocation.deferred),
    )


def _batch_comments(connector: Connector) -> BatchComments | None:
    """The connector's ``fetch_comments_batch``, when it offers one (X: replies of many posts
    OR'ed into each search); ``None`` means one ``fetch_comments`` per post."""
    if not capabilities_of(connector).batch_comments:
        return None
    return connector.fetch_comments_batch  # type: ignore[attr-defined]


# -- running ---------------------------------------------------------------------------------


class _Stop(Exception):
    """Stop this platform for the rest of the pull (the reason is already reported)."""


@dataclass
class _PlatformPull:
    plan: _PlatformPlan
    engine: Engine
    clock: Clock
    scorer: Scorer
    report: PlatformReport
    tick: Callable[[str], None]
    metrics_stopped: bool = False
    transient: int = 0
    _vanished: dict[str, int] = field(default_factory=dict)
    _fields_seen: set[str] = field(default_factory=set)
    _fields_dropped: dict[str, int] = field(default_factory=dict)

    @property
    def platform(self) -> str:
        return self.plan.platform

    def run(self) -> None:
        ticks = 0
        try:
            for batch in self.plan.metrics:
                if self.metrics_stopped:
                    self.report.not_attempted += len(batch)
                else:
                    self._metrics(batch)
                ticks += 1
                self.tick(self.platform)
            for group in self.plan.comments:
                if self.plan.budget.overdrawn:
                    self.report.skipped_for_budget += len(group)  # comments overdrew estimates
                else:
                    self._comments(group)
                ticks += 1
                self.tick(self.platform)
        except _Stop:
            self.report.not_attempted += self._left_after_stop()
            for _ in range(self.plan.requests - ticks):
                self.tick(self.platform)
        self.field_warnings()

    def _left_after_stop(self) -> int:
        done_metrics = self.report.metrics_requests
        left = sum(len(b) for b in self.plan.metrics[done_metrics:])
        left += sum(len(g) for g in self.plan.comments[self.report.comments_requests :])
        return max(left, 0)

    # -- errors ----------------------------------------------------------------------------
    def _fail(self, exc: Exception, *, during: str, work: Sequence[_Fetch] = ()) -> None:
        """Report ``exc``; raise ``_Stop`` when the platform must stop for this pull."""
        now = self.clock()
        message = f"{during}: {exc}"
        self.report.errors.append(message)
        self.report.requests += 1
        until = None
        if isinstance(exc, RateLimited):
            until = exc.reset_at or now + DEFAULT_RATE_LIMIT_PAUSE
            self.report.rate_limited_until = until
        store_metrics.record_failure(
            self.engine,
            self.platform,
            now,
            message,
            [w.target.delivery_id for w in work],
            blocked_until=until,
        )
        if isinstance(exc, RateLimited):
            until = self.report.rate_limited_until
            self.report.stopped = f"rate limited until {until:%Y-%m-%d %H:%M} UTC"
            raise _Stop
        if isinstance(exc, AuthError):
            self.report.stopped = "credentials refused or expired; fix the token in settings"
            raise _Stop
        if isinstance(exc, Rejected):
            return
        if isinstance(exc, ConnectorError):
            self.transient += 1
            if self.transient >= MAX_TRANSIENT:
                self.report.stopped = f"{self.transient} failed requests; trying next pull"
                raise _Stop
            return
        self.report.stopped = f"unexpected {type(exc).__name__}"
        raise _Stop

    def _count_request(self, reads: int) -> None:
        self.report.requests += 1
        self.report.reads += reads

    # -- metrics ---------------------------------------------------------------------------
    def _metrics(self, batch: list[_Fetch]) -> None:
        ids = [w.target.platform_id for w in batch]
        try:
            snapshots = self.plan.connector.fetch_metrics(ids)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            self.report.metrics_requests += 1
            self.report.not_attempted += len(batch)
            if not isinstance(exc, ConnectorError):
                log.exception("%s: fetching metrics failed", self.platform)
            if isinstance(exc, Rejected):
                self.metrics_stopped = True  # the same request shape will be refused again
            self._fail(exc, during="metrics", work=batch)
            return
        self.report.metrics_requests += 1
        now = self.clock()
        by_id: dict[str, MetricSnapshot] = {s.platform_id: s for s in snapshots}
        measured: list[store_metrics.Measured] = []
        for work in batch:
            target = work.target
            snapshot = by_id.get(target.platform_id)
            if snapshot is None:
                self.report.missing_posts += 1
            if work.step is not None:
                self.report.missed_slots += len(work.step.missed)
            measured.append(
                store_metrics.Measured(
                    delivery_id=target.delivery_id,
                    slot=work.slot.label if work.slot else None,
                    age_seconds=int((now - target.published_at).total_seconds()),
                    counts=None
                    if snapshot is None
                    else {name: getattr(snapshot, name) for name in store_metrics.COUNT_FIELDS},
                    extras={} if snapshot is None else dict(snapshot.extras),
                    step=None if work.step is None else _track_step("metrics", work.step),
                )
            )
        added, previous = store_metrics.record_snapshots(
            self.engine, self.platform, now, len(by_id), measured
        )
        self._count_request(len(by_id))
        self.report.snapshots += added
        for m in measured:
            before = previous.get(m.delivery_id, {})
            for name, value in (m.counts or {}).items():
                if value is None and before.get(name) is not None:
                    self._vanished[name] = self._vanished.get(name, 0) + 1
        if by_id:
            given = {
                name
                for name in store_metrics.COUNT_FIELDS
                if any(getattr(snap, name) is not None for snap in by_id.values())
            }
            for name in self._fields_seen - given:
                self._fields_dropped[name] = self._fields_dropped.get(name, 0) + len(by_id)
            self._fields_seen |= given

    def field_warnings(self) -> None:
        """Figures that stopped coming: a post had one before and not now, or earlier requests
        of this pull gave one and later requests gave it for no post (a retired metric)."""
        for name, n in sorted(self._vanished.items()):
            self.report.warnings.append(
                f"metrics: {name!r} no longer given for {n} post(s) that had it "
                "(retired by the platform?); other figures were stored"
            )
        for name, n in sorted(self._fields_dropped.items()):
            self.report.warnings.append(
                f"metrics: {name!r} given by earlier requests of this pull but for none of the "
                f"{n} post(s) measured after (retired mid-pull?); other figures were stored"
            )

    # -- comments --------------------------------------------------------------------------
    def _fetch_comments(self, group: list[_Fetch]) -> dict[str, list[Comment]]:
        cursors = {
            w.target.platform_id: (w.target.cursor.comments_since if w.target.cursor else None)
            for w in group
        }
        batch_fetch = _batch_comments(self.plan.connector)
        if batch_fetch is not None:
            return dict(batch_fetch(cursors))
        ((platform_id, since),) = cursors.items()
        return {platform_id: self.plan.connector.fetch_comments(platform_id, since)}

    def _comments(self, group: list[_Fetch]) -> None:
        where = group[0].target.platform_id if len(group) == 1 else f"{len(group)} posts"
        try:
            found = self._fetch_comments(group)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none escapes
            self.report.comments_requests += 1
            if not isinstance(exc, ConnectorError):
                log.exception("%s: fetching comments failed", self.platform)
            if isinstance(exc, Rejected) and len(group) == 1:
                self._pass_comment_slot(group[0])  # this post's comments are refused for good
            else:
                self.report.not_attempted += len(group)
            self._fail(exc, during=f"comments on {where}", work=group)
            return
        self.report.comments_requests += 1
        fetched = {w.target.platform_id: found.get(w.target.platform_id, []) for w in group}
        total = sum(len(v) for v in fetched.values())
        self.plan.budget.spend(max(total - len(group), 0))  # one read each was granted up front
        unique = {c.platform_id: c for comments in fetched.values() for c in comments}
        known = store_metrics.known_comments(self.engine, self.platform, list(unique))
        fresh = [c for c in unique.values() if c.platform_id not in known]
        scores = dict(zip((c.platform_id for c in fresh), self._score(fresh), strict=True))
        now = self.clock()
        posts = [_post_comments(w, fetched[w.target.platform_id], scores) for w in group]
        added = store_metrics.record_comments(self.engine, self.platform, now, total, posts)
        self._count_request(total)
        for work, new in zip(group, added, strict=True):
            self.report.new_comments += new
            self.report.duplicate_comments += len(fetched[work.target.platform_id]) - new
            if work.step is not None:
                self.report.missed_slots += len(work.step.missed)

    def _pass_comment_slot(self, work: _Fetch) -> None:
        """The platform refuses this post's comments for good (deleted post): move on."""
        if work.step is None:
            return
        step = _track_step("comments", work.step)
        store_metrics.pass_track(
            self.engine, self.platform, work.target.delivery_id, self.clock(), step
        )

    def _score(self, comments: list[Comment]) -> list[Scored]:
        if not comments:
            return []
        try:
            return self.scorer([c.text for c in comments])
        except Exception as exc:  # noqa: BLE001 - keep the comments even if scoring fails
            warning = f"comments stored unscored: sentiment failed: {exc}"
            if warning not in self.report.warnings:
                self.report.warnings.append(warning)
                if isinstance(exc, ImportError):  # an installation problem, not a bug
                    log.error("%s: %s", self.platform, warning)
                else:
                    log.exception("%s: scoring comments failed", self.platform)
            return [Scored(None, None, frozenset()) for _ in comments]


def _post_comments(
    work: _Fetch, comments: list[Comment], scores: dict[str, Scored]
) -> store_metrics.PostComments:
    """A post's fetched comments as the store takes them; only those scored are new."""
    new = [
        store_metrics.NewComment(
            platform_comment_id=c.platform_id,
            post_platform_id=c.post_platform_id,
            parent_id=c.parent_id,
            author=c.author,
            text=c.text,
            created_at=c.created_at,
            url=c.url,
            scores=scores[c.platform_id].stored(),
        )
        for c in {c.platform_id: c for c in comments}.values()
        if c.platform_id in scores
    ]
    newest = max(comments, key=lambda c: (c.created_at, c.platform_id)) if comments else None
    return store_metrics.PostComments(
        delivery_id=work.target.delivery_id,
        comments=new,
        newest=(newest.created_at, newest.platform_id) if newest else None,
        step=None if work.step is None else _track_step("comments", work.step),
    )


# -- entry point -----------------------------------------------------------------------------


def _horizon(settings: Settings, now: datetime) -> datetime:
    longest = max(parse_age(age) for age in settings.pull.ages)
    return now - longest - HORIZON_GRACE


def run_pull(
    settings: Settings,
    engine: Engine,
    connector_factory: ConnectorFactory,
    clock: Clock,
    progress: Progress | None = None,
    *,
    since: datetime | None = None,
    backfill: bool = False,
    platforms: Sequence[str] | None = None,
    scorer: Scorer | None = None,
) -> PullReport:
    """Pull what is due now; never raises for a platform's failure (see the module docstring).

    ``since``: only deliveries published at or after it. ``backfill``: also measure, off
    schedule, every published delivery whose platform still gives data (and fetch its new
    comments), including deliveries published before pulls began.
    """
    now = clock()
    report = PullReport(started_at=now)
    with store_metrics.pull_lock(engine) as acquired:
        if not acquired:
            report.skipped = "another pull is running on this database"
            report.finished_at = clock()
            return report
        _pull(
            settings,
            engine,
            connector_factory,
            clock,
            progress,
            since,
            backfill,
            platforms,
            scorer or sentiment_scorer(settings.sentiment_model),
            report,
        )
    return report


def _pull(
    settings: Settings,
    engine: Engine,
    connector_factory: ConnectorFactory,
    clock: Clock,
    progress: Progress | None,
    since: datetime | None,
    backfill: bool,
    platforms: Sequence[str] | None,
    scorer: Scorer,
    report: PullReport,
) -> None:
    now = report.started_at
    targets = store_metrics.pull_targets(
        engine,
        now,
        horizon_start=_horizon(settings, now),
        since=since,
        platforms=platforms,
        everything=backfill,
    )
    by_platform: dict[str, list[store_metrics.PullTarget]] = {}
    for target in targets:
        by_platform.setdefault(target.platform, []).append(target)

    plans: list[tuple[_PlatformPlan, PlatformReport]] = []
    for platform, group in sorted(by_platform.items()):
        rep = report.platform(platform)
        rep.tracked = len(group)
        plan = _prepare(platform, group, settings, engine, connector_factory, now, backfill, rep)
        if plan is not None:
            rep.skipped_for_budget += plan.skipped_for_budget
            plans.append((plan, rep))

    total = sum(plan.requests for plan, _ in plans)
    done = 0

    def tick(platform: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, platform)

    if progress is not None:
        progress(0, total, "")
    for plan, rep in plans:
        _PlatformPull(plan, engine, clock, scorer, rep, tick).run()
    report.finished_at = clock()
    for rep in report.platforms.values():
        if rep.errors:
            log.warning("%s pull: %s", rep.platform, "; ".join(rep.errors))


def _prepare(
    platform: str,
    group: list[store_metrics.PullTarget],
    settings: Settings,
    engine: Engine,
    connector_factory: ConnectorFactory,
    now: datetime,
    backfill: bool,
    rep: PlatformReport,
) -> _PlatformPlan | None:
    section = _platform_settings(settings, platform)
    if section is not None and not getattr(section, "enabled", True):
        rep.not_attempted = len(group)
        rep.stopped = f"{platform} is disabled in settings"
        return None
    blocked = store_metrics.blocked_until(engine, platform)
    if blocked is not None and blocked > now:
        rep.not_attempted = len(group)
        rep.rate_limited_until = blocked
        rep.stopped = f"rate limited until {blocked:%Y-%m-%d %H:%M} UTC (from an earlier pull)"
        return None
    try:
        connector = connector_factory(platform)
    except ConnectorError as exc:
        rep.not_attempted = len(group)
        rep.errors.append(f"connector: {exc}")
        rep.stopped = "connector unavailable"
        return None
    return _plan_platform(platform, group, connector, settings, engine, now, backfill, rep)
