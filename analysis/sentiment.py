"""Comment sentiment: three labels and a score in [-1, 1].

    classify(["Great job at the range!"])            # the shipped model, "default"
    classify(texts, model="vader")                   # a lexicon baseline

Models:

- ``default``: the average of two models trained on TweetEval, a linear model
  over word and character n-grams plus VADER's scores and a small
  convolutional network over pretrained subword vectors (see
  docs/sentiment.md and ``python -m analysis.train_sentiment``). Both ship
  with the package and run on numpy (and the ``tokenizers`` package for
  the network's subwords); nothing is downloaded. Its score is
  P(positive) - P(negative). Comments detected as Spanish get the same blend of
  two Spanish models: a linear model and a network over multilingual subword
  vectors (``python -m analysis.train_sentiment_es``).
- ``vader``: vaderSentiment's compound score, with the thresholds its authors
  recommend (>= 0.05 positive, <= -0.05 negative).
- ``textblob``: TextBlob's polarity, with a neutral band of +-0.05 around 0
  (TextBlob scores most short comments exactly 0, the rest decide the label).

Each model is loaded once per process and then reused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

Label = Literal["negative", "neutral", "positive"]
LABELS: tuple[Label, ...] = ("negative", "neutral", "positive")

VADER_THRESHOLD = 0.05
TEXTBLOB_NEUTRAL_BAND = 0.05


@dataclass(frozen=True)
class Sentiment:
    """A comment's sentiment: ``label`` and a signed strength ``score`` in [-1, 1]."""

    label: Label
    score: float

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            choices = ", ".join(LABELS)
            raise ValueError(f"sentiment label must be one of {choices}, not {self.label!r}")
        if not -1.0 <= self.score <= 1.0:
            raise ValueError(f"sentiment score must be within [-1, 1], not {self.score}")


Classifier = Callable[[Sequence[str]], list[Sentiment]]


def _banded(score: float, band: float) -> Sentiment:
    label: Label = "positive" if score >= band else "negative" if score <= -band else "neutral"
    return Sentiment(label, max(-1.0, min(1.0, float(score))))


@cache
def _vader() -> Classifier:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda texts: [
        _banded(analyzer.polarity_scores(_decoded(t))["compound"], VADER_THRESHOLD) for t in texts
    ]


@cache
def _textblob() -> Classifier:
    from textblob import TextBlob

    return lambda texts: [
        _banded(TextBlob(_decoded(t)).sentiment.polarity, TEXTBLOB_NEUTRAL_BAND) for t in texts
    ]


@dataclass(frozen=True)
class _DefaultModel:
    """The shipped models: English and Spanish, each a linear model and a network blended."""

    english: object  # LinearSentimentModel
    network: object  # ConvSentimentModel
    spanish: object  # LinearSentimentModel
    spanish_network: object  # ConvSentimentModel over multilingual subwords
    classes: tuple[str, ...]

    def probabilities(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Class probabilities in :data:`LABELS` order, one row per text.

        English and Spanish texts go to their own model; texts in any other
        language get the low-confidence answer "neutral, unsure" rather than a
        confident guess from a model that cannot read them.
        """
        from analysis.sentiment_models.features import normalize

        out = np.tile(np.array([0.2, 0.6, 0.2]), (len(texts), 1))
        english = [i for i, lang in enumerate(langs) if lang != "es" and lang in _READ_AS_ENGLISH]
        spanish = [i for i, lang in enumerate(langs) if lang == "es"]
        for rows, linear, network in (
            (english, self.english, self.network),
            (spanish, self.spanish, self.spanish_network),
        ):
            if rows:
                chosen = [texts[i] for i in rows]
                normalized = [normalize(t) for t in chosen]
                blend = network.blend
                p = (1 - blend) * linear.probabilities(chosen, normalized)
                p += blend * network.probabilities(chosen, normalized)
                out[rows] = p
        return out


# The files of the default model; each must be present in the package.
_MODEL_FILES = (
    "default.npz",
    "default_cnn.npz",
    "default_es.npz",
    "default_es_cnn.npz",
    "hostile.npz",
)

# Languages the English model reads; "en" is also what too-short-to-tell text is called.
_READ_AS_ENGLISH = frozenset({"en"})


def _model_file(name: str):
    from analysis.sentiment_models.linear import ModelFileError

    path = resources.files("analysis.sentiment_models") / name
    if not path.is_file():
        raise ModelFileError(
            Path(str(path)),
            "the file is missing; reinstall beatpost or rebuild it (docs/sentiment.md)",
        )
    return path


@cache
def default_model() -> _DefaultModel:
    """The shipped multilingual model, loaded once per process."""
    from analysis.sentiment_models.convolution import ConvSentimentModel
    from analysis.sentiment_models.linear import LinearSentimentModel

    for name in _MODEL_FILES:
        _model_file(name)  # a missing file is named before any is read
    with resources.as_file(_model_file("default.npz")) as path:
        linear = LinearSentimentModel.load(path)
    with resources.as_file(_model_file("default_cnn.npz")) as path:
        conv = ConvSentimentModel.load(path)
    with resources.as_file(_model_file("default_es.npz")) as path:
        spanish = LinearSentimentModel.load(path)
    with resources.as_file(_model_file("default_es_cnn.npz")) as path:
        spanish_conv = ConvSentimentModel.load(path)
    if not conv.classes == linear.classes == spanish.classes == spanish_conv.classes == LABELS:
        raise ValueError("the parts of the default sentiment model disagree on classes")
    # The training text's most frequent words, tokenised once now rather than on first sight.
    conv.warm(linear.warm_words)
    spanish_conv.warm(spanish.warm_words)
    return _DefaultModel(linear, conv, spanish, spanish_conv, linear.classes)


def sentiments_from(probabilities: np.ndarray) -> list[Sentiment]:
    """Labels and P(positive) - P(negative) scores from class probabilities."""
    labels = probabilities.argmax(axis=1)
    scores = np.clip(probabilities[:, 2] - probabilities[:, 0], -1.0, 1.0)
    return [Sentiment(LABELS[k], float(s)) for k, s in zip(labels, scores, strict=True)]


@cache
def _default() -> Classifier:
    from analysis.language import detect

    model = default_model()

    def classify_default(texts: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        return sentiments_from(model.probabilities(texts, [detect(t) for t in texts]))

    return classify_default


def _decoded(text: str) -> str:
    # The baselines see the same decoded text (no literal "\u2019", no "&amp;")
    # as the default model, so comparisons between them are fair.
    from analysis.sentiment_models.features import decode_text

    return decode_text(text)


MODELS: dict[str, Callable[[], Classifier]] = {
    "default": _default,
    "textblob": _textblob,
    "vader": _vader,
}


def classify(texts: Sequence[str], model: str = "default") -> list[Sentiment]:
    """Sentiment of each text, in order. ``model`` is one of :data:`MODELS`."""
    if isinstance(texts, str):
        # A bare string is a sequence of characters; scoring each one is never meant.
        raise TypeError("classify() takes a sequence of texts, not a single string")
    loader = MODELS.get(model)
    if loader is None:
        raise ValueError(f"unknown sentiment model {model!r}; choose one of: {', '.join(MODELS)}")
    return loader()(list(texts))
