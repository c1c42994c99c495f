"""Scoring triage against a labelled comment set (tests/data/comments_*.csv).

The CSV columns are ``text, stance, needs_reply, hostile, safety, lang`` (flags as
0/1). Used by ``bench/triage.py`` and the tests; not needed at run time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.flags import HOSTILE, NEEDS_REPLY, SAFETY
from analysis.triage import STANCES, Triage, triage

FLAG_COLUMNS = (NEEDS_REPLY, HOSTILE, SAFETY)  # the CSV's columns are the flags' own names


@dataclass(frozen=True)
class LabelledComment:
    text: str
    stance: str
    flags: frozenset[str]
    lang: str


def load(path: Path) -> list[LabelledComment]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for line, row in enumerate(rows, start=2):
        if row["stance"] not in STANCES:
            raise ValueError(
                f"{path}:{line}: stance must be one of {STANCES}, not {row['stance']!r}"
            )
        flags = frozenset(c for c in FLAG_COLUMNS if row[c].strip() == "1")
        out.append(LabelledComment(row["text"], row["stance"], flags, row["lang"]))
    return out


@dataclass(frozen=True)
class Figures:
    """Precision and recall per label, stance macro recall, and the guard rails."""

    per_label: dict[str, tuple[float, float, int]]  # label -> (precision, recall, support)
    stance_macro_recall: float
    spanish_stance_macro_recall: float
    supportive_flagged_hostile: float
    lang_accuracy: float


def _precision_recall(truth: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, int]:
    tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
    positives = sum(predicted)
    support = sum(truth)
    return (tp / positives if positives else 1.0, tp / support if support else 1.0, support)


def _macro_recall(truth: Sequence[str], predicted: Sequence[str]) -> float:
    recalls = [
        _precision_recall([t == s for t in truth], [p == s for p in predicted])[1]
        for s in STANCES
        if s in truth
    ]
    return sum(recalls) / len(recalls) if recalls else 1.0


def score(
    comments: Sequence[LabelledComment],
    run: Callable[[Sequence[str]], list[Triage]] = triage,
) -> tuple[Figures, list[Triage]]:
    results = run([c.text for c in comments])
    per_label = {}
    for stance in STANCES:
        per_label[stance] = _precision_recall(
            [c.stance == stance for c in comments], [r.stance == stance for r in results]
        )
    for flag in FLAG_COLUMNS:
        per_label[flag] = _precision_recall(
            [flag in c.flags for c in comments], [flag in r.flags for r in results]
        )
    spanish = [i for i, c in enumerate(comments) if c.lang == "es"]
    supportive = [i for i, c in enumerate(comments) if c.stance == "supportive"]
    figures = Figures(
        per_label=per_label,
        stance_macro_recall=_macro_recall(
            [c.stance for c in comments], [r.stance for r in results]
        ),
        spanish_stance_macro_recall=_macro_recall(
            [comments[i].stance for i in spanish], [results[i].stance for i in spanish]
        ),
        supportive_flagged_hostile=(
            sum(HOSTILE in results[i].flags for i in supportive) / len(supportive)
            if supportive
            else 0.0
        ),
        lang_accuracy=sum(c.lang == r.lang for c, r in zip(comments, results, strict=True))
        / max(1, len(comments)),
    )
    return figures, results
