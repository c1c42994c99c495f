"""The progress bar of pull, rescore and the outcome imports (beatpost/commands/progress.py)."""

from rich.progress import MofNCompleteColumn

from beatpost.commands.progress import progress_bar


def test_no_bar_when_disabled():
    with progress_bar(False, "pull") as update:
        assert update is None


def test_the_bar_takes_counts_with_or_without_a_description(capsys):
    with progress_bar(True, "rescore", MofNCompleteColumn()) as update:
        assert update is not None
        update(0, 0)  # total not known yet
        update(3, 10, "x")
        update(10, 10)
    assert capsys.readouterr().out == ""  # drawn on stderr, never mixed into the output
