"""``beatpost demo`` (a rehearsed week, no accounts needed) and ``beatpost init`` (a workspace)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from beatpost import display
from beatpost.display import echo, plural


def register(cli: click.Group) -> None:
    cli.add_command(demo)
    cli.add_command(init)


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    help="Where digest.html, digest.txt and digest.eml are written.",
)
@click.option(
    "--days",
    type=click.IntRange(1, 60),
    default=7,
    help="Simulated days to rehearse, from the example campaign's first day.",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    help="Seed of the sandbox audience (same seed, same week).",
)
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.05,
    help="Share of platform requests that fail on purpose, to watch beatpost recover (0 for none).",
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the rehearsal's workspace (settings, campaign, database) in this new "
    "folder instead of a temporary one.",
)
def demo(out_dir: Path, days: int, seed: int, error_rate: float, workspace: Path | None) -> None:
    """Rehearse a week of the example campaign against the local sandbox, in seconds.

    The sandbox plays X, Facebook and Instagram; the real daemon posts on a simulated clock,
    engagement and comments are pulled back and scored, and the week's digest is written to
    --out. Nothing leaves this machine; no accounts or settings are needed.
    """
    from beatpost.demo import DemoError, DemoOptions, run_demo
    from beatpost.workspace import WorkspaceError

    console = display.progress_console()
    options = DemoOptions(
        out_dir=out_dir, days=days, seed=seed, error_rate=error_rate, workspace=workspace
    )
    console.print(
        f"Rehearsing {plural(days, 'day')} of the example campaign against the local sandbox…"
    )
    log_path = out_dir / "demo.log"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out_dir}: {exc.strerror}") from None
    try:
        progress = _DemoProgress(console)
        with _log_to_file(log_path, lambda: progress.now) as problems, progress:
            result = run_demo(options, progress=progress)
    except (DemoError, WorkspaceError) as exc:
        raise click.ClickException(str(exc)) from None
    _summary(result, error_rate)
    noted = f" ({plural(problems.count, 'warning or error', 'warnings or errors')})"
    noted = noted if problems.count else ""
    echo(f"What the daemon said: {log_path}{noted}")
    echo("Start your own: beatpost init my-department")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _SimulatedTime(logging.Formatter):
    """Stamps each line with the simulated instant the daemon was at, which is what its
    messages ("retry at 2027-03-01 15:00:19Z") refer to."""

    def __init__(self, now: Callable[[], datetime | None]):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._now = now

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        now = self._now()
        if now is None:
            return super().formatTime(record, datefmt)
        return f"{now.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z (simulated)"


@contextmanager
def _log_to_file(path: Path, sim_now: Callable[[], datetime | None]) -> Iterator[_Counter]:
    """The daemon's log goes to ``path`` (INFO, or DEBUG with -vv) while the progress bar
    owns the terminal; the console handlers come back afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    level = min(logging.INFO, saved_level or logging.INFO)
    to_file = logging.FileHandler(path, mode="w", encoding="utf-8")
    to_file.setFormatter(_SimulatedTime(sim_now))
    counter = _Counter()
    for handler in saved_handlers:
        root.removeHandler(handler)
    root.addHandler(to_file)
    root.addHandler(counter)
    root.setLevel(level)
    try:
        yield counter
    finally:
        root.removeHandler(to_file)
        root.removeHandler(counter)
        to_file.close()
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)


class _DemoProgress:
    """A rich progress bar over simulated time (a day per tick of the bar's label)."""

    def __init__(self, console: Any):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[day]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: Any = None
        self.now: datetime | None = None  # the simulated instant last reported
        from zoneinfo import ZoneInfo

        from beatpost.workspace import EXAMPLE_TIMEZONE

        self._zone = ZoneInfo(EXAMPLE_TIMEZONE)  # the rehearsed department's local time

    def __enter__(self) -> _DemoProgress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, now: datetime, start: datetime, end: datetime) -> None:
        self.now = now
        total = (end - start).total_seconds()
        done = min((now - start).total_seconds(), total)
        if self._task is None:
            self._task = self._bar.add_task("simulated week", total=total, day="")
        local = now.astimezone(self._zone)
        self._bar.update(self._task, completed=done, day=f"{local:%a %d %b %H:%M} {local:%Z}")


