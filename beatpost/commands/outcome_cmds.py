"""``beatpost outcomes``: import applications and careers-page visits, attribute them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click
from rich.progress import DownloadColumn
from rich.table import Table

from analysis.timeframe import IsoWeek
from beatpost import display
from beatpost.commands.progress import progress_bar
from beatpost.context import Context, format_option, pass_ctx
from beatpost.display import cell, echo, echo_json


def register(cli: click.Group) -> None:
    cli.add_command(outcomes)


@click.group()
def outcomes() -> None:
    """Import applications and careers-page visits; see which posts and partners brought
    applicants (docs/outcomes.md)."""


# What the progress bar and the summary call an export's rows.
_ROWS = {"applications": "applications", "visits": "visit rows"}


def _run(
    ctx: Context, fmt: str, what: Literal["applications", "visits"], path: Path, source: str | None
) -> None:
    from analysis.outcomes.imports import ImportFormatError
    from beatpost.outcomes import OutcomesError, import_outcomes

    engine = ctx.open_engine()
    show_bar = fmt == "table" and display.progress_console().is_terminal
    try:
        with progress_bar(show_bar, _ROWS[what], DownloadColumn()) as progress:
            result = import_outcomes(ctx.settings, engine, what, path, source, progress)
    except (ImportFormatError, OutcomesError) as exc:
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
        echo_json(summary)
    else:
        for line in read.problems:
            echo(f"warning: {line}", err=True)
        echo(
            f"{path}: {len(read.rows)} {_ROWS[what]} read; {counts.added} added, {counts.updated} "
            f"updated, {counts.unchanged} already there; {result.attributed} attributed to a "
            f"campaign, platform or partner; {len(read.problems)} rows skipped."
        )
        if hasattr(read, "dropped"):
            kept = ", ".join(f"{f} <- {c!r}" for f, c in read.kept.items())
            echo(f"Mapping: {read.mapping} ({kept}).")
            if read.dropped:
                echo("Not kept (personal or unused): " + ", ".join(read.dropped) + ".")
    if read.problems and not read.rows:
        raise click.exceptions.Exit(1)


def _export_file(source_help: str) -> Callable[[Callable[..., Any]], Any]:
    """The import commands' arguments: the export FILE, its --source and --format."""

    def decorate(command: Callable[..., Any]) -> Any:
        command = format_option()(pass_ctx(command))
        command = click.option("--source", default=None, metavar="NAME", help=source_help)(command)
        exists = click.Path(exists=True, dir_okay=False, path_type=Path)
        return click.argument("file", type=exists)(command)

    return decorate


@outcomes.command("import")
@_export_file(
    "The export's system: neogov, applitrack or spreadsheet picks that ready "
    "column mapping; any other name labels the rows [default: detected]."
)
def import_(ctx: Context, file: Path, source: str | None, fmt: str) -> None:
    """Import an applicant-tracking CSV export (applications); re-importing changes nothing."""
    _run(ctx, fmt, "applications", file, source)


@outcomes.command("import-visits")
@_export_file("Label of the analytics tool [default: analytics].")
def import_visits(ctx: Context, file: Path, source: str | None, fmt: str) -> None:
    """Import careers-page visits by utm tags (Plausible JSON, GA4 or Matomo CSV)."""
    _run(ctx, fmt, "visits", file, source)


@outcomes.command("attribute")
@pass_ctx
def attribute_(ctx: Context) -> None:
    """Attribute every imported application and visit again (after campaign or partner
    changes)."""
    from beatpost.outcomes import rebuild_attribution

    apps, visits = rebuild_attribution(ctx.settings, ctx.open_engine())
    echo(f"Attribution rebuilt: {apps} applications and {visits} visit rows changed.")


__all__ = ["outcomes", "register"]


# -- beatpost report --outcomes ----------------------------------------------------------------


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def outcome_tables(result: Any) -> list[Table]:
    """The week's outcomes as tables: the funnel, then one table per grouping."""
    funnel, before = result.funnel, result.previous_funnel
    head = Table(title=f"Applications {result.week} ({result.timezone})", title_justify="left")
    for name in ("", "this week", "previous week"):
        head.add_column(name, justify="left" if not name else "right")
    head.add_row(
        "reached (audience of the week's posts)", f"{funnel.reached:,}", f"{before.reached:,}"
    )
    head.add_row("link clicks", f"{funnel.link_clicks:,}", f"{before.link_clicks:,}")
    head.add_row("careers-page visits", f"{funnel.visits:,}", f"{before.visits:,}")
    head.add_row("applications", f"{funnel.applications:,}", f"{before.applications:,}")
    head.add_row("  per 1,000 reached", _rate(funnel.per_1000), _rate(before.per_1000))
    head.add_row("  attributed to nothing", str(result.unattributed), "")
    head.add_row(
        "to date: applications / tested / hired",
        f"{result.applications_to_date} / {result.tested_to_date} / {result.hires_to_date}",
        "",
    )
    tables = [head]
    for dimension, groups in (
        ("campaign", result.by_campaign),
        ("kind", result.by_kind),
        ("platform", result.by_platform),
        ("partner", result.by_partner),
    ):
        if not groups:
            continue
        table = Table(title=f"Applications by {dimension}", title_justify="left")
        table.add_column(dimension)
        for name in ("this week", "previous", "to date", "hired", "visits", "per 1,000 reached"):
            table.add_column(name, justify="right")
        for g in groups:
            table.add_row(
                cell(g.key),
                str(g.applications),
                str(g.previous),
                str(g.to_date),
                str(g.hires_to_date),
                str(g.visits),
                _rate(g.per_1000),
            )
        tables.append(table)
    return tables


def print_outcomes(engine: Any, week: IsoWeek, zone: Any, fmt: str) -> None:
    from analysis.outcomes.summary import outcomes_week
    from store.engine import read_session

    with read_session(engine) as session:
        result = outcomes_week(session, week, zone)
    if fmt == "json":
        echo_json(result.to_json())
        return
    console = display.console()
    if result.empty:
        console.print("No applications or visits imported yet: see `beatpost outcomes import`.")
        return
    for table in outcome_tables(result):
        console.print(table)
