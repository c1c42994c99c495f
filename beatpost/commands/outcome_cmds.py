"""``beatpost outcomes``: import applications and careers-page visits, attribute them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from beatpost.cli import Context, format_option, pass_ctx


def register(cli: click.Group) -> None:
    cli.add_command(outcomes)


@click.group()
def outcomes() -> None:
    """Import applications and careers-page visits; see which posts and partners brought
    applicants (docs/outcomes.md)."""


@contextmanager
def _bar(enabled: bool, what: str) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn(f"[bold]{what}[/]"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total or None)

    with bar:
        yield update


def _run(
    ctx: Context, fmt: str, what: str, action: Callable[..., Any], path: Path, source: str | None
) -> None:
    from analysis.outcomes.imports import ImportFormatError

    engine = ctx.open_engine()
    show_bar = fmt == "table" and Console(stderr=True).is_terminal
    try:
        with _bar(show_bar, what) as progress:
            result = action(ctx.settings, engine, path, source, progress)
    except ImportFormatError as exc:
        raise click.ClickException(f"{exc}\nNothing was imported.") from None
    read, counts = result.read, result.counts
    summary = {
        "file": str(path),
        "rows": len(read.rows),
        "added": counts.added,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "attributed": result.attributed,
        "skipped": len(read.problems),
        "problems": read.problems,
    }
    if hasattr(read, "dropped"):
        summary.update(mapping=read.mapping, kept=read.kept, dropped=read.dropped)
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        for line in read.problems:
            click.echo(f"warning: {line}", err=True)
        click.echo(
            f"{path}: {len(read.rows)} {what} read; {counts.added} added, {counts.updated} "
            f"updated, {counts.unchanged} already there; {result.attributed} attributed to a "
            f"campaign, platform or partner; {len(read.problems)} rows skipped."
        )
        if hasattr(read, "dropped"):
            kept = ", ".join(f"{f} <- {c!r}" for f, c in read.kept.items())
            click.echo(f"Mapping: {read.mapping} ({kept}).")
            if read.dropped:
                click.echo("Not kept (personal or unused): " + ", ".join(read.dropped) + ".")
    if read.problems and not read.rows:
        raise click.exceptions.Exit(1)


@outcomes.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    default=None,
    metavar="NAME",
    help="The export's system: neogov, applitrack or spreadsheet picks that ready "
    "column mapping; any other name labels the rows [default: detected].",
)
@format_option("table", "json")
@pass_ctx
def import_(ctx: Context, file: Path, source: str | None, fmt: str) -> None:
    """Import an applicant-tracking CSV export (applications); re-importing changes nothing."""
    from beatpost.outcomes import import_applications

    _run(ctx, fmt, "applications", import_applications, file, source)


@outcomes.command("import-visits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    default=None,
    metavar="NAME",
    help="Label of the analytics tool [default: analytics].",
)
@format_option("table", "json")
@pass_ctx
def import_visits(ctx: Context, file: Path, source: str | None, fmt: str) -> None:
    """Import careers-page visits by utm tags (Plausible JSON, GA4 or Matomo CSV)."""
    from beatpost.outcomes import import_visits as run_import

    _run(ctx, fmt, "visit rows", run_import, file, source)


@outcomes.command("attribute")
@pass_ctx
def attribute_(ctx: Context) -> None:
    """Attribute every imported application and visit again (after campaign or partner
    changes)."""
    from beatpost.outcomes import rebuild_attribution

    apps, visits = rebuild_attribution(ctx.settings, ctx.open_engine())
    click.echo(f"Attribution rebuilt: {apps} applications and {visits} visit rows changed.")


__all__ = ["outcomes", "register"]
