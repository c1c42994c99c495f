"""A linear three-class text model evaluated with numpy alone.

Layout of the feature vector (the same as the training pipeline's):
``[word TF-IDF, l2-normalised | char TF-IDF, l2-normalised | lexicon scores]``.
Each TF-IDF block uses sublinear term frequency (``1 + ln tf``) times the
stored smoothed idf, exactly as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``
computes it, so the shipped weights can be evaluated here without scikit-learn.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features

# Bumped whenever the file layout or the feature functions change meaning, so an
# old artifact is refused instead of silently scoring garbage.
FORMAT_VERSION = 1
_SEPARATOR = "\x00"


class ModelFileError(ValueError):
    """The model file is missing, from another format version, or inconsistent."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot load model file {path}: {reason}")


# Bound on the per-word cache of character n-gram columns (a few MB at most).
_WORD_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF vocabulary: term -> column, and the idf of each column.

    ``per_word`` says the analyzer's terms of a text are the concatenation of the
    terms of its space-separated words (true of ``char_wb`` n-grams). Then the
    columns of each distinct word are computed once and cached: comments reuse
    a small vocabulary, and generating n-grams dominates the cost otherwise.
    """

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    per_word: bool = False
    _word_columns: dict[str, array] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _columns_into(self, text: str, out: array) -> None:
        """Append the columns of the text's known terms (with repeats) to ``out``."""
        get = self.vocabulary.get
        if not self.per_word:
            out.extend([i for i in map(get, self.analyzer(text)) if i is not None])
            return
        cache = self._word_columns
        for word in text.split():
            cols = cache.get(word)
            if cols is None:
                if len(cache) >= _WORD_CACHE_SIZE:
                    cache.clear()
                cols = array("i", [i for i in map(get, self.analyzer(word)) if i is not None])
                cache[word] = cols
            out += cols

    def warm(self, words: Sequence[str]) -> None:
        """Fill the per-word cache ahead of use (for common words, at load time)."""
        scratch = array("i")
        for word in words[:_WORD_CACHE_SIZE]:
            self._columns_into(word, scratch)
            del scratch[:]

    def rows(self, normalized: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse rows as (document index, column, l2-normalised tf-idf value) arrays."""
        cols = array("i")
        lengths = np.zeros(len(normalized), dtype=np.int64)
        for doc, text in enumerate(normalized):
            before = len(cols)
            self._columns_into(text, cols)
            lengths[doc] = len(cols) - before
        if not cols:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        docs = np.repeat(np.arange(len(normalized), dtype=np.int64), lengths)
        # One np.unique over (doc, column) pairs counts every term of the batch;
        # the keys come back sorted by document, which decision() relies on.
        width = len(self.idf)
        keys = docs * width + np.frombuffer(cols, dtype=np.int32)
        keys, tf = np.unique(keys, return_counts=True)
        doc_ix, col_ix = np.divmod(keys, width)
        values = (1.0 + np.log(tf)) * self.idf[col_ix]
        norms = np.sqrt(np.bincount(doc_ix, weights=values * values, minlength=len(normalized)))
        return doc_ix, col_ix, values / norms[doc_ix]


@dataclass(frozen=True)
class LinearSentimentModel:
    """Word and char TF-IDF plus lexicon scores, one weight vector per class."""

    classes: tuple[str, ...]
    word: TfidfBlock
    char: TfidfBlock
    coef: np.ndarray  # (n_word + n_char + n_lexicon, n_classes)
    intercept: np.ndarray  # (n_classes,)
    # The training text's most frequent words, whose character n-gram columns
    # are looked up once at load time rather than on first sight.
    warm_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.char.warm(self.warm_words)

    def decision(self, texts: Sequence[str], normalized: Sequence[str] | None = None) -> np.ndarray:
        """Raw class scores (logits), one row per text.

        ``normalized``, if given, is ``features.normalize`` of each text, already done.
        """
        if normalized is None:
            normalized = [features.normalize(t) for t in texts]
        scores = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        offset = 0
        for block in (self.word, self.char):
            doc_ix, col_ix, values = block.rows(normalized)
            if len(doc_ix):
                # doc_ix is sorted, so each document's terms are one contiguous run.
                contributions = self.coef[offset + col_ix] * values[:, None]
                present = np.flatnonzero(np.bincount(doc_ix, minlength=len(texts)))
                starts = np.searchsorted(doc_ix, present)
                scores[present] += np.add.reduceat(contributions, starts, axis=0)
            offset += len(block.idf)
        lexicon = np.array([features.lexicon_features(t) for t in texts], dtype=np.float64)
        if len(texts):
            scores += lexicon @ self.coef[offset:]
        return scores

    def probabilities(
        self, texts: Sequence[str], normalized: Sequence[str] | None = None
    ) -> np.ndarray:
        """Softmax of the class scores."""
        return softmax(self.decision(texts, normalized))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            format_version=np.array(FORMAT_VERSION),
            classes=_pack(self.classes),
            word_terms=_pack(_terms(self.word.vocabulary)),
            word_idf=self.word.idf.astype(np.float32),
            char_terms=_pack(_terms(self.char.vocabulary)),
            char_idf=self.char.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            warm_words=_pack(self.warm_words),
        )

    @classmethod
    def load(cls, path: Path) -> LinearSentimentModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError) as exc:
            raise ModelFileError(path, str(exc)) from exc
        except Exception as exc:  # BadZipFile, EOFError, ...: a damaged archive
            raise ModelFileError(path, f"{type(exc).__name__}: {exc}") from exc
        version = int(arrays.get("format_version", -1))
        if version != FORMAT_VERSION:
            raise ModelFileError(
                path, f"format version {version}, this code reads {FORMAT_VERSION}; retrain it"
            )
        missing = {
            "word_terms",
            "word_idf",
            "char_terms",
            "char_idf",
            "coef",
            "intercept",
            "classes",
        }
        missing -= arrays.keys()
        if missing:
            raise ModelFileError(path, f"missing arrays: {', '.join(sorted(missing))}")
        word = TfidfBlock(
            features.word_features, _vocabulary(arrays["word_terms"]), arrays["word_idf"]
        )
        char = TfidfBlock(
            features.char_features,
            _vocabulary(arrays["char_terms"]),
            arrays["char_idf"],
            per_word=True,
        )
        coef, intercept = arrays["coef"], arrays["intercept"]
        classes = tuple(_unpack(arrays["classes"]))
        expected_rows = len(word.idf) + len(char.idf) + len(features.LEXICON_FEATURES)
        if coef.shape != (expected_rows, len(classes)) or intercept.shape != (len(classes),):
            raise ModelFileError(
                path, f"weights of shape {coef.shape} do not match {expected_rows} features"
            )
        warm = tuple(_unpack(arrays["warm_words"])) if "warm_words" in arrays else ()
        return cls(classes, word, char, coef.astype(np.float64), intercept.astype(np.float64), warm)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of class scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _terms(vocabulary: dict[str, int]) -> list[str]:
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[column] = term
    return terms


def _pack(strings: Sequence[str]) -> np.ndarray:
    # One utf-8 byte string is far smaller than a fixed-width unicode array,
    # and needs no pickle to load.
    joined = _SEPARATOR.join(strings)
    if any(_SEPARATOR in s for s in strings):
        raise ValueError("terms must not contain NUL")
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def _unpack(packed: np.ndarray) -> list[str]:
    if not packed.size:
        return []
    return packed.tobytes().decode("utf-8").split(_SEPARATOR)


def _vocabulary(packed: np.ndarray) -> dict[str, int]:
    return {term: column for column, term in enumerate(_unpack(packed))}
