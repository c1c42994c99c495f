"""Comment triage and sentiment models: quality and speed.

    python bench/triage.py [--data DIR]

Per model it prints TweetEval validation macro recall (sentiment), Spanish validation
macro-F1 (XLM-T multilingual tweets), and for the triage step the hostile flag's macro-F1
on OLID (offensive) and HatEval (hate) validation, our labelled comment sets per label
(tests/data/comments_*.csv): first any blind test (a file there in neither
``analysis.train_triage.FILES`` nor ``READ_NOT_FITTED``, which no rule and no model was
fitted on: today comments_heldout76.csv to comments_heldout79.csv, written in round 39
and scored on round 39's final layer, their misses unread; comments_heldout4.csv to
comments_heldout75.csv were such files until scored and read, and docs/sentiment.md keeps
their blind figures); then the files read but not fitted on (since round 34: heldout40 to
heldout43, whose misses round 34's rules were written from, and train39 to train41; since
round 35, heldout44 to heldout47, whose lost leads round 35's rules were written from;
since round 36, heldout48 to heldout51, whose lost leads and missed threats round 36's
rules were written from; since round 37, heldout52 to heldout55, whose lost leads and
missed threats round 37's rules were written from; since round 38, heldout56 to
heldout59 and, scored blind first, heldout60 to heldout63, whose lost leads, missed threats
and false threats round 38's rules were written from; since round 39, heldout64 to
heldout75, scored blind first (64 to 67 on round 38's final layer, 68 to 71 and 72 to 75
on two of round 39's cycles), whose misses round 39's rules were written from); then, for
comparison only, the files the rules were tuned on and the learned layer was fitted on,
comments_train1.csv to comments_train38.csv among them (their figures are optimistic), and
comments per second on
one core, cold: the timed texts are tweets the process has not seen (only 200 training
texts warm it up), so no cache has them (the models' per-word caches filled by one round
are kept for the next, as in a daemon that has run a while). The machine's speed varies by
the hour, so triage is timed in three rounds, each beside VADER on the same texts, and the
ratio of the two is printed with the rates.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _variable in (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "RAYON_NUM_THREADS",
):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis.sentiment import LABELS, classify  # noqa: E402
from analysis.train_hostile import binary_macro_f1, load_binary  # noqa: E402
from analysis.train_sentiment import load_tweeteval, macro_recall  # noqa: E402
from analysis.train_sentiment_es import load_split, macro_f1  # noqa: E402
from analysis.train_triage import FILES as FITTED  # noqa: E402
from analysis.train_triage import READ_NOT_FITTED  # noqa: E402
from analysis.triage import hostile_probabilities, triage  # noqa: E402
from analysis.triage_eval import load, score  # noqa: E402

DEFAULT_DATA = REPO / ".." / "shared" / "data"
COMMENTS = REPO / "tests" / "data"
FITTED_ON = [COMMENTS / name for name in FITTED]
READ = [COMMENTS / name for name in READ_NOT_FITTED]
BLIND = sorted(
    p for p in COMMENTS.glob("comments_*.csv") if p.name not in (*FITTED, *READ_NOT_FITTED)
)


def _rate(read: Callable[[list[str]], object], texts: list[str]) -> float:
    """Comments per second of CPU time that ``read`` takes over ``texts``."""
    started = time.process_time()
    read(texts)
    return len(texts) / (time.process_time() - started)


def _sentiment_ids(model: str, texts: list[str]) -> np.ndarray:
    return np.array([LABELS.index(s.label) for s in classify(texts, model=model)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    val = load_tweeteval(args.data / "sentiment", "val")
    train = load_tweeteval(args.data / "sentiment", "train")
    spanish = load_split(args.data / "sentiment_multilingual", "spanish", "val")

    # Speed first, while the timed texts are unseen: warm with 200 training texts only.
    # The machine's speed varies by the hour (other work on its cores), so each round times
    # triage on 1,000 texts it has not seen and, right after, VADER on the same texts:
    # the ratio of the two holds where the rates alone do not.
    triage(list(train.texts[:200]))
    classify(list(train.texts[:200]), model="vader")
    rounds = [list(val.texts[:1000]), list(val.texts[1000:2000]), list(train.texts[-3000:-2000])]
    triage_rates, vader_rates = [], []
    for cold in rounds:
        triage_rates.append(_rate(triage, cold))
        vader_rates.append(_rate(lambda texts: classify(texts, model="vader"), cold))
    ratios = [t / v for t, v in zip(triage_rates, vader_rates, strict=True)]
    # The default sentiment model alone, on 2,000 other texts this process has not seen.
    unseen = list(train.texts[-2000:])
    sentiment_rate = _rate(classify, unseen)

    print("sentiment (label = stance's older view for triage)")
    for model in ("default", "vader", "textblob"):
        tweeteval = macro_recall(val.labels, _sentiment_ids(model, list(val.texts)))
        es = macro_f1(spanish.labels, _sentiment_ids(model, list(spanish.texts)))
        print(f"  {model:9s} TweetEval val macro recall {tweeteval:.4f}", end="  ")
        print(f"Spanish val macro-F1 {es:.4f}")
    es_triage = triage(list(spanish.texts))
    stance_ids = np.array(
        [("critical", "neutral", "supportive").index(t.stance) for t in es_triage]
    )
    es_f1 = macro_f1(spanish.labels, stance_ids)
    print(f"  triage    Spanish val macro-F1 (stance as sentiment) {es_f1:.4f}")

    card = REPO / "analysis" / "sentiment_models" / "hostile.json"
    threshold = json.loads(card.read_text())["threshold"]
    print("hostile, validation macro-F1: the model alone (threshold", threshold, end=") ")
    print("and the triage flag (rules, plus the model where it is very sure)")
    for name in ("offensive", "hate"):
        texts, labels = load_binary(args.data, name, "val")
        alone = (hostile_probabilities(texts) >= threshold).astype(int)
        flag = np.array([int("hostile" in t.flags) for t in triage(texts)])
        label = {"offensive": "OLID", "hate": "HatEval"}[name]
        print(f"  {label:8s} model {binary_macro_f1(labels, alone):.4f}", end="  ")
        print(f"triage flag {binary_macro_f1(labels, flag):.4f}")

    for path in [*BLIND, *READ, *FITTED_ON]:
        comments = load(path)
        figures, _ = score(comments)
        part = (
            "fitted on, for comparison only"
            if path in FITTED_ON
            else "read, not fitted on"
            if path in READ
            else "blind test"
        )
        print(f"domain set, {part} ({path.name}, {len(comments)} comments)")
        for label, (precision, recall, support) in figures.per_label.items():
            print(f"  {label:12s} precision {precision:.2f}  recall {recall:.2f}  (n={support})")
        print(
            f"  stance macro recall {figures.stance_macro_recall:.3f}; Spanish stance macro recall "
            f"{figures.spanish_stance_macro_recall:.3f}; supportive flagged hostile "
            f"{figures.supportive_flagged_hostile:.1%}; "
            f"language accuracy {figures.lang_accuracy:.3f}"
        )
    print(
        f"speed, one core, cold ({len(rounds)} rounds of {len(rounds[0]):,} unseen texts; "
        f"median and range): triage {statistics.median(triage_rates):,.0f} comments/s "
        f"({min(triage_rates):,.0f}-{max(triage_rates):,.0f}); VADER on the same texts "
        f"{statistics.median(vader_rates):,.0f}/s; triage / VADER "
        f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
    )
    print(
        f"       default sentiment model {sentiment_rate:,.0f} comments/s, one core, cold "
        f"({len(unseen)} unseen training texts)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
