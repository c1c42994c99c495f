"""``beatpost rescore``: score stored comments again with the current models."""

from __future__ import annotations

import click
from rich.progress import MofNCompleteColumn, TextColumn

from beatpost.commands.progress import progress_bar
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
    counter = MofNCompleteColumn(), TextColumn("comments")
    with progress_bar(not no_progress, "rescore", *counter) as update:
        done = rescore_comments(engine, scorer, update)
    echo(f"re-scored {done} comments")
