"""Train the shipped "default" sentiment model from the shared TweetEval data.

    python -m analysis.train_sentiment [--data DIR] [--output FILE]

The "default" model averages the class probabilities of two models: a linear
model over word and character n-grams plus VADER's scores (scikit-learn), and a
small convolutional network over frozen pretrained subword vectors (PyTorch,
:mod:`analysis.train_sentiment_cnn`).

Training data: the TweetEval sentiment train split plus the SemEval-2016 tweets
that are in neither TweetEval split. Hyper-parameters (the regularisation C,
per-class score offsets and the blend weight of the two models) are chosen on a
stratified 15 % held-out part of that training data; both models are then
refitted on all of it. The TweetEval validation split is only scored and
reported, never used for a choice.

The ``train`` extra (scikit-learn, torch, model2vec, the bundled sentence
model) is needed here only; the results are two numpy ``.npz`` files evaluated
by :mod:`analysis.sentiment_models.linear` and
:mod:`analysis.sentiment_models.convolution`.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.convolution import ConvSentimentModel
from analysis.sentiment_models.linear import LinearSentimentModel, TfidfBlock, softmax
from analysis.train_sentiment_cnn import (
    CHANNELS,
    EPOCHS,
    MAX_TOKENS,
    PROJECTION,
    CnnTrainer,
    network_scores,
)

CLASSES = ("negative", "neutral", "positive")
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sentiment"
MODEL_DIR = Path(__file__).resolve().parent / "sentiment_models"
DEFAULT_OUTPUT = MODEL_DIR / "default.npz"
# Weight of the convolutional model's probabilities in the blend with the
# linear model's; 0.0 (the linear model alone) stays a candidate.
BLEND_GRID = (0.0, 0.3, 0.4, 0.5)

C_GRID = (0.25, 0.5, 1.0)
# Additive offsets on the negative and positive logits (neutral fixed at 0).
# Macro recall rewards finding the rarest class, negative, and class weights
# only approximate that; a coarse grid keeps the held-out choice from overfitting.
OFFSET_GRID = (-0.4, -0.2, 0.0, 0.2, 0.4, 0.6)
# Offsets are chosen and judged on the same held-out texts, so a gain smaller
# than the score's noise there (about one standard error) is not believed.
MIN_OFFSET_GAIN = 0.005
HELD_OUT_FRACTION = 0.15
WORD_MIN_DF = 2
CHAR_MIN_DF = 3
WARM_WORDS = 20_000


class DataError(ValueError):
    """The sentiment data files are missing or malformed."""


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: np.ndarray  # class ids: 0 negative, 1 neutral, 2 positive


def load_tweeteval(data_dir: Path, split: str) -> Labelled:
    """One TweetEval split: ``tweeteval_{split}_text.txt`` and ``..._labels.txt``."""
    text_path = data_dir / f"tweeteval_{split}_text.txt"
    label_path = data_dir / f"tweeteval_{split}_labels.txt"
    for path in (text_path, label_path):
        if not path.is_file():
            raise DataError(f"{path}: file not found")
    texts = text_path.read_text(encoding="utf-8").split("\n")
    labels = label_path.read_text(encoding="utf-8").split()
    if texts and texts[-1] == "":
        texts.pop()
    if len(texts) != len(labels):
        raise DataError(
            f"{text_path}: {len(texts)} texts but {label_path.name} has {len(labels)} labels"
        )
    return Labelled(texts, _label_ids(labels, label_path))


def load_semeval_extra(data_dir: Path) -> Labelled:
    """``semeval2016_extra_train.tsv``: quoted TSV with columns text, label_id."""
    path = data_dir / "semeval2016_extra_train.tsv"
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return Labelled([r["text"] for r in rows], _label_ids([r["label_id"] for r in rows], path))


def load_training(data_dir: Path) -> Labelled:
    train, extra = load_tweeteval(data_dir, "train"), load_semeval_extra(data_dir)
    return Labelled(train.texts + extra.texts, np.concatenate([train.labels, extra.labels]))


def _label_ids(raw: Sequence[str], path: Path) -> np.ndarray:
    labels = np.array([int(x) for x in raw], dtype=np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= len(CLASSES)):
        raise DataError(f"{path}: label ids must be 0, 1 or 2")
    return labels


def macro_recall(truth: np.ndarray, predicted: np.ndarray) -> float:
    """TweetEval's official sentiment metric: recall averaged over the three classes."""
    present = [k for k in range(len(CLASSES)) if (truth == k).any()]
    recalls = [np.mean(predicted[truth == k] == k) for k in present]
    return float(np.mean(recalls))


