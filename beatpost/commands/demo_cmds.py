"""``beatpost demo`` (a rehearsed week, no accounts needed) and ``beatpost init`` (a workspace)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click


def register(cli: click.Group) -> None:
    cli.add_command(demo)
    cli.add_command(init)


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-out"), show_default=True,
              help="Where digest.html, digest.txt and digest.eml are written.")
@click.option("--days", type=click.IntRange(1, 60), default=7, show_default=True,
              help="Simulated days to rehearse, from the example campaign's first day.")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Seed of the sandbox audience (same seed, same week).")
@click.option("--error-rate", type=click.FloatRange(0, 1, max_open=True), default=0.05,
              show_default=True,
              help="Share of platform requests that fail on purpose, to watch beatpost recover "
              "(0 for none).")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the rehearsal's workspace (settings, campaign, database) in this new "
              "folder instead of a temporary one.")
def demo(out_dir: Path, days: int, seed: int, error_rate: float,
         workspace: Path | None) -> None:
    """Rehearse a week of the example campaign against the local sandbox, in seconds.

    The sandbox plays X, Facebook and Instagram; the real daemon posts on a simulated clock,
    engagement and comments are pulled back and scored, and the week's digest is written to
    --out. Nothing leaves this machine; no accounts or settings are needed.
    """
    from rich.console import Console

    from beatpost.demo import DemoError, DemoOptions, run_demo
    from beatpost.workspace import WorkspaceError

    console = Console(stderr=True)
    options = DemoOptions(out_dir=out_dir, days=days, seed=seed, error_rate=error_rate,
                          workspace=workspace)
    console.print(f"Rehearsing {days} day(s) of the example campaign against the local sandbox…")
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
    noted = f" ({problems.count} warning(s) or error(s))" if problems.count else ""
    click.echo(f"What the daemon said: {log_path}{noted}")
    click.echo("Start your own: beatpost init my-department")


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
        self._bar.update(self._task, completed=done, day=f"{now:%a %d %b %H:%M} UTC")


def _outcome_lines(o: Any) -> list[str]:
    def counts(by: dict[str, int]) -> str:
        return ", ".join(f"{k} {n}" for k, n in sorted(by.items(), key=lambda kv: -kv[1]))

    return [
        f"  applicants:      {o.link_clicks:,} link clicks -> {o.visits:,} careers-page visits "
        f"-> {o.applications} applications (imported from {o.files[0].name})",
        f"    by platform:   {counts(o.by_platform) or 'none'}",
        f"    by partner:    {counts(o.by_partner) or 'none'}",
    ]


def _summary(result: Any, error_rate: float) -> None:
    data = result.digest
    week = data.this_week
    per_platform = ", ".join(
        f"{platform} {result.published.get(platform, 0)}" for platform in ("x", "facebook",
                                                                            "instagram")
    )
    lines = [
        "",
        f"Rehearsed {result.start:%a %d %b %Y} to {result.end:%a %d %b %Y} (UTC) "
        f"in {result.elapsed:.1f} s of real time.",
        f"  posts out:       {sum(result.published.values())} ({per_platform})",
        f"  engagement:      audience {week.audience:,}, {week.interactions:,} interactions "
        f"in week {data.week}",
        f"  comments:        {result.new_comments} pulled back in {result.pulls} pulls; "
        f"{data.needs_reply_total} need a reply, {data.hostile_count} flagged hostile",
    ]
    if error_rate:
        lines.append(
            f"  injected errors: {result.faults} of {result.requests} platform requests failed "
            f"on purpose; {result.recovered} post(s) went out on a retry"
        )
    if result.problems:
        lines.append(f"  needs a person:  {len(result.problems)} delivery(ies)")
        lines += [f"    - {problem}" for problem in result.problems]
    else:
        lines.append("  failures:        none; every post due went out")
    if result.pull_errors:
        lines.append(f"  pull errors:     {result.pull_errors} (retried at later pulls)")
    lines.append(
        f"  at most once:    {result.duplicates} text(s) posted twice on one platform"
    )
    if result.outcomes is not None:
        lines += _outcome_lines(result.outcomes)
    lines.append("")
    lines.append("The week's digest (what command staff get on Monday):")
    lines += [f"  {path}" for path in result.files if path.suffix in (".html", ".txt", ".eml")]
    if result.workspace is not None:
        lines.append(f"Workspace kept in {result.workspace}")
    click.echo("\n".join(lines))


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace an existing beatpost.toml (campaigns and the database are kept).")
def init(directory: Path, force: bool) -> None:
    """Create a workspace for a department in DIRECTORY.

    Writes beatpost.toml (commented; the local sandbox's accounts until real ones are filled
    in), secrets.toml (readable by you alone), campaigns/ with the example campaign and
    media/ with its images.
    """
    from beatpost.workspace import WorkspaceError, create_workspace

    try:
        ws = create_workspace(directory, force=force)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from None
    where = str(directory)
    click.echo(f"Created a beatpost workspace in {where}:")
    click.echo(f"  {ws.config.name:<14} settings (the local sandbox until real accounts are set)")
    click.echo(f"  {ws.secrets.name:<14} credentials, readable by you alone (chmod 600)")
    click.echo("  campaigns/     the example campaign: copy it to start your own")
    click.echo("  media/         images; publish this folder on your web server for Instagram")
    click.echo("")
    click.echo("Next:")
    steps = [
        (f"cd {where}", ""),
        ("beatpost validate", "check the campaign files"),
        ("beatpost plan", "every post, platform and time"),
        ("beatpost sandbox --media-dir media", "in a second terminal: the rehearsal platforms"),
        ("beatpost run", "the daemon: posts on schedule, pulls engagement"),
        ("beatpost status", "what went out, what needs a person"),
    ]
    for command, why in steps:
        click.echo(f"  {command:<38} {('# ' + why) if why else ''}".rstrip())
