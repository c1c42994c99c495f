"""``beatpost demo``: a week of the example campaign, rehearsed end to end in seconds.

What runs is what runs in production, only on a simulated clock:

- the sandbox (``connectors.sandbox``) on a free loopback port plays X, Facebook and Instagram,
  with a seeded audience that likes, shares and comments as simulated time passes, and hosts
  the workspace's ``media/`` folder for Instagram to fetch;
- a fresh workspace made by ``beatpost.workspace.create_workspace`` (what ``beatpost init``
  makes), its ``beatpost.toml`` pointing at the sandbox, SQLite inside it;
- the daemon (``Daemon.prepare`` then ``Daemon.tick`` at each instant a delivery is due), the
  real connectors over HTTP, the engagement pull every ``pull.interval_minutes`` with
  sentiment scored on ingest (``beatpost.daemon_jobs.pull_engagement``), and the digest of the week.

Everything reads one ``SimClock``: the daemon, the connectors, the pulls and the digest. The
loop jumps the clock to the next instant anything is due (a delivery, a pull), so a week
takes seconds.

The demo never reads ``BEATPOST_*`` variables or the secrets of the machine it runs on: a
rehearsal must not reach a real database or account, whatever the environment says.
"""

from __future__ import annotations

import logging
import random
import shutil
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_settings import PydanticBaseSettingsSource

import connectors
from analysis.digest.build import build_digest
from analysis.digest.data import DigestData, ReplyNeeded
from analysis.digest.render import build_message, platform_name, render, write_files
from analysis.digest.text import oneline, safe_url, when
from analysis.timeframe import IsoWeek, system_clock, week_zone
from beatpost.campaign_sync import validation_options
from beatpost.daemon import Daemon
from beatpost.daemon_jobs import pull_engagement
from beatpost.outcomes import RehearsalOutcomes, rehearsal_outcomes
from beatpost.workspace import Workspace, create_workspace, settings_toml
from campaigns import load_campaigns
from config import Settings
from config.settings import deep_merge
from connectors.base import Connector
from connectors.hosting import publish_folder
from connectors.sandbox import FaultPlan, SandboxServer, SandboxState, SimClock
from store import State, make_engine

log = logging.getLogger("beatpost.demo")

#: Who the demo's digest is addressed to, and from (it is written to files, never sent).
DEMO_RECIPIENT = "Command Staff <command-staff@springfield.example.gov>"
DEMO_SENDER = "Springfield PD digest <digest@springfield.example.gov>"
#: Every comment the week's flags counted, one by one (the digest lists the first few).
FLAGGED_FILE = "flagged-comments.txt"

#: Called at each simulated instant, before the daemon acts: (simulated now, start, end).
Progress = Callable[[datetime, datetime, datetime], None]


@dataclass(frozen=True)
class DemoOptions:
    out_dir: Path = Path("demo-out")
    days: int = 7
    seed: int = 7
    #: Share of platform requests the sandbox fails on purpose, to show retries recovering.
    error_rate: float = 0.0
    #: Keep the workspace (settings, campaign, database) here; default: a temporary folder.
    workspace: Path | None = None
    #: Settings sections merged over the sandbox's fake credentials (say, other fake tokens).
    secrets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 60:
            raise ValueError(f"--days must be between 1 and 60, got {self.days}")
        if not 0 <= self.error_rate < 1:
            raise ValueError(f"--error-rate must be in [0, 1), got {self.error_rate}")


@dataclass
class DemoResult:
    """What happened, for the summary (and for tests)."""

    workspace: Path | None  # None: it was temporary and is gone
    start: datetime
    end: datetime
    digest: DigestData
    files: list[Path]
    published: Counter[str]  # platform -> deliveries published in the simulated span
    states: Counter[str]  # state -> deliveries due in the simulated span
    problems: list[str]  # deliveries that failed or stayed unknown, with the reason
    recovered: int  # published after a failed first attempt
    pulls: int
    pull_minutes: int  # how often engagement and comments were read back
    snapshots: int
    new_comments: int
    pull_errors: int
    sandbox_posts: Counter[str]  # platform -> posts the sandbox holds
    duplicates: int  # texts posted more than once on one platform (should be 0)
    requests: int  # HTTP requests the sandbox answered
    faults: int  # of which the sandbox failed on purpose (--error-rate)
    elapsed: float  # wall-clock seconds
    outcomes: RehearsalOutcomes | None = None  # the audience's applicants, imported


