"""Arguments at the edge of the calendar end in a clear error naming the option, never in
"This is a bug" (an OverflowError from a week or a date beyond what datetime holds)."""

from __future__ import annotations

import pytest

from beatpost.cli import main


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    for name in list(__import__("os").environ):
        if name.startswith("BEATPOST_"):
            monkeypatch.delenv(name)
    # East of UTC: a local date in year 1 is an instant before year 1 in UTC.
    (tmp_path / "beatpost.toml").write_text('default_timezone = "Asia/Tokyo"\n')
    return tmp_path


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (("report", "--week", "9999-W52"), "--week", "9999-W52"),
        (("report", "--week", "0001-W01"), "--week", "0001-W01"),
        (("report", "--week", "0000-W01"), "--week", "0000-W01"),
        (("digest", "--week", "9999-W52"), "--week", "9999-W52"),
        (("digest", "--week", "0001-W01"), "--week", "0001-W01"),
        (("digest", "--week", "0000-W01"), "--week", "0000-W01"),
        (("pull", "--since", "0001-01-01"), "--since", "0001-01-01 00:00"),
        (("pull", "--since", "9999-12-31"), "--since", "9999-12-31 00:00"),
    ],
)
def test_out_of_range_week_or_date_is_a_clear_error(workspace, capsys, args, option, value):
    code = main(["--config", str(workspace / "beatpost.toml"), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "This is a bug" not in err
    assert f"Invalid value for {option}: '{value}' is out of range: give a date in the years" in err


@pytest.mark.parametrize(
    "args", [("report", "--week", "9998-W52"), ("report", "--week", "1971-W01")]
)
def test_weeks_at_the_ends_of_the_range_are_reported(workspace, capsys, args):
    code = main(["--config", str(workspace / "beatpost.toml"), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "No posts were published this week." in out