class _Featurizer:
    """The training-side twin of LinearSentimentModel's feature extraction."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.word = TfidfVectorizer(
            analyzer=features.word_features, sublinear_tf=True, min_df=WORD_MIN_DF
        )
        self.char = TfidfVectorizer(
            analyzer=features.char_features, sublinear_tf=True, min_df=CHAR_MIN_DF
        )

    def fit_transform(self, normalized: list[str], lexicon: np.ndarray):  # -> csr_matrix
        from scipy import sparse

        word = self.word.fit_transform(normalized)
        char = self.char.fit_transform(normalized)
        return sparse.hstack([word, char, sparse.csr_matrix(lexicon)]).tocsr()

    def transform(self, normalized: list[str], lexicon: np.ndarray):
        from scipy import sparse

        blocks = [self.word.transform(normalized), self.char.transform(normalized)]
        return sparse.hstack([*blocks, sparse.csr_matrix(lexicon)]).tocsr()


def _fit(matrix, labels: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    # class_weight="balanced": the metric averages recall over classes, so the
    # rare negative class must weigh as much as the common neutral one.
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(matrix, labels)


def _best_offsets(logits: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, float]:
    plain = macro_recall(truth, logits.argmax(axis=1))
    best = (np.zeros(3), plain)
    for neg, pos in itertools.product(OFFSET_GRID, OFFSET_GRID):
        offsets = np.array([neg, 0.0, pos])
        score = macro_recall(truth, (logits + offsets).argmax(axis=1))
        if score > best[1] + 1e-9:
            best = (offsets, score)
    if best[1] - plain < MIN_OFFSET_GAIN:
        return np.zeros(3), plain
    return best


def train(
    data_dir: Path, seed: int = 0, log=print
) -> tuple[LinearSentimentModel, ConvSentimentModel, dict]:
    """Select hyper-parameters on held-out training data, then fit on all of it.

    Returns the linear model, the convolutional model (whose ``blend`` says how
    much its probabilities weigh in the average) and the model card.
    """
    data = load_training(data_dir)
    started = time.perf_counter()
    normalized = [features.normalize(t) for t in data.texts]
    lexicon = np.array([features.lexicon_features(t) for t in data.texts])
    log(f"{len(data.texts)} training texts featurised in {time.perf_counter() - started:.1f}s")

    fit_ix, held_ix = held_out_split(data.labels, seed)
    fit_x, held_x = split_features(normalized, lexicon, fit_ix, held_ix)
    held_y = data.labels[held_ix]
    selection: dict[float, float] = {}
    best_c, best_logits = C_GRID[0], None
    for c in C_GRID:
        logits = _fit(fit_x, data.labels[fit_ix], c).decision_function(held_x)
        selection[c] = macro_recall(held_y, logits.argmax(axis=1))
        log(f"C={c}: held-out macro recall {selection[c]:.4f}")
        if best_logits is None or selection[c] > selection[best_c]:
            best_c, best_logits = c, logits
    offsets, tuned = _best_offsets(best_logits, held_y)
    log(f"chose C={best_c}; offsets {offsets.tolist()} -> held-out {tuned:.4f}")

    cnn = CnnTrainer(CLASSES, log=log)
    ids = cnn.token_ids(data.texts)
    log(f"training the convolutional model on {len(fit_ix)} texts")
    network = cnn.fit([ids[i] for i in fit_ix], data.labels[fit_ix], seed=seed)
    cnn_held = softmax(network_scores(network, [ids[i] for i in held_ix]))
    linear_held = softmax(best_logits + offsets)
    blend, blends = choose_blend(
        BLEND_GRID, macro_recall, held_y, linear_held, cnn_held, "held-out macro recall", log
    )

    featurizer = _Featurizer()
    all_x = featurizer.fit_transform(normalized, lexicon)
    final = _fit(all_x, data.labels, best_c)
    model = linear_model(
        featurizer, CLASSES, final.coef_.T.copy(), final.intercept_ + offsets, normalized
    )
    _check_reproduces(model, final, featurizer, data.texts[:2000], normalized[:2000], offsets)

    log(f"training the convolutional model on all {len(data.texts)} texts")
    network = cnn.fit(ids, data.labels, seed=seed)
    conv = dataclasses.replace(cnn.export(network), blend=blend)
    cnn.check_reproduces(network, conv, data.texts[:2000])
    card = {
        "trained_on": ["tweeteval_train", "semeval2016_extra_train"],
        "training_texts": len(data.texts),
        "features": {
            "word_ngrams": list(features.WORD_NGRAMS),
            "char_wb_ngrams": list(features.CHAR_NGRAMS),
            "word_min_df": WORD_MIN_DF,
            "char_min_df": CHAR_MIN_DF,
            "word_vocabulary": len(featurizer.word.vocabulary_),
            "char_vocabulary": len(featurizer.char.vocabulary_),
            "lexicon": list(features.LEXICON_FEATURES),
        },
        "classifier": "LogisticRegression(class_weight='balanced')",
        "convolutional": {
            "vectors": "all-MiniLM-L6-v2 static subword vectors (model2vec distill), frozen",
            "projection": PROJECTION,
            "channels": CHANNELS,
            "epochs": EPOCHS,
            "max_tokens": MAX_TOKENS,
        },
        "blend_weight": blend,
        "C": best_c,
        "class_offsets": offsets.tolist(),
        "selection": {
            "held_out_fraction": HELD_OUT_FRACTION,
            "held_out_macro_recall_by_C": {str(c): round(s, 4) for c, s in selection.items()},
            "held_out_macro_recall_with_offsets": round(tuned, 4),
            "held_out_macro_recall_by_blend_weight": {
                str(w): round(score, 4) for w, score in blends.items()
            },
        },
    }
    return model, conv, card


def linear_model(
    featurizer: _Featurizer,
    classes: tuple[str, ...],
    coef: np.ndarray,
    intercept: np.ndarray,
    normalized: Sequence[str],
    warm: int = WARM_WORDS,
) -> LinearSentimentModel:
    """The run-time model of fitted weights over the featurizer's vocabularies."""
    return LinearSentimentModel(
        classes=classes,
        word=TfidfBlock(
            features.word_features, dict(featurizer.word.vocabulary_), featurizer.word.idf_
        ),
        char=TfidfBlock(
            features.char_features, dict(featurizer.char.vocabulary_), featurizer.char.idf_
        ),
        coef=coef,
        intercept=intercept,
        warm_words=frequent_words(normalized, warm),
    )


