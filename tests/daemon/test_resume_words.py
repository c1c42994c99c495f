"""What `beatpost resume` says when nothing was due during the pause."""

from __future__ import annotations

import pytest

from .test_cli import run, workspace  # noqa: F401 (a fixture)


@pytest.mark.parametrize("catch_up", [[], ["--catch-up"]])
def test_resume_with_nothing_due_says_so_in_words(workspace, capsys, catch_up):  # noqa: F811
    """It said "0 delivery(ies) that passed during the pause were skipped." """
    run(workspace, capsys, "sync")
    code, _, err = run(workspace, capsys, "pause", "--reason", "Press conference")
    assert code == 0, err
    code, out, err = run(workspace, capsys, "resume", *catch_up)
    assert code == 0, err
    assert "No post was due during the pause: nothing was skipped." in out
    assert "0 delivery" not in out
