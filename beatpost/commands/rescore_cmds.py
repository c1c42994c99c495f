"""``beatpost rescore``: score stored comments again with the current models."""

from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from beatpost import display
from beatpost.context import Context, pass_ctx
from beatpost.display import echo


def register(cli: click.Group) -> None:
    cli.add_command(rescore)


@click.command()
@click.option("--no-progress", is_flag=True, help="Do not draw the progress bar.")
@pass_ctx
def rescore(ctx: Context, no_progress: bool) -> None:
    """Re-score stored comments: stance, flags (incl. safety) and language."""
    from beatpost.pull.ingest import sentiment_scorer
    from beatpost.pull.rescore import rescore_comments

    engine = ctx.open_engine()
    scorer = sentiment_scorer(ctx.settings.sentiment_model)
    if no_progress:
        done = rescore_comments(engine, scorer)
    else:
        bar = Progress(
            TextColumn("[bold]rescore[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("comments"),
            TimeElapsedColumn(),
            console=display.progress_console(),
            transient=True,
        )
        task = bar.add_task("", total=None)
        with bar:
            done = rescore_comments(
                engine, scorer, lambda n, total: bar.update(task, completed=n, total=total)
            )
    echo(f"re-scored {done} comments")
