"""A fine-tuned small transformer for sentiment, on ONNX Runtime: the second stage of ``default``.

The fast blend answers every English comment; the comments it is unsure of
(see :class:`Cascade`) are read by this model too and the two answers mixed
(:meth:`analysis.sentiment._DefaultModel.english_probabilities`).
:mod:`analysis.train_sentiment_transformer` trains and exports it, chooses the
cascade settings and scores it through this class (docs/sentiment.md, "The
transformer cascade").

The first three of all-MiniLM-L6-v2's six layers (384 wide) with a linear
layer over their mean-pooled output, fine-tuned on TweetEval, exported to ONNX
and quantised to int8 (int8 weights; each matrix product's input quantised at
a scale fixed once on training texts, not at the batch's range, so a text's
scores are the same whatever texts it is batched with and a PIO scoring a
comment again gets the same answer). It reads the same WordPiece
subwords of the same normalised text as the convolutional model, so the ids
come from :meth:`ConvSentimentModel.token_ids` (its per-word cache included);
only a text cut at ``max_tokens`` differs: the transformer was trained with
``[SEP]`` as the last subword.

The session runs on one thread: the default model is called from a pull or a
backfill that should not take the machine, and on a busy machine more threads
wait on each other. Texts are sorted by length and scored in batches, so little
time goes to padding.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.sentiment_models.linear import ModelFileError, softmax

FORMAT_VERSION = 1
_BATCH = 32
_SEP = 102  # [SEP] in the all-MiniLM-L6-v2 vocabulary


@dataclass(frozen=True)
class Cascade:
    """When the transformer is asked, and how its answer is mixed in.

    A text whose fast-model probabilities have a margin (top class minus the
    runner-up) below ``margin`` is scored by the transformer too, and its
    probabilities become ``(1 - weight) * fast + weight * transformer``.
    """

    margin: float
    weight: float


@dataclass(frozen=True)
class TransformerSentimentModel:
    classes: tuple[str, ...]
    path: Path
    max_tokens: int
    cascade: Cascade
    _session: object = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, onnx_path: Path, card_path: Path) -> TransformerSentimentModel:
        """The model in ``onnx_path`` with the settings of its card (JSON)."""
        try:
            card = json.loads(Path(card_path).read_text(encoding="utf-8"))
            version = card["format_version"]
            classes = tuple(card["classes"])
            max_tokens = int(card["max_tokens"])
            cascade = Cascade(float(card["cascade"]["margin"]), float(card["cascade"]["weight"]))
        except FileNotFoundError as exc:
            raise ModelFileError(Path(card_path), "the file is missing") from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(Path(card_path), f"unreadable settings ({exc})") from exc
        if version != FORMAT_VERSION:
            raise ModelFileError(
                Path(card_path),
                f"format version {version}, this beatpost reads {FORMAT_VERSION}; retrain it",
            )
        return cls(classes, Path(onnx_path), max_tokens, cascade, _open(Path(onnx_path)))

    def logits_from_ids(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """Class scores for subword ids ([CLS] first), one row per text."""
        out = np.zeros((len(ids), len(self.classes)), np.float32)
        if not ids:
            return out
        limit = self.max_tokens
        ids = [x if len(x) < limit or x[-1] == _SEP else [*x[: limit - 1], _SEP] for x in ids]
        order = np.argsort([len(x) for x in ids], kind="stable")
        for start in range(0, len(order), _BATCH):
            chosen = order[start : start + _BATCH]
            width = max(len(ids[i]) for i in chosen)
            input_ids = np.zeros((len(chosen), width), np.int64)
            mask = np.zeros((len(chosen), width), np.int64)
            for row, i in enumerate(chosen):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            feeds = {"input_ids": input_ids, "attention_mask": mask}
            out[chosen] = self._session.run(["logits"], feeds)[0]  # type: ignore[attr-defined]
        return out

    def probabilities_from_ids(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        return softmax(self.logits_from_ids(ids).astype(np.float64))


def margins(probabilities: np.ndarray) -> np.ndarray:
    """Top class probability minus the runner-up's, per row."""
    top2 = np.sort(probabilities, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def _open(path: Path):
    import onnxruntime as ort

    if not path.is_file():
        raise ModelFileError(path, "the file is missing; reinstall beatpost or rebuild it")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own types for a damaged file
        raise ModelFileError(path, f"not a readable ONNX model ({exc.__class__.__name__})") from exc
