"""Train the Spanish half of the default sentiment model.

    python -m analysis.train_sentiment_es [--data-dir ../shared/data/sentiment_multilingual]

The model has the same layout as the English linear model (word and character
n-grams plus lexicon scores, see :mod:`analysis.sentiment_models.linear`), fitted
on the Spanish training split of XLM-T's multilingual tweets. The regularisation
is chosen on 15 % of the training split held out; the validation split is only
measured, never used to choose. Writes ``analysis/sentiment_models/default_es.npz``
and its model card ``default_es.json``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.linear import LinearSentimentModel
from analysis.train_sentiment import (
    CLASSES,
    HELD_OUT_FRACTION,
    MODEL_DIR,
    Labelled,
    _Featurizer,
    _fit,
    held_out_matrices,
    linear_model,
    macro_recall,
    trainer_main,
)

DEFAULT_DATA_DIR = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment_multilingual"
)
DEFAULT_OUTPUT = MODEL_DIR / "default_es.npz"
C_GRID = (1.0, 3.0, 10.0, 30.0)


def load_split(data_dir: Path, language: str, split: str) -> Labelled:
    """One split of the multilingual set: texts and labels (0 negative, 1 neutral, 2 positive)."""
    text_path = data_dir / f"{language}_{split}_text.txt"
    label_path = data_dir / f"{language}_{split}_labels.txt"
    texts = text_path.read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in label_path.read_text(encoding="utf-8").split()])
    if len(texts) != len(labels):
        raise ValueError(
            f"{text_path}: {len(texts)} texts but {len(labels)} labels in {label_path}"
        )
    return Labelled(texts, labels)


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for k in range(len(CLASSES)):
        tp = np.sum((predicted == k) & (truth == k))
        precision = tp / max(1, np.sum(predicted == k))
        recall = tp / max(1, np.sum(truth == k))
        scores.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return float(np.mean(scores))


def train(data_dir: Path, seed: int = 0, log=print) -> tuple[LinearSentimentModel, dict]:
    data = load_split(data_dir, "spanish", "train")
    normalized = [features.normalize(t) for t in data.texts]
    lexicon = np.array([features.lexicon_features(t) for t in data.texts])
    fit_x, fit_y, held_x, held_y = held_out_matrices(normalized, lexicon, data.labels, seed)
    selection = {}
    for c in C_GRID:
        selection[c] = macro_f1(held_y, _fit(fit_x, fit_y, c).predict(held_x))
        log(f"C={c}: held-out macro-F1 {selection[c]:.4f}")
    best_c = max(C_GRID, key=lambda c: (selection[c], -c))
    log(f"chose C={best_c}")
    featurizer = _Featurizer()
    final = _fit(featurizer.fit_transform(normalized, lexicon), data.labels, best_c)
    model = linear_model(
        featurizer, CLASSES, final.coef_.T.copy(), final.intercept_.copy(), normalized
    )
    val = load_split(data_dir, "spanish", "val")
    predicted = model.probabilities(val.texts).argmax(axis=1)
    card = {
        "trained_on": ["xlm-t spanish train"],
        "training_texts": len(data.texts),
        "classifier": "LogisticRegression(class_weight='balanced')",
        "C": best_c,
        "selection": {
            "held_out_fraction": HELD_OUT_FRACTION,
            "held_out_macro_f1_by_C": {str(c): round(s, 4) for c, s in selection.items()},
        },
        "validation_macro_f1": round(macro_f1(val.labels, predicted), 4),
        "validation_macro_recall": round(macro_recall(val.labels, predicted), 4),
    }
    log(f"Spanish validation macro-F1 {card['validation_macro_f1']}")
    return model, card


def main(argv: Sequence[str] | None = None) -> int:
    return trainer_main(__doc__, DEFAULT_DATA_DIR, DEFAULT_OUTPUT, train, argv)


if __name__ == "__main__":
    sys.exit(main())
