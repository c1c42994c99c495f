"""Comment sentiment: three labels and a score in [-1, 1].

    classify(["Great job at the range!"])            # the shipped model, "default"
    classify(texts, model="vader")                   # a lexicon baseline

Models:

- ``default``: the average of two models trained on TweetEval, a linear model
  over word and character n-grams plus VADER's scores and a small
  convolutional network over pretrained subword vectors (see
  docs/sentiment.md and ``python -m analysis.train_sentiment``); the comments
  that blend is unsure of are read again by a small fine-tuned transformer
  (ONNX Runtime, ``python -m analysis.train_sentiment_transformer``) and the
  two answers mixed. Comments detected as Spanish get the same kind of blend
  of two Spanish models: a linear model and a network over multilingual
  subword vectors (``python -m analysis.train_sentiment_es``); comments in
  other languages get that blend's answer with low confidence, or "neutral"
  where it leans no way. All ship with
  the package and run on numpy, the ``tokenizers`` package and onnxruntime;
  nothing is downloaded. Its score is P(positive) - P(negative).
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


def _blend(
    linear, network, texts: Sequence[str], normalized: Sequence[str] | None = None
) -> np.ndarray:
    """A linear model and a network mixed by the network's blend weight."""
    if normalized is None:
        from analysis.sentiment_models.features import normalize

        normalized = [normalize(t) for t in texts]
    p = (1 - network.blend) * linear.probabilities(texts, normalized)
    return p + network.blend * network.probabilities(texts, normalized)


@dataclass(frozen=True)
class _DefaultModel:
    """The shipped models: English and Spanish, each a linear model and a network blended;
    in English the transformer reads again the comments that blend is unsure of."""

    english: object  # LinearSentimentModel
    network: object  # ConvSentimentModel
    spanish: object  # LinearSentimentModel
    spanish_network: object  # ConvSentimentModel over multilingual subwords
    classes: tuple[str, ...]
    transformer: object = None  # TransformerSentimentModel

    def english_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """The English model's class probabilities, one row per text.

        The blend answers first; a text whose top two probabilities are closer
        than the cascade's margin is read by the transformer too, and gets
        ``(1 - weight) * blend + weight * transformer``.
        """
        from analysis.sentiment_models.features import normalize

        normalized = [normalize(t) for t in texts]
        p = _blend(self.english, self.network, texts, normalized)
        if self.transformer is None:
            return p
        from analysis.sentiment_models.transformer import margins

        cascade = self.transformer.cascade
        unsure = np.flatnonzero(margins(p) < cascade.margin)
        if len(unsure):
            ids = self.network.token_ids(
                [texts[i] for i in unsure], [normalized[i] for i in unsure]
            )
            second = self.transformer.probabilities_from_ids(ids)
            p[unsure] = (1 - cascade.weight) * p[unsure] + cascade.weight * second
        return p

    def probabilities(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Class probabilities in :data:`LABELS` order, one row per text.

        English and Spanish texts go to their own model. Texts in any other
        language are read by the Spanish blend, whose network reads
        multilingual subwords (:func:`other_language_probabilities`): its
        answer is tempered to low confidence, and where it leans no way the
        text gets "neutral, unsure".
        """
        out = np.tile(UNSURE, (len(texts), 1))
        english = [i for i, lang in enumerate(langs) if lang in _READ_AS_ENGLISH]
        spanish = [i for i, lang in enumerate(langs) if lang == "es"]
        other = [i for i, lang in enumerate(langs) if lang not in _READ_AS_ENGLISH | {"es"}]
        if english:
            out[english] = self.english_probabilities([texts[i] for i in english])
        if spanish:
            chosen = [texts[i] for i in spanish]
            out[spanish] = _blend(self.spanish, self.spanish_network, chosen)
        if other:
            chosen = [texts[i] for i in other]
            out[other] = other_language_probabilities(
                _blend(self.spanish, self.spanish_network, chosen)
            )
        return out


# "Neutral, unsure": the answer for a text no model can read.
UNSURE = np.array([0.2, 0.6, 0.2])
# Other languages (docs/sentiment.md, "Other languages"): the Spanish blend's
# network reads multilingual subwords, so it reads French, Portuguese, German or
# Italian tweets far better than chance (XLM-T validation macro recall 0.48 over six
# languages it never trained on, against 0.33 for "neutral" everywhere). Its answer
# counts where its top class reaches OTHER_LANGUAGE_FLOOR (chosen there: the highest
# floor that costs nothing), and is tempered by OTHER_LANGUAGE_TEMPERATURE so that
# the score says "a lean, not a certainty".
OTHER_LANGUAGE_FLOOR = 0.4
OTHER_LANGUAGE_TEMPERATURE = 2.0


def other_language_probabilities(p: np.ndarray) -> np.ndarray:
    """The Spanish blend's answer on text in another language, as a low-confidence lean."""
    tempered = p ** (1.0 / OTHER_LANGUAGE_TEMPERATURE)
    tempered /= tempered.sum(axis=1, keepdims=True)
    return np.where(p.max(axis=1, keepdims=True) >= OTHER_LANGUAGE_FLOOR, tempered, UNSURE)


# The files of the default model; each must be present in the package.
_MODEL_FILES = (
    "default.npz",
    "default_cnn.npz",
    "default_transformer.onnx",
    "default_transformer.json",
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
    from analysis.sentiment_models.transformer import TransformerSentimentModel

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
    with (
        resources.as_file(_model_file("default_transformer.onnx")) as onnx_path,
        resources.as_file(_model_file("default_transformer.json")) as card_path,
    ):
        transformer = TransformerSentimentModel.load(onnx_path, card_path)
    parts = (conv, linear, spanish, spanish_conv, transformer)
    if any(part.classes != LABELS for part in parts):
        raise ValueError("the parts of the default sentiment model disagree on classes")
    # The training text's most frequent words, tokenised once now rather than on first sight.
    conv.warm(linear.warm_words)
    spanish_conv.warm(spanish.warm_words)
    return _DefaultModel(linear, conv, spanish, spanish_conv, linear.classes, transformer)


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
