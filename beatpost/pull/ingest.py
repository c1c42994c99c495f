"""Scoring comments on ingest: the triage (stance, flags, language) and the sentiment view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from store.metrics import CommentScores


@dataclass(frozen=True)
class Scored:
    label: str | None
    score: float | None
    flags: frozenset[str]
    stance: str | None = None
    stance_score: float | None = None
    lang: str | None = None

    def stored(self) -> CommentScores:
        """The scores as the store keeps them."""
        return CommentScores(
            self.label, self.score, frozenset(self.flags), self.stance, self.stance_score, self.lang
        )


#: Scores a batch of comment texts, one ``Scored`` per text, in order.
Scorer = Callable[[Sequence[str]], list[Scored]]


def sentiment_scorer(model: str) -> Scorer:
    """The production scorer: ``analysis.triage`` for stance, flags and language.

    The sentiment label is the stance's older view (critical -> negative) with the
    ``default`` model; another model (``vader``, ``textblob``) sets the label and
    score itself. ``negative`` stays among the flags for readers that count it.
    """

    def score(texts: Sequence[str]) -> list[Scored]:
        if not texts:
            return []
        # Imported on first use: loading the models costs time a pull without comments skips.
        from analysis.sentiment import classify
        from analysis.triage import triage

        results = triage(list(texts))
        sentiments = (
            [r.sentiment for r in results]
            if model == "default"
            else classify(list(texts), model=model)
        )
        if len(results) != len(texts) or len(sentiments) != len(texts):
            raise RuntimeError(
                f"sentiment model {model!r} returned {len(sentiments)} results "
                f"for {len(texts)} texts"
            )
        return [
            Scored(
                s.label,
                float(s.score),
                r.flags | ({"negative"} if s.label == "negative" else set()),
                r.stance,
                r.score,
                r.lang,
            )
            for r, s in zip(results, sentiments, strict=True)
        ]

    return score