def held_out_split(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the stratified split every trainer holds its choices out on: (fit, held
    out), ``HELD_OUT_FRACTION`` of the rows held out."""
    from sklearn.model_selection import train_test_split

    return train_test_split(
        np.arange(len(labels)), test_size=HELD_OUT_FRACTION, random_state=seed, stratify=labels
    )


def split_features(
    normalized: Sequence[str], lexicon: np.ndarray, fit_rows: np.ndarray, held_rows: np.ndarray
):
    """Features of the ``fit_rows`` texts, from a featurizer fitted on them alone, and of the
    ``held_rows`` texts: (fit_x, held_x)."""
    featurizer = _Featurizer()
    fit_x = featurizer.fit_transform([normalized[i] for i in fit_rows], lexicon[fit_rows])
    held_x = featurizer.transform([normalized[i] for i in held_rows], lexicon[held_rows])
    return fit_x, held_x


def held_out_matrices(
    normalized: Sequence[str], lexicon: np.ndarray, labels: np.ndarray, seed: int
):
    """Features of a stratified split of the training data: (fit_x, fit_y, held_x, held_y)."""
    fit_ix, held_ix = held_out_split(labels, seed)
    fit_x, held_x = split_features(normalized, lexicon, fit_ix, held_ix)
    return fit_x, labels[fit_ix], held_x, labels[held_ix]


def trainer_main(doc: str, data_dir: Path, output: Path, train_fn, argv=None) -> int:
    """Command line of the single-model trainers: train, write the model and its card."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=data_dir)
    parser.add_argument("--output", type=Path, default=output)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model, card = train_fn(args.data_dir, seed=args.seed)
    model.save(args.output)
    args.output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {args.output} in {time.perf_counter() - started:.0f}s")
    return 0


def choose_blend(
    grid: Sequence[float],
    score: Callable[[np.ndarray, np.ndarray], float],
    truth: np.ndarray,
    linear: np.ndarray,
    network: np.ndarray,
    measure: str,
    log=print,
) -> tuple[float, dict[float, float]]:
    """The weight of the network's probabilities in the blend that ``score`` rates best against
    ``truth`` (the smallest of equals), and each weight's score, logged as ``measure``."""
    blends = {w: score(truth, ((1 - w) * linear + w * network).argmax(axis=1)) for w in grid}
    for w, value in blends.items():
        log(f"blend weight {w}: {measure} {value:.4f}")
    blend = max(grid, key=lambda w: (blends[w], -w))
    log(f"chose blend weight {blend}")
    return blend, blends


def blended_probabilities(
    linear: LinearSentimentModel, conv: ConvSentimentModel, texts: Sequence[str]
) -> np.ndarray:
    """What the shipped "default" model computes: the weighted mean of both models."""
    return (1 - conv.blend) * linear.probabilities(texts) + conv.blend * conv.probabilities(texts)


def frequent_words(normalized: Sequence[str], limit: int) -> tuple[str, ...]:
    """The most frequent space-separated words, most frequent first (ties by spelling)."""
    counts = Counter(word for text in normalized for word in text.split())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(word for word, _ in ranked[:limit])


def _check_reproduces(model, final, featurizer, texts, normalized, offsets) -> None:
    """Fail loudly if numpy inference disagrees with the scikit-learn pipeline."""
    lexicon = np.array([features.lexicon_features(t) for t in texts])
    expected = final.decision_function(featurizer.transform(normalized, lexicon)) + offsets
    got = model.decision(texts)
    gap = float(np.abs(expected - got).max())
    if gap > 1e-3:
        raise AssertionError(f"numpy inference differs from scikit-learn by {gap:.2e}")


def conv_path(linear_path: Path) -> Path:
    """Where the convolutional half is stored beside the linear one."""
    return linear_path.with_name(linear_path.stem + "_cnn.npz")


def training_parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """The command line of the training script ``python -m analysis.<module>``, its module
    docstring as help, laid out as written."""
    return argparse.ArgumentParser(
        prog=f"python -m analysis.{module}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = training_parser("train_sentiment", __doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="sentiment data dir")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="model file (.npz)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    args = parser.parse_args(argv)
    try:
        model, conv, card = train(args.data.resolve(), seed=args.seed)
        validation = load_tweeteval(args.data.resolve(), "val")
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, predicted in (
        ("linear_only", model.decision(validation.texts).argmax(axis=1)),
        ("convolutional_only", conv.decision(validation.texts).argmax(axis=1)),
    ):
        score = macro_recall(validation.labels, predicted)
        card[f"validation_macro_recall_{name}"] = round(score, 4)
    predicted = blended_probabilities(model, conv, validation.texts).argmax(axis=1)
    card["validation_macro_recall"] = round(macro_recall(validation.labels, predicted), 4)
    print(
        "TweetEval validation macro recall (reported, not used for any choice): "
        f"{card['validation_macro_recall']}"
    )
    conv_output = conv_path(args.output)
    model.save(args.output)
    conv.save(conv_output)
    args.output.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    size_mb = (args.output.stat().st_size + conv_output.stat().st_size) / 1e6
    print(
        f"wrote {args.output}, {conv_output.name} ({size_mb:.1f} MB together) "
        f"and {args.output.with_suffix('.json').name}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