# -- the rehearsal clock and connectors ---------------------------------------------------------


def campaign_start(campaigns_dir: Path, settings: Settings) -> datetime:
    """Midnight (campaign time) of the first day any campaign posts, as aware UTC."""
    now = system_clock()
    found = load_campaigns([campaigns_dir], validation_options(settings, now))
    plans = found.deliveries()
    if not plans:
        problems = "; ".join(str(d) for d in found.errors) or "no deliveries planned"
        raise DemoError(f"the example campaign plans nothing to rehearse: {problems}")
    first = plans[0]
    zone = ZoneInfo(first.timezone)
    day = first.at_utc.astimezone(zone).date()
    return datetime.combine(day, dtime(0, 0), tzinfo=zone).astimezone(UTC)


def rehearsal_end(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Local midnight ``days`` days after ``start`` (a local midnight), as aware UTC: a
    rehearsal spanning the change to daylight saving time is an hour shorter, not an hour
    into the next day (and the next digest week)."""
    day = start.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, dtime(0, 0), tzinfo=zone).astimezone(UTC)


class DemoError(Exception):
    """The rehearsal could not run; the message says why."""


class RehearsalConnectors:
    """The real connectors, built by ``connectors.create`` from settings but on the simulated
    clock (its ``clock`` and ``sleep``): X finds a post again by its time, snapshots carry the
    time they were taken, and waiting (Graph API pacing, Instagram container polling) must pass
    simulated time.
    """

    def __init__(self, settings: Settings, clock: SimClock):
        self.settings = settings
        self.clock = clock
        self._made: dict[str, Connector] = {}
        self._lane = threading.local()  # the platform this thread last asked a connector for

    @property
    def current_platform(self) -> str | None:
        """The platform the calling thread (a daemon lane) is working on."""
        return getattr(self._lane, "platform", None)

    def _sleep(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))

    def __call__(self, platform: str) -> Connector:
        self._lane.platform = platform
        if platform not in self._made:
            self._made[platform] = self._make(platform)
        return self._made[platform]

    def _make(self, platform: str) -> Connector:
        if platform not in connectors.REGISTRY:
            raise DemoError(f"the rehearsal has no connector for {platform!r}")
        return connectors.create(platform, self.settings, clock=self.clock.now, sleep=self._sleep)


class LaneRandom(random.Random):
    """The daemon's retry jitter in a rehearsal: one seeded stream per platform.

    The daemon publishes to the platforms in parallel lanes; with one shared generator, two
    platforms failing at the same simulated instant would draw their retry times in whatever
    order their threads ran, and the same seed would not replay the same week. Within a lane
    requests run one at a time, so a stream per platform draws in a fixed order.
    """

    def __init__(self, seed: int, connectors: RehearsalConnectors):
        super().__init__(seed)
        self._seed = seed
        self._connectors = connectors
        self._streams: dict[str | None, random.Random] = {}
        self._streams_lock = threading.Lock()

    def random(self) -> float:
        platform = self._connectors.current_platform
        with self._streams_lock:
            stream = self._streams.get(platform)
            if stream is None:
                stream = self._streams[platform] = random.Random(f"{self._seed}:{platform}")
        return stream.random()


# -- settings -------------------------------------------------------------------------------


class RehearsalSettings(Settings):
    """Settings from the rehearsal workspace alone: ``BEATPOST_*`` variables are ignored."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[Any],
        init_settings: PydanticBaseSettingsSource,
        **_others: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def rehearsal_settings(ws: Workspace, secrets: Mapping[str, Mapping[str, Any]]) -> Settings:
    """The workspace's ``beatpost.toml`` and ``secrets.toml``, plus ``secrets``, nothing else."""
    data = tomllib.loads(ws.config.read_text(encoding="utf-8"))
    data = deep_merge(data, tomllib.loads(ws.secrets.read_text(encoding="utf-8")))
    data = deep_merge(data, {k: dict(v) for k, v in secrets.items()})
    data.pop("secrets_file", None)  # already merged
    data["workspace"] = str(ws.root.resolve())
    data["digest"] = {
        **data.get("digest", {}),
        "recipients": [DEMO_RECIPIENT],
        "sender": DEMO_SENDER,
    }
    return RehearsalSettings(**data)


def comment_line(comment: ReplyNeeded) -> str:
    """One flagged comment on one line, its text inert: who, where, when, what, link."""
    link = safe_url(comment.url)
    return (
        f"{oneline(comment.author, 60)} on {platform_name(comment.platform)}, "
        f'{when(comment.created_local)}: "{oneline(comment.text, 300)}"'
        + (f"  {link}" if link else "")
    )


def write_flagged(data: DigestData, path: Path) -> Path:
    """Every comment behind the week's counts of flagged comments, in a text file."""
    sections = [
        (
            "Officer safety (someone trying to locate or identify an officer), review now",
            data.safety,
        ),
        ("Flagged hostile, for review in the platforms' moderation tools", data.hostile),
        ("Waiting for a reply", data.needs_reply),
    ]
    lines = [f"Comments flagged in week {data.week.week} ({data.timezone} time)", ""]
    for title, comments in sections:
        lines.append(f"{title}: {len(comments)}")
        lines += [f"- {comment_line(c)}" for c in comments]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# -- the run --------------------------------------------------------------------------------


#: Marks a folder as a demo workspace, which a later ``--workspace`` run may replace.
DEMO_MARKER = ".beatpost-demo"


@contextmanager
def _workspace_dir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        if keep.exists() and any(keep.iterdir()) and not (keep / DEMO_MARKER).exists():
            raise DemoError(
                f"{keep} is not empty and not a demo workspace; the demo writes its own "
                "settings there, so give it an empty or new folder"
            )
        keep.mkdir(parents=True, exist_ok=True)
        (keep / DEMO_MARKER).write_text("made by beatpost demo\n", encoding="utf-8")
        yield keep
        return
    folder = Path(tempfile.mkdtemp(prefix="beatpost-demo-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_demo(options: DemoOptions, progress: Progress | None = None) -> DemoResult:
    """Rehearse ``options.days`` days of the example campaign; write the digest files."""
    started = time.monotonic()
    with _workspace_dir(options.workspace) as root:
        ws = create_workspace(root, force=True, live_example=True)
        for name in ("beatpost.db", "beatpost.db-wal", "beatpost.db-shm"):
            (ws.data / name).unlink(missing_ok=True)  # every rehearsal starts afresh
        settings = rehearsal_settings(ws, options.secrets)
        start = campaign_start(ws.campaigns, settings)
        end = rehearsal_end(start, options.days, week_zone(settings))
        clock = SimClock(start)
        state = SandboxState(
            seed=options.seed,
            clock=clock,
            faults=FaultPlan(error_rate=options.error_rate, seed=options.seed),
            timezone=settings.default_timezone,  # where the audience lives: its daily rhythm
        )
        with SandboxServer(state, media_dir=publish_folder(settings)) as server:
            # Now that the sandbox has its port, point the workspace's settings at it.
            ws.config.write_text(settings_toml(server.url), encoding="utf-8")
            settings = rehearsal_settings(ws, options.secrets)
            engine = make_engine(settings.resolved_database_url)
            connectors = RehearsalConnectors(settings, clock)
            try:
                daemon = Daemon(
                    settings,
                    engine=engine,
                    connector_factory=connectors,
                    clock=clock.now,
                    rng=LaneRandom(options.seed, connectors),
                )
                pulls = _simulate(daemon, clock, start, end, progress)
                result = _finish(options, ws, daemon, clock, start, end, pulls, server)
            finally:
                engine.dispose()
    result.elapsed = time.monotonic() - started
    if options.workspace is None:
        result.workspace = None
    return result


@dataclass
class _PullTotals:
    runs: int = 0
    snapshots: int = 0
    new_comments: int = 0
    errors: int = 0


def _simulate(
    daemon: Daemon, clock: SimClock, start: datetime, end: datetime, progress: Progress | None
) -> _PullTotals:
    """The daemon's life from ``start`` to ``end``: each wake, each pull, in time order."""
    interval = timedelta(minutes=daemon.settings.pull.interval_minutes)
    # The daemon re-reads the campaign files hourly to move its year-long planning window;
    # nothing changes the files here, so once a simulated day does the same work.
    resync_every = timedelta(days=1)
    pulls = _PullTotals()
    if progress is not None:
        progress(start, start, end)
    daemon.prepare()
    try:
        wake = daemon.ledger.next_wake(start)
        next_pull = start + interval
        next_resync = start + resync_every
        while True:
            now = clock.now()
            if progress is not None:
                progress(now, start, end)
            if wake is not None and now >= wake:
                # What the daemon's wake job does: publish (and reconcile) everything due.
                handled = daemon.tick()
                wake = daemon.ledger.next_wake(now)
                if wake is not None and handled == 0:
                    wake = max(wake, now + timedelta(seconds=1))  # nothing doable: no spin
            if now >= next_pull:
                report = pull_engagement(daemon)
                pulls.runs += 1
                pulls.snapshots += report.total("snapshots")
                pulls.new_comments += report.total("new_comments")
                pulls.errors += len(report.errors)
                next_pull += interval
            if now >= next_resync:
                daemon.resync()
                wake = daemon.ledger.next_wake(now)
                next_resync += resync_every
            if now >= end:
                return pulls
            clock.set(min(t for t in (wake, next_pull, next_resync, end) if t is not None))
    finally:
        daemon.stop()


def _finish(
    options: DemoOptions,
    ws: Workspace,
    daemon: Daemon,
    clock: SimClock,
    start: datetime,
    end: datetime,
    pulls: _PullTotals,
    server: SandboxServer,
) -> DemoResult:
    settings = daemon.settings
    zone = week_zone(settings)
    last_day = (end - timedelta(microseconds=1)).astimezone(zone).date()
    week = IsoWeek.containing(last_day)
    # The audience's visits and applicants, exported and imported as a department would.
    outcomes = rehearsal_outcomes(settings, daemon.engine, server.state, end, options.seed)
    data = build_digest(daemon.engine, week, settings, clock.now)
    rendered = render(data)
    message = build_message(
        rendered, data, sender=settings.digest.sender, recipients=settings.digest.recipients
    )
    files = write_files(rendered, message, options.out_dir)
    files.append(write_flagged(data, options.out_dir / FLAGGED_FILE))

    in_span = [d for d in daemon.ledger.deliveries() if start <= d.scheduled_at < end]
    published = Counter(d.platform for d in in_span if d.state == State.PUBLISHED)
    problems = [
        f"{platform_name(d.platform)} post {d.post_id} due {when(d.scheduled_at.astimezone(zone))}"
        f" ({d.state}): {oneline(d.reason or 'no reason recorded', 200)}"
        for d in in_span
        if d.state in (State.FAILED, State.UNKNOWN, State.SKIPPED)
    ]
    state = server.state
    requests = state.requests()
    return DemoResult(
        workspace=ws.root,
        start=start,
        end=end,
        digest=data,
        files=files,
        published=published,
        states=Counter(str(d.state) for d in in_span),
        problems=problems,
        recovered=sum(1 for d in in_span if d.state == State.PUBLISHED and d.attempt_count > 1),
        pulls=pulls.runs,
        pull_minutes=settings.pull.interval_minutes,
        snapshots=pulls.snapshots,
        new_comments=pulls.new_comments,
        pull_errors=pulls.errors,
        sandbox_posts=Counter(p.platform for p in state.posts()),
        duplicates=len(state.duplicates()),
        requests=len(requests),
        faults=state.faults.injected,
        elapsed=0.0,
        outcomes=outcomes,
    )
