"""A small convolutional text model over pretrained subword vectors, in numpy.

What it computes, for one text (the layout of the training network in
:mod:`analysis.train_sentiment_cnn`):

1. the text, normalised as for the linear model (:func:`features.normalize`, so
   policing terms are gone here too), is split into WordPiece subwords by the
   tokenizer of the sentence model the vectors come from, ``[CLS]`` and
   ``[SEP]`` included, at most ``max_tokens`` of them;
2. each subword becomes a row of ``table``: the sentence model's static vector
   for that subword, already multiplied by the trained projection (the two are
   folded together when the model is exported);
3. a width-3 convolution with ReLU runs along the sequence, with zero vectors
   beyond both ends of the text;
4. the maximum and the mean of each channel over the sequence are concatenated
   and a linear layer gives the three class scores.

The convolution is evaluated once per *distinct* subword of a batch: each
subword's contribution as the left neighbour, the centre and the right
neighbour is a matrix product, and each position then sums three rows of them.
Comments repeat their vocabulary heavily, so this is several times cheaper than
convolving every position. Texts of the same length are then stacked so that
adding neighbours and pooling are whole-array operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.sentiment_models import features
from analysis.sentiment_models.linear import ModelFileError, softmax

FORMAT_VERSION = 1
# Bound on the per-word cache of subword ids. Words come from the first
# max_tokens words of comments, so entries are short: tens of MB at the very most.
_WORD_CACHE_SIZE = 100_000
# Texts scored together: bounds the activations held at once (about 40 MB).
_BATCH = 2_000


@dataclass(frozen=True)
class ConvSentimentModel:
    """Subword table, one convolution layer, max and mean pooling, a linear output."""

    classes: tuple[str, ...]
    tokenizer_json: str
    table: np.ndarray  # (vocabulary, width) subword vectors times the projection
    conv_weight: np.ndarray  # (3, width, channels): left neighbour, centre, right
    conv_bias: np.ndarray  # (channels,)
    out_weight: np.ndarray  # (2 * channels, n_classes): [max | mean] -> class scores
    out_bias: np.ndarray  # (n_classes,)
    max_tokens: int = 64
    # Weight of this model's probabilities when averaged with the linear model's.
    blend: float = 0.5
    _tokenizer: object = field(default=None, init=False, repr=False, compare=False)
    _word_ids: dict[str, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_str(self.tokenizer_json)
        tokenizer.no_padding()
        tokenizer.no_truncation()
        object.__setattr__(self, "_tokenizer", tokenizer)
        # What the tokenizer puts around every text ([CLS] ... [SEP]).
        around = tokenizer.encode("").ids
        object.__setattr__(self, "_before", around[:1])
        object.__setattr__(self, "_after", around[1:])

    def token_ids(
        self, texts: Sequence[str], normalized: Sequence[str] | None = None
    ) -> list[list[int]]:
        """The subword ids the network sees for each text (normalised first).

        ``normalized``, if given, is ``features.normalize`` of each text, already done.
        """
        normalized = _normalized(texts, normalized)
        # The tokenizer splits at whitespace before anything else, so a text's
        # subwords are its words' subwords in order: each distinct word is
        # tokenised once and remembered (comments reuse a small vocabulary, and
        # calling the tokenizer per text costs more than the network). Every
        # word gives at least one subword, bar the rare word of control
        # characters, so a text's first ``max_tokens`` words are all it needs.
        before, after, limit = self._before, self._after, self.max_tokens  # type: ignore[attr-defined]
        split = [text.split(maxsplit=limit) for text in normalized]
        # A private map for this call: another thread may empty the shared
        # cache meanwhile, which must not lose a word this call relies on.
        cache = self._word_ids
        known: dict[str, list[int]] = {}
        missing: set[str] = set()
        for words in split:
            for word in words[:limit]:
                if word not in known:
                    ids = cache.get(word)
                    if ids is None:
                        missing.add(word)
                    else:
                        known[word] = ids
        known.update(self._tokenise(sorted(missing)))
        out = []
        for text, words in zip(normalized, split, strict=True):
            subwords: list[int] = []
            for word in words[:limit]:
                subwords += known[word]
            if len(words) > limit and len(subwords) < limit:
                # Words without subwords left room: the whole text decides.
                subwords = self._tokeniser_ids(text)
            out.append((before + subwords[:limit] + after)[:limit])
        return out

    def warm(self, words: Sequence[str]) -> None:
        """Tokenise common words ahead of use (at load time)."""
        cache = self._word_ids
        self._tokenise([w for w in words[:_WORD_CACHE_SIZE] if w not in cache and w.split() == [w]])

    def _tokenise(self, words: list[str]) -> dict[str, list[int]]:
        """Subword ids of each word, remembered in the shared (bounded) cache."""
        if not words:
            return {}
        encoded = self._tokenizer.encode_batch(words, add_special_tokens=False)  # type: ignore[attr-defined]
        new = {word: e.ids for word, e in zip(words, encoded, strict=True)}
        cache = self._word_ids
        if len(cache) + len(new) > _WORD_CACHE_SIZE:
            cache.clear()
        cache.update(new)
        return new

    def _tokeniser_ids(self, text: str) -> list[int]:
        """The whole text through the tokenizer, without [CLS] and [SEP]."""
        return self._tokenizer.encode(text, add_special_tokens=False).ids  # type: ignore[attr-defined]

    def decision(self, texts: Sequence[str], normalized: Sequence[str] | None = None) -> np.ndarray:
        """Raw class scores (logits), one row per text."""
        normalized = _normalized(texts, normalized)
        scores = np.zeros((len(texts), len(self.classes)))
        # In slices, so that a large backfill does not hold every text's
        # (length x channels) activations at once.
        for start in range(0, len(texts), _BATCH):
            stop = start + _BATCH
            ids = self.token_ids(texts[start:stop], normalized[start:stop])
            scores[start:stop] = self.decision_from_ids(ids)
        return scores

    def decision_from_ids(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """Class scores from subword ids (each list non-empty, at most ``max_tokens``)."""
        lengths = np.fromiter((len(s) for s in ids), dtype=np.int64, count=len(ids))
        if (lengths == 0).any():
            raise ValueError("every text needs at least one subword")
        flat = np.fromiter((i for s in ids for i in s), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        distinct, position_of = np.unique(flat, return_inverse=True)
        # Each distinct subword's contribution as left neighbour, centre and
        # right neighbour: three (distinct subwords, channels) products.
        vectors = self.table[distinct].astype(np.float32)
        left, centre, right = (vectors @ w for w in self.conv_weight)
        channels = centre.shape[1]
        pooled = np.empty((len(ids), 2 * channels), dtype=np.float32)
        # Texts of equal length are stacked into one (texts, length, channels)
        # block, so the convolution and pooling are whole-array operations.
        for length in np.unique(lengths):
            rows = np.flatnonzero(lengths == length)
            at = position_of[starts[rows][:, None] + np.arange(length)]  # (texts, length)
            hidden = centre[at]
            if length > 1:
                hidden[:, 1:] += left[at[:, :-1]]
                hidden[:, :-1] += right[at[:, 1:]]
            hidden += self.conv_bias
            np.maximum(hidden, 0.0, out=hidden)
            pooled[rows, :channels] = hidden.max(axis=1)
            pooled[rows, channels:] = hidden.mean(axis=1)
        return pooled.astype(np.float64) @ self.out_weight + self.out_bias

    def probabilities(
        self, texts: Sequence[str], normalized: Sequence[str] | None = None
    ) -> np.ndarray:
        return softmax(self.decision(texts, normalized))

    def save(self, path: Path) -> None:
        # Through a file handle: numpy would otherwise add ".npz" to a bare name.
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                format_version=np.array(FORMAT_VERSION),
                classes=np.frombuffer("\n".join(self.classes).encode(), dtype=np.uint8),
                tokenizer_json=np.frombuffer(self.tokenizer_json.encode(), dtype=np.uint8),
                table=self.table.astype(np.float16),
                conv_weight=self.conv_weight.astype(np.float32),
                conv_bias=self.conv_bias.astype(np.float32),
                out_weight=self.out_weight.astype(np.float32),
                out_bias=self.out_bias.astype(np.float32),
                max_tokens=np.array(self.max_tokens),
                blend=np.array(self.blend),
            )

    @classmethod
    def load(cls, path: Path) -> ConvSentimentModel:
        try:
            data = np.load(path, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ModelFileError(path, "not an .npz archive")
            with data:
                arrays = {name: data[name] for name in data.files}
        except ModelFileError:
            raise
        except Exception as exc:  # OSError, BadZipFile, ValueError, ...: a broken file
            raise ModelFileError(path, f"{type(exc).__name__}: {exc}") from exc
        try:
            return cls._from_arrays(path, arrays)
        except ModelFileError:
            raise
        except Exception as exc:  # what numpy or the tokenizer say of a malformed array
            raise ModelFileError(path, f"{type(exc).__name__}: {exc}") from exc

    @classmethod
    def _from_arrays(cls, path: Path, arrays: dict[str, np.ndarray]) -> ConvSentimentModel:
        version = arrays.get("format_version")
        if version is None or version.shape != () or int(version) != FORMAT_VERSION:
            shown = "missing" if version is None else version.tolist()
            raise ModelFileError(
                path, f"format version {shown}, this code reads {FORMAT_VERSION}; retrain it"
            )
        missing = {
            "classes",
            "tokenizer_json",
            "table",
            "conv_weight",
            "conv_bias",
            "out_weight",
            "out_bias",
            "max_tokens",
            "blend",
        } - arrays.keys()
        if missing:
            raise ModelFileError(path, f"missing arrays: {', '.join(sorted(missing))}")
        classes = tuple(arrays["classes"].tobytes().decode("utf-8").split("\n"))
        if len(set(classes)) != len(classes) or "" in classes:
            raise ModelFileError(path, f"class names must be distinct and non-empty: {classes}")
        table, conv_w = arrays["table"], arrays["conv_weight"]
        conv_b, out_w, out_b = arrays["conv_bias"], arrays["out_weight"], arrays["out_bias"]
        if table.ndim != 2 or conv_b.ndim != 1:
            raise ModelFileError(path, "array shapes do not fit together")
        channels = conv_b.shape[0]
        if (
            conv_w.shape != (3, table.shape[1], channels)
            or out_w.shape != (2 * channels, len(classes))
            or out_b.shape != (len(classes),)
        ):
            raise ModelFileError(path, "array shapes do not fit together")
        for name in ("table", "conv_weight", "conv_bias", "out_weight", "out_bias"):
            values = arrays[name]
            if values.dtype.kind != "f" or not np.isfinite(values).all():
                raise ModelFileError(path, f"{name} must hold finite floating-point numbers")
        max_tokens, blend = arrays["max_tokens"], arrays["blend"]
        if max_tokens.shape != () or max_tokens.dtype.kind not in "iu" or int(max_tokens) < 2:
            raise ModelFileError(path, "max_tokens must be an integer of at least 2")
        if blend.shape != () or not 0.0 <= float(blend) <= 1.0:
            raise ModelFileError(path, "blend must be a number from 0 to 1")
        try:
            tokenizer_json = arrays["tokenizer_json"].tobytes().decode("utf-8")
            model = cls(
                classes,
                tokenizer_json,
                table,
                conv_w,
                conv_b,
                out_w.astype(np.float64),
                out_b.astype(np.float64),
                int(max_tokens),
                float(blend),
            )
        except Exception as exc:  # the tokenizer's own error for a corrupt definition
            raise ModelFileError(path, f"tokenizer: {exc}") from exc
        vocabulary = model._tokenizer.get_vocab_size()  # type: ignore[attr-defined]
        if table.shape[0] < vocabulary:
            raise ModelFileError(
                path, f"table has {table.shape[0]} rows for a {vocabulary}-subword tokenizer"
            )
        return model


def _normalized(texts: Sequence[str], normalized: Sequence[str] | None) -> Sequence[str]:
    if normalized is None:
        return [features.normalize(t) for t in texts]
    if len(normalized) != len(texts):
        raise ValueError(f"{len(normalized)} normalised texts given for {len(texts)} texts")
    return normalized