def _outcome_lines(o: Any) -> list[str]:
    from analysis.digest.render import platform_name

    def counts(by: dict[str, int], name=lambda key: key) -> str:
        ranked = sorted(by.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{name(k) if k != '(unknown)' else 'not known'} {n}" for k, n in ranked)

    return [
        f"  Applicants:       {o.applications:,} applications from {o.visits:,} careers-page "
        f"visits and {o.link_clicks:,} link clicks (imported from {o.files[0].name})",
        f"    by platform:    {counts(o.by_platform, platform_name) or 'none'}",
        f"    by partner:     {counts(o.by_partner) or 'none'}",
    ]


def _summary(result: Any, error_rate: float) -> None:
    """What the rehearsal showed, in the department's local time and a PIO's words."""
    from zoneinfo import ZoneInfo

    from analysis.digest.render import platform_name
    from analysis.digest.text import day_label, span
    from beatpost.demo import FLAGGED_FILE, comment_line

    data = result.digest
    week = data.this_week
    zone = ZoneInfo(data.timezone)
    first = result.start.astimezone(zone)
    last = (result.end - timedelta(microseconds=1)).astimezone(zone)
    days = (
        span(first.date(), last.date())
        if first.date() != last.date()
        else f"{day_label(first)} {first:%Y}"
    )
    flagged = next((p for p in result.files if p.name == FLAGGED_FILE), None)
    posted = sum(result.published.values())
    per_platform = ", ".join(
        f"{platform_name(platform)} {result.published.get(platform, 0)}"
        for platform in ("x", "facebook", "instagram")
    )
    twice = (
        "none went out twice"
        if result.duplicates == 0
        else f"{result.duplicates} went out twice: a defect, please report it"
    )

    lines = [
        "",
        f"Rehearsed {days} ({data.timezone} time) in {result.elapsed:.1f} seconds.",
        f"  Posts published:  {posted} ({per_platform}); {twice}",
        f"  Engagement:       {week.audience:,} views and {week.interactions:,} likes, shares, "
        f"replies and clicks in week {data.week.week} ({span(data.start, data.end)})",
        f"  Comments:         {plural(result.new_comments, 'comment')} came in, read back every "
        f"{result.pull_minutes} minutes",
        f"  Need a reply:     {data.needs_reply_total} (questions about applying, pay, events)"
        + (f", each listed in {flagged}" if flagged and data.needs_reply_total else ""),
        f"  Officer safety:   {len(data.safety)}"
        + (" (someone trying to locate or identify an officer: review now)" if data.safety else ""),
    ]
    lines += [f"    - {comment_line(c)}" for c in data.safety]
    lines.append(
        f"  Flagged hostile:  {data.hostile_count}"
        + (" (flagged automatically: read each before acting)" if data.hostile_count else "")
    )
    shown = 5
    lines += [f"    - {comment_line(c)}" for c in data.hostile[:shown]]
    if data.hostile_count > shown and flagged:
        lines.append(f"    ...and {data.hostile_count - shown} more, listed in {flagged}")
    if error_rate:
        lines.append(
            f"  Practice errors:  {result.faults} of {result.requests:,} requests to the platforms "
            f"failed on purpose; {plural(result.recovered, 'post')} went out on a later try"
        )
    if result.problems:
        lines.append(f"  Needs a person:   {plural(len(result.problems), 'post')}")
        lines += [f"    - {problem}" for problem in result.problems]
    else:
        lines.append("  Needs a person:   nothing; every post due went out")
    if result.pull_errors:
        lines.append(
            f"  Engagement reads: {result.pull_errors} failed and were tried again at the next read"
        )
    if result.outcomes is not None:
        lines += _outcome_lines(result.outcomes)
    lines.append("")
    lines.append("The week's digest (what command staff get on Monday):")
    lines += [
        f"  {path}"
        for path in result.files
        if path.suffix in (".html", ".txt", ".eml") and path != flagged
    ]
    if result.workspace is not None:
        lines.append(f"Workspace kept in {result.workspace}")
    echo("\n".join(lines))


def _interactive() -> bool:
    """Whether ``init`` can ask its questions (a person at a terminal)."""
    return sys.stdin.isatty()


def _ask(question: str, check: Callable[[str], str], example: str) -> str:
    from beatpost.workspace import WorkspaceError

    while True:
        answer = click.prompt(f"{question} (e.g. {example})", type=str)
        try:
            return check(answer)
        except WorkspaceError as exc:
            echo(str(exc).split(": ", 1)[-1], err=True)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--department",
    metavar="NAME",
    help="The department's name, as the digest shows it (asked when not given).",
)
@click.option(
    "--timezone",
    "zone",
    metavar="ZONE",
    help="The department's IANA time zone, e.g. America/New_York (asked when not given).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing beatpost.toml (campaigns and the database are kept).",
)
def init(directory: Path, department: str | None, zone: str | None, force: bool) -> None:
    """Create a workspace for a department in DIRECTORY.

    Writes beatpost.toml (commented; the department's name and time zone, the local sandbox's
    accounts until real ones are filled in), secrets.toml (readable by you alone), campaigns/
    with the example campaign in campaigns/examples/ (never posted from there) and media/
    with its images. Asks for the department and time zone unless --department and
    --timezone give them; without a terminal to ask at, both options are required.
    """
    from beatpost.workspace import (
        WorkspaceError,
        check_department,
        check_timezone,
        create_workspace,
    )

    missing = [
        flag
        for flag, value in (("--department", department), ("--timezone", zone))
        if value is None
    ]
    if missing and not _interactive():
        raise click.UsageError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} needed when "
            'beatpost init cannot ask (no terminal), e.g. --department "Riverton Police '
            'Department" --timezone America/New_York'
        )
    try:
        department = (
            check_department(department)
            if department is not None
            else _ask("Department name", check_department, "Riverton Police Department")
        )
        zone = (
            check_timezone(zone)
            if zone is not None
            else _ask("Time zone", check_timezone, "America/New_York")
        )
        ws = create_workspace(directory, force=force, department=department, timezone=zone)
    except WorkspaceError as exc:
        raise (
            click.UsageError(str(exc))
            if str(exc).startswith("--")
            else click.ClickException(str(exc))
        ) from None
    where = str(directory)
    echo(f"Created a beatpost workspace in {where}:")
    echo(f"  {ws.config.name:<14} settings for {department}, times in {zone}")
    echo(f"  {'':<14} (the local sandbox until real accounts are set)")
    echo(f"  {ws.secrets.name:<14} credentials, readable by you alone (chmod 600)")
    echo("  campaigns/     your campaign files (none yet): the daemon posts what is here")
    echo("  campaigns/examples/  the example campaign: checked, never posted from there")
    echo("  media/         the campaigns' original images: never publish this folder")
    echo(f"  {'':<14} (photos can carry GPS positions)")
    echo("  public-media/  (written when needed) metadata-free copies for Instagram: the")
    echo(f"  {'':<14} folder your web server publishes (instagram.media_base_url)")
    echo("")
    echo("Next:")
    steps = [
        (f"cd {where}", ""),
        ("beatpost validate campaigns/examples", "check the example campaign"),
        ("mv campaigns/examples/*.yaml campaigns/", "to rehearse the example: then change"),
        ("", "its ../../media/ to ../media/"),
        ("beatpost validate", "check your campaign files"),
        ("beatpost plan", "every post, platform and time"),
        ("beatpost sandbox", "in a second terminal: the rehearsal platforms"),
        ("beatpost run", "the daemon: posts on schedule, pulls engagement"),
        ("beatpost status", "what went out, what needs a person"),
    ]
    for command, why in steps:
        echo(f"  {command:<38} {('# ' + why) if why else ''}".rstrip())
