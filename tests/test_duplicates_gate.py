"""`make lint`'s copy check (tools/duplicates_gate.py): what it counts, when it fails, skips."""

import importlib.util
import os
import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("duplicates_gate", ROOT / "tools/duplicates_gate.py")
assert _spec and _spec.loader
gate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = gate  # dataclasses look their module up there
_spec.loader.exec_module(gate)

HEAD = "12 pairs of places (300 files read), each sharing runs of 6 or more lines"


def _rows(*pairs: str) -> str:
    return "\n".join([HEAD, *(f"D{i} {p}" for i, p in enumerate(pairs, 1))])


def test_pairs_with_a_side_in_tests_bench_or_a_migration_are_not_counted():
    result = gate.count(
        _rows(
            "store/sync.py:1-9 ~ store/inbox.py:4-12 shape",
            "tests/store/test_sync.py:1-9 ~ store/sync.py:20-28",
            "bench/pull.py:1-9 ~ bench/digest.py:1-9 shape boilerplate",
            "store/metrics.py:31-39 ~ store/migrations/versions/0002_metrics.py:14-22",
            "analysis/tests_helper.py:1-6 ~ beatpost/benchmarks.py:1-6",
        )
    )
    assert [r.split()[1] for r in result.counted] == [
        "store/sync.py:1-9",
        "analysis/tests_helper.py:1-6",
    ]
    assert result.not_counted == {"tests/": 1, "bench/": 1, "store/migrations/versions/": 1}
    assert result.passes


def test_one_pair_over_the_ceiling_fails_and_the_ceiling_passes():
    pairs = [f"a{i}.py:1-6 ~ b{i}.py:1-6" for i in range(gate.CEILING)]
    assert gate.count(_rows(*pairs)).passes
    assert not gate.count(_rows(*pairs, "c.py:1-6 ~ d.py:1-6")).passes


def test_a_cut_or_incomplete_list_fails_since_its_count_may_be_low():
    cut = gate.count(_rows("a.py:1-6 ~ b.py:1-6") + "\n(+3 more pairs)")
    assert cut.unlisted == 3 and not cut.passes
    assert "3 more pairs" in gate.report(cut)
    late = gate.count(_rows("a.py:1-6 ~ b.py:1-6") + "\nincomplete: time: 40 files not read")
    assert not late.passes
    assert "incomplete: time" in gate.report(late)


def _tool(bin_dir: Path, output: str) -> None:
    tool = bin_dir / "duplicates"
    tool.write_text(f"#!/bin/sh\ncat <<'END'\n{output}\nEND\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)


@pytest.mark.skipif(os.name != "posix", reason="the stand-in tool is a shell script")
def test_main_runs_the_tool_and_exits_by_the_count(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin{os.pathsep}/bin")
    _tool(tmp_path, _rows("store/a.py:1-6 ~ store/b.py:1-6"))
    assert gate.main(ROOT) == 0
    assert "1 pairs counted" in capsys.readouterr().out
    _tool(tmp_path, _rows(*[f"a{i}.py:1-6 ~ b{i}.py:1-6" for i in range(gate.CEILING)]))
    assert gate.main(ROOT) == 0
    assert f"{gate.CEILING} pairs counted" in capsys.readouterr().out
    _tool(tmp_path, _rows(*[f"a{i}.py:1-6 ~ b{i}.py:1-6" for i in range(gate.CEILING + 1)]))
    assert gate.main(ROOT) == 1
    assert f"{gate.CEILING + 1} pairs counted" in capsys.readouterr().out


def test_main_skips_and_says_why_where_the_tool_is_not_installed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert gate.main(ROOT) == 0
    assert "skipped, the `duplicates` tool is not on PATH" in capsys.readouterr().out
