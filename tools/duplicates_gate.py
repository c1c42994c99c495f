"""`make lint`'s copy check on pairs of places sharing six or more lines: the goal is fewer than
10; until the tree gets there, the check fails when a change adds pairs above ``CEILING``
(today's count, lowered as copies go).

It runs the `duplicates` tool over the tree and counts the pairs that have no side in the
folders below; where the tool is not installed it says so and passes (nothing was checked).
Why those folders are not counted: docs/architecture.md, "Copies".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

LIMIT = 10  # the goal: fewer pairs than this
CEILING = 23  # today's count: a change may not add pairs; lower it when copies go
COMMAND = ["duplicates", "--most", "200", "--seconds", "120"]
NOT_COUNTED = {
    "tests/": "tests repeat set-ups on purpose, each test readable alone",
    "bench/": "benchmarks are stand-alone scripts",
    "store/migrations/versions/": "a migration is history: it spells out the tables as they "
    "were and must not import today's models",
}

_ROW = re.compile(r"^D\d+ (?P<a>\S+):\d+-\d+ ~ (?P<b>\S+):\d+-\d+")
_MORE = re.compile(r"^\(\+(\d+) more pairs\)")


@dataclass
class Count:
    counted: list[str] = field(default_factory=list)
    not_counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NOT_COUNTED, 0))
    unlisted: int = 0  # pairs past --most, not seen
    incomplete: list[str] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return (
            len(self.counted) <= max(CEILING, LIMIT - 1)
            and not self.unlisted
            and not self.incomplete
        )


def count(output: str) -> Count:
    """Sort the tool's rows into counted and not counted."""
    result = Count()
    for line in output.splitlines():
        if row := _ROW.match(line):
            folder = next((f for f in NOT_COUNTED if any(row[s].startswith(f) for s in "ab")), None)
            if folder is None:
                result.counted.append(line)
            else:
                result.not_counted[folder] += 1
        elif more := _MORE.match(line):
            result.unlisted = int(more[1])
        elif line.startswith("incomplete:"):
            result.incomplete.append(line)
    return result


def report(result: Count) -> str:
    lines = [*result.counted, ""]
    lines.append(
        f"duplicates: {len(result.counted)} pairs counted (at most {CEILING} allowed today; "
        f"the goal: fewer than {LIMIT})"
    )
    for folder, n in result.not_counted.items():
        lines.append(f"  not counted: {n} with a side in {folder} ({NOT_COUNTED[folder]})")
    if result.unlisted:
        lines.append(
            f"  {result.unlisted} more pairs were past the tool's --most 200 and not seen: "
            "the count may be low, so the check fails until the tree has fewer"
        )
    lines.extend(f"  {line}" for line in result.incomplete)
    return "\n".join(lines)


def main(root: Path) -> int:
    if shutil.which(COMMAND[0]) is None:
        print(
            "duplicates: skipped, the `duplicates` tool is not on PATH "
            "(a development aid, not part of beatpost); copies were not checked"
        )
        return 0
    done = subprocess.run(COMMAND, cwd=root, capture_output=True, text=True, check=False)
    result = count(done.stdout)
    if done.returncode != 0:
        result.incomplete.append(f"incomplete: the tool exited with {done.returncode}")
    print(report(result))
    return 0 if result.passes else 1


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent.parent))
