"""The daemon's bounded read of the campaign files (beatpost/isolated_read.py): a read past
its time bound makes the slow file invalid and the others sync; a stop ends a read at once."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from beatpost.isolated_read import ReadStopped, read_plans
from config import Settings
from tests.daemon.test_hostile_files_property import campaign
from tests.reliability.test_hostile_files import _posts_file

NOW = datetime.now(UTC)


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "good.yaml").write_text(campaign(id="good", name="Good"))
    (tmp_path / "campaigns" / "slow.yaml").write_text(_posts_file(40_000))
    return Settings(workspace=tmp_path)


@pytest.mark.slow
def test_a_file_read_past_the_time_bound_is_invalid_and_the_others_sync(settings):
    plans = read_plans(settings, NOW, seconds=3)
    assert plans.valid_files == ["campaigns/good.yaml"]
    [problem] = plans.invalid_files["campaigns/slow.yaml"]
    assert (problem["line"], problem["column"]) == (1, 1)
    assert problem["message"].startswith("this file took longer than 3 s to read")
    assert {p.post_id for p in plans.plans} == {"good-post"}


@pytest.mark.slow
def test_a_stop_ends_a_read_in_progress_at_once(settings):
    started = time.monotonic()
    with pytest.raises(ReadStopped):
        read_plans(settings, NOW, lambda: time.monotonic() - started > 1.0)
    assert time.monotonic() - started < 3
