"""The daemon's bounded read of the campaign files (beatpost/isolated_read.py): a read past
its time bound makes the slow file invalid and the others sync; a stop ends a read at once;
a reader that crashes makes only the file that crashed it invalid.

Files large enough to be slow, or able to crash the reader, are refused by the limits of
campaigns/bounds.py before they are read. So the reader is made slow (or made to crash) for
one legal file instead: the children are forked from this process, which carries a
``load_plans`` that sleeps (or kills itself) when asked to read ``slow.yaml``."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import time
from datetime import UTC, datetime

import pytest

from beatpost import isolated_read
from beatpost.campaign_sync import campaign_files
from beatpost.isolated_read import ReadStopped, read_plans
from config import Settings
from tests.daemon.test_hostile_files_property import campaign

NOW = datetime.now(UTC)


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "good.yaml").write_text(campaign(id="good", name="Good"))
    (tmp_path / "campaigns" / "slow.yaml").write_text(campaign(id="slow", name="Slow"))
    return Settings(workspace=tmp_path)


def _reader_that(monkeypatch, misbehave) -> None:
    """Children forked from this process whose ``load_plans`` calls ``misbehave()`` before
    reading whenever ``slow.yaml`` is among the files to read."""
    load_plans = isolated_read.load_plans

    def reading(settings, now, *, only=None, broken=None):
        files = campaign_files(settings.campaigns_path) if only is None else only
        if any(f.name == "slow.yaml" for f in files if f not in (broken or {})):
            misbehave()
        return load_plans(settings, now, only=only, broken=broken)

    monkeypatch.setattr(isolated_read, "_CONTEXT", multiprocessing.get_context("fork"))
    monkeypatch.setattr(isolated_read, "load_plans", reading)


@pytest.mark.slow
def test_a_file_read_past_the_time_bound_is_invalid_and_the_others_sync(settings, monkeypatch):
    _reader_that(monkeypatch, lambda: time.sleep(600))
    plans = read_plans(settings, NOW, seconds=3)
    assert plans.valid_files == ["campaigns/good.yaml"]
    [problem] = plans.invalid_files["campaigns/slow.yaml"]
    assert (problem["line"], problem["column"]) == (1, 1)
    assert problem["message"].startswith("this file took longer than 3 s to read")
    assert {p.post_id for p in plans.plans} == {"good-post"}


@pytest.mark.slow
def test_a_stop_ends_a_read_in_progress_at_once(settings, monkeypatch):
    _reader_that(monkeypatch, lambda: time.sleep(600))
    started = time.monotonic()
    with pytest.raises(ReadStopped):
        read_plans(settings, NOW, lambda: time.monotonic() - started > 1.0)
    assert time.monotonic() - started < 3


@pytest.mark.slow
def test_a_file_that_crashes_the_reader_is_invalid_and_the_reading_process_lives_on(
    settings, monkeypatch
):
    def crash() -> None:
        faulthandler.disable()  # no traceback in the test output: the crash is the point
        os.kill(os.getpid(), signal.SIGSEGV)

    _reader_that(monkeypatch, crash)
    plans = read_plans(settings, NOW)
    assert plans.valid_files == ["campaigns/good.yaml"]
    [problem] = plans.invalid_files["campaigns/slow.yaml"]
    assert (problem["line"], problem["column"]) == (1, 1)
    assert problem["message"].startswith("this file crashed the reader (SIGSEGV")
    assert {p.post_id for p in plans.plans} == {"good-post"}


@pytest.mark.slow
def test_a_reader_that_exits_with_status_1_is_not_guessed_to_be_out_of_memory(
    settings, monkeypatch
):
    """A reader that ended with exit status 1 was reported as "exit status 1: more than 2048
    MB of memory?": a guess (memory running out is a MemoryError, reported as such)."""
    _reader_that(monkeypatch, lambda: os._exit(1))
    plans = read_plans(settings, NOW)
    assert plans.valid_files == ["campaigns/good.yaml"]
    [problem] = plans.invalid_files["campaigns/slow.yaml"]
    assert "memory" not in problem["message"]
    assert "exit status 1 without an answer" in problem["message"]
