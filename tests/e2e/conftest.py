"""End-to-end fixtures: one shortened rehearsal shared by the demo tests (it takes seconds)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from beatpost.demo import DemoOptions, DemoResult, run_demo


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's settings, not the developer's."""
    for name in list(os.environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoResult, Path]]:
    """Three simulated days of the example campaign, workspace kept for inspection."""
    root = tmp_path_factory.mktemp("rehearsal")
    result = run_demo(DemoOptions(out_dir=root / "out", days=3, workspace=root / "ws"))
    yield result, root
