"""Scoring comments on ingest: sentiment label and score, then the review flags."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scored:
    label: str | None
    score: float | None
    flags: frozenset[str]


#: Scores a batch of comment texts, one ``Scored`` per text, in order.
Scorer = Callable[[Sequence[str]], list[Scored]]


def sentiment_scorer(model: str) -> Scorer:
    """The production scorer: ``analysis.sentiment.classify`` then ``analysis.flags``."""

    def score(texts: Sequence[str]) -> list[Scored]:
        if not texts:
            return []
        # Imported on first use: loading the model costs time a pull without comments skips.
        from analysis.flags import flag_comment
        from analysis.sentiment import classify

        results = classify(list(texts), model=model)
        if len(results) != len(texts):
            raise RuntimeError(
                f"sentiment model {model!r} returned {len(results)} results for {len(texts)} texts"
            )
        return [
            Scored(r.label, float(r.score), frozenset(flag_comment(text, r)))
            for text, r in zip(texts, results, strict=True)
        ]

    return score
