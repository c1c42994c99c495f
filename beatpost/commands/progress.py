"""The progress bar the long commands draw on stderr (pull, rescore, outcome imports)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn

from beatpost import display

Update = Callable[..., None]  # update(done, total, description="")


@contextmanager
def progress_bar(enabled: bool, label: str, *counter: ProgressColumn) -> Iterator[Update | None]:
    """A bar titled ``label``, its count drawn by ``counter``; yields ``update(done, total,
    description="")`` (a total of 0: not known yet), or None when ``enabled`` is false."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn(f"[bold]{label}[/] {{task.description}}"),
        BarColumn(),
        *counter,
        TimeElapsedColumn(),
        console=display.progress_console(),
        transient=True,
    )
    task = bar.add_task("", total=None)

    def update(done: int, total: int, description: str = "") -> None:
        bar.update(task, completed=done, total=total or None, description=description)

    with bar:
        yield update
