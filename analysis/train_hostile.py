"""Train the hostile-comment model on TweetEval's offensive (OLID) and hate (HatEval) data.

    python -m analysis.train_hostile [--data-dir ../shared/data]

A linear model over the same word and character n-grams and lexicon scores as
the sentiment model (:mod:`analysis.sentiment_models.linear`), two classes
(``other``, ``hostile``), fitted on both training splits together (a text is
hostile when it is offensive or hateful). The regularisation and the decision
threshold are chosen on 15 % of the training data held out; the validation
splits are only measured. Writes ``analysis/sentiment_models/hostile.npz`` and
its card ``hostile.json``.

In triage the model only adds to the rules (threats, slurs, doxxing), and only
where the comment shows no praise: general offensive-language data counts
"fucking awesome" as offensive, a PIO does not.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.linear import LinearSentimentModel
from analysis.train_sentiment import (
    HELD_OUT_FRACTION,
    MODEL_DIR,
    WARM_WORDS,
    _Featurizer,
    held_out_matrices,
    linear_model,
    trainer_main,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
DEFAULT_OUTPUT = MODEL_DIR / "hostile.npz"
CLASSES = ("other", "hostile")
C_GRID = (0.5, 1.0, 2.0)
THRESHOLD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9)


def load_binary(data_dir: Path, name: str, split: str) -> tuple[list[str], np.ndarray]:
    text_path = data_dir / name / f"tweeteval_{name}_{split}_text.txt"
    label_path = data_dir / name / f"tweeteval_{name}_{split}_labels.txt"
    texts = text_path.read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in label_path.read_text(encoding="utf-8").split()])
    if len(texts) != len(labels):
        raise ValueError(f"{text_path}: {len(texts)} texts but {len(labels)} labels")
    return texts, labels


def binary_macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for k in (0, 1):
        tp = np.sum((predicted == k) & (truth == k))
        precision = tp / max(1, np.sum(predicted == k))
        recall = tp / max(1, np.sum(truth == k))
        scores.append(0.0 if tp == 0 else 2 * precision * recall / (precision + recall))
    return float(np.mean(scores))


def _fit(matrix, labels: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(matrix, labels)


def train(data_dir: Path, seed: int = 0, log=print) -> tuple[LinearSentimentModel, dict]:
    off_t, off_y = load_binary(data_dir, "offensive", "train")
    hate_t, hate_y = load_binary(data_dir, "hate", "train")
    texts, labels = off_t + hate_t, np.concatenate([off_y, hate_y])
    normalized = [features.normalize(t) for t in texts]
    lexicon = np.array([features.lexicon_features(t) for t in texts])
    fit_x, fit_y, held_x, held_y = held_out_matrices(normalized, lexicon, labels, seed)
    selection: dict[str, float] = {}
    best = (C_GRID[0], THRESHOLD_GRID[0], -1.0)
    for c in C_GRID:
        p = _fit(fit_x, fit_y, c).predict_proba(held_x)[:, 1]
        for threshold in THRESHOLD_GRID:
            score = binary_macro_f1(held_y, (p >= threshold).astype(int))
            selection[f"C={c},threshold={threshold}"] = round(score, 4)
            if score > best[2] + 1e-9:
                best = (c, threshold, score)
    c, threshold, held_score = best
    log(f"chose C={c}, threshold {threshold}: held-out macro-F1 {held_score:.4f}")
    featurizer = _Featurizer()
    final = _fit(featurizer.fit_transform(normalized, lexicon), labels, c)
    half = final.coef_[0] / 2
    # Softmax over (-z/2, z/2) is the logistic sigmoid of z: two classes, one weight vector.
    model = linear_model(
        featurizer,
        CLASSES,
        np.stack([-half, half], axis=1),
        np.array([-final.intercept_[0] / 2, final.intercept_[0] / 2]),
        normalized,
        warm=WARM_WORDS // 4,
    )
    card: dict = {
        "trained_on": ["tweeteval offensive train", "tweeteval hate train"],
        "training_texts": len(texts),
        "classifier": "LogisticRegression(class_weight='balanced')",
        "C": c,
        "threshold": threshold,
        "selection": {"held_out_fraction": HELD_OUT_FRACTION, "held_out_macro_f1": selection},
    }
    for name, label in (("offensive", "OLID"), ("hate", "HatEval")):
        val_t, val_y = load_binary(data_dir, name, "val")
        p = model.probabilities(val_t)[:, 1]
        score = round(binary_macro_f1(val_y, (p >= threshold).astype(int)), 4)
        card[f"{label}_validation_macro_f1_model_alone"] = score
        log(f"{label} validation macro-F1 (model alone) {score}")
    return model, card


def main(argv: Sequence[str] | None = None) -> int:
    return trainer_main(__doc__, DEFAULT_DATA_DIR, DEFAULT_OUTPUT, train, argv)


if __name__ == "__main__":
    sys.exit(main())
