"""The ONNX transformer reader used by the transformer trainer: cut-off, order, file errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.sentiment_models.linear import ModelFileError
from analysis.sentiment_models.transformer import Cascade, TransformerSentimentModel, margins

CLASSES = ("negative", "neutral", "positive")


class Recorder:
    """Stands in for an ONNX Runtime session: logits say which ids a row held."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, ...]] = []

    def run(self, outputs, feeds):
        ids, mask = feeds["input_ids"], feeds["attention_mask"]
        self.rows += [tuple(row[m > 0]) for row, m in zip(ids, mask, strict=True)]
        total = (ids * mask).sum(axis=1).astype(np.float32)
        return [np.stack([total, mask.sum(axis=1).astype(np.float32), -total], axis=1)]


def model_with(session, max_tokens: int = 8) -> TransformerSentimentModel:
    return TransformerSentimentModel(
        CLASSES, Path("x.onnx"), max_tokens, Cascade(0.1, 0.5), session
    )


def test_a_text_cut_at_the_limit_ends_with_sep_as_in_training() -> None:
    recorder = Recorder()
    model_with(recorder).logits_from_ids([[101, 5, 6, 7, 8, 9, 10, 11], [101, 5, 102]])
    # Cut: [CLS] + the first six subwords + [SEP]; a short text is left alone.
    assert set(recorder.rows) == {(101, 5, 6, 7, 8, 9, 10, 102), (101, 5, 102)}


def test_rows_come_back_in_input_order_across_batches_and_lengths() -> None:
    ids = [[101, *range(1, 2 + (i * 7) % 30), 102] for i in range(100)]
    logits = model_with(Recorder(), max_tokens=64).logits_from_ids(ids)
    assert np.array_equal(logits[:, 0], [sum(x) for x in ids])
    assert np.array_equal(logits[:, 1], [len(x) for x in ids])
    assert model_with(Recorder()).logits_from_ids([]).shape == (0, 3)


def test_margins_are_top_class_minus_runner_up() -> None:
    p = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    assert np.allclose(margins(p), [0.2, 0.7])


def _card(path: Path, **changes) -> Path:
    card = {
        "format_version": 1,
        "classes": list(CLASSES),
        "max_tokens": 64,
        "cascade": {"margin": 0.12, "weight": 0.8},
    }
    card.update(changes)
    path.write_text(json.dumps(card))
    return path


def test_missing_model_file_is_named(tmp_path: Path) -> None:
    card = _card(tmp_path / "sentiment_transformer.json")
    with pytest.raises(ModelFileError, match="sentiment_transformer.onnx.*missing"):
        TransformerSentimentModel.load(tmp_path / "sentiment_transformer.onnx", card)


def test_corrupt_model_file_is_named(tmp_path: Path) -> None:
    card = _card(tmp_path / "sentiment_transformer.json")
    broken = tmp_path / "sentiment_transformer.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="sentiment_transformer.onnx.*not a readable ONNX"):
        TransformerSentimentModel.load(broken, card)


def test_missing_card_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="sentiment_transformer.json.*missing"):
        TransformerSentimentModel.load(
            tmp_path / "sentiment_transformer.onnx", tmp_path / "sentiment_transformer.json"
        )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"cascade": None}, "unreadable settings"),
        ({"format_version": 99}, "format version 99"),
    ],
)
def test_damaged_card_is_named(tmp_path: Path, changes: dict, reason: str) -> None:
    card = _card(tmp_path / "sentiment_transformer.json", **changes)
    with pytest.raises(ModelFileError, match=f"sentiment_transformer.json.*{reason}"):
        TransformerSentimentModel.load(tmp_path / "sentiment_transformer.onnx", card)


def test_card_that_is_not_json_is_named(tmp_path: Path) -> None:
    card = tmp_path / "sentiment_transformer.json"
    card.write_text("{not json")
    with pytest.raises(ModelFileError, match="sentiment_transformer.json.*unreadable"):
        TransformerSentimentModel.load(tmp_path / "sentiment_transformer.onnx", card)


# The shipped cascade (part of ``default``).


def test_the_shipped_transformer_reads_plain_sentiment() -> None:
    from analysis.sentiment import default_model

    model = default_model()
    texts = ["I love this, best day ever!", "This is awful, I hate it.", "The meeting is at 5pm."]
    ids = model.network.token_ids(texts)
    assert list(model.transformer.probabilities_from_ids(ids).argmax(axis=1)) == [2, 0, 1]


def test_only_texts_the_blend_is_unsure_of_change() -> None:
    from dataclasses import replace

    from analysis.sentiment import default_model

    model = default_model()
    texts = [
        "Great job at the range!",
        "meh",
        "not sure how I feel about this",
        "ok I guess",
        "well that happened",
        "I hate this so much",
        "this could be better",
        "interesting",
        "it is what it is",
        "my friend is gonna see frank ocean tomorrow and Kanye the day after yall Imma go cry",
        "Favourite this tweet if you want Seth Rollins to win or retweet for john cena",
    ]
    blend_only = replace(model, transformer=None).english_probabilities(texts)
    cascade = model.english_probabilities(texts)
    unsure = margins(blend_only) < model.transformer.cascade.margin
    assert unsure.any() and not unsure.all()
    np.testing.assert_array_equal(cascade[~unsure], blend_only[~unsure])
    assert not np.allclose(cascade[unsure], blend_only[unsure])
    np.testing.assert_allclose(cascade.sum(axis=1), 1.0)


def test_a_damaged_shipped_transformer_is_named(tmp_path: Path, monkeypatch) -> None:
    from analysis import sentiment

    broken = tmp_path / "default_transformer.onnx"
    broken.write_bytes(b"\x08\x07 truncated")
    original = sentiment._model_file
    monkeypatch.setattr(
        sentiment,
        "_model_file",
        lambda name: broken if name == "default_transformer.onnx" else original(name),
    )
    sentiment.default_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match="default_transformer.onnx.*not a readable ONNX"):
            sentiment.default_model()
    finally:
        sentiment.default_model.cache_clear()


def test_a_comments_score_does_not_depend_on_the_comments_beside_it() -> None:
    # Fixed int8 scales: the same comment gets the same answer alone or in any batch.
    from analysis.sentiment import default_model

    model = default_model()
    comment = "not sure how I feel about this, the pay seems ok I guess"
    others = [
        "meh",
        "WORST. DEPARTMENT. EVER!!!!! 😡😡😡 " * 4,
        "I love this, best day ever! so proud of my cousin graduating the academy 🎉",
        "interesting",
        "What are the hours for the 2nd shift and is there a signing bonus?",
    ] * 8
    ids = model.network.token_ids([comment, *others])
    alone = model.transformer.probabilities_from_ids(ids[:1])[0]
    for batch in (ids, [*ids[1:20], ids[0], *ids[20:]], [ids[0], ids[2]]):
        row = next(i for i, x in enumerate(batch) if x is ids[0])
        scored = model.transformer.probabilities_from_ids(batch)[row]
        np.testing.assert_allclose(scored, alone, rtol=0, atol=1e-6)
